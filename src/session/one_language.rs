//! The rebuild of a site in one language: resolve (or swap the edited briefs into the last
//! graph), Markdown, cross-references, then the outputs; what it made is kept for the next
//! rebuild of a warm session.

use super::{outputs, Build, Counts, Kept, Lang, Last, Life, Previous, Rebuild, State};
use crate::diagnostics::Diagnostics;
use crate::render::{self, Bodies, CrossRefs};
use crate::resolve::Graph;
use crate::timing::Timings;

impl State {
    /// Builds a site of one language, reusing what the last rebuild made.
    pub(super) fn build_one(
        &mut self,
        lang: &mut Lang,
        build: &Build,
        timings: &mut Timings,
        mut diagnostics: Diagnostics,
    ) -> Result<Rebuild, Diagnostics> {
        let last = lang.last.take();
        let (mut graph, resolve_diagnostics, mut previous) = self.graph(lang, build, last);
        diagnostics.extend(resolve_diagnostics.iter().cloned());
        timings.mark("resolve");
        let swapped = previous.swapped();
        let bodies = Self::render_bodies(
            lang,
            build,
            &mut graph,
            &previous,
            &swapped,
            &mut diagnostics,
        );
        timings.mark("markdown");
        let xref = cross_refs(build, &graph, &bodies, &previous, &swapped);
        timings.mark("cross-refs");
        if build.life == Life::OneShot {
            // Nothing quotes a source from here on: free the texts before rendering.
            graph.release_sources();
        }
        if build.options.strict {
            diagnostics.promote_warnings();
        }
        diagnostics.sort();
        if diagnostics.has_errors() {
            // The output is untouched: the last rebuild stays the one to compare with.
            lang.last = previous.restore(graph);
            return Err(diagnostics);
        }
        let counts = Counts {
            briefs: graph.briefs.len(),
            actors: graph.actors.len(),
            events: graph.events.len(),
            pages: graph.pages.len(),
            drafts: graph.drafts.len(),
        };
        let data_hashes: Vec<u64> = bodies.briefs.iter().map(|b| b.data_hash).collect();
        // Taken over by the outputs; a failure there forgets the last rebuild anyway.
        let (last_written, last_cards) = previous.take_written_and_cards();
        let before = outputs::Before {
            kept: previous.parts(&graph).map(|(_, k)| k),
            same_structure: matches!(previous, Previous::Swapped { .. }),
            swapped: &swapped,
            data_hashes: &data_hashes,
            replaced: if last_written.is_none() {
                lang.replaced.take()
            } else {
                None
            },
            written: last_written,
            cards: last_cards,
        };
        let mut parts = outputs::Parts {
            lang,
            templates: &mut self.templates,
            template_epoch: self.template_epoch,
        };
        let outcome = outputs::write(&mut parts, build, &graph, &bodies, &xref, before, timings);
        drop(previous);
        let made = outcome.map_err(|mut errors| {
            errors.extend(diagnostics.iter().cloned());
            errors.sort();
            // Some files may be written: forget them, so the next rebuild writes all.
            lang.last = None;
            errors
        })?;
        let mut rebuild = Rebuild {
            counts,
            warnings: diagnostics,
            ..Rebuild::default()
        };
        rebuild.count_written(&made.written);
        lang.last = Some(Last {
            graph,
            kept: Kept::new(made, xref, bodies, data_hashes, resolve_diagnostics),
        });
        Ok(rebuild)
    }
}

/// The cross-references: for swapped briefs, from the last ones; else computed again,
/// reusing the last related briefs far from the change.
fn cross_refs(
    build: &Build,
    graph: &Graph,
    bodies: &Bodies,
    previous: &Previous,
    swapped: &[usize],
) -> CrossRefs {
    if let Previous::Swapped { kept, .. } = previous {
        return render::crossref::compute_same_structure(graph, bodies, &kept.xref, swapped);
    }
    let changed_files = build.changed_content();
    render::crossref::compute_incremental(
        graph,
        bodies,
        previous.parts(graph).map(|(g, k)| (g, &k.xref)),
        &changed_files,
    )
}
