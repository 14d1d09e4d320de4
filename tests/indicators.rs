//! Indicators and charts on a two-edition fixture (`tests/fixtures/waves`): charts in both
//! languages, aggregation from raw responses, trend pages, open data, and the located errors
//! of bad input.

mod common;

use common::*;

fn built() -> tempfile::TempDir {
    let site = fixture("waves");
    let out = barometre(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    site
}

/// The `<svg …>…</svg>` elements of a page.
fn svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg ")
        .filter(|(i, _)| {
            !html[*i..].starts_with("<svg aria-hidden") && !html[*i..i + 200].contains("brand-mark")
        })
        .map(|(i, _)| &html[i..i + html[i..].find("</svg>").unwrap() + 6])
        .collect()
}

#[test]
fn charts_are_accessible_escaped_and_localised() {
    let site = built();
    let public = site.path().join("public");
    let fr = read(&public, "fr/editions/2022-vague-1/resultats/index.html");
    let charts = svgs(&fr);
    assert_eq!(charts.len(), 3, "three chart blocks on the page");
    for svg in &charts {
        assert!(svg.contains("role=\"img\""), "{svg}");
        assert!(svg.contains("<title "), "{svg}");
        assert!(svg.contains("<desc "), "{svg}");
    }
    // The label `Nord & <Rif>` is text, never markup.
    assert!(
        fr.contains("Nord & &lt;Rif>") || fr.contains("Nord &amp; &lt;Rif"),
        "{fr}"
    );
    assert!(!fr.contains("<Rif>"));
    // French numbers: decimal comma, CLDR percent sign with a no-break space.
    assert!(fr.contains("40,5\u{a0}%"), "French percent");
    assert!(fr.contains("1\u{202f}200"), "French thousands");
    // The figure carries n, source, the data table and the open-data links.
    assert!(fr.contains("Tableau des données"));
    assert!(fr.contains("Enquête de test"));
    assert!(fr.contains("data/2022-vague-1/confiance.csv"));
    assert!(
        fr.contains("Répondants :"),
        "n shown when the members' n are known"
    );
    // The summary (desc) says what the chart shows.
    assert!(
        fr.contains("Oui : de 40,5\u{a0}% (Nord &amp; &lt;Rif&gt;) à 62\u{a0}% (Sud)"),
        "{fr}"
    );
    // A missing value says so instead of drawing a zero.
    assert!(fr.contains("non publié"));

    let ar = read(&public, "ar/editions/2022-vague-1/resultats/index.html");
    let charts = svgs(&ar);
    assert!(
        charts[0].contains("الشمال") && charts[0].contains("نعم"),
        "Arabic labels"
    );
    assert!(
        charts[0].contains("direction:ltr"),
        "geometry is laid out explicitly, not by bidi"
    );
    // Right to left: the category labels of the stacked bars hang from the right edge.
    let i = charts[0].find(">الشمال</text>").unwrap();
    let tag = &charts[0][charts[0][..i].rfind("<text").unwrap()..i];
    assert!(
        tag.contains("text-anchor=\"end\"") && tag.contains("x=\"628\""),
        "{tag}"
    );
}

#[test]
fn raw_responses_are_aggregated_with_weights() {
    let site = built();
    let public = site.path().join("public");
    let csv = read(&public, "data/2024-vague-2/confiance.csv");
    // nord: oui 1+1, non 3 (weights) → 40 / 60, 3 respondents; sud: 2 / 2 → 50 / 50, 2 answered.
    assert!(
        csv.contains("2024-vague-2,confiance,region,nord,oui,40,3"),
        "{csv}"
    );
    assert!(
        csv.contains("2024-vague-2,confiance,region,nord,non,60,3"),
        "{csv}"
    );
    assert!(
        csv.contains("2024-vague-2,confiance,region,sud,oui,50,2"),
        "{csv}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&read(&public, "data/2024-vague-2/confiance.json")).unwrap();
    assert_eq!(json["n"], 5);
    assert_eq!(json["aggregated_from_responses"], true);
    assert_eq!(json["question"]["ar"], "هل تثقون في الجمعيات؟");
    let package: serde_json::Value =
        serde_json::from_str(&read(&public, "data/2022-vague-1/datapackage.json")).unwrap();
    let names: Vec<&str> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["confiance", "projets", "codebook"]);
    assert_eq!(package["resources"][0]["path"], "confiance.csv");
}

#[test]
fn a_shared_indicator_id_gets_a_trend_page_with_both_waves() {
    let site = built();
    let public = site.path().join("public");
    let page = read(&public, "fr/indicateurs/confiance/index.html");
    assert!(
        page.contains("Vague 1") && page.contains("Vague 2"),
        "both editions listed"
    );
    assert!(page.contains("40,5\u{a0}%"), "2022 value");
    assert!(page.contains("40\u{a0}%"), "2024 value");
    assert!(page.contains("chart-line"), "a trend chart");
    // Years read right to left on the Arabic page: 2022 is drawn right of 2024.
    let ar = read(&public, "ar/indicateurs/confiance/index.html");
    let x = |year: &str| -> f64 {
        let i = ar.find(&format!(">{year}</text>")).unwrap();
        let tag = &ar[ar[..i].rfind("<text").unwrap()..i];
        let s = tag.find(" x=").unwrap() + 3;
        tag[s..]
            .split([' ', '"', '>'])
            .find(|t| !t.is_empty())
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(x("2022") > x("2024"));
    // The index lists every indicator; edition homes link their indicators.
    let index = read(&public, "fr/indicateurs/index.html");
    assert!(index.contains("Nombre de projets suivis"));
    let ed = read(&public, "fr/editions/2022-vague-1/index.html");
    assert!(ed.contains("../../../fr/indicateurs/confiance/index.html"));
    // @/indicators/<id> links resolve.
    let m = read(&public, "fr/methode/index.html");
    assert!(m.contains("../../fr/indicateurs/confiance/index.html"));
    let report = barometre::check_links(&public, None).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// Builds the fixture after `edit`, expecting failure; returns stderr.
fn error_after(edit: impl FnOnce(&std::path::Path)) -> String {
    let site = fixture("waves");
    edit(site.path());
    let out = barometre(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    stderr(&out)
}

const IND1: &str = "editions/2022-vague-1/data/indicators.yaml";
const PAGE1: &str = "editions/2022-vague-1/pages/resultats.fr.md";

fn replace(root: &std::path::Path, rel: &str, from: &str, to: &str) {
    let text = read(root, rel);
    assert!(text.contains(from), "{rel} lacks {from:?}");
    write(root, rel, &text.replacen(from, to, 1));
}

#[test]
fn unknown_indicator_in_a_chart_block_names_file_and_line() {
    let err =
        error_after(|r| replace(r, PAGE1, "indicator: confiance\n", "indicator: confience\n"));
    assert!(err.contains(&format!("{PAGE1}:7:")), "{err}");
    assert!(err.contains("unknown indicator `confience`"), "{err}");
    assert!(err.contains("did you mean `confiance`?"), "{err}");
}

#[test]
fn unknown_option_and_chart_type_in_a_block() {
    let err = error_after(|r| {
        replace(
            r,
            PAGE1,
            "type: pie",
            "type: camembert\noptions: [peut-etre]",
        )
    });
    assert!(err.contains("unknown chart type `camembert`"), "{err}");
    let err = error_after(|r| replace(r, PAGE1, "type: pie", "options: [peut-etre]"));
    assert!(err.contains("has no option `peut-etre`"), "{err}");
}

#[test]
fn unknown_member_and_option_in_values_are_located() {
    let err = error_after(|r| {
        replace(
            r,
            IND1,
            "    sud: {oui: 62, non: 38}",
            "    sudd: {oui: 62, non: 38}",
        )
    });
    assert!(
        err.contains(&format!(
            "{IND1}:12:5: unknown member `sudd` of dimension `region`"
        )),
        "{err}"
    );
    assert!(err.contains("did you mean `sud`?"), "{err}");
    let err = error_after(|r| replace(r, IND1, "{oui: 62, non: 38}", "{oui: 62, nn: 38}"));
    assert!(
        err.contains(&format!("{IND1}:12:")) && err.contains("unknown option `nn`"),
        "{err}"
    );
}

#[test]
fn shares_must_add_up_to_100() {
    let err = error_after(|r| replace(r, IND1, "{oui: 62, non: 38}", "{oui: 62, non: 28}"));
    assert!(err.contains(&format!("{IND1}:12:5:")), "{err}");
    assert!(
        err.contains("shares of `sud` add up to 90, not 100"),
        "{err}"
    );
    // Within the tolerance (rounding), it builds.
    let site = fixture("waves");
    replace(
        site.path(),
        IND1,
        "{oui: 62, non: 38}",
        "{oui: 62, non: 38.6}",
    );
    assert!(barometre(site.path(), &["check"]).status.success());
}

#[test]
fn duplicate_ids_and_unknown_dimensions() {
    let err = error_after(|r| replace(r, IND1, "- id: projets", "- id: confiance"));
    assert!(
        err.contains(&format!("{IND1}:16:"))
            && err.contains("indicator `confiance` is defined twice"),
        "{err}"
    );
    let err = error_after(|r| replace(r, IND1, "breakdown: region", "breakdown: regoin"));
    assert!(
        err.contains("unknown dimension `regoin`") && err.contains("did you mean `region`?"),
        "{err}"
    );
}

#[test]
fn unknown_answer_in_responses_names_csv_row_and_column() {
    let err = error_after(|r| {
        replace(
            r,
            "editions/2024-vague-2/data/reponses.csv",
            "4,sud,Non,2",
            "4,sud,Peut-être,2",
        )
    });
    assert!(
        err.contains(
            "editions/2024-vague-2/data/reponses.csv:5:3: unknown answer `Peut-être` in column `q1`"
        ),
        "{err}"
    );
}

#[test]
fn missing_labels_are_errors_or_counted() {
    // An option without its label: the YAML error names the line.
    let err = error_after(|r| {
        replace(
            r,
            IND1,
            "    - id: non\n      label: {fr: Non, ar: لا}\n",
            "    - id: non\n",
        )
    });
    assert!(err.contains(IND1) && err.contains("label"), "{err}");
    // A label missing in one language: counted, and an error with --strict.
    let site = fixture("waves");
    replace(
        site.path(),
        IND1,
        "label: {fr: Non, ar: لا}",
        "label: {fr: Non}",
    );
    let out = barometre(site.path(), &["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("missing `ar` translation of option `confiance.non`"),
        "{}",
        stderr(&out)
    );
}
