//! The plain text of rendered HTML, for indexing and for result excerpts: tags dropped
//! (block elements become spaces), `<script>` and `<style>` contents dropped, character
//! references decoded, runs of white space made one space.

/// Appends the text of `html` to `out`, separated from what is there by a space.
pub fn push_text(out: &mut String, html: &str) {
    let mut rest = html;
    let mut space = !out.is_empty();
    while !rest.is_empty() {
        let Some(at) = rest.find(['<', '&']) else {
            push_words(out, rest, &mut space);
            break;
        };
        push_words(out, &rest[..at], &mut space);
        rest = &rest[at..];
        if rest.starts_with('<') {
            let opens_tag = rest[1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
            if opens_tag {
                rest = skip_tag(rest, &mut space);
            } else {
                push_words(out, "<", &mut space);
                rest = &rest[1..];
            }
        } else {
            let (decoded, len) = entity(rest);
            match decoded {
                Some(c) if c.is_whitespace() => space = true,
                Some(c) => {
                    let mut buf = [0u8; 4];
                    push_words(out, c.encode_utf8(&mut buf), &mut space);
                }
                None => push_words(out, "&", &mut space),
            }
            rest = &rest[len..];
        }
    }
}

/// Appends plain text (front-matter fields), separated by a space.
pub fn push_plain(out: &mut String, text: &str) {
    let mut space = !out.is_empty();
    push_words(out, text, &mut space);
}

/// Appends `text` with white space collapsed; `space` carries a pending separator.
fn push_words(out: &mut String, text: &str, space: &mut bool) {
    for (i, part) in text.split(char::is_whitespace).enumerate() {
        if i > 0 {
            *space = true;
        }
        if part.is_empty() {
            continue;
        }
        if *space && !out.is_empty() {
            out.push(' ');
        }
        *space = false;
        out.push_str(part);
    }
}

/// Inline elements, which do not separate words.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// Skips the tag at the start of `rest` (and the whole element for `script` and `style`).
fn skip_tag<'a>(rest: &'a str, space: &mut bool) -> &'a str {
    if let Some(comment) = rest.strip_prefix("<!--") {
        return comment.find("-->").map_or("", |end| &comment[end + 3..]);
    }
    let end = rest.find('>').map_or(rest.len(), |e| e + 1);
    let tag = &rest[..end];
    let name: String = tag
        .trim_start_matches(['<', '/'])
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if !INLINE.contains(&name.as_str()) {
        *space = true;
    }
    let after = &rest[end..];
    if !tag.starts_with("</") && (name == "script" || name == "style") {
        let close = format!("</{name}");
        return match after.to_ascii_lowercase().find(&close) {
            Some(at) => {
                let from = &after[at..];
                &from[from.find('>').map_or(from.len(), |e| e + 1)..]
            }
            None => "",
        };
    }
    after
}

/// The character of the reference at the start of `rest` and its length; `None` (length
/// 1) if it is no reference.
fn entity(rest: &str) -> (Option<char>, usize) {
    let Some(end) = rest[1..].find(';').filter(|&e| e <= 10) else {
        return (None, 1);
    };
    let name = &rest[1..=end];
    let c = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => name.strip_prefix('#').and_then(|n| {
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => n.parse().ok(),
            };
            code.and_then(char::from_u32)
        }),
    };
    match c {
        Some(c) => (Some(c), end + 2),
        None => (None, 1),
    }
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
            "One twothree four&five été"
        );
        assert_eq!(text("<li>a</li><li>b</li>"), "a b");
        assert_eq!(text("x<script>var a = '<p>';</script>y"), "x y");
        assert_eq!(text("a <!-- note --> b & c < d"), "a b & c < d");
    }

    #[test]
    fn pieces_join_with_a_space() {
        let mut out = String::from("Title");
        push_text(&mut out, "<p>Body</p>");
        push_plain(&mut out, "  more   text ");
        assert_eq!(out, "Title Body more text");
    }
}
