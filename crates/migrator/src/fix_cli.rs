//! `hyper-migrate fix`: plan from the analyzer's findings, apply the manifest edits, repack,
//! align and sign, write atomically, and report what changed and what remains.

use std::io::Write;
use std::path::{Path, PathBuf};

use analyzer::report::{self, Options, Report};
use analyzer::rules::Selection;
use analyzer::rules::profile::Profile;
use migrator::dex_fix::{self, DexRewrite, MapSpec};
use migrator::fix::{self, Change, ManifestEdit, Plan, REQUESTED, Requests};
use migrator::sign::keys::debug_key;
use migrator::{Changes, Compression, PasswordSource, SignOptions, SigningKey};

use crate::output::Output;
use crate::rule_options::RuleOptions;

/// Android 7.0: the first platform that verifies v2; below it only JAR signatures count.
const SDK_N: u32 = 24;

#[derive(Debug, clap::Args)]
pub struct FixArgs {
    /// The APK to repair (never modified)
    input: PathBuf,
    /// Where the repaired APK goes (written aside, then renamed into place)
    #[arg(short, long, required_unless_present = "dry_run")]
    output: Option<PathBuf>,
    /// Print the plan (each change and the finding it resolves) and write nothing
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    rules: RuleOptions,
    /// Retarget DEX call sites with this mapping: a built-in name (gms-location,
    /// firebase-messaging, hidden-api) or a mapping file (TOML, see docs/fix.md). The built-in
    /// ones apply by themselves where the app needs them (HC6001, HC2007, HC2008 selected)
    #[arg(long = "map", value_name = "NAME|FILE")]
    maps: Vec<String>,
    /// Sign with the key of this PKCS#12 keystore
    #[arg(long, conflicts_with_all = ["key", "cert"])]
    ks: Option<PathBuf>,
    /// The keystore's password: env:VAR, file:PATH or pass:TEXT
    #[arg(long, requires = "ks")]
    ks_pass: Option<String>,
    /// The keystore entry to sign with [default: its only key]
    #[arg(long, requires = "ks")]
    ks_key_alias: Option<String>,
    /// Sign with this PKCS#8 private key (DER or PEM)...
    #[arg(long, requires = "cert")]
    key: Option<PathBuf>,
    /// ...and this X.509 certificate (PEM or DER)
    #[arg(long, requires = "key")]
    cert: Option<PathBuf>,
    #[command(flatten)]
    manifest: ManifestArgs,
}

/// Manifest changes made only when asked for: each may change how the app behaves. One the
/// manifest already satisfies changes nothing.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Manifest changes (on request)")]
pub struct ManifestArgs {
    /// Set android:usesCleartextTraffic on <application> (false resolves HC1006)
    #[arg(long, value_name = "true|false")]
    cleartext_traffic: Option<String>,
    /// Set android:extractNativeLibs on <application>; false also stores the native libraries
    /// page-aligned, which Android then requires
    #[arg(long, value_name = "true|false")]
    extract_native_libs: Option<String>,
    /// Set android:minSdkVersion on <uses-sdk>, adding <uses-sdk> when absent (resolves HC1001
    /// at or below the target's platform level)
    #[arg(long, value_name = "LEVEL")]
    min_sdk: Option<String>,
    /// Set android:targetSdkVersion on <uses-sdk>, adding <uses-sdk> when absent (resolves
    /// HC1002 from the profile's min_target on); from 31 on, components with an intent filter
    /// and no android:exported get android:exported="true", the value they had implicitly
    #[arg(long, value_name = "LEVEL")]
    target_sdk: Option<String>,
    /// Remove the <uses-permission> (and uses-permission-sdk-23) elements of this permission
    /// (resolves HC1008 for it); repeatable
    #[arg(long, value_name = "NAME")]
    drop_permission: Vec<String>,
    /// Add <uses-permission android:name=NAME> unless the manifest has it; repeatable
    #[arg(long, value_name = "NAME")]
    add_permission: Vec<String>,
    /// Set android:required="false" on <uses-library android:name=NAME> (resolves HC1010 for
    /// it); repeatable
    #[arg(long, value_name = "NAME")]
    optional_library: Vec<String>,
    /// Add <uses-library android:name=NAME> to <application> with android:required as given
    /// (default true), or set android:required on the one there; repeatable
    #[arg(long, value_name = "NAME[:true|false]")]
    add_uses_library: Vec<String>,
    /// Remove the <meta-data> elements named NAME from <application> and its components;
    /// repeatable
    #[arg(long, value_name = "NAME")]
    remove_meta_data: Vec<String>,
}

impl ManifestArgs {
    /// The requests, every value checked; `Err` is one line naming the flag.
    fn requests(&self) -> Result<Requests, String> {
        let names = |flag: &str, values: &[String]| -> Result<Vec<String>, String> {
            values.iter().map(|value| name(flag, value)).collect()
        };
        let add_uses_libraries = self
            .add_uses_library
            .iter()
            .map(|value| {
                let (library, required) = match value.rsplit_once(':') {
                    Some((library, required)) => (library, boolean("--add-uses-library", required)?),
                    None => (value.as_str(), true),
                };
                Ok((name("--add-uses-library", library)?, required))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Requests {
            cleartext_traffic: self
                .cleartext_traffic
                .as_deref()
                .map(|v| boolean("--cleartext-traffic", v))
                .transpose()?,
            extract_native_libs: self
                .extract_native_libs
                .as_deref()
                .map(|v| boolean("--extract-native-libs", v))
                .transpose()?,
            min_sdk: self
                .min_sdk
                .as_deref()
                .map(|v| sdk_level("--min-sdk", v))
                .transpose()?,
            target_sdk: self
                .target_sdk
                .as_deref()
                .map(|v| sdk_level("--target-sdk", v))
                .transpose()?,
            drop_permissions: names("--drop-permission", &self.drop_permission)?,
            optional_libraries: names("--optional-library", &self.optional_library)?,
            remove_meta_data: names("--remove-meta-data", &self.remove_meta_data)?,
            add_uses_libraries,
            add_permissions: names("--add-permission", &self.add_permission)?,
        })
    }
}

/// `true` or `false`, exactly.
fn boolean(flag: &str, value: &str) -> Result<bool, String> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("{flag}: `{value}` is neither true nor false")),
    }
}

/// An API level: 1 up to below 10000, which Android reserves for preview builds.
fn sdk_level(flag: &str, value: &str) -> Result<i32, String> {
    match value.parse::<i32>() {
        Ok(level) if (1..10_000).contains(&level) => Ok(level),
        _ => Err(format!(
            "{flag}: `{value}` is not an API level (a whole number from 1 to 9999)"
        )),
    }
}

/// A manifest name (permission, library, meta-data): not empty, no spaces or control characters.
fn name(flag: &str, value: &str) -> Result<String, String> {
    if value.is_empty() || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{flag}: `{value}` is not a name"));
    }
    Ok(value.to_string())
}

/// Runs `fix`; `Err` is the one line to print before exiting with 2.
pub fn run(args: &FixArgs) -> Result<(), String> {
    let name = args.input.display().to_string();
    if let Some(output) = &args.output
        && same_file(output, &args.input)
    {
        return Err(format!("{name}: the output would overwrite the input"));
    }
    let selection = args.rules.selection()?;
    let requests = args.manifest.requests()?;
    let profile = args.rules.profile()?;
    let options = Options {
        profile: &profile,
        selection: &Selection::default(),
    };
    // Mapped, with page hints: the analysis and the repack drop the input's pages as they
    // finish with them, so the input does not stay resident beside the output.
    let input = analyzer::source::Input::open(&args.input).map_err(|err| format!("{name}: {err}"))?;
    input.scoped(|data| fix_input(args, &name, data, &selection, &requests, &profile, &options))
}

/// `fix` on the input's bytes, after the arguments are checked.
fn fix_input(
    args: &FixArgs,
    name: &str,
    data: &[u8],
    selection: &Selection,
    requests: &Requests,
    profile: &Profile,
    options: &Options<'_>,
) -> Result<(), String> {
    let mut before = report::analyze_with(name, data, options);
    if let Some(error) = &before.error {
        return Err(format!("{name}: {error}"));
    }
    if before.facts.as_ref().is_none_or(|f| f.kind != "apk") {
        return Err(format!("{name}: fix repairs APKs; this is not one"));
    }
    requests.check(&before).map_err(|err| format!("{name}: {err}"))?;
    let key_given = args.ks.is_some() || args.key.is_some();
    let mut plan = fix::plan_with(&before, selection, key_given, requests, profile);
    let zip = analyzer::zip::ZipArchive::parse(data).map_err(|err| format!("{name}: {err}"))?;
    let edit = edit_manifest(&zip, &plan).map_err(|err| format!("{name}: {err}"))?;
    let maps = mappings(&args.maps, &before, selection)?;
    let dex = dex_fix::rewrite(&zip, &maps).map_err(|err| format!("{name}: {err}"))?;
    for (map, retargeted) in &dex.applied {
        let covered: Vec<String> = retargeted
            .by_item
            .iter()
            .filter(|(_, count)| **count > 0)
            .map(|(item, _)| format!("uses {item} ("))
            .collect();
        fix::claim_retargeted(&mut plan, map, |finding| {
            matches!(finding.code, "HC2007" | "HC2008")
                && covered.iter().any(|c| finding.message.starts_with(c))
        });
    }
    let mut out = std::io::stdout().lock();
    print_plan(&mut out, &plan, &edit, args.dry_run).map_err(|err| format!("stdout: {err}"))?;
    print_dex_plan(&mut out, &dex).map_err(|err| format!("stdout: {err}"))?;
    let Some(output) = &args.output else {
        return Ok(());
    };
    if args.dry_run {
        return Ok(());
    }

    let mut changes = changes(&zip, &plan, &edit).map_err(|err| format!("{name}: {err}"))?;
    for (entry, bytes) in dex.entries {
        changes.put(entry, bytes, Compression::Deflated);
    }
    let key = signing_key(args)?;
    // The signatures must suit the platforms the output installs on: its own minSdkVersion.
    let min_sdk = match &edit.bytes {
        Some(manifest) => edited_min_sdk(&zip, manifest).map_err(|err| format!("{name}: {err}"))?,
        None => min_sdk(&before),
    };
    let sign = SignOptions {
        v1: min_sdk < SDK_N,
        v2: true,
        v3: true,
        min_sdk: Some(min_sdk),
    };
    // Only the input's findings are wanted from here on (for the outcome): its facts, the
    // code scans above all, go before the output is written and analysed.
    before.facts = None;
    // Written to a temporary file beside the output as it is made (the v2/v3 digest is taken
    // on the way), so the output is never held in memory; renamed into place once complete.
    let mut file = Output::open(Some(output))?;
    migrator::repack_and_sign_into(data, &changes, &key, &sign, &mut file)
        .map_err(|err| format!("{name}: {err}"))?;
    file.finish()
        .map_err(|err| format!("{}: {err}", output.display()))?;

    // The output is checked from the file it went to (mapped, pages let go as the analysis
    // passes them). The input is not read again: what of it is still resident goes first.
    drop(changes);
    analyzer::pager::done_with(data);
    let output_name = output.display().to_string();
    let after = analyzer::source::analyze_path_named(output, &output_name, options);
    if let Some(error) = &after.error {
        return Err(format!(
            "{output_name}: written, but cannot be read back: {error}"
        ));
    }
    print_outcome(&mut out, &plan, &edit, &before, &after, output, sign)
        .map_err(|err| format!("stdout: {err}"))?;
    Ok(())
}

/// The mappings to apply: those named by `--map`, and the built-in ones whose findings the
/// report has and the selection includes.
fn mappings(named: &[String], report: &Report, selection: &Selection) -> Result<Vec<MapSpec>, String> {
    let mut maps: Vec<MapSpec> = Vec::new();
    for arg in named {
        let spec = dex_fix::load(arg).map_err(|err| err.to_string())?;
        if !maps.iter().any(|m| m.mapping.name == spec.mapping.name) {
            maps.push(spec);
        }
    }
    let has = |code: &str| {
        report.findings.iter().any(|f| f.code == code)
            && analyzer::rules::find(code).is_some_and(|rule| selection.includes(rule))
    };
    let automatic = [
        ("gms-location", has("HC6001")),
        ("firebase-messaging", has("HC6001")),
        ("hidden-api", has("HC2007") || has("HC2008")),
    ];
    for (name, wanted) in automatic {
        if wanted && !maps.iter().any(|m| m.mapping.name == name) {
            maps.extend(dex_fix::builtin(name));
        }
    }
    Ok(maps)
}

fn print_dex_plan(out: &mut impl Write, dex: &DexRewrite) -> std::io::Result<()> {
    for (entry, why) in &dex.left {
        writeln!(out, "DEX {entry} left as it is, not rewritable: {why}")?;
    }
    if !dex.changed() {
        return Ok(());
    }
    writeln!(out, "DEX retargeting:")?;
    for (map, r) in &dex.applied {
        writeln!(
            out,
            "  mapping {map}: {} instruction operand(s) and {} other reference(s) retargeted",
            r.call_sites, r.references
        )?;
        for (item, count) in &r.by_item {
            writeln!(out, "      {count}× {item}")?;
        }
        for refused in &r.refused {
            writeln!(
                out,
                "      left (invoke-super/direct cannot become a static call): {refused}"
            )?;
        }
    }
    for (entry, files) in &dex.spilled {
        writeln!(
            out,
            "  {entry} outgrew 65,536 references: written as {files} DEX files"
        )?;
    }
    for (bundle, entry) in &dex.shims_added {
        writeln!(out, "  add shim classes {bundle} as {entry}")?;
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The lowest platform the app runs on, as apksigner reads it from the manifest.
fn min_sdk(report: &Report) -> u32 {
    report
        .facts
        .as_ref()
        .and_then(|f| f.signing.as_ref())
        .map_or(1, |s| s.min_sdk_checked)
}

/// The plan's manifest changes applied to the input's manifest.
fn edit_manifest(zip: &analyzer::zip::ZipArchive<'_>, plan: &Plan) -> Result<ManifestEdit, String> {
    let Some(entry) = zip.entry("AndroidManifest.xml") else {
        return Ok(ManifestEdit::default());
    };
    let manifest = zip.read(entry).map_err(|err| err.to_string())?;
    fix::apply_manifest(&manifest, plan).map_err(|err| format!("AndroidManifest.xml: {err}"))
}

/// The min SDK of an edited manifest, as apksigner reads it.
fn edited_min_sdk(zip: &analyzer::zip::ZipArchive<'_>, manifest: &[u8]) -> Result<u32, String> {
    let resources = match zip.entry("resources.arsc") {
        Some(entry) => Some(zip.read(entry).map_err(|err| format!("resources.arsc: {err}"))?),
        None => None,
    };
    migrator::sign::min_sdk_from_manifest(manifest, resources.as_deref()).map_err(|err| err.to_string())
}

/// The entries the plan replaces: the edited manifest, and native libraries to store.
fn changes(zip: &analyzer::zip::ZipArchive<'_>, plan: &Plan, edit: &ManifestEdit) -> Result<Changes, String> {
    let mut changes = Changes::new();
    if let Some(edited) = &edit.bytes {
        changes.put("AndroidManifest.xml", edited.clone(), Compression::Deflated);
    }
    if plan
        .changes
        .iter()
        .any(|p| p.change == Change::StoreNativeLibraries)
    {
        for entry in zip.entries() {
            let name = entry.name_lossy();
            if name.starts_with("lib/")
                && name.ends_with(".so")
                && entry.method != analyzer::zip::Method::Stored
            {
                let bytes = zip.read(entry).map_err(|err| format!("{name}: {err}"))?;
                changes.put(name.into_owned(), bytes.into_owned(), Compression::Stored);
            }
        }
    }
    Ok(changes)
}

/// A key's error, naming `file` unless the error names the file it is about already (a file
/// that cannot be read: the key's, or the certificate's).
fn naming(file: &Path, err: &migrator::sign::keys::KeyError) -> String {
    match err {
        migrator::sign::keys::KeyError::Io { .. } => err.to_string(),
        _ => format!("{}: {err}", file.display()),
    }
}

fn signing_key(args: &FixArgs) -> Result<SigningKey, String> {
    if let Some(keystore) = &args.ks {
        let password: PasswordSource = args
            .ks_pass
            .as_deref()
            .unwrap_or("env:KS_PASS")
            .parse()
            .map_err(|err| format!("--ks-pass: {err}"))?;
        return SigningKey::load_pkcs12(keystore, &password, args.ks_key_alias.as_deref())
            .map_err(|err| naming(keystore, &err));
    }
    if let (Some(key), Some(cert)) = (&args.key, &args.cert) {
        return SigningKey::load_pkcs8(key, cert).map_err(|err| naming(key, &err));
    }
    let debug = debug_key().map_err(|err| format!("debug key: {err}"))?;
    eprintln!(
        "hyper-migrate: warning: no key given (--ks, or --key and --cert): signing with the DEBUG key {}{}. \
         A debug-signed APK cannot update a release install and app stores refuse it.",
        debug.path.display(),
        if debug.created { ", generated just now" } else { "" }
    );
    Ok(debug.key)
}

/// Whether a manifest change left the document as it was.
fn already_so(edit: &ManifestEdit, change: &Change) -> bool {
    edit.outcomes.iter().any(|(c, changed)| c == change && !changed)
}

fn print_plan(out: &mut impl Write, plan: &Plan, edit: &ManifestEdit, dry_run: bool) -> std::io::Result<()> {
    writeln!(
        out,
        "{}",
        if dry_run {
            "plan (dry run, nothing written):"
        } else {
            "plan:"
        }
    )?;
    for planned in &plan.changes {
        let note = if already_so(edit, &planned.change) {
            " (already so: nothing to change)"
        } else {
            ""
        };
        if planned.code == REQUESTED {
            writeln!(
                out,
                "  requested {}: {}{note}",
                planned.name,
                planned.change.describe()
            )?;
            continue;
        }
        writeln!(
            out,
            "  {} {}: {}{note}",
            planned.code,
            planned.name,
            planned.change.describe()
        )?;
        match planned.flag {
            Some(flag) => writeln!(out, "      resolves: {} (requested: {flag})", planned.finding)?,
            None => writeln!(out, "      resolves: {}", planned.finding)?,
        }
    }
    writeln!(
        out,
        "  always: re-emit every entry aligned (4 bytes; .so 16 KiB), resources.arsc stored, old signatures removed, then sign"
    )?;
    if !plan.remaining.is_empty() {
        writeln!(out, "left as they are ({}):", plan.remaining.len())?;
        for (finding, why) in &plan.remaining {
            writeln!(
                out,
                "  {} {}: {} ({why})",
                finding.code, finding.name, finding.message
            )?;
        }
    }
    Ok(())
}

fn print_outcome(
    out: &mut impl Write,
    plan: &Plan,
    edit: &ManifestEdit,
    before: &Report,
    after: &Report,
    output: &Path,
    sign: SignOptions,
) -> std::io::Result<()> {
    let schemes: Vec<&str> = [(sign.v1, "v1"), (sign.v2, "v2"), (sign.v3, "v3")]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
    writeln!(out, "wrote {} (signed {})", output.display(), schemes.join(", "))?;
    for (change, changed) in &edit.outcomes {
        let what = if *changed {
            "changed"
        } else {
            "unchanged (already so)"
        };
        writeln!(out, "{what}: {}", change.describe())?;
    }
    let mut planned_codes: Vec<&str> = Vec::new();
    for planned in &plan.changes {
        if planned.code != REQUESTED && !planned_codes.contains(&planned.code) {
            planned_codes.push(planned.code);
        }
    }
    for code in planned_codes {
        // Judged by the findings the plan said it resolves: a mapping resolves some findings of
        // a rule and leaves others, and a request resolves the ones it names.
        let planned: Vec<&fix::Planned> = plan.changes.iter().filter(|p| p.code == code).collect();
        let named = |message: &str| planned.iter().any(|p| p.finding == message);
        let still = after
            .findings
            .iter()
            .filter(|f| f.code == code && named(&f.message))
            .count();
        let was = before
            .findings
            .iter()
            .filter(|f| f.code == code && named(&f.message))
            .count();
        if still == 0 {
            writeln!(out, "fixed: {code} ({was} finding(s))")?;
        } else {
            writeln!(out, "NOT fixed: {code} ({still} of {was} finding(s) remain)")?;
        }
    }
    writeln!(out, "remaining findings: {}", after.findings.len())?;
    Ok(())
}
