//! The emulated microkernel of the HyperCompat runtime (DESIGN.md, "The microkernel"): kernel
//! objects, the wire format, the protocols of the system servers, the RPC helpers, and the
//! service manager.
//!
//! **Handles are Linux file descriptors**, so capability transfer is real: a process can use
//! only the objects it was handed, and handing one over is `SCM_RIGHTS`.
//!
//! | object | type | Linux backing |
//! |---|---|---|
//! | channel | [`Channel`] | `socketpair(AF_UNIX, SOCK_SEQPACKET)`, handles as `SCM_RIGHTS` |
//! | VMO | [`Vmo`] | `memfd_create(MFD_ALLOW_SEALING)`, sealed read-only with `F_SEAL_*` |
//! | event | [`Event`] | `eventfd` |
//! | waitset | [`WaitSet`] | `epoll` |
//! | process | [`Process`] | `pidfd_open` |
//!
//! Every object converts into a [`Handle`] (to send it) and back with `TryFrom`, which checks
//! the kind of object the descriptor is ([`HandleKind::of`]).
//!
//! **Messages** ([`wire`]) are a 16-byte header and a `postcard` body; **protocols**
//! ([`protocols`]) are defined with [`protocol!`], which derives the method ordinals and the
//! generated `docs/protocols.md` ([`markdown`]) from the same definitions. [`rpc`] has the
//! client call and the server dispatcher; [`svcmgr::serve`] is the service registry;
//! [`startup`] is the fd-number convention by which a started program finds its handles.
//!
//! **System calls go through `rustix`**, not `nix`: rustix is in the workspace's dependency
//! graph already (through `tempfile`), takes and returns `OwnedFd`/`BorrowedFd` everywhere (so
//! descriptor ownership is checked by the compiler, and received `SCM_RIGHTS` descriptors are
//! closed by its ancillary buffer when we drop them), reports `MSG_TRUNC`/`MSG_CTRUNC` in its
//! `recvmsg` result, and covers every call this crate needs (`pidfd_open`,
//! `pidfd_send_signal`, `waitid(P_PIDFD)`, `memfd_create`, seals, `epoll`, `eventfd`) while
//! making raw syscalls on Linux, which is what a `pre_exec` closure may do.

mod channel;
mod docs;
mod error;
mod event;
mod handle;
mod process;
pub mod protocol;
pub mod protocols;
pub mod rpc;
pub mod startup;
pub mod svcmgr;
mod vmo;
mod waitset;
pub mod wire;

pub use channel::{Channel, ChannelListener, Message};
pub use docs::markdown;
pub use error::Error;
pub use event::Event;
pub use handle::{Handle, HandleKind};
pub use process::{Exit, Process};
pub use vmo::Vmo;
pub use waitset::WaitSet;

/// Linux error numbers, as error replies carry them (rustix's type, re-exported so that
/// servers need no other crate to name one).
pub use rustix::io::Errno;
