//! What the index reads of a rendered page: the text a reader sees in its `<main>` (template
//! sections included), cut into sections at every heading or glossary term that carries an
//! `id`, so that a result opens `page#anchor`.
//!
//! Left out: navigation inside `<main>` (a table of contents repeats the headings, a pager
//! names other pages), scripts, styles and drawings (a chart's numbers are in its table).

use crate::syntax::scan::{self, Event, Tag};

/// A part of a page that a result can open: the top of the page (`anchor` empty), or what
/// follows a heading or a term with an id, up to the next one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Section {
    pub anchor: String,
    pub heading: String,
    pub text: String,
    /// The `lang` and `dir` around the section's text when an element sets them (the text of
    /// a missing translation, shown in its own language).
    pub lang: Option<String>,
    pub dir: Option<String>,
}

/// The title (`h1`), description and sections of a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageText {
    pub title: String,
    pub description: String,
    /// The top of the page first, always present.
    pub sections: Vec<Section>,
}

/// Elements whose content is not the page's own text.
const SKIPPED: &[&[u8]] = &[
    b"script",
    b"style",
    b"svg",
    b"math",
    b"template",
    b"noscript",
    b"nav",
];

/// Elements inside a word's run of text; every other tag separates words (templates set
/// `<span>`s side by side, as a chapter's number and title).
const INLINE: &[&[u8]] = &[
    b"a", b"abbr", b"b", b"bdi", b"bdo", b"cite", b"code", b"data", b"del", b"dfn", b"em", b"i",
    b"ins", b"kbd", b"mark", b"q", b"s", b"samp", b"small", b"strong", b"sub", b"sup", b"time",
    b"u", b"var", b"wbr",
];

/// Elements whose end tag may be left out: their `lang`/`dir` is not followed (it could not
/// be closed reliably without building the tree).
const OPTIONAL_END: &[&[u8]] = &[
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"thead",
    b"tbody",
    b"tfoot",
    b"option",
    b"optgroup",
    b"rt",
    b"rp",
    b"colgroup",
    b"caption",
    b"html",
    b"head",
    b"body",
];

const VOID: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
    b"source", b"track", b"wbr",
];

/// A heading or term being read: its level (0 for `dt`) and id.
struct Open {
    name: Vec<u8>,
    id: Option<String>,
    text: String,
}

#[derive(Default)]
struct Reader {
    page: PageText,
    skip: usize,
    heading: Option<Open>,
    /// Elements that set `lang` or `dir`, innermost last: (name, lang, dir).
    scopes: Vec<(Vec<u8>, Option<String>, Option<String>)>,
    /// The current section's text has started (its lang/dir are set).
    started: bool,
}

fn attr(tag: &Tag<'_>, name: &str) -> Option<String> {
    tag.attr(name).map(std::borrow::Cow::into_owned)
}

impl Reader {
    fn current(&mut self) -> &mut Section {
        self.page.sections.last_mut().expect("the top section")
    }

    fn start(&mut self, tag: &Tag<'_>) {
        let name = tag.name.as_bytes();
        if self.skip > 0 || SKIPPED.contains(&name) {
            if SKIPPED.contains(&name) && !tag.self_closing() {
                self.skip += 1;
            }
            return;
        }
        if !INLINE.contains(&name) {
            self.space();
        }
        // A `dt` or `dd` ends an open term whose end tag was left out.
        if matches!(name, b"dt" | b"dd") && self.heading.as_ref().is_some_and(|h| h.name == b"dt") {
            self.close_heading();
        }
        let lang = attr(tag, "lang");
        let dir = attr(tag, "dir");
        if (lang.is_some() || dir.is_some())
            && !tag.self_closing()
            && !OPTIONAL_END.contains(&name)
            && !VOID.contains(&name)
        {
            self.scopes.push((name.to_vec(), lang, dir));
        }
        if matches!(name, b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" | b"dt") {
            self.close_heading();
            self.heading = Some(Open {
                name: name.to_vec(),
                id: attr(tag, "id").filter(|id| !id.is_empty()),
                text: String::new(),
            });
        }
    }

    fn end(&mut self, name: &[u8]) {
        if self.skip > 0 {
            if SKIPPED.contains(&name) {
                self.skip -= 1;
            }
            return;
        }
        if self.heading.as_ref().is_some_and(|h| h.name == name) || (name == b"dl") {
            self.close_heading();
        }
        if self.scopes.last().is_some_and(|(n, _, _)| n == name) {
            self.scopes.pop();
        }
        if !INLINE.contains(&name) {
            self.space();
        }
    }

    /// A heading's end: the page's title, a new section (with an id), or text of the current
    /// section (without).
    fn close_heading(&mut self) {
        let Some(open) = self.heading.take() else {
            return;
        };
        let text = collapse(&open.text);
        match open.id {
            _ if open.name == b"h1" && self.page.title.is_empty() => self.page.title = text,
            Some(id) if open.name != b"h1" => {
                self.page.sections.push(Section {
                    anchor: id,
                    heading: text,
                    ..Section::default()
                });
                self.started = false;
            }
            _ => {
                self.text(&text);
                self.space();
            }
        }
    }

    fn text(&mut self, s: &str) {
        if self.skip > 0 {
            return;
        }
        if let Some(h) = self.heading.as_mut() {
            h.text.push_str(s);
            return;
        }
        if !self.started && !s.trim().is_empty() {
            self.started = true;
            let lang = self.scopes.iter().rev().find_map(|(_, l, _)| l.clone());
            let dir = self.scopes.iter().rev().find_map(|(_, _, d)| d.clone());
            let section = self.current();
            section.lang = lang;
            section.dir = dir;
        }
        self.current().text.push_str(s);
    }

    fn space(&mut self) {
        if let Some(h) = self.heading.as_mut() {
            h.text.push(' ');
        } else if self.skip == 0 {
            self.current().text.push(' ');
        }
    }
}

/// Words separated by single spaces. Split at breakable spaces only, so the no-break spaces
/// of the typography (`Étude de cas\u{a0}: …`) stay in titles and snippets as the page shows
/// them (terms are unchanged: `normalize` folds every non-letter to a space).
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let words = s
        .split(|c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}'))
        .filter(|w| !w.is_empty());
    for w in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The description of the page's `<head>`.
fn description(head: &str) -> String {
    let mut out = String::new();
    scan::scan(head.as_bytes(), |e| {
        if let Event::Start(tag) = e
            && out.is_empty()
            && tag.name == "meta"
            && tag.attr("name").as_deref() == Some("description")
        {
            out = attr(&tag, "content")
                .map(|c| collapse(&c))
                .unwrap_or_default();
        }
    });
    out
}

/// Reads a rendered page: the description from its head, the rest from its `<main>` (from its
/// `<body>` when it has no `<main>`).
pub(crate) fn read_page(html: &str) -> PageText {
    let head_end = html.find("</head>").unwrap_or(0);
    let (from, to) = match (html.find("<main"), html.rfind("</main>")) {
        (Some(a), Some(b)) if a < b => (a, b),
        _ => (head_end, html.len()),
    };
    let mut r = Reader::default();
    r.page.description = description(&html[..head_end]);
    r.page.sections.push(Section::default());
    scan::scan(&html.as_bytes()[from..to], |e| match e {
        Event::Start(tag) => r.start(&tag),
        Event::End(name) => r.end(name.as_bytes()),
        Event::Text(s) => r.text(&scan::decode(&scan::utf8(s))),
    });
    r.close_heading();
    let mut page = r.page;
    for s in &mut page.sections {
        s.text = collapse(&s.text);
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_start_at_headings_and_terms_with_ids() {
        let html = "<html><head><title>T · S</title><meta name=\"description\" content=\"Une  phrase.\"></head>\
            <body><nav>Menu</nav><main><h1>Titre</h1><p>Texte <em>ici</em>.</p>\
            <nav class=toc><h2 id=toc-title>Sur cette page</h2><a href=#a>Deux</a></nav>\
            <h2 id=a>Deux</h2><p>Un<br>mot</p><script>var x = '<p>';</script><svg><text>18 %</text></svg>\
            <h3>Sans ancre</h3><p>Fin</p><svg/><dl><dt id=ess>ESS<dd>Économie sociale<dt id=rse>RSE</dt><dd>Responsabilité</dd></dl>\
            </main><footer>pied</footer></body></html>";
        let p = read_page(html);
        assert_eq!(p.title, "Titre");
        assert_eq!(p.description, "Une phrase.");
        let got: Vec<(&str, &str, &str)> = p
            .sections
            .iter()
            .map(|s| (s.anchor.as_str(), s.heading.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("", "", "Texte ici."),
                ("a", "Deux", "Un mot Sans ancre Fin"),
                ("ess", "ESS", "Économie sociale"),
                ("rse", "RSE", "Responsabilité"),
            ]
        );
    }

    #[test]
    fn a_section_keeps_the_language_of_its_text() {
        let html = "<html lang=ar dir=rtl><head></head><body><main><h1>عنوان</h1>\
            <div class=prose lang=fr dir=ltr><p class=notice>ملاحظة <span lang=fr dir=ltr>Français</span></p>\
            <h2 id=x>Titre</h2><p>Texte</p></div><h2 id=y>عربي</h2><p>نص</p></main></body></html>";
        let p = read_page(html);
        assert_eq!(p.sections[0].dir.as_deref(), Some("ltr"));
        assert_eq!(p.sections[1].lang.as_deref(), Some("fr"));
        assert_eq!(p.sections[1].text, "Texte");
        assert_eq!(p.sections[2].anchor, "y");
        assert_eq!(p.sections[2].dir, None);
    }
}
