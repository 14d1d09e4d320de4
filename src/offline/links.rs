//! The offline link check of a built site: every `href` and `src` of every page, and every
//! `url(…)` of every stylesheet, must be relative and resolve to a file of the site (so the
//! site browses from `file://` and from any sub-path), and a `#fragment` must name an id of its
//! target page. External links (`https://…`) are allowed, except to the site's own `base_url`;
//! `<link rel="canonical">` is the one tag that may name the main site.
//!
//! [`LinkCheck`] checks the files as they are rendered, in memory (`build`, `check` and
//! `serve` all run it, so they reach the same verdict); [`check_dir`] checks a folder on disk.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use walkdir::WalkDir;

use crate::error::{Diagnostic, Diagnostics, Error};
use crate::render::Output;
use crate::write::Sink;

/// One broken reference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The page (path relative to the site root) holding the reference.
    pub page: String,
    pub target: String,
    pub why: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: `{}`: {}", self.page, self.target, self.why)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: usize,
    pub pages: usize,
    pub links: usize,
    pub problems: Vec<Problem>,
}

#[derive(Default)]
struct Page {
    ids: BTreeSet<String>,
    refs: Vec<(String, bool)>, // (target, is_canonical)
}

/// The files of a folder on disk, and the ids and references of its pages and stylesheets
/// ([`check_dir`]).
#[derive(Default)]
struct Seen {
    files: BTreeSet<String>,
    pages: BTreeMap<String, Page>,
    styles: BTreeMap<String, Vec<String>>,
}

impl Seen {
    fn add(&mut self, path: &str, bytes: &[u8]) -> (Option<Page>, Option<Vec<String>>) {
        self.files.insert(path.to_string());
        if path.ends_with(".html") {
            (Some(scan_html(bytes)), None)
        } else if path.ends_with(".css") {
            (None, Some(css_urls(&String::from_utf8_lossy(bytes))))
        } else {
            (None, None)
        }
    }

    fn report(&self, base_url: Option<&str>) -> Report {
        let mut report = Report {
            files: self.files.len(),
            pages: self.pages.len(),
            ..Report::default()
        };
        let refs: Vec<(&String, &str, bool)> = self
            .pages
            .iter()
            .flat_map(|(p, page)| page.refs.iter().map(move |r| (p, r.0.as_str(), r.1)))
            .chain(
                self.styles
                    .iter()
                    .flat_map(|(p, urls)| urls.iter().map(move |u| (p, u.as_str(), false))),
            )
            .collect();
        report.links = refs.len();
        use rayon::prelude::*;
        report.problems = refs
            .par_iter()
            .filter_map(|&(from, target, canonical)| {
                check_one(
                    from,
                    target,
                    canonical,
                    base_url,
                    &|f| self.files.contains(f),
                    &|p, id| self.pages.get(p).map(|page| page.ids.contains(id)),
                )
                .map(|why| Problem {
                    page: from.clone(),
                    target: target.to_string(),
                    why,
                })
            })
            .collect();
        report.problems.sort();
        report
    }
}

/// Strings of the pages' ids and references, each kept once (the navigation of 20,000 pages
/// repeats the same addresses): the text in one arena, found again by its hash, with the
/// strings of equal hash chained.
#[derive(Default)]
struct Interner {
    arena: String,
    /// Start, length and the next string of the same hash (`u32::MAX`: none).
    spans: Vec<(u32, u32, u32)>,
    /// Hash of a string → the last string with that hash.
    index: std::collections::HashMap<u64, u32>,
}

impl Interner {
    fn hash(s: &str) -> u64 {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        BuildHasherDefault::<DefaultHasher>::default().hash_one(s)
    }

    fn get(&self, i: u32) -> &str {
        let (start, len, _) = self.spans[i as usize];
        &self.arena[start as usize..(start + len) as usize]
    }

    fn find(&self, s: &str) -> Option<u32> {
        let mut i = *self.index.get(&Self::hash(s))?;
        loop {
            if self.get(i) == s {
                return Some(i);
            }
            i = self.spans[i as usize].2;
            if i == u32::MAX {
                return None;
            }
        }
    }

    fn id(&mut self, s: &str) -> u32 {
        if let Some(i) = self.find(s) {
            return i;
        }
        let i = self.spans.len() as u32;
        let h = Self::hash(s);
        let next = self.index.get(&h).copied().unwrap_or(u32::MAX);
        self.spans
            .push((self.arena.len() as u32, s.len() as u32, next));
        self.arena.push_str(s);
        self.index.insert(h, i);
        i
    }
}

/// A page as the sink keeps it: its path, and ranges of interned ids (sorted) and references
/// (the canonical flag in the top bit) in its shard's `numbers`. Everything a page keeps lives
/// in a few growing buffers per shard: 20,000 pages' small allocations, mixed with those of
/// rendering, kept a third of the memory of a build out of reach.
struct Kept {
    path: u32,
    ids: (u32, u32),
    refs: (u32, u32),
    /// The Markdown file the page comes from (interned), or `u32::MAX`.
    source: u32,
}

const CANONICAL: u32 = 1 << 31;

/// One part of what the sink has seen: pages are spread over shards by path, so the threads
/// that render them rarely wait for each other.
#[derive(Default)]
struct Shard {
    strings: Interner,
    numbers: Vec<u32>,
    /// Every file (interned paths).
    files: Vec<u32>,
    pages: Vec<Kept>,
    styles: Vec<(String, Vec<String>)>,
}

impl Shard {
    fn slice(&self, (start, len): (u32, u32)) -> &[u32] {
        &self.numbers[start as usize..(start + len) as usize]
    }
}

const SHARDS: usize = 16;

/// The link check as a sink in front of `next`: every file passes on unchanged.
pub(crate) struct LinkCheck<'a> {
    next: &'a dyn Sink,
    shards: Vec<Mutex<Shard>>,
}

impl<'a> LinkCheck<'a> {
    pub(crate) fn new(next: &'a dyn Sink) -> Self {
        LinkCheck {
            next,
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
        }
    }

    fn shard(&self, path: &str) -> std::sync::MutexGuard<'_, Shard> {
        let h = Interner::hash(path) as usize;
        self.shards[h % SHARDS]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The problems found among every file seen, as errors naming the page (and its source).
    pub(crate) fn finish(&self, base_url: Option<&str>) -> (Report, Diagnostics) {
        let shards: Vec<std::sync::MutexGuard<'_, Shard>> = self
            .shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|e| e.into_inner()))
            .collect();
        let files: std::collections::HashSet<&str> = shards
            .iter()
            .flat_map(|s| s.files.iter().map(|&f| s.strings.get(f)))
            .collect();
        let pages: std::collections::HashMap<&str, (&Shard, &Kept)> = shards
            .iter()
            .flat_map(|s| {
                s.pages
                    .iter()
                    .map(move |k| (s.strings.get(k.path), (&**s, k)))
            })
            .collect();
        let has_id = |page: &str, id: &str| {
            pages.get(page).map(|(shard, kept)| {
                shard
                    .strings
                    .find(id)
                    .is_some_and(|i| shard.slice(kept.ids).binary_search(&i).is_ok())
            })
        };
        // Checked page by page, in parallel, without gathering every reference first (600,000
        // of them on a 20,000-page site).
        let list: Vec<(&str, &Shard, &Kept)> =
            pages.iter().map(|(&p, &(s, k))| (p, s, k)).collect();
        let styles: Vec<(&str, &str)> = shards
            .iter()
            .flat_map(|s| {
                s.styles
                    .iter()
                    .flat_map(|(p, urls)| urls.iter().map(move |u| (p.as_str(), u.as_str())))
            })
            .collect();
        let links = list
            .iter()
            .map(|(_, _, k)| k.refs.1 as usize)
            .sum::<usize>()
            + styles.len();
        let check = |from: &str, target: &str, canonical: bool| {
            check_one(
                from,
                target,
                canonical,
                base_url,
                &|f| files.contains(f),
                &has_id,
            )
            .map(|why| Problem {
                page: from.to_string(),
                target: target.to_string(),
                why,
            })
        };
        use rayon::prelude::*;
        let mut problems: Vec<Problem> = list
            .par_iter()
            .flat_map_iter(|&(path, shard, kept)| {
                shard.slice(kept.refs).iter().filter_map(move |&r| {
                    check(path, shard.strings.get(r & !CANONICAL), r & CANONICAL != 0)
                })
            })
            .chain(
                styles
                    .par_iter()
                    .filter_map(|&(path, url)| check(path, url, false)),
            )
            .collect();
        problems.sort();
        let source = |page: &str| {
            let (shard, kept) = pages.get(page)?;
            (kept.source != u32::MAX).then(|| shard.strings.get(kept.source))
        };
        let mut diags = Diagnostics::new();
        for p in &problems {
            let src = source(&p.page);
            let mut d = Diagnostic::file(
                PathBuf::from(src.unwrap_or(&p.page)),
                format!("broken link `{}` in page {}: {}", p.target, p.page, p.why),
            );
            if src.is_none() {
                d = d.with_hint("the page is written by the theme's templates");
            }
            diags.push(d);
        }
        let report = Report {
            files: files.len(),
            pages: pages.len(),
            links,
            problems,
        };
        (report, diags)
    }
}

impl Sink for LinkCheck<'_> {
    fn put(&self, output: Output<'_>) -> Result<(), Error> {
        if let Output::File(f) = &output {
            // Scan outside the lock: pages arrive from several threads.
            let page = f.path.ends_with(".html").then(|| links_of(f.bytes));
            let css = f
                .path
                .ends_with(".css")
                .then(|| css_urls(&String::from_utf8_lossy(f.bytes)));
            let mut shard = self.shard(f.path);
            let path = shard.strings.id(f.path);
            shard.files.push(path);
            if let Some((ids, refs)) = page {
                let mut ids: Vec<u32> = ids.iter().map(|i| shard.strings.id(i)).collect();
                ids.sort_unstable();
                ids.dedup();
                let start = shard.numbers.len() as u32;
                shard.numbers.extend(&ids);
                let id_range = (start, ids.len() as u32);
                let start = shard.numbers.len() as u32;
                for (r, canonical) in &refs {
                    let id = shard.strings.id(r) | if *canonical { CANONICAL } else { 0 };
                    shard.numbers.push(id);
                }
                let source = match f.source {
                    Some(src) => shard.strings.id(&crate::error::display_path(src)),
                    None => u32::MAX,
                };
                shard.pages.push(Kept {
                    path,
                    ids: id_range,
                    refs: (start, refs.len() as u32),
                    source,
                });
            }
            if let Some(urls) = css {
                shard.styles.push((f.path.to_string(), urls));
            }
        }
        self.next.put(output)
    }
}

/// Checks the built site in folder `dir`. `base_url` is the main site's address, if any.
pub fn check_dir(dir: &Path, base_url: Option<&str>) -> std::io::Result<Report> {
    let mut seen = Seen::default();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file()
            && let Ok(rel) = entry.path().strip_prefix(dir)
        {
            let rel = crate::error::display_path(rel);
            let bytes = if rel.ends_with(".html") || rel.ends_with(".css") {
                std::fs::read(entry.path())?
            } else {
                Vec::new()
            };
            match seen.add(&rel, &bytes) {
                (Some(page), _) => {
                    seen.pages.insert(rel, page);
                }
                (_, Some(urls)) => {
                    seen.styles.insert(rel, urls);
                }
                _ => {}
            }
        }
    }
    Ok(seen.report(base_url))
}

/// Why `target` (a reference of page `from`) is broken, if it is. `has_file` says whether the
/// site has a file; `has_id(page, id)` whether a page has an id (`None`: not a page).
fn check_one(
    from: &str,
    target: &str,
    canonical: bool,
    base_url: Option<&str>,
    has_file: &(dyn Fn(&str) -> bool + Sync),
    has_id: &(dyn Fn(&str, &str) -> Option<bool> + Sync),
) -> Option<String> {
    let target = target.trim();
    if let Some(base) = base_url
        && !canonical
        && target.starts_with(base)
    {
        return Some("absolute link to the site itself: breaks on mirrors".into());
    }
    if target.starts_with("//") {
        return Some("protocol-relative link: breaks from file://".into());
    }
    if target.starts_with('/') {
        return Some("starts with `/`: breaks from file:// and under a sub-path".into());
    }
    // A scheme is what comes before a `:` that precedes any `/`, `?` or `#`.
    let scheme = target
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains(['/', '?', '#']));
    if let Some(scheme) = scheme {
        let known = ["http", "https", "mailto", "tel", "data"];
        return (!known.iter().any(|k| scheme.eq_ignore_ascii_case(k)))
            .then(|| "unknown scheme".into());
    }
    let (path_part, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (target, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let resolved = if path_part.is_empty() {
        from.to_string()
    } else {
        if path_part.ends_with('/') {
            return Some("names a folder: from file:// it must name its index.html".into());
        }
        let decoded = if path_part.contains('%') {
            percent_encoding::percent_decode_str(path_part).decode_utf8_lossy()
        } else {
            std::borrow::Cow::Borrowed(path_part)
        };
        match resolve(from, &decoded) {
            Some(r) => r,
            None => return Some("leads outside the site folder".into()),
        }
    };
    if !has_file(&resolved) {
        return Some(format!("no such file `{resolved}`"));
    }
    if let Some(frag) = fragment.filter(|f| !f.is_empty()) {
        let frag = percent_encoding::percent_decode_str(frag).decode_utf8_lossy();
        if has_id(&resolved, &frag) == Some(false) {
            return Some(format!("no element with id `{frag}` in `{resolved}`"));
        }
    }
    None
}

/// `target` relative to the folder of `from`, as a path from the site root (`None` when it
/// leaves the folder).
pub(crate) fn resolve(from: &str, target: &str) -> Option<String> {
    // Paths of the site use `/` on every platform (they are URLs).
    if target.starts_with('/') || target.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop(); // the file itself
    for c in target.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The ids and references of a page (public for the test that compares it with `html5gum`).
pub fn page_links(text: &str) -> (BTreeSet<String>, Vec<(String, bool)>) {
    let p = scan_html(text.as_bytes());
    (p.ids, p.refs)
}

/// The ids (`id`, and `name` of `a`) and references (`href`, `src`, with whether the tag is
/// `rel=canonical`) of a page, borrowed from it where no character reference needs decoding.
type Links<'a> = (Vec<Cow<'a, str>>, Vec<(Cow<'a, str>, bool)>);

fn links_of(text: &[u8]) -> Links<'_> {
    let (mut ids, mut refs) = (Vec::new(), Vec::new());
    crate::syntax::scan::scan(text, |e| {
        let crate::syntax::scan::Event::Start(tag) = e else {
            return;
        };
        ids.extend(tag.attr("id"));
        if tag.name == "a" {
            ids.extend(tag.attr("name"));
        }
        let canonical = tag
            .attr("rel")
            .is_some_and(|r| r.split_whitespace().any(|x| x == "canonical"));
        for key in ["href", "src"] {
            if let Some(v) = tag.attr(key) {
                refs.push((v, canonical));
            }
        }
    });
    (ids, refs)
}

fn scan_html(text: &[u8]) -> Page {
    let (ids, refs) = links_of(text);
    Page {
        ids: ids.into_iter().map(Cow::into_owned).collect(),
        refs: refs.into_iter().map(|(r, c)| (r.into_owned(), c)).collect(),
    }
}

fn css_urls(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let raw = rest[..end].trim().trim_matches(|c| c == '"' || c == '\'');
        if !raw.is_empty() {
            out.push(raw.to_string());
        }
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(
            resolve("fr/a/index.html", "../../ar/index.html").as_deref(),
            Some("ar/index.html")
        );
        assert_eq!(resolve("index.html", "../x.html"), None);
    }

    #[test]
    fn finds_refs_and_ids_in_minified_html() {
        let p = scan_html(
            b"<a href=../x/index.html#t id=top>x</a><img src=a.png><link rel=canonical href=https://e.org/>",
        );
        assert!(p.ids.contains("top"));
        assert_eq!(p.refs.len(), 3);
        assert_eq!(p.refs[0].0, "../x/index.html#t");
        assert!(p.refs[2].1);
    }

    #[test]
    fn css_url_extraction() {
        assert_eq!(
            css_urls("a{src:url(\"../f.woff2\") format(x)} b{background:url(i.png)}"),
            vec!["../f.woff2", "i.png"]
        );
    }
}
