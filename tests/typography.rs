//! Typography per language (issue 14): the French rules at render time, numbers that read
//! backwards in a right-to-left language, and counts in words by CLDR plural category.

mod common;

use std::path::Path;

use barometre::Severity;
use barometre::internals::{EmbedError, Hooks, Prose, Typography, markdown, typography};
use common::*;

/// `_` for U+202F (narrow no-break space) and `~` for U+00A0 (no-break space).
fn shown(text: &str) -> String {
    text.replace('\u{202f}', "_").replace('\u{a0}', "~")
}

fn fr(text: &str) -> String {
    shown(&typography::apply(Typography::French, text))
}

#[test]
fn french_rules_put_no_break_spaces_where_lines_must_not_break() {
    let cases = [
        // Ordinary spaces become no-break ones.
        (
            "Pourquoi ? Parce que ; voici : « oui » !",
            "Pourquoi_? Parce que_; voici~: «_oui_»_!",
        ),
        // Missing ones are added after a word.
        ("Pourquoi? Voici: «oui»!", "Pourquoi_? Voici~: «_oui_»_!"),
        ("«?»", "«_?_»"),
        ("Quoi?!", "Quoi_?!"),
        // What is not prose stays as written.
        ("à 10:30", "à 10:30"),
        ("http://example.org/a?b=c", "http://example.org/a?b=c"),
        ("voir https://example.org!", "voir https://example.org!"),
        ("voir https://example.org !", "voir https://example.org !"),
        ("écrire à nom@example.org:", "écrire à nom@example.org:"),
        ("id:valeur (?)", "id:valeur (?)"),
        // Existing no-break spaces are kept.
        ("Quoi\u{a0}? «\u{a0}oui\u{a0}»", "Quoi~? «~oui~»"),
        // Arabic words (a fallback text on a French page) are left alone.
        ("«الابتكار» المصدر:", "«الابتكار» المصدر:"),
    ];
    for (text, expected) in cases {
        assert_eq!(fr(text), expected, "{text}");
        // Idempotent: once applied, applying again changes nothing.
        let once = typography::apply(Typography::French, text).into_owned();
        assert_eq!(fr(&once), expected, "second run on {text}");
    }
    assert_eq!(
        typography::apply(Typography::None, "Pourquoi ? « oui »"),
        "Pourquoi ? « oui »"
    );
}

struct NoHooks;
impl Hooks for NoHooks {
    fn resolve_link(&self, _: &str) -> Option<String> {
        Some("fr/a/index.html".into())
    }
    fn embed(&self, _: &str, _: &str, _: usize) -> Option<Result<String, EmbedError>> {
        None
    }
}

fn md(body: &str, prose: Prose) -> markdown::Output {
    let input = markdown::Input {
        file: Path::new("content/p.fr.md"),
        body,
        first_line: 4,
        root: "../",
        id_prefix: "",
        prose,
    };
    markdown::to_html(&input, &NoHooks)
}

const FRENCH: Prose = Prose {
    typography: Typography::French,
    digit_groups: None,
};

#[test]
fn french_rules_apply_to_markdown_text_only() {
    let body = "## Pourquoi ?\n\n**Note**: « *oui* » ; voir [le site ?](https://example.org/?q=a \"Titre ?\") !\n\n\
        Code `a ; b ?` et ![Alt ?](img.png).\n\n```\nx = a ? b : c;\n```\n\n    indenté ?\n\nFin\n: suite\n";
    let out = md(body, FRENCH);
    let html = shown(&out.html);
    assert!(
        html.contains("<h2 id=\"pourquoi\">Pourquoi_?</h2>"),
        "{html}"
    );
    assert_eq!(
        out.toc[0].title, "Pourquoi\u{202f}?",
        "the contents show the title as the page does"
    );
    // Across emphasis: the sign after `**Note**`, the guillemets around `*oui*`.
    assert!(
        html.contains("<strong>Note</strong>~: «_<em>oui</em>_»_;"),
        "{html}"
    );
    // A link's text follows the rules; its address and title do not.
    assert!(
        html.contains("href=\"https://example.org/?q=a\" title=\"Titre ?\">le site_?</a>_!"),
        "{html}"
    );
    // Code spans, code blocks, an image's description: as written.
    assert!(html.contains("<code>a ; b ?</code>"), "{html}");
    assert!(html.contains("alt=\"Alt ?\""), "{html}");
    assert!(html.contains("x = a ? b : c;"), "{html}");
    assert!(html.contains("indenté ?"), "{html}");
    // A line break before `:` would start a line with it: it becomes a no-break space.
    assert!(html.contains("Fin~: suite"), "{html}");
    // Without rules, the same body is published as written.
    let plain = md(body, Prose::default());
    assert!(plain.html.contains("Pourquoi ?</h2>"), "{}", plain.html);
    assert!(!plain.html.contains('\u{202f}') && !plain.html.contains('\u{a0}'));
}

#[test]
fn raw_html_shown_as_text_is_left_as_written() {
    let out = md("Texte <b>gras</b> : fin\n", FRENCH);
    // The tags are shown as text (raw HTML is off), the prose around them follows the rules.
    assert!(
        shown(&out.html).contains("&lt;b&gt;gras&lt;/b&gt;~: fin"),
        "{}",
        out.html
    );
}

#[test]
fn a_number_split_by_a_space_in_an_arabic_body_is_located() {
    let prose = Prose {
        typography: Typography::None,
        digit_groups: Some(Severity::Warning),
    };
    let out = md(
        "مقدمة.\n\nاستفاد نحو 65 000 شخص، و12\u{202f}000 آخرون.\n\n`1 000` في الشيفرة.\n",
        prose,
    );
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    let d = &out.diagnostics[0];
    // Body line 3 is file line 6; `65 000` starts at character 12.
    assert_eq!((d.pos.line, d.pos.column), (6, 12), "{d}");
    assert_eq!(d.severity, Severity::Warning);
    let text = d.to_string();
    assert!(
        text.starts_with("warning: content/p.fr.md:6:12: `65 000`"),
        "{text}"
    );
    assert!(text.contains("right-to-left page shows `000 65`"), "{text}");
    assert!(
        text.contains("hint: write 65 000 as 65\u{202f}000 (U+202F"),
        "{text}"
    );
    // The HTML keeps the text as written: the author fixes the source.
    assert!(out.html.contains("65 000"));
}

/// The basic fixture with `fr` under the French rules.
fn french_fixture() -> tempfile::TempDir {
    let site = fixture("basic");
    let yaml = read(site.path(), "site.yaml").replace(
        "    name: Français\n    dir: ltr\n",
        "    name: Français\n    dir: ltr\n    typography: french\n",
    );
    assert!(yaml.contains("typography: french"));
    write(site.path(), "site.yaml", &yaml);
    site
}

#[test]
fn check_reports_arabic_numbers_split_by_a_space_with_their_location() {
    let site = fixture("basic");
    let root = site.path();
    write(
        root,
        "editions/2019-rencontres-test/pages/synthese.ar.md",
        "---\ntitle: خلاصة 1 500 مشارك\n---\nنص الخلاصة.\n\nشارك 65 000 شخص.\n",
    );
    let edition = read(root, "editions/2019-rencontres-test/edition.yaml").replace(
        "  ar: لقاءات للاختبارات.",
        "  ar: >\n    لقاءات\n    جمعت 2 500 فاعل.",
    );
    write(root, "editions/2019-rencontres-test/edition.yaml", &edition);
    write(
        root,
        "editions/2019-rencontres-test/data/facts.yaml",
        "- id: a\n  text: {fr: 3 000 personnes, ar: 3 000 شخص}\n- id: b\n  text:\n    fr: 3 000 personnes\n    ar: نحو 3 000 شخص\n",
    );
    let out = barometre(root, &["check"]);
    let err = stderr(&out);
    assert!(out.status.success(), "a warning without --strict:\n{err}");
    let expect = [
        // The Markdown body (checked as it is rendered): file line and character column.
        "warning: editions/2019-rencontres-test/pages/synthese.ar.md:6:6: `65 000`: its digit groups are separated by a breakable space, so a right-to-left page shows `000 65`",
        // Front matter.
        "warning: editions/2019-rencontres-test/pages/synthese.ar.md:2:14: `1 500`",
        // A text per language in edition.yaml, in a folded value under `ar:`.
        "warning: editions/2019-rencontres-test/edition.yaml:13:10: `2 500`",
        // Free data: each map's Arabic value, not the French one.
        "warning: editions/2019-rencontres-test/data/facts.yaml:2:35: `3 000`",
        "warning: editions/2019-rencontres-test/data/facts.yaml:6:13: `3 000`",
    ];
    for e in expect {
        assert!(err.contains(e), "missing `{e}` in:\n{err}");
    }
    assert!(
        err.contains("= hint: write 65 000 as 65\u{202f}000"),
        "{err}"
    );
    assert!(err.contains("6 | شارك 65 000 شخص."), "snippet:\n{err}");
    assert_eq!(err.matches("right-to-left page shows").count(), 5, "{err}");
    // `build` reaches the same verdict; `--strict` makes them errors and nothing is written.
    let build = barometre(root, &["build", "--out", "out"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert_eq!(
        stderr(&build).matches("right-to-left page shows").count(),
        5
    );
    let strict = barometre(root, &["build", "--strict", "--out", "strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    let err = stderr(&strict);
    assert!(
        err.contains("error: editions/2019-rencontres-test/edition.yaml:13:10: `2 500`"),
        "{err}"
    );
    assert!(!root.join("strict").exists(), "nothing is written");
    let check = barometre(root, &["check", "--strict"]);
    assert_eq!(check.status.code(), Some(1));
}

#[test]
fn a_fixed_number_passes() {
    let site = fixture("basic");
    let root = site.path();
    write(
        root,
        "editions/2019-rencontres-test/pages/synthese.ar.md",
        "---\ntitle: خلاصة\n---\nشارك 65\u{202f}000 شخص و1\u{a0}200 آخرون، سنة 2020.\n",
    );
    let out = barometre(root, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("right-to-left"), "{}", stderr(&out));
}

#[test]
fn french_pages_follow_the_rules_from_titles_to_search_index() {
    let site = french_fixture();
    let root = site.path();
    write(
        root,
        "content/a-propos.fr.md",
        "---\ntitle: Qui sommes-nous ?\ndescription: \"Une question : la nôtre.\"\n---\nNotre but : « comprendre ».\n\n`code : intact`\n",
    );
    write(
        root,
        "content/a-propos.ar.md",
        "---\ntitle: من نحن؟\n---\nهدفنا: «الفهم».\n",
    );
    let edition = read(root, "editions/2019-rencontres-test/edition.yaml").replace(
        "fr: Des rencontres pour les tests.",
        "fr: Des rencontres ; pour qui?",
    );
    write(root, "editions/2019-rencontres-test/edition.yaml", &edition);
    let out = barometre(root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = root.join("public");
    let page = shown(&read(&public, "fr/a-propos/index.html"));
    assert!(page.contains("<title>Qui sommes-nous_? · "), "{page}");
    assert!(
        page.contains("content=\"Une question~: la nôtre.\""),
        "{page}"
    );
    assert!(page.contains("<h1>Qui sommes-nous_?</h1>"), "{page}");
    assert!(page.contains("Notre but~: «_comprendre_»."), "{page}");
    assert!(page.contains("<code>code : intact</code>"), "{page}");
    // Data texts printed by the theme follow them too, in the page and in its head.
    let edition = shown(&read(
        &public,
        "fr/editions/2019-rencontres-test/index.html",
    ));
    assert!(
        edition.contains("<p class=\"lead\">Des rencontres_; pour qui_?</p>"),
        "{edition}"
    );
    assert!(
        edition.contains("content=\"Des rencontres_; pour qui_?\""),
        "{edition}"
    );
    // Arabic has no rules: its page is as written.
    let ar = read(&public, "ar/a-propos/index.html");
    assert!(ar.contains("هدفنا: «الفهم»."), "{ar}");
    // The search index keeps the title as the page shows it.
    let index = read(&public, "fr/search-index.fr.js");
    assert!(index.contains("\"Qui sommes-nous\u{202f}?\""), "{index}");
}

#[test]
fn without_typography_the_output_is_as_written() {
    let site = fixture("basic");
    write(
        site.path(),
        "content/a-propos.fr.md",
        "---\ntitle: Qui sommes-nous ?\n---\nNotre but : « comprendre ».\n",
    );
    let out = barometre(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(&site.path().join("public"), "fr/a-propos/index.html");
    assert!(page.contains("<h1>Qui sommes-nous ?</h1>"), "{page}");
    assert!(page.contains("Notre but : « comprendre »."), "{page}");
}

#[test]
fn an_unknown_rule_set_is_a_located_error() {
    let site = fixture("basic");
    let yaml = read(site.path(), "site.yaml").replace(
        "    name: Français\n    dir: ltr\n",
        "    name: Français\n    dir: ltr\n    typography: francais\n",
    );
    write(site.path(), "site.yaml", &yaml);
    let out = barometre(site.path(), &["build", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "error: site.yaml:15:17: unknown variant `francais`, expected one of none, french"
        ),
        "{err}"
    );
    assert!(!site.path().join("out").exists());
}

/// CLDR's cardinal rules for integers, as the CLDR charts state them (not the engine's code):
/// French `one`: i = 0,1; `many`: a whole number of millions; `other`. Arabic `zero`: n = 0;
/// `one`: 1; `two`: 2; `few`: n % 100 = 3..10; `many`: n % 100 = 11..99; `other`.
fn cldr(lang: &str, n: u64) -> &'static str {
    match lang {
        "fr" if n <= 1 => "one",
        "fr" if n.is_multiple_of(1_000_000) => "many",
        "fr" => "other",
        _ => match (n, n % 100) {
            (0, _) => "zero",
            (1, _) => "one",
            (2, _) => "two",
            (_, 3..=10) => "few",
            (_, 11..=99) => "many",
            _ => "other",
        },
    }
}

#[test]
fn counts_take_the_form_of_their_cldr_plural_category() {
    const COUNTS: [u64; 16] = [
        0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 103, 111, 200, 1000, 1200, 1_000_000,
    ];
    let site = fixture("basic");
    let root = site.path();
    let list: Vec<String> = COUNTS.iter().map(u64::to_string).collect();
    write(
        root,
        "themes/default/templates/counts.html",
        &format!(
            "{{% for n in [{}] %}}[{{{{ n | plural(key=\"respondents\") }}}}]{{% endfor %}}",
            list.join(", ")
        ),
    );
    let page =
        read(root, "content/a-propos.fr.md").replacen("---\n", "---\ntemplate: counts.html\n", 1);
    write(root, "content/a-propos.fr.md", &page);
    let out = barometre(root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The forms the shipped theme gives each category (French and Moroccan Arabic grammar).
    let form = |lang: &str, category: &str, n: &str| -> String {
        match (lang, category) {
            ("fr", "one") => format!("{n} répondant"),
            ("fr", "many") => format!("{n} de répondants"),
            ("fr", _) => format!("{n} répondants"),
            (_, "zero") => "لا مشاركين".into(),
            (_, "one") => "مشارك واحد".into(),
            (_, "two") => "مشاركان".into(),
            (_, "few") => format!("{n} مشاركين"),
            (_, "many") => format!("{n} مشاركا"),
            _ => format!("{n} مشارك"),
        }
    };
    for lang in ["fr", "ar"] {
        let html = read(&root.join("public"), &format!("{lang}/a-propos/index.html"));
        let expected: String = COUNTS
            .iter()
            .map(|&n| {
                // Numbers per locale: French groups with U+202F, ar-MA with a dot.
                let digits = n.to_string();
                let mut grouped = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 {
                        grouped.push(if lang == "fr" { '\u{202f}' } else { '.' });
                    }
                    grouped.push(c);
                }
                format!("[{}]", form(lang, cldr(lang, n), &grouped))
            })
            .collect();
        assert_eq!(html.trim(), expected, "{lang}");
    }
    let ar = read(&root.join("public"), "ar/a-propos/index.html");
    assert!(ar.contains("[200 مشارك]") && ar.contains("[11 مشاركا]") && ar.contains("[3 مشاركين]"));
}

#[test]
fn a_count_key_without_its_other_form_is_an_error_and_a_missing_category_a_warning() {
    let site = fixture("basic");
    let root = site.path();
    let ar = read(root, "themes/default/i18n/ar.yaml");
    let without_other: String = ar
        .lines()
        .filter(|l| !l.starts_with("respondents.other:") && !l.starts_with("respondents.few:"))
        .map(|l| format!("{l}\n"))
        .collect();
    write(root, "themes/default/i18n/ar.yaml", &without_other);
    let out = barometre(root, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let line = without_other
        .lines()
        .position(|l| l.starts_with("respondents."))
        .expect("a respondents form")
        + 1;
    assert!(
        err.contains(&format!(
            "error: themes/default/i18n/ar.yaml:{line}:1: missing UI string `respondents.other`"
        )),
        "{err}"
    );
    // With `other` back but `few` still missing: a warning naming a count that falls back.
    let only_few_missing: String = ar
        .lines()
        .filter(|l| !l.starts_with("respondents.few:"))
        .map(|l| format!("{l}\n"))
        .collect();
    write(root, "themes/default/i18n/ar.yaml", &only_few_missing);
    let out = barometre(root, &["check"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("`respondents` has no `few` form: counts such as 3 use `respondents.other`"),
        "{err}"
    );
}
