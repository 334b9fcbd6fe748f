//! The wire format (DESIGN.md, "The microkernel"): a fixed 16-byte little-endian header
//! `{ordinal: u64, txid: u32, flags: u16, version: u16}`, then the body as a `postcard`-encoded
//! serde value. A failed call's reply carries an [`ErrorReply`] body instead.
//!
//! Decoding is strict and total: any byte string decodes to a value or a [`WireError`], never a
//! panic; unknown flag bits and bytes after the body are errors, not ignored.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Bytes in a header.
pub const HEADER_LEN: usize = 16;
/// The largest body a channel carries; larger payloads travel in a VMO.
pub const MAX_BODY: usize = 64 * 1024;
/// The most handles one message carries.
pub const MAX_HANDLES: usize = 64;

/// A message header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Header {
    /// The method, `protocol.Method` ([`crate::protocol::ordinal`]).
    pub ordinal: u64,
    /// The transaction a reply answers; 0 for one-way messages, which get no reply.
    pub txid: u32,
    /// [`Header::REPLY`] and [`Header::ERROR`]; other bits are reserved and refused.
    pub flags: u16,
    /// The method's version the body is encoded for.
    pub version: u16,
}

impl Header {
    /// The message answers the request with the same `txid`.
    pub const REPLY: u16 = 1 << 0;
    /// The reply's body is an [`ErrorReply`], not the method's response (only with `REPLY`).
    pub const ERROR: u16 = 1 << 1;
    const KNOWN_FLAGS: u16 = Header::REPLY | Header::ERROR;

    /// A request header (a one-way message when `txid` is 0).
    pub fn request(ordinal: u64, version: u16, txid: u32) -> Header {
        Header {
            ordinal,
            txid,
            flags: 0,
            version,
        }
    }

    /// The header of the reply to this request; `error` marks an [`ErrorReply`] body.
    pub fn reply(&self, error: bool) -> Header {
        Header {
            flags: Header::REPLY | if error { Header::ERROR } else { 0 },
            ..*self
        }
    }

    pub fn is_reply(&self) -> bool {
        self.flags & Header::REPLY != 0
    }

    pub fn is_error(&self) -> bool {
        self.flags & Header::ERROR != 0
    }

    pub fn is_one_way(&self) -> bool {
        self.txid == 0
    }

    /// The 16 bytes on the wire.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut out = [0; HEADER_LEN];
        out[0..8].copy_from_slice(&self.ordinal.to_le_bytes());
        out[8..12].copy_from_slice(&self.txid.to_le_bytes());
        out[12..14].copy_from_slice(&self.flags.to_le_bytes());
        out[14..16].copy_from_slice(&self.version.to_le_bytes());
        out
    }

    /// Splits a message into its header and its body bytes.
    pub fn decode(bytes: &[u8]) -> Result<(Header, &[u8]), WireError> {
        let (head, body) = bytes
            .split_first_chunk::<HEADER_LEN>()
            .ok_or(WireError::ShortHeader { len: bytes.len() })?;
        let [o0, o1, o2, o3, o4, o5, o6, o7, t0, t1, t2, t3, f0, f1, v0, v1] = *head;
        let header = Header {
            ordinal: u64::from_le_bytes([o0, o1, o2, o3, o4, o5, o6, o7]),
            txid: u32::from_le_bytes([t0, t1, t2, t3]),
            flags: u16::from_le_bytes([f0, f1]),
            version: u16::from_le_bytes([v0, v1]),
        };
        if header.flags & !Header::KNOWN_FLAGS != 0 {
            return Err(WireError::UnknownFlags { flags: header.flags });
        }
        if header.is_error() && !header.is_reply() {
            return Err(WireError::UnknownFlags { flags: header.flags });
        }
        Ok((header, body))
    }
}

/// Why a message does not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("message of {len} bytes is shorter than the 16-byte header")]
    ShortHeader { len: usize },
    #[error("header flags {flags:#06x} set reserved bits or ERROR without REPLY")]
    UnknownFlags { flags: u16 },
    #[error("body does not decode: {0}")]
    Body(String),
    #[error("{count} bytes follow the body")]
    TrailingBytes { count: usize },
    #[error("body does not encode: {0}")]
    Encode(String),
    #[error("message carries {found} handles, the method takes {expected}")]
    HandleCount { expected: usize, found: usize },
}

/// Encodes a body.
pub fn encode_body<T: Serialize>(value: &T) -> Result<Vec<u8>, WireError> {
    postcard::to_allocvec(value).map_err(|e| WireError::Encode(e.to_string()))
}

/// Decodes a body, refusing bytes after it (`postcard::from_bytes` alone ignores them).
pub fn decode_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WireError> {
    let (value, rest) = postcard::take_from_bytes(bytes).map_err(|e| WireError::Body(e.to_string()))?;
    if !rest.is_empty() {
        return Err(WireError::TrailingBytes { count: rest.len() });
    }
    Ok(value)
}

/// What kind of failure an [`ErrorReply`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorCode {
    /// No method of the server has the request's ordinal (`ENOSYS`).
    UnknownOrdinal,
    /// The server has the method but not at the request's version (`EPROTONOSUPPORT`).
    UnsupportedVersion,
    /// The body does not decode, or the handles do not match the method (`EINVAL`).
    MalformedRequest,
    /// The method ran and failed; `errno` says how (`ENOENT` from `vfs.Open`, …).
    Failed,
}

impl ErrorCode {
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::UnknownOrdinal => "unknown ordinal",
            ErrorCode::UnsupportedVersion => "unsupported version",
            ErrorCode::MalformedRequest => "malformed request",
            ErrorCode::Failed => "failed",
        }
    }
}

/// The body of an error reply (header flags `REPLY | ERROR`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorReply {
    pub code: ErrorCode,
    /// The Linux errno the translated syscall fails with.
    pub errno: i32,
    /// One line for logs and telemetry.
    pub message: String,
}

impl ErrorReply {
    /// A method's failure with `errno` and a message.
    pub fn failed(errno: rustix::io::Errno, message: impl Into<String>) -> ErrorReply {
        ErrorReply {
            code: ErrorCode::Failed,
            errno: errno.raw_os_error(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ErrorReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (errno {}): {}", self.code.name(), self.errno, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips_little_endian() {
        let header = Header {
            ordinal: 0x0102_0304_0506_0708,
            txid: 0x0a0b_0c0d,
            flags: Header::REPLY | Header::ERROR,
            version: 0x1122,
        };
        let bytes = header.encode();
        assert_eq!(
            bytes,
            [8, 7, 6, 5, 4, 3, 2, 1, 0x0d, 0x0c, 0x0b, 0x0a, 3, 0, 0x22, 0x11]
        );
        let mut message = bytes.to_vec();
        message.extend_from_slice(b"body");
        assert_eq!(Header::decode(&message), Ok((header, &b"body"[..])));
    }

    #[test]
    fn header_refuses_short_input_and_reserved_flags() {
        assert_eq!(Header::decode(&[0; 15]), Err(WireError::ShortHeader { len: 15 }));
        let mut bytes = Header::request(1, 1, 1).encode();
        bytes[12] = 4;
        assert_eq!(Header::decode(&bytes), Err(WireError::UnknownFlags { flags: 4 }));
        bytes[12] = 2;
        assert_eq!(Header::decode(&bytes), Err(WireError::UnknownFlags { flags: 2 }));
    }

    #[test]
    fn postcard_body_round_trips_and_refuses_trailing_bytes() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Sample {
            path: String,
            flags: u32,
            names: Vec<String>,
            mode: Option<u16>,
        }
        let sample = Sample {
            path: "/data/data/com.example/files/a".into(),
            flags: 0o100_002,
            names: vec!["a".into(), "".into()],
            mode: Some(0o644),
        };
        let mut bytes = encode_body(&sample).unwrap();
        assert_eq!(decode_body::<Sample>(&bytes).unwrap(), sample);
        bytes.push(0);
        assert_eq!(
            decode_body::<Sample>(&bytes),
            Err(WireError::TrailingBytes { count: 1 })
        );
        assert!(matches!(
            decode_body::<Sample>(&bytes[..3]),
            Err(WireError::Body(_))
        ));
    }

    #[test]
    fn error_reply_round_trips() {
        let reply = ErrorReply::failed(rustix::io::Errno::NOENT, "no such file: /sdcard/x");
        let bytes = encode_body(&reply).unwrap();
        assert_eq!(decode_body::<ErrorReply>(&bytes).unwrap(), reply);
        assert_eq!(reply.to_string(), "failed (errno 2): no such file: /sdcard/x");
    }
}
