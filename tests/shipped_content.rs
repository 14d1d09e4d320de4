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
            "fondation-ocp-2021",
            "glossaire",
            "methodologie",
            "oris",
            "recherche-cas"
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
