//! The input formats, as serde types: `site.yaml`, `editions/<id>/edition.yaml`, page front
//! matter. Field docs here are the reference for authors (see also `docs/FORMAT.md`).
//!
//! Every struct denies unknown fields, so a typo (`titel:`) is an error at its line instead of
//! a silently missing value.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::error::Position;
use crate::load::yaml::position;

/// A text given per language: `{fr: "…", ar: "…"}`. Keys are language codes of `site.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// Where the mapping starts in its file (for "missing translation" and "unknown language").
    pub pos: Position,
    pub values: BTreeMap<String, String>,
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<BTreeMap<String, String>>::deserialize(d)?;
        Ok(Text {
            pos: position(&spanned.referenced),
            values: spanned.value,
        })
    }
}

/// A string with the position of its value, for located validation errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub pos: Position,
    pub value: T,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<T>::deserialize(d)?;
        Ok(Located {
            pos: position(&spanned.referenced),
            value: spanned.value,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// `site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    /// The site's title per language.
    pub title: Text,
    #[serde(default)]
    pub description: Option<Text>,
    /// Who publishes the site (shown in the footer).
    #[serde(default)]
    pub publisher: Option<Text>,
    /// The language pages fall back to when a translation is missing.
    pub default_language: Located<String>,
    /// Languages, in the order the language switcher lists them.
    pub languages: Vec<LanguageFile>,
    /// Name of a folder under `themes/`.
    pub theme: Located<String>,
    /// The main site's address (`https://…/`). Optional: without it every link stays relative.
    #[serde(default)]
    pub base_url: Option<Located<String>>,
    /// Output folder names of the sections, shared by all languages.
    #[serde(default)]
    pub paths: Paths,
    /// Options of translation checks.
    #[serde(default)]
    pub translation: TranslationOptions,
    /// Options of indicator checks.
    #[serde(default)]
    pub indicators: IndicatorOptions,
    /// Options of the Markdown of pages.
    #[serde(default)]
    pub markdown: MarkdownOptions,
}

/// `markdown:` in site.yaml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownOptions {
    /// Keep raw HTML written in Markdown (off: it is shown as text). Scripts, event handlers,
    /// embedded pages and loads from other hosts stay refused.
    #[serde(default)]
    pub unsafe_html: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageFile {
    /// Language code, used in paths (`fr/…`) and in `lang=""`.
    pub code: Located<String>,
    /// The language's own name ("Français", "العربية").
    pub name: String,
    /// CLDR locale for numbers and dates (e.g. `ar-MA`); defaults to the code.
    #[serde(default)]
    pub locale: Option<Located<String>>,
    #[serde(default = "ltr")]
    pub dir: Direction,
    /// The typographic rules applied to this language's texts when they are rendered
    /// (`none` by default).
    #[serde(default)]
    pub typography: Typography,
}

/// A set of typographic rules applied at render time to the texts of a language (Markdown
/// text, and the texts templates print), never to code, addresses or attributes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Typography {
    /// Texts are published as written.
    #[default]
    None,
    /// French rules: a narrow no-break space (U+202F) before `;`, `!`, `?` and inside « »,
    /// a no-break space (U+00A0) before `:`.
    French,
}

fn ltr() -> Direction {
    Direction::Ltr
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paths {
    #[serde(default = "default_editions_path")]
    pub editions: Located<String>,
    #[serde(default = "default_indicators_path")]
    pub indicators: Located<String>,
}

// The section folder names of the output contract (DESIGN.md "Outputs"); `site.yaml` may
// rename them. They are path segments, not labels: labels come from the theme's i18n files.
fn default_editions_path() -> Located<String> {
    Located {
        pos: Position::default(),
        value: "editions".into(),
    }
}

fn default_indicators_path() -> Located<String> {
    Located {
        pos: Position::default(),
        value: "indicateurs".into(),
    }
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            editions: default_editions_path(),
            indicators: default_indicators_path(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationOptions {
    /// Make every missing translation an error (same as `--strict`).
    #[serde(default)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EditionKind {
    RegionalMeetings,
    BarometerWave,
}

impl EditionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EditionKind::RegionalMeetings => "regional-meetings",
            EditionKind::BarometerWave => "barometer-wave",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Published,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
        }
    }
}

/// `editions/<id>/edition.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionFile {
    /// Must equal the folder name.
    pub id: Located<String>,
    pub kind: EditionKind,
    pub year: i32,
    /// Semantic version of the edition's content (`1.0.0`).
    pub version: Located<String>,
    pub status: Status,
    #[serde(default)]
    pub dates: Dates,
    pub title: Text,
    pub summary: Text,
    #[serde(default)]
    pub partners: Vec<Partner>,
    #[serde(default)]
    pub sample: Option<Sample>,
    /// Figures shown on the home page and the edition home.
    #[serde(default)]
    pub key_figures: Vec<KeyFigure>,
    #[serde(default)]
    pub changelog: Vec<ChangelogEntry>,
    /// Set by `barometre publish`: hash of the edition folder when it was frozen.
    #[serde(default)]
    pub content_hash: Option<String>,
    /// Set by `barometre publish`: the `version` the `content_hash` was recorded for.
    #[serde(default)]
    pub content_hash_version: Option<Located<String>>,
}

/// ISO dates (`YYYY-MM-DD`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dates {
    #[serde(default)]
    pub start: Option<Located<String>>,
    #[serde(default)]
    pub end: Option<Located<String>>,
    /// Date of publication of the edition.
    #[serde(default)]
    pub published: Option<Located<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub name: Text,
    #[serde(default)]
    pub role: Option<Text>,
    /// The partner's own site (an outgoing link, never fetched).
    #[serde(default)]
    pub url: Option<Located<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    #[serde(default)]
    pub respondents: Option<u64>,
    #[serde(default)]
    pub description: Option<Text>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFigure {
    /// A number, formatted per locale on the site.
    pub value: f64,
    pub label: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangelogEntry {
    pub version: Located<String>,
    pub date: Located<String>,
    pub changes: Text,
}

/// The YAML front matter of `pages/<slug>.<lang>.md` and `content/<slug>.<lang>.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Order in the table of contents (smaller first; then by slug).
    #[serde(default)]
    pub weight: Option<i64>,
    /// Date of the page (`YYYY-MM-DD`), shown formatted per locale.
    #[serde(default)]
    pub date: Option<Located<String>>,
    /// A template of the theme to render this page with (default `page.html`).
    #[serde(default)]
    pub template: Option<Located<String>>,
    /// Free data for the template (`page.extra`).
    #[serde(default)]
    pub extra: Option<serde_json::Value>,
}

/// `editions/<id>/data/dimensions.yaml`: breakdown dimensions (regions, meetings…).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionFile {
    pub id: Located<String>,
    pub label: Text,
    pub members: Vec<MemberFile>,
}

/// A member of a dimension, or an answer option of an indicator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberFile {
    pub id: Located<String>,
    pub label: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    /// Percentage of respondents per option (a group sums to 100).
    Share,
    /// Number of respondents (or items) per option.
    Count,
    /// A measured value.
    Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChartType {
    Bar,
    HorizontalBar,
    StackedBar,
    Pie,
    Donut,
    Line,
}

impl ChartType {
    pub fn as_str(self) -> &'static str {
        match self {
            ChartType::Bar => "bar",
            ChartType::HorizontalBar => "horizontal-bar",
            ChartType::StackedBar => "stacked-bar",
            ChartType::Pie => "pie",
            ChartType::Donut => "donut",
            ChartType::Line => "line",
        }
    }

    pub const ALL: [&'static str; 6] = [
        "bar",
        "horizontal-bar",
        "stacked-bar",
        "pie",
        "donut",
        "line",
    ];
}

/// `editions/<id>/data/indicators.yaml`: one item per indicator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorFile {
    /// Stable across editions: the same id in two editions is the same question asked again.
    pub id: Located<String>,
    pub question: Text,
    pub kind: IndicatorKind,
    /// `percent` (shares), or a free unit name shown after counts and values.
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub options: Vec<MemberFile>,
    /// Id of a dimension of `dimensions.yaml`.
    #[serde(default)]
    pub breakdown: Option<Located<String>>,
    /// `member → option → number` with a breakdown, `option → number` without.
    #[serde(default)]
    pub values: Option<Located<serde_json::Value>>,
    /// Raw responses to aggregate instead of `values`.
    #[serde(default)]
    pub responses: Option<ResponsesFile>,
    /// Respondents: a number, `member → number`, or null when unknown.
    #[serde(default)]
    pub n: Option<Located<serde_json::Value>>,
    #[serde(default)]
    pub source: Option<Text>,
    #[serde(default)]
    pub note: Option<Text>,
    /// Default chart type.
    #[serde(default)]
    pub chart: Option<ChartType>,
}

/// A CSV of responses in `data/`: one row per respondent, one column per question.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponsesFile {
    pub file: Located<String>,
    /// The column holding the answer to this indicator's question.
    pub column: String,
    /// Optional column holding the breakdown member id of each respondent.
    #[serde(default)]
    pub breakdown_column: Option<String>,
    /// Optional column of respondent weights.
    #[serde(default)]
    pub weight_column: Option<String>,
    /// Raw answers → option ids (default: the answer is the option id).
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
}

/// `indicators:` in site.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorOptions {
    /// How far (in points) the shares of a group may be from 100 (rounding).
    #[serde(default = "default_tolerance")]
    pub share_tolerance: f64,
}

fn default_tolerance() -> f64 {
    1.0
}

impl Default for IndicatorOptions {
    fn default() -> Self {
        IndicatorOptions {
            share_tolerance: default_tolerance(),
        }
    }
}

/// `themes/<name>/theme.yaml`: the theme's settings used by the generator.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeFile {
    #[serde(default)]
    pub chart: ChartStyleFile,
    /// The theme has a search box: write a search index script per language.
    #[serde(default)]
    pub search: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartStyleFile {
    /// Series colours, in order (`#rrggbb`).
    pub palette: Vec<String>,
    /// CSS font-family list for chart texts.
    pub font: String,
    pub ink: String,
    pub muted: String,
    pub grid: String,
}

impl Default for ChartStyleFile {
    // Neutral greys: a theme without theme.yaml still gets readable charts.
    fn default() -> Self {
        ChartStyleFile {
            palette: vec!["#333333".into(), "#888888".into(), "#bbbbbb".into()],
            font: "sans-serif".into(),
            ink: "#111111".into(),
            muted: "#555555".into(),
            grid: "#dddddd".into(),
        }
    }
}
