//! Diagnostics for people: every problem found in a run, with the file, line and column
//! it concerns, the offending source line, and a hint that says what would fix it.
//!
//! This module owns the `Diagnostic` type (with second places, for problems that concern
//! two files, and file-wide errors that have no line), the `Diagnostics` collection a run
//! fills (errors sorted before warnings), the grouping of unreadable files by cause, and
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
    /// 1-based line; 0 when the problem concerns the file as a whole (it could not be
    /// read, say), which then prints with no line at all.
    pub line: usize,
    /// 1-based column, in characters (0 with line 0).
    pub column: usize,
    /// Length of the offending span, in characters (at least 1 when shown).
    pub span_len: usize,
    /// The offending line of source, without its line break, if known.
    pub source_line: Option<String>,
    /// What is wrong.
    pub message: String,
    /// A few words under the carets, if any.
    pub label: Option<String>,
    /// Other places the problem concerns (the other file of a duplicate), shown after.
    pub related: Vec<Related>,
    /// What would fix it.
    pub hint: Option<String>,
}

/// A second place a diagnostic concerns, quoted after the main one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Path relative to the site root.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Length of the span, in characters.
    pub span_len: usize,
    /// The quoted line.
    pub source_line: String,
    /// A few words under the span.
    pub label: String,
}

impl Related {
    /// The place at `line`/`column` of `source` (the text of `file`), `span_len` long.
    pub fn new(
        file: impl Into<String>,
        source: &str,
        (line, column): (usize, usize),
        span_len: usize,
        label: impl Into<String>,
    ) -> Self {
        let line = line.max(1);
        Related {
            file: file.into(),
            line,
            column: column.max(1),
            span_len,
            source_line: quote_line(source, line).unwrap_or_default(),
            label: label.into(),
        }
    }
}

fn quote_line(source: &str, line: usize) -> Option<String> {
    source
        .lines()
        .nth(line.checked_sub(1)?)
        .map(|l| l.trim_end_matches('\r').to_string())
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
            label: None,
            related: Vec::new(),
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

    /// An error about `file` as a whole, with no line (it could not be read, say).
    pub fn file_error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            line: 0,
            column: 0,
            ..Diagnostic::error(file, message)
        }
    }

    /// Places the diagnostic at `line`/`column` (1-based) and quotes that line of `source`.
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        self.line = line.max(1);
        self.column = column.max(1);
        self.source_line = quote_line(source, self.line);
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

    /// Sets the words shown under the carets.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a second place the problem concerns.
    pub fn also(mut self, related: Related) -> Self {
        self.related.push(related);
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

    /// Errors first, then by file, line and column.
    fn sort_key(&self) -> (Severity, &str, usize, usize, &str) {
        (
            self.severity,
            &self.file,
            self.line,
            self.column,
            &self.message,
        )
    }

    fn level(&self) -> Level {
        match self.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        }
    }

    /// ` --> file` or ` --> file:line:col`, for a diagnostic without a quoted line.
    fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.column)
        }
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

/// `1 error`, `2 errors`: a count with its noun, singular or plural.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Byte range in `line` of `len` characters from 1-based `column` (to the end of the
/// line when `len` is 0; empty at the end when the column is past it).
fn byte_span(line: &str, column: usize, len: usize) -> std::ops::Range<usize> {
    // A very long value (a 3,000-character topic) is marked by its start alone.
    const LONGEST_MARK: usize = 60;
    let start = char_to_byte(line, column.saturating_sub(1));
    let end = char_to_byte(line, column.saturating_sub(1) + len.clamp(1, LONGEST_MARK));
    let end = if end <= start { line.len() } else { end };
    if start >= line.len() {
        line.len()..line.len()
    } else {
        start..end
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = self.level();
        let source_line = self.source_line.as_deref().filter(|l| !l.is_empty());
        let Some(line) = source_line else {
            write!(
                f,
                "{}: {}\n --> {}",
                level_name(level),
                self.message,
                self.location()
            )?;
            if let Some(h) = &self.hint {
                write!(f, "\n  = help: {h}")?;
            }
            return Ok(());
        };
        let mut annotation = level.span(byte_span(line, self.column, self.span_len));
        if let Some(label) = &self.label {
            annotation = annotation.label(label);
        }
        let mut message = level.title(&self.message).snippet(
            Snippet::source(line)
                .line_start(self.line)
                .origin(&self.file)
                .annotation(annotation),
        );
        for r in self.related.iter().filter(|r| !r.source_line.is_empty()) {
            message = message.snippet(
                Snippet::source(&r.source_line)
                    .line_start(r.line)
                    .origin(&r.file)
                    .annotation(
                        // Shown with `-`, and without a level name before the label.
                        Level::Warning
                            .span(byte_span(&r.source_line, r.column, r.span_len))
                            .label(&r.label),
                    ),
            );
        }
        if let Some(h) = &self.hint {
            message = message.footer(Level::Help.title(h));
        }
        write!(f, "{}", Renderer::plain().render(message))
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "info",
        Level::Note => "note",
        Level::Help => "help",
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

    /// `1 error, 6 warnings`: both counts, singular or plural.
    pub fn counts(&self) -> String {
        format!(
            "{}, {}",
            count(self.error_count(), "error"),
            count(self.warning_count(), "warning")
        )
    }

    /// Errors before warnings, each sorted by file, line and column; drops exact repeats,
    /// so output is stable.
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

/// Files that could not be read, to be reported one line per cause rather than one per
/// file.
#[derive(Debug, Default)]
pub struct Unreadable {
    /// `(cause, path relative to the site root)`, in the order found.
    failures: Vec<(String, String)>,
}

impl Unreadable {
    /// Records that `path` could not be read because of `error`.
    pub fn add(&mut self, path: String, error: &std::io::Error) {
        self.failures.push((cause_of(error), path));
    }

    /// Records that `path` could not be read, for a reason already in words.
    pub fn add_cause(&mut self, path: String, cause: String) {
        self.failures.push((cause, path));
    }

    /// One error per distinct cause, naming how many files and the first of them.
    pub fn into_diagnostics(mut self) -> Vec<Diagnostic> {
        self.failures.sort();
        self.failures.dedup();
        let mut out: Vec<Diagnostic> = Vec::new();
        let mut start = 0;
        while start < self.failures.len() {
            let cause = &self.failures[start].0;
            let end = self.failures[start..]
                .iter()
                .position(|(c, _)| c != cause)
                .map_or(self.failures.len(), |n| start + n);
            let paths: Vec<&str> = self.failures[start..end]
                .iter()
                .map(|(_, p)| p.as_str())
                .collect();
            out.push(unreadable_group(cause, &paths));
            start = end;
        }
        out
    }
}

fn unreadable_group(cause: &str, paths: &[&str]) -> Diagnostic {
    let first = paths.first().copied().unwrap_or("content");
    let message = if paths.len() == 1 {
        format!("could not read {first}: {cause}")
    } else {
        format!(
            "could not read {} under {}: {cause} (first: {first})",
            count(paths.len(), "file"),
            common_folder(paths)
        )
    };
    let d = Diagnostic::file_error(first, message);
    match cause_hint(cause) {
        Some(h) => d.hint(h),
        None => d,
    }
}

/// The deepest folder holding every one of `paths`, with a trailing `/`.
fn common_folder(paths: &[&str]) -> String {
    let folder = |p: &str| {
        p.rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string())
    };
    let mut common = folder(paths.first().copied().unwrap_or(""));
    for p in paths {
        while !common.is_empty() && !p.starts_with(&format!("{common}/")) {
            common = folder(&common);
        }
    }
    if common.is_empty() {
        "the site folder".to_string()
    } else {
        format!("{common}/")
    }
}

/// An I/O error in a few words, without the OS error number.
pub fn cause_of(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::NotFound => "not found".to_string(),
        _ => {
            let text = error.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_lowercase().chain(chars).collect::<String>()
            })
        }
    }
}

fn cause_hint(cause: &str) -> Option<&'static str> {
    if cause.starts_with("permission denied") {
        Some("make the files readable (e.g. `chmod u+r FILE`), or move them out of content/")
    } else if cause == "not found" {
        Some("a symlink that points nowhere cannot be read: fix or remove it")
    } else if cause.contains("loop") {
        Some("remove the symlink that points back to a folder above it")
    } else {
        None
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

    #[test]
    fn renders_a_second_place() {
        let d = Diagnostic::error("content/actors/b.md", "two actors claim the alias `KH`")
            .at("---\nname: B\naliases: [KH]\n", 3, 11)
            .span(2)
            .label("an alias of this actor")
            .also(Related::new(
                "content/actors/a.md",
                "---\nname: A\naliases: [KH]\n",
                (3, 11),
                2,
                "and of this one",
            ));
        let text = d.to_string();
        assert!(text.contains("content/actors/b.md:3:11"), "{text}");
        assert!(text.contains("content/actors/a.md:3:11"), "{text}");
        assert!(text.contains("and of this one"), "{text}");
    }

    #[test]
    fn file_errors_have_no_line_and_group_by_cause() {
        let mut u = Unreadable::default();
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        u.add("content/briefs/b.md".into(), &denied);
        u.add("content/briefs/a.md".into(), &denied);
        u.add("content/briefs/x/c.md".into(), &denied);
        u.add_cause("content/pages/p.md".into(), "symlink loop".into());
        let all = u.into_diagnostics();
        assert_eq!(all.len(), 2);
        assert_eq!(
            all[0].to_string(),
            "error: could not read 3 files under content/briefs/: permission denied \
             (first: content/briefs/a.md)\n --> content/briefs/a.md\n  = help: make the \
             files readable (e.g. `chmod u+r FILE`), or move them out of content/"
        );
        assert_eq!(all[1].line, 0);
        assert_eq!(
            all[1].message,
            "could not read content/pages/p.md: symlink loop"
        );
    }

    #[test]
    fn counts_are_singular_or_plural() {
        let mut all = Diagnostics::new();
        all.push(Diagnostic::warning("b", "w"));
        all.push(Diagnostic::error("z", "e"));
        all.push(Diagnostic::warning("a", "w"));
        assert_eq!(all.counts(), "1 error, 2 warnings");
        all.sort();
        let files: Vec<&str> = all.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(files, ["z", "a", "b"]);
    }
}
