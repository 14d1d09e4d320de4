//! The offline search index: one script per language, `<lang>/search-index.<lang>.js`, that
//! defines `window.barometreSearch[<lang>]`. The page loads it with a `<script>` element, not
//! with `fetch`, because browsers refuse `fetch` on `file://` (the reason Pagefind and
//! tinysearch do not work from a downloaded folder).
//!
//! The index is built from the rendered pages as they pass ([`Search`] is a sink): what is
//! indexed is what a reader sees in a page's `<main>`, template sections included.
//!
//! Why a hand-written inverted index rather than elasticlunr-rs: elasticlunr's Arabic pipeline
//! stems and removes stop words but does not fold the spellings readers actually type (hamza
//! forms of alef, ta marbuta, alef maqsura, harakat, tatweel), and its JavaScript side would
//! have to repeat our folding anyway. A term → documents map matched by prefix is enough, and
//! both sides use the same [`normalize`] (mirrored in the theme's `search.js`).
//!
//! Format: `{"docs": [{"t": title, "u": url from the site root, "s": section (edition title),
//! "x": excerpt}], "terms": {"<normalised term>": [doc, score, doc, score…]}}`.

use std::collections::BTreeMap;

use std::sync::Mutex;

use html5gum::{Token, Tokenizer};
use serde::Serialize;

use crate::error::Error;
use crate::model::Site;
use crate::render::{File, Kind, Output, paths::search_index_path};
use crate::write::Sink;

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

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
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
    excerpt(&words(text).collect::<Vec<_>>())
}

/// The words of a text as the page shows them: split at breakable spaces only, so the
/// no-break spaces of the typography (`Étude de cas\u{a0}: …`) stay in titles and excerpts.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}'))
        .filter(|w| !w.is_empty())
}

/// What the index keeps of a rendered page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct PageText {
    title: String,
    description: String,
    headings: Vec<String>,
    /// The first words of the text (TEXT_WORDS at most).
    words: Vec<String>,
}

/// Elements whose text is not the page's (scripts, drawings: a chart's numbers are in its
/// table).
const SKIPPED: &[&[u8]] = &[b"script", b"style", b"svg", b"template", b"noscript"];

/// The title (`h1`), description, headings and first words of the `<main>` of a page.
fn read_page(html: &str) -> PageText {
    let mut page = PageText::default();
    let mut in_main = 0usize;
    let mut skip = 0usize;
    let mut heading: Option<(u8, String)> = None;
    let mut text = String::new();
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.as_slice();
                if name == b"meta"
                    && tag
                        .attributes
                        .get(b"name".as_slice())
                        .map(|v| v.value.as_slice())
                        == Some(b"description")
                    && let Some(c) = tag.attributes.get(b"content".as_slice())
                {
                    page.description = String::from_utf8_lossy(&c.value).into_owned();
                }
                if name == b"main" {
                    in_main += 1;
                } else if SKIPPED.contains(&name) {
                    skip += 1;
                } else if in_main > 0 && matches!(name, b"h1" | b"h2" | b"h3") {
                    heading = Some((name[1] - b'0', String::new()));
                }
                if is_block(name) {
                    text.push(' ');
                }
            }
            Token::EndTag(tag) => {
                let name = tag.name.as_slice();
                if name == b"main" {
                    in_main = in_main.saturating_sub(1);
                } else if SKIPPED.contains(&name) {
                    skip = skip.saturating_sub(1);
                } else if matches!(name, b"h1" | b"h2" | b"h3")
                    && let Some((level, h)) = heading.take()
                {
                    let h = words(&h).collect::<Vec<_>>().join(" ");
                    if level == 1 && page.title.is_empty() {
                        page.title = h;
                    } else if level > 1 {
                        page.headings.push(h);
                    }
                }
                if is_block(name) {
                    text.push(' ');
                }
            }
            Token::String(s) if in_main > 0 && skip == 0 => match heading.as_mut() {
                Some((_, h)) => h.push_str(&String::from_utf8_lossy(&s)),
                None if text.len() < TEXT_WORDS * 24 => text.push_str(&String::from_utf8_lossy(&s)),
                None => {}
            },
            _ => {}
        }
    }
    page.words = words(&text).take(TEXT_WORDS).map(str::to_string).collect();
    page
}

fn is_block(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"li"
            | b"td"
            | b"th"
            | b"dt"
            | b"dd"
            | b"div"
            | b"section"
            | b"br"
            | b"figcaption"
            | b"blockquote"
    )
}

/// One indexed page: its language, edition, address and text.
#[derive(Debug, Clone)]
struct Entry {
    lang: usize,
    edition: Option<usize>,
    url: String,
    text: PageText,
}

/// The search index as a sink in front of `next`: it reads the pages a reader opens from the
/// navigation as they pass.
pub struct Search<'a> {
    next: &'a dyn Sink,
    entries: Mutex<Vec<Entry>>,
}

impl<'a> Search<'a> {
    pub fn new(next: &'a dyn Sink) -> Self {
        Search {
            next,
            entries: Mutex::new(Vec::new()),
        }
    }

    /// Writes the index script of every language into the next sink.
    pub fn finish(&self, site: &Site) -> Result<(), Error> {
        for (li, l) in site.languages.iter().enumerate() {
            let js = self.index_js(site, li, None);
            self.next.put(Output::File(File {
                path: &search_index_path(&l.code),
                bytes: js.as_bytes(),
                kind: Kind::Other,
                source: None,
            }))?;
        }
        Ok(())
    }

    /// The index of language `li` as a script. `edition`: only that edition's pages (for its
    /// package), else every page of the language.
    pub fn index_js(&self, site: &Site, li: usize, edition: Option<usize>) -> String {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let mut chosen: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.lang == li && (edition.is_none() || e.edition == edition))
            .collect();
        // Pages arrive in any order: sort for a deterministic index.
        chosen.sort_by(|a, b| a.url.cmp(&b.url));
        let lang = &site.languages[li].code;
        let mut b = Builder::default();
        for e in chosen {
            let section = match e.edition {
                Some(ei) => site
                    .localize(&site.editions[ei].meta.title, lang)
                    .text
                    .to_string(),
                None => String::new(),
            };
            let t = &e.text;
            let x = if t.description.is_empty() {
                excerpt(&t.words)
            } else {
                short(&t.description)
            };
            let headings = t.headings.join(" ");
            let words = t.words.join(" ");
            b.add(
                Doc {
                    t: t.title.clone(),
                    u: e.url.clone(),
                    s: section,
                    x,
                },
                &[
                    (&t.title, W_TITLE),
                    (&headings, W_HEADING),
                    (&t.description, W_DESCRIPTION),
                    (&words, W_TEXT),
                ],
            );
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
}

impl Sink for Search<'_> {
    fn put(&self, output: Output<'_>) -> Result<(), Error> {
        if let Output::File(f) = &output
            && let Kind::Page { lang, edition } = f.kind
        {
            let text = read_page(&String::from_utf8_lossy(f.bytes));
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            entries.retain(|e| e.url != f.path);
            entries.push(Entry {
                lang,
                edition,
                url: f.path.to_string(),
                text,
            });
        }
        self.next.put(output)
    }
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
    fn pages_are_read_from_their_html() {
        let html = "<html><head><title>T · S</title><meta name=\"description\" content=\"Une phrase.\"></head>\
            <body><nav>Menu</nav><main><h1>Titre</h1><p>Texte <em>ici</em>.</p><h2 id=a>Deux</h2>\
            <script>var x;</script><svg><text>18 %</text></svg><p>Fin</p></main><footer>pied</footer></body></html>";
        let p = read_page(html);
        assert_eq!(p.title, "Titre");
        assert_eq!(p.description, "Une phrase.");
        assert_eq!(p.headings, vec!["Deux"]);
        assert_eq!(p.words, vec!["Texte", "ici.", "Fin"]);
    }
}
