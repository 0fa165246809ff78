//! Templates: the built-in Tera templates compiled into the binary, overridden file by
//! file by the site's own `templates/`, compiled once per build. Template errors name the
//! template file and line.

use std::path::Path;

use crate::diagnostics::{relative_path, Diagnostic, Diagnostics};
use crate::sitefs::{self, SiteRoot};

/// The built-in templates, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "partials/brief_card.html",
        include_str!("../../templates/partials/brief_card.html"),
    ),
    (
        "partials/event_item.html",
        include_str!("../../templates/partials/event_item.html"),
    ),
    (
        "partials/actor_chip.html",
        include_str!("../../templates/partials/actor_chip.html"),
    ),
    (
        "partials/meta.html",
        include_str!("../../templates/partials/meta.html"),
    ),
    (
        "partials/cite.html",
        include_str!("../../templates/partials/cite.html"),
    ),
    (
        "partials/paginator.html",
        include_str!("../../templates/partials/paginator.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    ("brief.html", include_str!("../../templates/brief.html")),
    ("briefs.html", include_str!("../../templates/briefs.html")),
    ("actor.html", include_str!("../../templates/actor.html")),
    ("actors.html", include_str!("../../templates/actors.html")),
    ("event.html", include_str!("../../templates/event.html")),
    ("events.html", include_str!("../../templates/events.html")),
    ("term.html", include_str!("../../templates/term.html")),
    ("terms.html", include_str!("../../templates/terms.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
];

/// Compiled templates, and where each came from (for error messages).
pub struct Templates {
    /// The site's templates and the built-in ones it does not replace.
    pub tera: tera::Tera,
    /// `(name, origin)`: `templates/brief.html` for a site's own, `(built-in) brief.html` otherwise.
    origins: Vec<(String, String)>,
}

impl Templates {
    /// Built-ins overlaid with `<root>/templates/**`.
    pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Option<Templates> {
        let mut sources: Vec<(String, String, String)> = BUILTIN
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    text.to_string(),
                    format!("(built-in) templates/{name}"),
                )
            })
            .collect();
        let dir = root.join("templates");
        let walk = SiteRoot::new(root).walk(&dir);
        for problem in &walk.problems {
            diagnostics.push(problem.diagnostic(root));
        }
        {
            for path in walk.files {
                if crate::load::is_ignored_name(
                    &path.file_name().unwrap_or_default().to_string_lossy(),
                ) {
                    continue;
                }
                let name = relative_path(&dir, &path);
                let origin = format!("templates/{name}");
                let text = match sitefs::read_regular(&path).map(String::from_utf8) {
                    Ok(Ok(t)) => t,
                    Ok(Err(_)) => {
                        diagnostics.push(
                            Diagnostic::file_error(origin, "the template is not valid UTF-8")
                                .hint("save it as UTF-8"),
                        );
                        continue;
                    }
                    Err(problem) => {
                        diagnostics.push(problem.diagnostic(root));
                        continue;
                    }
                };
                sources.retain(|(n, _, _)| *n != name);
                sources.push((name, text, origin));
            }
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        super::translate::install(&mut tera, crate::i18n::english());
        // `safe` as Tera's, but a string is marked safe in place: a body's HTML is shared
        // (tera keeps long strings behind an `Arc`), not copied, each time it is shown.
        tera.register_filter("safe", safe);
        // `{% if name is rtl %}`: text written in a right-to-left script.
        tera.register_test("rtl", |text: &str, _: tera::Kwargs, _: &tera::State| {
            crate::i18n::is_rtl_text(text)
        });
        let origins: Vec<(String, String)> = sources
            .iter()
            .map(|(n, _, o)| (n.clone(), o.clone()))
            .collect();
        let templates = Templates { tera, origins };
        let mut tera = templates.tera;
        match tera.add_raw_templates(sources.iter().map(|(n, t, _)| (n.as_str(), t.as_str()))) {
            Ok(()) => Some(Templates {
                tera,
                origins: templates.origins,
            }),
            Err(e) => {
                diagnostics.push(templates_error(&templates.origins, &sources, &e));
                None
            }
        }
    }

    /// Gives every template the current `site` view and the `t` function of the site's
    /// locale.
    pub fn set_site(&mut self, site: &super::Site) {
        self.tera.global_context().insert("site", &site.site_view());
        self.localize(site.locale.clone());
    }

    /// Makes `t` give the strings of `locale` (docs/interface-strings.md).
    pub fn localize(&mut self, locale: std::sync::Arc<crate::i18n::Locale>) {
        super::translate::install(&mut self.tera, locale);
    }

    /// Renders template `name`; an error is located in the template.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| {
            let sources: Vec<(String, String, String)> = Vec::new();
            let mut d = templates_error(&self.origins, &sources, &e);
            if d.file.is_empty() {
                d.file = self.origin_of(name);
            }
            d
        })
    }

    fn origin_of(&self, name: &str) -> String {
        self.origins
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| format!("templates/{name}"), |(_, o)| o.clone())
    }
}

fn templates_error(
    origins: &[(String, String)],
    sources: &[(String, String, String)],
    e: &tera::Error,
) -> Diagnostic {
    let origin_of = |name: &str| {
        origins
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| format!("templates/{name}"), |(_, o)| o.clone())
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let file = origin_of(report.filename());
            let mut d = Diagnostic::error(file, format!("template error: {}", report.message()))
                .hint("fix the template at this line (Tera 2 syntax)");
            d.line = span.start_line.max(1);
            d.column = span.start_col + 1;
            if let Some((_, text, _)) = sources.iter().find(|(n, _, _)| n == report.filename()) {
                d = d.at(text, span.start_line.max(1), span.start_col + 1);
            }
            d
        }
        _ => {
            // Some errors carry their location only inside the report text: ` --> name:line:col`.
            let text = e.to_string();
            let message = text
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_string();
            let located = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("--> "))
                .and_then(|loc| {
                    let mut parts = loc.rsplitn(3, ':');
                    let column: usize = parts.next()?.parse().ok()?;
                    let line: usize = parts.next()?.parse().ok()?;
                    Some((parts.next()?.to_string(), line, column))
                });
            match located {
                Some((name, line, column)) => {
                    let mut d =
                        Diagnostic::error(origin_of(&name), format!("template error: {message}"))
                            .hint("fix the template at this line (Tera 2 syntax)");
                    d = match sources.iter().find(|(n, _, _)| *n == name) {
                        Some((_, source, _)) => d.at(source, line, column),
                        None => {
                            d.line = line;
                            d.column = column;
                            d
                        }
                    };
                    d
                }
                None => Diagnostic::error("templates", format!("template error: {message}"))
                    .hint("check the template names used in `extends` and `include`"),
            }
        }
    }
}

/// The `safe` filter: `value` as a string marked safe (not to be escaped).
fn safe(value: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    if value.is_string() {
        value.clone().mark_safe()
    } else {
        tera::Value::safe_string(&value.to_string())
    }
}
