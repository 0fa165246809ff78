//! The files of a rebuild other than its pages: data files, citations, feeds and
//! calendars, the search index, the theme and the content assets, each written only when
//! what it is made from changed since the last rebuild (always, in a one-shot build).
//! After an edit of the same structure ([`Edit`]), what cannot have changed is taken
//! over without fingerprinting it.
//!
//! Every file-system error is reported; none is swallowed.

use rayon::prelude::*;

use super::outputs::{check_reach, Edit, Written};
use super::{Build, Life};
use crate::diagnostics::Diagnostic;
use crate::hash::hash_of;
use crate::render::reach::Reach;
use crate::render::{self, Job, Site};
use crate::resolve::Graph;

/// What writing the files other than pages, feeds and the search index reads.
pub(super) struct Files<'a> {
    pub jobs: &'a [Job],
    pub previous: Option<&'a Written>,
    pub data_unchanged: DataUnchanged,
    pub briefs_json: Option<BriefsJson<'a>>,
    /// The only briefs whose citation file can differ from the last rebuild's (`None`:
    /// any brief's).
    pub cited: Option<&'a [usize]>,
}

/// Writes the data files, the citation files and (at the site's root) the theme and the
/// assets.
pub(super) fn write_files(
    site: &Site,
    build: &Build,
    files: Files,
    written: &mut Written,
) -> Vec<Diagnostic> {
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
pub(super) fn write_subscriptions(
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
pub(super) struct BriefsJson<'a> {
    pub cache: &'a mut render::data::BriefsJsonCache,
    pub changed: Option<&'a [usize]>,
}

/// Which data files are known unchanged without fingerprinting them.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct DataUnchanged {
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
pub(super) fn write_search(
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

impl Edit<'_> {
    /// Which data files this edit leaves as they were, given the cards of the rebuild.
    /// Data files read of the graph only what its structure holds, and of each brief its
    /// card, its data and its mentions: a data file whose own inputs among these did not
    /// change is the same (see `Site::data_fingerprint`).
    pub(super) fn data_unchanged(&self, card_hashes: &[u64], site: &Site) -> DataUnchanged {
        let k = self.kept;
        let xref = site.xref;
        let cards = k.card_hashes == card_hashes;
        let mentions = k.xref.mentioned_only == xref.mentioned_only;
        let data = k.data_hashes == self.data_hashes;
        // Of briefs.json's inputs, only the edited briefs' can differ.
        let edit: Vec<_> = self
            .swapped
            .iter()
            .map(|&b| {
                (
                    b,
                    card_hashes[b],
                    self.data_hashes[b],
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

    /// The briefs whose citation can differ: the edited ones and those whose key changed
    /// (`None`: any brief's).
    pub(super) fn cited(&self, site: &Site) -> Option<Vec<usize>> {
        let mut list = self.kept.cite_keys.differences(&site.cite_keys)?;
        list.extend_from_slice(self.swapped);
        Some(list)
    }
}
