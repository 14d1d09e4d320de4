//! The Atom feed of one language, `<lang>/atom.xml` (theme template `atom.xml`): one entry per
//! version of each edition (its `changelog`), newest first; an edition without changelog is
//! announced once, at its publication (or start) date.
//!
//! Atom needs absolute, permanent ids. With `base_url` they are the pages' addresses on the
//! main site; without it they are `tag:` URIs (RFC 4151) built from site data: the default
//! language's title folded to a DNS-like name and the earliest date of the editions, e.g.
//! `tag:barometre-de-l-innovation-sociale-au-maroc,2020-11-24:fr/editions/<id>/1.0.0`. Links
//! are absolute with `base_url` and relative to the feed otherwise (Atom resolves them
//! against the feed's own address, so they work from a mirror too).

use serde::Serialize;
use tera::Context;

use crate::model::{Date, Site};

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FeedCtx {
    pub id: String,
    /// RFC 3339: the newest entry's date.
    pub updated: String,
    /// The feed's own address (absolute with `base_url`, else relative to the feed).
    pub self_href: String,
    /// The language's home page.
    pub home_href: String,
    pub entries: Vec<EntryCtx>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EntryCtx {
    pub id: String,
    pub updated: String,
    pub href: String,
    pub edition_id: String,
    pub edition_title: String,
    pub summary: String,
    pub version: String,
    /// The changelog entry's text, empty for an edition without changelog.
    pub changes: String,
}

fn rfc3339(d: Date) -> String {
    format!("{}T00:00:00Z", d.iso())
}

/// An RFC 4151 authority from the site's title: ASCII letters and digits joined by `-`.
fn tag_authority(site: &Site) -> String {
    let title = site.localize(&site.title, &site.default_language).text;
    let folded = fold(title);
    let mut out = String::new();
    for word in folded.split_whitespace() {
        let ascii: String = word.chars().filter(char::is_ascii_alphanumeric).collect();
        if ascii.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&ascii);
    }
    // A DNS label has at most 63 characters and does not end with `-`.
    out.truncate(63);
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "barometre".into()
    } else {
        out
    }
}

pub(crate) use super::paths::feed_path as path;

/// Lower case, French accents folded (`é` → `e`), everything but letters and digits a space.
fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect()
}

/// Every date the editions give, for the tag URI's date and for undated feeds.
fn earliest_date(site: &Site) -> Option<Date> {
    site.editions
        .iter()
        .flat_map(|e| {
            e.meta
                .changelog
                .iter()
                .filter_map(|c| Date::parse(&c.date.value))
                .chain([e.start, e.end, e.published].into_iter().flatten())
        })
        .min()
}

/// The context of `atom.xml` for `lang` (`feed`, plus the language's globals).
pub(crate) fn context(site: &Site, lang: &str) -> Context {
    let base = site.base_url.as_deref();
    let tag = earliest_date(site).map_or_else(
        || format!("tag:{},2000:", tag_authority(site)),
        |d| format!("tag:{},{}:", tag_authority(site), d.iso()),
    );
    // An address of the site as seen from the feed (`<lang>/atom.xml`).
    let href = |site_path: &str| match base {
        Some(b) => format!("{b}{site_path}"),
        None => site_path
            .strip_prefix(&format!("{lang}/"))
            .unwrap_or(site_path)
            .to_string(),
    };
    let mut entries = Vec::new();
    for ed in &site.editions {
        let page = Site::url(lang, &ed.path);
        let title = site.localize(&ed.meta.title, lang).text.to_string();
        let summary = site.localize(&ed.meta.summary, lang).text.to_string();
        let mut push = |version: &str, date: Date, changes: String| {
            let id = match base {
                Some(b) => format!("{b}{page}#version-{version}"),
                None => format!("{tag}{lang}/{}/{version}", ed.path),
            };
            entries.push((
                date,
                EntryCtx {
                    id,
                    updated: rfc3339(date),
                    href: href(&page),
                    edition_id: ed.id.clone(),
                    edition_title: title.clone(),
                    summary: summary.clone(),
                    version: version.to_string(),
                    changes,
                },
            ));
        };
        if ed.meta.changelog.is_empty() {
            if let Some(date) = ed.published.or(ed.start).or(ed.end) {
                push(&ed.meta.version.value, date, String::new());
            }
        } else {
            for c in &ed.meta.changelog {
                if let Some(date) = Date::parse(&c.date.value) {
                    let changes = site.localize(&c.changes, lang).text.to_string();
                    push(&c.version.value, date, changes);
                }
            }
        }
    }
    // Newest first; the sort is stable, so editions keep their order on equal dates.
    entries.sort_by_key(|e| std::cmp::Reverse(e.0));
    let updated = entries
        .first()
        .map(|(d, _)| *d)
        .or_else(|| earliest_date(site))
        .map_or_else(|| "2000-01-01T00:00:00Z".to_string(), rfc3339);
    let path = path(lang);
    let feed = FeedCtx {
        id: match base {
            Some(b) => format!("{b}{path}"),
            None => format!("{tag}{path}"),
        },
        updated,
        self_href: href(&path),
        home_href: href(&Site::url(lang, "")),
        entries: entries.into_iter().map(|(_, e)| e).collect(),
    };
    let mut ctx = Context::new();
    ctx.insert("feed", &feed);
    ctx
}
