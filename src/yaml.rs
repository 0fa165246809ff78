//! The one place that parses YAML (serde_yaml today), so the parser can be swapped.
//!
//! It turns parser errors into a message plus a 1-based line and column within the YAML
//! text, says so when a tab was used for indentation, and recognises the serde messages
//! the loaders turn into hints (unknown field, missing field, the path of a nested error).

use serde::de::DeserializeOwned;

/// A YAML parse or shape error, located within the YAML text given to [`from_str`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// The message, without location.
    pub message: String,
    /// 1-based line within the YAML text, if known.
    pub line: Option<usize>,
    /// 1-based column, if known.
    pub column: Option<usize>,
}

impl YamlError {
    /// For "unknown field `x`, expected …" errors: the unknown field's name.
    pub fn unknown_field(&self) -> Option<&str> {
        let rest = self.message.split("unknown field `").nth(1)?;
        rest.split('`').next()
    }

    /// For "missing field `x`" errors: the missing field's name.
    pub fn missing_field(&self) -> Option<&str> {
        let rest = self.message.split("missing field `").nth(1)?;
        rest.split('`').next()
    }

    /// Where in the document a shape error happened, as serde_yaml writes it before the
    /// message: `events[0]` in "events[0]: missing field `title`".
    pub fn path(&self) -> Option<&str> {
        let (path, _) = self.message.split_once(": ")?;
        let is_path = !path.is_empty()
            && path
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'));
        is_path.then_some(path)
    }

    /// Whether the error is a tab used for indentation.
    pub fn is_tab(&self) -> bool {
        self.message == TAB_MESSAGE
    }

    /// Whether the YAML itself is malformed (rather than well-formed but of the wrong
    /// shape).
    fn is_syntax(&self) -> bool {
        [
            "missing field",
            "unknown field",
            "invalid type",
            "invalid value",
            "did not match",
        ]
        .iter()
        .all(|shape| !self.message.contains(shape))
    }
}

const TAB_MESSAGE: &str = "YAML does not allow tabs for indentation; use spaces";

/// A syntax error at or after a line indented with a tab is that tab's fault: libyaml
/// only says it "found character that cannot start any token".
fn blame_tab(text: &str, mut error: YamlError) -> YamlError {
    let Some(error_line) = error.line.filter(|_| error.is_syntax()) else {
        return error;
    };
    let tab = text
        .lines()
        .take(error_line)
        .enumerate()
        .filter_map(|(i, line)| {
            let indent = &line[..line.len() - line.trim_start().len()];
            indent
                .find('\t')
                .map(|at| (i + 1, indent[..at].chars().count() + 1))
        })
        .last();
    if let Some((line, column)) = tab {
        error.message = TAB_MESSAGE.to_string();
        error.line = Some(line);
        error.column = Some(column);
    }
    error
}

/// Parses `text` into `T`. An empty document parses as an empty mapping.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|e| {
        let location = e.location();
        let mut message = e.to_string();
        if let Some(i) = message.rfind(" at line ") {
            message.truncate(i);
        }
        // libyaml also counts a lone CR, U+0085, U+2028 and U+2029 as line breaks; the
        // files' lines are split at LF only: place the error by its byte offset instead.
        let position = location
            .as_ref()
            .map(|l| crate::diagnostics::line_col(text, l.index()));
        let error = YamlError {
            message,
            line: position.map(|(line, _)| line),
            column: position.map(|(_, column)| column),
        };
        blame_tab(text, error)
    })
}

/// The 1-based line (within `yaml`) of the top-level key `key`, if it is written as a block
/// mapping key (`key:` at the start of a line).
pub fn key_line(yaml: &str, key: &str) -> Option<usize> {
    yaml.lines()
        .position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[test]
    fn reports_unknown_field_with_line() {
        let err = from_str::<Doc>("title: a\ntagz: [x]\n").unwrap_err();
        assert_eq!(err.unknown_field(), Some("tagz"));
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn reports_missing_field() {
        let err = from_str::<Doc>("tags: [x]\n").unwrap_err();
        assert_eq!(err.missing_field(), Some("title"));
    }

    #[test]
    fn refuses_alias_bombs() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = (b'a' + i - 1) as char;
            let cur = (b'a' + i) as char;
            bomb.push_str(&format!(
                "{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        bomb.push_str("title: *i\n");
        assert!(from_str::<serde_yaml::Value>(&bomb).is_err());
    }

    #[test]
    fn blames_a_tab_used_for_indentation() {
        let err = from_str::<serde_yaml::Value>("title: a\ntopics:\n\t- x\n").unwrap_err();
        assert!(err.is_tab(), "{err:?}");
        assert_eq!((err.line, err.column), (Some(3), Some(1)));
        let err = from_str::<serde_yaml::Value>("a:\n  b: 1\n  \tc: 2\n").unwrap_err();
        assert!(err.is_tab(), "{err:?}");
        assert_eq!((err.line, err.column), (Some(3), Some(3)));
    }

    #[test]
    fn names_the_path_of_a_nested_error() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            events: Vec<Doc>,
        }
        let err = from_str::<Outer>("events:\n  - tags: [x]\n").unwrap_err();
        assert_eq!(err.path(), Some("events[0]"));
        assert_eq!(err.missing_field(), Some("title"));
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn lines_are_counted_at_line_feeds_only() {
        let err = from_str::<Doc>("title: a\nx\r\r\r\r\u{2028}\u{2028}\"\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err:?}");
    }

    #[test]
    fn finds_key_line() {
        assert_eq!(key_line("title: a\ndate: 2020-01-01\n", "date"), Some(2));
        assert_eq!(key_line("title: a\n", "date"), None);
    }
}
