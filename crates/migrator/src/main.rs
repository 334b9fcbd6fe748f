//! `hyper-migrate`: argument parsing and rendering over the `analyzer` library.

mod inputs;
mod render;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Read APKs and report what they contain (directories are searched for *.apk)
    Analyze {
        /// APK files or directories
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
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
        Command::Analyze { inputs } => analyze(&inputs),
    }
}

fn analyze(inputs: &[PathBuf]) -> ExitCode {
    let files = match inputs::expand(inputs) {
        Ok(files) => files,
        Err(err) => {
            eprintln!("hyper-migrate: error: {err}");
            return ExitCode::from(EXIT_UNUSABLE);
        }
    };
    let mut unusable = 0usize;
    for file in &files {
        let result = std::fs::read(file)
            .map_err(|err| err.to_string())
            .and_then(|data| analyzer::apk::ApkInventory::read(&data).map_err(|err| err.to_string()));
        match result {
            Ok(inventory) => print!("{}", render::inventory_text(file, &inventory)),
            Err(reason) => {
                unusable += 1;
                eprintln!("hyper-migrate: error: {}: {reason}", file.display());
            }
        }
    }
    if files.len() > 1 {
        println!("{} file(s) read, {} unusable", files.len(), unusable);
    }
    if unusable > 0 {
        ExitCode::from(EXIT_UNUSABLE)
    } else {
        ExitCode::SUCCESS
    }
}
