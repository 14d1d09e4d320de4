//! YAML parsing with located errors (serde-saphyr).
//!
//! `strict_booleans` is on: only `true`/`false` are booleans, so survey answers such as `Non`,
//! `No`, `on` stay strings. Duplicate keys are rejected with their line.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{MessageFormatter, UserMessageFormatter};

use crate::error::{Diagnostic, Position};

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
    }
}

/// Parses `text` (the content of `file`) into `T`; an error carries file, line and column.
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, Diagnostic> {
    // An empty document is an empty mapping for our purposes (e.g. an empty i18n file).
    let input = if text.trim().is_empty() { "{}" } else { text };
    serde_saphyr::from_str_with_options::<T>(input, options())
        .map_err(|err| to_diagnostic(file, text, &err, 0))
}

/// Same as [`parse`], for a YAML fragment that starts at line `first_line` of `file` (front
/// matter): reported lines are lines of the whole file.
pub fn parse_fragment<T: DeserializeOwned>(
    file: &Path,
    whole: &str,
    fragment: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    let input = if fragment.trim().is_empty() {
        "{}"
    } else {
        fragment
    };
    serde_saphyr::from_str_with_options::<T>(input, options())
        .map_err(|err| to_diagnostic(file, whole, &err, first_line.saturating_sub(1)))
}

fn to_diagnostic(
    file: &Path,
    text: &str,
    err: &serde_saphyr::Error,
    line_offset: usize,
) -> Diagnostic {
    let message = message(err.without_snippet()).replace('\n', " ");
    match err.location() {
        Some(loc) if loc.line() > 0 => {
            let pos = Position::new(
                loc.line() as usize + line_offset,
                (loc.column() as usize).max(1),
            );
            let found = crate::error::line_of(text, pos.line)
                .map(|l| l.chars().skip(pos.column - 1).collect::<String>())
                .unwrap_or_default();
            Diagnostic::at(file, text, pos, friendly(&message, found.trim()))
        }
        _ => Diagnostic::file(file, message),
    }
}

/// The message for an author: serde-saphyr's user-facing wording, except where it names the
/// library (`use Option<String>`, `set DuplicateKeyPolicy in Options`).
fn message(err: &serde_saphyr::Error) -> String {
    use serde_saphyr::Error as E;
    match err {
        E::NullIntoString { .. } => {
            "expected a text, found an empty value (write the text, or remove the key)".into()
        }
        E::DuplicateMappingKey { key: Some(k), .. } => {
            format!("key `{k}` appears twice in the same mapping")
        }
        E::DuplicateMappingKey { key: None, .. } => {
            "a key appears twice in the same mapping".into()
        }
        other => UserMessageFormatter.format_message(other).into_owned(),
    }
}

/// serde's terse "invalid i32" becomes "expected a whole number, found `deux-mille`".
fn friendly(message: &str, found: &str) -> String {
    let expected = match message.strip_prefix("invalid ") {
        Some("i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize") => {
            "a whole number"
        }
        Some("f32" | "f64") => "a number",
        Some("bool" | "boolean") => "`true` or `false`",
        _ => return message.to_string(),
    };
    if found.is_empty() {
        format!("expected {expected}")
    } else {
        format!("expected {expected}, found `{found}`")
    }
}

/// The position of a value deserialized through `serde_saphyr::Spanned`.
pub fn position(loc: &serde_saphyr::Location) -> Position {
    Position::new(loc.line() as usize, loc.column() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn strict_booleans_keep_answers_as_strings() {
        let v: BTreeMap<String, String> =
            parse(Path::new("a.yaml"), "a: Non\nb: no\nc: on\n").unwrap();
        assert_eq!(v["b"], "no");
        assert_eq!(v["c"], "on");
    }

    #[test]
    fn type_error_is_located() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct S {
            year: u32,
        }
        let err = parse::<S>(Path::new("x/edition.yaml"), "# c\nyear: deux mille\n").unwrap_err();
        assert_eq!(err.pos.line, 2, "{err}");
        assert!(err.pos.column >= 1);
        assert_eq!(err.snippet.as_deref(), Some("year: deux mille"));
        assert!(
            err.to_string().starts_with("error: x/edition.yaml:2:"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let err =
            parse::<BTreeMap<String, String>>(Path::new("d.yaml"), "a: 1\na: 2\n").unwrap_err();
        assert_eq!(err.pos.line, 2, "{err}");
        assert_eq!(err.message, "key `a` appears twice in the same mapping");
    }

    #[test]
    fn messages_do_not_name_the_library() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct S {
            title: String,
        }
        let err = parse::<S>(Path::new("s.yaml"), "title:\n").unwrap_err();
        assert!(!err.message.contains("Option"), "{err}");
        assert!(err.message.contains("expected a text"), "{err}");
    }

    #[test]
    fn fragment_lines_are_file_lines() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct S {
            weight: i64,
        }
        let whole = "---\ntitle: x\nweight: lourd\n---\nbody";
        let err = parse_fragment::<S>(Path::new("p.md"), whole, "title: x\nweight: lourd\n", 2)
            .unwrap_err();
        assert_eq!(err.pos.line, 3, "{err}");
        assert_eq!(err.snippet.as_deref(), Some("weight: lourd"));
    }
}
