//! Stage 4, write: output goes to a staging folder beside the output folder, which
//! replaces the output only when the whole build succeeded, in one atomic swap. A failed
//! or interrupted build leaves the previous output untouched and no staging folder
//! behind; the next build removes those that a killed one left.
//!
//! Whether a folder may be the output at all is [`crate::output`]'s decision.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::fsutil::{self, FsError};

/// Where rendered files go: a staging folder (builds) or a folder written in place (the
/// dev server's incremental rebuilds).
pub trait Sink: Sync {
    /// Writes `bytes` at `relative` (a `/`-separated path).
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), FsError>;
    /// Copies the file `from` to `relative`.
    fn copy(&self, relative: &str, from: &Path) -> Result<(), FsError>;
    /// Writes the file at `relative` with `produce`, streaming (for large files).
    fn write_with(
        &self,
        relative: &str,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), FsError>;
    /// Removes the file at `relative`, written by an earlier build into the same folder
    /// (a fresh folder has nothing to remove).
    fn remove(&self, _relative: &str) -> Result<(), FsError> {
        Ok(())
    }
}

/// Creates the file at `path` (and its folders) and streams `produce` into it.
fn stream(
    path: &Path,
    produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), FsError> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        fsutil::create_dir_all(parent)?;
    }
    let fail = |source| FsError {
        path: path.to_path_buf(),
        action: "write",
        source,
    };
    let file = std::fs::File::create(path).map_err(fail)?;
    let mut writer = std::io::BufWriter::with_capacity(1 << 16, file);
    produce(&mut writer).map_err(fail)?;
    writer.flush().map_err(fail)
}

/// Joins a `/`-separated relative path to `dir`, dropping empty, `.` and `..` parts.
fn join(dir: &Path, relative: &str) -> PathBuf {
    let mut path = dir.to_path_buf();
    for part in relative
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
    {
        path.push(part);
    }
    path
}

/// A folder written in place.
pub struct Folder(pub PathBuf);

impl Sink for Folder {
    /// Removes the file at `relative`, and the folders above it that this leaves empty
    /// (up to the output folder, which stays).
    fn remove(&self, relative: &str) -> Result<(), FsError> {
        let path = join(&self.0, relative);
        match std::fs::remove_file(&path) {
            Ok(()) => {
                let mut parent = path.parent();
                while let Some(folder) = parent.filter(|p| *p != self.0 && p.starts_with(&self.0)) {
                    // Only an empty folder can be removed; a folder with files stays.
                    if std::fs::remove_dir(folder).is_err() {
                        break;
                    }
                    parent = folder.parent();
                }
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(FsError {
                path,
                action: "remove",
                source,
            }),
        }
    }

    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), FsError> {
        fsutil::write(&join(&self.0, relative), bytes)
    }

    fn copy(&self, relative: &str, from: &Path) -> Result<(), FsError> {
        fsutil::copy(from, &join(&self.0, relative))
    }

    fn write_with(
        &self,
        relative: &str,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), FsError> {
        stream(&join(&self.0, relative), produce)
    }
}

impl Sink for Staging {
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), FsError> {
        Staging::write(self, relative, bytes)
    }

    fn copy(&self, relative: &str, from: &Path) -> Result<(), FsError> {
        Staging::copy(self, relative, from)
    }

    fn write_with(
        &self,
        relative: &str,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), FsError> {
        let path = self.path_of(relative);
        self.guard(&path, || stream(&path, produce))
    }
}

/// Another sink, with every path under a folder of it (a language's `fr/`).
pub struct Prefixed<'a> {
    /// Where the files go.
    pub inner: &'a dyn Sink,
    /// The folder, with its `/`: `fr/`.
    pub prefix: String,
}

impl Prefixed<'_> {
    fn path(&self, relative: &str) -> String {
        format!("{}{relative}", self.prefix)
    }
}

impl Sink for Prefixed<'_> {
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), FsError> {
        self.inner.write(&self.path(relative), bytes)
    }

    fn copy(&self, relative: &str, from: &Path) -> Result<(), FsError> {
        self.inner.copy(&self.path(relative), from)
    }

    fn write_with(
        &self,
        relative: &str,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), FsError> {
        self.inner.write_with(&self.path(relative), produce)
    }

    fn remove(&self, relative: &str) -> Result<(), FsError> {
        self.inner.remove(&self.path(relative))
    }
}

/// Where `check` renders: every file is produced and thrown away, and a file to copy need
/// only be readable.
pub struct Discard;

impl Sink for Discard {
    fn write(&self, _relative: &str, _bytes: &[u8]) -> Result<(), FsError> {
        Ok(())
    }

    fn copy(&self, _relative: &str, from: &Path) -> Result<(), FsError> {
        std::fs::File::open(from)
            .map(drop)
            .map_err(|source| FsError {
                path: from.to_path_buf(),
                action: "read",
                source,
            })
    }

    fn write_with(
        &self,
        relative: &str,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), FsError> {
        produce(&mut std::io::sink()).map_err(|source| FsError {
            path: PathBuf::from(relative),
            action: "write",
            source,
        })
    }
}

/// A staging folder beside the output that replaces it on [`Staging::commit`], and
/// disappears if dropped without it or if the build is interrupted (see
/// [`remove_active_staging`]).
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    committed: bool,
    /// The first write that failed; every later write is skipped, so a full disk gives
    /// one error, not one per file.
    failure: Mutex<Option<FsError>>,
    /// Folders this build made in the staging folder, which nothing else writes to: a
    /// file in one of them is written without asking the system to make it again.
    folders: Mutex<HashSet<PathBuf>>,
}

/// The staging folders of builds under way in this process, removed on a signal.
static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set once the process is being interrupted: no staging write starts after it.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

fn active() -> MutexGuard<'static, Vec<PathBuf>> {
    ACTIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Removes the staging folders of every build under way, for a process that is being
/// interrupted (Ctrl-C, SIGTERM): writes that start after this call are refused.
pub fn remove_active_staging() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    for dir in active().iter() {
        // Writes already under way may still create folders: try until it stays gone.
        for _ in 0..100 {
            match std::fs::remove_dir_all(dir) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                _ => break,
            }
        }
    }
}

/// The name of a staging folder of process `pid` for the output named `name`.
fn staging_name(name: &str, pid: u32) -> String {
    format!(".{name}.staging-{pid}")
}

/// The process that left the staging folder `file_name` for the output named `name`.
fn staging_pid(file_name: &str, name: &str) -> Option<u32> {
    file_name
        .strip_prefix('.')?
        .strip_prefix(name)?
        .strip_prefix(".staging-")?
        .parse()
        .ok()
}

/// Removes the staging folders that builds which no longer run left beside `output`
/// (after a SIGKILL or a power cut). Only folders named as briefly names them, and only
/// those of dead processes, are touched. Returns how many were removed.
pub fn remove_stale_staging(output: &Path) -> usize {
    let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
        return 0;
    };
    let name = name.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(parent) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let Some(pid) = staging_pid(&entry.file_name().to_string_lossy(), &name) else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir
            && pid != std::process::id()
            && !process_is_alive(pid)
            && std::fs::remove_dir_all(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// Whether process `pid` still runs (on systems without a cheap check: assumed so).
#[cfg(unix)]
pub fn process_is_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    // EPERM means it exists but is another user's.
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

/// Whether process `pid` still runs (on systems without a cheap check: assumed so).
#[cfg(not(unix))]
pub fn process_is_alive(_pid: u32) -> bool {
    // Without a cheap liveness check, a folder is assumed to belong to a live build.
    true
}

impl Staging {
    /// Creates an empty staging folder beside `output`.
    pub fn create(output: &Path) -> Result<Staging, FsError> {
        let name = output
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fsutil::create_dir_all(parent)?;
        let dir = parent.join(staging_name(&name, std::process::id()));
        fsutil::remove_dir_all(&dir)?;
        active().push(dir.clone());
        let staging = Staging {
            dir,
            output: output.to_path_buf(),
            committed: false,
            failure: Mutex::new(None),
            folders: Mutex::new(HashSet::new()),
        };
        fsutil::create_dir_all(&staging.dir)?;
        Ok(staging)
    }

    /// Writes `bytes` at `relative` (a `/`-separated path) inside the staging folder.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), FsError> {
        let path = self.path_of(relative);
        self.guard(&path, || {
            self.make_folder_of(&path)?;
            fsutil::write_file(&path, bytes)
        })
    }

    /// Copies the file `from` to `relative` inside the staging folder.
    pub fn copy(&self, relative: &str, from: &Path) -> Result<(), FsError> {
        let path = self.path_of(relative);
        self.guard(&path, || {
            self.make_folder_of(&path)?;
            fsutil::copy(from, &path)
        })
    }

    /// Makes the folder `path` is in, unless this build already did.
    fn make_folder_of(&self, path: &Path) -> Result<(), FsError> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        let lock = || self.folders.lock().unwrap_or_else(PoisonError::into_inner);
        if lock().contains(parent) {
            return Ok(());
        }
        fsutil::create_dir_all(parent)?;
        lock().insert(parent.to_path_buf());
        Ok(())
    }

    fn path_of(&self, relative: &str) -> PathBuf {
        join(&self.dir, relative)
    }

    /// Runs one write, unless an earlier one failed or the build is being interrupted;
    /// remembers the first failure.
    fn guard(
        &self,
        path: &Path,
        write: impl FnOnce() -> Result<(), FsError>,
    ) -> Result<(), FsError> {
        let skipped = |why: &str| FsError {
            path: path.to_path_buf(),
            action: "write",
            source: std::io::Error::other(why.to_string()),
        };
        if INTERRUPTED.load(Ordering::SeqCst) {
            return Err(skipped("the build was interrupted"));
        }
        if self.lock_failure().is_some() {
            return Err(skipped("skipped after an earlier write failed"));
        }
        write().inspect_err(|e| {
            let mut failure = self.lock_failure();
            if failure.is_none() {
                *failure = Some(FsError {
                    path: e.path.clone(),
                    action: e.action,
                    source: std::io::Error::new(e.source.kind(), e.source.to_string()),
                });
            }
        })
    }

    fn lock_failure(&self) -> MutexGuard<'_, Option<FsError>> {
        self.failure.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The first write that failed, if one did: the cause of every later failure.
    pub fn take_failure(&self) -> Option<FsError> {
        self.lock_failure().take()
    }

    /// Replaces the output folder with the staging folder, in one atomic step where the
    /// system allows it, so that there is never a moment without an output.
    pub fn commit(mut self) -> Result<(), FsError> {
        if std::fs::symlink_metadata(&self.output).is_ok() {
            exchange(&self.dir, &self.output)?;
            // The staging path now holds the previous output. Should removing it fail, the
            // next build removes it as a stale staging folder.
            self.committed = true;
            let _ = fsutil::remove_dir_all(&self.dir);
        } else {
            fsutil::rename(&self.dir, &self.output)?;
            self.committed = true;
        }
        Ok(())
    }
}

/// Swaps the folders `a` and `b`: atomically on Linux (`renameat2` with
/// `RENAME_EXCHANGE`), else, or where the file system cannot, with two renames.
fn exchange(a: &Path, b: &Path) -> Result<(), FsError> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => {
                return Err(FsError {
                    path: b.to_path_buf(),
                    action: "replace",
                    source: e.into(),
                })
            }
        }
    }
    let aside = a.with_extension("swap");
    fsutil::rename(b, &aside)?;
    if let Err(e) = fsutil::rename(a, b) {
        let _ = fsutil::rename(&aside, b);
        return Err(e);
    }
    fsutil::rename(&aside, a)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fsutil::remove_dir_all(&self.dir);
        }
        active().retain(|d| *d != self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("old.txt"), "old").unwrap();

        let staging = Staging::create(&out).unwrap();
        staging.write("a/index.html", b"new").unwrap();
        drop(staging);
        assert!(out.join("old.txt").exists());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);

        let staging = Staging::create(&out).unwrap();
        staging.write("a/index.html", b"new").unwrap();
        staging.commit().unwrap();
        assert!(!out.join("old.txt").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "new"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
