//! The identity the sandbox reports to the guest: the target system, never the host kernel.
//!
//! `uname(2)` answers sysname `Linux` (programs test it), a release whose version part is the
//! Linux ABI the bridge emulates (6.1, the UAPI headers the syscall table is generated from) and
//! whose suffix names HyperCompat, a version string naming HyperCompat, the machine of the
//! guest's architecture and the sandbox's host name.

/// `sysname`.
pub const SYSNAME: &str = "Linux";
/// `release`: the emulated Linux ABI, then the runtime.
pub const RELEASE: &str = "6.1.0-hypercompat";
/// `version`.
pub const VERSION: &str = "#1 SMP PREEMPT HyperCompat syscall bridge";
/// `nodename`, also set as the host name of the sandbox's uts namespace.
pub const NODENAME: &str = "hypercompat";
/// `machine` of an x86-64 guest.
pub const MACHINE: &str = "x86_64";
/// `domainname`, as Linux reports an unset one.
pub const DOMAINNAME: &str = "(none)";

/// Length of each field of `struct utsname` (`__NEW_UTS_LEN + 1`).
const FIELD: usize = 65;
/// Size of `struct utsname` (`struct new_utsname`): six fields.
pub const UTSNAME_SIZE: usize = 6 * FIELD;

/// The bytes of `struct utsname` for the target, each field NUL-padded.
pub fn utsname() -> [u8; UTSNAME_SIZE] {
    let mut bytes = [0; UTSNAME_SIZE];
    let fields = [SYSNAME, NODENAME, RELEASE, VERSION, MACHINE, DOMAINNAME];
    for (slot, field) in bytes.chunks_exact_mut(FIELD).zip(fields) {
        slot[..field.len()].copy_from_slice(field.as_bytes());
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utsname_is_the_kernel_layout() {
        assert_eq!(UTSNAME_SIZE, size_of::<libc::utsname>());
        let bytes = utsname();
        assert!(bytes.starts_with(b"Linux\0"));
        assert!(bytes[FIELD..].starts_with(b"hypercompat\0"));
        assert!(bytes[2 * FIELD..].starts_with(b"6.1.0-hypercompat\0"));
        for field in [SYSNAME, RELEASE, VERSION, NODENAME, MACHINE, DOMAINNAME] {
            assert!(field.len() < FIELD, "{field}");
        }
    }
}
