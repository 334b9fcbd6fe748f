//! `hc-sandbox PROGRAM [ARGS...]`: runs a program in the HyperCompat sandbox, reports the
//! syscalls it needed that the bridge does not emulate yet on stderr, and exits as the program
//! did (128 + the signal when it was killed).

use std::process::ExitCode;

use sandbox::Exit;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(program) = args.next() else {
        eprintln!("usage: hc-sandbox PROGRAM [ARGS...]");
        return ExitCode::from(2);
    };
    let args: Vec<_> = args.collect();
    match sandbox::run(&program, &args) {
        Ok(run) => {
            for stub in &run.stubs {
                eprintln!("hc-sandbox: {stub}");
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
