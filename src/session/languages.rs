//! The rebuild of a site in several languages (docs/languages.md): every language is
//! resolved from the documents it shows, the graphs are connected, then each language is
//! rendered and written under its folder through the same outputs as a site of one
//! language.

use super::{outputs, resolve_in, Build, Counts, Kept, Lang, Last, Life, Rebuild, State};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, Content};
use crate::render;
use crate::resolve;
use crate::timing::Timings;

impl State {
    /// Builds every language of a multilingual site: each is resolved from the
    /// documents it shows, the graphs are connected (links between languages, the
    /// versions of each page), then each is rendered and written under its folder. The
    /// graphs are resolved again on every rebuild; bodies, related briefs away from the
    /// change, cards and what was written are reused per language.
    pub(super) fn build_languages(
        &mut self,
        langs: &mut [Lang],
        build: &Build,
        timings: &mut Timings,
        mut diagnostics: Diagnostics,
    ) -> Result<Rebuild, Diagnostics> {
        let (mut graphs, found) = self.resolve_languages(langs, build);
        let lasts: Vec<Option<Last>> = langs.iter_mut().map(|lang| lang.last.take()).collect();
        diagnostics.extend(across_languages(&found));
        if build.life == Life::OneShot {
            // Each language holds what it shows: the texts can be freed as they render.
            self.content = Content::default();
        }
        resolve::languages::connect(&mut graphs);
        timings.mark("resolve");
        let changed_files = build.changed_content();
        let mut made = Vec::with_capacity(langs.len());
        for ((lang, graph), last) in langs.iter_mut().zip(&mut graphs).zip(&lasts) {
            let bodies = Self::bodies(lang, build, graph, &mut diagnostics);
            // Related briefs again only near the changed files (see `compute_incremental`).
            let xref = render::crossref::compute_incremental(
                graph,
                &bodies,
                last.as_ref().map(|last| (&last.graph, &last.kept.xref)),
                &changed_files,
            );
            debug_assert!(
                xref == render::crossref::compute(graph, &bodies),
                "related briefs reused from the last rebuild differ from those made anew"
            );
            if build.life == Life::OneShot {
                graph.release_sources();
            }
            made.push((bodies, xref));
        }
        timings.mark("markdown");
        if build.options.strict {
            diagnostics.promote_warnings();
        }
        diagnostics.sort();
        if diagnostics.has_errors() {
            for (lang, last) in langs.iter_mut().zip(lasts) {
                lang.last = last;
            }
            return Err(diagnostics);
        }
        let mut rebuild = Rebuild {
            counts: Counts {
                actors: graphs[0].actors.len(),
                events: graphs[0].events.len(),
                pages: graphs[0].pages.len(),
                ..Counts::default()
            },
            ..Rebuild::default()
        };
        let mut failure = None;
        let parts = langs.iter_mut().zip(graphs).zip(made).zip(lasts);
        for (i, (((lang, graph), (bodies, xref)), last)) in parts.enumerate() {
            rebuild.counts.briefs += graph.briefs.len();
            rebuild.counts.drafts += graph.drafts.len();
            let swapped = last
                .as_ref()
                .and_then(|last| self.edited_briefs(last, &graph, build));
            let made = Made {
                graph,
                bodies,
                xref,
                last,
                swapped,
            };
            if let Err(errors) = self.write_language(i, lang, made, build, &mut rebuild, timings) {
                failure = Some(errors);
                break;
            }
        }
        if let Some(mut errors) = failure {
            errors.extend(diagnostics.iter().cloned());
            errors.sort();
            // Some files may be written: forget them, so the next rebuild writes all.
            for lang in langs.iter_mut() {
                lang.last = None;
            }
            return Err(errors);
        }
        rebuild.warnings = diagnostics;
        Ok(rebuild)
    }

    /// When this rebuild's changes kept the structure of a language's graph (see
    /// [`State::same_structure`]): the briefs they changed, by index in both `last`'s
    /// graph and `graph`, resolved again from the same documents but those.
    fn edited_briefs(
        &self,
        last: &Last,
        graph: &resolve::Graph,
        build: &Build,
    ) -> Option<Vec<usize>> {
        let swaps = self.same_structure(last, build.changed)?;
        let old = &last.graph.briefs;
        let aligned = old.len() == graph.briefs.len()
            && old
                .iter()
                .zip(&graph.briefs)
                .all(|(a, b)| a.doc.content_path == b.doc.content_path);
        aligned.then(|| swaps.into_iter().map(|(b, _)| b).collect())
    }

    /// Resolves each language from the documents it shows; what each found.
    fn resolve_languages(
        &self,
        langs: &mut [Lang],
        build: &Build,
    ) -> (Vec<resolve::Graph>, Vec<Diagnostics>) {
        langs
            .iter_mut()
            .map(|lang| {
                let content = load::translations::for_language(
                    &self.content,
                    &self.config,
                    &lang.config.language,
                );
                resolve_in(lang, content, build)
            })
            .unzip()
    }

    /// Renders and writes language `i` (the first writes the files of the site's root)
    /// under its folder; counts it in `rebuild` and keeps what it made as its last.
    fn write_language(
        &mut self,
        i: usize,
        lang: &mut Lang,
        made: Made,
        build: &Build,
        rebuild: &mut Rebuild,
        timings: &mut Timings,
    ) -> Result<(), Diagnostics> {
        let Made {
            graph,
            bodies,
            xref,
            mut last,
            swapped,
        } = made;
        let folder = crate::write::Prefixed {
            inner: build.sink,
            prefix: lang.folder().to_string(),
        };
        let build = Build {
            sink: &folder,
            root_files: i == 0,
            ..*build
        };
        let data_hashes: Vec<u64> = bodies.briefs.iter().map(|b| b.data_hash).collect();
        // After an edit that kept this language's structure, the outputs take over what
        // the last rebuild made, as in a site of one language.
        let cards = match (&swapped, last.as_mut()) {
            (Some(_), Some(last)) => Some(std::mem::take(&mut last.kept.cards)),
            _ => None,
        };
        let replaced = if last.is_none() {
            lang.replaced.take()
        } else {
            None
        };
        let written = last
            .as_mut()
            .map(|last| std::mem::take(&mut last.kept.written));
        let before = outputs::Before {
            kept: swapped.as_ref().and(last.as_ref().map(|last| &last.kept)),
            same_structure: swapped.is_some(),
            swapped: swapped.as_deref().unwrap_or(&[]),
            data_hashes: &data_hashes,
            replaced,
            written,
            cards,
        };
        let mut parts = outputs::Parts {
            lang,
            templates: &mut self.templates,
            template_epoch: self.template_epoch,
        };
        let made = outputs::write(&mut parts, &build, &graph, &bodies, &xref, before, timings)?;
        rebuild.count_written(&made.written);
        let kept = Kept::new(made, xref, bodies, data_hashes, Diagnostics::new());
        parts.lang.last = Some(Last { graph, kept });
        Ok(())
    }
}

/// What one language's rebuild made before writing, and its last rebuild.
struct Made {
    graph: resolve::Graph,
    bodies: render::Bodies,
    xref: render::CrossRefs,
    last: Option<Last>,
    /// The briefs an edit that kept the graph's structure changed, by index.
    swapped: Option<Vec<usize>>,
}

/// What resolving the languages found, each problem once. A `site.yaml` entry that names
/// a topic or region no brief has is reported only when no language has a brief with it
/// (the French briefs need not cover every topic of the English ones).
fn across_languages(found: &[Diagnostics]) -> Vec<Diagnostic> {
    let unused_term =
        |d: &Diagnostic| d.file == "site.yaml" && d.message.contains("but no brief has this");
    let same = |a: &Diagnostic, b: &Diagnostic| {
        a.file == b.file && a.line == b.line && a.message == b.message
    };
    let mut all = Vec::new();
    for (i, language) in found.iter().enumerate() {
        for d in language.iter() {
            let everywhere = || {
                found
                    .iter()
                    .enumerate()
                    .all(|(j, other)| i == j || other.iter().any(|o| same(o, d)))
            };
            if !unused_term(d) || (i == 0 && everywhere()) {
                all.push(d.clone());
            }
        }
    }
    all
}
