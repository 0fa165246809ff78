//! The one place that parses YAML (serde_yaml today), so the parser can be swapped.
//!
//! It turns parser errors into a message plus a 1-based line and column within the YAML
//! text, and recognises the serde messages the loaders turn into hints (unknown field,
//! missing field).

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
}

/// Parses `text` into `T`. An empty document parses as an empty mapping.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|e| {
        let mut message = e.to_string();
        if let Some(i) = message.rfind(" at line ") {
            message.truncate(i);
        }
        // libyaml also counts `\r`, U+0085, U+2028 and U+2029 as line breaks, the files'
        // lines are split at `\n`: place the error by its byte offset instead.
        let position = e
            .location()
            .map(|l| crate::diagnostics::line_col(text, l.index()));
        YamlError {
            message,
            line: position.map(|(line, _)| line),
            column: position.map(|(_, column)| column),
        }
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
