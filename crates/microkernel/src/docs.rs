//! `docs/protocols.md`, rendered from the protocol definitions.

use std::fmt::Write as _;

use crate::protocol::{Body, Protocol};
use crate::protocols;

/// The Markdown page `docs/protocols.md` (a test fails when the committed page differs).
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str(
        "# Protocols\n\n\
         Generated from the protocol modules (`crates/microkernel/src/protocols/`) by \
         `cargo run -q -p microkernel --example protocols-markdown > docs/protocols.md`; a test \
         fails when this file is stale.\n\n\
         ## Wire format\n\n\
         A message is one `SOCK_SEQPACKET` record on a channel: a 16-byte little-endian header, \
         the body, and up to 64 handles (file descriptors, as `SCM_RIGHTS`). The body is at most \
         65,536 bytes; larger payloads travel in a VMO.\n\n\
         | bytes | field | meaning |\n\
         |---|---|---|\n\
         | 0..8 | `ordinal: u64` | the method: FNV-1a 64 of `protocol.Method`, top bit cleared |\n\
         | 8..12 | `txid: u32` | pairs a reply with its request; 0 = one-way, no reply |\n\
         | 12..14 | `flags: u16` | bit 0 `REPLY`, bit 1 `ERROR` (only with `REPLY`); other bits refused |\n\
         | 14..16 | `version: u16` | the method's body version; a reply repeats the request's |\n\n\
         Bodies are `postcard`-encoded (varint integers, length-prefixed strings and sequences, \
         fields in the order listed below, `Option` as a 0/1 tag); bytes after the body are an \
         error. A reply with `ERROR` set carries an `ErrorReply { code, errno: i32, message: \
         String }` instead of the response, where `code` is `UnknownOrdinal` (errno `ENOSYS`), \
         `UnsupportedVersion` (`EPROTONOSUPPORT`), `MalformedRequest` (`EINVAL`: the body does not \
         decode or the handles do not match the method) or `Failed` (the method's own errno). \
         Unknown or malformed one-way messages are dropped, as there is no transaction to \
         answer.\n\n\
         Handles travel in the order listed; a message with another number of handles than its \
         method takes is malformed. The ordinal is derived from the name, so renaming a method \
         changes it; an incompatible body change makes a new version of the method.\n\n\
         A program the runtime starts finds its channel to `svcmgr` at fd 3 (fds 4 and up are \
         free for further startup handles); everything else it reaches through `svcmgr`.\n\n",
    );
    for protocol in protocols::ALL {
        protocol_section(&mut out, protocol);
    }
    out
}

fn protocol_section(out: &mut String, protocol: &Protocol) {
    let _ = writeln!(out, "## `{}`\n\n{}\n", protocol.name, paragraph(protocol.doc));
    out.push_str("| method | ordinal | version | kind | request handles | response handles |\n");
    out.push_str("|---|---|--:|---|---|---|\n");
    for method in protocol.methods {
        let _ = writeln!(
            out,
            "| `{}.{}` | `{:#018x}` | {} | {} | {} | {} |",
            protocol.name,
            method.name,
            method.ordinal,
            method.version,
            if method.one_way { "one-way" } else { "call" },
            handles(&method.request),
            if method.one_way {
                "—".to_string()
            } else {
                handles(&method.response)
            },
        );
    }
    out.push('\n');
    for method in protocol.methods {
        let _ = writeln!(
            out,
            "### `{}.{}` (version {})\n\n{}\n",
            protocol.name,
            method.name,
            method.version,
            paragraph(method.doc)
        );
        body(out, "Request", &method.request);
        if !method.one_way {
            body(out, "Response", &method.response);
        }
    }
}

fn body(out: &mut String, what: &str, body: &Body) {
    let _ = write!(out, "{what} `{}`", body.type_name);
    if body.fields.is_empty() {
        out.push_str(": no fields");
    }
    if !body.handles.is_empty() {
        let _ = write!(out, "; handles: {}", handles(body));
    }
    out.push_str(if body.fields.is_empty() { ".\n\n" } else { ":\n\n" });
    for field in body.fields {
        let _ = write!(out, "- `{}: {}`", field.name, field.ty);
        let doc = paragraph(field.doc);
        if !doc.is_empty() {
            let _ = write!(out, " — {doc}");
        }
        out.push('\n');
    }
    if !body.fields.is_empty() {
        out.push('\n');
    }
}

fn handles(body: &Body) -> String {
    if body.handles.is_empty() {
        return "—".to_string();
    }
    body.handles
        .iter()
        .map(|h| h.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A doc comment as one paragraph: its lines trimmed and joined.
fn paragraph(doc: &str) -> String {
    let text = doc
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    text.replace("\\[", "[").replace("\\]", "]")
}
