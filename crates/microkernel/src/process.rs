//! [`Process`]: a handle to a process (pidfd): waits for its exit, reads its exit status and
//! signals it, without the pid-reuse races of plain pids.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command};
use std::sync::OnceLock;
use std::time::Duration;

use rustix::event::{PollFd, PollFlags, Timespec};
use rustix::io::Errno;
use rustix::process::{Pid, PidfdFlags, Signal, WaitIdOptions};

use crate::Error;
use crate::handle::kernel_object;

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exit {
    /// It exited with this status.
    Code(i32),
    /// A signal with this number killed it.
    Signal(i32),
    /// It exited, but its status went elsewhere: it is not this process's child, or another
    /// handle to it (or a plain `waitpid`) collected the status first.
    Unknown,
}

/// A process handle. Dropping it neither kills nor reaps the process.
#[derive(Debug)]
pub struct Process {
    fd: OwnedFd,
    /// The `Child` this handle was spawned as: kept for its stdio pipes only, never waited
    /// on (the pidfd reaps it).
    child: Option<Child>,
    exit: OnceLock<Exit>,
}

kernel_object!(Process, Process);

impl Process {
    /// A handle to the running process `pid`.
    pub fn open(pid: u32) -> Result<Process, Error> {
        let pid = i32::try_from(pid)
            .ok()
            .and_then(Pid::from_raw)
            .ok_or_else(|| Error::io("pidfd_open", Errno::INVAL))?;
        let fd =
            rustix::process::pidfd_open(pid, PidfdFlags::empty()).map_err(|e| Error::io("pidfd_open", e))?;
        Ok(Process::from_fd_unchecked(fd))
    }

    pub(crate) fn from_fd_unchecked(fd: OwnedFd) -> Process {
        Process {
            fd,
            child: None,
            exit: OnceLock::new(),
        }
    }

    /// Spawns `command` with extra handles: each `(handle, fd)` pair appears in the child as
    /// descriptor number `fd`, open across `exec` (the child takes it with
    /// [`take_startup_handle`](crate::startup::take_startup_handle)). Target numbers must be
    /// 3 or above and distinct. The command's other descriptors follow their `CLOEXEC` flags
    /// as usual (every descriptor this crate makes has it).
    pub fn spawn(mut command: Command, handles: &[(BorrowedFd<'_>, RawFd)]) -> Result<Process, Error> {
        let mut targets: Vec<RawFd> = handles.iter().map(|&(_, target)| target).collect();
        targets.sort_unstable();
        targets.dedup();
        if targets.len() != handles.len() || targets.first().is_some_and(|&lowest| lowest < 3) {
            return Err(Error::io(
                "spawn: startup fds must be distinct and 3 or above",
                Errno::INVAL,
            ));
        }
        // Each source is first duplicated above every target, so that placing one handle
        // cannot overwrite another's source descriptor. The duplicates live until the spawn
        // returns, which is when the child has exec'd.
        let floor = targets.last().map_or(3, |&highest| highest + 1);
        let sources = handles
            .iter()
            .map(|(fd, _)| {
                rustix::io::fcntl_dupfd_cloexec(fd, floor).map_err(|e| Error::io("fcntl(F_DUPFD)", e))
            })
            .collect::<Result<Vec<OwnedFd>, Error>>()?;
        let moves: Vec<(RawFd, RawFd)> = sources
            .iter()
            .zip(handles)
            .map(|(source, &(_, target))| (source.as_raw_fd(), target))
            .collect();
        let place = move || {
            for &(source, target) in &moves {
                // SAFETY: `source` is open in the child (the parent holds it until `spawn`
                // returns) and `target` is a number the caller reserved for it. The
                // `ManuallyDrop` wrapper never closes `target`. `dup2` leaves the copy at
                // `target` without `CLOEXEC` (source and target always differ: sources sit
                // above every target), so it survives the exec.
                let (source, mut target) = unsafe {
                    (
                        BorrowedFd::borrow_raw(source),
                        std::mem::ManuallyDrop::new(OwnedFd::from_raw_fd(target)),
                    )
                };
                rustix::io::dup2(source, &mut target)?;
            }
            Ok(())
        };
        // SAFETY: the closure runs between fork and exec and only makes raw system calls
        // (`dup2`, `fcntl`) through rustix: no allocation, no locks.
        unsafe { command.pre_exec(place) };
        let child = command.spawn().map_err(|e| Error::Io {
            op: "spawn",
            source: e,
        })?;
        drop(sources);
        let mut process = Process::open(child.id())?;
        process.child = Some(child);
        Ok(process)
    }

    /// The stdin pipe of a spawned child made with `Stdio::piped()`.
    pub fn take_stdin(&mut self) -> Option<ChildStdin> {
        self.child.as_mut()?.stdin.take()
    }

    /// The stdout pipe of a spawned child made with `Stdio::piped()`.
    pub fn take_stdout(&mut self) -> Option<ChildStdout> {
        self.child.as_mut()?.stdout.take()
    }

    /// The stderr pipe of a spawned child made with `Stdio::piped()`.
    pub fn take_stderr(&mut self) -> Option<ChildStderr> {
        self.child.as_mut()?.stderr.take()
    }

    /// Sends signal `signal` (`SIGTERM` is 15, `SIGKILL` 9).
    pub fn send_signal(&self, signal: i32) -> Result<(), Error> {
        let signal =
            Signal::from_named_raw(signal).ok_or_else(|| Error::io("pidfd_send_signal", Errno::INVAL))?;
        rustix::process::pidfd_send_signal(&self.fd, signal).map_err(|e| Error::io("pidfd_send_signal", e))
    }

    /// Waits for the process to exit.
    pub fn wait(&self) -> Result<Exit, Error> {
        loop {
            if let Some(exit) = self.wait_timeout(None)? {
                return Ok(exit);
            }
        }
    }

    /// The exit, if the process has exited.
    pub fn try_wait(&self) -> Result<Option<Exit>, Error> {
        self.wait_timeout(Some(Duration::ZERO))
    }

    /// Waits up to `timeout` (forever with `None`) for the process to exit.
    pub fn wait_timeout(&self, timeout: Option<Duration>) -> Result<Option<Exit>, Error> {
        if let Some(exit) = self.exit.get() {
            return Ok(Some(*exit));
        }
        let timeout = timeout
            .map(|t| Timespec::try_from(t).map_err(|_| Error::io("poll", Errno::INVAL)))
            .transpose()?;
        // A pidfd becomes readable when the process exits, child or not.
        let mut fds = [PollFd::new(&self.fd, PollFlags::IN)];
        match rustix::event::poll(&mut fds, timeout.as_ref()) {
            Ok(0) | Err(Errno::INTR) => return Ok(None),
            Ok(_) => {}
            Err(e) => return Err(Error::io("poll", e)),
        }
        let exit = match rustix::process::waitid(
            rustix::process::WaitId::PidFd(self.fd.as_fd()),
            WaitIdOptions::EXITED | WaitIdOptions::NOHANG,
        ) {
            Ok(Some(status)) => match (status.exit_status(), status.terminating_signal()) {
                (Some(code), _) => Exit::Code(code),
                (None, Some(signal)) => Exit::Signal(signal),
                (None, None) => return Ok(None),
            },
            // Readable but not yet waitable: the zombie is being set up.
            Ok(None) => return Ok(None),
            Err(Errno::CHILD) => Exit::Unknown,
            Err(e) => return Err(Error::io("waitid", e)),
        };
        Ok(Some(*self.exit.get_or_init(|| exit)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_status_and_kill_are_observed_through_the_pidfd() {
        let mut command = Command::new("sh");
        command.args(["-c", "exit 7"]);
        let exited = Process::spawn(command, &[]).unwrap();
        assert_eq!(exited.wait().unwrap(), Exit::Code(7));
        assert_eq!(
            exited.try_wait().unwrap(),
            Some(Exit::Code(7)),
            "the exit is kept"
        );

        let mut command = Command::new("sleep");
        command.arg("60");
        let sleeper = Process::spawn(command, &[]).unwrap();
        assert_eq!(
            sleeper.wait_timeout(Some(Duration::from_millis(20))).unwrap(),
            None
        );
        sleeper.send_signal(9).unwrap();
        assert_eq!(sleeper.wait().unwrap(), Exit::Signal(9));
    }

    #[test]
    fn a_process_handle_passed_on_a_channel_signals_the_same_process() {
        let mut command = Command::new("sleep");
        command.arg("60");
        let sleeper = Process::spawn(command, &[]).unwrap();
        let (a, b) = crate::Channel::pair().unwrap();
        let handle = crate::Handle::from(Process::open(sleeper.child.as_ref().unwrap().id()).unwrap());
        assert_eq!(handle.kind(), crate::HandleKind::Process);
        a.write(&crate::Message {
            header: crate::wire::Header::request(1, 1, 0),
            body: vec![],
            handles: vec![handle],
        })
        .unwrap();
        let received = Process::try_from(b.read().unwrap().handles.remove(0)).unwrap();
        received.send_signal(15).unwrap();
        // Both handles see the exit; the status goes to the first waiter (this process is
        // the parent either way), the other gets `Unknown`.
        assert_eq!(received.wait().unwrap(), Exit::Signal(15));
        assert_eq!(sleeper.wait().unwrap(), Exit::Unknown);
    }

    #[test]
    fn handles_reach_the_child_at_the_numbers_asked() {
        let (reader, writer) = rustix::pipe::pipe().unwrap();
        let mut command = Command::new("sh");
        // Writes through fd 5 and checks fd 4 is open: both came from the parent.
        command.args(["-c", "echo through-fd-5 >&5 && : <&4"]);
        let child = Process::spawn(command, &[(writer.as_fd(), 5), (reader.as_fd(), 4)]).unwrap();
        drop(writer);
        assert_eq!(child.wait().unwrap(), Exit::Code(0));
        let mut line = [0u8; 64];
        let n = rustix::io::read(&reader, &mut line).unwrap();
        assert_eq!(&line[..n], b"through-fd-5\n");

        let twice = Process::spawn(Command::new("true"), &[(reader.as_fd(), 4), (reader.as_fd(), 4)]);
        assert!(twice.is_err(), "two handles at one fd");
        let low = Process::spawn(Command::new("true"), &[(reader.as_fd(), 2)]);
        assert!(low.is_err(), "a handle over stderr");
    }
}
