//! `briefly build` and `check`: the output folder's rules, then one run of the pipeline
//! ([`crate::session`]) into a staging folder that replaces the output (or, for `check`,
//! into nothing), and the report printed at the end.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::SiteConfig;
use crate::diagnostics::{count, Diagnostic, Diagnostics};
pub use crate::options::{output_dir, BuildOptions};
use crate::session::Session;
use crate::write::{Discard, Staging};

/// What a successful build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Briefs built.
    pub briefs: usize,
    /// Actors with a page, implicit ones included.
    pub actors: usize,
    /// Events with a page, inline declarations included.
    pub events: usize,
    /// Free pages.
    pub pages: usize,
    /// HTML pages written.
    pub html_pages: usize,
    /// All files written.
    pub files: usize,
    /// The output folder the site was written to.
    pub output: PathBuf,
    /// Time per stage.
    pub timings: Vec<crate::timing::Stage>,
    /// Wall-clock time of the whole build.
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
            "{}, {}, {}, {}",
            count(self.briefs, "brief"),
            count(self.actors, "actor"),
            count(self.events, "event"),
            count(self.pages, "page")
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

/// Runs the build: a one-shot [`Session`] that writes into a staging folder, swapped in
/// for the output once everything succeeded (or, for `check`, writes nowhere). On
/// failure, every error (and warning) of the run.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let output = output_dir(options);
    let mut session = Session::one_shot(options.clone());
    let progress = if options.progress && options.write {
        progress_bar()
    } else {
        ProgressBar::hidden()
    };
    let mut rebuild = if options.write {
        // The site's own errors come first: an unreadable site.yaml says so before the
        // output folder is looked at.
        SiteConfig::load(&options.root).map_err(one)?;
        let target = approve_output(options, &output)?;
        let staging = Staging::create(&target).map_err(|e| {
            one(Diagnostic::file_error(
                output.display().to_string(),
                e.to_string(),
            ))
        })?;
        let rebuild =
            session
                .rebuild_into(&[], &staging, &progress)
                .map_err(|errors| match staging.take_failure() {
                    // One cause (a full disk, a read-only folder) fails every later write:
                    // report the cause once, not every file.
                    Some(failure) => {
                        let mut one_cause = one(write_failure(&output, &failure));
                        one_cause.extend(errors.iter().filter(|d| !d.is_error()).cloned());
                        one_cause.sort();
                        one_cause
                    }
                    None => errors,
                })?;
        progress.finish_and_clear();
        let mut commit = crate::timing::Timings::start();
        staging.commit().map_err(|e| {
            one(Diagnostic::file_error(
                output.display().to_string(),
                e.to_string(),
            ))
        })?;
        commit.mark("commit");
        let mut rebuild = rebuild;
        rebuild.timings.extend(commit.stages);
        rebuild
    } else {
        session.rebuild_into(&[], &Discard, &progress)?
    };
    let counts = rebuild.counts;
    Ok(BuildReport {
        briefs: counts.briefs,
        actors: counts.actors,
        events: counts.events,
        pages: counts.pages,
        drafts: counts.drafts,
        html_pages: rebuild.html_pages,
        files: rebuild.files,
        output,
        timings: std::mem::take(&mut rebuild.timings),
        elapsed: started.elapsed(),
        diagnostics: rebuild.warnings,
    })
}

/// The real folder the build may replace, after the output-folder rules (docs/safety.md);
/// staging folders that killed builds left beside it are removed.
fn approve_output(options: &BuildOptions, output: &Path) -> Result<PathBuf, Diagnostics> {
    let crate::output::Approved(real) =
        crate::output::approve(&options.root, output, options.force).map_err(one)?;
    crate::write::remove_stale_staging(&real);
    Ok(real)
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
