//! File watching for `briefly serve`: watches `content/`, `templates/`, `theme/` and
//! `site.yaml` (debounced by notify-debouncer-mini), drops what is not a source of the site
//! (editor artefacts, hidden files, the output), and hands out one batch of changed paths
//! per burst of saves.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};

use crate::diagnostics::relative_path;

/// How long a path must be quiet before its change is reported.
const DEBOUNCE: Duration = Duration::from_millis(100);
/// After a batch, how long to wait for more before rebuilding: saves of several files in
/// one burst (a search-and-replace, a `git checkout`) become one rebuild.
const SETTLE: Duration = Duration::from_millis(60);
/// A burst never postpones a rebuild longer than this.
const MAX_WAIT: Duration = Duration::from_secs(2);

/// The folders of a site that are watched, recursively.
const SOURCE_DIRS: [&str; 3] = ["content", "templates", "theme"];

/// Watches a site's sources.
pub struct Watch {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher>,
    batches: Receiver<Vec<PathBuf>>,
    watched: BTreeSet<PathBuf>,
}

impl Watch {
    /// Starts watching `root` (an absolute, canonical path).
    pub fn start(root: &Path) -> Result<Watch, String> {
        let (tx, batches) = mpsc::channel();
        let debouncer = new_debouncer(DEBOUNCE, move |result: DebounceEventResult| match result {
            Ok(events) => {
                let paths = events.into_iter().map(|e| e.path).collect();
                let _ = tx.send(paths);
            }
            Err(e) => eprintln!("warning: watching files: {e}"),
        })
        .map_err(|e| format!("could not watch {}: {e}", root.display()))?;
        let mut watch = Watch {
            root: root.to_path_buf(),
            debouncer,
            batches,
            watched: BTreeSet::new(),
        };
        // The root itself, not recursively: `site.yaml`, and the source folders appearing.
        watch
            .debouncer
            .watcher()
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("could not watch {}: {e}", root.display()))?;
        watch.refresh();
        Ok(watch)
    }

    /// Blocks until sources change; returns the changed paths relative to the root, sorted.
    /// `None` when watching stopped.
    pub fn next_batch(&mut self) -> Option<Vec<String>> {
        loop {
            let first = self.batches.recv().ok()?;
            let started = Instant::now();
            let mut changed = BTreeSet::new();
            self.collect(first, &mut changed);
            while started.elapsed() < MAX_WAIT {
                match self.batches.recv_timeout(SETTLE) {
                    Ok(more) => self.collect(more, &mut changed),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
            self.refresh();
            if !changed.is_empty() {
                return Some(changed.into_iter().collect());
            }
        }
    }

    fn collect(&self, paths: Vec<PathBuf>, changed: &mut BTreeSet<String>) {
        changed.extend(paths.iter().filter_map(|p| source_path(&self.root, p)));
    }

    /// Watches source folders that appeared since, and forgets those that went away.
    fn refresh(&mut self) {
        for dir in SOURCE_DIRS.map(|d| self.root.join(d)) {
            let exists = dir.is_dir();
            let watched = self.watched.contains(&dir);
            if exists && !watched {
                match self
                    .debouncer
                    .watcher()
                    .watch(&dir, RecursiveMode::Recursive)
                {
                    Ok(()) => {
                        self.watched.insert(dir);
                    }
                    Err(e) => eprintln!("warning: could not watch {}: {e}", dir.display()),
                }
            } else if !exists && watched {
                let _ = self.debouncer.watcher().unwatch(&dir);
                self.watched.remove(&dir);
            }
        }
    }
}

/// The path of a site source, relative to `root` with `/` separators; `None` for anything
/// else: files outside the source folders, hidden files, and editor artefacts.
pub fn source_path(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let relative = relative_path(Path::new(""), relative);
    if relative == "site.yaml" {
        return Some(relative);
    }
    let first = relative.split('/').next()?;
    if !SOURCE_DIRS.contains(&first) || relative.split('/').any(is_artefact) {
        return None;
    }
    Some(relative)
}

/// Hidden files and the scratch files editors write beside (or instead of) the file they
/// save: swap files, backups, vim's `4913` probe, and atomic-save temporaries.
pub fn is_artefact(name: &str) -> bool {
    crate::load::is_ignored_name(name)
        || name.ends_with(".kate-swp")
        || name.ends_with(".crswap")
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_sources_only() {
        let root = Path::new("/site");
        let src = |p: &str| source_path(root, &root.join(p));
        assert_eq!(src("site.yaml").as_deref(), Some("site.yaml"));
        assert_eq!(
            src("content/briefs/a.md").as_deref(),
            Some("content/briefs/a.md")
        );
        assert_eq!(
            src("templates/brief.html").as_deref(),
            Some("templates/brief.html")
        );
        assert_eq!(src("theme/style.css").as_deref(), Some("theme/style.css"));
        assert_eq!(src("content").as_deref(), Some("content"));
        for ignored in [
            "public/index.html",
            "site.yaml~",
            ".site.yaml.swp",
            "README.md",
            "target/debug/x",
            "content/briefs/.a.md.swp",
            "content/briefs/a.md~",
            "content/briefs/4913",
            "content/briefs/.#a.md",
            "content/briefs/#a.md#",
            "content/briefs/a.md.tmp",
            "content/.git/index",
            "content/briefs/.goutputstream-XYZ12",
            "content/briefs/a.md___jb_tmp___",
            "theme/style.css.kate-swp",
        ] {
            assert_eq!(src(ignored), None, "{ignored}");
        }
        assert_eq!(source_path(root, Path::new("/elsewhere/content/a.md")), None);
        assert_eq!(source_path(root, root), None);
    }
}
