//! Resolution of the members the app's code uses against the platform's non-SDK API data
//! ([`crate::hiddenapi`]), shared by HC2007 and HC2008.

use std::collections::HashMap;

use crate::dex::scan::{CallKind, CodeLocation, CodeScan, DefinedClass, member_key};
use crate::hiddenapi::{self, ApiFlag, AppClasses, Supertypes};
use crate::report::Facts;

/// One use of a non-SDK member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonSdkUse {
    /// The DEX entry the code is in.
    pub entry: String,
    /// `Lclass;->member` as the code names it.
    pub reference: String,
    /// Where it resolved (differs from `reference` when inherited).
    pub declaration: String,
    pub flag: ApiFlag,
    pub at: CodeLocation,
}

/// The app's classes across all of its DEX files, with the scan that holds each one's names.
struct App<'f> {
    classes: HashMap<&'f str, (&'f CodeScan, &'f DefinedClass)>,
    declared: Vec<&'f [u64]>,
}

impl AppClasses for App<'_> {
    fn supertypes(&self, class: &str) -> Option<Supertypes<'_>> {
        self.classes.get(class).map(|&(scan, c)| Supertypes {
            superclass: c.superclass.map(|range| scan.name(range)),
            interfaces: scan.interfaces_of(c).collect(),
        })
    }

    fn declares(&self, class: &str, member: &str) -> bool {
        let key = member_key(class, member);
        self.declared.iter().any(|d| d.binary_search(&key).is_ok())
    }
}

/// Every use of a member that is not public SDK: reflective lookups with constant names, then
/// linked references (first use per DEX file), in scan order.
pub fn uses(facts: &Facts) -> Vec<NonSdkUse> {
    let app = App {
        classes: facts
            .code
            .iter()
            .flat_map(|c| c.scan.classes.iter().map(|class| (&c.scan, class)))
            .map(|(scan, class)| (scan.name(class.descriptor), (scan, class)))
            .collect(),
        declared: facts.code.iter().map(|c| c.scan.declared.as_slice()).collect(),
    };
    let mut out = Vec::new();
    reflective(facts, &mut out);
    for code in &facts.code {
        for r in &code.scan.member_refs {
            let (class, member) = (code.scan.name(r.class), code.scan.name(r.member));
            // Arrays' members (`[I->clone()`) are the runtime's, never in the lists.
            if class.starts_with('[') {
                continue;
            }
            let Some(resolved) = hiddenapi::resolve(class, member, &app) else {
                continue;
            };
            if resolved.flag == ApiFlag::Sdk {
                continue;
            }
            out.push(NonSdkUse {
                entry: code.entry.clone(),
                reference: format!("{class}->{member}"),
                declaration: resolved.declaration,
                flag: resolved.flag,
                at: code.scan.location(r),
            });
        }
    }
    out
}

/// Reflective lookups whose class (`Class.forName` in the same method) and member name are
/// constant strings, classified by name: ART applies the same lists to reflection.
fn reflective(facts: &Facts, out: &mut Vec<NonSdkUse>) {
    for code in &facts.code {
        let calls = &code.scan.calls;
        for call in calls.iter().filter(|c| c.kind == CallKind::ReflectMember) {
            let Some(name) = &call.string else { continue };
            let field = call.target.contains("Field(");
            let inherited = !call.target.contains("->getDeclared");
            // The class: the last `Class.forName` with a constant name before the lookup, in
            // the same method.
            let class = calls
                .iter()
                .filter(|c| {
                    c.kind == CallKind::ClassForName
                        && c.at.class == call.at.class
                        && c.at.method == call.at.method
                        && c.at.pc < call.at.pc
                })
                .max_by_key(|c| c.at.pc)
                .and_then(|c| c.string.as_deref());
            if let Some(class) = class {
                let descriptor = format!("L{};", class.replace('.', "/"));
                let resolved = hiddenapi::resolve_by_name(&descriptor, name, field, inherited);
                let Some(resolved) = resolved else { continue };
                out.push(NonSdkUse {
                    entry: code.entry.clone(),
                    reference: format!(
                        "{descriptor}->{name} by reflection ({})",
                        call.target
                            .split_once("->")
                            .map_or("", |(_, m)| m.split('(').next().unwrap_or(""))
                    ),
                    declaration: resolved.declaration,
                    flag: resolved.flag,
                    at: call.at.clone(),
                });
            }
        }
    }
}

/// `Landroid/app/ActivityThread;->currentActivityThread()...`, with where it was declared
/// when the code named a subclass.
pub fn describe(u: &NonSdkUse) -> String {
    let class = |s: &str| s.split("->").next().unwrap_or_default().to_string();
    if class(&u.reference) == class(&u.declaration) {
        u.reference.clone()
    } else {
        format!("{} (resolves to {})", u.reference, u.declaration)
    }
}
