//! The table `barometre check` ends with: what was checked (pages, editions, languages), what
//! was found (errors, warnings), translation coverage per language, and the integrity of each
//! edition against its published content hash.

use std::collections::BTreeMap;
use std::fmt;

use crate::error::Diagnostics;
use crate::model::CoverageRow;
use crate::pipeline::{Integrity, Report};

/// One edition's line of the integrity table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionLine {
    pub id: String,
    pub version: String,
    pub state: String,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// HTML pages rendered; `None` when the run stopped before rendering.
    pub pages: Option<usize>,
    pub languages: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    /// Per language: translations present, translatable units.
    pub coverage: BTreeMap<String, (usize, usize)>,
    pub editions: Vec<EditionLine>,
}

impl Summary {
    /// After a successful run.
    pub fn of_report(report: &Report) -> Summary {
        let mut s = Summary::of_integrity(&report.integrity);
        s.pages = Some(report.pages);
        s.warnings = report.warnings.warnings().count();
        for row in &report.coverage {
            let e = s.coverage.entry(row.lang.clone()).or_default();
            e.0 += row.present;
            e.1 += row.total;
        }
        s
    }

    /// After a run that found errors: pages were not all rendered.
    pub fn of_failure(integrity: &Integrity, diags: &Diagnostics) -> Summary {
        let mut s = Summary::of_integrity(integrity);
        s.errors = diags.errors().count();
        s.warnings = diags.warnings().count();
        s
    }

    fn of_integrity(integrity: &Integrity) -> Summary {
        Summary {
            languages: integrity.languages.clone(),
            editions: integrity
                .editions
                .iter()
                .map(|(id, version, state)| EditionLine {
                    id: id.clone(),
                    version: version.clone(),
                    state: state.clone(),
                })
                .collect(),
            ..Summary::default()
        }
    }
}

/// Translation coverage per scope (editions newest first, then the site pages) and language,
/// as a table for the terminal.
pub fn coverage_table(rows: &[CoverageRow], languages: &[String]) -> String {
    let mut scopes: Vec<&str> = Vec::new();
    for r in rows {
        if !scopes.contains(&r.scope.as_str()) {
            scopes.push(&r.scope);
        }
    }
    let width = scopes.iter().map(|s| s.len()).max().unwrap_or(5).max(20);
    let mut out = format!("{:width$}", "translation coverage");
    for l in languages {
        out.push_str(&format!("  {l:>16}"));
    }
    out.push('\n');
    for scope in scopes {
        out.push_str(&format!("{scope:width$}"));
        for l in languages {
            if let Some(row) = rows.iter().find(|r| r.scope == scope && &r.lang == l) {
                let cell = format!(
                    "{:.0} % ({}/{})",
                    row.percent().floor(),
                    row.present,
                    row.total
                );
                out.push_str(&format!("  {cell:>16}"));
            }
        }
        out.push('\n');
    }
    out
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let published = self
            .editions
            .iter()
            .filter(|e| e.state.starts_with("published"))
            .count();
        let rows: Vec<(&str, String)> = vec![
            (
                "pages",
                self.pages
                    .map_or_else(|| "not rendered (errors)".into(), |p| p.to_string()),
            ),
            (
                "editions",
                format!(
                    "{} ({published} published, {} draft)",
                    self.editions.len(),
                    self.editions.len() - published
                ),
            ),
            (
                "languages",
                format!("{} ({})", self.languages.len(), self.languages.join(", ")),
            ),
            ("errors", self.errors.to_string()),
            ("warnings", self.warnings.to_string()),
            (
                "coverage",
                if self.coverage.is_empty() {
                    "not computed (errors)".into()
                } else {
                    // Languages in site order.
                    let mut langs: Vec<&String> = self.languages.iter().collect();
                    langs.extend(self.coverage.keys().filter(|l| !self.languages.contains(l)));
                    langs
                        .into_iter()
                        .filter_map(|l| self.coverage.get(l).map(|c| (l, c)))
                        .map(|(lang, (present, total))| {
                            let pct = if *total == 0 {
                                100
                            } else {
                                present * 100 / total
                            };
                            format!("{lang} {pct} % ({present}/{total})")
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            ),
        ];
        writeln!(f, "summary")?;
        for (k, v) in rows {
            writeln!(f, "  {k:<10} {v}")?;
        }
        if !self.editions.is_empty() {
            let w = self.editions.iter().map(|e| e.id.len()).max().unwrap_or(0);
            let wv = self
                .editions
                .iter()
                .map(|e| e.version.len())
                .max()
                .unwrap_or(0);
            writeln!(f, "edition integrity")?;
            for e in &self.editions {
                writeln!(f, "  {:<w$}  {:<wv$}  {}", e.id, e.version, e.state)?;
            }
        }
        Ok(())
    }
}
