//! The theme contract (see `docs/THEMES.md`): the templates every theme provides, and the UI
//! strings the engine itself writes into pages (chart summaries, table headers…), which every
//! language file must have. A missing one is an error here rather than a raw key on a page.
//!
//! A UI string for counts has one form per CLDR plural category of the language
//! (`respondents.one`, `respondents.few`, `respondents.other`…): every language needs its
//! `other` form (the form of any count without one of its own), and a language whose small
//! counts use a category it has no form for gets a warning.

use std::collections::{BTreeMap, BTreeSet};

use icu_plurals::{PluralCategory, PluralRules};

use crate::error::{Diagnostic, Diagnostics, Position};
use crate::load::{Project, Source};

/// Templates every theme must provide.
pub(crate) const REQUIRED_TEMPLATES: &[&str] = &[
    "entry.html",
    "home.html",
    "edition.html",
    "page.html",
    "404.html",
    "sitemap.xml",
];

/// Templates every theme with indicators must provide (the indicator pages and the figure
/// partial that draws a chart).
pub(crate) const INDICATOR_TEMPLATES: &[&str] =
    &["indicators.html", "indicator.html", "partials/chart.html"];

/// Optional templates: a theme that has them gets the output they render (like Hugo's output
/// kinds): the print edition of each edition, and an Atom feed per language.
pub(crate) const PRINT_TEMPLATE: &str = "print.html";
pub(crate) const FEED_TEMPLATE: &str = "atom.xml";

/// UI strings the engine writes itself into the indicator pages and chart figures (keys of
/// `i18n/<lang>.yaml`), required when the site has indicators. `render` takes these keys
/// only from this list.
pub(crate) const ENGINE_STRINGS: &[&str] = &[
    "indicators",
    "value",
    "total",
    "value_unknown",
    "chart_summary_value",
    "chart_summary_range",
    "chart_no_data",
    "summary_separator",
    "stat_mean",
    "stat_median",
    "stat_q1",
    "stat_q3",
    "stat_caution_mark",
    "stat_suppressed_mark",
    "stat_suppressed_cell",
    "stat_caution_legend",
    "stat_suppressed_legend",
    "stat_interval",
    "stat_interval_wilson",
    "stat_interval_mean",
    "stat_interval_weighted",
    "stat_excluded_item",
    "stat_excluded_head",
    "stat_ci_range",
    "stat_crosstab_caption",
    "trend_break",
    "trend_break_short",
    "trend_break_separator",
    "trend_break_changed",
    "trend_break_declared",
    "trend_summary_range",
    "trend_totals_only",
    "trend_no_total",
    "opendata_multi",
    "opendata_weighted",
    "opendata_intervals",
    "opendata_missing",
    "opendata_small_cells",
    "opendata_excluded",
    // The line under a standalone figure (SVG, PNG).
    "chart_n",
    "chart_n_unknown",
];

/// The theme's checks for the site's languages `langs`.
pub(crate) fn check(p: &Project, langs: &[&str]) -> Diagnostics {
    let theme = &p.theme;
    let mut diags = Diagnostics::new();
    let has_indicators = p
        .editions
        .iter()
        .any(|e| e.indicators.as_ref().is_some_and(|i| !i.value.is_empty()));
    let required = REQUIRED_TEMPLATES.iter().chain(
        has_indicators
            .then_some(INDICATOR_TEMPLATES)
            .into_iter()
            .flatten(),
    );
    for name in required {
        if !theme.templates.iter().any(|t| t.name == *name) {
            diags.push(Diagnostic::file(
                theme.dir.join("templates").join(name),
                format!("theme `{}` has no `{name}` template", theme.name),
            ));
        }
    }
    // UI strings: one file per language, all with the keys of the default language and the
    // keys the engine writes.
    let default = p.site.value.default_language.value.as_str();
    let default_keys: Vec<&str> = theme
        .i18n
        .get(default)
        .map(|s| s.value.keys().map(String::as_str).collect())
        .unwrap_or_default();
    // Plural forms are checked per language (each has the categories of its own rules).
    let mut reference: BTreeSet<&str> = default_keys
        .iter()
        .copied()
        .filter(|k| plural_base(k).is_none())
        .collect();
    let plurals: BTreeSet<&str> = default_keys.iter().filter_map(|k| plural_base(k)).collect();
    if has_indicators {
        reference.extend(ENGINE_STRINGS.iter().copied());
    }
    for &lang in langs {
        let Some(src) = theme.i18n.get(lang) else {
            diags.push(
                Diagnostic::file(
                    theme.dir.join("i18n").join(format!("{lang}.yaml")),
                    format!(
                        "theme `{}` has no UI strings for language `{lang}`",
                        theme.name
                    ),
                )
                .with_hint(format!(
                    "copy i18n/{default}.yaml to i18n/{lang}.yaml and translate its values"
                )),
            );
            continue;
        };
        let locale = p
            .site
            .value
            .languages
            .iter()
            .find(|l| l.code.value == lang)
            .and_then(|l| l.locale.as_ref())
            .map_or(lang, |l| l.value.as_str());
        diags.extend(plural_forms(src, locale, &plurals));
        let missing: Vec<&str> = reference
            .iter()
            .copied()
            .filter(|k| !src.value.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            let engine: Vec<&str> = missing
                .iter()
                .copied()
                .filter(|k| ENGINE_STRINGS.contains(k))
                .collect();
            let mut d = Diagnostic::file(
                &src.file,
                format!("missing UI string(s): {}", missing.join(", ")),
            );
            d = if engine.is_empty() {
                d.with_hint(format!("{default}.yaml has them"))
            } else {
                d.with_hint(format!(
                    "the generator writes {} into pages itself: every language needs them",
                    engine.join(", ")
                ))
            };
            diags.push(d);
        }
    }
    for (lang, src) in &theme.i18n {
        if !langs.contains(&lang.as_str()) {
            diags.push(
                Diagnostic::file(
                    &src.file,
                    format!("UI strings for `{lang}`, which site.yaml does not declare"),
                )
                .warning(),
            );
        }
    }
    diags
}

/// The CLDR name of a plural category, as the suffix of a UI string key (`respondents.few`).
pub(crate) fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

fn by_count(examples: &BTreeMap<&'static str, u32>) -> Vec<&'static str> {
    let mut v: Vec<(&u32, &&str)> = examples.iter().map(|(k, n)| (n, k)).collect();
    v.sort();
    v.into_iter().map(|(_, k)| *k).collect()
}

/// The count key of a plural form: `respondents` for `respondents.few`.
pub(crate) fn plural_base(key: &str) -> Option<&str> {
    let (base, category) = key.rsplit_once('.')?;
    PluralCategory::get_for_cldr_string(category).map(|_| base)
}

/// The plural forms of one language's UI strings (`src`, for CLDR locale `locale`): each count
/// key (of `required`, the default language's, and its own) needs an `other` form; a category
/// that counts from 0 to 1000 fall into and that has no form is a warning.
fn plural_forms(
    src: &Source<BTreeMap<String, String>>,
    locale: &str,
    required: &BTreeSet<&str>,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut bases: BTreeSet<&str> = required.clone();
    bases.extend(src.value.keys().filter_map(|k| plural_base(k)));
    // Each category of the language with the smallest count that takes it.
    let mut examples: BTreeMap<&'static str, u32> = BTreeMap::new();
    if let Ok(rules) = icu_locale_core::Locale::try_from_str(locale)
        .map_err(|_| ())
        .and_then(|l| PluralRules::try_new_cardinal((&l).into()).map_err(|_| ()))
    {
        for n in 0..=1000u32 {
            let name = category_name(rules.category_for(n));
            examples.entry(name).or_insert(n);
        }
    }
    for base in bases {
        let line = src
            .text
            .split('\n')
            .position(|l| l.starts_with(&format!("{base}.")))
            .map_or(Position::default(), |i| Position::new(i + 1, 1));
        let at = |message: String| Diagnostic::at(&src.file, &src.text, line, message);
        if !src.value.contains_key(&format!("{base}.other")) {
            diags.push(
                at(format!("missing UI string `{base}.other`: the form of a count that has no form of its own"))
                    .with_hint(format!("add `{base}.other: \"{{n}} …\"` ({{n}} is replaced by the number)")),
            );
            continue;
        }
        for (category, n) in &examples {
            if !src.value.contains_key(&format!("{base}.{category}")) {
                diags.push(
                    at(format!(
                        "`{base}` has no `{category}` form: counts such as {n} use `{base}.other`"
                    ))
                    .with_hint(format!(
                        "CLDR gives `{locale}` counts the forms {}: add `{base}.{category}` if its grammar differs",
                        by_count(&examples).join(", ")
                    ))
                    .warning(),
                );
            }
        }
    }
    diags
}
