//! `hyper-migrate fix`: plan from the analyzer's findings, apply the manifest edits, repack,
//! align and sign, write atomically, and report what changed and what remains.

use std::io::Write;
use std::path::{Path, PathBuf};

use analyzer::report::{self, Options, Report};
use analyzer::rules::Selection;
use migrator::fix::{self, Change, Plan};
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
    let profile = args.rules.profile()?;
    let options = Options {
        profile: &profile,
        selection: &Selection::default(),
    };
    let data = std::fs::read(&args.input).map_err(|err| format!("{name}: {err}"))?;
    let before = report::analyze_with(&name, &data, &options);
    if let Some(error) = &before.error {
        return Err(format!("{name}: {error}"));
    }
    if before.facts.as_ref().is_none_or(|f| f.kind != "apk") {
        return Err(format!("{name}: fix repairs APKs; this is not one"));
    }
    let key_given = args.ks.is_some() || args.key.is_some();
    let plan = fix::plan(&before, &selection, key_given);
    let mut out = std::io::stdout().lock();
    print_plan(&mut out, &plan, args.dry_run).map_err(|err| format!("stdout: {err}"))?;
    let Some(output) = &args.output else {
        return Ok(());
    };
    if args.dry_run {
        return Ok(());
    }

    let changes = changes(&data, &plan).map_err(|err| format!("{name}: {err}"))?;
    let key = signing_key(args)?;
    let min_sdk = min_sdk(&before);
    let sign = SignOptions {
        v1: min_sdk < SDK_N,
        v2: true,
        v3: true,
        min_sdk: Some(min_sdk),
    };
    let fixed =
        migrator::repack_and_sign(&data, &changes, &key, &sign).map_err(|err| format!("{name}: {err}"))?;
    let mut file = Output::open(Some(output))?;
    file.write_all(&fixed)
        .and_then(|()| file.finish())
        .map_err(|err| format!("{}: {err}", output.display()))?;

    let output_name = output.display().to_string();
    let after = report::analyze_with(&output_name, &fixed, &options);
    print_outcome(&mut out, &plan, &before, &after, output, sign).map_err(|err| format!("stdout: {err}"))?;
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

/// The entries the plan replaces: the edited manifest, and native libraries to store.
fn changes(data: &[u8], plan: &Plan) -> Result<Changes, String> {
    let zip = analyzer::zip::ZipArchive::parse(data).map_err(|err| err.to_string())?;
    let mut changes = Changes::new();
    if let Some(entry) = zip.entry("AndroidManifest.xml") {
        let manifest = zip.read(entry).map_err(|err| err.to_string())?;
        if let Some(edited) = fix::edit_manifest(&manifest, plan).map_err(|err| err.to_string())? {
            changes.put("AndroidManifest.xml", edited, Compression::Deflated);
        }
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

fn signing_key(args: &FixArgs) -> Result<SigningKey, String> {
    if let Some(keystore) = &args.ks {
        let password: PasswordSource = args
            .ks_pass
            .as_deref()
            .unwrap_or("env:KS_PASS")
            .parse()
            .map_err(|err| format!("--ks-pass: {err}"))?;
        return SigningKey::load_pkcs12(keystore, &password, args.ks_key_alias.as_deref())
            .map_err(|err| format!("{}: {err}", keystore.display()));
    }
    if let (Some(key), Some(cert)) = (&args.key, &args.cert) {
        return SigningKey::load_pkcs8(key, cert).map_err(|err| format!("{}: {err}", key.display()));
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

fn print_plan(out: &mut impl Write, plan: &Plan, dry_run: bool) -> std::io::Result<()> {
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
        writeln!(
            out,
            "  {} {}: {}",
            planned.code,
            planned.name,
            planned.change.describe()
        )?;
        writeln!(out, "      resolves: {}", planned.finding)?;
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
    let mut planned_codes: Vec<&str> = plan.changes.iter().map(|p| p.code).collect();
    planned_codes.dedup();
    for code in planned_codes {
        let was = before.findings.iter().filter(|f| f.code == code).count();
        let still = after.findings.iter().filter(|f| f.code == code).count();
        if still == 0 {
            writeln!(out, "fixed: {code} ({was} finding(s))")?;
        } else {
            writeln!(out, "NOT fixed: {code} ({still} of {was} finding(s) remain)")?;
        }
    }
    writeln!(out, "remaining findings: {}", after.findings.len())?;
    Ok(())
}
