//! Indicators: the typed, validated model of `data/dimensions.yaml` and `data/indicators.yaml`
//! ([`define`]), and the aggregation of raw survey responses (CSV) into shares per option and
//! per breakdown member ([`aggregate`]). Part of the model stage: every problem is a located
//! diagnostic.

pub(crate) mod aggregate;
pub(crate) mod define;
pub(crate) mod keys;

use std::path::PathBuf;

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

/// One line of an indicator's table: a breakdown member (or the whole sample), its value per
/// option (`None`: not published), and its number of respondents when known.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub member: Option<String>,
    pub values: Vec<Option<f64>>,
    pub n: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    /// Index of the edition in `Site::editions`.
    pub edition: usize,
    pub file: PathBuf,
    pub question: Text,
    pub kind: IndicatorKind,
    pub unit: Option<String>,
    /// Answer options; a `value` indicator without options has one implicit column.
    pub options: Vec<Member>,
    pub breakdown: Option<Dimension>,
    pub rows: Vec<Row>,
    /// Respondents in all, when known.
    pub n: Option<u64>,
    pub source: Option<Text>,
    pub note: Option<Text>,
    pub chart: ChartType,
    /// Computed from raw responses (as opposed to published figures).
    pub aggregated: bool,
}

impl Indicator {
    pub fn is_percent(&self) -> bool {
        self.kind == IndicatorKind::Share || self.unit.as_deref() == Some("percent")
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
