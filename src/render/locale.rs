//! Numbers and dates per locale, from CLDR data compiled into ICU4X (never by hand).
//!
//! French gives `12 345,6` and `24 novembre 2020`; `ar-MA` gives Latin digits with a decimal
//! comma and Moroccan month names (`24 نونبر 2020`).

use std::str::FromStr;

use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{YM, YMD};
use icu_datetime::input::Date as IcuDate;
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_experimental::dimension::percent::formatter::PercentFormatter;
use icu_locale_core::Locale as IcuLocale;

use crate::model::Date;

type Gregorian = icu_calendar::cal::Gregorian;

/// Formatters for one locale. Cheap to share between threads.
pub struct Locale {
    decimal: DecimalFormatter,
    percent: PercentFormatter<DecimalFormatter>,
    date: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    month: FixedCalendarDateTimeFormatter<Gregorian, YM>,
}

impl Locale {
    /// Formatters for a BCP 47 locale (validated earlier, so an error here is a bug or a
    /// locale without CLDR data; the error names the locale).
    pub fn new(tag: &str) -> Result<Locale, String> {
        let loc = IcuLocale::from_str(tag).map_err(|e| format!("locale `{tag}`: {e}"))?;
        let decimal = DecimalFormatter::try_new((&loc).into(), Default::default())
            .map_err(|e| format!("no number data for locale `{tag}`: {e}"))?;
        let percent = PercentFormatter::try_new((&loc).into(), Default::default())
            .map_err(|e| format!("no percent data for locale `{tag}`: {e}"))?;
        let date = FixedCalendarDateTimeFormatter::try_new((&loc).into(), YMD::long())
            .map_err(|e| format!("no date data for locale `{tag}`: {e}"))?;
        let month = FixedCalendarDateTimeFormatter::try_new((&loc).into(), YM::long())
            .map_err(|e| format!("no date data for locale `{tag}`: {e}"))?;
        Ok(Locale {
            decimal,
            percent,
            date,
            month,
        })
    }

    /// A number with at most `max_fraction` fraction digits (trailing zeros dropped).
    pub fn number(&self, value: f64, max_fraction: usize) -> String {
        let text = trimmed(value, max_fraction);
        match Decimal::from_str(&text) {
            Ok(d) => self.decimal.format(&d).to_string(),
            Err(_) => text,
        }
    }

    /// A percentage (`18` → `18 %` in French) with at most `max_fraction` fraction digits.
    pub fn percent(&self, value: f64, max_fraction: usize) -> String {
        let text = trimmed(value, max_fraction);
        match Decimal::from_str(&text) {
            Ok(d) => self.percent.format(&d).to_string(),
            Err(_) => text,
        }
    }

    pub fn integer(&self, value: i64) -> String {
        self.decimal.format(&Decimal::from(value)).to_string()
    }

    pub fn date(&self, d: Date) -> String {
        match IcuDate::try_new_gregorian(d.year, d.month, d.day) {
            Ok(date) => self.date.format(&date).to_string(),
            Err(_) => d.iso(),
        }
    }

    /// Month and year (`novembre 2020`).
    pub fn month(&self, d: Date) -> String {
        match IcuDate::try_new_gregorian(d.year, d.month, d.day) {
            Ok(date) => self.month.format(&date).to_string(),
            Err(_) => d.iso(),
        }
    }
}

/// `value` rounded to `max_fraction` digits, without trailing zeros (`12.50` → `12.5`).
fn trimmed(value: f64, max_fraction: usize) -> String {
    let mut text = format!("{value:.max_fraction$}");
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if text == "-0" {
        text = "0".into();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers_and_dates() {
        let fr = Locale::new("fr").unwrap();
        assert_eq!(fr.number(12345.67, 1), "12\u{202f}345,7");
        assert_eq!(fr.number(18.0, 1), "18");
        assert_eq!(fr.integer(162), "162");
        assert_eq!(fr.percent(18.0, 1), "18\u{a0}%");
        assert_eq!(fr.percent(12.5, 1), "12,5\u{a0}%");
        let d = Date {
            year: 2020,
            month: 11,
            day: 24,
        };
        assert_eq!(fr.date(d), "24 novembre 2020");
    }

    #[test]
    fn moroccan_arabic_dates_use_moroccan_months() {
        let ar = Locale::new("ar-MA").unwrap();
        let d = Date {
            year: 2020,
            month: 11,
            day: 24,
        };
        let text = ar.date(d);
        assert!(text.contains("نونبر"), "{text}");
        assert!(ar.number(2.5, 1).contains(','), "{}", ar.number(2.5, 1));
        let p = ar.percent(18.0, 0);
        assert!(
            p.contains("18") && (p.contains('%') || p.contains('٪')),
            "{p}"
        );
    }
}
