//! The one error type of kernel-object operations and calls, and the errno each maps to.

use std::io;

use crate::handle::HandleKind;
use crate::wire::{ErrorReply, WireError};

/// A failed kernel-object operation or call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A system call failed; `op` names it (`sendmsg`, `memfd_create`, …).
    #[error("{op}: {source}")]
    Io {
        op: &'static str,
        #[source]
        source: io::Error,
    },
    /// The other end of the channel is closed (its owner exited or dropped it).
    #[error("the channel's peer is closed")]
    PeerClosed,
    /// The peer's queue is full: channel writes never block (as on a microkernel), so the
    /// writer must retry later or drop the message.
    #[error("the channel's peer queue is full")]
    QueueFull,
    /// A message body over [`MAX_BODY`](crate::wire::MAX_BODY) bytes; large payloads travel in
    /// a VMO.
    #[error("message body of {len} bytes exceeds the 65536-byte limit")]
    BodyTooLarge { len: usize },
    /// A message with more than [`MAX_HANDLES`](crate::wire::MAX_HANDLES) handles.
    #[error("message carries {count} handles, over the limit of 64")]
    TooManyHandles { count: usize },
    /// A received message did not fit (longer than a header and 64 KiB, or more than 64
    /// handles); the handles that arrived with it were closed.
    #[error("received message was truncated: over 64 KiB of body or over 64 handles")]
    Truncated,
    /// A handle is not the kind of kernel object the operation needs.
    #[error("handle is a {found}, not a {expected}")]
    WrongKind { expected: HandleKind, found: HandleKind },
    /// The bytes of a message do not decode.
    #[error(transparent)]
    Wire(#[from] WireError),
    /// A reply that does not answer the call made (another transaction or method).
    #[error("reply for ordinal {ordinal:#018x} txid {txid} does not answer the call")]
    UnexpectedReply { ordinal: u64, txid: u32 },
    /// The server answered with an error reply.
    #[error("server replied with an error: {0}")]
    Remote(ErrorReply),
    /// The startup handle at this fd number is absent or was already taken.
    #[error("no startup handle at fd {fd}: absent or already taken")]
    NoStartupHandle { fd: i32 },
}

impl Error {
    pub(crate) fn io(op: &'static str, errno: rustix::io::Errno) -> Error {
        Error::Io {
            op,
            source: io::Error::from_raw_os_error(errno.raw_os_error()),
        }
    }

    /// The errno a syscall translated into this call should fail with: the server's errno for
    /// an error reply, the host errno for a failed system call, and `EIO` when the server is
    /// gone (a crashed server fails the calls in flight with `EIO`, DESIGN.md).
    pub fn errno(&self) -> i32 {
        use rustix::io::Errno;
        match self {
            Error::Io { source, .. } => source.raw_os_error().unwrap_or(Errno::IO.raw_os_error()),
            Error::Remote(reply) => reply.errno,
            Error::QueueFull => Errno::AGAIN.raw_os_error(),
            Error::BodyTooLarge { .. } => Errno::MSGSIZE.raw_os_error(),
            Error::TooManyHandles { .. } => Errno::TOOMANYREFS.raw_os_error(),
            Error::WrongKind { .. } => Errno::BADF.raw_os_error(),
            Error::NoStartupHandle { .. } => Errno::BADF.raw_os_error(),
            Error::PeerClosed | Error::Truncated | Error::Wire(_) | Error::UnexpectedReply { .. } => {
                Errno::IO.raw_os_error()
            }
        }
    }
}

/// A failure inside a server's handler, as the error reply its client gets: the server's own
/// error replies pass through, everything else is `Failed` with [`Error::errno`].
impl From<Error> for ErrorReply {
    fn from(error: Error) -> ErrorReply {
        match error {
            Error::Remote(reply) => reply,
            other => ErrorReply {
                code: crate::wire::ErrorCode::Failed,
                errno: other.errno(),
                message: other.to_string(),
            },
        }
    }
}
