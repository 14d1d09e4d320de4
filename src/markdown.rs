//! Markdown to HTML (pulldown-cmark) with what a report needs and CommonMark lacks: stable,
//! Unicode-aware heading ids (Arabic headings keep their letters), a table of contents, footnote
//! ids unique per page fragment, internal links (`@/…`) resolved to relative paths, and fenced
//! blocks (e.g. ```` ```chart ````) handed to an embedder. Errors carry the file line.

use std::collections::HashMap;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::error::{Diagnostic, Position};

/// One entry of a page's table of contents (headings of level 2 and 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// What the converter asks of the rest of the site.
pub trait Hooks: Sync {
    /// Resolves an internal link target (the part after `@/`, without `#fragment`) to a path
    /// relative to the site root (`fr/about/index.html`), or `None` when there is no such page.
    fn resolve_link(&self, target: &str) -> Option<String>;

    /// The `href` written for an internal link: by default `root`, the resolved path and the
    /// `#fragment`. A page that gathers several pages (the print edition) overrides it to turn
    /// links between them into in-page anchors.
    fn internal_href(&self, target: &str, fragment: Option<&str>, root: &str) -> Option<String> {
        self.resolve_link(target).map(|resolved| match fragment {
            Some(f) => format!("{root}{resolved}#{f}"),
            None => format!("{root}{resolved}"),
        })
    }

    /// Renders a fenced block whose info string is `info` (e.g. `chart`). `None`: not an
    /// embed, render it as code. `Err(message)`: the block is wrong; `line` is its first line.
    fn embed(&self, info: &str, body: &str, line: usize) -> Option<Result<String, EmbedError>>;
}

/// An error inside an embedded block, with the line (of the whole file) it concerns.
#[derive(Debug, Clone)]
pub struct EmbedError {
    pub line: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// A Markdown document to convert.
pub struct Input<'a> {
    /// The file it comes from, relative to the project root (for diagnostics).
    pub file: &'a Path,
    /// The whole file text (for the snippet of diagnostics).
    pub whole: &'a str,
    /// The Markdown body.
    pub body: &'a str,
    /// Line of the whole file where `body` starts.
    pub first_line: usize,
    /// Relative path from the page being written to the site root (`../../`).
    pub root: &'a str,
    /// Prefix for generated ids, so several fragments can share one HTML page.
    pub id_prefix: &'a str,
}

impl<'a> Input<'a> {
    /// The body of a page's source file, written into a page `root` away from the site root.
    pub fn of_page(src: &'a crate::load::PageSource, root: &'a str, id_prefix: &'a str) -> Self {
        Input {
            file: &src.file,
            whole: &src.text,
            body: src.body(),
            first_line: src.body_line,
            root,
            id_prefix,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Output {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub diagnostics: Vec<Diagnostic>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Converts `input` to HTML. Problems are returned in `Output::diagnostics`, never panics.
pub fn to_html(input: &Input<'_>, hooks: &dyn Hooks) -> Output {
    let lines = LineIndex::new(input.body, input.first_line);
    let mut out = Output::default();
    let mut events: Vec<Event<'_>> = Vec::with_capacity(256);
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut footnotes: HashMap<String, usize> = HashMap::new();

    // Pending heading: index of its Start event in `events` and its text so far.
    let mut heading: Option<(usize, HeadingLevel, String)> = None;
    // Pending fenced block: info string, body, first line.
    let mut fence: Option<(String, String, usize)> = None;

    for (event, range) in Parser::new_ext(input.body, options()).into_offset_iter() {
        if let Some((info, body, line)) = fence.as_mut() {
            match event {
                Event::Text(t) => body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (info, body, line) = (info.clone(), std::mem::take(body), *line);
                    fence = None;
                    match hooks.embed(&info, &body, line) {
                        Some(Ok(html)) => events.push(Event::Html(html.into())),
                        Some(Err(e)) => {
                            let mut d = Diagnostic::at(
                                input.file,
                                input.whole,
                                Position::new(e.line, 1),
                                e.message,
                            );
                            d.hint = e.hint;
                            out.diagnostics.push(d);
                        }
                        None => {
                            events.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(
                                info.into(),
                            ))));
                            events.push(Event::Text(body.into()));
                            events.push(Event::End(TagEnd::CodeBlock));
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let info = info.split_whitespace().next().unwrap_or("").to_string();
                fence = Some((info, String::new(), lines.line(range.start)));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some((events.len(), level, String::new()));
                events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, _, text)) = heading.take() {
                    let title = text.trim().to_string();
                    if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
                        let base = match id.as_deref() {
                            Some(explicit) => explicit.to_string(),
                            None => slugify(&title),
                        };
                        let unique = unique_id(&mut ids, &base);
                        let full = format!("{}{}", input.id_prefix, unique);
                        *id = Some(full.clone().into());
                        if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                            out.toc.push(TocEntry {
                                level: level as u8,
                                id: full,
                                title,
                            });
                        }
                    }
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = rewrite_link(&dest_url, input, hooks).unwrap_or_else(|msg| {
                    out.diagnostics.push(
                        Diagnostic::at(
                            input.file,
                            input.whole,
                            Position::new(lines.line(range.start), lines.column(range.start)),
                            msg.0,
                        )
                        .with_hint(msg.1),
                    );
                    dest_url.to_string()
                });
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                }));
            }
            Event::FootnoteReference(label) => {
                let n = footnote_number(&mut footnotes, &label);
                let slug = slugify(&label);
                events.push(Event::Html(
                    format!(
                        "<sup class=\"footnote-ref\"><a href=\"#{p}fn-{slug}\" id=\"{p}fnref-{slug}\">{n}</a></sup>",
                        p = input.id_prefix
                    )
                    .into(),
                ));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = footnote_number(&mut footnotes, &label);
                let slug = slugify(&label);
                events.push(Event::Html(
                    format!(
                        "<div class=\"footnote\" id=\"{p}fn-{slug}\"><a class=\"footnote-back\" href=\"#{p}fnref-{slug}\">{n}.</a>",
                        p = input.id_prefix
                    )
                    .into(),
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                events.push(Event::Html("</div>".into()));
            }
            Event::Start(Tag::Table(align)) => {
                events.push(Event::Html(
                    "<div class=\"table-scroll\" tabindex=\"0\">".into(),
                ));
                events.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html("</div>".into()));
            }
            Event::Text(t) => {
                if let Some((_, _, text)) = heading.as_mut() {
                    text.push_str(&t);
                }
                events.push(Event::Text(t));
            }
            Event::Code(t) => {
                if let Some((_, _, text)) = heading.as_mut() {
                    text.push_str(&t);
                }
                events.push(Event::Code(t));
            }
            other => events.push(other),
        }
    }
    if let Some((_, _, line)) = fence {
        out.diagnostics.push(Diagnostic::at(
            input.file,
            input.whole,
            Position::new(line, 1),
            "fenced block is never closed",
        ));
    }
    out.html.reserve(input.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out
}

/// Renders a short Markdown text (a label, a recommendation) without paragraphs or ids.
/// Raw HTML in the text is escaped: data labels are text, never markup.
pub fn inline_html(text: &str) -> String {
    let parser = Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH)
        .filter(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        })
        .map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
            other => other,
        });
    let mut html = String::with_capacity(text.len() + 16);
    pulldown_cmark::html::push_html(&mut html, parser);
    html.trim_end().to_string()
}

/// (message, hint) of a link that cannot be written.
struct LinkProblem(String, String);

fn rewrite_link(
    dest: &CowStr<'_>,
    input: &Input<'_>,
    hooks: &dyn Hooks,
) -> Result<String, LinkProblem> {
    if let Some(target) = dest.strip_prefix("@/") {
        let (path, fragment) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target, None),
        };
        let path = path.trim_end_matches('/');
        return match hooks.internal_href(path, fragment, input.root) {
            Some(href) => Ok(href),
            None => Err(LinkProblem(
                format!("internal link to `@/{target}`: no such page"),
                "write `@/<slug>` for a site page, `@/editions/<id>` or `@/editions/<id>/<slug>` for an edition".into(),
            )),
        };
    }
    if dest.starts_with('/') && !dest.starts_with("//") {
        return Err(LinkProblem(
            format!("link `{dest}` starts with `/`: it breaks offline and on mirrors"),
            "link to another page with `@/<slug>` or `@/editions/<id>/<slug>`".into(),
        ));
    }
    if dest.starts_with("//") {
        return Err(LinkProblem(
            format!("protocol-relative link `{dest}` does not work from a downloaded copy"),
            "write the full address with https://".into(),
        ));
    }
    Ok(dest.to_string())
}

fn footnote_number(map: &mut HashMap<String, usize>, label: &str) -> usize {
    let next = map.len() + 1;
    *map.entry(label.to_string()).or_insert(next)
}

fn unique_id(ids: &mut HashMap<String, usize>, base: &str) -> String {
    let count = ids.entry(base.to_string()).or_insert(0);
    *count += 1;
    if *count == 1 {
        base.to_string()
    } else {
        let id = format!("{base}-{}", *count - 1);
        // The numbered id could itself be taken by a heading: keep counting until free.
        if ids.contains_key(&id) {
            return unique_id(ids, &id);
        }
        ids.insert(id.clone(), 1);
        id
    }
}

/// A Unicode-aware slug: lower case letters and digits of any script, words joined by `-`.
/// Combining marks (French accents in decomposed form, Arabic harakat) and the Arabic tatweel
/// are dropped so that vocalised and unvocalised spellings give the same id. The `slug` crate
/// would transliterate Arabic to Latin gibberish, hence this function.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for ch in text.chars().flat_map(char::to_lowercase) {
        if is_combining_mark(ch) || ch == '\u{0640}' {
            continue;
        }
        if ch.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(ch);
        } else {
            pending_dash = true;
        }
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

fn is_combining_mark(ch: char) -> bool {
    matches!(ch,
        '\u{0300}'..='\u{036F}'   // combining diacritical marks (Latin)
        | '\u{0610}'..='\u{061A}' // Arabic signs
        | '\u{064B}'..='\u{065F}' // Arabic harakat, tanwin, shadda, sukun
        | '\u{0670}'              // superscript alef
        | '\u{06D6}'..='\u{06ED}' // Quranic annotation marks
        | '\u{200C}'..='\u{200F}' // joiners and direction marks
    )
}

/// Maps byte offsets of the body to lines and columns of the whole file.
struct LineIndex<'a> {
    body: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> LineIndex<'a> {
    fn new(body: &'a str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            body,
            starts,
            first_line,
        }
    }

    fn index(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    fn line(&self, offset: usize) -> usize {
        self.index(offset) + self.first_line
    }

    /// 1-based column in characters.
    fn column(&self, offset: usize) -> usize {
        let start = self.starts[self.index(offset)];
        let end = offset.min(self.body.len());
        self.body
            .get(start..end)
            .map_or(1, |s| s.chars().count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoHooks;
    impl Hooks for NoHooks {
        fn resolve_link(&self, target: &str) -> Option<String> {
            (target == "about").then(|| "fr/about/index.html".to_string())
        }
        fn embed(&self, info: &str, body: &str, line: usize) -> Option<Result<String, EmbedError>> {
            (info == "chart").then(|| {
                if body.contains("bad") {
                    Err(EmbedError {
                        line: line + 1,
                        message: "bad chart".into(),
                        hint: None,
                    })
                } else {
                    Ok("<figure>chart</figure>".into())
                }
            })
        }
    }

    fn convert(body: &str) -> Output {
        let whole = format!("---\ntitle: t\n---\n{body}");
        let input = Input {
            file: Path::new("p.fr.md"),
            whole: &whole,
            body,
            first_line: 4,
            root: "../../",
            id_prefix: "",
        };
        to_html(&input, &NoHooks)
    }

    #[test]
    fn arabic_and_french_heading_ids() {
        assert_eq!(slugify("Résultats de l'enquête"), "résultats-de-l-enquête");
        assert_eq!(slugify("نَتائِجُ الاستطلاع"), "نتائج-الاستطلاع");
        assert_eq!(slugify("التـــوصيات"), "التوصيات");
        assert_eq!(slugify("?!"), "section");
    }

    #[test]
    fn headings_get_unique_ids_and_toc() {
        let out = convert("## Objectifs\n\ntext\n\n## Objectifs\n\n### الأهداف\n");
        assert!(out.html.contains("<h2 id=\"objectifs\">"), "{}", out.html);
        assert!(out.html.contains("<h2 id=\"objectifs-1\">"), "{}", out.html);
        assert!(out.html.contains("<h3 id=\"الأهداف\">"), "{}", out.html);
        assert_eq!(out.toc.len(), 3);
        assert_eq!(out.toc[2].level, 3);
    }

    #[test]
    fn internal_links_are_relative_and_checked() {
        let out = convert("See [about](@/about#team).\n\nAnd [nowhere](@/nowhere).\n\n[abs](/x)\n");
        assert!(
            out.html.contains("href=\"../../fr/about/index.html#team\""),
            "{}",
            out.html
        );
        assert_eq!(out.diagnostics.len(), 2, "{:?}", out.diagnostics);
        assert_eq!(out.diagnostics[0].pos.line, 6);
        assert!(out.diagnostics[0].message.contains("@/nowhere"));
        assert_eq!(out.diagnostics[1].pos.line, 8);
    }

    #[test]
    fn footnotes_are_prefixed_and_numbered() {
        let out = convert("Text[^note].\n\n[^note]: The note.\n");
        assert!(out.html.contains("href=\"#fn-note\""), "{}", out.html);
        assert!(out.html.contains("id=\"fn-note\""), "{}", out.html);
    }

    #[test]
    fn embeds_and_their_errors_are_located() {
        let out = convert("Intro\n\n```chart\nindicator: x\n```\n\n```chart\nbad\n```\n");
        assert!(out.html.contains("<figure>chart</figure>"), "{}", out.html);
        assert_eq!(out.diagnostics.len(), 1);
        // The second block starts on body line 7 = file line 10; the hook adds one.
        assert_eq!(out.diagnostics[0].pos.line, 11);
    }

    #[test]
    fn tables_scroll_on_phones() {
        let out = convert("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(
            out.html
                .starts_with("<div class=\"table-scroll\" tabindex=\"0\"><table>"),
            "{}",
            out.html
        );
    }

    #[test]
    fn inline_markdown() {
        assert_eq!(
            inline_html("un *mot* & <b>"),
            "un <em>mot</em> &amp; &lt;b&gt;"
        );
    }
}
