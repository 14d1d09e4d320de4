//! What templates see. This file is the reference for theme authors (with `docs/THEMES.md`):
//! every name a template can use is a field of a struct here.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value as Json;
use tera::{Context, Value};

use super::locale::Locale;
use super::markdown::TocEntry;
use crate::model::{Date, Edition, Language, Site, localize_json, root_prefix};

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LangRef<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub dir: &'a str,
}

/// The same page in another language (`url` relative to the site root).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Translation<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub dir: &'a str,
    pub url: String,
}

/// A link with a title: breadcrumbs, previous/next, navigation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Crumb {
    pub title: String,
    pub url: String,
}

/// `page`: the page being rendered.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct PageCtx<'a> {
    /// `entry`, `home`, `edition`, `page` or `404`.
    pub kind: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// This page's path from the site root.
    pub url: &'a str,
    pub slug: Option<&'a str>,
    /// The page's HTML (Markdown converted); print with `| safe`.
    pub content: Option<&'a str>,
    pub toc: &'a [TocEntry],
    /// This page in every language, the current one included.
    pub translations: Vec<Translation<'a>>,
    pub breadcrumbs: Vec<Crumb>,
    /// Id of the edition the page belongs to.
    pub edition: Option<&'a str>,
    /// When the text is another language's (missing translation): that language.
    pub fallback: Option<LangRef<'a>>,
    /// Language of the text shown (differs from `lang.code` on a fallback).
    pub source_lang: &'a str,
    /// Free data from the page's front matter.
    pub extra: Option<&'a Json>,
    pub prev: Option<Crumb>,
    pub next: Option<Crumb>,
    /// The page's date from its front matter.
    pub date: Option<DateCtx>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DateCtx {
    pub iso: String,
    /// Formatted per locale (`24 novembre 2020`).
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageLink {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub url: String,
    pub fallback: bool,
    /// ISO date from the front matter (format with `| format_date`).
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartnerCtx {
    pub name: String,
    pub role: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FigureCtx {
    /// Formatted per locale.
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SampleCtx {
    pub respondents: Option<String>,
    /// The number itself, for counts in words: `{{ s.respondents_count | plural(key="respondents") }}`.
    pub respondents_count: Option<u64>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangeCtx {
    pub version: String,
    pub date: Option<DateCtx>,
    pub changes: String,
}

/// An indicator in lists: its question in the page's language and the editions that ask it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct IndicatorLink {
    pub id: String,
    pub question: String,
    pub url: String,
    pub editions: Vec<Crumb>,
}

/// One edition's figure on an indicator page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WaveCtx {
    pub edition: Crumb,
    pub year: i32,
    /// The figure's HTML: print with `| safe`.
    pub figure: String,
}

/// `edition` (and each item of `editions`): an edition in the page's language.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EditionCtx {
    pub id: String,
    pub kind: &'static str,
    pub year: i32,
    pub version: String,
    pub status: &'static str,
    pub title: String,
    pub summary: String,
    pub url: String,
    pub start: Option<DateCtx>,
    pub end: Option<DateCtx>,
    pub published: Option<DateCtx>,
    pub partners: Vec<PartnerCtx>,
    pub sample: Option<SampleCtx>,
    pub key_figures: Vec<FigureCtx>,
    pub changelog: Vec<ChangeCtx>,
    /// Narrative pages in reading order.
    pub pages: Vec<PageLink>,
    /// Free-form data files by name, texts in this language.
    pub data: BTreeMap<String, Json>,
    /// The edition's indicators (question, link to the indicator page).
    pub indicators: Vec<IndicatorLink>,
    /// True when one of the edition's own texts is shown in another language.
    pub fallback: bool,
    /// How to cite the edition: `citation.text` (the citation line in this language),
    /// `citation.url` (absolute, with `base_url`), and the reference files `citation.bib`,
    /// `citation.ris`, `citation.json` (paths from the site root).
    pub citation: super::citation::CitationCtx,
}

/// The global context of one language, shared by all its pages.
pub(crate) struct LanguageGlobals {
    pub globals: Vec<(&'static str, Value)>,
    pub editions: Vec<EditionCtx>,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: Option<&'a str>,
    publisher: Option<&'a str>,
    base_url: Option<&'a str>,
    default_language: &'a str,
    generator: String,
    /// The licence of texts and data (`licence` in site.yaml).
    licence: Option<LicenceCtx<'a>>,
}

/// `site.licence`.
#[derive(Serialize)]
struct LicenceCtx<'a> {
    /// The SPDX identifier.
    name: &'a str,
    /// The name a reader sees in this language: `label`, else `title`, else `name`.
    label: &'a str,
    /// The licence's text online.
    url: Option<&'a str>,
    /// The publisher has not confirmed the licence yet (`status: intended`).
    intended: bool,
}

/// `og`: the Open Graph locales (`og_locale` of each language's UI strings, else its CLDR
/// locale with `_`): this language's and the others'.
#[derive(Serialize)]
struct OgCtx {
    locale: String,
    alternates: Vec<String>,
}

fn og_locale(site: &Site, l: &Language) -> String {
    site.theme
        .i18n
        .get(&l.code)
        .and_then(|s| s.value.get("og_locale"))
        .cloned()
        .unwrap_or_else(|| l.locale.replace('-', "_"))
}

#[derive(Serialize)]
struct NavCtx {
    pages: Vec<PageLink>,
    editions: Vec<Crumb>,
    /// The indicators index, when the site has indicators.
    indicators: Option<Crumb>,
}

pub(crate) fn date_ctx(locale: &Locale, d: Option<Date>) -> Option<DateCtx> {
    d.map(|d| DateCtx {
        iso: d.iso(),
        text: locale.date(d),
    })
}

fn site_ctx<'a>(site: &'a Site, lang: &'a str) -> SiteCtx<'a> {
    SiteCtx {
        title: site.localize(&site.title, lang).text,
        description: site
            .description
            .as_ref()
            .map(|t| site.localize(t, lang).text),
        publisher: site.publisher.as_ref().map(|t| site.localize(t, lang).text),
        base_url: site.base_url.as_deref(),
        default_language: &site.default_language,
        generator: format!("barometre {}", env!("CARGO_PKG_VERSION")),
        licence: site.licence.as_ref().map(|l| LicenceCtx {
            name: &l.name.value,
            label: l.label.as_ref().map_or_else(
                || l.title.as_deref().unwrap_or(&l.name.value),
                |t| site.localize(t, lang).text,
            ),
            url: l.path.as_ref().map(|p| p.value.as_str()),
            intended: l.status == crate::load::schema::LicenceStatus::Intended,
        }),
    }
}

fn lang_ref(l: &Language) -> LangRef<'_> {
    LangRef {
        code: &l.code,
        name: &l.name,
        dir: l.dir.as_str(),
    }
}

/// Builds `site`, `lang`, `languages`, `t`, `nav`, `editions` and `offline` for one
/// language. `package`: the build writes the offline packages.
pub(crate) fn language_globals(
    site: &Site,
    lang: &Language,
    locale: &Locale,
    package: bool,
) -> LanguageGlobals {
    let code = lang.code.as_str();
    let t = site
        .theme
        .i18n
        .get(code)
        .map(|s| s.value.clone())
        .unwrap_or_default();
    let editions: Vec<EditionCtx> = site
        .editions
        .iter()
        .map(|e| edition_ctx(site, e, code, locale, &t))
        .collect();
    let og = OgCtx {
        locale: og_locale(site, lang),
        alternates: site
            .languages
            .iter()
            .filter(|l| l.code != lang.code)
            .map(|l| og_locale(site, l))
            .collect(),
    };
    let nav = NavCtx {
        pages: site
            .site_pages()
            .map(|p| page_link(site, p, code))
            .collect(),
        editions: editions
            .iter()
            .map(|e| Crumb {
                title: e.title.clone(),
                url: e.url.clone(),
            })
            .collect(),
        indicators: (!site.indicators.is_empty()).then(|| Crumb {
            title: t.get("indicators").cloned().unwrap_or_default(),
            url: Site::url(code, &site.indicators_path),
        }),
    };
    let languages: Vec<LangRef<'_>> = site.languages.iter().map(lang_ref).collect();
    let globals = vec![
        ("site", Value::from_serializable(&site_ctx(site, code))),
        ("lang", Value::from_serializable(&lang_ref(lang))),
        ("languages", Value::from_serializable(&languages)),
        ("t", Value::from_serializable(&t)),
        ("nav", Value::from_serializable(&nav)),
        ("og", Value::from_serializable(&og)),
        ("editions", Value::from_serializable(&editions)),
        (
            "offline",
            Value::from_serializable(&super::paths::globals(site, code, package)),
        ),
    ];
    LanguageGlobals { globals, editions }
}

fn page_link(site: &Site, p: &crate::model::Page, lang: &str) -> PageLink {
    let li = site
        .languages
        .iter()
        .position(|l| l.code == lang)
        .unwrap_or(0);
    let v = &p.versions[li.min(p.versions.len().saturating_sub(1))];
    PageLink {
        slug: p.slug.clone(),
        title: v.source.front.title.clone(),
        description: v.source.front.description.clone(),
        url: Site::url(lang, &p.path),
        fallback: v.is_fallback(),
        date: v.source.front.date.as_ref().map(|d| d.value.clone()),
    }
}

fn edition_ctx(
    site: &Site,
    e: &Edition,
    lang: &str,
    locale: &Locale,
    t: &BTreeMap<String, String>,
) -> EditionCtx {
    let m = &e.meta;
    let mut fallback = false;
    let mut text = |t: &crate::load::schema::Text| {
        let l = site.localize(t, lang);
        fallback |= l.fallback_from.is_some();
        l.text.to_string()
    };
    let title = text(&m.title);
    let summary = text(&m.summary);
    let partners = m
        .partners
        .iter()
        .map(|p| PartnerCtx {
            name: text(&p.name),
            role: p.role.as_ref().map(&mut text),
            url: p.url.as_ref().map(|u| u.value.clone()),
        })
        .collect();
    let sample = m.sample.as_ref().map(|s| SampleCtx {
        respondents: s.respondents.map(|n| locale.integer(n as i64)),
        respondents_count: s.respondents,
        description: s.description.as_ref().map(&mut text),
    });
    let key_figures = m
        .key_figures
        .iter()
        .map(|k| FigureCtx {
            value: locale.number(k.value, 1),
            label: text(&k.label),
        })
        .collect();
    let changelog = m
        .changelog
        .iter()
        .map(|c| ChangeCtx {
            version: c.version.value.clone(),
            date: date_ctx(locale, Date::parse(&c.date.value)),
            changes: text(&c.changes),
        })
        .collect();
    EditionCtx {
        id: e.id.clone(),
        kind: m.kind.as_str(),
        year: m.year,
        version: m.version.value.clone(),
        status: m.status.as_str(),
        title,
        summary,
        url: Site::url(lang, &e.path),
        start: date_ctx(locale, e.start),
        end: date_ctx(locale, e.end),
        published: date_ctx(locale, e.published),
        partners,
        sample,
        key_figures,
        changelog,
        pages: e
            .pages
            .iter()
            .map(|&i| page_link(site, &site.pages[i], lang))
            .collect(),
        data: e
            .data
            .iter()
            .map(|d| (d.name.clone(), localize_json(site, &d.value, lang)))
            .collect(),
        indicators: site
            .indicators
            .iter()
            .filter(|i| site.editions.get(i.edition).is_some_and(|x| x.id == e.id))
            .map(|i| IndicatorLink {
                id: i.id.clone(),
                question: site.localize(&i.question, lang).text.to_string(),
                url: Site::url(lang, &format!("{}/{}", site.indicators_path, i.id)),
                editions: Vec::new(),
            })
            .collect(),
        fallback,
        citation: super::citation::context(site, e, lang, t, locale),
    }
}

/// One language's entry on a page that speaks every language (the entry page, 404, the root
/// page of an offline package): `greetings` in `entry.html` and `404.html`.
#[derive(Serialize)]
pub(crate) struct Greeting<'a> {
    code: &'a str,
    name: &'a str,
    dir: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    url: String,
    t: Option<&'a BTreeMap<String, String>>,
}

impl<'a> Greeting<'a> {
    /// `lang`'s greeting leading to `url` (a path from the site root).
    pub(crate) fn new(
        site: &'a Site,
        lang: &'a Language,
        title: &'a str,
        description: Option<&'a str>,
        url: String,
    ) -> Self {
        Greeting {
            code: &lang.code,
            name: &lang.name,
            dir: lang.dir.as_str(),
            title,
            description,
            url,
            t: site.theme.i18n.get(&lang.code).map(|s| &s.value),
        }
    }
}

/// Context of the pages at the site root that address every language (`entry`, `404`).
pub(crate) fn bilingual(site: &Site, path: &str, kind: &str) -> Context {
    let greetings: Vec<Greeting<'_>> = site
        .languages
        .iter()
        .map(|l| {
            Greeting::new(
                site,
                l,
                site.localize(&site.title, &l.code).text,
                site.description
                    .as_ref()
                    .map(|d| site.localize(d, &l.code).text),
                Site::url(&l.code, ""),
            )
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("root", &root_prefix(path));
    ctx.insert("greetings", &greetings);
    ctx.insert(
        "page",
        &PageCtx {
            kind,
            title: site.localize(&site.title, &site.default_language).text,
            url: path,
            ..PageCtx::default()
        },
    );
    ctx
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    alternates: Vec<(String, String)>,
}

/// Why `sitemap.xml` is missing: a warning on `site.yaml`, in build and check alike.
pub(crate) fn no_sitemap_warning() -> crate::error::Diagnostic {
    crate::error::Diagnostic::file(
        "site.yaml",
        "no `base_url`: sitemap.xml is not written (a sitemap lists absolute addresses)",
    )
    .with_hint("set `base_url: https://…/` to the main site's address")
    .warning()
}

/// Context of `sitemap.xml` (written only with `base_url`): every page with its language
/// alternates, at absolute addresses.
pub(crate) fn sitemap(site: &Site) -> Context {
    let base = site.base_url.clone().unwrap_or_default();
    let mut folders: Vec<&str> = vec![""];
    folders.extend(site.editions.iter().map(|e| e.path.as_str()));
    folders.extend(site.pages.iter().map(|p| p.path.as_str()));
    let indicator_folders: Vec<String> = site
        .indicator_waves()
        .keys()
        .map(|id| format!("{}/{id}", site.indicators_path))
        .chain((!site.indicators.is_empty()).then(|| site.indicators_path.clone()))
        .collect();
    folders.extend(indicator_folders.iter().map(String::as_str));
    let mut entries = Vec::new();
    for folder in folders {
        for l in &site.languages {
            entries.push(SitemapEntry {
                loc: format!("{base}{}", Site::url(&l.code, folder)),
                alternates: site
                    .languages
                    .iter()
                    .map(|a| {
                        (
                            a.code.clone(),
                            format!("{base}{}", Site::url(&a.code, folder)),
                        )
                    })
                    .collect(),
            });
        }
    }
    let mut ctx = Context::new();
    ctx.insert("entries", &entries);
    ctx.insert("base_url", &site.base_url);
    ctx
}

/// The contents of a rendered page: every `h2` and `h3` with an `id` inside `<main>`, in
/// document order, outside `<nav>` (the contents' own title, the pager). It takes in the
/// headings the page's template adds after the Markdown (the data blocks of a meeting or of
/// the recommendations page), which the Markdown's own list cannot know.
pub(crate) fn rendered_toc(html: &[u8]) -> Vec<TocEntry> {
    use crate::syntax::scan::{self, Event};
    let mut out = Vec::new();
    let (mut in_main, mut done, mut nav_depth) = (false, false, 0usize);
    let mut current: Option<(u8, String, String)> = None;
    scan::scan(html, |e| {
        if done {
            return;
        }
        match e {
            Event::Start(tag) => match tag.name {
                "main" => in_main = true,
                "nav" if in_main => nav_depth += 1,
                name @ ("h2" | "h3") if in_main && nav_depth == 0 => {
                    current = tag.attr("id").map(|id| {
                        let level = if name == "h2" { 2 } else { 3 };
                        (level, id.into_owned(), String::new())
                    });
                }
                _ => {}
            },
            Event::End(name) => match name {
                "main" => done = true,
                "nav" if in_main => nav_depth = nav_depth.saturating_sub(1),
                "h2" | "h3" => {
                    if let Some((level, id, text)) = current.take() {
                        // ASCII spaces only: no-break spaces are typography.
                        let title = text
                            .split(|c: char| c.is_ascii_whitespace())
                            .filter(|w| !w.is_empty())
                            .collect::<Vec<_>>()
                            .join(" ");
                        out.push(TocEntry { level, id, title });
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some((_, _, text)) = &mut current {
                    text.push_str(&scan::decode(&scan::utf8(t)));
                }
            }
        }
    });
    out
}
