//! What the fuzz target does with one input, shared by `fuzz/fuzz_targets/loaders.rs`
//! (coverage-guided, nightly) and `tests/fuzz_regressions.rs` (stable, replays the inputs
//! kept in `tests/fuzz-regressions/`). Nothing here may panic: every finding is a bug.
//!
//! The input goes through the loaders an author's files go through — front matter
//! splitting, YAML into each schema type, Markdown to HTML with diagnostics — and through the
//! text edits of the author's tools (`publish`'s key edits, `new edition --from`'s removal of
//! values), checking their invariants.
#![allow(dead_code)] // each target uses one entry point

use std::collections::BTreeMap;
use std::path::Path;

use barometre::internals::{EditionFile, FrontMatter, SiteFile};
use barometre::internals::{EmbedError, Hooks, frontmatter, markdown, yaml};

struct FuzzHooks;

impl Hooks for FuzzHooks {
    fn resolve_link(&self, target: &str) -> Option<String> {
        // Half the targets exist, so both paths run.
        target
            .len()
            .is_multiple_of(2)
            .then(|| format!("fr/{target}/index.html"))
    }

    fn embed(&self, info: &str, body: &str, line: usize) -> Option<Result<String, EmbedError>> {
        match info {
            "chart" if body.contains("indicator:") => Some(Ok("<svg></svg>".into())),
            "chart" => Some(Err(EmbedError::Block {
                line,
                message: "no indicator".into(),
                hint: None,
            })),
            _ => None,
        }
    }
}

fn yaml_into<T: serde::de::DeserializeOwned>(text: &str) {
    if let Err(d) = yaml::parse::<T>(Path::new("f.yaml"), text) {
        let _ = d.to_string();
    }
}

pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    // A page: front matter, then Markdown.
    let (body, first_line) = match frontmatter::split(text) {
        Some(split) => {
            assert_eq!(&text[split.body_offset..], split.body, "body offset");
            if let Err(d) = yaml::parse_fragment::<FrontMatter>(
                Path::new("p.md"),
                text,
                split.yaml,
                split.yaml_line,
            ) {
                let _ = d.to_string();
            }
            (split.body, split.body_line)
        }
        None => (text, 1),
    };
    let out = markdown::to_html(
        &markdown::Input {
            file: Path::new("p.md"),
            body,
            first_line,
            root: "../../",
            id_prefix: "x-",
            prose: barometre::internals::Prose {
                typography: barometre::internals::Typography::French,
                digit_groups: Some(barometre::Severity::Warning),
            },
        },
        &FuzzHooks,
    );
    for d in &out.diagnostics {
        let _ = d.to_string();
    }
    let _ = markdown::inline_html(text);

    // The typographic rules only turn spaces into no-break spaces or add them, and running
    // them twice changes nothing.
    {
        use barometre::internals::{Typography::French, typography};
        let once = typography::apply(French, text);
        assert_eq!(
            typography::apply(French, &once),
            once,
            "typography is not idempotent"
        );
        let letters = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(
            letters(&once),
            letters(text),
            "typography changed more than spaces"
        );
        for r in barometre::internals::digits::find(text) {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }

    // YAML into every input type.
    yaml_into::<SiteFile>(text);
    yaml_into::<EditionFile>(text);
    yaml_into::<FrontMatter>(text);
    yaml_into::<serde_json::Value>(text);
    yaml_into::<BTreeMap<String, String>>(text);

    // `publish` edits: setting a key then removing it gives the text without that key.
    let keys = barometre::internals::UNHASHED_KEYS;
    let set = barometre::internals::set_key(text, "status", "published");
    assert_eq!(
        barometre::internals::without_keys(&set, keys).trim_end_matches('\n'),
        barometre::internals::without_keys(text, keys).trim_end_matches('\n'),
        "set_key touched more than its line"
    );
    let _ = barometre::internals::key_position(text, "content_hash");

    // `new edition --from`: the copy parses, and keeps the ids.
    if let Ok(copy) = barometre::internals::without_values(Path::new("i.yaml"), text) {
        let value: serde_json::Value =
            yaml::parse(Path::new("o.yaml"), &copy).expect("the copy without values parses");
        let original: serde_json::Value =
            yaml::parse(Path::new("i.yaml"), text).expect("the original parsed");
        let ids = |v: &serde_json::Value| {
            v.as_array()
                .map(|a| a.iter().map(|i| i.get("id").cloned()).collect::<Vec<_>>())
        };
        assert_eq!(ids(&value), ids(&original), "ids changed");
    }
}

// ---------------------------------------------------------------------------------------
// The other targets: responses CSV through the model's aggregation, chart blocks and page
// bodies through the real page hooks, the HTML scanner of the link check. Each builds its
// fixture once (the first input pays for it).

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use barometre::internals::{Flag, Indicator, Rendering, Responses, Scanned, policy, scan_html};

/// The repository root, from the fuzz crate (`fuzz/`) or the main crate.
fn repo() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    if dir.join("fixture").is_dir() {
        dir.parent().expect("fuzz/ has a parent").to_path_buf()
    } else {
        dir.to_path_buf()
    }
}

/// The synthetic demonstration project, with the repository's theme.
fn demo() -> barometre::Options {
    let root = repo();
    let mut opts = barometre::Options::new(root.join("examples/demo-wave"));
    opts.themes = Some(root.join("themes"));
    opts
}

fn responses_fixture() -> &'static Mutex<Responses> {
    static R: OnceLock<Mutex<Responses>> = OnceLock::new();
    R.get_or_init(|| {
        let fixture = repo().join("fuzz/fixture");
        let read = |f: &str| std::fs::read_to_string(fixture.join(f)).expect("fixture file");
        let dims = read("dimensions.yaml");
        let inds = read("indicators.yaml");
        Mutex::new(
            Responses::new(&demo(), 0, Some(&dims), &inds, "r.csv")
                .unwrap_or_else(|d| panic!("fixture: {d}"))
                // Small samples publish, so that short inputs reach the statistics.
                .with_statistics(barometre::internals::Statistics {
                    confidence: 0.95,
                    min_n: 2,
                    caution_n: 4,
                }),
        )
    })
}

const EPS: f64 = 1e-6;

/// A responses CSV through the model: every published value of the fixed definition is a
/// share in [0, 100] inside its interval, or a count, mean or quantile in order; the counts
/// of the breakdowns add up to no more than the whole sample's; a file that is not UTF-8
/// aggregates nothing.
pub fn responses(data: &[u8]) {
    let (inds, diags) = responses_fixture()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .aggregate(data);
    for d in &diags {
        let _ = d.to_string();
    }
    if std::str::from_utf8(data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data)).is_err() {
        assert!(
            inds.iter().all(|i| !i.aggregated),
            "a file that is not UTF-8 was aggregated"
        );
        assert!(diags.iter().any(|d| d.is_error()), "not UTF-8, no error");
    }
    for ind in &inds {
        check_indicator(ind);
    }
}

fn check_indicator(ind: &Indicator) {
    use barometre::internals::IndicatorKind as K;
    let columns = ind.columns().len();
    let total = ind.total();
    for row in ind
        .rows
        .iter()
        .chain(ind.crosstabs.iter().flat_map(|c| &c.rows))
    {
        assert_eq!(row.values.len(), columns, "{}: values per row", ind.id);
        assert_eq!(row.cells.len(), columns, "{}: cells per row", ind.id);
        if let (Some(n), Some(e)) = (row.n, row.n_eff) {
            assert!(
                e >= -EPS && e <= n as f64 + EPS,
                "{}: n_eff {e} of n {n}",
                ind.id
            );
        }
        for (v, c) in row.values.iter().zip(&row.cells) {
            if c.flag == Flag::Suppressed {
                assert!(
                    v.is_none() && c.ci.is_none(),
                    "{}: suppressed value shown",
                    ind.id
                );
            }
            let Some(v) = *v else { continue };
            assert!(v.is_finite(), "{}: value {v}", ind.id);
            if ind.is_percent() {
                assert!((-EPS..=100.0 + EPS).contains(&v), "{}: share {v}", ind.id);
            }
            if let Some((lo, hi)) = c.ci {
                assert!(lo <= hi + EPS, "{}: interval ({lo}, {hi})", ind.id);
                if ind.kind != K::Numeric {
                    assert!(
                        lo - EPS <= v && v <= hi + EPS,
                        "{}: {v} outside ({lo}, {hi})",
                        ind.id
                    );
                }
                if ind.is_percent() {
                    assert!(lo >= -EPS && hi <= 100.0 + EPS, "{}: ({lo}, {hi})", ind.id);
                }
            }
        }
        let shown: Vec<f64> = row
            .values
            .iter()
            .zip(&ind.excluded)
            .filter(|(_, ex)| !**ex)
            .filter_map(|(v, _)| *v)
            .collect();
        let complete = shown.len() == ind.excluded.iter().filter(|e| !**e).count();
        match ind.kind {
            // One answer each: the shares of the base add up to 100.
            K::Share | K::Likert if complete && !shown.is_empty() => {
                let sum: f64 = shown.iter().sum();
                assert!(
                    (sum - 100.0).abs() < 1e-6,
                    "{}: shares add up to {sum}",
                    ind.id
                );
            }
            // Counts of one answer each add up to the base.
            K::Count if complete && !shown.is_empty() => {
                let sum: f64 = shown.iter().sum();
                assert_eq!(
                    Some(sum as u64),
                    row.n,
                    "{}: counts add up to {sum}",
                    ind.id
                );
            }
            K::Numeric => {
                if let [_, Some(median), Some(q1), Some(q3)] = row.values[..] {
                    assert!(
                        q1 <= median + EPS && median <= q3 + EPS,
                        "{}: quartiles",
                        ind.id
                    );
                }
            }
            _ => {}
        }
    }
    // Each breakdown splits (part of) the whole sample.
    if let Some(total) = total {
        for d in 0..ind.breakdowns.len() {
            let sum = |f: fn(&barometre::internals::Row) -> Option<u64>| {
                ind.rows_of(d).map(|r| f(r).unwrap_or(0)).sum::<u64>()
            };
            assert!(
                sum(|r| r.n) <= total.n.unwrap_or(0),
                "{}: members' n",
                ind.id
            );
            assert!(
                sum(|r| r.missing) <= total.missing.unwrap_or(0),
                "{}: members' missing",
                ind.id
            );
        }
    }
}

fn rendering(unsafe_html: bool) -> &'static Rendering {
    static SAFE: OnceLock<Rendering> = OnceLock::new();
    static RAW: OnceLock<Rendering> = OnceLock::new();
    let cell = if unsafe_html { &RAW } else { &SAFE };
    cell.get_or_init(|| {
        Rendering::new(&demo())
            .unwrap_or_else(|e| panic!("demo project: {e}"))
            .with_unsafe_html(unsafe_html)
    })
}

/// Elements a published page never holds (policy.rs refuses them in raw HTML).
const NEVER: &[&str] = &[
    "script", "iframe", "object", "embed", "frame", "frameset", "base", "link", "applet", "portal",
    "noscript", "style",
];

/// HTML a page may publish: no script, nothing loaded from another host, no `javascript:` or
/// `data:` address, read as the link check reads it.
fn check_published(html: &str, what: &str) {
    for e in scan_html(html.as_bytes()) {
        let Scanned::Start { name, attrs, .. } = e else {
            continue;
        };
        let name = name.to_ascii_lowercase();
        assert!(
            !NEVER.contains(&name.as_str()),
            "{what}: <{name}> published"
        );
        for (k, v) in attrs {
            let k = String::from_utf8_lossy(&k).to_ascii_lowercase();
            assert!(!k.starts_with("on"), "{what}: <{name} {k}> published");
            let resource = matches!(
                k.as_str(),
                "src" | "poster" | "data" | "background" | "lowsrc" | "dynsrc"
            );
            if resource {
                assert_eq!(
                    policy::url_problem(&v, true),
                    None,
                    "{what}: <{name} {k}={v:?}>"
                );
            } else if k.ends_with("srcset") {
                for u in v.split(',').filter_map(|c| c.split_whitespace().next()) {
                    assert_eq!(
                        policy::url_problem(u, true),
                        None,
                        "{what}: <{name} {k}={v:?}>"
                    );
                }
            } else if matches!(
                k.as_str(),
                "href" | "action" | "formaction" | "cite" | "xlink:href"
            ) {
                // Only a link's `href` is followed; elsewhere (`<svg><image>`) it loads.
                let loads = k.ends_with("href") && !matches!(name.as_str(), "a" | "area");
                assert_eq!(
                    policy::url_problem(&v, loads),
                    None,
                    "{what}: <{name} {k}={v:?}>"
                );
                assert!(!v.starts_with("@/"), "{what}: unresolved link {v:?}");
            } else if k == "style" {
                assert!(policy::css_problems(&v).is_empty(), "{what}: style={v:?}");
            }
        }
    }
}

/// The body of a ```` ```chart ```` block through the real figure embedding, in every
/// language, for the page's edition picked by the input: a figure is published HTML, drawn
/// the same twice; an error is located inside the block.
pub fn chart(data: &[u8]) {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let r = rendering(false);
    let editions = r.site().editions.len();
    let edition = (body.len() % (editions + 1)).checked_sub(1);
    for lang in 0..r.site().languages.len() {
        let Some(out) = r.chart(lang, edition, body) else {
            continue;
        };
        match out {
            Ok(html) => {
                check_published(&html, "chart");
                let again = r
                    .chart(lang, edition, body)
                    .expect("language")
                    .expect("again");
                assert_eq!(again, html, "chart drawn differently twice");
            }
            Err(barometre::internals::EmbedError::Block { line, message, .. }) => {
                assert!(line >= 1, "error line {line}: {message}");
                assert!(!message.is_empty());
            }
            Err(barometre::internals::EmbedError::Located(d)) => {
                let _ = d.to_string();
            }
        }
    }
}

/// A Markdown page body (links, images, raw HTML, chart blocks) through the page hooks, raw
/// HTML off and on: a page without errors publishes only what the policy allows.
pub fn page(data: &[u8]) {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    for unsafe_html in [false, true] {
        let r = rendering(unsafe_html);
        let edition = r.site().editions.len().checked_sub(1);
        let Some(out) = r.page(0, edition, body) else {
            continue;
        };
        // Line endings as CommonMark and YAML count them: a lone `\r` ends a line too.
        let lines = body.replace("\r\n", "\n").matches(['\n', '\r']).count() + 1;
        for d in &out.diagnostics {
            let _ = d.to_string();
            assert!(
                d.pos.line <= lines + 2,
                "line {} of {lines}: {d}",
                d.pos.line
            );
        }
        if out.diagnostics.iter().any(|d| d.is_error()) {
            continue;
        }
        check_published(
            &out.html,
            if unsafe_html {
                "page, raw HTML on"
            } else {
                "page"
            },
        );
    }
}

/// Arbitrary bytes through the link check's scanner: text runs are in order, inside the
/// input and (when it is UTF-8) on character boundaries; tag names are ASCII, attribute names
/// non-empty.
pub fn scan(data: &[u8]) {
    let events = scan_html(data);
    let text = std::str::from_utf8(data).ok();
    let mut end = 0;
    for e in &events {
        match e {
            Scanned::Text(r) => {
                assert!(
                    r.start >= end && r.start < r.end && r.end <= data.len(),
                    "{r:?}"
                );
                end = r.end;
                if let Some(t) = text {
                    assert!(
                        t.is_char_boundary(r.start) && t.is_char_boundary(r.end),
                        "{r:?}"
                    );
                }
            }
            Scanned::Start { name, attrs, .. } => {
                // Empty when the name written is not ASCII.
                assert!(name.is_ascii(), "tag name {name:?}");
                for (k, _) in attrs {
                    assert!(!k.is_empty(), "empty attribute name");
                }
            }
            Scanned::End(name) => assert!(name.is_ascii(), "end tag name {name:?}"),
        }
    }
    if let Some(t) = text {
        let _ = barometre::internals::page_links(t);
    }
}
