//! The inverted index of one language: terms (stems) → sections with a score, and the
//! sections' texts for the result snippets, written as scripts.
//!
//! Format (`window.barometreSearch["<lang>"]`, one script):
//!
//! ```text
//! {"v": 1,
//!  "script": the script of the language's words ("latin", "arabic"),
//!  "scripts": {"<lang>": script, …} of every language (to suggest the other search),
//!  "groups": [edition title, …, ""]   results are grouped by these ("" = outside editions),
//!  "pages": [group, first section, group, first section, …]   flat, in page order,
//!  "terms": {"<stem>": [section, score, Δsection, score, …], …}   sections delta-coded,
//!  "docs": {"pages": [[url, title], …], "sections": [[anchor, heading, text(, lang, dir)], …]}}
//! ```
//!
//! A large index is sharded instead of `terms` and `docs`: `"termShards": {"<first two
//! characters of a stem>": n, …}` names the script `<lang>/search-index.<lang>/t<n>.js` that
//! holds those stems' entries (`window.barometreSearch["<lang>/t<n>"] = {"<stem>": […]}`), and
//! `"docShards": [first page of shard n, …]` the script `…/d<n>.js` with the `docs` of those
//! pages. A query word of two characters or more needs one term shard (its first two
//! characters), and a result needs the doc shard of its page: nothing else is loaded.

use std::collections::BTreeMap;

/// What a page gives the index: its address and title, its sections, and its postings sorted
/// by term then section: (term, section in the page, score).
#[derive(Debug, Clone, Default)]
pub struct IndexedPage {
    pub url: String,
    pub title: String,
    pub sections: Vec<super::text::Section>,
    pub postings: Vec<(u32, u16, u8)>,
}

/// Above these sizes (bytes of JSON) the index is split: the whole index inline, a term
/// shard, a doc shard.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub inline: usize,
    pub term_shard: usize,
    pub doc_shard: usize,
}

pub const LIMITS: Limits = Limits {
    inline: 1 << 20,
    term_shard: 96 << 10,
    doc_shard: 48 << 10,
};

/// What the index scripts of one language are made of.
pub struct Input<'a> {
    pub lang: &'a str,
    /// Pages in index order (sorted by address), each with its group.
    pub pages: Vec<(&'a IndexedPage, usize)>,
    pub groups: Vec<String>,
    /// Term id → stem.
    pub names: &'a [Box<str>],
    pub script: &'a str,
    pub scripts: &'a BTreeMap<String, &'static str>,
}

/// A JSON string, also safe as JavaScript source in old engines (U+2028 and U+2029 escaped).
pub fn json_str(s: &str) -> String {
    let j = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    if j.contains(['\u{2028}', '\u{2029}']) {
        j.replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
    } else {
        j
    }
}

/// The first two characters of a stem: its term shard.
pub fn shard_key(stem: &str) -> &str {
    match stem.char_indices().nth(2) {
        Some((i, _)) => &stem[..i],
        None => stem,
    }
}

/// `"<stem>":[postings]` for every stem, sorted by stem.
fn term_entries<'a>(input: &Input<'a>) -> Vec<(&'a str, String)> {
    // Indexed by term id: no map lookup per posting.
    let mut postings: Vec<Vec<(u32, u8)>> = vec![Vec::new(); input.names.len()];
    let mut first = 0u32;
    for (page, _) in &input.pages {
        for &(term, section, score) in &page.postings {
            postings[term as usize].push((first + u32::from(section), score));
        }
        first += page.sections.len() as u32;
    }
    let mut out: Vec<(&'a str, String)> = postings
        .into_iter()
        .enumerate()
        .filter(|(_, list)| !list.is_empty())
        .map(|(term, list)| {
            let name: &'a str = &input.names[term];
            let mut s = json_str(name);
            s.reserve(list.len() * 4 + 3);
            s.push_str(":[");
            let mut prev = 0u32;
            for (i, (section, score)) in list.into_iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                push_num(&mut s, section - prev);
                s.push(',');
                push_num(&mut s, u32::from(score));
                prev = section;
            }
            s.push(']');
            (name, s)
        })
        .collect();
    out.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out
}

/// Appends the decimal digits of `n` (without the formatting machinery: millions of them).
fn push_num(s: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    s.extend(digits[i..].iter().map(|&d| char::from(d)));
}

/// `[url,title]` of a page and `[anchor,heading,text(,lang,dir)]` of each of its sections.
fn doc_entries(page: &IndexedPage) -> (String, Vec<String>) {
    let head = format!("[{},{}]", json_str(&page.url), json_str(&page.title));
    let sections = page
        .sections
        .iter()
        .map(|s| {
            let mut j = format!(
                "[{},{},{}",
                json_str(&s.anchor),
                json_str(&s.heading),
                json_str(&s.text)
            );
            if s.lang.is_some() || s.dir.is_some() {
                j.push(',');
                j.push_str(&json_str(s.lang.as_deref().unwrap_or("")));
                j.push(',');
                j.push_str(&json_str(s.dir.as_deref().unwrap_or("")));
            }
            j.push(']');
            j
        })
        .collect();
    (head, sections)
}

fn docs_json(docs: &[(String, Vec<String>)]) -> String {
    let pages: Vec<&str> = docs.iter().map(|(p, _)| p.as_str()).collect();
    let sections: Vec<&str> = docs
        .iter()
        .flat_map(|(_, s)| s.iter().map(String::as_str))
        .collect();
    format!(
        "{{\"pages\":[{}],\"sections\":[{}]}}",
        pages.join(","),
        sections.join(",")
    )
}

fn script(key: &str, json: &str) -> String {
    format!(
        "// Search index of barometre, loaded as a script so that it works from file://.\n\
         window.barometreSearch = window.barometreSearch || {{}};\n\
         window.barometreSearch[{}] = {json};\n",
        json_str(key)
    )
}

/// The index scripts of one language: (path, script), the main one first. `main` is the main
/// script's path; shards go in the folder of the same name without `.js`.
pub fn scripts(input: &Input<'_>, main: &str, limits: Limits) -> Vec<(String, String)> {
    let terms = term_entries(input);
    let docs: Vec<(String, Vec<String>)> =
        input.pages.iter().map(|(p, _)| doc_entries(p)).collect();
    let mut head = format!(
        "{{\"v\":1,\"script\":{},\"scripts\":{{{}}},\"groups\":[{}],\"pages\":[",
        json_str(input.script),
        input
            .scripts
            .iter()
            .map(|(l, s)| format!("{}:{}", json_str(l), json_str(s)))
            .collect::<Vec<_>>()
            .join(","),
        input
            .groups
            .iter()
            .map(|g| json_str(g))
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut first = 0usize;
    for (i, (page, group)) in input.pages.iter().enumerate() {
        if i > 0 {
            head.push(',');
        }
        head.push_str(&format!("{group},{first}"));
        first += page.sections.len();
    }
    head.push(']');
    let size = terms.iter().map(|(_, s)| s.len() + 1).sum::<usize>()
        + docs
            .iter()
            .map(|(p, s)| p.len() + s.iter().map(|x| x.len() + 1).sum::<usize>())
            .sum::<usize>();
    if size <= limits.inline {
        let terms: Vec<&str> = terms.iter().map(|(_, s)| s.as_str()).collect();
        let json = format!(
            "{head},\"terms\":{{{}}},\"docs\":{}}}",
            terms.join(","),
            docs_json(&docs)
        );
        return vec![(main.to_string(), script(input.lang, &json))];
    }
    sharded(input, main, limits, head, &terms, &docs)
}

fn sharded(
    input: &Input<'_>,
    main: &str,
    limits: Limits,
    mut head: String,
    terms: &[(&str, String)],
    docs: &[(String, Vec<String>)],
) -> Vec<(String, String)> {
    let folder = main.strip_suffix(".js").unwrap_or(main);
    let mut files = Vec::new();
    // Term shards: stems of the same first two characters together, several keys a shard.
    let mut keys: BTreeMap<&str, usize> = BTreeMap::new();
    let mut shard: Vec<&str> = Vec::new();
    let mut bytes = 0usize;
    let mut n = 0usize;
    let mut i = 0;
    let flush = |shard: &mut Vec<&str>, n: &mut usize, files: &mut Vec<(String, String)>| {
        if !shard.is_empty() {
            let json = format!("{{{}}}", shard.join(","));
            let key = format!("{}/t{n}", input.lang);
            files.push((format!("{folder}/t{n}.js"), script(&key, &json)));
            shard.clear();
            *n += 1;
        }
    };
    while i < terms.len() {
        let key = shard_key(terms[i].0);
        let mut j = i;
        let mut group = 0;
        while j < terms.len() && shard_key(terms[j].0) == key {
            group += terms[j].1.len() + 1;
            j += 1;
        }
        if bytes > 0 && bytes + group > limits.term_shard {
            flush(&mut shard, &mut n, &mut files);
            bytes = 0;
        }
        keys.insert(key, n);
        shard.extend(terms[i..j].iter().map(|(_, s)| s.as_str()));
        bytes += group;
        i = j;
    }
    flush(&mut shard, &mut n, &mut files);
    // Doc shards: consecutive pages.
    let mut starts = Vec::new();
    let mut from = 0;
    while from < docs.len() {
        let mut to = from;
        let mut bytes = 0;
        while to < docs.len() && (to == from || bytes + doc_size(&docs[to]) <= limits.doc_shard) {
            bytes += doc_size(&docs[to]);
            to += 1;
        }
        let d = starts.len();
        starts.push(from.to_string());
        let key = format!("{}/d{d}", input.lang);
        files.push((
            format!("{folder}/d{d}.js"),
            script(&key, &docs_json(&docs[from..to])),
        ));
        from = to;
    }
    let keys: Vec<String> = keys
        .into_iter()
        .map(|(k, n)| format!("{}:{n}", json_str(k)))
        .collect();
    head.push_str(&format!(
        ",\"termShards\":{{{}}},\"docShards\":[{}]}}",
        keys.join(","),
        starts.join(",")
    ));
    files.insert(0, (main.to_string(), script(input.lang, &head)));
    files
}

fn doc_size((page, sections): &(String, Vec<String>)) -> usize {
    page.len() + sections.iter().map(|s| s.len() + 1).sum::<usize>()
}
