use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC6001",
    name: "vendor-services",
    severity: Severity::Warning,
    fixable: false,
    summary: "The app depends on a vendor's proprietary service SDK (Google Play services, HMS...).",
    what: "Looks for each known vendor SDK by the classes the app defines (package prefixes), \
           manifest meta-data and permissions in the vendor's namespace, and reports one finding \
           per vendor with what was found.",
    why: "Proprietary service SDKs talk to a vendor app on the device (Play services, HMS Core) \
          that the target does not have: maps, push messages, sign-in, billing and location \
          through them fail, and the app is tied to that vendor's ecosystem.",
    fix: "Put vendor SDKs behind an interface with an implementation per platform (or an open \
          one: UnifiedPush, MapLibre, the platform's LocationManager), and make the app work \
          when the vendor app is absent. `hyper-migrate fix` moves the app's calls into Play \
          services location and Firebase messaging to portable shims (its `gms-location` and \
          `firebase-messaging` mappings); the SDK itself stays until the build drops it.",
    check,
};

/// A vendor: name, package prefixes of its SDK classes, prefixes of its manifest names.
struct Vendor {
    name: &'static str,
    packages: &'static [&'static str],
    manifest: &'static [&'static str],
}

const VENDORS: &[Vendor] = &[
    Vendor {
        name: "Google Play services",
        packages: &["com.google.android.gms"],
        manifest: &["com.google.android.gms.", "com.google.android.c2dm."],
    },
    Vendor {
        name: "Firebase",
        packages: &["com.google.firebase"],
        manifest: &["com.google.firebase."],
    },
    Vendor {
        name: "Huawei Mobile Services",
        packages: &["com.huawei.hms", "com.huawei.agconnect"],
        manifest: &["com.huawei.hms.", "com.huawei.agconnect."],
    },
    Vendor {
        name: "Amazon device SDKs",
        packages: &["com.amazon.device"],
        manifest: &["com.amazon.device."],
    },
    Vendor {
        name: "Samsung SDKs",
        packages: &["com.samsung.android.sdk"],
        manifest: &["com.samsung.android.sdk."],
    },
    Vendor {
        name: "Xiaomi push",
        packages: &["com.xiaomi.mipush", "com.xiaomi.push"],
        manifest: &["com.xiaomi.mipush."],
    },
];

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    for tie in ties(subject) {
        out.add(
            format!("depends on {}: {}", tie.vendor, tie.evidence.join(", ")),
            Location::default(),
        );
    }
}

/// One vendor the app is tied to, with what shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Tie {
    pub vendor: &'static str,
    pub evidence: Vec<String>,
}

/// Every vendor tie of the app, in the order of the vendor table.
pub(crate) fn ties(subject: &Subject<'_>) -> Vec<Tie> {
    let mut ties = Vec::new();
    for vendor in VENDORS {
        let mut evidence = Vec::new();
        let classes: u32 = subject
            .facts
            .code
            .iter()
            .flat_map(|c| &c.scan.packages)
            .filter(|(package, _)| {
                vendor
                    .packages
                    .iter()
                    .any(|p| *package == p || package.starts_with(&format!("{p}.")))
            })
            .map(|(_, count)| count)
            .sum();
        if classes > 0 {
            evidence.push(format!("{classes} classes of its SDK"));
        }
        if let Some(manifest) = subject.manifest {
            let in_namespace = |name: &str| vendor.manifest.iter().any(|p| name.starts_with(p));
            let meta = manifest
                .application
                .iter()
                .flat_map(|a| {
                    a.meta_data
                        .iter()
                        .chain(a.components.iter().flat_map(|c| &c.meta_data))
                })
                .filter(|m| in_namespace(&m.name))
                .count();
            if meta > 0 {
                evidence.push(format!("{meta} manifest meta-data"));
            }
            let components = manifest
                .components()
                .iter()
                .filter(|c| {
                    in_namespace(&c.name)
                        || c.intent_filters
                            .iter()
                            .flat_map(|f| &f.actions)
                            .any(|a| in_namespace(a))
                })
                .count();
            if components > 0 {
                evidence.push(format!("{components} components bound to it"));
            }
            let permissions = manifest
                .uses_permissions
                .iter()
                .filter(|p| in_namespace(&p.name))
                .count();
            if permissions > 0 {
                evidence.push(format!("{permissions} of its permissions"));
            }
        }
        if !evidence.is_empty() {
            ties.push(Tie {
                vendor: vendor.name,
                evidence,
            });
        }
    }
    ties
}
