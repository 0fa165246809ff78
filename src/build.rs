//! The build: load → resolve → Markdown → checks → render → write, with the timings of
//! each stage. `check` runs the same stages and writes nothing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::SiteConfig;
use crate::diagnostics::{count, Diagnostic, Diagnostics};
use crate::fsutil::FsError;
use crate::render::{self, Site, Templates};
use crate::write::{Sink, Staging};
use crate::{load, resolve};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder (holds `content/`).
    pub root: PathBuf,
    /// Output folder; default `<root>/public`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Build drafts too.
    pub drafts: bool,
    /// Warnings are errors.
    pub strict: bool,
    /// Write the output (`false` for `check`).
    pub write: bool,
    /// Show a progress bar.
    pub progress: bool,
    /// Replace an output folder that briefly did not write (never a protected one).
    pub force: bool,
}

/// What a successful build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub briefs: usize,
    pub actors: usize,
    pub events: usize,
    /// Free pages.
    pub pages: usize,
    /// HTML pages written.
    pub html_pages: usize,
    /// All files written.
    pub files: usize,
    pub output: PathBuf,
    /// Time per stage.
    pub timings: Vec<(&'static str, Duration)>,
    pub elapsed: Duration,
    /// Warnings (a build with errors returns them instead).
    pub diagnostics: Diagnostics,
    /// Drafts left out (without `--drafts`).
    pub drafts: usize,
}

impl BuildReport {
    /// The line printed at the end of a build: what was built, then the warnings and the
    /// drafts left out, if any.
    pub fn summary(&self, wrote: bool) -> String {
        let what = format!(
            "{} briefs, {} actors, {} events, {} pages",
            self.briefs, self.actors, self.events, self.pages
        );
        let ms = self.elapsed.as_secs_f64() * 1000.0;
        let mut line = if wrote {
            format!(
                "Built {what}: {} HTML pages, {} files in {ms:.0} ms",
                self.html_pages, self.files
            )
        } else {
            format!("Checked {what} in {ms:.0} ms: no errors")
        };
        let warnings = self.diagnostics.warning_count();
        if warnings > 0 {
            line.push_str(&format!(", {}", count(warnings, "warning")));
        }
        if self.drafts > 0 {
            line.push_str(&format!(
                "; {} skipped (use --drafts)",
                count(self.drafts, "draft")
            ));
        }
        line
    }
}

/// The output folder for these options.
pub fn output_dir(options: &BuildOptions) -> PathBuf {
    options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"))
}

/// Runs the build. On failure, every error (and warning) of the run.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let mut timings = crate::timing::Timings::start();
    let mut diagnostics = Diagnostics::new();
    let root = options.root.as_path();
    let config = match SiteConfig::load(root) {
        Ok(c) => c.with_base_url(options.base_url.as_deref()),
        Err(d) => {
            diagnostics.push(d);
            return Err(diagnostics);
        }
    };
    let output = output_dir(options);
    let target = if options.write {
        match crate::output::approve(root, &output, options.force) {
            Ok(crate::output::Approved(real)) => {
                crate::write::remove_stale_staging(&real);
                real
            }
            Err(d) => {
                diagnostics.push(d);
                return Err(diagnostics);
            }
        }
    } else {
        output.clone()
    };
    let content = load::load(root, &mut diagnostics);
    timings.mark("load");
    let mut graph = resolve::resolve(config, content, options.drafts, &mut diagnostics);
    timings.mark("resolve");
    let templates = Templates::load(root, &mut diagnostics);
    diagnostics.extend(render::theme::problems(root));
    let bodies = if options.write {
        render::bodies::render_all_releasing(&mut graph, &mut diagnostics)
    } else {
        render::bodies::render_all(&graph, &mut diagnostics)
    };
    timings.mark("markdown");
    let xref = render::crossref::compute(&graph, &bodies);
    if options.write {
        // Nothing quotes a source from here on: free the texts before rendering.
        graph.release_sources();
    }
    timings.mark("cross-refs");
    if options.strict {
        diagnostics.promote_warnings();
    }
    diagnostics.sort();
    let Some(mut templates) = templates.filter(|_| !diagnostics.has_errors()) else {
        return Err(diagnostics);
    };
    let mut report = BuildReport {
        briefs: graph.briefs.len(),
        actors: graph.actors.len(),
        events: graph.events.len(),
        pages: graph.pages.len(),
        drafts: graph.drafts.len(),
        output: output.clone(),
        ..BuildReport::default()
    };
    if options.write {
        let staging = Staging::create(&target).map_err(|e| {
            one(Diagnostic::file_error(
                output.display().to_string(),
                e.to_string(),
            ))
        })?;
        let progress = if options.progress {
            progress_bar()
        } else {
            ProgressBar::hidden()
        };
        let site = Site::new(root, &graph, &bodies, &xref);
        let written =
            render::render_site(&site, &mut templates, &staging, &progress).map_err(|mut d| {
                if let Some(failure) = staging.take_failure() {
                    // One cause (a full disk, a read-only folder) fails every later
                    // write: report the cause once, not every file.
                    d = one(write_failure(&output, &failure));
                }
                d.extend(diagnostics.iter().cloned());
                d.sort();
                d
            })?;
        progress.finish_and_clear();
        timings.mark("render+write");
        staging.commit().map_err(|e| {
            one(Diagnostic::file_error(
                output.display().to_string(),
                e.to_string(),
            ))
        })?;
        timings.mark("commit");
        report.html_pages = written.pages;
        report.files = written.files;
    } else {
        let site = Site::new(root, &graph, &bodies, &xref);
        render_into_nothing(&site, &mut templates, &diagnostics)?;
        timings.mark("render");
    }
    report.timings = timings.stages;
    report.elapsed = started.elapsed();
    report.diagnostics = diagnostics;
    Ok(report)
}

/// `check` renders every page too, into nothing: template errors and generated-path
/// collisions only show while rendering. On failure, its errors with `earlier`.
fn render_into_nothing(
    site: &Site,
    templates: &mut Templates,
    earlier: &Diagnostics,
) -> Result<(), Diagnostics> {
    render::render_site(site, templates, &Discard, &ProgressBar::hidden())
        .map(drop)
        .map_err(|mut d| {
            d.extend(earlier.iter().cloned());
            d.sort();
            d
        })
}

/// Where `check` renders: every file is produced and thrown away; files to copy must be
/// readable.
struct Discard;

impl Sink for Discard {
    fn write(&self, _relative: &str, _bytes: &[u8]) -> Result<(), FsError> {
        Ok(())
    }

    fn copy(&self, _relative: &str, from: &Path) -> Result<(), FsError> {
        std::fs::File::open(from)
            .map(drop)
            .map_err(|source| FsError {
                path: from.to_path_buf(),
                action: "read",
                source,
            })
    }

    fn write_with(
        &self,
        relative: &str,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), FsError> {
        produce(&mut std::io::sink()).map_err(|source| FsError {
            path: PathBuf::from(relative),
            action: "write",
            source,
        })
    }
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::new();
    all.push(d);
    all
}

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar}")
    {
        bar.set_style(style);
    }
    bar
}

/// The one error for a build whose writes failed.
fn write_failure(output: &Path, failure: &crate::fsutil::FsError) -> Diagnostic {
    Diagnostic::file_error(
        output.display().to_string(),
        format!(
            "could not write the output: {} (first at {})",
            failure.source,
            failure.path.display()
        ),
    )
    .hint("free some space or fix the folder's permissions, then build again")
}
