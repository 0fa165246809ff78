//! HTML escaping for text and attribute values, shared by the Markdown passes, the
//! renderer and the preview server's pages, the decoding of the character references
//! the Markdown renderer writes, for the plain-text views of HTML (excerpts, feeds,
//! search), and JSON strings written by hand where a file is mostly text (search
//! fragments). It imports nothing of the stages.

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

/// Writes `text` as a JSON string (quotes included) at the end of `out`, escaped as
/// `serde_json` escapes it: `"`, `\` and the control characters below U+0020 (those with
/// a short form as `\b`, `\t`, `\n`, `\f`, `\r`, the others as `\u00xx`), nothing else.
/// Runs of 16 bytes that need nothing are copied whole.
pub fn json_string_into(out: &mut Vec<u8>, text: &str) {
    const BLOCK: usize = 16;
    let needs = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // How much of `bytes` is in `out`.
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        let end = (at + BLOCK).min(bytes.len());
        let block = &bytes[at..end];
        // The whole block is looked at (no early exit), which compiles to vector code.
        if block.iter().fold(false, |any, &b| any | needs(b)) {
            for (i, &b) in block.iter().enumerate() {
                if needs(b) {
                    out.extend_from_slice(&bytes[copied..at + i]);
                    push_json_escape(out, b);
                    copied = at + i + 1;
                }
            }
        }
        at = end;
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

/// The escape of one byte that [`json_string_into`] escapes.
fn push_json_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        b'\t' => b't',
        b'\n' => b'n',
        0x0c => b'f',
        b'\r' => b'r',
        _ => 0,
    };
    if short == 0 {
        out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xf)],
        ]);
    } else {
        out.extend_from_slice(&[b'\\', short]);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_strings_are_escaped_as_serde_json_escapes_them() {
        let every_byte: String = (0u8..0x80).map(char::from).collect();
        let mut texts = vec![
            String::new(),
            "plain text, no escapes at all here".to_string(),
            r#"quote " and backslash \ and slash /"#.to_string(),
            "tab\tline\nfeed\x0cform\rreturn\x08back \x00 \x1f \x7f".to_string(),
            "é, 北京, emoji 🙂 and \u{2028}".to_string(),
            every_byte.clone(),
            every_byte.repeat(3),
        ];
        // Escapes on each side of the blocks of 16 bytes, and at the very end.
        for at in [0, 14, 15, 16, 17, 31, 32, 33, 47] {
            let mut text = "abcdefghij".repeat(5);
            text.insert(at, '"');
            texts.push(text);
        }
        texts.push("x".repeat(47) + "\n");
        for text in &texts {
            let mut ours = Vec::new();
            super::json_string_into(&mut ours, text);
            let serde = serde_json::to_vec(text).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&serde),
                "{text:?}"
            );
        }
    }

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
