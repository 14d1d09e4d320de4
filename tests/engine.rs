//! The engine's contract on small fixture projects: languages and directions, the offline link
//! check, determinism, atomicity, a third language, path safety, located errors.

mod common;

use std::path::Path;

use common::*;

/// `(lang, dir)` of the `<html>` element of a page.
fn html_lang_dir(html: &str) -> (String, String) {
    for token in html5gum::Tokenizer::new(html).flatten() {
        if let html5gum::Token::StartTag(tag) = token
            && tag.name.as_slice() == b"html"
        {
            let get = |k: &str| {
                tag.attributes
                    .get(k.as_bytes())
                    .map(|v| String::from_utf8_lossy(&v.value).into_owned())
                    .unwrap_or_default()
            };
            return (get("lang"), get("dir"));
        }
    }
    panic!("no <html> element");
}

fn build_ok(root: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let out = barometre(root, &args);
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
    out
}

#[test]
fn fixture_builds_with_lang_dir_and_working_relative_links() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let tree = read_tree(&public);
    let pages: Vec<_> = tree
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    // entry + 404 + per language: home, 2 editions, 3 edition pages, 2 site pages, 2 print
    // editions.
    assert_eq!(pages.len(), 2 + 2 * (1 + 2 + 3 + 2 + 2), "{pages:?}");
    for page in &pages {
        let html = String::from_utf8_lossy(&tree[*page]);
        let (lang, dir) = html_lang_dir(&html);
        let first = page
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .into_owned();
        match first.as_str() {
            "ar" => assert_eq!((lang.as_str(), dir.as_str()), ("ar", "rtl"), "{page:?}"),
            _ => assert_eq!((lang.as_str(), dir.as_str()), ("fr", "ltr"), "{page:?}"),
        }
    }
    let report = barometre::check_links(&public, None).unwrap();
    assert!(
        report.links > 200,
        "too few links checked: {}",
        report.links
    );
    assert!(
        report.problems.is_empty(),
        "broken links:\n{}",
        report
            .problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Every page links its twin in the other language.
    let fr = read(&public, "fr/editions/2021-vague-test/intro/index.html");
    assert!(
        fr.contains("hreflang=\"ar\""),
        "no hreflang alternate: {fr}"
    );
    assert!(fr.contains("../../../ar/editions/2021-vague-test/intro/index.html"));
    // Internal Markdown links became relative paths naming index.html, with their fragment.
    let about = read(&public, "fr/a-propos/index.html");
    assert!(
        about.contains("../../fr/editions/2021-vague-test/intro/index.html#objectifs"),
        "{about}"
    );
}

#[test]
fn link_check_catches_absolute_and_missing_targets() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    write(
        &public,
        "fr/bad.html",
        "<a href=/fr/index.html>a</a><a href=../ar/index.html#nope>b</a><a href=missing.html>c</a><a href=https://barometre.example/fr/>d</a>",
    );
    let report = barometre::check_links(&public, Some("https://barometre.example/")).unwrap();
    let whys: Vec<&str> = report.problems.iter().map(|p| p.why.as_str()).collect();
    assert_eq!(report.problems.len(), 4, "{whys:?}");
    assert!(whys.iter().any(|w| w.contains("starts with `/`")));
    assert!(whys.iter().any(|w| w.contains("no element with id `nope`")));
    assert!(whys.iter().any(|w| w.contains("no such file")));
    assert!(whys.iter().any(|w| w.contains("site itself")));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = fixture("basic");
    build_ok(site.path(), &["--out", "one"]);
    build_ok(site.path(), &["--out", "two"]);
    let one = read_tree(&site.path().join("one"));
    let two = read_tree(&site.path().join("two"));
    assert!(one.len() > 20);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(bytes == &two[path], "{path:?} differs between builds");
    }
}

#[test]
fn manifest_lists_every_file_with_size_and_sha256() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let manifest: barometre::Manifest =
        serde_json::from_str(&read(&public, "manifest.json")).unwrap();
    let tree = read_tree(&public);
    assert_eq!(
        manifest.files.len(),
        tree.len() - 1,
        "every file but the manifest itself"
    );
    for entry in &manifest.files {
        let bytes = &tree[Path::new(&entry.path)];
        assert_eq!(entry.size, bytes.len() as u64, "{}", entry.path);
        use sha2::Digest;
        assert_eq!(
            entry.sha256,
            barometre::internals::hex(&sha2::Sha256::digest(bytes))
        );
    }
}

#[test]
fn malformed_yaml_fails_with_location_and_keeps_previous_output() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let before = read_tree(&public);
    write(
        site.path(),
        "editions/2021-vague-test/edition.yaml",
        "id: 2021-vague-test\nkind: barometer-wave\nyear: [2021\n",
    );
    let out = barometre(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("editions/2021-vague-test/edition.yaml:3:"),
        "no file:line in error:\n{err}"
    );
    assert!(
        err.contains("3 | year: [2021"),
        "offending line not shown:\n{err}"
    );
    assert_eq!(read_tree(&public), before, "previous output was changed");
    // No temporary folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn several_errors_are_reported_in_one_run() {
    let site = fixture("basic");
    write(
        site.path(),
        "editions/2021-vague-test/edition.yaml",
        &read(site.path(), "editions/2021-vague-test/edition.yaml")
            .replace("year: 2021", "year: deux-mille"),
    );
    write(
        site.path(),
        "content/a-propos.fr.md",
        "---\ntitle: À propos\nweight: lourd\n---\nTexte\n",
    );
    write(
        site.path(),
        "editions/2019-rencontres-test/pages/synthese.fr.md",
        "---\ntitle: Synthèse\n---\nVoir [ailleurs](@/nulle-part).\n",
    );
    let out = barometre(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("editions/2021-vague-test/edition.yaml:3:7:"),
        "{err}"
    );
    assert!(
        err.contains("deux-mille"),
        "the wrong value is named or shown: {err}"
    );
    assert!(err.contains("content/a-propos.fr.md:3:"), "{err}");
    // Links are checked after loading succeeds: fix the parse errors, the link error shows.
    write(
        site.path(),
        "content/a-propos.fr.md",
        "---\ntitle: À propos\n---\nTexte\n",
    );
    write(
        site.path(),
        "editions/2021-vague-test/edition.yaml",
        &read(site.path(), "editions/2021-vague-test/edition.yaml")
            .replace("year: deux-mille", "year: 2021"),
    );
    let out = barometre(site.path(), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("editions/2019-rencontres-test/pages/synthese.fr.md:4:"),
        "{err}"
    );
    assert!(err.contains("`@/nulle-part`: no such page"), "{err}");
}

#[test]
fn a_third_language_yields_a_third_tree() {
    let site = fixture("basic");
    let root = site.path();
    let yaml = read(root, "site.yaml").replace(
        "theme: default",
        "  - code: en\n    name: English\n    dir: ltr\ntheme: default",
    );
    // The new language entry must sit inside `languages:`, which ends right before `theme:`.
    write(root, "site.yaml", &yaml);
    let fr = read(root, "themes/default/i18n/fr.yaml");
    write(root, "themes/default/i18n/en.yaml", &fr);
    let out = build_ok(root, &[]);
    let public = root.join("public");
    for page in [
        "en/index.html",
        "en/a-propos/index.html",
        "en/editions/2021-vague-test/index.html",
        "en/editions/2021-vague-test/intro/index.html",
    ] {
        let html = read(&public, page);
        assert_eq!(html_lang_dir(&html), ("en".into(), "ltr".into()), "{page}");
    }
    // No English text exists: pages fall back to French with a visible notice.
    let intro = read(&public, "en/editions/2021-vague-test/intro/index.html");
    assert!(intro.contains("notice-fallback"), "{intro}");
    // The notice speaks the page's language; only the fallback text is French.
    assert!(
        intro.contains(r#"<p class="notice notice-fallback" role="note" lang="en" dir="ltr">"#),
        "{intro}"
    );
    assert!(
        intro.contains(r#"<div class="prose" lang="fr" dir="ltr">"#),
        "{intro}"
    );
    let glossary = read(&public, "ar/glossaire/index.html");
    assert!(
        glossary.contains(r#"<p class="notice notice-fallback" role="note" lang="ar" dir="rtl">"#),
        "an Arabic notice runs right to left: {glossary}"
    );
    assert!(intro.contains("Objectifs"));
    let err = stderr(&out);
    assert!(
        err.contains("missing `en` translation of page `intro`"),
        "{err}"
    );
    let header = err
        .lines()
        .find(|l| l.starts_with("translation coverage"))
        .unwrap_or_else(|| panic!("no coverage table:\n{err}"));
    assert_eq!(
        header.split_whitespace().skip(2).collect::<Vec<_>>(),
        ["fr", "ar", "en"],
        "coverage table lacks the new language:\n{err}"
    );
    // French pages now link their English twin.
    assert!(read(&public, "fr/index.html").contains("hreflang=\"en\""));
}

#[test]
fn missing_translation_falls_back_with_notice_and_strict_fails() {
    let site = fixture("basic");
    let out = build_ok(site.path(), &[]);
    let err = stderr(&out);
    assert!(
        err.contains(
            "warning: content/glossaire.ar.md: missing `ar` translation of page `glossaire`"
        ),
        "{err}"
    );
    assert!(err.contains("80 % (4/5)"), "coverage summary:\n{err}");
    let page = read(&site.path().join("public"), "ar/glossaire/index.html");
    assert!(page.contains("notice-fallback"));
    assert!(
        page.contains("Innovation sociale"),
        "French text shown as fallback"
    );
    let strict = barometre(site.path(), &["build", "--strict", "--out", "strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stderr(&strict).contains("error: content/glossaire.ar.md"),
        "{}",
        stderr(&strict)
    );
    assert!(!site.path().join("strict").exists());
}

#[test]
fn path_traversal_in_ids_and_slugs_is_rejected() {
    let site = fixture("basic");
    let root = site.path();
    // A slug with dots, an edition id pointing upwards, a theme name climbing out.
    write(root, "content/..%2f..%2fetc.fr.md", "---\ntitle: x\n---\n");
    std::fs::create_dir_all(root.join("editions/Evil.Edition/pages")).unwrap();
    write(
        root,
        "editions/Evil.Edition/edition.yaml",
        "id: ../../outside\nkind: barometer-wave\nyear: 2020\nversion: 1.0.0\nstatus: draft\ntitle: {fr: x}\nsummary: {fr: x}\n",
    );
    let out = barometre(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("must use only a-z, 0-9 and `-`"), "{err}");
    assert!(err.contains("editions/Evil.Edition"), "{err}");
    assert!(!root.join("public").exists());
    assert!(!root.parent().unwrap().join("outside").exists());

    let site = fixture("basic");
    let root = site.path();
    write(
        root,
        "site.yaml",
        &read(root, "site.yaml").replace("theme: default", "theme: ../../etc"),
    );
    let out = barometre(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("site.yaml:"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("theme name `../../etc`"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn symlinks_leading_outside_the_project_are_refused() {
    let site = fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret.fr.md",
        "---\ntitle: secret\n---\nsecret\n",
    );
    std::os::unix::fs::symlink(
        outside.path().join("secret.fr.md"),
        site.path().join("content/secret.fr.md"),
    )
    .unwrap();
    let out = barometre(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("symbolic link leads outside the project"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_language_and_template_errors_are_located() {
    let site = fixture("basic");
    let root = site.path();
    write(
        root,
        "editions/2019-rencontres-test/edition.yaml",
        &read(root, "editions/2019-rencontres-test/edition.yaml")
            .replace("  ar: لقاءات تجريبية 2019", "  ra: لقاءات تجريبية 2019"),
    );
    let out = barometre(root, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("editions/2019-rencontres-test/edition.yaml:7:"),
        "{err}"
    );
    assert!(err.contains("unknown language `ra` in `title`"), "{err}");
    assert!(err.contains("did you mean `ar`?"), "{err}");

    let site = fixture("basic");
    let root = site.path();
    write(
        root,
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title | no_such_filter }}\n{% endblock main %}\n",
    );
    let out = barometre(root, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("themes/default/templates/page.html:3:"),
        "{err}"
    );
    assert!(err.contains("no_such_filter"), "{err}");
}

#[test]
fn refuses_to_replace_a_folder_that_is_not_a_previous_output() {
    let site = fixture("basic");
    write(site.path(), "precious/notes.txt", "keep me");
    let out = barometre(site.path(), &["build", "--out", "precious"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("refusing to use"), "{}", stderr(&out));
    assert_eq!(read(site.path(), "precious/notes.txt"), "keep me");
    let out = barometre(site.path(), &["build", "--out", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert!(site.path().join("site.yaml").exists());
}

#[test]
fn numbers_and_dates_follow_the_locale() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let fr = read(&public, "fr/editions/2021-vague-test/index.html");
    assert!(fr.contains("1\u{202f}200"), "French thousands separator");
    assert!(fr.contains("12,5"), "French decimal comma");
    assert!(fr.contains("1 mars 2021"), "French date");
    let ar = read(&public, "ar/editions/2021-vague-test/index.html");
    // Moroccan month names differ from the standard Arabic ones for May (ماي, not مايو):
    // the changelog entry of 1 May 2021.
    assert!(
        ar.contains("1 ماي 2021"),
        "Moroccan Arabic month name: {ar}"
    );
    assert!(!ar.contains("مايو"), "standard Arabic month name: {ar}");
    // Labels from data are escaped: markup in a name renders as text.
    let alpha = read(&public, "fr/editions/2021-vague-test/alpha/index.html");
    assert!(alpha.contains("A. &lt;Nom"), "{alpha}");
    assert!(!alpha.contains("<Nom>"), "{alpha}");
}

/// The link check scans pages with a small scanner of its own (`syntax::scan`): on every page of
/// the shipped site it must find exactly the ids and references a spec-complete HTML5 tokenizer
/// finds.
#[test]
fn the_page_scanner_agrees_with_html5gum_on_the_shipped_site() {
    use html5gum::{Token, Tokenizer};
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let o = barometre(
        Path::new(REPO),
        &["build", "--package", "--out", site.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut pages = 0;
    for (path, bytes) in read_tree(&site) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        let (ids, refs) = barometre::internals::page_links(&html);
        let mut want_ids = std::collections::BTreeSet::new();
        let mut want_refs = Vec::new();
        for token in Tokenizer::new(&html).flatten() {
            if let Token::StartTag(tag) = token {
                let attr = |n: &str| {
                    tag.attributes
                        .get(n.as_bytes())
                        .map(|v| String::from_utf8_lossy(&v.value).into_owned())
                };
                want_ids.extend(attr("id"));
                if tag.name.as_slice() == b"a" {
                    want_ids.extend(attr("name"));
                }
                let canonical =
                    attr("rel").is_some_and(|r| r.split_whitespace().any(|x| x == "canonical"));
                for key in ["href", "src"] {
                    if let Some(v) = attr(key) {
                        want_refs.push((v, canonical));
                    }
                }
            }
        }
        assert_eq!(ids, want_ids, "ids of {}", path.display());
        assert_eq!(refs, want_refs, "references of {}", path.display());
    }
    assert!(pages > 60, "{pages} pages");
}
