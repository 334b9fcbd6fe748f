//! Android binary XML (`ResXMLTree`): compiled `AndroidManifest.xml` and `res/**/*.xml`.
//!
//! A document is a chunk of type `RES_XML_TYPE` holding a string pool, an optional resource map
//! (the resource id of each attribute name, by string index) and a flat sequence of nodes: start
//! and end of namespace, start and end of element, CDATA. [`XmlDocument::parse`] walks the
//! chunks exactly as `ResXMLTree::setTo` does (unknown chunks before the first node are skipped,
//! the last string pool wins); [`XmlDocument::nodes`] then yields the nodes as
//! `ResXMLParser::next` does, skipping unknown node types and stopping at the first malformed
//! node. Nothing is decoded until asked for: attribute records are read in place.
//!
//! Android resolves `android:` attributes by resource id, not by name: an obfuscated manifest may
//! carry empty or misleading attribute names, which [`XmlDocument::attribute_name`] corrects from
//! the resource map and the framework's attribute table.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::bytes::{u16_at, u32_at};
use crate::res::{ChunkHeader, ParseMode, ResValue, StringPool, StringPoolError, chunk_type, data_type};

const NODE_HEADER_LEN: usize = 16;
const ATTR_EXT_LEN: usize = 20;
const ATTRIBUTE_LEN: usize = 20;
const NAMESPACE_EXT_LEN: usize = 8;
const END_ELEMENT_EXT_LEN: usize = 8;
const CDATA_EXT_LEN: usize = 12;

/// Why a binary XML document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AxmlError {
    #[error("binary XML: {reason}")]
    BadDocument { reason: &'static str },
    #[error("binary XML: chunk at offset {offset}: {reason}")]
    BadChunk { offset: usize, reason: &'static str },
    #[error("binary XML: node at offset {offset}: {reason}")]
    BadNode { offset: usize, reason: &'static str },
    #[error("binary XML: {0}")]
    StringPool(#[from] StringPoolError),
}

/// A string reference (`ResStringPool_ref`): Android treats indices as signed, so anything
/// above `i32::MAX` (in particular `0xFFFFFFFF`) means "no string".
fn string_ref(raw: u32) -> Option<u32> {
    (raw <= i32::MAX as u32).then_some(raw)
}

/// A binary XML document read in place.
#[derive(Debug, Clone)]
pub struct XmlDocument<'a> {
    /// The document chunk (as long as its declared size).
    data: &'a [u8],
    strings: StringPool<'a>,
    /// The resource map's ids, 4 bytes each.
    resource_map: &'a [u8],
    root: Option<usize>,
    mode: ParseMode,
}

impl<'a> XmlDocument<'a> {
    /// Reads the document header, the string pool, the resource map and finds the first node.
    pub fn parse(data: &'a [u8], mode: ParseMode) -> Result<Self, AxmlError> {
        let bad = |reason| AxmlError::BadDocument { reason };
        let header = ChunkHeader::read(data, 0).ok_or(bad("shorter than a chunk header"))?;
        let size = header.size as usize;
        if usize::from(header.header_size) > size || size > data.len() {
            return Err(bad("header size or document size larger than the data"));
        }
        if mode.is_strict() {
            if header.chunk_type != chunk_type::XML {
                return Err(bad("not an XML chunk"));
            }
            if usize::from(header.header_size) != ChunkHeader::LEN {
                return Err(bad("document header is not 8 bytes"));
            }
            if size != data.len() {
                return Err(bad("bytes after the end of the document"));
            }
        }
        let data = &data[..size];
        let end = size;

        let mut strings: Option<Result<StringPool<'a>, StringPoolError>> = None;
        let mut resource_map: &'a [u8] = &[];
        let mut root = None;
        let mut at = usize::from(header.header_size);
        let mut last = at;
        let mut first = true;
        // `ResXMLTree::setTo`: scan chunks until the first XML node. A chunk must end strictly
        // before the end of the document to be looked at.
        while at.checked_add(ChunkHeader::LEN).is_some_and(|e| e < end) {
            let chunk = ChunkHeader::read(data, at).ok_or(bad("truncated chunk header"))?;
            if at.checked_add(chunk.size as usize).is_none_or(|e| e >= end) {
                break;
            }
            chunk
                .validate(ChunkHeader::LEN, end)
                .map_err(|reason| AxmlError::BadChunk { offset: at, reason })?;
            match chunk.chunk_type {
                chunk_type::STRING_POOL => {
                    if mode.is_strict() && !first {
                        return Err(AxmlError::BadChunk {
                            offset: at,
                            reason: "string pool is not the first chunk",
                        });
                    }
                    strings = Some(StringPool::parse(&data[..chunk.end()], at, mode));
                }
                chunk_type::XML_RESOURCE_MAP => {
                    if mode.is_strict() && usize::from(chunk.header_size) != ChunkHeader::LEN {
                        return Err(AxmlError::BadChunk {
                            offset: at,
                            reason: "resource map header is not 8 bytes",
                        });
                    }
                    let count = (chunk.size as usize - usize::from(chunk.header_size)) / 4;
                    resource_map = &data[chunk.body()..chunk.body() + count * 4];
                }
                t if (chunk_type::XML_FIRST_CHUNK..=chunk_type::XML_LAST_CHUNK).contains(&t) => {
                    validate_node(data, at, mode)?;
                    // Android restarts from the chunk before this one, so a node that is the
                    // very first chunk is itself skipped.
                    match next_node(data, last, mode)? {
                        Some(node) => root = Some(node),
                        None => return Err(bad("no root element node")),
                    }
                    break;
                }
                _ if mode.is_strict() => {
                    return Err(AxmlError::BadChunk {
                        offset: at,
                        reason: "unknown chunk type",
                    });
                }
                _ => {}
            }
            first = false;
            last = at;
            at = chunk.end();
        }
        if root.is_none() {
            return Err(bad("no root element node"));
        }
        let strings = strings.ok_or(bad("no string pool"))??;
        let document = XmlDocument {
            data,
            strings,
            resource_map,
            root,
            mode,
        };
        if mode.is_strict() {
            document.check_structure()?;
        }
        Ok(document)
    }

    /// Strict mode's whole-document check: every node is well formed, every attribute record
    /// is readable, and elements and namespaces nest.
    fn check_structure(&self) -> Result<(), AxmlError> {
        let mut elements = 0usize;
        let mut namespaces = 0usize;
        let unbalanced = |offset| AxmlError::BadNode {
            offset,
            reason: "end without a matching start",
        };
        for node in self.nodes() {
            match node? {
                Node::StartElement(element) => {
                    elements += 1;
                    for attribute in element.attributes() {
                        attribute?;
                    }
                }
                Node::EndElement(end) => {
                    elements = elements.checked_sub(1).ok_or(unbalanced(end.offset))?;
                }
                Node::StartNamespace(_) => namespaces += 1,
                Node::EndNamespace(ns) => {
                    namespaces = namespaces.checked_sub(1).ok_or(unbalanced(ns.offset))?;
                }
                Node::Cdata(_) => {}
            }
        }
        if elements != 0 || namespaces != 0 {
            return Err(AxmlError::BadDocument {
                reason: "elements or namespaces are not closed",
            });
        }
        Ok(())
    }

    pub fn strings(&self) -> &StringPool<'a> {
        &self.strings
    }

    pub fn mode(&self) -> ParseMode {
        self.mode
    }

    /// String `index` of the document's pool.
    pub fn string(&self, index: u32) -> Result<Cow<'a, str>, AxmlError> {
        Ok(self.strings.get(index)?)
    }

    /// Number of entries in the resource map.
    pub fn resource_map_len(&self) -> usize {
        self.resource_map.len() / 4
    }

    /// The resource id that the resource map gives the string `name_index`, as
    /// `ResXMLParser::getAttributeNameResID` reads it (0 when the string has none).
    pub fn resource_id(&self, name_index: u32) -> u32 {
        u32_at(self.resource_map, u64::from(name_index) * 4).unwrap_or(0)
    }

    /// The nodes in document order.
    pub fn nodes(&self) -> Nodes<'a, '_> {
        Nodes {
            document: self,
            state: NodeState::Start,
        }
    }

    /// The attribute's name as Android reads it: an `android:` attribute whose resource id is in
    /// the framework's table is named by that table, whatever string the file stores (empty,
    /// obfuscated or wrong); anything else is named by its string.
    pub fn attribute_name(&self, attribute: &Attribute) -> Result<Cow<'a, str>, AxmlError> {
        let id = self.attribute_resource_id(attribute);
        if let Some(name) = crate::res::android_attr_name(id) {
            return Ok(Cow::Borrowed(name));
        }
        match attribute.name {
            Some(index) => self.string(index),
            None => Ok(Cow::Borrowed("")),
        }
    }

    /// The resource id of the attribute's name, from the resource map; 0 when it has none.
    pub fn attribute_resource_id(&self, attribute: &Attribute) -> u32 {
        attribute.name.map_or(0, |index| self.resource_id(index))
    }

    /// The text `aapt dump xmltree` prints for this document (Android 10's `printXMLBlock`):
    /// namespaces, elements with line numbers, attributes with their resource ids and values.
    /// Stops, like aapt, at the first malformed node.
    pub fn to_aapt_xmltree(&self) -> String {
        let mut out = String::new();
        let mut namespaces: Vec<(String, String)> = Vec::new();
        let mut depth = 0usize;
        let text = |index: Option<u32>| -> Option<String> {
            let index = index?;
            self.strings
                .get(index)
                .ok()
                .map(|s| crate::res::until_nul(&s).to_string())
        };
        let qualify = |namespaces: &[(String, String)], uri: Option<String>| -> String {
            match uri {
                None => String::new(),
                Some(uri) => {
                    let prefix = namespaces
                        .iter()
                        .find(|(_, u)| *u == uri)
                        .map_or(uri.clone(), |(p, _)| p.clone());
                    format!("{prefix}:")
                }
            }
        };
        for node in self.nodes() {
            let Ok(node) = node else { break };
            let indent = "  ".repeat(depth);
            match node {
                Node::StartElement(element) => {
                    if let Some(comment) = text(element.comment) {
                        let _ = writeln!(out, "{indent} <!-- {comment} -->");
                    }
                    let ns = qualify(&namespaces, text(element.namespace));
                    let name = text(element.name).unwrap_or_default();
                    let _ = writeln!(out, "{indent}E: {ns}{name} (line={})", element.line as i32);
                    depth += 1;
                    let indent = "  ".repeat(depth);
                    for attribute in element.attributes() {
                        let Ok(attribute) = attribute else { break };
                        let res = self.attribute_resource_id(&attribute);
                        let ns = qualify(&namespaces, text(attribute.namespace));
                        let name = text(attribute.name).unwrap_or_default();
                        let _ = write!(out, "{indent}A: {ns}{name}");
                        if res != 0 {
                            let _ = write!(out, "({res:#010x})");
                        }
                        let value = attribute.typed_value;
                        let raw = text(attribute.raw_value).map(|s| normalize_for_output(&s));
                        match value.data_type {
                            data_type::NULL => out.push_str("=(null)"),
                            data_type::REFERENCE => {
                                let _ = write!(out, "=@0x{:08x}", value.data);
                            }
                            data_type::ATTRIBUTE => {
                                let _ = write!(out, "=?0x{:08x}", value.data);
                            }
                            data_type::STRING => {
                                let _ = write!(out, "=\"{}\"", raw.as_deref().unwrap_or_default());
                            }
                            other => {
                                let _ = write!(out, "=(type {other:#x}){:#x}", value.data);
                            }
                        }
                        if let Some(raw) = raw {
                            let _ = write!(out, " (Raw: \"{raw}\")");
                        }
                        out.push('\n');
                    }
                }
                Node::EndElement(_) => depth = depth.saturating_sub(1),
                Node::StartNamespace(ns) => {
                    let prefix = text(ns.prefix).unwrap_or_else(|| "<DEF>".to_string());
                    let uri = text(ns.uri).unwrap_or_default();
                    let _ = writeln!(out, "{indent}N: {prefix}={uri}");
                    namespaces.push((prefix, uri));
                    depth += 1;
                }
                Node::EndNamespace(_) => {
                    depth = depth.saturating_sub(1);
                    namespaces.pop();
                }
                Node::Cdata(cdata) => {
                    let data = text(cdata.text).unwrap_or_default();
                    let _ = writeln!(out, "{indent}C: \"{}\"", normalize_for_output(&data));
                }
            }
        }
        out
    }
}

/// aapt's `ResTable::normalizeForOutput`: backslash, newline and double quote escaped.
pub fn normalize_for_output(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

/// `ResXMLTree::validateNode`: the node is a valid chunk with a 16-byte node header, and a start
/// element's attributes fit in it.
fn validate_node(data: &[u8], at: usize, mode: ParseMode) -> Result<(), AxmlError> {
    let bad = |reason| AxmlError::BadNode { offset: at, reason };
    let chunk = ChunkHeader::read(data, at).ok_or(bad("truncated node header"))?;
    chunk.validate(NODE_HEADER_LEN, data.len()).map_err(bad)?;
    if mode.is_strict() && usize::from(chunk.header_size) != NODE_HEADER_LEN {
        return Err(bad("node header is not 16 bytes"));
    }
    if chunk.chunk_type != chunk_type::XML_START_ELEMENT {
        return Ok(());
    }
    let header = usize::from(chunk.header_size);
    let size = chunk.size as usize;
    if size < header + ATTR_EXT_LEN {
        return Err(bad("start element too small for its attribute header"));
    }
    let ext = at + header;
    let field = |offset| u16_at(data, (ext + offset) as u64).map_or(0, usize::from);
    let (start, attr_size, count) = (field(8), field(10), field(12));
    if start + attr_size * count > size - header {
        return Err(bad("attributes extend past the element"));
    }
    // Android also accepts strides under 20 bytes (records overlapping each other) with any
    // count; requiring room for `count` whole records keeps the work bounded by the input.
    if count > 0 && start + attr_size.max(ATTRIBUTE_LEN) * (count - 1) + ATTRIBUTE_LEN > size - header {
        return Err(bad("attribute records overlap past the element"));
    }
    if mode.is_strict() && (start != ATTR_EXT_LEN || attr_size != ATTRIBUTE_LEN) {
        return Err(bad("attribute records are not 20 bytes after a 20-byte header"));
    }
    Ok(())
}

/// `ResXMLParser::nextNode`: the first known node after the node at `current`; `None` at the
/// end of the document.
fn next_node(data: &[u8], current: usize, mode: ParseMode) -> Result<Option<usize>, AxmlError> {
    let mut at = current;
    loop {
        // `current` was validated, so its size is at least its header and non-zero.
        let size = u32_at(data, at as u64 + 4).unwrap_or(0) as usize;
        let next = at.saturating_add(size.max(ChunkHeader::LEN));
        if next >= data.len() {
            return Ok(None);
        }
        validate_node(data, next, mode)?;
        at = next;
        let chunk = ChunkHeader::read(data, at).ok_or(AxmlError::BadNode {
            offset: at,
            reason: "truncated node header",
        })?;
        let min_ext = match chunk.chunk_type {
            chunk_type::XML_START_NAMESPACE | chunk_type::XML_END_NAMESPACE => NAMESPACE_EXT_LEN,
            chunk_type::XML_START_ELEMENT => ATTR_EXT_LEN,
            chunk_type::XML_END_ELEMENT => END_ELEMENT_EXT_LEN,
            chunk_type::XML_CDATA => CDATA_EXT_LEN,
            _ if mode.is_strict() => {
                return Err(AxmlError::BadNode {
                    offset: at,
                    reason: "unknown node type",
                });
            }
            _ => continue,
        };
        if (chunk.size as usize) - usize::from(chunk.header_size) < min_ext {
            return Err(AxmlError::BadNode {
                offset: at,
                reason: "node too small for its type",
            });
        }
        return Ok(Some(at));
    }
}

enum NodeState {
    Start,
    At(usize),
    Done,
}

/// Iterator over the nodes of a document; yields one error and stops at a malformed node.
pub struct Nodes<'a, 'd> {
    document: &'d XmlDocument<'a>,
    state: NodeState,
}

impl std::fmt::Debug for Nodes<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Nodes").finish_non_exhaustive()
    }
}

impl<'a> Iterator for Nodes<'a, '_> {
    type Item = Result<Node<'a>, AxmlError>;

    fn next(&mut self) -> Option<Self::Item> {
        let doc = self.document;
        let at = match self.state {
            NodeState::Start => doc.root?,
            NodeState::At(current) => match next_node(doc.data, current, doc.mode) {
                Ok(Some(next)) => next,
                Ok(None) => {
                    self.state = NodeState::Done;
                    return None;
                }
                Err(err) => {
                    self.state = NodeState::Done;
                    return Some(Err(err));
                }
            },
            NodeState::Done => return None,
        };
        self.state = NodeState::At(at);
        Some(Ok(read_node(doc.data, at)))
    }
}

/// A node of the document.
#[derive(Debug, Clone)]
pub enum Node<'a> {
    StartNamespace(Namespace),
    EndNamespace(Namespace),
    StartElement(StartElement<'a>),
    EndElement(EndElement),
    Cdata(Cdata),
}

impl Node<'_> {
    /// Offset of the node's chunk in the document.
    pub fn offset(&self) -> usize {
        match self {
            Node::StartNamespace(n) | Node::EndNamespace(n) => n.offset,
            Node::StartElement(e) => e.offset,
            Node::EndElement(e) => e.offset,
            Node::Cdata(c) => c.offset,
        }
    }

    /// Source line number recorded by the compiler.
    pub fn line(&self) -> u32 {
        match self {
            Node::StartNamespace(n) | Node::EndNamespace(n) => n.line,
            Node::StartElement(e) => e.line,
            Node::EndElement(e) => e.line,
            Node::Cdata(c) => c.line,
        }
    }
}

/// Start or end of a namespace declaration (`xmlns:prefix="uri"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Namespace {
    pub offset: usize,
    pub line: u32,
    pub prefix: Option<u32>,
    pub uri: Option<u32>,
}

/// The start of an element with its attributes, read in place.
#[derive(Debug, Clone)]
pub struct StartElement<'a> {
    pub offset: usize,
    pub line: u32,
    pub comment: Option<u32>,
    pub namespace: Option<u32>,
    /// `None` when the name reference is negative, which Android reports as a bad string pool.
    pub name: Option<u32>,
    pub attribute_count: u16,
    /// 1-based indices of the `id`, `class` and `style` attributes (0: none).
    pub id_index: u16,
    pub class_index: u16,
    pub style_index: u16,
    data: &'a [u8],
    attribute_start: usize,
    attribute_size: usize,
}

impl StartElement<'_> {
    /// The attributes in file order. Records are read at `attributeStart + attributeSize * i`
    /// (Android's stride, which obfuscators enlarge); each needs 20 bytes inside the document.
    pub fn attributes(&self) -> impl Iterator<Item = Result<Attribute, AxmlError>> + '_ {
        (0..usize::from(self.attribute_count)).map(move |index| self.attribute(index))
    }

    /// Attribute `index` (in file order).
    pub fn attribute(&self, index: usize) -> Result<Attribute, AxmlError> {
        let at = self.attribute_start + self.attribute_size * index;
        let bad = AxmlError::BadNode {
            offset: self.offset,
            reason: "attribute record outside the document",
        };
        if index >= usize::from(self.attribute_count) || at + ATTRIBUTE_LEN > self.data.len() {
            return Err(bad);
        }
        let word = |offset: usize| u32_at(self.data, (at + offset) as u64).unwrap_or(u32::MAX);
        Ok(Attribute {
            namespace: string_ref(word(0)),
            name: string_ref(word(4)),
            raw_value: string_ref(word(8)),
            typed_value: ResValue::read(self.data, at + 12).ok_or(bad)?,
        })
    }
}

/// One attribute of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute {
    pub namespace: Option<u32>,
    /// Index of the name string; also the index into the resource map.
    pub name: Option<u32>,
    /// The original text, when the compiler kept it (always for strings).
    pub raw_value: Option<u32>,
    pub typed_value: ResValue,
}

/// The end of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndElement {
    pub offset: usize,
    pub line: u32,
    pub namespace: Option<u32>,
    pub name: Option<u32>,
}

/// Character data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cdata {
    pub offset: usize,
    pub line: u32,
    pub text: Option<u32>,
    pub typed_value: ResValue,
}

/// Reads the node at `at`, which `next_node` validated.
fn read_node(data: &[u8], at: usize) -> Node<'_> {
    let word = |offset: usize| u32_at(data, (at + offset) as u64).unwrap_or(u32::MAX);
    let half = |offset: usize| u16_at(data, (at + offset) as u64).unwrap_or(0);
    let chunk_type = half(0);
    let ext = usize::from(half(2));
    let line = word(8);
    let comment = string_ref(word(12));
    match chunk_type {
        chunk_type::XML_START_NAMESPACE | chunk_type::XML_END_NAMESPACE => {
            let namespace = Namespace {
                offset: at,
                line,
                prefix: string_ref(word(ext)),
                uri: string_ref(word(ext + 4)),
            };
            if chunk_type == chunk_type::XML_START_NAMESPACE {
                Node::StartNamespace(namespace)
            } else {
                Node::EndNamespace(namespace)
            }
        }
        chunk_type::XML_START_ELEMENT => Node::StartElement(StartElement {
            offset: at,
            line,
            comment,
            namespace: string_ref(word(ext)),
            name: string_ref(word(ext + 4)),
            attribute_count: half(ext + 12),
            id_index: half(ext + 14),
            class_index: half(ext + 16),
            style_index: half(ext + 18),
            data,
            attribute_start: at + ext + usize::from(half(ext + 8)),
            attribute_size: usize::from(half(ext + 10)),
        }),
        chunk_type::XML_END_ELEMENT => Node::EndElement(EndElement {
            offset: at,
            line,
            namespace: string_ref(word(ext)),
            name: string_ref(word(ext + 4)),
        }),
        _ => Node::Cdata(Cdata {
            offset: at,
            line,
            text: string_ref(word(ext)),
            typed_value: ResValue::read(data, at + ext + 4).unwrap_or(ResValue::new(data_type::NULL, 0)),
        }),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::res::string_pool::tests::build_pool;

    /// One attribute for [`Builder::start`]: namespace, name, raw text, typed value. A string
    /// value's data is set to the raw text's index.
    pub(crate) type Attr<'s> = (Option<&'s str>, &'s str, Option<&'s str>, ResValue);

    /// A document writer for tests, laid out like aapt2's output.
    pub(crate) struct Builder {
        strings: Vec<String>,
        res_ids: Vec<u32>,
        nodes: Vec<u8>,
    }

    impl Builder {
        /// `mapped` names come first in the pool, with these resource ids.
        pub(crate) fn new(mapped: &[(&str, u32)]) -> Builder {
            Builder {
                strings: mapped.iter().map(|(s, _)| s.to_string()).collect(),
                res_ids: mapped.iter().map(|&(_, id)| id).collect(),
                nodes: Vec::new(),
            }
        }

        pub(crate) fn intern(&mut self, s: &str) -> u32 {
            if let Some(i) = self.strings.iter().position(|x| x == s) {
                return i as u32;
            }
            self.strings.push(s.to_string());
            (self.strings.len() - 1) as u32
        }

        fn node(&mut self, kind: u16, line: u32, ext: &[u8]) {
            self.nodes.extend_from_slice(&kind.to_le_bytes());
            self.nodes.extend_from_slice(&16u16.to_le_bytes());
            self.nodes
                .extend_from_slice(&((16 + ext.len()) as u32).to_le_bytes());
            self.nodes.extend_from_slice(&line.to_le_bytes());
            self.nodes.extend_from_slice(&u32::MAX.to_le_bytes());
            self.nodes.extend_from_slice(ext);
        }

        fn reference(&mut self, s: Option<&str>) -> [u8; 4] {
            s.map_or(u32::MAX, |s| self.intern(s)).to_le_bytes()
        }

        pub(crate) fn namespace(&mut self, start: bool, prefix: &str, uri: &str) {
            let mut ext = self.reference(Some(prefix)).to_vec();
            ext.extend_from_slice(&self.reference(Some(uri)));
            let kind = if start {
                chunk_type::XML_START_NAMESPACE
            } else {
                chunk_type::XML_END_NAMESPACE
            };
            self.node(kind, 1, &ext);
        }

        pub(crate) fn start(&mut self, ns: Option<&str>, name: &str, line: u32, attrs: &[Attr<'_>]) {
            let mut ext = self.reference(ns).to_vec();
            ext.extend_from_slice(&self.reference(Some(name)));
            ext.extend_from_slice(&20u16.to_le_bytes());
            ext.extend_from_slice(&20u16.to_le_bytes());
            ext.extend_from_slice(&(attrs.len() as u16).to_le_bytes());
            ext.extend_from_slice(&[0; 6]);
            for &(attr_ns, attr_name, raw, value) in attrs {
                ext.extend_from_slice(&self.reference(attr_ns));
                ext.extend_from_slice(&self.reference(Some(attr_name)));
                ext.extend_from_slice(&self.reference(raw));
                let mut value = value;
                if value.data_type == data_type::STRING {
                    value.data = self.intern(raw.unwrap_or_default());
                }
                ext.extend_from_slice(&value.size.to_le_bytes());
                ext.push(value.res0);
                ext.push(value.data_type);
                ext.extend_from_slice(&value.data.to_le_bytes());
            }
            self.node(chunk_type::XML_START_ELEMENT, line, &ext);
        }

        pub(crate) fn end(&mut self, ns: Option<&str>, name: &str) {
            let mut ext = self.reference(ns).to_vec();
            ext.extend_from_slice(&self.reference(Some(name)));
            self.node(chunk_type::XML_END_ELEMENT, 1, &ext);
        }

        pub(crate) fn cdata(&mut self, text: &str) {
            let mut ext = self.reference(Some(text)).to_vec();
            ext.extend_from_slice(&[8, 0, 0, data_type::NULL, 0, 0, 0, 0]);
            self.node(chunk_type::XML_CDATA, 1, &ext);
        }

        pub(crate) fn finish(self) -> Vec<u8> {
            let refs: Vec<&str> = self.strings.iter().map(String::as_str).collect();
            let pool = build_pool(&refs, true);
            let mut map = Vec::new();
            map.extend_from_slice(&chunk_type::XML_RESOURCE_MAP.to_le_bytes());
            map.extend_from_slice(&8u16.to_le_bytes());
            map.extend_from_slice(&((8 + 4 * self.res_ids.len()) as u32).to_le_bytes());
            for id in &self.res_ids {
                map.extend_from_slice(&id.to_le_bytes());
            }
            let size = 8 + pool.len() + map.len() + self.nodes.len();
            let mut out = Vec::new();
            out.extend_from_slice(&chunk_type::XML.to_le_bytes());
            out.extend_from_slice(&8u16.to_le_bytes());
            out.extend_from_slice(&(size as u32).to_le_bytes());
            out.extend_from_slice(&pool);
            out.extend_from_slice(&map);
            out.extend_from_slice(&self.nodes);
            out
        }
    }

    const ANDROID: &str = "http://schemas.android.com/apk/res/android";

    fn sample() -> Vec<u8> {
        let mut b = Builder::new(&[("versionCode", 0x0101_021b), ("name", 0x0101_0003)]);
        b.namespace(true, "android", ANDROID);
        b.start(
            None,
            "manifest",
            2,
            &[
                (
                    Some(ANDROID),
                    "versionCode",
                    None,
                    ResValue::new(data_type::INT_DEC, 30),
                ),
                (
                    None,
                    "package",
                    Some("org.example"),
                    ResValue::new(data_type::STRING, 0),
                ),
            ],
        );
        b.start(
            None,
            "application",
            5,
            &[(
                Some(ANDROID),
                "name",
                None,
                ResValue::new(data_type::REFERENCE, 0x7f01_0000),
            )],
        );
        b.cdata("text \"quoted\"\n");
        b.end(None, "application");
        b.end(None, "manifest");
        b.namespace(false, "android", ANDROID);
        b.finish()
    }

    #[test]
    fn walks_nodes_and_renders_like_aapt() {
        let data = sample();
        for mode in [ParseMode::Strict, ParseMode::Permissive] {
            let doc = XmlDocument::parse(&data, mode).unwrap();
            assert_eq!(doc.nodes().count(), 7);
            assert_eq!(
                doc.to_aapt_xmltree(),
                "N: android=http://schemas.android.com/apk/res/android\n\
                 \x20 E: manifest (line=2)\n\
                 \x20   A: android:versionCode(0x0101021b)=(type 0x10)0x1e\n\
                 \x20   A: package=\"org.example\" (Raw: \"org.example\")\n\
                 \x20   E: application (line=5)\n\
                 \x20     A: android:name(0x01010003)=@0x7f010000\n\
                 \x20     C: \"text \\\"quoted\\\"\\n\"\n"
            );
        }
    }

    #[test]
    fn obfuscated_attribute_names_resolve_by_resource_id() {
        let mut b = Builder::new(&[("", 0x0101_021b), ("zz", 0x0101_021c)]);
        b.start(
            None,
            "manifest",
            1,
            &[
                (Some(ANDROID), "", None, ResValue::new(data_type::INT_DEC, 1)),
                (
                    Some(ANDROID),
                    "zz",
                    Some("1.0"),
                    ResValue::new(data_type::STRING, 0),
                ),
            ],
        );
        b.end(None, "manifest");
        let data = b.finish();
        let doc = XmlDocument::parse(&data, ParseMode::Strict).unwrap();
        let Some(Ok(Node::StartElement(element))) = doc.nodes().next() else {
            panic!("no element")
        };
        let names: Vec<String> = element
            .attributes()
            .map(|a| doc.attribute_name(&a.unwrap()).unwrap().into_owned())
            .collect();
        assert_eq!(names, ["versionCode", "versionName"]);
        assert_eq!(
            doc.attribute_resource_id(&element.attribute(1).unwrap()),
            0x0101_021c
        );
    }

    #[test]
    fn larger_node_headers_and_attribute_strides_are_permissive_only() {
        let data = sample();
        let doc = XmlDocument::parse(&data, ParseMode::Strict).unwrap();
        let manifest = doc.nodes().nth(1).unwrap().unwrap();
        let at = manifest.offset();
        // Widen the manifest element: node header 16 -> 20 bytes and attribute stride 20 -> 24.
        let size = u32::from_le_bytes(data[at + 4..at + 8].try_into().unwrap()) as usize;
        let ext = &data[at + 16..at + 16 + 20];
        let attrs = &data[at + 36..at + size];
        let mut node = Vec::new();
        node.extend_from_slice(&data[at..at + 2]);
        node.extend_from_slice(&20u16.to_le_bytes());
        let count = attrs.len() / 20;
        node.extend_from_slice(&((20 + 20 + count * 24) as u32).to_le_bytes());
        node.extend_from_slice(&data[at + 8..at + 16]);
        node.extend_from_slice(&[0xaa; 4]);
        let mut ext = ext.to_vec();
        ext[10..12].copy_from_slice(&24u16.to_le_bytes());
        node.extend_from_slice(&ext);
        for record in attrs.chunks(20) {
            node.extend_from_slice(record);
            node.extend_from_slice(&[0xbb; 4]);
        }
        let mut widened = data[..at].to_vec();
        widened.extend_from_slice(&node);
        widened.extend_from_slice(&data[at + size..]);
        let total = widened.len() as u32;
        widened[4..8].copy_from_slice(&total.to_le_bytes());

        assert!(XmlDocument::parse(&widened, ParseMode::Strict).is_err());
        let doc = XmlDocument::parse(&widened, ParseMode::Permissive).unwrap();
        let original = XmlDocument::parse(&data, ParseMode::Permissive).unwrap();
        assert_eq!(doc.to_aapt_xmltree(), original.to_aapt_xmltree());
    }

    #[test]
    fn unknown_chunks_and_nodes_are_skipped_in_permissive_mode() {
        let data = sample();
        let doc = XmlDocument::parse(&data, ParseMode::Strict).unwrap();
        let first_node = doc.nodes().next().unwrap().unwrap().offset();
        // An unknown 16-byte node type 0x0105 before the root, and an unknown chunk 0x0777
        // before the resource map... placed right before the first node.
        let mut unknown = Vec::new();
        unknown.extend_from_slice(&0x0777u16.to_le_bytes());
        unknown.extend_from_slice(&8u16.to_le_bytes());
        unknown.extend_from_slice(&12u32.to_le_bytes());
        unknown.extend_from_slice(&[0; 4]);
        unknown.extend_from_slice(&0x0105u16.to_le_bytes());
        unknown.extend_from_slice(&16u16.to_le_bytes());
        unknown.extend_from_slice(&16u32.to_le_bytes());
        unknown.extend_from_slice(&[0; 8]);
        let mut patched = data[..first_node].to_vec();
        patched.extend_from_slice(&unknown);
        patched.extend_from_slice(&data[first_node..]);
        let total = patched.len() as u32;
        patched[4..8].copy_from_slice(&total.to_le_bytes());
        assert!(XmlDocument::parse(&patched, ParseMode::Strict).is_err());
        let doc = XmlDocument::parse(&patched, ParseMode::Permissive).unwrap();
        assert_eq!(
            doc.to_aapt_xmltree(),
            XmlDocument::parse(&data, ParseMode::Strict)
                .unwrap()
                .to_aapt_xmltree()
        );
    }

    #[test]
    fn attributes_past_the_element_are_refused() {
        let data = sample();
        let doc = XmlDocument::parse(&data, ParseMode::Strict).unwrap();
        let at = doc.nodes().nth(1).unwrap().unwrap().offset();
        let mut bad = data.clone();
        // attributeCount 2 -> 200.
        bad[at + 16 + 12..at + 16 + 14].copy_from_slice(&200u16.to_le_bytes());
        let doc = XmlDocument::parse(&bad, ParseMode::Permissive).unwrap();
        let errors: Vec<_> = doc.nodes().filter_map(Result::err).collect();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .to_string()
                .contains("attributes extend past the element"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn truncation_and_bit_flips_never_panic() {
        let data = sample();
        for cut in 0..data.len() {
            for mode in [ParseMode::Strict, ParseMode::Permissive] {
                if let Ok(doc) = XmlDocument::parse(&data[..cut], mode) {
                    let _ = doc.to_aapt_xmltree();
                }
                let mut flipped = data.clone();
                flipped[cut] ^= 0x80;
                if let Ok(doc) = XmlDocument::parse(&flipped, mode) {
                    let _ = doc.to_aapt_xmltree();
                    for node in doc.nodes().flatten() {
                        if let Node::StartElement(e) = node {
                            for a in e.attributes().flatten() {
                                let _ = doc.attribute_name(&a);
                            }
                        }
                    }
                }
            }
        }
    }
}
