//! The templates' `t`: the interface strings of the page's language
//! (docs/interface-strings.md).
//!
//! `t` is both a variable and a function. `{{ t.briefs }}` is the text of `briefs` (a
//! lookup in a map of the global context: about as cheap as a literal).
//! `t(key="n_briefs", n=3)` is the plural form for 3 with `{n}` filled in; other
//! arguments fill the placeholders of their name
//! (`t(key="image_credit", credit=brief.image.credit)`). The function's text is escaped,
//! unless its key ends in `_html`; the values are escaped unless marked safe.

use std::sync::Arc;

use tera::{Kwargs, State, TeraResult, Value};

use crate::i18n::{fill, Locale};

/// Gives `tera` the `t` variable and function of `locale`.
pub fn install(tera: &mut tera::Tera, locale: Arc<Locale>) {
    let texts: std::collections::BTreeMap<&str, &str> = locale
        .entries()
        .map(|(key, _)| (key, locale.text(key)))
        .collect();
    tera.global_context().insert("t", &texts);
    tera.register_function("t", Translate::new(locale));
}

/// The `t` function of one language.
pub struct Translate(Arc<Locale>);

impl Translate {
    /// The `t` function of `locale`.
    pub fn new(locale: Arc<Locale>) -> Translate {
        Translate(locale)
    }
}

impl tera::Function<TeraResult<Value>> for Translate {
    fn call(&self, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
        let key: &str = kwargs.must_get("key")?;
        let n = kwargs.get::<&Value>("n")?;
        let form = match n {
            Some(n) => {
                let count = n.as_i64().ok_or_else(|| {
                    tera::Error::message(format!(
                        "t(key=\"{key}\", n=…) needs a whole number as `n`, got `{n}`"
                    ))
                })?;
                self.0.plural_form(key, count)
            }
            None => self.0.entry(key).map(|_| self.0.text(key)),
        };
        let Some(form) = form else {
            return Err(unknown_key(key));
        };
        let escaping = state.autoescaping_enabled();
        let text = if escaping && !key.ends_with("_html") {
            state.escape(form)?
        } else {
            form.to_string()
        };
        if !text.contains('{') {
            return Ok(Value::safe_string(&text));
        }
        let mut values: Vec<(&str, String)> = Vec::new();
        for (name, value) in kwargs.iter() {
            let Some(name) = name.as_str() else { continue };
            if name == "key" {
                continue;
            }
            let shown = match value.as_str() {
                Some(s) if value.is_safe() || !escaping => s.to_string(),
                Some(s) => state.escape(s)?,
                None if escaping => state.escape(&value.to_string())?,
                None => value.to_string(),
            };
            values.push((name, shown));
        }
        let filled = fill(&text, |name| {
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str())
        });
        Ok(Value::safe_string(&filled))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

fn unknown_key(key: &str) -> tera::Error {
    let known: Vec<&str> = crate::i18n::built_in_strings("en")
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let hint = match crate::suggest::nearest(key, known.iter().copied()) {
        Some(best) => format!("; did you mean `{best}`?"),
        None => "; add it under `strings:` in site.yaml (docs/interface-strings.md)".into(),
    };
    tera::Error::message(format!("unknown interface string `{key}`{hint}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{SectionNames, StringEntry, StringTable};

    fn render(template: &str, overrides: &[(&str, &str)]) -> Result<String, tera::Error> {
        let table: StringTable = overrides
            .iter()
            .map(|(k, v)| (k.to_string(), StringEntry::Text(v.to_string())))
            .collect();
        let locale = Locale::new("fr", &table, &SectionNames::default());
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html"]);
        install(&mut tera, Arc::new(locale));
        tera.add_raw_template("t.html", template)?;
        tera.render("t.html", &tera::Context::new())
    }

    #[test]
    fn texts_are_escaped_unless_their_key_says_html() {
        let out = render(
            r#"{{ t(key="mine", who="<b>") }}|{{ t(key="mine_html", who="<b>") }}|{{ t(key="n_briefs", n=2) }}|{{ t.mine }}"#,
            &[("mine", "Q&A {who}"), ("mine_html", "<i>{who}</i>")],
        )
        .unwrap();
        assert_eq!(
            out,
            "Q&amp;A &lt;b&gt;|<i>&lt;b&gt;</i>|2 notes|Q&amp;A {who}"
        );
    }

    #[test]
    fn an_unknown_key_is_an_error_with_the_nearest_one() {
        let e = render(r#"{{ t(key="breifs") }}"#, &[]).unwrap_err();
        let text = format!("{e:?}");
        assert!(text.contains("did you mean `briefs`?"), "{text}");
    }
}
