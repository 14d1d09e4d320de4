//! The print edition, `<lang>/<editions>/<id>/print.html` (theme template `print.html`): the
//! whole edition on one page, for printing, saving as PDF or reading offline in one go.
//!
//! While a page of an edition renders, it also gives its chapter ([`ChapterCtx`], emitted
//! as [`super::Output::Chapter`]): the same Markdown with every id prefixed with `<slug>--`
//! (headings, footnotes and, by the theme, data blocks), so that two pages with the same
//! heading do not collide, and links between pages of the edition turned into in-page
//! anchors: `@/editions/<id>/<slug>` → `#<slug>`, with a fragment → `#<slug>--<fragment>`,
//! the edition home → `#_cover`. Other internal links stay relative links to the site. The
//! offline stage gathers the chapters and lays the page out with [`page`].

use serde::Serialize;
use serde_json::Value as Json;
use tera::{Context, Value};

use super::context::{LangRef, PageCtx, Translation};
use super::markdown::{EmbedError, Hooks, TocEntry};
use crate::error::Diagnostic;
use crate::model::{Edition, Site, root_prefix};

/// Id of the cover in the print page (slugs never start with `_`).
pub(crate) const COVER_ID: &str = "_cover";

pub(crate) use super::paths::print_path as path;

/// One narrative page of the edition, as a chapter of the print page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChapterCtx {
    pub slug: String,
    /// Id of the chapter's section (`<slug>`).
    pub anchor: String,
    /// Prefix of every id inside the chapter (`<slug>--`); data blocks use it too.
    pub id_prefix: String,
    pub title: String,
    pub description: Option<String>,
    /// The page's HTML with prefixed ids; print with `| safe`.
    pub content: String,
    pub toc: Vec<TocEntry>,
    /// The page's own template (e.g. `meeting.html`), to show its data blocks.
    pub template: String,
    pub extra: Json,
    /// The language shown when the translation is missing.
    pub fallback: Option<OwnedLang>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct OwnedLang {
    pub code: String,
    pub name: String,
    pub dir: String,
}

/// Turns links between pages of the edition into anchors of the print page.
pub(crate) struct PrintHooks<'a> {
    pub inner: &'a dyn Hooks,
    pub site: &'a Site,
    pub edition: &'a Edition,
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

    fn unsafe_html(&self) -> bool {
        self.inner.unsafe_html()
    }
}

/// The context of `print.html` for edition `ei` in `lang`, from its chapters in reading
/// order. `edition` is the edition's template data in that language.
pub(crate) fn context(
    site: &Site,
    lang: &str,
    ei: usize,
    edition: Value,
    chapters: &[ChapterCtx],
) -> Context {
    let ed = &site.editions[ei];
    let path = path(lang, ed);
    let title = site.localize(&ed.meta.title, lang).text;
    let translations: Vec<Translation<'_>> = site
        .languages
        .iter()
        .map(|l| Translation {
            code: &l.code,
            name: &l.name,
            dir: l.dir.as_str(),
            url: self::path(&l.code, ed),
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
    ctx.insert("root", &root_prefix(&path));
    ctx.insert("chapters", chapters);
    ctx.insert("cover_id", COVER_ID);
    ctx.insert_value("edition", edition);
    ctx
}

/// The fallback language of a chapter, when its text is another language's.
pub(crate) fn fallback(l: Option<LangRef<'_>>) -> Option<OwnedLang> {
    l.map(|l| OwnedLang {
        code: l.code.to_string(),
        name: l.name.to_string(),
        dir: l.dir.to_string(),
    })
}

/// An error of a print chapter is the page's own error, reported there: do not repeat it.
pub(crate) fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}
