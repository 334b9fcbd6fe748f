//! The syscall bridge. For now it owns one thing: the syscall table ([`table`]), the single
//! record of what happens to every Linux syscall a legacy app makes on the target — its numbers
//! on each architecture, its fate (pass, translate, deny), which bridge subsystem handles it, the
//! support level the runtime promises and whether that handler exists yet. The sandbox
//! (`crates/sandbox`) compiles its seccomp filter from this table; the analyzer (rule HC5003)
//! and `docs/syscalls.md` read the same table. This crate stays free of dependencies so the
//! analyzer does not pay for the runtime.
//!
//! Syscall numbers are never typed by hand: [`numbers`](crate::numbers) is generated from the
//! Linux UAPI headers by `scripts/gen-syscall-numbers`.

pub mod android;
mod docs;
#[rustfmt::skip]
mod numbers;
mod table;

pub use docs::markdown;

use std::sync::OnceLock;

/// An architecture whose Linux syscall numbering the table records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Arch {
    /// AArch64 (`arm64-v8a`): the asm-generic numbering.
    Aarch64,
    /// 32-bit ARM, EABI (`armeabi-v7a`), including the private `__ARM_NR_*` calls.
    Arm,
    /// x86-64 (`x86_64`), the 64-bit table (not x32).
    X86_64,
    /// i386 (`x86`).
    X86,
}

impl Arch {
    pub const ALL: [Arch; 4] = [Arch::Aarch64, Arch::Arm, Arch::X86_64, Arch::X86];

    /// `aarch64`, `arm`, `x86_64`, `x86`.
    pub fn name(self) -> &'static str {
        match self {
            Arch::Aarch64 => "aarch64",
            Arch::Arm => "arm",
            Arch::X86_64 => "x86_64",
            Arch::X86 => "x86",
        }
    }
}

/// A syscall's number on each architecture; `None` where the architecture lacks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Numbers {
    pub aarch64: Option<u32>,
    pub arm: Option<u32>,
    pub x86_64: Option<u32>,
    pub x86: Option<u32>,
}

impl Numbers {
    pub fn get(&self, arch: Arch) -> Option<u32> {
        match arch {
            Arch::Aarch64 => self.aarch64,
            Arch::Arm => self.arm,
            Arch::X86_64 => self.x86_64,
            Arch::X86 => self.x86,
        }
    }
}

/// What the bridge does with a syscall (DESIGN.md, "The syscall bridge").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fate {
    /// Runs natively on the host kernel, inside the app's namespaces: zero overhead.
    Pass,
    /// Notified to the supervisor and emulated over IPC by [`Row::handler`].
    Translate,
    /// Fails with `ENOSYS`/`EPERM` and a telemetry event.
    Deny,
}

impl Fate {
    pub fn name(self) -> &'static str {
        match self {
            Fate::Pass => "pass",
            Fate::Translate => "translate",
            Fate::Deny => "deny",
        }
    }
}

/// The error a denied call fails with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Refusal {
    /// `ENOSYS`: the call does not exist here (obsolete or removed calls, and calls whose
    /// absence makes libcs fall back to another, such as `clone3`).
    Enosys,
    /// `EPERM`: the call exists but the app may not make it, as an unprivileged Linux or
    /// Android process is refused.
    Eperm,
    /// `EAFNOSUPPORT`: a socket family the sandbox does not offer, as a kernel built without
    /// it answers.
    Eafnosupport,
}

impl Refusal {
    /// The Linux errno value (x86-64, arm and aarch64 share these).
    pub fn errno(self) -> u16 {
        match self {
            Refusal::Enosys => 38,
            Refusal::Eperm => 1,
            Refusal::Eafnosupport => 97,
        }
    }

    /// `ENOSYS`, `EPERM`, `EAFNOSUPPORT`.
    pub fn name(self) -> &'static str {
        match self {
            Refusal::Enosys => "ENOSYS",
            Refusal::Eperm => "EPERM",
            Refusal::Eafnosupport => "EAFNOSUPPORT",
        }
    }
}

/// An argument value for which the filter refuses a passed call. The filter compares the low
/// 32 bits of the argument: the calls with such rules read these arguments as `int` or keep
/// the flags in question below bit 32.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RefusedArgument {
    /// Which argument, 0 to 5.
    pub index: u8,
    pub test: ArgumentTest,
    pub refusal: Refusal,
}

/// When a [`RefusedArgument`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArgumentTest {
    /// Any of these bits is set (`clone`'s namespace flags).
    AnyBit(u32),
    /// The argument is this value (a `prctl` option).
    Equals(u32),
    /// The argument's bits under `mask` differ from `value` (an `ioctl` request of another
    /// type than Binder's).
    MaskedDiffers { mask: u32, value: u32 },
    /// The argument is none of these values (a socket family outside those allowed).
    NoneOf(&'static [u32]),
}

impl ArgumentTest {
    /// Whether the test holds for an argument (its low 32 bits, as the filter compares).
    pub fn holds(self, argument: u64) -> bool {
        let low = argument as u32;
        match self {
            ArgumentTest::AnyBit(mask) => low & mask != 0,
            ArgumentTest::Equals(value) => low == value,
            ArgumentTest::MaskedDiffers { mask, value } => low & mask != value,
            ArgumentTest::NoneOf(values) => !values.contains(&low),
        }
    }
}

/// How much of the call's Linux behaviour the runtime promises: the design target, which holds
/// once the row's handler exists ([`Row::implemented`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Behaves as on Android.
    Full,
    /// Common uses behave as on Android; the note says which do not.
    Partial,
    /// Succeeds or fails plausibly without doing the work (the note says what it returns).
    Stub,
    /// Not supported: the call fails.
    None,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Full => "full",
            Level::Partial => "partial",
            Level::Stub => "stub",
            Level::None => "none",
        }
    }
}

/// The bridge subsystem that emulates a translated call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Handler {
    /// Path and file-namespace calls, answered by the `vfs` server (returns opened fds).
    Vfs,
    /// Processes, credentials and the guest process table, answered by `procmgr`.
    Procmgr,
    /// Device calls on emulated nodes (`ioctl` on `/dev/binder` goes to the Binder shim).
    Devices,
}

impl Handler {
    pub fn name(self) -> &'static str {
        match self {
            Handler::Vfs => "vfs",
            Handler::Procmgr => "procmgr",
            Handler::Devices => "devices",
        }
    }
}

/// One syscall: its policy on the target. Numbers come from the kernel headers
/// ([`Row::numbers`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The kernel's name, as after `__NR_` (`openat`, `_llseek`) or `__ARM_NR_` (`cacheflush`).
    pub name: &'static str,
    pub fate: Fate,
    /// The support level the runtime is designed to give: `full` for pass rows (the host kernel
    /// does the work), `none` for deny rows.
    pub level: Level,
    /// Who emulates a translated call; `None` for pass and deny rows.
    pub handler: Option<Handler>,
    /// Whether the bridge code this row needs exists in this tree, on every architecture.
    /// `false` for every row so far: the sandbox (`crates/sandbox`) enforces the fates on
    /// x86-64 only and emulates only `uname`, so `level` says what is planned, not what runs.
    pub implemented: bool,
    /// Why the row has its fate, and what is partial or stubbed.
    pub note: &'static str,
    /// The arguments for which the filter refuses a passed call (the `partial` pass rows);
    /// empty for every other row.
    pub refused: &'static [RefusedArgument],
    /// For translated rows: argument tests under which the filter lets the call run natively
    /// instead of notifying it (the fd-only `AT_EMPTY_PATH` forms glibc uses for `fstat`);
    /// empty for every other row.
    pub native_when: &'static [NativeArgument],
}

/// An argument test under which a translated call runs natively (see [`Row::native_when`]).
/// Like [`RefusedArgument`], it compares the argument's low 32 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NativeArgument {
    /// Which argument, 0 to 5.
    pub index: u8,
    pub test: ArgumentTest,
}

impl Row {
    /// The call's number on each architecture.
    pub fn numbers(&self) -> Numbers {
        numbers::ALL
            .binary_search_by(|(name, _)| name.cmp(&self.name))
            .map(|i| numbers::ALL[i].1)
            .unwrap_or(Numbers {
                aarch64: None,
                arm: None,
                x86_64: None,
                x86: None,
            })
    }

    /// The error a deny row fails with; `None` for pass and translate rows. Obsolete calls, and
    /// rows whose note promises `ENOSYS`, fail with `ENOSYS`; every other refusal is `EPERM`.
    pub fn refusal(&self) -> Option<Refusal> {
        match self.fate {
            Fate::Deny if self.note == table::OBSOLETE || self.note.contains("ENOSYS") => {
                Some(Refusal::Enosys)
            }
            Fate::Deny => Some(Refusal::Eperm),
            Fate::Pass | Fate::Translate => None,
        }
    }
}

/// Every row, sorted by name.
pub fn rows() -> &'static [Row] {
    table::TABLE
}

/// The row of the syscall with this name.
pub fn by_name(name: &str) -> Option<&'static Row> {
    let rows = table::TABLE;
    rows.binary_search_by(|row| row.name.cmp(name))
        .ok()
        .map(|i| &rows[i])
}

/// The row of the syscall with this number on `arch`; `None` when the number is not a syscall
/// there (the kernel answers `ENOSYS`).
///
/// The bridge asks this for every notification, so the ordinary numbers (below
/// [`DENSE_NUMBERS`]) are answered from a table indexed by number, built on first use; the
/// rest (ARM's private calls at `0xf0000`) by binary search.
pub fn lookup(arch: Arch, number: u64) -> Option<&'static Row> {
    static DENSE: [OnceLock<Vec<Option<&'static Row>>>; Arch::ALL.len()] =
        [const { OnceLock::new() }; Arch::ALL.len()];
    let dense = DENSE[arch as usize].get_or_init(|| (0..DENSE_NUMBERS).map(|n| search(arch, n)).collect());
    match usize::try_from(number).ok().and_then(|n| dense.get(n)) {
        Some(row) => *row,
        None => search(arch, number),
    }
}

/// Numbers below this are looked up in a table of their own (every arch's ordinary calls lie
/// below it: x86-64's end at 547, i386's at 471).
const DENSE_NUMBERS: u64 = 1024;

fn search(arch: Arch, number: u64) -> Option<&'static Row> {
    let number = u32::try_from(number).ok()?;
    let (_, by_number) = numbers::BY_NUMBER.iter().find(|(a, _)| *a == arch)?;
    let i = by_number.binary_search_by_key(&number, |&(n, _)| n).ok()?;
    let (name, _) = numbers::ALL[usize::from(by_number[i].1)];
    by_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_for_each_generated_name_and_nothing_else() {
        let names: Vec<&str> = numbers::ALL.iter().map(|(name, _)| *name).collect();
        let rows: Vec<&str> = table::TABLE.iter().map(|row| row.name).collect();
        for pair in rows.windows(2) {
            assert!(pair[0] < pair[1], "table not sorted or duplicate: {pair:?}");
        }
        let missing: Vec<&&str> = names.iter().filter(|n| !rows.contains(n)).collect();
        let unknown: Vec<&&str> = rows.iter().filter(|n| !names.contains(n)).collect();
        assert!(
            missing.is_empty() && unknown.is_empty(),
            "syscalls without a row: {missing:?}; rows for no syscall: {unknown:?}"
        );
    }

    #[test]
    fn every_number_names_one_row_per_arch() {
        for arch in Arch::ALL {
            let (_, by_number) = numbers::BY_NUMBER.iter().find(|(a, _)| *a == arch).unwrap();
            for pair in by_number.windows(2) {
                assert!(pair[0].0 < pair[1].0, "{arch:?}: number {} twice", pair[1].0);
            }
            // The number index and the by-name list agree both ways.
            for &(number, index) in *by_number {
                assert_eq!(numbers::ALL[usize::from(index)].1.get(arch), Some(number));
            }
            let with_number = numbers::ALL.iter().filter(|(_, n)| n.get(arch).is_some()).count();
            assert_eq!(with_number, by_number.len(), "{arch:?}");
        }
    }

    #[test]
    fn the_dense_table_answers_as_the_search_does() {
        for (i, arch) in Arch::ALL.into_iter().enumerate() {
            assert_eq!(arch as usize, i, "Arch::ALL is in declaration order");
            let beyond = [0xf_0000, 0xf_0005, 0xf_ffff, u64::from(u32::MAX), u64::MAX];
            for number in (0..2 * DENSE_NUMBERS).chain(beyond) {
                assert_eq!(lookup(arch, number), search(arch, number), "{arch:?} {number}");
            }
        }
        // Both sides of the table's edge hold real calls somewhere, or the test proves little.
        assert!(Arch::ALL.iter().any(|&arch| lookup(arch, 0xf_0005).is_some()));
        assert_eq!(lookup(Arch::X86_64, 39).map(|row| row.name), Some("getpid"));
    }

    #[test]
    fn lookup_and_by_name_find_every_row() {
        for row in rows() {
            assert_eq!(by_name(row.name), Some(row));
            let numbers = row.numbers();
            assert!(
                Arch::ALL.iter().any(|&arch| numbers.get(arch).is_some()),
                "{} has no number",
                row.name
            );
            for arch in Arch::ALL {
                if let Some(number) = numbers.get(arch) {
                    assert_eq!(lookup(arch, u64::from(number)), Some(row), "{arch:?} {number}");
                }
            }
        }
        assert_eq!(by_name("no_such_call"), None);
        assert_eq!(lookup(Arch::X86_64, 100_000), None);
        assert_eq!(lookup(Arch::Aarch64, u64::MAX), None);
    }

    #[test]
    fn refusals_follow_the_notes() {
        let refusal = |name| by_name(name).unwrap().refusal();
        assert_eq!(refusal("init_module"), Some(Refusal::Eperm));
        assert_eq!(refusal("kexec_load"), Some(Refusal::Eperm));
        assert_eq!(refusal("sethostname"), Some(Refusal::Eperm));
        assert_eq!(refusal("uselib"), Some(Refusal::Enosys));
        assert_eq!(refusal("_sysctl"), Some(Refusal::Enosys));
        assert_eq!(refusal("clone3"), Some(Refusal::Enosys));
        assert_eq!(refusal("read"), None);
        assert_eq!(refusal("openat"), None);
    }

    #[test]
    fn fate_level_and_handler_agree() {
        for row in rows() {
            match row.fate {
                Fate::Pass => {
                    assert!(row.handler.is_none(), "{row:?}");
                    assert!(matches!(row.level, Level::Full | Level::Partial), "{row:?}");
                }
                Fate::Translate => {
                    assert!(row.handler.is_some(), "{row:?}");
                    assert_ne!(row.level, Level::None, "{row:?}");
                }
                Fate::Deny => {
                    assert!(row.handler.is_none(), "{row:?}");
                    assert_eq!(row.level, Level::None, "{row:?}");
                }
            }
            // Among pass rows, exactly the partial ones refuse arguments; a translated row
            // refuses some only among the forms it runs natively (the filter tests those).
            match row.fate {
                Fate::Pass => assert_eq!(!row.refused.is_empty(), row.level == Level::Partial, "{row:?}"),
                Fate::Translate => assert!(row.refused.is_empty() || !row.native_when.is_empty(), "{row:?}"),
                Fate::Deny => assert!(row.refused.is_empty(), "{row:?}"),
            }
            assert!(row.refused.iter().all(|rule| rule.index < 6), "{row:?}");
            assert!(
                row.native_when.is_empty() || row.fate == Fate::Translate,
                "{row:?}"
            );
            assert!(row.native_when.iter().all(|rule| rule.index < 6), "{row:?}");
            // The filter exists for x86-64 only, so no row is done on every architecture.
            assert!(
                !row.implemented,
                "{row:?} claims an implementation that does not exist"
            );
            assert!(row.note.len() >= 10, "{row:?}: note too short");
        }
    }
}
