//! Markdown to HTML (pulldown-cmark) with what a report needs and CommonMark lacks: stable,
//! Unicode-aware heading ids (Arabic headings keep their letters), a table of contents, footnote
//! ids unique per page fragment, internal links (`@/…`) resolved to relative paths, and fenced
//! blocks (e.g. ```` ```chart ````) handed to an embedder. The page policy of
//! [`super::policy`] is applied here: raw HTML, dangerous addresses and external loads. Nesting
//! is limited (a list 10,000 levels deep is an error, not a crash). Errors carry the file line.
//!
//! The prose of the page follows its language ([`Prose`]): the typographic rules of
//! [`super::typography`] apply to text events only (not to code, addresses, image
//! descriptions or raw HTML), and in a right-to-left language a number whose digit groups are
//! split by a breakable space is reported (it would read backwards).

use std::collections::HashMap;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::policy;
use super::typography::{self, Flow, Prose};
use crate::error::{Diagnostic, Position, line_of};
use crate::load::schema::Typography;
use crate::validate::digits;

/// Deepest nesting of lists, quotes and other blocks a page may have: far beyond any report,
/// far below what an HTML parser (a browser's tree builder, our link check) handles.
pub const MAX_DEPTH: usize = 100;

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
    /// embed, render it as code. `line` is the block's first line.
    fn embed(&self, info: &str, body: &str, line: usize) -> Option<Result<String, EmbedError>>;

    /// Raw HTML is kept (`markdown.unsafe_html`), within the page policy.
    fn unsafe_html(&self) -> bool {
        false
    }
}

/// An error inside an embedded block.
#[derive(Debug, Clone)]
pub enum EmbedError {
    /// The block is wrong: the line (of the whole file) it concerns.
    Block {
        line: usize,
        message: String,
        hint: Option<String>,
    },
    /// Something outside the page failed while drawing it (a theme template): its own location.
    Located(Diagnostic),
}

/// A Markdown document to convert.
pub struct Input<'a> {
    /// The file it comes from, relative to the project root (for diagnostics).
    pub file: &'a Path,
    /// The Markdown body.
    pub body: &'a str,
    /// Line of the file where `body` starts.
    pub first_line: usize,
    /// Relative path from the page being written to the site root (`../../`).
    pub root: &'a str,
    /// Prefix for generated ids, so several fragments can share one HTML page.
    pub id_prefix: &'a str,
    /// How the text's language treats its prose.
    pub prose: Prose,
}

impl<'a> Input<'a> {
    /// The body of a page's source file, written into a page `root` away from the site root.
    pub fn of_page(
        src: &'a crate::load::PageSource,
        body: &'a str,
        root: &'a str,
        id_prefix: &'a str,
    ) -> Self {
        Input {
            file: &src.file,
            body,
            first_line: src.body_line,
            root,
            id_prefix,
            prose: Prose::default(),
        }
    }

    /// The same input, its prose treated as `prose` says.
    pub fn with_prose(self, prose: Prose) -> Self {
        Input { prose, ..self }
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
    let mut c = Converter {
        input,
        hooks,
        lines: LineIndex::new(input.body, input.first_line),
        out: Output::default(),
        events: Vec::with_capacity(256),
        ids: HashMap::new(),
        footnotes: HashMap::new(),
        heading: None,
        fence: None,
        raw: None,
        depth: 0,
        flow: Flow::default(),
        in_code: false,
        in_image: 0,
    };
    for (event, range) in Parser::new_ext(input.body, options()).into_offset_iter() {
        if !c.event(event, range.start) {
            // Too deep: the rest is not converted.
            return c.out;
        }
    }
    if let Some((_, _, line)) = c.fence.take() {
        let d = c.diag_at_line(line, "fenced block is never closed");
        c.out.diagnostics.push(d);
    }
    let mut out = c.out;
    out.html.reserve(input.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, c.events.into_iter());
    out
}

struct Converter<'a, 'i> {
    input: &'a Input<'i>,
    hooks: &'a dyn Hooks,
    lines: LineIndex<'i>,
    out: Output,
    events: Vec<Event<'i>>,
    ids: HashMap<String, usize>,
    footnotes: HashMap<String, usize>,
    /// Pending heading: index of its Start event in `events` and its text so far.
    heading: Option<(usize, String)>,
    /// Pending fenced block: info string, body, first line.
    fence: Option<(String, String, usize)>,
    /// Pending raw HTML block (with `unsafe_html`): its text and byte offset.
    raw: Option<(String, usize)>,
    depth: usize,
    /// What the text of the current block ends with, for the typographic rules.
    flow: Flow,
    /// Inside an indented code block.
    in_code: bool,
    /// Inside an image (its text is the `alt` attribute).
    in_image: usize,
}

impl<'i> Converter<'_, 'i> {
    /// A diagnostic at byte `offset` of the body.
    fn diag(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let pos = Position::new(self.lines.line(offset), self.lines.column(offset));
        self.diag_pos(pos, message)
    }

    fn diag_at_line(&self, line: usize, message: impl Into<String>) -> Diagnostic {
        self.diag_pos(Position::new(line, 1), message)
    }

    fn diag_pos(&self, pos: Position, message: impl Into<String>) -> Diagnostic {
        let mut d = Diagnostic::file(self.input.file, message);
        d.pos = pos;
        d.snippet = line_of(
            self.input.body,
            (pos.line + 1).saturating_sub(self.input.first_line),
        )
        .map(str::to_owned);
        d
    }

    /// Handles one event; `false` stops the conversion (nesting too deep).
    fn event(&mut self, event: Event<'i>, offset: usize) -> bool {
        if self.fence.is_some() {
            self.fenced(event);
            return true;
        }
        if self.raw.is_some() {
            match event {
                Event::Html(h) => {
                    if let Some((text, _)) = self.raw.as_mut() {
                        text.push_str(&h);
                    }
                    return true;
                }
                Event::End(TagEnd::HtmlBlock) => {
                    self.flush_raw();
                    return true;
                }
                _ => self.flush_raw(),
            }
        }
        match &event {
            Event::Start(tag) if !matches!(tag, Tag::HtmlBlock) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    let d = self.diag(offset, format!("blocks are nested more than {MAX_DEPTH} levels deep (lists in lists, quotes…)"))
                        .with_hint("a page this deep cannot be read: flatten the list");
                    self.out.diagnostics.push(d);
                    return false;
                }
            }
            Event::End(end) if !matches!(end, TagEnd::HtmlBlock) => {
                self.depth = self.depth.saturating_sub(1)
            }
            _ => {}
        }
        self.track(&event);
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let info = info.split_whitespace().next().unwrap_or("").to_string();
                self.fence = Some((info, String::new(), self.lines.line(offset)));
                self.depth -= 1;
            }
            Event::Start(Tag::HtmlBlock) => self.html_block_start(offset),
            Event::End(TagEnd::HtmlBlock) => self.events.push(Event::End(TagEnd::CodeBlock)),
            Event::Html(h) => self.events.push(Event::Text(h)),
            Event::InlineHtml(h) => self.inline_html(h, offset),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading = Some((self.events.len(), String::new()));
                // `## Title {onclick=…}`: Markdown attributes obey the raw-HTML policy (an
                // attribute refused is an error and is not published).
                let element = format!("{level}");
                let attrs = attrs
                    .into_iter()
                    .filter(|(k, v)| {
                        let key = k.to_ascii_lowercase();
                        let problems =
                            policy::attribute_problems(&element, &key, v.as_deref().unwrap_or(""));
                        for m in &problems {
                            let d = self
                                .diag(offset, format!("heading attribute: {m}"))
                                .with_hint("keep `{#id .class}` on headings");
                            self.out.diagnostics.push(d);
                        }
                        problems.is_empty()
                    })
                    .collect();
                self.events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => self.heading_end(level),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = self.link(dest_url, offset);
                self.events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match policy::url_problem(&dest_url, true) {
                    Some(m) => {
                        let d = self.diag(offset, format!("image `{dest_url}`: {m}"))
                            .with_hint("copy the image into the theme's static/ folder and link it relatively");
                        self.out.diagnostics.push(d);
                        CowStr::from("")
                    }
                    None => dest_url,
                };
                self.events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::FootnoteReference(label) => {
                let n = footnote_number(&mut self.footnotes, &label);
                let slug = slugify(&label);
                self.events.push(Event::Html(
                    format!(
                        "<sup class=\"footnote-ref\"><a href=\"#{p}fn-{slug}\" id=\"{p}fnref-{slug}\">{n}</a></sup>",
                        p = self.input.id_prefix
                    )
                    .into(),
                ));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = footnote_number(&mut self.footnotes, &label);
                let slug = slugify(&label);
                self.events.push(Event::Html(
                    format!(
                        "<div class=\"footnote\" id=\"{p}fn-{slug}\"><a class=\"footnote-back\" href=\"#{p}fnref-{slug}\">{n}.</a>",
                        p = self.input.id_prefix
                    )
                    .into(),
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.events.push(Event::Html("</div>".into()))
            }
            Event::Start(Tag::Table(align)) => {
                self.events.push(Event::Html(
                    "<div class=\"table-scroll\" tabindex=\"0\">".into(),
                ));
                self.events.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                self.events.push(Event::End(TagEnd::Table));
                self.events.push(Event::Html("</div>".into()));
            }
            Event::Text(t) => {
                let t = self.prose_text(t, offset);
                if let Some((_, text)) = self.heading.as_mut() {
                    text.push_str(&t);
                }
                self.events.push(Event::Text(t));
            }
            Event::Code(t) => {
                if let Some((_, text)) = self.heading.as_mut() {
                    text.push_str(&t);
                }
                self.flow.word();
                self.events.push(Event::Code(t));
            }
            Event::SoftBreak if self.flow.opened() => {
                // « at the end of a line: its narrow space is written, the break would follow it.
            }
            e @ (Event::SoftBreak | Event::HardBreak) => {
                self.flow.space();
                self.events.push(e);
            }
            other => self.events.push(other),
        }
        true
    }

    /// Tracks where prose is (blocks, code, images) for the typographic flow.
    fn track(&mut self, event: &Event<'i>) {
        match event {
            Event::Start(Tag::Image { .. }) => self.in_image += 1,
            Event::End(TagEnd::Image) => {
                self.in_image = self.in_image.saturating_sub(1);
                self.flow.word();
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            Event::FootnoteReference(_) => self.flow.word(),
            Event::Start(tag) if !is_inline(tag) => self.flow = Flow::default(),
            Event::End(end) if !is_inline_end(end) => self.flow = Flow::default(),
            _ => {}
        }
    }

    /// A text event of the body: its digit groups checked in a right-to-left language, the
    /// typographic rules applied (not in code or an image's description).
    fn prose_text(&mut self, t: CowStr<'i>, offset: usize) -> CowStr<'i> {
        if self.in_code || self.in_image > 0 {
            return t;
        }
        if let Some(severity) = self.input.prose.digit_groups {
            self.digit_groups(&t, offset, severity);
        }
        let rules = self.input.prose.typography;
        if let Some(glue) = typography::glue(rules, &t)
            && matches!(self.events.last(), Some(Event::SoftBreak))
        {
            self.events.pop();
            self.events.push(Event::Text(glue.into()));
            self.flow.space();
        }
        owned(typography::apply_flow(rules, &t, &mut self.flow)).map_or(t, CowStr::from)
    }

    /// Reports the numbers of `text` (a text event at byte `offset` of the body) that would
    /// read backwards.
    fn digit_groups(&mut self, text: &str, offset: usize, severity: crate::error::Severity) {
        let body = self.input.body;
        // A text borrowed from the body is located exactly; an unescaped one at its event.
        let base = (text.as_ptr() as usize)
            .checked_sub(body.as_ptr() as usize)
            .filter(|&b| b + text.len() <= body.len())
            .unwrap_or(offset);
        for r in digits::find(text) {
            let number = &text[r.clone()];
            let at = body
                .get(base..)
                .and_then(|rest| rest.find(number))
                .map_or(base, |i| base + i);
            let (message, hint) = digits::explain(number);
            let line = self.lines.line(at);
            let d = self
                .diag(at, message)
                .with_hint(hint)
                .grouped(digits::KIND, format!("line {line}"));
            self.out
                .diagnostics
                .push(digits::with_severity(d, severity));
        }
    }

    /// Inside a fenced block: collect its text, then hand it to the embedder.
    fn fenced(&mut self, event: Event<'i>) {
        let Some((_, body, _)) = self.fence.as_mut() else {
            return;
        };
        match event {
            Event::Text(t) => body.push_str(&t),
            Event::End(TagEnd::CodeBlock) => {
                let Some((info, body, line)) = self.fence.take() else {
                    return;
                };
                match self.hooks.embed(&info, &body, line) {
                    Some(Ok(html)) => self.events.push(Event::Html(html.into())),
                    Some(Err(EmbedError::Block {
                        line,
                        message,
                        hint,
                    })) => {
                        let mut d = self.diag_at_line(line, message);
                        d.hint = hint;
                        self.out.diagnostics.push(d);
                    }
                    Some(Err(EmbedError::Located(d))) => self.out.diagnostics.push(d),
                    None => {
                        self.events
                            .push(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(
                                info.into(),
                            ))));
                        self.events.push(Event::Text(body.into()));
                        self.events.push(Event::End(TagEnd::CodeBlock));
                    }
                }
            }
            _ => {}
        }
    }

    fn raw_html_off(&mut self, offset: usize) {
        let line = self.lines.line(offset);
        let d = self
            .diag(offset, "raw HTML is shown as text: `markdown.unsafe_html` is off in site.yaml")
            .with_hint("write Markdown instead, or set `markdown: {unsafe_html: true}` in site.yaml (scripts and external loads stay refused)")
            .warning()
            .grouped("raw HTML shown as text", format!("line {line}"));
        self.out.diagnostics.push(d);
    }

    fn html_block_start(&mut self, offset: usize) {
        if self.hooks.unsafe_html() {
            self.raw = Some((String::new(), offset));
        } else {
            // Shown as the source it is, in a code block.
            self.raw_html_off(offset);
            self.events
                .push(Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)));
        }
    }

    /// Checks and keeps a raw HTML block (with `unsafe_html`).
    fn flush_raw(&mut self) {
        let Some((text, offset)) = self.raw.take() else {
            return;
        };
        let problems = policy::check_raw_html(&text);
        for p in &problems {
            let d = self.diag(offset + p.offset, p.message.clone());
            self.out.diagnostics.push(d);
        }
        if problems.is_empty() {
            self.events.push(Event::Html(text.into()));
        }
    }

    fn inline_html(&mut self, h: CowStr<'i>, offset: usize) {
        if !self.hooks.unsafe_html() {
            self.raw_html_off(offset);
            self.events.push(Event::Text(h));
            return;
        }
        let problems = policy::check_raw_html(&h);
        for p in &problems {
            let d = self.diag(offset + p.offset, p.message.clone());
            self.out.diagnostics.push(d);
        }
        if problems.is_empty() {
            self.events.push(Event::InlineHtml(h));
        }
    }

    fn heading_end(&mut self, level: HeadingLevel) {
        if let Some((start, text)) = self.heading.take() {
            let title = text.trim().to_string();
            if let Event::Start(Tag::Heading { id, .. }) = &mut self.events[start] {
                let base = match id.as_deref() {
                    Some(explicit) => explicit.to_string(),
                    None => slugify(&title),
                };
                let unique = unique_id(&mut self.ids, &base);
                let full = format!("{}{}", self.input.id_prefix, unique);
                *id = Some(full.clone().into());
                if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                    self.out.toc.push(TocEntry {
                        level: level as u8,
                        id: full,
                        title,
                    });
                }
            }
        }
        self.events.push(Event::End(TagEnd::Heading(level)));
    }

    /// The `href` written for a Markdown link; problems are reported and the link kept as is.
    fn link(&mut self, dest: CowStr<'i>, offset: usize) -> CowStr<'i> {
        let problem = if let Some(target) = dest.strip_prefix("@/") {
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (target, None),
            };
            let path = path.trim_end_matches('/');
            match self.hooks.internal_href(path, fragment, self.input.root) {
                Some(href) => return href.into(),
                None => (
                    format!("internal link to `@/{target}`: no such page"),
                    "write `@/<slug>` for a site page, `@/editions/<id>` or `@/editions/<id>/<slug>` for an edition",
                ),
            }
        } else if dest.starts_with("//") {
            (
                format!("protocol-relative link `{dest}` does not work from a downloaded copy"),
                "write the full address with https://",
            )
        } else if dest.starts_with('/') {
            (
                format!("link `{dest}` starts with `/`: it breaks offline and on mirrors"),
                "link to another page with `@/<slug>` or `@/editions/<id>/<slug>`",
            )
        } else if let Some(m) = policy::url_problem(&dest, false) {
            (
                format!("link: {m}"),
                "link to a page with `@/<slug>`, or to a site with https://",
            )
        } else {
            return dest;
        };
        let d = self.diag(offset, problem.0).with_hint(problem.1);
        self.out.diagnostics.push(d);
        // A refused address is not published.
        "#".into()
    }
}

/// Renders a short Markdown text (a label, a recommendation) without paragraphs or ids.
/// Raw HTML in the text is escaped: data labels are text, never markup.
pub fn inline_html(text: &str) -> String {
    inline_html_with(text, Typography::None)
}

/// [`inline_html`], with the typographic rules `rules` applied to the text.
pub fn inline_html_with(text: &str, rules: Typography) -> String {
    let mut flow = Flow::default();
    let mut in_image = 0usize;
    let parser = Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH)
        .filter(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        })
        .map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
            Event::Text(t) if in_image == 0 => Event::Text(
                owned(typography::apply_flow(rules, &t, &mut flow)).map_or(t, CowStr::from),
            ),
            Event::Code(c) => {
                flow.word();
                Event::Code(c)
            }
            Event::SoftBreak => {
                flow.space();
                Event::SoftBreak
            }
            other => {
                match &other {
                    Event::Start(Tag::Image { .. }) => in_image += 1,
                    Event::End(TagEnd::Image) => {
                        in_image = in_image.saturating_sub(1);
                        flow.word();
                    }
                    _ => {}
                }
                other
            }
        });
    let mut html = String::with_capacity(text.len() + 16);
    pulldown_cmark::html::push_html(&mut html, parser);
    html.trim_end().to_string()
}

/// The new text when a rule changed it.
fn owned(text: std::borrow::Cow<'_, str>) -> Option<String> {
    match text {
        std::borrow::Cow::Owned(s) => Some(s),
        std::borrow::Cow::Borrowed(_) => None,
    }
}

/// Tags inside a block's text: the typographic flow goes on through them.
fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
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
                    Err(EmbedError::Block {
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
        let input = Input {
            file: Path::new("p.fr.md"),
            body,
            first_line: 4,
            root: "../../",
            id_prefix: "",
            prose: Prose::default(),
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
    fn heading_attributes_obey_the_policy() {
        // Found by the `page` fuzz target: `{ont}` on a heading published `<h2 ont>`.
        let out = convert(
            "## Titre {#t .c onclick=alert(1) style=\"background:url(http://x/p)\" lang=fr}\n",
        );
        assert!(
            out.html
                .starts_with("<h2 id=\"t\" class=\"c\" lang=\"fr\">"),
            "{}",
            out.html
        );
        assert_eq!(out.diagnostics.len(), 2, "{:?}", out.diagnostics);
        assert!(out.diagnostics.iter().all(Diagnostic::is_error));
        assert_eq!(out.diagnostics[0].pos.line, 4);
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

    struct UnsafeHooks;
    impl Hooks for UnsafeHooks {
        fn resolve_link(&self, _: &str) -> Option<String> {
            None
        }
        fn embed(&self, _: &str, _: &str, _: usize) -> Option<Result<String, EmbedError>> {
            None
        }
        fn unsafe_html(&self) -> bool {
            true
        }
    }

    #[test]
    fn raw_html_is_text_unless_allowed_and_never_a_script() {
        let out = convert("Text <b>bold</b>.\n\n<div>\n<script>alert(1)</script>\n</div>\n");
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(out.html.contains("&lt;b&gt;bold&lt;/b&gt;"), "{}", out.html);
        assert!(out.diagnostics.iter().all(|d| !d.is_error()));
        assert_eq!(out.diagnostics[0].pos.line, 4, "{:?}", out.diagnostics);
        let input = Input {
            file: Path::new("p.fr.md"),
            body: "Text <b>bold</b>.\n\n<div>\n<script>alert(1)</script>\n</div>\n\n<img src=x onerror=alert(1)>\n",
            first_line: 4,
            root: "",
            id_prefix: "",
            prose: Prose::default(),
        };
        let out = to_html(&input, &UnsafeHooks);
        assert!(out.html.contains("<b>bold</b>"), "{}", out.html);
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(!out.html.contains("onerror"), "{}", out.html);
        let errors: Vec<&Diagnostic> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].pos.line, 7, "{}", errors[0]);
        assert_eq!(errors[1].pos.line, 10, "{}", errors[1]);
    }

    #[test]
    fn dangerous_links_and_external_images_are_errors() {
        let out = convert(
            "[x](javascript:alert(1)) [d](data:text/html,hi)\n\n![t](http://tracker.example/p.gif)\n\n[ok](https://example.org)\n",
        );
        assert!(!out.html.contains("javascript:"), "{}", out.html);
        assert!(!out.html.contains("data:text"), "{}", out.html);
        assert!(out.html.contains("https://example.org"));
        let lines: Vec<usize> = out.diagnostics.iter().map(|d| d.pos.line).collect();
        assert_eq!(lines, vec![4, 4, 6], "{:?}", out.diagnostics);
    }

    #[test]
    fn deep_nesting_is_a_located_error_not_a_crash() {
        let deep = "- ".repeat(10_000) + "x\n";
        let out = convert(&deep);
        assert_eq!(out.diagnostics.len(), 1);
        assert!(out.diagnostics[0].message.contains("nested more than"));
        assert_eq!(out.diagnostics[0].pos.line, 4);
        let indented: String = (0..2_000)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect();
        let out = convert(&indented);
        assert!(
            out.diagnostics[0].message.contains("nested more than"),
            "{:?}",
            out.diagnostics
        );
        let quotes = "> ".repeat(5_000) + "x\n";
        assert_eq!(convert(&quotes).diagnostics.len(), 1);
    }
}
