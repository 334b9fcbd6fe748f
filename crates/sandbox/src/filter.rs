//! The bridge's seccomp filter, compiled from the syscall table: one classic-BPF program per
//! architecture (only x86-64 so far).
//!
//! Shape: the architecture check comes first (another audit arch, such as i386 through
//! `int 0x80`, kills the process: its numbers mean other calls), then x32 numbers are notified,
//! then a binary search over the syscall numbers that have a block of their own, and a
//! notification for every other number: translated calls to be emulated, and denied calls,
//! calls outside the table and x32 calls to be refused with their errno *and recorded* by the
//! bridge. A passed row's block allows the call; a pass row with refused arguments (`clone`,
//! `prctl`) gets a block that loads each such argument and notifies the call when a rule holds,
//! then allows; a translated row with native forms (`AT_EMPTY_PATH`, non-Binder `ioctl`) gets
//! a block that allows those and notifies the rest.
//!
//! Since Linux 5.11 the kernel caches, per syscall number, whether the filter always allows
//! it, so plain passed calls skip the filter entirely; the notified, refused and
//! argument-checked calls run it. A linear scan of the ~300 numbers with blocks cost every
//! notified call about 0.23 µs on the development VM, where the whole notification round trip
//! takes 1.5 µs; the search takes about 20 instructions whatever the number.

use syscall_bridge::{Arch, ArgumentTest, Fate, NativeArgument, RefusedArgument};

/// `AUDIT_ARCH_X86_64` (`EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE`).
pub const AUDIT_ARCH_X86_64: u32 = 0xC000_003E;
/// Set in the number of an x32-ABI syscall.
pub const X32_SYSCALL_BIT: u32 = 0x4000_0000;

// Offsets in `struct seccomp_data`.
const DATA_NR: u32 = 0;
const DATA_ARCH: u32 = 4;
/// The low 32 bits of argument `i` are at `DATA_ARGS + 8 * i` (x86-64 is little-endian).
const DATA_ARGS: u32 = 16;

/// What the filter does with one syscall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Runs natively.
    Allow,
    /// Suspended and notified to the supervisor.
    Notify,
    /// The whole process is killed (`SIGSYS`).
    KillProcess,
    /// The thread gets `SIGSYS` (`SECCOMP_RET_TRAP`), which kills the process unless it
    /// handles the signal: what Android's app policy does.
    Trap,
}

impl Action {
    /// The filter's return value.
    pub fn ret(self) -> u32 {
        match self {
            Action::Allow => libc::SECCOMP_RET_ALLOW,
            Action::Notify => libc::SECCOMP_RET_USER_NOTIF,
            Action::KillProcess => libc::SECCOMP_RET_KILL_PROCESS,
            Action::Trap => libc::SECCOMP_RET_TRAP,
        }
    }
}

/// What the filter returns for a syscall number on `arch`, whatever its arguments: pass →
/// allow, everything else → notify. Denied calls, calls outside the table and refused
/// arguments are notified too, so that the bridge answers them with their errno *and records
/// them*; a well-behaved program makes few, so the round trip costs nothing that matters.
pub fn action(arch: Arch, number: u64) -> Action {
    match syscall_bridge::lookup(arch, number) {
        Some(row) if row.fate == Fate::Pass => Action::Allow,
        _ => Action::Notify,
    }
}

/// The compiled x86-64 filter: the instructions `seccomp(SECCOMP_SET_MODE_FILTER)` takes.
pub fn x86_64() -> Vec<libc::sock_filter> {
    let mut numbers: Vec<u32> = syscall_bridge::rows()
        .iter()
        .filter_map(|row| row.numbers().x86_64)
        .collect();
    numbers.sort_unstable();
    let mut program = vec![
        load(DATA_ARCH),
        jump_eq(AUDIT_ARCH_X86_64, 1, 0),
        ret(Action::KillProcess),
        load(DATA_NR),
        // x32 numbers: notified, and refused by the bridge (no row has them).
        jump(libc::BPF_JGE, X32_SYSCALL_BIT, 0, 1),
        ret(Action::Notify),
    ];
    let blocks: Vec<(u32, Vec<libc::sock_filter>)> = numbers
        .into_iter()
        .filter_map(|number| {
            let row = syscall_bridge::lookup(Arch::X86_64, u64::from(number))?;
            let block = if row.fate == Fate::Pass && !row.refused.is_empty() {
                argument_checks(row.refused)
            } else if row.fate == Fate::Translate && !row.native_when.is_empty() {
                let mut block = refusal_checks(row.refused);
                block.extend(native_checks(row.native_when));
                block
            } else if row.fate == Fate::Pass {
                vec![ret(Action::Allow)]
            } else {
                // Notified: the default.
                return None;
            };
            Some((number, block))
        })
        .collect();
    dispatch(&blocks, &mut program);
    program
}

/// Emits a binary search over `blocks` (sorted by number, each ending in a return), with the
/// syscall number in the accumulator: a number's block runs when it has one, and every other
/// number is notified. The last few are compared one by one.
fn dispatch(blocks: &[(u32, Vec<libc::sock_filter>)], program: &mut Vec<libc::sock_filter>) {
    const LINEAR: usize = 4;
    if blocks.len() <= LINEAR {
        for (number, block) in blocks {
            let skip = u8::try_from(block.len()).expect("an argument block fits a BPF jump");
            program.push(jump_eq(*number, 0, skip));
            program.extend_from_slice(block);
        }
        program.push(ret(Action::Notify));
        return;
    }
    let mid = blocks.len() / 2;
    // `nr >= blocks[mid]`: on to the upper half through a long jump over the lower half
    // (conditional jumps reach 255 instructions; `JA` reaches any).
    program.push(jump(libc::BPF_JGE, blocks[mid].0, 0, 1));
    let long_jump = program.len();
    program.push(statement(libc::BPF_JMP | libc::BPF_JA, 0));
    dispatch(&blocks[..mid], program);
    program[long_jump].k = u32::try_from(program.len() - long_jump - 1).expect("a BPF program is short");
    dispatch(&blocks[mid..], program);
}

/// Android's app policy for x86-64 ([`syscall_bridge::android`]): the calls it lists are
/// allowed, every other one raises `SIGSYS`, as on a phone. Installed with the bridge's filter
/// for Android apps; the kernel runs both and the stricter action wins (`TRAP` over
/// `USER_NOTIF` over `ALLOW`), so what Android forbids never reaches the bridge, and what it
/// allows gets the bridge's fate.
///
/// Shape (as bionic's `genseccomp.py` builds it): the allowed numbers merged into ranges, and a
/// balanced binary search over the range boundaries, a dozen instructions deep for ~200 calls.
pub fn android_app_x86_64() -> Vec<libc::sock_filter> {
    // Intervals of the number line, alternately trapped and allowed: `bounds[i]` starts
    // interval `i + 1`; interval 0, from 0, is trapped (the policy allows `read`, 0, so it is
    // empty then, which is harmless).
    let mut bounds: Vec<u32> = Vec::new();
    for number in syscall_bridge::android::allowed_numbers(Arch::X86_64) {
        match bounds.last_mut() {
            // Extends the allowed range that ends at `number`.
            Some(end) if *end == number => *end = number + 1,
            _ => bounds.extend([number, number + 1]),
        }
    }
    let mut program = vec![
        load(DATA_ARCH),
        jump_eq(AUDIT_ARCH_X86_64, 1, 0),
        ret(Action::Trap),
        load(DATA_NR),
    ];
    search(&bounds, 0, bounds.len(), &mut program);
    program
}

/// Emits the search for intervals `lo..=hi` (interval `i` is `bounds[i - 1]..bounds[i]`; even
/// intervals are trapped, odd ones allowed), with the syscall number in the accumulator.
fn search(bounds: &[u32], lo: usize, hi: usize, program: &mut Vec<libc::sock_filter>) {
    if lo == hi {
        program.push(ret(if lo % 2 == 1 { Action::Allow } else { Action::Trap }));
        return;
    }
    let mid = (lo + hi).div_ceil(2);
    // `nr >= bounds[mid - 1]`: on to the upper half through a long jump over the lower half
    // (classic BPF's conditional jumps reach 255 instructions; `JA` reaches any).
    program.push(jump(libc::BPF_JGE, bounds[mid - 1], 0, 1));
    let long_jump = program.len();
    program.push(statement(libc::BPF_JMP | libc::BPF_JA, 0));
    search(bounds, lo, mid - 1, program);
    program[long_jump].k = u32::try_from(program.len() - long_jump - 1).expect("a BPF program is short");
    search(bounds, mid, hi, program);
}

/// Instructions that test argument `index`: they fall through to the next instruction when
/// the test holds and skip it when it does not.
fn test_block(index: u8, test: ArgumentTest) -> Vec<libc::sock_filter> {
    let mut block = vec![load(DATA_ARGS + 8 * u32::from(index))];
    match test {
        ArgumentTest::AnyBit(mask) => block.push(jump(libc::BPF_JSET, mask, 0, 1)),
        ArgumentTest::Equals(value) => block.push(jump_eq(value, 0, 1)),
        ArgumentTest::MaskedDiffers { mask, value } => {
            block.push(statement(libc::BPF_ALU | libc::BPF_AND | libc::BPF_K, mask));
            block.push(jump_eq(value, 1, 0));
        }
        ArgumentTest::NoneOf(values) => {
            // A match jumps past the instruction after the block; none falls through.
            let count = values.len();
            for (i, &value) in values.iter().enumerate() {
                let past = u8::try_from(count - i).expect("a short list");
                block.push(jump_eq(value, past, 0));
            }
        }
    }
    block
}

/// The instructions after a matched number whose row refuses arguments: each rule's test,
/// notifying the call when it holds (the bridge refuses it and records that), then allow.
fn argument_checks(refused: &[RefusedArgument]) -> Vec<libc::sock_filter> {
    let mut block = refusal_checks(refused);
    block.push(ret(Action::Allow));
    block
}

/// Each refused argument's test, notifying the call when it holds; falls through when none
/// does.
fn refusal_checks(refused: &[RefusedArgument]) -> Vec<libc::sock_filter> {
    let mut block = Vec::new();
    for rule in refused {
        block.extend(test_block(rule.index, rule.test));
        block.push(ret(Action::Notify));
    }
    block
}

/// The instructions after a matched translated number with native forms: each test allows
/// the call natively when it holds; otherwise the call is notified.
fn native_checks(native: &[NativeArgument]) -> Vec<libc::sock_filter> {
    let mut block = Vec::new();
    for rule in native {
        block.extend(test_block(rule.index, rule.test));
        block.push(ret(Action::Allow));
    }
    block.push(ret(Action::Notify));
    block
}

fn load(offset: u32) -> libc::sock_filter {
    statement(libc::BPF_LD | libc::BPF_W | libc::BPF_ABS, offset)
}

fn jump_eq(k: u32, jt: u8, jf: u8) -> libc::sock_filter {
    jump(libc::BPF_JEQ, k, jt, jf)
}

fn jump(op: u32, k: u32, jt: u8, jf: u8) -> libc::sock_filter {
    libc::sock_filter {
        code: (libc::BPF_JMP | op | libc::BPF_K) as u16,
        jt,
        jf,
        k,
    }
}

fn ret(action: Action) -> libc::sock_filter {
    statement(libc::BPF_RET | libc::BPF_K, action.ret())
}

fn statement(code: u32, k: u32) -> libc::sock_filter {
    libc::sock_filter {
        code: code as u16,
        jt: 0,
        jf: 0,
        k,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(program: &[libc::sock_filter], arch: u32, nr: u32) -> u32 {
        run_with(program, arch, nr, [0; 6])
    }

    /// Runs the program on one `seccomp_data`, for the instructions [`x86_64`] and
    /// [`android_app_x86_64`] emit.
    fn run_with(program: &[libc::sock_filter], arch: u32, nr: u32, args: [u64; 6]) -> u32 {
        run_counted(program, arch, nr, args).0
    }

    /// The program's return value and the number of instructions it executed.
    fn run_counted(program: &[libc::sock_filter], arch: u32, nr: u32, args: [u64; 6]) -> (u32, usize) {
        let mut pc = 0;
        let mut accumulator = 0;
        let mut executed = 0;
        loop {
            executed += 1;
            let insn = program[pc];
            let code = u32::from(insn.code);
            pc += 1;
            if code == libc::BPF_LD | libc::BPF_W | libc::BPF_ABS {
                accumulator = match insn.k {
                    DATA_NR => nr,
                    DATA_ARCH => arch,
                    offset if offset >= DATA_ARGS && (offset - DATA_ARGS).is_multiple_of(8) => {
                        args[((offset - DATA_ARGS) / 8) as usize] as u32
                    }
                    other => panic!("load of offset {other}"),
                };
            } else if code == libc::BPF_RET | libc::BPF_K {
                return (insn.k, executed);
            } else if code == libc::BPF_ALU | libc::BPF_AND | libc::BPF_K {
                accumulator &= insn.k;
            } else if code == libc::BPF_JMP | libc::BPF_JA {
                pc += insn.k as usize;
            } else {
                let taken = match code & !libc::BPF_JMP & !libc::BPF_K {
                    libc::BPF_JEQ => accumulator == insn.k,
                    libc::BPF_JGE => accumulator >= insn.k,
                    libc::BPF_JSET => accumulator & insn.k != 0,
                    other => panic!("jump op {other:#x}"),
                };
                pc += usize::from(if taken { insn.jt } else { insn.jf });
            }
        }
    }

    #[test]
    fn every_number_gets_the_tables_action() {
        let program = x86_64();
        assert!(program.len() <= usize::from(libc::BPF_MAXINSNS as u16));
        for nr in 0..1024 {
            let by_arguments = syscall_bridge::lookup(Arch::X86_64, u64::from(nr)).is_some_and(|row| {
                !row.native_when.is_empty() || row.refused.iter().any(|rule| rule.test.holds(0))
            });
            if by_arguments {
                // Decided by the arguments too, and all-zero ones decide otherwise (an
                // AF_UNSPEC socket is refused): fd_only_forms_of_path_calls_run_natively,
                // refused_arguments_of_passed_calls_are_notified.
                continue;
            }
            let expected = action(Arch::X86_64, u64::from(nr)).ret();
            assert_eq!(run(&program, AUDIT_ARCH_X86_64, nr), expected, "nr {nr}");
        }
        let ret = |name: &str| {
            let nr = syscall_bridge::by_name(name).unwrap().numbers().x86_64.unwrap();
            run(&program, AUDIT_ARCH_X86_64, nr)
        };
        assert_eq!(ret("read"), libc::SECCOMP_RET_ALLOW);
        assert_eq!(ret("openat"), libc::SECCOMP_RET_USER_NOTIF);
        assert_eq!(ret("uname"), libc::SECCOMP_RET_USER_NOTIF);
        // Denied calls are notified, to be refused and recorded by the bridge.
        assert_eq!(ret("init_module"), libc::SECCOMP_RET_USER_NOTIF);
        assert_eq!(ret("uselib"), libc::SECCOMP_RET_USER_NOTIF);
        // A gap in the x86-64 numbering, and a number beyond it.
        assert_eq!(
            run(&program, AUDIT_ARCH_X86_64, 400),
            libc::SECCOMP_RET_USER_NOTIF
        );
        assert_eq!(
            run(&program, AUDIT_ARCH_X86_64, 100_000),
            libc::SECCOMP_RET_USER_NOTIF
        );
    }

    #[test]
    fn the_search_is_short_for_every_number() {
        let program = x86_64();
        let longest = (0..1024)
            .chain([100_000, X32_SYSCALL_BIT - 1])
            .map(|nr| run_counted(&program, AUDIT_ARCH_X86_64, nr, [0; 6]).1)
            .max()
            .unwrap();
        // The prologue (6), about 2 per level of the search over ~300 numbers (9 levels), the
        // last comparisons (4) and an argument block.
        assert!(longest <= 40, "{longest} instructions for some number");
    }

    #[test]
    fn refused_arguments_of_passed_calls_are_notified() {
        let program = x86_64();
        let nr = |name: &str| syscall_bridge::by_name(name).unwrap().numbers().x86_64.unwrap();
        let eperm = libc::SECCOMP_RET_USER_NOTIF;
        let clone = |flags: i32| {
            let flags = u64::from(flags as u32);
            run_with(&program, AUDIT_ARCH_X86_64, nr("clone"), [flags, 0, 0, 0, 0, 0])
        };
        // fork and pthread_create.
        assert_eq!(clone(libc::SIGCHLD), libc::SECCOMP_RET_ALLOW);
        let thread = libc::CLONE_VM
            | libc::CLONE_FS
            | libc::CLONE_FILES
            | libc::CLONE_SIGHAND
            | libc::CLONE_THREAD
            | libc::CLONE_SYSVSEM
            | libc::CLONE_SETTLS
            | libc::CLONE_PARENT_SETTID
            | libc::CLONE_CHILD_CLEARTID;
        assert_eq!(clone(thread), libc::SECCOMP_RET_ALLOW);
        for namespace in [
            libc::CLONE_NEWNS,
            libc::CLONE_NEWCGROUP,
            libc::CLONE_NEWUTS,
            libc::CLONE_NEWIPC,
            libc::CLONE_NEWUSER,
            libc::CLONE_NEWPID,
            libc::CLONE_NEWNET,
        ] {
            assert_eq!(clone(namespace | libc::SIGCHLD), eperm, "{namespace:#x}");
        }
        let prctl = |option: i32| {
            let option = u64::from(option as u32);
            run_with(&program, AUDIT_ARCH_X86_64, nr("prctl"), [option, 0, 0, 0, 0, 0])
        };
        assert_eq!(prctl(libc::PR_SET_NAME), libc::SECCOMP_RET_ALLOW);
        assert_eq!(prctl(libc::PR_CAPBSET_READ), libc::SECCOMP_RET_ALLOW);
        assert_eq!(prctl(libc::PR_SET_MM), eperm);
        assert_eq!(prctl(libc::PR_CAPBSET_DROP), eperm);
        for call in ["socket", "socketpair"] {
            let socket = |family: i32| {
                let family = u64::from(family as u32);
                run_with(&program, AUDIT_ARCH_X86_64, nr(call), [family, 1, 0, 0, 0, 0])
            };
            for family in [libc::AF_UNIX, libc::AF_INET, libc::AF_INET6, libc::AF_NETLINK] {
                assert_eq!(socket(family), libc::SECCOMP_RET_ALLOW, "{call} {family}");
            }
            for family in [
                0,
                libc::AF_PACKET,
                libc::AF_ALG,
                libc::AF_VSOCK,
                libc::AF_KEY,
                46,
                1000,
            ] {
                assert_eq!(socket(family), eperm, "{call} {family}");
            }
            // The filter reads the low 32 bits, as the kernel's int argument.
            let high = u64::from(libc::AF_UNIX as u32) | 1 << 32;
            assert_eq!(
                run_with(&program, AUDIT_ARCH_X86_64, nr(call), [high, 1, 0, 0, 0, 0]),
                libc::SECCOMP_RET_ALLOW
            );
        }
    }

    #[test]
    fn fd_only_forms_of_path_calls_run_natively() {
        let program = x86_64();
        let nr = |name: &str| syscall_bridge::by_name(name).unwrap().numbers().x86_64.unwrap();
        let empty_path = u64::from(libc::AT_EMPTY_PATH as u32);
        let nofollow = u64::from(libc::AT_SYMLINK_NOFOLLOW as u32);
        // glibc's fstat: newfstatat(fd, "", buf, AT_EMPTY_PATH).
        let fstatat = |flags| {
            run_with(
                &program,
                AUDIT_ARCH_X86_64,
                nr("newfstatat"),
                [3, 0, 0, flags, 0, 0],
            )
        };
        assert_eq!(fstatat(empty_path), libc::SECCOMP_RET_ALLOW);
        assert_eq!(fstatat(empty_path | nofollow), libc::SECCOMP_RET_ALLOW);
        assert_eq!(fstatat(nofollow), libc::SECCOMP_RET_USER_NOTIF);
        assert_eq!(fstatat(0), libc::SECCOMP_RET_USER_NOTIF);
        // statx keeps its flags in argument 2.
        let statx = |flags| {
            run_with(
                &program,
                AUDIT_ARCH_X86_64,
                nr("statx"),
                [3, 0, flags, 0x7ff, 0, 0],
            )
        };
        assert_eq!(statx(empty_path), libc::SECCOMP_RET_ALLOW);
        assert_eq!(statx(0), libc::SECCOMP_RET_USER_NOTIF);
        // ioctl: Binder's type ('b') is notified, every other request runs natively.
        let ioctl =
            |request: u64| run_with(&program, AUDIT_ARCH_X86_64, nr("ioctl"), [3, request, 0, 0, 0, 0]);
        assert_eq!(ioctl(0xc030_6201), libc::SECCOMP_RET_USER_NOTIF); // BINDER_WRITE_READ
        assert_eq!(ioctl(0xc004_6209), libc::SECCOMP_RET_USER_NOTIF); // BINDER_VERSION
        assert_eq!(ioctl(0x5401), libc::SECCOMP_RET_ALLOW); // TCGETS
        assert_eq!(ioctl(0x541b), libc::SECCOMP_RET_ALLOW); // FIONREAD
        assert_eq!(ioctl(0x8004_6601), libc::SECCOMP_RET_ALLOW); // FS_IOC_GETFLAGS
        // Refused terminal requests are notified (and refused there), also with high bits set
        // that the kernel's `unsigned int` request drops.
        assert_eq!(ioctl(0x5412), libc::SECCOMP_RET_USER_NOTIF); // TIOCSTI
        assert_eq!(ioctl(0x1_0000_540e), libc::SECCOMP_RET_USER_NOTIF); // TIOCSCTTY
        assert_eq!(ioctl(0x541c), libc::SECCOMP_RET_USER_NOTIF); // TIOCLINUX
        // fchmod runs natively unless the mode has a set-id bit.
        let fchmod = |mode: u64| run_with(&program, AUDIT_ARCH_X86_64, nr("fchmod"), [3, mode, 0, 0, 0, 0]);
        assert_eq!(fchmod(0o755), libc::SECCOMP_RET_ALLOW);
        assert_eq!(fchmod(0o4755), libc::SECCOMP_RET_USER_NOTIF);
        assert_eq!(fchmod(0o2700), libc::SECCOMP_RET_USER_NOTIF);
        // The flag means nothing to openat: still notified.
        let openat = run_with(
            &program,
            AUDIT_ARCH_X86_64,
            nr("openat"),
            [3, 0, 0, empty_path, 0, 0],
        );
        assert_eq!(openat, libc::SECCOMP_RET_USER_NOTIF);
    }

    #[test]
    fn other_architectures_are_killed_and_x32_notified() {
        let program = x86_64();
        const AUDIT_ARCH_I386: u32 = 0x4000_0003;
        const AUDIT_ARCH_AARCH64: u32 = 0xC000_00B7;
        for arch in [AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64, 0] {
            assert_eq!(run(&program, arch, 0), libc::SECCOMP_RET_KILL_PROCESS);
        }
        // x32 read (0) and getpid (39): ENOSYS, although x86-64's read and getpid pass.
        for nr in [0, 39] {
            assert_eq!(
                run(&program, AUDIT_ARCH_X86_64, X32_SYSCALL_BIT | nr),
                libc::SECCOMP_RET_USER_NOTIF
            );
        }
    }

    #[test]
    fn the_android_policy_allows_exactly_its_list_and_traps_the_rest() {
        let program = android_app_x86_64();
        assert!(program.len() <= usize::from(libc::BPF_MAXINSNS as u16));
        // Every jump lands inside the program, forward.
        for (pc, insn) in program.iter().enumerate() {
            if u32::from(insn.code) & 0x07 == libc::BPF_JMP {
                let reach = if u32::from(insn.code) == libc::BPF_JMP | libc::BPF_JA {
                    insn.k as usize
                } else {
                    usize::from(insn.jt.max(insn.jf))
                };
                assert!(pc + 1 + reach < program.len(), "jump at {pc} leaves the program");
            }
        }
        let allowed = syscall_bridge::android::allowed_numbers(Arch::X86_64);
        let mut seen_allowed = 0;
        for nr in (0..2048).chain([X32_SYSCALL_BIT, X32_SYSCALL_BIT + 1, u32::MAX]) {
            let expected = if allowed.contains(&nr) {
                seen_allowed += 1;
                libc::SECCOMP_RET_ALLOW
            } else {
                libc::SECCOMP_RET_TRAP
            };
            assert_eq!(run(&program, AUDIT_ARCH_X86_64, nr), expected, "syscall {nr}");
        }
        assert_eq!(seen_allowed, allowed.len());
        // By name, what Android's lists say.
        let number = |name| syscall_bridge::by_name(name).unwrap().numbers().x86_64.unwrap();
        for name in ["read", "openat", "open", "futex", "clone3", "setresuid", "ioctl"] {
            assert_eq!(
                run(&program, AUDIT_ARCH_X86_64, number(name)),
                libc::SECCOMP_RET_ALLOW,
                "{name}"
            );
        }
        for name in [
            "setuid",
            "mount",
            "swapon",
            "access",
            "set_robust_list",
            "kexec_load",
        ] {
            assert_eq!(
                run(&program, AUDIT_ARCH_X86_64, number(name)),
                libc::SECCOMP_RET_TRAP,
                "{name}"
            );
        }
        assert_eq!(run(&program, 0x4000_0003, 0), libc::SECCOMP_RET_TRAP, "i386");
    }
}
