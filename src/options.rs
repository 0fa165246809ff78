//! What a run of the pipeline is asked to do: the options `build`, `check` and `serve`
//! share. Low: it imports nothing of the stages, so the session and the commands that
//! drive it can both use it.

use std::path::PathBuf;

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

/// The output folder for these options.
pub fn output_dir(options: &BuildOptions) -> PathBuf {
    options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"))
}
