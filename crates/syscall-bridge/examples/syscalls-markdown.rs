//! Prints `docs/syscalls.md`: `cargo run -q -p syscall-bridge --example syscalls-markdown > docs/syscalls.md`.

fn main() {
    print!("{}", syscall_bridge::markdown());
}
