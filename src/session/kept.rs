//! What a session keeps of each language between rebuilds ([`Lang`]): its caches and what
//! its last successful rebuild made ([`Last`]), and where a rebuild's graph came from, to
//! restore if the rebuild fails ([`Previous`]).

use std::sync::Arc;

use super::outputs::{self, Written};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::load::BriefDoc;
use crate::render::{self, bodies::BodyCache, views::CardCache, Bodies, CrossRefs};
use crate::resolve::{self, Graph};

/// What is kept of one language of the site between rebuilds.
#[derive(Default)]
pub(super) struct Lang {
    /// The settings of the site in this language ([`SiteConfig::for_language`]).
    pub(super) config: SiteConfig,
    pub(super) resolve: resolve::ResolveCache,
    pub(super) bodies: BodyCache,
    pub(super) cards: CardCache,
    /// Each brief's object in `api/briefs.json`, as last written.
    pub(super) briefs_json: render::data::BriefsJsonCache,
    /// The search index's per-document terms and file names.
    pub(super) search: crate::search::Cache,
    pub(super) last: Option<Last>,
    /// What the state this one replaced wrote (after a change to `site.yaml`), until a
    /// rebuild succeeds: that rebuild removes the files of it that the new settings no
    /// longer make (fewer pages of a list, no feeds).
    pub(super) replaced: Option<outputs::Written>,
}

impl Lang {
    pub(super) fn new(config: SiteConfig) -> Lang {
        Lang {
            config,
            search: crate::search::Cache::warm(),
            ..Lang::default()
        }
    }

    /// What the last successful rebuild of this language (or of the state it replaced)
    /// wrote.
    pub(super) fn into_written(self) -> Option<outputs::Written> {
        self.last.map(|last| last.kept.written).or(self.replaced)
    }

    /// The folder of the language in the output, with its `/` (empty for the default).
    pub(super) fn folder(&self) -> &str {
        &self.config.language_path
    }
}

/// What the last successful rebuild made, to compare the next one with.
pub(super) struct Last {
    pub(super) graph: Graph,
    pub(super) kept: Kept,
}

/// What the last successful rebuild made besides its graph.
pub(super) struct Kept {
    pub(super) xref: CrossRefs,
    /// What resolving reported (repeated when the graph is reused).
    pub(super) resolve_diagnostics: Diagnostics,
    pub(super) written: Written,
    pub(super) bodies: Bodies,
    pub(super) cards: render::views::Cards,
    /// Per brief: the hash of its card and of its data (what data files read of it).
    pub(super) card_hashes: Vec<u64>,
    pub(super) data_hashes: Vec<u64>,
    pub(super) cite_keys: std::sync::Arc<render::metadata::CiteKeys>,
}

impl Kept {
    /// What a rebuild keeps of what it made: before writing (cross-references, bodies,
    /// each brief's data hash, what resolving found) and while writing (`made`).
    pub(super) fn new(
        made: outputs::Made,
        xref: CrossRefs,
        bodies: Bodies,
        data_hashes: Vec<u64>,
        resolve_diagnostics: Diagnostics,
    ) -> Kept {
        let outputs::Made {
            written,
            card_hashes,
            cards,
            cite_keys,
        } = made;
        Kept {
            xref,
            resolve_diagnostics,
            written,
            bodies,
            cards,
            card_hashes,
            data_hashes,
            cite_keys,
        }
    }
}

/// Where this rebuild's graph came from, and what to restore if the rebuild fails.
pub(super) enum Previous {
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
    pub(super) fn swapped(&self) -> Vec<usize> {
        match self {
            Previous::Swapped { old_docs, .. } => {
                old_docs.iter().map(|(index, _)| *index).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The last graph (the current one when swapped, whose structure is the same) and
    /// what else the last rebuild made.
    pub(super) fn parts<'a>(&'a self, graph: &'a Graph) -> Option<(&'a Graph, &'a Kept)> {
        match self {
            Previous::None => None,
            Previous::Resolved(last) => Some((&last.graph, &last.kept)),
            Previous::Swapped { kept, .. } => Some((graph, &**kept)),
        }
    }

    /// What the last rebuild wrote, and its cards if the graph's structure is the same
    /// (the outputs reuse them), taken out.
    pub(super) fn take_written_and_cards(
        &mut self,
    ) -> (Option<Written>, Option<render::views::Cards>) {
        match self {
            Previous::None => (None, None),
            Previous::Resolved(last) => (Some(std::mem::take(&mut last.kept.written)), None),
            Previous::Swapped { kept, .. } => (
                Some(std::mem::take(&mut kept.written)),
                Some(std::mem::take(&mut kept.cards)),
            ),
        }
    }

    /// The last rebuild as it was, for a rebuild that failed with `graph`.
    pub(super) fn restore(self, mut graph: Graph) -> Option<Last> {
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
