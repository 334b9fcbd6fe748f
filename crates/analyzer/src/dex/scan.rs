//! What an app's code does that the rules care about, found in one pass over every method:
//! calls to a fixed set of framework methods (reflection, class loaders, native libraries,
//! process execution, system services) with the constant string each receives, `/dev/` paths
//! in string constants, how many classes each package defines, and — for the non-SDK API
//! check — the classes it defines with their supertypes, the members it declares, and the first
//! call site of every member it uses but does not declare.
//!
//! Constant arguments are followed within straight-line code only: a `const-string` reaches an
//! `invoke` when no branch target lies between them and nothing else mentions the register.
//! Any instruction that names a register (other than to pass it to a call) is taken to
//! overwrite it, and a branch target forgets everything: a string is reported only when it
//! certainly is the argument.

use std::collections::{BTreeMap, HashMap};

use super::code::{Instruction, Op, Reference, Registers};
// FNV-1a, fed in pieces (equal to [`member_key`] over the concatenation): the same hash the
// non-SDK data's member index uses.
use super::{DexError, DexFile, NO_INDEX};
use crate::hiddenapi::layout::Fnv;

/// At most this many call sites and strings are kept per DEX file (an obfuscated app can
/// hold millions of string constants; the rules need the first few of each kind).
pub const MAX_RECORDS: usize = 20_000;

/// At most this many referenced-but-not-declared members are kept per DEX file.
pub const MAX_MEMBER_REFS: usize = 200_000;

/// The framework calls the rules look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CallKind {
    /// `Class.forName(name)`.
    ClassForName,
    /// `Class.getMethod`, `getDeclaredMethod`, `getField`, `getDeclaredField` (member name).
    ReflectMember,
    /// `new DexClassLoader/PathClassLoader/InMemoryDexClassLoader(...)`, `DexFile.loadDex`.
    LoadDex,
    /// `System.loadLibrary(name)`, `Runtime.loadLibrary`.
    LoadLibrary,
    /// `System.load(path)`.
    LoadPath,
    /// `Runtime.exec(...)`, `new ProcessBuilder(...)`.
    Exec,
    /// `Context.getSystemService(String)` on any class.
    SystemService,
    /// `android.os.ServiceManager.getService/checkService(name)` (non-SDK).
    ServiceManager,
}

/// Where in the code something is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeLocation {
    /// `Lorg/example/Main;`.
    pub class: String,
    /// `onCreate(Landroid/os/Bundle;)V`.
    pub method: String,
    /// Code units from the start of the method.
    pub pc: u32,
}

/// One call to a framework method of interest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub kind: CallKind,
    /// `Ljava/lang/Class;->forName(Ljava/lang/String;)Ljava/lang/Class;`.
    pub target: String,
    /// The first argument that is certainly a constant string.
    pub string: Option<String>,
    pub at: CodeLocation,
}

/// A string constant (`const-string`) that names a device node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePath {
    pub path: String,
    pub at: CodeLocation,
}

/// A class the DEX file defines. Its names are ranges of [`CodeScan::names`], as in
/// [`MemberRef`]: read them with [`CodeScan::name`] and [`CodeScan::interfaces_of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefinedClass {
    pub descriptor: NameRange,
    /// `None` for `java.lang.Object` (and a class that names none).
    pub superclass: Option<NameRange>,
    /// A range of [`CodeScan::interfaces`].
    pub interfaces: [u32; 2],
}

/// A field or method the code uses (invoke, field access) that this DEX file does not declare:
/// the framework's, a library's the app does not bundle, or a class in another DEX file.
///
/// Compact, as a large app has tens of thousands of them, held until the rules have run: its
/// names are ranges of [`CodeScan::names`] (read them with [`CodeScan::name`]), each class and
/// calling method stored once however many references share it, and where it is first used
/// is made into a [`CodeLocation`] only when asked ([`CodeScan::location`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberRef {
    /// `Landroid/app/Activity;`, the class the reference names (not necessarily the declaring one).
    pub class: NameRange,
    /// `getSystemService(Ljava/lang/String;)Ljava/lang/Object;` or `mContext:Landroid/content/Context;`.
    pub member: NameRange,
    /// The class whose code first uses it: an index into [`CodeScan::classes`].
    pub at_class: u32,
    /// That code's method, `onCreate(Landroid/os/Bundle;)V`.
    pub at_method: NameRange,
    /// Code units from the start of that method.
    pub at_pc: u32,
}

/// A range `start..end` of [`CodeScan::names`].
pub type NameRange = [u32; 2];

/// The key of a declared member in [`CodeScan::declared`]: FNV-1a over `Lclass;->member`.
pub fn member_key(class: &str, member: &str) -> u64 {
    let mut key = Fnv::new();
    key.write(class.as_bytes());
    key.write(b"->");
    key.write(member.as_bytes());
    key.0
}

/// The scan of one DEX file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeScan {
    pub calls: Vec<Call>,
    pub device_paths: Vec<DevicePath>,
    /// Classes defined, by package (`com.google.android.gms` for
    /// `Lcom/google/android/gms/common/Api;`): the first four segments at most.
    pub packages: BTreeMap<String, u32>,
    /// Methods whose code could not be decoded completely (scanned up to the bad instruction).
    pub undecodable_methods: u32,
    /// More than [`MAX_RECORDS`] calls or paths (or [`MAX_MEMBER_REFS`] member references)
    /// were found; the rest were dropped.
    pub truncated: bool,
    /// Every class defined here, with its supertypes.
    pub classes: Vec<DefinedClass>,
    /// [`member_key`]s of every field and method declared here, sorted.
    pub declared: Vec<u64>,
    /// Members used by the code but declared elsewhere, with their first use.
    pub member_refs: Vec<MemberRef>,
    /// The names [`DefinedClass`]es and [`MemberRef`]s point into, one after another.
    pub names: String,
    /// The interfaces of every [`DefinedClass`], one class's after another's.
    pub interfaces: Vec<NameRange>,
}

impl CodeScan {
    /// The text of `range` in [`CodeScan::names`] ("" should it not be one).
    pub fn name(&self, range: NameRange) -> &str {
        self.names
            .get(range[0] as usize..range[1] as usize)
            .unwrap_or_default()
    }

    /// The interfaces `class` names.
    pub fn interfaces_of(&self, class: &DefinedClass) -> impl Iterator<Item = &str> {
        let [start, end] = class.interfaces;
        self.interfaces
            .get(start as usize..end as usize)
            .unwrap_or_default()
            .iter()
            .map(|&range| self.name(range))
    }

    /// Where `reference` is first used.
    pub fn location(&self, reference: &MemberRef) -> CodeLocation {
        CodeLocation {
            class: self
                .classes
                .get(reference.at_class as usize)
                .map(|class| self.name(class.descriptor).to_string())
                .unwrap_or_default(),
            method: self.name(reference.at_method).to_string(),
            pc: reference.at_pc,
        }
    }
}

/// Per field or method id of one DEX file, while the methods are walked: whether a class here
/// declares it, and its first use (class slot, method id, pc). Dense, indexed by id: every
/// invoke and field instruction touches it.
#[derive(Default)]
struct Members {
    declared: Vec<bool>,
    first_use: Vec<Option<(u32, u32, u32)>>,
}

impl Members {
    fn new(count: u32) -> Members {
        // Ids past the table make the lookups below fail softly (ignored), never panic.
        let count = count as usize;
        Members {
            declared: vec![false; count],
            first_use: vec![None; count],
        }
    }

    fn declare(&mut self, index: u32) {
        if let Some(slot) = self.declared.get_mut(index as usize) {
            *slot = true;
        }
    }

    fn use_at(&mut self, index: u32, at: (u32, u32, u32)) {
        if let Some(slot) = self.first_use.get_mut(index as usize) {
            slot.get_or_insert(at);
        }
    }
}

/// What a method reference is, if it is one of the calls of interest.
fn classify(class: &str, name: &str) -> Option<CallKind> {
    Some(match (class, name) {
        ("Ljava/lang/Class;", "forName") => CallKind::ClassForName,
        ("Ljava/lang/Class;", "getMethod" | "getDeclaredMethod" | "getField" | "getDeclaredField") => {
            CallKind::ReflectMember
        }
        (
            "Ldalvik/system/DexClassLoader;"
            | "Ldalvik/system/PathClassLoader;"
            | "Ldalvik/system/InMemoryDexClassLoader;"
            | "Ldalvik/system/DelegateLastClassLoader;",
            "<init>",
        )
        | ("Ldalvik/system/DexFile;", "loadDex" | "<init>") => CallKind::LoadDex,
        ("Ljava/lang/System;" | "Ljava/lang/Runtime;", "loadLibrary") => CallKind::LoadLibrary,
        ("Ljava/lang/System;" | "Ljava/lang/Runtime;", "load") => CallKind::LoadPath,
        ("Ljava/lang/Runtime;", "exec") | ("Ljava/lang/ProcessBuilder;", "<init>") => CallKind::Exec,
        (_, "getSystemService") => CallKind::SystemService,
        ("Landroid/os/ServiceManager;", "getService" | "checkService") => CallKind::ServiceManager,
        _ => return None,
    })
}

/// Scans every method of `dex`.
pub fn scan(dex: &DexFile<'_>) -> Result<CodeScan, DexError> {
    let mut out = CodeScan::default();
    // Method references of interest, resolved once per method id.
    let mut interesting: HashMap<u32, (CallKind, String)> = HashMap::new();
    for index in 0..dex.header.method_ids {
        let method = dex.method(index)?;
        let class = dex.type_descriptor(method.class)?.to_str();
        let name = dex.string(method.name)?.to_str();
        if let Some(kind) = classify(&class, &name) {
            // `getSystemService(Class)` (API 23) takes no string: keep only the String form.
            if kind == CallKind::SystemService {
                let proto = dex.proto(method.proto)?;
                let first = proto.parameters.iter().next();
                let is_string = first
                    .map(|t| dex.type_descriptor(t).map(|d| d.to_str() == "Ljava/lang/String;"))
                    .transpose()?
                    .unwrap_or(false);
                if !is_string {
                    continue;
                }
            }
            interesting.insert(index, (kind, dex.method_signature(index)?));
        }
    }
    let mut methods = Members::new(dex.header.method_ids);
    let mut fields = Members::new(dex.header.field_ids);
    let mut blob = NameBlob::default();
    for class_def in dex.class_defs() {
        let class_def = class_def?;
        let descriptor = dex.type_descriptor(class_def.class)?.to_str();
        *out.packages.entry(package_of(&descriptor)).or_default() += 1;
        let class_slot = out.classes.len();
        let superclass = match class_def.superclass {
            NO_INDEX => None,
            index => Some(blob.once(&mut out.names, &dex.type_descriptor(index)?.to_str())),
        };
        let first_interface = out.interfaces.len() as u32;
        if class_def.interfaces_off != 0 {
            for t in dex.type_list(class_def.interfaces_off)?.iter() {
                let interface = blob.once(&mut out.names, &dex.type_descriptor(t)?.to_str());
                out.interfaces.push(interface);
            }
        }
        out.classes.push(DefinedClass {
            descriptor: blob.once(&mut out.names, &descriptor),
            superclass,
            interfaces: [first_interface, out.interfaces.len() as u32],
        });
        let Some(data) = dex.class_data(&class_def)? else {
            continue;
        };
        for field in data.fields()? {
            fields.declare(field.field);
        }
        for method in data.methods()? {
            methods.declare(method.method);
            if method.code_off == 0 {
                continue;
            }
            let code = dex.code(method.code_off)?;
            let mut instructions = Vec::new();
            let mut failed = false;
            for instruction in code.instructions() {
                match instruction {
                    Ok(instruction) => instructions.push(instruction),
                    Err(_) => {
                        failed = true;
                        break;
                    }
                }
            }
            out.undecodable_methods += u32::from(failed);
            for instruction in &instructions {
                let at = (class_slot as u32, method.method, instruction.pc);
                match instruction.reference {
                    Some(Reference::Method(index)) if instruction.is_invoke() => {
                        methods.use_at(index, at);
                    }
                    Some(Reference::Field(index)) => fields.use_at(index, at),
                    _ => {}
                }
            }
            scan_method(
                dex,
                &descriptor,
                method.method,
                &instructions,
                &interesting,
                &mut out,
            )?;
        }
    }
    member_refs(dex, &methods, &fields, &mut out, &mut blob)?;
    Ok(out)
}

/// Fills `declared` and `member_refs` once every class has been walked.
fn member_refs(
    dex: &DexFile<'_>,
    methods: &Members,
    fields: &Members,
    out: &mut CodeScan,
    blob: &mut NameBlob,
) -> Result<(), DexError> {
    for (index, _) in methods.declared.iter().enumerate().filter(|(_, d)| **d) {
        out.declared.push(method_key(dex, index as u32)?);
    }
    for (index, _) in fields.declared.iter().enumerate().filter(|(_, d)| **d) {
        let field = dex.field(index as u32)?;
        let mut key = Fnv::new();
        key.write(dex.type_descriptor(field.class)?.to_str().as_bytes());
        key.write(b"->");
        key.write(dex.string(field.name)?.to_str().as_bytes());
        key.write(b":");
        key.write(dex.type_descriptor(field.type_)?.to_str().as_bytes());
        out.declared.push(key.0);
    }
    out.declared.sort_unstable();
    // Fields first, then methods, each in index order: the output does not depend on hashing.
    let uses = [(true, fields), (false, methods)]
        .into_iter()
        .flat_map(|(is_field, m)| {
            m.first_use
                .iter()
                .enumerate()
                .filter(|(i, u)| u.is_some() && !m.declared[*i])
                .map(move |(i, u)| (is_field, i as u32, u.unwrap_or_default()))
        });
    for (is_field, index, (class_slot, method, pc)) in uses {
        if out.member_refs.len() >= MAX_MEMBER_REFS {
            out.truncated = true;
            break;
        }
        let signature = if is_field {
            dex.field_signature(index)?
        } else {
            dex.method_signature(index)?
        };
        let (class, member) = signature.split_once("->").unwrap_or((&signature, ""));
        let caller = dex.method_signature(method)?;
        if out.classes.get(class_slot as usize).is_none() {
            continue;
        }
        let caller = caller.split_once("->").map_or(caller.as_str(), |(_, m)| m);
        // Referenced classes and calling methods repeat: each is stored once.
        let reference = MemberRef {
            class: blob.once(&mut out.names, class),
            member: push_name(&mut out.names, member),
            at_class: class_slot,
            at_method: blob.once(&mut out.names, caller),
            at_pc: pc,
        };
        out.member_refs.push(reference);
    }
    Ok(())
}

/// Appends `text` to `names`; its range there.
fn push_name(names: &mut String, text: &str) -> NameRange {
    let start = names.len() as u32;
    names.push_str(text);
    [start, names.len() as u32]
}

/// The names already in [`CodeScan::names`], so that a repeated one is stored once.
#[derive(Default)]
struct NameBlob {
    stored: HashMap<String, NameRange>,
}

impl NameBlob {
    /// The range of `text` in `names`, appended the first time.
    fn once(&mut self, names: &mut String, text: &str) -> NameRange {
        if let Some(&range) = self.stored.get(text) {
            return range;
        }
        let range = push_name(names, text);
        self.stored.insert(text.to_string(), range);
        range
    }
}

/// [`member_key`] of a method id, without building its signature.
fn method_key(dex: &DexFile<'_>, index: u32) -> Result<u64, DexError> {
    let method = dex.method(index)?;
    let proto = dex.proto(method.proto)?;
    let mut key = Fnv::new();
    key.write(dex.type_descriptor(method.class)?.to_str().as_bytes());
    key.write(b"->");
    key.write(dex.string(method.name)?.to_str().as_bytes());
    key.write(b"(");
    for parameter in proto.parameters.iter() {
        key.write(dex.type_descriptor(parameter)?.to_str().as_bytes());
    }
    key.write(b")");
    key.write(dex.type_descriptor(proto.return_type)?.to_str().as_bytes());
    Ok(key.0)
}

/// `Lcom/google/android/gms/common/Api;` gives `com.google.android.gms`.
fn package_of(descriptor: &str) -> String {
    let inner = descriptor
        .strip_prefix('L')
        .unwrap_or(descriptor)
        .trim_end_matches(';');
    let segments: Vec<&str> = inner.split('/').collect();
    let package = &segments[..segments.len().saturating_sub(1)];
    package[..package.len().min(4)].join(".")
}

fn scan_method(
    dex: &DexFile<'_>,
    class: &str,
    method_index: u32,
    instructions: &[Instruction],
    interesting: &HashMap<u32, (CallKind, String)>,
    out: &mut CodeScan,
) -> Result<(), DexError> {
    // Branch targets, sorted: the instructions come in pc order, so one cursor walks them.
    let mut targets: Vec<u32> = instructions
        .iter()
        .filter_map(|i| i.branch.map(|b| i.pc.wrapping_add_signed(b)))
        .collect();
    targets.sort_unstable();
    let mut next_target = 0;
    let mut strings: HashMap<u16, u32> = HashMap::new();
    let mut method_name: Option<String> = None;
    let mut location = |pc: u32| -> Result<CodeLocation, DexError> {
        if method_name.is_none() {
            let signature = dex.method_signature(method_index)?;
            method_name = Some(
                signature
                    .split_once("->")
                    .map_or(signature.clone(), |(_, m)| m.to_string()),
            );
        }
        Ok(CodeLocation {
            class: class.to_string(),
            method: method_name.clone().unwrap_or_default(),
            pc,
        })
    };
    for instruction in instructions {
        while targets.get(next_target).is_some_and(|&t| t < instruction.pc) {
            next_target += 1;
        }
        if targets.get(next_target) == Some(&instruction.pc) {
            strings.clear();
        }
        let regs = registers(&instruction.registers);
        match (instruction.op, instruction.reference) {
            // const-string, const-string/jumbo
            (Op::Opcode(0x1a | 0x1b), Some(Reference::String(index))) => {
                let Some(dest) = regs.clone().next() else { continue };
                strings.insert(dest, index);
                let text = dex.string(index)?.to_str();
                if text.starts_with("/dev/") && !full(out) {
                    out.device_paths.push(DevicePath {
                        path: text.into_owned(),
                        at: location(instruction.pc)?,
                    });
                }
            }
            (_, Some(Reference::Method(index))) if instruction.is_invoke() => {
                if let Some((kind, target)) = interesting.get(&index)
                    && !full(out)
                {
                    let string = regs
                        .clone()
                        .find_map(|r| strings.get(&r))
                        .map(|&s| dex.string(s).map(|t| t.to_str().into_owned()))
                        .transpose()?;
                    out.calls.push(Call {
                        kind: *kind,
                        target: target.clone(),
                        string,
                        at: location(instruction.pc)?,
                    });
                }
            }
            _ => {
                // Anything else that names a register may overwrite it (wide values: two).
                if strings.is_empty() {
                    continue;
                }
                for reg in regs {
                    strings.remove(&reg);
                    strings.remove(&reg.wrapping_add(1));
                }
            }
        }
    }
    Ok(())
}

fn full(out: &mut CodeScan) -> bool {
    let full = out.calls.len() + out.device_paths.len() >= MAX_RECORDS;
    out.truncated |= full;
    full
}

/// The registers an instruction names, without allocating (this runs for every instruction).
fn registers(registers: &Registers) -> impl Iterator<Item = u16> + Clone + '_ {
    let (list, first, count): (&[u16], u16, u16) = match registers {
        Registers::List { regs, count } => (&regs[..usize::from(*count).min(5)], 0, 0),
        Registers::Range { first, count } => (&[], *first, *count),
    };
    list.iter()
        .copied()
        .chain((0..count).map(move |i| first.wrapping_add(i)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_keys_hash_the_concatenation() {
        let mut pieces = Fnv::new();
        for piece in ["La;", "->", "f", "(", "I", ")", "V"] {
            pieces.write(piece.as_bytes());
        }
        assert_eq!(pieces.0, member_key("La;", "f(I)V"));
        assert_ne!(member_key("La;", "f(I)V"), member_key("La;", "f(J)V"));
    }

    #[test]
    fn packages_keep_four_segments() {
        assert_eq!(
            package_of("Lcom/google/android/gms/common/Api;"),
            "com.google.android.gms"
        );
        assert_eq!(package_of("Lorg/example/Main;"), "org.example");
        assert_eq!(package_of("LMain;"), "");
    }

    #[test]
    fn calls_of_interest_are_recognised() {
        assert_eq!(
            classify("Ljava/lang/Class;", "forName"),
            Some(CallKind::ClassForName)
        );
        assert_eq!(
            classify("Ldalvik/system/DexClassLoader;", "<init>"),
            Some(CallKind::LoadDex)
        );
        assert_eq!(
            classify("Landroid/app/Activity;", "getSystemService"),
            Some(CallKind::SystemService)
        );
        assert_eq!(classify("Ljava/lang/String;", "valueOf"), None);
    }
}
