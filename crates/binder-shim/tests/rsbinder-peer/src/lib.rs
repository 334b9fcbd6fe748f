//! The interfaces the two peers share, generated from `aidl/hcpeer/*.aidl`.

include!(concat!(env!("OUT_DIR"), "/peer.rs"));

pub use crate::hcpeer::IPeer::*;
pub use crate::hcpeer::IPeerCallback::*;
pub use crate::hypercompat::IEcho::*;

/// The name the service registers under with the hub.
pub const SERVICE_NAME: &str = "hcpeer.IPeer/default";
/// The name `peer_service --lazy` registers under.
pub const LAZY_SERVICE_NAME: &str = "hcpeer.IPeer/lazy";

/// `len` bytes of a pattern that is not all one value.
pub fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

/// The wrapping byte sum of `pattern(len)`.
pub fn expected_sum(len: usize) -> u8 {
    pattern(len).iter().fold(0u8, |acc, &b| acc.wrapping_add(b))
}
