//! Opening an input by path: regular files are memory-mapped, with the analyzer's page hints
//! applied so that a whole-file pass does not leave the whole file resident; anything else that
//! can be read (a pipe, a file on a filesystem that cannot map) is read into memory. The CLI and
//! the Python binding both open their inputs here.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use crate::pager::{self, Pager};
use crate::report::{self, Options, Report};
use memmap2::{Mmap, UncheckedAdvice};

/// A read-only mapping of an input file.
struct Mapped {
    map: Mmap,
}

impl Pager for Mapped {
    fn done_with(&self, bytes: &[u8]) {
        let base = self.map.as_ptr() as usize;
        let start = bytes.as_ptr() as usize;
        // Bytes outside the mapping (inflated entries on the heap) are not ours to drop.
        let Some(offset) = start.checked_sub(base) else {
            return;
        };
        if offset.saturating_add(bytes.len()) > self.map.len() {
            return;
        }
        // SAFETY: `MADV_DONTNEED` on a read-only `MAP_SHARED` file mapping only drops the page
        // table entries: the next access faults the same bytes back in from the page cache or
        // the file, so every `&[u8]` into the mapping keeps reading identical contents (as long
        // as no one rewrites the file underneath, the premise of mapping it at all; see
        // `map_file`). The range lies inside the mapping (checked above); memmap2 rounds its
        // start down to a page boundary, which stays inside the mapping too.
        let result = unsafe {
            self.map
                .unchecked_advise_range(UncheckedAdvice::DontNeed, offset, bytes.len())
        };
        // A refused hint only costs memory.
        let _ = result;
    }
}

/// Analyzes the file at `path`, named by its path in the report.
pub fn analyze_path(path: &Path, options: &Options<'_>) -> Report {
    analyze_path_named(path, &path.display().to_string(), options)
}

/// Analyzes the file at `path`, named `name` in the report.
pub fn analyze_path_named(path: &Path, name: &str, options: &Options<'_>) -> Report {
    match Input::open(path) {
        Ok(input) => input.scoped(|data| report::analyze_with(name, data, options)),
        Err(err) => report::unreadable(name, err.to_string()),
    }
}

/// An input opened by path: a regular file is mapped, with page hints that let whole-file
/// passes drop what they are done with; anything else is read into memory.
pub struct Input {
    data: InputData,
}

enum InputData {
    Mapped(Arc<Mapped>),
    Read(Vec<u8>),
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.data {
            InputData::Mapped(_) => "mapped",
            InputData::Read(_) => "read",
        };
        f.debug_struct("Input")
            .field("kind", &kind)
            .field("len", &self.bytes().len())
            .finish()
    }
}

/// The most read from a pipe, FIFO or socket (which cannot be mapped): 4 GiB, the largest
/// zip without ZIP64, and more than any APK store accepts.
pub const MAX_STREAMED: u64 = 4 << 30;

impl Input {
    /// Opens `path`; a directory, a device, or a file that cannot be read, is an error. A FIFO
    /// is read once its writer comes (as `cat` reads one); a pipe is read up to
    /// [`MAX_STREAMED`] bytes.
    pub fn open(path: &Path) -> std::io::Result<Input> {
        use std::os::unix::fs::FileTypeExt;
        // Judged before opening: opening a device can itself act (a terminal, a tape).
        let kind = std::fs::metadata(path)?.file_type();
        if kind.is_dir() {
            return Err(std::io::Error::other("is a directory"));
        }
        if kind.is_char_device() || kind.is_block_device() {
            // /dev/zero would be read for ever, a disk whole, a terminal until end of input.
            return Err(std::io::Error::other("is a device, not a file"));
        }
        let mut file = File::open(path)?;
        let metadata = file.metadata()?;
        if metadata.is_dir()
            || metadata.file_type().is_char_device()
            || metadata.file_type().is_block_device()
        {
            // Swapped for another file since the check above.
            return Err(std::io::Error::other("is not a file"));
        }
        if metadata.is_file() && metadata.len() > 0 {
            // Some filesystems cannot map: then the file is read instead.
            if let Ok(map) = map_file(&file) {
                return Ok(Input {
                    data: InputData::Mapped(Arc::new(Mapped { map })),
                });
            }
        }
        // Read from the file already opened, not the path again: a pipe yields its data once,
        // and the path may name another file by now.
        let mut data = Vec::new();
        (&mut file).take(MAX_STREAMED + 1).read_to_end(&mut data)?;
        if data.len() as u64 > MAX_STREAMED {
            return Err(std::io::Error::other(format!(
                "more than {} GiB to read, the most an input can be",
                MAX_STREAMED >> 30
            )));
        }
        Ok(Input {
            data: InputData::Read(data),
        })
    }

    pub fn bytes(&self) -> &[u8] {
        match &self.data {
            InputData::Mapped(mapped) => &mapped.map,
            InputData::Read(data) => data,
        }
    }

    /// Runs `f` on the bytes with this input's page hints receiving the thread's
    /// [`pager::done_with`] calls.
    pub fn scoped<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match &self.data {
            InputData::Mapped(mapped) => {
                let pager: Arc<dyn Pager> = mapped.clone();
                pager::scoped(pager, || f(&mapped.map))
            }
            InputData::Read(data) => f(data),
        }
    }
}

fn map_file(file: &File) -> std::io::Result<Mmap> {
    // SAFETY: the mapping is read-only and lives no longer than the analysis of this file.
    // Another process truncating or rewriting the input while it is analysed would change the
    // bytes under us (or raise SIGBUS); like other mapping tools (ripgrep, git) we accept that
    // for inputs given on the command line, which are packages at rest, and say so in the docs.
    unsafe { Mmap::map(file) }
}
