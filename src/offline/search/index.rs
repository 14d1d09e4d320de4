//! The inverted index of one language: stems → sections with a score, and the sections'
//! texts for the result snippets, written as scripts.
//!
//! Format (`window.barometreSearch["<lang>"]`, one script):
//!
//! ```text
//! {"v": 1,
//!  "script": the script of the language's words ("latin", "arabic"),
//!  "scripts": {"<lang>": script, …} of every language (to suggest the other search),
//!  "groups": [edition title, …, ""]   results are grouped by these ("" = outside editions),
//!  "pages": [group, first section, group, first section, …]   flat, in page order,
//!  "terms": {"<stem>": "<postings>", …},
//!  "docs": {"pages": [[url, title], …], "sections": [[anchor, heading, text(, lang, dir)], …]}}
//! ```
//!
//! Postings are the numbers section, score, Δsection, score… (sections in increasing order,
//! each but the first as the difference from the one before), written in base 32 with the
//! characters of [`DIGITS`]: a number's last digit from its first 32, the digits before from
//! the other 32. A posting of a frequent word takes two characters.
//!
//! A large index is sharded instead of `terms` and `docs`: `"termShards": {"<first two
//! characters of a stem>": n, …}` names the script `<lang>/search-index.<lang>/t<n>.js` that
//! holds those stems' entries (`window.barometreSearch["<lang>/t<n>"] = {"<stem>": …}`), and
//! `"docShards": [first page of shard n, …]` the script `…/d<n>.js` with the `docs` of those
//! pages. A query word of two characters or more needs one term shard (its first two
//! characters), and a result needs the doc shard of its page: nothing else is loaded.

use std::collections::BTreeMap;

use crate::error::Error;

/// What a page gives the index: its address and title, its sections, and its postings sorted
/// by term then section: (term, section in the page, score).
#[derive(Debug, Clone, Default)]
pub(crate) struct IndexedPage {
    pub url: String,
    pub title: String,
    pub sections: Vec<super::text::Section>,
    pub postings: Vec<(u32, u16, u8)>,
}

/// Above these sizes (bytes of JSON) the index is split: the whole index inline, a term
/// shard, a doc shard.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub inline: usize,
    pub term_shard: usize,
    pub doc_shard: usize,
}

pub(crate) const LIMITS: Limits = Limits {
    inline: 1 << 20,
    term_shard: 64 << 10,
    doc_shard: 48 << 10,
};

/// The digits of the postings: `0`–`V` end a number, `W`–`_` go before its last digit.
pub(crate) const DIGITS: &[u8; 64] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// What the index scripts of one language are made of.
pub(crate) struct Input<'a> {
    pub lang: &'a str,
    /// Pages in index order (sorted by address), each with its group.
    pub pages: Vec<(&'a IndexedPage, usize)>,
    pub groups: Vec<String>,
    /// Term id → stem.
    pub names: &'a [Box<str>],
    pub script: &'a str,
    pub scripts: &'a BTreeMap<String, &'static str>,
}

/// Where the scripts go, one at a time: (path, script).
pub(crate) type Emit<'a> = dyn FnMut(String, String) -> Result<(), Error> + 'a;

/// A JSON string, also safe as JavaScript source in old engines (U+2028 and U+2029 escaped).
pub(crate) fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_str(&mut out, s);
    out
}

fn push_str(out: &mut String, s: &str) {
    let j = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    if j.contains(['\u{2028}', '\u{2029}']) {
        out.push_str(
            &j.replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029"),
        );
    } else {
        out.push_str(&j);
    }
}

/// Appends `n` in the postings' base 32.
fn push_num(out: &mut String, n: u32) {
    let mut digits = [0u8; 7];
    let mut i = digits.len();
    let mut n = n;
    let mut last = true;
    loop {
        i -= 1;
        digits[i] = DIGITS[(n % 32) as usize + if last { 0 } else { 32 }];
        last = false;
        n /= 32;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&d| char::from(d)));
}

/// The first two characters of a stem: its term shard.
pub(crate) fn shard_key(stem: &str) -> &str {
    match stem.char_indices().nth(2) {
        Some((i, _)) => &stem[..i],
        None => stem,
    }
}

/// Every stem's postings (section, score), sections numbered across the pages in order.
fn postings(input: &Input<'_>) -> Vec<Vec<(u32, u8)>> {
    // Indexed by term id: no map lookup per posting.
    let mut postings: Vec<Vec<(u32, u8)>> = vec![Vec::new(); input.names.len()];
    let mut first = 0u32;
    for (page, _) in &input.pages {
        for &(term, section, score) in &page.postings {
            postings[term as usize].push((first + u32::from(section), score));
        }
        first += page.sections.len() as u32;
    }
    postings
}

/// Appends `"<stem>":"<postings>"`.
fn push_term(out: &mut String, name: &str, list: &[(u32, u8)]) {
    push_str(out, name);
    out.push_str(":\"");
    let mut prev = 0u32;
    for &(section, score) in list {
        push_num(out, section - prev);
        push_num(out, u32::from(score));
        prev = section;
    }
    out.push('"');
}

/// Appends `[url,title]` of a page.
fn push_page(out: &mut String, page: &IndexedPage) {
    out.push('[');
    push_str(out, &page.url);
    out.push(',');
    push_str(out, &page.title);
    out.push(']');
}

/// Appends `[anchor,heading,text(,lang,dir)]` of each section of a page, comma-separated.
fn push_sections(out: &mut String, page: &IndexedPage) {
    for (i, s) in page.sections.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        push_str(out, &s.anchor);
        out.push(',');
        push_str(out, &s.heading);
        out.push(',');
        push_str(out, &s.text);
        if s.lang.is_some() || s.dir.is_some() {
            out.push(',');
            push_str(out, s.lang.as_deref().unwrap_or(""));
            out.push(',');
            push_str(out, s.dir.as_deref().unwrap_or(""));
        }
        out.push(']');
    }
}

/// `{"pages":[…],"sections":[…]}` of some pages.
fn docs_json(pages: &[(&IndexedPage, usize)]) -> String {
    let mut out = String::from("{\"pages\":[");
    for (i, (p, _)) in pages.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_page(&mut out, p);
    }
    out.push_str("],\"sections\":[");
    let mut first = true;
    for (p, _) in pages {
        if !p.sections.is_empty() {
            if !first {
                out.push(',');
            }
            push_sections(&mut out, p);
            first = false;
        }
    }
    out.push_str("]}");
    out
}

/// About the bytes of a page's docs.
fn doc_size(page: &IndexedPage) -> usize {
    page.url.len()
        + page.title.len()
        + page
            .sections
            .iter()
            .map(|s| s.anchor.len() + s.heading.len() + s.text.len() + 12)
            .sum::<usize>()
        + 8
}

fn script(key: &str, json: &str) -> String {
    format!(
        "// Search index of barometre, loaded as a script so that it works from file://.\n\
         window.barometreSearch = window.barometreSearch || {{}};\n\
         window.barometreSearch[{}] = {json};\n",
        json_str(key)
    )
}

/// The manifest's fields shared by both forms: version, scripts, groups, pages.
fn head(input: &Input<'_>) -> String {
    let mut head = String::from("{\"v\":1,\"script\":");
    push_str(&mut head, input.script);
    head.push_str(",\"scripts\":{");
    for (i, (l, s)) in input.scripts.iter().enumerate() {
        if i > 0 {
            head.push(',');
        }
        push_str(&mut head, l);
        head.push(':');
        push_str(&mut head, s);
    }
    head.push_str("},\"groups\":[");
    for (i, g) in input.groups.iter().enumerate() {
        if i > 0 {
            head.push(',');
        }
        push_str(&mut head, g);
    }
    head.push_str("],\"pages\":[");
    let mut first = 0usize;
    for (i, (page, group)) in input.pages.iter().enumerate() {
        if i > 0 {
            head.push(',');
        }
        head.push_str(&format!("{group},{first}"));
        first += page.sections.len();
    }
    head.push(']');
    head
}

/// Writes the index scripts of one language into `emit`, the main one first. `main` is the
/// main script's path; shards go in the folder of the same name without `.js`.
pub(crate) fn write(
    input: &Input<'_>,
    main: &str,
    limits: Limits,
    emit: &mut Emit<'_>,
) -> Result<(), Error> {
    let postings = postings(input);
    let mut terms: Vec<usize> = (0..postings.len())
        .filter(|&t| !postings[t].is_empty())
        .collect();
    terms.sort_unstable_by(|&a, &b| input.names[a].cmp(&input.names[b]));
    // About the size of the whole index: a posting takes two or three characters.
    let size = terms
        .iter()
        .map(|&t| input.names[t].len() + 6 + 3 * postings[t].len())
        .sum::<usize>()
        + input.pages.iter().map(|(p, _)| doc_size(p)).sum::<usize>();
    let mut head = head(input);
    if size <= limits.inline {
        head.push_str(",\"terms\":{");
        for (i, &t) in terms.iter().enumerate() {
            if i > 0 {
                head.push(',');
            }
            push_term(&mut head, &input.names[t], &postings[t]);
        }
        head.push_str("},\"docs\":");
        head.push_str(&docs_json(&input.pages));
        head.push('}');
        return emit(main.to_string(), script(input.lang, &head));
    }
    let folder = main.strip_suffix(".js").unwrap_or(main);
    let keys = term_shards(input, &terms, &postings, limits, folder, emit)?;
    let starts = doc_shards(input, limits, folder, emit)?;
    head.push_str(",\"termShards\":{");
    for (i, (k, n)) in keys.iter().enumerate() {
        if i > 0 {
            head.push(',');
        }
        push_str(&mut head, k);
        head.push_str(&format!(":{n}"));
    }
    head.push_str("},\"docShards\":[");
    head.push_str(
        &starts
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(","),
    );
    head.push_str("]}");
    emit(main.to_string(), script(input.lang, &head))
}

/// Term shards: the stems of the same first two characters together, several keys a shard,
/// each shard written when full. Returns the shard of each key.
fn term_shards<'a>(
    input: &Input<'a>,
    terms: &[usize],
    postings: &[Vec<(u32, u8)>],
    limits: Limits,
    folder: &str,
    emit: &mut Emit<'_>,
) -> Result<BTreeMap<&'a str, usize>, Error> {
    let mut keys = BTreeMap::new();
    let mut shard = String::new();
    let mut n = 0usize;
    let mut flush = |shard: &mut String, n: &mut usize| -> Result<(), Error> {
        if shard.is_empty() {
            return Ok(());
        }
        let json = format!("{{{shard}}}");
        shard.clear();
        let key = format!("{}/t{n}", input.lang);
        emit(format!("{folder}/t{n}.js"), script(&key, &json))?;
        *n += 1;
        Ok(())
    };
    let mut i = 0;
    while i < terms.len() {
        let key = shard_key(&input.names[terms[i]]);
        let mut group = String::new();
        while i < terms.len() && shard_key(&input.names[terms[i]]) == key {
            if !group.is_empty() {
                group.push(',');
            }
            push_term(&mut group, &input.names[terms[i]], &postings[terms[i]]);
            i += 1;
        }
        if !shard.is_empty() && shard.len() + group.len() > limits.term_shard {
            flush(&mut shard, &mut n)?;
        }
        keys.insert(key, n);
        if !shard.is_empty() {
            shard.push(',');
        }
        shard.push_str(&group);
    }
    flush(&mut shard, &mut n)?;
    Ok(keys)
}

/// Doc shards: consecutive pages up to the limit. Returns the first page of each.
fn doc_shards(
    input: &Input<'_>,
    limits: Limits,
    folder: &str,
    emit: &mut Emit<'_>,
) -> Result<Vec<usize>, Error> {
    let pages = &input.pages;
    let mut starts = Vec::new();
    let mut from = 0;
    while from < pages.len() {
        let mut to = from;
        let mut bytes = 0;
        while to < pages.len() && (to == from || bytes + doc_size(pages[to].0) <= limits.doc_shard)
        {
            bytes += doc_size(pages[to].0);
            to += 1;
        }
        let d = starts.len();
        starts.push(from);
        let key = format!("{}/d{d}", input.lang);
        emit(
            format!("{folder}/d{d}.js"),
            script(&key, &docs_json(&pages[from..to])),
        )?;
        from = to;
    }
    Ok(starts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offline::search::text::Section;
    use std::collections::BTreeSet;

    fn decode(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut n = 0u32;
        for c in s.bytes() {
            let v = DIGITS.iter().position(|&d| d == c).unwrap() as u32;
            n = n * 32 + (v % 32);
            if v < 32 {
                out.push(n);
                n = 0;
            }
        }
        out
    }

    #[test]
    fn postings_are_short_base_32_numbers() {
        let mut s = String::new();
        for n in [0, 1, 31, 32, 1023, 1024, 70_000] {
            push_num(&mut s, n);
        }
        assert_eq!(s, "01VX0_VXW0YahG");
        assert_eq!(decode(&s), [0, 1, 31, 32, 1023, 1024, 70_000]);
        let mut t = String::new();
        push_term(&mut t, "ابتكار", &[(3, 12), (4, 1), (40, 3)]);
        assert_eq!(t, "\"ابتكار\":\"3C11X43\"");
    }

    /// Pages of `n` sections, each holding term `p % 7` (of stems `ab`, `ac`… in 7 keys).
    fn pages(n: usize) -> Vec<IndexedPage> {
        (0..n)
            .map(|p| IndexedPage {
                url: format!("fr/p{p:03}/index.html"),
                title: format!("Page {p}"),
                sections: (0..3)
                    .map(|s| Section {
                        anchor: if s == 0 {
                            String::new()
                        } else {
                            format!("s{s}")
                        },
                        heading: format!("Partie {s}"),
                        text: "mot ".repeat(40),
                        ..Section::default()
                    })
                    .collect(),
                postings: vec![((p % 7) as u32, 1, 4)],
            })
            .collect()
    }

    fn shards(n: usize, limits: Limits) -> BTreeMap<String, serde_json::Value> {
        let pages = pages(n);
        let names: Vec<Box<str>> = (0..7)
            .map(|i| format!("a{}x", (b'b' + i) as char).into())
            .collect();
        let scripts = BTreeMap::from([("fr".to_string(), "latin")]);
        let input = Input {
            lang: "fr",
            pages: pages.iter().map(|p| (p, 0)).collect(),
            groups: vec!["Édition".into()],
            names: &names,
            script: "latin",
            scripts: &scripts,
        };
        let mut files = BTreeMap::new();
        write(&input, "fr/search-index.fr.js", limits, &mut |path, js| {
            let json = js
                .split_once("] = ")
                .unwrap()
                .1
                .trim_end()
                .trim_end_matches(';');
            files.insert(path, serde_json::from_str(json).unwrap());
            Ok(())
        })
        .unwrap();
        files
    }

    #[test]
    fn a_small_index_is_one_script_and_a_large_one_shards_by_key_and_pages() {
        let one = shards(20, LIMITS);
        assert_eq!(one.keys().collect::<Vec<_>>(), ["fr/search-index.fr.js"]);
        let main = &one["fr/search-index.fr.js"];
        assert_eq!(main["pages"].as_array().unwrap().len(), 40);
        assert_eq!(main["pages"][3], 3, "page 1 starts at section 3");
        assert_eq!(main["terms"]["abx"], "14L4L4"); // pages 0, 7, 14: sections 1, 22, 43
        assert_eq!(main["docs"]["sections"].as_array().unwrap().len(), 60);

        let limits = Limits {
            inline: 1000,
            term_shard: 20,
            doc_shard: 2000,
        };
        let files = shards(20, limits);
        let main = &files["fr/search-index.fr.js"];
        assert!(main.get("terms").is_none() && main.get("docs").is_none());
        // Every key names a term shard holding exactly the stems of that key.
        let keys = main["termShards"].as_object().unwrap();
        assert_eq!(keys.len(), 7);
        for (key, n) in keys {
            let shard = &files[&format!("fr/search-index.fr/t{n}.js")];
            assert!(
                shard
                    .as_object()
                    .unwrap()
                    .keys()
                    .any(|s| s.starts_with(key.as_str()))
            );
        }
        // Doc shards: consecutive pages, all of them, each shard within the limit.
        let starts: Vec<u64> = main["docShards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert!(starts.len() > 2 && starts[0] == 0, "{starts:?}");
        let mut pages = 0;
        for (d, from) in starts.iter().enumerate() {
            let shard = &files[&format!("fr/search-index.fr/d{d}.js")];
            assert_eq!(pages, *from as usize);
            let n = shard["pages"].as_array().unwrap().len();
            assert_eq!(shard["sections"].as_array().unwrap().len(), 3 * n);
            assert_eq!(shard["pages"][0][0], format!("fr/p{from:03}/index.html"));
            pages += n;
        }
        assert_eq!(pages, 20);
        assert_eq!(
            files.len(),
            1 + keys
                .values()
                .map(|v| v.as_u64())
                .collect::<BTreeSet<_>>()
                .len()
                + starts.len()
        );
    }
}
