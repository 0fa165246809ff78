//! `briefly init` and `briefly new`: a new site with a sample brief, actor and event and
//! the GitHub Pages workflow that publishes it, and new content files with their front
//! matter filled in.

use std::path::{Path, PathBuf};

use crate::fsutil;
use crate::slug::slugify;

const SAMPLE_SITE: &str =
    "title: My Briefs\nbase_url: /\nlanguage: en\ndescription: Policy briefs.\nautolink: first\n";

const SAMPLE_BRIEF: &str = r#"---
title: A first brief
subtitle: What a brief looks like
date: 2024-01-15
authors: [Your Name]
actors: [example-ministry]
events: [2024-01-10-example-summit]
topics: [example-topic]
regions: [example-region]
---

A short introduction. The Example Ministry is mentioned here, so it links to its page.

## Key Points

- The first key point, one or two sentences.
- The second key point.

## Background

What led here. See the [summit](../events/2024-01-10-example-summit.md).

## Analysis

A free section: any H2 that is not Key Points, Background or Recommendations.

## Recommendations

1. The first recommendation.
2. The second recommendation.
"#;

const SAMPLE_ACTOR: &str = "---\nname: Example Ministry\naliases: [EM]\nkind: organisation\ncountry: Exampleland\n---\n\nA sample actor. Describe who they are in a few sentences.\n";

const SAMPLE_EVENT: &str = "---\ntitle: Example summit\ndate: 2024-01-10\nlocation: Example City\nactors: [example-ministry]\n---\n\nA sample event.\n";

/// Where `init` writes the GitHub Pages workflow, relative to the site.
pub const WORKFLOW_PATH: &str = ".github/workflows/pages.yml";

/// The GitHub Pages workflow for a site kept in a repository of its own: it installs the
/// release binary of this version of `briefly` (checked against its published SHA-256),
/// builds with the address GitHub Pages reports, and deploys. docs/publishing.md shows it.
pub fn pages_workflow() -> String {
    include_str!("pages.yml")
        .replace("{{VERSION}}", env!("CARGO_PKG_VERSION"))
        .replace("{{REPOSITORY}}", env!("CARGO_PKG_REPOSITORY"))
}

/// Creates a new site in `dir` (which may exist, but must not have `content/`), with the
/// GitHub Pages workflow unless `workflow` is false. Files that exist are kept.
pub fn init(dir: &Path, workflow: bool) -> Result<Vec<PathBuf>, String> {
    if dir.join("content").exists() {
        return Err(format!(
            "{} already has a content/ folder; choose an empty folder",
            dir.display()
        ));
    }
    let workflow_text = pages_workflow();
    let mut files = vec![
        ("site.yaml", SAMPLE_SITE),
        ("content/briefs/a-first-brief.md", SAMPLE_BRIEF),
        ("content/actors/example-ministry.md", SAMPLE_ACTOR),
        ("content/events/2024-01-10-example-summit.md", SAMPLE_EVENT),
    ];
    if workflow {
        files.push((WORKFLOW_PATH, &workflow_text));
    }
    let mut written = Vec::new();
    for (path, text) in files {
        let target = dir.join(path);
        if target.exists() {
            continue;
        }
        fsutil::write(&target, text.as_bytes()).map_err(|e| e.to_string())?;
        written.push(target);
    }
    Ok(written)
}

/// What `briefly new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// `content/briefs/<slug>.md`, a draft.
    Brief,
    /// `content/actors/<slug>.md`.
    Actor,
    /// `content/events/<today>-<slug>.md`.
    Event,
}

/// Creates a content file for `title`, dated `today` (`YYYY-MM-DD`); refuses to overwrite.
pub fn new_file(root: &Path, kind: NewKind, title: &str, today: &str) -> Result<PathBuf, String> {
    let title = title.trim();
    if title.is_empty() {
        return Err("the title is empty".into());
    }
    let slug = slugify(title);
    let quoted = serde_json::to_string(title).unwrap_or_else(|_| format!("\"{title}\""));
    let (path, text) = match kind {
        NewKind::Brief => (
            root.join("content/briefs").join(format!("{slug}.md")),
            format!("---\ntitle: {quoted}\ndate: {today}\nauthors: []\nactors: []\nevents: []\ntopics: []\nregions: []\ndraft: true\n---\n\n## Key Points\n\n- \n\n## Background\n\n\n## Recommendations\n\n1. \n"),
        ),
        NewKind::Actor => (
            root.join("content/actors").join(format!("{slug}.md")),
            format!("---\nname: {quoted}\naliases: []\nkind: \n---\n\n"),
        ),
        NewKind::Event => (
            root.join("content/events").join(format!("{today}-{slug}.md")),
            format!("---\ntitle: {quoted}\ndate: {today}\nlocation: \nactors: []\nsources: []\n---\n\n"),
        ),
    };
    if path.exists() {
        return Err(format!("{} already exists", path.display()));
    }
    fsutil::write(&path, text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(path)
}

/// Today's date in UTC, `YYYY-MM-DD` (for new files only; never in build output).
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(secs, 0)
        .map_or_else(|| "1970-01-01".into(), |d| d.format("%Y-%m-%d").to_string())
}
