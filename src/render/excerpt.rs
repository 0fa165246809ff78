//! Plain text from rendered HTML, for descriptions: the text of an actor's or event's
//! body, markup, footnote references and scripts left out, cut at a word.

/// The text of `html`, whitespace collapsed, cut at a word before `max` characters (with
/// `…`). Leaves out markup, footnote references and the content of scripts and styles.
pub fn excerpt(html: &str, max: usize) -> String {
    let mut text = String::new();
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    // Enough text for `max` characters, whatever their width.
    while !rest.is_empty() && text.len() <= max * 4 {
        if let Some(lt) = rest.find('<') {
            if skip_until.is_none() {
                push_text(&mut text, &rest[..lt]);
            }
            let tag_end = rest[lt..].find('>').map_or(rest.len(), |i| lt + i + 1);
            let tag = rest[lt..tag_end].to_ascii_lowercase();
            match skip_until {
                Some(end) if tag.starts_with(end) => skip_until = None,
                Some(_) => {}
                None => {
                    skip_until = [
                        ("<script", "</script"),
                        ("<style", "</style"),
                        ("<sup", "</sup"),
                    ]
                    .into_iter()
                    .find(|(open, _)| tag.starts_with(open))
                    .map(|(_, close)| close);
                    if is_block(&tag) {
                        text.push(' ');
                    }
                }
            }
            rest = &rest[tag_end..];
        } else {
            if skip_until.is_none() {
                push_text(&mut text, rest);
            }
            rest = "";
        }
    }
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if chars + len + 1 > max {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += len;
    }
    out
}

/// Whether a tag (`<p class="x">`, `</li>`) starts or ends a block, which separates words.
fn is_block(tag: &str) -> bool {
    const BLOCKS: &[&str] = &[
        "p",
        "br",
        "li",
        "ul",
        "ol",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "section",
        "figure",
        "figcaption",
        "dt",
        "dd",
        "hr",
    ];
    let name: String = tag
        .trim_start_matches(['<', '/'])
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    BLOCKS.contains(&name.as_str())
}

/// Appends text with its character references decoded (a no-break space as a space).
fn push_text(out: &mut String, text: &str) {
    crate::escape::decode_into(out, text, ' ');
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpts_are_plain_text_cut_at_a_word() {
        let html = "<p>An <em>Iraqi</em> faction &amp; its &quot;ties&quot;.<sup class=\"footnote-reference\"><a href=\"#fn-1\">1</a></sup></p>\n<script>x()</script><p>Second&#39;s.</p>";
        assert_eq!(
            excerpt(html, 200),
            "An Iraqi faction & its \"ties\". Second's."
        );
        assert_eq!(excerpt(html, 20), "An Iraqi faction &…");
        assert_eq!(excerpt("", 20), "");
        assert_eq!(
            excerpt("<p>Kata<em>’ib</em></p><ul><li>a</li><li>b</li></ul>", 20),
            "Kata’ib a b"
        );
        assert_eq!(excerpt("<p>a &bogus; b &#xZZ; <", 50), "a &bogus; b &#xZZ;");
    }
}
