//! The table `barometre check` ends with: what was checked (pages, editions, languages), what
//! was found (errors, warnings), translation coverage per language, and the integrity of each
//! edition against its published content hash.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::error::Diagnostics;
use crate::freeze::{self, Freeze};
use crate::load::schema::{EditionFile, SiteFile};

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
    pub fn of_report(root: &Path, report: &crate::Report) -> Summary {
        let mut s = Summary::scan(root);
        s.pages = Some(report.pages);
        s.warnings = report.warnings.warnings().count();
        s.coverage.clear();
        for row in &report.coverage_rows {
            let e = s.coverage.entry(row.lang.clone()).or_default();
            e.0 += row.present;
            e.1 += row.total;
        }
        s
    }

    /// After a run that found errors: counts come from the files, pages were not rendered.
    pub fn of_failure(root: &Path, diags: &Diagnostics) -> Summary {
        let mut s = Summary::scan(root);
        s.errors = diags.errors().count();
        s.warnings = diags.warnings().count();
        s
    }

    /// Languages from `site.yaml` and editions from `editions/`, as far as they parse.
    fn scan(root: &Path) -> Summary {
        let mut s = Summary::default();
        if let Ok(site) = crate::load::read_yaml::<SiteFile>(root, Path::new("site.yaml")) {
            s.languages = site
                .value
                .languages
                .iter()
                .map(|l| l.code.value.clone())
                .collect();
        }
        for id in freeze::edition_ids(root) {
            let dir = Path::new("editions").join(&id);
            let line = match crate::load::read_yaml::<EditionFile>(root, &dir.join("edition.yaml"))
            {
                Err(_) => EditionLine {
                    id,
                    version: "?".into(),
                    state: "edition.yaml does not load (see the errors)".into(),
                },
                Ok(meta) => {
                    let m = &meta.value;
                    let state = match freeze::state(root, &dir, m) {
                        Err(e) => format!("cannot be hashed: {e}"),
                        Ok(Freeze::Draft) => "draft".into(),
                        Ok(Freeze::Intact) => "published, frozen: content hash matches".into(),
                        Ok(Freeze::NotFrozen) => {
                            format!("published, not frozen: run `barometre publish {id}`")
                        }
                        Ok(Freeze::Changed { .. }) => {
                            "published, CHANGED without a new version (error)".into()
                        }
                        Ok(Freeze::Bumped { frozen }) => format!(
                            "published, new version since {frozen}: run `barometre publish {id}`"
                        ),
                        Ok(Freeze::Downgraded { frozen }) => {
                            format!("published, version below {frozen} (error)")
                        }
                        Ok(Freeze::Malformed) => "published, content_hash malformed (error)".into(),
                    };
                    EditionLine {
                        version: m.version.value.clone(),
                        id,
                        state,
                    }
                }
            };
            s.editions.push(line);
        }
        s
    }
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
