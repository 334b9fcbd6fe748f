//! `binder`: the sandboxes' bridges hand Binder calls to a shared Binder world (served by
//! `hyper-compat binder-world`, crate `sandbox`'s `binder::World`).

crate::protocol! {
    /// A Binder world shared by several sandboxes. A sandbox's bridge (`hc-vfs`) connects to
    /// the world's socket, attaches with its seccomp listener, and then forwards the guest's
    /// `open`s of binder devices and its binder `ioctl`s as they arrive, without waiting: the
    /// world answers each notification itself through the listener (with `ADDFD` for the
    /// device fds and received descriptors), at once or, for a read with no work, when work
    /// arrives. The world sends `logd.Telemetry` events back on the same channel. Every method
    /// is one-way.
    protocol "binder";

    /// The first message on a connection: the sandbox's seccomp listener, through which the
    /// world answers the calls forwarded on this connection.
    method Attach(version 1, one_way) {
        request AttachRequest {
            /// Send a telemetry event for every transaction, not only failures.
            trace: bool,
        } handles [Other];
        response AttachResponse {} handles [];
    }

    /// Notification `call`: thread `tid` opens binder device `device`.
    method Open(version 1, one_way) {
        request OpenRequest {
            /// The seccomp notification id.
            call: u64,
            /// The calling thread, in the host's pid namespace.
            tid: u32,
            /// Its process (thread group), in the host's pid namespace: the world watches it
            /// for the exit that releases what it holds.
            tgid: u32,
            /// The calling process's pid in its sandbox (a transaction's `sender_pid`).
            guest_pid: u32,
            /// The caller's effective uid in its sandbox (a transaction's `sender_euid`).
            uid: u32,
            /// 0 `/dev/binder`, 1 `/dev/hwbinder`, 2 `/dev/vndbinder`.
            device: u8,
            /// The device fd is installed close-on-exec.
            cloexec: bool,
        } handles [];
        response OpenResponse {} handles [];
    }

    /// Notification `call`: thread `tid` calls `ioctl(fd, cmd, arg)` on a memfd with inode
    /// `inode`, which the world answers as the device of that inode, or lets the host run
    /// (`SECCOMP_USER_NOTIF_FLAG_CONTINUE`) when no device has that inode.
    method Ioctl(version 1, one_way) {
        request IoctlRequest {
            /// The seccomp notification id.
            call: u64,
            /// The calling thread, in the host's pid namespace.
            tid: u32,
            /// The inode of the memfd the fd names.
            inode: u64,
            cmd: u32,
            arg: u64,
        } handles [];
        response IoctlResponse {} handles [];
    }
}
