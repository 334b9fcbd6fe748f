//! `hyper-migrate`: argument parsing, batch scheduling and rendering over the `analyzer` library.

mod batch;
mod fix_cli;
mod html;
mod inputs;
mod output;
mod render;
mod rule_options;
mod sarif;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use analyzer::report::Options;
use analyzer::rules::Severity;
use clap::{Parser, Subcommand, ValueEnum};

/// Exit code for findings at or above `--fail-on`.
const EXIT_FINDINGS: u8 = 1;
/// Exit code for unusable input or a usage error.
const EXIT_UNUSABLE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "hyper-migrate",
    version,
    about = "Move Android apps to the microkernel target"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read APKs, split-APK bundles (.apks/.xapk), AARs, JARs, DEX and ELF files, report what
    /// they hold and what will break on the target. Directories are searched recursively.
    Analyze(AnalyzeArgs),
    // Boxed: fix's many flags make it far larger than the other variants.
    /// Repair what the analyzer marks fixable (manifest attributes and exports, alignment,
    /// compressed resources and libraries, signatures), and make the manifest changes asked
    /// for, into a new APK that is aligned and signed
    Fix(Box<fix_cli::FixArgs>),
    /// List the rules (code, severity, fixable, name, summary)
    Rules {
        /// Print the full catalogue as Markdown (what docs/rules.md is generated from)
        #[arg(long)]
        markdown: bool,
    },
    /// Print one rule's documentation: what it checks, why it matters, how to fix it
    Explain {
        /// A rule code (HC3001) or name (load-segment-alignment)
        rule: String,
    },
}

#[derive(Debug, clap::Args)]
struct AnalyzeArgs {
    /// Files or directories
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Report format: `json` prints one object for one input and an array for several;
    /// `jsonl` one object per line (schema `hypercompat.report/1`, docs/report-schema.md);
    /// `sarif` one SARIF 2.1.0 log for the whole run; `html` one self-contained page
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the report to this file (atomically: written aside, then renamed) instead of stdout
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Files analyzed in parallel [default: the number of CPUs]
    #[arg(short, long)]
    jobs: Option<usize>,
    /// Never show the progress bar (it is only shown when stderr is a terminal anyway)
    #[arg(long)]
    no_progress: bool,
    /// Exit with 1 when a finding has this severity or a worse one
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    #[command(flatten)]
    rules: rule_options::RuleOptions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Info,
    Warning,
    Error,
    /// Never exit with 1 for findings
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Info => Some(Severity::Info),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Error => Some(Severity::Error),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    Jsonl,
    /// SARIF 2.1.0, one run over every input
    Sarif,
    /// One self-contained HTML page: summary, charts, per-app detail
    Html,
}

impl Format {
    /// Whole-run documents are rendered once, after every report is in; the others stream.
    fn whole_run(self) -> bool {
        matches!(self, Format::Sarif | Format::Html)
    }
}

/// glibc raises its mmap threshold each time a large block is freed, after which large blocks
/// (inflated DEX files, resource tables) come from the heap and stay with the process when
/// freed: in a batch, peak memory then grows with every large file seen before. A fixed
/// threshold sends large blocks to `mmap` and back to the system when freed.
fn keep_large_allocations_returnable() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const THRESHOLD: libc::c_int = 128 * 1024;
        // SAFETY: `mallopt` only changes allocator tuning; it is called once at start-up,
        // before any other thread exists, with a documented parameter and value.
        let changed = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD) };
        // 0 means the value was refused; the default behaviour is then kept, which is only
        // less frugal.
        let _ = changed;
    }
}

fn main() -> ExitCode {
    keep_large_allocations_returnable();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { EXIT_UNUSABLE } else { 0 };
            // Printing help or a usage error can only fail when stdout/stderr are gone.
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Rules { markdown } => {
            let text = if markdown {
                render::rules_markdown()
            } else {
                render::rules_table()
            };
            print_or_quiet(&text)
        }
        Command::Explain { rule } => match analyzer::rules::find(&rule) {
            Some(rule) => print_or_quiet(&render::explain(rule)),
            None => {
                eprintln!("hyper-migrate: error: no rule `{rule}` (see `hyper-migrate rules`)");
                ExitCode::from(EXIT_UNUSABLE)
            }
        },
        Command::Fix(args) => match fix_cli::run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("hyper-migrate: error: {}", one_line(&message));
                ExitCode::from(EXIT_UNUSABLE)
            }
        },
        Command::Analyze(args) => match analyze(&args) {
            Ok(code) => code,
            // The reader of a pipe went away (`| head`): stop quietly, like other Unix tools.
            Err(Failure::Write { err, .. }) if err.kind() == std::io::ErrorKind::BrokenPipe => {
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("hyper-migrate: error: {}", one_line(&message.to_string()));
                ExitCode::from(EXIT_UNUSABLE)
            }
        },
    }
}

/// Prints to stdout; a closed pipe is not an error.
fn print_or_quiet(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    ExitCode::SUCCESS
}

fn analyze(args: &AnalyzeArgs) -> Result<ExitCode, Failure> {
    if args.jobs == Some(0) {
        return Err(Failure::Usage("--jobs must be at least 1".into()));
    }
    let selection = args.rules.selection().map_err(Failure::Usage)?;
    let profile = args.rules.profile().map_err(Failure::Usage)?;
    let options = Options {
        profile: &profile,
        selection: &selection,
    };
    let files = inputs::expand(&args.inputs).map_err(|err| Failure::Usage(err.to_string()))?;
    let threshold = args.fail_on.threshold();
    let mut failing = false;
    let mut out = output::Output::open(args.output.as_deref()).map_err(Failure::Usage)?;
    let write_error = |err: std::io::Error| Failure::Write {
        to: out_name(args),
        err,
    };
    let show_progress = !args.no_progress && files.len() > 1 && std::io::stderr().is_terminal();
    let json_array = args.format == Format::Json && files.len() > 1;
    if json_array {
        out.write_all(b"[\n").map_err(write_error)?;
    }
    let mut unusable = 0usize;
    let mut written = 0usize;
    let mut failure: Option<std::io::Error> = None;
    let mut collected = Vec::new();
    batch::run(&files, args.jobs, &options, show_progress, |report, progress| {
        if failure.is_some() {
            return;
        }
        if threshold.is_some_and(|t| report.findings.iter().any(|f| f.severity >= t)) {
            failing = true;
        }
        let mut report = report;
        if report.error.is_some() && Path::new(&report.file).is_dir() {
            // Only a directory with nothing to analyze is an input of its own (inputs::expand).
            report.error = Some(format!(
                "directory holds no .{} files",
                inputs::ANALYZED.join("/.")
            ));
        }
        if let Some(error) = &report.error {
            unusable += 1;
            progress.suspend(|| {
                eprintln!(
                    "hyper-migrate: error: {}",
                    one_line(&format!("{}: {error}", report.file))
                )
            });
        }
        let result = match args.format {
            Format::Sarif | Format::Html => {
                let mut report = report;
                // The code scans are kept for the rules only and can be large: not held
                // for the whole run.
                if let Some(facts) = &mut report.facts {
                    facts.code = Vec::new();
                    facts.native_device_paths = Vec::new();
                }
                collected.push(report);
                Ok(())
            }
            Format::Text => out.write_all(render::text(&report).as_bytes()),
            Format::Jsonl => serde_json::to_writer(&mut out, &report)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n")),
            Format::Json => {
                let separator: &[u8] = if json_array && written > 0 { b",\n" } else { b"" };
                out.write_all(separator)
                    .and_then(|()| serde_json::to_writer_pretty(&mut out, &report).map_err(Into::into))
                    .and_then(|()| if json_array { Ok(()) } else { out.write_all(b"\n") })
            }
        };
        written += 1;
        if let Err(err) = result {
            failure = Some(err);
        }
    });
    if let Some(err) = failure {
        return Err(write_error(err));
    }
    if json_array {
        out.write_all(b"\n]\n").map_err(write_error)?;
    }
    if args.format.whole_run() {
        let document = if args.format == Format::Sarif {
            let cwd = std::env::current_dir().ok();
            let mut text = serde_json::to_string_pretty(&sarif::render(&collected, cwd.as_deref()))
                .map_err(|err| write_error(err.into()))?;
            text.push('\n');
            text
        } else {
            html::render(&collected)
        };
        out.write_all(document.as_bytes()).map_err(write_error)?;
    }
    if args.format == Format::Text && files.len() > 1 {
        writeln!(out, "{} file(s) read, {unusable} unusable", files.len()).map_err(write_error)?;
    }
    out.finish().map_err(write_error)?;
    Ok(if unusable > 0 {
        ExitCode::from(EXIT_UNUSABLE)
    } else if failing {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

/// Why a command could not finish.
#[derive(Debug)]
enum Failure {
    /// Bad arguments or inputs that cannot be listed.
    Usage(String),
    /// The report could not be written.
    Write { to: String, err: std::io::Error },
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(message) => f.write_str(message),
            Failure::Write { to, err } => write!(f, "{to}: {err}"),
        }
    }
}

fn out_name(args: &AnalyzeArgs) -> String {
    args.output
        .as_ref()
        .map_or_else(|| "stdout".into(), |p| p.display().to_string())
}

/// `text` as one printable line: control characters (a NUL or a newline in an entry name, an
/// escape sequence) shown escaped, so that an error stays one line and cannot drive the
/// terminal.
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().collect()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}
