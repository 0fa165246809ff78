//! File watching for `briefly serve`: watches `content/`, `templates/`, `theme/` and
//! `site.yaml` with notify, drops what is not a change to a source of the site (reads,
//! editor artefacts, hidden files, the output), and hands out batches of changed paths. A
//! batch starts with the first change seen and takes in the changes that follow within a
//! moment: one save (truncate and write, or write and rename) is one batch, handed out a
//! few milliseconds after it began; a burst across several files (a checkout, a
//! search-and-replace) is one batch once it pauses. A file that came and went within one
//! batch (an atomic save's temporary file) is no change.
//!
//! It also tells whether a file may have been read half-saved: every change carries the
//! time it was seen, and [`Watch::stirred_since`] says whether any arrived since a given
//! moment, so that a build that failed while saves were still landing is not taken for
//! what the author saved.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::diagnostics::relative_path;

/// How long a batch waits for the next change once one is seen: the events of one save
/// (truncate, then write; a temporary file renamed over the original) arrive within it.
const COALESCE: Duration = Duration::from_millis(3);
/// When a batch touches more than one file, how long the sources must be quiet before it
/// is handed out: a checkout or a search-and-replace becomes one rebuild.
const BURST_QUIET: Duration = Duration::from_millis(30);
/// A burst that never pauses still gets a rebuild this often.
const MAX_WAIT: Duration = Duration::from_secs(2);
/// How long a file must have been left alone before what it holds is taken as saved: an
/// in-place save (truncate, then write) lands well within it.
pub const SETTLE: Duration = Duration::from_millis(40);
/// How long a forced rebuild (after [`MAX_WAIT`]) waits at most for a pause of [`SETTLE`].
const SETTLE_WAIT: Duration = Duration::from_millis(250);

/// The folders of a site that are watched, recursively.
const SOURCE_DIRS: [&str; 3] = ["content", "templates", "theme"];

/// Watches a site's sources.
pub struct Watch {
    root: PathBuf,
    watcher: RecommendedWatcher,
    changes: Receiver<Vec<Change>>,
    watched: BTreeSet<PathBuf>,
    /// Changes received but not handed out yet.
    pending: Vec<Change>,
}

/// Sources that changed, as handed out by [`Watch::next_batch`].
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// Relative to the root, sorted.
    pub paths: Vec<String>,
    /// When the last change of the batch was seen.
    pub last: Option<Instant>,
}

impl Watch {
    /// Starts watching `root` (an absolute, canonical path).
    pub fn start(root: &Path) -> Result<Watch, String> {
        let (tx, changes) = mpsc::channel();
        let site = root.to_path_buf();
        let watcher =
            notify::recommended_watcher(move |result: notify::Result<Event>| match result {
                Ok(event) => {
                    let paths = changed_sources(&site, &event);
                    if !paths.is_empty() {
                        let _ = tx.send(paths);
                    }
                }
                Err(e) => super::warn(&format!("warning: watching files: {e}")),
            })
            .map_err(|e| format!("could not watch {}: {e}", root.display()))?;
        let mut watch = Watch {
            root: root.to_path_buf(),
            watcher,
            changes,
            watched: BTreeSet::new(),
            pending: Vec::new(),
        };
        // The root itself, not recursively: `site.yaml`, and the source folders appearing.
        watch
            .watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("could not watch {}: {e}", root.display()))?;
        watch.refresh();
        Ok(watch)
    }

    /// Blocks until sources change, then takes in the changes that follow within a moment
    /// ([`COALESCE`], or [`BURST_QUIET`] once several files changed); returns the changed
    /// paths relative to the root, sorted. `None` when watching stopped. With `retry` (a
    /// build is owed for earlier changes that were still being saved), it returns once the
    /// sources have been quiet for [`SETTLE`], even with no new change.
    pub fn next_batch(&mut self, retry: bool) -> Option<Batch> {
        loop {
            // Path -> whether it was created during this burst.
            let mut burst: BTreeMap<String, bool> = BTreeMap::new();
            let mut last: Option<Instant> = None;
            let add = |burst: &mut BTreeMap<String, bool>,
                       last: &mut Option<Instant>,
                       changes: Vec<Change>| {
                for change in changes {
                    *last = (*last).max(Some(change.at));
                    *burst.entry(change.path).or_default() |= change.created;
                }
            };
            let held = std::mem::take(&mut self.pending);
            if !held.is_empty() {
                add(&mut burst, &mut last, held);
            } else if retry {
                match self.changes.recv_timeout(SETTLE) {
                    Ok(more) => add(&mut burst, &mut last, more),
                    Err(RecvTimeoutError::Timeout) => return Some(Batch::default()),
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            } else {
                add(&mut burst, &mut last, self.changes.recv().ok()?);
            }
            let started = Instant::now();
            let mut forced = true;
            while started.elapsed() < MAX_WAIT {
                let quiet = if retry {
                    SETTLE
                } else if burst.len() > 1 {
                    BURST_QUIET
                } else {
                    COALESCE
                };
                // Quiet since the last change seen, not since now: changes held from
                // earlier may have settled already.
                let wait = last.map_or(quiet, |l| {
                    (l + quiet).saturating_duration_since(Instant::now())
                });
                match self.changes.recv_timeout(wait) {
                    Ok(more) => add(&mut burst, &mut last, more),
                    Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                        forced = false;
                        break;
                    }
                }
            }
            if forced {
                // The burst goes on; still, a file in the middle of its save is not read:
                // wait (a little) for a pause.
                let deadline = Instant::now() + SETTLE_WAIT;
                while Instant::now() < deadline {
                    match self.changes.recv_timeout(SETTLE) {
                        Ok(more) => add(&mut burst, &mut last, more),
                        Err(_) => break,
                    }
                }
            }
            self.refresh();
            let paths: Vec<String> = burst
                .into_iter()
                .filter(|(path, created)| {
                    !created || self.root.join(path).symlink_metadata().is_ok()
                })
                .map(|(path, _)| path)
                .collect();
            if !paths.is_empty() || retry {
                return Some(Batch { paths, last });
            }
        }
    }

    /// Whether a source changed at or after `since`, among the changes seen so far and those
    /// that arrive within `wait` (events trail the writes they report by a moment). What
    /// arrives is kept for the next batch.
    pub fn stirred_since(&mut self, since: Instant, wait: Duration) -> bool {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.changes.recv_timeout(left) {
                Ok(more) => self.pending.extend(more),
                Err(_) => break,
            }
            if left.is_zero() {
                break;
            }
        }
        self.pending.iter().any(|change| change.at >= since)
    }

    /// Watches source folders that appeared since, and forgets those that went away.
    fn refresh(&mut self) {
        for dir in SOURCE_DIRS.map(|d| self.root.join(d)) {
            let exists = dir.is_dir();
            let watched = self.watched.contains(&dir);
            if exists && !watched {
                match self.watcher.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(dir);
                    }
                    Err(e) => {
                        super::warn(&format!("warning: could not watch {}: {e}", dir.display()));
                    }
                }
            } else if !exists && watched {
                let _ = self.watcher.unwatch(&dir);
                self.watched.remove(&dir);
            }
        }
    }
}

/// A source that changed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Change {
    /// Relative to the root.
    path: String,
    /// Whether the change created it.
    created: bool,
    /// When it was seen.
    at: Instant,
}

/// The site sources that `event` changed. Reads (the build's own) change nothing; when the
/// watcher lost events, everything may have changed.
fn changed_sources(root: &Path, event: &Event) -> Vec<Change> {
    let at = Instant::now();
    if event.need_rescan() {
        return vec![Change {
            path: "content".to_string(),
            created: false,
            at,
        }];
    }
    if matches!(event.kind, EventKind::Access(_)) {
        return Vec::new();
    }
    let created = matches!(event.kind, EventKind::Create(_));
    event
        .paths
        .iter()
        .filter_map(|p| source_path(root, p))
        .map(|path| Change { path, created, at })
        .collect()
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
        assert_eq!(
            source_path(root, Path::new("/elsewhere/content/a.md")),
            None
        );
        assert_eq!(source_path(root, root), None);
    }

    #[test]
    fn a_burst_of_saves_gives_its_real_changes_only() {
        use std::fs;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        let briefs = root.join("content/briefs");
        fs::create_dir_all(&briefs).unwrap();
        fs::write(briefs.join("a.md"), "old").unwrap();
        fs::write(briefs.join("b.md"), "b").unwrap();
        let mut watch = Watch::start(&root).unwrap();
        // An atomic save (as `sed -i` does it), a swap file, a deletion, a rename, site.yaml.
        fs::write(briefs.join("sedX1234"), "new").unwrap();
        fs::rename(briefs.join("sedX1234"), briefs.join("a.md")).unwrap();
        fs::write(briefs.join(".a.md.swp"), "swap").unwrap();
        fs::remove_file(briefs.join("b.md")).unwrap();
        fs::rename(briefs.join("a.md"), briefs.join("c.md")).unwrap();
        fs::write(root.join("site.yaml"), "title: x\n").unwrap();
        fs::write(root.join("notes.txt"), "not a source").unwrap();
        // A rebuild starts on the first change; what a slow machine delivers later comes
        // in the next batches. Together they hold the real changes, and nothing else.
        let mut seen = std::collections::BTreeSet::new();
        let started = Instant::now();
        while seen.len() < 4 && started.elapsed() < Duration::from_secs(10) {
            seen.extend(watch.next_batch(false).unwrap().paths);
        }
        assert_eq!(
            seen.into_iter().collect::<Vec<_>>(),
            [
                "content/briefs/a.md",
                "content/briefs/b.md",
                "content/briefs/c.md",
                "site.yaml"
            ]
        );
    }

    #[test]
    fn reads_are_not_changes() {
        use notify::event::{AccessKind, CreateKind, ModifyKind, RenameMode};
        let root = Path::new("/site");
        let event = |kind, paths: &[&str]| Event {
            kind,
            paths: paths.iter().map(|p| root.join(p)).collect(),
            attrs: Default::default(),
        };
        let paths = |e: &Event| -> Vec<(String, bool)> {
            changed_sources(root, e)
                .into_iter()
                .map(|c| (c.path, c.created))
                .collect()
        };
        let read = event(EventKind::Access(AccessKind::Any), &["content/briefs/a.md"]);
        assert!(changed_sources(root, &read).is_empty());
        let created = event(
            EventKind::Create(CreateKind::File),
            &["content/briefs/a.md"],
        );
        assert_eq!(paths(&created), [("content/briefs/a.md".to_string(), true)]);
        let renamed = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["content/briefs/a.md", "content/briefs/b.md"],
        );
        assert_eq!(
            paths(&renamed),
            [
                ("content/briefs/a.md".to_string(), false),
                ("content/briefs/b.md".to_string(), false)
            ]
        );
        let saved = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            &["content/briefs/.a.md.swp"],
        );
        assert!(changed_sources(root, &saved).is_empty());
    }
}
