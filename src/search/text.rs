//! The plain text of rendered HTML, for indexing and for result excerpts: tags dropped
//! (block elements become spaces), `<script>` and `<style>` contents dropped, character
//! references decoded, runs of white space made one space.

/// Appends the text of `html` to `out`, separated from what is there by a space. White
/// space is kept as it is (a reader of the text collapses it).
pub fn push_text(out: &mut String, html: &str) {
    separate(out);
    let bytes = html.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'<', b'&', &bytes[at..]) {
        at += found;
        out.push_str(&html[start..at]);
        let rest = &html[at..];
        let next = if bytes[at] == b'<' {
            let opens_tag = bytes
                .get(at + 1)
                .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'/' || c == b'!');
            if opens_tag {
                let (after, block) = skip_tag(rest);
                if block {
                    separate(out);
                }
                html.len() - after.len()
            } else {
                out.push('<');
                at + 1
            }
        } else {
            match crate::escape::reference(&rest[1..]) {
                // A no-break space separates words like any space.
                Some((c, used)) => {
                    out.push(if c == '\u{a0}' { ' ' } else { c });
                    at + 1 + used
                }
                None => {
                    out.push('&');
                    at + 1
                }
            }
        };
        start = next;
        at = next;
    }
    out.push_str(&html[start..]);
}

/// Appends plain text (front-matter fields), separated by a space.
pub fn push_plain(out: &mut String, text: &str) {
    separate(out);
    out.push_str(text);
}

/// A space, unless `out` is empty or ends with white space.
fn separate(out: &mut String) {
    if out.chars().next_back().is_some_and(|c| !c.is_whitespace()) {
        out.push(' ');
    }
}

/// Inline elements, which do not separate words.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// Skips the tag at the start of `rest` (and the whole element for `script` and `style`);
/// says whether it separates words (a block element).
fn skip_tag(rest: &str) -> (&str, bool) {
    if let Some(comment) = rest.strip_prefix("<!--") {
        return (
            comment.find("-->").map_or("", |end| &comment[end + 3..]),
            false,
        );
    }
    let end = rest.find('>').map_or(rest.len(), |e| e + 1);
    let tag = &rest[..end];
    let name: String = tag
        .trim_start_matches(['<', '/'])
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let block = !INLINE.contains(&name.as_str());
    let after = &rest[end..];
    if !tag.starts_with("</") && (name == "script" || name == "style") {
        let close = format!("</{name}");
        let skipped = match after.to_ascii_lowercase().find(&close) {
            Some(at) => {
                let from = &after[at..];
                &from[from.find('>').map_or(from.len(), |e| e + 1)..]
            }
            None => "",
        };
        return (skipped, true);
    }
    (after, block)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        let mut out = String::new();
        push_text(&mut out, html);
        out
    }

    #[test]
    fn tags_go_and_blocks_separate_words() {
        assert_eq!(
            text("<p>One <em>two</em>three</p><p>four&amp;five &#233;t&#xE9;</p>"),
            "One twothree four&five été "
        );
        assert_eq!(text("<li>a</li><li>b</li>"), "a b ");
        assert_eq!(text("x<script>var a = '<p>';</script>y"), "x y");
        assert_eq!(text("a <!-- note --> b & c < d"), "a  b & c < d");
        assert_eq!(text("<p>a</p>\n<p>b</p>"), "a \nb ");
    }

    #[test]
    fn pieces_join_with_a_space() {
        let mut out = String::from("Title");
        push_text(&mut out, "<p>Body</p>");
        push_plain(&mut out, "more");
        assert_eq!(out, "Title Body more");
    }
}
