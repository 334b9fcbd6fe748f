//! Protocols: named sets of methods, each with an ordinal, a version, request and response
//! types and the handles that travel with them. [`protocol!`](crate::protocol!) defines them;
//! the same definition yields the Rust types, the [`Method`] impls that the RPC helpers use and
//! the [`Protocol`] description that `docs/protocols.md` and the fuzz target read.
//!
//! **Ordinals** are a stable hash, not a hand-kept constant: FNV-1a (64-bit) of the UTF-8
//! string `protocol.Method` (`vfs.Open`), with the top bit cleared (ordinals with it set are
//! reserved for the transport). Renaming a method changes its ordinal; changing its body does
//! not. A test checks that no two methods share an ordinal.
//!
//! **Versions** number a method's body layout, from 1. A change that old peers cannot decode
//! gets a new version of the same method; a server that still speaks the old layout registers
//! both, and one that does not answers `UnsupportedVersion`.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::handle::HandleKind;
use crate::wire::WireError;

/// The ordinal of `protocol.Method` (see the module docs).
pub const fn ordinal(qualified_name: &str) -> u64 {
    let bytes = qualified_name.as_bytes();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash & !(1 << 63)
}

/// One method of a protocol, as a type: what the RPC helpers are generic over.
pub trait Method {
    /// `vfs`, `svcmgr`, …
    const PROTOCOL: &'static str;
    /// `Open`, `Register`, …
    const NAME: &'static str;
    const ORDINAL: u64;
    const VERSION: u16;
    /// A one-way method is sent with txid 0 and gets no reply; its response type is empty.
    const ONE_WAY: bool;
    /// The handles that travel with a request, in order.
    const REQUEST_HANDLES: &'static [HandleKind];
    /// The handles that travel with a successful response, in order.
    const RESPONSE_HANDLES: &'static [HandleKind];
    type Request: Serialize + DeserializeOwned + std::fmt::Debug;
    type Response: Serialize + DeserializeOwned + std::fmt::Debug;
}

/// A protocol, described: its methods in definition order.
#[derive(Debug)]
pub struct Protocol {
    pub name: &'static str,
    pub doc: &'static str,
    pub methods: &'static [MethodInfo],
}

impl Protocol {
    /// The method with this ordinal and version.
    pub fn method(&self, ordinal: u64, version: u16) -> Option<&'static MethodInfo> {
        self.methods
            .iter()
            .find(|m| m.ordinal == ordinal && m.version == version)
    }
}

/// A method, described.
#[derive(Debug)]
pub struct MethodInfo {
    pub name: &'static str,
    pub ordinal: u64,
    pub version: u16,
    pub one_way: bool,
    pub doc: &'static str,
    pub request: Body,
    pub response: Body,
    /// Decodes a request body of this method and encodes the value again: the canonical
    /// bytes of what was decoded (for the fuzz target and for checks without the types).
    pub canonical_request: fn(&[u8]) -> Result<Vec<u8>, WireError>,
    /// The same for a response body.
    pub canonical_response: fn(&[u8]) -> Result<Vec<u8>, WireError>,
}

/// A request or response: its type name, fields and handles.
#[derive(Debug)]
pub struct Body {
    pub type_name: &'static str,
    pub fields: &'static [Field],
    pub handles: &'static [HandleKind],
}

/// A body field: its name, its Rust type as written and its doc comment.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: &'static str,
    pub doc: &'static str,
}

/// Defines a protocol in the calling module: a request and a response struct per method, a
/// unit struct per method that implements [`Method`], and `pub const PROTOCOL: Protocol`.
/// The structs derive serde's traits, so the calling crate depends on `serde` (with
/// `derive`); field types must be `Eq` (no floats on the wire).
///
/// ```text
/// protocol! {
///     /// What the protocol is for.
///     protocol "svcmgr";
///
///     /// What the method does.
///     method Lookup(version 1, call) {
///         request LookupRequest {
///             /// The service's name.
///             name: String,
///         } handles [];
///         response LookupResponse {} handles [Channel];
///     }
/// }
/// ```
#[macro_export]
macro_rules! protocol {
    (
        $(#[doc = $protocol_doc:literal])*
        protocol $protocol:literal;
        $(
            $(#[doc = $method_doc:literal])*
            method $method:ident (version $version:literal, $kind:ident) {
                request $request:ident {
                    $( $(#[doc = $request_field_doc:literal])* $request_field:ident : $request_type:ty ),* $(,)?
                } handles [$($request_handle:ident),*];
                response $response:ident {
                    $( $(#[doc = $response_field_doc:literal])* $response_field:ident : $response_type:ty ),* $(,)?
                } handles [$($response_handle:ident),*];
            }
        )*
    ) => {
        $(
            #[doc = concat!("The request of `", $protocol, ".", stringify!($method), "`.")]
            #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
            pub struct $request {
                $( $(#[doc = $request_field_doc])* pub $request_field: $request_type, )*
            }

            #[doc = concat!("The response of `", $protocol, ".", stringify!($method), "`.")]
            #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
            pub struct $response {
                $( $(#[doc = $response_field_doc])* pub $response_field: $response_type, )*
            }

            $(#[doc = $method_doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $method;

            impl $crate::protocol::Method for $method {
                const PROTOCOL: &'static str = $protocol;
                const NAME: &'static str = stringify!($method);
                const ORDINAL: u64 = $crate::protocol::ordinal(concat!($protocol, ".", stringify!($method)));
                const VERSION: u16 = $version;
                const ONE_WAY: bool = $crate::protocol!(@one_way $kind);
                const REQUEST_HANDLES: &'static [$crate::HandleKind] = &[$($crate::HandleKind::$request_handle),*];
                const RESPONSE_HANDLES: &'static [$crate::HandleKind] = &[$($crate::HandleKind::$response_handle),*];
                type Request = $request;
                type Response = $response;
            }
        )*

        #[doc = concat!("The `", $protocol, "` protocol, described.")]
        pub const PROTOCOL: $crate::protocol::Protocol = $crate::protocol::Protocol {
            name: $protocol,
            doc: concat!($($protocol_doc, "\n"),*),
            methods: &[$(
                $crate::protocol::MethodInfo {
                    name: stringify!($method),
                    ordinal: <$method as $crate::protocol::Method>::ORDINAL,
                    version: $version,
                    one_way: $crate::protocol!(@one_way $kind),
                    doc: concat!($($method_doc, "\n"),*),
                    request: $crate::protocol::Body {
                        type_name: stringify!($request),
                        fields: &[$($crate::protocol::Field {
                            name: stringify!($request_field),
                            ty: stringify!($request_type),
                            doc: concat!($($request_field_doc, "\n"),*),
                        }),*],
                        handles: <$method as $crate::protocol::Method>::REQUEST_HANDLES,
                    },
                    response: $crate::protocol::Body {
                        type_name: stringify!($response),
                        fields: &[$($crate::protocol::Field {
                            name: stringify!($response_field),
                            ty: stringify!($response_type),
                            doc: concat!($($response_field_doc, "\n"),*),
                        }),*],
                        handles: <$method as $crate::protocol::Method>::RESPONSE_HANDLES,
                    },
                    canonical_request: |bytes| {
                        $crate::wire::encode_body(&$crate::wire::decode_body::<$request>(bytes)?)
                    },
                    canonical_response: |bytes| {
                        $crate::wire::encode_body(&$crate::wire::decode_body::<$response>(bytes)?)
                    },
                }
            ),*],
        };
    };
    (@one_way call) => { false };
    (@one_way one_way) => { true };
}
