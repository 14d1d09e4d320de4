//! The print edition, `<lang>/<editions>/<id>/print.html` (theme template `print.html`): the
//! whole edition on one page, for printing, saving as PDF or reading offline in one go.
//!
//! Every narrative page becomes a chapter whose ids are prefixed with `<slug>--` (headings,
//! footnotes and, by the theme, data blocks), so that two pages with the same heading do not
//! collide. Links between pages of the edition become in-page anchors: `@/editions/<id>/<slug>`
//! → `#<slug>`, with a fragment → `#<slug>--<fragment>`, the edition home → `#_cover`. Other
//! internal links stay relative links to the site.

use serde::Serialize;
use serde_json::Value as Json;
use tera::{Context, Value};

use crate::error::Diagnostic;
use crate::markdown::{self, EmbedError, Hooks, TocEntry};
use crate::model::{Edition, Site, root_prefix};
use crate::offline::print_path;
use crate::render::context::{LangRef, PageCtx, Translation};

/// Id of the cover in the print page (slugs never start with `_`).
pub const COVER_ID: &str = "_cover";

/// One narrative page of the edition, as a chapter of the print page.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterCtx<'a> {
    pub slug: &'a str,
    /// Id of the chapter's section (`<slug>`).
    pub anchor: String,
    /// Prefix of every id inside the chapter (`<slug>--`); data blocks use it too.
    pub id_prefix: String,
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// The page's HTML with prefixed ids; print with `| safe`.
    pub content: String,
    pub toc: Vec<TocEntry>,
    /// The page's own template (e.g. `meeting.html`), to show its data blocks.
    pub template: &'a str,
    pub extra: &'a Json,
    /// The language shown when the translation is missing.
    pub fallback: Option<LangRef<'a>>,
}

/// Turns links between pages of the edition into anchors of the print page.
struct PrintHooks<'a> {
    inner: &'a dyn Hooks,
    site: &'a Site,
    edition: &'a Edition,
}

impl Hooks for PrintHooks<'_> {
    fn resolve_link(&self, target: &str) -> Option<String> {
        self.inner.resolve_link(target)
    }

    fn internal_href(&self, target: &str, fragment: Option<&str>, root: &str) -> Option<String> {
        let folder = self.site.link_targets.get(target)?;
        if *folder == self.edition.path {
            return Some(format!("#{COVER_ID}"));
        }
        let chapter = self
            .edition
            .pages
            .iter()
            .map(|&i| &self.site.pages[i])
            .find(|p| p.path == *folder);
        match chapter {
            Some(p) => Some(match fragment.filter(|f| !f.is_empty()) {
                Some(f) => format!("#{}--{f}", p.slug),
                None => format!("#{}", p.slug),
            }),
            None => self.inner.internal_href(target, fragment, root),
        }
    }

    fn embed(&self, info: &str, body: &str, line: usize) -> Option<Result<String, EmbedError>> {
        self.inner.embed(info, body, line)
    }
}

/// The context of `print.html` for edition `ei` in `lang`. `edition` is the edition's template
/// data in that language; `hooks` are the page hooks of that language (links, embeds).
/// Markdown errors are not repeated here: the edition's own pages report them.
pub fn context(
    site: &Site,
    lang: &str,
    ei: usize,
    edition: Value,
    hooks: &dyn Hooks,
) -> Result<Context, Vec<Diagnostic>> {
    let ed = &site.editions[ei];
    let li = site
        .languages
        .iter()
        .position(|l| l.code == lang)
        .unwrap_or(0);
    let path = print_path(lang, ed);
    let root = root_prefix(&path);
    let print_hooks = PrintHooks {
        inner: hooks,
        site,
        edition: ed,
    };
    let mut chapters = Vec::new();
    for &pi in &ed.pages {
        let page = &site.pages[pi];
        let Some(version) = page.versions.get(li) else {
            continue;
        };
        let src = &version.source;
        let id_prefix = format!("{}--", page.slug);
        let md = markdown::to_html(
            &markdown::Input::of_page(src, &root, &id_prefix),
            &print_hooks,
        );
        if md.diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Vec::new());
        }
        let fallback = version
            .is_fallback()
            .then(|| site.language(&src.lang))
            .flatten()
            .map(|l| LangRef {
                code: &l.code,
                name: &l.name,
                dir: l.dir.as_str(),
            });
        chapters.push(ChapterCtx {
            slug: &page.slug,
            anchor: page.slug.clone(),
            id_prefix,
            title: &src.front.title,
            description: src.front.description.as_deref(),
            content: md.html,
            toc: md.toc,
            template: &page.template,
            extra: &page.extra,
            fallback,
        });
    }
    let title = site.localize(&ed.meta.title, lang).text;
    let translations: Vec<Translation<'_>> = site
        .languages
        .iter()
        .map(|l| Translation {
            code: &l.code,
            name: &l.name,
            dir: l.dir.as_str(),
            url: print_path(&l.code, ed),
        })
        .collect();
    let page = PageCtx {
        kind: "print",
        title,
        description: Some(site.localize(&ed.meta.summary, lang).text),
        url: &path,
        translations,
        edition: Some(&ed.id),
        source_lang: lang,
        ..PageCtx::default()
    };
    let mut ctx = Context::new();
    ctx.insert("page", &page);
    ctx.insert("root", &root);
    ctx.insert("chapters", &chapters);
    ctx.insert("cover_id", COVER_ID);
    ctx.insert_value("edition", edition);
    Ok(ctx)
}
