//! The service: registers `IPeer` with the context manager (rsb_hub) and serves it.
//!
//! `peer_service` registers `hcpeer.IPeer/default`; `peer_service --lazy` registers
//! `hcpeer.IPeer/lazy` through rsbinder's `LazyServiceRegistrar` (the hub tells it when it has
//! no clients left, and it exits).

use std::io::Read;

use rsbinder::*;
use rsbinder_peer::*;

struct Peer;

impl Interface for Peer {}

impl IPeer for Peer {
    fn echo(&self, message: &str) -> BinderResult<String> {
        Ok(message.to_owned())
    }

    fn add(&self, a: i32, b: i32) -> BinderResult<i32> {
        Ok(a.wrapping_add(b))
    }

    fn askBack(&self, callback: &Strong<dyn IPeerCallback>, question: &str) -> BinderResult<String> {
        let answer = callback.ask(question)?;
        Ok(format!("{question} -> {answer}"))
    }

    fn fire(&self, callback: &Strong<dyn IPeerCallback>, count: i32) -> BinderResult<()> {
        for n in 0..count {
            callback.onEvent(n)?;
        }
        Ok(())
    }

    fn sizeOf(&self, data: &[u8]) -> BinderResult<i32> {
        // The sum catches a buffer delivered with the right length but wrong bytes.
        let sum = data.iter().fold(0u8, |acc, &b| acc.wrapping_add(b));
        if sum != expected_sum(data.len()) {
            return Err(StatusCode::BadValue.into());
        }
        Ok(data.len() as i32)
    }

    fn blob(&self, size: i32) -> BinderResult<Vec<u8>> {
        Ok(pattern(size as usize))
    }

    fn readFd(&self, fd: &ParcelFileDescriptor) -> BinderResult<String> {
        let mut text = String::new();
        let mut file = fd.try_clone()?;
        file.read_to_string(&mut text).map_err(|_| StatusCode::BadValue)?;
        Ok(text)
    }

    fn identity(&self) -> BinderResult<Vec<i32>> {
        Ok(vec![
            get_calling_pid(),
            get_calling_uid() as i32,
            std::process::id() as i32,
        ])
    }

    fn quit(&self) -> BinderResult<()> {
        eprintln!("peer_service: quit");
        std::process::exit(0);
    }

    fn busyTid(&self, millis: i32) -> BinderResult<i32> {
        std::thread::sleep(std::time::Duration::from_millis(millis.clamp(0, 1000) as u64));
        // SAFETY: gettid has no arguments and cannot fail.
        Ok(unsafe { libc::gettid() })
    }
}

fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let lazy = std::env::args().nth(1).as_deref() == Some("--lazy");
    let state = ProcessState::init_default()?;
    eprintln!("peer_service: binder open, {} bytes mapped", state.mmap_size());
    ProcessState::start_thread_pool();
    let service = BnPeer::new_binder(Peer);
    if lazy {
        rsbinder::lazy_service::LazyServiceRegistrar::instance()
            .register_service(LAZY_SERVICE_NAME, service.as_binder())?;
        eprintln!("peer_service: registered {LAZY_SERVICE_NAME} (lazy)");
    } else {
        hub::add_service(SERVICE_NAME, service.as_binder())?;
        eprintln!("peer_service: registered {SERVICE_NAME}");
    }
    Ok(ProcessState::join_thread_pool()?)
}
