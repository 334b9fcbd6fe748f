//! `hc-vfs`: the `vfs` server of one sandbox, started by its supervisor with its startup fds
//! (`sandbox::vfs`); not meant to be run by hand.

fn main() {
    if let Err(error) = sandbox::vfs::server_main() {
        eprintln!("hc-vfs: error: {error}");
        std::process::exit(2);
    }
}
