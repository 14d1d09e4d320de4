//! Errors as values with a location.
//!
//! Every problem found in the input becomes a [`Diagnostic`]: a file (relative to the project
//! root), a 1-based line and column, a message, the offending source line and an optional hint.
//! Stages collect diagnostics instead of stopping at the first one, so an author sees every
//! problem of a run at once.
//!
//! The rendering is written by hand rather than with `miette` because the contract asks for a
//! grep-friendly `file:line:column: message` header (the gcc/rustc convention editors jump to)
//! followed by the offending line and a caret; miette's graphical report puts the location in a
//! box-drawing frame instead.

use std::fmt;
use std::path::{Path, PathBuf};

/// A 1-based line and column in a source file. `line == 0` means "the whole file".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub fn new(line: usize, column: usize) -> Self {
        Position { line, column }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One located problem in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    pub pos: Position,
    pub message: String,
    /// The offending source line, shown under the header with a caret.
    pub snippet: Option<String>,
    pub hint: Option<String>,
    /// Diagnostics of one kind about one file can be shown as one line with a count (401
    /// missing translations should not drown a real problem): the kind (e.g. `missing `en`
    /// translation`) and this one's item (e.g. `page `intro``).
    pub group: Option<Box<(String, String)>>,
}

impl Diagnostic {
    /// An error about a whole file (no line).
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            pos: Position::default(),
            message: message.into(),
            snippet: None,
            hint: None,
            group: None,
        }
    }

    /// An error at `pos` in `file`, whose text is `source` (used to show the offending line).
    pub fn at(
        file: impl Into<PathBuf>,
        source: &str,
        pos: Position,
        message: impl Into<String>,
    ) -> Self {
        let snippet = line_of(source, pos.line).map(str::to_owned);
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            pos,
            message: message.into(),
            snippet,
            hint: None,
            group: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Marks the diagnostic as one of a kind that may be grouped per file when printed.
    pub fn grouped(mut self, kind: impl Into<String>, item: impl Into<String>) -> Self {
        self.group = Some(Box::new((kind.into(), item.into())));
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` (or just `file` when the position is unknown).
    pub fn location(&self) -> String {
        let file = display_path(&self.file);
        match (self.pos.line, self.pos.column) {
            (0, _) => file,
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        }
    }
}

/// The 1-based `line` of `source`, without its line ending.
pub(crate) fn line_of(source: &str, line: usize) -> Option<&str> {
    if line == 0 {
        return None;
    }
    source
        .split('\n')
        .nth(line - 1)
        .map(|l| l.trim_end_matches('\r'))
}

/// Paths are shown with forward slashes on every platform, so messages are stable in tests
/// (`/tmp/x` stays `/tmp/x`, not `//tmp/x`).
pub fn display_path(path: &Path) -> String {
    use std::path::Component;
    let mut out = String::new();
    for c in path.components() {
        match c {
            Component::Prefix(p) => out.push_str(&p.as_os_str().to_string_lossy()),
            Component::RootDir => out.push('/'),
            other => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&other.as_os_str().to_string_lossy());
            }
        }
    }
    out
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}: {}", self.location(), self.message)?;
        if let Some(line) = &self.snippet {
            let num = self.pos.line.to_string();
            let pad = " ".repeat(num.len());
            writeln!(f)?;
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {line}")?;
            // The caret sits under the column; tabs are kept so it lines up in a terminal.
            let mut caret = String::new();
            for ch in line.chars().take(self.pos.column.saturating_sub(1)) {
                caret.push(if ch == '\t' { '\t' } else { ' ' });
            }
            caret.push('^');
            write!(f, "{pad} | {caret}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every diagnostic of a run, errors and warnings, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    /// Sorts by file, then position, so output does not depend on thread scheduling.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.pos, &a.message, a.severity).cmp(&(&b.file, b.pos, &b.message, b.severity))
        });
        self.0.dedup();
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `Ok(())` when there is no error (warnings are kept in `self`).
    pub fn into_result(mut self) -> Result<Diagnostics, Diagnostics> {
        self.sort();
        if self.has_errors() {
            Err(self)
        } else {
            Ok(self)
        }
    }
}

/// How many diagnostics of one kind about one file are printed one by one before they are
/// folded into one line with a count.
const GROUP_AFTER: usize = 2;

impl Diagnostics {
    /// The diagnostics as printed for an author: each on its own (with its snippet), except
    /// the grouped kinds (see [`Diagnostic::grouped`]) of which one file has more than a couple:
    /// those become one line per file and kind, with the count and the first items.
    pub fn folded(&self) -> Vec<String> {
        use std::collections::BTreeMap;
        let mut groups: BTreeMap<(Severity, &Path, &str), Vec<&Diagnostic>> = BTreeMap::new();
        for d in &self.0 {
            if let Some(g) = &d.group {
                let kind = &g.0;
                groups
                    .entry((d.severity, d.file.as_path(), kind.as_str()))
                    .or_default()
                    .push(d);
            }
        }
        let mut out = Vec::new();
        let mut done = std::collections::BTreeSet::new();
        for d in &self.0 {
            let Some(g) = &d.group else {
                out.push(d.to_string());
                continue;
            };
            let kind = &g.0;
            let key = (d.severity, d.file.as_path(), kind.as_str());
            let members = &groups[&key];
            if members.len() <= GROUP_AFTER {
                out.push(d.to_string());
                continue;
            }
            if !done.insert(key) {
                continue;
            }
            let label = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            const SHOWN: usize = 4;
            let mut items: Vec<&str> = Vec::new();
            for m in members {
                if let Some(g) = &m.group
                    && !items.contains(&g.1.as_str())
                {
                    items.push(&g.1);
                }
            }
            if items.len() > SHOWN {
                items.truncate(SHOWN);
                items.push("…");
            }
            // Located at the first of them, so an editor can jump there.
            out.push(format!(
                "{label}: {}: {} × {kind}: {}",
                d.location(),
                members.len(),
                items.join(", ")
            ));
        }
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        let errors = self.errors().count();
        let warnings = self.warnings().count();
        if errors > 0 {
            let s = if errors == 1 { "" } else { "s" };
            write!(f, "{errors} error{s}")?;
            if warnings > 0 {
                write!(f, ", {warnings} warning(s)")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Why a command failed: the input is wrong (nothing was written), or the machine refused
/// (an I/O error while writing; the previous output is untouched).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Input(Diagnostics),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The process exit code documented in the README.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) => 1,
            Error::Io { .. } => 3,
        }
    }
}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Self {
        Error::Input(d)
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Input(d.into())
    }
}

/// Levenshtein distance, for "did you mean …?" hints on near-miss ids.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest candidate to `wrong`, if it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let limit = (wrong.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wrong, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_header_snippet_and_caret() {
        let src = "a: 1\nyear: deux\n";
        let d = Diagnostic::at(
            "editions/x/edition.yaml",
            src,
            Position::new(2, 7),
            "not a number",
        )
        .with_hint("write the year as digits");
        let text = d.to_string();
        assert!(
            text.starts_with("error: editions/x/edition.yaml:2:7: not a number\n"),
            "{text}"
        );
        assert!(text.contains("2 | year: deux\n"), "{text}");
        assert!(text.contains("  |       ^"), "{text}");
        assert!(text.ends_with("= hint: write the year as digits"), "{text}");
    }

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(
            did_you_mean("regoin", ["region", "city"]).as_deref(),
            Some("did you mean `region`?")
        );
        assert_eq!(did_you_mean("zzzzzz", ["region", "city"]), None);
    }
}
