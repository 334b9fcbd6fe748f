//! Where a report goes: stdout, or a file written aside and renamed into place once complete,
//! so that an interrupted run never leaves a half-written report behind. An interrupt
//! (`SIGINT`, `SIGTERM`, `SIGHUP`) removes the file written aside before the process dies of
//! it; only `SIGKILL` can leave one.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicPtr, Ordering};

use tempfile::NamedTempFile;

pub enum Output {
    Stdout(BufWriter<io::Stdout>),
    File {
        temp: BufWriter<NamedTempFile>,
        path: PathBuf,
        _pending: Pending,
    },
}

/// The temporary files not yet renamed into place, as C strings the signal handler can
/// unlink (a handler may not lock or allocate).
static PENDING: [AtomicPtr<libc::c_char>; 4] = [const { AtomicPtr::new(std::ptr::null_mut()) }; 4];

/// A temporary file's place in [`PENDING`], given up when dropped.
pub struct Pending(Option<usize>);

impl Pending {
    fn register(path: &Path) -> Pending {
        use std::os::unix::ffi::OsStrExt;
        let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
            return Pending(None);
        };
        let raw = c_path.into_raw();
        for (i, slot) in PENDING.iter().enumerate() {
            if slot
                .compare_exchange(std::ptr::null_mut(), raw, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                return Pending(Some(i));
            }
        }
        // SAFETY: `raw` came from `into_raw` above and was stored nowhere.
        drop(unsafe { std::ffi::CString::from_raw(raw) });
        Pending(None)
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(i) = self.0 {
            let raw = PENDING[i].swap(std::ptr::null_mut(), Ordering::SeqCst);
            if !raw.is_null() {
                // SAFETY: only `register` stores pointers, each from `into_raw`; the swap
                // made this the one owner.
                drop(unsafe { std::ffi::CString::from_raw(raw) });
            }
        }
    }
}

/// Installs the handler of `SIGINT`, `SIGTERM` and `SIGHUP` (once): before any temporary file
/// is made, so that none can outlive an interrupt.
fn install_handlers() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            // SAFETY: installs a handler that only makes async-signal-safe calls.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                action.sa_flags = libc::SA_RESETHAND;
                libc::sigaction(signal, &action, std::ptr::null_mut());
            }
        }
    });
}

/// `SIGINT`, `SIGTERM` and `SIGHUP` held back on this thread while it lives; one that came
/// meanwhile is delivered when it ends.
struct BlockedInterrupts(libc::sigset_t);

impl BlockedInterrupts {
    fn new() -> BlockedInterrupts {
        // SAFETY: sigset operations on local sets; pthread_sigmask changes this thread's mask.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                libc::sigaddset(&mut set, signal);
            }
            let mut old: libc::sigset_t = std::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old);
            BlockedInterrupts(old)
        }
    }
}

impl Drop for BlockedInterrupts {
    fn drop(&mut self) {
        // SAFETY: restores the mask saved by `new` on the same thread.
        unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &self.0, std::ptr::null_mut()) };
    }
}

/// Removes the pending temporary files, then dies of `signal` as it would have
/// (`SA_RESETHAND` restored the default action).
extern "C" fn on_signal(signal: libc::c_int) {
    for slot in &PENDING {
        let raw = slot.swap(std::ptr::null_mut(), Ordering::SeqCst);
        if !raw.is_null() {
            // SAFETY: unlink is async-signal-safe; `raw` is a live NUL-terminated path (the
            // owner frees it only after taking it out of the slot, which this swap did).
            unsafe { libc::unlink(raw) };
        }
    }
    // SAFETY: raise is async-signal-safe.
    unsafe { libc::raise(signal) };
}

impl Output {
    pub fn open(path: Option<&Path>) -> Result<Output, String> {
        let Some(path) = path else {
            return Ok(Output::Stdout(BufWriter::new(io::stdout())));
        };
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        install_handlers();
        // An interrupt waits while the file is made and registered, so that none comes
        // between the two and leaves the file behind.
        let _blocked = BlockedInterrupts::new();
        let temp = tempfile::Builder::new()
            .prefix(".hyper-migrate-")
            .tempfile_in(dir)
            .map_err(|err| format!("{}: cannot create the output: {err}", path.display()))?;
        let pending = Pending::register(temp.path());
        Ok(Output::File {
            temp: BufWriter::new(temp),
            path: path.to_path_buf(),
            _pending: pending,
        })
    }

    /// Flushes, and moves a file output into place.
    pub fn finish(self) -> io::Result<()> {
        match self {
            Output::Stdout(mut out) => out.flush(),
            Output::File { temp, path, _pending } => {
                let temp = temp.into_inner().map_err(|err| err.into_error())?;
                // The temporary file is private (0600); a report is an ordinary output file.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    temp.as_file()
                        .set_permissions(std::fs::Permissions::from_mode(0o644))?;
                }
                temp.as_file().sync_all()?;
                temp.persist(&path).map_err(|err| err.error)?;
                // In place: nothing for an interrupt to remove any more.
                drop(_pending);
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(out) => out.write(buf),
            Output::File { temp, .. } => temp.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(out) => out.flush(),
            Output::File { temp, .. } => temp.flush(),
        }
    }
}
