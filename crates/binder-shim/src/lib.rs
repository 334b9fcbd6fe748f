//! An emulated `/dev/binder`. The target OS has no Binder driver, so this crate provides its
//! protocol — the one the Linux driver (`drivers/android/binder.c`) speaks, protocol version 8
//! — for programs in the sandbox: a guest opens `/dev/binder` (also `/dev/binderfs/binder`,
//! `/dev/hwbinder`, `/dev/vndbinder`: three separate contexts), maps it, and drives it with
//! ioctls that the syscall bridge hands to [`Shim`].
//!
//! - The device fd is a sealed memfd: the guest's `mmap` of it is a real read-only mapping,
//!   and the shim writes transaction buffers into it through its own writable mapping, placed
//!   first-fit within the mapping's size (at most 4 MiB, one-way calls at most half).
//! - [`Shim::ioctl`] runs `BINDER_WRITE_READ` (every `BC_` command; `BR_` returns),
//!   `BINDER_VERSION`, `SET_MAX_THREADS`, `SET_CONTEXT_MGR(_EXT)`, `THREAD_EXIT`,
//!   `ENABLE_ONEWAY_SPAM_DETECTION`, `GET_EXTENDED_ERROR` and `GET_NODE_INFO_FOR_REF`; any
//!   other gets `EINVAL` and an [`Event`].
//! - Objects are translated between processes as the kernel does: binders become handles
//!   (and back in their owner), with strong and weak references and the owner told with
//!   `BR_INCREFS`/`BR_ACQUIRE`/`BR_RELEASE`/`BR_DECREFS`; descriptors and descriptor arrays
//!   are taken from the sender and installed in the receiver when it reads; scatter-gather
//!   buffers are copied behind the data with their parents' pointers fixed.
//! - Two-way calls nest: a call goes to the target's thread already waiting in the same call
//!   chain. One-way calls are queued per node and delivered one at a time, in order.
//! - A read with no work parks the call (the bridge thread is free again); the call that
//!   produces work answers it ([`Guest::answer`]).
//!
//! Where it departs from the kernel is said in `docs/binder.md`.

mod alloc;
mod driver;
pub mod parcel;
pub mod servicemanager;
pub mod uapi;

pub use alloc::{AllocError, Allocator, Block};
pub use driver::{Device, Event, Guest, MAP_LIMIT, Outcome, ProcId, SECURITY_CONTEXT, Shim};
