//! Telling the owner of the input's memory which bytes the readers are done with.
//!
//! Inputs are usually memory-mapped files. Reading every page of a 100 MB APK once (its SHA-256,
//! the v2 digest, the local headers of thousands of entries) would otherwise leave every page
//! resident until the file is unmapped, so peak memory would grow with the input. Whole-file
//! passes report each stretch they have finished with to the current thread's [`Pager`], which
//! may drop those pages; they are read again from the file if touched later.
//!
//! This is a hint with no effect on results: the default does nothing, and a pager must ignore
//! bytes it does not own (heap buffers of inflated entries are reported too).

use std::cell::RefCell;
use std::sync::Arc;

/// Receives the stretches of input that a pass has finished reading.
pub trait Pager: Send + Sync {
    fn done_with(&self, bytes: &[u8]);
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<dyn Pager>>> = const { RefCell::new(None) };
}

/// Runs `f` with `pager` receiving this thread's [`done_with`] calls, then restores the previous
/// pager (also when `f` panics).
pub fn scoped<R>(pager: Arc<dyn Pager>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Arc<dyn Pager>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            CURRENT.with(|current| *current.borrow_mut() = previous);
        }
    }
    let previous = CURRENT.with(|current| current.borrow_mut().replace(pager));
    let _restore = Restore(previous);
    f()
}

/// Reports `bytes` as read to the current pager, if any.
pub fn done_with(bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    // Clone the handle out so a pager that itself calls `done_with` cannot hit a borrowed cell.
    let pager = CURRENT.with(|current| current.borrow().clone());
    if let Some(pager) = pager {
        pager.done_with(bytes);
    }
}

/// Runs `a` and `b`, possibly at once on rayon's pool, each with this thread's pager (the
/// pager is per thread: without this, a pass run on another thread would keep every page it
/// read resident).
pub fn join<RA: Send, RB: Send>(a: impl FnOnce() -> RA + Send, b: impl FnOnce() -> RB + Send) -> (RA, RB) {
    fn with<R>(pager: Option<Arc<dyn Pager>>, f: impl FnOnce() -> R) -> R {
        match pager {
            Some(pager) => scoped(pager, f),
            None => f(),
        }
    }
    let pager = CURRENT.with(|current| current.borrow().clone());
    let other = pager.clone();
    rayon::join(|| with(pager, a), || with(other, b))
}

/// Feeds `data` to `update` in 1 MiB pieces, reporting each piece as done: a whole-file pass
/// (a digest) that keeps no more than a piece of the input resident.
pub fn for_each_piece(data: &[u8], mut update: impl FnMut(&[u8])) {
    const PIECE: usize = 1 << 20;
    for piece in data.chunks(PIECE) {
        update(piece);
        done_with(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Recorder(Mutex<Vec<usize>>);
    impl Pager for Recorder {
        fn done_with(&self, bytes: &[u8]) {
            self.0.lock().unwrap().push(bytes.len());
        }
    }

    #[test]
    fn pieces_are_reported_in_scope_only() {
        let recorder = Arc::new(Recorder::default());
        let data = vec![7u8; (1 << 20) + 5];
        let mut total = 0;
        scoped(recorder.clone(), || for_each_piece(&data, |p| total += p.len()));
        assert_eq!(total, data.len());
        assert_eq!(*recorder.0.lock().unwrap(), vec![1 << 20, 5]);
        done_with(&data);
        assert_eq!(
            recorder.0.lock().unwrap().len(),
            2,
            "reported after the scope ended"
        );
    }

    #[test]
    fn both_halves_of_a_join_report_to_the_callers_pager() {
        let recorder = Arc::new(Recorder::default());
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        // Each half waits for the other, so they run at once: on two threads.
        let both = std::sync::Barrier::new(2);
        let threads = pool.install(|| {
            scoped(recorder.clone(), || {
                join(
                    || {
                        both.wait();
                        done_with(&[1; 10]);
                        std::thread::current().id()
                    },
                    || {
                        both.wait();
                        done_with(&[2; 20]);
                        std::thread::current().id()
                    },
                )
            })
        });
        assert_ne!(threads.0, threads.1);
        let mut seen = recorder.0.lock().unwrap().clone();
        seen.sort_unstable();
        assert_eq!(seen, vec![10, 20]);
    }
}
