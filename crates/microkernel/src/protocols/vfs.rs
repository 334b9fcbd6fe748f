//! `vfs`: the per-app file namespace. The server is `hc-vfs` (crate `sandbox`).

use serde::{Deserialize, Serialize};

/// Where a guest path is resolved: the calling guest thread, the directory fd it passed and the
/// path as it passed it. The server resolves the path exactly as the kernel would for that
/// thread: an absolute path (and every `..` and absolute symlink) from the app's root, a
/// relative one from `dirfd` (`AT_FDCWD`, -100: the thread's working directory).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct At {
    /// The thread, as a host thread id (the bridge's view; vfs reads the thread's working
    /// directory and fds through it).
    pub tid: u32,
    pub dirfd: i32,
    /// The path's bytes as the guest passed them (Linux paths need not be UTF-8).
    pub path: Vec<u8>,
}

impl At {
    /// `AT_FDCWD`.
    pub const CWD: i32 = -100;
}

crate::protocol! {
    /// The per-app file namespace: resolves guest paths in the app's own tree (the app root
    /// at `/data/data/<pkg>`, read-only system folders, its own `/tmp` and `/dev`, a `/proc`
    /// of its own processes), checks access as the calling app and returns opened fds, so
    /// reads and writes run natively. Every path travels as an `At` (thread, dirfd, path;
    /// see `sandbox::vfs`); flags and modes are Linux's (`O_*`, `S_I*`, `AT_*`); failures
    /// carry the errno the syscall returns.
    protocol "vfs";

    /// `open`/`openat`/`creat`/`openat2`: opens (or creates) a file and returns its fd.
    method Open(version 1, call) {
        request OpenRequest {
            at: At,
            /// `O_*` flags as the guest passed them.
            flags: u32,
            /// The creation mode with `O_CREAT`/`O_TMPFILE`, before the guest's umask.
            mode: u32,
            /// `openat2`'s `RESOLVE_*` flags (0 for the other calls).
            resolve: u64,
        } handles [];
        response OpenResponse {} handles [File];
    }

    /// `stat`/`lstat`/`newfstatat`/`statx`: the file's metadata, as the kernel's
    /// `struct statx` (256 bytes, the same on every architecture); the bridge converts it to
    /// the layout the guest asked for.
    method Stat(version 1, call) {
        request StatRequest {
            at: At,
            /// `AT_SYMLINK_NOFOLLOW`, `AT_NO_AUTOMOUNT` and the `AT_STATX_*` sync flags.
            flags: u32,
            /// `STATX_*` fields wanted.
            mask: u32,
        } handles [];
        response StatResponse {
            statx: Vec<u8>,
        } handles [];
    }

    /// `statfs`: the filesystem's figures, as the kernel's `struct statfs` of the caller's
    /// architecture (120 bytes on 64-bit ones).
    method Statfs(version 1, call) {
        request StatfsRequest {
            at: At,
        } handles [];
        response StatfsResponse {
            statfs: Vec<u8>,
        } handles [];
    }

    /// `access`/`faccessat`/`faccessat2`: whether the caller may access the path.
    method Access(version 1, call) {
        request AccessRequest {
            at: At,
            /// `F_OK` or a mask of `R_OK`, `W_OK`, `X_OK`.
            mode: u32,
            /// `AT_EACCESS` and `AT_SYMLINK_NOFOLLOW`.
            flags: u32,
        } handles [];
        response AccessResponse {} handles [];
    }

    /// `mkdir`/`mkdirat`.
    method Mkdir(version 1, call) {
        request MkdirRequest {
            at: At,
            /// Before the guest's umask.
            mode: u32,
        } handles [];
        response MkdirResponse {} handles [];
    }

    /// `mknod`/`mknodat`: FIFOs, sockets and regular files; device nodes are refused (`EPERM`),
    /// as they are to an app.
    method Mknod(version 1, call) {
        request MknodRequest {
            at: At,
            /// `S_IF*` type and permission bits, before the guest's umask.
            mode: u32,
            dev: u64,
        } handles [];
        response MknodResponse {} handles [];
    }

    /// `inotify_add_watch`: a watch on the path, added to the guest's inotify instance `fd`.
    method Watch(version 1, call) {
        request WatchRequest {
            at: At,
            fd: i32,
            mask: u32,
        } handles [];
        response WatchResponse {
            /// The watch descriptor.
            wd: i32,
        } handles [];
    }

    /// `unlink`/`rmdir`/`unlinkat`.
    method Unlink(version 1, call) {
        request UnlinkRequest {
            at: At,
            /// `AT_REMOVEDIR`.
            flags: u32,
        } handles [];
        response UnlinkResponse {} handles [];
    }

    /// `rename`/`renameat`/`renameat2`.
    method Rename(version 1, call) {
        request RenameRequest {
            from: At,
            to: At,
            /// `RENAME_NOREPLACE`, `RENAME_EXCHANGE`, `RENAME_WHITEOUT`.
            flags: u32,
        } handles [];
        response RenameResponse {} handles [];
    }

    /// `readlink`/`readlinkat`: the link's content.
    method Readlink(version 1, call) {
        request ReadlinkRequest {
            at: At,
        } handles [];
        response ReadlinkResponse {
            target: Vec<u8>,
        } handles [];
    }

    /// `symlink`/`symlinkat`.
    method Symlink(version 1, call) {
        request SymlinkRequest {
            /// The link's content, stored as given.
            target: Vec<u8>,
            at: At,
        } handles [];
        response SymlinkResponse {} handles [];
    }

    /// `link`/`linkat`.
    method Link(version 1, call) {
        request LinkRequest {
            from: At,
            to: At,
            /// `AT_SYMLINK_FOLLOW`.
            flags: u32,
        } handles [];
        response LinkResponse {} handles [];
    }

    /// `chmod`/`fchmodat`.
    method Chmod(version 1, call) {
        request ChmodRequest {
            at: At,
            mode: u32,
            /// `AT_SYMLINK_NOFOLLOW` (`fchmodat2`).
            flags: u32,
        } handles [];
        response ChmodResponse {} handles [];
    }

    /// `chown`/`lchown`/`fchownat`: ids as the guest passed them (-1 keeps one).
    method Chown(version 1, call) {
        request ChownRequest {
            at: At,
            uid: u32,
            gid: u32,
            /// `AT_SYMLINK_NOFOLLOW`.
            flags: u32,
        } handles [];
        response ChownResponse {} handles [];
    }

    /// `truncate`.
    method Truncate(version 1, call) {
        request TruncateRequest {
            at: At,
            length: u64,
        } handles [];
        response TruncateResponse {} handles [];
    }

    /// `utimensat`: each time as `(seconds, nanoseconds)`, where the nanoseconds may be
    /// `UTIME_NOW` or `UTIME_OMIT`; `None` for both sets both to now. An empty path with
    /// `dirfd` names the file `dirfd` is open on (`futimens`).
    method Utimens(version 1, call) {
        request UtimensRequest {
            at: At,
            times: Option<[(i64, i64); 2]>,
            /// `AT_SYMLINK_NOFOLLOW`.
            flags: u32,
        } handles [];
        response UtimensResponse {} handles [];
    }
}
