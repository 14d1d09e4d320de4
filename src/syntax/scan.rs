//! A fast scanner of the tags and text of the pages barometre renders, for the link check and
//! the search index, which read every page of every build.
//!
//! Written by hand rather than with `html5gum` (which still reads HTML the site did not write:
//! the raw-HTML policy, the links of offline packages): a spec-complete tokenizer validates
//! every character through the HTML5 state machine, and on a 2,000-page build that was more
//! than a third of the time. The pages scanned here are the generator's own output — theme
//! templates, pulldown-cmark's HTML, raw HTML that passed the policy — so tags, quoted or bare
//! attribute values, comments, doctype and the raw text of `script`/`style` are all there is
//! to know. `tests` check it finds the same ids and references as `html5gum` on real pages.

use std::borrow::Cow;

/// A start tag: its name and its attributes, read when asked for (no allocation per tag).
pub(crate) struct Tag<'a> {
    pub(crate) name: &'a str,
    /// The bytes after the name, up to the tag's end.
    raw: &'a [u8],
}

impl<'a> Tag<'a> {
    /// Written `<…/>`.
    pub(crate) fn self_closing(&self) -> bool {
        self.raw.trim_ascii_end().ends_with(b"/")
    }

    /// The value of attribute `name` (ASCII case ignored), character references decoded.
    pub(crate) fn attr(&self, name: &str) -> Option<Cow<'a, str>> {
        attributes(self.raw)
            .find(|(k, _)| k.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| decode_bytes(v))
    }

    /// Every attribute, in order: its name as written and its decoded value.
    pub(crate) fn attrs(&self) -> impl Iterator<Item = (&'a [u8], Cow<'a, str>)> + use<'a> {
        let raw = self.raw;
        attributes(raw).map(|(k, v)| (k, decode_bytes(v)))
    }
}

/// The (name, raw value) pairs of a tag's attribute bytes.
fn attributes(b: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return None;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let key = &b[start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value: &[u8] = b"";
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vstart = i + 1;
                let vend = memchr(q, &b[vstart..]).map_or(b.len(), |p| vstart + p);
                value = &b[vstart..vend];
                i = (vend + 1).min(b.len());
            } else {
                let vstart = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = &b[vstart..i];
            }
        }
        Some((key, value))
    })
    .filter(|(k, _)| !k.is_empty())
}

/// What the scanner reports, in document order.
pub(crate) enum Event<'a> {
    Start(Tag<'a>),
    /// An end tag's lower-case name.
    End(&'a str),
    /// Text between tags, as written (read it with [`utf8`] and [`decode`] when needed).
    Text(&'a [u8]),
}

/// Scans `html`, calling `f` for each start tag, end tag and run of text. Works on bytes:
/// the whole page is never validated as UTF-8 (only the attribute values and the text a
/// caller asks for are), and every delimiter looked for is ASCII, so slices stay on character
/// boundaries of valid text.
pub(crate) fn scan<'a>(html: &'a [u8], mut f: impl FnMut(Event<'a>)) {
    let bytes = html;
    let mut i = 0;
    while i < bytes.len() {
        let Some(lt) = memchr(b'<', &bytes[i..]).map(|p| i + p) else {
            text(&html[i..], &mut f);
            return;
        };
        if lt > i {
            text(&html[i..lt], &mut f);
        }
        i = lt;
        let rest = &html[i..];
        if rest.starts_with(b"<!--") {
            i = memmem::find(rest, b"-->").map_or(bytes.len(), |p| i + p + 3);
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = memchr(b'>', rest).map_or(bytes.len(), |p| i + p + 1);
        } else if let Some(end) = rest.strip_prefix(b"</") {
            let name_len = end.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
            f(Event::End(ascii(&end[..name_len])));
            i = memchr(b'>', rest).map_or(bytes.len(), |p| i + p + 1);
        } else if rest.len() > 1 && rest[1].is_ascii_alphabetic() {
            let (tag, len) = start_tag(rest);
            i += len;
            let raw = matches!(tag.name, "script" | "style");
            let name = tag.name;
            f(Event::Start(tag));
            if raw {
                // Raw text: nothing inside is a tag.
                let close = format!("</{name}");
                let end = find_ci(&html[i..], close.as_bytes()).map_or(bytes.len(), |p| i + p);
                i = end;
            }
        } else {
            // A lone `<` in text (it would be `&lt;` in our output, but be lenient).
            text(&html[i..i + 1], &mut f);
            i += 1;
        }
    }
}

fn text<'a>(s: &'a [u8], f: &mut impl FnMut(Event<'a>)) {
    if !s.is_empty() {
        f(Event::Text(s));
    }
}

/// A tag or attribute name (ASCII in our output; anything else reads as empty, also valid
/// UTF-8 such as `<aé>`: no caller looks for such a name).
fn ascii(b: &[u8]) -> &str {
    if b.is_ascii() {
        std::str::from_utf8(b).unwrap_or("")
    } else {
        ""
    }
}

/// Text of the page, as UTF-8 (a page that is not, which render never writes, is read lossily).
pub(crate) fn utf8(b: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(b)
}

/// The start tag at the beginning of `s` (which starts with `<` and a letter), and its
/// length in bytes: up to the first `>` outside a quoted value.
fn start_tag(s: &[u8]) -> (Tag<'_>, usize) {
    let b = s;
    let mut i = 1;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let name = ascii(&s[1..i]);
    let attrs_start = i;
    let mut quote = None;
    while i < b.len() {
        match (quote, b[i]) {
            (None, b'>') => break,
            (None, q @ (b'"' | b'\'')) => {
                // A quote opens a value only after `=` (and spaces).
                let before = b[attrs_start..i]
                    .iter()
                    .rev()
                    .find(|c| !c.is_ascii_whitespace());
                if before == Some(&b'=') {
                    quote = Some(q);
                }
            }
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
        i += 1;
    }
    let len = (i + 1).min(b.len());
    (
        Tag {
            name,
            raw: &s[attrs_start..i.min(b.len())],
        },
        len,
    )
}

fn decode_bytes(b: &[u8]) -> Cow<'_, str> {
    match utf8(b) {
        Cow::Borrowed(s) => decode(s),
        Cow::Owned(s) => Cow::Owned(decode(&s).into_owned()),
    }
}

use memchr::{memchr, memmem};

/// `needle` (ASCII) in `hay`, ignoring ASCII case.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Decodes character references (`&amp;`, `&#39;`, `&#x202F;`, and the few named ones our
/// output uses); anything else is kept as written.
pub(crate) fn decode(s: &str) -> Cow<'_, str> {
    if memchr(b'&', s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        // A reference is short: look for its `;` in the next bytes (never slicing the text
        // inside a character).
        let end = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut out = Vec::new();
        scan(html.as_bytes(), |e| {
            if let Event::Start(t) = e {
                out.push((
                    t.name.to_string(),
                    attributes(t.raw)
                        .map(|(k, v)| {
                            (
                                String::from_utf8_lossy(k).into_owned(),
                                decode_bytes(v).into_owned(),
                            )
                        })
                        .collect(),
                ));
            }
        });
        out
    }

    #[test]
    fn tags_attributes_comments_and_raw_text() {
        let html = "<!DOCTYPE html><!-- <a href=no> --><p id=a class=\"x y\">t&amp;u</p>\
            <script>if (a<b) { x = '<a href=\"no\">'; }</script><a href='../x.html?a=1&amp;b=2' hidden>y</a><br/>";
        let t = tags(html);
        let names: Vec<&str> = t.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, ["p", "script", "a", "br"]);
        assert_eq!(
            t[0].1,
            [("id".into(), "a".into()), ("class".into(), "x y".into())]
        );
        assert_eq!(t[2].1[0].1, "../x.html?a=1&b=2");
        assert_eq!(t[2].1[1], ("hidden".into(), String::new()));
        let mut text = String::new();
        scan(html.as_bytes(), |e| {
            if let Event::Text(s) = e {
                text.push_str(&decode(&utf8(s)));
            }
        });
        assert_eq!(text, "t&uy");
    }

    #[test]
    fn names_that_are_not_ascii_read_as_empty() {
        // Found by the `scan` fuzz target: `<htiث` read as a tag named `htiث`.
        let names = |html: &[u8]| {
            let mut out = Vec::new();
            scan(html, |e| {
                if let Event::Start(t) = e {
                    out.push(t.name.to_string());
                }
            });
            out
        };
        assert_eq!(names("<htiث><p>".as_bytes()), ["", "p"]);
        assert_eq!(names(b"<l\xd8"), [""]);
    }

    #[test]
    fn references_are_decoded() {
        assert_eq!(
            decode("a&#x202F;b &#39;c&#39; &unknown; &"),
            "a\u{202f}b 'c' &unknown; &"
        );
    }
}
