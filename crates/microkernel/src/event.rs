//! [`Event`]: a signal one holder raises and another waits for (eventfd).

use std::os::fd::OwnedFd;

use rustix::event::{EventfdFlags, PollFd, PollFlags};
use rustix::io::Errno;

use crate::Error;
use crate::handle::kernel_object;

/// A latch: [`Event::signal`] raises it; a wait lowers it again, however many signals came.
#[derive(Debug)]
pub struct Event {
    fd: OwnedFd,
}

kernel_object!(Event, Event);

impl Event {
    pub fn new() -> Result<Event, Error> {
        let fd = rustix::event::eventfd(0, EventfdFlags::CLOEXEC | EventfdFlags::NONBLOCK)
            .map_err(|e| Error::io("eventfd", e))?;
        Ok(Event { fd })
    }

    pub(crate) fn from_fd_unchecked(fd: OwnedFd) -> Event {
        Event { fd }
    }

    pub fn signal(&self) -> Result<(), Error> {
        match rustix::io::write(&self.fd, &1u64.to_ne_bytes()) {
            // The counter is at its maximum: the event is raised already.
            Ok(_) | Err(Errno::AGAIN) => Ok(()),
            Err(e) => Err(Error::io("write(eventfd)", e)),
        }
    }

    /// Lowers the event if it is raised; whether it was.
    pub fn try_wait(&self) -> Result<bool, Error> {
        let mut counter = [0u8; 8];
        match rustix::io::read(&self.fd, &mut counter) {
            Ok(_) => Ok(true),
            Err(Errno::AGAIN) => Ok(false),
            Err(e) => Err(Error::io("read(eventfd)", e)),
        }
    }

    /// Waits until the event is raised, then lowers it.
    pub fn wait(&self) -> Result<(), Error> {
        loop {
            if self.try_wait()? {
                return Ok(());
            }
            let mut fds = [PollFd::new(&self.fd, PollFlags::IN)];
            match rustix::event::poll(&mut fds, None) {
                Ok(_) | Err(Errno::INTR) => {}
                Err(e) => return Err(Error::io("poll", e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_wakes_a_waiter_once() {
        let event = Event::new().unwrap();
        assert!(!event.try_wait().unwrap());
        event.signal().unwrap();
        event.signal().unwrap();
        assert!(event.try_wait().unwrap());
        assert!(
            !event.try_wait().unwrap(),
            "one wait lowers it, however many signals"
        );

        let shared = std::sync::Arc::new(event);
        let signaller = std::sync::Arc::clone(&shared);
        let thread = std::thread::spawn(move || signaller.signal().unwrap());
        shared.wait().unwrap();
        thread.join().unwrap();
    }
}
