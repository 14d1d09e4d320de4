//! The small syntaxes every stage checks, below all of them: ids and slugs, ISO dates, and
//! the scanner of the HTML barometre renders ([`scan`]).
//!
//! They live here, beside `error`, so that `load`, `validate` and `model` can use them
//! without importing each other, and `render` (the contents of a rendered page) and `offline`
//! (link check, search) read HTML with the same scanner.

pub(crate) mod scan;

/// Ids, slugs and theme names: `[a-z0-9-]`, starting with a letter or digit, at most 100
/// characters. This also guarantees they are safe as path segments (no `.`, `/`, `\`).
pub(crate) fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A calendar date (proleptic Gregorian), from an ISO `YYYY-MM-DD` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` into a valid calendar date (30 February is refused).
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.split('-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        if !(y.bytes().chain(m.bytes()).chain(d.bytes())).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (year, month, day): (i32, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_path_safe() {
        assert!(is_valid_id("2020-rencontres-regionales"));
        for bad in ["", "..", "a/b", "A", "a.b", "-a", "a-", "é", "a b", "..%2f"] {
            assert!(!is_valid_id(bad), "{bad:?} accepted");
        }
    }

    #[test]
    fn dates_are_checked_against_the_calendar() {
        let d = Date::parse("2020-11-24").unwrap();
        assert_eq!((d.year, d.month, d.day), (2020, 11, 24));
        assert_eq!(d.iso(), "2020-11-24");
        assert!(Date::parse("2020-02-30").is_none());
        assert!(Date::parse("2019-02-29").is_none());
        assert!(Date::parse("2000-02-29").is_some());
        assert!(Date::parse("1900-02-29").is_none());
        assert!(Date::parse("24/11/2020").is_none());
        assert!(Date::parse("2020-1-4").is_none());
        assert!(Date::parse("+202-11-04").is_none());
    }
}
