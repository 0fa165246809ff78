//! The last step of a rebuild: pages, data files, theme files and content assets written
//! into the sink, each only when what it is made from changed since the last rebuild
//! (always, in a one-shot build), and the files the site no longer has removed.
//!
//! Every file-system error is reported; none is swallowed.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::{Build, Kept, Lang, Life};
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
    fn unchanged(previous: Option<&Written>, path: &str, hash: u64) -> bool {
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
    let cite_keys = match before.kept {
        Some(kept) if build.life == Life::Warm && before.same_structure => {
            CiteKeys::after_edit(&kept.cite_keys, graph, before.swapped)
        }
        _ => Arc::new(CiteKeys::new(graph)),
    };
    let mut site = Site::with_cite_keys(build.root, graph, bodies, xref, cite_keys);
    // A one-shot build writes the search index first, before the cards are made: its
    // memory is freed before theirs is taken (a warm session patches its index last).
    let search_problems = match build.life {
        Life::OneShot if graph.config.search => {
            let cache = &mut crate::search::Cache::default();
            let problems = write_search(cache, None, &site, build, None, &mut written);
            timings.mark("search");
            problems
        }
        _ => Vec::new(),
    };
    templates.set_site(&site);
    make_cards(
        &mut site,
        templates,
        &mut state.lang.cards,
        build,
        &mut before,
    )?;
    timings.mark("cards");
    let templates: &Templates = templates;
    let mut jobs = pages::jobs(&site);
    if !build.root_files {
        jobs.retain(|&job| job != Job::NotFound);
    }
    // The same pages after an edit of the same structure (which changed no theme file or
    // asset) collide with nothing: the last rebuild checked them.
    let checked = before.same_structure && before.written.as_ref().is_some_and(|w| w.jobs == jobs);
    if !checked {
        let collisions = render::collisions(&site, &jobs);
        if !collisions.is_empty() {
            return Err(errors(collisions));
        }
    }
    // After an edit of the same structure, what can have changed (see `render::reach`).
    let reach = match before.kept {
        Some(kept) if build.life == Life::Warm && before.same_structure => {
            Some(site.reach(before.swapped, &kept.xref))
        }
        _ => None,
    };
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
    let previous = before.written.as_ref();
    let card_hashes: Vec<u64> = site.cards.briefs.iter().map(Card::card_hash).collect();
    // Data files read of the graph only what its structure holds, and of each brief its
    // card, its data and its mentions: with the same structure, a data file whose own
    // inputs among these did not change is the same (see `Site::data_fingerprint`).
    let data_unchanged = match before.kept {
        Some(k) if build.life == Life::Warm && before.same_structure => {
            let cards = k.card_hashes == card_hashes;
            let mentions = k.xref.mentioned_only == xref.mentioned_only;
            let data = k.data_hashes == before.data_hashes;
            // Of briefs.json's inputs, only the edited briefs' can differ.
            let edit: Vec<_> = before
                .swapped
                .iter()
                .map(|&b| {
                    (
                        b,
                        card_hashes[b],
                        before.data_hashes[b],
                        &xref.mentioned_only[b],
                    )
                })
                .collect();
            DataUnchanged {
                briefs: cards && data && mentions,
                actors: mentions,
                rest: true,
                briefs_edit: Some(hash_of(&edit)),
            }
        }
        _ => DataUnchanged::default(),
    };
    let mut problems = render::render_jobs(&site, templates, build.sink, &dirty, build.progress);
    written.count += dirty.len();
    timings.mark("pages");
    problems.extend(write_subscriptions(
        &site,
        build,
        previous,
        reach.as_ref(),
        &mut written,
    ));
    timings.mark("feeds");
    let briefs_json = match build.life {
        Life::Warm => Some(BriefsJson {
            cache: &mut state.lang.briefs_json,
            changed: before.same_structure.then_some(before.swapped),
        }),
        Life::OneShot => None,
    };
    // With the same structure, only the citations of the edited briefs and of those whose
    // key changed can differ.
    let cited: Option<Vec<usize>> = before
        .kept
        .filter(|_| build.life == Life::Warm && before.same_structure)
        .and_then(|kept| kept.cite_keys.differences(&site.cite_keys))
        .map(|mut list| {
            list.extend_from_slice(before.swapped);
            list
        });
    let files = Files {
        jobs: &jobs,
        previous,
        data_unchanged,
        briefs_json,
        cited: cited.as_deref(),
    };
    // A warm session patches its search index while the data files are written (most of
    // that time is the kernel copying `api/briefs.json`).
    let warm_search = graph.config.search && build.life == Life::Warm;
    let search_cache = &mut state.lang.search;
    let changed = before.same_structure.then_some(before.swapped);
    let mut searched = Written::default();
    let (files_problems, warm_search_problems) = rayon::join(
        || write_files(&site, build, files, &mut written),
        || match warm_search {
            true => write_search(search_cache, changed, &site, build, previous, &mut searched),
            false => Vec::new(),
        },
    );
    written.count += searched.count;
    written.files.extend(searched.files);
    problems.extend(files_problems);
    problems.extend(search_problems);
    problems.extend(warm_search_problems);
    timings.mark(if warm_search {
        "files and search"
    } else {
        "files"
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
fn check_reach(missed: &[String]) {
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

/// What writing the files other than pages, feeds and the search index reads.
struct Files<'a> {
    jobs: &'a [Job],
    previous: Option<&'a Written>,
    data_unchanged: DataUnchanged,
    briefs_json: Option<BriefsJson<'a>>,
    /// The only briefs whose citation file can differ from the last rebuild's (`None`:
    /// any brief's).
    cited: Option<&'a [usize]>,
}

/// Writes the data files, the citation files and (at the site's root) the theme and the
/// assets.
fn write_files(site: &Site, build: &Build, files: Files, written: &mut Written) -> Vec<Diagnostic> {
    let Files {
        jobs,
        previous,
        data_unchanged,
        briefs_json,
        cited,
    } = files;
    let mut problems = write_data(
        site,
        jobs,
        build,
        previous,
        data_unchanged,
        briefs_json,
        written,
    );
    problems.extend(write_citations(site, build, previous, cited, written));
    if build.root_files {
        problems.extend(write_theme(
            build,
            site.graph.config.search,
            previous,
            written,
        ));
        problems.extend(copy_assets(site.graph, build, previous, written));
    }
    problems
}

/// The data files (sitemap, JSON…) whose inputs changed.
fn write_data(
    site: &Site,
    jobs: &[Job],
    build: &Build,
    previous: Option<&Written>,
    data_unchanged: DataUnchanged,
    mut briefs_json: Option<BriefsJson>,
    written: &mut Written,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // A one-shot build writes its data files in parallel (each is written whole).
    let mut one_shot: Vec<(&str, u64)> = Vec::new();
    for name in render::DATA_FILES {
        if !build.root_files && !render::PER_LANGUAGE_DATA_FILES.contains(&name) {
            continue;
        }
        let last = previous.and_then(|p| p.files.get(name)).copied();
        let fingerprint = match (build.life, last) {
            (Life::Warm, Some(last)) if data_unchanged.of(name) => last,
            (Life::Warm, Some(last)) if name == "api/briefs.json" => {
                match data_unchanged.briefs_edit {
                    Some(edit) => hash_of(&(last, edit)),
                    None => site.data_fingerprint(name),
                }
            }
            (Life::OneShot, _) => 0,
            (Life::Warm, _) => site.data_fingerprint(name),
        };
        let cached = match briefs_json.as_mut() {
            Some(json) if name == "api/briefs.json" => Some(json),
            _ => None,
        };
        if Written::unchanged(previous, name, fingerprint) {
            if let Some(json) = cached {
                // Still the objects of this graph only if its structure is the last's.
                if json.changed.is_none() {
                    json.cache.clear();
                }
            }
            written.files.insert(name.to_string(), fingerprint);
            continue;
        }
        let outcome = match cached {
            None if build.life == Life::OneShot => {
                one_shot.push((name, fingerprint));
                continue;
            }
            Some(json) => {
                let (cache, changed) = (&mut *json.cache, json.changed);
                let done = build.sink.write_with(name, &mut |w| {
                    site.write_briefs_json_cached(w, cache, changed)
                });
                if done.is_err() {
                    cache.clear();
                }
                done.map(|()| true)
            }
            None => render::write_data_file(site, build.sink, jobs, name),
        };
        record(name, fingerprint, outcome, written, &mut problems);
    }
    let outcomes: Vec<_> = one_shot
        .into_par_iter()
        .map(|(name, fingerprint)| {
            let outcome = render::write_data_file(site, build.sink, jobs, name);
            (name, fingerprint, outcome)
        })
        .collect();
    for (name, fingerprint, outcome) in outcomes {
        record(name, fingerprint, outcome, written, &mut problems);
    }
    problems
}

/// Notes data file `name` as written (if it was: a site may not have it), or its error.
fn record(
    name: &str,
    fingerprint: u64,
    outcome: Result<bool, crate::fsutil::FsError>,
    written: &mut Written,
    problems: &mut Vec<Diagnostic>,
) {
    match outcome {
        Ok(true) => {
            written.files.insert(name.to_string(), fingerprint);
            written.count += 1;
        }
        Ok(false) => {}
        Err(e) => problems.push(Diagnostic::file_error(name, e.to_string())),
    }
}

/// The feeds and calendars whose inputs changed (all of them in a one-shot build), in
/// parallel: a site has one of each per term or actor.
fn write_subscriptions(
    site: &Site,
    build: &Build,
    previous: Option<&Written>,
    reach: Option<&Reach>,
    written: &mut Written,
) -> Vec<Diagnostic> {
    let cache = render::SubscriptionCache::new(site);
    let list: Vec<(String, u64, render::Subscription)> = render::subscriptions(site)
        .into_par_iter()
        .map(|s| {
            let path = site.subscription_path(s);
            let taken = reach
                .filter(|reach| !reach.holds_subscription(s))
                .and_then(|_| previous?.files.get(&path).copied());
            let fingerprint = match (build.life, taken) {
                (Life::OneShot, _) => 0,
                (Life::Warm, Some(taken)) => taken,
                (Life::Warm, None) => site.subscription_fingerprint(s, &cache),
            };
            (path, fingerprint, s)
        })
        .collect();
    if cfg!(debug_assertions) && reach.is_some() {
        let missed: Vec<String> = list
            .par_iter()
            .filter(|(_, print, s)| site.subscription_fingerprint(*s, &cache) != *print)
            .map(|(path, _, _)| path.clone())
            .collect();
        check_reach(&missed);
    }
    let dirty: Vec<&(String, u64, render::Subscription)> = list
        .iter()
        .filter(|(path, fingerprint, _)| !Written::unchanged(previous, path, *fingerprint))
        .collect();
    let problems: Vec<Diagnostic> = dirty
        .par_iter()
        .filter_map(|(path, _, s)| {
            let text = site.subscription_text(*s, &cache);
            build
                .sink
                .write(path, text.as_bytes())
                .err()
                .map(|e| Diagnostic::file_error(path.clone(), e.to_string()))
        })
        .collect();
    written.count += dirty.len();
    for (path, fingerprint, _) in list {
        written.files.insert(path, fingerprint);
    }
    problems
}

/// The cache `api/briefs.json` is written from in a warm session, and the briefs
/// swapped into the last graph (`None`: the structure may have changed).
struct BriefsJson<'a> {
    cache: &'a mut render::data::BriefsJsonCache,
    changed: Option<&'a [usize]>,
}

/// Which data files are known unchanged without fingerprinting them.
#[derive(Debug, Default, Clone, Copy)]
struct DataUnchanged {
    briefs: bool,
    actors: bool,
    /// Every other data file.
    rest: bool,
    /// After an edit of the same structure: a hash of the edited briefs' cards, data and
    /// mentions, the only inputs of `api/briefs.json` that can differ. Its fingerprint is
    /// then the last one mixed with this, not made again from every brief.
    briefs_edit: Option<u64>,
}

impl DataUnchanged {
    fn of(self, name: &str) -> bool {
        match name {
            "api/briefs.json" => self.briefs,
            "api/actors.json" => self.actors,
            _ => self.rest,
        }
    }
}

/// Every brief's `cite.bib` whose inputs changed. Of briefs not in `cited` (when given),
/// the last rebuild's file is kept without fingerprinting it.
fn write_citations(
    site: &Site,
    build: &Build,
    previous: Option<&Written>,
    cited: Option<&[usize]>,
    written: &mut Written,
) -> Vec<Diagnostic> {
    /// Writing one brief's file: `None` when it is unchanged and was not written.
    type Outcome = Option<Result<(), Diagnostic>>;
    let n = site.graph.briefs.len();
    let cited: Option<Vec<bool>> = cited.map(|list| {
        let mut mask = vec![false; n];
        list.iter().for_each(|&b| mask[b] = true);
        mask
    });
    let files: Vec<(String, u64, Outcome)> = (0..n)
        .into_par_iter()
        .map(|b| {
            let path = site.bib_path(b);
            let kept = match (&cited, previous) {
                (Some(cited), Some(previous)) if !cited[b] => previous.files.get(&path).copied(),
                _ => None,
            };
            if let Some(hash) = kept {
                debug_assert_eq!(
                    hash,
                    site.bib_fingerprint(b),
                    "{path} outside the edit changed"
                );
                return (path, hash, None);
            }
            let hash = site.bib_fingerprint(b);
            let outcome = (!Written::unchanged(previous, &path, hash)).then(|| {
                build
                    .sink
                    .write(&path, site.bib_text(b).as_bytes())
                    .map_err(|e| Diagnostic::file_error(path.clone(), e.to_string()))
            });
            (path, hash, outcome)
        })
        .collect();
    let mut problems = Vec::new();
    for (path, hash, outcome) in files {
        match outcome {
            Some(Ok(())) => written.count += 1,
            Some(Err(problem)) => problems.push(problem),
            None => {}
        }
        written.files.insert(path, hash);
    }
    problems
}

/// The search index (`search/`): only the files whose bytes changed.
/// With `changed` (the briefs swapped into a graph of the same structure), the documents
/// of the last write are updated rather than made again.
fn write_search(
    cache: &mut crate::search::Cache,
    changed: Option<&[usize]>,
    site: &Site,
    build: &Build,
    previous: Option<&Written>,
    written: &mut Written,
) -> Vec<Diagnostic> {
    let (docs, labels) = match (changed, cache.take_docs()) {
        (Some(changed), Some(last)) => site.search_docs_after_edit(last, changed),
        _ => site.search_docs(),
    };
    if cfg!(debug_assertions) && changed.is_some() {
        let fresh = site.search_docs();
        assert!(
            docs == fresh.0 && labels == fresh.1,
            "the search documents updated after an edit differ from those made anew"
        );
    }
    let text = |i: usize| site.search_text(i);
    let input = crate::search::Input {
        language: &site.graph.config.language,
        docs,
        labels,
        text: &text,
    };
    let unchanged = |path: &str, hash: u64| Written::unchanged(previous, path, hash);
    let out = crate::search::write(input, cache, build.sink, &unchanged);
    written.count += out.count;
    written.files.extend(out.files);
    out.problems
        .into_iter()
        .map(|(path, e)| Diagnostic::file_error(path, e.to_string()))
        .collect()
}

/// The theme files whose bytes changed.
fn write_theme(
    build: &Build,
    graph_search: bool,
    previous: Option<&Written>,
    written: &mut Written,
) -> Vec<Diagnostic> {
    let (files, mut problems) = render::theme::outputs(build.root, graph_search);
    for (path, bytes) in files {
        let hash = hash_of(&bytes);
        if !Written::unchanged(previous, &path, hash) {
            match build.sink.write(&path, &bytes) {
                Ok(()) => written.count += 1,
                Err(e) => problems.push(Diagnostic::file_error(
                    format!("theme/{path}"),
                    e.to_string(),
                )),
            }
        }
        written.files.insert(path, hash);
    }
    problems
}

/// The content assets whose size or modification time changed.
fn copy_assets(
    graph: &Graph,
    build: &Build,
    previous: Option<&Written>,
    written: &mut Written,
) -> Vec<Diagnostic> {
    let stamped: Vec<(&crate::load::Asset, u64)> = graph
        .assets
        .par_iter()
        .map(|asset| {
            let stamp = std::fs::metadata(&asset.disk_path)
                .map(|m| hash_of(&(m.len(), m.modified().ok())))
                .unwrap_or_default();
            (asset, stamp)
        })
        .collect();
    let problems: Vec<Diagnostic> = stamped
        .par_iter()
        .filter(|(asset, stamp)| !Written::unchanged(previous, &asset.content_path, *stamp))
        .filter_map(|(asset, _)| {
            build
                .sink
                .copy(&asset.content_path, &asset.disk_path)
                .err()
                .map(|e| {
                    Diagnostic::file_error(format!("content/{}", asset.content_path), e.to_string())
                })
        })
        .collect();
    for (asset, stamp) in stamped {
        if !Written::unchanged(previous, &asset.content_path, stamp) {
            written.count += 1;
        }
        written.files.insert(asset.content_path.clone(), stamp);
    }
    problems
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
