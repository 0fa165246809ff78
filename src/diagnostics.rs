//! Diagnostics for people: every problem found in a run, with the file, line and column
//! it concerns, the offending source line, and a hint that says what would fix it.
//!
//! This module owns the `Diagnostic` type, the `Diagnostics` collection a run fills, and
//! their rendering (via annotate-snippets). It does not decide what is an error: the
//! stages do.

use std::fmt;
use std::path::Path;

use annotate_snippets::{Level, Renderer, Snippet};

/// How serious a diagnostic is. Warnings become errors under `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot go on.
    Error,
    /// The build goes on; `--strict` turns it into an error.
    Warning,
}

/// One problem, located in a file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Length of the offending span, in characters (at least 1 when shown).
    pub span_len: usize,
    /// The offending line of source, without its line break, if known.
    pub source_line: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What would fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at line 1 of `file`, to be refined with the builder methods.
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 1,
            column: 1,
            span_len: 0,
            source_line: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at line 1 of `file`.
    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Places the diagnostic at `line`/`column` (1-based) and quotes that line of `source`.
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        self.line = line.max(1);
        self.column = column.max(1);
        self.source_line = source
            .lines()
            .nth(self.line - 1)
            .map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    /// Places the diagnostic at a byte offset of `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let (line, column) = line_col(source, offset);
        self.at(source, line, column)
    }

    /// Sets how many characters the caret underlines.
    pub fn span(mut self, len: usize) -> Self {
        self.span_len = len;
        self
    }

    /// Adds what would fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this is an error (after `--strict` promotion, if any).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&str, usize, usize, &str) {
        (&self.file, self.line, self.column, &self.message)
    }
}

/// 1-based line and column (in characters) of a byte offset in `source`.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// A path relative to `root`, with `/` separators, for messages and URLs.
pub fn relative_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        };
        let origin = self.file.clone();
        let hint = self.hint.as_deref().map(|h| Level::Help.title(h));
        let mut message = level.title(&self.message);
        let source_line = self.source_line.as_deref().filter(|l| !l.is_empty());
        match source_line {
            Some(line) => {
                let start = char_to_byte(line, self.column - 1);
                let end = char_to_byte(line, self.column - 1 + self.span_len.max(1));
                let end = if end <= start { line.len() } else { end };
                let (start, end) = if start >= line.len() {
                    (line.len(), line.len())
                } else {
                    (start, end)
                };
                message = message.snippet(
                    Snippet::source(line)
                        .line_start(self.line)
                        .origin(&origin)
                        .annotation(level.span(start..end)),
                );
                if let Some(h) = hint {
                    message = message.footer(h);
                }
                write!(f, "{}", Renderer::plain().render(message))
            }
            None => {
                if let Some(h) = hint {
                    message = message.footer(h);
                }
                writeln!(f, "{}", Renderer::plain().render(message))?;
                write!(f, "  --> {origin}:{}:{}", self.line, self.column)
            }
        }
    }
}

fn char_to_byte(line: &str, chars: usize) -> usize {
    line.char_indices()
        .nth(chars)
        .map_or(line.len(), |(i, _)| i)
}

/// Every diagnostic of a run, errors and warnings.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds many.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Whether any error (not warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Turns every warning into an error (`--strict`).
    pub fn promote_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// Sorts by file, line and column and drops exact repeats, so output is stable.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
    }

    /// The diagnostics, in their current order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            writeln!(f, "{d}\n")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let src = "ab\ncé d\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 7), (2, 4));
    }

    #[test]
    fn renders_file_line_and_caret() {
        let d = Diagnostic::error("content/briefs/a.md", "unknown key `key_point`")
            .at("---\ntitle: A\nkey_point: [x]\n", 3, 1)
            .span(9)
            .hint("did you mean `key_points`?");
        let text = d.to_string();
        assert!(text.contains("content/briefs/a.md:3:1"), "{text}");
        assert!(text.contains("key_point: [x]"), "{text}");
        assert!(text.contains("^^^^^^^^^"), "{text}");
        assert!(text.contains("did you mean `key_points`?"), "{text}");
    }
}
