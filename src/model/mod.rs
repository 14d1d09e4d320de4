//! Stage 3 — model: the site as it will be published, resolved from the validated input.
//!
//! Languages in site order, editions newest first, pages grouped by slug with one version per
//! language (falling back to another language's text when a translation is missing:
//! [`pages`]), the addresses of every page, the table of internal link targets, the indicators
//! ([`indicators`]) and translation coverage ([`coverage`]). Markdown stays as source here:
//! `render` converts it page by page, so a large site never holds all its HTML in memory.

pub(crate) mod coverage;
pub(crate) mod indicators;
pub(crate) mod pages;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value as Json;

use crate::error::Diagnostics;
use crate::load::schema::{Direction, EditionFile, SiteFile, Text, Typography};
use crate::load::{DataSource, EditionSource, PageSource, Project, ThemeSource};
pub use crate::syntax::Date;
pub(crate) use coverage::CoverageRow;
use coverage::Scope;
pub(crate) use indicators::Indicator;

#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub name: String,
    /// CLDR locale for numbers and dates.
    pub locale: String,
    pub dir: Direction,
    /// The typographic rules of the language's texts (`typography:` in site.yaml).
    pub typography: Typography,
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

#[derive(Debug, Clone)]
pub struct Edition {
    pub id: String,
    /// Output folder relative to the language root: `editions/<id>`.
    pub path: String,
    pub meta: EditionFile,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub published: Option<Date>,
    /// Free-form data files (`data/<name>.yaml`), by name.
    pub data: Vec<DataSource>,
    /// Pages of the edition, in reading order (weight, then slug): indices into `Site::pages`.
    pub pages: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub languages: Vec<Language>,
    pub default_language: String,
    pub title: Text,
    pub description: Option<Text>,
    pub publisher: Option<Text>,
    /// Normalised to end with `/`.
    pub base_url: Option<String>,
    pub editions_path: String,
    pub indicators_path: String,
    /// `--strict` or `translation.strict`: missing translations and digit groups split by a
    /// breakable space in a right-to-left text are errors.
    pub strict: bool,
    /// Raw HTML in Markdown is kept (`markdown.unsafe_html` in site.yaml); it is escaped
    /// otherwise.
    pub unsafe_html: bool,
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
    pub indicators: Vec<Indicator>,
    /// How survey figures are published (`statistics` in site.yaml).
    pub statistics: indicators::Statistics,
    /// The open data's licence (`licence` in site.yaml).
    pub licence: Option<crate::load::schema::Licence>,
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
    pub fn indicator_waves(&self) -> BTreeMap<&str, Vec<&Indicator>> {
        let mut out: BTreeMap<&str, Vec<&Indicator>> = BTreeMap::new();
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
pub(crate) fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Is this JSON object a text given per language (`{fr: …, ar: …}`)? Its keys must all be
/// language codes of the site and its values strings.
pub(crate) fn is_localized_map(
    map: &serde_json::Map<String, Json>,
    languages: &[Language],
) -> bool {
    !map.is_empty()
        && map
            .iter()
            .all(|(k, v)| v.is_string() && languages.iter().any(|l| &l.code == k))
}

/// Builds the model. `strict` turns missing translations into errors.
pub(crate) fn build(project: Project, strict: bool) -> Result<(Site, Diagnostics), Diagnostics> {
    let Project {
        site: site_src,
        theme,
        content,
        editions: edition_srcs,
    } = project;
    let cfg = &site_src.value;
    let mut site = new_site(cfg, theme, strict);
    let languages = site.languages.clone();
    let mut diags = Diagnostics::new();

    // Site-wide pages, by weight then slug.
    site.link_targets.insert(String::new(), String::new());
    site.link_targets.insert("index".into(), String::new());
    let mut site_pages = pages::group(&site, content, None, |slug| slug.to_string());
    site_pages.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
    let mut site_scope = Scope::new(&languages);
    site_scope.pages(&site_pages);
    site_scope.text(&site_src.file, &site.title, "`title`");
    for (t, what) in [
        (&site.description, "`description`"),
        (&site.publisher, "`publisher`"),
    ] {
        if let Some(t) = t {
            site_scope.text(&site_src.file, t, what);
        }
    }
    for p in &site_pages {
        site.link_targets.insert(p.slug.clone(), p.path.clone());
    }
    site.pages = site_pages;

    // Editions, newest first.
    let mut edition_srcs = edition_srcs;
    newest_first(&mut edition_srcs);
    let settings = indicators::define::Settings {
        tolerance: cfg.indicators.share_tolerance,
        statistics: site.statistics,
    };
    let mut scopes = Vec::new();
    for ed in edition_srcs {
        let mut scope = Scope::new(&languages);
        let id = add_edition(&mut site, ed, &settings, &mut scope, &mut diags);
        scopes.push((id, scope));
    }
    // Waves of an indicator that cannot be joined without a word.
    for waves in site.indicator_waves().values() {
        diags.extend(indicators::trend::warnings(waves, &|e| {
            site.editions[e].id.as_str()
        }));
    }
    scopes.push(("site".into(), site_scope));
    if !site.indicators.is_empty() {
        let ip = site.indicators_path.clone();
        site.link_targets.insert("indicators".into(), ip.clone());
        for ind in &site.indicators {
            site.link_targets
                .insert(format!("indicators/{}", ind.id), format!("{ip}/{}", ind.id));
        }
    }
    let (rows, missing) = coverage::tally(scopes, &languages, strict);
    site.coverage = rows;
    diags.extend(missing);
    match diags.into_result() {
        Ok(warnings) => Ok((site, warnings)),
        Err(errors) => Err(errors),
    }
}

/// The site's settings from `site.yaml`, with no page or edition yet.
fn new_site(cfg: &SiteFile, theme: ThemeSource, strict: bool) -> Site {
    Site {
        languages: cfg
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
                typography: l.typography,
            })
            .collect(),
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
        editions_path: cfg.paths.editions.value.clone(),
        indicators_path: cfg.paths.indicators.value.clone(),
        strict,
        unsafe_html: cfg.markdown.unsafe_html,
        theme,
        editions: Vec::new(),
        pages: Vec::new(),
        link_targets: BTreeMap::new(),
        coverage: Vec::new(),
        indicators: Vec::new(),
        statistics: indicators::Statistics {
            confidence: cfg.statistics.confidence.value,
            min_n: cfg.statistics.min_n.value,
            caution_n: cfg.statistics.caution_n.value,
        },
        licence: cfg.licence.clone(),
    }
}

/// Editions newest first: by year, then start date, then folder name.
fn newest_first(editions: &mut [EditionSource]) {
    editions.sort_by(|a, b| {
        let key = |e: &EditionSource| {
            let start = e
                .meta
                .value
                .dates
                .start
                .as_ref()
                .and_then(|d| Date::parse(&d.value));
            (e.meta.value.year, start)
        };
        key(b)
            .cmp(&key(a))
            .then_with(|| a.dir_name.cmp(&b.dir_name))
    });
}

/// Adds one edition (its pages, indicators and link targets) to `site`, counting its
/// translatable texts into `scope`. Returns its id.
fn add_edition(
    site: &mut Site,
    ed: EditionSource,
    settings: &indicators::define::Settings,
    scope: &mut Scope<'_>,
    diags: &mut Diagnostics,
) -> String {
    let id = ed.meta.value.id.value.clone();
    let path = format!("{}/{id}", site.editions_path);
    site.link_targets
        .insert(format!("editions/{id}"), path.clone());
    let index = site.editions.len();
    let (dims, inds, errs) = indicators::build(&ed, index, settings);
    diags.extend(errs);
    let EditionSource {
        meta,
        data,
        dimensions,
        pages: page_srcs,
        ..
    } = ed;
    let mut pages = pages::group(site, page_srcs, Some(index), |slug| {
        format!("{path}/{slug}")
    });
    pages.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
    for p in &pages {
        site.link_targets
            .insert(format!("editions/{id}/{}", p.slug), p.path.clone());
    }
    scope.pages(&pages);
    scope.edition(&meta.file, &meta.value);
    for d in &data {
        scope.json(&d.file, &d.value, &d.name);
    }
    if let Some(src) = &dimensions {
        for d in &dims {
            scope.text(&src.file, &d.label, &format!("dimension `{}`", d.id));
            for m in &d.members {
                scope.text(&src.file, &m.label, &format!("member `{}.{}`", d.id, m.id));
            }
        }
    }
    for ind in &inds {
        let f = &ind.file;
        scope.text(f, &ind.question, &format!("question of `{}`", ind.id));
        for o in &ind.options {
            scope.text(f, &o.label, &format!("option `{}.{}`", ind.id, o.id));
        }
        for (t, what) in [
            (&ind.source, "source"),
            (&ind.note, "note"),
            (&ind.break_note, "break_note"),
        ] {
            if let Some(t) = t {
                scope.text(f, t, &format!("{what} of `{}`", ind.id));
            }
        }
    }
    site.indicators.extend(inds);
    let first = site.pages.len();
    let page_indices = (first..first + pages.len()).collect();
    site.pages.extend(pages);
    let m = &meta.value;
    let date = |d: &Option<crate::load::schema::Located<String>>| {
        d.as_ref().and_then(|d| Date::parse(&d.value))
    };
    let (start, end, published) = (
        date(&m.dates.start),
        date(&m.dates.end),
        date(&m.dates.published),
    );
    site.editions.push(Edition {
        id: id.clone(),
        path,
        start,
        end,
        published,
        meta: meta.value,
        data,
        pages: page_indices,
    });
    id
}

/// `value` with every per-language text replaced by its text in `lang` (with fallback).
pub(crate) fn localize_json(site: &Site, value: &Json, lang: &str) -> Json {
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
