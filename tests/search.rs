//! The offline search index: its sections and addresses on the `basic` fixture, its size on
//! the shipped site, its shards, and the agreement of the two stemmers (Rust at index time,
//! the theme's `search.js` at query time, run with Node) on the words of the shipped site.
//!
//! The word lists `tests/fixtures/search/words.<lang>.txt` are the distinct words of the
//! shipped site's indexes; `BAROMETRE_WRITE_WORDS=1 cargo test --test search stemmers` writes
//! them again from the current content.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use barometre::internals::search_words as words;
use common::*;

/// The JSON of an index script (`window.barometreSearch[key] = …;`).
fn script_json(js: &str) -> serde_json::Value {
    let start = js.find("window.barometreSearch[\"").expect("the global") + 1;
    let json = js[start..]
        .split_once("] = ")
        .expect("an assignment")
        .1
        .trim_end();
    serde_json::from_str(json.trim_end_matches(';')).expect("JSON")
}

fn index(public: &Path, lang: &str) -> serde_json::Value {
    script_json(&read(public, &format!("{lang}/search-index.{lang}.js")))
}

fn build(root: &Path, out: &Path) {
    let o = barometre(root, &["build", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
}

/// (url, title, [(anchor, heading, text)]) of every page of an inline index.
fn pages(index: &serde_json::Value) -> Vec<(String, String, Vec<[String; 3]>)> {
    let flat = index["pages"].as_array().unwrap();
    let docs = &index["docs"];
    let sections = docs["sections"].as_array().unwrap();
    let s = |v: &serde_json::Value| v.as_str().unwrap().to_string();
    (0..flat.len() / 2)
        .map(|p| {
            let from = flat[2 * p + 1].as_u64().unwrap() as usize;
            let to = flat
                .get(2 * p + 3)
                .map_or(sections.len(), |v| v.as_u64().unwrap() as usize);
            let page = &docs["pages"][p];
            let secs = sections[from..to]
                .iter()
                .map(|x| [s(&x[0]), s(&x[1]), s(&x[2])])
                .collect();
            (s(&page[0]), s(&page[1]), secs)
        })
        .collect()
}

fn stem(word: &str) -> String {
    words::forms(words::normalize(word).trim())[0].stem.clone()
}

#[test]
fn every_page_is_indexed_by_section_with_anchors_that_exist() {
    let site = fixture("basic");
    let public = site.path().join("public");
    build(site.path(), &public);
    for lang in ["fr", "ar"] {
        let index = index(&public, lang);
        let pages = pages(&index);
        // The home, 2 edition homes, 3 edition pages, 2 site pages: the pages a reader opens
        // (not the print pages, the entry or 404).
        let urls: Vec<&str> = pages.iter().map(|(u, _, _)| u.as_str()).collect();
        assert_eq!(urls.len(), 8, "{urls:?}");
        assert!(!urls.iter().any(|u| u.ends_with("print.html")), "{urls:?}");
        let mut sorted = urls.clone();
        sorted.sort();
        assert_eq!(urls, sorted, "pages in address order");
        for (url, title, sections) in &pages {
            assert!(url.starts_with(&format!("{lang}/")), "{url}");
            let html = read(&public, url);
            assert!(
                html.contains(&format!(">{title}</h1>")),
                "{url}: title {title}"
            );
            assert_eq!(sections[0][0], "", "{url}: the top of the page first");
            for [anchor, _, _] in &sections[1..] {
                assert!(
                    html.contains(&format!("id=\"{anchor}\"")),
                    "{url}: no id {anchor}"
                );
            }
        }
    }
    // مقدمة (a title) and الأهداف (a heading) under their stems; the heading opens its section.
    let ar = index(&public, "ar");
    assert!(ar["terms"].get(stem("مقدمة")).is_some(), "{}", ar["terms"]);
    assert!(ar["terms"].get(stem("الأهداف")).is_some());
    let intro = pages(&ar)
        .into_iter()
        .find(|(u, _, _)| u == "ar/editions/2021-vague-test/intro/index.html")
        .unwrap();
    assert!(
        intro
            .2
            .iter()
            .any(|[a, h, _]| a == "الأهداف" && h == "الأهداف"),
        "{:?}",
        intro.2
    );
    let fr = index(&public, "fr");
    assert_eq!(stem("Synthèse"), "synthes");
    assert!(fr["terms"].get("synthes").is_some());
    assert_eq!(fr["script"], "latin");
    assert_eq!(ar["script"], "arabic");
    assert_eq!(ar["scripts"]["fr"], "latin");
    // Every page with the site's chrome has the (hidden) box, its index, its messages and the
    // other language's twin for a query in the other script.
    let page = read(&public, "ar/editions/2021-vague-test/intro/index.html");
    for needle in [
        "data-index=\"../../../../ar/search-index.ar.js\"",
        "data-root=\"../../../../\"",
        "data-loading=\"جارٍ التحميل…\"",
        "<p class=\"site-search-other\" data-lang=\"fr\" hidden>",
        "href=\"../../../../fr/editions/2021-vague-test/intro/index.html\" hreflang=\"fr\"",
        "<script src=\"../../../../assets/js/search.js\" defer></script>",
    ] {
        assert!(page.contains(needle), "{needle}");
    }
}

/// Gzipped size of `bytes` (best compression, as a server or a zip would serve it).
fn gzipped(bytes: &[u8]) -> usize {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap().len()
}

/// The shipped site, built once into a temporary folder.
fn shipped() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        build(Path::new(REPO), &dir.path().join("public"));
        dir
    })
    .path()
}

#[test]
fn the_shipped_index_stays_within_its_budget_and_holds_the_body_text() {
    let public = shipped().join("public");
    for lang in ["fr", "ar"] {
        // Every script of the language's index: the main one and its shards, if any.
        let main = public.join(format!("{lang}/search-index.{lang}.js"));
        let mut files = vec![main.clone()];
        let folder = public.join(format!("{lang}/search-index.{lang}"));
        if folder.is_dir() {
            files.extend(
                std::fs::read_dir(&folder)
                    .unwrap()
                    .map(|e| e.unwrap().path()),
            );
        }
        let (raw, gz) = files.iter().fold((0, 0), |(r, g), f| {
            let b = std::fs::read(f).unwrap();
            (r + b.len(), g + gzipped(&b))
        });
        println!("{lang}: {} files, {raw} bytes, {gz} gzipped", files.len());
        assert!(
            gz <= 150 * 1024,
            "{lang}: the index weighs {gz} bytes gzipped"
        );
    }
    // The words of the table are in the index: body text included.
    let fr = index(&public, "fr");
    let ar = index(&public, "ar");
    for word in ["PAVECO", "Jerada", "femmes", "ESS"] {
        assert!(fr["terms"].get(stem(word)).is_some(), "fr: {word}");
    }
    for word in ["الابتكار", "ابتكار", "تضامني", "مسؤولية", "المرأة", "PAVECO"]
    {
        assert!(ar["terms"].get(stem(word)).is_some(), "ar: {word}");
    }
    assert_eq!(stem("الابتكار"), stem("ابتكار"));
    assert_eq!(stem("والتضامني"), stem("تضامني"));
    assert_eq!(stem("المسؤولية"), stem("مسؤولية"));
    // A glossary entry is a section of its own.
    let glossary = pages(&fr)
        .into_iter()
        .find(|(u, _, _)| u == "fr/glossaire/index.html")
        .unwrap();
    assert!(
        glossary
            .2
            .iter()
            .any(|[a, h, t]| a == "économie-sociale-et-solidaire-ess"
                && h.contains("(ESS)")
                && t.contains("L’ESS")),
        "{:?}",
        glossary.2.iter().map(|s| &s[0]).collect::<Vec<_>>()
    );
}

/// The distinct words of the titles, headings and texts of a shipped index, in `script`.
fn site_words(index: &serde_json::Value, script: words::Script) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, title, sections) in pages(index) {
        let texts = std::iter::once(title).chain(sections.into_iter().flat_map(|[_, h, t]| [h, t]));
        for text in texts {
            for w in text.split(|c: char| !words::is_word_char(c)) {
                let n = words::normalize(w);
                if n.trim().chars().count() >= 2 && words::script(n.trim()) == script {
                    out.insert(w.to_string());
                }
            }
        }
    }
    out
}

/// A word as a stemmer sees it: (normalised, script, [(stem, whole)]).
type Stemmed = (String, String, Vec<(String, String)>);

#[test]
fn stemmers_of_rust_and_javascript_agree_on_the_words_of_the_site() {
    let lists = [("fr", words::Script::Latin), ("ar", words::Script::Arabic)];
    if std::env::var_os("BAROMETRE_WRITE_WORDS").is_some() {
        let public = shipped().join("public");
        for (lang, script) in lists {
            let list: Vec<String> = site_words(&index(&public, lang), script)
                .into_iter()
                .collect();
            write(
                Path::new(REPO),
                &format!("tests/fixtures/search/words.{lang}.txt"),
                &(list.join("\n") + "\n"),
            );
        }
    }
    let js = Path::new(REPO).join("themes/default/static/js/search.js");
    let runner = "const vm = require('vm'), fs = require('fs'); const ctx = {}; vm.createContext(ctx);\
        vm.runInContext(fs.readFileSync(process.argv[1], 'utf8'), ctx); const t = ctx.barometreSearchText;\
        const out = fs.readFileSync(0, 'utf8').split('\\n').filter(Boolean).map((w) => {\
          const n = t.normalize(w).trim(); return [n, t.script(n), t.forms(n).map((f) => [f.stem, f.whole])]; });\
        process.stdout.write(JSON.stringify(out));";
    for (lang, script) in lists {
        let list = read(
            Path::new(REPO),
            &format!("tests/fixtures/search/words.{lang}.txt"),
        );
        let list: Vec<&str> = list.lines().collect();
        assert!(list.len() >= 2000, "{lang}: {} words", list.len());
        let mut node = Command::new("node")
            .arg("-e")
            .arg(runner)
            .arg(&js)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node (Node.js) runs the theme's search.js");
        node.stdin
            .take()
            .unwrap()
            .write_all(list.join("\n").as_bytes())
            .unwrap();
        let out = node.wait_with_output().unwrap();
        assert!(out.status.success(), "node failed");
        let from_js: Vec<Stemmed> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(from_js.len(), list.len());
        let mut differ = Vec::new();
        let mut stemmed = 0;
        for (word, js) in list.iter().zip(&from_js) {
            let n = words::normalize(word).trim().to_string();
            let forms: Vec<(String, String)> = words::forms(&n)
                .into_iter()
                .map(|f| (f.stem, f.whole))
                .collect();
            assert_eq!(
                words::script(&n),
                script,
                "{lang}: {word} is not in the list's script"
            );
            if forms[0].0 != n {
                stemmed += 1;
            }
            let rust = (n.clone(), words::script(&n).name().to_string(), forms);
            if &rust != js {
                differ.push(format!("{word}: rust {rust:?}, js {js:?}"));
            }
        }
        assert!(
            differ.is_empty(),
            "{lang}: {} words differ:\n{}",
            differ.len(),
            differ[..differ.len().min(20)].join("\n")
        );
        // The stemmers do something: most words of the site lose an affix.
        assert!(
            stemmed * 2 > list.len(),
            "{lang}: only {stemmed} of {} words stemmed",
            list.len()
        );
    }
}
