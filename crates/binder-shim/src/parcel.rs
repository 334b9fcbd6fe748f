//! Android's `Parcel` wire format, as much of it as a service manager speaks: 32-bit words,
//! `String16` (length in UTF-16 units, the units, a NUL, padded to 4 bytes; -1 for null), the
//! interface token (strict-mode policy, work source, `'SYST'` header, descriptor) and
//! `flat_binder_object`s followed by their stability word, with the offsets of those objects
//! recorded as the driver needs them. All little-endian, as on every Android ABI.

use crate::uapi;

/// libbinder's `'SYST'` interface header (Android 11 and later).
pub const INTERFACE_HEADER: u32 = u32::from_be_bytes(*b"SYST");
/// `IBinder::PING_TRANSACTION` (`'_PNG'`).
pub const PING_TRANSACTION: u32 = u32::from_be_bytes(*b"_PNG");
/// `IBinder::INTERFACE_TRANSACTION` (`'_NTF'`): the reply is the descriptor.
pub const INTERFACE_TRANSACTION: u32 = u32::from_be_bytes(*b"_NTF");
/// `UNKNOWN_TRANSACTION` (`-EBADMSG`), a status-code reply.
pub const UNKNOWN_TRANSACTION: i32 = -libc::EBADMSG;
/// `BAD_TYPE`, a status-code reply.
pub const BAD_TYPE: i32 = i32::MIN + 1;
/// `Stability::Level` of a system binder (Android 12's `Category` level; 0 is undeclared).
pub const STABILITY_SYSTEM: i32 = 0b001100;

/// AIDL's `binder::Status` exception codes.
pub mod exception {
    pub const NONE: i32 = 0;
    pub const SECURITY: i32 = -1;
    pub const ILLEGAL_ARGUMENT: i32 = -3;
    pub const NULL_POINTER: i32 = -4;
    pub const ILLEGAL_STATE: i32 = -5;
    pub const UNSUPPORTED_OPERATION: i32 = -7;
}

/// A binder object as a parcel carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    /// A null binder.
    Null,
    /// A local binder of the sender (`BINDER_TYPE_BINDER`): its pointer and cookie.
    Binder { ptr: u64, cookie: u64 },
    /// A reference (`BINDER_TYPE_HANDLE`).
    Handle(u32),
}

/// A parcel being written: its bytes and the offsets of its objects.
#[derive(Debug, Default, Clone)]
pub struct Writer {
    pub data: Vec<u8>,
    pub offsets: Vec<u64>,
}

impl Writer {
    pub fn new() -> Writer {
        Writer::default()
    }

    pub fn i32(&mut self, value: i32) -> &mut Writer {
        self.data.extend_from_slice(&value.to_le_bytes());
        self
    }

    pub fn bool(&mut self, value: bool) -> &mut Writer {
        self.i32(i32::from(value))
    }

    /// A `String16` (UTF-16 on the wire, whatever `@utf8InCpp` says on either side); `None`
    /// is the null string.
    pub fn string16(&mut self, value: Option<&str>) -> &mut Writer {
        let Some(value) = value else {
            return self.i32(-1);
        };
        let units: Vec<u16> = value.encode_utf16().collect();
        self.i32(units.len() as i32);
        for unit in units.iter().chain(std::iter::once(&0)) {
            self.data.extend_from_slice(&unit.to_le_bytes());
        }
        self.pad();
        self
    }

    /// `String[]`: a count and the strings.
    pub fn strings(&mut self, values: &[String]) -> &mut Writer {
        self.i32(values.len() as i32);
        for value in values {
            self.string16(Some(value));
        }
        self
    }

    /// An interface token as libbinder writes it (Android 11 and later).
    pub fn interface_token(&mut self, descriptor: &str) -> &mut Writer {
        // STRICT_MODE_PENALTY_GATHER, and an unset work source.
        self.i32(0x4000_0000).i32(-1);
        self.data.extend_from_slice(&INTERFACE_HEADER.to_le_bytes());
        self.string16(Some(descriptor))
    }

    /// A binder object and its stability word.
    pub fn object(&mut self, object: Object, stability: i32) -> &mut Writer {
        let (kind, value, cookie) = match object {
            Object::Null => (uapi::TYPE_BINDER, 0, 0),
            Object::Binder { ptr, cookie } => (uapi::TYPE_BINDER, ptr, cookie),
            Object::Handle(handle) => (uapi::TYPE_HANDLE, u64::from(handle), 0),
        };
        if object != Object::Null {
            self.offsets.push(self.data.len() as u64);
        }
        self.data.extend_from_slice(&kind.to_le_bytes());
        let flags = if matches!(object, Object::Binder { .. }) {
            uapi::FLAT_BINDER_FLAG_ACCEPTS_FDS
        } else {
            0
        };
        self.data.extend_from_slice(&flags.to_le_bytes());
        self.data.extend_from_slice(&value.to_le_bytes());
        self.data.extend_from_slice(&cookie.to_le_bytes());
        self.i32(stability)
    }

    /// An AIDL `Status` of success.
    pub fn ok(&mut self) -> &mut Writer {
        self.i32(exception::NONE)
    }

    /// An AIDL `Status` with exception `code` and `message` (and no remote stack trace).
    pub fn exception(&mut self, code: i32, message: &str) -> &mut Writer {
        self.i32(code).string16(Some(message)).i32(0)
    }

    fn pad(&mut self) {
        while !self.data.len().is_multiple_of(4) {
            self.data.push(0);
        }
    }
}

/// Why a parcel could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadError {
    /// It ends before the value.
    Truncated,
    /// A string that is not UTF-16, or a length that makes no sense.
    BadValue,
    /// An object where the offsets array records none, or of an unexpected type.
    BadObject,
    /// The interface token names another interface.
    WrongInterface,
}

/// A parcel being read, with the offsets of the objects the driver placed in it.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    offsets: &'a [u64],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8], offsets: &'a [u64]) -> Reader<'a> {
        Reader {
            data,
            offsets,
            pos: 0,
        }
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], ReadError> {
        let end = self.pos.checked_add(len).ok_or(ReadError::Truncated)?;
        let bytes = self.data.get(self.pos..end).ok_or(ReadError::Truncated)?;
        self.pos = end;
        Ok(bytes)
    }

    pub fn i32(&mut self) -> Result<i32, ReadError> {
        Ok(i32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }

    pub fn bool(&mut self) -> Result<bool, ReadError> {
        Ok(self.i32()? != 0)
    }

    fn u64(&mut self) -> Result<u64, ReadError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }

    /// A `String16`; `None` for the null string.
    pub fn string16(&mut self) -> Result<Option<String>, ReadError> {
        let len = self.i32()?;
        if len == -1 {
            return Ok(None);
        }
        let len = usize::try_from(len).map_err(|_| ReadError::BadValue)?;
        let bytes = len
            .checked_add(1)
            .and_then(|n| n.checked_mul(2))
            .ok_or(ReadError::BadValue)?;
        let raw = self.take(bytes)?;
        let units: Vec<u16> = raw
            .chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        if units[len] != 0 {
            return Err(ReadError::BadValue);
        }
        let padding = (4 - bytes % 4) % 4;
        self.take(padding)?;
        String::from_utf16(&units[..len])
            .map(Some)
            .map_err(|_| ReadError::BadValue)
    }

    /// A non-null `String16`.
    pub fn string(&mut self) -> Result<String, ReadError> {
        self.string16()?.ok_or(ReadError::BadValue)
    }

    /// Checks the interface token for `descriptor`.
    pub fn interface_token(&mut self, descriptor: &str) -> Result<(), ReadError> {
        let _strict_mode = self.i32()?;
        let _work_source = self.i32()?;
        let header = u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes"));
        if header != INTERFACE_HEADER {
            return Err(ReadError::WrongInterface);
        }
        match self.string16()? {
            Some(name) if name == descriptor => Ok(()),
            _ => Err(ReadError::WrongInterface),
        }
    }

    /// A binder object and its stability word. A non-null object must be one the offsets
    /// array records, so that the driver translated it.
    pub fn object(&mut self) -> Result<(Object, i32), ReadError> {
        let at = self.pos as u64;
        let kind = u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes"));
        let _flags = self.take(4)?;
        let value = self.u64()?;
        let cookie = self.u64()?;
        let stability = self.i32()?;
        let object = match kind {
            uapi::TYPE_BINDER | uapi::TYPE_WEAK_BINDER if value == 0 => Object::Null,
            uapi::TYPE_BINDER => Object::Binder { ptr: value, cookie },
            uapi::TYPE_HANDLE => Object::Handle(u32::try_from(value).map_err(|_| ReadError::BadObject)?),
            _ => return Err(ReadError::BadObject),
        };
        if object != Object::Null && !self.offsets.contains(&at) {
            return Err(ReadError::BadObject);
        }
        Ok((object, stability))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back() {
        let mut writer = Writer::new();
        writer
            .interface_token("android.os.IServiceManager")
            .string16(Some("héllo"))
            .string16(None)
            .bool(true)
            .object(Object::Handle(7), STABILITY_SYSTEM)
            .object(Object::Null, 0)
            .strings(&["a".into(), "bc".into()]);
        assert_eq!(writer.data.len() % 4, 0);
        assert_eq!(writer.offsets.len(), 1, "a null object has no offset");
        let mut reader = Reader::new(&writer.data, &writer.offsets);
        reader.interface_token("android.os.IServiceManager").unwrap();
        assert_eq!(reader.string16().unwrap().as_deref(), Some("héllo"));
        assert_eq!(reader.string16().unwrap(), None);
        assert!(reader.bool().unwrap());
        assert_eq!(reader.object().unwrap(), (Object::Handle(7), STABILITY_SYSTEM));
        assert_eq!(reader.object().unwrap(), (Object::Null, 0));
        assert_eq!(reader.i32().unwrap(), 2);
        assert_eq!(reader.string().unwrap(), "a");
        assert_eq!(reader.string().unwrap(), "bc");
        assert_eq!(reader.i32(), Err(ReadError::Truncated));
    }

    #[test]
    fn the_string16_layout_is_androids() {
        let mut writer = Writer::new();
        writer.string16(Some("ab"));
        // Length 2, 'a', 'b', NUL, two bytes of padding.
        assert_eq!(writer.data, [2, 0, 0, 0, b'a', 0, b'b', 0, 0, 0, 0, 0]);
    }

    #[test]
    fn hostile_parcels_fail_cleanly() {
        let mut writer = Writer::new();
        writer.object(Object::Handle(3), 0);
        // An object the offsets array does not record was not translated by the driver.
        assert_eq!(Reader::new(&writer.data, &[]).object(), Err(ReadError::BadObject));
        for bad in [
            &[0xff, 0xff, 0xff, 0x7f][..],
            &[5, 0, 0, 0, b'a', 0],
            &[1, 0, 0, 0, b'a', 0, b'b', 0],
        ] {
            assert!(Reader::new(bad, &[]).string16().is_err(), "{bad:?}");
        }
        let mut wrong = Writer::new();
        wrong.interface_token("other");
        assert_eq!(
            Reader::new(&wrong.data, &[]).interface_token("android.os.IServiceManager"),
            Err(ReadError::WrongInterface)
        );
    }
}
