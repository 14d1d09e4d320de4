//! Figure ids, permalinks and files on the two-edition fixture (`tests/fixtures/waves`): the
//! same id on every page that draws a figure, a suffix only on the second drawing on a page,
//! one SVG and one PNG per figure and language (standalone, valid XML; PNG of the right size),
//! the same bytes from two builds.

mod common;

use std::path::Path;

use common::*;

const DUP: &str = "\n```chart\nindicator: confiance\n```\n";

fn build(site: &Path) {
    let out = barometre(site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The ids of the chart figures of a page, in order.
fn figure_ids(html: &str) -> Vec<String> {
    html.match_indices(r#"<figure class="chart-figure" id=""#)
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

/// Width and height of a PNG, from its IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn a_figure_has_the_same_id_on_every_page_and_a_suffix_when_drawn_twice() {
    let site = fixture("waves");
    let page = site
        .path()
        .join("editions/2022-vague-1/pages/resultats.fr.md");
    let text = std::fs::read_to_string(&page).unwrap();
    write(
        site.path(),
        "editions/2022-vague-1/pages/resultats.fr.md",
        &format!("{text}{DUP}"),
    );
    build(site.path());
    let public = site.path().join("public");
    let results = read(&public, "fr/editions/2022-vague-1/resultats/index.html");
    let ids = figure_ids(&results);
    assert_eq!(
        ids,
        [
            "fig-2022-vague-1--confiance",
            "fig-2022-vague-1--confiance--pie",
            "fig-2022-vague-1--projets",
            "fig-2022-vague-1--confiance-2",
        ],
        "the default figure, another type, another indicator, the first one again"
    );
    for id in &ids {
        assert!(
            results.contains(&format!(
                r##"<a class="figure-permalink" href="#{id}">Lien permanent</a>"##
            )),
            "permalink of {id}"
        );
        // Ids inside the drawing (title, desc, patterns) are unique on the page too.
        assert_eq!(results.matches(&format!(r#"id="{id}-title""#)).count(), 1);
    }
    // The indicator page draws each wave with the id the edition pages give it.
    let indicator = read(&public, "fr/indicateurs/confiance/index.html");
    let on_indicator = figure_ids(&indicator);
    assert!(
        on_indicator.contains(&"fig-2022-vague-1--confiance".to_string())
            && on_indicator.contains(&"fig-2024-vague-2--confiance".to_string()),
        "{on_indicator:?}"
    );
    assert!(indicator.contains(r#"<div class="trend-figure" id="fig-confiance--trend">"#));
    // It does not link « Toutes les éditions » to itself; the edition page does.
    assert!(!indicator.contains(">Toutes les éditions</a>"));
    assert!(results.contains(">Toutes les éditions</a>"));
    // The figure drawn twice has its files once.
    let files: Vec<_> = std::fs::read_dir(public.join("data/2022-vague-1/figures"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        files
            .iter()
            .filter(|f| f.starts_with("confiance.fr."))
            .count(),
        2,
        "{files:?}"
    );
}

#[test]
fn figure_files_are_standalone_svg_and_png_and_the_same_from_two_builds() {
    let a = fixture("waves");
    let b = fixture("waves");
    build(a.path());
    build(b.path());
    let (pa, pb) = (a.path().join("public"), b.path().join("public"));
    let figures: Vec<_> = read_tree(&pa)
        .into_iter()
        .filter(|(p, _)| p.components().any(|c| c.as_os_str() == "figures"))
        .collect();
    assert!(!figures.is_empty(), "figure files are written");
    let mut svgs = 0;
    for (rel, bytes) in &figures {
        let other = std::fs::read(pb.join(rel)).unwrap();
        assert!(
            bytes == &other,
            "{} differs between two builds",
            rel.display()
        );
        let name = rel.to_string_lossy();
        if name.ends_with(".svg") {
            svgs += 1;
            let text = std::str::from_utf8(bytes).unwrap();
            let doc = roxmltree::Document::parse(text)
                .unwrap_or_else(|e| panic!("{name} is not XML: {e}"));
            let root = doc.root_element();
            assert_eq!(root.tag_name().name(), "svg");
            assert_eq!(
                root.tag_name().namespace(),
                Some("http://www.w3.org/2000/svg")
            );
            let width: f64 = root.attribute("width").unwrap().parse().unwrap();
            let height: f64 = root.attribute("height").unwrap().parse().unwrap();
            assert!(root.attribute("font-family").is_some(), "{name}");
            assert!(
                root.children().any(|c| c.has_tag_name("title")),
                "{name}: a title"
            );
            assert!(
                text.contains(r##"fill="#ffffff""##),
                "{name}: a white background"
            );
            assert!(
                !text.contains("<style") && !text.contains("@font-face"),
                "{name}"
            );
            // Its PNG: two pixels per unit.
            let png_rel = name.replace(".svg", ".png");
            let png = std::fs::read(pa.join(&png_rel)).unwrap();
            assert_eq!(
                png_size(&png),
                ((width * 2.0).round() as u32, (height * 2.0).round() as u32),
                "{png_rel}"
            );
        }
    }
    // Per language: each edition figure, the trend.
    assert!(svgs >= 2 * 4, "{svgs} SVG files");
    assert!(pa.join("data/figures/confiance--trend.ar.png").is_file());
    let page = read(&pa, "ar/editions/2022-vague-1/resultats/index.html");
    for ext in ["svg", "png"] {
        assert!(
            page.contains(&format!(
                r#"href="../../../../data/2022-vague-1/figures/confiance.ar.{ext}""#
            )),
            "{ext} download"
        );
    }
}
