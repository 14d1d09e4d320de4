//! The offline search index: per language a script, `<lang>/search-index.<lang>.js`, that
//! defines `window.barometreSearch[<lang>]` (and, for a large site, shards of it beside it,
//! loaded on demand). The page loads them with `<script>` elements, not with `fetch`, because
//! browsers refuse `fetch` on `file://` (the reason Pagefind and tinysearch do not work from a
//! downloaded folder).
//!
//! The index is built from the rendered pages as they pass ([`Search`] is a sink): what is
//! indexed is the full text a reader sees in a page's `<main>`, template sections included
//! ([`text`]), cut into sections at each heading or glossary term with an id, so a result opens
//! `page#anchor` and shows a snippet of that section. Words go through the same folding and
//! light stemming ([`stem`]) here and in the theme's `search.js`; [`index`] writes the terms,
//! the sections and the shards.
//!
//! Why a hand-written inverted index rather than elasticlunr-rs: elasticlunr's Arabic pipeline
//! stems and removes stop words but does not fold the spellings readers actually type (hamza
//! forms of alef, ta marbuta, alef maqsura, harakat, tatweel), and its JavaScript side would
//! have to repeat our folding anyway; it has no sections, snippets or shards either.
//!
//! Pages arrive from the rendering threads: each is read, tokenised and stemmed in
//! [`Sink::put`], outside any shared lock (a word cache per thread, a lock only to give a new
//! stem its number); `finish` sorts the pages by address, so the index does not depend on the
//! order they came in, and writes the languages in parallel.

pub(crate) mod index;
pub mod stem;
pub(crate) mod text;

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Mutex, RwLock};

use rayon::prelude::*;

use crate::error::Error;
use crate::model::Site;
use crate::render::{File, Kind, Output, paths::search_index_path};
use crate::write::Sink;
use index::IndexedPage;
use stem::Script;

/// Points of a stem in a section, by where it occurs: the page's title (top section), a
/// heading, the description (top section), and each occurrence in the text (up to three).
const W_TITLE: u8 = 8;
const W_HEADING: u8 = 4;
const W_DESCRIPTION: u8 = 3;
const MAX_TEXT: u8 = 3;

/// Characters of a section's text kept for its snippet (cut at a word): the terms of the whole
/// text are indexed.
const SNIPPET_CHARS: usize = 1200;

/// FxHash (the compiler's hash): the word cache hashes every word of every page.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// A word as it appears in a page, once stemmed: its script and its stems' numbers (the first
/// the stemmer's own reading).
#[derive(Clone)]
struct Word {
    script: Script,
    terms: Box<[u32]>,
}

/// Stems and their numbers, shared by every thread.
#[derive(Default)]
struct Interner {
    ids: FxMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

/// What is collected of one page.
struct Entry {
    lang: usize,
    edition: Option<usize>,
    page: IndexedPage,
    /// Words of Arabic and of Latin script in the page (for the language's script).
    scripts: [u32; 2],
}

/// The search index as a sink in front of `next`: it reads the pages a reader opens from the
/// navigation as they pass.
pub(crate) struct Search<'a> {
    next: &'a dyn Sink,
    /// The theme has a search box (`theme.yaml`): otherwise pages only pass.
    enabled: bool,
    /// By address (a page rendered again replaces its entry).
    entries: RwLock<FxMap<String, Entry>>,
    interner: RwLock<Interner>,
    /// One word cache per rendering thread (and one for the others).
    caches: Vec<Mutex<FxMap<Box<str>, Word>>>,
}

impl<'a> Search<'a> {
    pub(crate) fn new(next: &'a dyn Sink, enabled: bool) -> Self {
        Search {
            next,
            enabled,
            entries: RwLock::new(FxMap::default()),
            interner: RwLock::new(Interner::default()),
            caches: (0..=rayon::current_num_threads())
                .map(|_| Mutex::new(FxMap::default()))
                .collect(),
        }
    }

    /// Writes the index scripts of every language into the next sink, the languages in
    /// parallel, each script as soon as it is made.
    pub(crate) fn finish(&self, site: &Site) -> Result<(), Error> {
        (0..site.languages.len())
            .into_par_iter()
            .try_for_each(|li| {
                self.write_index(site, li, None, &mut |path, js| {
                    self.next.put(Output::File(File {
                        path: &path,
                        bytes: js.as_bytes(),
                        kind: Kind::Other,
                        source: None,
                    }))
                })
            })
    }

    /// The index scripts of language `li`, (path, script), the main one first, of that
    /// edition's pages only (for its package).
    pub(crate) fn index_files(
        &self,
        site: &Site,
        li: usize,
        edition: usize,
    ) -> Vec<(String, String)> {
        let mut files = Vec::new();
        // Collecting cannot fail.
        let _ = self.write_index(site, li, Some(edition), &mut |path, js| {
            files.push((path, js));
            Ok(())
        });
        files
    }

    /// Writes the index scripts of language `li` into `emit`. `edition`: only that edition's
    /// pages, else every page of the language.
    fn write_index(
        &self,
        site: &Site,
        li: usize,
        edition: Option<usize>,
        emit: &mut index::Emit<'_>,
    ) -> Result<(), Error> {
        // Read locks: the languages are written in parallel.
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let interner = self.interner.read().unwrap_or_else(|e| e.into_inner());
        let mut chosen: Vec<&Entry> = entries
            .values()
            .filter(|e| e.lang == li && (edition.is_none() || e.edition == edition))
            .collect();
        // Pages arrive in any order: sorted, the index is the same every time.
        chosen.sort_by(|a, b| a.page.url.cmp(&b.page.url));
        let lang = &site.languages[li].code;
        // Groups: the editions in the site's order (newest first), then the other pages.
        let mut groups: Vec<(Option<usize>, String)> = site
            .editions
            .iter()
            .enumerate()
            .filter(|(ei, _)| chosen.iter().any(|e| e.edition == Some(*ei)))
            .map(|(ei, ed)| {
                (
                    Some(ei),
                    site.localize(&ed.meta.title, lang).text.to_string(),
                )
            })
            .collect();
        if chosen.iter().any(|e| e.edition.is_none()) {
            groups.push((None, String::new()));
        }
        let pages = chosen
            .iter()
            .map(|e| {
                let g = groups
                    .iter()
                    .position(|(ed, _)| *ed == e.edition)
                    .unwrap_or(0);
                (&e.page, g)
            })
            .collect();
        let scripts = language_scripts(site, entries.values());
        let input = index::Input {
            lang,
            pages,
            groups: groups.into_iter().map(|(_, t)| t).collect(),
            names: &interner.names,
            script: scripts.get(lang).copied().unwrap_or(""),
            scripts: &scripts,
        };
        index::write(&input, &search_index_path(lang), index::LIMITS, emit)
    }

    /// The stems of a raw word, from this thread's cache or stemmed now.
    fn word<'c>(&self, cache: &'c mut FxMap<Box<str>, Word>, raw: &str) -> &'c Word {
        if !cache.contains_key(raw) {
            let normal = stem::normalize(raw);
            let normal = normal.trim();
            let word = if normal.chars().count() < stem::MIN_CHARS {
                Word {
                    script: Script::Other,
                    terms: Box::new([]),
                }
            } else {
                let forms = stem::forms(normal);
                let mut interner = self.interner.write().unwrap_or_else(|e| e.into_inner());
                let terms = forms
                    .iter()
                    .map(|f| interner.id(&f.stem))
                    .collect::<Vec<_>>()
                    .into_boxed_slice();
                Word {
                    script: stem::script(normal),
                    terms,
                }
            };
            // A bound on the cache's memory (a site of unique words).
            if cache.len() > 200_000 {
                cache.clear();
            }
            cache.insert(raw.into(), word);
        }
        &cache[raw]
    }

    /// Reads, tokenises and scores a rendered page.
    fn index_page(&self, url: &str, html: &str) -> (IndexedPage, [u32; 2]) {
        let page = text::read_page(html);
        let slot = rayon::current_thread_index()
            .unwrap_or(self.caches.len() - 1)
            .min(self.caches.len() - 1);
        let mut cache = self.caches[slot].lock().unwrap_or_else(|e| e.into_inner());
        // (term << 32 | section << 16 | field << 1 | other reading), sorted then merged.
        let mut hits: Vec<u64> = Vec::new();
        let mut scripts = [0u32; 2];
        let mut add = |text: &str, section: usize, field: u64, count: bool| {
            for raw in text.split(|c: char| !stem::is_word_char(c)) {
                if raw.is_empty() {
                    continue;
                }
                let word = self.word(&mut cache, raw);
                if count {
                    match word.script {
                        Script::Arabic => scripts[0] += 1,
                        Script::Latin => scripts[1] += 1,
                        Script::Other => {}
                    }
                }
                for (k, &t) in word.terms.iter().enumerate() {
                    let s = section.min(u16::MAX as usize) as u64;
                    hits.push(u64::from(t) << 32 | s << 16 | field << 1 | u64::from(k > 0));
                }
            }
        };
        for (si, s) in page.sections.iter().enumerate() {
            if si == 0 {
                add(&page.title, 0, FIELD_TITLE, true);
                add(&page.description, 0, FIELD_DESCRIPTION, false);
            }
            add(&s.heading, si, FIELD_HEADING, true);
            add(&s.text, si, FIELD_TEXT, true);
        }
        drop(cache);
        let postings = merge(hits);
        let sections = page
            .sections
            .into_iter()
            .map(|mut s| {
                s.text = cut(&s.text, SNIPPET_CHARS);
                s
            })
            .collect();
        let indexed = IndexedPage {
            url: url.to_string(),
            title: page.title,
            sections,
            postings,
        };
        (indexed, scripts)
    }
}

const FIELD_TEXT: u64 = 0;
const FIELD_DESCRIPTION: u64 = 1;
const FIELD_HEADING: u64 = 2;
const FIELD_TITLE: u64 = 3;

/// The hits of a page, sorted and summed per (term, section): a score of the fields it occurs
/// in; a stem of another reading of the word counts half.
fn merge(mut hits: Vec<u64>) -> Vec<(u32, u16, u8)> {
    hits.sort_unstable();
    let mut out: Vec<(u32, u16, u8)> = Vec::new();
    let mut i = 0;
    while i < hits.len() {
        let key = hits[i] >> 16;
        // Per reading (own, other): fields seen, text occurrences.
        let mut fields = [0u8; 2];
        let mut text = [0u8; 2];
        while i < hits.len() && hits[i] >> 16 == key {
            let other = (hits[i] & 1) as usize;
            let field = (hits[i] >> 1) & 0b11;
            if field == FIELD_TEXT {
                text[other] = text[other].saturating_add(1);
            } else {
                fields[other] |= 1 << field;
            }
            i += 1;
        }
        let score = |r: usize| {
            let f = fields[r];
            let mut s = text[r].min(MAX_TEXT);
            if f & (1 << FIELD_TITLE) != 0 {
                s += W_TITLE;
            }
            if f & (1 << FIELD_HEADING) != 0 {
                s += W_HEADING;
            }
            if f & (1 << FIELD_DESCRIPTION) != 0 {
                s += W_DESCRIPTION;
            }
            s
        };
        let best = score(0).max(score(1).div_ceil(2));
        out.push(((key >> 16) as u32, (key & 0xFFFF) as u16, best));
    }
    out
}

/// At most `max` characters of `text`, cut after a word, with an ellipsis when cut.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => {
            let end = text[..end].rfind(' ').unwrap_or(end);
            format!("{}…", &text[..end])
        }
    }
}

/// The script most words of each language are written in (its code → name).
fn language_scripts<'e>(
    site: &Site,
    entries: impl Iterator<Item = &'e Entry> + Clone,
) -> BTreeMap<String, &'static str> {
    site.languages
        .iter()
        .enumerate()
        .map(|(li, l)| {
            let [arabic, latin] = entries
                .clone()
                .filter(|e| e.lang == li)
                .fold([0u64; 2], |[a, b], e| {
                    [a + u64::from(e.scripts[0]), b + u64::from(e.scripts[1])]
                });
            let script = match (arabic, latin) {
                (0, 0) => Script::Other,
                (a, b) if a > b => Script::Arabic,
                _ => Script::Latin,
            };
            (l.code.clone(), script.name())
        })
        .collect()
}

impl Interner {
    fn id(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.ids.get(stem) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(stem.into());
        self.ids.insert(stem.into(), id);
        id
    }
}

impl Sink for Search<'_> {
    fn put(&self, output: Output<'_>) -> Result<(), Error> {
        if let Output::File(f) = &output
            && let Kind::Page { lang, edition } = f.kind
            && self.enabled
        {
            let text = match std::str::from_utf8(f.bytes) {
                Ok(t) => std::borrow::Cow::Borrowed(t),
                Err(_) => String::from_utf8_lossy(f.bytes),
            };
            let (page, scripts) = self.index_page(f.path, &text);
            let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
            entries.insert(
                f.path.to_string(),
                Entry {
                    lang,
                    edition,
                    page,
                    scripts,
                },
            );
        }
        self.next.put(output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_score_and_other_readings_count_half() {
        let hit = |t: u64, s: u64, field: u64, other: bool| {
            t << 32 | s << 16 | field << 1 | u64::from(other)
        };
        let hits = vec![
            hit(7, 0, FIELD_TITLE, false),
            hit(7, 0, FIELD_TEXT, false),
            hit(7, 0, FIELD_TEXT, false),
            hit(7, 2, FIELD_HEADING, false),
            hit(3, 1, FIELD_TEXT, false),
            hit(3, 1, FIELD_TEXT, false),
            hit(3, 1, FIELD_TEXT, false),
            hit(3, 1, FIELD_TEXT, false),
            hit(5, 1, FIELD_HEADING, true),
        ];
        assert_eq!(
            merge(hits),
            [(3, 1, 3), (5, 1, 2), (7, 0, W_TITLE + 2), (7, 2, W_HEADING)]
        );
    }

    #[test]
    fn snippets_are_cut_after_a_word() {
        assert_eq!(cut("un deux trois", 7), "un…");
        assert_eq!(cut("un deux", 7), "un deux");
        assert_eq!(cut("مرحبا بكم", 6), "مرحبا…");
    }
}
