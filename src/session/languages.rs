//! The rebuild of a site in several languages (docs/languages.md): every language is
//! resolved from the documents it shows, the graphs are connected, then each language is
//! rendered and written under its folder through the same outputs as a site of one
//! language.

use super::{outputs, Build, Counts, Kept, Lang, Last, Life, Rebuild, State};
use crate::diagnostics::Diagnostics;
use crate::load::{self, Content};
use crate::render::{self, Bodies, CrossRefs};
use crate::resolve;
use crate::timing::Timings;

impl State {
    /// Builds every language of a multilingual site: each is resolved from the
    /// documents it shows, the graphs are connected (links between languages, the
    /// versions of each page), then each is rendered and written under its folder. The
    /// graphs are resolved again on every rebuild; bodies, cards and what was written
    /// are reused per language.
    pub(super) fn build_languages(
        &mut self,
        langs: &mut [Lang],
        build: &Build,
        timings: &mut Timings,
        mut diagnostics: Diagnostics,
    ) -> Result<Rebuild, Diagnostics> {
        let mut graphs = Vec::with_capacity(langs.len());
        let mut lasts = Vec::with_capacity(langs.len());
        for lang in langs.iter_mut() {
            let content = load::translations::for_language(
                &self.content,
                &self.config,
                &lang.config.language,
            );
            graphs.push(resolve::resolve_cached(
                lang.config.clone(),
                content,
                build.options.drafts,
                &mut diagnostics,
                &mut lang.resolve,
            ));
            lasts.push(lang.last.take());
        }
        if build.life == Life::OneShot {
            // Each language holds what it shows: the texts can be freed as they render.
            self.content = Content::default();
        }
        resolve::languages::connect(&mut graphs);
        timings.mark("resolve");
        // A warm session renders every language before writing any, so that a failed
        // rebuild leaves the output alone; a build (into a staging folder) renders each
        // language as it writes it and frees it after, holding one language at a time.
        let one_shot = build.life == Life::OneShot;
        let mut made: Vec<Option<(Bodies, CrossRefs)>> = Vec::with_capacity(langs.len());
        for (lang, graph) in langs.iter_mut().zip(&mut graphs) {
            made.push((!one_shot).then(|| render_language(lang, build, graph, &mut diagnostics)));
        }
        if !one_shot {
            timings.mark("markdown");
            if build.options.strict {
                diagnostics.promote_warnings();
            }
            if diagnostics.has_errors() {
                diagnostics.sort();
                for (lang, last) in langs.iter_mut().zip(lasts) {
                    lang.last = last;
                }
                return Err(diagnostics);
            }
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
        let mut failure: Option<Diagnostics> = None;
        let parts = langs.iter_mut().zip(graphs).zip(made).zip(lasts);
        for (i, (((lang, mut graph), made), last)) in parts.enumerate() {
            let (bodies, xref) = match made {
                Some(made) => made,
                None => {
                    let made = render_language(lang, build, &mut graph, &mut diagnostics);
                    graph.release_sources();
                    if build.options.strict {
                        diagnostics.promote_warnings();
                    }
                    made
                }
            };
            if failure.is_some() || diagnostics.has_errors() {
                // Render the other languages only to report all their problems.
                continue;
            }
            rebuild.counts.briefs += graph.briefs.len();
            rebuild.counts.drafts += graph.drafts.len();
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
            let before = outputs::Before {
                kept: None,
                same_structure: false,
                swapped: &[],
                data_hashes: &data_hashes,
                written: last.map(|last| last.kept.written),
                cards: None,
            };
            let mut parts = outputs::Parts {
                lang,
                templates: &mut self.templates,
                template_epoch: self.template_epoch,
            };
            let outcome =
                outputs::write(&mut parts, &build, &graph, &bodies, &xref, before, timings);
            let (written, card_hashes, cards) = match outcome {
                Ok(done) => done,
                Err(errors) => {
                    failure = Some(errors);
                    continue;
                }
            };
            rebuild.html_pages += written.pages.len();
            rebuild.files += written.pages.len() + written.files.len();
            rebuild.written += written.count;
            rebuild.removed += written.removed;
            if !one_shot {
                lang.last = Some(Last {
                    graph,
                    kept: Kept {
                        xref,
                        resolve_diagnostics: Diagnostics::new(),
                        written,
                        bodies,
                        cards,
                        card_hashes,
                        data_hashes,
                    },
                });
            }
        }
        diagnostics.sort();
        if diagnostics.has_errors() {
            // Only a build gets here, which discards what it wrote.
            return Err(diagnostics);
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
}

/// A language's bodies and cross-references.
fn render_language(
    lang: &mut Lang,
    build: &Build,
    graph: &mut resolve::Graph,
    diagnostics: &mut Diagnostics,
) -> (Bodies, CrossRefs) {
    let bodies = State::bodies(lang, build, graph, diagnostics);
    let xref = render::crossref::compute_incremental(
        graph,
        &bodies,
        None,
        &std::collections::HashSet::new(),
    );
    (bodies, xref)
}
