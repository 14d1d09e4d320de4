//! Which waves of an indicator can be joined in a trend. Two consecutive waves are comparable
//! when they ask the same question (same wording in every language, same kind, same option
//! ids in the same order) and neither declares `comparable: {<other>: false}`. Otherwise the
//! series breaks there; an undeclared break is a build warning naming both files. Members of a
//! breakdown are followed only when every wave has that breakdown; else the totals are.

use crate::error::Diagnostic;
use crate::load::schema::Text;

use super::Indicator;

/// Why two consecutive waves are not comparable.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reason {
    /// `comparable: {<edition>: false}` in one of them.
    Declared,
    /// The question's wording differs in these languages.
    Question(Vec<String>),
    Kind,
    Options,
}

/// A break in a series, between `waves[after]` and `waves[after + 1]`.
#[derive(Debug, Clone)]
pub(crate) struct Break<'a> {
    pub after: usize,
    pub reason: Reason,
    /// The `break_note` of the wave that declares the break (none for an undeclared one: a
    /// note copied from an earlier wave would explain another break).
    pub note: Option<&'a Text>,
}

/// Why `a` (older) and `b` (newer) cannot be joined, if they cannot. `edition` gives an
/// edition's id from its index.
pub(crate) fn compare<'e>(
    a: &Indicator,
    b: &Indicator,
    edition: &impl Fn(usize) -> &'e str,
) -> Option<Reason> {
    let (ea, eb) = (edition(a.edition), edition(b.edition));
    if b.comparable.get(ea) == Some(&false) || a.comparable.get(eb) == Some(&false) {
        return Some(Reason::Declared);
    }
    if a.kind != b.kind {
        return Some(Reason::Kind);
    }
    let ids = |i: &Indicator| i.options.iter().map(|o| o.id.clone()).collect::<Vec<_>>();
    if ids(a) != ids(b) {
        return Some(Reason::Options);
    }
    let langs: Vec<String> = a
        .question
        .values
        .iter()
        .filter(|(lang, text)| {
            b.question
                .values
                .get(*lang)
                .is_some_and(|t| norm(t) != norm(text))
        })
        .map(|(lang, _)| lang.clone())
        .collect();
    (!langs.is_empty()).then_some(Reason::Question(langs))
}

/// Wording compared without differences of spacing.
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The breaks of a series of waves, oldest first.
pub(crate) fn breaks<'a, 'e>(
    waves: &[&'a Indicator],
    edition: &impl Fn(usize) -> &'e str,
) -> Vec<Break<'a>> {
    waves
        .windows(2)
        .enumerate()
        .filter_map(|(i, w)| {
            let (a, b) = (w[0], w[1]);
            compare(a, b, edition).map(|reason| {
                let declares = |x: &Indicator, other: &Indicator| {
                    x.comparable.get(edition(other.edition)) == Some(&false)
                };
                let note = if declares(b, a) {
                    b.break_note.as_ref()
                } else if declares(a, b) {
                    a.break_note.as_ref()
                } else {
                    None
                };
                Break {
                    after: i,
                    reason,
                    note,
                }
            })
        })
        .collect()
}

/// The breakdown whose members a trend follows: one every wave has (the newest wave's first
/// such), else none (the totals).
pub(crate) fn common_breakdown<'a>(waves: &[&'a Indicator]) -> Option<&'a str> {
    let last = waves.last()?;
    last.breakdowns
        .iter()
        .map(|d| d.id.as_str())
        .find(|id| waves.iter().all(|w| w.breakdown_index(id).is_some()))
}

/// A warning for every break no wave declared, naming both files.
pub(crate) fn warnings<'e>(
    waves: &[&Indicator],
    edition: &impl Fn(usize) -> &'e str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for b in breaks(waves, edition) {
        let (old, new) = (waves[b.after], waves[b.after + 1]);
        let what = match &b.reason {
            Reason::Declared => continue,
            Reason::Kind => format!(
                "its kind changed ({} → {})",
                old.kind.as_str(),
                new.kind.as_str()
            ),
            Reason::Options => {
                let ids = |i: &Indicator| {
                    i.options
                        .iter()
                        .map(|o| o.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                format!("its options changed ({} → {})", ids(old), ids(new))
            }
            Reason::Question(langs) => {
                format!("the question's wording changed ({})", langs.join(", "))
            }
        };
        let mut d = Diagnostic::file(
            &new.file,
            format!(
                "indicator `{}`: {what} since edition `{}` ({}): the trend breaks between the two waves",
                new.id,
                edition(old.edition),
                crate::error::display_path(&old.file)
            ),
        )
        .warning()
        .with_hint(format!(
            "if the change is intended, say so in this file: `comparable: {{{}: false}}` and a `break_note` in each language; otherwise ask the question as before",
            edition(old.edition)
        ));
        d.pos = new.pos;
        out.push(d);
    }
    out
}
