//! The client: waits for `IPeer` at the context manager (rsb_hub) and checks what a Binder
//! peer relies on, one `check` line each; exits 0 only when every check passed.
//!
//! Then `probe` lines: driver features rsbinder has APIs for but that the checks do not need
//! (they do not change the exit status). With `PEER_LAZY=1` in the environment it also checks
//! the lazy-service contract against `peer_service --lazy` (slow: the hub polls every 5 s).

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use rsbinder::*;
use rsbinder_peer::*;

/// What the callbacks saw: one-way events, and whether a death notice arrived.
#[derive(Default)]
struct Seen {
    events: Vec<i32>,
    died: bool,
}

#[derive(Clone, Default)]
struct Shared(Arc<(Mutex<Seen>, Condvar)>);

impl Shared {
    fn update(&self, f: impl FnOnce(&mut Seen)) {
        let (lock, cv) = &*self.0;
        f(&mut lock.lock().unwrap());
        cv.notify_all();
    }

    /// Waits (at most `limit`) until `done` holds.
    fn wait(&self, limit: Duration, done: impl Fn(&Seen) -> bool) -> bool {
        let (lock, cv) = &*self.0;
        let guard = lock.lock().unwrap();
        let (guard, _) = cv.wait_timeout_while(guard, limit, |s| !done(s)).unwrap();
        done(&guard)
    }
}

struct Callback(Shared);

impl Interface for Callback {}

impl IPeerCallback for Callback {
    fn ask(&self, question: &str) -> BinderResult<String> {
        Ok(format!("answer to {question}"))
    }

    fn onEvent(&self, n: i32) -> BinderResult<()> {
        self.0.update(|s| s.events.push(n));
        Ok(())
    }
}

struct Death(Shared);

impl DeathRecipient for Death {
    fn binder_died(&self, _who: &WIBinder) {
        self.0.update(|s| s.died = true);
    }
}

struct Report {
    passed: usize,
    failed: Vec<String>,
}

impl Report {
    fn check(&mut self, name: &str, f: impl FnOnce() -> std::result::Result<String, String>) {
        match f() {
            Ok(detail) => {
                println!("check {name}: ok ({detail})");
                self.passed += 1;
            }
            Err(why) => {
                println!("check {name}: FAIL ({why})");
                self.failed.push(name.to_owned());
            }
        }
        let _ = std::io::stdout().flush();
    }
}

fn probe(name: &str, result: std::result::Result<String, String>) {
    match result {
        Ok(detail) => println!("probe {name}: works ({detail})"),
        Err(why) => println!("probe {name}: FAILS ({why})"),
    }
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

fn main() -> std::process::ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let mut report = Report {
        passed: 0,
        failed: Vec::new(),
    };
    let state = match ProcessState::init_default() {
        Ok(state) => state,
        Err(e) => {
            println!("check init: FAIL ({e})");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("check init: ok ({} bytes mapped)", state.mmap_size());
    report.passed += 1;
    // The hub's registration callback and the service's one-way events are transactions into
    // this process: they need a thread pool.
    ProcessState::start_thread_pool();

    let peer: Strong<dyn IPeer> = match hub::wait_for_interface(SERVICE_NAME) {
        Ok(peer) => peer,
        Err(e) => {
            println!("check wait_for_interface: FAIL ({e:?})");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("check wait_for_interface: ok");
    report.passed += 1;

    report.check("echo", || {
        let text = peer.echo("hello through the shim").map_err(err)?;
        (text == "hello through the shim")
            .then(|| text.clone())
            .ok_or(text)
    });
    report.check("add", || {
        let sum = peer.add(40, 2).map_err(err)?;
        (sum == 42).then(|| sum.to_string()).ok_or(sum.to_string())
    });
    report.check("list_services", || {
        let names = hub::list_services(hub::DUMP_FLAG_PRIORITY_ALL);
        names
            .iter()
            .any(|n| n == SERVICE_NAME)
            .then(|| format!("{names:?}"))
            .ok_or(format!("{names:?}"))
    });
    let shared = Shared::default();
    let callback = BnPeerCallback::new_binder(Callback(shared.clone()));
    report.check("nested_call", || {
        let answer = peer.askBack(&callback, "q1").map_err(err)?;
        (answer == "q1 -> answer to q1")
            .then(|| answer.clone())
            .ok_or(answer)
    });
    report.check("oneway", || {
        peer.fire(&callback, 5).map_err(err)?;
        let all = shared.wait(Duration::from_secs(10), |s| s.events.len() >= 5);
        let events = shared.0 .0.lock().unwrap().events.clone();
        (all && events == [0, 1, 2, 3, 4])
            .then(|| format!("{events:?}"))
            .ok_or(format!("{events:?}"))
    });
    report.check("large_in", || {
        let size = 512 * 1024;
        let n = peer.sizeOf(&pattern(size)).map_err(err)?;
        (n as usize == size).then(|| n.to_string()).ok_or(n.to_string())
    });
    report.check("large_out", || {
        let size = 700 * 1024;
        let data = peer.blob(size as i32).map_err(err)?;
        (data == pattern(size))
            .then(|| data.len().to_string())
            .ok_or(data.len().to_string())
    });
    report.check("too_large", || {
        // More than the receiver's 1 MB mapping: the call fails, the connection survives.
        match peer.sizeOf(&pattern(2 << 20)) {
            Ok(n) => Err(format!("accepted {n}")),
            Err(e) => {
                let after = peer.add(1, 1).map_err(err)?;
                (after == 2)
                    .then(|| format!("{e:?}, then add ok"))
                    .ok_or(after.to_string())
            }
        }
    });
    report.check("fd", || {
        let (read, mut write) = ParcelFileDescriptor::pipe().map_err(err)?;
        write.write_all(b"through a pipe").map_err(err)?;
        drop(write);
        let text = peer.readFd(&read).map_err(err)?;
        (text == "through a pipe").then(|| text.clone()).ok_or(text)
    });
    report.check("thread_pool", || {
        // 8 client threads, 5 calls each, against the service's rsbinder thread pool: every
        // call is answered, by more than one of the pool's threads (the driver asks the
        // service for more loopers with BR_SPAWN_LOOPER while its threads are busy).
        let answers: Vec<std::result::Result<Vec<i32>, String>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| (0..5).map(|_| peer.busyTid(20).map_err(err)).collect::<std::result::Result<Vec<_>, _>>()))
                .collect();
            workers.into_iter().map(|w| w.join().expect("a client thread panicked")).collect()
        });
        let mut tids = Vec::new();
        for answer in answers {
            tids.extend(answer?);
        }
        let mut distinct = tids.clone();
        distinct.sort_unstable();
        distinct.dedup();
        (tids.len() == 40 && distinct.len() > 1)
            .then(|| format!("40 calls from 8 threads served by {} service threads", distinct.len()))
            .ok_or(format!("{} calls, service threads {distinct:?}", tids.len()))
    });
    let mut service_pid = 0;
    report.check("calling_identity", || {
        let id = peer.identity().map_err(err)?;
        let (pid, uid) = (std::process::id() as i32, unsafe { libc::getuid() } as i32);
        service_pid = *id.get(2).unwrap_or(&0);
        (id.len() == 3 && id[0] == pid && id[1] == uid)
            .then(|| format!("caller pid {} uid {}, service pid {}", id[0], id[1], id[2]))
            .ok_or(format!("{id:?}, expected pid {pid} uid {uid}"))
    });

    // Driver features beyond the checks.
    probe(
        "get_extended_error (BINDER_GET_EXTENDED_ERROR)",
        rsbinder::get_extended_error()
            .map(|e| format!("id {} command {:#x} param {}", e.id, e.command, e.param))
            .map_err(err),
    );
    let binder = peer.as_binder();
    // The kernel answers EPERM here: only the context manager may ask (rsb_hub does).
    probe(
        "strong_ref_count_for_node (BINDER_GET_NODE_INFO_FOR_REF; kernel: EPERM unless manager)",
        match binder.as_proxy() {
            Some(proxy) => state
                .strong_ref_count_for_node(proxy)
                .map(|n| n.to_string())
                .map_err(err),
            None => Err("not a proxy".into()),
        },
    );
    probe(
        "process_freeze_info (BINDER_GET_FROZEN_INFO)",
        state
            .process_freeze_info(service_pid)
            .map(|i| format!("{i:?}"))
            .map_err(err),
    );
    probe(
        "freeze_process (BINDER_FREEZE)",
        state
            .freeze_process(service_pid, true, Duration::ZERO)
            .and_then(|()| state.freeze_process(service_pid, false, Duration::ZERO))
            .map(|()| "froze and thawed".into())
            .map_err(err),
    );
    for path in [
        "/dev/binder",
        "/dev/binderfs",
        "/dev/binderfs/binder",
        "/dev/binderfs/binder-control",
        "/dev/binderfs/features/freeze_notification",
        "/dev/binderfs/features/oneway_spam_detection",
        "/dev/binderfs/features/extended_error",
    ] {
        probe(
            &format!("stat {path}"),
            std::fs::metadata(path)
                .map(|m| format!("{:?}", m.file_type()))
                .map_err(err),
        );
    }
    drop(binder);

    if std::env::var_os("PEER_NATIVE_ECHO").is_some() {
        // A native microkernel service (echo_service, on svcmgr), found through the service
        // manager and called with rsbinder's AIDL proxy.
        report.check("native_service", || {
            let echo: Strong<dyn IEcho> = hub::check_interface("echo").map_err(err)?;
            let text = echo.echo("to a native service").map_err(err)?;
            let names = hub::list_services(hub::DUMP_FLAG_PRIORITY_ALL);
            (text == "to a native service" && names.iter().any(|n| n == "echo"))
                .then(|| format!("{text:?}; listed in {names:?}"))
                .ok_or(format!("{text:?}; {names:?}"))
        });
    }

    if std::env::var_os("PEER_LAZY").is_some() {
        report.check("lazy_service_unregisters", || {
            let lazy: Strong<dyn IPeer> = hub::wait_for_interface(LAZY_SERVICE_NAME).map_err(err)?;
            let text = lazy.echo("lazy").map_err(err)?;
            // Held across two of the hub's 5 s looks, the service must stay: it has a client.
            std::thread::sleep(Duration::from_secs(11));
            let again = lazy
                .echo("still there")
                .map_err(|e| format!("after 11 s held: {e:?}"))?;
            let text = format!("{text} / {again}");
            // With its only client gone, the hub should tell the service (onClients(false)),
            // which unregisters itself and exits. The hub looks every 5 s; `list_services`
            // hands out no binder, so asking does not make this process a client again.
            drop(lazy);
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(30) {
                let names = hub::list_services(hub::DUMP_FLAG_PRIORITY_ALL);
                if !names.iter().any(|n| n == LAZY_SERVICE_NAME) {
                    return Ok(format!(
                        "echo {text:?}; unregistered {:?} after its last client left",
                        start.elapsed()
                    ));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err("still registered 30 s after its last client left".into())
        });
    }

    // Last: the service's death reaches this process, and the hub forgets the name.
    report.check("death_notice", || {
        let seen = shared.clone();
        let death = Arc::new(Death(seen.clone()));
        peer.as_binder().link_to_death_arc(&death).map_err(err)?;
        peer.quit().map_err(err)?;
        if !seen.wait(Duration::from_secs(10), |s| s.died) {
            return Err("no death notice within 10 s".into());
        }
        Ok("binder_died".into())
    });

    if !report.failed.is_empty() {
        println!("peer_client: failed: {:?}", report.failed);
    }
    println!(
        "rsbinder peers: {} passed, {} failed",
        report.passed,
        report.failed.len()
    );
    if report.failed.is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
