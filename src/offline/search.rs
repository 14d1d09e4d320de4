//! The offline search index: one script per language, `<lang>/search-index.<lang>.js`, that
//! defines `window.barometreSearch[<lang>]`. The page loads it with a `<script>` element, not
//! with `fetch`, because browsers refuse `fetch` on `file://` (the reason Pagefind and
//! tinysearch do not work from a downloaded folder).
//!
//! Why a hand-written inverted index rather than elasticlunr-rs: elasticlunr's Arabic pipeline
//! stems and removes stop words but does not fold the spellings readers actually type (hamza
//! forms of alef, ta marbuta, alef maqsura, harakat, tatweel), and its JavaScript side would
//! have to repeat our folding anyway. The index here is tiny (title, headings, description and
//! the first words of each page), so a term → documents map matched by prefix is enough, and
//! both sides use the same [`normalize`] (mirrored in the theme's `search.js`).
//!
//! Format: `{"docs": [{"t": title, "u": url from the site root, "s": section (edition title),
//! "x": excerpt}], "terms": {"<normalised term>": [doc, score, doc, score…]}}`.

use std::collections::BTreeMap;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::model::{Page, Site};

/// Words of body text indexed per page (after the headings, which are all indexed).
const TEXT_WORDS: usize = 60;
/// Words of body text shown as the excerpt when the page has no description.
const EXCERPT_WORDS: usize = 24;

/// Weights of the fields: a word of the title counts more than a word of the text.
const W_TITLE: u32 = 8;
const W_HEADING: u32 = 4;
const W_DESCRIPTION: u32 = 3;
const W_TEXT: u32 = 1;

/// Folds what readers type differently for the same word, identically for the index and the
/// query (`search.js` implements the same rules; keep them in step):
/// lower case; French accents and ligatures (é → e, œ → oe); Arabic harakat, Quranic marks and
/// the superscript alef removed; tatweel removed; أ إ آ ٱ → ا; ة → ه; ى → ي; Arabic-Indic
/// digits → 0-9. Everything that is not a letter or a digit becomes a space.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        match ch {
            // Marks: combining Latin accents, Arabic harakat and signs, tatweel, joiners.
            '\u{0300}'..='\u{036F}'
            | '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06ED}'
            | '\u{0640}'
            | '\u{200C}'..='\u{200F}' => {}
            'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
            'ة' => out.push('ه'),
            'ى' => out.push('ي'),
            '٠'..='٩' => out.push(char::from(b'0' + (ch as u32 - '٠' as u32) as u8)),
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' | 'ì' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ÿ' | 'ý' => out.push('y'),
            'ñ' => out.push('n'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// The normalised words of `text` worth indexing (two characters or more).
pub fn terms(text: &str) -> Vec<String> {
    normalize(text)
        .split_whitespace()
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_string)
        .collect()
}

#[derive(Debug, Clone, Serialize)]
struct Doc {
    t: String,
    u: String,
    s: String,
    x: String,
}

#[derive(Default)]
struct Builder {
    docs: Vec<Doc>,
    terms: BTreeMap<String, BTreeMap<usize, u32>>,
}

impl Builder {
    fn add(&mut self, doc: Doc, fields: &[(&str, u32)]) {
        let id = self.docs.len();
        self.docs.push(doc);
        for (text, weight) in fields {
            for term in terms(text) {
                *self.terms.entry(term).or_default().entry(id).or_default() += weight;
            }
        }
    }

    fn into_json(self) -> serde_json::Value {
        let terms: BTreeMap<String, Vec<u32>> = self
            .terms
            .into_iter()
            .map(|(term, docs)| {
                let flat = docs
                    .into_iter()
                    .flat_map(|(d, s)| [d as u32, s.min(99)])
                    .collect();
                (term, flat)
            })
            .collect();
        serde_json::json!({ "docs": self.docs, "terms": terms })
    }
}

/// Headings and the first words of a Markdown body, code blocks left out.
struct Extract {
    headings: Vec<String>,
    words: Vec<String>,
}

fn extract(body: &str) -> Extract {
    let mut headings = Vec::new();
    let mut heading: Option<String> = None;
    let mut text = String::new();
    let mut in_code = false;
    let opts = pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_FOOTNOTES
        | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
        | pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES;
    for event in Parser::new_ext(body, opts) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_) | CodeBlockKind::Indented)) => {
                in_code = true;
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    headings.push(h.split_whitespace().collect::<Vec<_>>().join(" "));
                }
            }
            Event::Text(t) | Event::Code(t) if !in_code => match heading.as_mut() {
                Some(h) => h.push_str(&t),
                // Enough text for TEXT_WORDS words.
                None if text.len() < TEXT_WORDS * 24 => text.push_str(&t),
                None => {}
            },
            // Word boundaries: line breaks and the ends of blocks and cells.
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => match heading.as_mut() {
                Some(h) => h.push(' '),
                None => text.push(' '),
            },
            _ => {}
        }
    }
    Extract {
        headings,
        words: text
            .split_whitespace()
            .take(TEXT_WORDS)
            .map(str::to_string)
            .collect(),
    }
}

/// At most EXCERPT_WORDS words of `text`, with an ellipsis when cut.
fn excerpt<S: AsRef<str>>(words: &[S]) -> String {
    let mut x = words
        .iter()
        .take(EXCERPT_WORDS)
        .map(AsRef::as_ref)
        .collect::<Vec<&str>>()
        .join(" ");
    if words.len() > EXCERPT_WORDS {
        x.push('…');
    }
    x
}

fn short(text: &str) -> String {
    excerpt(&text.split_whitespace().collect::<Vec<_>>())
}

/// The index of `lang` as a script. `edition`: only that edition (for its package), else the
/// whole language (edition homes, edition pages, site pages).
pub fn index_js(site: &Site, lang: &str, edition: Option<usize>) -> String {
    let li = site
        .languages
        .iter()
        .position(|l| l.code == lang)
        .unwrap_or(0);
    let mut b = Builder::default();
    for (ei, ed) in site.editions.iter().enumerate() {
        if edition.is_some_and(|only| only != ei) {
            continue;
        }
        let title = site.localize(&ed.meta.title, lang).text;
        let summary = site.localize(&ed.meta.summary, lang).text;
        let figures: Vec<&str> = ed
            .meta
            .key_figures
            .iter()
            .map(|k| site.localize(&k.label, lang).text)
            .collect();
        let figures = figures.join(" ");
        b.add(
            Doc {
                t: title.to_string(),
                u: Site::url(lang, &ed.path),
                s: ed.meta.year.to_string(),
                x: short(summary),
            },
            &[
                (title, W_TITLE),
                (summary, W_DESCRIPTION),
                (&figures, W_TEXT),
            ],
        );
        for &pi in &ed.pages {
            add_page(&mut b, &site.pages[pi], li, lang, title);
        }
    }
    if edition.is_none() {
        for page in site.site_pages() {
            add_page(&mut b, page, li, lang, "");
        }
    }
    let json = b.into_json();
    let lang_json = serde_json::to_string(lang).unwrap_or_else(|_| "\"\"".into());
    format!(
        "// Search index of the {lang} pages, generated by barometre: loaded as a script so that it\n\
         // works from file://.\n\
         window.barometreSearch = window.barometreSearch || {{}};\n\
         window.barometreSearch[{lang_json}] = {json};\n"
    )
}

fn add_page(b: &mut Builder, page: &Page, li: usize, lang: &str, section: &str) {
    let Some(version) = page.versions.get(li) else {
        return;
    };
    let src = &version.source;
    let ex = extract(src.body());
    let description = src.front.description.clone().unwrap_or_default();
    let headings = ex.headings.join(" ");
    let text = ex.words.join(" ");
    b.add(
        Doc {
            t: src.front.title.clone(),
            u: Site::url(lang, &page.path),
            s: section.to_string(),
            x: if description.is_empty() {
                excerpt(&ex.words)
            } else {
                short(&description)
            },
        },
        &[
            (&src.front.title, W_TITLE),
            (&headings, W_HEADING),
            (&description, W_DESCRIPTION),
            (&text, W_TEXT),
        ],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_spellings_fold_together() {
        // Harakat and shadda, hamza forms, ta marbuta, alef maqsura, tatweel.
        assert_eq!(normalize("مُقَدِّمَة"), normalize("مقدمه"));
        assert_eq!(normalize("الأهداف"), "الاهداف");
        assert_eq!(normalize("إصدار آخر ٱلنص"), "اصدار اخر النص");
        assert_eq!(normalize("مستوى"), "مستوي");
        assert_eq!(normalize("التـــوصيات"), "التوصيات");
        assert_eq!(normalize("٢٠٢٣"), "2023");
    }

    #[test]
    fn french_accents_fold_and_punctuation_splits() {
        assert_eq!(normalize("Synthèse"), "synthese");
        assert_eq!(normalize("ÉCOLE Œuvre"), "ecole oeuvre");
        assert_eq!(
            terms("l’enquête, « Résultats »"),
            vec!["enquete", "resultats"]
        );
        // Decomposed accents (e + U+0301) give the same word as composed ones.
        assert_eq!(normalize("e\u{301}te\u{301}"), normalize("été"));
    }

    #[test]
    fn extract_skips_code_and_collects_headings() {
        let ex =
            extract("## Titre *un*\n\nTexte ici.\n\n```chart\nindicator: x\n```\n\n### Deux\n");
        assert_eq!(ex.headings, vec!["Titre un", "Deux"]);
        assert_eq!(ex.words, vec!["Texte", "ici."]);
    }
}
