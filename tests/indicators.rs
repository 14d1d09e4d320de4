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
        tag.contains("text-anchor=\"end\"") && tag.contains("x=\"308\""),
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

// ---------------------------------------------------------------------------------------
// Survey statistics: the demo project (examples/demo-wave), checked against an independent
// implementation of the formulas written here (different algorithms: bisection on the score
// inequality for Wilson, numerical integration for the normal and Student quantiles).

mod independent {
    /// ∫ f over [a, b] by Simpson's rule with `n` (even) steps.
    fn simpson(f: impl Fn(f64) -> f64, a: f64, b: f64, n: usize) -> f64 {
        let h = (b - a) / n as f64;
        let mut s = f(a) + f(b);
        for i in 1..n {
            let x = a + h * i as f64;
            s += if i % 2 == 1 { 4.0 } else { 2.0 } * f(x);
        }
        s * h / 3.0
    }

    /// The x where the increasing `cdf` reaches `p`, by bisection on [lo, hi].
    fn invert(cdf: impl Fn(f64) -> f64, p: f64, mut lo: f64, mut hi: f64) -> f64 {
        for _ in 0..100 {
            let mid = (lo + hi) / 2.0;
            if cdf(mid) < p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        (lo + hi) / 2.0
    }

    pub fn z(confidence: f64) -> f64 {
        let phi = |x: f64| {
            0.5 + simpson(|t| (-t * t / 2.0).exp(), 0.0, x, 2000)
                / (2.0 * std::f64::consts::PI).sqrt()
        };
        invert(phi, (1.0 + confidence) / 2.0, 0.0, 10.0)
    }

    pub fn t(confidence: f64, df: f64) -> f64 {
        let k = |x: f64| (1.0 + x * x / df).powf(-(df + 1.0) / 2.0);
        let half = simpson(k, 0.0, 200.0, 400_000);
        let cdf = |x: f64| 0.5 + simpson(k, 0.0, x, 20_000) / (2.0 * half);
        invert(cdf, (1.0 + confidence) / 2.0, 0.0, 50.0)
    }

    /// Wilson's interval: the proportions π with |p − π| ≤ z √(π(1 − π)/n).
    pub fn wilson(p: f64, n: f64, z: f64) -> (f64, f64) {
        let inside = |pi: f64| (p - pi).abs() <= z * (pi * (1.0 - pi) / n).sqrt();
        let edge = |mut out: f64, mut inn: f64| {
            for _ in 0..200 {
                let mid = (out + inn) / 2.0;
                if inside(mid) {
                    inn = mid;
                } else {
                    out = mid;
                }
            }
            inn
        };
        (edge(0.0, p), edge(1.0, p))
    }
}

/// The demo project built with the repository's themes (`--themes`), into a temp folder.
/// A warning other than the missing sitemap (these sites have no `base_url`).
fn has_warning(err: &str) -> bool {
    err.lines()
        .any(|l| l.contains("warning") && !l.contains("sitemap.xml is not written"))
}

fn demo() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("demo");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_barometre"))
        .current_dir(REPO)
        .args([
            "-C",
            "examples/demo-wave",
            "--themes",
            "themes",
            "build",
            "--out",
        ])
        .arg(&public)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    (out, public, stderr(&o))
}

/// The rows of an open-data CSV as maps column → value.
fn rows(csv: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            head.iter()
                .zip(l.split(','))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn find<'a>(
    rows: &'a [std::collections::BTreeMap<String, String>],
    member: &str,
    option: &str,
) -> &'a std::collections::BTreeMap<String, String> {
    rows.iter()
        .find(|r| r["member"] == member && r["option"] == option)
        .unwrap_or_else(|| panic!("no row {member}/{option}"))
}

fn num(r: &std::collections::BTreeMap<String, String>, k: &str) -> f64 {
    r[k].parse().unwrap_or_else(|_| panic!("{k} = {:?}", r[k]))
}

/// Wave 2's raw responses: (sector, region, weight, cells by column name).
fn wave2() -> Vec<std::collections::BTreeMap<String, String>> {
    let text = read(
        std::path::Path::new(REPO),
        "examples/demo-wave/editions/2025-demo-vague-2/data/reponses.csv",
    );
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(';').collect();
    lines
        .map(|l| {
            head.iter()
                .zip(l.split(';'))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn weight(r: &std::collections::BTreeMap<String, String>) -> f64 {
    r["poids"].replace(',', ".").parse().unwrap()
}

#[test]
fn demo_shares_match_an_independent_implementation() {
    let (_keep, public, err) = demo();
    assert!(
        !has_warning(&err),
        "the demo builds without warnings: {err}"
    );
    let csv = read(&public, "data/2025-demo-vague-2/financement-difficile.csv");
    assert!(
        csv.starts_with(
            "edition,indicator,dimension,member,option,value,n,ci_low,ci_high,n_eff,flag"
        ),
        "{csv}"
    );
    let published = rows(&csv);
    let z = independent::z(0.95);
    for (region, member) in [
        ("Nord", "nord"),
        ("Centre", "centre"),
        ("Oriental", "oriental"),
        ("", ""),
    ] {
        let resp: Vec<_> = wave2()
            .into_iter()
            .filter(|r| region.is_empty() || r["region"] == region)
            .filter(|r| matches!(r["financement_difficile"].as_str(), "Oui" | "Non"))
            .collect();
        let sw: f64 = resp.iter().map(weight).sum();
        let sw2: f64 = resp.iter().map(|r| weight(r).powi(2)).sum();
        let yes: f64 = resp
            .iter()
            .filter(|r| r["financement_difficile"] == "Oui")
            .map(weight)
            .sum();
        let p = yes / sw;
        let n_eff = sw * sw / sw2;
        let (lo, hi) = independent::wilson(p, n_eff, z);
        let row = find(&published, member, "oui");
        assert!(
            (num(row, "value") - 100.0 * p).abs() < 1e-3,
            "{member}: {row:?} vs {p}"
        );
        assert_eq!(num(row, "n") as usize, resp.len(), "{member}: unweighted n");
        assert!((num(row, "n_eff") - n_eff).abs() < 1e-3, "{member}: n_eff");
        assert!(
            (num(row, "ci_low") - 100.0 * lo).abs() < 1e-3,
            "{member}: {row:?} vs {lo}"
        );
        assert!(
            (num(row, "ci_high") - 100.0 * hi).abs() < 1e-3,
            "{member}: {row:?} vs {hi}"
        );
        let flag = if resp.len() < 30 { "caution" } else { "" };
        assert_eq!(row["flag"], flag, "{member}");
    }
    // « Ne sait pas » is out of the base: its share is of everyone who answered.
    let answered: Vec<_> = wave2()
        .into_iter()
        .filter(|r| matches!(r["financement_difficile"].as_str(), "Oui" | "Non" | "NSP"))
        .collect();
    let nsp: f64 = answered
        .iter()
        .filter(|r| r["financement_difficile"] == "NSP")
        .map(weight)
        .sum();
    let all: f64 = answered.iter().map(weight).sum();
    let row = find(&published, "", "nsp");
    assert!((num(row, "value") - 100.0 * nsp / all).abs() < 1e-3);
    assert_eq!(num(row, "n") as usize, answered.len());
    // Blanks and « NR » are non-responses, counted and kept out of every base.
    let missing = wave2()
        .iter()
        .filter(|r| matches!(r["financement_difficile"].as_str(), "" | "NR"))
        .count();
    assert!(missing > 0);
    assert_eq!(find(&published, "", "oui")["missing"], missing.to_string());
    // The South has fewer than 10 respondents: no value, no interval, the flag.
    let sud = find(&published, "sud", "oui");
    assert_eq!(
        (
            sud["value"].as_str(),
            sud["ci_low"].as_str(),
            sud["flag"].as_str()
        ),
        ("", "", "suppressed")
    );
    let json: serde_json::Value = serde_json::from_str(&read(
        &public,
        "data/2025-demo-vague-2/financement-difficile.json",
    ))
    .unwrap();
    let south = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["member"] == "sud")
        .unwrap();
    assert!(south["values"]["oui"].is_null(), "{south}");
    assert_eq!(south["cells"]["oui"]["flag"], "suppressed");
    let x = &json["crosstabs"][0];
    assert_eq!(x["dimensions"], serde_json::json!(["secteur", "region"]));
}

#[test]
fn demo_means_multi_select_and_counts_match_an_independent_implementation() {
    let (_keep, public, _) = demo();
    // The mean budget of the private sector, with its Student interval.
    let resp: Vec<(f64, f64)> = wave2()
        .iter()
        .filter(|r| r["secteur"] == "Privé" && !r["budget"].is_empty())
        .map(|r| (r["budget"].replace(',', ".").parse().unwrap(), weight(r)))
        .collect();
    let sw: f64 = resp.iter().map(|v| v.1).sum();
    let mean = resp.iter().map(|(x, w)| x * w).sum::<f64>() / sw;
    let n = resp.len() as f64;
    let var = n / (n - 1.0)
        * resp
            .iter()
            .map(|(x, w)| (w * (x - mean)).powi(2))
            .sum::<f64>()
        / (sw * sw);
    let half = independent::t(0.95, n - 1.0) * var.sqrt();
    let published = rows(&read(&public, "data/2025-demo-vague-2/budget.csv"));
    let row = find(&published, "prive", "mean");
    assert!((num(row, "value") - mean).abs() < 1e-3, "{row:?} vs {mean}");
    assert!(
        (num(row, "ci_low") - (mean - half)).abs() < 1e-2,
        "{row:?} vs {}",
        mean - half
    );
    assert!((num(row, "ci_high") - (mean + half)).abs() < 1e-2);
    // The weighted median: the first value whose cumulated weight passes half the total.
    let mut sorted = resp.clone();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cum = 0.0;
    let median = sorted.iter().find(|(_, w)| {
        cum += w;
        cum > sw / 2.0
    });
    assert!((num(find(&published, "prive", "median"), "value") - median.unwrap().0).abs() < 1e-6);

    // Multi-select in one column: the share of respondents naming each option; the sum
    // exceeds 100.
    let published = rows(&read(&public, "data/2025-demo-vague-2/freins.csv"));
    let answered: Vec<_> = wave2()
        .into_iter()
        .filter(|r| !r["freins"].is_empty())
        .collect();
    let sw: f64 = answered.iter().map(weight).sum();
    let mut sum = 0.0;
    for option in ["financement", "competences", "reseaux", "reglementation"] {
        let chose: f64 = answered
            .iter()
            .filter(|r| r["freins"].split(' ').any(|o| o == option))
            .map(weight)
            .sum();
        let v = num(find(&published, "", option), "value");
        assert!((v - 100.0 * chose / sw).abs() < 1e-3, "{option}");
        sum += v;
    }
    assert!(sum > 100.0, "several answers per respondent: {sum}");
    // The same question in 0/1 columns.
    let published = rows(&read(
        &public,
        "data/2025-demo-vague-2/aides-souhaitees.csv",
    ));
    let answered: Vec<_> = wave2()
        .into_iter()
        .filter(|r| !r["aide_financement"].is_empty())
        .collect();
    let sw: f64 = answered.iter().map(weight).sum();
    let chose: f64 = answered
        .iter()
        .filter(|r| r["aide_reseaux"] == "1")
        .map(weight)
        .sum();
    assert!((num(find(&published, "", "reseaux"), "value") - 100.0 * chose / sw).abs() < 1e-3);
    // Counts are respondents, not percentages.
    let published = rows(&read(&public, "data/2025-demo-vague-2/forme-juridique.csv"));
    let n = wave2()
        .iter()
        .filter(|r| r["region"] == "Nord" && r["forme"] == "entreprise")
        .count();
    assert_eq!(
        find(&published, "nord", "entreprise")["value"],
        n.to_string()
    );
}

#[test]
fn demo_pages_show_intervals_marks_likert_multi_crosstab_and_breaks() {
    let (_keep, public, _) = demo();
    let fr = read(
        &public,
        "fr/editions/2025-demo-vague-2/resultats/index.html",
    );
    for (what, needle) in [
        ("diverging Likert chart", "chart-diverging-bar"),
        ("numeric points", "chart-points"),
        ("interval whiskers", r#"<g class="ci">"#),
        ("a suppressed cell drawn absent", r#"class="absent""#),
        (
            "the suppression mark explained",
            "‡ non publié : moins de 10 répondants",
        ),
        (
            "the caution mark explained",
            "* à interpréter avec prudence : moins de 30 répondants.",
        ),
        (
            "the interval level and method",
            "Intervalles de confiance à 95\u{a0}% (score de Wilson), compte tenu de l’effet de la pondération",
        ),
        ("the effective size", "n effectif :"),
        ("multi-select note", "Plusieurs réponses possibles"),
        (
            "excluded option beside the chart",
            "Hors base : <bdi>Ne sait pas : ",
        ),
        ("non-responses", "Sans réponse (hors base) :"),
        ("the crosstab", "selon Secteur et Région"),
        ("the total row", "Ensemble"),
    ] {
        assert!(fr.contains(needle), "{what}: {needle}");
    }
    let ar = read(
        &public,
        "ar/editions/2025-demo-vague-2/resultats/index.html",
    );
    assert!(ar.contains("chart-diverging-bar") && ar.contains("موافق تماما"));
    assert!(ar.contains("غير منشور: عدد المستجوَبين أقل من 10"));
    // The trend of a changed question shows the break and its note; an unchanged one joins
    // the waves with a band.
    let trend = read(&public, "fr/indicateurs/confiance/index.html");
    assert!(trend.contains(r#"class="break""#), "a break in the line");
    assert!(trend.contains("Rupture de série entre 2023 et 2025 : la question porte désormais"));
    let joined = read(&public, "fr/indicateurs/financement-difficile/index.html");
    assert!(
        joined.contains(r#"<polygon class="ci""#),
        "an interval band"
    );
    assert!(!joined.contains(r#"class="break""#));
    // The summary follows the series from its first wave to its last.
    assert!(joined.contains("Ensemble : de "), "{joined}");
    // The open data carry a licence, sources, caveats and the codebook.
    let package: serde_json::Value =
        serde_json::from_str(&read(&public, "data/2025-demo-vague-2/datapackage.json")).unwrap();
    assert_eq!(package["licenses"][0]["name"], "CC-BY-4.0");
    assert!(!package["sources"].as_array().unwrap().is_empty());
    let d = package["resources"][0]["description"].as_str().unwrap();
    assert!(
        d.contains("n_eff") && d.contains("moins de 10 répondants"),
        "{d}"
    );
    assert!(
        package["resources"][0]["descriptions"]["ar"]
            .as_str()
            .unwrap()
            .contains("n_eff")
    );
    let codebook = read(&public, "data/2025-demo-vague-2/codebook.csv");
    assert!(codebook.starts_with("indicator,kind,file,column,option,codes,excluded,missing_codes"));
    assert!(
        codebook.contains(
            "financement-difficile,share,reponses.csv,financement_difficile,nsp,NSP,true,NR"
        ),
        "{codebook}"
    );
    assert!(codebook.contains("هل واجهت مؤسستكم صعوبات في التمويل هذه السنة؟"));
}

/// Builds the waves fixture after `edit` into `out`, expecting failure: stderr, and that
/// nothing was written.
fn build_error_after(edit: impl FnOnce(&std::path::Path)) -> String {
    let site = fixture("waves");
    edit(site.path());
    let out = barometre(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!site.path().join("public").exists(), "nothing written");
    stderr(&out)
}

const IND2: &str = "editions/2024-vague-2/data/indicators.yaml";
const CSV2: &str = "editions/2024-vague-2/data/reponses.csv";

#[test]
fn a_group_whose_weights_are_all_zero_is_an_error_naming_file_and_group() {
    let err = build_error_after(|r| {
        replace(r, CSV2, "4,sud,Non,2", "4,sud,Non,0");
        replace(r, CSV2, "6,sud,Oui,2", "6,sud,Oui,0");
    });
    assert!(
        err.contains(&format!("{CSV2}:1:4: the weights of group `region = sud` (2 respondent(s)) add up to 0 in column `poids`")),
        "{err}"
    );
}

#[test]
fn raw_labels_delimiters_and_decimal_commas() {
    // A `;` export with raw labels and decimal commas builds once the labels are mapped.
    let site = fixture("waves");
    write(
        site.path(),
        CSV2,
        "id;region;q1;poids\n1;Nord;Oui;1,0\n2;Nord;Non;3\n3;Nord;Oui;1\n4;Sud;Non;2\n5;Sud;;1\n6;Sud;Oui;2,0\n",
    );
    let out = barometre(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{CSV2}:2:2: unknown breakdown member `Nord` in column `region`"
        )),
        "{err}"
    );
    assert!(
        err.contains("breakdown_answers"),
        "the hint says how: {err}"
    );
    replace(
        site.path(),
        IND2,
        "    weight_column: poids\n",
        "    weight_column: poids\n    breakdown_answers: {Nord: nord, Sud: sud}\n",
    );
    let out = barometre(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = read(
        &site.path().join("public"),
        "data/2024-vague-2/confiance.csv",
    );
    assert!(
        csv.contains("2024-vague-2,confiance,region,nord,oui,40,3,"),
        "{csv}"
    );
}

#[test]
fn a_changed_wording_under_the_same_id_is_a_warning_naming_both_files() {
    let site = fixture("waves");
    replace(
        site.path(),
        IND2,
        "Faites-vous confiance aux associations ?",
        "Faites-vous confiance aux ONG ?",
    );
    let out = barometre(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("warning: {IND2}:1:7: indicator `confiance`: the question's wording changed (fr) since edition `2022-vague-1` ({IND1})")),
        "{err}"
    );
    let page = read(
        &site.path().join("public"),
        "fr/indicateurs/confiance/index.html",
    );
    assert!(
        page.contains("Rupture de série entre 2022 et 2024"),
        "the trend shows the break"
    );
    // Declared, it is no warning.
    replace(
        site.path(),
        IND2,
        "  source: {fr: Enquête de test",
        "  comparable: {2022-vague-1: false}\n  break_note: {fr: Autre question., ar: سؤال آخر.}\n  source: {fr: Enquête de test",
    );
    let out = barometre(site.path(), &["build"]);
    assert!(
        !stderr(&out).contains("wording changed"),
        "{}",
        stderr(&out)
    );
    let page = read(
        &site.path().join("public"),
        "fr/indicateurs/confiance/index.html",
    );
    assert!(page.contains("Rupture de série entre 2022 et 2024 : Autre question."));
}

#[test]
fn bad_statistics_options_and_answer_columns_are_located() {
    let err = build_error_after(|r| replace(r, "site.yaml", "confidence: 0.95", "confidence: 95"));
    assert!(
        err.contains("site.yaml:")
            && err.contains("`statistics.confidence` must be between 0 and 1, got 95"),
        "{err}"
    );
    let err = build_error_after(|r| replace(r, IND2, "  kind: share", "  kind: multi"));
    assert!(
        err.contains(&format!(
            "{IND2}:11:11: a multi-select answer in one `column` needs its `separator`"
        )),
        "{err}"
    );
    let err = build_error_after(|r| {
        replace(
            r,
            IND2,
            "answers: {Oui: oui, Non: non}",
            "answers: {Oui: oui, Non: non}\n    exclude: [nsp]",
        )
    });
    assert!(
        err.contains("`exclude` names unknown option `nsp`"),
        "{err}"
    );
}

#[test]
fn chart_blocks_choose_their_breakdown_and_crosstabs_need_raw_responses() {
    let err = error_after(|r| replace(r, PAGE1, "type: pie", "type: pie\nbreakdown: secteur"));
    assert!(
        err.contains("indicator `confiance` has no breakdown `secteur`")
            && err.contains("its breakdowns: region"),
        "{err}"
    );
    let err = error_after(|r| replace(r, PAGE1, "type: pie", "crosstab: [region, region]"));
    assert!(err.contains("has no crosstab of these breakdowns"), "{err}");
    // `none` shows the whole sample, which published values by member do not have.
    let err = error_after(|r| replace(r, PAGE1, "type: pie", "breakdown: none"));
    assert!(err.contains("has no figure for the whole sample"), "{err}");
}

#[test]
fn new_edition_from_a_wave_without_indicators_scaffolds_with_a_warning() {
    let site = fixture("basic");
    let out = barometre(
        site.path(),
        &[
            "new",
            "edition",
            "2026-vague",
            "--from",
            "2019-rencontres-test",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: editions/2019-rencontres-test/data: edition `2019-rencontres-test` has no indicator definitions to copy"),
        "{}",
        stderr(&out)
    );
    assert!(
        site.path()
            .join("editions/2026-vague/edition.yaml")
            .is_file()
    );
    assert!(!site.path().join("editions/2026-vague/data").exists());
}

#[test]
fn waves_broken_down_differently_compare_their_totals_and_say_which_is_missing() {
    // The issue's case: wave 1 published per region, wave 2 aggregated per sector.
    let site = fixture("waves");
    let dims = "editions/2024-vague-2/data/dimensions.yaml";
    write(
        site.path(),
        dims,
        "- id: secteur\n  label: {fr: Secteur, ar: القطاع}\n  members:\n    - {id: public, label: {fr: Public, ar: العام}}\n    - {id: prive, label: {fr: Privé, ar: الخاص}}\n",
    );
    replace(site.path(), IND2, "breakdown: region", "breakdown: secteur");
    replace(
        site.path(),
        IND2,
        "breakdown_column: region",
        "breakdown_column: secteur",
    );
    write(
        site.path(),
        CSV2,
        "id,secteur,q1,poids\n1,public,Oui,1\n2,public,Non,3\n3,prive,Oui,1\n4,prive,Non,2\n5,prive,,1\n6,public,Oui,2\n",
    );
    let out = barometre(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !has_warning(&stderr(&out)),
        "same question: {}",
        stderr(&out)
    );
    let page = read(
        &site.path().join("public"),
        "fr/indicateurs/confiance/index.html",
    );
    // 2024's whole sample: oui 1 + 1 + 2 = 4 of 9 → 44,4 %; 2022 has no figure for it.
    let desc_at = page
        .find("<desc id=\"fig-confiance--trend")
        .expect("a trend");
    let desc = &page[desc_at..desc_at + page[desc_at..].find("</desc>").unwrap()];
    assert!(desc.contains("Ensemble (2024) : 44,4\u{a0}%"), "{desc}");
    assert!(
        !desc.contains(" à "),
        "no range from a single point: {desc}"
    );
    assert!(page.contains("l’évolution compare les ensembles"));
    assert!(page.contains("2022 : aucun chiffre pour l’ensemble de l’échantillon"));
}
