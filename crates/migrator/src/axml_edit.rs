//! Editing a compiled `AndroidManifest.xml` in place of a rebuild: the document is read with the
//! analyzer's reader into an owned model (string pool, resource map, nodes), changed, and
//! written back in the layout aapt writes. Every string index keeps pointing at the same text,
//! attributes stay sorted by resource id (the order the framework's attribute lookup assumes),
//! and an `android:` attribute's name is always a string backed by the resource map, because
//! Android resolves such attributes by resource id, never by name.
//!
//! Never decoding to text XML and recompiling is the lesson of apktool round trips: resource
//! references, obfuscated attribute names and compiler quirks survive untouched.

use analyzer::axml::{AxmlError, Node, XmlDocument};
use analyzer::res::{self, ParseMode, ResValue, chunk_type, data_type};

/// The `android` namespace.
pub const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";

/// No string (`ResStringPool_ref` of -1).
const NONE: u32 = u32::MAX;
const NODE_HEADER_LEN: u32 = 16;
const ATTRIBUTE_LEN: u32 = 20;
const STRING_POOL_HEADER_LEN: u32 = 28;
const UTF8_FLAG: u32 = 1 << 8;
const SORTED_FLAG: u32 = 1;

/// Why a document cannot be edited.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error(transparent)]
    Read(#[from] AxmlError),
    #[error("binary XML: {0}")]
    Unsupported(&'static str),
    #[error("binary XML: no android attribute named `{0}`")]
    UnknownAttribute(String),
    #[error("binary XML: string #{0} is longer than a string pool entry can be")]
    StringTooLong(usize),
}

/// A value to give an attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Bool(bool),
    Int(i32),
    Str(String),
}

/// One attribute of an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub namespace: Option<u32>,
    pub name: u32,
    pub raw_value: Option<u32>,
    pub value: ResValue,
}

/// A start of element, with its attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub line: u32,
    pub comment: Option<u32>,
    pub namespace: Option<u32>,
    pub name: u32,
    pub attrs: Vec<Attr>,
    /// 1-based positions of the `id`, `class` and `style` attributes (0: none).
    pub id_index: u16,
    pub class_index: u16,
    pub style_index: u16,
}

/// A node of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlNode {
    StartNamespace {
        line: u32,
        prefix: Option<u32>,
        uri: Option<u32>,
    },
    EndNamespace {
        line: u32,
        prefix: Option<u32>,
        uri: Option<u32>,
    },
    Start(Element),
    End {
        line: u32,
        namespace: Option<u32>,
        name: Option<u32>,
    },
    Cdata {
        line: u32,
        text: Option<u32>,
        value: ResValue,
    },
}

/// What setting an attribute did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added,
    /// It had another value (its data type and data).
    Changed {
        old_type: u8,
        old_data: u32,
    },
    /// It had this value already.
    Unchanged,
}

/// A compiled XML document as an editable model.
#[derive(Debug, Clone)]
pub struct XmlEditor {
    utf8: bool,
    flags: u32,
    strings: Vec<String>,
    /// The resource id of each of the first `resource_ids.len()` strings.
    resource_ids: Vec<u32>,
    nodes: Vec<XmlNode>,
}

impl XmlEditor {
    /// Reads a document as Android does (the permissive mode of the analyzer's reader).
    pub fn parse(data: &[u8]) -> Result<XmlEditor, EditError> {
        let document = XmlDocument::parse(data, ParseMode::Permissive)?;
        let pool = document.strings();
        if pool.style_count() != 0 {
            return Err(EditError::Unsupported("string pool with styled strings"));
        }
        let strings = (0..pool.len())
            .map(|index| pool.get(index).map(|text| text.into_owned()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(AxmlError::from)?;
        let mapped = document.resource_map_len().min(strings.len());
        let resource_ids = (0..mapped as u32).map(|i| document.resource_id(i)).collect();
        let mut nodes = Vec::new();
        for node in document.nodes() {
            nodes.push(match node? {
                Node::StartNamespace(ns) => XmlNode::StartNamespace {
                    line: ns.line,
                    prefix: ns.prefix,
                    uri: ns.uri,
                },
                Node::EndNamespace(ns) => XmlNode::EndNamespace {
                    line: ns.line,
                    prefix: ns.prefix,
                    uri: ns.uri,
                },
                Node::StartElement(element) => {
                    let name = element
                        .name
                        .ok_or(EditError::Unsupported("element without a name"))?;
                    let attrs = element
                        .attributes()
                        .map(|attr| {
                            let attr = attr?;
                            Ok(Attr {
                                namespace: attr.namespace,
                                name: attr
                                    .name
                                    .ok_or(EditError::Unsupported("attribute without a name"))?,
                                raw_value: attr.raw_value,
                                value: attr.typed_value,
                            })
                        })
                        .collect::<Result<Vec<_>, EditError>>()?;
                    XmlNode::Start(Element {
                        line: element.line,
                        comment: element.comment,
                        namespace: element.namespace,
                        name,
                        attrs,
                        id_index: element.id_index,
                        class_index: element.class_index,
                        style_index: element.style_index,
                    })
                }
                Node::EndElement(end) => XmlNode::End {
                    line: end.line,
                    namespace: end.namespace,
                    name: end.name,
                },
                Node::Cdata(cdata) => XmlNode::Cdata {
                    line: cdata.line,
                    text: cdata.text,
                    value: cdata.typed_value,
                },
            });
        }
        // The reader accepts a document whose first element chunk lies past where the node
        // walk stops; written back, such a document would have no element at all.
        if !nodes.iter().any(|node| matches!(node, XmlNode::Start(_))) {
            return Err(EditError::Unsupported("no element among the nodes"));
        }
        let flags =
            if pool.is_utf8() { UTF8_FLAG } else { 0 } | if pool.is_sorted() { SORTED_FLAG } else { 0 };
        Ok(XmlEditor {
            utf8: pool.is_utf8(),
            flags,
            strings,
            resource_ids,
            nodes,
        })
    }

    pub fn nodes(&self) -> &[XmlNode] {
        &self.nodes
    }

    pub fn string(&self, index: u32) -> Option<&str> {
        self.strings.get(index as usize).map(String::as_str)
    }

    /// The resource id behind string `index`, or 0.
    fn resource_id(&self, index: u32) -> u32 {
        self.resource_ids.get(index as usize).copied().unwrap_or(0)
    }

    /// The element at node `index`.
    pub fn element(&self, index: usize) -> Option<&Element> {
        match self.nodes.get(index) {
            Some(XmlNode::Start(element)) => Some(element),
            _ => None,
        }
    }

    /// Node indices of the elements at `path` (`manifest/application/activity`), in order.
    pub fn find(&self, path: &str) -> Vec<usize> {
        let want: Vec<&str> = path.split('/').collect();
        let mut stack: Vec<&str> = Vec::new();
        let mut found = Vec::new();
        for (index, node) in self.nodes.iter().enumerate() {
            match node {
                XmlNode::Start(element) => {
                    stack.push(self.string(element.name).unwrap_or(""));
                    if stack == want {
                        found.push(index);
                    }
                }
                XmlNode::End { .. } => {
                    stack.pop();
                }
                _ => {}
            }
        }
        found
    }

    /// The `android:` attribute `name` of the element at node `element`, found by resource id.
    pub fn android_attr(&self, element: usize, name: &str) -> Option<&Attr> {
        let id = res::android_attr_id(name)?;
        self.element(element)?
            .attrs
            .iter()
            .find(|attr| self.resource_id(attr.name) == id)
    }

    /// The text of a string-valued attribute.
    pub fn attr_text(&self, attr: &Attr) -> Option<&str> {
        if attr.value.data_type == data_type::STRING {
            self.string(attr.value.data)
        } else {
            attr.raw_value.and_then(|raw| self.string(raw))
        }
    }

    /// Sets `android:name` on the element at node `element`, adding the attribute where it is
    /// missing (in resource-id order).
    pub fn set_android_attr(
        &mut self,
        element: usize,
        name: &str,
        value: Value,
    ) -> Result<Change, EditError> {
        let id = res::android_attr_id(name).ok_or_else(|| EditError::UnknownAttribute(name.into()))?;
        if self.element(element).is_none() {
            return Err(EditError::Unsupported("not an element"));
        }
        let existing = self.android_attr(element, name).cloned();
        if existing.is_none()
            && self
                .element(element)
                .is_some_and(|e| e.attrs.len() >= usize::from(u16::MAX))
        {
            return Err(EditError::Unsupported(
                "element has the most attributes a node can hold",
            ));
        }
        // A new name string shifts later strings: it is placed before any value is interned.
        let name_index = match &existing {
            Some(old) => old.name,
            None => self.mapped_name(name, id),
        };
        let (raw_value, typed) = match value {
            Value::Bool(on) => (
                None,
                ResValue::new(data_type::INT_BOOLEAN, if on { u32::MAX } else { 0 }),
            ),
            Value::Int(number) => (None, ResValue::new(data_type::INT_DEC, number as u32)),
            Value::Str(text) => {
                let index = self.intern(&text);
                (Some(index), ResValue::new(data_type::STRING, index))
            }
        };
        if let Some(old) = existing {
            let change = if old.value == typed && old.raw_value == raw_value {
                Change::Unchanged
            } else {
                Change::Changed {
                    old_type: old.value.data_type,
                    old_data: old.value.data,
                }
            };
            if let Some(XmlNode::Start(element)) = self.nodes.get_mut(element)
                && let Some(attr) = element.attrs.iter_mut().find(|a| a.name == name_index)
            {
                attr.raw_value = raw_value;
                attr.value = typed;
            }
            return Ok(change);
        }
        let namespace = Some(self.intern(ANDROID_NS));
        let ids: Vec<u32> = self
            .element(element)
            .map(|e| e.attrs.iter().map(|a| self.resource_id(a.name)).collect())
            .unwrap_or_default();
        let at = ids.iter().position(|&other| other > id).unwrap_or(ids.len());
        if let Some(XmlNode::Start(element)) = self.nodes.get_mut(element) {
            element.attrs.insert(
                at,
                Attr {
                    namespace,
                    name: name_index,
                    raw_value,
                    value: typed,
                },
            );
            // The special indices are 1-based positions: those after the insertion move. One
            // past the attributes (hostile input) names none and is left alone.
            let before = element.attrs.len() - 1;
            for index in [
                &mut element.id_index,
                &mut element.class_index,
                &mut element.style_index,
            ] {
                let position = usize::from(*index);
                if position > at && position <= before {
                    *index += 1;
                }
            }
        }
        Ok(Change::Added)
    }

    /// Removes the `android:` attribute `name` from the element at node `element`; says whether
    /// it was there.
    pub fn remove_android_attr(&mut self, element: usize, name: &str) -> bool {
        let Some(id) = res::android_attr_id(name) else {
            return false;
        };
        let Some(at) = self
            .element(element)
            .and_then(|e| e.attrs.iter().position(|a| self.resource_id(a.name) == id))
        else {
            return false;
        };
        if let Some(XmlNode::Start(element)) = self.nodes.get_mut(element) {
            element.attrs.remove(at);
            // 1-based positions: the removed one is gone, those after it move down.
            for index in [
                &mut element.id_index,
                &mut element.class_index,
                &mut element.style_index,
            ] {
                let position = usize::from(*index);
                if position == at + 1 {
                    *index = 0;
                } else if position > at + 1 {
                    *index -= 1;
                }
            }
        }
        true
    }

    /// Removes the element at node `element` with everything inside it.
    pub fn remove_element(&mut self, element: usize) -> Result<(), EditError> {
        let end = self
            .end_of(element)
            .ok_or(EditError::Unsupported("element without its end"))?;
        self.nodes.drain(element..=end);
        Ok(())
    }

    /// Adds `<name android:a="..." ...>` as the last child of the element at node `parent`;
    /// returns its node index.
    pub fn add_element(
        &mut self,
        parent: usize,
        name: &str,
        attrs: &[(&str, Value)],
    ) -> Result<usize, EditError> {
        let end = self
            .end_of(parent)
            .ok_or(EditError::Unsupported("element without its end"))?;
        let line = self.element(parent).map_or(0, |e| e.line);
        let name_index = self.intern(name);
        let element = Element {
            line,
            comment: None,
            namespace: None,
            name: name_index,
            attrs: Vec::new(),
            id_index: 0,
            class_index: 0,
            style_index: 0,
        };
        self.nodes.insert(end, XmlNode::Start(element));
        self.nodes.insert(
            end + 1,
            XmlNode::End {
                line,
                namespace: None,
                name: Some(name_index),
            },
        );
        for (attr, value) in attrs {
            self.set_android_attr(end, attr, value.clone())?;
        }
        Ok(end)
    }

    /// The node index of the end of the element that starts at `start`.
    fn end_of(&self, start: usize) -> Option<usize> {
        self.element(start)?;
        let mut depth = 0usize;
        for (index, node) in self.nodes.iter().enumerate().skip(start) {
            match node {
                XmlNode::Start(_) => depth += 1,
                XmlNode::End { .. } => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(index);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The index of `text` in the pool, added at the end when missing.
    fn intern(&mut self, text: &str) -> u32 {
        if let Some(index) = self.strings.iter().rposition(|s| s == text) {
            return index as u32;
        }
        self.strings.push(text.to_string());
        self.flags &= !SORTED_FLAG;
        (self.strings.len() - 1) as u32
    }

    /// The index of a string naming attribute `id`, inside the resource-mapped prefix; a new one
    /// is inserted at the end of that prefix, moving every later string up by one.
    fn mapped_name(&mut self, name: &str, id: u32) -> u32 {
        if let Some(index) = self.resource_ids.iter().position(|&other| other == id) {
            return index as u32;
        }
        let at = self.resource_ids.len() as u32;
        self.strings.insert(at as usize, name.to_string());
        self.resource_ids.push(id);
        self.flags &= !SORTED_FLAG;
        // A reference past the pool stays past it; one at i32::MAX cannot move (beyond it a
        // reference reads as "no string") and no pool is that large, so it dangles as before.
        let bump = |index: &mut u32| {
            if *index >= at && *index < i32::MAX as u32 {
                *index += 1;
            }
        };
        let bump_opt = |index: &mut Option<u32>| {
            if let Some(index) = index {
                bump(index);
            }
        };
        let bump_value = |value: &mut ResValue| {
            if value.data_type == data_type::STRING {
                bump(&mut value.data);
            }
        };
        for node in &mut self.nodes {
            match node {
                XmlNode::StartNamespace { prefix, uri, .. } | XmlNode::EndNamespace { prefix, uri, .. } => {
                    bump_opt(prefix);
                    bump_opt(uri);
                }
                XmlNode::Start(element) => {
                    bump_opt(&mut element.comment);
                    bump_opt(&mut element.namespace);
                    bump(&mut element.name);
                    for attr in &mut element.attrs {
                        bump_opt(&mut attr.namespace);
                        bump(&mut attr.name);
                        bump_opt(&mut attr.raw_value);
                        bump_value(&mut attr.value);
                    }
                }
                XmlNode::End { namespace, name, .. } => {
                    bump_opt(namespace);
                    bump_opt(name);
                }
                XmlNode::Cdata { text, value, .. } => {
                    bump_opt(text);
                    bump_value(value);
                }
            }
        }
        at
    }

    /// The document in aapt's layout: header, string pool, resource map, nodes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, EditError> {
        let mut out = Vec::new();
        put16(&mut out, chunk_type::XML);
        put16(&mut out, 8);
        put32(&mut out, 0); // size, patched below
        self.write_pool(&mut out)?;
        if !self.resource_ids.is_empty() {
            put16(&mut out, chunk_type::XML_RESOURCE_MAP);
            put16(&mut out, 8);
            put32(&mut out, 8 + 4 * self.resource_ids.len() as u32);
            for &id in &self.resource_ids {
                put32(&mut out, id);
            }
        }
        for node in &self.nodes {
            write_node(&mut out, node);
        }
        let size = out.len() as u32;
        out[4..8].copy_from_slice(&size.to_le_bytes());
        Ok(out)
    }

    fn write_pool(&self, out: &mut Vec<u8>) -> Result<(), EditError> {
        let mut data = Vec::new();
        let mut offsets = Vec::with_capacity(self.strings.len());
        for (index, text) in self.strings.iter().enumerate() {
            offsets.push(data.len() as u32);
            let too_long = || EditError::StringTooLong(index);
            if self.utf8 {
                let units = text.encode_utf16().count();
                put_utf8_len(&mut data, units).ok_or_else(too_long)?;
                put_utf8_len(&mut data, text.len()).ok_or_else(too_long)?;
                data.extend_from_slice(text.as_bytes());
                data.push(0);
            } else {
                let units: Vec<u16> = text.encode_utf16().collect();
                if units.len() > 0x7fff_ffff {
                    return Err(too_long());
                }
                if units.len() > 0x7fff {
                    put16(&mut data, 0x8000 | (units.len() >> 16) as u16);
                }
                put16(&mut data, units.len() as u16);
                for unit in units {
                    put16(&mut data, unit);
                }
                put16(&mut data, 0);
            }
        }
        while data.len() % 4 != 0 {
            data.push(0);
        }
        let count = self.strings.len() as u32;
        let strings_start = STRING_POOL_HEADER_LEN + 4 * count;
        put16(out, chunk_type::STRING_POOL);
        put16(out, STRING_POOL_HEADER_LEN as u16);
        put32(out, strings_start + data.len() as u32);
        put32(out, count);
        put32(out, 0); // styles
        put32(out, self.flags);
        put32(out, strings_start);
        put32(out, 0); // styles start
        for offset in offsets {
            put32(out, offset);
        }
        out.extend_from_slice(&data);
        Ok(())
    }
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// A UTF-8 pool's length prefix: one byte below 0x80, else two (high bit set); `None` past 0x7fff.
fn put_utf8_len(out: &mut Vec<u8>, len: usize) -> Option<()> {
    match len {
        0..=0x7f => out.push(len as u8),
        0x80..=0x7fff => {
            out.push(0x80 | (len >> 8) as u8);
            out.push(len as u8);
        }
        _ => return None,
    }
    Some(())
}

fn string_ref(index: Option<u32>) -> u32 {
    index.unwrap_or(NONE)
}

fn put_value(out: &mut Vec<u8>, value: &ResValue) {
    put16(out, value.size);
    out.push(value.res0);
    out.push(value.data_type);
    put32(out, value.data);
}

fn node_header(out: &mut Vec<u8>, kind: u16, size: u32, line: u32, comment: Option<u32>) {
    put16(out, kind);
    put16(out, NODE_HEADER_LEN as u16);
    put32(out, size);
    put32(out, line);
    put32(out, string_ref(comment));
}

fn write_node(out: &mut Vec<u8>, node: &XmlNode) {
    match node {
        XmlNode::StartNamespace { line, prefix, uri } | XmlNode::EndNamespace { line, prefix, uri } => {
            let kind = if matches!(node, XmlNode::StartNamespace { .. }) {
                chunk_type::XML_START_NAMESPACE
            } else {
                chunk_type::XML_END_NAMESPACE
            };
            node_header(out, kind, NODE_HEADER_LEN + 8, *line, None);
            put32(out, string_ref(*prefix));
            put32(out, string_ref(*uri));
        }
        XmlNode::Start(element) => {
            let size = NODE_HEADER_LEN + 20 + ATTRIBUTE_LEN * element.attrs.len() as u32;
            node_header(
                out,
                chunk_type::XML_START_ELEMENT,
                size,
                element.line,
                element.comment,
            );
            put32(out, string_ref(element.namespace));
            put32(out, element.name);
            put16(out, 20); // attributeStart
            put16(out, ATTRIBUTE_LEN as u16);
            put16(out, element.attrs.len() as u16);
            put16(out, element.id_index);
            put16(out, element.class_index);
            put16(out, element.style_index);
            for attr in &element.attrs {
                put32(out, string_ref(attr.namespace));
                put32(out, attr.name);
                put32(out, string_ref(attr.raw_value));
                put_value(out, &attr.value);
            }
        }
        XmlNode::End {
            line,
            namespace,
            name,
        } => {
            node_header(out, chunk_type::XML_END_ELEMENT, NODE_HEADER_LEN + 8, *line, None);
            put32(out, string_ref(*namespace));
            put32(out, string_ref(*name));
        }
        XmlNode::Cdata { line, text, value } => {
            node_header(out, chunk_type::XML_CDATA, NODE_HEADER_LEN + 12, *line, None);
            put32(out, string_ref(*text));
            put_value(out, value);
        }
    }
}
