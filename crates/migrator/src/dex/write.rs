//! Lays a [`DexModel`] out as a DEX file: the pools the classes use, sorted as the format
//! requires (strings by UTF-16 code units, types by string, prototypes by return and
//! parameter types, fields and methods by class, name and type), every reference renumbered,
//! classes ordered after their supertypes, sections aligned and listed in the map, and the
//! SHA-1 signature and Adler-32 checksum recomputed. [`write_split`] spreads the classes over
//! as many files as the 16-bit reference limits need.

use std::collections::HashMap;

use super::model::{
    Annotation, AnnotationSet, AnnotationsDirectory, Class, Code, DebugInfo, DebugOp, DexModel,
    EncodedAnnotation, EncodedValue, FieldDef, MethodDef, Pools, RefKind,
};

/// Why a model cannot be written.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum WriteError {
    #[error("{pool} pool of {count} items exceeds the format's 16-bit limit of 65,536")]
    PoolTooLarge { pool: &'static str, count: usize },
    #[error("class {class} alone references more than 65,536 {pool}")]
    ClassTooLarge { class: String, pool: &'static str },
    #[error(
        "{method}: const-string at {pc:#x} refers to string {index}, beyond the 16-bit operand (needs const-string/jumbo)"
    )]
    StringOperandOverflow { method: String, pc: u32, index: u32 },
    #[error("{method}: instruction at {pc:#x} refers to {what} {index}, beyond its 16-bit operand")]
    OperandOverflow {
        method: String,
        pc: u32,
        what: &'static str,
        index: u32,
    },
    #[error("DEX output would exceed 4 GiB")]
    TooLarge,
    #[error("class {0} is defined twice")]
    DuplicateClass(String),
    #[error("class {0} is among its own supertypes")]
    CyclicHierarchy(String),
}

/// The most items a pool may hold when 16-bit operands name them.
pub const MAX_REFS: usize = 65_536;

/// Which pool items a set of classes uses (model indices, marked once).
#[derive(Debug, Clone)]
struct Used {
    strings: Vec<bool>,
    types: Vec<bool>,
    protos: Vec<bool>,
    fields: Vec<bool>,
    methods: Vec<bool>,
    method_handles: Vec<bool>,
    call_sites: Vec<bool>,
    /// How many methods, fields, types and prototypes are marked: the pools with 16-bit limits.
    counts: [usize; 4],
}

impl Used {
    fn new(pools: &Pools) -> Used {
        Used {
            strings: vec![false; pools.strings.len()],
            types: vec![false; pools.types.len()],
            protos: vec![false; pools.protos.len()],
            fields: vec![false; pools.fields.len()],
            methods: vec![false; pools.methods.len()],
            method_handles: vec![false; pools.method_handles.len()],
            call_sites: vec![false; pools.call_sites.len()],
            counts: [0; 4],
        }
    }
}

/// Sets `flags[i]`; true when it was not set before.
fn mark(flags: &mut [bool], i: u32) -> bool {
    !std::mem::replace(&mut flags[i as usize], true)
}

/// Marks what a class uses. `mark` sees every item once per mention; [`Used`] dedups.
struct Marker<'a> {
    pools: &'a Pools,
    used: Used,
}

impl Marker<'_> {
    fn string(&mut self, i: u32) {
        self.used.strings[i as usize] = true;
    }
    fn type_(&mut self, i: u32) {
        if mark(&mut self.used.types, i) {
            self.used.counts[2] += 1;
            self.string(*self.pools.types.get(i));
        }
    }
    fn proto(&mut self, i: u32) {
        if mark(&mut self.used.protos, i) {
            self.used.counts[3] += 1;
            let p = self.pools.protos.get(i);
            self.string(p.shorty);
            self.type_(p.return_type);
            for &t in p.parameters.iter() {
                self.type_(t);
            }
        }
    }
    fn field(&mut self, i: u32) {
        if mark(&mut self.used.fields, i) {
            self.used.counts[1] += 1;
            let f = *self.pools.fields.get(i);
            self.type_(f.class);
            self.type_(f.type_);
            self.string(f.name);
        }
    }
    fn method(&mut self, i: u32) {
        if mark(&mut self.used.methods, i) {
            self.used.counts[0] += 1;
            let m = *self.pools.methods.get(i);
            self.type_(m.class);
            self.proto(m.proto);
            self.string(m.name);
        }
    }
    fn method_handle(&mut self, i: u32) {
        if mark(&mut self.used.method_handles, i) {
            let h = *self.pools.method_handles.get(i);
            if h.is_field() {
                self.field(h.member);
            } else {
                self.method(h.member);
            }
        }
    }
    fn call_site(&mut self, i: u32) {
        if mark(&mut self.used.call_sites, i) {
            let pools = self.pools;
            for value in &pools.call_sites[i as usize] {
                self.value(value);
            }
        }
    }
    fn value(&mut self, value: &EncodedValue) {
        match value {
            EncodedValue::MethodType(i) => self.proto(*i),
            EncodedValue::MethodHandle(i) => self.method_handle(*i),
            EncodedValue::String(i) => self.string(*i),
            EncodedValue::Type(i) => self.type_(*i),
            EncodedValue::Field(i) | EncodedValue::Enum(i) => self.field(*i),
            EncodedValue::Method(i) => self.method(*i),
            EncodedValue::Array(values) => values.iter().for_each(|v| self.value(v)),
            EncodedValue::Annotation(a) => self.annotation(a),
            _ => {}
        }
    }
    fn annotation(&mut self, a: &EncodedAnnotation) {
        self.type_(a.type_);
        for (name, value) in &a.elements {
            self.string(*name);
            self.value(value);
        }
    }
    fn set(&mut self, set: &AnnotationSet) {
        for a in set {
            self.annotation(&a.annotation);
        }
    }
    fn class(&mut self, class: &Class) {
        self.type_(class.type_);
        if let Some(s) = class.superclass {
            self.type_(s);
        }
        class.interfaces.iter().for_each(|&t| self.type_(t));
        if let Some(s) = class.source_file {
            self.string(s);
        }
        if let Some(dir) = &class.annotations {
            if let Some(set) = &dir.class {
                self.set(set);
            }
            for (f, set) in &dir.fields {
                self.field(*f);
                self.set(set);
            }
            for (m, set) in &dir.methods {
                self.method(*m);
                self.set(set);
            }
            for (m, sets) in &dir.parameters {
                self.method(*m);
                sets.iter().flatten().for_each(|set| self.set(set));
            }
        }
        if let Some(values) = &class.static_values {
            values.iter().for_each(|v| self.value(v));
        }
        class.fields().for_each(|f| self.field(f.field));
        for m in class.methods() {
            self.method(m.method);
            if let Some(code) = &m.code {
                self.code(code);
            }
        }
    }
    fn code(&mut self, code: &Code) {
        for r in &code.refs {
            match r.kind {
                RefKind::String | RefKind::StringJumbo => self.string(r.index),
                RefKind::Type => self.type_(r.index),
                RefKind::Field => self.field(r.index),
                RefKind::Method => self.method(r.index),
                RefKind::PolymorphicProto | RefKind::Proto => self.proto(r.index),
                RefKind::CallSite => self.call_site(r.index),
                RefKind::MethodHandle => self.method_handle(r.index),
            }
        }
        for h in &code.handlers {
            h.catches.iter().for_each(|&(t, _)| self.type_(t));
        }
        if let Some(debug) = &code.debug {
            debug
                .parameter_names
                .iter()
                .flatten()
                .for_each(|&s| self.string(s));
            for op in &debug.ops {
                match *op {
                    DebugOp::StartLocal { name, type_, .. } => {
                        name.into_iter().for_each(|s| self.string(s));
                        type_.into_iter().for_each(|t| self.type_(t));
                    }
                    DebugOp::StartLocalExtended {
                        name,
                        type_,
                        signature,
                        ..
                    } => {
                        name.into_iter().chain(signature).for_each(|s| self.string(s));
                        type_.into_iter().for_each(|t| self.type_(t));
                    }
                    DebugOp::SetFile(Some(s)) => self.string(s),
                    _ => {}
                }
            }
        }
    }
}

/// Model index → file index for each pool; `u32::MAX` for items not in the file.
#[derive(Debug)]
struct Numbering {
    strings: Vec<u32>,
    types: Vec<u32>,
    protos: Vec<u32>,
    fields: Vec<u32>,
    methods: Vec<u32>,
    method_handles: Vec<u32>,
    call_sites: Vec<u32>,
    /// Model indices in file order.
    order_strings: Vec<u32>,
    order_types: Vec<u32>,
    order_protos: Vec<u32>,
    order_fields: Vec<u32>,
    order_methods: Vec<u32>,
    order_method_handles: Vec<u32>,
    order_call_sites: Vec<u32>,
}

fn numbering_of(order: &[u32], len: usize) -> Vec<u32> {
    let mut numbers = vec![u32::MAX; len];
    for (position, &index) in order.iter().enumerate() {
        numbers[index as usize] = position as u32;
    }
    numbers
}

fn selected(used: &[bool]) -> Vec<u32> {
    used.iter()
        .enumerate()
        .filter_map(|(i, &u)| u.then_some(i as u32))
        .collect()
}

impl Numbering {
    fn new(pools: &Pools, used: &Used) -> Numbering {
        let mut order_strings = selected(&used.strings);
        let keys: HashMap<u32, Vec<u16>> = order_strings
            .iter()
            .map(|&i| (i, pools.strings.get(i).utf16_units().collect()))
            .collect();
        order_strings.sort_by(|a, b| keys[a].cmp(&keys[b]));
        let strings = numbering_of(&order_strings, pools.strings.len());

        let mut order_types = selected(&used.types);
        order_types.sort_by_key(|&t| strings[*pools.types.get(t) as usize]);
        let types = numbering_of(&order_types, pools.types.len());

        let mut order_protos = selected(&used.protos);
        order_protos.sort_by_cached_key(|&p| {
            let proto = pools.protos.get(p);
            let params: Vec<u32> = proto.parameters.iter().map(|&t| types[t as usize]).collect();
            (types[proto.return_type as usize], params)
        });
        let protos = numbering_of(&order_protos, pools.protos.len());

        let mut order_fields = selected(&used.fields);
        order_fields.sort_by_key(|&f| {
            let f = pools.fields.get(f);
            (
                types[f.class as usize],
                strings[f.name as usize],
                types[f.type_ as usize],
            )
        });
        let fields = numbering_of(&order_fields, pools.fields.len());

        let mut order_methods = selected(&used.methods);
        order_methods.sort_by_key(|&m| {
            let m = pools.methods.get(m);
            (
                types[m.class as usize],
                strings[m.name as usize],
                protos[m.proto as usize],
            )
        });
        let methods = numbering_of(&order_methods, pools.methods.len());

        let order_method_handles = selected(&used.method_handles);
        let method_handles = numbering_of(&order_method_handles, pools.method_handles.len());
        let order_call_sites = selected(&used.call_sites);
        let call_sites = numbering_of(&order_call_sites, pools.call_sites.len());
        Numbering {
            strings,
            types,
            protos,
            fields,
            methods,
            method_handles,
            call_sites,
            order_strings,
            order_types,
            order_protos,
            order_fields,
            order_methods,
            order_method_handles,
            order_call_sites,
        }
    }
}

/// A growing output buffer with the LEB128 and alignment helpers the format needs.
#[derive(Debug, Default)]
struct Out {
    bytes: Vec<u8>,
}

impl Out {
    fn pos(&self) -> u32 {
        self.bytes.len() as u32
    }
    fn align(&mut self, to: usize) {
        while !self.bytes.len().is_multiple_of(to) {
            self.bytes.push(0);
        }
    }
    fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    fn put_u32(&mut self, at: u32, v: u32) {
        self.bytes[at as usize..at as usize + 4].copy_from_slice(&v.to_le_bytes());
    }
    fn uleb(&mut self, mut v: u32) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.bytes.push(byte);
                return;
            }
            self.bytes.push(byte | 0x80);
        }
    }
    fn sleb(&mut self, mut v: i32) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0);
            if done {
                self.bytes.push(byte);
                return;
            }
            self.bytes.push(byte | 0x80);
        }
    }
    fn uleb_p1(&mut self, v: Option<u32>) {
        self.uleb(v.map_or(0, |v| v + 1));
    }
}

/// One section of the map.
#[derive(Debug, Clone, Copy)]
struct Section {
    type_: u16,
    size: u32,
    offset: u32,
}

/// Writes one DEX file of all the model's classes, keeping every item the model was read
/// with even when nothing refers to it any more.
pub fn write(model: &DexModel) -> Result<Vec<u8>, WriteError> {
    let all: Vec<usize> = (0..model.classes.len()).collect();
    write_classes(model, &all, true)
}

/// Writes the model's classes into as few DEX files as the 65,536-reference limits allow
/// (methods, fields, types and prototypes per file), keeping class order; the first file holds
/// the first classes, as a primary `classes.dex` must.
pub fn write_split(model: &DexModel) -> Result<Vec<Vec<u8>>, WriteError> {
    let groups = partition(model)?;
    groups
        .iter()
        .map(|group| write_classes(model, group, false))
        .collect()
}

/// Packs classes greedily, in order, into groups whose pools stay within the limits.
fn partition(model: &DexModel) -> Result<Vec<Vec<usize>>, WriteError> {
    const NAMES: [&str; 4] = ["methods", "fields", "types", "prototypes"];
    let pools = &model.pools;
    let mut groups = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut marker = Marker {
        pools,
        used: Used::new(pools),
    };
    for (index, class) in model.classes.iter().enumerate() {
        marker.class(class);
        if marker.used.counts.iter().any(|&c| c > MAX_REFS) {
            // The class does not fit: it opens the next file.
            groups.push(std::mem::take(&mut current));
            marker.used = Used::new(pools);
            marker.class(class);
            if let Some(over) = marker.used.counts.iter().position(|&c| c > MAX_REFS) {
                return Err(WriteError::ClassTooLarge {
                    class: pools.type_descriptor(class.type_),
                    pool: NAMES[over],
                });
            }
        }
        current.push(index);
    }
    groups.push(current);
    groups.retain(|g| !g.is_empty());
    if groups.is_empty() {
        groups.push(Vec::new());
    }
    Ok(groups)
}

/// Superclasses and interfaces defined among `classes` come before the classes that extend
/// them (the verifier's rule); otherwise the given order is kept.
fn class_order(model: &DexModel, classes: &[usize]) -> Result<Vec<usize>, WriteError> {
    let mut by_type: HashMap<u32, usize> = HashMap::with_capacity(classes.len());
    for &i in classes {
        let type_ = model.classes[i].type_;
        if by_type.insert(type_, i).is_some() {
            return Err(WriteError::DuplicateClass(model.pools.type_descriptor(type_)));
        }
    }
    let mut state: HashMap<usize, bool> = HashMap::new(); // false = in progress, true = done
    let mut order = Vec::with_capacity(classes.len());
    for &start in classes {
        // Iterative DFS: (class, next supertype position).
        let mut stack = vec![(start, 0usize)];
        while let Some((class, next)) = stack.pop() {
            if next == 0 {
                if state.contains_key(&class) {
                    continue;
                }
                state.insert(class, false);
            }
            let c = &model.classes[class];
            let super_type = c
                .superclass
                .into_iter()
                .chain(c.interfaces.iter().copied())
                .nth(next);
            if let Some(super_type) = super_type {
                stack.push((class, next + 1));
                if let Some(&s) = by_type.get(&super_type) {
                    match state.get(&s) {
                        None => stack.push((s, 0)),
                        // Its own supertype, directly or not: no order can put it first.
                        Some(false) => {
                            return Err(WriteError::CyclicHierarchy(model.pools.type_descriptor(c.type_)));
                        }
                        Some(true) => {}
                    }
                }
            } else {
                state.insert(class, true);
                order.push(class);
            }
        }
    }
    Ok(order)
}

/// A map from item bytes to the offset they were first written at.
type Dedup = HashMap<Vec<u8>, u32>;

struct Writer<'a> {
    model: &'a DexModel,
    n: Numbering,
    out: Out,
    sections: Vec<Section>,
    type_lists: Dedup,
    annotations: Dedup,
    annotation_sets: Dedup,
    /// Offsets of the written `string_data_item`s, by file index.
    string_data: Vec<u32>,
}

fn write_classes(model: &DexModel, classes: &[usize], keep_read: bool) -> Result<Vec<u8>, WriteError> {
    let pools = &model.pools;
    let mut marker = Marker {
        pools,
        used: Used::new(pools),
    };
    if keep_read {
        let counts = model.read_counts;
        (0..counts.strings).for_each(|i| marker.string(i));
        (0..counts.types).for_each(|i| marker.type_(i));
        (0..counts.protos).for_each(|i| marker.proto(i));
        (0..counts.fields).for_each(|i| marker.field(i));
        (0..counts.methods).for_each(|i| marker.method(i));
    }
    for &c in classes {
        marker.class(&model.classes[c]);
    }
    let n = Numbering::new(pools, &marker.used);
    // Field and method IDs name their class and prototype in 16 bits. More than 65,536 fields
    // or methods is legal as long as no instruction needs an index beyond 16 bits, which the
    // instruction writer checks ([`write_split`] avoids both).
    for (pool, count) in [("type", n.order_types.len()), ("prototype", n.order_protos.len())] {
        if count > MAX_REFS {
            return Err(WriteError::PoolTooLarge { pool, count });
        }
    }
    let order = class_order(model, classes)?;
    let mut w = Writer {
        model,
        n,
        out: Out::default(),
        sections: Vec::new(),
        type_lists: Dedup::new(),
        annotations: Dedup::new(),
        annotation_sets: Dedup::new(),
        string_data: Vec::new(),
    };
    w.write_file(&order)
}

const HEADER_SIZE: u32 = 0x70;

impl Writer<'_> {
    fn section(&mut self, type_: u16, size: usize, offset: u32) {
        if size > 0 {
            self.sections.push(Section {
                type_,
                size: size as u32,
                offset,
            });
        }
    }

    fn write_file(&mut self, order: &[usize]) -> Result<Vec<u8>, WriteError> {
        let n_strings = self.n.order_strings.len();
        let n_types = self.n.order_types.len();
        let n_protos = self.n.order_protos.len();
        let n_fields = self.n.order_fields.len();
        let n_methods = self.n.order_methods.len();
        let n_classes = order.len();
        let n_call_sites = self.n.order_call_sites.len();
        let n_handles = self.n.order_method_handles.len();

        // Header and ID tables, filled in at the end.
        self.out.bytes.resize(HEADER_SIZE as usize, 0);
        self.section(0x0000, 1, 0);
        let table = |w: &mut Self, type_: u16, count: usize, item: usize| -> u32 {
            let at = w.out.pos();
            w.out.bytes.resize(at as usize + count * item, 0);
            w.section(type_, count, at);
            if count == 0 { 0 } else { at }
        };
        let string_ids_off = table(self, 0x0001, n_strings, 4);
        let type_ids_off = table(self, 0x0002, n_types, 4);
        let proto_ids_off = table(self, 0x0003, n_protos, 12);
        let field_ids_off = table(self, 0x0004, n_fields, 8);
        let method_ids_off = table(self, 0x0005, n_methods, 8);
        let class_defs_off = table(self, 0x0006, n_classes, 32);
        let call_site_ids_off = table(self, 0x0007, n_call_sites, 4);
        let method_handles_off = table(self, 0x0008, n_handles, 8);
        let data_off = self.out.pos();

        self.write_string_data();
        let proto_params = self.write_proto_type_lists();
        let interfaces: Vec<u32> = order
            .iter()
            .map(|&c| {
                let types: Vec<u32> = self.model.classes[c].interfaces.clone();
                self.type_list(&types)
            })
            .collect();
        let type_list_start = self.type_lists.values().min().copied();
        if let Some(start) = type_list_start {
            self.section(0x1001, self.type_lists.len(), start);
        }

        // Debug info, then code, then class data (which names code offsets in ULEB128).
        let mut debug_offsets: HashMap<(usize, usize), u32> = HashMap::new();
        let debug_start = self.out.pos();
        let mut debug_count = 0;
        // Methods in class-data order (by new index), so that writing a written file lays the
        // code out the same way: the writer's output is a fixed point.
        let model = self.model;
        let in_class_data_order = |c: usize| {
            let class = &model.classes[c];
            let direct = class.direct_methods.len();
            let mut methods = sorted_methods(&class.direct_methods, 0, &self.n);
            methods.extend(sorted_methods(&class.virtual_methods, direct, &self.n));
            methods
        };
        let method_order: Vec<Vec<(usize, &MethodDef)>> =
            order.iter().map(|&c| in_class_data_order(c)).collect();
        for (position, &c) in order.iter().enumerate() {
            for &(m, method) in &method_order[position] {
                if let Some(debug) = method.code.as_ref().and_then(|code| code.debug.as_ref()) {
                    debug_offsets.insert((c, m), self.out.pos());
                    self.write_debug_info(debug);
                    debug_count += 1;
                }
            }
        }
        self.section(0x2003, debug_count, debug_start);

        self.out.align(4);
        let code_start = self.out.pos();
        let mut code_offsets: HashMap<(usize, usize), u32> = HashMap::new();
        for (position, &c) in order.iter().enumerate() {
            for &(m, method) in &method_order[position] {
                if let Some(code) = &method.code {
                    self.out.align(4);
                    code_offsets.insert((c, m), self.out.pos());
                    let debug = debug_offsets.get(&(c, m)).copied().unwrap_or(0);
                    self.write_code(code, debug, method.method)?;
                }
            }
        }
        self.section(0x2001, code_offsets.len(), code_start);

        let class_data_start = self.out.pos();
        let mut class_data = vec![0u32; order.len()];
        let mut hidden_flags: Vec<Option<Vec<u32>>> = vec![None; order.len()];
        for (position, &c) in order.iter().enumerate() {
            let class = &self.model.classes[c];
            if !class.has_class_data && class.fields().next().is_none() && class.methods().next().is_none() {
                continue;
            }
            class_data[position] = self.out.pos();
            hidden_flags[position] = self.write_class_data(c, &code_offsets);
        }
        let class_data_count = class_data.iter().filter(|&&o| o != 0).count();
        self.section(0x2000, class_data_count, class_data_start);

        // Encoded arrays: static values, then call sites.
        let arrays_start = self.out.pos();
        let mut arrays = 0;
        let mut static_values = vec![0u32; order.len()];
        for (position, &c) in order.iter().enumerate() {
            if let Some(values) = self.static_values(c) {
                static_values[position] = self.out.pos();
                self.write_array(&values);
                arrays += 1;
            }
        }
        let mut call_site_offsets = Vec::with_capacity(n_call_sites);
        for i in 0..n_call_sites {
            let site = self.n.order_call_sites[i];
            call_site_offsets.push(self.out.pos());
            let values = self.model.pools.call_sites[site as usize].clone();
            self.write_array(&values);
            arrays += 1;
        }
        self.section(0x2005, arrays, arrays_start);

        // Annotations: items, sets, set ref lists, directories (each refers to the ones before).
        // Entries in the order the file sorts them, so a written file writes back the same.
        let sorted: Vec<Option<AnnotationsDirectory>> = order
            .iter()
            .map(|&c| {
                self.model.classes[c]
                    .annotations
                    .as_ref()
                    .map(|d| self.canonical(d))
            })
            .collect();
        let directories: Vec<Option<&AnnotationsDirectory>> = sorted.iter().map(Option::as_ref).collect();
        let annotation_start = self.out.pos();
        for dir in directories.iter().flatten() {
            for set in all_sets(dir) {
                for a in set {
                    self.annotation_item(a);
                }
            }
        }
        if !self.annotations.is_empty() {
            self.section(0x2004, self.annotations.len(), annotation_start);
        }
        self.out.align(4);
        let set_start = self.out.pos();
        for dir in directories.iter().flatten() {
            for set in all_sets(dir) {
                self.annotation_set(set);
            }
        }
        if !self.annotation_sets.is_empty() {
            self.section(0x1003, self.annotation_sets.len(), set_start);
        }
        let ref_list_start = self.out.pos();
        let mut ref_lists: HashMap<(usize, u32), u32> = HashMap::new();
        for (position, dir) in directories.iter().enumerate() {
            let Some(dir) = dir else { continue };
            for (method, sets) in &dir.parameters {
                ref_lists.insert((position, *method), self.out.pos());
                self.out.u32(sets.len() as u32);
                for set in sets {
                    let offset = set.as_ref().map_or(0, |set| self.annotation_set(set));
                    self.out.u32(offset);
                }
            }
        }
        self.section(0x1002, ref_lists.len(), ref_list_start);
        let dir_start = self.out.pos();
        let mut dir_offsets = vec![0u32; order.len()];
        for (position, dir) in directories.iter().enumerate() {
            if let Some(dir) = dir {
                dir_offsets[position] = self.out.pos();
                self.write_directory(dir, position, &ref_lists);
            }
        }
        let dir_count = dir_offsets.iter().filter(|&&o| o != 0).count();
        self.section(0x2006, dir_count, dir_start);

        if self.model.hidden_api {
            let start = self.out.pos();
            self.out.u32(0);
            let table = self.out.pos();
            self.out.bytes.resize(table as usize + 4 * order.len(), 0);
            for (position, flags) in hidden_flags.iter().enumerate() {
                if let Some(flags) = flags {
                    let relative = self.out.pos() - start;
                    self.out.put_u32(table + 4 * position as u32, relative);
                    flags.iter().for_each(|&f| self.out.uleb(f));
                }
            }
            self.out.align(4);
            let size = self.out.pos() - start;
            self.out.put_u32(start, size);
            self.section(0xf000, 1, start);
        }

        // The map list closes the file.
        self.out.align(4);
        let map_off = self.out.pos();
        self.section(0x1000, 1, map_off);
        self.sections.sort_by_key(|s| s.offset);
        let sections = std::mem::take(&mut self.sections);
        self.out.u32(sections.len() as u32);
        for s in &sections {
            self.out.u16(s.type_);
            self.out.u16(0);
            self.out.u32(s.size);
            self.out.u32(s.offset);
        }
        let file_size = u32::try_from(self.out.bytes.len()).map_err(|_| WriteError::TooLarge)?;

        // ID tables.
        for (i, &offset) in self.string_data.clone().iter().enumerate() {
            self.out.put_u32(string_ids_off + 4 * i as u32, offset);
        }
        for i in 0..n_types {
            let t = self.n.order_types[i];
            let s = self.n.strings[*self.model.pools.types.get(t) as usize];
            self.out.put_u32(type_ids_off + 4 * i as u32, s);
        }
        for (i, &parameters) in proto_params.iter().enumerate() {
            let p = self.model.pools.protos.get(self.n.order_protos[i]);
            let at = proto_ids_off + 12 * i as u32;
            self.out.put_u32(at, self.n.strings[p.shorty as usize]);
            self.out.put_u32(at + 4, self.n.types[p.return_type as usize]);
            self.out.put_u32(at + 8, parameters);
        }
        for i in 0..n_fields {
            let f = *self.model.pools.fields.get(self.n.order_fields[i]);
            let at = (field_ids_off + 8 * i as u32) as usize;
            let class = self.n.types[f.class as usize] as u16;
            let type_ = self.n.types[f.type_ as usize] as u16;
            self.out.bytes[at..at + 2].copy_from_slice(&class.to_le_bytes());
            self.out.bytes[at + 2..at + 4].copy_from_slice(&type_.to_le_bytes());
            self.out.put_u32(at as u32 + 4, self.n.strings[f.name as usize]);
        }
        for i in 0..n_methods {
            let m = *self.model.pools.methods.get(self.n.order_methods[i]);
            let at = (method_ids_off + 8 * i as u32) as usize;
            let class = self.n.types[m.class as usize] as u16;
            let proto = self.n.protos[m.proto as usize] as u16;
            self.out.bytes[at..at + 2].copy_from_slice(&class.to_le_bytes());
            self.out.bytes[at + 2..at + 4].copy_from_slice(&proto.to_le_bytes());
            self.out.put_u32(at as u32 + 4, self.n.strings[m.name as usize]);
        }
        for (position, &c) in order.iter().enumerate() {
            let class = &self.model.classes[c];
            let at = class_defs_off + 32 * position as u32;
            let no_index = u32::MAX;
            self.out.put_u32(at, self.n.types[class.type_ as usize]);
            self.out.put_u32(at + 4, class.access_flags);
            self.out.put_u32(
                at + 8,
                class.superclass.map_or(no_index, |s| self.n.types[s as usize]),
            );
            self.out.put_u32(at + 12, interfaces[position]);
            self.out.put_u32(
                at + 16,
                class.source_file.map_or(no_index, |s| self.n.strings[s as usize]),
            );
            self.out.put_u32(at + 20, dir_offsets[position]);
            self.out.put_u32(at + 24, class_data[position]);
            self.out.put_u32(at + 28, static_values[position]);
        }
        for (i, &offset) in call_site_offsets.iter().enumerate() {
            self.out.put_u32(call_site_ids_off + 4 * i as u32, offset);
        }
        for i in 0..n_handles {
            let h = *self
                .model
                .pools
                .method_handles
                .get(self.n.order_method_handles[i]);
            let member = if h.is_field() {
                self.n.fields[h.member as usize]
            } else {
                self.n.methods[h.member as usize]
            };
            let at = (method_handles_off + 8 * i as u32) as usize;
            self.out.bytes[at..at + 2].copy_from_slice(&h.kind.to_le_bytes());
            self.out.bytes[at + 4..at + 6].copy_from_slice(&(member as u16).to_le_bytes());
        }

        // Header.
        let version = self.model.version.min(40);
        let mut header = Out::default();
        header
            .bytes
            .extend_from_slice(format!("dex\n{version:03}\0").as_bytes());
        header.u32(0); // checksum
        header.bytes.extend_from_slice(&[0; 20]); // signature
        header.u32(file_size);
        header.u32(HEADER_SIZE);
        header.u32(0x1234_5678);
        header.u32(0); // link_size
        header.u32(0); // link_off
        header.u32(map_off);
        for (count, offset) in [
            (n_strings, string_ids_off),
            (n_types, type_ids_off),
            (n_protos, proto_ids_off),
            (n_fields, field_ids_off),
            (n_methods, method_ids_off),
            (n_classes, class_defs_off),
        ] {
            header.u32(count as u32);
            header.u32(offset);
        }
        header.u32(file_size - data_off);
        header.u32(data_off);
        let mut bytes = std::mem::take(&mut self.out.bytes);
        bytes[..HEADER_SIZE as usize].copy_from_slice(&header.bytes);
        finish(&mut bytes);
        Ok(bytes)
    }

    fn write_string_data(&mut self) {
        let start = self.out.pos();
        let mut offsets = Vec::with_capacity(self.n.order_strings.len());
        for &s in &self.n.order_strings {
            let string = self.model.pools.strings.get(s);
            offsets.push(self.out.pos());
            self.out.uleb(string.utf16_len);
            self.out.bytes.extend_from_slice(&string.mutf8);
            self.out.u8(0);
        }
        self.section(0x2002, offsets.len(), start);
        self.string_data = offsets;
    }

    /// Writes (or finds) a `type_list` of model type indices; 0 for an empty list.
    fn type_list(&mut self, types: &[u32]) -> u32 {
        if types.is_empty() {
            return 0;
        }
        let mut item = Vec::with_capacity(4 + 2 * types.len());
        item.extend_from_slice(&(types.len() as u32).to_le_bytes());
        for &t in types {
            item.extend_from_slice(&(self.n.types[t as usize] as u16).to_le_bytes());
        }
        if let Some(&offset) = self.type_lists.get(&item) {
            return offset;
        }
        self.out.align(4);
        let offset = self.out.pos();
        self.out.bytes.extend_from_slice(&item);
        self.type_lists.insert(item, offset);
        offset
    }

    fn write_proto_type_lists(&mut self) -> Vec<u32> {
        self.n
            .order_protos
            .clone()
            .iter()
            .map(|&p| {
                let params = self.model.pools.protos.get(p).parameters.clone();
                self.type_list(&params)
            })
            .collect()
    }

    fn write_debug_info(&mut self, debug: &DebugInfo) {
        let n = &self.n;
        let o = &mut self.out;
        o.uleb(debug.line_start);
        o.uleb(debug.parameter_names.len() as u32);
        for name in &debug.parameter_names {
            o.uleb_p1(name.map(|s| n.strings[s as usize]));
        }
        let string = |s: Option<u32>| s.map(|s| n.strings[s as usize]);
        let type_ = |t: Option<u32>| t.map(|t| n.types[t as usize]);
        for op in &debug.ops {
            match *op {
                DebugOp::AdvancePc(v) => {
                    o.u8(0x01);
                    o.uleb(v);
                }
                DebugOp::AdvanceLine(v) => {
                    o.u8(0x02);
                    o.sleb(v);
                }
                DebugOp::StartLocal {
                    register,
                    name,
                    type_: t,
                } => {
                    o.u8(0x03);
                    o.uleb(register);
                    o.uleb_p1(string(name));
                    o.uleb_p1(type_(t));
                }
                DebugOp::StartLocalExtended {
                    register,
                    name,
                    type_: t,
                    signature,
                } => {
                    o.u8(0x04);
                    o.uleb(register);
                    o.uleb_p1(string(name));
                    o.uleb_p1(type_(t));
                    o.uleb_p1(string(signature));
                }
                DebugOp::EndLocal(r) => {
                    o.u8(0x05);
                    o.uleb(r);
                }
                DebugOp::RestartLocal(r) => {
                    o.u8(0x06);
                    o.uleb(r);
                }
                DebugOp::PrologueEnd => o.u8(0x07),
                DebugOp::EpilogueBegin => o.u8(0x08),
                DebugOp::SetFile(s) => {
                    o.u8(0x09);
                    o.uleb_p1(string(s));
                }
                DebugOp::Special(op) => o.u8(op),
            }
        }
        o.u8(0x00);
    }

    fn write_code(&mut self, code: &Code, debug_off: u32, method: u32) -> Result<(), WriteError> {
        let mut insns = code.insns.clone();
        for r in &code.refs {
            let pc = r.pc as usize;
            let (index, what) = match r.kind {
                RefKind::String | RefKind::StringJumbo => (self.n.strings[r.index as usize], "string"),
                RefKind::Type => (self.n.types[r.index as usize], "type"),
                RefKind::Field => (self.n.fields[r.index as usize], "field"),
                RefKind::Method => (self.n.methods[r.index as usize], "method"),
                RefKind::PolymorphicProto | RefKind::Proto => (self.n.protos[r.index as usize], "proto"),
                RefKind::CallSite => (self.n.call_sites[r.index as usize], "call site"),
                RefKind::MethodHandle => (self.n.method_handles[r.index as usize], "method handle"),
            };
            let unit = if r.kind == RefKind::PolymorphicProto {
                pc + 3
            } else {
                pc + 1
            };
            if r.kind == RefKind::StringJumbo {
                insns[unit] = index as u16;
                insns[unit + 1] = (index >> 16) as u16;
                continue;
            }
            if index > 0xffff {
                let method = self.model.pools.method_signature(method);
                return Err(if r.kind == RefKind::String {
                    WriteError::StringOperandOverflow {
                        method,
                        pc: r.pc,
                        index,
                    }
                } else {
                    WriteError::OperandOverflow {
                        method,
                        pc: r.pc,
                        what,
                        index,
                    }
                });
            }
            insns[unit] = index as u16;
        }
        let o = &mut self.out;
        o.u16(code.registers);
        o.u16(code.ins);
        o.u16(code.outs);
        o.u16(code.tries.len() as u16);
        o.u32(debug_off);
        o.u32(insns.len() as u32);
        insns.iter().for_each(|&u| o.u16(u));
        if code.tries.is_empty() {
            return Ok(());
        }
        if insns.len() % 2 == 1 {
            o.u16(0);
        }
        // Encode the handler list first: tries name handlers by byte offset in it.
        let mut list = Out::default();
        list.uleb(code.handlers.len() as u32);
        let mut handler_offsets = Vec::with_capacity(code.handlers.len());
        for handler in &code.handlers {
            handler_offsets.push(list.pos() as u16);
            let size = handler.catches.len() as i32;
            list.sleb(if handler.catch_all.is_some() { -size } else { size });
            for &(type_, address) in &handler.catches {
                list.uleb(self.n.types[type_ as usize]);
                list.uleb(address);
            }
            if let Some(address) = handler.catch_all {
                list.uleb(address);
            }
        }
        for t in &code.tries {
            o.u32(t.start);
            o.u16(t.count);
            o.u16(handler_offsets[t.handler]);
        }
        o.bytes.extend_from_slice(&list.bytes);
        Ok(())
    }

    /// Writes a class's `class_data_item`, members sorted by their new indices; returns the
    /// hidden-API flags in the written order when the model has them.
    fn write_class_data(
        &mut self,
        c: usize,
        code_offsets: &HashMap<(usize, usize), u32>,
    ) -> Option<Vec<u32>> {
        let class = &self.model.classes[c];
        let n = &self.n;
        let statics = sorted_fields(&class.static_fields, n);
        let instance = sorted_fields(&class.instance_fields, n);
        // Methods keep their position in `methods()` for the code offset lookup.
        let direct_count = class.direct_methods.len();
        let direct = sorted_methods(&class.direct_methods, 0, n);
        let virtuals = sorted_methods(&class.virtual_methods, direct_count, n);
        let o = &mut self.out;
        o.uleb(statics.len() as u32);
        o.uleb(instance.len() as u32);
        o.uleb(direct.len() as u32);
        o.uleb(virtuals.len() as u32);
        let mut flags = Vec::new();
        for list in [&statics, &instance] {
            let mut previous = 0;
            for f in list.iter() {
                let index = n.fields[f.field as usize];
                o.uleb(index - previous);
                o.uleb(f.access_flags);
                previous = index;
                flags.push(f.hidden_api.unwrap_or(0));
            }
        }
        for list in [&direct, &virtuals] {
            let mut previous = 0;
            for (position, m) in list.iter() {
                let index = n.methods[m.method as usize];
                o.uleb(index - previous);
                o.uleb(m.access_flags);
                o.uleb(code_offsets.get(&(c, *position)).copied().unwrap_or(0));
                previous = index;
                flags.push(m.hidden_api.unwrap_or(0));
            }
        }
        let any_flags =
            class.fields().any(|f| f.hidden_api.is_some()) || class.methods().any(|m| m.hidden_api.is_some());
        (self.model.hidden_api && any_flags).then_some(flags)
    }

    /// A class's static values in the order of its sorted static fields, defaults filled in
    /// where a reordering needs them and trailing filled defaults dropped.
    fn static_values(&self, c: usize) -> Option<Vec<EncodedValue>> {
        let class = &self.model.classes[c];
        let values = class.static_values.as_ref()?;
        let mut fields: Vec<(usize, &FieldDef)> = class.static_fields.iter().enumerate().collect();
        fields.sort_by_key(|(_, f)| self.n.fields[f.field as usize]);
        let mut sorted: Vec<(EncodedValue, bool)> = fields
            .iter()
            .map(|&(original, f)| match values.get(original) {
                Some(value) => (value.clone(), true),
                None => {
                    let type_ = self.model.pools.fields.get(f.field).type_;
                    (default_value(&self.model.pools.type_descriptor(type_)), false)
                }
            })
            .collect();
        while matches!(sorted.last(), Some((_, false))) {
            sorted.pop();
        }
        let mut out: Vec<EncodedValue> = sorted.into_iter().map(|(value, _)| value).collect();
        // Values beyond the fields (malformed, but readers skip them) stay at the end.
        out.extend(values.iter().skip(fields.len()).cloned());
        Some(out)
    }

    fn write_array(&mut self, values: &[EncodedValue]) {
        let mut out = std::mem::take(&mut self.out);
        out.uleb(values.len() as u32);
        for v in values {
            self.value(&mut out, v);
        }
        self.out = out;
    }

    fn value(&self, o: &mut Out, value: &EncodedValue) {
        let n = &self.n;
        let header = |o: &mut Out, type_: u8, bytes: &[u8]| {
            o.u8(((bytes.len() as u8 - 1) << 5) | type_);
            o.bytes.extend_from_slice(bytes);
        };
        match value {
            EncodedValue::Byte(v) => header(o, 0x00, &[*v as u8]),
            EncodedValue::Short(v) => header(o, 0x02, &signed_bytes(i64::from(*v))),
            EncodedValue::Char(v) => header(o, 0x03, &unsigned_bytes(u64::from(*v))),
            EncodedValue::Int(v) => header(o, 0x04, &signed_bytes(i64::from(*v))),
            EncodedValue::Long(v) => header(o, 0x06, &signed_bytes(*v)),
            EncodedValue::Float(bits) => header(o, 0x10, &right_bytes(u64::from(*bits), 4)),
            EncodedValue::Double(bits) => header(o, 0x11, &right_bytes(*bits, 8)),
            EncodedValue::MethodType(p) => header(o, 0x15, &unsigned_bytes(u64::from(n.protos[*p as usize]))),
            EncodedValue::MethodHandle(h) => {
                header(o, 0x16, &unsigned_bytes(u64::from(n.method_handles[*h as usize])))
            }
            EncodedValue::String(s) => header(o, 0x17, &unsigned_bytes(u64::from(n.strings[*s as usize]))),
            EncodedValue::Type(t) => header(o, 0x18, &unsigned_bytes(u64::from(n.types[*t as usize]))),
            EncodedValue::Field(f) => header(o, 0x19, &unsigned_bytes(u64::from(n.fields[*f as usize]))),
            EncodedValue::Method(m) => header(o, 0x1a, &unsigned_bytes(u64::from(n.methods[*m as usize]))),
            EncodedValue::Enum(f) => header(o, 0x1b, &unsigned_bytes(u64::from(n.fields[*f as usize]))),
            EncodedValue::Array(values) => {
                o.u8(0x1c);
                o.uleb(values.len() as u32);
                values.iter().for_each(|v| self.value(o, v));
            }
            EncodedValue::Annotation(a) => {
                o.u8(0x1d);
                self.annotation_body(o, a);
            }
            EncodedValue::Null => o.u8(0x1e),
            EncodedValue::Boolean(b) => o.u8(0x1f | (u8::from(*b) << 5)),
        }
    }

    fn annotation_body(&self, o: &mut Out, a: &EncodedAnnotation) {
        o.uleb(self.n.types[a.type_ as usize]);
        let mut elements: Vec<&(u32, EncodedValue)> = a.elements.iter().collect();
        elements.sort_by_key(|(name, _)| self.n.strings[*name as usize]);
        o.uleb(elements.len() as u32);
        for (name, value) in elements {
            o.uleb(self.n.strings[*name as usize]);
            self.value(o, value);
        }
    }

    fn annotation_item(&mut self, a: &Annotation) -> u32 {
        let mut item = Out::default();
        item.u8(a.visibility);
        self.annotation_body(&mut item, &a.annotation);
        if let Some(&offset) = self.annotations.get(&item.bytes) {
            return offset;
        }
        let offset = self.out.pos();
        self.out.bytes.extend_from_slice(&item.bytes);
        self.annotations.insert(item.bytes, offset);
        offset
    }

    /// Writes (or finds) an `annotation_set_item`, entries sorted by annotation type.
    fn annotation_set(&mut self, set: &AnnotationSet) -> u32 {
        let mut entries: Vec<(u32, u32)> = set
            .iter()
            .map(|a| (self.n.types[a.annotation.type_ as usize], self.annotation_item(a)))
            .collect();
        entries.sort();
        let mut item = Vec::with_capacity(4 + 4 * entries.len());
        item.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        for (_, offset) in entries {
            item.extend_from_slice(&offset.to_le_bytes());
        }
        if let Some(&offset) = self.annotation_sets.get(&item) {
            return offset;
        }
        self.out.align(4);
        let offset = self.out.pos();
        self.out.bytes.extend_from_slice(&item);
        self.annotation_sets.insert(item, offset);
        offset
    }

    /// A directory with its entries sorted by new member index and each set by new type index.
    fn canonical(&self, dir: &AnnotationsDirectory) -> AnnotationsDirectory {
        let set = |set: &AnnotationSet| {
            let mut set = set.clone();
            set.sort_by_key(|a| self.n.types[a.annotation.type_ as usize]);
            set
        };
        let mut out = AnnotationsDirectory {
            class: dir.class.as_ref().map(set),
            fields: dir.fields.iter().map(|(f, s)| (*f, set(s))).collect(),
            methods: dir.methods.iter().map(|(m, s)| (*m, set(s))).collect(),
            parameters: dir
                .parameters
                .iter()
                .map(|(m, sets)| (*m, sets.iter().map(|s| s.as_ref().map(set)).collect()))
                .collect(),
        };
        out.fields.sort_by_key(|(f, _)| self.n.fields[*f as usize]);
        out.methods.sort_by_key(|(m, _)| self.n.methods[*m as usize]);
        out.parameters.sort_by_key(|(m, _)| self.n.methods[*m as usize]);
        // One entry per member, as the format requires (strictly increasing indices); a
        // damaged file's repeats keep their first entry.
        out.fields.dedup_by_key(|(f, _)| *f);
        out.methods.dedup_by_key(|(m, _)| *m);
        out.parameters.dedup_by_key(|(m, _)| *m);
        out
    }

    fn write_directory(
        &mut self,
        dir: &AnnotationsDirectory,
        position: usize,
        ref_lists: &HashMap<(usize, u32), u32>,
    ) {
        let class = dir.class.as_ref().map_or(0, |set| self.annotation_set(set));
        let mut fields: Vec<(u32, u32)> = dir
            .fields
            .iter()
            .map(|(f, set)| (self.n.fields[*f as usize], self.annotation_set(set)))
            .collect();
        let mut methods: Vec<(u32, u32)> = dir
            .methods
            .iter()
            .map(|(m, set)| (self.n.methods[*m as usize], self.annotation_set(set)))
            .collect();
        let mut parameters: Vec<(u32, u32)> = dir
            .parameters
            .iter()
            .map(|(m, _)| (self.n.methods[*m as usize], ref_lists[&(position, *m)]))
            .collect();
        fields.sort();
        methods.sort();
        parameters.sort();
        self.out.align(4);
        let o = &mut self.out;
        o.u32(class);
        o.u32(fields.len() as u32);
        o.u32(methods.len() as u32);
        o.u32(parameters.len() as u32);
        for (index, offset) in fields.into_iter().chain(methods).chain(parameters) {
            o.u32(index);
            o.u32(offset);
        }
    }
}

fn sorted_fields<'a>(fields: &'a [FieldDef], n: &Numbering) -> Vec<&'a FieldDef> {
    let mut fields: Vec<&FieldDef> = fields.iter().collect();
    fields.sort_by_key(|f| n.fields[f.field as usize]);
    fields
}

/// Methods sorted by their new index, each with its position in [`Class::methods`].
fn sorted_methods<'a>(methods: &'a [MethodDef], base: usize, n: &Numbering) -> Vec<(usize, &'a MethodDef)> {
    let mut methods: Vec<(usize, &MethodDef)> =
        methods.iter().enumerate().map(|(i, m)| (base + i, m)).collect();
    methods.sort_by_key(|(_, m)| n.methods[m.method as usize]);
    methods
}

fn all_sets(dir: &AnnotationsDirectory) -> impl Iterator<Item = &AnnotationSet> {
    dir.class
        .iter()
        .chain(dir.fields.iter().map(|(_, s)| s))
        .chain(dir.methods.iter().map(|(_, s)| s))
        .chain(dir.parameters.iter().flat_map(|(_, sets)| sets.iter().flatten()))
}

/// The value a static field has when the class gives none.
fn default_value(descriptor: &str) -> EncodedValue {
    match descriptor {
        "Z" => EncodedValue::Boolean(false),
        "B" => EncodedValue::Byte(0),
        "S" => EncodedValue::Short(0),
        "C" => EncodedValue::Char(0),
        "I" => EncodedValue::Int(0),
        "J" => EncodedValue::Long(0),
        "F" => EncodedValue::Float(0),
        "D" => EncodedValue::Double(0),
        _ => EncodedValue::Null,
    }
}

/// The fewest little-endian bytes that sign-extend back to `v`.
fn signed_bytes(v: i64) -> Vec<u8> {
    let bytes = v.to_le_bytes();
    let mut len = 8;
    while len > 1 {
        let top = bytes[len - 1];
        let next_sign = bytes[len - 2] & 0x80;
        if (top == 0 && next_sign == 0) || (top == 0xff && next_sign != 0) {
            len -= 1;
        } else {
            break;
        }
    }
    bytes[..len].to_vec()
}

/// The fewest little-endian bytes that zero-extend back to `v`.
fn unsigned_bytes(v: u64) -> Vec<u8> {
    let bytes = v.to_le_bytes();
    let len = (8 - v.leading_zeros() as usize / 8).max(1);
    bytes[..len].to_vec()
}

/// The high bytes of a `width`-byte value, low zero bytes dropped (zero-extended to the right).
fn right_bytes(v: u64, width: usize) -> Vec<u8> {
    let bytes = &v.to_le_bytes()[..width];
    let skip = bytes.iter().take_while(|&&b| b == 0).count().min(width - 1);
    bytes[skip..].to_vec()
}

/// Fills in the SHA-1 signature and the Adler-32 checksum.
fn finish(bytes: &mut [u8]) {
    use sha1::Digest;
    let signature = sha1::Sha1::digest(&bytes[32..]);
    bytes[12..32].copy_from_slice(&signature);
    let checksum = analyzer::dex::adler32(&bytes[12..]);
    bytes[8..12].copy_from_slice(&checksum.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_encodings_are_minimal() {
        assert_eq!(signed_bytes(0), vec![0]);
        assert_eq!(signed_bytes(-1), vec![0xff]);
        assert_eq!(signed_bytes(127), vec![0x7f]);
        assert_eq!(signed_bytes(128), vec![0x80, 0x00]);
        assert_eq!(signed_bytes(-129), vec![0x7f, 0xff]);
        assert_eq!(unsigned_bytes(0), vec![0]);
        assert_eq!(unsigned_bytes(0x1234), vec![0x34, 0x12]);
        assert_eq!(right_bytes(0x3f80_0000, 4), vec![0x80, 0x3f]);
        assert_eq!(right_bytes(0, 8), vec![0]);
    }

    #[test]
    fn leb128_round_trips_through_the_reader() {
        for v in [0i32, 1, -1, 63, 64, -64, -65, 8191, -8192, i32::MAX, i32::MIN] {
            let mut o = Out::default();
            o.sleb(v);
            // Decode as the format defines it: 7 bits per byte, sign from the last byte's bit 6.
            let mut result: i64 = 0;
            let mut shift = 0;
            for &byte in &o.bytes {
                result |= i64::from(byte & 0x7f) << shift;
                shift += 7;
            }
            if o.bytes.last().is_some_and(|b| b & 0x40 != 0) {
                result |= -1i64 << shift;
            }
            assert_eq!(result as i32, v, "{v}");
            assert!(o.bytes.len() <= 5);
        }
    }
}
