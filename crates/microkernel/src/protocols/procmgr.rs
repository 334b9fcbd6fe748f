//! `procmgr`: guest processes and credentials (bodies only; the server is later work).

crate::protocol! {
    /// The guest process table. Guest pids are procmgr's, not the host's; an app's uid is
    /// 10000 + its app number, as on Android. Calls from a sandboxed process are identified by
    /// the channel they arrive on, which procmgr ties to the process at `Register`.
    protocol "procmgr";

    /// Adds a host process to the guest process table (sent by the runtime after spawning
    /// it). Fails with `EEXIST` if the process is registered already.
    method Register(version 1, call) {
        request RegisterRequest {
            /// The guest pid of the parent (0 for an app's first process).
            parent_pid: u32,
            /// The app's uid (10000 + n) or a system uid.
            uid: u32,
            gid: u32,
            /// Supplementary groups (`inet`, `sdcard_rw`, … as Android numbers them).
            groups: Vec<u32>,
            /// The Android package, for `/proc/<pid>/cmdline` and logs.
            package: String,
            /// argv\[0\] and the rest, as `/proc/<pid>/cmdline` shows them.
            argv: Vec<String>,
        } handles [Process];
        response RegisterResponse {
            /// The guest pid given to the process.
            pid: u32,
        } handles [];
    }

    /// Records a process's exit (its parent's `wait` family reads it back).
    method Exit(version 1, call) {
        request ExitRequest {
            pid: u32,
            /// The exit status, or 128 + the signal number.
            status: i32,
        } handles [];
        response ExitResponse {} handles [];
    }

    /// The caller's ids: what `getpid`, `getppid`, `gettid`, `getuid` and friends answer.
    method Identity(version 1, call) {
        request IdentityRequest {
            /// The host tid of the calling thread, to answer `gettid`.
            host_tid: u32,
        } handles [];
        response IdentityResponse {
            pid: u32,
            ppid: u32,
            tid: u32,
            uid: u32,
            euid: u32,
            gid: u32,
            egid: u32,
            groups: Vec<u32>,
        } handles [];
    }

    /// A file of the `/proc` subset built from guest data (`status`, `stat`, `cmdline`,
    /// `maps` of a guest pid; `self` is resolved by the caller). Fails with `ENOENT` for an
    /// unknown pid or file.
    method ProcFile(version 1, call) {
        request ProcFileRequest {
            pid: u32,
            /// The file under `/proc/<pid>/`: `status`, `stat`, `cmdline`, `maps`.
            name: String,
        } handles [];
        response ProcFileResponse {} handles [Vmo];
    }

    /// The guest pids of the processes visible to the caller (its app's), sorted.
    method List(version 1, call) {
        request ListRequest {} handles [];
        response ListResponse {
            pids: Vec<u32>,
        } handles [];
    }
}
