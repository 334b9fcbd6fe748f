//! The syscall table: one row per syscall name of any supported architecture, sorted by name.
//! The fates follow DESIGN.md ("The syscall bridge"): pass for fd I/O, memory, futex, time reads
//! and identity the namespaces answer; translate for path, credential, process and device calls;
//! deny for what changes the host (modules, mounts, namespaces, reboot, kexec, clocks, swap),
//! reaches into other processes, or opens a kernel attack surface Android itself closes to apps
//! (bpf, perf, keyrings, io_uring).
//!
//! Conventions: `level` is the design target (what the runtime promises once built); pass rows
//! are `full` unless the filter refuses some arguments (then `partial`), deny rows are `none`.
//! `implemented` is `false` everywhere: the sandbox's filter exists for x86-64 only. Numbers are not
//! here: they come from the kernel headers (`numbers.rs`), and a test checks that this table has
//! exactly one row for each generated name.

use crate::{ArgumentTest, Fate, Handler, Level, NativeArgument, Refusal, RefusedArgument, Row};

const fn pass(name: &'static str, note: &'static str) -> Row {
    Row {
        name,
        fate: Fate::Pass,
        level: Level::Full,
        handler: None,
        implemented: false,
        note,
        refused: &[],
        native_when: &[],
    }
}

/// Passed, but the filter refuses some arguments (the note says which, `refused` how).
const fn pass_partly(name: &'static str, note: &'static str, refused: &'static [RefusedArgument]) -> Row {
    Row {
        level: Level::Partial,
        refused,
        ..pass(name, note)
    }
}

/// `clone`'s namespace flags (`CLONE_NEWNS`, `CLONE_NEWCGROUP`, `CLONE_NEWUTS`, `CLONE_NEWIPC`,
/// `CLONE_NEWUSER`, `CLONE_NEWPID`, `CLONE_NEWNET`; `CLONE_NEWTIME` is clone3's only).
const CLONE_NAMESPACES: u32 =
    0x0002_0000 | 0x0200_0000 | 0x0400_0000 | 0x0800_0000 | 0x1000_0000 | 0x2000_0000 | 0x4000_0000;
const PR_CAPBSET_DROP: u32 = 24;
/// `S_ISUID | S_ISGID`.
const SET_ID: u32 = 0o6000;
/// Terminal requests no app gets: `TIOCSTI` (type into the terminal's input), `TIOCSCTTY`
/// (take a terminal as controlling terminal: the sandbox's session has none, and taking the
/// caller's would make `TIOCSTI` and job control reach the host's shell) and `TIOCLINUX`.
const TIOCSTI: u32 = 0x5412;
const TIOCSCTTY: u32 = 0x540E;
const TIOCLINUX: u32 = 0x541C;
const PR_SET_MM: u32 = 35;

/// The socket families an app gets: `AF_UNIX`, `AF_INET`, `AF_INET6`, `AF_NETLINK` (routes
/// and addresses, for `getifaddrs`). Every other fails with `EAFNOSUPPORT`: `AF_VSOCK` reaches
/// the hypervisor's host whatever the network namespace (an app without INTERNET would have a
/// network after all), and the rest (`AF_ALG`, `AF_KEY`, `AF_RDS`, `AF_TIPC`, `AF_PACKET`, …)
/// are kernel attack surface that Android's SELinux policy keeps from apps too.
const SOCKET_FAMILIES: &[u32] = &[1, 2, 10, 16];
const OTHER_SOCKET_FAMILIES: RefusedArgument = RefusedArgument {
    index: 0,
    test: ArgumentTest::NoneOf(SOCKET_FAMILIES),
    refusal: Refusal::Eafnosupport,
};
const SOCKET_FAMILY_NOTE: &str = "sockets, in the sandbox's network namespace: a private one (loopback only) unless the app holds INTERNET; only AF_UNIX, AF_INET, AF_INET6 and AF_NETLINK (others fail with EAFNOSUPPORT: AF_VSOCK would reach the hypervisor's host from any namespace)";

const fn refuse(index: u8, test: ArgumentTest) -> RefusedArgument {
    RefusedArgument {
        index,
        test,
        refusal: Refusal::Eperm,
    }
}

const fn translate(name: &'static str, handler: Handler, level: Level, note: &'static str) -> Row {
    Row {
        name,
        fate: Fate::Translate,
        level,
        handler: Some(handler),
        implemented: false,
        note,
        refused: &[],
        native_when: &[],
    }
}

/// A path call, resolved in the app's file namespace by `vfs`.
const fn path(name: &'static str) -> Row {
    translate(name, Handler::Vfs, Level::Full, PATH)
}

/// `AT_EMPTY_PATH`: the call is about the fd itself, whatever the path says.
const AT_EMPTY_PATH: u32 = 0x1000;

/// A path call that also has an fd-only form (`AT_EMPTY_PATH` in argument `flags`): that form
/// runs natively, as `fstat` on an fd the app holds does. Should a guest set the flag with a
/// non-empty path, the kernel resolves that path in the sandbox's mount namespace, which confines
/// it as it confines every other native call; only vfs's telemetry misses it.
const fn path_or_fd(name: &'static str, flags: u8) -> Row {
    Row {
        native_when: match flags {
            2 => &[NativeArgument {
                index: 2,
                test: ArgumentTest::AnyBit(AT_EMPTY_PATH),
            }],
            _ => &[NativeArgument {
                index: 3,
                test: ArgumentTest::AnyBit(AT_EMPTY_PATH),
            }],
        },
        ..path(name)
    }
}

/// A credential change, kept in the guest process table by `procmgr`.
const fn credential(name: &'static str) -> Row {
    translate(name, Handler::Procmgr, Level::Full, CREDENTIALS)
}

const fn deny(name: &'static str, note: &'static str) -> Row {
    Row {
        name,
        fate: Fate::Deny,
        level: Level::None,
        handler: None,
        implemented: false,
        note,
        refused: &[],
        native_when: &[],
    }
}

const FD: &str = "I/O on an fd the app already holds (vfs hands out real fds)";
const MEMORY: &str = "memory management of the app's own address space";
const TIME: &str = "time reads, sleeps and timers";
const SIGNALS: &str = "signals; the pid namespace keeps them inside the app";
const IDENTITY: &str = "identity, answered in guest terms by the user and pid namespaces";
const SCHED: &str = "scheduling of the app's own threads";
const SOCKETS: &str = "sockets, in the sandbox's network namespace: a private one (loopback only) unless the app holds INTERNET";
const UNIX_ADDRESSES: &str = "AF_UNIX paths resolve in the sandbox's mount namespace (the app's tree), abstract names and AF_INET* in its network namespace (private, loopback only, unless the app holds INTERNET); abstract sockets bound outside the sandbox are out of reach (Landlock scope, Linux 6.12+)";
const MQUEUE: &str = "POSIX message queues, confined by the ipc namespace";
const PATH: &str = "path call: the path is resolved in the app's file namespace by vfs";
const CREDENTIALS: &str = "as on Android, an app can only set ids it has: the kernel holds it to them (one uid and gid mapped, no capabilities, setgroups denied), procmgr reads them back";
const EXEC: &str = "the kernel loads the image from the sandbox's mount namespace and keeps the filter on it; no_new_privs makes set-id bits inert";
const PROCESS: &str =
    "runs natively inside the app's pid namespace; namespace flags (CLONE_NEW*) are refused (EPERM)";
const FORK: &str = "runs natively inside the app's pid namespace; procmgr learns of the child";
pub(crate) const OBSOLETE: &str = "obsolete: bionic never calls it and current kernels lack or stub it";
const SYSV_IPC: &str = "System V IPC: Android has none (no bionic wrappers, blocked by its app policy)";
const MODULES: &str = "kernel modules: changes the host kernel";
const MOUNTS: &str = "mount manipulation: the file namespace is vfs's, not the app's";
const NAMESPACES: &str = "namespace manipulation: the sandbox's namespaces are fixed at launch";
const CLOCK_SET: &str = "sets or tunes the host clock";
const KEYS: &str = "kernel keyrings: not part of Android's app interface";
const OTHER_PROCESS: &str = "reaches into another process (ptrace access): reserved for the supervisor";
const HARDWARE: &str = "direct hardware access";
const ADMIN: &str = "host administration (needs capabilities no app has)";

pub(crate) static TABLE: &[Row] = &[
    pass("_llseek", FD),
    pass("_newselect", FD),
    deny("_sysctl", "removed from Linux 5.5; ENOSYS everywhere"),
    pass("accept", SOCKETS),
    pass("accept4", SOCKETS),
    path("access"),
    deny("acct", ADMIN),
    deny("add_key", KEYS),
    deny(
        "adjtimex",
        "tunes the host clock (even a read-only call is refused: the mode is in memory)",
    ),
    deny("afs_syscall", OBSOLETE),
    pass("alarm", TIME),
    pass(
        "arch_prctl",
        "x86-64 thread pointer (ARCH_SET_FS), needed by every thread",
    ),
    pass("arm_fadvise64_64", FD),
    pass("arm_sync_file_range", FD),
    deny("bdflush", OBSOLETE),
    pass("bind", UNIX_ADDRESSES),
    deny(
        "bpf",
        "eBPF programs run in the host kernel; Android's app policy blocks it too",
    ),
    deny("break", OBSOLETE),
    pass(
        "breakpoint",
        "ARM private call: software breakpoint (SIGTRAP) for debuggers",
    ),
    pass("brk", MEMORY),
    pass(
        "cacheflush",
        "ARM private call: instruction-cache flush, needed by JITs",
    ),
    pass("capget", IDENTITY),
    pass(
        "capset",
        "capabilities of the app's own user namespace; can only be reduced",
    ),
    pass(
        "chdir",
        "the kernel keeps each task's working directory; the sandbox's pivoted mount namespace confines it",
    ),
    path("chmod"),
    path("chown"),
    path("chown32"),
    deny("chroot", NAMESPACES),
    deny("clock_adjtime", CLOCK_SET),
    deny("clock_adjtime64", CLOCK_SET),
    pass("clock_getres", TIME),
    pass("clock_getres_time64", TIME),
    pass("clock_gettime", TIME),
    pass("clock_gettime64", TIME),
    pass("clock_nanosleep", TIME),
    pass("clock_nanosleep_time64", TIME),
    deny("clock_settime", CLOCK_SET),
    deny("clock_settime64", CLOCK_SET),
    pass_partly(
        "clone",
        PROCESS,
        &[refuse(0, ArgumentTest::AnyBit(CLONE_NAMESPACES))],
    ),
    deny(
        "clone3",
        "its flags are in memory, which a seccomp filter cannot inspect; ENOSYS makes libcs fall back to clone",
    ),
    pass("close", FD),
    pass("close_range", FD),
    pass("connect", UNIX_ADDRESSES),
    pass("copy_file_range", FD),
    path("creat"),
    deny("create_module", OBSOLETE),
    deny("delete_module", MODULES),
    pass("dup", FD),
    pass("dup2", FD),
    pass("dup3", FD),
    pass("epoll_create", FD),
    pass("epoll_create1", FD),
    pass("epoll_ctl", FD),
    deny("epoll_ctl_old", OBSOLETE),
    pass("epoll_pwait", FD),
    pass("epoll_pwait2", FD),
    pass("epoll_wait", FD),
    deny("epoll_wait_old", OBSOLETE),
    pass("eventfd", FD),
    pass("eventfd2", FD),
    pass("execve", EXEC),
    pass("execveat", EXEC),
    pass("exit", "ends the calling thread"),
    pass(
        "exit_group",
        "ends the process; procmgr sees it through its pidfd",
    ),
    path("faccessat"),
    path("faccessat2"),
    pass("fadvise64", FD),
    pass("fadvise64_64", FD),
    pass("fallocate", FD),
    deny("fanotify_init", "filesystem-wide monitoring: needs CAP_SYS_ADMIN"),
    deny("fanotify_mark", "filesystem-wide monitoring: needs CAP_SYS_ADMIN"),
    pass("fchdir", FD),
    pass_partly(
        "fchmod",
        "runs natively on the fd the app holds; a mode with the set-user-id or set-group-id bit is refused (EPERM): the app's files are the host's, and a set-id file there would run as their host owner",
        &[refuse(1, ArgumentTest::AnyBit(SET_ID))],
    ),
    path("fchmodat"),
    pass("fchown", FD),
    pass("fchown32", FD),
    path("fchownat"),
    pass("fcntl", FD),
    pass("fcntl64", FD),
    pass("fdatasync", FD),
    pass("fgetxattr", FD),
    deny("finit_module", MODULES),
    pass("flistxattr", FD),
    pass("flock", FD),
    pass("fork", FORK),
    pass("fremovexattr", FD),
    deny("fsconfig", MOUNTS),
    pass("fsetxattr", FD),
    deny("fsmount", MOUNTS),
    deny("fsopen", MOUNTS),
    deny("fspick", MOUNTS),
    pass("fstat", FD),
    pass("fstat64", FD),
    path_or_fd("fstatat64", 3),
    pass("fstatfs", FD),
    pass("fstatfs64", FD),
    pass("fsync", FD),
    deny("ftime", OBSOLETE),
    pass("ftruncate", FD),
    pass("ftruncate64", FD),
    pass("futex", "futexes: the heart of every lock and condition variable"),
    pass(
        "futex_time64",
        "futexes: the heart of every lock and condition variable",
    ),
    pass(
        "futex_waitv",
        "futexes: the heart of every lock and condition variable",
    ),
    path("futimesat"),
    deny("get_kernel_syms", OBSOLETE),
    pass("get_mempolicy", MEMORY),
    pass("get_robust_list", "robust futex list of a thread"),
    pass("get_thread_area", "x86 thread-local storage"),
    pass("get_tls", "ARM private call: reads the thread pointer"),
    pass("getcpu", SCHED),
    pass(
        "getcwd",
        "the sandbox's root is the guest's, so the kernel's answer is already the guest path",
    ),
    pass("getdents", FD),
    pass("getdents64", FD),
    pass("getegid", IDENTITY),
    pass("getegid32", IDENTITY),
    pass("geteuid", IDENTITY),
    pass("geteuid32", IDENTITY),
    pass("getgid", IDENTITY),
    pass("getgid32", IDENTITY),
    pass("getgroups", IDENTITY),
    pass("getgroups32", IDENTITY),
    pass("getitimer", TIME),
    pass("getpeername", SOCKETS),
    pass("getpgid", IDENTITY),
    pass("getpgrp", IDENTITY),
    pass("getpid", IDENTITY),
    deny("getpmsg", OBSOLETE),
    pass("getppid", IDENTITY),
    pass("getpriority", SCHED),
    pass("getrandom", "kernel randomness"),
    pass("getresgid", IDENTITY),
    pass("getresgid32", IDENTITY),
    pass("getresuid", IDENTITY),
    pass("getresuid32", IDENTITY),
    pass("getrlimit", "resource limits of the app's own processes"),
    pass("getrusage", "resource usage of the app's own processes"),
    pass("getsid", IDENTITY),
    pass("getsockname", SOCKETS),
    pass("getsockopt", SOCKETS),
    pass("gettid", IDENTITY),
    pass("gettimeofday", TIME),
    pass("getuid", IDENTITY),
    pass("getuid32", IDENTITY),
    path("getxattr"),
    deny("gtty", OBSOLETE),
    deny("idle", OBSOLETE),
    deny("init_module", MODULES),
    path("inotify_add_watch"),
    pass("inotify_init", FD),
    pass("inotify_init1", FD),
    pass("inotify_rm_watch", FD),
    pass("io_cancel", FD),
    pass("io_destroy", FD),
    pass("io_getevents", FD),
    pass("io_pgetevents", FD),
    pass("io_pgetevents_time64", FD),
    pass("io_setup", FD),
    pass("io_submit", FD),
    deny(
        "io_uring_enter",
        "io_uring: its operations bypass seccomp entirely; Android's app policy blocks it too",
    ),
    deny(
        "io_uring_register",
        "io_uring: its operations bypass seccomp entirely; Android's app policy blocks it too",
    ),
    deny(
        "io_uring_setup",
        "io_uring: its operations bypass seccomp entirely; Android's app policy blocks it too",
    ),
    Row {
        refused: &[
            refuse(1, ArgumentTest::Equals(TIOCSTI)),
            refuse(1, ArgumentTest::Equals(TIOCSCTTY)),
            refuse(1, ArgumentTest::Equals(TIOCLINUX)),
        ],
        // The request's type byte (bits 8 to 15) is 'b' for every Binder ioctl.
        native_when: &[NativeArgument {
            index: 1,
            test: ArgumentTest::MaskedDiffers {
                mask: 0xff00,
                value: 0x6200,
            },
        }],
        ..translate(
            "ioctl",
            Handler::Devices,
            Level::Partial,
            "requests of Binder's type ('b') are notified for the Binder shim; every other \
             request runs natively on the fd the app holds, but TIOCSTI, TIOCSCTTY and TIOCLINUX, \
             which are refused (EPERM): a terminal handed in must not become the app's to type into",
        )
    },
    deny("ioperm", HARDWARE),
    deny("iopl", HARDWARE),
    pass("ioprio_get", SCHED),
    pass("ioprio_set", SCHED),
    deny("ipc", SYSV_IPC),
    pass(
        "kcmp",
        "compares kernel objects of processes inside the app's pid namespace",
    ),
    deny("kexec_file_load", "loads a new host kernel"),
    deny("kexec_load", "loads a new host kernel"),
    deny("keyctl", KEYS),
    pass("kill", SIGNALS),
    pass(
        "landlock_add_rule",
        "unprivileged self-sandboxing: can only restrict the app further",
    ),
    pass(
        "landlock_create_ruleset",
        "unprivileged self-sandboxing: can only restrict the app further",
    ),
    pass(
        "landlock_restrict_self",
        "unprivileged self-sandboxing: can only restrict the app further",
    ),
    path("lchown"),
    path("lchown32"),
    path("lgetxattr"),
    path("link"),
    path("linkat"),
    pass("listen", SOCKETS),
    path("listxattr"),
    path("llistxattr"),
    deny("lock", OBSOLETE),
    deny("lookup_dcookie", "profiling support: needs CAP_SYS_ADMIN"),
    path("lremovexattr"),
    pass("lseek", FD),
    path("lsetxattr"),
    path("lstat"),
    path("lstat64"),
    pass("madvise", MEMORY),
    pass("mbind", MEMORY),
    pass("membarrier", MEMORY),
    pass("memfd_create", "anonymous memory files: the app's own"),
    pass("memfd_secret", "anonymous memory files: the app's own"),
    pass(
        "migrate_pages",
        "NUMA placement of processes inside the app's pid namespace",
    ),
    pass("mincore", MEMORY),
    path("mkdir"),
    path("mkdirat"),
    translate(
        "mknod",
        Handler::Vfs,
        Level::Partial,
        "FIFOs and sockets are created by vfs; device nodes fail with EPERM, as on Android",
    ),
    translate(
        "mknodat",
        Handler::Vfs,
        Level::Partial,
        "FIFOs and sockets are created by vfs; device nodes fail with EPERM, as on Android",
    ),
    pass("mlock", MEMORY),
    pass("mlock2", MEMORY),
    pass("mlockall", MEMORY),
    pass("mmap", MEMORY),
    pass("mmap2", MEMORY),
    deny("modify_ldt", "x86 local descriptor table: bionic does not use it"),
    deny("mount", MOUNTS),
    deny("mount_setattr", MOUNTS),
    deny("move_mount", MOUNTS),
    pass(
        "move_pages",
        "NUMA placement of processes inside the app's pid namespace",
    ),
    pass("mprotect", MEMORY),
    deny("mpx", OBSOLETE),
    pass("mq_getsetattr", MQUEUE),
    pass("mq_notify", MQUEUE),
    pass("mq_open", MQUEUE),
    pass("mq_timedreceive", MQUEUE),
    pass("mq_timedreceive_time64", MQUEUE),
    pass("mq_timedsend", MQUEUE),
    pass("mq_timedsend_time64", MQUEUE),
    pass("mq_unlink", MQUEUE),
    pass("mremap", MEMORY),
    deny("msgctl", SYSV_IPC),
    deny("msgget", SYSV_IPC),
    deny("msgrcv", SYSV_IPC),
    deny("msgsnd", SYSV_IPC),
    pass("msync", MEMORY),
    pass("munlock", MEMORY),
    pass("munlockall", MEMORY),
    pass("munmap", MEMORY),
    deny(
        "name_to_handle_at",
        "file handles bypass path resolution, and so vfs",
    ),
    pass("nanosleep", TIME),
    path_or_fd("newfstatat", 3),
    deny("nfsservctl", OBSOLETE),
    pass("nice", SCHED),
    deny("oldfstat", OBSOLETE),
    deny("oldlstat", OBSOLETE),
    deny("oldolduname", OBSOLETE),
    deny("oldstat", OBSOLETE),
    deny("olduname", OBSOLETE),
    path("open"),
    deny(
        "open_by_handle_at",
        "file handles bypass path resolution, and so vfs",
    ),
    deny("open_tree", MOUNTS),
    path("openat"),
    path("openat2"),
    pass("pause", TIME),
    deny("pciconfig_iobase", HARDWARE),
    deny("pciconfig_read", HARDWARE),
    deny("pciconfig_write", HARDWARE),
    deny(
        "perf_event_open",
        "performance counters: a kernel attack surface Android closes to apps",
    ),
    pass("personality", "execution domain of the app's own process"),
    deny("pidfd_getfd", OTHER_PROCESS),
    pass("pidfd_open", SIGNALS),
    pass("pidfd_send_signal", SIGNALS),
    pass("pipe", FD),
    pass("pipe2", FD),
    deny("pivot_root", NAMESPACES),
    pass("pkey_alloc", MEMORY),
    pass("pkey_free", MEMORY),
    pass("pkey_mprotect", MEMORY),
    pass("poll", FD),
    pass("ppoll", FD),
    pass("ppoll_time64", FD),
    pass_partly(
        "prctl",
        "per-process options run natively; PR_SET_MM and PR_CAPBSET_DROP are refused (EPERM)",
        &[
            refuse(0, ArgumentTest::Equals(PR_SET_MM)),
            refuse(0, ArgumentTest::Equals(PR_CAPBSET_DROP)),
        ],
    ),
    pass("pread64", FD),
    pass("preadv", FD),
    pass("preadv2", FD),
    pass(
        "prlimit64",
        "resource limits of processes inside the app's pid namespace",
    ),
    deny("process_madvise", OTHER_PROCESS),
    deny("process_mrelease", OTHER_PROCESS),
    deny("process_vm_readv", OTHER_PROCESS),
    deny("process_vm_writev", OTHER_PROCESS),
    deny("prof", OBSOLETE),
    deny("profil", OBSOLETE),
    pass("pselect6", FD),
    pass("pselect6_time64", FD),
    deny(
        "ptrace",
        "tracing is reserved for the supervisor; even PTRACE_TRACEME fails with EPERM, which \
         anti-debugging code may take for a debugger",
    ),
    deny("putpmsg", OBSOLETE),
    pass("pwrite64", FD),
    pass("pwritev", FD),
    pass("pwritev2", FD),
    deny("query_module", OBSOLETE),
    deny("quotactl", ADMIN),
    deny("quotactl_fd", ADMIN),
    pass("read", FD),
    pass("readahead", FD),
    deny("readdir", OBSOLETE),
    translate(
        "readlink",
        Handler::Vfs,
        Level::Full,
        "path call; links into the host (/proc/self/exe, /proc/self/fd/*) read back as guest paths",
    ),
    translate(
        "readlinkat",
        Handler::Vfs,
        Level::Full,
        "path call; links into the host (/proc/self/exe, /proc/self/fd/*) read back as guest paths",
    ),
    pass("readv", FD),
    deny("reboot", "reboots or halts the host"),
    pass("recv", SOCKETS),
    pass("recvfrom", SOCKETS),
    pass("recvmmsg", SOCKETS),
    pass("recvmmsg_time64", SOCKETS),
    pass("recvmsg", SOCKETS),
    pass("remap_file_pages", MEMORY),
    path("removexattr"),
    path("rename"),
    path("renameat"),
    path("renameat2"),
    deny("request_key", KEYS),
    pass("restart_syscall", "resumes a call interrupted by a signal"),
    path("rmdir"),
    pass("rseq", "restartable sequences of the app's own threads"),
    pass("rt_sigaction", SIGNALS),
    pass("rt_sigpending", SIGNALS),
    pass("rt_sigprocmask", SIGNALS),
    pass("rt_sigqueueinfo", SIGNALS),
    pass("rt_sigreturn", SIGNALS),
    pass("rt_sigsuspend", SIGNALS),
    pass("rt_sigtimedwait", SIGNALS),
    pass("rt_sigtimedwait_time64", SIGNALS),
    pass("rt_tgsigqueueinfo", SIGNALS),
    pass("sched_get_priority_max", SCHED),
    pass("sched_get_priority_min", SCHED),
    pass("sched_getaffinity", SCHED),
    pass("sched_getattr", SCHED),
    pass("sched_getparam", SCHED),
    pass("sched_getscheduler", SCHED),
    pass("sched_rr_get_interval", SCHED),
    pass("sched_rr_get_interval_time64", SCHED),
    pass("sched_setaffinity", SCHED),
    pass("sched_setattr", SCHED),
    pass("sched_setparam", SCHED),
    pass("sched_setscheduler", SCHED),
    pass("sched_yield", SCHED),
    pass(
        "seccomp",
        "the app's own filters stack on the bridge's and can only restrict further",
    ),
    deny("security", OBSOLETE),
    pass("select", FD),
    deny("semctl", SYSV_IPC),
    deny("semget", SYSV_IPC),
    deny("semop", SYSV_IPC),
    deny("semtimedop", SYSV_IPC),
    deny("semtimedop_time64", SYSV_IPC),
    pass("send", SOCKETS),
    pass("sendfile", FD),
    pass("sendfile64", FD),
    pass("sendmmsg", SOCKETS),
    pass("sendmsg", SOCKETS),
    pass("sendto", SOCKETS),
    pass("set_mempolicy", MEMORY),
    pass("set_mempolicy_home_node", MEMORY),
    pass("set_robust_list", "robust futex list of a thread"),
    pass("set_thread_area", "x86 thread-local storage"),
    pass("set_tid_address", "thread id address, set by every new thread"),
    pass(
        "set_tls",
        "ARM private call: sets the thread pointer, needed by every thread",
    ),
    deny(
        "setdomainname",
        "Android apps cannot set it (EPERM); the uts namespace would confine it anyway",
    ),
    credential("setfsgid"),
    credential("setfsgid32"),
    credential("setfsuid"),
    credential("setfsuid32"),
    credential("setgid"),
    credential("setgid32"),
    credential("setgroups"),
    credential("setgroups32"),
    deny(
        "sethostname",
        "Android apps cannot set it (EPERM); the uts namespace would confine it anyway",
    ),
    pass("setitimer", TIME),
    deny("setns", NAMESPACES),
    pass("setpgid", IDENTITY),
    pass("setpriority", SCHED),
    credential("setregid"),
    credential("setregid32"),
    credential("setresgid"),
    credential("setresgid32"),
    credential("setresuid"),
    credential("setresuid32"),
    credential("setreuid"),
    credential("setreuid32"),
    pass("setrlimit", "resource limits of the app's own processes"),
    pass("setsid", IDENTITY),
    pass("setsockopt", SOCKETS),
    deny("settimeofday", CLOCK_SET),
    credential("setuid"),
    credential("setuid32"),
    path("setxattr"),
    deny("sgetmask", OBSOLETE),
    deny("shmat", SYSV_IPC),
    deny("shmctl", SYSV_IPC),
    deny("shmdt", SYSV_IPC),
    deny("shmget", SYSV_IPC),
    pass("shutdown", SOCKETS),
    pass("sigaction", SIGNALS),
    pass("sigaltstack", SIGNALS),
    deny("signal", OBSOLETE),
    pass("signalfd", SIGNALS),
    pass("signalfd4", SIGNALS),
    pass("sigpending", SIGNALS),
    pass("sigprocmask", SIGNALS),
    pass("sigreturn", SIGNALS),
    pass("sigsuspend", SIGNALS),
    pass_partly("socket", SOCKET_FAMILY_NOTE, &[OTHER_SOCKET_FAMILIES]),
    translate(
        "socketcall",
        Handler::Vfs,
        Level::Partial,
        "the i386 socket multiplexer: its bind and connect go to vfs like the direct calls, the \
         rest to the host stack",
    ),
    pass_partly("socketpair", SOCKET_FAMILY_NOTE, &[OTHER_SOCKET_FAMILIES]),
    pass("splice", FD),
    deny("ssetmask", OBSOLETE),
    path("stat"),
    path("stat64"),
    path("statfs"),
    path("statfs64"),
    path_or_fd("statx", 2),
    deny("stime", CLOCK_SET),
    deny("stty", OBSOLETE),
    deny("swapoff", "swap areas: host administration"),
    deny("swapon", "swap areas: host administration"),
    path("symlink"),
    path("symlinkat"),
    pass("sync", "flushes host filesystems: harmless"),
    pass("sync_file_range", FD),
    pass("syncfs", FD),
    deny("sysfs", OBSOLETE),
    pass("sysinfo", "system-wide memory and load figures of the host"),
    deny("syslog", "the kernel log: Android restricts it from apps"),
    pass("tee", FD),
    pass("tgkill", SIGNALS),
    pass("time", TIME),
    pass("timer_create", TIME),
    pass("timer_delete", TIME),
    pass("timer_getoverrun", TIME),
    pass("timer_gettime", TIME),
    pass("timer_gettime64", TIME),
    pass("timer_settime", TIME),
    pass("timer_settime64", TIME),
    pass("timerfd_create", TIME),
    pass("timerfd_gettime", TIME),
    pass("timerfd_gettime64", TIME),
    pass("timerfd_settime", TIME),
    pass("timerfd_settime64", TIME),
    pass("times", "resource usage of the app's own processes"),
    pass("tkill", SIGNALS),
    path("truncate"),
    path("truncate64"),
    deny("tuxcall", OBSOLETE),
    pass("ugetrlimit", "resource limits of the app's own processes"),
    deny("ulimit", OBSOLETE),
    pass("umask", "file-creation mask of the app's own process"),
    deny("umount", MOUNTS),
    deny("umount2", MOUNTS),
    translate(
        "uname",
        Handler::Procmgr,
        Level::Full,
        "the supervisor answers with the target's identity (sysname Linux, a HyperCompat release, \
         version and nodename), never the host kernel's",
    ),
    path("unlink"),
    path("unlinkat"),
    deny("unshare", NAMESPACES),
    deny("uselib", OBSOLETE),
    deny(
        "userfaultfd",
        "off for unprivileged processes on Android kernels; lets a process stall the kernel",
    ),
    deny("usr26", OBSOLETE),
    deny("usr32", OBSOLETE),
    deny("ustat", OBSOLETE),
    path("utime"),
    path("utimensat"),
    path("utimensat_time64"),
    path("utimes"),
    pass("vfork", FORK),
    deny("vhangup", ADMIN),
    deny("vm86", OBSOLETE),
    deny("vm86old", OBSOLETE),
    pass("vmsplice", FD),
    deny("vserver", OBSOLETE),
    pass("wait4", "waits for children inside the app's pid namespace"),
    pass("waitid", "waits for children inside the app's pid namespace"),
    pass("waitpid", "waits for children inside the app's pid namespace"),
    pass("write", FD),
    pass("writev", FD),
];
