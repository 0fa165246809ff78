//! HTML escaping for text and attribute values, shared by the Markdown passes, the
//! renderer and the preview server's pages, and the decoding of the character references
//! the Markdown renderer writes, for the plain-text views of HTML (excerpts, feeds,
//! search). It imports nothing of the stages.

/// Escapes text for HTML content and for double-quoted attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// [`html`], written at the end of `out`.
pub fn html_into(out: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

/// The character of the reference that starts right after an `&` in `after_amp`, and how
/// many bytes of `after_amp` it takes (its `;` included). Decoded: the five of XML,
/// `&nbsp;` (as U+00A0) and numeric ones; anything else is `None`, to be kept as written.
pub fn reference(after_amp: &str) -> Option<(char, usize)> {
    // The longest a reference is: `#x0010FFFF`.
    let semi = after_amp.bytes().take(12).position(|b| b == b';')?;
    let name = &after_amp[..semi];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, semi + 1))
}

/// `text` with its character references decoded (see [`reference`]), written at the end
/// of `out`; `nbsp` stands in for `&nbsp;`.
pub fn decode_into(out: &mut String, text: &str, nbsp: char) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match reference(after) {
            Some((c, used)) => {
                out.push(if c == '\u{a0}' { nbsp } else { c });
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::html(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn references_decode_and_others_stay() {
        let decode = |text: &str, nbsp: char| {
            let mut out = String::new();
            super::decode_into(&mut out, text, nbsp);
            out
        };
        assert_eq!(
            decode(
                "a &amp; b&nbsp;&#233;&#xE9; &lt;&gt;&quot;&apos; &bogus; 1 & 2 &#xZZ; &",
                ' '
            ),
            "a & b \u{e9}\u{e9} <>\"' &bogus; 1 & 2 &#xZZ; &"
        );
        assert_eq!(decode("x&nbsp;y", '\u{a0}'), "x\u{a0}y");
        assert_eq!(decode("&#1114112; é&amp;", ' '), "&#1114112; é&");
    }
}
