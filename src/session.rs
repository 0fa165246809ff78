//! A build session for the dev server: builds once, then rebuilds after changes and
//! reports what it wrote. The server only sees this API; how much a change re-runs is
//! this module's business.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::build::{build, BuildOptions};
use crate::diagnostics::Diagnostics;

/// What a rebuild did.
#[derive(Debug, Clone)]
pub struct Rebuild {
    /// Files written (or rewritten) in the output folder.
    pub written: usize,
    /// How long it took.
    pub elapsed: Duration,
    /// Whether only stylesheets changed (tabs may swap CSS without a reload).
    pub css_only: bool,
    /// Warnings of the build.
    pub warnings: Diagnostics,
}

/// A site being served: its options and the state kept between rebuilds.
pub struct Session {
    options: BuildOptions,
}

impl Session {
    /// A session that writes into `options.output` (which must be set).
    pub fn new(options: BuildOptions) -> Session {
        Session { options }
    }

    /// The folder the session writes into.
    pub fn output(&self) -> PathBuf {
        crate::build::output_dir(&self.options)
    }

    /// The site folder.
    pub fn root(&self) -> &std::path::Path {
        &self.options.root
    }

    /// The URL path prefix the site is served under (from `base_url`).
    pub fn base_path(&self) -> String {
        crate::config::SiteConfig::load(&self.options.root)
            .map(|c| {
                c.with_base_url(self.options.base_url.as_deref())
                    .base_path()
            })
            .unwrap_or_else(|_| "/".to_string())
    }

    /// Rebuilds after `changed` paths (absolute or relative to the root; empty = everything).
    /// On failure the previous output stays as it was.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuild, Diagnostics> {
        let started = Instant::now();
        let css_only = !changed.is_empty()
            && changed
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"));
        let report = build(&self.options)?;
        Ok(Rebuild {
            written: report.files,
            elapsed: started.elapsed(),
            css_only,
            warnings: report.diagnostics,
        })
    }
}
