//! How to cite an edition: the short citation line of its home page (`edition.citation.text`)
//! and the reference files a reference manager imports, written per edition under
//! `data/<edition>/`: `citation.bib` (BibTeX/biblatex), `citation.ris` (RIS) and
//! `citation.json` (CSL-JSON). Each file holds one record per language of the site, in the
//! order of `site.yaml`.
//!
//! Everything here is a pure function of the model: the same site gives the same bytes. The
//! address of the edition is absolute only when `base_url` is set; without it the line and the
//! files carry no address at all (a path relative to the site means nothing in a
//! bibliography).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use super::locale::Locale;
use crate::model::{Date, Edition, Site};

/// The UI strings read here. Optional: a theme without `citation_format` gets an empty
/// `citation.text` (it shows no citation line).
const FORMAT: &str = "citation_format";
const ADDRESS: &str = "citation_address";

/// An edition as a bibliographic record, in one language.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reference {
    /// `<edition id>-<language code>`: the record's key in every format.
    pub key: String,
    pub lang: String,
    /// The edition's title.
    pub title: String,
    /// The publisher of the site (its author too, as an organisation).
    pub publisher: Option<String>,
    /// The site's title: the collection the edition belongs to.
    pub container: String,
    pub version: String,
    /// When this version was published: the edition's `published` date, else the date of the
    /// changelog entry of its version.
    pub date: Option<Date>,
    /// The year of `date`, else the edition's year.
    pub year: i32,
    /// The edition's home page, absolute (`base_url`), or none.
    pub url: Option<String>,
}

/// Where an edition's reference files are, from the site root.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CitationCtx {
    /// The citation line in the page's language (publisher, title, site, version, date,
    /// address when `base_url` is set), to print as is.
    pub text: String,
    /// The edition's absolute address, when `base_url` is set.
    pub url: Option<String>,
    pub bib: String,
    pub ris: String,
    pub json: String,
}

/// The date of the version an edition is at.
pub(crate) fn version_date(ed: &Edition) -> Option<Date> {
    ed.published.or_else(|| {
        ed.meta
            .changelog
            .iter()
            .find(|c| c.version.value == ed.meta.version.value)
            .and_then(|c| Date::parse(&c.date.value))
    })
}

/// Edition `ed` as a record in language `lang`.
pub(crate) fn reference(site: &Site, ed: &Edition, lang: &str) -> Reference {
    let date = version_date(ed);
    Reference {
        key: format!("{}-{lang}", ed.id),
        lang: lang.to_string(),
        title: site.localize(&ed.meta.title, lang).text.to_string(),
        publisher: site
            .publisher
            .as_ref()
            .map(|p| site.localize(p, lang).text.to_string()),
        container: site.localize(&site.title, lang).text.to_string(),
        version: ed.meta.version.value.clone(),
        date,
        year: date.map_or(ed.meta.year, |d| d.year),
        url: site
            .base_url
            .as_ref()
            .map(|b| format!("{b}{}", Site::url(lang, &ed.path))),
    }
}

/// The file paths of edition `id`'s references.
fn paths(id: &str) -> [String; 3] {
    ["bib", "ris", "json"].map(|ext| format!("data/{id}/citation.{ext}"))
}

/// The citation line and file links of `ed` in `lang`, for templates. `t`: the language's UI
/// strings (`citation_format`, `citation_address`).
pub(crate) fn context(
    site: &Site,
    ed: &Edition,
    lang: &str,
    t: &BTreeMap<String, String>,
    locale: &Locale,
) -> CitationCtx {
    let r = reference(site, ed, lang);
    let [bib, ris, json] = paths(&ed.id);
    CitationCtx {
        text: text(&r, t, locale),
        url: r.url,
        bib,
        ris,
        json,
    }
}

/// The short citation: `citation_format` of the UI strings with `{publisher}`, `{title}`,
/// `{site}`, `{version}`, `{date}` and `{address}` filled in; `{address}` is
/// `citation_address` with `{url}` when the edition has an absolute address, else nothing. A
/// missing publisher takes the site's title; a missing date the year.
pub(crate) fn text(r: &Reference, t: &BTreeMap<String, String>, locale: &Locale) -> String {
    let format = t.get(FORMAT).map_or("", String::as_str);
    let date = r
        .date
        .map_or_else(|| locale.integer(i64::from(r.year)), |d| locale.date(d));
    let address = match (&r.url, t.get(ADDRESS)) {
        (Some(url), Some(a)) => a.replace("{url}", url),
        _ => String::new(),
    };
    let by = r.publisher.as_deref().unwrap_or(&r.container);
    let values = [
        ("publisher", by),
        ("title", r.title.as_str()),
        ("site", r.container.as_str()),
        ("version", r.version.as_str()),
        ("date", date.as_str()),
        ("address", address.as_str()),
    ];
    fill(format, &values)
}

/// `{name}` placeholders of `format` replaced in one pass (a value is never read again, so a
/// title holding `{site}` stays as written); an unknown one is kept.
fn fill(format: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(format.len() * 2);
    let mut rest = format;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name = after.find('}').map(|close| &after[..close]);
        match name.and_then(|n| values.iter().find(|(k, _)| *k == n)) {
            Some((k, v)) => {
                out.push_str(v);
                rest = &after[k.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every record of edition `ei`, one per language.
fn references(site: &Site, ei: usize) -> Vec<Reference> {
    let ed = &site.editions[ei];
    site.languages
        .iter()
        .map(|l| reference(site, ed, &l.code))
        .collect()
}

/// The reference files of edition `ei` (path from the site root, bytes).
pub(crate) fn files(site: &Site, ei: usize) -> Vec<(String, Vec<u8>)> {
    let refs = references(site, ei);
    let [bib, ris, json] = paths(&site.editions[ei].id);
    vec![
        (bib, bibtex(&refs).into_bytes()),
        (ris, self::ris(&refs).into_bytes()),
        (json, csl_json(&refs).into_bytes()),
    ]
}

/// A value inside BibTeX braces: TeX's special characters escaped, line breaks folded.
fn bib_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            // BibTeX counts braces even after a backslash: `\{` alone would unbalance them.
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\r' | '\n' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An address in a BibTeX `url` field (verbatim in biblatex): only braces and spaces, which
/// would end or split it, are percent-encoded.
fn bib_url(s: &str) -> String {
    s.replace('{', "%7B")
        .replace('}', "%7D")
        .replace(' ', "%20")
}

/// BibTeX records (`@misc`, with biblatex's `date`, `version` and `url`). The publisher is a
/// corporate author, so it is braced twice (not split into given and family names).
pub(crate) fn bibtex(refs: &[Reference]) -> String {
    let mut out = String::new();
    for r in refs {
        let mut fields: Vec<(&str, String)> = Vec::new();
        let by = r.publisher.as_deref().unwrap_or(&r.container);
        fields.push(("author", format!("{{{}}}", bib_escape(by))));
        fields.push(("title", format!("{{{}}}", bib_escape(&r.title))));
        fields.push(("howpublished", bib_escape(&r.container)));
        if let Some(p) = &r.publisher {
            fields.push(("publisher", bib_escape(p)));
        }
        fields.push(("version", bib_escape(&r.version)));
        fields.push(("year", r.year.to_string()));
        if let Some(d) = r.date {
            fields.push(("date", d.iso()));
        }
        fields.push(("langid", bib_escape(&r.lang)));
        if let Some(u) = &r.url {
            fields.push(("url", bib_url(u)));
        }
        out.push_str(&format!("@misc{{{},\n", r.key));
        for (name, value) in &fields {
            out.push_str(&format!("  {name} = {{{value}}},\n"));
        }
        out.push_str("}\n\n");
    }
    out
}

/// A RIS value: on one line (a line break would start a new tag), trimmed.
fn ris_value(s: &str) -> String {
    s.split(['\r', '\n'])
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string()
}

/// RIS records (`TY  - RPRT` … `ER  - `), lines ending in CR LF as the format asks.
pub(crate) fn ris(refs: &[Reference]) -> String {
    let mut out = String::new();
    for r in refs {
        let mut line = |tag: &str, value: &str| {
            out.push_str(tag);
            out.push_str("  - ");
            out.push_str(&ris_value(value));
            out.push_str("\r\n");
        };
        line("TY", "RPRT");
        line("ID", &r.key);
        line("TI", &r.title);
        line("AU", r.publisher.as_deref().unwrap_or(&r.container));
        if let Some(p) = &r.publisher {
            line("PB", p);
        }
        line("T2", &r.container);
        line("ET", &r.version);
        line("PY", &r.year.to_string());
        if let Some(d) = r.date {
            line("DA", &format!("{:04}/{:02}/{:02}/", d.year, d.month, d.day));
        }
        line("LA", &r.lang);
        if let Some(u) = &r.url {
            line("UR", u);
        }
        out.push_str("ER  - \r\n\r\n");
    }
    out
}

/// CSL-JSON: an array of `report` items (what citeproc processors and Zotero read).
pub(crate) fn csl_json(refs: &[Reference]) -> String {
    let items: Vec<serde_json::Value> = refs
        .iter()
        .map(|r| {
            let by = r.publisher.as_deref().unwrap_or(&r.container);
            let date_parts = match r.date {
                Some(d) => json!([[d.year, d.month, d.day]]),
                None => json!([[r.year]]),
            };
            let mut item = json!({
                "id": r.key,
                "type": "report",
                "title": r.title,
                "author": [{"literal": by}],
                "container-title": r.container,
                "version": r.version,
                "issued": {"date-parts": date_parts},
                "language": r.lang,
            });
            if let Some(p) = &r.publisher {
                item["publisher"] = json!(p);
            }
            if let Some(u) = &r.url {
                item["URL"] = json!(u);
            }
            item
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&items).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Reference {
        Reference {
            key: "2020-x-fr".into(),
            lang: "fr".into(),
            title: "Taux {100 %} & co_op #1 \\ ~^".into(),
            publisher: Some("Fondation A & B".into()),
            container: "Baromètre".into(),
            version: "1.1.0".into(),
            date: Date::parse("2026-12-02"),
            year: 2026,
            url: Some("https://example.org/b/fr/editions/x/index.html".into()),
        }
    }

    #[test]
    fn bibtex_escapes_tex_specials_and_keeps_braces_balanced() {
        let b = bibtex(&[sample()]);
        assert!(
            b.contains(r"title = {{Taux \textbraceleft{}100 \%\textbraceright{} \& co\_op \#1 \textbackslash{} \textasciitilde{}\textasciicircum{}}},"),
            "{b}"
        );
        assert!(b.contains("author = {{Fondation A \\& B}},"), "{b}");
        assert!(b.contains("date = {2026-12-02},"), "{b}");
        let depth = b.chars().fold(0i32, |d, c| match c {
            '{' => d + 1,
            '}' => d - 1,
            _ => d,
        });
        assert_eq!(depth, 0);
    }

    #[test]
    fn ris_values_stay_on_one_line() {
        let mut r = sample();
        r.title = "Deux\nlignes\r\nER  - ".into();
        let s = ris(&[r]);
        assert!(s.contains("TI  - Deux lignes  ER  -\r\n"), "{s:?}");
        assert_eq!(s.matches("\r\nER  - \r\n").count(), 1);
        assert!(s.starts_with("TY  - RPRT\r\n"));
        assert!(s.contains("DA  - 2026/12/02/\r\n"));
    }

    #[test]
    fn placeholders_are_filled_once() {
        let f = fill("{a} {b} {c}", &[("a", "{b}"), ("b", "x")]);
        assert_eq!(f, "{b} x {c}");
    }

    #[test]
    fn csl_json_has_type_title_issued() {
        let v: serde_json::Value = serde_json::from_str(&csl_json(&[sample()])).unwrap();
        assert_eq!(v[0]["type"], "report");
        assert_eq!(v[0]["issued"]["date-parts"], json!([[2026, 12, 2]]));
        assert_eq!(v[0]["author"][0]["literal"], "Fondation A & B");
    }
}
