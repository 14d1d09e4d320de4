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

/// Written as its value alone (`datapackage.json`).
impl<T: serde::Serialize> serde::Serialize for Located<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
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
    /// How figures computed from survey responses are published: interval level, small-cell
    /// thresholds.
    #[serde(default)]
    pub statistics: StatisticsOptions,
    /// The licence of the site's texts and open data (footer, feeds, `datapackage.json`).
    #[serde(default)]
    pub licence: Option<Licence>,
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
pub(crate) struct DimensionFile {
    pub id: Located<String>,
    pub label: Text,
    pub members: Vec<MemberFile>,
}

/// A member of a dimension, or an answer option of an indicator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MemberFile {
    pub id: Located<String>,
    pub label: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    /// Percentage of respondents per option, one answer each (a group sums to 100).
    Share,
    /// Several answers per respondent: percentage of respondents choosing each option (the
    /// sum may exceed 100).
    Multi,
    /// An ordered scale: `options` in scale order, `neutral` its midpoint (optional).
    Likert,
    /// A number per respondent: mean (with its interval), median and quartiles.
    Numeric,
    /// Number of respondents (or items) per option, never a percentage.
    Count,
    /// A measured value.
    Value,
}

impl IndicatorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::Share => "share",
            IndicatorKind::Multi => "multi",
            IndicatorKind::Likert => "likert",
            IndicatorKind::Numeric => "numeric",
            IndicatorKind::Count => "count",
            IndicatorKind::Value => "value",
        }
    }

    /// Values are percentages of respondents.
    pub fn is_share(self) -> bool {
        matches!(
            self,
            IndicatorKind::Share | IndicatorKind::Multi | IndicatorKind::Likert
        )
    }
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
    /// Diverging stacked bars of a Likert scale: negative side, centre line, positive side.
    DivergingBar,
    /// Points with their interval (numeric indicators).
    Points,
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
            ChartType::DivergingBar => "diverging-bar",
            ChartType::Points => "points",
        }
    }

    pub const ALL: [&'static str; 8] = [
        "bar",
        "horizontal-bar",
        "stacked-bar",
        "pie",
        "donut",
        "line",
        "diverging-bar",
        "points",
    ];
}

/// `editions/<id>/data/indicators.yaml`: one item per indicator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IndicatorFile {
    /// Stable across editions: the same id in two editions is the same question asked again.
    pub id: Located<String>,
    pub question: Text,
    pub kind: IndicatorKind,
    /// `percent` (shares), or a free unit name shown after counts and values.
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub options: Vec<MemberFile>,
    /// Id of a dimension of `dimensions.yaml` (one breakdown).
    #[serde(default)]
    pub breakdown: Option<Located<String>>,
    /// Several breakdown dimensions (the first is the default of charts).
    #[serde(default)]
    pub breakdowns: Option<Located<Vec<Located<String>>>>,
    /// `likert`: the option at the midpoint of the scale.
    #[serde(default)]
    pub neutral: Option<Located<String>>,
    /// `member → option → number` with a breakdown, `option → number` without.
    #[serde(default)]
    pub values: Option<Located<serde_json::Value>>,
    /// Precomputed values: margin of error in points, for every value (a number) or per
    /// member (`member → number`).
    #[serde(default)]
    pub moe: Option<Located<serde_json::Value>>,
    /// Precomputed values: intervals, `member → option → [low, high]` with a breakdown,
    /// `option → [low, high]` without.
    #[serde(default)]
    pub ci: Option<Located<serde_json::Value>>,
    /// Breaks in series: `<edition-id>: false` when this wave's figures cannot be compared
    /// with that edition's (changed wording, sample…).
    #[serde(default)]
    pub comparable: BTreeMap<String, bool>,
    /// Why the series breaks, per language (shown on the trend).
    #[serde(default)]
    pub break_note: Option<Text>,
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
pub(crate) struct ResponsesFile {
    pub file: Located<String>,
    /// The column holding the answer to this indicator's question.
    #[serde(default)]
    pub column: Option<Located<String>>,
    /// `multi`: one 0/1 (or yes/no) column per option, `option → column`.
    #[serde(default)]
    pub columns: Option<Located<BTreeMap<String, String>>>,
    /// `multi` in one column: the separator between the chosen options (e.g. `" "`).
    #[serde(default)]
    pub separator: Option<String>,
    /// Optional column holding the breakdown member of each respondent (one breakdown).
    #[serde(default)]
    pub breakdown_column: Option<String>,
    /// With several breakdowns: `dimension → column`.
    #[serde(default)]
    pub breakdown_columns: Option<Located<BTreeMap<String, String>>>,
    /// Raw breakdown labels → member ids (default: the cell is the member id).
    #[serde(default)]
    pub breakdown_answers: BTreeMap<String, String>,
    /// Optional column of respondent weights.
    #[serde(default)]
    pub weight_column: Option<String>,
    /// Raw answers → option ids (default: the answer is the option id).
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    /// Raw values that are non-response (a blank cell always is).
    #[serde(default)]
    pub missing: Vec<String>,
    /// Options kept out of the base (« ne sait pas »…), published beside it.
    #[serde(default)]
    pub exclude: Vec<Located<String>>,
    /// The field delimiter: `,`, `;` or a tab (`"\t"`); detected from the header when absent.
    #[serde(default)]
    pub delimiter: Option<Located<String>>,
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

/// `statistics:` in site.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatisticsOptions {
    /// Level of the intervals (0.95: 95 % intervals).
    #[serde(default = "default_confidence")]
    pub confidence: Located<f64>,
    /// A cell whose base has fewer respondents is not published (only its mark).
    #[serde(default = "default_min_n")]
    pub min_n: Located<u64>,
    /// Below this base, the value is published with a caution mark.
    #[serde(default = "default_caution_n")]
    pub caution_n: Located<u64>,
}

fn default_confidence() -> Located<f64> {
    Located {
        pos: Position::default(),
        value: 0.95,
    }
}

fn default_min_n() -> Located<u64> {
    Located {
        pos: Position::default(),
        value: 10,
    }
}

fn default_caution_n() -> Located<u64> {
    Located {
        pos: Position::default(),
        value: 30,
    }
}

impl Default for StatisticsOptions {
    fn default() -> Self {
        StatisticsOptions {
            confidence: default_confidence(),
            min_n: default_min_n(),
            caution_n: default_caution_n(),
        }
    }
}

/// `licence:` in site.yaml: the licence of the site's texts and open data. Written into each
/// edition's `datapackage.json` (Frictionless `licenses`: `name`, `path`, `title`), shown in
/// every page's footer and carried into the Atom feeds (`<rights>`).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// An SPDX identifier (`CC-BY-4.0`, `ODbL-1.0`…).
    pub name: Located<String>,
    /// The licence's text online (`https://…`).
    #[serde(default)]
    pub path: Option<Located<String>>,
    /// The licence's full name, as its steward writes it.
    #[serde(default)]
    pub title: Option<String>,
    /// The name a reader sees, per language (default: `title`, else `name`).
    #[serde(default, skip_serializing)]
    pub label: Option<Text>,
    /// `confirmed` (default), or `intended`: the publisher means to use this licence but has
    /// not confirmed it yet, and pages say so next to it.
    #[serde(default, skip_serializing)]
    pub status: LicenceStatus,
}

/// Whether the licence is decided (`licence.status`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LicenceStatus {
    #[default]
    Confirmed,
    Intended,
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
    /// Colours of a diverging (Likert) scale: strong negative, light negative, neutral, light
    /// positive, strong positive; scales with more points interpolate between them.
    #[serde(default = "default_diverging")]
    pub diverging: Vec<String>,
}

// Brown to teal (ColorBrewer BrBG): readable by the colour-blind and in greys.
fn default_diverging() -> Vec<String> {
    ["#8c510a", "#d8b365", "#d9d4cc", "#5ab4ac", "#01665e"]
        .map(String::from)
        .to_vec()
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
            diverging: default_diverging(),
        }
    }
}
