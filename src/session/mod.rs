//! The one pipeline: load → resolve → Markdown → cross-references → render → write, run by
//! a [`Session`]. `briefly build` and `check` are a session with empty caches that writes
//! once into a staging folder (or nowhere); `briefly serve` keeps its session warm and
//! writes in place after each change. Every check runs on both paths.
//!
//! A warm session keeps between rebuilds: the loaded documents (a changed file is re-read
//! alone), rendered bodies (re-rendered when their text or what they link to changes),
//! template values of cards, related briefs (recomputed near the changed briefs), and a
//! fingerprint of every page and file written (an unchanged one is not written again).
//! `site.yaml` resets everything. [`outputs`] owns the writing.
//!
//! When every change is to briefs whose front matter differs at most in title, subtitle
//! or summary, the graph's structure cannot change: the new documents are swapped into
//! the last graph in place (and swapped back if the rebuild fails), and everything that
//! depends on the structure alone (other bodies, cards, cross-references, page list,
//! most data files) is taken over, recomputed only for the swapped briefs.
//!
//! A site of one language is rebuilt by [`one_language`]. A site in several languages
//! keeps this per language ([`Lang`]) and is rebuilt by
//! [`languages`]: every language resolved again after each change, its bodies, cards and
//! written files reused.

mod languages;
mod one_language;
mod outputs;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;

use crate::config::SiteConfig;
use crate::diagnostics::{relative_path, Diagnostic, Diagnostics};
use crate::load::{self, BriefDoc, Content};
use crate::options::BuildOptions;
use crate::render::{self, bodies::BodyCache, views::CardCache, Bodies, CrossRefs, Templates};
use crate::resolve::{self, Graph};
use crate::timing::Timings;
use crate::write::{Folder, Sink};
use outputs::Written;

/// What a rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Rebuild {
    /// Briefs, actors, events and free pages of the site, and drafts left out.
    pub counts: Counts,
    /// HTML pages the site has.
    pub html_pages: usize,
    /// Files the site has, HTML pages included.
    pub files: usize,
    /// Files written (or rewritten) by this rebuild.
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
    pub timings: Vec<crate::timing::Stage>,
}

/// How much a site holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Briefs built.
    pub briefs: usize,
    /// Actors, implicit ones included.
    pub actors: usize,
    /// Events, inline ones included.
    pub events: usize,
    /// Free pages.
    pub pages: usize,
    /// Draft briefs left out (built only with `--drafts`).
    pub drafts: usize,
}

/// Whether a session is kept between rebuilds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Life {
    /// One build: each text is freed as soon as it is rendered, and nothing is kept.
    OneShot,
    /// The dev server: everything that spares work on the next rebuild is kept.
    Warm,
}

/// A site being built: its options and the state kept between rebuilds.
pub struct Session {
    options: BuildOptions,
    life: Life,
    state: Option<State>,
}

/// Everything kept between rebuilds once `site.yaml` has been read.
struct State {
    config: SiteConfig,
    content: Content,
    /// Problems of files that failed to load (or loaded with warnings), by site path,
    /// until they are fixed or removed.
    file_problems: BTreeMap<String, Vec<Diagnostic>>,
    templates: Option<Templates>,
    /// Problems of `templates/`.
    template_problems: Vec<Diagnostic>,
    /// Problems of `theme/` (links out of the site, special files).
    theme_problems: Vec<Diagnostic>,
    /// Changes whenever the templates are reloaded.
    template_epoch: u64,
    /// Each language of the site, the default first (one for a site of one language).
    langs: Vec<Lang>,
    /// Output paths the state this one replaced wrote for a language the site no longer
    /// has in the same folder (removed from `site.yaml`, or moved by a new default
    /// language): removed by the next successful rebuild unless it writes them again.
    orphans: Vec<String>,
}

/// What is kept of one language of the site between rebuilds.
#[derive(Default)]
struct Lang {
    /// The settings of the site in this language ([`SiteConfig::for_language`]).
    config: SiteConfig,
    resolve: resolve::ResolveCache,
    bodies: BodyCache,
    cards: CardCache,
    /// Each brief's object in `api/briefs.json`, as last written.
    briefs_json: render::data::BriefsJsonCache,
    /// The search index's per-document terms and file names.
    search: crate::search::Cache,
    last: Option<Last>,
    /// What the state this one replaced wrote (after a change to `site.yaml`), until a
    /// rebuild succeeds: that rebuild removes the files of it that the new settings no
    /// longer make (fewer pages of a list, no feeds).
    replaced: Option<outputs::Written>,
}

impl Lang {
    fn new(config: SiteConfig) -> Lang {
        Lang {
            config,
            search: crate::search::Cache::warm(),
            ..Lang::default()
        }
    }

    /// What the last successful rebuild of this language (or of the state it replaced)
    /// wrote.
    fn into_written(self) -> Option<outputs::Written> {
        self.last.map(|last| last.kept.written).or(self.replaced)
    }

    /// The folder of the language in the output, with its `/` (empty for the default).
    fn folder(&self) -> &str {
        &self.config.language_path
    }
}

/// What the last successful rebuild made, to compare the next one with.
struct Last {
    graph: Graph,
    kept: Kept,
}

/// What the last successful rebuild made besides its graph.
struct Kept {
    xref: CrossRefs,
    /// What resolving reported (repeated when the graph is reused).
    resolve_diagnostics: Diagnostics,
    written: Written,
    bodies: Bodies,
    cards: render::views::Cards,
    /// Per brief: the hash of its card and of its data (what data files read of it).
    card_hashes: Vec<u64>,
    data_hashes: Vec<u64>,
}

/// Where this rebuild's graph came from, and what to restore if the rebuild fails.
enum Previous {
    /// No last rebuild.
    None,
    /// Resolved again: the last rebuild, whole.
    Resolved(Box<Last>),
    /// The last graph with changed brief documents swapped in (the documents it had,
    /// by index, are kept to swap back).
    Swapped {
        kept: Box<Kept>,
        old_docs: Vec<(usize, Arc<BriefDoc>)>,
    },
}

impl Previous {
    /// The indexes of the briefs swapped in, if any.
    fn swapped(&self) -> Vec<usize> {
        match self {
            Previous::Swapped { old_docs, .. } => {
                old_docs.iter().map(|(index, _)| *index).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The last graph (the current one when swapped, whose structure is the same) and
    /// what else the last rebuild made.
    fn parts<'a>(&'a self, graph: &'a Graph) -> Option<(&'a Graph, &'a Kept)> {
        match self {
            Previous::None => None,
            Previous::Resolved(last) => Some((&last.graph, &last.kept)),
            Previous::Swapped { kept, .. } => Some((graph, &**kept)),
        }
    }

    /// The last rebuild as it was, for a rebuild that failed with `graph`.
    fn restore(self, mut graph: Graph) -> Option<Last> {
        match self {
            Previous::None => None,
            Previous::Resolved(last) => Some(*last),
            Previous::Swapped { kept, old_docs } => {
                for (index, doc) in old_docs {
                    graph.briefs[index].doc = doc;
                }
                Some(Last { graph, kept: *kept })
            }
        }
    }
}

impl Session {
    /// A warm session (the dev server's), which writes into `options.output` in place.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            life: Life::Warm,
            state: None,
        }
    }

    /// A session for one build: it frees what it no longer needs as it goes.
    pub fn one_shot(options: BuildOptions) -> Session {
        Session {
            options,
            life: Life::OneShot,
            state: None,
        }
    }

    /// The folder a warm session writes into.
    pub fn output(&self) -> PathBuf {
        crate::options::output_dir(&self.options)
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// The URL path prefix the site is served under (from `base_url`).
    pub fn base_path(&self) -> String {
        SiteConfig::load(&self.options.root).map_or_else(
            |_| "/".to_string(),
            |c| {
                c.with_base_url(self.options.base_url.as_deref())
                    .base_path()
            },
        )
    }

    /// Rebuilds after `changed` paths into the output folder, in place (see
    /// [`Session::rebuild_into`]).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuild, Diagnostics> {
        let sink = Folder(self.output());
        self.rebuild_into(changed, &sink, &ProgressBar::hidden())
    }

    /// Rebuilds after `changed` paths (relative to the root or absolute; empty means
    /// everything), writing into `sink` what changed. On failure, every error and
    /// warning of the run; pages may have been written (the dev server keeps showing the
    /// last good state; a build discards its staging folder).
    pub fn rebuild_into(
        &mut self,
        changed: &[PathBuf],
        sink: &dyn Sink,
        progress: &ProgressBar,
    ) -> Result<Rebuild, Diagnostics> {
        let started = Instant::now();
        let mut timings = Timings::start();
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
        match self.state.as_mut() {
            Some(state) if !everything => state.apply(&root, &changed),
            _ => {
                let mut fresh = State::load(&root, &self.options)?;
                if let Some(old) = self.state.take() {
                    fresh.take_over_written(old);
                }
                self.state = Some(fresh);
            }
        }
        timings.mark("load");
        let life = self.life;
        let state = self
            .state
            .as_mut()
            .ok_or_else(|| one(Diagnostic::file_error("site.yaml", "no site")))?;
        let build = Build {
            root: &root,
            options: &self.options,
            life,
            sink,
            progress,
            changed: &changed,
            root_files: true,
        };
        let result = state.build(&build, &mut timings);
        if life == Life::OneShot {
            self.state = None;
        }
        let mut result = result?;
        result.css_only = css_only;
        result.timings = timings.stages;
        result.elapsed = started.elapsed();
        Ok(result)
    }
}

/// One rebuild's inputs.
#[derive(Clone, Copy)]
struct Build<'a> {
    root: &'a Path,
    options: &'a BuildOptions,
    life: Life,
    sink: &'a dyn Sink,
    progress: &'a ProgressBar,
    /// Changed paths, relative to the root.
    changed: &'a [String],
    /// Whether this build writes what a site has once, at its root (theme files, content
    /// assets, the sitemap, `404.html`…): all but the other languages of a site do.
    root_files: bool,
}

/// Whether two versions of a brief differ at most in the front-matter fields that only
/// its own page, card and data show (title, subtitle, summary), which resolving does not
/// read: the graph's structure is then the same.
fn display_only(old: &BriefDoc, new: &BriefDoc) -> bool {
    let blank = |doc: &BriefDoc| {
        let mut front = doc.front.clone();
        front.title.clear();
        front.subtitle = None;
        front.summary = None;
        format!("{front:?}")
    };
    old.slug == new.slug
        && old.content_path == new.content_path
        && old.date == new.date
        && old.updated == new.updated
        && blank(old) == blank(new)
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::new();
    all.push(d);
    all
}

impl State {
    /// Takes over what the state this one replaces last wrote in each language the site
    /// still has in the same folder, so that the next rebuild removes the files the new
    /// settings no longer make; what it wrote for any other language becomes orphans.
    fn take_over_written(&mut self, old: State) {
        let mut written: BTreeMap<(String, String), outputs::Written> = old
            .langs
            .into_iter()
            .filter_map(|lang| {
                let key = (lang.config.language.clone(), lang.folder().to_string());
                lang.into_written().map(|w| (key, w))
            })
            .collect();
        for lang in &mut self.langs {
            let key = (lang.config.language.clone(), lang.folder().to_string());
            lang.replaced = written.remove(&key);
        }
        self.orphans = old.orphans;
        for ((_, folder), w) in written {
            let paths = w.pages.into_keys().chain(w.files.into_keys());
            self.orphans.extend(paths.map(|p| format!("{folder}{p}")));
        }
    }

    /// Removes the orphans this rebuild did not write again (see [`State::orphans`]).
    fn remove_orphans(&mut self, sink: &dyn Sink) -> Result<usize, Diagnostics> {
        if self.orphans.is_empty() {
            return Ok(0);
        }
        let mut kept = std::collections::HashSet::new();
        for lang in &self.langs {
            if let Some(last) = &lang.last {
                let w = &last.kept.written;
                for path in w.pages.keys().chain(w.files.keys()) {
                    kept.insert(format!("{}{path}", lang.folder()));
                }
            }
        }
        let mut orphans = std::mem::take(&mut self.orphans);
        orphans.sort();
        orphans.dedup();
        let mut removed = 0;
        let mut problems = Diagnostics::new();
        for path in orphans.into_iter().filter(|p| !kept.contains(p)) {
            match sink.remove(&path) {
                Ok(()) => removed += 1,
                Err(e) => {
                    problems.push(Diagnostic::file_error(path.clone(), e.to_string()));
                    self.orphans.push(path);
                }
            }
        }
        if problems.is_empty() {
            Ok(removed)
        } else {
            Err(problems)
        }
    }

    /// Reads `site.yaml`, every content file and the templates.
    fn load(root: &Path, options: &BuildOptions) -> Result<State, Diagnostics> {
        let config = SiteConfig::load(root)
            .map_err(one)?
            .with_base_url(options.base_url.as_deref());
        let mut diagnostics = Diagnostics::new();
        let content = load::load(root, &mut diagnostics);
        let mut file_problems: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
        for d in diagnostics {
            file_problems.entry(d.file.clone()).or_default().push(d);
        }
        let langs = config
            .language_codes()
            .into_iter()
            .map(|code| Lang::new(config.for_language(code)))
            .collect();
        let mut state = State {
            config,
            content,
            file_problems,
            templates: None,
            template_problems: Vec::new(),
            theme_problems: render::theme::problems(root),
            template_epoch: 0,
            langs,
            orphans: Vec::new(),
        };
        state.load_templates(root);
        Ok(state)
    }

    /// (Re)loads the templates.
    fn load_templates(&mut self, root: &Path) {
        let mut problems = Diagnostics::new();
        self.templates = Templates::load(root, &mut problems);
        self.template_problems = problems.into_iter().collect();
        self.template_epoch += 1;
        // Cards carry HTML their templates rendered.
        for lang in &mut self.langs {
            lang.cards = CardCache::default();
        }
    }

    /// Takes in changed files: content files are re-read, templates reloaded.
    fn apply(&mut self, root: &Path, changed: &[String]) {
        let mut templates_changed = false;
        for path in changed {
            if path == "templates" || path.starts_with("templates/") {
                templates_changed = true;
            } else if path == "theme" || path.starts_with("theme/") {
                self.theme_problems = render::theme::problems(root);
            } else if let Some(content_path) = path.strip_prefix("content/") {
                self.reload_content(root, path, content_path);
            }
        }
        if templates_changed {
            self.load_templates(root);
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
        self.file_problems
            .retain(|k, _| !under(k.strip_prefix("content/").unwrap_or(k)));
        let files: Vec<PathBuf> = if disk.is_dir() {
            // A file the walk refuses is loaded below, which reports why.
            let walk = crate::sitefs::SiteRoot::new(root).walk(&disk);
            let refused = walk.problems.into_iter().map(|p| p.path().to_path_buf());
            let mut files: Vec<PathBuf> = walk.files.into_iter().chain(refused).collect();
            files.sort();
            files
        } else if std::fs::symlink_metadata(&disk).is_ok() {
            vec![disk]
        } else {
            Vec::new()
        };
        for file in files {
            match load::load_file(root, &file) {
                Ok(Some(parsed)) => self.content.insert(parsed),
                Ok(None) => {}
                Err(d) => self
                    .file_problems
                    .entry(d.file.clone())
                    .or_default()
                    .push(d),
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

    /// When every change is to the body of a brief the last graph has, or to fields of its
    /// front matter resolving does not read (see [`display_only`]; the same slug, date,
    /// references and terms), the graph's structure cannot have changed: the documents
    /// to swap into it, by index. `None` means resolve again.
    fn same_structure(
        &self,
        last: &Last,
        changed: &[String],
    ) -> Option<Vec<(usize, Arc<BriefDoc>)>> {
        if changed.is_empty()
            || self
                .file_problems
                .values()
                .flatten()
                .any(Diagnostic::is_error)
        {
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
            let old = &last.graph.briefs[index].doc;
            if old.source.front() != new.source.front()
                && !(display_only(old, new)
                    && last
                        .kept
                        .resolve_diagnostics
                        .iter()
                        .all(|d| d.file != *path))
            {
                return None;
            }
            swaps.push((index, Arc::clone(new)));
        }
        Some(swaps)
    }

    /// The graph: the last one with changed brief bodies swapped in (in place) when
    /// nothing else changed, else resolved again. A one-shot build hands its documents
    /// over, so that their texts can be freed once rendered.
    fn graph(
        &mut self,
        lang: &mut Lang,
        build: &Build,
        last: Option<Last>,
    ) -> (Graph, Diagnostics, Previous) {
        if let Some(mut last) = last {
            match self.same_structure(&last, build.changed) {
                Some(swaps) => {
                    let old_docs = swaps
                        .into_iter()
                        .map(|(index, doc)| {
                            (
                                index,
                                std::mem::replace(&mut last.graph.briefs[index].doc, doc),
                            )
                        })
                        .collect();
                    let diagnostics = last.kept.resolve_diagnostics.clone();
                    let previous = Previous::Swapped {
                        kept: Box::new(last.kept),
                        old_docs,
                    };
                    return (last.graph, diagnostics, previous);
                }
                None => {
                    let (graph, found) = self.resolve(lang, build);
                    return (graph, found, Previous::Resolved(Box::new(last)));
                }
            }
        }
        let (graph, found) = self.resolve(lang, build);
        (graph, found, Previous::None)
    }

    fn resolve(&mut self, lang: &mut Lang, build: &Build) -> (Graph, Diagnostics) {
        let content = match build.life {
            Life::OneShot => std::mem::take(&mut self.content),
            Life::Warm => self.content.clone(),
        };
        let mut found = Diagnostics::new();
        let graph = resolve::resolve_cached(
            lang.config.clone(),
            content,
            build.options.drafts,
            &mut found,
            &mut lang.resolve,
        );
        (graph, found)
    }

    /// Every body, rendered (or reused from the cache).
    fn bodies(
        lang: &mut Lang,
        build: &Build,
        graph: &mut Graph,
        diagnostics: &mut Diagnostics,
    ) -> Bodies {
        match build.life {
            Life::OneShot => render::bodies::render_all_releasing(graph, diagnostics),
            Life::Warm => render::bodies::render_cached(graph, &mut lang.bodies, diagnostics),
        }
    }

    /// The bodies: only the swapped briefs' again when the graph is the last one with
    /// documents swapped in, else those whose inputs changed.
    fn render_bodies(
        lang: &mut Lang,
        build: &Build,
        graph: &mut Graph,
        previous: &Previous,
        swapped: &[usize],
        diagnostics: &mut Diagnostics,
    ) -> Bodies {
        match previous {
            Previous::Swapped { kept, .. } if build.life == Life::Warm => {
                render::bodies::render_swapped(
                    graph,
                    &mut lang.bodies,
                    &kept.bodies,
                    swapped,
                    diagnostics,
                )
            }
            _ => Self::bodies(lang, build, graph, diagnostics),
        }
    }

    /// Resolves, renders what changed and writes it: the one language of the site, or
    /// each of its languages.
    fn build(&mut self, build: &Build, timings: &mut Timings) -> Result<Rebuild, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(self.file_problems.values().flatten().cloned());
        diagnostics.extend(self.template_problems.iter().cloned());
        diagnostics.extend(self.theme_problems.iter().cloned());
        diagnostics.extend(load::languages::check(&self.content, &self.config));
        let mut langs = std::mem::take(&mut self.langs);
        let result = match langs.as_mut_slice() {
            [lang] => self.build_one(lang, build, timings, diagnostics),
            all => self.build_languages(all, build, timings, diagnostics),
        };
        self.langs = langs;
        let mut rebuild = result?;
        rebuild.removed += self.remove_orphans(build.sink)?;
        Ok(rebuild)
    }
}
