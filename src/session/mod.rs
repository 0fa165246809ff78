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

mod files;
mod kept;
mod languages;
mod one_language;
mod outputs;
mod state;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;

use crate::config::SiteConfig;
use crate::diagnostics::{relative_path, Diagnostic, Diagnostics};
use crate::load::{self, BriefDoc};
use crate::options::BuildOptions;
use crate::render::{self, Bodies};
use crate::resolve::{self, Graph};
use crate::timing::Timings;
use crate::write::{Folder, Sink};
use kept::{Kept, Lang, Last, Previous};
use state::State;

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

impl Rebuild {
    /// Counts the pages and files a language's rebuild `written` has and wrote.
    fn count_written(&mut self, written: &outputs::Written) {
        self.html_pages += written.pages.len();
        self.files += written.pages.len() + written.files.len();
        self.written += written.count;
        self.removed += written.removed;
    }
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

impl Build<'_> {
    /// The changed paths under `content/`, relative to it.
    fn changed_content(&self) -> std::collections::HashSet<String> {
        self.changed
            .iter()
            .filter_map(|p| p.strip_prefix("content/"))
            .map(str::to_string)
            .collect()
    }
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

/// Resolves `content` as the site in `lang`'s language, with its cache; what it found.
fn resolve_in(lang: &mut Lang, content: load::Content, build: &Build) -> (Graph, Diagnostics) {
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

fn one(d: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::new();
    all.push(d);
    all
}

impl State {
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
        resolve_in(lang, content, build)
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
        diagnostics.extend(self.language_problems());
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
