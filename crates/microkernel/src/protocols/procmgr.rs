//! `procmgr`: the guest process table, and the `/proc` files built from guest data.
//!
//! The server is `hyper-compat __procmgr` (crate `sandbox`, module `procmgr`), a process of its
//! own that `hyper-compat run` supervises. Guest pids and ids are the sandbox namespaces' own
//! (the kernel keeps them; procmgr reads them through the host's `/proc` and answers in guest
//! terms), so the table holds what the namespaces do not: which sandbox a host process belongs
//! to, its app and its uid.

crate::protocol! {
    /// The guest process table. Each sandbox's first process is registered by the runtime on
    /// procmgr's control channel (`Register`); the sandbox's `vfs` then reaches procmgr on
    /// channels the runtime hands over with `Adopt`, and the calls on such a channel are that
    /// sandbox's: a host thread of another sandbox is unknown there (`ESRCH`). An app's uid is
    /// 10000 + its app number, as on Android.
    protocol "procmgr";

    /// Runtime → procmgr, on the control channel: the first process of sandbox `sandbox`
    /// (every process of the sandbox's pid namespace belongs to it). The registration ends
    /// when that process exits, which ends its pid namespace.
    method Register(version 1, one_way) {
        request RegisterRequest {
            /// The runtime's id for the sandbox.
            sandbox: u64,
            /// The Android package, as the app's processes are named to the system.
            package: String,
            /// The app's uid in the sandbox (10000 + n) or a system uid.
            uid: u32,
        } handles [Process];
        response RegisterResponse {} handles [];
    }

    /// Runtime → procmgr, on the control channel: serve the calls of sandbox `sandbox` on this
    /// channel (procmgr's end).
    method Adopt(version 1, one_way) {
        request AdoptRequest {
            sandbox: u64,
        } handles [Channel];
        response AdoptResponse {} handles [];
    }

    /// The ids of a thread of the caller's sandbox, in guest terms: what `getpid`, `getppid`,
    /// `gettid`, `getuid` and friends answer there. Fails with `ESRCH` for a thread that is not
    /// the sandbox's.
    method Identity(version 1, call) {
        request IdentityRequest {
            /// The host tid of the thread (the one a seccomp notification names).
            host_tid: u32,
        } handles [];
        response IdentityResponse {
            pid: u32,
            /// 0 for the sandbox's first process, whose parent is outside it.
            ppid: u32,
            tid: u32,
            uid: u32,
            euid: u32,
            gid: u32,
            egid: u32,
            /// Supplementary groups the sandbox's user namespace maps (unmapped ones are
            /// left out).
            groups: Vec<u32>,
            /// The app the sandbox runs.
            package: String,
        } handles [];
    }

    /// A file of the `/proc` subset procmgr builds from guest data, by its path under `/proc`
    /// (`version`, `sys/kernel/osrelease`, `sys/kernel/ostype`, `sys/kernel/version`): what
    /// the target reports, the same identity `uname` gives, never the host kernel's. A read-only
    /// VMO holding the file's text. Fails with `ENOENT` for any other path.
    method ProcFile(version 1, call) {
        request ProcFileRequest {
            path: String,
        } handles [];
        response ProcFileResponse {} handles [Vmo];
    }

    /// The guest pids of the live processes of the caller's sandbox, sorted.
    method List(version 1, call) {
        request ListRequest {} handles [];
        response ListResponse {
            pids: Vec<u32>,
        } handles [];
    }
}
