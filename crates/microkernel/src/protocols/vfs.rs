//! `vfs`: the per-app file namespace (bodies only; the server is later work).

crate::protocol! {
    /// The per-app file namespace: maps guest paths (`/data/data/<pkg>`, `/data/app/<pkg>`,
    /// `/system`, `/sdcard`, `/dev/*`, a `/proc` subset) to host folders under the app root,
    /// checks access and returns opened fds, so reads and writes run natively. Paths are guest
    /// paths, absolute (the bridge resolves `dirfd` and the cwd before calling); flags and
    /// modes are Linux's (`O_*`, `S_I*`, `AT_*`); failures carry the errno the syscall returns.
    protocol "vfs";

    /// `openat`: opens (or creates) a file and returns its fd.
    method Open(version 1, call) {
        request OpenRequest {
            path: String,
            /// `O_*` flags as the guest passed them.
            flags: u32,
            /// The creation mode with `O_CREAT`/`O_TMPFILE`, before the umask.
            mode: u32,
            /// The guest's umask.
            umask: u32,
        } handles [];
        response OpenResponse {} handles [File];
    }

    /// `fstatat`/`statx`: the guest view of a file's metadata (guest uids, guest inode
    /// numbers).
    method Stat(version 1, call) {
        request StatRequest {
            path: String,
            /// Do not follow a final symlink (`AT_SYMLINK_NOFOLLOW`).
            no_follow: bool,
        } handles [];
        response StatResponse {
            dev: u64,
            ino: u64,
            /// `S_IF*` type bits and permission bits.
            mode: u32,
            nlink: u64,
            uid: u32,
            gid: u32,
            rdev: u64,
            size: u64,
            blocks: u64,
            blksize: u32,
            atime_ns: i64,
            mtime_ns: i64,
            ctime_ns: i64,
        } handles [];
    }

    /// `faccessat`: whether the caller may access the path.
    method Access(version 1, call) {
        request AccessRequest {
            path: String,
            /// `F_OK` or a mask of `R_OK`, `W_OK`, `X_OK`.
            mode: u32,
            /// `AT_EACCESS` and `AT_SYMLINK_NOFOLLOW`.
            flags: u32,
        } handles [];
        response AccessResponse {} handles [];
    }

    /// `mkdirat`.
    method Mkdir(version 1, call) {
        request MkdirRequest {
            path: String,
            mode: u32,
            umask: u32,
        } handles [];
        response MkdirResponse {} handles [];
    }

    /// `unlinkat`.
    method Unlink(version 1, call) {
        request UnlinkRequest {
            path: String,
            /// Remove a directory (`AT_REMOVEDIR`).
            directory: bool,
        } handles [];
        response UnlinkResponse {} handles [];
    }

    /// `renameat2`.
    method Rename(version 1, call) {
        request RenameRequest {
            from: String,
            to: String,
            /// `RENAME_NOREPLACE`, `RENAME_EXCHANGE`.
            flags: u32,
        } handles [];
        response RenameResponse {} handles [];
    }

    /// `readlinkat`: the link's target, in guest terms.
    method Readlink(version 1, call) {
        request ReadlinkRequest {
            path: String,
        } handles [];
        response ReadlinkResponse {
            target: String,
        } handles [];
    }

    /// `symlinkat`.
    method Symlink(version 1, call) {
        request SymlinkRequest {
            /// The link's content, stored as given.
            target: String,
            path: String,
        } handles [];
        response SymlinkResponse {} handles [];
    }

    /// `linkat`.
    method Link(version 1, call) {
        request LinkRequest {
            from: String,
            to: String,
            /// Follow a final symlink in `from` (`AT_SYMLINK_FOLLOW`).
            follow: bool,
        } handles [];
        response LinkResponse {} handles [];
    }

    /// `fchmodat`.
    method Chmod(version 1, call) {
        request ChmodRequest {
            path: String,
            mode: u32,
        } handles [];
        response ChmodResponse {} handles [];
    }

    /// `truncate`.
    method Truncate(version 1, call) {
        request TruncateRequest {
            path: String,
            length: u64,
        } handles [];
        response TruncateResponse {} handles [];
    }

    /// `utimensat`: times as nanoseconds since the epoch; `None` leaves a time as it is
    /// (`UTIME_OMIT`) and `Some(-1)` sets it to now (`UTIME_NOW`).
    method Utimens(version 1, call) {
        request UtimensRequest {
            path: String,
            atime_ns: Option<i64>,
            mtime_ns: Option<i64>,
            no_follow: bool,
        } handles [];
        response UtimensResponse {} handles [];
    }
}
