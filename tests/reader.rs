//! The reader's metadata (issue 12): the licence in every footer and in the feeds, how to cite
//! an edition (the line on its home and its `.bib`, `.ris`, CSL-JSON files read back), Open
//! Graph and Twitter card tags, the sitemap only with `base_url`, and contents that list every
//! heading a reader sees (on the shipped recommendations and meeting pages).

mod common;

use std::collections::BTreeMap;

use common::*;

const BASE: &str = "https://example.org/barometre/";
const EDITION: &str = "2021-vague-test";

const LICENCE: &str = "licence:
  name: CC-BY-4.0
  path: https://creativecommons.org/licenses/by/4.0/
  title: Creative Commons Attribution 4.0 International
  label:
    fr: Licence d’essai (CC BY 4.0)
    ar: ترخيص تجريبي (CC BY 4.0)
  status: intended
";

/// The `basic` fixture with a licence, and `base_url` when asked; built.
fn site(base_url: bool) -> (tempfile::TempDir, String) {
    let site = fixture("basic");
    let mut yaml = read(site.path(), "site.yaml");
    yaml.push_str(LICENCE);
    if base_url {
        yaml.push_str(&format!("base_url: {BASE}\n"));
    }
    write(site.path(), "site.yaml", &yaml);
    let out = barometre(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    (site, stderr(&out))
}

/// The `content` of every `<meta>` named `key` (by `property` or `name`).
fn meta(html: &str, key: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .filter(|(n, a)| {
            n == "meta"
                && (a.get("property").map(String::as_str) == Some(key)
                    || a.get("name").map(String::as_str) == Some(key))
        })
        .filter_map(|(_, a)| a.get("content").cloned())
        .collect()
}

/// A BibTeX file as records: (type, key, fields), fields read with nested braces.
fn parse_bibtex(text: &str) -> Vec<(String, String, BTreeMap<String, String>)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        rest = &rest[at + 1..];
        let open = rest.find('{').expect("record opens");
        let kind = rest[..open].trim().to_string();
        rest = &rest[open + 1..];
        let comma = rest.find(',').expect("key ends");
        let key = rest[..comma].trim().to_string();
        rest = &rest[comma + 1..];
        let mut fields = BTreeMap::new();
        loop {
            rest = rest.trim_start_matches([' ', '\n', ',']);
            if let Some(r) = rest.strip_prefix('}') {
                rest = r;
                break;
            }
            let eq = rest.find('=').expect("field has =");
            let name = rest[..eq].trim().to_string();
            rest = rest[eq + 1..].trim_start();
            assert!(rest.starts_with('{'), "braced value for {name}");
            let mut depth = 0;
            let mut end = 0;
            for (i, c) in rest.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            assert!(end > 0, "unbalanced braces in {name}");
            fields.insert(name, rest[1..end].to_string());
            rest = &rest[end + 1..];
        }
        out.push((kind, key, fields));
    }
    out
}

/// A RIS file as records of (tag, value) lines, checking each line's shape.
fn parse_ris(text: &str) -> Vec<Vec<(String, String)>> {
    let mut records = Vec::new();
    let mut current: Option<Vec<(String, String)>> = None;
    for line in text.split("\r\n") {
        if line.is_empty() {
            continue;
        }
        assert!(
            line.len() >= 6 && &line[2..6] == "  - ",
            "RIS line {line:?}"
        );
        let (tag, value) = (line[..2].to_string(), line[6..].to_string());
        match tag.as_str() {
            "TY" => {
                assert!(current.is_none(), "TY inside a record");
                current = Some(vec![(tag, value)]);
            }
            "ER" => records.push(current.take().expect("ER closes a record")),
            _ => current
                .as_mut()
                .expect("tag inside a record")
                .push((tag, value)),
        }
    }
    assert!(current.is_none(), "a record without ER");
    records
}

#[test]
fn licence_is_in_every_footer_and_the_feeds() {
    let (site, _) = site(false);
    let public = site.path().join("public");
    for (page, label) in [
        ("fr/index.html", "Licence d’essai (CC BY 4.0)"),
        (
            "fr/editions/2021-vague-test/intro/index.html",
            "Licence d’essai (CC BY 4.0)",
        ),
        ("ar/index.html", "ترخيص تجريبي (CC BY 4.0)"),
    ] {
        let html = read(&public, page);
        let footer = &html[html.find("<footer").expect("footer")..];
        let licence = tags(footer)
            .into_iter()
            .find(|(n, a)| n == "a" && a.get("rel").is_some_and(|r| r.contains("license")))
            .unwrap_or_else(|| panic!("{page}: no rel=license link"));
        assert_eq!(
            licence.1["href"],
            "https://creativecommons.org/licenses/by/4.0/"
        );
        assert!(footer.contains(label), "{page}");
        // `status: intended` is said, in words.
        let pending = if page.starts_with("ar") {
            "في انتظار تأكيده"
        } else {
            "en attente de confirmation"
        };
        assert!(footer.contains(pending), "{page}");
    }
    for lang in ["fr", "ar"] {
        let feed = read(&public, &format!("{lang}/atom.xml"));
        let rights = &feed[feed.find("<rights>").expect("rights")..feed.find("</rights>").unwrap()];
        assert!(
            rights.contains("CC BY 4.0") && rights.contains("creativecommons.org"),
            "{rights}"
        );
    }
}

#[test]
fn a_licence_that_is_not_spdx_or_not_an_address_is_refused_at_its_line() {
    let site = fixture("basic");
    let yaml = read(site.path(), "site.yaml");
    let lines = yaml.lines().count();
    write(
        site.path(),
        "site.yaml",
        &format!("{yaml}licence:\n  name: CC BY 4.0\n  path: creativecommons.org/by\n"),
    );
    let out = barometre(site.path(), &["check"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(&format!("site.yaml:{}", lines + 2)) && err.contains("SPDX"),
        "{err}"
    );
    assert!(
        err.contains(&format!("site.yaml:{}", lines + 3)) && err.contains("licence.path"),
        "{err}"
    );
}

#[test]
fn each_edition_has_a_citation_line_and_reference_files_that_parse_back() {
    for base_url in [false, true] {
        let (site, _) = site(base_url);
        let public = site.path().join("public");
        let home = read(&public, &format!("fr/editions/{EDITION}/index.html"));
        let line = &home[home.find("class=\"citation\"").expect("citation line")..];
        let line = &line[..line.find("</p>").unwrap()];
        for part in [
            "Fondation d’essai",
            "Vague de test 2021",
            "Baromètre d’essai",
            "1.1.0",
            "1 mai 2021",
        ] {
            assert!(line.contains(part), "{part} in {line}");
        }
        let url = format!("{BASE}fr/editions/{EDITION}/index.html");
        assert_eq!(line.contains(&url), base_url, "{line}");
        let hrefs: Vec<String> = tags(&home)
            .into_iter()
            .filter(|(n, _)| n == "a")
            .filter_map(|(_, a)| a.get("href").cloned())
            .collect();
        for ext in ["bib", "ris", "json"] {
            let href = format!("../../../data/{EDITION}/citation.{ext}");
            assert!(hrefs.contains(&href), "{href} linked from the edition home");
        }

        let bib = parse_bibtex(&read(&public, &format!("data/{EDITION}/citation.bib")));
        assert_eq!(bib.len(), 2, "one record per language");
        let (kind, key, f) = &bib[0];
        assert_eq!(
            (kind.as_str(), key.as_str()),
            ("misc", "2021-vague-test-fr")
        );
        assert_eq!(f["title"], "{Vague de test 2021}");
        assert_eq!(f["author"], "{Fondation d’essai}");
        assert_eq!(f["version"], "1.1.0");
        assert_eq!(f["year"], "2021");
        assert_eq!(f["date"], "2021-05-01");
        assert_eq!(
            f.get("url").map(String::as_str),
            base_url.then_some(url.as_str())
        );
        assert_eq!(bib[1].2["title"], "{الموجة التجريبية 2021}");

        let ris = parse_ris(&read(&public, &format!("data/{EDITION}/citation.ris")));
        assert_eq!(ris.len(), 2);
        let get = |r: &[(String, String)], tag: &str| {
            r.iter().find(|(t, _)| t == tag).map(|(_, v)| v.clone())
        };
        assert_eq!(get(&ris[0], "TY").as_deref(), Some("RPRT"));
        assert_eq!(get(&ris[0], "TI").as_deref(), Some("Vague de test 2021"));
        assert_eq!(get(&ris[0], "ET").as_deref(), Some("1.1.0"));
        assert_eq!(get(&ris[0], "DA").as_deref(), Some("2021/05/01/"));
        assert_eq!(get(&ris[1], "LA").as_deref(), Some("ar"));
        assert_eq!(get(&ris[0], "UR").is_some(), base_url);

        let csl: serde_json::Value =
            serde_json::from_str(&read(&public, &format!("data/{EDITION}/citation.json"))).unwrap();
        let items = csl.as_array().expect("CSL-JSON is an array");
        assert_eq!(items.len(), 2);
        for item in items {
            assert_eq!(item["type"], "report");
            assert!(item["title"].as_str().is_some_and(|t| !t.is_empty()));
            assert_eq!(
                item["issued"]["date-parts"],
                serde_json::json!([[2021, 5, 1]])
            );
            assert_eq!(item["version"], "1.1.0");
            assert_eq!(item.get("URL").is_some(), base_url);
        }
    }
}

#[test]
fn reference_files_are_the_same_bytes_on_every_build() {
    let (a, _) = site(true);
    let (b, _) = site(true);
    for ext in ["bib", "ris", "json"] {
        let rel = format!("public/data/{EDITION}/citation.{ext}");
        assert_eq!(read(a.path(), &rel), read(b.path(), &rel), "{rel}");
    }
}

#[test]
fn without_base_url_no_sitemap_and_a_warning_in_build_and_check() {
    let (site, err) = site(false);
    assert!(!site.path().join("public/sitemap.xml").exists());
    let warning = "warning: site.yaml: no `base_url`: sitemap.xml is not written";
    assert!(err.contains(warning), "build: {err}");
    let out = barometre(site.path(), &["check"]);
    assert!(out.status.success());
    assert!(stderr(&out).contains(warning), "check: {}", stderr(&out));
}

#[test]
fn with_base_url_the_sitemap_is_absolute() {
    let (site, err) = site(true);
    assert!(!err.contains("sitemap"), "{err}");
    let sitemap = read(site.path(), "public/sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| &s[..s.find("</loc>").unwrap()])
        .collect();
    assert!(locs.len() > 10, "{sitemap}");
    for loc in &locs {
        assert!(loc.starts_with(BASE), "{loc}");
    }
    for href in sitemap.split("href=\"").skip(1) {
        assert!(href.starts_with(BASE), "{href}");
    }
    assert!(locs.contains(&format!("{BASE}ar/editions/{EDITION}/index.html").as_str()));
}

#[test]
fn open_graph_and_twitter_tags_are_on_every_page_absolute_only_with_base_url() {
    for base_url in [false, true] {
        let (site, _) = site(base_url);
        let public = site.path().join("public");
        for page in [
            "index.html",
            "fr/index.html",
            "ar/index.html",
            "fr/editions/2021-vague-test/index.html",
            "ar/editions/2021-vague-test/intro/index.html",
            "fr/a-propos/index.html",
            "ar/editions/2021-vague-test/print.html",
        ] {
            let html = read(&public, page);
            let one = |key: &str| {
                let v = meta(&html, key);
                assert_eq!(v.len(), 1, "{page}: {key} {v:?}");
                v[0].clone()
            };
            assert!(!one("og:title").is_empty(), "{page}");
            assert!(!one("og:description").is_empty(), "{page}");
            assert!(["website", "article"].contains(&one("og:type").as_str()));
            let (locale, alternate) = if page.starts_with("ar") {
                ("ar_MA", "fr_FR")
            } else {
                ("fr_FR", "ar_MA")
            };
            assert_eq!(one("og:locale"), locale, "{page}");
            assert_eq!(meta(&html, "og:locale:alternate"), [alternate], "{page}");
            assert!(one("twitter:card").starts_with("summary"), "{page}");
            let urls = meta(&html, "og:url");
            if base_url {
                assert_eq!(urls, [format!("{BASE}{page}")], "{page}");
            } else {
                assert!(urls.is_empty(), "{page}: {urls:?}");
            }
            for image in meta(&html, "og:image") {
                assert!(base_url && image.starts_with(BASE), "{page}: {image}");
            }
        }
    }
}

/// The `id`s of the `h2` elements inside `<main>` but outside its `<nav>`s, and the `#…`
/// targets of the contents (`nav.toc`).
fn headings_and_toc(html: &str) -> (Vec<String>, Vec<String>) {
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    let toc_start = main.find("<nav class=\"toc\"").expect("a contents list");
    let toc = &main[toc_start..];
    let toc = &toc[..toc.find("</nav>").unwrap()];
    let targets = tags(toc)
        .into_iter()
        .filter(|(n, _)| n == "a")
        .filter_map(|(_, a)| a.get("href")?.strip_prefix('#').map(String::from))
        .collect();
    let mut ids = Vec::new();
    let mut nav = 0;
    for token in html5gum::Tokenizer::new(main).flatten() {
        match token {
            html5gum::Token::StartTag(t) if t.name.as_slice() == b"nav" => nav += 1,
            html5gum::Token::EndTag(t) if t.name.as_slice() == b"nav" => nav -= 1,
            html5gum::Token::StartTag(t) if t.name.as_slice() == b"h2" && nav == 0 => {
                if let Some(id) = t.attributes.get(b"id".as_slice()) {
                    ids.push(String::from_utf8_lossy(&id.value).into_owned());
                }
            }
            _ => {}
        }
    }
    (ids, targets)
}

#[test]
fn shipped_site_contents_list_every_section_and_its_licence_is_in_the_data_package() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("site");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_barometre"))
        .args(["-C", REPO, "-q", "build", "--out"])
        .arg(&public)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // The shipped licence is the foundation's intention, said so; datapackage.json carries
    // Frictionless fields only (the reader's label and status stay on the pages).
    let home = read(&public, "fr/index.html");
    assert!(
        home.contains("CC BY 4.0") && home.contains("en attente de confirmation"),
        "shipped footer"
    );
    let package: serde_json::Value = serde_json::from_str(&read(
        &public,
        "data/2020-rencontres-regionales/datapackage.json",
    ))
    .unwrap();
    assert_eq!(
        package["licenses"],
        serde_json::json!([{
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 International"
        }])
    );
    // The indicators index is in the main navigation; the feed and the version are said in
    // words.
    let nav = &home[home.find("class=\"site-nav\"").expect("main navigation")..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(
        nav.contains("href=\"../fr/indicateurs/index.html\""),
        "{nav}"
    );
    assert!(
        home.contains("Un lecteur de flux vous signale"),
        "feed in words"
    );
    let ed_home = read(&public, "ar/editions/2023-bism-vague-1/index.html");
    assert!(ed_home.contains("تقرؤون النسخة 1.1.0"), "version in words");
    let edition = "editions/2020-rencontres-regionales";
    for lang in ["fr", "ar"] {
        for page in ["recommandations", "oujda", "laayoune"] {
            let rel = format!("{lang}/{edition}/{page}/index.html");
            let (ids, targets) = headings_and_toc(&read(&public, &rel));
            // The template's data blocks are there: more than the Markdown's headings.
            assert!(ids.len() >= 8, "{rel}: {ids:?}");
            for id in &ids {
                assert!(targets.contains(id), "{rel}: `{id}` not in the contents");
            }
            for t in &targets {
                let html = read(&public, &rel);
                assert!(
                    html.contains(&format!("id=\"{t}\"")),
                    "{rel}: #{t} leads nowhere"
                );
            }
        }
    }
}
