//! What the benchmark examples share: copying a corpus to a temporary folder and finding
//! its briefs.

use std::path::{Path, PathBuf};

/// Copies the site at `from` to `to`, without its `public/` output.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).expect("inside");
        if rel.starts_with("public") {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every brief file of the site at `site` but translations, sorted.
pub fn brief_files(site: &Path) -> Vec<PathBuf> {
    // A translation (`name.fr.md`) is served under its language's folder: left out, so
    // that every brief edited is at the URL its slug gives.
    let translated = |p: &Path| {
        p.file_stem()
            .and_then(|stem| Path::new(stem).extension())
            .is_some_and(|lang| lang.len() == 2)
    };
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content/briefs"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| !translated(e.path()))
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    files
}
