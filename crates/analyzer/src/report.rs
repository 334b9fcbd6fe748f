//! The facts `hyper-migrate analyze` reports for one input file: schema `hypercompat.report/1`,
//! documented field by field in `docs/report-schema.md`.
//!
//! [`analyze`] reads whatever the file is (APK, split-APK bundle, AAR, JAR, DEX or ELF, judged by
//! content), walks the containers inside it, and fills a [`Report`]. Two kinds of trouble are
//! kept apart:
//! - `error`: the input as a whole cannot be read (not a format we know, a broken zip, an APK
//!   whose manifest or root DEX files Android could not read either). Facts are then partial or
//!   absent.
//! - `problems`: one part could not be read (a nested JAR that is not a zip, a `.so` that is not
//!   ELF, a resource table that does not parse); everything else is still reported.

use std::collections::BTreeSet;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::apk::ApkInventory;
use crate::arsc::ResourceTable;
use crate::axml::XmlDocument;
use crate::container::{self, Kind};
use crate::dex::DexFile;
use crate::dex::scan::{self, CodeScan};
use crate::elf::{Binding, ElfFile, Isa};
use crate::manifest::{Manifest, SdkVersion};
use crate::res::ParseMode;
use crate::rules::vendor::Portability;
use crate::rules::{self, Finding, Profile, Selection, Subject};
use crate::signing::{self, KeyAlgorithm, Verification, VerifyOptions};
use crate::zip::{Method, ZipArchive};

/// The schema name every report carries.
pub const SCHEMA: &str = "hypercompat.report/1";

/// The report on one input file.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    /// The path as given.
    pub file: String,
    /// SHA-256 of the file's bytes; null when the file could not be read at all.
    pub sha256: Option<String>,
    pub size: Option<u64>,
    pub facts: Option<Facts>,
    /// What the rules found, worst first (see `rules`).
    pub findings: Vec<Finding>,
    /// How tied the app is to one vendor's proprietary services (null when unreadable).
    pub portability: Option<Portability>,
    pub problems: Vec<Problem>,
    pub error: Option<String>,
}

/// A part of the input that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Path inside the input (`lib/arm64-v8a/libx.so`, `assets/a.jar!/classes.dex`).
    pub entry: String,
    pub reason: String,
}

/// What the input is and holds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facts {
    /// `apk`, `apks` (split-APK bundle), `aar`, `jar`, `zip`, `dex` or `elf`.
    pub kind: &'static str,
    pub package: Option<String>,
    /// The manifest's `split` name when the APK is a split (`config.arm64_v8a`).
    pub split: Option<String>,
    pub version_code: Option<i32>,
    pub version_name: Option<String>,
    /// As the manifest writes it: a level, or a preview codename (a string). Absent means
    /// Android takes 1.
    pub min_sdk: Option<Sdk>,
    /// Absent means Android takes the minimum SDK.
    pub target_sdk: Option<Sdk>,
    /// The ABIs the package manager sees: the `lib/<abi>/` directories holding a library
    /// (`jni/<abi>/` in an AAR), over all APKs of a bundle; sorted.
    pub abis: Vec<String>,
    pub dex: Vec<DexFacts>,
    pub native: Vec<NativeFacts>,
    /// APKs only (for a bundle: its base APK).
    pub signing: Option<SigningFacts>,
    /// Zip inputs only (for a bundle: its base APK).
    pub zip: Option<ZipFacts>,
    /// Bundles only: every APK in it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub splits: Vec<SplitFacts>,
    /// What the code of each DEX file does (for the rules; not part of the JSON schema).
    #[serde(skip)]
    pub code: Vec<EntryScan>,
    /// `/dev/...` paths among the strings of native libraries: (entry, path).
    #[serde(skip)]
    pub native_device_paths: Vec<(String, String)>,
}

/// The code scan of one DEX file, by entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryScan {
    pub entry: String,
    pub scan: CodeScan,
}

/// An SDK level, or a preview codename.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Sdk {
    Level(i32),
    Codename(String),
}

impl From<&SdkVersion> for Sdk {
    fn from(value: &SdkVersion) -> Self {
        match value {
            SdkVersion::Level(level) => Sdk::Level(*level),
            SdkVersion::Codename(name) => Sdk::Codename(name.clone()),
        }
    }
}

/// One DEX file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DexFacts {
    /// Path inside the input; the file name for a standalone `.dex`.
    pub entry: String,
    /// Position inside a DEX 041 container (0 for every other version).
    pub index: usize,
    /// The version number of the magic: 35 for `dex\n035\0`.
    pub version: u16,
    pub size: u32,
    pub class_defs: u32,
    pub method_ids: u32,
    pub field_ids: u32,
    pub string_ids: u32,
    pub type_ids: u32,
    pub proto_ids: u32,
    /// The header's Adler-32 matches (ART refuses the file otherwise).
    pub checksum_ok: bool,
    /// The header's SHA-1 matches.
    pub signature_ok: bool,
}

/// One ELF file (a shared library, usually).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NativeFacts {
    pub entry: String,
    /// The Android ABI of the ELF header (`arm64-v8a`, ...); null for a machine no ABI uses.
    pub abi: Option<&'static str>,
    /// Libraries at the root of an APK only: stored (mappable in place) rather than compressed.
    pub stored: Option<bool>,
    /// Stored zip entries only: the largest power of two (up to 64 KiB) dividing the data offset.
    pub zip_alignment: Option<u64>,
    /// Smallest `p_align` of the `PT_LOAD` segments; 16384 or more loads on 16 KB-page devices.
    pub min_load_align: Option<u64>,
    pub needed: Vec<String>,
    pub soname: Option<String>,
    pub textrel: bool,
    pub exec_stack: bool,
    /// Instructions that enter the kernel directly; null when no disassembler covers the
    /// machine.
    pub direct_syscalls: Option<Vec<SyscallFacts>>,
    /// Imported symbols bound to a version that a dependency must define (`DT_VERSYM` and
    /// `DT_VERNEED`), in symbol table order (for the rules; not part of the JSON schema).
    #[serde(skip)]
    pub versioned_imports: Vec<VersionedImport>,
}

/// An imported symbol and the symbol version it needs: `epoll_pwait2@LIBC_V` from `libc.so`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionedImport {
    pub symbol: String,
    /// `LIBC`, `LIBC_N`, `GLIBC_2.17`...
    pub version: String,
    /// The library `DT_VERNEED` expects to define the version (`libc.so`, `libc.so.6`).
    pub library: String,
    /// `STB_WEAK`: the loader binds it to null when no library defines it.
    pub weak: bool,
}

/// One direct system call instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyscallFacts {
    pub address: u64,
    /// `a64`, `a32`, `t32`, `x86` or `x86_64`: which Linux syscall table the number is from.
    pub isa: &'static str,
    /// The syscall number when a constant reaches the number register; null when unknown.
    pub number: Option<u64>,
}

/// The signature verdict, as `apksigner verify -v` gives it for the app's own SDK range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SigningFacts {
    /// "Verified using v1 scheme" and so on.
    pub v1: bool,
    pub v2: bool,
    pub v3: bool,
    pub v31: bool,
    /// apksigner would print "Verifies".
    pub verified: bool,
    /// Why not, when not verified.
    pub error: Option<String>,
    /// Schemes whose signature material is present, verified or not.
    pub present: Vec<&'static str>,
    /// Schemes whose signatures verify on their own, even when the APK as a whole does not
    /// (a v2-only APK installable from API 24 whose manifest allows older platforms).
    pub valid: Vec<&'static str>,
    /// The platform range checked: the app's minimum SDK as apksigner reads it, to the newest.
    pub min_sdk_checked: u32,
    /// The signers apksigner prints (newest v3.1/v3 signer, else v2, else v1).
    pub signers: Vec<SignerFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignerFacts {
    /// SHA-256 of the certificate, lower-case hex.
    pub sha256: String,
    pub subject: String,
    /// `RSA-2048`, `EC-P256`, `DSA`, ...
    pub key: String,
}

/// Zip-level facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ZipFacts {
    pub entries: usize,
    /// What `zipalign -c -p 4` rejects: stored entries not 4-byte aligned, stored `.so` not
    /// 4 KiB aligned.
    pub misaligned_stored: Vec<String>,
    /// `resources.arsc` is present and compressed.
    pub compressed_arsc: bool,
    pub duplicate_names: Vec<String>,
    /// Names with `..` segments, absolute paths or backslashes.
    pub unsafe_names: Vec<String>,
    pub overlapping: Vec<[String; 2]>,
    pub trailing_bytes: u64,
    pub comment_len: usize,
}

/// One APK of a split-APK bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SplitFacts {
    pub entry: String,
    /// The manifest's `split` name; null for the base APK.
    pub split: Option<String>,
    pub verified: Option<bool>,
}

/// How to judge an input: the target profile and which rules run.
#[derive(Debug, Clone, Copy)]
pub struct Options<'o> {
    pub profile: &'o Profile,
    pub selection: &'o Selection,
}

impl Default for Options<'static> {
    fn default() -> Self {
        static ALL: std::sync::OnceLock<Selection> = std::sync::OnceLock::new();
        Options {
            profile: Profile::builtin(),
            selection: ALL.get_or_init(Selection::default),
        }
    }
}

/// Analyzes one input with the built-in profile and every rule. `file` names it in the
/// report; `data` is its content.
pub fn analyze(file: &str, data: &[u8]) -> Report {
    analyze_with(file, data, &Options::default())
}

/// Analyzes one input: reads its facts, then runs the selected rules against the profile.
pub fn analyze_with(file: &str, data: &[u8], options: &Options<'_>) -> Report {
    let mut report = Report {
        schema: SCHEMA,
        file: file.to_string(),
        sha256: Some(sha256_hex(data)),
        size: Some(data.len() as u64),
        facts: None,
        findings: Vec::new(),
        portability: None,
        problems: Vec::new(),
        error: None,
    };
    let base_name = file.rsplit('/').next().unwrap_or(file);
    let mut problems = Vec::new();
    let mut manifest = None;
    let kind = container::detect(data);
    let result = match kind {
        Kind::Apk => apk_facts(data, &mut problems, &mut manifest),
        Kind::SplitBundle => bundle_facts(data, &mut problems, &mut manifest),
        Kind::Aar | Kind::Jar | Kind::Zip => library_facts(data, kind, &mut problems, &mut manifest),
        Kind::Dex => standalone_dex(base_name, data),
        Kind::Elf => standalone_elf(base_name, data),
        Kind::Other => Err(not_recognised(data).into()),
    };
    match result {
        Ok(facts) => {
            let subject = Subject::new(&facts, manifest.as_ref());
            report.findings = rules::check(&subject, options.profile, options.selection);
            report.portability = Some(rules::vendor::portability(&subject));
            report.facts = Some(facts);
        }
        Err(Unreadable { facts, reason }) => {
            report.facts = facts.map(|facts| *facts);
            report.error = Some(reason);
        }
    }
    report.problems = problems;
    report
}

/// A report for a file that could not even be opened.
pub fn unreadable(file: &str, reason: String) -> Report {
    Report {
        schema: SCHEMA,
        file: file.to_string(),
        sha256: None,
        size: None,
        facts: None,
        findings: Vec::new(),
        portability: None,
        problems: Vec::new(),
        error: Some(reason),
    }
}

/// Why an input could not be read, with what was read before that.
struct Unreadable {
    facts: Option<Box<Facts>>,
    reason: String,
}

impl From<String> for Unreadable {
    fn from(reason: String) -> Self {
        Unreadable { facts: None, reason }
    }
}

fn sha256_hex(data: &[u8]) -> String {
    let mut hasher = Sha256::new();
    crate::pager::for_each_piece(data, |piece| hasher.update(piece));
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn not_recognised(data: &[u8]) -> String {
    if data.is_empty() {
        return "empty file".into();
    }
    match ZipArchive::parse(data) {
        Err(err) if data.starts_with(b"PK") => format!("broken zip archive: {err}"),
        _ => "not an APK, split-APK bundle, AAR, JAR, DEX or ELF file (not a zip archive either)".into(),
    }
}

/// The zip and its layout facts. DEX headers are left to the code walk, which reads every
/// DEX file anyway.
fn open_zip(data: &[u8]) -> Result<(ZipArchive<'_>, ZipFacts), Unreadable> {
    let zip = ZipArchive::parse(data).map_err(|err| err.to_string())?;
    let layout = ApkInventory::layout(&zip).map_err(|err| err.to_string())?;
    Ok((zip, zip_facts(&layout)))
}

/// Manifest, resources, DEX, native code, signatures and zip layout of an APK.
fn apk_facts(
    data: &[u8],
    problems: &mut Vec<Problem>,
    manifest_out: &mut Option<Manifest>,
) -> Result<Facts, Unreadable> {
    let (zip, layout) = open_zip(data)?;
    // Readers that go by the local header see another name than those that go by the central
    // directory (the package manager's reader refuses the archive for it).
    for entry in zip.entries().iter().filter(|entry| entry.local_name_differs) {
        problems.push(problem(
            &entry.name_lossy(),
            "its local header names it differently: Android's zip reader refuses the archive",
        ));
    }
    let mut facts = Facts {
        kind: "apk",
        zip: Some(layout),
        ..Facts::default()
    };
    let manifest = match read_binary_manifest(&zip, problems) {
        Ok(manifest) => manifest,
        Err(reason) => {
            return Err(Unreadable {
                facts: Some(Box::new(facts)),
                reason,
            });
        }
    };
    if manifest.package.is_empty() {
        // The package manager refuses such an APK, as aapt does: its name or its <manifest>
        // element (an unreadable string pool) cannot be read.
        return Err(Unreadable {
            facts: Some(Box::new(facts)),
            reason:
                "AndroidManifest.xml: no package name (its <manifest> element or string pool cannot be read)"
                    .to_string(),
        });
    }
    fill_manifest_facts(&mut facts, &manifest);
    // The signatures (every entry hashed for v1, the whole file for v2/v3) and the code walk
    // (every DEX file scanned, every native library disassembled) read different things and
    // take comparable time on a large app: both at once when a core is free. Side by side,
    // their working memory adds up where one after the other only the larger counts (8 MiB
    // more on the 10.8 MiB tvleanback sample, whose v1 manifest lists 1,600 entries); that
    // is paid only by inputs large enough for it to be small beside them. Problems are listed
    // in the same order either way.
    let mut walk_problems = Vec::new();
    let signatures = || {
        let mut found = Vec::new();
        (signing_facts(&zip, &manifest, &mut found), found)
    };
    let ((signing, signing_problems), walked) = if data.len() >= SIDE_BY_SIDE_FROM {
        crate::pager::join(signatures, || {
            walk_code(data, &zip, &mut facts, &mut walk_problems)
        })
    } else {
        let signed = signatures();
        (signed, walk_code(data, &zip, &mut facts, &mut walk_problems))
    };
    facts.signing = Some(signing);
    problems.extend(signing_problems);
    problems.extend(walk_problems);
    walked?;
    // The root DEX files are what Android runs: one that does not parse makes the APK unusable.
    let broken_root_dex = problems
        .iter()
        .find(|p| is_root_dex(&p.entry))
        .map(|p| format!("{}: {}", p.entry, p.reason));
    if let Some(reason) = broken_root_dex {
        return Err(Unreadable {
            facts: Some(Box::new(facts)),
            reason,
        });
    }
    *manifest_out = Some(manifest);
    Ok(facts)
}

/// The size from which an APK's signature checks and code walk run side by side.
const SIDE_BY_SIDE_FROM: usize = 16 << 20;

fn is_root_dex(entry: &str) -> bool {
    !entry.contains('/') && entry.starts_with("classes") && entry.ends_with(".dex")
}

/// The manifest of the APK in `data`, with references resolved against its resource table:
/// for callers that need the app's declarations and nothing else (the runtime's `--apk`).
pub fn apk_manifest(data: &[u8]) -> Result<Manifest, String> {
    let zip = ZipArchive::parse(data).map_err(|err| err.to_string())?;
    read_binary_manifest(&zip, &mut Vec::new())
}

/// `AndroidManifest.xml`, with references resolved against `resources.arsc` when it parses.
fn read_binary_manifest(zip: &ZipArchive<'_>, problems: &mut Vec<Problem>) -> Result<Manifest, String> {
    const MANIFEST: &str = "AndroidManifest.xml";
    let entry = zip
        .entry(MANIFEST)
        .ok_or_else(|| format!("{MANIFEST}: missing"))?;
    let xml = zip.read(entry).map_err(|err| format!("{MANIFEST}: {err}"))?;
    let document =
        XmlDocument::parse(&xml, ParseMode::Permissive).map_err(|err| format!("{MANIFEST}: {err}"))?;
    let arsc = match zip.entry("resources.arsc").map(|e| zip.read(e)) {
        None => None,
        Some(Ok(bytes)) => Some(bytes),
        Some(Err(err)) => {
            problems.push(problem("resources.arsc", err));
            None
        }
    };
    let table = match arsc
        .as_deref()
        .map(|a| ResourceTable::parse(a, ParseMode::Permissive))
    {
        None => None,
        Some(Ok(table)) => Some(table),
        Some(Err(err)) => {
            problems.push(problem("resources.arsc", err));
            None
        }
    };
    let manifest = Manifest::parse(&document, table.as_ref()).map_err(|err| format!("{MANIFEST}: {err}"));
    // A stored resource table (tens of MiB for a framework) is not read again.
    if let Some(arsc) = &arsc {
        crate::pager::done_with(arsc);
    }
    manifest
}

fn problem(entry: &str, reason: impl std::fmt::Display) -> Problem {
    Problem {
        entry: entry.to_string(),
        reason: reason.to_string(),
    }
}

fn fill_manifest_facts(facts: &mut Facts, manifest: &Manifest) {
    facts.package = Some(manifest.package.clone()).filter(|p| !p.is_empty());
    facts.split = manifest.split.clone();
    facts.version_code = manifest.version_code;
    facts.version_name = manifest.version_name.clone();
    facts.min_sdk = manifest.min_sdk.as_ref().map(Sdk::from);
    facts.target_sdk = manifest.target_sdk.as_ref().map(Sdk::from);
}

/// Verifies the APK's signatures for the SDK range apksigner would check by default.
fn signing_facts(zip: &ZipArchive<'_>, manifest: &Manifest, problems: &mut Vec<Problem>) -> SigningFacts {
    let min_sdk = apksigner_min_sdk(manifest.min_sdk.as_ref());
    let options = VerifyOptions {
        target_sdk: Some(manifest.effective_target_sdk().max(0) as u32),
        ..VerifyOptions::from_min_sdk(min_sdk)
    };
    match signing::verify_zip(zip, &options) {
        Ok(verification) => summarize(&verification, min_sdk),
        Err(err) => {
            problems.push(problem("APK signatures", &err));
            SigningFacts {
                v1: false,
                v2: false,
                v3: false,
                v31: false,
                verified: false,
                error: Some(err.to_string()),
                present: Vec::new(),
                valid: Vec::new(),
                min_sdk_checked: min_sdk,
                signers: Vec::new(),
            }
        }
    }
}

/// The minimum SDK apksigner derives from a manifest: 1 when absent; a codename counts as the
/// level before the release its first letter names (apksig's table of first letters).
pub fn apksigner_min_sdk(min_sdk: Option<&SdkVersion>) -> u32 {
    match min_sdk {
        None => 1,
        Some(SdkVersion::Level(level)) => (*level).max(1) as u32,
        Some(SdkVersion::Codename(name)) => codename_min_sdk(name),
    }
}

fn codename_min_sdk(codename: &str) -> u32 {
    // First letter of a release codename and the last API level before it shipped.
    const KNOWN: [(u8, u32); 13] = [
        (b'C', 2),
        (b'D', 3),
        (b'E', 4),
        (b'F', 7),
        (b'G', 8),
        (b'H', 10),
        (b'I', 13),
        (b'J', 15),
        (b'K', 18),
        (b'L', 20),
        (b'M', 22),
        (b'N', 23),
        (b'O', 25),
    ];
    let Some(&first) = codename.as_bytes().first().filter(|c| c.is_ascii_uppercase()) else {
        return 1;
    };
    match KNOWN.iter().rev().find(|(letter, _)| *letter <= first) {
        Some(&(letter, level)) => level + u32::from(first - letter),
        None => 1,
    }
}

fn summarize(verification: &Verification, min_sdk: u32) -> SigningFacts {
    let schemes = [
        ("v1", &verification.v1),
        ("v2", &verification.v2),
        ("v3", &verification.v3),
        ("v3.1", &verification.v31),
    ];
    let mut signers = Vec::new();
    for digest in &verification.signer_certificates {
        let info = schemes
            .iter()
            .flat_map(|(_, scheme)| &scheme.signers)
            .find(|s| &s.certificate_sha256 == digest);
        signers.push(SignerFacts {
            sha256: hex(digest),
            subject: info.map(|s| s.subject.clone()).unwrap_or_default(),
            key: info.map(|s| key_name(&s.key_algorithm)).unwrap_or_default(),
        });
    }
    // apksigner reports a scheme as used only when the APK verifies as a whole.
    let used = |scheme: &signing::SchemeResult| verification.verified && scheme.verified;
    let names = |keep: &dyn Fn(&signing::SchemeResult) -> bool| {
        schemes
            .iter()
            .filter(|(_, s)| keep(s))
            .map(|(name, _)| *name)
            .collect()
    };
    SigningFacts {
        v1: used(&verification.v1),
        v2: used(&verification.v2),
        v3: used(&verification.v3),
        v31: used(&verification.v31),
        verified: verification.verified,
        error: verification.error.as_ref().map(ToString::to_string),
        present: names(&|s| s.present),
        valid: names(&|s| s.verified),
        min_sdk_checked: min_sdk,
        signers,
    }
}

fn key_name(key: &KeyAlgorithm) -> String {
    match key {
        KeyAlgorithm::Rsa { bits } => format!("RSA-{bits}"),
        KeyAlgorithm::Ec { curve } => match curve.as_str() {
            "1.2.840.10045.3.1.7" => "EC-P256".into(),
            "1.3.132.0.34" => "EC-P384".into(),
            "1.3.132.0.35" => "EC-P521".into(),
            other => format!("EC-{other}"),
        },
        KeyAlgorithm::Dsa => "DSA".into(),
        KeyAlgorithm::Other(oid) => oid.clone(),
    }
}

fn zip_facts(inventory: &ApkInventory) -> ZipFacts {
    ZipFacts {
        entries: inventory.entries,
        misaligned_stored: inventory.misaligned_stored.clone(),
        compressed_arsc: inventory.arsc.is_some_and(|a| !a.stored),
        duplicate_names: inventory.duplicate_names.clone(),
        unsafe_names: inventory.unsafe_names.clone(),
        overlapping: inventory
            .overlapping_entries
            .iter()
            .map(|(a, b)| [a.clone(), b.clone()])
            .collect(),
        trailing_bytes: inventory.trailing_bytes,
        comment_len: inventory.comment_len,
    }
}

/// DEX and ELF files anywhere inside the container `data` (whose zip is `zip`), and the ABIs.
fn walk_code(
    data: &[u8],
    zip: &ZipArchive<'_>,
    facts: &mut Facts,
    problems: &mut Vec<Problem>,
) -> Result<(), Unreadable> {
    const ROOT: &str = "";
    let mut abis = BTreeSet::new();
    let walked = container::walk_filtered(
        ROOT,
        data,
        &|name| !name.ends_with("AndroidManifest.xml") && !name.ends_with(".arsc"),
        &mut |item| {
            let entry = item.path.strip_prefix("!/").unwrap_or(item.path);
            match item.kind {
                Kind::Dex => dex_facts(entry, item.data, facts, problems),
                Kind::Elf => {
                    // Placement in the zip matters where Android installs from it: APKs.
                    let installable = facts.kind == "apk";
                    let placement = (installable && item.depth == 1)
                        .then(|| zip.entry(entry))
                        .flatten();
                    let stored = placement.map(|e| e.method == Method::Stored);
                    let zip_alignment = placement
                        .filter(|e| e.method == Method::Stored)
                        .map(|e| crate::apk::alignment_of(e.data_offset));
                    for path in device_paths(item.data) {
                        facts.native_device_paths.push((entry.to_string(), path));
                    }
                    match elf_facts(entry, item.data) {
                        Ok(mut native) => {
                            native.stored = stored;
                            native.zip_alignment = zip_alignment;
                            facts.native.push(native);
                        }
                        Err(reason) => problems.push(problem(entry, reason)),
                    }
                }
                _ if entry.ends_with(".so") && item.depth > 0 => {
                    problems.push(problem(entry, "not an ELF file"));
                }
                // A code file the runtime loads (`classes*.dex` at an APK's root) that is not
                // DEX, an empty one included: ART refuses it, so the app cannot start.
                _ if item.depth == 1 && facts.kind == "apk" && crate::apk::dex_order(entry).is_some() => {
                    problems.push(problem(
                        entry,
                        format!(
                            "not a DEX file ({} bytes): the runtime cannot load it",
                            item.data.len()
                        ),
                    ));
                }
                _ => {}
            }
            if let Some(abi) = library_dir_abi(entry) {
                abis.insert(abi.to_string());
            }
            true
        },
    );
    facts.abis = abis.into_iter().collect();
    // The root DEX files in the order the runtime loads them, then nested ones as found.
    facts
        .dex
        .sort_by_key(|d| crate::apk::dex_order(&d.entry).unwrap_or(u32::MAX));
    let as_problem = |err: &container::ContainerError| Problem {
        entry: err.path().trim_start_matches("!/").to_string(),
        reason: err.reason(),
    };
    match walked {
        Ok(skipped) => problems.extend(skipped.iter().map(as_problem)),
        // Past the inflate budget the input is a zip bomb, not an app.
        Err(err) => {
            let bomb = as_problem(&err);
            return Err(format!("{}: {}", bomb.entry, bomb.reason).into());
        }
    }
    Ok(())
}

/// `lib/<abi>/x.so` (APK) or `jni/<abi>/x.so` (AAR) at the root of the innermost APK/AAR:
/// `<abi>`.
fn library_dir_abi(entry: &str) -> Option<&str> {
    let inner = entry.rsplit("!/").next()?;
    let rest = inner
        .strip_prefix("lib/")
        .or_else(|| inner.strip_prefix("jni/"))?;
    let (abi, file) = rest.split_once('/')?;
    (!abi.is_empty() && !file.is_empty() && !file.contains('/') && file.ends_with(".so")).then_some(abi)
}

fn dex_facts(entry: &str, data: &[u8], facts: &mut Facts, problems: &mut Vec<Problem>) {
    match DexFile::parse_all(data) {
        Ok(files) => {
            for (index, dex) in files.iter().enumerate() {
                match scan::scan(dex) {
                    Ok(scan) => facts.code.push(EntryScan {
                        entry: entry.to_string(),
                        scan,
                    }),
                    Err(err) => problems.push(problem(entry, format!("code not scanned: {err}"))),
                }
                let h = &dex.header;
                facts.dex.push(DexFacts {
                    entry: entry.to_string(),
                    index,
                    version: h.version,
                    size: h.file_size,
                    class_defs: h.class_defs,
                    method_ids: h.method_ids,
                    field_ids: h.field_ids,
                    string_ids: h.string_ids,
                    type_ids: h.type_ids,
                    proto_ids: h.proto_ids,
                    checksum_ok: dex.checksum_matches(),
                    signature_ok: dex.signature_matches(),
                });
            }
        }
        Err(err) => problems.push(problem(entry, err)),
    }
}

fn elf_facts(entry: &str, data: &[u8]) -> Result<NativeFacts, String> {
    let elf = ElfFile::parse(data).map_err(|err| err.to_string())?;
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let dynamic = elf.dynamic.as_ref();
    let direct_syscalls = elf.syscall_sites().ok().map(|sites| {
        sites
            .iter()
            .map(|site| SyscallFacts {
                address: site.address,
                isa: isa_name(site.isa),
                number: site.number,
            })
            .collect()
    });
    Ok(NativeFacts {
        entry: entry.to_string(),
        abi: elf.abi().map(|abi| abi.name()),
        stored: None,
        zip_alignment: None,
        min_load_align: elf.min_load_align(),
        needed: dynamic.map_or_else(Vec::new, |d| d.needed.iter().map(|n| text(n)).collect()),
        soname: dynamic.and_then(|d| d.soname).map(text),
        textrel: elf.has_text_relocations(),
        exec_stack: elf.executable_stack(),
        direct_syscalls,
        versioned_imports: elf
            .imports
            .iter()
            .filter_map(|import| {
                Some(VersionedImport {
                    symbol: text(import.name),
                    version: text(import.version?),
                    library: text(import.version_file?),
                    weak: import.binding == Binding::Weak,
                })
            })
            .collect(),
    })
}

/// NUL-terminated `/dev/...` strings anywhere in a native file, each once, in file order.
fn device_paths(data: &[u8]) -> Vec<String> {
    const NEEDLE: &[u8] = b"/dev/";
    let mut found: Vec<String> = Vec::new();
    let mut at = 0;
    while let Some(pos) = data[at..].windows(NEEDLE.len()).position(|w| w == NEEDLE) {
        let start = at + pos;
        // A path starts a string: preceded by NUL (or the file start).
        let starts_string = start == 0 || data[start - 1] == 0;
        let end = data[start..]
            .iter()
            .position(|&b| b == 0 || !(0x21..0x7f).contains(&b))
            .map_or(data.len(), |n| start + n);
        let terminated = data.get(end) == Some(&0);
        if starts_string && terminated && end - start > NEEDLE.len() && end - start < 128 {
            let path = String::from_utf8_lossy(&data[start..end]).into_owned();
            if !found.contains(&path) {
                found.push(path);
            }
        }
        at = end.max(start + 1);
    }
    found
}

fn isa_name(isa: Isa) -> &'static str {
    match isa {
        Isa::A64 => "a64",
        Isa::A32 => "a32",
        Isa::T32 => "t32",
        Isa::X86 => "x86",
        Isa::X86_64 => "x86_64",
    }
}

/// A split-APK bundle: the base APK's facts, with code and ABIs from every APK in it.
fn bundle_facts(
    data: &[u8],
    problems: &mut Vec<Problem>,
    manifest_out: &mut Option<Manifest>,
) -> Result<Facts, Unreadable> {
    let zip = ZipArchive::parse(data).map_err(|err| err.to_string())?;
    let mut facts = Facts {
        kind: "apks",
        ..Facts::default()
    };
    let mut base: Option<Facts> = None;
    let mut abis = BTreeSet::new();
    for entry in zip.entries() {
        let name = entry.name_lossy();
        if !name.ends_with(".apk") {
            continue;
        }
        let bytes = match zip.read(entry) {
            Ok(bytes) => bytes,
            Err(err) => {
                problems.push(problem(&name, err));
                continue;
            }
        };
        let mut inner_problems = Vec::new();
        let mut manifest = None;
        let result = apk_facts(&bytes, &mut inner_problems, &mut manifest);
        problems.extend(inner_problems.into_iter().map(|p| Problem {
            entry: format!("{name}!/{}", p.entry),
            reason: p.reason,
        }));
        let apk = match result {
            Ok(apk) => apk,
            Err(err) => {
                problems.push(problem(&name, err.reason));
                continue;
            }
        };
        let split = apk.split.clone();
        facts.splits.push(SplitFacts {
            entry: name.to_string(),
            split: split.clone(),
            verified: apk.signing.as_ref().map(|s| s.verified),
        });
        abis.extend(apk.abis.iter().cloned());
        let prefix = |e: &str| format!("{name}!/{e}");
        facts.dex.extend(apk.dex.iter().cloned().map(|mut d| {
            d.entry = prefix(&d.entry);
            d
        }));
        facts.native.extend(apk.native.iter().cloned().map(|mut n| {
            n.entry = prefix(&n.entry);
            n
        }));
        facts.code.extend(apk.code.iter().cloned().map(|mut c| {
            c.entry = prefix(&c.entry);
            c
        }));
        facts.native_device_paths.extend(
            apk.native_device_paths
                .iter()
                .map(|(e, p)| (prefix(e), p.clone())),
        );
        if split.is_none() && base.is_none() {
            base = Some(apk);
            *manifest_out = manifest;
        }
    }
    if facts.splits.is_empty() {
        return Err("the bundle holds no readable APK".to_string().into());
    }
    facts.abis = abis.into_iter().collect();
    match base {
        Some(base) => {
            facts.package = base.package;
            facts.version_code = base.version_code;
            facts.version_name = base.version_name;
            facts.min_sdk = base.min_sdk;
            facts.target_sdk = base.target_sdk;
            facts.signing = base.signing;
            facts.zip = base.zip;
            Ok(facts)
        }
        None => Err(Unreadable {
            facts: Some(Box::new(facts)),
            reason: "the bundle holds no base APK (every APK declares a split)".into(),
        }),
    }
}

/// AARs, JARs and other zips: the manifest when there is one (an AAR's is plain-text XML),
/// code and native libraries.
fn library_facts(
    data: &[u8],
    kind: Kind,
    problems: &mut Vec<Problem>,
    manifest_out: &mut Option<Manifest>,
) -> Result<Facts, Unreadable> {
    let (zip, layout) = open_zip(data)?;
    let mut facts = Facts {
        kind: match kind {
            Kind::Aar => "aar",
            Kind::Jar => "jar",
            _ => "zip",
        },
        zip: Some(layout),
        ..Facts::default()
    };
    if kind == Kind::Aar {
        match zip.entry("AndroidManifest.xml").map(|e| zip.read(e)) {
            Some(Ok(xml)) => match crate::text_manifest::parse(&xml) {
                Ok(manifest) => {
                    fill_manifest_facts(&mut facts, &manifest);
                    *manifest_out = Some(manifest);
                }
                Err(reason) => problems.push(problem("AndroidManifest.xml", reason)),
            },
            Some(Err(err)) => problems.push(problem("AndroidManifest.xml", err)),
            None => {}
        }
    }
    walk_code(data, &zip, &mut facts, problems)?;
    Ok(facts)
}

fn standalone_dex(name: &str, data: &[u8]) -> Result<Facts, Unreadable> {
    let mut facts = Facts {
        kind: "dex",
        ..Facts::default()
    };
    let mut problems = Vec::new();
    dex_facts(name, data, &mut facts, &mut problems);
    match problems.into_iter().next() {
        Some(p) => Err(p.reason.into()),
        None => Ok(facts),
    }
}

fn standalone_elf(name: &str, data: &[u8]) -> Result<Facts, Unreadable> {
    let native = elf_facts(name, data)?;
    Ok(Facts {
        kind: "elf",
        abis: native.abi.iter().map(|a| a.to_string()).collect(),
        native: vec![native],
        ..Facts::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codenames_count_as_the_level_before_their_release() {
        assert_eq!(codename_min_sdk("O"), 25);
        assert_eq!(codename_min_sdk("OMR1"), 25);
        assert_eq!(codename_min_sdk("P"), 26);
        assert_eq!(codename_min_sdk("Tiramisu"), 30);
        assert_eq!(codename_min_sdk("B"), 1);
        assert_eq!(codename_min_sdk("lowercase"), 1);
        assert_eq!(apksigner_min_sdk(None), 1);
        assert_eq!(apksigner_min_sdk(Some(&SdkVersion::Level(0))), 1);
        assert_eq!(apksigner_min_sdk(Some(&SdkVersion::Level(21))), 21);
    }

    #[test]
    fn device_paths_are_whole_strings() {
        let data = b"\0/dev/binder\0xx/dev/not-a-start\0\0/dev/ashmem\0/dev/binder\0/dev/\0/dev/tail";
        assert_eq!(device_paths(data), ["/dev/binder", "/dev/ashmem"]);
    }

    #[test]
    fn library_directories() {
        assert_eq!(library_dir_abi("lib/arm64-v8a/libx.so"), Some("arm64-v8a"));
        assert_eq!(library_dir_abi("jni/x86/libx.so"), Some("x86"));
        assert_eq!(library_dir_abi("split.apk!/lib/x86_64/libx.so"), Some("x86_64"));
        assert_eq!(library_dir_abi("assets/lib/x86/libx.so"), None);
        assert_eq!(library_dir_abi("lib/x86/sub/libx.so"), None);
        assert_eq!(library_dir_abi("lib/x86/readme.txt"), None);
    }

    #[test]
    fn unknown_content_is_an_error_naming_the_reason() {
        let report = analyze("notes.txt", b"hello");
        assert!(report.error.unwrap().starts_with("not an APK"));
        assert_eq!(report.sha256.unwrap().len(), 64);
        let report = analyze("empty", b"");
        assert_eq!(report.error.as_deref(), Some("empty file"));
    }
}
