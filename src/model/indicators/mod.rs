//! Indicators: the typed, validated model of `data/dimensions.yaml` and `data/indicators.yaml`
//! ([`define`]), the sums of raw survey responses (CSV) per group of respondents
//! ([`aggregate`]), the statistics published with every figure ([`stats`]: shares, intervals,
//! effective sizes, quantiles), and the comparability of waves for trends ([`trend`]). Part of
//! the model stage: every problem is a located diagnostic.

pub(crate) mod aggregate;
pub(crate) mod define;
pub(crate) mod keys;
pub mod stats;
pub(crate) mod trend;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::Position;
pub(crate) use crate::load::schema::{ChartType, IndicatorKind};
use crate::load::schema::{MemberFile, Text};
pub(crate) use define::build;

/// A member of a dimension, or an answer option.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: String,
    pub label: Text,
}

#[derive(Debug, Clone)]
pub struct Dimension {
    pub id: String,
    pub label: Text,
    pub members: Vec<Member>,
}

/// How a published figure may be read (`statistics` in site.yaml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Flag {
    /// Published as it is.
    #[default]
    None,
    /// Published, based on fewer than `caution_n` respondents.
    Caution,
    /// Not published: based on fewer than `min_n` respondents.
    Suppressed,
}

impl Flag {
    /// The flag of a figure based on `n` respondents (`None`: unknown, no flag).
    pub fn of(n: Option<u64>, s: &Statistics) -> Flag {
        match n {
            Some(n) if n < s.min_n => Flag::Suppressed,
            Some(n) if n < s.caution_n => Flag::Caution,
            _ => Flag::None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Flag::None => "",
            Flag::Caution => "caution",
            Flag::Suppressed => "suppressed",
        }
    }
}

/// `statistics:` of site.yaml, resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Statistics {
    pub confidence: f64,
    pub min_n: u64,
    pub caution_n: u64,
}

impl Default for Statistics {
    fn default() -> Self {
        Statistics {
            confidence: 0.95,
            min_n: 10,
            caution_n: 30,
        }
    }
}

/// What is known of one published value besides the value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// Its interval at `statistics.confidence`, in the unit of the value.
    pub ci: Option<(f64, f64)>,
    /// Respondents in its base.
    pub n: Option<u64>,
    /// Kish's effective size of its base, when weighted.
    pub n_eff: Option<f64>,
    pub flag: Flag,
}

/// One line of an indicator's table: the whole sample (`dimension: None`) or a member of a
/// breakdown, its value per column (`None`: not published, or suppressed), what is known of
/// each value, and its respondents when known.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Index into `Indicator::breakdowns`; `None`: the whole sample.
    pub dimension: Option<usize>,
    pub member: Option<String>,
    /// In a crosstab: the member of the second dimension.
    pub member2: Option<String>,
    pub values: Vec<Option<f64>>,
    /// Same length as `values`.
    pub cells: Vec<Cell>,
    /// Respondents in the base (answered, out of the excluded options).
    pub n: Option<u64>,
    pub n_eff: Option<f64>,
    /// Non-responses (blank or `missing`), from raw responses.
    pub missing: Option<u64>,
    /// The worst flag of the row's published columns.
    pub flag: Flag,
}

impl Row {
    pub fn new(dimension: Option<usize>, member: Option<String>, columns: usize) -> Row {
        Row {
            dimension,
            member,
            member2: None,
            values: vec![None; columns],
            cells: vec![Cell::default(); columns],
            n: None,
            n_eff: None,
            missing: None,
            flag: Flag::None,
        }
    }
}

/// Two breakdowns crossed: one row per (member of `dims.0`, member of `dims.1`).
#[derive(Debug, Clone, PartialEq)]
pub struct Crosstab {
    pub dims: (usize, usize),
    pub rows: Vec<Row>,
}

/// Where the figures come from, for the codebook of the open data.
#[derive(Debug, Clone, Default)]
pub struct Codebook {
    pub file: String,
    /// The answer column(s): one, or one per option.
    pub columns: Vec<String>,
    /// Per option, the raw codes that mean it (besides its id).
    pub codes: Vec<Vec<String>>,
    pub missing: Vec<String>,
    pub separator: Option<String>,
    pub weight_column: Option<String>,
    /// Per breakdown, its column.
    pub breakdown_columns: Vec<String>,
}

/// The statistics of a numeric indicator, its columns in this order.
pub(crate) const NUMERIC_COLUMNS: [&str; 4] = ["mean", "median", "q1", "q3"];

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    /// Where `id:` is in `file`.
    pub pos: Position,
    /// Index of the edition in `Site::editions`.
    pub edition: usize,
    pub file: PathBuf,
    pub question: Text,
    pub kind: IndicatorKind,
    pub unit: Option<String>,
    /// Answer options; a `value` indicator without options has one implicit column, a
    /// `numeric` one the columns of [`NUMERIC_COLUMNS`].
    pub options: Vec<Member>,
    /// Per option: kept out of the base (`exclude`).
    pub excluded: Vec<bool>,
    /// `likert`: the index of the neutral option.
    pub neutral: Option<usize>,
    pub breakdowns: Vec<Dimension>,
    /// The whole sample first (when known), then each breakdown's members in order.
    pub rows: Vec<Row>,
    pub crosstabs: Vec<Crosstab>,
    /// Respondents in all, when known.
    pub n: Option<u64>,
    pub source: Option<Text>,
    pub note: Option<Text>,
    pub chart: ChartType,
    /// Computed from raw responses (as opposed to published figures).
    pub aggregated: bool,
    /// Computed with respondent weights.
    pub weighted: bool,
    /// `comparable:` of the file: editions this wave cannot be compared with.
    pub comparable: BTreeMap<String, bool>,
    pub break_note: Option<Text>,
    pub codebook: Option<Codebook>,
}

impl Indicator {
    /// Values are percentages.
    pub fn is_percent(&self) -> bool {
        self.kind.is_share() || self.unit.as_deref() == Some("percent")
    }

    /// The ids of the value columns: options, statistics, or one unnamed column.
    pub fn columns(&self) -> Vec<&str> {
        if self.kind == IndicatorKind::Numeric {
            NUMERIC_COLUMNS.to_vec()
        } else if self.options.is_empty() {
            vec![""]
        } else {
            self.options.iter().map(|o| o.id.as_str()).collect()
        }
    }

    /// The row of the whole sample.
    pub fn total(&self) -> Option<&Row> {
        self.rows.iter().find(|r| r.dimension.is_none())
    }

    /// The rows of breakdown `d`, in member order.
    pub fn rows_of(&self, d: usize) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(move |r| r.dimension == Some(d))
    }

    pub fn breakdown_index(&self, id: &str) -> Option<usize> {
        self.breakdowns.iter().position(|d| d.id == id)
    }
}

fn members(list: &[MemberFile]) -> Vec<Member> {
    list.iter()
        .map(|m| Member {
            id: m.id.value.clone(),
            label: m.label.clone(),
        })
        .collect()
}
