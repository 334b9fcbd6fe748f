//! Prints `docs/protocols.md`: `cargo run -q -p microkernel --example protocols-markdown > docs/protocols.md`.

fn main() {
    print!("{}", microkernel::markdown());
}
