//! What a session keeps once `site.yaml` has been read ([`State`]), and how it takes in
//! changed files: content re-read, templates reloaded, and the files of a language the
//! site no longer has (orphans) removed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::kept::Lang;
use super::{one, outputs};
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, Content};
use crate::options::BuildOptions;
use crate::render::{self, views::CardCache, Templates};
use crate::write::Sink;

/// Everything kept between rebuilds once `site.yaml` has been read.
pub(super) struct State {
    pub(super) config: SiteConfig,
    pub(super) content: Content,
    /// Problems of files that failed to load (or loaded with warnings), by site path,
    /// until they are fixed or removed.
    pub(super) file_problems: BTreeMap<String, Vec<Diagnostic>>,
    pub(super) templates: Option<Templates>,
    /// Problems of `templates/`.
    pub(super) template_problems: Vec<Diagnostic>,
    /// Problems of `theme/` (links out of the site, special files).
    pub(super) theme_problems: Vec<Diagnostic>,
    /// Changes whenever the templates are reloaded.
    pub(super) template_epoch: u64,
    /// Each language of the site, the default first (one for a site of one language).
    pub(super) langs: Vec<Lang>,
    /// Output paths the state this one replaced wrote for a language the site no longer
    /// has in the same folder (removed from `site.yaml`, or moved by a new default
    /// language): removed by the next successful rebuild unless it writes them again.
    pub(super) orphans: Vec<String>,
    /// The language checks of the content when they found nothing
    /// ([`load::languages::check`]), until a change could give them something to find.
    pub(super) languages_clean: bool,
}

impl State {
    /// Takes over what the state this one replaces last wrote in each language the site
    /// still has in the same folder, so that the next rebuild removes the files the new
    /// settings no longer make; what it wrote for any other language becomes orphans.
    pub(super) fn take_over_written(&mut self, old: State) {
        let mut written: BTreeMap<(String, String), outputs::Written> = old
            .langs
            .into_iter()
            .filter_map(|lang| {
                let key = (lang.config.language.clone(), lang.folder().to_string());
                lang.into_written().map(|w| (key, w))
            })
            .collect();
        for lang in &mut self.langs {
            let key = (lang.config.language.clone(), lang.folder().to_string());
            lang.replaced = written.remove(&key);
        }
        self.orphans = old.orphans;
        for ((_, folder), w) in written {
            let paths = w.pages.into_keys().chain(w.files.into_keys());
            self.orphans.extend(paths.map(|p| format!("{folder}{p}")));
        }
    }

    /// Removes the orphans this rebuild did not write again (see [`State::orphans`]).
    pub(super) fn remove_orphans(&mut self, sink: &dyn Sink) -> Result<usize, Diagnostics> {
        if self.orphans.is_empty() {
            return Ok(0);
        }
        let mut kept = std::collections::HashSet::new();
        for lang in &self.langs {
            if let Some(last) = &lang.last {
                let w = &last.kept.written;
                for path in w.pages.keys().chain(w.files.keys()) {
                    kept.insert(format!("{}{path}", lang.folder()));
                }
            }
        }
        let mut orphans = std::mem::take(&mut self.orphans);
        orphans.sort();
        orphans.dedup();
        let mut removed = 0;
        let mut problems = Diagnostics::new();
        for path in orphans.into_iter().filter(|p| !kept.contains(p)) {
            match sink.remove(&path) {
                Ok(()) => removed += 1,
                Err(e) => {
                    problems.push(Diagnostic::file_error(path.clone(), e.to_string()));
                    self.orphans.push(path);
                }
            }
        }
        if problems.is_empty() {
            Ok(removed)
        } else {
            Err(problems)
        }
    }

    /// Reads `site.yaml`, every content file and the templates.
    pub(super) fn load(root: &Path, options: &BuildOptions) -> Result<State, Diagnostics> {
        let config = SiteConfig::load(root)
            .map_err(one)?
            .with_base_url(options.base_url.as_deref());
        let mut diagnostics = Diagnostics::new();
        let content = load::load(root, &mut diagnostics);
        let mut file_problems: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
        for d in diagnostics {
            file_problems.entry(d.file.clone()).or_default().push(d);
        }
        let langs = config
            .language_codes()
            .into_iter()
            .map(|code| Lang::new(config.for_language(code)))
            .collect();
        let mut state = State {
            config,
            content,
            file_problems,
            templates: None,
            template_problems: Vec::new(),
            theme_problems: render::theme::problems(root),
            template_epoch: 0,
            langs,
            orphans: Vec::new(),
            languages_clean: false,
        };
        state.load_templates(root);
        Ok(state)
    }

    /// (Re)loads the templates.
    pub(super) fn load_templates(&mut self, root: &Path) {
        let mut problems = Diagnostics::new();
        self.templates = Templates::load(root, &mut problems);
        self.template_problems = problems.into_iter().collect();
        self.template_epoch += 1;
        // Cards carry HTML their templates rendered.
        for lang in &mut self.langs {
            lang.cards = CardCache::default();
        }
    }

    /// Takes in changed files: content files are re-read, templates reloaded.
    pub(super) fn apply(&mut self, root: &Path, changed: &[String]) {
        let mut templates_changed = false;
        for path in changed {
            if path == "templates" || path.starts_with("templates/") {
                templates_changed = true;
            } else if path == "theme" || path.starts_with("theme/") {
                self.theme_problems = render::theme::problems(root);
            } else if let Some(content_path) = path.strip_prefix("content/") {
                // The language checks read of a brief its language, key and slug alone.
                let before = self.brief_identity(content_path);
                self.reload_content(root, path, content_path);
                if before.is_none() || before != self.brief_identity(content_path) {
                    self.languages_clean = false;
                }
            }
        }
        if templates_changed {
            self.load_templates(root);
        }
    }

    /// What the language checks read of the brief at `content_path`, if there is one.
    fn brief_identity(&self, content_path: &str) -> Option<(Option<String>, String, String)> {
        let doc = self
            .content
            .briefs
            .iter()
            .find(|d| d.content_path == content_path)?;
        Some((doc.lang.clone(), doc.key.clone(), doc.slug.clone()))
    }

    /// The problems of the content's languages: none without checking again when the last
    /// check found none and no change since could give one.
    pub(super) fn language_problems(&mut self) -> Vec<Diagnostic> {
        if self.languages_clean {
            debug_assert!(load::languages::check(&self.content, &self.config).is_empty());
            return Vec::new();
        }
        let problems = load::languages::check(&self.content, &self.config);
        self.languages_clean = problems.is_empty();
        problems
    }

    pub(super) fn reload_content(&mut self, root: &Path, site_path: &str, content_path: &str) {
        let disk = root.join(site_path);
        // A folder (renamed or removed whole): forget what was under it, re-read what is.
        let prefix = format!("{content_path}/");
        let under = |p: &str| p == content_path || p.starts_with(&prefix);
        let known: Vec<String> = self
            .known_paths()
            .into_iter()
            .filter(|p| under(p))
            .collect();
        for p in &known {
            self.content.remove(p);
        }
        self.file_problems
            .retain(|k, _| !under(k.strip_prefix("content/").unwrap_or(k)));
        let files: Vec<PathBuf> = if disk.is_dir() {
            // A file the walk refuses is loaded below, which reports why.
            let walk = crate::sitefs::SiteRoot::new(root).walk(&disk);
            let refused = walk.problems.into_iter().map(|p| p.path().to_path_buf());
            let mut files: Vec<PathBuf> = walk.files.into_iter().chain(refused).collect();
            files.sort();
            files
        } else if std::fs::symlink_metadata(&disk).is_ok() {
            vec![disk]
        } else {
            Vec::new()
        };
        for file in files {
            match load::load_file(root, &file) {
                Ok(Some(parsed)) => self.content.insert(parsed),
                Ok(None) => {}
                Err(d) => self
                    .file_problems
                    .entry(d.file.clone())
                    .or_default()
                    .push(d),
            }
        }
    }

    pub(super) fn known_paths(&self) -> Vec<String> {
        let c = &self.content;
        c.briefs
            .iter()
            .map(|d| d.content_path.clone())
            .chain(c.actors.iter().map(|d| d.content_path.clone()))
            .chain(c.events.iter().map(|d| d.content_path.clone()))
            .chain(c.pages.iter().map(|d| d.content_path.clone()))
            .chain(c.assets.iter().map(|d| d.content_path.clone()))
            .collect()
    }
}
