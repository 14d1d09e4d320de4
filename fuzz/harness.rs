//! What the fuzz target does with one input, shared by `fuzz/fuzz_targets/loaders.rs`
//! (coverage-guided, nightly) and `tests/fuzz_regressions.rs` (stable, replays the inputs
//! kept in `tests/fuzz-regressions/`). Nothing here may panic: every finding is a bug.
//!
//! The input goes through the loaders an author's files go through — front matter
//! splitting, YAML into each schema type, Markdown to HTML with diagnostics — and through the
//! text edits of the author's tools (`publish`'s key edits, `new edition --from`'s removal of
//! values), checking their invariants.

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
