//! `hc-sandbox [OPTIONS] [--] PROGRAM [ARGS...]`: runs a program in the HyperCompat sandbox,
//! reports the syscalls it needed that the bridge does not emulate yet on stderr, and exits as
//! the program did (128 + the signal when it was killed; 125 when the sandbox failed).
//!
//! Options:
//! - `--app-root DIR`: the app's folder, read-write at `/data/data/<package>` and the working
//!   directory (default: a fresh temporary folder, removed afterwards);
//! - `--package NAME`: the package name (default `com.hypercompat.app`);
//! - `--ro HOST[:GUEST]`, `--rw HOST[:GUEST]`: more host folders or files, read-only or
//!   read-write, at `GUEST` (default: the same path);
//! - `--network`: share the host's network (default: a private one, loopback only);
//! - `--keep-fd N`: the program inherits this descriptor (every other one from 3 up is
//!   closed);
//! - `--env NAME[=VALUE]`: a variable for the program, the host's value with `NAME` alone
//!   (the program otherwise gets only `TERM`, the locale and the guest's `HOME`, `PWD`,
//!   `TMPDIR` and `PATH`);
//! - `--vfs PATH`: the `hc-vfs` binary (default: beside this one).

use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::process::ExitCode;

use sandbox::{Bind, Config, Exit, GuestRoot};

const USAGE: &str = "usage: hc-sandbox [--app-root DIR] [--package NAME] [--ro HOST[:GUEST]] [--rw HOST[:GUEST]] [--network] [--keep-fd N] [--env NAME[=VALUE]] [--vfs PATH] [--] PROGRAM [ARGS...]";

fn usage(problem: &str) -> ExitCode {
    eprintln!("hc-sandbox: {problem}");
    eprintln!("{USAGE}");
    ExitCode::from(125)
}

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1).peekable();
    let mut app_root = None;
    let mut package = "com.hypercompat.app".to_string();
    let mut binds = Vec::new();
    let mut vfs = None;
    let mut keep_fds = Vec::new();
    let mut network = false;
    let mut env_specs = Vec::new();
    while let Some(arg) = args.peek() {
        let flag = arg.as_bytes();
        if flag == b"--" {
            args.next();
            break;
        }
        if flag == b"--help" || flag == b"-h" {
            println!("{USAGE}");
            println!("(hyper-compat run is the full interface: hyper-compat run --help)");
            return ExitCode::SUCCESS;
        }
        if !flag.starts_with(b"--") {
            break;
        }
        let flag = String::from_utf8_lossy(flag).into_owned();
        args.next();
        // The value is taken only for an option known to have one: an unknown option is named
        // as such, not as one missing its value.
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let applied = match flag.as_str() {
            "--network" => {
                network = true;
                Ok(())
            }
            "--app-root" => value().map(|v| app_root = Some(PathBuf::from(v))),
            "--package" => value().map(|v| package = v.to_string_lossy().into_owned()),
            "--ro" => value().map(|v| binds.push(Bind::from_spec(&v, false))),
            "--rw" => value().map(|v| binds.push(Bind::from_spec(&v, true))),
            "--vfs" => value().map(|v| vfs = Some(PathBuf::from(v))),
            "--env" => value().map(|v| env_specs.push(v)),
            "--keep-fd" => value().and_then(|v| {
                let fd = v.to_str().and_then(|n| n.parse().ok());
                let fd = fd.ok_or_else(|| format!("--keep-fd takes a descriptor number, not {v:?}"))?;
                keep_fds.push(fd);
                Ok(())
            }),
            _ => Err(format!("unknown option {flag}")),
        };
        if let Err(problem) = applied {
            return usage(&problem);
        }
    }
    let Some(program) = args.next() else {
        return usage("no program given");
    };
    let temporary = match &app_root {
        Some(_) => None,
        None => match tempfile::tempdir() {
            Ok(dir) => Some(dir),
            Err(error) => return usage(&format!("cannot make a temporary app root: {error}")),
        },
    };
    let app_root = app_root.unwrap_or_else(|| temporary.as_ref().expect("made above").path().to_path_buf());
    let mut root = GuestRoot::new(app_root, package);
    root.binds = binds;
    root.network = network;
    if let Some(warning) = sandbox::launch::shared_network_warning(network) {
        eprintln!("hc-sandbox: warning: {warning}");
    }
    let mut config = Config::new(program, args.collect(), root);
    for spec in &env_specs {
        sandbox::pass_env(&mut config.env, spec);
    }
    if let Some(vfs) = vfs {
        config.vfs = vfs;
    }
    config.keep_fds = keep_fds;
    match sandbox::run(&config) {
        Ok(run) => {
            for stub in &run.stubs {
                eprintln!("hc-sandbox: {stub}");
            }
            for ((syscall, errno), count) in &run.denied {
                eprintln!("hc-sandbox: denied {syscall} ({count}×, errno {errno})");
            }
            if run.vfs_starts > 1 {
                eprintln!("hc-sandbox: the vfs server was started {} times", run.vfs_starts);
            }
            match run.exit {
                Exit::Code(code) => ExitCode::from(code as u8),
                Exit::Signal(signal) => {
                    eprintln!("hc-sandbox: program killed by signal {signal}");
                    ExitCode::from(128 + signal as u8)
                }
            }
        }
        Err(error) => {
            eprintln!("hc-sandbox: {error}");
            ExitCode::from(125)
        }
    }
}
