//! What a page may hold, so that it is safe to mirror (DESIGN.md, rule 9), as Hugo decides it:
//!
//! - raw HTML in Markdown is off unless `markdown.unsafe_html: true` in `site.yaml`; off, it is
//!   shown as text (escaped), with a warning;
//! - `javascript:`, `vbscript:` and `data:` addresses are refused everywhere;
//! - nothing may be loaded from another host: an external `src`, `srcset`, `poster`, `data`,
//!   `background`, CSS `url()` (and `@import`) is an error; outgoing links (`<a href>`) are fine;
//! - even with raw HTML on, no script: `<script>`, event-handler attributes (`on…`),
//!   `<iframe>`, `<object>`, `<embed>`, `<frame>`, `<base>`, `<meta http-equiv>` and `<link>` are
//!   refused, since a mirror must not become a script host.
//!
//! Every refusal is an error with its location in the Markdown file.

use html5gum::{Token, Tokenizer};

/// Elements refused even with raw HTML on.
const REFUSED_ELEMENTS: &[&str] = &[
    "script", "iframe", "object", "embed", "frame", "frameset", "base", "link", "applet", "portal",
    "noscript",
];

/// Attributes that load what they name.
const RESOURCE_ATTRIBUTES: &[&str] = &[
    "src",
    "srcset",
    "poster",
    "data",
    "background",
    "lowsrc",
    "dynsrc",
    "imagesrcset",
];

/// Attributes that hold an address a reader follows.
const LINK_ATTRIBUTES: &[&str] = &["href", "action", "formaction", "cite", "xlink:href"];

/// The scheme of an address (`https`, `javascript`…), lower case; `None` when relative.
fn scheme(url: &str) -> Option<String> {
    // Browsers ignore ASCII whitespace and control characters inside the scheme
    // (`java\tscript:`), so a check must ignore them too; and U+FFFD, which an HTML tokenizer
    // makes of a NUL that a reader of the published bytes may drop (`\0javascript:`).
    let cleaned: String = url
        .trim()
        .chars()
        .take_while(|&c| c != '/' && c != '?' && c != '#')
        .filter(|&c| !c.is_ascii_whitespace() && !c.is_ascii_control() && c != '\u{fffd}')
        .collect();
    let (s, _) = cleaned.split_once(':')?;
    (!s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| s.to_ascii_lowercase())
}

/// Why an address may not be written in a page, if it may not. `resource`: the page would load
/// it (an image, a stylesheet), as opposed to a link the reader follows.
pub fn url_problem(url: &str, resource: bool) -> Option<String> {
    let scheme = scheme(url);
    if let Some(s) = scheme.as_deref()
        && matches!(s, "javascript" | "vbscript" | "data")
    {
        return Some(format!(
            "`{s}:` addresses are refused: a published page runs no script and embeds no data URL"
        ));
    }
    let external = scheme.is_some() || url.trim_start().starts_with("//");
    if resource && external {
        return Some(format!(
            "`{}` would be loaded from another host: pages load nothing from the network",
            url.trim()
        ));
    }
    None
}

/// A problem found in raw HTML: its byte offset in the fragment, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
}

/// Checks a raw HTML fragment (allowed by `markdown.unsafe_html`).
pub fn check_raw_html(fragment: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut emitter = html5gum::DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    for token in Tokenizer::new_with_emitter(fragment, emitter).flatten() {
        let tag = match token {
            Token::StartTag(tag) => tag,
            // `<p onclick=x ` at the end of a block: the page's next bytes would close it,
            // so whatever the tag holds is published unchecked.
            Token::Error(e) if matches!(e.value, html5gum::Error::EofInTag) => {
                out.push(Problem {
                    offset: e.span.start.min(fragment.len()),
                    message: "unfinished tag: close it with `>`".into(),
                });
                continue;
            }
            _ => continue,
        };
        let offset = tag.span.start;
        let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
        let mut problem = |message: String| out.push(Problem { offset, message });
        if REFUSED_ELEMENTS.contains(&name.as_str()) {
            problem(format!(
                "`<{name}>` is refused in pages, even with `markdown.unsafe_html`: pages run no script and embed no other page"
            ));
            continue;
        }
        if name == "meta" && tag.attributes.contains_key(b"http-equiv".as_slice()) {
            problem("`<meta http-equiv>` is refused in pages".into());
        }
        for (key, value) in tag.attributes.iter() {
            let key = String::from_utf8_lossy(key).to_ascii_lowercase();
            let value = String::from_utf8_lossy(&value.value);
            for m in attribute_problems(&name, &key, &value) {
                problem(m);
            }
        }
        if name == "style" {
            problem("`<style>` is refused in pages: the theme's stylesheet styles them".into());
        }
    }
    out
}

/// Why attribute `key` (lower case) with `value` may not be written on element `name` (lower
/// case): raw HTML, and the `{key=value}` attributes of a Markdown heading.
pub fn attribute_problems(name: &str, key: &str, value: &str) -> Vec<String> {
    let mut out = Vec::new();
    if key.starts_with("on") {
        out.push(format!(
            "event-handler attribute `{key}` is refused: pages run no script"
        ));
    } else if RESOURCE_ATTRIBUTES.contains(&key) {
        let urls: Vec<&str> = if key.ends_with("srcset") {
            value
                .split(',')
                .filter_map(|c| c.split_whitespace().next())
                .collect()
        } else {
            vec![value]
        };
        for u in urls {
            if let Some(m) = url_problem(u, true) {
                out.push(format!("`{key}`: {m}"));
            }
        }
    } else if LINK_ATTRIBUTES.contains(&key) {
        // An `href` is followed by the reader only on a link: elsewhere it loads what it
        // names (`<svg><image href>`, `<use href>`, `<feImage href>`).
        let followed = !key.ends_with("href") || matches!(name, "a" | "area");
        if let Some(m) = url_problem(value, !followed) {
            out.push(format!("`{key}`: {m}"));
        }
    } else if key == "style" {
        for m in css_problems(value) {
            out.push(format!("`style`: {m}"));
        }
    }
    out
}

/// External loads and scripts in a CSS text: `url(…)` to another host, `@import`,
/// `expression(`.
pub fn css_problems(css: &str) -> Vec<String> {
    let lower = css.to_ascii_lowercase();
    let mut out = Vec::new();
    if lower.contains("@import") {
        out.push("`@import` is refused".into());
    }
    if lower.contains("expression(") {
        out.push("CSS `expression()` is refused".into());
    }
    let mut rest = lower.as_str();
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let raw = rest[..end].trim().trim_matches(|c| c == '"' || c == '\'');
        if let Some(m) = url_problem(raw, true) {
            out.push(m);
        }
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_addresses_are_refused() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(url_problem(bad, false).is_some(), "{bad:?} accepted");
        }
        assert_eq!(url_problem("https://example.org/", false), None);
        assert_eq!(url_problem("../a/index.html#x", true), None);
        assert!(url_problem("http://tracker.example/p.gif", true).is_some());
        assert!(url_problem("//tracker.example/p.gif", true).is_some());
        assert_eq!(url_problem("mailto:x@example.org", false), None);
    }

    #[test]
    fn raw_html_is_checked_for_scripts_and_loads() {
        let found = |html: &str| -> Vec<String> {
            check_raw_html(html)
                .into_iter()
                .map(|p| p.message)
                .collect()
        };
        assert_eq!(
            found("<details><summary>x</summary>y</details>"),
            Vec::<String>::new()
        );
        assert!(found("<script>alert(1)</script>")[0].contains("`<script>`"));
        assert!(found("<img src=x onerror=alert(1)>")[0].contains("onerror"));
        assert!(found("<iframe src=http://e.org></iframe>")[0].contains("iframe"));
        assert!(found("<img src=\"http://t.example/p.gif\">")[0].contains("another host"));
        assert!(
            found("<img srcset=\"a.png 1x, https://t.example/b.png 2x\">")[0]
                .contains("another host")
        );
        assert!(found("<a href=\"javascript:x\">x</a>")[0].contains("javascript"));
        assert!(
            found("<p style=\"background:url(https://t.example/x)\">")[0].contains("another host")
        );
        assert_eq!(
            found("<a href=\"https://example.org\">out</a>"),
            Vec::<String>::new()
        );
        // Found by the `page` fuzz harness: SVG `href`s load, `\0` before a scheme.
        assert!(
            found("<svg><image href=\"http://t.example/p.png\"/></svg>")[0]
                .contains("another host")
        );
        assert!(found("<svg><use xlink:href=\"//t.example/s.svg#a\"/></svg>")[0].contains("host"));
        assert_eq!(found("<svg><use href=\"#a\"/></svg>"), Vec::<String>::new());
        assert!(found("<a href=\"\0javascript:x\">x</a>")[0].contains("javascript"));
        // Found by the `page` fuzz target: an unfinished tag was not checked at all.
        assert!(found("<p onclick=alert(1) ")[0].contains("unfinished tag"));
        assert!(found("<div title=\"x")[0].contains("unfinished tag"));
        let p = check_raw_html("ok <b>x</b> <script>");
        assert_eq!(p[0].offset, 12);
    }
}
