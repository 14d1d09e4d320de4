//! The theme's Tera templates: compiled once, then one instance per language carrying that
//! language's shared data (site, navigation, UI strings) as its global context, so each page's
//! own context holds only the page.
//!
//! Each language's instance writes the texts it prints with autoescape through that
//! language's typographic rules ([`super::typography`]) before escaping them: every text a
//! theme prints from data or UI strings (titles, labels, `<title>`, descriptions) follows
//! them without the theme asking, while `| safe` HTML (the page's converted Markdown, charts)
//! is left as it is.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use tera::{EscapeFn, Kwargs, State, Tera, Value};

use super::locale::Locale;
use super::typography;
use crate::error::{Diagnostic, Diagnostics, Position};
use crate::load::ThemeSource;
use crate::load::schema::Typography;
use crate::validate::theme::category_name;

/// What the filters of one language use.
#[derive(Clone)]
pub(crate) struct LangFilters {
    pub locale: Arc<Locale>,
    pub typography: Typography,
    /// The language's UI strings (the forms of `plural`).
    pub strings: Arc<BTreeMap<String, String>>,
}

impl LangFilters {
    /// Filters with `locale` and no typography nor UI strings (to compile templates).
    pub(crate) fn bare(locale: Arc<Locale>) -> Self {
        LangFilters {
            locale,
            typography: Typography::None,
            strings: Arc::default(),
        }
    }
}

/// Compiles every template of the theme. All syntax errors are reported, with their location.
/// Tera checks filter names when templates are added, so the locale filters are registered
/// first (with `locale`); each language's instance then replaces them with its own.
pub(crate) fn compile(theme: &ThemeSource, locale: Arc<Locale>) -> Result<Tera, Diagnostics> {
    let mut tera = Tera::new();
    register_locale_filters(&mut tera, &LangFilters::bare(locale));
    // Compile one by one first, so each syntax error is reported (a batch stops at the first).
    let mut diags = Diagnostics::new();
    // (References to other templates are checked by the batch below.)
    for t in &theme.templates {
        let mut single = Tera::new();
        if let Err(e) = single.add_raw_template(&t.name, &t.text)
            && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
        {
            diags.push(to_diagnostic(&e, theme, Some(&t.name)));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.text.as_str())),
    )
    .map_err(|e| match e.kind() {
        // Unknown filters, tests, includes…: Tera joins one formatted report per use.
        tera::ErrorKind::Msg(msg) => match parse_reports(msg, theme) {
            Some(d) => d,
            None => Diagnostics::from(to_diagnostic(&e, theme, None)),
        },
        _ => Diagnostics::from(to_diagnostic(&e, theme, None)),
    })?;
    Ok(tera)
}

/// Adds the filters that depend on the language — numbers, dates and counts per locale,
/// inline Markdown with the language's typography — and its escape function.
pub(crate) fn register_locale_filters(tera: &mut Tera, lang: &LangFilters) {
    tera.set_escape_fn(escape_fn(lang.typography));
    let l = Arc::clone(&lang.locale);
    tera.register_filter(
        "format_number",
        move |v: Value, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let digits: i64 = kwargs.get("digits")?.unwrap_or(1);
            let n = v.as_f64().ok_or_else(|| {
                tera::Error::message(format!("format_number: `{v}` is not a number"))
            })?;
            Ok(l.number(n, digits.clamp(0, 6) as usize))
        },
    );
    let l = Arc::clone(&lang.locale);
    tera.register_filter(
        "format_date",
        move |v: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let d = crate::model::Date::parse(v).ok_or_else(|| {
                tera::Error::message(format!("format_date: `{v}` is not a YYYY-MM-DD date"))
            })?;
            let month_only: bool = kwargs.get("month")?.unwrap_or(false);
            Ok(if month_only { l.month(d) } else { l.date(d) })
        },
    );
    let l = Arc::clone(&lang.locale);
    let strings = Arc::clone(&lang.strings);
    tera.register_filter(
        "plural",
        move |v: Value, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let key: String = kwargs.must_get("key")?;
            let digits: i64 = kwargs.get("digits")?.unwrap_or(0);
            let n = v
                .as_f64()
                .ok_or_else(|| tera::Error::message(format!("plural: `{v}` is not a number")))?;
            plural(&l, &strings, &key, n, digits.clamp(0, 6) as usize).map_err(tera::Error::message)
        },
    );
    let rules = lang.typography;
    tera.register_filter("markdown", move |v: &str, _: Kwargs, _: &State| {
        Value::safe_string(&super::markdown::inline_html_with(v, rules))
    });
}

/// The UI string `<key>.<category>` for the count `n` (`<key>.other` when the language has no
/// form of its own for that category), its `{n}` replaced by `n` formatted per locale.
pub(crate) fn plural(
    locale: &Locale,
    strings: &BTreeMap<String, String>,
    key: &str,
    n: f64,
    max_fraction: usize,
) -> Result<String, String> {
    let (number, category) = locale.count(n, max_fraction);
    let form = strings
        .get(&format!("{key}.{}", category_name(category)))
        .or_else(|| strings.get(&format!("{key}.other")))
        .ok_or_else(|| format!("plural: no UI string `{key}.other` (the form of every count)"))?;
    Ok(form.replace("{n}", &number))
}

/// How a language's instance escapes what it prints: its typography, then HTML escaping.
fn escape_fn(rules: Typography) -> EscapeFn {
    match rules {
        Typography::None => tera::escape_html,
        Typography::French => escape_french,
    }
}

fn escape_french(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    tera::escape_html(&typography::apply(Typography::French, input), out)
}

/// Converts a Tera error into a located diagnostic in the theme's files.
pub(crate) fn to_diagnostic(
    e: &tera::Error,
    theme: &ThemeSource,
    template: Option<&str>,
) -> Diagnostic {
    let file_of = |name: &str| {
        theme
            .templates
            .iter()
            .find(|t| t.name == name)
            .map(|t| (t.file.clone(), t.text.as_str()))
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let name = if report.filename().is_empty() {
                template.unwrap_or("")
            } else {
                report.filename()
            };
            let span = report.span();
            let message = with_sources(report.message(), e);
            match file_of(name) {
                Some((file, text)) => Diagnostic::at(
                    file,
                    text,
                    Position::new(span.start_line, span.start_col + 1),
                    message,
                ),
                None => Diagnostic::file(theme.dir.join("templates").join(name), message),
            }
        }
        _ => {
            let file = template
                .and_then(file_of)
                .map_or_else(|| theme.dir.join("templates"), |(f, _)| f);
            Diagnostic::file(file, with_sources(&e.kind().to_string(), e))
        }
    }
}

/// Reads Tera's formatted reports (`error: msg` then ` --> name:line:col`) back into
/// diagnostics, so every error of the run is printed the same way.
fn parse_reports(msg: &str, theme: &ThemeSource) -> Option<Diagnostics> {
    let mut out = Diagnostics::new();
    for report in msg.split("\n\n") {
        let mut lines = report.lines();
        let message = lines.next()?.strip_prefix("error: ")?;
        let locus = lines.next()?.trim_start().strip_prefix("--> ")?;
        let mut parts = locus.rsplitn(3, ':');
        let col: usize = parts.next()?.parse().ok()?;
        let line: usize = parts.next()?.parse().ok()?;
        let name = parts.next()?;
        let t = theme.templates.iter().find(|t| t.name == name)?;
        out.push(Diagnostic::at(
            &t.file,
            &t.text,
            Position::new(line, col),
            message,
        ));
    }
    (!out.is_empty()).then_some(out)
}

fn with_sources(message: &str, e: &tera::Error) -> String {
    let mut out = message.replace('\n', " ");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string().replace('\n', " "));
        source = s.source();
    }
    out
}
