//! Turning command-line paths into the list of files to read.

use std::fmt;
use std::path::{Path, PathBuf};

/// A path that could not be listed.
#[derive(Debug)]
pub struct InputError {
    path: PathBuf,
    reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

/// Files are taken as given; directories are searched recursively for the kinds of file the
/// analyzer reads (by extension, see [`ANALYZED`]), in sorted order so output is stable,
/// skipping hidden entries (build trees such as `.work/`). A path that does not exist, and a
/// directory holding no such file, stay in the list as they are: opening them fails, and that
/// input's report says why while the others are analysed.
pub fn expand(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut files = Vec::new();
    for input in inputs {
        if std::fs::metadata(input).is_ok_and(|meta| meta.is_dir()) {
            let start = files.len();
            collect(input, &mut files)?;
            if files.len() == start {
                files.push(input.clone());
            }
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

/// Extensions searched for in directories.
pub const ANALYZED: [&str; 7] = ["apk", "apks", "xapk", "aar", "jar", "dex", "so"];

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), InputError> {
    let error = |err: std::io::Error| InputError {
        path: dir.to_path_buf(),
        reason: err.to_string(),
    };
    let mut children: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(error)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(error)?;
    children.sort();
    for child in children {
        if child
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        if child.is_dir() {
            collect(&child, files)?;
        } else if child
            .extension()
            .is_some_and(|ext| ANALYZED.iter().any(|known| ext.eq_ignore_ascii_case(known)))
        {
            files.push(child);
        }
    }
    Ok(())
}
