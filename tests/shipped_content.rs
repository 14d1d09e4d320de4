//! The content that ships with the project (`editions/`, `content/`), loaded through the
//! library API, checked against the facts of the seed documents (`shared/seeds/`, see
//! NOTES.md): meeting dates and regions, key figures, the two reconstructed survey indicators,
//! the BISM partner and sample, and full translation coverage in French and Arabic.

use std::collections::{BTreeMap, BTreeSet};

use barometre::internals::EditionKind;
use barometre::internals::{Date, Edition, Site};
use serde_json::Value;

const RR2020: &str = "2020-rencontres-regionales";
const BISM1: &str = "2023-bism-vague-1";
const LANGS: [&str; 2] = ["fr", "ar"];
const GROUPS: [&str; 4] = [
    "politiques-publiques",
    "culture-adoption",
    "capital-humain",
    "accompagnement-transverse",
];

fn site() -> Site {
    let opts = barometre::Options::new(env!("CARGO_MANIFEST_DIR"));
    match barometre::internals::load_site(&opts) {
        Ok((site, diags)) => {
            assert!(
                !diags.has_errors(),
                "the shipped project has errors:\n{diags}"
            );
            site
        }
        Err(e) => panic!("the shipped project does not load: {e}"),
    }
}

fn edition<'a>(site: &'a Site, id: &str) -> &'a Edition {
    site.editions
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("edition `{id}` is missing"))
}

fn edition_index(site: &Site, id: &str) -> usize {
    site.editions.iter().position(|e| e.id == id).unwrap()
}

fn data<'a>(ed: &'a Edition, name: &str) -> &'a Value {
    &ed.data
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("{}: data/{name}.yaml is missing", ed.id))
        .value
}

fn date(year: i32, month: u8, day: u8) -> Date {
    Date { year, month, day }
}

fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("`{key}` is not a string in {v}"))
}

/// A `{fr, ar}` text: both present and non-empty.
fn text<'a>(v: &'a Value, what: &str) -> (&'a str, &'a str) {
    let fr = v.get("fr").and_then(Value::as_str).unwrap_or("");
    let ar = v.get("ar").and_then(Value::as_str).unwrap_or("");
    assert!(
        !fr.trim().is_empty() && !ar.trim().is_empty(),
        "{what}: missing fr or ar in {v}"
    );
    (fr, ar)
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|x| str_at(x, "id"))
        .collect()
}

#[test]
fn editions_are_listed_newest_first() {
    let site = site();
    let ids: Vec<&str> = site.editions.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, [BISM1, RR2020]);
}

#[test]
fn the_2020_edition_has_its_dates_kind_and_study() {
    let site = site();
    let ed = edition(&site, RR2020);
    assert_eq!(ed.meta.kind, EditionKind::RegionalMeetings);
    assert_eq!(ed.meta.year, 2020);
    assert_eq!(ed.start, Some(date(2020, 11, 24)));
    assert_eq!(ed.end, Some(date(2020, 12, 24)));
    assert!(
        ed.meta
            .partners
            .iter()
            .any(|p| p.name.values["fr"].contains("Groupe SOS Consulting"))
    );

    let study = data(ed, "study");
    assert!(str_at(&study["title"], "fr").contains("les leviers pour accélérer le mouvement"));
    assert!(str_at(&study["author"], "fr").contains("Groupe SOS Consulting"));
    assert_eq!(study["recommendations"], 35);
    assert_eq!(study["projects"], 23);
    assert_eq!(
        ids(&study["problems"]),
        [
            "sante",
            "education",
            "culture",
            "environnement",
            "inclusion-socioeconomique"
        ]
    );
}

#[test]
fn the_2020_key_figures_come_from_the_synthesis() {
    let site = site();
    let ed = edition(&site, RR2020);
    let figure = |value: f64, word: &str| {
        ed.meta
            .key_figures
            .iter()
            .any(|k| k.value == value && k.label.values.get("fr").is_some_and(|l| l.contains(word)))
    };
    assert!(figure(162.0, "acteurs"), "162 actors");
    assert!(figure(22.0, "villes"), "22 cities");
    assert!(figure(16.0, "intervenants"), "16 speakers");
    assert!(
        figure(15.0, "comités"),
        "15 regional actors in the organising committees"
    );
    assert!(figure(5.0, "rencontres"), "5 meetings");
    assert!(
        figure(35.0, "recommandations"),
        "35 recommendations of the study"
    );
    assert!(figure(23.0, "projets"), "23 projects studied");
    // The number of survey respondents is unknown: it must not be published as a sample size.
    assert_eq!(ed.meta.sample.as_ref().and_then(|s| s.respondents), None);
}

#[test]
fn five_meetings_with_their_cities_dates_and_regions() {
    let site = site();
    let ed = edition(&site, RR2020);
    let meetings = data(ed, "meetings").as_array().expect("meetings is a list");
    let expected = [
        (
            "oujda",
            "Oujda",
            "وجدة",
            "2020-11-24",
            "2020-11-26",
            &["oriental"][..],
        ),
        (
            "safi",
            "Safi",
            "آسفي",
            "2020-12-01",
            "2020-12-03",
            &["marrakech-safi"][..],
        ),
        (
            "tanger",
            "Tanger",
            "طنجة",
            "2020-12-08",
            "2020-12-10",
            &[
                "tanger-tetouan-al-hoceima",
                "rabat-sale-kenitra",
                "casablanca-settat",
            ][..],
        ),
        (
            "ouarzazate",
            "Ouarzazate",
            "ورزازات",
            "2020-12-15",
            "2020-12-17",
            &["souss-massa", "draa-tafilalet"][..],
        ),
        (
            "laayoune",
            "Laâyoune",
            "العيون",
            "2020-12-22",
            "2020-12-24",
            &[
                "guelmim-oued-noun",
                "laayoune-sakia-el-hamra",
                "dakhla-oued-ed-dahab",
            ][..],
        ),
    ];
    assert_eq!(meetings.len(), expected.len());
    let region_ids: BTreeSet<&str> = ids(data(ed, "regions")).into_iter().collect();
    for (m, (id, fr, ar, start, end, regions)) in meetings.iter().zip(expected) {
        assert_eq!(str_at(m, "id"), id);
        assert_eq!(text(&m["city"], id), (fr, ar));
        assert_eq!(str_at(m, "start"), start, "{id}: start");
        assert_eq!(str_at(m, "end"), end, "{id}: end");
        let got: Vec<&str> = m["regions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(got, regions, "{id}: regions");
        for r in got {
            assert!(
                region_ids.contains(r),
                "{id}: region `{r}` is not in regions.yaml"
            );
        }
        text(&m["context"], id);
        assert!(
            !m["speakers"].as_array().unwrap().is_empty(),
            "{id}: speakers"
        );
        assert!(
            !m["testimonies"].as_array().unwrap().is_empty(),
            "{id}: testimonies"
        );
        assert!(
            !m["reactions"].as_array().unwrap().is_empty(),
            "{id}: reactions"
        );
        assert!(
            !m["committee"].as_array().unwrap().is_empty(),
            "{id}: committee"
        );
    }
    // Every meeting page shows its meeting.
    for (id, ..) in expected {
        let page = site
            .pages
            .iter()
            .find(|p| p.edition == Some(edition_index(&site, RR2020)) && p.slug == id)
            .unwrap_or_else(|| panic!("page `{id}` is missing"));
        assert_eq!(page.template, "meeting.html");
        assert_eq!(page.extra["meeting"], id);
    }
}

#[test]
fn speakers_committees_and_testimonies_keep_printed_names() {
    let site = site();
    let ed = edition(&site, RR2020);
    let meetings = data(ed, "meetings").as_array().unwrap();
    let names = |m: &Value, key: &str| -> Vec<String> {
        m[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| str_at(p, "name").to_string())
            .collect()
    };
    let by_id: BTreeMap<&str, &Value> = meetings.iter().map(|m| (str_at(m, "id"), m)).collect();
    assert!(names(by_id["oujda"], "speakers").contains(&"Zakaria MADANI".to_string()));
    assert!(names(by_id["safi"], "speakers").contains(&"Youssef CHEQROUN".to_string()));
    assert!(names(by_id["tanger"], "speakers").contains(&"Mohamed EL HASSOUNI".to_string()));
    assert!(names(by_id["ouarzazate"], "speakers").contains(&"Noureddine HARMOUCHE".to_string()));
    assert!(names(by_id["laayoune"], "speakers").contains(&"Moulay Brahim TALEB ALI".to_string()));
    assert_eq!(
        names(by_id["safi"], "committee"),
        ["Aziz MHANDI", "Hassan SAADOUNI", "Abdallah AANGRI"]
    );
    let innovators: Vec<&str> = meetings
        .iter()
        .flat_map(|m| m["testimonies"].as_array().unwrap())
        .map(|t| str_at(t, "innovator"))
        .collect();
    for expected in [
        "PAVECO",
        "Association Passagers",
        "Shem’s For Lighting",
        "Théâtre Nomade",
        "Connect Institute",
        "Coopérative Jil Aljadid",
    ] {
        assert!(innovators.contains(&expected), "testimony of {expected}");
    }
    // 16 regional speakers in all (the Foundation's presentation of the study aside).
    let regional = meetings
        .iter()
        .flat_map(|m| m["speakers"].as_array().unwrap())
        .filter(|s| !str_at(&s["organisation"], "fr").contains("Fondation Abdelkader Bensalah"))
        .count();
    assert_eq!(regional, 16);
}

#[test]
fn workshops_have_the_four_groups_where_the_synthesis_has_them() {
    let site = site();
    let ed = edition(&site, RR2020);
    assert_eq!(ids(data(ed, "groups")), GROUPS);
    for g in data(ed, "groups").as_array().unwrap() {
        text(&g["name"], "group name");
        text(&g["description"], "group description");
    }
    for m in data(ed, "meetings").as_array().unwrap() {
        let id = str_at(m, "id");
        let workshops = m["workshops"].as_array().unwrap();
        let groups: Vec<&str> = workshops.iter().map(|w| str_at(w, "group")).collect();
        if id == "tanger" {
            // The synthesis restitutes only two groups in Tanger.
            assert_eq!(groups, ["politiques-publiques", "capital-humain"], "{id}");
        } else {
            assert_eq!(groups, GROUPS, "{id}: the four groups, in order");
        }
        for w in workshops {
            let recs = w["recommendations"].as_array().unwrap();
            let sugg = w["suggestions"].as_array().unwrap();
            assert!(
                !recs.is_empty() || !sugg.is_empty(),
                "{id}: an empty workshop"
            );
            for r in recs.iter().chain(sugg) {
                text(r, id);
            }
        }
    }
    let summary = data(ed, "national-summary");
    text(&summary["intro"], "national summary");
    let actions = summary["actions"].as_array().unwrap();
    assert_eq!(
        actions.len(),
        10,
        "ten actions backed by the regional actors"
    );
    for a in actions {
        assert!(GROUPS.contains(&str_at(a, "group")));
        text(&a["text"], "national action");
    }
}

#[test]
fn the_two_reconstructed_survey_indicators() {
    let site = site();
    let ed_index = edition_index(&site, RR2020);
    let order = ["oujda", "safi", "tanger", "ouarzazate", "laayoune"];
    let expected: [(&str, [f64; 5]); 2] = [
        (
            "innovateur-social-a-visibiliser",
            [18.0, 76.0, 88.0, 94.0, 59.0],
        ),
        (
            "ressources-pedagogiques-suffisantes",
            [13.0, 21.0, 26.0, 43.0, 13.0],
        ),
    ];
    let published: Vec<&str> = site
        .indicators
        .iter()
        .filter(|i| i.edition == ed_index)
        .map(|i| i.id.as_str())
        .collect();
    // Only these two: no figure for the other questions, whose numbers did not survive.
    assert_eq!(published, expected.map(|(id, _)| id));

    for (id, oui) in expected {
        let ind = site
            .indicators
            .iter()
            .find(|i| i.id == id && i.edition == ed_index)
            .unwrap();
        let options: Vec<&str> = ind.options.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(options, ["oui", "non"], "{id}");
        let dim = ind.breakdowns.first().expect("broken down by meeting");
        assert_eq!(dim.id, "rencontre");
        let members: Vec<&str> = dim.members.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(members, order);
        assert_eq!(ind.n, None, "{id}: the number of respondents is unknown");
        let rows: BTreeMap<&str, &Vec<Option<f64>>> = ind
            .rows
            .iter()
            .filter_map(|r| r.member.as_deref().map(|m| (m, &r.values)))
            .collect();
        for (member, yes) in order.iter().zip(oui) {
            let values = rows[member];
            assert_eq!(values[0], Some(yes), "{id} / {member}: Oui");
            assert_eq!(values[1], Some(100.0 - yes), "{id} / {member}: Non");
        }
        let source = ind.source.as_ref().expect("a source note");
        for lang in LANGS {
            assert!(
                !source.values[lang].trim().is_empty(),
                "{id}: source note in {lang}"
            );
        }
        assert!(
            source.values["fr"].contains("reconstitué")
                || source.values["fr"].contains("Reconstitué")
                || source.values["fr"].contains("reconstituées")
        );
        assert!(source.values["fr"].contains("vérification"));
    }
    let a = site
        .indicators
        .iter()
        .find(|i| i.id == expected[0].0)
        .unwrap();
    assert!(a.source.as_ref().unwrap().values["fr"].contains("éditorial"));
}

#[test]
fn the_bism_wave_has_its_partner_sample_and_no_figures() {
    let site = site();
    let ed = edition(&site, BISM1);
    assert_eq!(ed.meta.kind, EditionKind::BarometerWave);
    assert_eq!(ed.meta.year, 2023);
    assert_eq!(ed.start, Some(date(2023, 10, 17)));
    assert_eq!(ed.end, Some(date(2023, 10, 17)));
    assert!(ed.meta.partners.iter().any(|p| {
        let fr = &p.name.values["fr"];
        fr.contains("HEM") && fr.contains("Chaire Innovations Sociales")
    }));
    assert_eq!(
        ed.meta.sample.as_ref().and_then(|s| s.respondents),
        Some(200)
    );
    assert!(ed.meta.key_figures.iter().any(|k| k.value == 200.0));
    assert_eq!(
        ids(data(ed, "findings")),
        [
            "financement-conventionnel",
            "stade-des-projets",
            "fonds-externes-ou-propres",
            "leadership-des-porteurs"
        ]
    );
    assert!(!data(ed, "unpublished").as_array().unwrap().is_empty());
    let index = edition_index(&site, BISM1);
    assert!(
        site.indicators.iter().all(|i| i.edition != index),
        "the source publishes no figure"
    );
}

#[test]
fn every_page_exists_in_both_languages() {
    let site = site();
    let slugs = |edition: Option<usize>| -> Vec<&str> {
        let mut v: Vec<&str> = site
            .pages
            .iter()
            .filter(|p| p.edition == edition)
            .map(|p| p.slug.as_str())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        slugs(None),
        [
            "a-propos",
            "contact",
            "fondation-ocp-2021",
            "glossaire",
            "methodologie",
            "oris",
            "recherche-cas",
            "recherche-cas-anais",
            "recherche-cas-asf",
            "recherche-cas-bayti",
            "recherche-cas-its"
        ]
    );
    assert_eq!(
        slugs(Some(edition_index(&site, RR2020))),
        [
            "conclusion",
            "enquete",
            "introduction",
            "laayoune",
            "ouarzazate",
            "oujda",
            "recommandations",
            "safi",
            "tanger"
        ]
    );
    assert_eq!(
        slugs(Some(edition_index(&site, BISM1))),
        ["presentation", "resultats"]
    );
    for page in &site.pages {
        for lang in LANGS {
            let v = page
                .versions
                .iter()
                .find(|v| v.lang == lang)
                .unwrap_or_else(|| panic!("{}: no {lang} version", page.slug));
            assert!(
                !v.is_fallback(),
                "{}: the {lang} version is a fallback",
                page.slug
            );
            assert!(
                !v.source.body().expect("body").trim().is_empty(),
                "{}: empty {lang} body",
                page.slug
            );
        }
    }
}

#[test]
fn translation_coverage_is_complete() {
    let site = site();
    let scopes: BTreeSet<&str> = site.coverage.iter().map(|r| r.scope.as_str()).collect();
    for scope in ["site", RR2020, BISM1] {
        assert!(scopes.contains(scope), "no coverage row for {scope}");
    }
    for row in &site.coverage {
        if LANGS.contains(&row.lang.as_str()) {
            assert!(
                row.total > 0,
                "{} / {}: nothing counted",
                row.scope,
                row.lang
            );
            assert_eq!(
                row.present, row.total,
                "{} / {}: coverage below 100 %",
                row.scope, row.lang
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 14, content part: corrected facts, Arabic digit groups, printed participant lists,
// flagged repetitions, reaction attributions, the research article's case studies, sources.
//
// These tests read the SOURCE files as text (no YAML parser: line-based checks) and the HTML
// built by running the binary (`barometre -C <repo> build --out <tmp>`), so that they do not
// depend on the library's model types.
// ---------------------------------------------------------------------------------------------

mod issue14 {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};
    use std::process::Command;
    use std::sync::OnceLock;

    const REPO: &str = env!("CARGO_MANIFEST_DIR");
    const RR: &str = "editions/2020-rencontres-regionales";
    const NNBSP: char = '\u{202f}';

    fn read(rel: &str) -> String {
        std::fs::read_to_string(Path::new(REPO).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn files(dir: &str, suffix: &str) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(Path::new(REPO).join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(suffix))
            .collect();
        v.sort();
        v
    }

    fn edition_dirs() -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(Path::new(REPO).join("editions"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        v.sort();
        v
    }

    /// Every Markdown page of the project in `lang`.
    fn pages(lang: &str) -> Vec<PathBuf> {
        let suffix = format!(".{lang}.md");
        let mut v = files("content", &suffix);
        for ed in edition_dirs() {
            let rel = ed.strip_prefix(REPO).unwrap().join("pages");
            v.extend(files(rel.to_str().unwrap(), &suffix));
        }
        v
    }

    fn data_files() -> Vec<PathBuf> {
        let mut v = Vec::new();
        for ed in edition_dirs() {
            v.push(ed.join("edition.yaml"));
            let rel = ed.strip_prefix(REPO).unwrap().join("data");
            v.extend(files(rel.to_str().unwrap(), ".yaml"));
        }
        v
    }

    /// The Arabic texts of the project: `.ar.md` pages, the `ar:` values of the YAML data (one
    /// line each in the shipped files), and the Arabic UI strings. (file, line, text)
    fn arabic_texts() -> Vec<(String, usize, String)> {
        let mut out = Vec::new();
        for p in pages("ar") {
            let text = std::fs::read_to_string(&p).unwrap();
            for (i, l) in text.lines().enumerate() {
                out.push((p.display().to_string(), i + 1, l.to_string()));
            }
        }
        for p in data_files() {
            let text = std::fs::read_to_string(&p).unwrap();
            for (i, l) in text.lines().enumerate() {
                if let Some(pos) = l.find("ar: ") {
                    out.push((p.display().to_string(), i + 1, l[pos + 4..].to_string()));
                }
            }
        }
        let p = Path::new(REPO).join("themes/default/i18n/ar.yaml");
        for (i, l) in std::fs::read_to_string(&p).unwrap().lines().enumerate() {
            out.push((p.display().to_string(), i + 1, l.to_string()));
        }
        out
    }

    /// A digit, an ordinary or no-break space, a digit: reads backwards on an RTL page.
    fn reversible_group(l: &str) -> Option<String> {
        let c: Vec<char> = l.chars().collect();
        (1..c.len().saturating_sub(1))
            .find(|&i| {
                (c[i] == ' ' || c[i] == '\u{a0}')
                    && c[i - 1].is_ascii_digit()
                    && c[i + 1].is_ascii_digit()
            })
            .map(|i| {
                c[i.saturating_sub(12)..(i + 12).min(c.len())]
                    .iter()
                    .collect()
            })
    }

    /// The site built once by the binary, for all the HTML checks.
    fn built() -> &'static Path {
        static OUT: OnceLock<PathBuf> = OnceLock::new();
        OUT.get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir").keep();
            let out = dir.join("public");
            let o = Command::new(env!("CARGO_BIN_EXE_barometre"))
                .arg("-C")
                .arg(REPO)
                .args(["-q", "build", "--out"])
                .arg(&out)
                .output()
                .expect("run barometre");
            assert!(
                o.status.success(),
                "the shipped site does not build:\n{}",
                String::from_utf8_lossy(&o.stderr)
            );
            out
        })
    }

    fn html(rel: &str) -> String {
        std::fs::read_to_string(built().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// The slice of `s` from the element with `id="<id>"` to the end of its `<section>`.
    fn section<'a>(s: &'a str, id: &str) -> &'a str {
        let start = s
            .find(&format!("id={id}>"))
            .or_else(|| s.find(&format!("id=\"{id}\"")))
            .unwrap_or_else(|| panic!("no element with id `{id}`"));
        let end = s[start..].find("</section>").map_or(s.len(), |e| start + e);
        &s[start..end]
    }

    /// `participants.yaml`: the people of each meeting, as (name, affiliation), in order.
    fn participants() -> BTreeMap<String, Vec<(String, String)>> {
        let text = read(&format!("{RR}/data/participants.yaml"));
        let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        let mut current = String::new();
        let mut name: Option<String> = None;
        let unquote = |v: &str| v.trim().trim_matches('"').to_string();
        for l in text.lines() {
            let t = l.trim_start();
            if let Some(m) = t.strip_prefix("- meeting: ") {
                current = m.trim().to_string();
                out.entry(current.clone()).or_default();
            } else if let Some(n) = t.strip_prefix("- name: ") {
                name = Some(unquote(n));
            } else if let Some(a) = t.strip_prefix("affiliation: ") {
                let n = name.take().expect("an affiliation follows a name");
                out.get_mut(&current).unwrap().push((n, unquote(a)));
            }
        }
        out
    }

    /// One meeting of `meetings.yaml` as raw text, from `- id: <id>` to the next meeting.
    fn meeting_block(id: &str) -> String {
        let text = read(&format!("{RR}/data/meetings.yaml"));
        let start = text
            .find(&format!("\n- id: {id}\n"))
            .unwrap_or_else(|| panic!("meeting {id}"));
        let rest = &text[start + 1..];
        let end = rest[1..].find("\n- id: ").map_or(rest.len(), |e| e + 2);
        rest[..end].to_string()
    }

    /// The French items of one list (`recommendations` or `suggestions`) of one workshop group.
    fn workshop_list(meeting: &str, group: &str, list: &str) -> Vec<String> {
        let block = meeting_block(meeting);
        let ws = &block[block.find("\n  workshops:\n").expect("workshops")..];
        let g = ws
            .find(&format!("- group: {group}\n"))
            .unwrap_or_else(|| panic!("{meeting}: group {group}"));
        let after = &ws[g + 1..];
        let end = after.find("\n    - group: ").unwrap_or(after.len());
        let w = &after[..end];
        let l = w
            .find(&format!("\n      {list}:"))
            .unwrap_or_else(|| panic!("{meeting}/{group}: no {list}"));
        let mut items = Vec::new();
        for line in w[l + 1..].lines().skip(1) {
            let t = line.trim_start();
            if let Some(fr) = t.strip_prefix("- fr: ") {
                items.push(fr.trim().trim_matches('"').to_string());
            } else if !(t.starts_with("ar:") || t.starts_with('#')) {
                break;
            }
        }
        items
    }

    #[test]
    fn arabic_digit_groups_use_a_narrow_no_break_space() {
        let bad: Vec<String> = arabic_texts()
            .into_iter()
            .filter_map(|(f, n, l)| reversible_group(&l).map(|ctx| format!("{f}:{n}: …{ctx}…")))
            .collect();
        assert!(
            bad.is_empty(),
            "digit groups separated by a space in Arabic text (write U+202F):\n{}",
            bad.join("\n")
        );
        // The figures the issue named, in the data and in the built pages.
        let meetings = read(&format!("{RR}/data/meetings.yaml"));
        assert!(meetings.contains(&format!("65{NNBSP}000 شخص")));
        assert!(meetings.contains(&format!("80{NNBSP}000 درهم")));
        let safi = html("ar/editions/2020-rencontres-regionales/safi/index.html");
        assert!(safi.contains(&format!("65{NNBSP}000")), "Safi (ar): 65 000");
        assert!(!safi.contains("65 000") && !safi.contains("000 65"));
        let ouarzazate = html("ar/editions/2020-rencontres-regionales/ouarzazate/index.html");
        assert!(ouarzazate.contains(&format!("87{NNBSP}000")));
        assert!(html("ar/recherche-cas-its/index.html").contains(&format!("2{NNBSP}500")));
        assert!(html("ar/fondation-ocp-2021/index.html").contains(&format!("30{NNBSP}000")));
    }

    #[test]
    fn the_corrected_facts_stay_corrected() {
        let meetings = read(&format!("{RR}/data/meetings.yaml"));
        // Connect Institute: « notre institution », not each of the four centres.
        assert!(!meetings.contains("Chaque centre accueille"));
        assert!(meetings.contains("« Dans notre institution »"));
        // Names as printed.
        for p in pages("fr")
            .into_iter()
            .chain(pages("ar"))
            .chain(data_files())
        {
            let t = std::fs::read_to_string(&p).unwrap();
            for wrong in [
                "Mohammed V de",
                "Benguerir",
                "Hoceïma",
                "Mohammed VI Polytechnique",
            ] {
                assert!(
                    !t.contains(wrong),
                    "{}: « {wrong} » (not as printed)",
                    p.display()
                );
            }
        }
        assert!(meetings.contains("Université Mohamed V de Rabat"));
        assert!(meetings.contains("Mahir Center à Bengrir"));
        // « plébiscitées » is not unanimity.
        for (f, n, l) in arabic_texts() {
            for wrong in ["بالإجماع", "أجمع", "إجماع"] {
                assert!(!l.contains(wrong), "{f}:{n}: « {wrong} »");
            }
        }
        for rel in [
            format!("{RR}/pages/recommandations.ar.md"),
            format!("{RR}/data/national-summary.yaml"),
            format!("{RR}/pages/introduction.ar.md"),
        ] {
            assert!(read(&rel).contains("بتأييد واسع"), "{rel}");
        }
        // Overstatements.
        let conclusion = read(&format!("{RR}/pages/conclusion.fr.md"));
        assert!(!conclusion.contains("ont confirmé son diagnostic"));
        assert!(conclusion.contains("ne dit pas si les participants ont validé"));
        assert!(!read(&format!("{RR}/pages/enquete.fr.md")).contains("sans ambiguïté"));
        let oris = read("content/oris.fr.md");
        assert!(oris.contains("reconstitué") && oris.contains("lecture éditoriale"));
        let article = read("content/recherche-cas.fr.md");
        assert!(article.contains("inégalités sociales grandissantes"));
        assert!(!article.contains("persistantes"));
        let glossary = read("content/glossaire.fr.md");
        assert!(!glossary.contains("Plusieurs intervenants"));
        assert!(glossary.contains("Tahar El Qour"));
        assert!(read("content/glossaire.ar.md").contains("الطاهر القور (Tahar El Qour)"));
        let method = read("content/methodologie.fr.md");
        assert!(method.contains("note de source") && method.contains("mises en garde"));
        // ASF: the crèche's funding is not in the source.
        let asf = read("content/recherche-cas-asf.fr.md");
        let creche = asf
            .lines()
            .find(|l| l.contains("**crèche**"))
            .expect("the crèche");
        assert!(!creche.contains("revenus"), "{creche}");
        // Both chart attributions are editorial, in the source notes too.
        let indicators = read(&format!("{RR}/data/indicators.yaml"));
        assert_eq!(indicators.matches("lecture éditoriale").count(), 2);
        assert_eq!(indicators.matches("قراءة تحريرية").count(), 2);
        // The BISM: its printed name, 200 actors « impliqués ».
        let bism = read("editions/2023-bism-vague-1/edition.yaml");
        assert!(bism.contains("Baromètre de l’Innovation Sociale du Maroc (BISM)"));
        assert!(bism.contains("impliquant 200 acteurs clés"));
        for p in std::fs::read_dir(Path::new(REPO).join("editions/2023-bism-vague-1/pages"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .chain([Path::new(REPO).join("editions/2023-bism-vague-1/edition.yaml")])
        {
            let t = std::fs::read_to_string(&p).unwrap();
            assert!(!t.contains("interrogés"), "{}", p.display());
            assert!(
                !t.contains("innovation sociale au Maroc (BISM)"),
                "{}",
                p.display()
            );
        }
    }

    #[test]
    fn arabic_terms_follow_the_style_notes() {
        // docs/STYLE.md, « Terms »: the calques and confusions the issue listed.
        let banned = [
            "التمويل التشاركي",
            "العرضانية",
            "أرصفة",
            "مسؤولة المسؤولية",
            "معادَ بناؤهما",
            "يمتد البارومتر",
            "من المحرمات",
            "تغيير السلم",
            "أبحاثا-فعلا",
            "البحث-الفعل",
            "إصدار جديد",
            "سجل الإصدارات",
            "إصدار سنة 2021",
            "نسبة هذا الرسم",
        ];
        for (f, n, l) in arabic_texts() {
            for w in banned {
                assert!(!l.contains(w), "{f}:{n}: « {w} »");
            }
            // « التركيب » alone is the synthesis miscalled: التقرير التركيبي.
            let mut rest = l.as_str();
            while let Some(i) = rest.find("التركيب") {
                let after = &rest[i + "التركيب".len()..];
                assert!(
                    after.starts_with('ي'),
                    "{f}:{n}: « التركيب » for the synthesis"
                );
                rest = after;
            }
        }
        assert!(read("docs/STYLE.md").contains("U+202F"));
        // Names in Arabic prose: Arabic first, the printed Latin form in parentheses.
        for (rel, name) in [
            (
                format!("{RR}/pages/oujda.ar.md"),
                "زكرياء مدني (Zakaria MADANI)",
            ),
            (format!("{RR}/pages/safi.ar.md"), "هاكاثون «صمود 2020»"),
            (
                "content/recherche-cas-asf.ar.md".to_string(),
                "عائشة الشنا (Aicha ECHCHENNA)",
            ),
        ] {
            assert!(read(&rel).contains(name), "{rel}: « {name} »");
        }
        assert!(!read(&format!("{RR}/pages/safi.ar.md")).contains("هاكاثون Somoud"));
    }

    #[test]
    fn participant_lists_are_published_as_printed() {
        let lists = participants();
        let counts: Vec<(&str, usize)> = lists.iter().map(|(m, p)| (m.as_str(), p.len())).collect();
        assert_eq!(
            counts,
            [
                ("laayoune", 32),
                ("ouarzazate", 31),
                ("oujda", 38),
                ("safi", 32),
                ("tanger", 29)
            ]
        );
        // 162 entries, the figure of « 162 acteurs » printed in the synthesis.
        assert_eq!(lists.values().map(Vec::len).sum::<usize>(), 162);
        let has = |m: &str, n: &str, a: &str| lists[m].iter().any(|(x, y)| x == n && y == a);
        assert!(has(
            "oujda",
            "Tayeb EL MESBAHI",
            "Conseil de la région de l’Oriental - Oujda"
        ));
        // Two entries the extraction glued together, one it cut in two.
        assert!(has("oujda", "Bachir MOKRANE", "PNUD"));
        assert!(has("oujda", "Hajer AARAB", "Coop. Dawk Rafii - Oujda"));
        assert!(has("tanger", "Otmane ELQACEMI", "AGEF Chamal - Tanger"));
        assert!(has(
            "ouarzazate",
            "Mohamed NOU",
            "Faculté des sciences et techniques - Errachidia"
        ));
        // Printed typos are kept; extraction artefacts are not.
        assert!(has(
            "laayoune",
            "Lahbbi AADID",
            "Conseil de la Eégion Laâyoune Sakia Lhamra"
        ));
        for (m, people) in &lists {
            for (n, a) in people {
                assert!(!n.is_empty(), "{m}: an empty name");
                assert!(
                    !a.contains('›') && !a.contains('\t') && !a.contains("  "),
                    "{m}: {a}"
                );
            }
        }
        // Each meeting page shows its list, in both languages, marked with the print's language
        // on the Arabic page.
        for (m, people) in &lists {
            for lang in ["fr", "ar"] {
                let page = html(&format!(
                    "{lang}/editions/2020-rencontres-regionales/{m}/index.html"
                ));
                let sec = section(&page, "participants");
                assert_eq!(
                    sec.matches("class=person-name").count()
                        + sec.matches("class=\"person-name\"").count(),
                    people.len(),
                    "{lang}/{m}: participants shown"
                );
                assert!(sec.contains(&people[0].0), "{lang}/{m}: {}", people[0].0);
                assert!(
                    sec.contains(&people.len().to_string()),
                    "{lang}/{m}: the count"
                );
                if lang == "ar" {
                    assert!(
                        sec.contains("lang=\"fr\"") || sec.contains("lang=fr"),
                        "{m}: lang=fr on the printed names"
                    );
                }
            }
        }
    }

    #[test]
    fn reaction_attributions_name_a_speaker_of_the_session() {
        let text = read(&format!("{RR}/data/meetings.yaml"));
        let mut meeting = String::new();
        // The key of the meeting being read (`reactions`, `reaction_speakers`, `testimonies`…).
        let mut key = String::new();
        let mut session = 0u8;
        let mut attributed: Vec<(String, u8, String)> = Vec::new();
        let mut speakers: BTreeSet<(String, u8, String)> = BTreeSet::new();
        for l in text.lines() {
            if let Some(id) = l.strip_prefix("- id: ") {
                meeting = id.trim().to_string();
                key.clear();
            } else if l.starts_with("  ")
                && !l.starts_with("   ")
                && !l.trim_start().starts_with('#')
            {
                key = l.trim().trim_end_matches(':').to_string();
            }
            let t = l.trim();
            if let Some(n) = t.strip_prefix("- session: ") {
                session = n.parse().unwrap();
            } else if let Some(n) = t.strip_prefix("speaker: ")
                && key == "reactions"
            {
                attributed.push((meeting.clone(), session, n.trim_matches('"').to_string()));
            } else if let Some(n) = t.strip_prefix("name: ")
                && key == "reaction_speakers"
            {
                speakers.insert((meeting.clone(), session, n.trim_matches('"').to_string()));
            }
        }
        assert_eq!(attributed.len(), 11, "attributed reactions: {attributed:?}");
        assert_eq!(speakers.len(), 66, "reaction speakers listed");
        for a in &attributed {
            assert!(
                speakers.contains(a),
                "{a:?} is not a speaker of that session"
            );
        }
        // Each meeting lists its speakers on its page.
        let page = html("fr/editions/2020-rencontres-regionales/oujda/index.html");
        assert!(page.contains("Rachid RAMI") && page.contains("reaction-speakers-2"));
    }

    #[test]
    fn repeated_recommendation_lists_are_flagged() {
        // (meeting, list, source meeting, source group, source list), all in « Capital humain ».
        let repeats = [
            (
                "safi",
                "suggestions",
                "oujda",
                "capital-humain",
                "suggestions",
            ),
            (
                "ouarzazate",
                "recommendations",
                "safi",
                "capital-humain",
                "recommendations",
            ),
            (
                "laayoune",
                "suggestions",
                "ouarzazate",
                "culture-adoption",
                "recommendations",
            ),
        ];
        for (m, list, sm, sg, sl) in repeats {
            // The flag is in the data…
            let block = meeting_block(m);
            let flag = format!(
                "- list: {list}\n          meeting: {sm}\n          group: {sg}\n          source_list: {sl}\n"
            );
            assert!(block.contains(&flag), "{m}: no `repeats` flag for {list}");
            // …and the lists really are the same (Laâyoune: without the last point).
            let here = workshop_list(m, "capital-humain", list);
            let there = workshop_list(sm, sg, sl);
            assert!(!here.is_empty());
            assert_eq!(
                here[..],
                there[..here.len()],
                "{m}/{list} vs {sm}/{sg}/{sl}"
            );
        }
        // No other list carries a flag.
        assert_eq!(
            read(&format!("{RR}/data/meetings.yaml"))
                .matches("\n      repeats:\n")
                .count(),
            3
        );
        // The flag shows on the meeting pages and on the recommendations page, in both languages.
        for lang in ["fr", "ar"] {
            for m in ["safi", "ouarzazate", "laayoune"] {
                let page = html(&format!(
                    "{lang}/editions/2020-rencontres-regionales/{m}/index.html"
                ));
                assert_eq!(page.matches("repeat-note").count(), 1, "{lang}/{m}");
            }
            let recs = html(&format!(
                "{lang}/editions/2020-rencontres-regionales/recommandations/index.html"
            ));
            assert_eq!(
                recs.matches("repeat-note").count(),
                3,
                "{lang}/recommandations"
            );
        }
        assert!(read(&format!("{RR}/pages/laayoune.fr.md")).contains("## Note de lecture"));
    }

    #[test]
    fn the_case_studies_carry_the_article_figures() {
        // (page, figures in the French text, figures in the Arabic text)
        let nn = |s: &str| s.replace(' ', &NNBSP.to_string());
        let cases: [(&str, &[&str]); 4] = [
            (
                "recherche-cas-its",
                &[
                    "1953",
                    "1957",
                    "395",
                    "500",
                    "2 500 dirhams",
                    "20 élèves",
                    "60 élèves",
                    "**100**",
                    "**50**",
                ],
            ),
            (
                "recherche-cas-anais",
                &[
                    "1991",
                    "290 personnes",
                    "**70 %**",
                    "**72**",
                    "**20** vacataires",
                    "80 m²",
                    "centaine",
                ],
            ),
            (
                "recherche-cas-bayti",
                &["1995", "125 enfants", "**150**", "une centaine", "**41**"],
            ),
            (
                "recherche-cas-asf",
                &[
                    "1985",
                    "vingtaine",
                    "**500**",
                    "**25**",
                    "10 % au maximum",
                    "trois ans",
                ],
            ),
        ];
        for (slug, figures) in cases {
            let fr = read(&format!("content/{slug}.fr.md"));
            let ar = read(&format!("content/{slug}.ar.md"));
            for f in figures {
                assert!(fr.contains(f), "{slug}.fr: « {f} »");
                // Every number of the French page is in the Arabic one.
                for num in f
                    .split(|c: char| !c.is_ascii_digit() && c != ' ')
                    .map(str::trim)
                {
                    if num.chars().any(|c| c.is_ascii_digit()) {
                        assert!(ar.contains(&nn(num)), "{slug}.ar: {num}");
                    }
                }
            }
            for lang in ["fr", "ar"] {
                html(&format!("{lang}/{slug}/index.html"));
            }
        }
        // The synthesis page: the problems of Annex 2 (5 + 4 + 7) and the three innovations
        // taken up by the State.
        let synthesis = read("content/recherche-cas.fr.md");
        let rows = synthesis
            .lines()
            .filter(|l| l.starts_with("| 1") || l.starts_with("| 2") || l.starts_with("| 3"))
            .count();
        assert_eq!(rows, 16);
        for s in [
            "crèches d’entreprise",
            "journée de la trisomie",
            "**familles**",
            "65 %",
            "**9**",
            "**4 thèses**",
            "L31",
            "O35",
        ] {
            assert!(synthesis.contains(s), "recherche-cas.fr: « {s} »");
        }
    }

    #[test]
    fn every_page_names_its_source_and_the_contact_page_its_terms() {
        for p in pages("fr") {
            assert!(
                std::fs::read_to_string(&p)
                    .unwrap()
                    .contains("\n## Source\n"),
                "{}",
                p.display()
            );
        }
        for p in pages("ar") {
            assert!(
                std::fs::read_to_string(&p)
                    .unwrap()
                    .contains("\n## المصدر\n"),
                "{}",
                p.display()
            );
        }
        // Only addresses printed in the sources are linked.
        for p in pages("fr").into_iter().chain(pages("ar")) {
            let t = std::fs::read_to_string(&p).unwrap();
            for (i, _) in t.match_indices("](http") {
                let url = &t[i + 2..t[i..].find(')').map_or(t.len(), |e| i + e)];
                assert_eq!(url, "http://www.fondation-bensalah.ma", "{}", p.display());
            }
        }
        let contact = read("content/contact.fr.md");
        for s in [
            "fabs@holmarcom.ma",
            "+212 (0)5 22 31 07 01",
            "CC BY 4.0",
            "entend",
            "version",
        ] {
            assert!(contact.contains(s), "contact.fr: « {s} »");
        }
        let page = html("ar/contact/index.html");
        assert!(page.contains("mailto:fabs@holmarcom.ma"));
    }
}
