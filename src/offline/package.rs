//! `build --package`: zips of the site that open from disk, written into the site itself under
//! `downloads/` so that pages can link them (and listed in `manifest.json` like every file).
//!
//! - `downloads/site-<lang>.zip`: every file of `<lang>/`, the assets, the files those pages
//!   use (open data…), and a root `index.html`: the theme's `entry.html` for that language only.
//! - `downloads/edition-<id>-<lang>.zip`: the edition's folder in that language (home, pages,
//!   print version), the assets, the files they use, a search index of that edition only, and
//!   a root `index.html` (`entry.html` greeting the edition). The language's feed is left out
//!   (it announces every edition): its `<link>` goes to the main site or disappears.
//!
//! Each zip is a small site of its own: unzip, double-click `index.html`. Links to pages left
//! out of the zip (the other language, other editions) point to the main site when
//! `base_url` is set, and otherwise lose their `href` (they read as plain text; `<link>`
//! elements to them are dropped), so no link of a zip is broken. Zips never contain
//! `downloads/`. Each carries its own `manifest.json`, so `barometre verify` checks an
//! unzipped copy too.
//!
//! Deterministic: entries in path order, Unix permissions 0644, deflate level 6 (Rust
//! backend), and as timestamp the newest date of the data in the zip (its editions'
//! changelog and dates), 1980-01-01 when there is none.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Write};
use std::sync::{Arc, Mutex};

use html5gum::{DefaultEmitter, Token, Tokenizer};
use sha2::{Digest, Sha256};

use super::links::resolve;
use super::search::Search;
use crate::error::{Diagnostics, Error};
use crate::model::{Date, Edition, Site};
use crate::render::paths::{DOWNLOADS, edition_package_path, search_index_path, site_package_path};
use crate::render::{File, Kind, Output, Prepared};
use crate::write::{MANIFEST, Manifest, ManifestEntry, Sink, hex};

/// One zip written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: String,
    pub bytes: u64,
    pub files: usize,
}

/// The packages as a sink in front of `next`: it keeps every file of the site (packages are
/// asked for, so the memory is spent only then) and writes the zips when asked to finish.
pub(crate) struct Packages<'a> {
    next: &'a dyn Sink,
    files: Mutex<BTreeMap<String, Arc<[u8]>>>,
}

impl<'a> Packages<'a> {
    pub(crate) fn new(next: &'a dyn Sink) -> Self {
        Packages {
            next,
            files: Mutex::new(BTreeMap::new()),
        }
    }

    /// Writes every package (per language the whole site, then each edition) into the next
    /// sink. `search` gives the index of one edition for its package.
    pub(crate) fn finish(
        &self,
        site: &Site,
        prepared: &Prepared,
        search: &Search<'_>,
    ) -> Result<Vec<Written>, Error> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let mut written = Vec::new();
        let mut errors = Diagnostics::new();
        for li in 0..site.languages.len() {
            let scopes = std::iter::once(None).chain((0..site.editions.len()).map(Some));
            for scope in scopes {
                let root = match crate::render::package_root(site, prepared, li, scope) {
                    Ok(html) => html,
                    Err(d) => {
                        errors.extend(d);
                        continue;
                    }
                };
                let index = scope.map(|ei| search.index_files(site, li, ei));
                written.push(self.one(site, &files, li, scope, root, index)?);
            }
        }
        errors.into_result().map_err(Error::Input)?;
        Ok(written)
    }

    /// The zip of language `li` (whole, or edition `scope`), into the next sink.
    fn one(
        &self,
        site: &Site,
        files: &BTreeMap<String, Arc<[u8]>>,
        li: usize,
        scope: Option<usize>,
        root: Vec<u8>,
        index: Option<Vec<(String, String)>>,
    ) -> Result<Written, Error> {
        let lang = &site.languages[li].code;
        let (zip_path, prefix, newest) = match scope {
            None => (
                site_package_path(lang),
                format!("{lang}/"),
                site.editions.iter().filter_map(newest_date).max(),
            ),
            Some(ei) => {
                let ed = &site.editions[ei];
                (
                    edition_package_path(&ed.id, lang),
                    format!("{lang}/{}/", ed.path),
                    newest_date(ed),
                )
            }
        };
        let mut chosen: BTreeMap<String, Vec<u8>> = files
            .iter()
            .filter(|(f, _)| f.starts_with(&prefix) || f.starts_with("assets/"))
            .map(|(f, b)| (f.clone(), b.to_vec()))
            .collect();
        // An edition's own search index (its scripts replace the language's).
        if let Some(files) = index {
            let folder = search_index_path(lang);
            let folder = folder.trim_end_matches(".js");
            chosen.retain(|f, _| !f.starts_with(&format!("{folder}/")));
            for (path, js) in files {
                chosen.insert(path, js.into_bytes());
            }
        }
        chosen.insert("index.html".into(), root);
        // The files the pages use (open data…), but no other page, and in an edition's package
        // not the language's feed (it announces every edition).
        let feed = crate::render::feed::path(lang);
        let mut used = BTreeSet::new();
        for (path, bytes) in &chosen {
            if path.ends_with(".html") {
                for target in references(&String::from_utf8_lossy(bytes)) {
                    if let Some(r) = local_target(path, &target)
                        && !r.ends_with(".html")
                        && files.contains_key(&r)
                        && !chosen.contains_key(&r)
                        && !(scope.is_some() && r == feed)
                    {
                        used.insert(r);
                    }
                }
            }
        }
        for f in used {
            let bytes = files[&f].to_vec();
            chosen.insert(f, bytes);
        }
        let inside: BTreeSet<String> = chosen.keys().cloned().collect();
        for (path, bytes) in chosen.iter_mut() {
            if path.ends_with(".html") {
                let text = String::from_utf8_lossy(bytes).into_owned();
                *bytes = rewrite_links(path, &text, &inside, site.base_url.as_deref()).into_bytes();
            }
        }
        let zip = zip_bytes(&chosen, newest).map_err(|e| Error::io(&zip_path, e))?;
        self.next.put(Output::File(File {
            path: &zip_path,
            bytes: &zip,
            kind: Kind::Other,
            source: None,
        }))?;
        Ok(Written {
            path: zip_path,
            bytes: zip.len() as u64,
            files: chosen.len() + 1,
        })
    }
}

impl Sink for Packages<'_> {
    fn put(&self, output: Output<'_>) -> Result<(), Error> {
        if let Output::File(f) = &output
            && f.path != MANIFEST
            && !f.path.starts_with(&format!("{DOWNLOADS}/"))
        {
            self.files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(f.path.to_string(), Arc::from(f.bytes));
        }
        self.next.put(output)
    }
}

/// The newest date an edition gives (changelog, publication, end, start).
fn newest_date(ed: &Edition) -> Option<Date> {
    ed.meta
        .changelog
        .iter()
        .filter_map(|c| Date::parse(&c.date.value))
        .chain([ed.start, ed.end, ed.published].into_iter().flatten())
        .max()
}

/// A zip of `files` (path → bytes) plus its `manifest.json`, byte for byte the same for the
/// same input.
pub(crate) fn zip_bytes(
    files: &BTreeMap<String, Vec<u8>>,
    date: Option<Date>,
) -> std::io::Result<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let stamp = date
        .and_then(|d| {
            zip::DateTime::from_date_and_time(u16::try_from(d.year).ok()?, d.month, d.day, 0, 0, 0)
                .ok()
        })
        .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(stamp)
        .system(zip::System::Unix)
        .unix_permissions(0o644);
    let manifest = Manifest {
        generator: format!("barometre {}", env!("CARGO_PKG_VERSION")),
        files: files
            .iter()
            .map(|(path, bytes)| ManifestEntry {
                path: path.clone(),
                size: bytes.len() as u64,
                sha256: hex(&Sha256::digest(bytes)),
            })
            .collect(),
    };
    let mut manifest_json = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
    manifest_json.push(b'\n');
    let mut all: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    all.push((MANIFEST, &manifest_json));
    all.sort_by(|a, b| a.0.cmp(b.0));
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (path, bytes) in all {
        zip.start_file(path, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

/// Every `href` and `src` of a page that reading it needs: not the other versions of the page
/// (`<link rel="alternate">`: translations, feeds) nor its canonical address.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for token in Tokenizer::new(html).flatten() {
        if let Token::StartTag(tag) = token {
            let rel = tag
                .attributes
                .get(b"rel".as_slice())
                .map(|r| String::from_utf8_lossy(&r.value).to_ascii_lowercase())
                .unwrap_or_default();
            if tag.name.as_slice() == b"link"
                && rel
                    .split_whitespace()
                    .any(|r| r == "alternate" || r == "canonical")
            {
                continue;
            }
            for key in [b"href".as_slice(), b"src".as_slice()] {
                if let Some(v) = tag.attributes.get(key) {
                    out.push(String::from_utf8_lossy(&v.value).into_owned());
                }
            }
        }
    }
    out
}

/// The file (from the site root) a relative reference of `page` names; `None` for external
/// addresses, in-page anchors and references leaving the folder.
fn local_target(page: &str, target: &str) -> Option<String> {
    let target = target.trim();
    let lower = target.to_ascii_lowercase();
    let scheme = lower
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains('/'));
    if scheme || target.starts_with('/') || target.starts_with('#') || target.is_empty() {
        return None;
    }
    let path = target.split(['#', '?']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    resolve(page, &decoded)
}

/// Attributes that only make sense on a link with an `href`.
const LINK_ONLY: &[&str] = &[
    "href",
    "hreflang",
    "rel",
    "target",
    "download",
    "ping",
    "type",
    "referrerpolicy",
];

/// Rewrites the links of `page` (path in the zip) that lead to files not in `inside`: to the
/// main site when `base_url` is set, else `<a>` loses its `href` and `<link>` disappears.
pub(crate) fn rewrite_links(
    page: &str,
    html: &str,
    inside: &BTreeSet<String>,
    base_url: Option<&str>,
) -> String {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        let Some(href) = tag.attributes.get(b"href".as_slice()) else {
            continue;
        };
        let href = String::from_utf8_lossy(&href.value).into_owned();
        let Some(target) = local_target(page, &href) else {
            continue;
        };
        if inside.contains(&target) {
            continue;
        }
        let name = String::from_utf8_lossy(&tag.name).into_owned();
        let mut attrs: Vec<(String, String)> = tag
            .attributes
            .iter()
            .map(|(k, v)| {
                (
                    String::from_utf8_lossy(k).into_owned(),
                    String::from_utf8_lossy(&v.value).into_owned(),
                )
            })
            .collect();
        let replacement = match base_url {
            Some(base) => {
                let fragment = href.split_once('#').map(|(_, f)| f);
                let absolute = match fragment {
                    Some(f) => format!("{base}{target}#{f}"),
                    None => format!("{base}{target}"),
                };
                for (k, v) in &mut attrs {
                    if k == "href" {
                        *v = absolute.clone();
                    }
                }
                Some(attrs)
            }
            None if name == "link" => None,
            None => {
                attrs.retain(|(k, _)| !LINK_ONLY.contains(&k.as_str()));
                Some(attrs)
            }
        };
        out.push_str(&html[copied..tag.span.start]);
        if let Some(attrs) = replacement {
            out.push('<');
            out.push_str(&name);
            for (k, v) in attrs {
                out.push(' ');
                out.push_str(&k);
                out.push_str("=\"");
                out.push_str(&v.replace('&', "&amp;").replace('"', "&quot;"));
                out.push('"');
            }
            out.push_str(if tag.self_closing { "/>" } else { ">" });
        }
        copied = tag.span.end;
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn links_outside_the_zip_lose_their_href_or_go_online() {
        let html = "<head><link rel=alternate hreflang=ar href=../ar/index.html><link rel=stylesheet href=../assets/s.css></head>\
                    <a href=../ar/index.html hreflang=ar lang=ar>العربية</a> <a href=x/index.html#t>in</a> <a href=https://e.org/>out</a>";
        let inside = set(&["fr/index.html", "fr/x/index.html", "assets/s.css"]);
        let offline = rewrite_links("fr/index.html", html, &inside, None);
        assert_eq!(
            offline,
            "<head><link rel=stylesheet href=../assets/s.css></head>\
             <a lang=\"ar\">العربية</a> <a href=x/index.html#t>in</a> <a href=https://e.org/>out</a>"
        );
        let online = rewrite_links("fr/index.html", html, &inside, Some("https://b.org/m/"));
        assert!(
            online.contains(
                "<link href=\"https://b.org/m/ar/index.html\" hreflang=\"ar\" rel=\"alternate\">"
            ),
            "{online}"
        );
        assert!(
            online
                .contains("<a href=\"https://b.org/m/ar/index.html\" hreflang=\"ar\" lang=\"ar\">"),
            "{online}"
        );
    }

    #[test]
    fn rewriting_keeps_multibyte_text_around_tags() {
        let html =
            "<p>نص عربي طويل <a href=../ar/index.html>العربية</a> — é <a href=b.html>b</a></p>";
        let inside = set(&["fr/index.html", "fr/b.html"]);
        assert_eq!(
            rewrite_links("fr/index.html", html, &inside, None),
            "<p>نص عربي طويل <a>العربية</a> — é <a href=b.html>b</a></p>"
        );
    }

    #[test]
    fn zips_are_deterministic() {
        let mut files = BTreeMap::new();
        files.insert("index.html".to_string(), b"<p>hi".to_vec());
        files.insert("a/b.txt".to_string(), vec![b'x'; 1000]);
        let d = Date::parse("2021-05-01");
        let a = zip_bytes(&files, d).unwrap();
        let b = zip_bytes(&files, d).unwrap();
        assert_eq!(a, b);
        let mut archive = zip::ZipArchive::new(Cursor::new(a)).unwrap();
        let names: Vec<String> = (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        assert_eq!(names, ["a/b.txt", "index.html", "manifest.json"]);
        let first = archive.by_index(0).unwrap();
        let t = first.last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day()), (2021, 5, 1));
    }
}
