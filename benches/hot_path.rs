//! Micro-benchmarks of the per-brief hot path, on the example site's seed-shaped brief:
//! front matter, Markdown with mentions, and one template render.
//!
//! `cargo bench --bench hot_path`

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

use briefly::config::SiteConfig;
use briefly::diagnostics::Diagnostics;
use briefly::load::{self, frontmatter, BriefFront, BRIEF_KEYS};
use briefly::markdown::{self, BodyInput};
use briefly::render::{self, pages::Job, Site, Templates};
use briefly::resolve;

const BRIEF: &str = "content/briefs/2021/caught-in-the-crossfire.md";

fn site_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn hot_path(c: &mut Criterion) {
    let root = site_root();
    let text = std::fs::read_to_string(root.join(BRIEF)).expect("the example brief");

    c.bench_function("front matter: split and parse one brief", |b| {
        b.iter(|| {
            let source = frontmatter::split(BRIEF, black_box(text.clone())).expect("valid");
            let front: BriefFront =
                load::front::parse(&source, "brief", BRIEF_KEYS).expect("valid");
            black_box(front)
        });
    });

    let mut diagnostics = Diagnostics::new();
    let config = SiteConfig::load(root).expect("site.yaml");
    let content = load::load(root, &mut diagnostics);
    let graph = resolve::resolve(config, content, false, &mut diagnostics);
    let brief = graph
        .briefs
        .iter()
        .position(|b| b.doc.content_path == BRIEF.trim_start_matches("content/"))
        .expect("the brief is built");

    let inputs = render::bodies::LinkInputs::new(&graph);
    let ctx = inputs.context();
    let doc = &graph.briefs[brief].doc;
    c.bench_function(
        "markdown: one brief with sections, links and mentions",
        |b| {
            b.iter(|| {
                let input = BodyInput {
                    source: &doc.source,
                    content_path: &doc.content_path,
                    structured: true,
                    mentions: Some(&graph.mentions),
                    reserved_ids: &[],
                };
                black_box(markdown::render_body(black_box(&input), &ctx))
            });
        },
    );

    let bodies = render::bodies::render_all(&graph, &mut diagnostics);
    let xref = render::crossref::compute(&graph, &bodies);
    let mut templates = Templates::load(root, &mut diagnostics).expect("built-in templates");
    let site = Site::new(root, &graph, &bodies, &xref, &mut templates).expect("cards render");
    c.bench_function("template: render one brief page", |b| {
        b.iter(|| {
            black_box(
                render::render_to_string(&site, &templates, black_box(Job::Brief(brief)))
                    .expect("renders"),
            )
        });
    });
}

criterion_group!(benches, hot_path);
criterion_main!(benches);
