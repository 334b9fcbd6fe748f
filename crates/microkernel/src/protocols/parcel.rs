//! `parcel`: Binder transactions carried to and from native services by the service manager.

crate::protocol! {
    /// A native service that Binder clients may call implements this on the channels svcmgr
    /// hands it: the Binder service manager (`hyper-compat binder-world --service-manager`)
    /// returns such a service to `getService` as a binder it serves, and turns each
    /// transaction on that binder into a `Transact`. The other way, the service manager
    /// registers every Binder service added to it with svcmgr under the same name (unless a
    /// native service has it) and serves `Transact` on it by calling the Binder service.
    /// Parcels are Android's wire format, without objects (binders and descriptors do not
    /// cross), at most 60 KiB each way.
    protocol "parcel";

    /// One transaction: its code and parcel; the reply parcel. A failure's errno is the
    /// Binder status (`EBADMSG`: unknown transaction).
    method Transact(version 1, call) {
        request TransactRequest {
            /// The transaction code (`FIRST_CALL_TRANSACTION` = 1 for an AIDL interface's
            /// first method).
            code: u32,
            /// The parcel, interface token first.
            data: Vec<u8>,
            /// The caller does not wait for the reply (`FLAG_ONEWAY`).
            one_way: bool,
        } handles [];
        response TransactResponse {
            /// The reply parcel (for AIDL, the status first).
            data: Vec<u8>,
        } handles [];
    }
}

/// Android's `'SYST'` interface header, as its little-endian word appears in a parcel.
pub const INTERFACE_HEADER: [u8; 4] = *b"TSYS";

/// Appends a `String16`: the length in UTF-16 units, the units, a NUL, padding to 4 bytes.
pub fn write_string16(parcel: &mut Vec<u8>, text: &str) {
    let units: Vec<u16> = text.encode_utf16().collect();
    parcel.extend_from_slice(&(units.len() as i32).to_le_bytes());
    parcel.extend(units.iter().chain([&0]).flat_map(|unit| unit.to_le_bytes()));
    parcel.resize(parcel.len().next_multiple_of(4), 0);
}

/// The `String16` at `at`, and where the next value starts; `None` if it is not one.
pub fn read_string16(parcel: &[u8], at: usize) -> Option<(String, usize)> {
    let len = usize::try_from(i32::from_le_bytes(parcel.get(at..at + 4)?.try_into().ok()?)).ok()?;
    let end = at
        .checked_add(4)?
        .checked_add(len.checked_add(1)?.checked_mul(2)?)?;
    let units: Vec<u16> = parcel
        .get(at + 4..end)?
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .collect();
    if units[len] != 0 {
        return None;
    }
    Some((String::from_utf16(&units[..len]).ok()?, end.next_multiple_of(4)))
}

/// Appends the interface token libbinder writes before a call's arguments: the strict-mode
/// word, the work source (unset), the `'SYST'` header and the descriptor.
pub fn write_interface_token(parcel: &mut Vec<u8>, descriptor: &str) {
    parcel.extend_from_slice(&0x4000_0000i32.to_le_bytes());
    parcel.extend_from_slice(&(-1i32).to_le_bytes());
    parcel.extend_from_slice(&INTERFACE_HEADER);
    write_string16(parcel, descriptor);
}

/// The descriptor of the interface token at the start of `parcel`, and where the arguments
/// start; `None` if it is not one.
pub fn read_interface_token(parcel: &[u8]) -> Option<(String, usize)> {
    if parcel.get(8..12)? != INTERFACE_HEADER {
        return None;
    }
    read_string16(parcel, 12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_strings_read_back_and_garbage_does_not() {
        let mut parcel = Vec::new();
        write_interface_token(&mut parcel, "hypercompat.IEcho");
        write_string16(&mut parcel, "héllo");
        let (descriptor, at) = read_interface_token(&parcel).unwrap();
        assert_eq!(descriptor, "hypercompat.IEcho");
        assert_eq!(
            read_string16(&parcel, at),
            Some(("héllo".to_string(), parcel.len()))
        );
        assert_eq!(read_interface_token(&parcel[..20]), None);
        assert_eq!(read_string16(&[0xff, 0xff, 0xff, 0x7f], 0), None);
        assert_eq!(read_string16(&[1, 0, 0, 0, b'a', 0, b'b', 0], 0), None);
        assert_eq!(read_string16(&[], 0), None);
    }
}
