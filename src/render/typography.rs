//! Typography per language, applied as pages are rendered: the rule set a language names in
//! `site.yaml` (`typography: french`). Authors type ordinary spaces; the reader's browser may
//! break a line at any of them, so a phone shows a line starting with `:` or `»`. The rules
//! put no-break spaces where the language's typography wants them.
//!
//! French (`french`): a narrow no-break space (U+202F) before `;`, `!`, `?` and inside « »,
//! a no-break space (U+00A0) before `:`. An ordinary space there is replaced; a missing one is
//! added after a word when the sign ends it (`mot:` → `mot :`, but `10:30`, `http://`,
//! `a:b` stay). Existing no-break spaces are kept, so the rules can run twice. Addresses are
//! left as they are (`https://x.org!`, `www.x.org ?`, `nom@x.org:`), and so are words in a
//! right-to-left script (a fallback text in Arabic on a French page).
//!
//! The rules run on Markdown text events (never on code, addresses, attributes or raw HTML:
//! see [`super::markdown`]) and on every text a template prints with autoescape (see
//! [`super::templates`]). They are a byte scan that allocates only when a rule applies.

use std::borrow::Cow;

use crate::error::Severity;
use crate::load::schema::{Direction, Typography};
use crate::model::Site;

/// No-break space (U+00A0), before `:` in French.
pub const NBSP: char = '\u{a0}';
/// Narrow no-break space (U+202F), before `; ! ?` and inside « » in French.
pub const NNBSP: char = '\u{202f}';

/// How the prose of a text in one language is treated when it is rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prose {
    pub typography: Typography,
    /// The language is read right to left: digit groups split by a breakable space are
    /// reported, with this severity.
    pub digit_groups: Option<Severity>,
}

impl Prose {
    /// The prose rules of `lang`'s texts on `site`.
    pub fn of(site: &Site, lang: &str) -> Prose {
        let Some(l) = site.language(lang) else {
            return Prose::default();
        };
        let severity = if site.strict {
            Severity::Error
        } else {
            Severity::Warning
        };
        Prose {
            typography: l.typography,
            digit_groups: (l.dir == Direction::Rtl).then_some(severity),
        }
    }
}

/// `text` with the rules of `rules` applied, as one whole text (a title, a label).
pub fn apply(rules: Typography, text: &str) -> Cow<'_, str> {
    match rules {
        Typography::None => Cow::Borrowed(text),
        Typography::French => french(text, &mut Flow::default(), false),
    }
}

/// `text`, the next piece of a block whose previous pieces left `flow` (Markdown splits a
/// paragraph into text events around emphasis, links and code).
pub fn apply_flow<'a>(rules: Typography, text: &'a str, flow: &mut Flow) -> Cow<'a, str> {
    match rules {
        Typography::None => Cow::Borrowed(text),
        Typography::French => french(text, flow, true),
    }
}

/// The no-break space to write instead of a line break (a Markdown soft break) that `next`
/// follows, when `next` starts with a sign that must not begin a line.
pub fn glue(rules: Typography, next: &str) -> Option<&'static str> {
    match (rules, next.chars().next()?) {
        (Typography::None, _) => None,
        (Typography::French, ':') => Some("\u{a0}"),
        (Typography::French, ';' | '!' | '?' | '»') => Some("\u{202f}"),
        _ => None,
    }
}

/// What the text before the current point ends with, carried from one piece of a block to
/// the next.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flow {
    prev: Prev,
    /// An opening « was written with its narrow space: breakable spaces that follow go.
    opened: bool,
    /// The last word (before any spaces that follow it) is an address.
    url: bool,
}

impl Flow {
    /// Something word-like that is not text (inline code, a footnote mark, an image).
    pub fn word(&mut self) {
        *self = Flow {
            prev: Prev::Word,
            ..Flow::default()
        };
    }

    /// A line break.
    pub fn space(&mut self) {
        self.opened = false;
        self.prev = Prev::Space;
    }

    /// After an opening « (whose narrow space is written): a following line break is
    /// dropped rather than left to break the line after «.
    pub fn opened(&self) -> bool {
        self.opened
    }

    /// The flow after `text` (already scanned), `opened` when it ends with an opening «.
    fn past(self, text: &str, opened: bool) -> Flow {
        if text.is_empty() {
            return self;
        }
        let trimmed = text.trim_end_matches(is_space);
        Flow {
            prev: if opened {
                Prev::Open
            } else {
                self.before(text, text.len())
            },
            opened,
            url: if trimmed.is_empty() {
                self.url
            } else {
                self.url_before(text, trimmed.len())
            },
        }
    }

    /// The class of what comes before byte `i` of `text`.
    fn before(&self, text: &str, i: usize) -> Prev {
        match text[..i].chars().next_back() {
            None => self.prev,
            Some(c) if is_breakable(c) || c == '\n' => Prev::Space,
            Some(c) if is_no_break(c) => Prev::NoBreak,
            Some('«') => Prev::Open,
            Some(c) => class(c),
        }
    }

    /// Is the word that ends at byte `end` of `text` an address (a word begun in an earlier
    /// piece included)?
    fn url_before(&self, text: &str, end: usize) -> bool {
        let head = &text[..end];
        let start = head.rfind(is_space).map_or(0, |i| {
            i + head[i..].chars().next().map_or(1, char::len_utf8)
        });
        let carried = start == 0
            && self.url
            && (end == 0 || !matches!(self.prev, Prev::Space | Prev::NoBreak | Prev::Start));
        carried || is_url(&head[start..])
    }
}

/// The class of the last character written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Prev {
    /// The start of a block.
    #[default]
    Start,
    /// A breakable space or a line break.
    Space,
    NoBreak,
    /// A letter or digit of a left-to-right script, or a sign that ends a word (`)`, `%`…).
    Word,
    /// A letter of a right-to-left script: the French rules stay away from it.
    Rtl,
    /// An opening «.
    Open,
    /// Any other sign.
    Other,
}

fn class(c: char) -> Prev {
    if c.is_ascii_alphanumeric() {
        Prev::Word
    } else if is_rtl(c) {
        Prev::Rtl
    } else if c.is_alphanumeric() || matches!(c, ')' | ']' | '”' | '’' | '%' | '…' | '°' | '»')
    {
        Prev::Word
    } else {
        Prev::Other
    }
}

/// Spaces a line may break at.
fn is_breakable(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{2000}'..='\u{2006}' | '\u{2008}'..='\u{200a}')
}

/// Spaces that keep their neighbours on one line (kept as the author wrote them).
fn is_no_break(c: char) -> bool {
    matches!(c, NBSP | NNBSP | '\u{2007}' | '\u{2060}')
}

fn is_space(c: char) -> bool {
    is_breakable(c) || is_no_break(c) || c == '\n' || c == '\r'
}

/// Letters of the Hebrew and Arabic scripts (and their presentation forms).
fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08ff}' | '\u{fb1d}'..='\u{fdff}' | '\u{fe70}'..='\u{feff}')
}

/// After a sign, what may follow for the sign to end its word.
fn ends_word(next: Option<char>) -> bool {
    match next {
        None => true,
        Some(c) => {
            is_space(c)
                || matches!(
                    c,
                    '!' | '?' | ';' | ':' | '»' | ')' | ']' | '"' | '”' | '’' | '…' | '.' | ','
                )
        }
    }
}

/// Does this word look like an address (`https://…`, `www.…`, `nom@…`)?
fn is_url(word: &str) -> bool {
    let b = word.as_bytes();
    b.contains(&b'@')
        || b.get(..4).is_some_and(|w| w.eq_ignore_ascii_case(b"www."))
        || b.windows(3).any(|w| w == b"://")
}

/// The bytes that may start a sign of the French rules (`:` `;` `!` `?`, and the lead byte
/// of « »), in order: two vectorised searches (memchr) kept one match ahead, so a text is
/// scanned once whatever the number of signs.
struct Signs<'a> {
    bytes: &'a [u8],
    /// The next `:`, `;` or `?`, and the next `!` or 0xC2, from where each search stopped.
    three: Option<usize>,
    two: Option<usize>,
}

impl<'a> Signs<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Signs {
            bytes,
            three: memchr::memchr3(b':', b';', b'?', bytes),
            two: memchr::memchr2(b'!', 0xC2, bytes),
        }
    }
}

impl Iterator for Signs<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let rest = |i: usize| &self.bytes[i + 1..];
        match (self.three, self.two) {
            (Some(t), w) if w.is_none_or(|w| t < w) => {
                self.three = memchr::memchr3(b':', b';', b'?', rest(t)).map(|j| t + 1 + j);
                Some(t)
            }
            (_, Some(w)) => {
                self.two = memchr::memchr2(b'!', 0xC2, rest(w)).map(|j| w + 1 + j);
                Some(w)
            }
            _ => None,
        }
    }
}

/// Where the breakable spaces that end at byte `end` start.
fn spaces_before(text: &str, end: usize) -> usize {
    end - text[..end]
        .chars()
        .rev()
        .take_while(|&c| is_breakable(c))
        .map(char::len_utf8)
        .sum::<usize>()
}

/// Where the breakable spaces that start at byte `start` end.
fn spaces_after(text: &str, start: usize) -> usize {
    start
        + text[start..]
            .chars()
            .take_while(|&c| is_breakable(c))
            .map(char::len_utf8)
            .sum::<usize>()
}

/// The French rules: only the places around a sign are looked at, so a text without one is a
/// single scan. `carry`: `flow` is updated for the next piece.
fn french<'a>(text: &'a str, flow: &mut Flow, carry: bool) -> Cow<'a, str> {
    let bytes = text.as_bytes();
    let f = *flow;
    let mut edits: Vec<(usize, usize, &'static str)> = Vec::new();
    if f.opened {
        // The narrow space after the « that ended the previous piece is written.
        let end = spaces_after(text, 0);
        if end == text.len() {
            // Only spaces: they all go (an empty text is returned as it is).
            return if end == 0 {
                Cow::Borrowed(text)
            } else {
                Cow::Owned(String::new())
            };
        }
        if end > 0 {
            edits.push((0, end, ""));
        }
    }
    let mut opened = false;
    for i in Signs::new(bytes) {
        let sign = match (bytes[i], bytes.get(i + 1)) {
            (0xC2, Some(0xAB)) => '«',
            (0xC2, Some(0xBB)) => '»',
            (0xC2, _) => continue,
            (b, _) => b as char,
        };
        let len = sign.len_utf8();
        match sign {
            '«' => {
                let after = i + len;
                let end = spaces_after(text, after);
                match text[after..].chars().next() {
                    // Inside an address: a space would cut it.
                    Some(n) if !is_space(n) && f.url_before(text, i) => {}
                    _ if end > after => {
                        edits.push((after, end, "\u{202f}"));
                        opened = end == text.len();
                    }
                    None => {
                        edits.push((after, after, "\u{202f}"));
                        opened = true;
                    }
                    Some(n) if is_no_break(n) || is_rtl(n) => {}
                    Some(_) => edits.push((after, after, "\u{202f}")),
                }
            }
            _ => {
                let nb = if sign == ':' { "\u{a0}" } else { "\u{202f}" };
                let start = spaces_before(text, i);
                if start < i {
                    // Spaces right after « are the «'s.
                    let keep = f.before(text, start) == Prev::Open
                        || (sign != '»' && f.url_before(text, start));
                    if !keep {
                        edits.push((start, i, nb));
                    }
                } else if sign == '»' {
                    if matches!(f.before(text, i), Prev::Word | Prev::Other)
                        && !f.url_before(text, i)
                    {
                        edits.push((i, i, nb));
                    }
                } else if f.before(text, i) == Prev::Word
                    && ends_word(text[i + len..].chars().next())
                    && !f.url_before(text, i)
                {
                    edits.push((i, i, nb));
                }
            }
        }
    }
    if carry {
        *flow = f.past(text, opened);
    }
    if edits.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + edits.len() * 3);
    let mut at = 0;
    for (start, end, with) in edits {
        if start < at {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(with);
        at = end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr(text: &str) -> String {
        apply(Typography::French, text).into_owned()
    }

    /// `_` for U+202F and `~` for U+00A0, to read the expectations.
    fn shown(text: &str) -> String {
        text.replace(NNBSP, "_").replace(NBSP, "~")
    }

    #[test]
    fn spaces_before_signs_and_inside_guillemets() {
        assert_eq!(
            shown(&fr("Pourquoi ? Parce que ; voici : « oui » !")),
            "Pourquoi_? Parce que_; voici~: «_oui_»_!"
        );
        assert_eq!(
            shown(&fr("Pourquoi? Voici: «oui»!")),
            "Pourquoi_? Voici~: «_oui_»_!"
        );
        assert_eq!(shown(&fr("trop  :")), "trop~:");
    }

    #[test]
    fn what_is_not_prose_stays() {
        for text in [
            "à 10:30",
            "https://example.org/a?b=c",
            "voir https://example.org!",
            "voir https://example.org !",
            "www.example.org?",
            "ecrire@example.org:",
            "a:b",
            "(?)",
            "Quoi ?!",
            "",
        ] {
            assert_eq!(shown(&fr(text)), shown(&fr(&fr(text))), "{text}");
        }
        assert_eq!(fr("à 10:30"), "à 10:30");
        assert_eq!(fr("https://example.org/a?b=c"), "https://example.org/a?b=c");
        assert_eq!(fr("voir https://example.org!"), "voir https://example.org!");
        assert_eq!(
            fr("voir https://example.org !"),
            "voir https://example.org !"
        );
        assert_eq!(fr("ecrire@example.org:"), "ecrire@example.org:");
        assert_eq!(fr("a:b (?)"), "a:b (?)");
        assert_eq!(shown(&fr("Quoi?!")), "Quoi_?!");
    }

    #[test]
    fn idempotent_and_existing_spaces_kept() {
        for text in [
            "«?»",
            "« ? »",
            "Quoi\u{a0}?",
            "«\u{a0}oui\u{a0}»",
            "Note : « x » ; y ! z ?",
        ] {
            let once = fr(text);
            assert_eq!(shown(&fr(&once)), shown(&once), "{text}");
        }
        assert_eq!(shown(&fr("«?»")), "«_?_»");
        assert_eq!(fr("Quoi\u{a0}?"), "Quoi\u{a0}?");
        assert_eq!(fr("«\u{a0}oui\u{a0}»"), "«\u{a0}oui\u{a0}»");
    }

    #[test]
    fn right_to_left_words_are_left_alone() {
        assert_eq!(fr("«الابتكار» المصدر:"), "«الابتكار» المصدر:");
    }

    #[test]
    fn pieces_of_a_block_share_the_flow() {
        // `**Note**: « *oui* »` as Markdown gives these text events.
        let mut flow = Flow::default();
        let pieces: Vec<String> = ["Note", ": « ", "oui", " »"]
            .iter()
            .map(|p| shown(&apply_flow(Typography::French, p, &mut flow)))
            .collect();
        assert_eq!(pieces, ["Note", "~: «_", "oui", "_»"]);
        let mut flow = Flow::default();
        let a = apply_flow(Typography::French, "voir https://example.org/", &mut flow).into_owned();
        let b = apply_flow(Typography::French, "faq!", &mut flow).into_owned();
        assert_eq!(
            (a.as_str(), b.as_str()),
            ("voir https://example.org/", "faq!")
        );
    }

    #[test]
    fn every_short_text_is_stable_and_only_its_spaces_change() {
        // Every text of up to 5 signs from this alphabet: applying twice equals applying once,
        // and only spaces differ from the source.
        let alphabet = ['a', ' ', ':', '?', '!', '«', '»', NBSP, '/', '@', 'ب'];
        let letters = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            for text in &longer {
                let once = fr(text);
                assert_eq!(fr(&once), once, "{}", shown(text));
                assert_eq!(letters(&once), letters(text), "{}", shown(text));
            }
            texts = longer;
        }
    }

    #[test]
    fn spaces_after_guillemets_across_pieces() {
        let mut flow = Flow::default();
        let pieces: Vec<String> = ["dit «", "  ", " oui", " ?", " »"]
            .iter()
            .map(|p| shown(&apply_flow(Typography::French, p, &mut flow)))
            .collect();
        assert_eq!(pieces, ["dit «_", "", "oui", "_?", "_»"]);
        assert_eq!(shown(&fr("«  »")), "«_»");
        assert_eq!(shown(&fr("« ?")), "«_?");
    }

    #[test]
    fn no_rules_no_change() {
        let text = "Pourquoi ? « oui »";
        assert!(matches!(apply(Typography::None, text), Cow::Borrowed(t) if t == text));
        assert!(matches!(
            apply(Typography::French, "rien"),
            Cow::Borrowed(_)
        ));
    }
}
