//! [`WaitSet`]: waits on many handles at once (epoll).

use std::os::fd::{AsFd, OwnedFd};
use std::time::Duration;

use rustix::event::{Timespec, epoll};
use rustix::io::Errno;

use crate::Error;
use crate::handle::kernel_object;

/// A set of handles, each under a key of the caller's choosing; [`WaitSet::wait`] returns the
/// keys of those ready. A handle is ready while it has something to read (a message, a raised
/// event, an exited process) or its peer is closed; readiness is level-triggered.
#[derive(Debug)]
pub struct WaitSet {
    fd: OwnedFd,
}

kernel_object!(WaitSet, WaitSet);

impl WaitSet {
    pub fn new() -> Result<WaitSet, Error> {
        let fd = epoll::create(epoll::CreateFlags::CLOEXEC).map_err(|e| Error::io("epoll_create1", e))?;
        Ok(WaitSet { fd })
    }

    pub(crate) fn from_fd_unchecked(fd: OwnedFd) -> WaitSet {
        WaitSet { fd }
    }

    /// Watches `handle` under `key`. The set does not keep the handle open: remove it before
    /// closing it.
    pub fn add(&self, handle: &impl AsFd, key: u64) -> Result<(), Error> {
        let flags = epoll::EventFlags::IN | epoll::EventFlags::RDHUP;
        epoll::add(&self.fd, handle, epoll::EventData::new_u64(key), flags)
            .map_err(|e| Error::io("epoll_ctl(ADD)", e))
    }

    pub fn remove(&self, handle: &impl AsFd) -> Result<(), Error> {
        epoll::delete(&self.fd, handle).map_err(|e| Error::io("epoll_ctl(DEL)", e))
    }

    /// The keys of the ready handles, waiting up to `timeout` (forever with `None`) for one;
    /// empty when the time ran out.
    pub fn wait(&self, timeout: Option<Duration>) -> Result<Vec<u64>, Error> {
        let timeout = timeout
            .map(|t| Timespec::try_from(t).map_err(|_| Error::io("epoll_wait", Errno::INVAL)))
            .transpose()?;
        let mut events = Vec::with_capacity(64);
        loop {
            match epoll::wait(
                &self.fd,
                rustix::buffer::spare_capacity(&mut events),
                timeout.as_ref(),
            ) {
                Ok(_) => return Ok(events.iter().map(|e| e.data.u64()).collect()),
                Err(Errno::INTR) => continue,
                Err(e) => return Err(Error::io("epoll_wait", e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Channel, Event, Message, wire::Header};

    #[test]
    fn wait_reports_the_keys_of_ready_handles() {
        let set = WaitSet::new().unwrap();
        let event = Event::new().unwrap();
        let (a, b) = Channel::pair().unwrap();
        set.add(&event, 1).unwrap();
        set.add(&b, 2).unwrap();
        assert_eq!(
            set.wait(Some(Duration::from_millis(10))).unwrap(),
            Vec::<u64>::new()
        );

        event.signal().unwrap();
        assert_eq!(set.wait(Some(Duration::ZERO)).unwrap(), vec![1]);
        event.try_wait().unwrap();

        a.write(&Message {
            header: Header::request(1, 1, 0),
            body: vec![],
            handles: vec![],
        })
        .unwrap();
        assert_eq!(set.wait(None).unwrap(), vec![2]);
        b.read().unwrap();
        assert!(set.wait(Some(Duration::ZERO)).unwrap().is_empty());

        drop(a);
        assert_eq!(
            set.wait(None).unwrap(),
            vec![2],
            "a closed peer makes the channel ready"
        );
        set.remove(&b).unwrap();
        assert!(set.wait(Some(Duration::ZERO)).unwrap().is_empty());

        // A process handle is ready once the process exits: the death notice.
        let process = crate::Process::spawn(std::process::Command::new("true"), &[]).unwrap();
        set.add(&process, 3).unwrap();
        assert_eq!(set.wait(Some(Duration::from_secs(10))).unwrap(), vec![3]);
        assert_eq!(process.wait().unwrap(), crate::Exit::Code(0));
    }
}
