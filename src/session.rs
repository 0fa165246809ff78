//! A build session for the dev server: builds once, then rebuilds after changes, re-running
//! only what they affect, and writes only the files whose content changed.
//!
//! Kept between rebuilds: the loaded documents (a changed file is re-read alone), rendered
//! bodies (re-rendered when their text or what they link to changes), template values of
//! cards, related briefs (recomputed near the changed briefs), and a fingerprint of every
//! page (a page whose fingerprint is unchanged is not rendered again). Resolving the graph
//! is re-run whole: it is linear and cheap. `site.yaml` resets everything.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;

use crate::build::BuildOptions;
use crate::config::SiteConfig;
use crate::diagnostics::{relative_path, Diagnostic, Diagnostics};
use crate::load::{self, BriefDoc, Content};
use crate::render::{self, bodies::BodyCache, views::CardCache, CrossRefs, Site, Templates};
use crate::resolve::{self, Graph};
use crate::write::{Folder, Sink};

/// What a rebuild did.
#[derive(Debug, Clone)]
pub struct Rebuild {
    /// Files written (or rewritten) in the output folder.
    pub written: usize,
    /// Files removed from the output folder.
    pub removed: usize,
    /// How long it took.
    pub elapsed: Duration,
    /// Whether only stylesheets changed (tabs may swap CSS without a reload).
    pub css_only: bool,
    /// Warnings of the build.
    pub warnings: Diagnostics,
    /// Time per stage.
    pub timings: Vec<(&'static str, Duration)>,
}

/// The state of the last successful rebuild.
struct Last {
    graph: Graph,
    xref: CrossRefs,
    /// Fingerprint of every page, by output path.
    pages: HashMap<String, u64>,
    /// Hash of every data file and theme file written, by output path.
    files: HashMap<String, u64>,
    /// Fingerprint of the inputs of every data file, by output path.
    data: HashMap<String, u64>,
    /// What resolving reported (repeated when the graph is reused).
    resolve_diagnostics: Diagnostics,
}

/// Everything kept between rebuilds once `site.yaml` has been read.
struct State {
    config: SiteConfig,
    content: Content,
    /// Files that failed to load, by site path, until they are fixed or removed.
    file_errors: BTreeMap<String, Diagnostic>,
    /// Warnings from loading (stray files), by site path.
    file_warnings: BTreeMap<String, Diagnostic>,
    templates: Option<Templates>,
    template_errors: Vec<Diagnostic>,
    /// Changes whenever the templates are reloaded.
    template_epoch: u64,
    resolve: resolve::ResolveCache,
    bodies: BodyCache,
    cards: CardCache,
    last: Option<Last>,
}

/// A site being served: its options and the state kept between rebuilds.
pub struct Session {
    options: BuildOptions,
    state: Option<State>,
}

impl Session {
    /// A session that writes into `options.output` (which must be set).
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            state: None,
        }
    }

    /// The folder the session writes into.
    pub fn output(&self) -> PathBuf {
        crate::build::output_dir(&self.options)
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// The URL path prefix the site is served under (from `base_url`).
    pub fn base_path(&self) -> String {
        SiteConfig::load(&self.options.root)
            .map(|c| {
                c.with_base_url(self.options.base_url.as_deref())
                    .base_path()
            })
            .unwrap_or_else(|_| "/".to_string())
    }

    /// Rebuilds after `changed` paths (relative to the root or absolute; empty means
    /// everything). On failure nothing is written: the previous output stays as it was.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuild, Diagnostics> {
        let started = Instant::now();
        let root = self.options.root.clone();
        let changed: Vec<String> = changed
            .iter()
            .map(|p| {
                if p.is_absolute() {
                    relative_path(&root, p)
                } else {
                    p.to_string_lossy().replace('\\', "/")
                }
            })
            .collect();
        let css_only = !changed.is_empty()
            && changed
                .iter()
                .all(|p| p.starts_with("theme/") && p.ends_with(".css"));
        let everything = changed.is_empty()
            || changed
                .iter()
                .any(|p| p == "site.yaml" || p == "content" || p.is_empty());
        if everything || self.state.is_none() {
            self.state = None;
            let config = SiteConfig::load(&root)
                .map_err(one)?
                .with_base_url(self.options.base_url.as_deref());
            let mut diagnostics = Diagnostics::new();
            let content = load::load(&root, &mut diagnostics);
            let (file_errors, file_warnings) = split_by_file(diagnostics);
            let mut template_errors = Diagnostics::new();
            let templates = Templates::load(&root, &mut template_errors);
            self.state = Some(State {
                config,
                content,
                file_errors,
                file_warnings,
                templates,
                template_errors: template_errors.into_iter().collect(),
                template_epoch: 0,
                resolve: resolve::ResolveCache::default(),
                bodies: BodyCache::default(),
                cards: CardCache::default(),
                last: None,
            });
        } else if let Some(state) = self.state.as_mut() {
            state.apply(&root, &changed);
        }
        let output = self.output();
        let state = self
            .state
            .as_mut()
            .ok_or_else(|| one(Diagnostic::error("site.yaml", "no site")))?;
        let mut result = state.build(&root, &self.options, &output, &changed)?;
        result.css_only = css_only;
        result.elapsed = started.elapsed();
        Ok(result)
    }
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::new();
    all.push(d);
    all
}

fn split_by_file(
    diagnostics: Diagnostics,
) -> (BTreeMap<String, Diagnostic>, BTreeMap<String, Diagnostic>) {
    let mut errors = BTreeMap::new();
    let mut warnings = BTreeMap::new();
    for d in diagnostics {
        if d.is_error() {
            errors.insert(d.file.clone(), d);
        } else {
            warnings.insert(d.file.clone(), d);
        }
    }
    (errors, warnings)
}

impl State {
    /// Takes in changed files: content files are re-read, templates reloaded.
    fn apply(&mut self, root: &Path, changed: &[String]) {
        let mut templates_changed = false;
        for path in changed {
            if path == "templates" || path.starts_with("templates/") {
                templates_changed = true;
            } else if let Some(content_path) = path.strip_prefix("content/") {
                self.reload_content(root, path, content_path);
            }
        }
        if templates_changed {
            let mut errors = Diagnostics::new();
            self.templates = Templates::load(root, &mut errors);
            self.template_errors = errors.into_iter().collect();
            self.template_epoch += 1;
        }
    }

    fn reload_content(&mut self, root: &Path, site_path: &str, content_path: &str) {
        let disk = root.join(site_path);
        // A folder (renamed or removed whole): forget what was under it, re-read what is.
        let prefix = format!("{content_path}/");
        let under = |p: &str| p == content_path || p.starts_with(&prefix);
        let known: Vec<String> = self
            .known_paths()
            .into_iter()
            .filter(|p| under(p))
            .collect();
        for p in &known {
            self.content.remove(p);
        }
        self.file_errors
            .retain(|k, _| !under(k.strip_prefix("content/").unwrap_or(k)));
        self.file_warnings
            .retain(|k, _| !under(k.strip_prefix("content/").unwrap_or(k)));
        let files: Vec<PathBuf> = if disk.is_dir() {
            // A file the walk refuses is loaded below, which reports why.
            let walk = crate::sitefs::SiteRoot::new(root).walk(&disk);
            let refused = walk.problems.into_iter().map(|p| p.path().to_path_buf());
            let mut files: Vec<PathBuf> = walk.files.into_iter().chain(refused).collect();
            files.sort();
            files
        } else if disk.is_file() {
            vec![disk]
        } else {
            Vec::new()
        };
        for file in files {
            match load::load_file(root, &file) {
                Ok(Some(parsed)) => self.content.insert(parsed),
                Ok(None) => {}
                Err(d) if d.is_error() => {
                    self.file_errors.insert(d.file.clone(), d);
                }
                Err(d) => {
                    self.file_warnings.insert(d.file.clone(), d);
                }
            }
        }
    }

    fn known_paths(&self) -> Vec<String> {
        let c = &self.content;
        c.briefs
            .iter()
            .map(|d| d.content_path.clone())
            .chain(c.actors.iter().map(|d| d.content_path.clone()))
            .chain(c.events.iter().map(|d| d.content_path.clone()))
            .chain(c.pages.iter().map(|d| d.content_path.clone()))
            .chain(c.assets.iter().map(|d| d.content_path.clone()))
            .collect()
    }

    /// When every change is to the body of a brief the last graph has (same front matter,
    /// so the same slug, date, references and terms), the graph's structure cannot have
    /// changed: the documents to swap into it, by index. `None` means resolve again.
    fn same_structure(&self, changed: &[String]) -> Option<Vec<(usize, Arc<BriefDoc>)>> {
        let last = self.last.as_ref()?;
        if changed.is_empty() || !self.file_errors.is_empty() {
            return None;
        }
        let mut swaps = Vec::new();
        for path in changed {
            let content_path = path.strip_prefix("content/")?;
            if !content_path.starts_with("briefs/") || !content_path.ends_with(".md") {
                return None;
            }
            let new = self
                .content
                .briefs
                .iter()
                .find(|d| d.content_path == content_path)?;
            let index = last
                .graph
                .briefs
                .iter()
                .position(|b| b.doc.content_path == content_path)?;
            if last.graph.briefs[index].doc.source.front() != new.source.front() {
                return None;
            }
            swaps.push((index, Arc::clone(new)));
        }
        Some(swaps)
    }

    /// Resolves, renders what changed and writes it.
    fn build(
        &mut self,
        root: &Path,
        options: &BuildOptions,
        output: &Path,
        changed: &[String],
    ) -> Result<Rebuild, Diagnostics> {
        let mut timings = crate::timing::Timings::start();
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(self.file_errors.values().cloned());
        diagnostics.extend(self.file_warnings.values().cloned());
        diagnostics.extend(self.template_errors.iter().cloned());
        let (graph, resolve_diagnostics) = match self.same_structure(changed) {
            // Only brief bodies changed: the graph is the last one with those documents.
            Some(swaps) => {
                let last = self.last.as_ref().ok_or_else(Diagnostics::new)?;
                let mut graph = last.graph.clone();
                for (index, doc) in swaps {
                    graph.briefs[index].doc = doc;
                }
                (graph, last.resolve_diagnostics.clone())
            }
            None => {
                // Resolving orders the documents itself: insertion order does not matter.
                let content = self.content.clone();
                let mut found = Diagnostics::new();
                let graph = resolve::resolve_cached(
                    self.config.clone(),
                    content,
                    options.drafts,
                    &mut found,
                    &mut self.resolve,
                );
                (graph, found)
            }
        };
        diagnostics.extend(resolve_diagnostics.iter().cloned());
        timings.mark("resolve");
        let bodies = render::bodies::render_cached(&graph, &mut self.bodies, &mut diagnostics);
        timings.mark("markdown");
        if options.strict {
            diagnostics.promote_warnings();
        }
        diagnostics.sort();
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let Some(templates) = self.templates.as_mut() else {
            return Err(diagnostics);
        };
        let changed_briefs: HashSet<String> = changed
            .iter()
            .filter_map(|p| p.strip_prefix("content/"))
            .map(str::to_string)
            .collect();
        let previous = self.last.as_ref().map(|l| (&l.graph, &l.xref));
        let xref =
            render::crossref::compute_incremental(&graph, &bodies, previous, &changed_briefs);
        timings.mark("cross-refs");
        let site = Site::with_card_cache(root, &graph, &bodies, &xref, &mut self.cards);
        timings.mark("cards");
        templates.set_site(&site);
        let global = crate::hash::hash_of(&(site.site_fingerprint(), self.template_epoch));

        let jobs = render::pages::jobs(&site);
        let mut pages: HashMap<String, u64> = HashMap::with_capacity(jobs.len());
        let mut dirty = Vec::new();
        for &job in &jobs {
            let path = site.output_path(job);
            let fingerprint = crate::hash::hash_of(&(global, site.fingerprint(job)));
            let old = self.last.as_ref().and_then(|l| l.pages.get(&path));
            if old != Some(&fingerprint) {
                dirty.push(job);
            }
            pages.insert(path, fingerprint);
        }
        timings.mark("fingerprints");
        let sink = Folder(output.to_path_buf());
        let templates: &Templates = templates;
        let mut errors =
            render::render_jobs(&site, templates, &sink, &dirty, &ProgressBar::hidden());
        let mut written = dirty.len();
        timings.mark("pages");

        // Data files, content assets and theme files: written when their bytes changed.
        let mut files: HashMap<String, u64> = HashMap::new();
        let mut data: HashMap<String, u64> = HashMap::new();
        let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
        for name in render::DATA_FILES {
            let fingerprint = site.data_fingerprint(name);
            let unchanged = self.last.as_ref().and_then(|l| l.data.get(name)) == Some(&fingerprint);
            data.insert(name.to_string(), fingerprint);
            if unchanged {
                // Same inputs, same bytes: keep the file (and its hash) as it is.
                if let Some(hash) = self.last.as_ref().and_then(|l| l.files.get(name)) {
                    files.insert(name.to_string(), *hash);
                }
                continue;
            }
            if let Some(text) = render::data_file(&site, &jobs, name) {
                outputs.push((name.to_string(), text.into_bytes()));
            }
        }
        let own_theme = render::theme::site_files(root);
        for (path, bytes) in render::theme::BUILTIN {
            if !own_theme.iter().any(|(p, _)| p == path) {
                outputs.push((path.to_string(), bytes.to_vec()));
            }
        }
        for (path, disk) in &own_theme {
            outputs.push((path.clone(), std::fs::read(disk).unwrap_or_default()));
        }
        for (path, bytes) in outputs {
            let hash = crate::hash::hash_of(&bytes);
            if self.last.as_ref().and_then(|l| l.files.get(&path)) != Some(&hash) {
                match sink.write(&path, &bytes) {
                    Ok(()) => written += 1,
                    Err(e) => errors.push(Diagnostic::error(path.clone(), e.to_string())),
                }
            }
            files.insert(path, hash);
        }
        timings.mark("data");
        // Content assets are copied when their size or modification time changed.
        for asset in &graph.assets {
            let stamp = std::fs::metadata(&asset.disk_path)
                .map(|m| crate::hash::hash_of(&(m.len(), m.modified().ok())))
                .unwrap_or_default();
            let path = &asset.content_path;
            if self.last.as_ref().and_then(|l| l.files.get(path)) != Some(&stamp) {
                match sink.copy(path, &asset.disk_path) {
                    Ok(()) => written += 1,
                    Err(e) => {
                        errors.push(Diagnostic::error(format!("content/{path}"), e.to_string()))
                    }
                }
            }
            files.insert(path.clone(), stamp);
        }
        if !errors.is_empty() {
            let mut all = Diagnostics::new();
            all.extend(errors);
            all.sort();
            // Some files may be written: forget fingerprints so the next rebuild rewrites all.
            self.last = None;
            return Err(all);
        }

        // Files of the previous output that are no longer produced.
        let mut removed = 0;
        if let Some(last) = &self.last {
            for path in last.pages.keys().chain(last.files.keys()) {
                if !pages.contains_key(path) && !files.contains_key(path) {
                    let _ = sink.remove(path);
                    removed += 1;
                }
            }
        }
        drop(site);
        self.last = Some(Last {
            graph,
            xref,
            pages,
            files,
            data,
            resolve_diagnostics,
        });
        Ok(Rebuild {
            written,
            removed,
            elapsed: Duration::ZERO,
            css_only: false,
            warnings: diagnostics,
            timings: timings.stages,
        })
    }
}
