//! Translation coverage: every translatable unit (a page, a text of edition.yaml, of a data
//! file, of an indicator) in every language, present or missing. A missing one is shown in
//! another language with a notice, reported as a warning (an error with `--strict`), and
//! counted per scope (an edition, or the site pages) and language.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::error::{Diagnostic, Diagnostics, Position};
use crate::load::schema::{EditionFile, Text};

use super::{Language, Page, is_localized_map};

/// Translation coverage of one scope (an edition, or the site-wide pages) in one language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CoverageRow {
    pub scope: String,
    pub lang: String,
    pub present: usize,
    pub total: usize,
}

impl CoverageRow {
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.present as f64 * 100.0 / self.total as f64
        }
    }
}

/// One translatable unit in one language: present or missing.
struct Unit {
    lang: String,
    file: PathBuf,
    pos: Position,
    what: String,
    present: bool,
}

/// The units of one scope, as they are counted.
pub(crate) struct Scope<'a> {
    languages: &'a [Language],
    units: Vec<Unit>,
}

impl<'a> Scope<'a> {
    pub(crate) fn new(languages: &'a [Language]) -> Self {
        Scope {
            languages,
            units: Vec::new(),
        }
    }

    /// Each language version of each page (a fallback is a missing translation).
    pub(crate) fn pages(&mut self, pages: &[Page]) {
        for page in pages {
            for v in &page.versions {
                let file = if v.is_fallback() {
                    // Name the file that should exist.
                    let mut f = v.source.file.clone();
                    f.set_file_name(format!("{}.{}.md", page.slug, v.lang));
                    f
                } else {
                    v.source.file.clone()
                };
                self.units.push(Unit {
                    lang: v.lang.clone(),
                    file,
                    pos: Position::default(),
                    what: format!("page `{}`", page.slug),
                    present: !v.is_fallback(),
                });
            }
        }
    }

    /// A text given per language; `what` names it (`` `title` ``, ``question of `x` ``).
    pub(crate) fn text(&mut self, file: &Path, text: &Text, what: &str) {
        for l in self.languages {
            self.units.push(Unit {
                lang: l.code.clone(),
                file: file.to_path_buf(),
                pos: text.pos,
                what: what.to_string(),
                present: text.values.contains_key(&l.code),
            });
        }
    }

    /// The texts of an edition's `edition.yaml`.
    pub(crate) fn edition(&mut self, file: &Path, m: &EditionFile) {
        self.text(file, &m.title, "`title`");
        self.text(file, &m.summary, "`summary`");
        for p in &m.partners {
            self.text(file, &p.name, "`partners.name`");
            if let Some(r) = &p.role {
                self.text(file, r, "`partners.role`");
            }
        }
        if let Some(t) = m.sample.as_ref().and_then(|s| s.description.as_ref()) {
            self.text(file, t, "`sample.description`");
        }
        for k in &m.key_figures {
            self.text(file, &k.label, "`key_figures.label`");
        }
        for c in &m.changelog {
            self.text(file, &c.changes, "`changelog.changes`");
        }
    }

    /// The texts given per language inside free-form data (`path` names the place).
    pub(crate) fn json(&mut self, file: &Path, value: &Json, path: &str) {
        match value {
            Json::Object(map) if is_localized_map(map, self.languages) => {
                for l in self.languages {
                    self.units.push(Unit {
                        lang: l.code.clone(),
                        file: file.to_path_buf(),
                        pos: Position::default(),
                        what: format!("`{path}`"),
                        present: map.contains_key(&l.code),
                    });
                }
            }
            Json::Object(map) => {
                for (k, v) in map {
                    self.json(file, v, &format!("{path}.{k}"));
                }
            }
            Json::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    // Name list items by their `id` when they have one: stable across edits.
                    let name = v
                        .get("id")
                        .and_then(Json::as_str)
                        .map_or_else(|| format!("{path}[{i}]"), |id| format!("{path}[{id}]"));
                    self.json(file, v, &name);
                }
            }
            _ => {}
        }
    }
}

/// Counts the scopes (in order) into rows per scope and language, and reports each missing
/// translation: a warning, or an error when `strict`.
pub(crate) fn tally(
    scopes: Vec<(String, Scope<'_>)>,
    languages: &[Language],
    strict: bool,
) -> (Vec<CoverageRow>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut totals: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for (name, scope) in &scopes {
        for u in &scope.units {
            let entry = totals.entry((name.clone(), u.lang.clone())).or_default();
            entry.1 += 1;
            if u.present {
                entry.0 += 1;
                continue;
            }
            let kind = format!("missing `{}` translation", u.lang);
            let mut d = Diagnostic::file(
                &u.file,
                format!(
                    "{kind} of {} (shown in another language with a notice)",
                    u.what
                ),
            )
            .grouped(kind, u.what.clone());
            d.pos = u.pos;
            d = if strict {
                d.with_hint(
                    "--strict (or `translation.strict` in site.yaml) makes missing translations errors",
                )
            } else {
                d.warning()
            };
            diags.push(d);
        }
    }
    let mut rows = Vec::new();
    for (name, _) in &scopes {
        for l in languages {
            let (present, total) = totals
                .get(&(name.clone(), l.code.clone()))
                .copied()
                .unwrap_or((0, 0));
            rows.push(CoverageRow {
                scope: name.clone(),
                lang: l.code.clone(),
                present,
                total,
            });
        }
    }
    (rows, diags)
}
