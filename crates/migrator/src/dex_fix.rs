//! The DEX half of `hyper-migrate fix`: mapping files applied to every `classes*.dex` of an APK,
//! the rewritten files spilled over as many `classesN.dex` as the 65,536-reference limits need,
//! and the shim classes the applied mappings rely on added as extra `classesN.dex` files.
//!
//! Built-in mappings live in `crates/migrator/maps/*.toml`; their shims are smali sources in
//! `crates/migrator/shims/<bundle>/`, assembled by `scripts/gen-shims` into the DEX files
//! embedded here (a test checks that the committed DEX files are current).

use std::collections::BTreeSet;

use analyzer::dex::DexFile;
use analyzer::zip::ZipArchive;

use crate::dex::{DexModel, Mapping, Retargeted, retarget, write_split};

/// The built-in mapping files: name and TOML text.
pub const BUILTIN_MAPS: [(&str, &str); 3] = [
    ("gms-location", include_str!("../maps/gms-location.toml")),
    (
        "firebase-messaging",
        include_str!("../maps/firebase-messaging.toml"),
    ),
    ("hidden-api", include_str!("../maps/hidden-api.toml")),
];

/// The shim bundles: name and assembled DEX.
pub const SHIM_BUNDLES: [(&str, &[u8]); 4] = [
    ("gms-tasks", include_bytes!("../shims/gms-tasks.dex")),
    ("gms-location", include_bytes!("../shims/gms-location.dex")),
    (
        "firebase-messaging",
        include_bytes!("../shims/firebase-messaging.dex"),
    ),
    ("hidden-api", include_bytes!("../shims/hidden-api.dex")),
];

/// Why the DEX files could not be rewritten.
#[derive(Debug, thiserror::Error)]
pub enum DexFixError {
    #[error("{0}")]
    Map(String),
    #[error("{entry}: {reason}")]
    Entry { entry: String, reason: String },
}

/// A mapping and the shim bundles it needs.
#[derive(Debug, Clone)]
pub struct MapSpec {
    pub mapping: Mapping,
    pub shims: Vec<&'static str>,
}

/// A built-in mapping by name.
pub fn builtin(name: &str) -> Option<MapSpec> {
    let (_, text) = BUILTIN_MAPS.iter().find(|(n, _)| *n == name)?;
    // The built-in files are checked by the tests; a broken one is a build defect.
    let mapping = Mapping::parse(text).unwrap_or_else(|err| panic!("built-in mapping {name}: {err}"));
    let shims = shim_names(&mapping).unwrap_or_else(|err| panic!("built-in mapping {name}: {err}"));
    Some(MapSpec { mapping, shims })
}

fn shim_names(mapping: &Mapping) -> Result<Vec<&'static str>, String> {
    mapping
        .shims
        .iter()
        .map(|wanted| {
            SHIM_BUNDLES
                .iter()
                .find(|(name, _)| name == wanted)
                .map(|(name, _)| *name)
                .ok_or_else(|| {
                    let known: Vec<&str> = SHIM_BUNDLES.iter().map(|(n, _)| *n).collect();
                    format!("unknown shim bundle {wanted:?} (built in: {})", known.join(", "))
                })
        })
        .collect()
}

/// `--map ARG`: a built-in name, or a path to a mapping file.
pub fn load(arg: &str) -> Result<MapSpec, DexFixError> {
    if let Some(spec) = builtin(arg) {
        return Ok(spec);
    }
    let path = std::path::Path::new(arg);
    if !path.exists() {
        let names: Vec<&str> = BUILTIN_MAPS.iter().map(|(n, _)| *n).collect();
        return Err(DexFixError::Map(format!(
            "--map {arg}: no such file, and not a built-in mapping ({})",
            names.join(", ")
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|err| DexFixError::Map(format!("{arg}: {err}")))?;
    let mapping = Mapping::parse(&text).map_err(|err| DexFixError::Map(format!("{arg}: {err}")))?;
    let shims = shim_names(&mapping).map_err(|err| DexFixError::Map(format!("{arg}: {err}")))?;
    Ok(MapSpec { mapping, shims })
}

/// What applying the mappings did.
#[derive(Debug, Default)]
pub struct DexRewrite {
    /// Entries to replace or add, in order: rewritten DEX files, spill-over files, shims.
    pub entries: Vec<(String, Vec<u8>)>,
    /// Per mapping (by name), what it changed over all DEX files.
    pub applied: Vec<(String, Retargeted)>,
    /// DEX files split because they outgrew the reference limits: (entry, files written).
    pub spilled: Vec<(String, usize)>,
    /// Shim bundles added, with the entry each went to.
    pub shims_added: Vec<(String, String)>,
    /// DEX files left as they were because they could not be read into the model, and why.
    pub left: Vec<(String, String)>,
}

impl DexRewrite {
    pub fn changed(&self) -> bool {
        !self.entries.is_empty()
    }
}

/// `classes.dex` is 1, `classesN.dex` is N; other names are not primary DEX files.
fn dex_number(name: &str) -> Option<u32> {
    let middle = name.strip_prefix("classes")?.strip_suffix(".dex")?;
    if middle.is_empty() {
        return Some(1);
    }
    middle
        .parse()
        .ok()
        .filter(|&n| n >= 2 && !middle.starts_with('0'))
}

fn dex_name(number: u32) -> String {
    if number == 1 {
        "classes.dex".to_string()
    } else {
        format!("classes{number}.dex")
    }
}

/// Applies `maps` to every primary DEX file of the APK in `zip`.
pub fn rewrite(zip: &ZipArchive<'_>, maps: &[MapSpec]) -> Result<DexRewrite, DexFixError> {
    let mut result = DexRewrite::default();
    if maps.is_empty() {
        return Ok(result);
    }
    let mut dex_entries: Vec<(u32, String)> = zip
        .entries()
        .iter()
        .filter_map(|e| {
            let name = e.name_lossy().into_owned();
            dex_number(&name).map(|n| (n, name))
        })
        .collect();
    dex_entries.sort();
    let mut next = dex_entries.last().map_or(1, |(n, _)| n + 1);
    let mut totals: Vec<Retargeted> = vec![Retargeted::default(); maps.len()];
    let mut defined: BTreeSet<String> = BTreeSet::new();
    let mut spill = Vec::new();
    for (_, name) in &dex_entries {
        let entry = zip.entry(name).ok_or_else(|| DexFixError::Entry {
            entry: name.clone(),
            reason: "listed but not found".into(),
        })?;
        let fail = |reason: String| DexFixError::Entry {
            entry: name.clone(),
            reason,
        };
        let bytes = zip.read(entry).map_err(|err| fail(err.to_string()))?;
        // A DEX file the model cannot take (a 041 container, or damage the analyzer reported)
        // is kept as it is: the other files are still rewritten, and the report says so.
        let model = DexFile::parse(&bytes).and_then(|dex| {
            for class in dex.class_defs() {
                defined.insert(dex.type_descriptor(class?.class)?.to_str().into_owned());
            }
            // Most DEX files name nothing a mapping moves: those are not modelled at all.
            if !maps.iter().any(|spec| names_any(&dex, &spec.mapping)) {
                return Ok(None);
            }
            DexModel::read(&dex).map(Some)
        });
        let mut model = match model {
            Ok(Some(model)) => model,
            Ok(None) => continue,
            Err(err) => {
                result.left.push((name.clone(), err.to_string()));
                continue;
            }
        };
        let mut changed = false;
        for (spec, total) in maps.iter().zip(&mut totals) {
            let report = retarget(&mut model, &spec.mapping);
            changed |= report.changed();
            merge(total, report);
        }
        if !changed {
            continue;
        }
        let files = write_split(&model).map_err(|err| fail(err.to_string()))?;
        if files.len() > 1 {
            result.spilled.push((name.clone(), files.len()));
        }
        let mut files = files.into_iter();
        if let Some(first) = files.next() {
            result.entries.push((name.clone(), first));
        }
        spill.extend(files);
    }
    for bytes in spill {
        result.entries.push((dex_name(next), bytes));
        next += 1;
    }
    let mut bundles: Vec<&'static str> = Vec::new();
    for (spec, total) in maps.iter().zip(&totals) {
        if total.changed() {
            for &bundle in &spec.shims {
                if !bundles.contains(&bundle) {
                    bundles.push(bundle);
                }
            }
        }
    }
    for bundle in bundles {
        let (_, bytes) = SHIM_BUNDLES
            .iter()
            .find(|(n, _)| *n == bundle)
            .expect("bundle names are checked when mappings load");
        // An APK that already carries the bundle (fixed before) gets no second copy.
        let shim = DexFile::parse(bytes)
            .and_then(|d| DexModel::read(&d))
            .map_err(|err| DexFixError::Entry {
                entry: format!("shim bundle {bundle}"),
                reason: err.to_string(),
            })?;
        let present = shim
            .classes
            .iter()
            .any(|c| defined.contains(&shim.pools.type_descriptor(c.type_)));
        if present {
            continue;
        }
        let name = dex_name(next);
        next += 1;
        result.shims_added.push((bundle.to_string(), name.clone()));
        result.entries.push((name, bytes.to_vec()));
    }
    for (spec, total) in maps.iter().zip(totals) {
        if total.changed() {
            result.applied.push((spec.mapping.name.clone(), total));
        }
    }
    Ok(result)
}

/// Whether `dex` refers to anything the mapping moves: a mapped type named in its string pool,
/// or a mapped method or field among its references. Without one there is nothing to do, and
/// the file is not modelled at all (most of an app's DEX files, most of the time).
fn names_any(dex: &DexFile<'_>, mapping: &Mapping) -> bool {
    let types: BTreeSet<&str> = mapping.types.keys().map(String::as_str).collect();
    let named_type = (0..dex.header.string_ids).any(|i| {
        dex.string(i)
            .is_ok_and(|s| std::str::from_utf8(s.bytes).is_ok_and(|text| types.contains(text)))
    });
    if named_type {
        return true;
    }
    let methods: BTreeSet<String> = mapping.methods.keys().map(|m| m.to_string()).collect();
    let fields: BTreeSet<String> = mapping
        .fields
        .keys()
        .map(|f| format!("{}->{}:{}", f.class, f.name, f.type_))
        .collect();
    (!methods.is_empty()
        && (0..dex.header.method_ids).any(|i| dex.method_signature(i).is_ok_and(|m| methods.contains(&m))))
        || (!fields.is_empty()
            && (0..dex.header.field_ids).any(|i| dex.field_signature(i).is_ok_and(|f| fields.contains(&f))))
}

fn merge(total: &mut Retargeted, report: Retargeted) {
    total.call_sites += report.call_sites;
    total.references += report.references;
    for (item, count) in report.by_item {
        *total.by_item.entry(item).or_default() += count;
    }
    total.refused.extend(report.refused);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_maps_parse_and_name_existing_shims() {
        for (name, _) in BUILTIN_MAPS {
            let spec = builtin(name).unwrap();
            assert_eq!(spec.mapping.name, name);
            assert!(!spec.shims.is_empty());
        }
    }

    #[test]
    fn shim_bundles_are_valid_dex_files() {
        for (name, bytes) in SHIM_BUNDLES {
            let dex = DexFile::parse(bytes).unwrap_or_else(|err| panic!("{name}: {err}"));
            assert!(dex.checksum_matches() && dex.signature_matches(), "{name}");
            assert!(dex.header.class_defs > 0, "{name}");
        }
    }

    #[test]
    fn every_type_a_builtin_map_targets_is_defined_by_its_shims() {
        for (name, _) in BUILTIN_MAPS {
            let spec = builtin(name).unwrap();
            let mut defined = BTreeSet::new();
            for bundle in &spec.shims {
                let (_, bytes) = SHIM_BUNDLES.iter().find(|(n, _)| n == bundle).unwrap();
                let model = DexModel::read(&DexFile::parse(bytes).unwrap()).unwrap();
                for class in &model.classes {
                    defined.insert(model.pools.type_descriptor(class.type_));
                }
            }
            for to in spec.mapping.types.values() {
                assert!(defined.contains(to), "{name}: {to} is not defined by its shims");
            }
            for target in spec.mapping.methods.values() {
                assert!(
                    defined.contains(&target.to.class),
                    "{name}: {} not defined",
                    target.to
                );
            }
        }
    }

    #[test]
    fn dex_names_follow_the_platform_loader() {
        assert_eq!(dex_number("classes.dex"), Some(1));
        assert_eq!(dex_number("classes2.dex"), Some(2));
        assert_eq!(dex_number("classes02.dex"), None);
        assert_eq!(dex_number("classes1.dex"), None);
        assert_eq!(dex_number("lib/classes.dex"), None);
        assert_eq!(dex_name(1), "classes.dex");
        assert_eq!(dex_name(7), "classes7.dex");
    }
}
