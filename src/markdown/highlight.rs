//! Fenced code highlighted by syntect as CSS classes (`hl-…`); the theme's `syntax.css`
//! carries the light and dark palettes. The syntax set loads lazily, on the first page
//! that has code.

use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::Events;

/// The class prefix of highlighted tokens.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Replaces every fenced or indented code block by its highlighted HTML; says whether
/// any block was highlighted (its page needs `syntax.css`).
pub fn highlight(events: &mut Events) -> bool {
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Start(Tag::CodeBlock(_))))
    {
        return false;
    }
    let mut highlighted = false;
    let mut out: Events = Vec::with_capacity(events.len());
    let mut block: Option<(String, String, std::ops::Range<usize>)> = None;
    for (event, range) in events.drain(..) {
        match (&mut block, event) {
            (None, Event::Start(Tag::CodeBlock(kind))) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                block = Some((lang, String::new(), range));
            }
            (Some((_, code, _)), Event::Text(t)) => code.push_str(&t),
            (Some(_), Event::End(TagEnd::CodeBlock)) => {
                if let Some((lang, code, range)) = block.take() {
                    let (html, classes) = render_block(&lang, &code);
                    highlighted |= classes;
                    out.push((Event::Html(CowStr::from(html)), range));
                }
            }
            (Some(_), _) => {}
            (None, event) => out.push((event, range)),
        }
    }
    *events = out;
    highlighted
}

/// The HTML of one code block, and whether it carries highlighting classes.
pub fn render_block(lang: &str, code: &str) -> (String, bool) {
    let escaped_lang = crate::escape::html(lang);
    let mut classes = false;
    let body = if lang.is_empty() {
        crate::escape::html(code)
    } else {
        let set = syntax_set();
        match set.find_syntax_by_token(lang) {
            Some(syntax) => {
                let mut generator =
                    ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
                let mut ok = true;
                for line in LinesWithEndings::from(code) {
                    if generator
                        .parse_html_for_line_which_includes_newline(line)
                        .is_err()
                    {
                        ok = false;
                        break;
                    }
                }
                if ok {
                    classes = true;
                    generator.finalize()
                } else {
                    crate::escape::html(code)
                }
            }
            None => crate::escape::html(code),
        }
    };
    // A long line makes the block scroll sideways (a phone shows little of it), and a
    // region that scrolls must take the focus so that a keyboard can scroll it.
    let html = if lang.is_empty() {
        format!("<pre class=\"code\" tabindex=\"0\"><code>{body}</code></pre>\n")
    } else {
        format!("<pre class=\"code\" data-lang=\"{escaped_lang}\" tabindex=\"0\"><code class=\"language-{escaped_lang}\">{body}</code></pre>\n")
    };
    (html, classes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_with_classes() {
        let (html, classes) = render_block("rust", "fn main() {}\n");
        assert!(classes && html.contains("hl-"), "{html}");
        assert!(html.contains("data-lang=\"rust\""));
    }

    #[test]
    fn blocks_take_the_focus_so_a_keyboard_can_scroll_them() {
        for lang in ["", "rust", "nosuchlang"] {
            let (html, _) = render_block(lang, "x\n");
            assert!(html.starts_with("<pre class=\"code\""), "{html}");
            assert!(html.contains(" tabindex=\"0\"><code"), "{html}");
        }
    }

    #[test]
    fn escapes_unknown_languages() {
        let (html, classes) = render_block("nosuchlang", "<b>\n");
        assert!(html.contains("&lt;b&gt;") && !classes);
    }
}
