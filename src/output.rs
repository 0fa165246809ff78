//! The output folder: whether a build may replace it.
//!
//! A build writes only into an output folder that is missing, empty, or marked as
//! briefly's own earlier output by the [`MARKER`] file. `--force` lets it replace any
//! other folder, except those that are never replaced: the site and every folder above
//! it, `content/`, `templates/` and `theme/` and anything inside them, the home folder and
//! the folders above it, and the root of any file system. A file is never an output, and
//! a symlinked output folder is written through: its target is replaced, the link stays.

use std::ffi::OsString;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The file that marks a folder as briefly's output. It is written into every build.
pub const MARKER: &str = ".briefly-output";

/// The marker file's text.
pub const MARKER_TEXT: &str = "This folder is the output of `briefly build`, which replaces \
it whole on the next build. Do not keep anything else here.\n";

/// How many foreign entries an error shows.
const SHOWN_ENTRIES: usize = 5;

/// Where the build may put its output: the real folder to replace (a symlink's target,
/// for a symlinked output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved(pub PathBuf);

/// Decides whether the output folder `output` of the site at `root` may be written, and
/// returns the real folder to replace. `force` allows replacing a folder that briefly did
/// not write, but never a protected one.
pub fn approve(root: &Path, output: &Path, force: bool) -> Result<Approved, Diagnostic> {
    let shown = output.display().to_string();
    let real = real_path(output).map_err(|message| refuse(&shown, message))?;
    if let Some(reason) = protected(root, &real) {
        return Err(refuse(
            &shown,
            format!("it is {reason}, which briefly never replaces"),
        )
        .hint("choose a folder of its own for the output, such as public/ inside the site"));
    }
    if !force {
        let foreign = foreign_entries(&real).map_err(|message| refuse(&shown, message))?;
        if !foreign.is_empty() {
            return Err(refuse(
                &shown,
                format!(
                    "it holds files that briefly did not write: {}",
                    list(&foreign)
                ),
            )
            .hint(
                "briefly writes only into a folder that is missing, empty or its own earlier \
                 output; choose another --output, or pass --force to replace this folder and \
                 everything in it",
            ));
        }
    }
    Ok(Approved(real))
}

fn refuse(shown: &str, message: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::file_error(
        shown,
        format!("refusing to write the output here: {message}"),
    )
}

/// The folder that would really be replaced: the output itself, or the target of a
/// symlinked output, with every link above it resolved.
fn real_path(output: &Path) -> Result<PathBuf, String> {
    let absolute = std::path::absolute(output).map_err(|e| format!("{e}"))?;
    match fs::symlink_metadata(&absolute) {
        Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(&absolute) {
            Ok(target) if target.is_dir() => Ok(target),
            Ok(target) => Err(format!(
                "it is a symlink to {}, which is not a folder",
                target.display()
            )),
            Err(_) => Err("it is a symlink that leads nowhere".into()),
        },
        Ok(meta) if meta.is_dir() => fs::canonicalize(&absolute).map_err(|e| e.to_string()),
        Ok(_) => Err("it is a file, not a folder (the file was left as it is)".into()),
        Err(_) => missing_path(&absolute),
    }
}

/// A path that does not exist yet: its nearest existing ancestor, resolved, and the rest.
fn missing_path(absolute: &Path) -> Result<PathBuf, String> {
    let mut rest: Vec<OsString> = Vec::new();
    let mut existing = absolute;
    while fs::symlink_metadata(existing).is_err() {
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(Component::Normal(name))) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Err("its path cannot be resolved".into()),
        }
    }
    let mut real = fs::canonicalize(existing).map_err(|e| e.to_string())?;
    if !real.is_dir() {
        return Err(format!("{} is a file, not a folder", existing.display()));
    }
    for name in rest.into_iter().rev() {
        if name == ".." {
            return Err("its path climbs out of a folder that does not exist".into());
        }
        real.push(name);
    }
    Ok(real)
}

/// Why `real` may never be replaced, if it may not.
fn protected(root: &Path, real: &Path) -> Option<&'static str> {
    let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if root.starts_with(real) {
        return Some("the site folder or a folder above it");
    }
    for sources in ["content", "templates", "theme"] {
        let dir = root.join(sources);
        let dir = fs::canonicalize(&dir).unwrap_or(dir);
        if real.starts_with(&dir) {
            return Some("one of the site's source folders (content/, templates/, theme/)");
        }
    }
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"));
    if let Some(home) = home.filter(|h| !h.is_empty()).map(PathBuf::from) {
        let home = fs::canonicalize(&home).unwrap_or(home);
        if home.starts_with(real) {
            return Some("your home folder or a folder above it");
        }
    }
    if is_file_system_root(real) {
        return Some("the root of a file system");
    }
    None
}

/// `/`, a drive root, or a mount point.
fn is_file_system_root(real: &Path) -> bool {
    let Some(parent) = real.parent() else {
        return true;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(here), Ok(above)) = (fs::metadata(real), fs::metadata(parent)) {
            return here.dev() != above.dev();
        }
    }
    let _ = parent;
    false
}

/// The entries of `real` that show it is not briefly's: none if it is missing, empty or
/// carries the marker; else the first few names, sorted (folders end in `/`).
fn foreign_entries(real: &Path) -> Result<Vec<String>, String> {
    let entries = match fs::read_dir(real) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("its entries could not be read: {e}")),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("its entries could not be read: {e}"))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == MARKER && entry.file_type().is_ok_and(|t| t.is_file()) {
            return Ok(Vec::new());
        }
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        names.push(if is_dir { format!("{name}/") } else { name });
    }
    names.sort();
    Ok(names)
}

fn list(names: &[String]) -> String {
    let shown: Vec<&str> = names
        .iter()
        .take(SHOWN_ENTRIES)
        .map(String::as_str)
        .collect();
    let more = names.len().saturating_sub(SHOWN_ENTRIES);
    if more > 0 {
        format!("{} (and {more} more)", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        (tmp, root)
    }

    #[test]
    fn missing_empty_and_marked_folders_are_approved() {
        let (tmp, root) = site();
        let missing = root.join("public/deeper");
        assert!(approve(&root, &missing, false).is_ok());
        let empty = tmp.path().join("empty");
        fs::create_dir(&empty).unwrap();
        assert!(approve(&root, &empty, false).is_ok());
        let ours = tmp.path().join("ours");
        fs::create_dir(&ours).unwrap();
        fs::write(ours.join("index.html"), "x").unwrap();
        fs::write(ours.join(MARKER), MARKER_TEXT).unwrap();
        assert!(approve(&root, &ours, false).is_ok());
    }

    #[test]
    fn a_folder_of_someone_elses_needs_force_and_names_its_entries() {
        let (tmp, root) = site();
        let theirs = tmp.path().join("theirs");
        fs::create_dir_all(theirs.join("sub")).unwrap();
        for name in ["thesis.docx", "a", "b", "c", "d"] {
            fs::write(theirs.join(name), "x").unwrap();
        }
        let error = approve(&root, &theirs, false).unwrap_err();
        assert!(
            error
                .message
                .ends_with("did not write: a, b, c, d, sub/ (and 1 more)"),
            "{}",
            error.message
        );
        assert!(error.hint.unwrap().contains("--force"));
        assert!(approve(&root, &theirs, true).is_ok());
    }

    #[test]
    fn protected_folders_are_refused_even_with_force() {
        let (tmp, root) = site();
        for out in [
            root.clone(),
            tmp.path().to_path_buf(),
            root.join("content"),
            root.join("content/briefs/new"),
            root.join("templates"),
        ] {
            assert!(approve(&root, &out, true).is_err(), "{}", out.display());
        }
        let file = tmp.path().join("file.txt");
        fs::write(&file, "keep").unwrap();
        let error = approve(&root, &file, true).unwrap_err();
        assert!(error.message.contains("is a file"), "{}", error.message);
    }

    #[test]
    fn the_root_of_the_file_system_is_a_file_system_root() {
        // Only the predicate is asked: nothing is built there.
        assert!(is_file_system_root(Path::new("/")));
        let tmp = tempfile::tempdir().unwrap();
        assert!(!is_file_system_root(tmp.path()));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_output_is_approved_as_its_target() {
        let (tmp, root) = site();
        let target = tmp.path().join("target");
        fs::create_dir(&target).unwrap();
        let link = root.join("public");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let Approved(real) = approve(&root, &link, false).unwrap();
        assert_eq!(real, target.canonicalize().unwrap());
        std::os::unix::fs::symlink(tmp.path().join("nowhere"), root.join("dangling")).unwrap();
        assert!(approve(&root, &root.join("dangling"), true).is_err());
    }
}
