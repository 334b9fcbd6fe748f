use crate::dex::scan::CallKind;
use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC2004",
    name: "dynamic-code-loading",
    severity: Severity::Warning,
    fixable: false,
    summary: "The app loads code at run time (class loaders over DEX files it brings or downloads).",
    what: "Reports `new DexClassLoader`, `PathClassLoader`, `InMemoryDexClassLoader`, \
           `DelegateLastClassLoader`, `DexFile.loadDex` and `System.load(path)`.",
    why: "Code loaded at run time is invisible to this analysis: nothing it calls was checked. \
          The target also refuses to execute writable code files (as Android 14 does for apps \
          targeting API 34), so loaders over files the app writes fail there.",
    fix: "Ship the code in the APK (feature modules if size matters). Where plug-ins are \
          essential, mark the files read-only before loading and analyze the plug-ins too.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    for (entry, call) in subject.calls() {
        let message = match call.kind {
            CallKind::LoadDex => format!("loads DEX code at run time via {}", short(&call.target)),
            CallKind::LoadPath => match &call.string {
                Some(path) => format!("loads native code from the path {path}"),
                None => "loads native code from a path computed at run time (System.load)".into(),
            },
            _ => continue,
        };
        out.add(message, Location::code(entry, &call.at));
    }
}

/// `Ldalvik/system/DexClassLoader;-><init>(...)V` gives `DexClassLoader.<init>`.
fn short(target: &str) -> String {
    let (class, member) = target.split_once("->").unwrap_or((target, ""));
    let class = class.trim_end_matches(';').rsplit('/').next().unwrap_or(class);
    let member = member.split('(').next().unwrap_or(member);
    format!("{class}.{member}")
}
