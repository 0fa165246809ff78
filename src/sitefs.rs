//! Reading the site's own files, and only those. Walks and reads stay inside the site
//! root: a symlink whose target lies outside it is refused and reported, never followed,
//! and devices, FIFOs, sockets and other special files are never opened.
//!
//! Every walk of `content/`, `templates/` and `theme/`, and every read of a source file,
//! goes through here, so the rule cannot be forgotten in one place.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{relative_path, Diagnostic, Severity};

/// Why a path under the site was not read.
#[derive(Debug)]
pub enum Problem {
    /// A symlink (or a path through one) whose target lies outside the site root.
    Escapes {
        /// The path as found in the site.
        path: PathBuf,
        /// Where it leads.
        target: PathBuf,
    },
    /// A FIFO, device, socket or other file that is neither a regular file nor a folder.
    Special {
        /// The path as found in the site.
        path: PathBuf,
    },
    /// The path could not be read: a broken link, a loop, no permission…
    Unreadable {
        /// The path as found in the site.
        path: PathBuf,
        /// The underlying error.
        error: io::Error,
    },
}

impl Problem {
    /// The path in the site that the problem concerns.
    pub fn path(&self) -> &Path {
        match self {
            Problem::Escapes { path, .. }
            | Problem::Special { path }
            | Problem::Unreadable { path, .. } => path,
        }
    }

    /// Whether the build can go on without the file (it is skipped with a warning).
    pub fn is_warning(&self) -> bool {
        matches!(self, Problem::Special { .. })
    }

    /// What is wrong, in words, without the path.
    pub fn message(&self) -> String {
        match self {
            Problem::Escapes { target, .. } => format!(
                "this is a symlink to {}, outside the site folder: briefly reads nothing outside the site",
                target.display()
            ),
            Problem::Special { .. } => {
                "this is not a regular file (a FIFO, device or socket), so it was not read".into()
            }
            Problem::Unreadable { error, .. } => format!("could not read: {error}"),
        }
    }

    /// The problem as a diagnostic on its path relative to the site `root`: an error, or
    /// a warning for a special file (which is skipped).
    pub fn diagnostic(&self, root: &Path) -> Diagnostic {
        let mut diagnostic =
            Diagnostic::file_error(relative_path(root, self.path()), self.message());
        if self.is_warning() {
            diagnostic.severity = Severity::Warning;
        }
        diagnostic.hint(self.hint())
    }

    /// What would fix it.
    pub fn hint(&self) -> &'static str {
        match self {
            Problem::Escapes { .. } => {
                "copy the file into the site, or move the link's target inside the site folder"
            }
            Problem::Special { .. } => "remove it, or replace it with a regular file",
            Problem::Unreadable { .. } => "check that the file exists and can be read",
        }
    }
}

/// What a walk found: regular files inside the site, sorted by path, and the problems.
#[derive(Debug, Default)]
pub struct Walk {
    /// Regular files, by the path they were found at (links kept as links).
    pub files: Vec<PathBuf>,
    /// Paths that were not read.
    pub problems: Vec<Problem>,
}

/// The site root, canonical, for checking where paths lead.
#[derive(Debug, Clone)]
pub struct SiteRoot {
    canonical: PathBuf,
}

impl SiteRoot {
    /// The root at `root` (canonicalised; a root that cannot be is used as given).
    pub fn new(root: &Path) -> SiteRoot {
        SiteRoot {
            canonical: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// Checks that `path` (found in the site) leads to a place inside the root.
    pub fn check(&self, path: &Path) -> Result<PathBuf, Problem> {
        let target = path.canonicalize().map_err(|error| Problem::Unreadable {
            path: path.to_path_buf(),
            error,
        })?;
        if target.starts_with(&self.canonical) {
            Ok(target)
        } else {
            Err(Problem::Escapes {
                path: path.to_path_buf(),
                target,
            })
        }
    }

    /// Walks the folder `dir`, following only links that stay inside the root. A missing
    /// folder gives an empty walk.
    pub fn walk(&self, dir: &Path) -> Walk {
        let mut walk = Walk::default();
        if fs::symlink_metadata(dir).is_err() {
            return walk;
        }
        if let Err(problem) = self.check(dir) {
            walk.problems.push(problem);
            return walk;
        }
        let mut escapes = Vec::new();
        let entries = WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if !e.path_is_symlink() {
                    return true;
                }
                match self.check(e.path()) {
                    Ok(_) => true,
                    Err(problem) => {
                        escapes.push(problem);
                        false
                    }
                }
            });
        for entry in entries {
            match entry {
                Ok(e) if e.file_type().is_file() => walk.files.push(e.into_path()),
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => walk.problems.push(Problem::Special {
                    path: e.into_path(),
                }),
                Err(e) => {
                    let path = e.path().unwrap_or(dir).to_path_buf();
                    let error = e.into_io_error().unwrap_or_else(|| {
                        io::Error::other("a symlink loops back to a folder above it")
                    });
                    walk.problems.push(Problem::Unreadable { path, error });
                }
            }
        }
        walk.problems.extend(escapes);
        walk.problems.sort_by(|a, b| a.path().cmp(b.path()));
        walk
    }

    /// Reads the regular file at `path`, which must lead to a place inside the root.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, Problem> {
        read_regular(&self.check(path)?).map_err(|problem| match problem {
            Problem::Special { .. } => Problem::Special {
                path: path.to_path_buf(),
            },
            Problem::Unreadable { error, .. } => Problem::Unreadable {
                path: path.to_path_buf(),
                error,
            },
            escapes @ Problem::Escapes { .. } => escapes,
        })
    }
}

/// Reads the regular file at `path`, a path that a [`SiteRoot::walk`] found (and so
/// already checked); anything but a regular file is refused unopened.
pub fn read_regular(path: &Path) -> Result<Vec<u8>, Problem> {
    let unreadable = |error| Problem::Unreadable {
        path: path.to_path_buf(),
        error,
    };
    let special = || Problem::Special {
        path: path.to_path_buf(),
    };
    // Look before opening: opening a FIFO would wait for a writer.
    if !fs::metadata(path).map_err(unreadable)?.is_file() {
        return Err(special());
    }
    let file = open_nonblocking(path).map_err(unreadable)?;
    let metadata = file.metadata().map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(special());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    (&file).read_to_end(&mut bytes).map_err(unreadable)?;
    Ok(bytes)
}

/// Opens a file for reading without waiting, should it have turned into a FIFO since it
/// was looked at.
fn open_nonblocking(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    options.open(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let outside = tmp.path().join("outside");
        fs::create_dir_all(root.join("content/briefs")).unwrap();
        fs::create_dir_all(root.join("shared")).unwrap();
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("secret.md"), "secret").unwrap();
        fs::write(root.join("shared/inside.md"), "inside").unwrap();
        fs::write(root.join("content/briefs/a.md"), "a").unwrap();
        (tmp, root, outside)
    }

    #[test]
    fn links_inside_are_followed_and_links_outside_refused() {
        let (_tmp, root, outside) = site();
        let briefs = root.join("content/briefs");
        symlink(root.join("shared/inside.md"), briefs.join("b.md")).unwrap();
        symlink(root.join("shared"), briefs.join("shared")).unwrap();
        symlink(&outside, briefs.join("out")).unwrap();
        symlink(outside.join("secret.md"), briefs.join("c.md")).unwrap();
        let site = SiteRoot::new(&root);
        let walk = site.walk(&root.join("content"));
        let names: Vec<String> = walk
            .files
            .iter()
            .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "content/briefs/a.md",
                "content/briefs/b.md",
                "content/briefs/shared/inside.md"
            ]
        );
        let refused: Vec<&Path> = walk.problems.iter().map(Problem::path).collect();
        assert_eq!(refused, [briefs.join("c.md"), briefs.join("out")]);
        assert!(walk
            .problems
            .iter()
            .all(|p| matches!(p, Problem::Escapes { .. })));
        assert!(matches!(
            site.read(&briefs.join("c.md")),
            Err(Problem::Escapes { .. })
        ));
        assert_eq!(site.read(&briefs.join("b.md")).unwrap(), b"inside");
    }

    #[test]
    fn a_linked_folder_that_leaves_the_site_is_refused_whole() {
        let (_tmp, root, outside) = site();
        fs::remove_dir_all(root.join("content")).unwrap();
        symlink(&outside, root.join("content")).unwrap();
        let walk = SiteRoot::new(&root).walk(&root.join("content"));
        assert!(walk.files.is_empty());
        assert!(matches!(walk.problems[..], [Problem::Escapes { .. }]));
    }

    #[test]
    fn special_files_are_never_read() {
        let (_tmp, root, _) = site();
        let fifo = root.join("content/briefs/pipe.md");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let site = SiteRoot::new(&root);
        let walk = site.walk(&root.join("content"));
        assert_eq!(walk.files.len(), 1);
        assert!(matches!(walk.problems[..], [Problem::Special { .. }]));
        assert!(matches!(site.read(&fifo), Err(Problem::Special { .. })));
    }
}
