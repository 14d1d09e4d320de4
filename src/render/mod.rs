//! Stage 4 — render: every (language, page) through the theme's templates, in parallel.
//!
//! Markdown is converted here, page by page ([`markdown`], with the page policy of
//! [`policy`]), charts drawn ([`charts`], [`figures`]), open data written ([`opendata`]).
//! Each finished file is handed to an *emitter* as an [`Output`] — the `write` stage's sink,
//! usually behind the offline stage's collectors — so memory does not grow with the number of
//! pages, and this stage never touches the disk. Besides files, render emits each edition
//! page's print chapter ([`print`]), which the offline stage gathers into the print edition.
//!
//! All addresses in templates are relative: a page gets `root` (`../../`) and every `url` is
//! relative to the site root, so templates write `{{ root }}{{ x.url }}`.

pub(crate) mod charts;
pub(crate) mod citation;
pub(crate) mod context;
pub(crate) mod feed;
pub(crate) mod figures;
pub(crate) mod locale;
pub mod markdown;
pub(crate) mod opendata;
pub(crate) mod paths;
pub mod policy;
pub(crate) mod print;
pub(crate) mod raster;
pub(crate) mod templates;
pub mod typography;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::error::{Diagnostic, Diagnostics, Error};
use crate::model::{Indicator, Page, Site, root_prefix};
use crate::validate::theme::{FEED_TEMPLATE, PRINT_TEMPLATE};
use context::{Crumb, Greeting, PageCtx, Translation};
use locale::Locale;
use markdown::{EmbedError, Hooks};

#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// The build writes the offline packages: pages link them.
    pub package: bool,
}

/// What render hands on: a file of the site, or a print chapter.
#[derive(Debug)]
pub(crate) enum Output<'a> {
    File(File<'a>),
    /// A page of an edition as a chapter of that edition's print page.
    Chapter(Box<Chapter>),
}

/// A file of the site. `path` is relative to the site root, with `/` separators.
#[derive(Debug, Clone, Copy)]
pub(crate) struct File<'a> {
    pub path: &'a str,
    pub bytes: &'a [u8],
    pub kind: Kind,
    /// The Markdown file a narrative page is rendered from (to name it in later reports).
    pub source: Option<&'a std::path::Path>,
}

/// What a file is, for the stages that read some of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An HTML page a reader opens from the navigation, in language `lang` (index into
    /// `site.languages`), of edition `edition` when it belongs to one.
    Page { lang: usize, edition: Option<usize> },
    /// Another HTML page (the bilingual entry, 404, the print edition).
    OtherPage,
    /// Theme files (`assets/`).
    Asset,
    /// Open data (`data/`).
    Data,
    /// Sitemap, feeds, scripts written by later stages.
    Other,
}

/// A page's chapter of its edition's print page, in one language.
#[derive(Debug, Clone)]
pub(crate) struct Chapter {
    pub lang: usize,
    pub edition: usize,
    /// Position in the edition's reading order.
    pub order: usize,
    pub ctx: print::ChapterCtx,
}

/// Where outputs go. Called from several threads at once.
pub(crate) type Emit<'a> = dyn Fn(Output<'_>) -> Result<(), Error> + Sync + 'a;

#[derive(Debug, Clone, Default)]
pub(crate) struct Report {
    /// HTML pages emitted.
    pub pages: usize,
    /// Warnings about page bodies (raw HTML shown as text…).
    pub warnings: Diagnostics,
}

/// Everything a page of one language shares.
struct LangRender {
    code: String,
    tera: Tera,
    locale: Arc<Locale>,
    t: BTreeMap<String, String>,
    /// Each edition's template data in this language, in `site.editions` order.
    editions: Vec<Value>,
}

/// What every page of every language shares, prepared once per site: the compiled templates
/// with each language's global context (site, navigation, UI strings, editions), the chart
/// style. Built from titles, front matter and data, not from page bodies: it stays valid for
/// [`render`] of some pages after edits of bodies only (`serve`).
pub(crate) struct Prepared {
    langs: Vec<LangRender>,
    style: charts::Style,
    /// Draws the PNG figures, with the theme's raster fonts.
    raster: raster::Raster,
    options: Options,
}

/// Compiles the theme and builds every language's shared context.
pub(crate) fn prepare(site: &Site, opts: &Options) -> Result<Prepared, Error> {
    let mut locales = Vec::new();
    let mut diags = Diagnostics::new();
    for lang in &site.languages {
        match Locale::new(&lang.locale) {
            Ok(l) => locales.push(Arc::new(l)),
            Err(e) => diags.push(Diagnostic::file("site.yaml", e)),
        }
    }
    if diags.has_errors() || locales.is_empty() {
        return Err(diags.into());
    }
    let base = templates::compile(&site.theme, Arc::clone(&locales[0]))?;
    let mut langs = Vec::new();
    for (lang, locale) in site.languages.iter().zip(locales) {
        let mut tera = base.clone();
        let t = site
            .theme
            .i18n
            .get(&lang.code)
            .map(|s| s.value.clone())
            .unwrap_or_default();
        let filters = templates::LangFilters {
            locale: Arc::clone(&locale),
            typography: lang.typography,
            strings: Arc::new(t.clone()),
        };
        templates::register_locale_filters(&mut tera, &filters);
        let shared = context::language_globals(site, lang, &locale, opts.package);
        let editions = shared
            .editions
            .iter()
            .map(Value::from_serializable)
            .collect();
        let global = tera.global_context();
        for (k, v) in shared.globals {
            global.insert_value(k, v);
        }
        langs.push(LangRender {
            code: lang.code.clone(),
            tera,
            locale,
            t,
            editions,
        });
    }
    let c = &site.theme.config.chart;
    let style = charts::Style {
        palette: c.palette.clone(),
        font: c.font.clone(),
        ink: c.ink.clone(),
        muted: c.muted.clone(),
        grid: c.grid.clone(),
        diverging: c.diverging.clone(),
    };
    let raster = raster::Raster::new(site.theme.raster_fonts.iter().map(|f| f.bytes.as_slice()));
    Ok(Prepared {
        langs,
        style,
        raster,
        options: opts.clone(),
    })
}

enum Job<'a> {
    Entry,
    NotFound,
    Sitemap,
    Assets,
    Home(usize),
    Edition(usize, usize),
    /// A narrative page in every language (its sources are read once).
    Page(usize),
    /// The list of all indicators in a language.
    Indicators(usize),
    /// One indicator (all its waves) in a language.
    Indicator(usize, &'a str),
    /// The open data files of an edition (language-neutral).
    OpenData(usize),
    /// The reference files of an edition (`citation.bib`, `.ris`, `.json`).
    Citation(usize),
    Feed(usize),
}

/// Renders the site into `emit`: everything, or with `only` the narrative pages of those
/// indices of `site.pages` (for `serve`, after edits of page bodies). Errors of all pages are
/// collected and reported together.
pub(crate) fn render(
    site: &Site,
    prepared: &Prepared,
    emit: &Emit<'_>,
    only: Option<&[usize]>,
) -> Result<Report, Error> {
    let waves = site.indicator_waves();
    let jobs = match only {
        Some(pages) => pages.iter().map(|&pi| Job::Page(pi)).collect(),
        None => all_jobs(site, prepared, &waves),
    };
    let errors = Mutex::new(Diagnostics::new());
    let pages = AtomicUsize::new(0);
    let env = Env {
        site,
        prepared,
        waves: &waves,
        figures: Mutex::new(BTreeSet::new()),
    };
    let put = |output: Output<'_>| {
        if let Output::File(f) = &output
            && matches!(f.kind, Kind::Page { .. } | Kind::OtherPage)
        {
            pages.fetch_add(1, Ordering::Relaxed);
        }
        emit(output).map_err(|e| match e {
            Error::Input(d) => d,
            Error::Io { path, source } => {
                Diagnostics::from(Diagnostic::file(path, format!("cannot write: {source}")))
            }
        })
    };
    jobs.par_iter().for_each(|job| {
        if let Err(d) = run_job(&env, job, &put) {
            errors.lock().unwrap_or_else(|e| e.into_inner()).extend(d);
        }
    });
    let problems = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    let warnings = problems.into_result().map_err(Error::Input)?;
    Ok(Report {
        pages: pages.into_inner(),
        warnings,
    })
}

fn all_jobs<'a>(
    site: &Site,
    prepared: &Prepared,
    waves: &BTreeMap<&'a str, Vec<&Indicator>>,
) -> Vec<Job<'a>> {
    let has = |name: &str| site.theme.templates.iter().any(|t| t.name == name);
    let mut jobs = vec![Job::Entry, Job::NotFound, Job::Sitemap, Job::Assets];
    jobs.extend((0..site.pages.len()).map(Job::Page));
    for li in 0..prepared.langs.len() {
        jobs.push(Job::Home(li));
        jobs.extend((0..site.editions.len()).map(|ei| Job::Edition(li, ei)));
        if !waves.is_empty() {
            jobs.push(Job::Indicators(li));
            jobs.extend(waves.keys().map(|id| Job::Indicator(li, id)));
        }
        if has(FEED_TEMPLATE) {
            jobs.push(Job::Feed(li));
        }
    }
    jobs.extend((0..site.editions.len()).map(Job::OpenData));
    jobs.extend((0..site.editions.len()).map(Job::Citation));
    jobs
}

/// What every job reads.
struct Env<'a> {
    site: &'a Site,
    prepared: &'a Prepared,
    waves: &'a BTreeMap<&'a str, Vec<&'a Indicator>>,
    /// The figure files (SVG, PNG) written so far: a figure drawn on several pages is
    /// written once.
    figures: Mutex<BTreeSet<String>>,
}

type Put<'a> = dyn Fn(Output<'_>) -> Result<(), Diagnostics> + Sync + 'a;

fn file<'a>(path: &'a str, bytes: &'a [u8], kind: Kind) -> Output<'a> {
    Output::File(File {
        path,
        bytes,
        kind,
        source: None,
    })
}

fn run_job(env: &Env<'_>, job: &Job<'_>, put: &Put<'_>) -> Result<(), Diagnostics> {
    let (site, langs) = (env.site, &env.prepared.langs);
    let default = langs
        .iter()
        .find(|l| l.code == site.default_language)
        .or(langs.first())
        .ok_or_else(Diagnostics::new)?;
    let page = |li: usize| Kind::Page {
        lang: li,
        edition: None,
    };
    let figs = figures::PageFigures::default();
    let (path, template, lr, ctx, kind) = match job {
        Job::Page(pi) => return page_job(env, *pi, put),
        Job::Assets => {
            for f in &site.theme.static_files {
                let path = format!("assets/{}", crate::error::display_path(&f.rel));
                put(file(&path, &f.bytes, Kind::Asset))?;
            }
            return Ok(());
        }
        Job::OpenData(ei) => {
            for (path, bytes) in opendata::files(site, *ei) {
                put(file(&path, &bytes, Kind::Data))?;
            }
            return Ok(());
        }
        Job::Citation(ei) => {
            for (path, bytes) in citation::files(site, *ei) {
                put(file(&path, &bytes, Kind::Data))?;
            }
            return Ok(());
        }
        Job::Sitemap => {
            // The sitemap protocol wants absolute addresses: without base_url there is none
            // to give, so no sitemap (and a warning, which `render` sorts from the errors).
            if site.base_url.is_none() {
                return Err(Diagnostics::from(context::no_sitemap_warning()));
            }
            let ctx = context::sitemap(site);
            let xml = render_template(site, &default.tera, "sitemap.xml", &ctx)?;
            return put(file("sitemap.xml", &xml, Kind::Other));
        }
        Job::Feed(li) => {
            let lr = &langs[*li];
            let ctx = feed::context(site, &lr.code);
            let xml = render_template(site, &lr.tera, FEED_TEMPLATE, &ctx)?;
            return put(file(&feed::path(&lr.code), &xml, Kind::Other));
        }
        Job::Entry => {
            let path = "index.html".to_string();
            let ctx = context::bilingual(site, &path, "entry");
            (path, "entry.html", default, ctx, Kind::OtherPage)
        }
        Job::NotFound => {
            let path = "404.html".to_string();
            let ctx = context::bilingual(site, &path, "404");
            (path, "404.html", default, ctx, Kind::OtherPage)
        }
        Job::Home(li) => {
            let lr = &langs[*li];
            let path = Site::url(&lr.code, "");
            let ctx = home_context(site, lr, &path);
            (path, "home.html", lr, ctx, page(*li))
        }
        Job::Edition(li, ei) => {
            let lr = &langs[*li];
            let ed = &site.editions[*ei];
            let path = Site::url(&lr.code, &ed.path);
            let ctx = edition_context(site, lr, *ei, &path);
            let kind = Kind::Page {
                lang: *li,
                edition: Some(*ei),
            };
            (path, "edition.html", lr, ctx, kind)
        }
        Job::Indicators(li) => {
            let lr = &langs[*li];
            let path = Site::url(&lr.code, &site.indicators_path);
            let ctx = indicators_context(env, lr, &path, None, &figs)?;
            (path, "indicators.html", lr, ctx, page(*li))
        }
        Job::Indicator(li, id) => {
            let lr = &langs[*li];
            let path = Site::url(&lr.code, &format!("{}/{id}", site.indicators_path));
            let ctx = indicators_context(env, lr, &path, Some(id), &figs)?;
            (path, "indicator.html", lr, ctx, page(*li))
        }
    };
    let html = render_template(site, &lr.tera, template, &ctx)?;
    put(file(&path, &html, kind))?;
    put_figures(&figs, put)
}

/// The figure files a page drew (those no other page wrote before).
fn put_figures(figs: &figures::PageFigures, put: &Put<'_>) -> Result<(), Diagnostics> {
    for (path, bytes) in figs.take_files() {
        put(file(&path, &bytes, Kind::Data))?;
    }
    Ok(())
}

fn home_context(site: &Site, lr: &LangRender, path: &str) -> Context {
    let mut ctx = Context::new();
    let page = PageCtx {
        kind: "home",
        title: site.localize(&site.title, &lr.code).text,
        description: site
            .description
            .as_ref()
            .map(|d| site.localize(d, &lr.code).text),
        url: path,
        translations: translations(site, ""),
        ..PageCtx::default()
    };
    ctx.insert("page", &page);
    ctx.insert("root", &root_prefix(path));
    ctx
}

fn edition_context(site: &Site, lr: &LangRender, ei: usize, path: &str) -> Context {
    let ed = &site.editions[ei];
    let mut ctx = Context::new();
    let page = PageCtx {
        kind: "edition",
        title: site.localize(&ed.meta.title, &lr.code).text,
        description: Some(site.localize(&ed.meta.summary, &lr.code).text),
        url: path,
        translations: translations(site, &ed.path),
        breadcrumbs: vec![home_crumb(site, &lr.code)],
        edition: Some(&ed.id),
        ..PageCtx::default()
    };
    ctx.insert("page", &page);
    ctx.insert("root", &root_prefix(path));
    ctx.insert_value("edition", lr.editions[ei].clone());
    ctx
}

/// A narrative page in every language: each source body read once, converted, laid out with
/// the page's template, and (for an edition with a print page) converted again as a chapter.
fn page_job(env: &Env<'_>, pi: usize, put: &Put<'_>) -> Result<(), Diagnostics> {
    let site = env.site;
    let page = &site.pages[pi];
    let print = page.edition.is_some()
        && site
            .theme
            .templates
            .iter()
            .any(|t| t.name == PRINT_TEMPLATE);
    let mut bodies: Vec<(*const crate::load::PageSource, String)> = Vec::new();
    let mut errors = Diagnostics::new();
    for (li, lr) in env.prepared.langs.iter().enumerate() {
        let Some(version) = page.versions.get(li) else {
            continue;
        };
        let src = &version.source;
        let key = Arc::as_ptr(src);
        let body = match bodies.iter().find(|(k, _)| *k == key) {
            Some((_, b)) => b.clone(),
            None => match src.body() {
                Ok(b) => {
                    bodies.push((key, b.clone().into_owned()));
                    b.into_owned()
                }
                Err(d) => {
                    // Reported once, by the page's own language.
                    if !version.is_fallback() {
                        errors.push(d);
                    }
                    continue;
                }
            },
        };
        let path = Site::url(&lr.code, &page.path);
        let figs = figures::PageFigures::default();
        match page_html(env, lr, page, li, &path, &body, &figs) {
            Ok((html, warnings)) => {
                errors.extend(warnings);
                let kind = Kind::Page {
                    lang: li,
                    edition: page.edition,
                };
                put(Output::File(File {
                    path: &path,
                    bytes: &html,
                    kind,
                    source: Some(&src.file),
                }))?;
                put_figures(&figs, put)?;
            }
            Err(d) => {
                errors.extend(d);
                continue;
            }
        }
        if print && let Some(ch) = chapter(env, lr, page, li, &body) {
            put(Output::Chapter(Box::new(ch)))?;
        }
    }
    // Warnings come back as `Err` too: `render` sorts them from the errors.
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The page's chapter of its edition's print page in language `li`.
fn chapter(env: &Env<'_>, lr: &LangRender, page: &Page, li: usize, body: &str) -> Option<Chapter> {
    let site = env.site;
    let ei = page.edition?;
    let ed = &site.editions[ei];
    let version = page.versions.get(li)?;
    let src = &version.source;
    let path = print::path(&lr.code, ed);
    let root = root_prefix(&path);
    let figs = figures::PageFigures::default();
    let hooks = PageHooks {
        site,
        lang: &lr.code,
        edition: Some(ei),
        // The page itself writes the figure files.
        figures: lr.figures(env, &root, &path, &figs, None),
    };
    let print_hooks = print::PrintHooks {
        inner: &hooks,
        site,
        edition: ed,
    };
    let id_prefix = format!("{}--", page.slug);
    let input = markdown::Input::of_page(src, body, &root, &id_prefix)
        .with_prose(typography::Prose::of(site, &src.lang));
    let md = markdown::to_html(&input, &print_hooks);
    if print::has_errors(&md.diagnostics) {
        // The page itself reports them.
        return None;
    }
    let fallback = version
        .is_fallback()
        .then(|| site.language(&src.lang))
        .flatten()
        .map(|l| context::LangRef {
            code: &l.code,
            name: &l.name,
            dir: l.dir.as_str(),
        });
    Some(Chapter {
        lang: li,
        edition: ei,
        order: ed
            .pages
            .iter()
            .position(|&p| std::ptr::eq(&site.pages[p], page))?,
        ctx: print::ChapterCtx {
            slug: page.slug.clone(),
            anchor: page.slug.clone(),
            id_prefix,
            title: src.front.title.clone(),
            description: src.front.description.clone(),
            content: md.html,
            toc: md.toc,
            template: page.template.clone(),
            extra: page.extra.clone(),
            fallback: print::fallback(fallback),
        },
    })
}

/// The print page of edition `ei` in language `li`, from its chapters in reading order.
pub(crate) fn print_page(
    site: &Site,
    prepared: &Prepared,
    li: usize,
    ei: usize,
    chapters: &[print::ChapterCtx],
) -> Result<(String, Vec<u8>), Diagnostics> {
    let lr = &prepared.langs[li];
    let ctx = print::context(site, &lr.code, ei, lr.editions[ei].clone(), chapters);
    let html = render_template(site, &lr.tera, PRINT_TEMPLATE, &ctx)?;
    Ok((print::path(&lr.code, &site.editions[ei]), html))
}

/// The root `index.html` of an offline package of language `li`: the whole language, or one
/// edition. Rendered with the theme's `entry.html` and one greeting.
pub(crate) fn package_root(
    site: &Site,
    prepared: &Prepared,
    li: usize,
    edition: Option<usize>,
) -> Result<Vec<u8>, Diagnostics> {
    let l = &site.languages[li];
    let (title, description, url) = match edition {
        None => (
            site.localize(&site.title, &l.code).text,
            site.description
                .as_ref()
                .map(|d| site.localize(d, &l.code).text),
            Site::url(&l.code, ""),
        ),
        Some(ei) => {
            let ed = &site.editions[ei];
            (
                site.localize(&ed.meta.title, &l.code).text,
                Some(site.localize(&ed.meta.summary, &l.code).text),
                Site::url(&l.code, &ed.path),
            )
        }
    };
    let greeting = Greeting::new(site, l, title, description, url);
    let mut ctx = Context::new();
    ctx.insert("root", "");
    ctx.insert("greetings", &[greeting]);
    ctx.insert(
        "page",
        &PageCtx {
            kind: "package",
            title,
            url: "index.html",
            source_lang: &l.code,
            ..Default::default()
        },
    );
    render_template(site, &prepared.langs[li].tera, "entry.html", &ctx)
}

impl Prepared {
    /// Has the theme a print page?
    pub(crate) fn has_print(site: &Site) -> bool {
        site.theme
            .templates
            .iter()
            .any(|t| t.name == PRINT_TEMPLATE)
    }

    pub(crate) fn options(&self) -> &Options {
        &self.options
    }
}

impl LangRender {
    /// What a page's chart figures need in this language.
    fn figures<'a>(
        &'a self,
        env: &'a Env<'_>,
        root: &'a str,
        page_url: &'a str,
        page: &'a figures::PageFigures,
        written: Option<&'a Mutex<BTreeSet<String>>>,
    ) -> figures::FigureEnv<'a> {
        figures::FigureEnv {
            site: env.site,
            lang: &self.code,
            locale: &self.locale,
            tera: &self.tera,
            t: &self.t,
            style: &env.prepared.style,
            root,
            page_url,
            page,
            written,
            raster: &env.prepared.raster,
        }
    }
}

/// A narrative page rendered in language `li`, with its warnings. The contents (`page.toc`)
/// list every heading of the rendered page: when its template adds headings to the
/// Markdown's, the page is rendered a second time with them.
fn page_html(
    env: &Env<'_>,
    lr: &LangRender,
    page: &Page,
    li: usize,
    path: &str,
    body: &str,
    figs: &figures::PageFigures,
) -> Result<(Vec<u8>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let site = env.site;
    let version = &page.versions[li];
    let src = &version.source;
    let root = root_prefix(path);
    let hooks = PageHooks {
        site,
        lang: &lr.code,
        edition: page.edition,
        figures: lr.figures(env, &root, path, figs, Some(&env.figures)),
    };
    let input = markdown::Input::of_page(src, body, &root, "")
        .with_prose(typography::Prose::of(site, &src.lang));
    let md = markdown::to_html(&input, &hooks);
    if md.diagnostics.iter().any(Diagnostic::is_error) && !version.is_fallback() {
        return Err(md.diagnostics);
    }
    if md.diagnostics.iter().any(Diagnostic::is_error) {
        // The same source is rendered for several languages: report it once, from its own.
        return Err(Vec::new());
    }
    // Warnings (raw HTML shown as text…) are reported once, from the page's own language.
    let warnings = if version.is_fallback() {
        Vec::new()
    } else {
        md.diagnostics
    };
    let mut crumbs = vec![home_crumb(site, &lr.code)];
    if let Some(ei) = page.edition {
        let ed = &site.editions[ei];
        crumbs.push(Crumb {
            title: site.localize(&ed.meta.title, &lr.code).text.to_string(),
            url: Site::url(&lr.code, &ed.path),
        });
    }
    let fallback = version
        .is_fallback()
        .then(|| site.language(&src.lang))
        .flatten();
    let (prev, next) = neighbours(site, page, &lr.code);
    let mut ctx_page = PageCtx {
        kind: "page",
        title: &src.front.title,
        description: src.front.description.as_deref(),
        url: path,
        slug: Some(&page.slug),
        content: Some(&md.html),
        toc: &md.toc,
        translations: translations(site, &page.path),
        breadcrumbs: crumbs,
        edition: page.edition.map(|ei| site.editions[ei].id.as_str()),
        fallback: fallback.map(|l| context::LangRef {
            code: &l.code,
            name: &l.name,
            dir: l.dir.as_str(),
        }),
        source_lang: &src.lang,
        extra: Some(&page.extra),
        prev,
        next,
        date: context::date_ctx(
            &lr.locale,
            src.front
                .date
                .as_ref()
                .and_then(|d| crate::model::Date::parse(&d.value)),
        ),
    };
    let mut ctx = Context::new();
    ctx.insert("page", &ctx_page);
    ctx.insert("root", &root);
    ctx.insert("first_figure_png", &figs.first_png());
    if let Some(ei) = page.edition {
        ctx.insert_value("edition", lr.editions[ei].clone());
    }
    let html = render_template(site, &lr.tera, &page.template, &ctx).map_err(|d| d.0)?;
    let toc = context::rendered_toc(&html);
    let ids = |t: &[markdown::TocEntry]| t.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    if ids(&toc) == ids(&md.toc) {
        return Ok((html, warnings));
    }
    ctx_page.toc = &toc;
    ctx.insert("page", &ctx_page);
    let html = render_template(site, &lr.tera, &page.template, &ctx).map_err(|d| d.0)?;
    Ok((html, warnings))
}

/// Previous and next page in the reading order of the page's edition (or of the site pages).
fn neighbours(site: &Site, page: &Page, lang: &str) -> (Option<Crumb>, Option<Crumb>) {
    let order: Vec<&Page> = match page.edition {
        Some(ei) => site.editions[ei]
            .pages
            .iter()
            .map(|&i| &site.pages[i])
            .collect(),
        None => site.site_pages().collect(),
    };
    let Some(pos) = order.iter().position(|p| std::ptr::eq(*p, page)) else {
        return (None, None);
    };
    let crumb = |p: &Page| {
        let li = site.languages.iter().position(|l| l.code == lang)?;
        Some(Crumb {
            title: p.versions.get(li)?.source.front.title.clone(),
            url: Site::url(lang, &p.path),
        })
    };
    let prev = pos.checked_sub(1).and_then(|i| crumb(order[i]));
    let next = order.get(pos + 1).and_then(|p| crumb(p));
    (prev, next)
}

fn home_crumb(site: &Site, lang: &str) -> Crumb {
    Crumb {
        title: site.localize(&site.title, lang).text.to_string(),
        url: Site::url(lang, ""),
    }
}

/// The same folder in every language.
fn translations<'a>(site: &'a Site, folder: &str) -> Vec<Translation<'a>> {
    site.languages
        .iter()
        .map(|l| Translation {
            code: &l.code,
            name: &l.name,
            dir: l.dir.as_str(),
            url: Site::url(&l.code, folder),
        })
        .collect()
}

/// Renders straight into bytes: `Tera::render` would check the whole page is UTF-8 again.
fn render_template(
    site: &Site,
    tera: &Tera,
    name: &str,
    ctx: &Context,
) -> Result<Vec<u8>, Diagnostics> {
    let mut out = Vec::with_capacity(16 * 1024);
    tera.render_to(name, ctx, &mut out)
        .map_err(|e| Diagnostics::from(templates::to_diagnostic(&e, &site.theme, Some(name))))?;
    Ok(out)
}

/// Resolves `@/…` links and renders chart blocks for one page.
struct PageHooks<'a> {
    site: &'a Site,
    lang: &'a str,
    edition: Option<usize>,
    figures: figures::FigureEnv<'a>,
}

impl Hooks for PageHooks<'_> {
    fn resolve_link(&self, target: &str) -> Option<String> {
        self.site
            .link_targets
            .get(target)
            .map(|folder| Site::url(self.lang, folder))
    }

    fn embed(&self, info: &str, body: &str, line: usize) -> Option<Result<String, EmbedError>> {
        (info == "chart").then(|| self.figures.embed(body, line, self.edition))
    }

    fn unsafe_html(&self) -> bool {
        self.site.unsafe_html
    }
}

/// Runs `f` with the hooks `render` gives a narrative page of language `li` (index into
/// `site.languages`) and edition `edition`, written at `root` (`../../`): the fuzz targets'
/// way to the real link resolution, chart blocks and raw-HTML policy (`internals`).
pub(crate) fn with_page_hooks<R>(
    site: &Site,
    prepared: &Prepared,
    li: usize,
    edition: Option<usize>,
    root: &str,
    f: impl FnOnce(&dyn Hooks, typography::Prose) -> R,
) -> Option<R> {
    let lr = prepared.langs.get(li)?;
    let waves = BTreeMap::new();
    let env = Env {
        site,
        prepared,
        waves: &waves,
        figures: Mutex::new(BTreeSet::new()),
    };
    let page = figures::PageFigures::default();
    let hooks = PageHooks {
        site,
        lang: &lr.code,
        edition,
        // Figures are drawn (and their files kept by `page`), not written.
        figures: lr.figures(&env, root, "page/index.html", &page, None),
    };
    Some(f(&hooks, typography::Prose::of(site, &lr.code)))
}

/// Context of the indicators index (`id == None`) or of one indicator page.
fn indicators_context(
    env: &Env<'_>,
    lr: &LangRender,
    path: &str,
    id: Option<&str>,
    figs: &figures::PageFigures,
) -> Result<Context, Diagnostics> {
    let site = env.site;
    let root = root_prefix(path);
    let fig = lr.figures(env, &root, path, figs, Some(&env.figures));
    let folder = match id {
        Some(id) => format!("{}/{id}", site.indicators_path),
        None => site.indicators_path.clone(),
    };
    let edition_crumb = |w: &Indicator| Crumb {
        title: site
            .localize(&site.editions[w.edition].meta.title, &lr.code)
            .text
            .to_string(),
        url: Site::url(&lr.code, &site.editions[w.edition].path),
    };
    let mut crumbs = vec![home_crumb(site, &lr.code)];
    let mut ctx = Context::new();
    let list: Vec<context::IndicatorLink> = env
        .waves
        .iter()
        .filter_map(|(id, waves)| {
            let last = waves.last()?;
            Some(context::IndicatorLink {
                id: id.to_string(),
                question: site.localize(&last.question, &lr.code).text.to_string(),
                url: Site::url(&lr.code, &format!("{}/{id}", site.indicators_path)),
                editions: waves.iter().map(|w| edition_crumb(w)).collect(),
            })
        })
        .collect();
    let title = lr.t.get("indicators").cloned().unwrap_or_default();
    let page_title;
    if let Some(id) = id {
        let waves = env.waves.get(id).cloned().unwrap_or_default();
        let mut items = Vec::new();
        for w in &waves {
            let html = fig.figure(w, w.chart, None, figures::default_view(w))?;
            items.push(context::WaveCtx {
                edition: edition_crumb(w),
                year: site.editions[w.edition].meta.year,
                figure: html,
            });
        }
        let trend = if waves.len() > 1 {
            fig.trend(&waves)?
        } else {
            None
        };
        crumbs.push(Crumb {
            title: title.clone(),
            url: Site::url(&lr.code, &site.indicators_path),
        });
        page_title = waves
            .last()
            .map(|w| site.localize(&w.question, &lr.code).text.to_string())
            .unwrap_or_default();
        ctx.insert("waves", &items);
        ctx.insert("trend", &trend);
        ctx.insert("indicator_id", id);
    } else {
        page_title = title;
    }
    ctx.insert("indicators", &list);
    let page = PageCtx {
        kind: if id.is_some() {
            "indicator"
        } else {
            "indicators"
        },
        title: &page_title,
        url: path,
        translations: translations(site, &folder),
        breadcrumbs: crumbs,
        ..PageCtx::default()
    };
    ctx.insert("page", &page);
    ctx.insert("root", &root);
    ctx.insert("first_figure_png", &figs.first_png());
    Ok(ctx)
}
