//! Writing, copying, renaming and removing files and folders: every error names the path
//! it concerns. Reading the site's own files is the work of the `sitefs` module.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// An I/O failure together with the path it happened on.
#[derive(Debug)]
pub struct FsError {
    /// The path that could not be read or written.
    pub path: PathBuf,
    /// What was being done.
    pub action: &'static str,
    /// The underlying error.
    pub source: io::Error,
}

impl std::fmt::Display for FsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "could not {} {}: {}",
            self.action,
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for FsError {}

fn wrap<T>(action: &'static str, path: &Path, r: io::Result<T>) -> Result<T, FsError> {
    r.map_err(|source| FsError {
        path: path.to_path_buf(),
        action,
        source,
    })
}

/// Writes a file, creating its parent folders.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    write_file(path, bytes)
}

/// Writes a file whose folder exists.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    wrap("write", path, fs::write(path, bytes))
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<(), FsError> {
    wrap("create folder", path, fs::create_dir_all(path))
}

/// Copies a file, creating the destination's parent folders.
pub fn copy(from: &Path, to: &Path) -> Result<(), FsError> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    wrap("copy", from, fs::copy(from, to).map(|_| ()))
}

/// Renames a file or folder.
pub fn rename(from: &Path, to: &Path) -> Result<(), FsError> {
    wrap("rename", from, fs::rename(from, to))
}

/// Removes a folder and everything in it; a missing folder is not an error.
pub fn remove_dir_all(path: &Path) -> Result<(), FsError> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        r => wrap("remove", path, r),
    }
}
