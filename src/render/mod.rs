//! Stage 3b, render: every page and file of the site from the resolved graph and the
//! rendered bodies, written into the staging folder in parallel.
//!
//! Owns templates, template contexts, the feed, sitemap and JSON, and the theme assets.
//! Reads the graph only; nothing here mutates shared state.

pub mod bodies;
pub mod crossref;
pub mod data;
pub mod pages;
pub mod templates;
pub mod theme;
pub mod views;

use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::resolve::Graph;
use crate::write::Staging;
pub use bodies::Bodies;
pub use crossref::CrossRefs;
pub use pages::Job;
pub use templates::Templates;

/// Everything a page needs: the graph, rendered bodies and cross-references.
pub struct Site<'g> {
    /// The site's folder (for its own `theme/`).
    pub root: &'g std::path::Path,
    pub graph: &'g Graph,
    pub bodies: &'g Bodies,
    pub xref: &'g CrossRefs,
    /// Brief, actor and event cards, converted once.
    pub cards: views::Cards,
}

impl<'g> Site<'g> {
    /// The site, with its cards converted for templates.
    pub fn new(
        root: &'g std::path::Path,
        graph: &'g Graph,
        bodies: &'g Bodies,
        xref: &'g CrossRefs,
    ) -> Site<'g> {
        let mut site = Site {
            root,
            graph,
            bodies,
            xref,
            cards: views::Cards {
                briefs: Vec::new(),
                actors: Vec::new(),
                events: Vec::new(),
            },
        };
        site.cards = site.make_cards();
        site
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    /// HTML pages.
    pub pages: usize,
    /// All files, assets included.
    pub files: usize,
}

/// Renders and writes the whole site into `staging`.
pub fn render_site(
    site: &Site,
    templates: &mut Templates,
    staging: &Staging,
    progress: &ProgressBar,
) -> Result<Written, Diagnostics> {
    templates
        .tera
        .global_context()
        .insert("site", &site.site_view());
    let templates: &Templates = templates;
    let jobs = pages::jobs(site);
    progress.set_length(jobs.len() as u64);
    let files = AtomicUsize::new(0);
    let errors: Vec<Diagnostic> = jobs
        .par_iter()
        .filter_map(|&job| {
            let result = render_page(site, templates, staging, job);
            progress.inc(1);
            files.fetch_add(1, Ordering::Relaxed);
            result.err()
        })
        .collect();
    let mut diagnostics = Diagnostics::new();
    // One template error repeats on every page that uses it: report each once.
    for d in errors {
        if !diagnostics
            .iter()
            .any(|x: &Diagnostic| x.file == d.file && x.line == d.line && x.message == d.message)
        {
            diagnostics.push(d);
        }
    }
    let pages = jobs.len();
    let extra = write_data(site, staging, &jobs).and_then(|n| Ok(n + theme::write(site, staging)?));
    match extra {
        Ok(n) => files.fetch_add(n, Ordering::Relaxed),
        Err(d) => {
            diagnostics.push(d);
            0
        }
    };
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(Written {
        pages,
        files: files.load(Ordering::Relaxed),
    })
}

fn render_page(
    site: &Site,
    templates: &Templates,
    staging: &Staging,
    job: Job,
) -> Result<(), Diagnostic> {
    let (template, context) = site.context(job);
    let html = templates.render(template, &context)?;
    let path = site.output_path(job);
    staging
        .write(&path, html.as_bytes())
        .map_err(|e| Diagnostic::error(path, e.to_string()))
}

/// Feed, sitemap, robots, CNAME, JSON and content assets; returns how many files.
fn write_data(site: &Site, staging: &Staging, jobs: &[Job]) -> Result<usize, Diagnostic> {
    let g = site.graph;
    let fail = |path: &str| {
        let path = path.to_string();
        move |e: crate::fsutil::FsError| Diagnostic::error(path.clone(), e.to_string())
    };
    let mut urls: Vec<(String, Option<String>)> = jobs
        .iter()
        .filter(|j| !matches!(j, Job::NotFound))
        .map(|&j| {
            let lastmod = match j {
                Job::Brief(b) => Some(
                    g.briefs[b]
                        .doc
                        .updated
                        .as_ref()
                        .unwrap_or(&g.briefs[b].doc.date)
                        .iso(),
                ),
                _ => None,
            };
            (site.url_of(j), lastmod)
        })
        .collect();
    urls.sort();
    let mut outputs: Vec<(String, String)> = vec![
        ("sitemap.xml".into(), site.sitemap(&urls)),
        ("robots.txt".into(), site.robots()),
        ("api/briefs.json".into(), site.briefs_json()),
        ("api/actors.json".into(), site.actors_json()),
        ("api/events.json".into(), site.events_json()),
    ];
    if g.config.feeds {
        outputs.push(("feed.xml".into(), site.feed()));
    }
    if let Some(cname) = &g.config.cname {
        outputs.push(("CNAME".into(), format!("{}\n", cname.trim())));
    }
    for (path, text) in &outputs {
        staging.write(path, text.as_bytes()).map_err(fail(path))?;
    }
    g.assets.par_iter().try_for_each(|asset| {
        staging
            .copy(&asset.content_path, &asset.disk_path)
            .map_err(fail(&asset.content_path))
    })?;
    Ok(outputs.len() + g.assets.len())
}
