//! The offline link check of a built site: every `href` and `src` of every page, and every
//! `url(…)` of every stylesheet, must be relative and resolve to a file of the site (so the
//! site browses from `file://` and from any sub-path), and a `#fragment` must name an id of its
//! target page. External links (`https://…`) are allowed, except to the site's own `base_url`;
//! `<link rel="canonical">` is the one tag that may name the main site.
//!
//! [`LinkCheck`] checks the files as they are rendered, in memory (`build`, `check` and
//! `serve` all run it, so they reach the same verdict); [`check_dir`] checks a folder on disk.

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

/// What the check has seen so far: every file, and the ids and references of the pages and
/// stylesheets (scanned as they arrive, on the rendering threads).
#[derive(Default)]
struct Seen {
    files: BTreeSet<String>,
    pages: BTreeMap<String, Page>,
    styles: BTreeMap<String, Vec<String>>,
    /// The Markdown source of a page, to name it in a problem.
    sources: BTreeMap<String, PathBuf>,
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
                check_one(from, target, canonical, base_url, &self.files, &self.pages).map(|why| {
                    Problem {
                        page: from.clone(),
                        target: target.to_string(),
                        why,
                    }
                })
            })
            .collect();
        report.problems.sort();
        report
    }
}

/// The link check as a sink in front of `next`: every file passes on unchanged.
pub(crate) struct LinkCheck<'a> {
    next: &'a dyn Sink,
    seen: Mutex<Seen>,
}

impl<'a> LinkCheck<'a> {
    pub(crate) fn new(next: &'a dyn Sink) -> Self {
        LinkCheck {
            next,
            seen: Mutex::new(Seen::default()),
        }
    }

    /// The problems found among every file seen, as errors naming the page (and its source).
    pub(crate) fn finish(&self, base_url: Option<&str>) -> (Report, Diagnostics) {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let report = seen.report(base_url);
        let mut diags = Diagnostics::new();
        for p in &report.problems {
            let mut d = Diagnostic::file(
                seen.sources
                    .get(&p.page)
                    .cloned()
                    .unwrap_or_else(|| PathBuf::from(&p.page)),
                format!("broken link `{}` in page {}: {}", p.target, p.page, p.why),
            );
            if !seen.sources.contains_key(&p.page) {
                d = d.with_hint("the page is written by the theme's templates");
            }
            diags.push(d);
        }
        (report, diags)
    }
}

impl Sink for LinkCheck<'_> {
    fn put(&self, output: Output<'_>) -> Result<(), Error> {
        if let Output::File(f) = &output {
            // Scan outside the lock: pages arrive from several threads.
            let scanned = if f.path.ends_with(".html") {
                (Some(scan_html(f.bytes)), None)
            } else if f.path.ends_with(".css") {
                (None, Some(css_urls(&String::from_utf8_lossy(f.bytes))))
            } else {
                (None, None)
            };
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            seen.files.insert(f.path.to_string());
            if let Some(src) = f.source {
                seen.sources.insert(f.path.to_string(), src.to_path_buf());
            }
            match scanned {
                (Some(page), _) => {
                    seen.pages.insert(f.path.to_string(), page);
                }
                (_, Some(urls)) => {
                    seen.styles.insert(f.path.to_string(), urls);
                }
                _ => {}
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

fn check_one(
    from: &str,
    target: &str,
    canonical: bool,
    base_url: Option<&str>,
    files: &BTreeSet<String>,
    pages: &BTreeMap<String, Page>,
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
    if !files.contains(&resolved) {
        return Some(format!("no such file `{resolved}`"));
    }
    if let Some(frag) = fragment.filter(|f| !f.is_empty()) {
        let frag = percent_encoding::percent_decode_str(frag).decode_utf8_lossy();
        if let Some(page) = pages.get(&resolved)
            && !page.ids.contains(frag.as_ref())
        {
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

fn scan_html(text: &[u8]) -> Page {
    let mut page = Page::default();
    super::scan::scan(text, |e| {
        let super::scan::Event::Start(tag) = e else {
            return;
        };
        if let Some(id) = tag.attr("id") {
            page.ids.insert(id.to_string());
        }
        if tag.name == "a"
            && let Some(name) = tag.attr("name")
        {
            page.ids.insert(name.to_string());
        }
        let canonical = tag
            .attr("rel")
            .is_some_and(|r| r.split_whitespace().any(|x| x == "canonical"));
        for key in ["href", "src"] {
            if let Some(v) = tag.attr(key) {
                page.refs.push((v.to_string(), canonical));
            }
        }
    });
    page
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
