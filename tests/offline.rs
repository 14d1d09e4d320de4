//! Reading offline and hosting mirrors: the print edition, `build --package`, `verify`,
//! canonical links and `base_url` and the Atom feeds, on the `basic` fixture (the search
//! index: `tests/search.rs`).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;

fn build_ok(root: &Path, extra: &[&str]) -> String {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let out = barometre(root, &args);
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `href`s of the `<a>` elements of a page.
fn anchors(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .filter(|(n, _)| n == "a")
        .filter_map(|(_, a)| a.get("href").cloned())
        .collect()
}

/// `<link>` elements whose `rel` contains `rel`.
fn links_rel(html: &str, rel: &str) -> Vec<BTreeMap<String, String>> {
    tags(html)
        .into_iter()
        .filter(|(n, a)| {
            n == "link"
                && a.get("rel")
                    .is_some_and(|r| r.split_whitespace().any(|x| x == rel))
        })
        .map(|(_, a)| a)
        .collect()
}

fn ids(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .filter_map(|(_, a)| a.get("id").cloned())
        .collect()
}

fn assert_links_ok(dir: &Path, base_url: Option<&str>) -> usize {
    let report = barometre::check_links(dir, base_url).unwrap();
    assert!(
        report.problems.is_empty(),
        "broken links in {}:\n{}",
        dir.display(),
        report
            .problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    report.links
}

fn unzip(bytes: &[u8], to: &Path) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let names = (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    archive.extract(to).expect("extract");
    names
}

#[test]
fn print_edition_gathers_pages_with_unique_ids_and_in_page_links() {
    let site = fixture("basic");
    // Two pages of one edition with the same heading and the same footnote label, and links
    // between them.
    write(
        site.path(),
        "editions/2021-vague-test/pages/alpha.fr.md",
        "---\ntitle: Rencontre d’Alpha\nweight: 2\ntemplate: meeting.html\nextra: {meeting: alpha}\n---\n\
         ## Objectifs\n\nVoir [l’introduction](@/editions/2021-vague-test/intro#objectifs), \
         [l’édition](@/editions/2021-vague-test) et [à propos](@/a-propos)[^1].\n\n[^1]: Note d’Alpha.\n",
    );
    write(
        site.path(),
        "editions/2021-vague-test/pages/intro.fr.md",
        "---\ntitle: Introduction\nweight: 1\n---\n## Objectifs\n\nTexte[^1] et [Alpha](@/editions/2021-vague-test/alpha).\n\n[^1]: Note de l’introduction.\n",
    );
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    for lang in ["fr", "ar"] {
        for ed in ["2021-vague-test", "2019-rencontres-test"] {
            let home = read(&public, &format!("{lang}/editions/{ed}/index.html"));
            assert!(
                anchors(&home).contains(&format!("../../../{lang}/editions/{ed}/print.html")),
                "{lang} {ed}: the edition home links its print version"
            );
        }
    }
    let print = read(&public, "fr/editions/2021-vague-test/print.html");
    let all_ids = ids(&print);
    let unique: BTreeSet<&String> = all_ids.iter().collect();
    assert_eq!(unique.len(), all_ids.len(), "duplicate ids: {all_ids:?}");
    for id in [
        "_cover",
        "intro",
        "alpha",
        "intro--objectifs",
        "alpha--objectifs",
        "intro--fn-1",
        "alpha--fn-1",
        "alpha--speakers",
        "_versions",
    ] {
        assert!(
            all_ids.iter().any(|i| i == id),
            "no id `{id}` in {all_ids:?}"
        );
    }
    let hrefs = anchors(&print);
    for h in [
        "#intro--objectifs",
        "#_cover",
        "#alpha",
        "#intro",
        "#alpha--fn-1",
    ] {
        assert!(hrefs.iter().any(|x| x == h), "no link {h} in {hrefs:?}");
    }
    // A page outside the edition stays a relative link to the site.
    assert!(
        hrefs.iter().any(|x| x == "../../../fr/a-propos/index.html"),
        "{hrefs:?}"
    );
    // No navigation chrome of the site pages, and the Arabic print page is right-to-left.
    assert!(!print.contains("site-nav"));
    assert!(read(&public, "ar/editions/2021-vague-test/print.html").contains("dir=\"rtl\""));
    assert_links_ok(&public, None);
}

#[test]
fn packages_are_deterministic_self_contained_and_listed_in_the_manifest() {
    let site = fixture("basic");
    let stdout = build_ok(site.path(), &["--package"]);
    assert!(stdout.contains("downloads/site-fr.zip"), "{stdout}");
    let public = site.path().join("public");
    let first = read_tree(&public.join("downloads"));
    let expected: BTreeSet<PathBuf> = [
        "site-fr.zip",
        "site-ar.zip",
        "edition-2021-vague-test-fr.zip",
        "edition-2021-vague-test-ar.zip",
        "edition-2019-rencontres-test-fr.zip",
        "edition-2019-rencontres-test-ar.zip",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    assert_eq!(first.keys().cloned().collect::<BTreeSet<_>>(), expected);

    // Listed in manifest.json with their sha256.
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&public, "manifest.json")).unwrap();
    for (name, bytes) in &first {
        let path = format!("downloads/{}", name.display());
        let entry = manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path.as_str())
            .unwrap_or_else(|| panic!("{path} not in manifest.json"));
        use sha2::Digest;
        let sha = sha2::Sha256::digest(bytes);
        let hex: String = sha.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(entry["sha256"], hex.as_str());
        assert_eq!(entry["size"], bytes.len() as u64);
    }

    // The pages link their downloads.
    let ed_home = read(&public, "fr/editions/2021-vague-test/index.html");
    let hrefs = anchors(&ed_home);
    for h in [
        "../../../downloads/edition-2021-vague-test-fr.zip",
        "../../../downloads/site-fr.zip",
    ] {
        assert!(hrefs.iter().any(|x| x == h), "no link {h} in {hrefs:?}");
    }
    assert_links_ok(&public, None);

    // A second build gives byte-identical zips.
    build_ok(site.path(), &["--package"]);
    assert_eq!(read_tree(&public.join("downloads")), first);

    // Each zip opens from disk: a root index.html, no broken link, its own manifest.
    for (name, bytes) in &first {
        let name = name.display().to_string();
        let dir = tempfile::tempdir().unwrap();
        let names = unzip(bytes, dir.path());
        assert!(
            names.contains(&"index.html".to_string()),
            "{name}: {names:?}"
        );
        assert!(
            !names.iter().any(|n| n.starts_with("downloads/")),
            "{name} contains downloads: {names:?}"
        );
        assert!(
            assert_links_ok(dir.path(), None) > 10,
            "{name}: too few links"
        );
        let report = barometre::verify_dir(dir.path()).unwrap();
        assert!(report.is_clean(), "{name}: {report:?}");
        let lang = if name.ends_with("-fr.zip") {
            "fr"
        } else {
            "ar"
        };
        let other = if lang == "fr" { "ar/" } else { "fr/" };
        assert!(
            !names.iter().any(|n| n.starts_with(other)),
            "{name} holds the other language: {names:?}"
        );
        let root = read(dir.path(), "index.html");
        if let Some(id) = name
            .strip_prefix("edition-")
            .and_then(|n| n.strip_suffix(&format!("-{lang}.zip")))
        {
            let prefix = format!("{lang}/editions/{id}/");
            for n in names.iter().filter(|n| n.ends_with(".html")) {
                assert!(
                    n == "index.html" || n.starts_with(&prefix),
                    "{name}: page {n} is not of the edition"
                );
            }
            assert!(names.contains(&format!("{prefix}print.html")), "{names:?}");
            assert!(!names.iter().any(|n| n.ends_with("atom.xml")), "{names:?}");
            assert!(
                anchors(&root).contains(&format!("{prefix}index.html")),
                "{name}: the root page opens the edition"
            );
            // Its search index covers that edition only.
            let index = read(dir.path(), &format!("{lang}/search-index.{lang}.js"));
            assert!(
                index.contains(&prefix) && !index.contains("a-propos"),
                "{index}"
            );
        } else {
            assert!(names.contains(&format!("{lang}/a-propos/index.html")));
            assert!(names.contains(&format!("{lang}/atom.xml")));
            assert!(anchors(&root).contains(&format!("{lang}/index.html")));
        }
    }

    // Without --package: no downloads, and no link to them.
    build_ok(site.path(), &[]);
    assert!(!public.join("downloads").exists());
    assert!(!read(&public, "fr/editions/2021-vague-test/index.html").contains(".zip"));
}

#[test]
fn verify_lists_missing_altered_and_extra_files_of_a_mirror() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    // A partner's mirror under a sub-path: a plain copy, no rebuild.
    let mirror = tempfile::tempdir().unwrap();
    let copy = mirror.path().join("partner/barometre");
    copy_tree(&site.path().join("public"), &copy);
    assert_links_ok(&copy, None);
    let ok = barometre(site.path(), &["verify", copy.to_str().unwrap()]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let files = read_tree(&copy).len() - 1;
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains(&format!("verified {files} files")),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );

    // Same size, one byte changed: only the hash tells.
    let altered = copy.join("fr/index.html");
    let mut bytes = std::fs::read(&altered).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 0x01;
    std::fs::write(&altered, bytes).unwrap();
    std::fs::remove_file(copy.join("assets/css/site.css")).unwrap();
    write(&copy, "ar/extra.html", "<p>not ours</p>");
    let bad = barometre(site.path(), &["verify", copy.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1), "{}", stderr(&bad));
    let stdout = String::from_utf8_lossy(&bad.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "missing: assets/css/site.css",
            "altered: fr/index.html",
            "extra: ar/extra.html"
        ]
    );
    assert!(
        stderr(&bad).contains("1 missing, 1 altered, 1 extra"),
        "{}",
        stderr(&bad)
    );

    let report = barometre::verify_dir(&copy).unwrap();
    assert_eq!(report.ok, files - 2);

    // Not a built site at all.
    let none = barometre(site.path(), &["verify", mirror.path().to_str().unwrap()]);
    assert_eq!(none.status.code(), Some(3));
    assert!(
        stderr(&none).contains("no manifest.json"),
        "{}",
        stderr(&none)
    );
}

#[test]
fn base_url_gives_canonical_links_an_absolute_sitemap_and_feed_ids() {
    let base = "https://example.org/barometre/";
    let site = fixture("basic");
    let yaml = read(site.path(), "site.yaml");
    write(
        site.path(),
        "site.yaml",
        &format!("{yaml}base_url: {base}\n"),
    );
    build_ok(site.path(), &["--package"]);
    let public = site.path().join("public");
    for page in [
        "fr/index.html",
        "ar/editions/2021-vague-test/intro/index.html",
        "fr/editions/2021-vague-test/print.html",
    ] {
        let canonical = links_rel(&read(&public, page), "canonical");
        assert_eq!(canonical.len(), 1, "{page}");
        assert_eq!(canonical[0]["href"], format!("{base}{page}"));
    }
    let sitemap = read(&public, "sitemap.xml");
    assert!(
        sitemap.contains(&format!("<loc>{base}fr/index.html</loc>")),
        "{sitemap}"
    );
    let feed = read(&public, "ar/atom.xml");
    assert!(
        feed.contains(&format!("<id>{base}ar/atom.xml</id>")),
        "{feed}"
    );
    assert!(
        feed.contains(&format!(
            "href=\"{base}ar/editions/2021-vague-test/index.html\""
        )),
        "{feed}"
    );
    // Pages never link the main site except by their canonical link: mirrors keep working.
    assert_links_ok(&public, Some(base));

    // In a package, links to pages left out point to the main site.
    let zip = std::fs::read(public.join("downloads/edition-2021-vague-test-fr.zip")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    unzip(&zip, dir.path());
    let home = read(dir.path(), "fr/editions/2021-vague-test/index.html");
    assert!(
        anchors(&home).contains(&format!("{base}fr/a-propos/index.html")),
        "{:?}",
        anchors(&home)
    );
    assert_links_ok(dir.path(), None);
}

#[test]
fn without_base_url_everything_stays_relative() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    assert!(links_rel(&read(&public, "fr/index.html"), "canonical").is_empty());
    // A sitemap needs absolute addresses: none without base_url (tests/reader.rs).
    assert!(!public.join("sitemap.xml").exists());
    let feed = read(&public, "fr/atom.xml");
    assert!(
        feed.contains("<id>tag:barometre-d-essai,2021-03-01:fr/atom.xml</id>"),
        "{feed}"
    );
    assert!(
        feed.contains("href=\"editions/2021-vague-test/index.html\""),
        "{feed}"
    );
}

#[test]
fn atom_feed_announces_each_version_and_pages_link_it() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    for lang in ["fr", "ar"] {
        let feed = read(&public, &format!("{lang}/atom.xml"));
        assert!(feed.starts_with("<?xml"), "{feed}");
        assert!(feed.contains(&format!("xml:lang=\"{lang}\"")));
        let entries: Vec<&str> = feed.split("<entry>").skip(1).collect();
        // Versions 1.1.0 then 1.0.0 of the 2021 wave; the 2019 draft has no date.
        assert_eq!(entries.len(), 2, "{feed}");
        assert!(entries[0].contains("<updated>2021-05-01T00:00:00Z</updated>"));
        assert!(entries[0].contains("1.1.0") && entries[1].contains("1.0.0"));
        assert!(feed.contains("<updated>2021-05-01T00:00:00Z</updated>\n  <link rel=\"self\""));
        let page = format!("{lang}/editions/2019-rencontres-test/synthese/index.html");
        let alt: Vec<_> = links_rel(&read(&public, &page), "alternate")
            .into_iter()
            .filter(|a| a.get("type").map(String::as_str) == Some("application/atom+xml"))
            .collect();
        assert_eq!(alt.len(), 1, "{page}");
        assert_eq!(alt[0]["href"], format!("../../../../{lang}/atom.xml"));
    }
    assert!(read(&public, "ar/atom.xml").contains("تصحيح."));
}
