//! The table against facts from outside it: well-known Linux syscall numbers (the kernel's
//! `syscall.tbl` files) and the fates DESIGN.md assigns.

use syscall_bridge::{Arch, Fate, Handler, by_name, lookup};

#[test]
fn numbers_are_the_kernel_abi() {
    let name = |arch, number| lookup(arch, number).map(|row| row.name);
    assert_eq!(name(Arch::X86_64, 0), Some("read"));
    assert_eq!(name(Arch::X86_64, 59), Some("execve"));
    assert_eq!(name(Arch::X86_64, 257), Some("openat"));
    assert_eq!(name(Arch::X86, 1), Some("exit"));
    assert_eq!(name(Arch::X86, 102), Some("socketcall"));
    assert_eq!(name(Arch::Aarch64, 56), Some("openat"));
    assert_eq!(name(Arch::Aarch64, 63), Some("read"));
    assert_eq!(name(Arch::Aarch64, 172), Some("getpid"));
    assert_eq!(name(Arch::Arm, 20), Some("getpid"));
    assert_eq!(name(Arch::Arm, 0x0f0002), Some("cacheflush"));
    assert_eq!(name(Arch::Arm, 0x0f0005), Some("set_tls"));
    // asm-generic has no open(2); x86-64 has no socketcall.
    assert!(by_name("open").unwrap().numbers().aarch64.is_none());
    assert_eq!(by_name("socketcall").unwrap().numbers().x86_64, None);
    // Unassigned numbers: a gap in the arm table and beyond every table.
    assert_eq!(name(Arch::Arm, 0x0f0000), None);
    assert_eq!(name(Arch::Aarch64, 244), None);
}

#[test]
fn fates_follow_the_design() {
    let fate = |name: &str| by_name(name).unwrap_or_else(|| panic!("no row {name}")).fate;
    for name in [
        "read",
        "write",
        "mmap",
        "futex",
        "clock_gettime",
        "getpid",
        "getuid",
        "epoll_pwait",
        // The kernel loads images and keeps working directories inside the sandbox's pivoted
        // mount namespace.
        "execve",
        "chdir",
        "getcwd",
    ] {
        assert_eq!(fate(name), Fate::Pass, "{name}");
    }
    for name in ["openat", "stat", "unlinkat", "setresuid", "ioctl", "uname"] {
        assert_eq!(fate(name), Fate::Translate, "{name}");
    }
    for name in [
        "init_module",
        "finit_module",
        "delete_module",
        "mount",
        "unshare",
        "setns",
        "reboot",
        "kexec_load",
        "ptrace",
        "bpf",
        "perf_event_open",
        "keyctl",
        "swapon",
        "clock_settime",
        "settimeofday",
    ] {
        assert_eq!(fate(name), Fate::Deny, "{name}");
    }
    assert_eq!(by_name("ioctl").unwrap().handler, Some(Handler::Devices));
    assert_eq!(by_name("openat").unwrap().handler, Some(Handler::Vfs));
}
