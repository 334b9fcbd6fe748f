//! `cargo run -p corpus -- build [APP...]`: builds corpus apps into `target/corpus/`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "corpus",
    about = "Build the HyperCompat test-app corpus with Android's own tools"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build apps (all when none are named) into the output directory
    Build {
        /// App names (folders under corpus/apps/)
        apps: Vec<String>,
        /// Output directory [default: target/corpus]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Parallel builds [default: number of CPUs]
        #[arg(long, short)]
        jobs: Option<usize>,
    },
    /// List the apps with what each exercises
    List,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { apps, out, jobs } => build(&apps, out, jobs),
        Command::List => list(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("corpus: error: {err}");
            ExitCode::from(2)
        }
    }
}

fn build(names: &[String], out: Option<PathBuf>, jobs: Option<usize>) -> Result<(), corpus::CorpusError> {
    let out = out.unwrap_or_else(corpus::default_out_dir);
    let tools = corpus::Tools::locate()?;
    let _lock = corpus::lock(&out)?;
    let apps = corpus::select(corpus::discover(&corpus::source_root())?, names)?;
    let started = Instant::now();
    let done = AtomicUsize::new(0);
    let total = apps.len();
    corpus::build_all(
        &tools,
        &apps,
        &out,
        jobs.unwrap_or_else(corpus::default_jobs),
        &|app, path| {
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            eprintln!("[{n:>2}/{total}] {:<22} {}", app.name, path.display());
        },
    )?;
    if names.is_empty() {
        corpus::write_stamp(&out)?;
    }
    eprintln!(
        "built {total} app(s) in {:.1}s into {}",
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(())
}

fn list() -> Result<(), corpus::CorpusError> {
    for app in corpus::discover(&corpus::source_root())? {
        println!("{:<22} {}", app.name, app.recipe.summary);
    }
    Ok(())
}
