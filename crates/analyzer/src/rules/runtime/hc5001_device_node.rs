use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC5001",
    name: "device-node",
    severity: Severity::Warning,
    fixable: false,
    summary: "The app names a device node (/dev/...) the target's runtime does not provide.",
    what: "Collects `/dev/...` paths from string constants in DEX code and from the strings of \
           native libraries, and reports those not among the profile's `runtime.device_nodes`.",
    why: "On the target, device nodes exist only as the runtime emulates them: `/dev/binder`, \
          `/dev/ashmem`, the null, zero and random devices. Code that opens GPU, camera, input or \
          vendor nodes directly gets `ENOENT` there.",
    fix: "Reach hardware through the framework APIs (Camera2, MediaCodec, Vulkan/EGL) instead of \
          device nodes; keep direct access behind a feature check.",
    check,
};

fn check(subject: &Subject<'_>, profile: &Profile, out: &mut Findings<'_>) {
    let runtime = &profile.runtime;
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for scan in &subject.facts.code {
        for found in &scan.scan.device_paths {
            if runtime.has_device(&found.path) || seen.contains(&(scan.entry.as_str(), found.path.as_str())) {
                continue;
            }
            seen.push((&scan.entry, &found.path));
            out.add(
                format!("opens {}, which the target does not provide", found.path),
                Location::code(&scan.entry, &found.at),
            );
        }
    }
    for (entry, path) in &subject.facts.native_device_paths {
        if !runtime.has_device(path) {
            out.add(
                format!("{entry} names {path}, which the target does not provide"),
                Location::entry(entry.clone()),
            );
        }
    }
}
