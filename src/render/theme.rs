//! Theme assets: the built-in CSS and icons compiled into the binary, overridden (or added
//! to) path by path by the site's own `theme/` folder. They are written at the output root.

use std::path::Path;

use crate::sitefs::SiteRoot;

use crate::diagnostics::{relative_path, Diagnostic};

/// The built-in theme files, by path.
pub const BUILTIN: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../theme/style.css")),
    ("syntax.css", include_bytes!("../../theme/syntax.css")),
    ("favicon.svg", include_bytes!("../../theme/favicon.svg")),
    ("cite.js", include_bytes!("../../theme/cite.js")),
    (SEARCH_JS, include_bytes!("../../theme/search.js")),
];

/// The search client, written only for a site with `search` on.
pub const SEARCH_JS: &str = "search.js";

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

/// The theme files of the output, `(path, bytes)`, sorted by path: the built-in ones the
/// site does not override (the search client only with `search`) and the site's own. A
/// site file that cannot be read is an error.
pub fn outputs(root: &Path, search: bool) -> (Vec<(String, Vec<u8>)>, Vec<Diagnostic>) {
    let own = site_files(root);
    let mut files: Vec<(String, Vec<u8>)> = BUILTIN
        .iter()
        .filter(|(path, _)| search || *path != SEARCH_JS)
        .filter(|(path, _)| !own.iter().any(|(p, _)| p == path))
        .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
        .collect();
    let mut errors = Vec::new();
    for (path, disk) in own {
        match crate::sitefs::read_regular(&disk) {
            Ok(bytes) => files.push((path, bytes)),
            Err(problem) => errors.push(problem.diagnostic(root)),
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    (files, errors)
}
