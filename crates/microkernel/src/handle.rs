//! [`Handle`]: a capability, which on this emulated kernel is an owned Linux file descriptor.

use std::fmt;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};

use rustix::fs::FileType;
use rustix::net::SocketType;

use crate::Error;

/// The kind of kernel object behind a handle, as the host kernel reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HandleKind {
    /// A [`Channel`](crate::Channel) end (`SOCK_SEQPACKET` socket).
    Channel,
    /// A [`Vmo`](crate::Vmo) (memfd).
    Vmo,
    /// An [`Event`](crate::Event) (eventfd).
    Event,
    /// A [`WaitSet`](crate::WaitSet) (epoll).
    WaitSet,
    /// A [`Process`](crate::Process) (pidfd).
    Process,
    /// An opened file, directory or device node, as `vfs.Open` returns.
    File,
    /// Anything else (another socket type, pipe, other anonymous inode).
    Other,
}

impl HandleKind {
    pub fn name(self) -> &'static str {
        match self {
            HandleKind::Channel => "channel",
            HandleKind::Vmo => "vmo",
            HandleKind::Event => "event",
            HandleKind::WaitSet => "waitset",
            HandleKind::Process => "process",
            HandleKind::File => "file",
            HandleKind::Other => "other",
        }
    }

    /// The kind of the object behind `fd`. Anonymous inodes are told apart by the name the
    /// kernel gives them under `/proc/self/fd`; without `/proc` they come out as `Other`.
    pub fn of(fd: BorrowedFd<'_>) -> HandleKind {
        let Ok(stat) = rustix::fs::fstat(fd) else {
            return HandleKind::Other;
        };
        match FileType::from_raw_mode(stat.st_mode) {
            FileType::Socket => {
                return match rustix::net::sockopt::socket_type(fd) {
                    Ok(SocketType::SEQPACKET) => HandleKind::Channel,
                    _ => HandleKind::Other,
                };
            }
            FileType::Directory | FileType::CharacterDevice | FileType::BlockDevice => {
                return HandleKind::File;
            }
            FileType::Fifo => return HandleKind::Other,
            _ => {}
        }
        let link = std::fs::read_link(format!("/proc/self/fd/{}", fd.as_raw_fd()));
        let link = link.as_ref().map(|l| l.to_string_lossy());
        match link.as_deref() {
            Ok("anon_inode:[eventfd]") => HandleKind::Event,
            Ok("anon_inode:[eventpoll]") => HandleKind::WaitSet,
            Ok("anon_inode:[pidfd]") => HandleKind::Process,
            Ok(l) if l.starts_with("/memfd:") => HandleKind::Vmo,
            Ok(l) if l.starts_with("anon_inode:") => HandleKind::Other,
            _ if FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile => HandleKind::File,
            _ => HandleKind::Other,
        }
    }
}

impl fmt::Display for HandleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A capability: an owned file descriptor. Closing it (dropping) gives the capability up.
/// Sending it on a channel gives the receiver its own descriptor for the same object.
#[derive(Debug)]
pub struct Handle(OwnedFd);

impl Handle {
    /// The kind of object behind the handle ([`HandleKind::of`]).
    pub fn kind(&self) -> HandleKind {
        HandleKind::of(self.0.as_fd())
    }

    pub fn into_fd(self) -> OwnedFd {
        self.0
    }

    /// The fd, after checking that it is `expected`.
    pub(crate) fn into_kind(self, expected: HandleKind) -> Result<OwnedFd, Error> {
        match self.kind() {
            found if found == expected => Ok(self.0),
            found => Err(Error::WrongKind { expected, found }),
        }
    }
}

impl From<OwnedFd> for Handle {
    fn from(fd: OwnedFd) -> Handle {
        Handle(fd)
    }
}

impl From<std::fs::File> for Handle {
    fn from(file: std::fs::File) -> Handle {
        Handle(file.into())
    }
}

impl AsFd for Handle {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }
}

/// A kernel object type that is one kind of handle.
macro_rules! kernel_object {
    ($type:ident, $kind:ident) => {
        impl From<$type> for $crate::Handle {
            fn from(object: $type) -> $crate::Handle {
                $crate::Handle::from(object.fd)
            }
        }

        impl TryFrom<$crate::Handle> for $type {
            type Error = $crate::Error;

            /// Fails with [`Error::WrongKind`](crate::Error::WrongKind) when the handle is
            /// another kind of object.
            fn try_from(handle: $crate::Handle) -> Result<$type, $crate::Error> {
                handle
                    .into_kind($crate::HandleKind::$kind)
                    .map($type::from_fd_unchecked)
            }
        }

        impl std::os::fd::AsFd for $type {
            fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
                self.fd.as_fd()
            }
        }
    };
}
pub(crate) use kernel_object;
