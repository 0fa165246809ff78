//! The last step of a rebuild: the pages, each rendered only when its fingerprint changed
//! since the last rebuild (always, in a one-shot build), then the other files
//! ([`files`]), and the files the site no longer has removed. After an edit that kept the
//! graph's structure ([`Edit`]), only the pages in its reach are fingerprinted again.
//!
//! Every file-system error is reported; none is swallowed.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::{files, Build, Kept, Lang, Life};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::hash::hash_of;
use crate::render::metadata::CiteKeys;
use crate::render::reach::Reach;
use crate::render::views::Card;
use crate::render::{self, pages, Bodies, CrossRefs, Job, Site, Templates};
use crate::resolve::Graph;
use crate::timing::Timings;
use crate::write::Sink;

/// What a rebuild wrote, and what the next one compares with.
#[derive(Debug, Default)]
pub(super) struct Written {
    /// Every page, by output path, with its fingerprint (0 in a one-shot build).
    pub pages: HashMap<String, u64>,
    /// Every other file (data, theme, assets), by output path, with a hash of what it is
    /// made from.
    pub files: HashMap<String, u64>,
    /// Files written by this rebuild.
    pub count: usize,
    /// Files removed by this rebuild.
    pub removed: usize,
    /// The pages, as jobs, and their fingerprints in the same order (warm sessions only).
    pub jobs: Vec<Job>,
    pub prints: Vec<u64>,
    /// The hash of what every page shows (the site view and the templates).
    pub global: u64,
}

impl Written {
    pub(super) fn unchanged(previous: Option<&Written>, path: &str, hash: u64) -> bool {
        previous.and_then(|p| p.files.get(path)) == Some(&hash)
    }
}

/// What the last rebuild made, as the outputs compare with it.
pub(super) struct Before<'a> {
    /// The last rebuild's results, if there was one.
    pub kept: Option<&'a Kept>,
    /// Whether the graph is the last one with brief bodies swapped in (same structure).
    pub same_structure: bool,
    /// The briefs swapped in, by index, when `same_structure`.
    pub swapped: &'a [usize],
    /// Per brief of this rebuild: the hash of its data.
    pub data_hashes: &'a [u64],
    /// What the last rebuild wrote, taken over.
    pub written: Option<Written>,
    /// The last rebuild's cards, taken over.
    pub cards: Option<render::views::Cards>,
    /// Without a last rebuild: what the session wrote before `site.yaml` changed, whose
    /// files this rebuild does not make are removed (nothing else is compared with it).
    pub replaced: Option<Written>,
}

impl Before<'_> {
    /// The edit this rebuild is, when it swapped briefs into the last graph.
    fn edit(&self) -> Option<Edit<'_>> {
        let kept = self.kept.filter(|_| self.same_structure)?;
        Some(Edit {
            kept,
            swapped: self.swapped,
            data_hashes: self.data_hashes,
        })
    }
}

/// A rebuild of a warm session after an edit that kept the graph's structure: new
/// documents swapped into some briefs of the last graph. What cannot have changed is
/// taken over from the last rebuild.
#[derive(Clone, Copy)]
pub(super) struct Edit<'a> {
    /// The last rebuild's results.
    pub kept: &'a Kept,
    /// The briefs swapped in, by index.
    pub swapped: &'a [usize],
    /// Per brief of this rebuild: the hash of its data.
    pub data_hashes: &'a [u64],
}

/// What of the session the outputs use: the language written and the templates.
pub(super) struct Parts<'a> {
    pub lang: &'a mut Lang,
    pub templates: &'a mut Option<Templates>,
    /// Changes whenever the templates are reloaded.
    pub template_epoch: u64,
}

/// What a rebuild's outputs made that the next rebuild takes over.
pub(super) struct Made {
    pub written: Written,
    /// Per brief: the hash of its card.
    pub card_hashes: Vec<u64>,
    pub cards: render::views::Cards,
    pub cite_keys: Arc<CiteKeys>,
}

/// Renders and writes what changed; on failure, the errors.
pub(super) fn write(
    state: &mut Parts,
    build: &Build,
    graph: &Graph,
    bodies: &Bodies,
    xref: &CrossRefs,
    mut before: Before,
    timings: &mut Timings,
) -> Result<Made, Diagnostics> {
    let Some(templates) = state.templates.as_mut() else {
        return Err(errors(vec![Diagnostic::file_error(
            "templates",
            "the templates could not be loaded",
        )]));
    };
    let mut written = Written::default();
    let cite_keys = match before.edit() {
        Some(edit) => CiteKeys::after_edit(&edit.kept.cite_keys, graph, edit.swapped),
        None => Arc::new(CiteKeys::new(graph)),
    };
    let mut site = Site::with_cite_keys(build.root, graph, bodies, xref, cite_keys);
    let search_problems = one_shot_search(&site, build, &mut written, timings);
    templates.set_site(&site);
    make_cards(
        &mut site,
        templates,
        &mut state.lang.cards,
        build,
        &mut before,
    )?;
    timings.mark("cards");
    let jobs = checked_jobs(&site, build, &before)?;
    // After an edit, what can have changed (see `render::reach`).
    let reach = before
        .edit()
        .map(|edit| site.reach(edit.swapped, &edit.kept.xref));
    let dirty = fingerprint_pages(
        &site,
        &jobs,
        state.template_epoch,
        build,
        reach.as_ref(),
        before.written.as_mut(),
        &mut written,
    );
    timings.mark("fingerprints");
    let mut problems = render::render_jobs(&site, templates, build.sink, &dirty, build.progress);
    written.count += dirty.len();
    timings.mark("pages");
    let previous = before.written.as_ref();
    problems.extend(files::write_subscriptions(
        &site,
        build,
        previous,
        reach.as_ref(),
        &mut written,
    ));
    timings.mark("feeds");
    let card_hashes: Vec<u64> = site.cards.briefs.iter().map(Card::card_hash).collect();
    let rest = OtherFiles {
        jobs: &jobs,
        previous,
        edit: before.edit(),
        card_hashes: &card_hashes,
    };
    let (files_problems, warm_search_problems) =
        write_other_files(&site, build, state.lang, rest, &mut written);
    problems.extend(files_problems);
    problems.extend(search_problems);
    timings.mark(match warm_search_problems {
        Some(list) => {
            problems.extend(list);
            "files and search"
        }
        None => "files",
    });
    if let Some(previous) = previous.or(before.replaced.as_ref()) {
        problems.extend(remove_stale(build.sink, previous, &mut written));
    }
    if problems.is_empty() {
        Ok(Made {
            written,
            card_hashes,
            cite_keys: Arc::clone(&site.cite_keys),
            cards: site.cards,
        })
    } else {
        Err(errors(problems))
    }
}

/// A one-shot build writes the search index first, before the cards are made: its memory
/// is freed before theirs is taken (a warm session patches its index last, in
/// [`write_other_files`]). Gives its problems.
fn one_shot_search(
    site: &Site,
    build: &Build,
    written: &mut Written,
    timings: &mut Timings,
) -> Vec<Diagnostic> {
    if build.life != Life::OneShot || !site.graph.config.search {
        return Vec::new();
    }
    let cache = &mut crate::search::Cache::default();
    let problems = files::write_search(cache, None, site, build, None, written);
    timings.mark("search");
    problems
}

/// What writing the files other than pages and feeds reads of the rebuild.
#[derive(Clone, Copy)]
struct OtherFiles<'a> {
    jobs: &'a [Job],
    previous: Option<&'a Written>,
    edit: Option<Edit<'a>>,
    card_hashes: &'a [u64],
}

/// Writes the data files, citations, theme and assets ([`files::write_files`]) and, in a
/// warm session, patches the search index at the same time (most of the files' time is
/// the kernel copying `api/briefs.json`). Gives the problems of each (`None`: no search
/// index was written here).
fn write_other_files(
    site: &Site,
    build: &Build,
    lang: &mut Lang,
    rest: OtherFiles,
    written: &mut Written,
) -> (Vec<Diagnostic>, Option<Vec<Diagnostic>>) {
    let OtherFiles {
        jobs,
        previous,
        edit,
        card_hashes,
    } = rest;
    let cited = edit.and_then(|edit| edit.cited(site));
    let files = files::Files {
        jobs,
        previous,
        data_unchanged: edit.map_or_else(Default::default, |e| e.data_unchanged(card_hashes, site)),
        briefs_json: (build.life == Life::Warm).then(|| files::BriefsJson {
            cache: &mut lang.briefs_json,
            changed: edit.map(|edit| edit.swapped),
        }),
        cited: cited.as_deref(),
    };
    let warm_search = site.graph.config.search && build.life == Life::Warm;
    let search_cache = &mut lang.search;
    let mut searched = Written::default();
    let (files_problems, search_problems) = rayon::join(
        || files::write_files(site, build, files, written),
        || {
            warm_search.then(|| {
                let changed = edit.map(|edit| edit.swapped);
                files::write_search(search_cache, changed, site, build, previous, &mut searched)
            })
        },
    );
    written.count += searched.count;
    written.files.extend(searched.files);
    (files_problems, search_problems)
}

/// Every page to write, checked for collisions with the other files. The same pages
/// after an edit of the same structure (which changed no theme file or asset) collide
/// with nothing: the last rebuild checked them.
fn checked_jobs(site: &Site, build: &Build, before: &Before) -> Result<Vec<Job>, Diagnostics> {
    let mut jobs = pages::jobs(site);
    if !build.root_files {
        jobs.retain(|&job| job != Job::NotFound);
    }
    let checked = before.same_structure && before.written.as_ref().is_some_and(|w| w.jobs == jobs);
    if !checked {
        let collisions = render::collisions(site, &jobs);
        if !collisions.is_empty() {
            return Err(errors(collisions));
        }
    }
    Ok(jobs)
}

fn errors(list: Vec<Diagnostic>) -> Diagnostics {
    let mut all = Diagnostics::new();
    all.extend(list);
    all
}

/// Records every page's fingerprint; returns the pages to render: those whose
/// fingerprint changed (all of them in a one-shot build, which fingerprints nothing).
/// After an edit of the same structure, with the same pages and global hash as the last
/// rebuild, only the pages in its `reach` are fingerprinted, the others' taken over, and
/// the last rebuild's pages are taken over (`previous` keeps no page then).
fn fingerprint_pages(
    site: &Site,
    jobs: &[Job],
    template_epoch: u64,
    build: &Build,
    reach: Option<&Reach>,
    previous: Option<&mut Written>,
    written: &mut Written,
) -> Vec<Job> {
    if build.life == Life::OneShot {
        written.pages = jobs.iter().map(|&j| (site.output_path(j), 0)).collect();
        return jobs.to_vec();
    }
    let global = hash_of(&(site.site_fingerprint(), template_epoch));
    written.global = global;
    let print = |job: Job| hash_of(&(global, site.fingerprint(job)));
    let mut dirty = Vec::new();
    match (previous, reach) {
        (Some(previous), Some(reach)) if previous.jobs == jobs && previous.global == global => {
            let prints: Vec<u64> = jobs
                .par_iter()
                .zip(&previous.prints)
                .map(|(&job, &old)| if reach.holds(job) { print(job) } else { old })
                .collect();
            if cfg!(debug_assertions) {
                let missed: Vec<String> = jobs
                    .par_iter()
                    .zip(&prints)
                    .filter(|&(&job, &taken)| print(job) != taken)
                    .map(|(&job, _)| site.output_path(job))
                    .collect();
                check_reach(&missed);
            }
            written.pages = std::mem::take(&mut previous.pages);
            for ((&job, &print), &old) in jobs.iter().zip(&prints).zip(&previous.prints) {
                if print != old {
                    dirty.push(job);
                    written.pages.insert(site.output_path(job), print);
                }
            }
            written.prints = prints;
        }
        (previous, _) => {
            let fingerprints: Vec<(String, u64)> = jobs
                .par_iter()
                .map(|&job| (site.output_path(job), print(job)))
                .collect();
            let previous = previous.map(|p| &*p);
            written.prints = Vec::with_capacity(jobs.len());
            for (&job, (path, fingerprint)) in jobs.iter().zip(fingerprints) {
                if previous.and_then(|p| p.pages.get(&path)) != Some(&fingerprint) {
                    dirty.push(job);
                }
                written.prints.push(fingerprint);
                written.pages.insert(path, fingerprint);
            }
        }
    }
    written.jobs = jobs.to_vec();
    dirty
}

/// Debug builds only: the pages and files outside an edit's reach whose fingerprint is
/// not the one taken over for them (any would go stale).
pub(super) fn check_reach(missed: &[String]) {
    assert!(
        missed.is_empty(),
        "files outside the reach of an edit changed: {missed:?}"
    );
}

/// Makes the cards (of a warm session: only those of the briefs swapped in, when the
/// structure is the same; the others come from its cache).
fn make_cards(
    site: &mut Site,
    templates: &Templates,
    cache: &mut render::views::CardCache,
    build: &Build,
    before: &mut Before,
) -> Result<(), Diagnostics> {
    match (build.life, before.cards.take()) {
        (Life::Warm, Some(previous)) if before.same_structure => site
            .remake_brief_cards(templates, cache, previous, before.swapped)
            .map_err(errors)?,
        (Life::Warm, _) => {
            site.cards = site.make_cards(templates, cache).map_err(errors)?;
        }
        // Nothing is kept of a build's cards but the cards themselves.
        (Life::OneShot, _) => {
            let cache = &mut render::views::CardCache::default();
            site.cards = site.make_cards(templates, cache).map_err(errors)?;
        }
    }
    Ok(())
}

/// Removes the files the previous rebuild wrote that this one does not have.
fn remove_stale(sink: &dyn Sink, previous: &Written, written: &mut Written) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut gone: Vec<&String> = previous
        .pages
        .keys()
        .chain(previous.files.keys())
        .filter(|p| !written.pages.contains_key(*p) && !written.files.contains_key(*p))
        .collect();
    gone.sort();
    for path in gone {
        match sink.remove(path) {
            Ok(()) => written.removed += 1,
            Err(e) => problems.push(Diagnostic::file_error(path.clone(), e.to_string())),
        }
    }
    problems
}
