//! Numbers that read backwards on a right-to-left page. « 65 000 » written with an ordinary
//! space is two numbers for the Unicode bidirectional algorithm: in an Arabic paragraph they
//! are laid out right to left, « 000 65 ». A single no-break space (U+00A0) or narrow
//! no-break space (U+202F) between the groups is a number separator for the algorithm, and
//! the number stays whole.
//!
//! Every text shown in a right-to-left language is checked: the values of texts per language
//! under its code (`ar:`) in `site.yaml`, `edition.yaml`, the dimensions, indicators and data
//! files, the front matter of its pages and its UI strings here; the Markdown bodies of its
//! pages as they are rendered (`render::markdown`, with the same message). A finding is a
//! warning, an error with `--strict` (or `translation.strict`).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use serde_json::Value as Json;

use crate::error::{Diagnostic, Diagnostics, Position, Severity};
use crate::load::schema::{Direction, Text};
use crate::load::{PageSource, Project};

/// The kind under which these findings are grouped when printed.
pub const KIND: &str = "digit groups split by a breakable space";

/// The byte ranges of the numbers of `text` whose digit groups are separated by something
/// else than one no-break space: `65 000`, `1 200 000` (a group of 1 to 3 digits, then groups
/// of 3).
pub fn find(text: &str) -> Vec<Range<usize>> {
    // A byte scan: most texts have few digits, and a digit is one byte or a two-byte
    // sequence with a known lead byte.
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    if !may_have_digits(bytes) {
        return found;
    }
    let mut i = 0;
    while i < bytes.len() {
        if digit_len(bytes, i) == 0 {
            i += 1;
            continue;
        }
        let (len, count) = digits(bytes, i);
        let mut end = i + len;
        let mut broken = false;
        if count <= 3 {
            while let Some((sep, ok)) = separator(&text[end..]) {
                let (len, count) = digits(bytes, end + sep);
                if count != 3 || digit_len(bytes, end + sep + len) > 0 {
                    break;
                }
                broken |= !ok;
                end += sep + len;
            }
        }
        if broken {
            found.push(i..end);
        }
        i += len.max(end - i);
    }
    found
}

/// Has `bytes` a digit? A branchless test over every byte (and its successor), which the
/// compiler vectorises: most texts have none and are passed over at that speed.
fn may_have_digits(bytes: &[u8]) -> bool {
    let Some(&last) = bytes.last() else {
        return false;
    };
    let pairs = bytes.iter().zip(&bytes[1..]);
    let found = pairs.fold(u8::from(last.is_ascii_digit()), |any, (&a, &b)| {
        // An ASCII digit, or U+0660–U+0669 (D9 A0–A9), U+06F0–U+06F9 (DB B0–B9). Bitwise
        // operations only, no branch: the loop is vectorised.
        let ascii = u8::from(a.wrapping_sub(b'0') < 10);
        let lead = u8::from((a | 2) == 0xDB);
        let tail = u8::from(b.wrapping_sub(0xA0 + ((a & 2) << 3)) < 10);
        any | ascii | (lead & tail)
    });
    found != 0
}

/// The byte length of the digit at byte `i` (ASCII, Arabic-Indic or Extended Arabic-Indic),
/// 0 when there is none.
fn digit_len(bytes: &[u8], i: usize) -> usize {
    match (bytes.get(i), bytes.get(i + 1)) {
        (Some(b'0'..=b'9'), _) => 1,
        (Some(0xD9), Some(0xA0..=0xA9)) | (Some(0xDB), Some(0xB0..=0xB9)) => 2,
        _ => 0,
    }
}

fn is_digit(c: char) -> bool {
    matches!(c, '0'..='9' | '\u{0660}'..='\u{0669}' | '\u{06f0}'..='\u{06f9}')
}

/// The byte length and number of the digits from byte `i`.
fn digits(bytes: &[u8], mut i: usize) -> (usize, usize) {
    let start = i;
    let mut count = 0;
    loop {
        let len = digit_len(bytes, i);
        if len == 0 {
            return (i - start, count);
        }
        i += len;
        count += 1;
    }
}

/// The spaces at the start of `text`: their byte length, and whether they keep a number whole
/// (exactly one U+00A0 or U+202F).
fn separator(text: &str) -> Option<(usize, bool)> {
    let len: usize = text
        .chars()
        .take_while(|&c| c != '\n' && (c.is_whitespace() || matches!(c, '\u{2007}' | '\u{2060}')))
        .map(char::len_utf8)
        .sum();
    (len > 0).then(|| (len, matches!(&text[..len], "\u{a0}" | "\u{202f}")))
}

/// The message and the hint about `number` (as found in the text).
pub fn explain(number: &str) -> (String, String) {
    let groups: Vec<&str> = number
        .split(|c: char| !is_digit(c))
        .filter(|g| !g.is_empty())
        .collect();
    let reversed: Vec<&str> = groups.iter().rev().copied().collect();
    let fixed = groups.join("\u{202f}");
    (
        format!(
            "`{}`: its digit groups are separated by a breakable space, so a right-to-left page shows `{}`",
            groups.join(" "),
            reversed.join(" ")
        ),
        format!(
            "write {} as {fixed} (U+202F narrow no-break space between the groups; U+00A0 works too)",
            groups.join(" ")
        ),
    )
}

/// The finding about `number` at `pos` in `file` (whose text is `source`).
pub fn diagnostic(
    file: &Path,
    source: &str,
    pos: Position,
    number: &str,
    severity: Severity,
) -> Diagnostic {
    let (message, hint) = explain(number);
    let d = Diagnostic::at(file, source, pos, message)
        .with_hint(hint)
        .grouped(KIND, format!("line {}", pos.line));
    with_severity(d, severity)
}

pub fn with_severity(d: Diagnostic, severity: Severity) -> Diagnostic {
    match severity {
        Severity::Error => d,
        Severity::Warning => d.warning(),
    }
}

/// Checks every text of the project shown in a right-to-left language (Markdown bodies
/// excepted: they are checked as they are rendered).
pub(crate) fn check(p: &Project, strict: bool) -> Diagnostics {
    let site = &p.site.value;
    let rtl: BTreeSet<&str> = site
        .languages
        .iter()
        .filter(|l| l.dir == Direction::Rtl)
        .map(|l| l.code.value.as_str())
        .collect();
    let mut c = Checker {
        rtl,
        codes: site
            .languages
            .iter()
            .map(|l| l.code.value.as_str())
            .collect(),
        severity: if strict {
            Severity::Error
        } else {
            Severity::Warning
        },
        diags: Diagnostics::new(),
    };
    if c.rtl.is_empty() {
        return c.diags;
    }
    let (sf, st) = (p.site.file.as_path(), p.site.text.as_str());
    let site_texts = [
        Some(&site.title),
        site.description.as_ref(),
        site.publisher.as_ref(),
    ];
    for t in site_texts.into_iter().flatten() {
        c.text(sf, st, t);
    }
    for page in &p.content {
        c.front_matter(page);
    }
    for ed in &p.editions {
        let (ef, et) = (ed.meta.file.as_path(), ed.meta.text.as_str());
        for t in edition_texts(&ed.meta.value) {
            c.text(ef, et, t);
        }
        if let Some(src) = &ed.dimensions {
            for d in &src.value {
                c.text(&src.file, &src.text, &d.label);
                for m in &d.members {
                    c.text(&src.file, &src.text, &m.label);
                }
            }
        }
        if let Some(src) = &ed.indicators {
            for i in &src.value {
                c.text(&src.file, &src.text, &i.question);
                for o in &i.options {
                    c.text(&src.file, &src.text, &o.label);
                }
                for t in [&i.source, &i.note].into_iter().flatten() {
                    c.text(&src.file, &src.text, t);
                }
            }
        }
        for data in &ed.data {
            let mut seen = BTreeMap::new();
            c.json(&data.file, &data.text, &data.value, &mut seen);
        }
        for page in &ed.pages {
            c.front_matter(page);
        }
    }
    for (lang, src) in &p.theme.i18n {
        if !c.rtl.contains(lang.as_str()) {
            continue;
        }
        for (key, value) in &src.value {
            for r in find(value) {
                let at = key_line(&src.text, 1, key).unwrap_or_default();
                let pos = locate(&src.text, at, &value[r.clone()]);
                c.push(&src.file, &src.text, pos, &value[r]);
            }
        }
    }
    c.diags
}

/// The texts per language of an `edition.yaml`.
fn edition_texts(m: &crate::load::schema::EditionFile) -> Vec<&Text> {
    let mut out = vec![&m.title, &m.summary];
    for p in &m.partners {
        out.push(&p.name);
        out.extend(p.role.as_ref());
    }
    out.extend(m.sample.as_ref().and_then(|s| s.description.as_ref()));
    out.extend(m.key_figures.iter().map(|k| &k.label));
    out.extend(m.changelog.iter().map(|c| &c.changes));
    out
}

struct Checker<'a> {
    rtl: BTreeSet<&'a str>,
    codes: BTreeSet<&'a str>,
    severity: Severity,
    diags: Diagnostics,
}

impl Checker<'_> {
    fn push(&mut self, file: &Path, source: &str, pos: Position, number: &str) {
        self.diags
            .push(diagnostic(file, source, pos, number, self.severity));
    }

    /// A text per language: its right-to-left values, located under their language key.
    fn text(&mut self, file: &Path, source: &str, t: &Text) {
        for (lang, value) in &t.values {
            if !self.rtl.contains(lang.as_str()) {
                continue;
            }
            for r in find(value) {
                let at = key_line(source, t.pos.line.max(1), lang).unwrap_or(t.pos);
                let pos = locate(source, at, &value[r.clone()]);
                self.push(file, source, pos, &value[r]);
            }
        }
    }

    /// The title and description of a page in a right-to-left language.
    fn front_matter(&mut self, page: &PageSource) {
        if !self.rtl.contains(page.lang.as_str()) {
            return;
        }
        let fields = [
            ("title", Some(&page.front.title)),
            ("description", page.front.description.as_ref()),
        ];
        for (key, value) in fields {
            let Some(value) = value else { continue };
            for r in find(value) {
                let at = key_line(&page.head, 1, key).unwrap_or_default();
                let pos = locate(&page.head, at, &value[r.clone()]);
                self.push(&page.file, &page.head, pos, &value[r]);
            }
        }
    }

    /// The texts per language inside free-form data. Values carry no position: each finding
    /// is the next occurrence of its number under its language key in the file (`seen` counts
    /// the ones already reported).
    fn json(
        &mut self,
        file: &Path,
        source: &str,
        value: &Json,
        seen: &mut BTreeMap<(String, String), usize>,
    ) {
        match value {
            Json::Object(map) if self.is_text(map) => {
                for (lang, v) in map {
                    let (true, Some(v)) = (self.rtl.contains(lang.as_str()), v.as_str()) else {
                        continue;
                    };
                    for r in find(v) {
                        let number = &v[r];
                        let n = seen.entry((lang.clone(), number.to_string())).or_default();
                        let pos = nth_under_key(source, lang, number, *n).unwrap_or_default();
                        *n += 1;
                        self.push(file, source, pos, number);
                    }
                }
            }
            Json::Object(map) => map.values().for_each(|v| self.json(file, source, v, seen)),
            Json::Array(items) => items.iter().for_each(|v| self.json(file, source, v, seen)),
            _ => {}
        }
    }

    /// A map of texts per language: every key a language code, every value a string (as
    /// `model::is_localized_map`).
    fn is_text(&self, map: &serde_json::Map<String, Json>) -> bool {
        !map.is_empty()
            && map
                .iter()
                .all(|(k, v)| v.is_string() && self.codes.contains(k.as_str()))
    }
}

/// Where `key:` is a mapping key, at or after line `from` (1-based): in block style
/// (`  ar: …`, `- ar: …`) or inside a flow map (`{fr: …, ar: …}`).
fn key_line(text: &str, from: usize, key: &str) -> Option<Position> {
    for (i, line) in text.split('\n').enumerate().skip(from.saturating_sub(1)) {
        if let Some(col) = key_in_line(line, key) {
            return Some(Position::new(i + 1, line[..col].chars().count() + 1));
        }
    }
    None
}

/// The byte column of `key:` (or `"key":`) as a mapping key in `line`.
fn key_in_line(line: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = line[from..].find(key) {
        let at = from + found;
        from = at + key.len();
        let quoted = line[..at].ends_with('"');
        let before = line[..at - usize::from(quoted)].trim_end_matches(' ');
        let mut after = &line[at + key.len()..];
        if quoted {
            let Some(rest) = after.strip_prefix('"') else {
                continue;
            };
            after = rest;
        }
        let is_key = before.is_empty()
            || before.ends_with('{')
            || before.ends_with(',')
            || before.trim_start() == "-";
        let colon = after.starts_with(": ") || after.trim_end() == ":";
        if is_key && colon {
            return Some(at - usize::from(quoted));
        }
    }
    None
}

/// The position of `number` in `text` at or after `at` (a key's position), within the value
/// that key holds (its line and the more indented lines after it); `at` when not found
/// there (an escaped or folded value).
fn locate(text: &str, at: Position, number: &str) -> Position {
    let mut lines = text.split('\n').enumerate().skip(at.line.saturating_sub(1));
    let Some((first, line)) = lines.next() else {
        return at;
    };
    let indent = indentation(line);
    let skip: usize = line
        .chars()
        .take(at.column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    if let Some(col) = line[skip..].find(number) {
        return Position::new(first + 1, line[..skip + col].chars().count() + 1);
    }
    for (i, line) in lines {
        if !line.trim().is_empty() && indentation(line) <= indent {
            break;
        }
        if let Some(col) = line.find(number) {
            return Position::new(i + 1, line[..col].chars().count() + 1);
        }
    }
    at
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The `n`-th (0-based) occurrence of `number` in `text` that lies in a value of `key`.
fn nth_under_key(text: &str, key: &str, number: &str, n: usize) -> Option<Position> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut count = 0;
    for (i, line) in lines.iter().enumerate() {
        let mut from = 0;
        while let Some(found) = line[from..].find(number) {
            let col = from + found;
            from = col + number.len();
            if governing_key(&lines, i, col) == Some(key) {
                if count == n {
                    return Some(Position::new(i + 1, line[..col].chars().count() + 1));
                }
                count += 1;
            }
        }
    }
    None
}

/// The key whose value holds byte `col` of line `i`: the last flow key before it on the line,
/// else the line's block key, else the key of the nearest less indented line above.
fn governing_key<'t>(lines: &[&'t str], i: usize, col: usize) -> Option<&'t str> {
    let line = lines[i];
    if let Some(k) = last_key(&line[..col]) {
        return Some(k);
    }
    let indent = indentation(line);
    lines[..i]
        .iter()
        .rev()
        .filter(|l| !l.trim().is_empty())
        .find(|l| indentation(l) < indent)
        .and_then(|l| last_key(l))
}

/// The last mapping key in `head` (a line up to some column): `key: ` after the indentation,
/// a `- ` or a flow map's `{` or `,`.
fn last_key(head: &str) -> Option<&str> {
    let mut best = None;
    let mut from = 0;
    while let Some(found) = head[from..].find(':') {
        let at = from + found;
        from = at + 1;
        if !head[at + 1..].starts_with(' ') && at + 1 != head.len() {
            continue;
        }
        let before = &head[..at];
        let start = before.len()
            - before
                .bytes()
                .rev()
                .take_while(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                .count();
        let key = &before[start..];
        let lead = before[..start].trim_end_matches(' ');
        let lead_ok = lead.is_empty()
            || lead.ends_with('{')
            || lead.ends_with(',')
            || lead.trim_start() == "-";
        if !key.is_empty() && lead_ok {
            best = Some(key);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<&str> {
        find(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn breakable_spaces_between_digit_groups_are_found() {
        assert_eq!(numbers("شارك 65 000 شخص"), ["65 000"]);
        assert_eq!(numbers("1 200 000 و 3\u{a0}000"), ["1 200 000"]);
        assert_eq!(numbers("12\u{202f}345 و 12\u{a0}345"), Vec::<&str>::new());
        assert_eq!(
            numbers("12\u{a0}\u{a0}345 ١٢ ٣٤٥"),
            ["12\u{a0}\u{a0}345", "١٢ ٣٤٥"]
        );
        assert_eq!(numbers("65\u{2009}000"), ["65\u{2009}000"]);
        assert_eq!(numbers("1\u{a0}200 000"), ["1\u{a0}200 000"]);
    }

    #[test]
    fn other_numbers_side_by_side_are_not_groups() {
        for text in [
            "سنة 2020 162 فاعلا",
            "05 22 12",
            "من 3 إلى 5",
            "1 23",
            "12 3456",
            "65\n000",
        ] {
            assert_eq!(numbers(text), Vec::<&str>::new(), "{text}");
        }
    }

    #[test]
    fn the_message_shows_the_reversed_reading_and_the_fix() {
        let (message, hint) = explain("65 000");
        assert!(message.contains("`000 65`"), "{message}");
        assert_eq!(
            hint,
            "write 65 000 as 65\u{202f}000 (U+202F narrow no-break space between the groups; U+00A0 works too)"
        );
    }

    #[test]
    fn numbers_are_located_under_their_language_key() {
        let yaml = "title:\n  fr: 65 000 répondants\n  ar: >\n    شارك\n    65 000 شخص\nnext: {fr: x, ar: \"عدد 1 200\"}\n";
        let at = key_line(yaml, 1, "ar").unwrap();
        assert_eq!(at, Position::new(3, 3));
        assert_eq!(locate(yaml, at, "65 000"), Position::new(5, 5));
        let flow = key_line(yaml, 6, "ar").unwrap();
        assert_eq!(locate(yaml, flow, "1 200"), Position::new(6, 24));
        assert_eq!(
            nth_under_key(yaml, "ar", "65 000", 0),
            Some(Position::new(5, 5))
        );
        assert_eq!(
            nth_under_key(yaml, "fr", "65 000", 0),
            Some(Position::new(2, 7))
        );
        assert_eq!(
            nth_under_key(yaml, "ar", "1 200", 0),
            Some(Position::new(6, 24))
        );
    }
}
