//! Call-site retargeting: a mapping file moves the uses of types, methods and fields to other
//! ones (portable shims), in the code the mapping applies to.
//!
//! A mapping file is TOML:
//!
//! ```toml
//! name = "gms-location"
//! description = "Google Play services fused location → LocationManager"
//! # Code of these packages is the vendor's own library: it is left as it is.
//! skip = ["Lcom/google/android/gms/"]
//! shims = ["gms-tasks", "gms-location"]   # built-in shim bundles to add
//!
//! [types]            # every use of the type, including supertypes and signatures
//! "Lcom/google/android/gms/location/LocationRequest;" = "Lorg/hypercompat/shim/gms/location/LocationRequest;"
//!
//! [methods]          # call sites; `receiver = true` turns a virtual call into a static one
//! "Landroid/os/SystemProperties;->get(Ljava/lang/String;)Ljava/lang/String;" = "Lorg/hypercompat/shim/hidden/SystemProperties;->get(Ljava/lang/String;)Ljava/lang/String;"
//! "Landroid/app/ActivityThread;->isProfiling()Z" = { to = "Lorg/hypercompat/shim/hidden/ActivityThreads;->isProfiling(Landroid/app/ActivityThread;)Z", receiver = true }
//!
//! [fields]
//! "Lcom/example/Old;->FLAG:I" = "Lcom/example/New;->FLAG:I"
//! ```
//!
//! A type mapping renames the type wherever the code in scope names it: instructions, method
//! and field references (their classes and signatures), the class's own supertypes, its field
//! types and method signatures (so overrides still override), catch clauses, annotations and
//! debug information. The definitions stay where they are: retargeting never renames a class
//! the app defines, so the vendor library (in `skip`) keeps working for whatever still uses it.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::model::{
    AnnotationSet, Class, DebugOp, DexModel, EncodedAnnotation, EncodedValue, FieldRef, MethodRef, RefKind,
};

/// Why a mapping file was refused.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    #[error("not a mapping file: {0}")]
    Toml(String),
    #[error("{what} {text:?} is not a valid descriptor")]
    BadDescriptor { what: &'static str, text: String },
    #[error("method mapping {from} → {to}: {reason}")]
    Incompatible {
        from: String,
        to: String,
        reason: &'static str,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    skip: Vec<String>,
    /// Built-in shim bundles the targets live in (added to the APK when the mapping applies).
    #[serde(default)]
    shims: Vec<String>,
    #[serde(default)]
    types: BTreeMap<String, String>,
    #[serde(default)]
    methods: BTreeMap<String, MethodTarget>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum MethodTarget {
    Plain(String),
    Detailed {
        to: String,
        #[serde(default)]
        receiver: bool,
    },
}

/// `Lclass;->name(params)return`, split.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MethodSig {
    pub class: String,
    pub name: String,
    pub parameters: Vec<String>,
    pub return_type: String,
}

/// `Lclass;->name:type`, split.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldSig {
    pub class: String,
    pub name: String,
    pub type_: String,
}

/// One method mapping.
#[derive(Debug, Clone)]
pub struct MethodMapping {
    pub to: MethodSig,
    /// The call passes the receiver as the first argument of a static method.
    pub receiver: bool,
}

/// A parsed mapping.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub name: String,
    pub description: String,
    pub skip: Vec<String>,
    pub shims: Vec<String>,
    pub types: BTreeMap<String, String>,
    pub methods: HashMap<MethodSig, MethodMapping>,
    pub fields: HashMap<FieldSig, FieldSig>,
}

/// Splits a type descriptor list such as `IJLjava/lang/String;[I`.
fn split_types(mut text: &str) -> Option<Vec<String>> {
    let mut types = Vec::new();
    while !text.is_empty() {
        let len = descriptor_len(text)?;
        types.push(text[..len].to_string());
        text = &text[len..];
    }
    Some(types)
}

/// Length of the first type descriptor of `text`.
fn descriptor_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let dims = bytes.iter().take_while(|&&b| b == b'[').count();
    match *bytes.get(dims)? {
        b'L' => Some(dims + text[dims..].find(';')? + 1).filter(|&end| end > dims + 2),
        b'V' | b'Z' | b'B' | b'S' | b'C' | b'I' | b'J' | b'F' | b'D' => Some(dims + 1),
        _ => None,
    }
}

fn is_descriptor(text: &str) -> bool {
    descriptor_len(text) == Some(text.len())
}

impl MethodSig {
    pub fn parse(text: &str) -> Option<MethodSig> {
        let (class, rest) = text.split_once("->")?;
        let (name, rest) = rest.split_once('(')?;
        let (parameters, return_type) = rest.split_once(')')?;
        if !is_descriptor(class) || !class.starts_with('L') || name.is_empty() || !is_descriptor(return_type)
        {
            return None;
        }
        Some(MethodSig {
            class: class.to_string(),
            name: name.to_string(),
            parameters: split_types(parameters)?,
            return_type: return_type.to_string(),
        })
    }

    /// Argument registers the parameters take (wide types take two).
    fn parameter_words(&self) -> usize {
        self.parameters
            .iter()
            .map(|p| if p == "J" || p == "D" { 2 } else { 1 })
            .sum()
    }
}

impl std::fmt::Display for MethodSig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}->{}({}){}",
            self.class,
            self.name,
            self.parameters.concat(),
            self.return_type
        )
    }
}

impl FieldSig {
    pub fn parse(text: &str) -> Option<FieldSig> {
        let (class, rest) = text.split_once("->")?;
        let (name, type_) = rest.split_once(':')?;
        if !is_descriptor(class) || !class.starts_with('L') || name.is_empty() || !is_descriptor(type_) {
            return None;
        }
        Some(FieldSig {
            class: class.to_string(),
            name: name.to_string(),
            type_: type_.to_string(),
        })
    }
}

impl Mapping {
    pub fn parse(text: &str) -> Result<Mapping, MappingError> {
        let file: MappingFile = toml::from_str(text).map_err(|e| {
            // One line: the message, and where.
            let message = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
            let at = e.span().map(|span| {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!(" (line {line})")
            });
            MappingError::Toml(format!("{message}{}", at.unwrap_or_default()))
        })?;
        let bad = |what: &'static str, text: &str| MappingError::BadDescriptor {
            what,
            text: text.to_string(),
        };
        for (from, to) in &file.types {
            if !is_descriptor(from) || !from.starts_with('L') {
                return Err(bad("type", from));
            }
            if !is_descriptor(to) || !to.starts_with('L') {
                return Err(bad("type", to));
            }
        }
        let mut methods = HashMap::new();
        for (from, target) in &file.methods {
            let (to, receiver) = match target {
                MethodTarget::Plain(to) => (to, false),
                MethodTarget::Detailed { to, receiver } => (to, *receiver),
            };
            let from_sig = MethodSig::parse(from).ok_or_else(|| bad("method", from))?;
            let to_sig = MethodSig::parse(to).ok_or_else(|| bad("method", to))?;
            let incompatible = |reason| MappingError::Incompatible {
                from: from.clone(),
                to: to.clone(),
                reason,
            };
            let expected = from_sig.parameter_words() + usize::from(receiver);
            if to_sig.parameter_words() != expected {
                return Err(incompatible("the arguments do not fit the same registers"));
            }
            let takes_reference =
                |p: Option<&String>| p.is_some_and(|p| p.starts_with('L') || p.starts_with('['));
            if receiver && !takes_reference(to_sig.parameters.first()) {
                return Err(incompatible(
                    "with receiver = true, the first parameter must take the receiver (a reference type)",
                ));
            }
            if (from_sig.return_type == "V") != (to_sig.return_type == "V")
                || (matches!(from_sig.return_type.as_str(), "J" | "D")
                    != matches!(to_sig.return_type.as_str(), "J" | "D"))
            {
                return Err(incompatible("the return values differ in kind"));
            }
            methods.insert(from_sig, MethodMapping { to: to_sig, receiver });
        }
        let mut fields = HashMap::new();
        for (from, to) in &file.fields {
            let from_sig = FieldSig::parse(from).ok_or_else(|| bad("field", from))?;
            let to_sig = FieldSig::parse(to).ok_or_else(|| bad("field", to))?;
            fields.insert(from_sig, to_sig);
        }
        Ok(Mapping {
            name: file.name,
            description: file.description,
            skip: file.skip,
            shims: file.shims,
            types: file.types,
            methods,
            fields,
        })
    }

    /// Whether code of the class `descriptor` is left alone.
    pub fn skips(&self, descriptor: &str) -> bool {
        self.skip
            .iter()
            .any(|prefix| descriptor.starts_with(prefix.as_str()))
    }

    /// Whether a reference to `descriptor` would be rewritten.
    pub fn covers_type(&self, descriptor: &str) -> bool {
        let element = descriptor.trim_start_matches('[');
        self.types.contains_key(element)
    }
}

/// What a retargeting changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Retargeted {
    /// Instruction operands rewritten.
    pub call_sites: usize,
    /// Other references rewritten: supertypes, signatures, catch types, annotations, debug info.
    pub references: usize,
    /// Per mapped item (`from` as written in the mapping), how many instruction operands.
    pub by_item: BTreeMap<String, usize>,
    /// Virtual calls that could not become static calls (`invoke-super` of a mapped method).
    pub refused: Vec<String>,
}

impl Retargeted {
    pub fn changed(&self) -> bool {
        self.call_sites + self.references > 0
    }
}

/// Rewrites `model` with `mapping`; classes in the mapping's `skip` are left alone.
pub fn retarget(model: &mut DexModel, mapping: &Mapping) -> Retargeted {
    let mut r = Retargeter {
        mapping,
        types: HashMap::new(),
        protos: HashMap::new(),
        fields: HashMap::new(),
        methods: HashMap::new(),
        report: Retargeted::default(),
    };
    let mut classes = std::mem::take(&mut model.classes);
    for class in &mut classes {
        let descriptor = model.pools.type_descriptor(class.type_);
        if mapping.skips(&descriptor) {
            continue;
        }
        r.class(model, class);
    }
    model.classes = classes;
    r.report
}

/// A method reference's new form: the target, and whether the call becomes static.
#[derive(Debug, Clone, Copy)]
struct MethodTo {
    method: u32,
    receiver: bool,
    item: Option<u32>,
}

struct Retargeter<'a> {
    mapping: &'a Mapping,
    types: HashMap<u32, u32>,
    protos: HashMap<u32, u32>,
    fields: HashMap<u32, (u32, bool)>,
    methods: HashMap<u32, MethodTo>,
    report: Retargeted,
}

impl Retargeter<'_> {
    fn type_(&mut self, model: &mut DexModel, t: u32) -> u32 {
        if let Some(&mapped) = self.types.get(&t) {
            return mapped;
        }
        let descriptor = model.pools.type_descriptor(t);
        let dims = descriptor.bytes().take_while(|&b| b == b'[').count();
        let mapped = match self.mapping.types.get(&descriptor[dims..]) {
            Some(to) => model.pools.type_(&format!("{}{to}", &descriptor[..dims])),
            None => t,
        };
        self.types.insert(t, mapped);
        mapped
    }

    fn proto(&mut self, model: &mut DexModel, p: u32) -> u32 {
        if let Some(&mapped) = self.protos.get(&p) {
            return mapped;
        }
        let proto = model.pools.protos.get(p).clone();
        let return_type = self.type_(model, proto.return_type);
        let parameters: Vec<u32> = proto.parameters.iter().map(|&t| self.type_(model, t)).collect();
        let mapped = if return_type == proto.return_type && *parameters == *proto.parameters {
            p
        } else {
            model.pools.proto(return_type, &parameters)
        };
        self.protos.insert(p, mapped);
        mapped
    }

    fn method_sig(model: &DexModel, m: u32) -> MethodSig {
        let method = model.pools.methods.get(m);
        let proto = model.pools.protos.get(method.proto);
        MethodSig {
            class: model.pools.type_descriptor(method.class),
            name: model.pools.strings.get(method.name).to_text(),
            parameters: proto
                .parameters
                .iter()
                .map(|&t| model.pools.type_descriptor(t))
                .collect(),
            return_type: model.pools.type_descriptor(proto.return_type),
        }
    }

    fn intern_method(model: &mut DexModel, sig: &MethodSig) -> u32 {
        let class = model.pools.type_(&sig.class);
        let return_type = model.pools.type_(&sig.return_type);
        let parameters: Vec<u32> = sig.parameters.iter().map(|p| model.pools.type_(p)).collect();
        let proto = model.pools.proto(return_type, &parameters);
        let name = model.pools.string(&sig.name);
        model.pools.methods.intern(MethodRef { class, proto, name })
    }

    /// The new method for a reference; `item` is set when an explicit mapping matched.
    fn method(&mut self, model: &mut DexModel, m: u32) -> MethodTo {
        if let Some(&to) = self.methods.get(&m) {
            return to;
        }
        let sig = Self::method_sig(model, m);
        let to = if let Some(mapping) = self.mapping.methods.get(&sig) {
            let method = Self::intern_method(model, &mapping.to);
            MethodTo {
                method,
                receiver: mapping.receiver,
                item: Some(m),
            }
        } else {
            let original = *model.pools.methods.get(m);
            let class = self.type_(model, original.class);
            let proto = self.proto(model, original.proto);
            let method = if class == original.class && proto == original.proto {
                m
            } else {
                model.pools.methods.intern(MethodRef {
                    class,
                    proto,
                    name: original.name,
                })
            };
            MethodTo {
                method,
                receiver: false,
                item: None,
            }
        };
        self.methods.insert(m, to);
        to
    }

    /// The new field for a reference, and whether an explicit mapping matched.
    fn field(&mut self, model: &mut DexModel, f: u32) -> (u32, bool) {
        if let Some(&to) = self.fields.get(&f) {
            return to;
        }
        let original = *model.pools.fields.get(f);
        let sig = FieldSig {
            class: model.pools.type_descriptor(original.class),
            name: model.pools.strings.get(original.name).to_text(),
            type_: model.pools.type_descriptor(original.type_),
        };
        let to = if let Some(target) = self.mapping.fields.get(&sig) {
            let class = model.pools.type_(&target.class);
            let type_ = model.pools.type_(&target.type_);
            let name = model.pools.string(&target.name);
            (model.pools.fields.intern(FieldRef { class, type_, name }), true)
        } else {
            let class = self.type_(model, original.class);
            let type_ = self.type_(model, original.type_);
            let field = if class == original.class && type_ == original.type_ {
                f
            } else {
                model.pools.fields.intern(FieldRef {
                    class,
                    type_,
                    name: original.name,
                })
            };
            (field, false)
        };
        self.fields.insert(f, to);
        to
    }

    fn count(&mut self, changed: bool) {
        if changed {
            self.report.references += 1;
        }
    }

    fn class(&mut self, model: &mut DexModel, class: &mut Class) {
        if let Some(s) = class.superclass {
            let new = self.type_(model, s);
            self.count(new != s);
            class.superclass = Some(new);
        }
        for i in 0..class.interfaces.len() {
            let t = class.interfaces[i];
            let new = self.type_(model, t);
            self.count(new != t);
            class.interfaces[i] = new;
        }
        for field in class.static_fields.iter_mut().chain(&mut class.instance_fields) {
            let (new, _) = self.field(model, field.field);
            self.count(new != field.field);
            field.field = new;
        }
        let descriptor = model.pools.type_descriptor(class.type_);
        for method in class.direct_methods.iter_mut().chain(&mut class.virtual_methods) {
            // A definition is renamed by the type mapping only: an explicit method mapping
            // retargets calls, not the method the class defines.
            let new = self.definition(model, method.method);
            self.count(new != method.method);
            method.method = new;
            if let Some(code) = &mut method.code {
                self.code(model, code, &descriptor);
            }
        }
        if let Some(values) = &mut class.static_values {
            for v in values.iter_mut() {
                self.value(model, v);
            }
        }
        if let Some(dir) = &mut class.annotations {
            if let Some(set) = &mut dir.class {
                self.set(model, set);
            }
            for (f, set) in &mut dir.fields {
                *f = self.field(model, *f).0;
                self.set(model, set);
            }
            for (m, set) in &mut dir.methods {
                *m = self.definition(model, *m);
                self.set(model, set);
            }
            for (m, sets) in &mut dir.parameters {
                *m = self.definition(model, *m);
                for set in sets.iter_mut().flatten() {
                    self.set(model, set);
                }
            }
        }
    }

    /// A defined method's new reference (type mapping only).
    fn definition(&mut self, model: &mut DexModel, m: u32) -> u32 {
        let original = *model.pools.methods.get(m);
        let proto = self.proto(model, original.proto);
        if proto == original.proto {
            m
        } else {
            model.pools.methods.intern(MethodRef { proto, ..original })
        }
    }

    fn set(&mut self, model: &mut DexModel, set: &mut AnnotationSet) {
        for a in set.iter_mut() {
            self.annotation(model, &mut a.annotation);
        }
    }

    fn annotation(&mut self, model: &mut DexModel, a: &mut EncodedAnnotation) {
        let t = self.type_(model, a.type_);
        self.count(t != a.type_);
        a.type_ = t;
        for (_, v) in &mut a.elements {
            self.value(model, v);
        }
    }

    fn value(&mut self, model: &mut DexModel, value: &mut EncodedValue) {
        match value {
            EncodedValue::Type(t) => {
                let new = self.type_(model, *t);
                self.count(new != *t);
                *t = new;
            }
            EncodedValue::Field(f) | EncodedValue::Enum(f) => {
                let (new, _) = self.field(model, *f);
                self.count(new != *f);
                *f = new;
            }
            EncodedValue::Method(m) => {
                let new = self.method(model, *m).method;
                self.count(new != *m);
                *m = new;
            }
            EncodedValue::MethodType(p) => {
                let new = self.proto(model, *p);
                self.count(new != *p);
                *p = new;
            }
            EncodedValue::Array(values) => values.iter_mut().for_each(|v| self.value(model, v)),
            EncodedValue::Annotation(a) => self.annotation(model, a),
            _ => {}
        }
    }

    fn code(&mut self, model: &mut DexModel, code: &mut super::model::Code, class: &str) {
        for i in 0..code.refs.len() {
            let r = code.refs[i];
            match r.kind {
                RefKind::Type => {
                    let new = self.type_(model, r.index);
                    self.site(code, i, new);
                }
                RefKind::Field => {
                    let (new, explicit) = self.field(model, r.index);
                    if explicit {
                        let key = model.pools.field_signature(r.index);
                        *self.report.by_item.entry(key).or_default() += 1;
                    }
                    self.site(code, i, new);
                }
                RefKind::Method => {
                    let to = self.method(model, r.index);
                    if to.receiver {
                        let pc = r.pc as usize;
                        let opcode = code.insns[pc] & 0xff;
                        let static_opcode = match opcode {
                            0x6e | 0x72 => 0x71, // invoke-virtual, invoke-interface
                            0x74 | 0x78 => 0x77, // their /range forms
                            0x71 | 0x77 => opcode,
                            _ => {
                                // invoke-super/direct of a mapped method: the call must reach
                                // that exact implementation; a static shim cannot.
                                self.report.refused.push(format!(
                                    "{class}: {} at {:#x}",
                                    model.pools.method_signature(r.index),
                                    r.pc
                                ));
                                continue;
                            }
                        };
                        code.insns[pc] = (code.insns[pc] & 0xff00) | static_opcode;
                    }
                    if let Some(item) = to.item {
                        let key = model.pools.method_signature(item);
                        *self.report.by_item.entry(key).or_default() += 1;
                    }
                    self.site(code, i, to.method);
                }
                RefKind::PolymorphicProto | RefKind::Proto => {
                    let new = self.proto(model, r.index);
                    self.site(code, i, new);
                }
                RefKind::String | RefKind::StringJumbo | RefKind::CallSite | RefKind::MethodHandle => {}
            }
        }
        for h in &mut code.handlers {
            for (t, _) in &mut h.catches {
                let new = self.type_(model, *t);
                self.count(new != *t);
                *t = new;
            }
        }
        if let Some(debug) = &mut code.debug {
            for op in &mut debug.ops {
                if let DebugOp::StartLocal { type_: Some(t), .. }
                | DebugOp::StartLocalExtended { type_: Some(t), .. } = op
                {
                    let new = self.type_(model, *t);
                    self.count(new != *t);
                    *t = new;
                }
            }
        }
    }

    fn site(&mut self, code: &mut super::model::Code, i: usize, new: u32) {
        if code.refs[i].index != new {
            code.refs[i].index = new;
            self.report.call_sites += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_signatures() {
        let m = MethodSig::parse("La/B;->c(IJ[Ljava/lang/String;)V").unwrap();
        assert_eq!(m.parameters, vec!["I", "J", "[Ljava/lang/String;"]);
        assert_eq!(m.parameter_words(), 4);
        assert_eq!(m.to_string(), "La/B;->c(IJ[Ljava/lang/String;)V");
        assert!(MethodSig::parse("La/B;->c(IX)V").is_none());
        assert!(MethodSig::parse("La/B;->(I)V").is_none());
        assert!(MethodSig::parse("I->c()V").is_none());
        assert_eq!(FieldSig::parse("La;->x:I").unwrap().type_, "I");
        assert!(FieldSig::parse("La;->x:").is_none());
    }

    #[test]
    fn refuses_mappings_that_change_the_call_shape() {
        let text = |from: &str, to: &str, receiver: bool| {
            format!("name = \"t\"\n[methods]\n\"{from}\" = {{ to = \"{to}\", receiver = {receiver} }}\n")
        };
        // One register too few.
        assert!(Mapping::parse(&text("La;->f(J)V", "Lb;->f(I)V", false)).is_err());
        // The receiver must come first.
        assert!(Mapping::parse(&text("La;->f(I)V", "Lb;->f(ILa;)V", true)).is_err());
        assert!(Mapping::parse(&text("La;->f(I)V", "Lb;->f(Ljava/lang/Object;I)V", true)).is_ok());
        // A value-returning call cannot become a void one.
        assert!(Mapping::parse(&text("La;->f()I", "Lb;->f()V", false)).is_err());
        let ok = Mapping::parse(&text("La;->f(I)Z", "Lb;->f(La;I)Z", true)).unwrap();
        assert!(ok.methods.values().all(|m| m.receiver));
        assert!(Mapping::parse("name = \"t\"\n[types]\n\"I\" = \"La;\"\n").is_err());
        assert!(Mapping::parse("name = \"t\"\nbogus = 1\n").is_err());
    }
}
