//! The protocols of the system servers, one module each. [`crate::svcmgr`] serves `svcmgr`;
//! `hc-vfs` (crate `sandbox`) serves `vfs`; `hyper-compat binder-world` serves `binder`;
//! `hyper-compat __procmgr` serves `procmgr` and `hyper-compat __logd` serves `logd`.

use crate::protocol::Protocol;

pub mod binder;
pub mod echo;
pub mod logd;
pub mod parcel;
pub mod procmgr;
pub mod service;
pub mod svcmgr;
pub mod svcmgrctl;
pub mod vfs;

/// Every protocol, in the order `docs/protocols.md` lists them.
pub const ALL: &[&Protocol] = &[
    &vfs::PROTOCOL,
    &procmgr::PROTOCOL,
    &svcmgr::PROTOCOL,
    &svcmgrctl::PROTOCOL,
    &service::PROTOCOL,
    &logd::PROTOCOL,
    &binder::PROTOCOL,
    &parcel::PROTOCOL,
    &echo::PROTOCOL,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{Method, ordinal};

    #[test]
    fn ordinals_are_the_name_hash_and_unique() {
        let mut seen = std::collections::BTreeMap::new();
        for protocol in ALL {
            for method in protocol.methods {
                let name = format!("{}.{}", protocol.name, method.name);
                assert_eq!(method.ordinal, ordinal(&name), "{name}");
                assert_eq!(method.ordinal >> 63, 0, "{name}: the top bit is reserved");
                assert!(method.version >= 1, "{name}");
                if let Some(other) = seen.insert(method.ordinal, name.clone()) {
                    panic!("{name} and {other} share ordinal {:#x}", method.ordinal);
                }
                if method.one_way {
                    assert!(
                        method.response.fields.is_empty() && method.response.handles.is_empty(),
                        "{name}"
                    );
                }
            }
        }
        // The hash is fixed: these values are on the wire and in docs/protocols.md.
        assert_eq!(ordinal(""), 0xcbf2_9ce4_8422_2325 & !(1 << 63));
        assert_eq!(vfs::Open::ORDINAL, ordinal("vfs.Open"));
        assert_eq!(svcmgr::Lookup::PROTOCOL, "svcmgr");
    }

    #[test]
    fn every_method_decodes_its_own_encoding_and_refuses_garbage() {
        let open = vfs::OpenRequest {
            at: vfs::At {
                tid: 4242,
                dirfd: vfs::At::CWD,
                path: b"/data/data/com.example/files/notes.txt".to_vec(),
            },
            flags: 0o102,
            mode: 0o600,
            resolve: 0,
        };
        let bytes = crate::wire::encode_body(&open).unwrap();
        let method = vfs::PROTOCOL.method(vfs::Open::ORDINAL, 1).unwrap();
        assert_eq!((method.canonical_request)(&bytes), Ok(bytes.clone()));
        assert_eq!(
            crate::wire::decode_body::<vfs::OpenRequest>(&bytes).unwrap(),
            open
        );
        for protocol in ALL {
            for method in protocol.methods {
                // 0xff… is an unterminated varint for every first field; empty bodies decode
                // only for methods without fields.
                assert!(
                    (method.canonical_request)(&[0xff; 12]).is_err(),
                    "{}",
                    method.name
                );
                assert_eq!(
                    (method.canonical_request)(&[]).is_ok(),
                    method.request.fields.is_empty(),
                    "{}",
                    method.name
                );
            }
        }
        let types: Vec<&str> = ALL
            .iter()
            .flat_map(|p| p.methods)
            .flat_map(|m| m.request.fields.iter().chain(m.response.fields))
            .map(|f| f.ty)
            .collect();
        assert!(types.contains(&"Vec<(String, String)>"), "{types:?}");
    }
}
