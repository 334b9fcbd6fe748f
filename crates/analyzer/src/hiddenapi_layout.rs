//! Where the parts of the hidden-API data file lie, as byte ranges into its text.
//!
//! This module is compiled twice: by `build.rs`, which inflates `data/hiddenapi.txt.gz` and
//! writes the text and these ranges into `OUT_DIR`, and by the library, whose tests check the
//! format. At run time the analyzer only maps the text and the index from its own binary: no
//! inflating, no parsing, and only the pages a lookup touches become resident.
//!
//! The text is line-based: `#key: value` provenance lines, `P <package>` (a platform package),
//! `U <package>` (a package whose every member is unsupported), and per class a line
//! `C <class> [supertypes]` followed by its member lines (`\t<member> <flag>`, sorted by member).
//! Classes are sorted.

/// A byte range `start..end` of the text.
pub type Range = [u32; 2];

/// The ranges of one class: its descriptor, its supertypes' text (empty when unknown) and its
/// member lines.
pub type Class = [Range; 3];

/// Every part of the file, in file order.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Layout {
    pub classes: Vec<Class>,
    pub packages: Vec<Range>,
    pub unsupported_packages: Vec<Range>,
    /// (key, value) of each `#key: value` line.
    pub provenance: Vec<[Range; 2]>,
}

impl Layout {
    /// The layout of `text`; `None` when it is larger than `u32` offsets can address.
    pub fn of(text: &str) -> Option<Layout> {
        u32::try_from(text.len()).ok()?;
        let at = |start: usize, len: usize| [start as u32, (start + len) as u32];
        let mut layout = Layout::default();
        let mut offset = 0;
        // The open class: its descriptor and supertypes, and where its member lines begin.
        let mut open: Option<(Range, Range, usize)> = None;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            if line.starts_with('\t') {
                continue;
            }
            if let Some((class, supers, from)) = open.take() {
                layout.classes.push([class, supers, at(from, start - from)]);
            }
            let body = line.trim_end_matches('\n');
            if let Some(rest) = body.strip_prefix('#') {
                if let Some((key, value)) = rest.split_once(": ") {
                    let value_start = start + 1 + key.len() + 2;
                    layout
                        .provenance
                        .push([at(start + 1, key.len()), at(value_start, value.len())]);
                }
            } else if let Some(package) = body.strip_prefix("P ") {
                layout.packages.push(at(start + 2, package.len()));
            } else if let Some(package) = body.strip_prefix("U ") {
                layout.unsupported_packages.push(at(start + 2, package.len()));
            } else if let Some(rest) = body.strip_prefix("C ") {
                let (class, supers) = rest.split_once(' ').unwrap_or((rest, ""));
                let supers_start = start + 2 + class.len() + usize::from(!supers.is_empty());
                open = Some((at(start + 2, class.len()), at(supers_start, supers.len()), offset));
            }
        }
        if let Some((class, supers, from)) = open {
            layout.classes.push([class, supers, at(from, text.len() - from)]);
        }
        Some(layout)
    }
}

/// FNV-1a (64 bits), fed in pieces: the member index's keys, and the DEX scan's keys of
/// declared members (`dex::scan::member_key`).
pub struct Fnv(pub u64);

impl Fnv {
    pub fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The key of a member line in the member index: [`Fnv`] of `name(args)ret` or `name:type` as
/// the line spells it.
pub fn member_hash(member: &str) -> u64 {
    let mut hash = Fnv::new();
    hash.write(member.as_bytes());
    hash.0
}

/// A member line's flag as one byte of the index: 0 `sdk`, 1 `unsupported`, the API level of
/// a `max-target-*` list, [`UNKNOWN_FLAG`] for a list the analyzer does not know.
pub fn flag_code(flag: &str) -> u8 {
    match flag {
        "sdk" => 0,
        "unsupported" => 1,
        // ART's kMaxSdkVersions: greylist-max-o is allowed up to O_MR1 (27).
        "max-target-o" => 27,
        "max-target-p" => 28,
        "max-target-q" => 29,
        "max-target-r" => 30,
        "max-target-s" => 31,
        "max-target-t" => 33,
        _ => UNKNOWN_FLAG,
    }
}

/// The code of a flag the analyzer does not know.
pub const UNKNOWN_FLAG: u8 = u8::MAX;

/// The member index of one class's member lines (`\t<member> <flag>\n`): each member's
/// [`member_hash`] and [`flag_code`], sorted by hash, so a lookup reads a few of its 8-byte
/// keys instead of the text. `None` when the lines are not of that form, or two members of the
/// class share a hash (the build then fails, and the hash must change).
pub fn member_index(lines: &str) -> Option<Vec<(u64, u8)>> {
    let mut index = Vec::new();
    for line in lines.lines() {
        let (member, flag) = line.strip_prefix('\t')?.rsplit_once(' ')?;
        index.push((member_hash(member), flag_code(flag)));
    }
    index.sort_unstable();
    if index.windows(2).any(|pair| pair[0].0 == pair[1].0) {
        return None;
    }
    Some(index)
}

/// The text of the gzip member that `scripts/gen-hiddenapi` writes (no optional header fields).
pub fn inflate_gzip(data: &[u8]) -> Option<String> {
    if data.len() < 18 || data[..3] != [0x1f, 0x8b, 8] || data[3] != 0 {
        return None;
    }
    let raw = &data[10..data.len() - 8];
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(raw, 64 << 20).ok()?;
    String::from_utf8(bytes).ok()
}
