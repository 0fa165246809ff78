//! Theme assets: the built-in CSS and icons compiled into the binary, overridden (or added
//! to) path by path by the site's own `theme/` folder. They are written at the output root.

use std::path::Path;

use crate::sitefs::SiteRoot;

use super::Site;
use crate::diagnostics::{relative_path, Diagnostic};
use crate::write::Sink;

/// The built-in theme files, by path.
pub const BUILTIN: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../theme/style.css")),
    ("syntax.css", include_bytes!("../../theme/syntax.css")),
    ("favicon.svg", include_bytes!("../../theme/favicon.svg")),
];

/// The site's own theme files: `(path under theme/, file on disk)`, sorted. Links that
/// leave the site and special files are left out (the content walk reports them).
pub fn site_files(root: &Path) -> Vec<(String, std::path::PathBuf)> {
    let dir = root.join("theme");
    SiteRoot::new(root)
        .walk(&dir)
        .files
        .into_iter()
        .filter(|path| {
            !crate::load::is_ignored_name(&path.file_name().unwrap_or_default().to_string_lossy())
        })
        .map(|path| (relative_path(&dir, &path), path))
        .collect()
}

/// Problems with the site's own theme files: links that leave the site, special files.
pub fn problems(root: &Path) -> Vec<Diagnostic> {
    let walk = SiteRoot::new(root).walk(&root.join("theme"));
    walk.problems.iter().map(|p| p.diagnostic(root)).collect()
}

/// Writes the theme; returns how many files.
pub fn write<S: Sink>(site: &Site, staging: &S) -> Result<usize, Diagnostic> {
    let own = site_files(site.root);
    let mut count = 0;
    for (path, bytes) in BUILTIN {
        if own.iter().any(|(p, _)| p == path) {
            continue;
        }
        staging
            .write(path, bytes)
            .map_err(|e| Diagnostic::file_error(format!("theme/{path}"), e.to_string()))?;
        count += 1;
    }
    for (path, disk) in &own {
        staging
            .copy(path, disk)
            .map_err(|e| Diagnostic::file_error(format!("theme/{path}"), e.to_string()))?;
        count += 1;
    }
    Ok(count)
}
