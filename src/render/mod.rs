//! Stage 4 — render: every (language, page) through the theme's templates, in parallel.
//!
//! Markdown is converted here, page by page, and each finished page goes straight to a
//! [`Sink`] (the output folder, or nothing for `check`), so memory does not grow with the
//! number of pages. All addresses in templates are relative: a page gets `root` (`../../`)
//! and every `url` is relative to the site root, so templates write `{{ root }}{{ x.url }}`.

pub mod context;
pub mod figures;
pub mod locale;
pub mod templates;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::charts;
use crate::error::{Diagnostic, Diagnostics, Error};
use crate::markdown::{self, EmbedError, Hooks};
use crate::model::{Page, Site, root_prefix};
use context::{Crumb, PageCtx, Translation};
use locale::Locale;

/// Where rendered files go. Paths are relative to the site root, with `/` separators.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Error>;
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Minify HTML pages with minify-html (on for `build`, off for `check`).
    pub minify: bool,
    /// The build writes the offline packages: pages link them, and the packages' root pages
    /// are rendered (into `Report::package_roots`).
    pub package: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    /// HTML pages written.
    pub pages: usize,
    /// Every file written by render (pages, sitemap…).
    pub files: usize,
    /// With `Options::package`: the root page of every package.
    pub package_roots: Vec<crate::offline::package::PackageRoot>,
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

enum Job<'a> {
    Entry,
    NotFound,
    Sitemap,
    Home(usize),
    Edition(usize, usize),
    Page(usize, usize),
    /// The list of all indicators in a language.
    Indicators(usize),
    /// One indicator (all its waves) in a language.
    Indicator(usize, &'a str),
    /// The open data files of an edition (language-neutral).
    OpenData(usize),
    Print(usize, usize),
    Feed(usize),
    SearchIndex(usize),
}

/// Renders the whole site into `sink`. Errors of all pages are collected and reported together.
pub fn render(site: &Site, sink: &dyn Sink, opts: &Options) -> Result<Report, Error> {
    let prepared = prepare(site, opts)?;
    run(site, &prepared, sink, opts, None)
}

/// Renders the whole site with contexts prepared beforehand (`serve` keeps them for the edits
/// that follow).
pub fn render_prepared(
    site: &Site,
    prepared: &Prepared,
    sink: &dyn Sink,
    opts: &Options,
) -> Result<Report, Error> {
    run(site, prepared, sink, opts, None)
}

/// Renders `pages` (indices into `site.pages`) in every language (the twins that show a
/// changed text as a fallback are redone too). For `serve`, after an edit that left every front
/// matter as it was (titles, weights and templates feed navigation and lists, so changing them
/// needs [`render`]). What gathers many pages follows with [`render_gathering`].
pub fn render_pages(
    site: &Site,
    prepared: &Prepared,
    pages: &[usize],
    sink: &dyn Sink,
    opts: &Options,
) -> Result<Report, Error> {
    run(site, prepared, sink, opts, Some((pages, Subset::Pages)))
}

/// Renders what gathers the bodies of `pages` with many others: the print pages of their
/// editions and the search indexes. Much longer than the pages themselves on a large edition,
/// so `serve` runs it after the browser has reloaded the edited page.
pub fn render_gathering(
    site: &Site,
    prepared: &Prepared,
    pages: &[usize],
    sink: &dyn Sink,
    opts: &Options,
) -> Result<Report, Error> {
    run(site, prepared, sink, opts, Some((pages, Subset::Gathering)))
}

/// Which jobs of a partial render to keep.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Subset {
    Pages,
    Gathering,
}

/// What every page of a language shares, prepared once per site: the compiled templates with
/// the language's global context (site, navigation, UI strings, editions) and each edition's
/// template data. Built from titles, front matter and data, not from page bodies: it stays
/// valid for [`render_pages`] after edits of bodies only.
pub struct Prepared {
    langs: Vec<LangRender>,
}

/// Compiles the theme and builds every language's shared context.
pub fn prepare(site: &Site, opts: &Options) -> Result<Prepared, Error> {
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
        templates::register_locale_filters(&mut tera, Arc::clone(&locale));
        let t = site
            .theme
            .i18n
            .get(&lang.code)
            .map(|s| s.value.clone())
            .unwrap_or_default();
        let shared = context::language_globals(site, lang, &locale);
        let editions = shared
            .editions
            .iter()
            .map(Value::from_serializable)
            .collect();
        let global = tera.global_context();
        for (k, v) in shared.globals {
            global.insert_value(k, v);
        }
        global.insert(
            "offline",
            &crate::offline::globals(site, &lang.code, opts.package),
        );
        langs.push(LangRender {
            code: lang.code.clone(),
            tera,
            locale,
            t,
            editions,
        });
    }
    Ok(Prepared { langs })
}

fn run(
    site: &Site,
    prepared: &Prepared,
    sink: &dyn Sink,
    opts: &Options,
    only: Option<(&[usize], Subset)>,
) -> Result<Report, Error> {
    let langs = &prepared.langs;
    let c = &site.theme.config.chart;
    let style = charts::Style {
        palette: c.palette.clone(),
        font: c.font.clone(),
        ink: c.ink.clone(),
        muted: c.muted.clone(),
        grid: c.grid.clone(),
    };
    let waves = site.indicator_waves();

    let has = |name: &str| site.theme.templates.iter().any(|t| t.name == name);
    let mut jobs = vec![Job::Entry, Job::NotFound, Job::Sitemap];
    for (li, _) in langs.iter().enumerate() {
        jobs.push(Job::Home(li));
        for ei in 0..site.editions.len() {
            jobs.push(Job::Edition(li, ei));
        }
        for pi in 0..site.pages.len() {
            jobs.push(Job::Page(li, pi));
        }
        if !waves.is_empty() {
            jobs.push(Job::Indicators(li));
            for id in waves.keys() {
                jobs.push(Job::Indicator(li, id));
            }
        }
        if has(crate::validate::PRINT_TEMPLATE) {
            for ei in 0..site.editions.len() {
                jobs.push(Job::Print(li, ei));
            }
        }
        if has(crate::validate::FEED_TEMPLATE) {
            jobs.push(Job::Feed(li));
        }
        if site.theme.config.search {
            jobs.push(Job::SearchIndex(li));
        }
    }
    for ei in 0..site.editions.len() {
        jobs.push(Job::OpenData(ei));
    }
    if let Some((pages, subset)) = only {
        let editions: Vec<usize> = pages
            .iter()
            .filter_map(|&pi| site.pages[pi].edition)
            .collect();
        jobs.retain(|job| match (job, subset) {
            (Job::Page(_, pi), Subset::Pages) => pages.contains(pi),
            (Job::Print(_, ei), Subset::Gathering) => editions.contains(ei),
            (Job::SearchIndex(_), Subset::Gathering) => true,
            _ => false,
        });
    }

    let errors = Mutex::new(Diagnostics::new());
    let report = Mutex::new(Report::default());
    let env = Env {
        site,
        langs,
        style: &style,
        waves: &waves,
        opts,
    };
    let record = |path: &str, bytes: &[u8], is_page: bool| match sink.put(path, bytes) {
        Ok(()) => {
            let mut r = report.lock().unwrap_or_else(|e| e.into_inner());
            r.files += 1;
            r.pages += usize::from(is_page);
        }
        Err(Error::Input(d)) => errors.lock().unwrap_or_else(|e| e.into_inner()).extend(d),
        Err(Error::Io { path, source }) => errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Diagnostic::file(path, format!("cannot write: {source}"))),
    };
    jobs.par_iter().for_each(|job| match job {
        Job::OpenData(ei) => {
            for (path, bytes) in figures::open_data(site, *ei) {
                record(&path, &bytes, false);
            }
        }
        _ => match render_job(&env, job) {
            Ok((path, bytes, is_page)) => record(&path, &bytes, is_page),
            Err(d) => errors.lock().unwrap_or_else(|e| e.into_inner()).extend(d),
        },
    });
    let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut report = report.into_inner().unwrap_or_else(|e| e.into_inner());
    if opts.package {
        for (li, edition, ctx) in crate::offline::package::root_contexts(site) {
            match render_template(site, &langs[li].tera, "entry.html", &ctx) {
                Ok(html) => report
                    .package_roots
                    .push(crate::offline::package::PackageRoot {
                        lang: li,
                        edition,
                        html: finish(html, opts),
                    }),
                Err(d) => errors.extend(d),
            }
        }
    }
    errors.into_result().map_err(Error::Input)?;
    Ok(report)
}

impl LangRender {
    /// What a page's chart figures need in this language.
    fn figures<'a>(
        &'a self,
        site: &'a Site,
        style: &'a charts::Style,
        root: &'a str,
        counter: &'a AtomicUsize,
    ) -> figures::FigureEnv<'a> {
        figures::FigureEnv {
            site,
            lang: &self.code,
            locale: &self.locale,
            tera: &self.tera,
            t: &self.t,
            style,
            root,
            counter,
        }
    }
}

/// What every job reads.
struct Env<'a> {
    site: &'a Site,
    langs: &'a [LangRender],
    style: &'a charts::Style,
    waves: &'a BTreeMap<&'a str, Vec<&'a crate::indicators::Indicator>>,
    opts: &'a Options,
}

fn render_job(env: &Env<'_>, job: &Job<'_>) -> Result<(String, Vec<u8>, bool), Vec<Diagnostic>> {
    let (site, langs, opts) = (env.site, env.langs, env.opts);
    let default = langs
        .iter()
        .find(|l| l.code == site.default_language)
        .or(langs.first())
        .ok_or_else(Vec::new)?;
    let (path, template, lr, ctx) = match job {
        Job::Entry => {
            let path = "index.html".to_string();
            let ctx = context::bilingual(site, &path, "entry");
            (path, "entry.html", default, ctx)
        }
        Job::NotFound => {
            let path = "404.html".to_string();
            let ctx = context::bilingual(site, &path, "404");
            (path, "404.html", default, ctx)
        }
        Job::Sitemap => {
            let path = "sitemap.xml".to_string();
            let ctx = context::sitemap(site);
            let xml = render_template(site, &default.tera, "sitemap.xml", &ctx)?;
            return Ok((path, xml, false));
        }
        Job::Home(li) => {
            let lr = &langs[*li];
            let path = Site::url(&lr.code, "");
            let mut ctx = Context::new();
            let page = PageCtx {
                kind: "home",
                title: site.localize(&site.title, &lr.code).text,
                description: site
                    .description
                    .as_ref()
                    .map(|d| site.localize(d, &lr.code).text),
                url: &path,
                translations: translations(site, ""),
                breadcrumbs: vec![],
                ..PageCtx::default()
            };
            ctx.insert("page", &page);
            ctx.insert("root", &root_prefix(&path));
            (path, "home.html", lr, ctx)
        }
        Job::Edition(li, ei) => {
            let lr = &langs[*li];
            let ed = &site.editions[*ei];
            let path = Site::url(&lr.code, &ed.path);
            let title = site.localize(&ed.meta.title, &lr.code);
            let mut ctx = Context::new();
            let page = PageCtx {
                kind: "edition",
                title: title.text,
                description: Some(site.localize(&ed.meta.summary, &lr.code).text),
                url: &path,
                translations: translations(site, &ed.path),
                breadcrumbs: vec![home_crumb(site, &lr.code)],
                edition: Some(&ed.id),
                ..PageCtx::default()
            };
            ctx.insert("page", &page);
            ctx.insert("root", &root_prefix(&path));
            ctx.insert_value("edition", lr.editions[*ei].clone());
            (path, "edition.html", lr, ctx)
        }
        Job::Page(li, pi) => {
            let lr = &langs[*li];
            let page = &site.pages[*pi];
            let path = Site::url(&lr.code, &page.path);
            let ctx = page_context(env, lr, page, *li, &path)?;
            let html = render_template(site, &lr.tera, &page.template, &ctx)?;
            return Ok((path, finish(html, opts), true));
        }
        Job::Indicators(li) => {
            let lr = &langs[*li];
            let path = Site::url(&lr.code, &site.indicators_path);
            let ctx = indicators_context(env, lr, &path, None)?;
            (path, "indicators.html", lr, ctx)
        }
        Job::Indicator(li, id) => {
            let lr = &langs[*li];
            let path = Site::url(&lr.code, &format!("{}/{id}", site.indicators_path));
            let ctx = indicators_context(env, lr, &path, Some(id))?;
            (path, "indicator.html", lr, ctx)
        }
        Job::OpenData(_) => return Err(Vec::new()),
        Job::Print(li, ei) => {
            let lr = &langs[*li];
            let path = crate::offline::print_path(&lr.code, &site.editions[*ei]);
            let root = root_prefix(&path);
            let counter = AtomicUsize::new(0);
            let hooks = PageHooks {
                site,
                lang: &lr.code,
                edition: Some(*ei),
                figures: lr.figures(site, env.style, &root, &counter),
            };
            let ctx = crate::offline::print::context(
                site,
                &lr.code,
                *ei,
                lr.editions[*ei].clone(),
                &hooks,
            )?;
            (path, "print.html", lr, ctx)
        }
        Job::Feed(li) => {
            let lr = &langs[*li];
            let ctx = crate::offline::feed::context(site, &lr.code);
            let xml = render_template(site, &lr.tera, "atom.xml", &ctx)?;
            return Ok((crate::offline::feed_path(&lr.code), xml, false));
        }
        Job::SearchIndex(li) => {
            let code = &langs[*li].code;
            let js = crate::offline::search::index_js(site, code, None);
            return Ok((
                crate::offline::search_index_path(code),
                js.into_bytes(),
                false,
            ));
        }
    };
    let html = render_template(site, &lr.tera, template, &ctx)?;
    Ok((path, finish(html, opts), true))
}

fn page_context(
    env: &Env<'_>,
    lr: &LangRender,
    page: &Page,
    li: usize,
    path: &str,
) -> Result<Context, Vec<Diagnostic>> {
    let site = env.site;
    let version = &page.versions[li];
    let src = &version.source;
    let root = root_prefix(path);
    let counter = AtomicUsize::new(0);
    let hooks = PageHooks {
        site,
        lang: &lr.code,
        edition: page.edition,
        figures: lr.figures(site, env.style, &root, &counter),
    };
    let md = markdown::to_html(&markdown::Input::of_page(src, &root, ""), &hooks);
    if md.diagnostics.iter().any(Diagnostic::is_error) && !version.is_fallback() {
        return Err(md.diagnostics);
    }
    if md.diagnostics.iter().any(Diagnostic::is_error) {
        // The same source is rendered for several languages: report it once, from its own.
        return Err(Vec::new());
    }
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
    let ctx_page = PageCtx {
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
    if let Some(ei) = page.edition {
        ctx.insert_value("edition", lr.editions[ei].clone());
    }
    Ok(ctx)
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
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let mut out = Vec::with_capacity(16 * 1024);
    tera.render_to(name, ctx, &mut out)
        .map_err(|e| vec![templates::to_diagnostic(&e, &site.theme, Some(name))])?;
    Ok(out)
}

fn finish(html: Vec<u8>, opts: &Options) -> Vec<u8> {
    if !opts.minify {
        return html;
    }
    let cfg = minify_html::Cfg {
        // Inline styles are a few short attributes; lightningcss per page costs more than it saves.
        minify_css: false,
        // minify_js has open bugs (Zola turned it off too); our scripts are small.
        minify_js: false,
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        keep_comments: false,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(&html, &cfg)
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
}

/// Context of the indicators index (`id == None`) or of one indicator page.
fn indicators_context(
    env: &Env<'_>,
    lr: &LangRender,
    path: &str,
    id: Option<&str>,
) -> Result<Context, Vec<Diagnostic>> {
    let site = env.site;
    let root = root_prefix(path);
    let counter = AtomicUsize::new(0);
    let fig = lr.figures(site, env.style, &root, &counter);
    let folder = match id {
        Some(id) => format!("{}/{id}", site.indicators_path),
        None => site.indicators_path.clone(),
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
                editions: waves
                    .iter()
                    .map(|w| Crumb {
                        title: site
                            .localize(&site.editions[w.edition].meta.title, &lr.code)
                            .text
                            .to_string(),
                        url: Site::url(&lr.code, &site.editions[w.edition].path),
                    })
                    .collect(),
            })
        })
        .collect();
    let title = lr.t.get("indicators").cloned().unwrap_or_default();
    let page_title;
    if let Some(id) = id {
        let waves = env.waves.get(id).cloned().unwrap_or_default();
        let mut items = Vec::new();
        for w in &waves {
            let html = fig
                .figure(w, w.chart, None)
                .map_err(|e| vec![Diagnostic::file(&w.file, e)])?;
            items.push(context::WaveCtx {
                edition: Crumb {
                    title: site
                        .localize(&site.editions[w.edition].meta.title, &lr.code)
                        .text
                        .to_string(),
                    url: Site::url(&lr.code, &site.editions[w.edition].path),
                },
                year: site.editions[w.edition].meta.year,
                figure: html,
            });
        }
        let trend = if waves.len() > 1 {
            Some(
                fig.trend(&waves)
                    .map_err(|e| vec![Diagnostic::file("", e)])?,
            )
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
    Ok(ctx)
}

/// Translation coverage as a table for the terminal.
pub fn coverage_table(site: &Site) -> String {
    let mut by_scope: BTreeMap<&str, Vec<&crate::model::CoverageRow>> = BTreeMap::new();
    for row in &site.coverage {
        by_scope.entry(&row.scope).or_default().push(row);
    }
    let width = by_scope.keys().map(|s| s.len()).max().unwrap_or(5).max(5);
    let mut out = format!("{:width$}", "translation coverage");
    for l in &site.languages {
        out.push_str(&format!("  {:>16}", l.code));
    }
    out.push('\n');
    // Editions in site order (newest first), then the site pages.
    let mut scopes: Vec<&str> = site.editions.iter().map(|e| e.id.as_str()).collect();
    scopes.push("site");
    for scope in scopes {
        let Some(rows) = by_scope.get(scope) else {
            continue;
        };
        out.push_str(&format!("{scope:width$}"));
        for row in rows {
            let cell = format!(
                "{:.0} % ({}/{})",
                row.percent().floor(),
                row.present,
                row.total
            );
            out.push_str(&format!("  {cell:>16}"));
        }
        out.push('\n');
    }
    out
}
