//! Stage 4, write: output goes to a staging folder beside the output folder, which
//! replaces the output only when the whole build succeeded. A failed build leaves the
//! previous output untouched and no staging folder behind.

use std::path::{Path, PathBuf};

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

impl Folder {
    /// Removes the file at `relative`, and its folder if that is left empty.
    pub fn remove(&self, relative: &str) -> Result<(), FsError> {
        let path = join(&self.0, relative);
        match std::fs::remove_file(&path) {
            Ok(()) => {
                if let Some(parent) = path.parent().filter(|p| *p != self.0) {
                    let _ = std::fs::remove_dir(parent);
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
}

impl Sink for Folder {
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
        stream(&self.path_of(relative), produce)
    }
}

/// A staging folder that becomes the output on [`Staging::commit`], and disappears if
/// dropped without it.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    committed: bool,
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
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        fsutil::remove_dir_all(&dir)?;
        fsutil::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            committed: false,
        })
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `relative` (a `/`-separated path) inside the staging folder.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), FsError> {
        fsutil::write(&self.path_of(relative), bytes)
    }

    /// Copies the file `from` to `relative` inside the staging folder.
    pub fn copy(&self, relative: &str, from: &Path) -> Result<(), FsError> {
        fsutil::copy(from, &self.path_of(relative))
    }

    fn path_of(&self, relative: &str) -> PathBuf {
        join(&self.dir, relative)
    }

    /// Replaces the output folder with the staging folder.
    pub fn commit(mut self) -> Result<(), FsError> {
        let old = self.dir.with_file_name(format!(
            ".{}.old-{}",
            self.output
                .file_name()
                .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        let had_output = self.output.exists();
        if had_output {
            fsutil::rename(&self.output, &old)?;
        }
        if let Err(e) = fsutil::rename(&self.dir, &self.output) {
            if had_output {
                let _ = fsutil::rename(&old, &self.output);
            }
            return Err(e);
        }
        self.committed = true;
        if had_output {
            fsutil::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fsutil::remove_dir_all(&self.dir);
        }
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
