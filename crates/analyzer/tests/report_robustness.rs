//! The whole analysis (`report::analyze`) on damaged inputs: corpus APKs and real third-party
//! files truncated and bit-flipped at many offsets. Nothing panics, and the heap stays within a
//! small multiple of the input (counted by a global allocator wrapper in this test binary).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use analyzer::report;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// One measurement at a time: the harness runs tests on several threads.
static MEASURING: Mutex<()> = Mutex::new(());

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are only
// statistics and never influence allocation.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours, forwarded.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours, forwarded.
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak heap growth while analysing `data`.
fn peak_heap(data: &[u8]) -> usize {
    let _one = MEASURING.lock().unwrap_or_else(|e| e.into_inner());
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let report = report::analyze("input", data);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    drop(report);
    peak
}

fn inputs() -> Vec<PathBuf> {
    let mut inputs: Vec<PathBuf> = common::corpus_apks().into_iter().map(|(_, p)| p).collect();
    let dex = common::samples("dex", ".dex");
    let so = common::samples("so", ".so");
    let apk = common::samples("apk", ".apk");
    // A few real files of each other kind, the smaller ones (each is damaged ~200 ways).
    for set in [dex, so, apk] {
        let mut sized: Vec<(u64, PathBuf)> = set
            .into_iter()
            .map(|p| (std::fs::metadata(&p).unwrap().len(), p))
            .filter(|(len, _)| *len < 2 << 20)
            .collect();
        sized.sort();
        inputs.extend(sized.into_iter().rev().take(3).map(|(_, p)| p));
    }
    inputs
}

#[test]
fn damaged_inputs_never_panic_and_stay_within_memory() {
    const CUTS: usize = 97;
    let mut worst = (0.0f64, String::new());
    for path in inputs() {
        let data = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        let clean = peak_heap(&data);
        let mut check = |label: &str, damaged: &[u8]| {
            let peak = peak_heap(damaged);
            // Inflated entries, parsed tables and the report: a few times the input, plus the
            // fixed costs of a small file. Damage must not make it grow beyond the clean run's
            // order of magnitude.
            let limit = (damaged.len() * 32).max(clean * 4).max(4 << 20);
            assert!(
                peak <= limit,
                "{name} {label}: {peak} bytes of heap for {} bytes of input",
                damaged.len()
            );
            let ratio = peak as f64 / damaged.len().max(1) as f64;
            if damaged.len() >= 4096 && ratio > worst.0 {
                worst = (ratio, format!("{name} {label}"));
            }
        };
        for i in 0..CUTS {
            let at = data.len() * i / CUTS;
            check(&format!("truncated at {at}"), &data[..at]);
            let mut flipped = data.clone();
            flipped[at] ^= 0x55;
            check(&format!("flipped at {at}"), &flipped);
            // The last bytes hold the zip end record and the central directory.
            let tail = data.len() - 1 - (i * 7) % data.len().min(512);
            let mut flipped = data.clone();
            flipped[tail] ^= 0xff;
            check(&format!("tail flipped at {tail}"), &flipped);
        }
    }
    eprintln!("largest heap/input ratio: {:.1} ({})", worst.0, worst.1);
}
