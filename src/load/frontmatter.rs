//! Splitting a content file into its YAML front matter and its Markdown body, keeping
//! byte offsets so that errors in either point at the real line of the file.

use crate::diagnostics::Diagnostic;

/// A content file's text with the positions of its two parts.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the site root, `/`-separated: `content/briefs/2021/a.md`.
    pub path: String,
    /// The whole file (a leading byte-order mark removed).
    pub text: String,
    /// Byte range of the YAML between the `---` lines.
    pub front: std::ops::Range<usize>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    /// A hash of `text`, so later stages can tell whether the file changed.
    pub hash: u64,
}

impl Source {
    /// The YAML text.
    pub fn front(&self) -> &str {
        self.text.get(self.front.clone()).unwrap_or("")
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or("")
    }

    /// Frees the text once nothing will quote it again (a full build, after the Markdown
    /// stage); `hash` and the positions stay. Later quotes of it are empty.
    pub fn release_text(&mut self) {
        self.text = String::new();
    }

    /// Line number (1-based, in the file) of the first YAML line.
    pub fn front_first_line(&self) -> usize {
        self.text[..self.front.start].matches('\n').count() + 1
    }

    /// An error at a line of the front matter (1-based within the YAML).
    pub fn front_error(
        &self,
        yaml_line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        let line = self.front_first_line() + yaml_line.max(1) - 1;
        Diagnostic::error(self.path.clone(), message).at(&self.text, line, column)
    }

    /// An error at a byte offset of the body.
    pub fn body_error(&self, body_offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.path.clone(), message)
            .at_offset(&self.text, self.body_start + body_offset)
    }

    /// The byte offset in the file of the first occurrence of `needle` in the front matter
    /// at or after the line of top-level key `key`; used to point at one reference.
    pub fn locate_in_front(&self, key: &str, needle: &str) -> (usize, usize) {
        let front = self.front();
        let key_line = crate::yaml::key_line(front, key).unwrap_or(1);
        let key_offset: usize = front
            .split_inclusive('\n')
            .take(key_line - 1)
            .map(str::len)
            .sum();
        let offset = front[key_offset..]
            .find(needle)
            .map_or(key_offset, |i| key_offset + i);
        crate::diagnostics::line_col(&self.text, self.front.start + offset)
    }
}

/// Splits `text` into front matter and body. A file must start with a `---` line and have a
/// closing `---` (or `...`) line.
pub fn split(path: &str, text: String) -> Result<Source, Diagnostic> {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, "the file is empty")
            .hint("start it with front matter between `---` lines, e.g. `---\\ntitle: …\\n---`"));
    }
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Err(
            Diagnostic::error(path, "the file does not start with front matter")
                .at(&text, 1, 1)
                .hint("put the YAML front matter first, between two `---` lines"),
        );
    }
    let front_start = (first_line_end + 1).min(text.len());
    let mut offset = front_start;
    for line in text[front_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = offset + line.len();
            return Ok(Source {
                path: path.to_string(),
                front: front_start..offset,
                body_start,
                hash: crate::hash::hash_of(&text),
                text,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(path, "the front matter is never closed")
        .at(&text, 1, 1)
        .span(3)
        .hint("add a line `---` after the last front-matter key"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_and_body() {
        let s = split("a.md", "---\ntitle: A\n---\nBody\n".into()).unwrap();
        assert_eq!(s.front(), "title: A\n");
        assert_eq!(s.body(), "Body\n");
        assert_eq!(s.front_first_line(), 2);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split("a.md", "---\ntitle: A\nBody\n".into()).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(split("a.md", String::new()).is_err());
    }

    #[test]
    fn empty_body_and_crlf() {
        let s = split("a.md", "---\r\ntitle: A\r\n---\r\n".into()).unwrap();
        assert_eq!(s.front(), "title: A\r\n");
        assert_eq!(s.body(), "");
    }
}
