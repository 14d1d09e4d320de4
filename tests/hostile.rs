//! Input that is honest but not careful, or not honest at all: each case gets a located error
//! (or a warning where the page stays safe), no crash, the same verdict from `build` and
//! `check`, and the previous output left as it was.

mod common;

use std::path::Path;
use std::process::Output;

use common::*;

const INTRO: &str = "editions/2021-vague-test/pages/intro.fr.md";
const WAVES_CSV: &str = "editions/2024-vague-2/data/reponses.csv";

/// A built fixture with its output, and the output's files before the hostile change.
struct Case {
    dir: tempfile::TempDir,
    before: std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
}

impl Case {
    fn new(fixture_name: &str) -> Case {
        let dir = fixture(fixture_name);
        let out = barometre(dir.path(), &["build"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let before = read_tree(&dir.path().join("public"));
        Case { dir, before }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `build` and `check` both fail with exit code 1 and a message containing every one of
    /// `expected`; the previous output is unchanged.
    fn fails(&self, expected: &[&str]) -> String {
        let build = barometre(self.root(), &["build"]);
        let check = barometre(self.root(), &["check"]);
        for (what, out) in [("build", &build), ("check", &check)] {
            assert_eq!(out.status.code(), Some(1), "{what}:\n{}", stderr(out));
            for e in expected {
                assert!(
                    stderr(out).contains(e),
                    "{what}: no `{e}` in:\n{}",
                    stderr(out)
                );
            }
        }
        assert_eq!(
            read_tree(&self.root().join("public")),
            self.before,
            "a failed build changed the output"
        );
        stderr(&build)
    }

    /// `build` and `check` both succeed, with every one of `expected` in their messages.
    fn passes(&self, expected: &[&str]) -> (Output, Output) {
        let build = barometre(self.root(), &["build"]);
        let check = barometre(self.root(), &["check"]);
        for (what, out) in [("build", &build), ("check", &check)] {
            assert!(out.status.success(), "{what}:\n{}", stderr(out));
            for e in expected {
                assert!(
                    stderr(out).contains(e),
                    "{what}: no `{e}` in:\n{}",
                    stderr(out)
                );
            }
        }
        (build, check)
    }

    fn page(&self, body: &str) {
        write(
            self.root(),
            INTRO,
            &format!("---\ntitle: Introduction\nweight: 1\n---\n## Objectifs\n\n{body}"),
        );
    }
}

#[test]
fn deeply_nested_lists_are_a_located_error_not_a_crash() {
    let case = Case::new("basic");
    case.page(&("- ".repeat(10_000) + "x\n"));
    case.fails(&[
        "editions/2021-vague-test/pages/intro.fr.md:7:",
        "nested more than 100 levels deep",
    ]);
    let indented: String = (0..2_000)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    case.page(&indented);
    case.fails(&["intro.fr.md:", "nested more than 100 levels deep"]);
}

#[test]
fn raw_html_is_shown_as_text_unless_allowed_and_scripts_never_pass() {
    let case = Case::new("basic");
    case.page("Texte <b>gras</b>.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n");
    // Four pieces of raw HTML: folded into one warning at the first, with their lines.
    let (build, _) = case.passes(&[
        "warning: editions/2021-vague-test/pages/intro.fr.md:7:7: 4 × raw HTML shown as text: line 7, line 9, line 11",
    ]);
    assert!(String::from_utf8_lossy(&build.stderr).contains("warning"));
    let html = read(
        case.root(),
        "public/fr/editions/2021-vague-test/intro/index.html",
    );
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "shown as its source: {html}"
    );
    assert!(html.contains("&lt;b&gt;gras&lt;/b&gt;"), "{html}");

    // With raw HTML allowed, markup passes but a script is an error at its line.
    let site = read(case.root(), "site.yaml");
    write(
        case.root(),
        "site.yaml",
        &format!("{site}markdown:\n  unsafe_html: true\n"),
    );
    case.page("Texte <b>gras</b>.\n\n<script>alert(1)</script>\n");
    let built = read_tree(&case.root().join("public"));
    let case = Case {
        before: built,
        ..case
    };
    case.fails(&["intro.fr.md:9:", "`<script>` is refused"]);
    case.page("Texte <b>gras</b>.\n\n<iframe src=\"http://tracker.example/\"></iframe>\n");
    case.fails(&["intro.fr.md:9:", "`<iframe>` is refused"]);
    case.page("<p style=\"background:url(http://tracker.example/p.gif)\">x</p>\n");
    case.fails(&["intro.fr.md:7:", "would be loaded from another host"]);
    case.page("Texte <b>gras</b> et <abbr title=\"économie sociale\">ESS</abbr>.\n");
    case.passes(&[]);
    let html = read(
        case.root(),
        "public/fr/editions/2021-vague-test/intro/index.html",
    );
    assert!(html.contains("<b>gras</b>"), "{html}");
}

#[test]
fn script_and_data_addresses_and_external_images_are_refused() {
    let case = Case::new("basic");
    case.page("[a](javascript:alert(1))\n");
    case.fails(&["intro.fr.md:7:1", "`javascript:` addresses are refused"]);
    case.page("Voir [b](data:text/html,coucou).\n");
    case.fails(&["intro.fr.md:7:6", "`data:` addresses are refused"]);
    case.page("![traceur](http://tracker.example/p.gif)\n");
    case.fails(&["intro.fr.md:7:1", "would be loaded from another host"]);
    // An outgoing link is fine.
    case.page("[source](https://example.org/rapport)\n");
    case.passes(&[]);
}

#[test]
fn build_and_check_agree_on_broken_links() {
    let case = Case::new("basic");
    case.page("[page](autre-page.html) et [ancre](@/a-propos#nulle-part)\n");
    let err = case.fails(&[
        "broken link `autre-page.html`",
        "broken link `../../../fr/a-propos/index.html#nulle-part`",
        "no element with id `nulle-part`",
    ]);
    // The problem names the Markdown file the page comes from, and the page.
    assert!(
        err.contains("error: editions/2021-vague-test/pages/intro.fr.md: broken link"),
        "{err}"
    );
    assert!(
        err.contains("in page fr/editions/2021-vague-test/intro/index.html"),
        "{err}"
    );
    assert!(!err.contains("public/"), "check writes nothing: {err}");
}

#[test]
fn a_published_edition_stays_frozen_through_a_detour_to_draft() {
    let case = Case::new("basic");
    let root = case.root();
    assert!(
        barometre(root, &["publish", "2021-vague-test"])
            .status
            .success()
    );
    let meta = "editions/2021-vague-test/edition.yaml";
    let text = read(root, meta).replace("status: published", "status: draft");
    write(root, meta, &text);
    case.page("Texte changé en douce.\n");
    let (build, check) = case.passes(&[
        "is marked `status: draft`, but it stays frozen: its folder has changed since without a new version",
    ]);
    assert!(stderr(&build).contains("warning: editions/2021-vague-test/edition.yaml:5:1"));
    assert!(stderr(&check).contains("marked draft but frozen at 1.1.0: CHANGED"));
    // `publish` refuses to freeze the same version with other contents.
    let out = barometre(root, &["publish", "2021-vague-test"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("version 1.1.0 of `2021-vague-test` was published with other contents"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn csv_exports_get_messages_that_say_what_to_do() {
    let case = Case::new("waves");
    let root = case.root();
    let csv = read(root, WAVES_CSV);
    // Latin-1, as an old Excel writes it.
    let mut latin1 = csv.replace("Non", "Plut\u{f4}t non").into_bytes();
    for i in 0..latin1.len() - 1 {
        if latin1[i] == 0xC3 && latin1[i + 1] == 0xB4 {
            latin1[i] = 0xF4;
            latin1[i + 1] = b'\x00';
        }
    }
    latin1.retain(|&b| b != 0);
    std::fs::write(root.join(WAVES_CSV), &latin1).unwrap();
    case.fails(&[
        "editions/2024-vague-2/data/reponses.csv:3:",
        "not UTF-8 (it looks like Latin-1/Windows-1252: this line would read `2,nord,Plutôt non,3`)",
        "re-export the file as UTF-8",
    ]);
    // `;`-delimited, as French Excel and KoboToolbox export it: detected, same figures.
    std::fs::write(root.join(WAVES_CSV), &csv).unwrap();
    case.passes(&[]);
    let comma = read(root, "public/data/2024-vague-2/confiance.csv");
    std::fs::write(root.join(WAVES_CSV), csv.replace(',', ";")).unwrap();
    case.passes(&[]);
    assert_eq!(read(root, "public/data/2024-vague-2/confiance.csv"), comma);
    // A declared delimiter the file does not use: the header reads as one column.
    let ind = "editions/2024-vague-2/data/indicators.yaml";
    let text = read(root, ind);
    write(
        root,
        ind,
        &text.replacen(
            "    column: q1\n",
            "    column: q1\n    delimiter: \",\"\n",
            1,
        ),
    );
    let before = read_tree(&root.join("public"));
    let case = Case { before, ..case };
    case.fails(&[
        "editions/2024-vague-2/data/reponses.csv:1:1",
        "no column `q1`",
        "the header does not split on the declared delimiter `,`",
    ]);
}

#[test]
fn a_theme_missing_a_string_the_engine_writes_is_an_error() {
    let case = Case::new("waves");
    let root = case.root();
    let fr = read(root, "themes/default/i18n/ar.yaml");
    let without: String = fr
        .lines()
        .filter(|l| !l.starts_with("value_unknown:"))
        .map(|l| format!("{l}\n"))
        .collect();
    write(root, "themes/default/i18n/ar.yaml", &without);
    case.fails(&[
        "error: themes/default/i18n/ar.yaml: missing UI string(s): value_unknown",
        "the generator writes value_unknown into pages itself",
    ]);
}

#[test]
fn paths_outside_the_project_are_named_plainly() {
    let case = Case::new("basic");
    let root = case.root();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.md"), "---\ntitle: x\n---\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("x.md"), root.join("content/x.fr.md")).unwrap();
    let err = case.fails(&["symbolic link leads outside the project folder (to /"]);
    assert!(!err.contains("(to //"), "{err}");
}

#[test]
fn many_missing_translations_fold_into_one_line_per_file_and_language() {
    let dir = fixture("basic");
    let root = dir.path();
    let site = read(root, "site.yaml");
    write(
        root,
        "site.yaml",
        &site.replace(
            "languages:\n",
            "languages:\n  - code: en\n    name: English\n    dir: ltr\n",
        ),
    );
    let en = read(root, "themes/default/i18n/fr.yaml");
    write(root, "themes/default/i18n/en.yaml", &en);
    let out = barometre(root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let folded = err
        .lines()
        .find(|l| {
            l.starts_with("warning: editions/2021-vague-test/edition.yaml:")
                && l.contains(" × missing `en` translation: ")
        })
        .unwrap_or_else(|| panic!("no folded line in:\n{err}"));
    assert!(folded.contains("`title`"), "{folded}");
    assert!(
        err.lines().count() < 40,
        "warnings not folded ({} lines):\n{err}",
        err.lines().count()
    );
}
