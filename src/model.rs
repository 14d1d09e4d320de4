//! Stage 3 — model: the site as it will be published, resolved from the validated input.
//!
//! Languages in site order, editions newest first, pages grouped by slug with one version per
//! language (falling back to another language's text when a translation is missing), the
//! addresses of every page, the table of internal link targets, and translation coverage.
//! Markdown stays as source here: `render` converts it page by page, so a large site never
//! holds all its HTML in memory at once.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value as Json;

use crate::error::{Diagnostic, Diagnostics};
use crate::load::schema::{Direction, EditionFile, Text};
use crate::load::{DataSource, PageSource, Project, ThemeSource};
use crate::validate::parse_iso_date;

#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub name: String,
    /// CLDR locale for numbers and dates.
    pub locale: String,
    pub dir: Direction,
}

/// A text resolved in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Localized<'a> {
    pub text: &'a str,
    /// The language the text is actually in, when it is a fallback.
    pub fallback_from: Option<&'a str>,
}

/// One language version of a page.
#[derive(Debug, Clone)]
pub struct PageVersion {
    pub lang: String,
    /// The source file used: the page's own translation, or another language's as a fallback.
    pub source: Arc<PageSource>,
}

impl PageVersion {
    pub fn is_fallback(&self) -> bool {
        self.source.lang != self.lang
    }
}

/// A narrative page (site-wide or of an edition), in every language.
#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    /// Output folder relative to the language root: `about`, `editions/<id>/<slug>`.
    pub path: String,
    /// The edition it belongs to (index into `Site::editions`).
    pub edition: Option<usize>,
    pub weight: i64,
    pub template: String,
    pub extra: Json,
    /// One per site language, in site order.
    pub versions: Vec<PageVersion>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn parse(iso: &str) -> Option<Date> {
        parse_iso_date(iso).map(|(year, month, day)| Date { year, month, day })
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[derive(Debug, Clone)]
pub struct Edition {
    pub id: String,
    /// Output folder relative to the language root: `editions/<id>`.
    pub path: String,
    pub meta: EditionFile,
    pub file: PathBuf,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub published: Option<Date>,
    /// Free-form data files (`data/<name>.yaml`), by name.
    pub data: Vec<DataSource>,
    /// Pages of the edition, in reading order (weight, then slug): indices into `Site::pages`.
    pub pages: Vec<usize>,
}

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

#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub languages: Vec<Language>,
    pub default_language: String,
    pub title: Text,
    pub description: Option<Text>,
    pub publisher: Option<Text>,
    /// Normalised to end with `/`.
    pub base_url: Option<String>,
    pub editions_path: String,
    pub indicators_path: String,
    pub theme: ThemeSource,
    /// Newest first (year, then start date, then id).
    pub editions: Vec<Edition>,
    /// Site-wide pages first (by weight, slug), then the pages of each edition.
    pub pages: Vec<Page>,
    /// Internal link targets (`about`, `editions/<id>`, `editions/<id>/<slug>`) → output folder
    /// relative to the language root (empty for the language home).
    pub link_targets: BTreeMap<String, String>,
    pub coverage: Vec<CoverageRow>,
    /// Every indicator of every edition (editions newest first, file order within).
    pub indicators: Vec<crate::indicators::Indicator>,
}

impl Site {
    /// Languages to try, in order, when `lang` lacks a text: the default, then site order.
    pub fn fallback_order<'a>(&'a self, lang: &'a str) -> impl Iterator<Item = &'a str> {
        std::iter::once(lang)
            .chain(std::iter::once(self.default_language.as_str()))
            .chain(self.languages.iter().map(|l| l.code.as_str()))
    }

    /// `text` in `lang`, or in the first language of the fallback order that has it.
    pub fn localize<'a>(&'a self, text: &'a Text, lang: &'a str) -> Localized<'a> {
        for candidate in self.fallback_order(lang) {
            if let Some(t) = text.values.get(candidate) {
                return Localized {
                    text: t,
                    fallback_from: (candidate != lang).then_some(candidate),
                };
            }
        }
        Localized {
            text: "",
            fallback_from: None,
        }
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// Indicators grouped by id, each with its waves oldest first.
    pub fn indicator_waves(&self) -> BTreeMap<&str, Vec<&crate::indicators::Indicator>> {
        let mut out: BTreeMap<&str, Vec<&crate::indicators::Indicator>> = BTreeMap::new();
        for ind in &self.indicators {
            out.entry(&ind.id).or_default().push(ind);
        }
        for waves in out.values_mut() {
            waves.sort_by_key(|w| {
                let e = &self.editions[w.edition];
                (e.meta.year, e.start, e.id.clone())
            });
        }
        out
    }

    pub fn site_pages(&self) -> impl Iterator<Item = &Page> {
        self.pages.iter().filter(|p| p.edition.is_none())
    }

    /// Path of a folder page (relative to the language root, `""` for the home) in `lang`.
    pub fn url(lang: &str, folder: &str) -> String {
        if folder.is_empty() {
            format!("{lang}/index.html")
        } else {
            format!("{lang}/{folder}/index.html")
        }
    }
}

/// `../` once per folder level of `path` (a file path relative to the site root).
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Is this JSON object a text given per language (`{fr: …, ar: …}`)? Its keys must all be
/// language codes of the site and its values strings.
pub fn is_localized_map(map: &serde_json::Map<String, Json>, languages: &[Language]) -> bool {
    !map.is_empty()
        && map
            .iter()
            .all(|(k, v)| v.is_string() && languages.iter().any(|l| &l.code == k))
}

/// Builds the model. `strict` turns missing translations into errors.
pub fn build(project: Project, strict: bool) -> Result<(Site, Diagnostics), Diagnostics> {
    let Project {
        root,
        site: site_src,
        theme,
        content,
        editions: edition_srcs,
    } = project;
    let cfg = site_src.value;
    let languages: Vec<Language> = cfg
        .languages
        .iter()
        .map(|l| Language {
            code: l.code.value.clone(),
            name: l.name.clone(),
            locale: l
                .locale
                .as_ref()
                .map_or_else(|| l.code.value.clone(), |x| x.value.clone()),
            dir: l.dir,
        })
        .collect();
    let editions_path = cfg.paths.editions.value.clone();

    let mut site = Site {
        root,
        default_language: cfg.default_language.value.clone(),
        title: cfg.title.clone(),
        description: cfg.description.clone(),
        publisher: cfg.publisher.clone(),
        base_url: cfg.base_url.as_ref().map(|b| {
            let mut u = b.value.clone();
            if !u.ends_with('/') {
                u.push('/');
            }
            u
        }),
        editions_path: editions_path.clone(),
        indicators_path: cfg.paths.indicators.value.clone(),
        theme,
        editions: Vec::new(),
        pages: Vec::new(),
        link_targets: BTreeMap::new(),
        coverage: Vec::new(),
        indicators: Vec::new(),
        languages,
    };
    let tolerance = cfg.indicators.share_tolerance;
    let mut indicator_errors = Diagnostics::new();
    let mut missing: Vec<Missing> = Vec::new();

    // Site-wide pages.
    site.link_targets.insert(String::new(), String::new());
    site.link_targets.insert("index".into(), String::new());
    let site_pages = group_pages(&site, content, None, |slug| slug.to_string());
    for p in &site_pages {
        site.link_targets.insert(p.slug.clone(), p.path.clone());
    }
    count_pages(&site_pages, &mut missing);
    let mut coverage_scopes: Vec<(String, Vec<Missing>)> = Vec::new();
    let mut site_missing = std::mem::take(&mut missing);
    count_text(
        &site,
        &site_src.file,
        &site.title,
        "title",
        &mut site_missing,
    );
    if let Some(t) = &site.description {
        count_text(&site, &site_src.file, t, "description", &mut site_missing);
    }
    if let Some(t) = &site.publisher {
        count_text(&site, &site_src.file, t, "publisher", &mut site_missing);
    }
    site.pages = site_pages;
    site.pages
        .sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));

    // Editions, newest first.
    let mut edition_srcs = edition_srcs;
    edition_srcs.sort_by(|a, b| {
        let key = |e: &crate::load::EditionSource| {
            let start = e
                .meta
                .value
                .dates
                .start
                .as_ref()
                .and_then(|d| parse_iso_date(&d.value));
            (e.meta.value.year, start)
        };
        key(b)
            .cmp(&key(a))
            .then_with(|| a.dir_name.cmp(&b.dir_name))
    });
    let mut totals: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for ed in edition_srcs {
        let id = ed.meta.value.id.value.clone();
        let path = format!("{editions_path}/{id}");
        site.link_targets
            .insert(format!("editions/{id}"), path.clone());
        let index = site.editions.len();
        let (dims, inds, errs) = crate::indicators::build(&site.root, &ed, index, tolerance);
        let mut pages = group_pages(&site, ed.pages, Some(index), |slug| {
            format!("{path}/{slug}")
        });
        pages.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
        for p in &pages {
            site.link_targets
                .insert(format!("editions/{id}/{}", p.slug), p.path.clone());
        }
        let mut ed_missing = Vec::new();
        count_pages(&pages, &mut ed_missing);
        count_edition_texts(&site, &ed.meta.file, &ed.meta.value, &mut ed_missing);
        for data in &ed.data {
            count_json(&site, &data.file, &data.value, &data.name, &mut ed_missing);
        }
        indicator_errors.extend(errs);
        if let Some(src) = &ed.dimensions {
            for d in &dims {
                count_text(
                    &site,
                    &src.file,
                    &d.label,
                    &format!("dimension `{}`", d.id),
                    &mut ed_missing,
                );
                for m in &d.members {
                    count_text(
                        &site,
                        &src.file,
                        &m.label,
                        &format!("member `{}.{}`", d.id, m.id),
                        &mut ed_missing,
                    );
                }
            }
        }
        for ind in &inds {
            let f = &ind.file;
            count_text(
                &site,
                f,
                &ind.question,
                &format!("question of `{}`", ind.id),
                &mut ed_missing,
            );
            for o in &ind.options {
                count_text(
                    &site,
                    f,
                    &o.label,
                    &format!("option `{}.{}`", ind.id, o.id),
                    &mut ed_missing,
                );
            }
            for (t, what) in [(&ind.source, "source"), (&ind.note, "note")] {
                if let Some(t) = t {
                    count_text(
                        &site,
                        f,
                        t,
                        &format!("{what} of `{}`", ind.id),
                        &mut ed_missing,
                    );
                }
            }
        }
        site.indicators.extend(inds);
        let first = site.pages.len();
        let page_indices = (first..first + pages.len()).collect();
        site.pages.extend(pages);
        let m = &ed.meta.value;
        let dates = (
            m.dates.start.as_ref().and_then(|d| Date::parse(&d.value)),
            m.dates.end.as_ref().and_then(|d| Date::parse(&d.value)),
            m.dates
                .published
                .as_ref()
                .and_then(|d| Date::parse(&d.value)),
        );
        site.editions.push(Edition {
            id: id.clone(),
            path,
            file: ed.meta.file,
            start: dates.0,
            end: dates.1,
            published: dates.2,
            meta: ed.meta.value,
            data: ed.data,
            pages: page_indices,
        });
        coverage_scopes.push((id, ed_missing));
    }
    coverage_scopes.push(("site".into(), site_missing));
    if !site.indicators.is_empty() {
        let ip = site.indicators_path.clone();
        site.link_targets.insert("indicators".into(), ip.clone());
        let ids: Vec<String> = site.indicators.iter().map(|i| i.id.clone()).collect();
        for id in ids {
            site.link_targets
                .insert(format!("indicators/{id}"), format!("{ip}/{id}"));
        }
    }

    // Coverage rows: units per scope and language.
    let mut diags = indicator_errors;
    for (scope, list) in &coverage_scopes {
        for m in list {
            let entry = totals
                .entry((scope.clone(), m.lang.clone()))
                .or_insert((0, 0));
            entry.1 += 1;
            if m.present {
                entry.0 += 1;
            } else {
                let mut d = Diagnostic::file(
                    &m.file,
                    format!(
                        "missing `{}` translation of {} (shown in another language with a notice)",
                        m.lang, m.what
                    ),
                );
                d.pos = m.pos;
                if !strict {
                    d = d.warning();
                } else {
                    d = d.with_hint("--strict (or `translation.strict` in site.yaml) makes missing translations errors");
                }
                diags.push(d);
            }
        }
    }
    for (scope, _) in &coverage_scopes {
        for l in &site.languages {
            let (present, total) = totals
                .get(&(scope.clone(), l.code.clone()))
                .copied()
                .unwrap_or((0, 0));
            site.coverage.push(CoverageRow {
                scope: scope.clone(),
                lang: l.code.clone(),
                present,
                total,
            });
        }
    }
    match diags.into_result() {
        Ok(warnings) => Ok((site, warnings)),
        Err(errors) => Err(errors),
    }
}

/// One translatable unit in one language: present or missing.
struct Missing {
    lang: String,
    file: PathBuf,
    pos: crate::error::Position,
    what: String,
    present: bool,
}

fn group_pages(
    site: &Site,
    sources: Vec<PageSource>,
    edition: Option<usize>,
    folder: impl Fn(&str) -> String,
) -> Vec<Page> {
    let mut by_slug: BTreeMap<String, BTreeMap<String, Arc<PageSource>>> = BTreeMap::new();
    for src in sources {
        by_slug
            .entry(src.slug.clone())
            .or_default()
            .insert(src.lang.clone(), Arc::new(src));
    }
    let mut pages = Vec::new();
    for (slug, by_lang) in by_slug {
        let versions: Vec<PageVersion> = site
            .languages
            .iter()
            .filter_map(|l| {
                site.fallback_order(&l.code)
                    .find_map(|c| by_lang.get(c))
                    .map(|src| PageVersion {
                        lang: l.code.clone(),
                        source: Arc::clone(src),
                    })
            })
            .collect();
        // Structural fields come from the default language's file when it exists.
        let Some(primary) = by_lang
            .get(&site.default_language)
            .or_else(|| by_lang.values().next())
        else {
            continue;
        };
        pages.push(Page {
            path: folder(&slug),
            slug,
            edition,
            weight: primary.front.weight.unwrap_or(0),
            template: primary
                .front
                .template
                .as_ref()
                .map_or_else(|| "page.html".to_string(), |t| t.value.clone()),
            extra: primary
                .front
                .extra
                .clone()
                .unwrap_or_else(|| Json::Object(Default::default())),
            versions,
        });
    }
    pages
}

fn count_pages(pages: &[Page], out: &mut Vec<Missing>) {
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
            out.push(Missing {
                lang: v.lang.clone(),
                file,
                pos: crate::error::Position::default(),
                what: format!("page `{}`", page.slug),
                present: !v.is_fallback(),
            });
        }
    }
}

fn count_text(
    site: &Site,
    file: &std::path::Path,
    text: &Text,
    what: &str,
    out: &mut Vec<Missing>,
) {
    for l in &site.languages {
        out.push(Missing {
            lang: l.code.clone(),
            file: file.to_path_buf(),
            pos: text.pos,
            what: format!("`{what}`"),
            present: text.values.contains_key(&l.code),
        });
    }
}

fn count_edition_texts(
    site: &Site,
    file: &std::path::Path,
    m: &EditionFile,
    out: &mut Vec<Missing>,
) {
    count_text(site, file, &m.title, "title", out);
    count_text(site, file, &m.summary, "summary", out);
    for p in &m.partners {
        count_text(site, file, &p.name, "partners.name", out);
        if let Some(r) = &p.role {
            count_text(site, file, r, "partners.role", out);
        }
    }
    if let Some(t) = m.sample.as_ref().and_then(|s| s.description.as_ref()) {
        count_text(site, file, t, "sample.description", out);
    }
    for k in &m.key_figures {
        count_text(site, file, &k.label, "key_figures.label", out);
    }
    for c in &m.changelog {
        count_text(site, file, &c.changes, "changelog.changes", out);
    }
}

/// Counts the texts given per language inside free-form data.
fn count_json(
    site: &Site,
    file: &std::path::Path,
    value: &Json,
    path: &str,
    out: &mut Vec<Missing>,
) {
    match value {
        Json::Object(map) if is_localized_map(map, &site.languages) => {
            for l in &site.languages {
                out.push(Missing {
                    lang: l.code.clone(),
                    file: file.to_path_buf(),
                    pos: crate::error::Position::default(),
                    what: format!("`{path}`"),
                    present: map.contains_key(&l.code),
                });
            }
        }
        Json::Object(map) => {
            for (k, v) in map {
                count_json(site, file, v, &format!("{path}.{k}"), out);
            }
        }
        Json::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                // Name list items by their `id` when they have one: stable across edits.
                let name = v
                    .get("id")
                    .and_then(Json::as_str)
                    .map_or_else(|| format!("{path}[{i}]"), |id| format!("{path}[{id}]"));
                count_json(site, file, v, &name, out);
            }
        }
        _ => {}
    }
}

/// `value` with every per-language text replaced by its text in `lang` (with fallback).
pub fn localize_json(site: &Site, value: &Json, lang: &str) -> Json {
    match value {
        Json::Object(map) if is_localized_map(map, &site.languages) => site
            .fallback_order(lang)
            .find_map(|c| map.get(c))
            .cloned()
            .unwrap_or(Json::Null),
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), localize_json(site, v, lang)))
                .collect(),
        ),
        Json::Array(items) => {
            Json::Array(items.iter().map(|v| localize_json(site, v, lang)).collect())
        }
        other => other.clone(),
    }
}
