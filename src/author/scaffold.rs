//! `barometre new edition <id> [--from <previous-id>]`: the folder of a new edition, ready to
//! fill in.
//!
//! It holds an `edition.yaml` (status `draft`, version `0.1.0`, every text in every language
//! of `site.yaml` marked `TODO`) and one page per language. With `--from`, the indicator
//! definitions of a previous wave (`data/dimensions.yaml`, `data/indicators.yaml`) are copied
//! without their figures — `values` emptied, `n` null — so the next wave asks the same
//! questions under the same ids. The copy edits the text, so the content team's comments and
//! layout stay; where the layout defeats the line-based edit the file is rewritten from its
//! parsed data instead. The folder is written under a temporary name and renamed at the end:
//! a failure leaves nothing behind.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::error::{Diagnostic, Error, did_you_mean};
use crate::load::schema::{EditionFile, EditionKind, SiteFile};
use crate::syntax::is_valid_id;

/// The data files whose definitions a new wave takes over from a previous one.
pub(crate) const DEFINITION_FILES: &[&str] = &["dimensions.yaml", "indicators.yaml"];

/// The slug of the page a new edition starts with.
pub(crate) const FIRST_PAGE: &str = "introduction";

/// What to scaffold.
#[derive(Debug, Clone)]
pub struct NewEdition {
    pub id: String,
    /// A previous edition whose indicator definitions to copy.
    pub from: Option<String>,
    /// Defaults to the previous edition's kind, else `barometer-wave`.
    pub kind: Option<EditionKind>,
    /// Defaults to the year the id starts with, else the current year.
    pub year: Option<i32>,
}

/// What `new edition` wrote.
#[derive(Debug, Clone)]
pub struct Scaffolded {
    /// The files written, relative to the project root.
    pub files: Vec<PathBuf>,
    /// What the author should know (a `--from` edition without indicator definitions…).
    pub warnings: Vec<Diagnostic>,
}

/// Creates `editions/<id>/`.
pub fn new_edition(root: &Path, req: &NewEdition) -> Result<Scaffolded, Error> {
    let editions = Path::new("editions");
    let id = req.id.as_str();
    if !is_valid_id(id) {
        return Err(Diagnostic::file(
            editions.join(id),
            format!("`{id}` is not a valid edition id: use only a-z, 0-9 and `-`, not at the ends"),
        )
        .with_hint(
            "the id is the folder name and part of the edition's address, e.g. `2025-bism-vague-2`",
        )
        .into());
    }
    let dir = editions.join(id);
    if root.join(&dir).exists() {
        return Err(
            Diagnostic::file(&dir, format!("edition `{id}` already exists"))
                .with_hint("choose another id, or edit the existing folder")
                .into(),
        );
    }
    let site: SiteFile = crate::load::read_yaml(root, Path::new("site.yaml"))?.value;
    let langs: Vec<String> = site
        .languages
        .iter()
        .map(|l| l.code.value.clone())
        .collect();

    let mut previous: Option<(PathBuf, EditionFile)> = None;
    if let Some(from) = &req.from {
        let from_dir = editions.join(from);
        let meta_file = from_dir.join("edition.yaml");
        if !is_valid_id(from) || !root.join(&meta_file).is_file() {
            let mut d = Diagnostic::file(&from_dir, format!("no edition `{from}` to start from"));
            let ids = super::publish::edition_ids(root);
            if let Some(h) = did_you_mean(from, ids.iter().map(String::as_str)) {
                d = d.with_hint(h);
            }
            return Err(d.into());
        }
        let meta = crate::load::read_yaml::<EditionFile>(root, &meta_file)?.value;
        previous = Some((from_dir, meta));
    }

    let kind = req
        .kind
        .or(previous.as_ref().map(|(_, m)| m.kind))
        .unwrap_or(EditionKind::BarometerWave);
    let year = req
        .year
        .or_else(|| id.get(..4).and_then(|y| y.parse().ok()))
        .or(previous.as_ref().map(|(_, m)| m.year + 1))
        .unwrap_or_else(current_year);

    let mut files: Vec<(PathBuf, String)> = vec![(
        PathBuf::from("edition.yaml"),
        edition_yaml(id, kind, year, &langs, req.from.as_deref()),
    )];
    for lang in &langs {
        files.push((
            Path::new("pages").join(format!("{FIRST_PAGE}.{lang}.md")),
            "---\ntitle: \"TODO: title\"\nweight: 1\n---\nTODO: write this page.\n".to_string(),
        ));
    }
    let mut warnings = Vec::new();
    if let Some((from_dir, _)) = &previous {
        let mut copied = 0;
        for name in DEFINITION_FILES {
            let rel = from_dir.join("data").join(name);
            if !root.join(&rel).is_file() {
                continue;
            }
            let text = crate::load::files::read_text(root, &rel)?;
            files.push((Path::new("data").join(name), without_values(&rel, &text)?));
            copied += 1;
        }
        if copied == 0 {
            // A wave of narrative only (no indicators yet) is still a fine model for the
            // next one: scaffold it, and say that nothing was copied.
            warnings.push(
                Diagnostic::file(
                    from_dir.join("data"),
                    format!(
                        "edition `{}` has no indicator definitions to copy ({}): the new edition starts without indicators",
                        req.from.as_deref().unwrap_or_default(),
                        DEFINITION_FILES.join(", ")
                    ),
                )
                .warning()
                .with_hint("define the questions in data/indicators.yaml of the new edition (docs/FORMAT.md, Indicators)"),
            );
        }
    }

    // Write under a temporary name, then rename: nothing half-written on failure.
    let tmp = editions.join(format!(".{id}.tmp-{}", std::process::id()));
    let tmp_abs = root.join(&tmp);
    let write_all = || -> Result<(), Error> {
        for (rel, text) in &files {
            let path = tmp_abs.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        }
        std::fs::rename(&tmp_abs, root.join(&dir)).map_err(|e| Error::io(root.join(&dir), e))
    };
    if let Err(e) = write_all() {
        let _ = std::fs::remove_dir_all(&tmp_abs);
        return Err(e);
    }
    Ok(Scaffolded {
        files: files.into_iter().map(|(rel, _)| dir.join(rel)).collect(),
        warnings,
    })
}

/// A YAML string literal (JSON's double-quoted strings are valid YAML).
fn quoted(s: &str) -> String {
    Json::String(s.to_string()).to_string()
}

fn edition_yaml(
    id: &str,
    kind: EditionKind,
    year: i32,
    langs: &[String],
    from: Option<&str>,
) -> String {
    let texts = |what: &str| {
        langs
            .iter()
            .map(|l| format!("  {l}: {}\n", quoted(&format!("TODO: {what}"))))
            .collect::<String>()
    };
    let origin = from.map_or_else(String::new, |f| {
        format!("# Indicator definitions copied from `{f}`, without their values.\n")
    });
    format!(
        "# Scaffolded by `barometre new edition`; the format is in docs/FORMAT.md.\n\
         # Replace every TODO, then set the version and run `barometre publish {id}`.\n\
         {origin}\
         id: {id}\n\
         kind: {kind}\n\
         year: {year}\n\
         version: 0.1.0\n\
         status: draft\n\
         # dates: {{start: YYYY-MM-DD, end: YYYY-MM-DD, published: YYYY-MM-DD}}\n\
         title:\n{title}\
         summary:\n{summary}\
         partners: []\n\
         key_figures: []\n\
         changelog: []\n",
        kind = kind.as_str(),
        title = texts("title"),
        summary = texts("summary"),
    )
}

/// The current year (UTC), for a scaffold whose id does not start with one.
fn current_year() -> i32 {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm), year only.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2)) as i32
}

/// The definitions of `text` (a YAML list of items with `id`) without their figures: each
/// item's `values` becomes `{}` and its `n` `null`. The line-based edit keeps comments; when
/// its result does not check out (flow-style items…), the list is rewritten from its data.
pub fn without_values(file: &Path, text: &str) -> Result<String, Error> {
    let original: Json = crate::load::yaml::parse(file, text)?;
    let Json::Array(items) = &original else {
        return Err(Diagnostic::file(file, "expected a list of items with `id`").into());
    };
    let edited = strip_lines(text);
    if let Some(edited) = edited
        && let Ok(value) = crate::load::yaml::parse::<Json>(file, &edited)
        && is_stripped_copy(items, &value)
    {
        return Ok(edited);
    }
    let mut out = String::from(
        "# Definitions copied by `barometre new edition --from`, without their values.\n",
    );
    for item in items {
        let mut item = item.clone();
        if let Json::Object(map) = &mut item {
            if map.contains_key("values") {
                map.insert("values".into(), Json::Object(Default::default()));
                map.insert("n".into(), Json::Null);
            } else if map.contains_key("n") {
                map.insert("n".into(), Json::Null);
            }
        }
        out.push_str(&format!("- {item}\n"));
    }
    if items.is_empty() {
        // A file of comments only would read as null, not as an empty list.
        out.push_str("[]\n");
    }
    Ok(out)
}

/// Is `edited` the list `items` with each `values` empty and each `n` null, and nothing else
/// changed?
fn is_stripped_copy(items: &[Json], edited: &Json) -> bool {
    let Json::Array(new_items) = edited else {
        return false;
    };
    new_items.len() == items.len()
        && items.iter().zip(new_items).all(|(old, new)| {
            let (Json::Object(old), Json::Object(new)) = (old, new) else {
                return old == new;
            };
            let empty = |v: Option<&Json>| match v {
                None => true,
                Some(Json::Object(m)) => m.is_empty(),
                Some(_) => false,
            };
            let rest = |m: &serde_json::Map<String, Json>| {
                m.iter()
                    .filter(|(k, _)| *k != "values" && *k != "n")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect::<Vec<_>>()
            };
            rest(old) == rest(new)
                && old.contains_key("values") == new.contains_key("values")
                && empty(new.get("values"))
                && new.get("n").is_none_or(Json::is_null)
                && (!old.contains_key("values") || new.contains_key("n"))
        })
}

/// Line-based edit of a block list of mappings: at the item key column, `values:` becomes
/// `values: {}` and `n:` becomes `n: null` (their nested lines dropped); an item with values
/// and no `n` gets `n: null`. `None` when the text is not a block list.
fn strip_lines(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    // The list's dash column and the column of its items' keys, from the first item.
    let first = lines.iter().find(|l| {
        let t = l.trim_start();
        !t.is_empty() && !t.starts_with('#')
    })?;
    let dash = first.len() - first.trim_start().len();
    let after_dash = first[dash..].strip_prefix('-')?;
    let key_col = dash + 1 + (after_dash.len() - after_dash.trim_start_matches(' ').len());
    if after_dash.trim().is_empty() || !after_dash.starts_with(' ') {
        return None;
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };

    let mut out: Vec<String> = Vec::with_capacity(lines.len() + 8);
    // Per item: where to add `n: null` if the item has values and no `n`.
    let mut pending_n: Option<usize> = None;
    let mut has_n = false;
    let mut skipping = false;
    let mut held_blanks: Vec<String> = Vec::new();
    let close_item = |out: &mut Vec<String>, pending: &mut Option<usize>, has_n: bool| {
        if let (Some(at), false) = (pending.take(), has_n) {
            out.insert(at, format!("{}n: null{newline}", " ".repeat(key_col)));
        }
    };
    for line in lines {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if skipping {
            if blank {
                held_blanks.push(line.to_string());
                continue;
            }
            if indent > key_col {
                held_blanks.clear();
                continue;
            }
            skipping = false;
        }
        out.append(&mut held_blanks);
        let is_item_start = indent == dash && line[dash..].starts_with("- ");
        if is_item_start {
            close_item(&mut out, &mut pending_n, has_n);
            has_n = false;
        }
        // (`get`: a line of another layout may have a multi-byte character at `key_col`.)
        let split = if is_item_start || indent == key_col {
            line.get(..key_col).zip(line.get(key_col..))
        } else {
            None
        };
        match split {
            Some((prefix, k)) if is_key(k, "values") => {
                out.push(format!("{prefix}values: {{}}{newline}"));
                pending_n = Some(out.len());
                skipping = true;
            }
            Some((prefix, k)) if is_key(k, "n") => {
                out.push(format!("{prefix}n: null{newline}"));
                has_n = true;
                skipping = true;
            }
            _ => out.push(line.to_string()),
        }
    }
    out.append(&mut held_blanks);
    close_item(&mut out, &mut pending_n, has_n);
    Some(out.concat())
}

fn is_key(s: &str, key: &str) -> bool {
    s.strip_prefix(key)
        .and_then(|r| r.strip_prefix(':'))
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\r', '\n']))
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDICATORS: &str = "# Indicateurs de la vague\n- id: ressources\n  question: {fr: Q, ar: س}\n  kind: share\n  options: [{id: oui, label: {fr: Oui, ar: نعم}}]\n  breakdown: rencontre\n  values:\n    oujda: {oui: 13, non: 87}\n\n    safi: {oui: 20, non: 80}\n  n: 162  # répondants\n  chart: stacked-bar\n\n- id: sans-n\n  kind: count\n  values: {oujda: 4}\n";

    #[test]
    fn values_are_emptied_and_comments_kept() {
        let out = without_values(Path::new("i.yaml"), INDICATORS).unwrap();
        assert!(out.starts_with("# Indicateurs de la vague\n"), "{out}");
        assert!(!out.contains("oujda: {oui"), "{out}");
        assert!(!out.contains("safi"), "{out}");
        assert!(!out.contains("162"), "{out}");
        assert_eq!(out.matches("values: {}").count(), 2, "{out}");
        assert_eq!(out.matches("n: null").count(), 2, "{out}");
        assert!(
            out.contains("  chart: stacked-bar\n\n- id: sans-n"),
            "{out}"
        );
    }

    #[test]
    fn flow_items_fall_back_to_rewriting() {
        let text = "- {id: a, values: {x: 1}, n: 3}\n- {id: b, kind: count}\n";
        let out = without_values(Path::new("i.yaml"), text).unwrap();
        let v: Json = crate::load::yaml::parse(Path::new("o.yaml"), &out).unwrap();
        assert_eq!(v[0]["id"], "a");
        assert_eq!(v[0]["values"], serde_json::json!({}));
        assert!(v[0]["n"].is_null());
        assert_eq!(v[1], serde_json::json!({"id": "b", "kind": "count"}));
    }

    #[test]
    fn an_empty_list_stays_a_list() {
        // Found by the fuzz target: `[]` came back as a comment-only file (null).
        let out = without_values(Path::new("i.yaml"), "[\t\t\t]").unwrap();
        let v: Json = crate::load::yaml::parse(Path::new("o.yaml"), &out).unwrap();
        assert_eq!(v, serde_json::json!([]));
    }

    #[test]
    fn year_is_plausible() {
        assert!((2024..2200).contains(&current_year()));
    }
}
