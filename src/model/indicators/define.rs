//! From `dimensions.yaml` and `indicators.yaml` to [`Indicator`]s: ids, kinds, options,
//! breakdowns, published values (with their `n`, margins or intervals) or the statistics of
//! raw responses, and the small-cell flags of `statistics`, each problem located in its file.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value as Json;

use super::aggregate::{Aggregation, Answer, Breakdown, CsvError, Group, Spec, aggregate_all};
use super::keys::key_line;
use super::stats::{self, Sums};
use super::{
    Cell, Codebook, Crosstab, Dimension, Flag, Indicator, NUMERIC_COLUMNS, Row, Statistics, members,
};
use crate::error::{Diagnostic, Position, did_you_mean};
use crate::load::schema::{ChartType, IndicatorFile, IndicatorKind, MemberFile, ResponsesFile};
use crate::load::{EditionSource, Source};
use crate::syntax::is_valid_id;

/// What the site asks of every indicator.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    /// The allowed distance of a published share group from 100.
    pub tolerance: f64,
    pub statistics: Statistics,
}

/// Builds the dimensions and indicators of one edition.
pub(crate) fn build(
    ed: &EditionSource,
    edition: usize,
    settings: &Settings,
) -> (Vec<Dimension>, Vec<Indicator>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut dims = Vec::new();
    if let Some(src) = &ed.dimensions {
        let mut seen = HashMap::new();
        for d in &src.value {
            if seen.insert(d.id.value.clone(), ()).is_some() {
                diags.push(Diagnostic::at(
                    &src.file,
                    &src.text,
                    d.id.pos,
                    format!("dimension `{}` is defined twice", d.id.value),
                ));
            }
            check_ids(&d.members, &src.file, &src.text, "member", &mut diags);
            dims.push(Dimension {
                id: d.id.value.clone(),
                label: d.label.clone(),
                members: members(&d.members),
            });
        }
    }
    let mut out = Vec::new();
    if let Some(src) = &ed.indicators {
        let mut seen: HashMap<&str, Position> = HashMap::new();
        let mut todo = Vec::new();
        for ind in &src.value {
            if let Some(first) = seen.insert(&ind.id.value, ind.id.pos) {
                diags.push(
                    Diagnostic::at(
                        &src.file,
                        &src.text,
                        ind.id.pos,
                        format!(
                            "indicator `{}` is defined twice in this edition",
                            ind.id.value
                        ),
                    )
                    .with_hint(format!("first defined on line {}", first.line)),
                );
                continue;
            }
            todo.push(ind);
        }
        // Definitions and published figures in parallel; the indicators aggregated from raw
        // responses are then summed together, one read of each file serving all of its
        // indicators.
        let ctx = Ctx {
            ed,
            src,
            dims: &dims,
            edition,
            settings,
            utf8: ed
                .tables
                .iter()
                .map(|t| std::str::from_utf8(&t.bytes).err().map(|e| e.valid_up_to()))
                .collect(),
        };
        use rayon::prelude::*;
        let built: Vec<Built<'_>> = todo.par_iter().map(|ind| build_one(&ctx, ind)).collect();
        let mut inds = Vec::new();
        let mut requests = Vec::new();
        for b in built {
            match b {
                Ok((i, r)) => {
                    if let Some(r) = r {
                        requests.push((inds.len(), r));
                    }
                    inds.push(i);
                }
                Err(mut d) => diags.append(&mut d),
            }
        }
        let results = aggregate_requests(ed, &inds, &requests);
        let mut failed = vec![false; inds.len()];
        for ((i, req), result) in requests.into_iter().zip(results) {
            match result {
                Ok(agg) => {
                    let ind = &mut inds[i];
                    ind.aggregated = true;
                    ind.weighted = req.resp.weight_column.is_some();
                    ind.codebook = Some(req.codebook);
                    fill(ind, &agg, &settings.statistics);
                }
                Err(e) => {
                    failed[i] = true;
                    diags.push(csv_diagnostic(&ed.tables[req.table], e, req.declared));
                }
            }
        }
        out.extend(
            inds.into_iter()
                .zip(failed)
                .filter(|(_, f)| !f)
                .map(|(i, _)| i),
        );
    }
    (dims, out, diags)
}

fn check_ids(
    list: &[MemberFile],
    file: &Path,
    text: &str,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen = HashMap::new();
    for m in list {
        if !is_valid_id(&m.id.value) {
            diags.push(Diagnostic::at(
                file,
                text,
                m.id.pos,
                format!("{what} id `{}` must use only a-z, 0-9 and `-`", m.id.value),
            ));
        }
        if seen.insert(m.id.value.clone(), ()).is_some() {
            diags.push(Diagnostic::at(
                file,
                text,
                m.id.pos,
                format!("{what} `{}` is listed twice", m.id.value),
            ));
        }
    }
}

/// Where diagnostics about one indicator go.
struct At<'a> {
    file: &'a Path,
    text: &'a str,
}

impl At<'_> {
    fn err(&self, pos: Position, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.file, self.text, pos, msg)
    }
}

/// The kind's rules about options and `neutral`.
fn check_kind(ind: &IndicatorFile, at: &At<'_>, diags: &mut Vec<Diagnostic>) -> Option<usize> {
    let id = &ind.id.value;
    match ind.kind {
        IndicatorKind::Value => {}
        IndicatorKind::Numeric => {
            if !ind.options.is_empty() {
                diags.push(at.err(
                    ind.options[0].id.pos,
                    format!("indicator `{id}` of kind numeric has no `options`: its columns are mean, median, q1 and q3"),
                ));
            }
        }
        kind => {
            if ind.options.is_empty() {
                diags.push(at.err(
                    ind.id.pos,
                    format!("indicator `{id}` of kind {} needs `options`", kind.as_str()),
                ));
            }
        }
    }
    let neutral = ind.neutral.as_ref()?;
    if ind.kind != IndicatorKind::Likert {
        diags.push(at.err(
            neutral.pos,
            "`neutral` is for indicators of kind likert".to_string(),
        ));
        return None;
    }
    let found = ind.options.iter().position(|o| o.id.value == neutral.value);
    if found.is_none() {
        let mut d = at.err(
            neutral.pos,
            format!("`neutral` names unknown option `{}`", neutral.value),
        );
        d.hint = did_you_mean(
            &neutral.value,
            ind.options.iter().map(|o| o.id.value.as_str()),
        );
        diags.push(d);
    }
    found
}

/// `breakdown:` or `breakdowns:`, resolved against the edition's dimensions.
fn breakdowns(
    ind: &IndicatorFile,
    dims: &[Dimension],
    at: &At<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Dimension> {
    let mut names = Vec::new();
    match (&ind.breakdown, &ind.breakdowns) {
        (Some(b), Some(list)) => {
            diags.push(
                at.err(list.pos, "give `breakdown` or `breakdowns`, not both")
                    .with_hint(format!("`breakdown` is on line {}", b.pos.line)),
            );
        }
        (Some(b), None) => names.push(b),
        (None, Some(list)) => names.extend(list.value.iter()),
        (None, None) => {}
    }
    let mut out: Vec<Dimension> = Vec::new();
    for b in names {
        if out.iter().any(|d| d.id == b.value) {
            diags.push(at.err(b.pos, format!("breakdown `{}` is listed twice", b.value)));
            continue;
        }
        match dims.iter().find(|d| d.id == b.value) {
            Some(d) => out.push(d.clone()),
            None => {
                let mut d = at.err(b.pos, format!("unknown dimension `{}`", b.value));
                d.hint = did_you_mean(&b.value, dims.iter().map(|d| d.id.as_str())).or_else(|| {
                    Some("dimensions are defined in data/dimensions.yaml of the edition".into())
                });
                diags.push(d);
            }
        }
    }
    out
}

/// An indicator as far as its definition goes and what to aggregate for it, or its problems.
type Built<'a> = Result<(Indicator, Option<Request<'a>>), Vec<Diagnostic>>;

/// A file (index in `EditionSource::tables`) read with a delimiter (`None`: detected).
type Read = (usize, Option<u8>);

/// What every indicator of an edition is built with.
struct Ctx<'a> {
    ed: &'a EditionSource,
    src: &'a Source<Vec<IndicatorFile>>,
    dims: &'a [Dimension],
    edition: usize,
    settings: &'a Settings,
    /// Per table of the edition: where its bytes stop being UTF-8, if they do.
    utf8: Vec<Option<usize>>,
}

/// An indicator to aggregate from raw responses: everything its [`Spec`] needs.
struct Request<'a> {
    /// Index in `EditionSource::tables`.
    table: usize,
    resp: &'a ResponsesFile,
    answer: Answer<'a>,
    breakdown_columns: Vec<&'a str>,
    delimiter: Option<u8>,
    codebook: Codebook,
    /// « declared in <file> line <n> », for the hint of a CSV error.
    declared: String,
}

/// The indicator as far as its definition goes, and what to aggregate for it.
fn build_one<'a>(ctx: &Ctx<'a>, ind: &'a IndicatorFile) -> Built<'a> {
    let (src, dims, edition, settings) = (ctx.src, ctx.dims, ctx.edition, ctx.settings);
    let at = At {
        file: &src.file,
        text: &src.text,
    };
    let mut diags = Vec::new();
    if !is_valid_id(&ind.id.value) {
        diags.push(at.err(
            ind.id.pos,
            format!(
                "indicator id `{}` must use only a-z, 0-9 and `-`",
                ind.id.value
            ),
        ));
    }
    check_ids(&ind.options, at.file, at.text, "option", &mut diags);
    let neutral = check_kind(ind, &at, &mut diags);
    let breakdowns = breakdowns(ind, dims, &at, &mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut out = Indicator {
        id: ind.id.value.clone(),
        pos: ind.id.pos,
        edition,
        file: src.file.clone(),
        question: ind.question.clone(),
        kind: ind.kind,
        unit: ind.unit.clone(),
        options: members(&ind.options),
        excluded: vec![false; ind.options.len()],
        neutral,
        breakdowns,
        rows: Vec::new(),
        crosstabs: Vec::new(),
        n: None,
        source: ind.source.clone(),
        note: ind.note.clone(),
        chart: ChartType::Bar,
        aggregated: false,
        weighted: false,
        comparable: ind.comparable.clone(),
        break_note: ind.break_note.clone(),
        codebook: None,
    };
    let columns = out.columns().len();
    let mut request = None;
    match (&ind.values, &ind.responses) {
        (Some(v), Some(r)) => {
            diags.push(
                at.err(r.file.pos, "give either `values` or `responses`, not both")
                    .with_hint(format!("`values` starts on line {}", v.pos.line)),
            );
        }
        (None, Some(resp)) => {
            request = read_responses(ctx, ind, resp, &mut out, &mut diags);
        }
        (values, None) => {
            published(ind, values.as_ref(), &mut out, &at, settings, &mut diags);
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    debug_assert!(out.rows.iter().all(|r| r.values.len() == columns));
    out.chart = ind.chart.unwrap_or(match ind.kind {
        IndicatorKind::Share if !out.breakdowns.is_empty() => ChartType::StackedBar,
        IndicatorKind::Share | IndicatorKind::Multi => ChartType::HorizontalBar,
        IndicatorKind::Likert => ChartType::DivergingBar,
        IndicatorKind::Numeric => ChartType::Points,
        IndicatorKind::Count | IndicatorKind::Value => ChartType::Bar,
    });
    Ok((out, request))
}

/// Figures given in the file (`values`, `n`, `moe`, `ci`), with the small-cell flags of their
/// `n` when known.
fn published(
    ind: &IndicatorFile,
    values: Option<&crate::load::schema::Located<Json>>,
    out: &mut Indicator,
    at: &At<'_>,
    settings: &Settings,
    diags: &mut Vec<Diagnostic>,
) {
    let columns: Vec<String> = out.columns().iter().map(|c| c.to_string()).collect();
    if out.breakdowns.len() > 1 {
        let pos = ind.breakdowns.as_ref().map_or(ind.id.pos, |b| b.pos);
        diags.push(
            at.err(pos, "published `values` take one breakdown")
                .with_hint("give several breakdowns with `responses` (the raw CSV), or one indicator per breakdown"),
        );
        return;
    }
    out.rows = match out.breakdowns.first() {
        Some(d) => d
            .members
            .iter()
            .map(|m| Row::new(Some(0), Some(m.id.clone()), columns.len()))
            .collect(),
        None => vec![Row::new(None, None, columns.len())],
    };
    if let Some(values) = values {
        read_values(&values.value, values.pos, out, &columns, at, diags);
    }
    read_n(ind, out, at, diags);
    read_margins(ind, out, &columns, at, diags);
    // An interval without its value (not published, or a copied `ci`) is not published.
    for row in &mut out.rows {
        for (v, c) in row.values.iter().zip(&mut row.cells) {
            if v.is_none() {
                c.ci = None;
            }
        }
    }
    // Shares of a complete group add up to 100.
    if matches!(ind.kind, IndicatorKind::Share | IndicatorKind::Likert) {
        let tolerance = settings.tolerance;
        for row in &out.rows {
            if row.values.iter().all(Option::is_some) {
                let sum: f64 = row.values.iter().flatten().sum();
                if (sum - 100.0).abs() > tolerance {
                    let what = row.member.as_deref().unwrap_or("values");
                    let pos = ind
                        .values
                        .as_ref()
                        .map_or(ind.id.pos, |v| key_line(at.text, v.pos.line, what));
                    diags.push(
                        at.err(pos, format!("shares of `{what}` add up to {sum}, not 100"))
                            .with_hint(format!("allowed distance: {tolerance} (site.yaml `indicators.share_tolerance`); several answers per respondent are `kind: multi`")),
                    );
                }
            }
        }
    }
    // Small cells: a known n below the thresholds.
    let single = out.breakdowns.is_empty();
    for row in &mut out.rows {
        let n = if single { row.n.or(out.n) } else { row.n };
        row.n = n;
        let flag = Flag::of(n, &settings.statistics);
        row.flag = flag;
        for (v, c) in row.values.iter_mut().zip(&mut row.cells) {
            c.n = n;
            c.flag = flag;
            if flag == Flag::Suppressed {
                *v = None;
                c.ci = None;
            }
        }
    }
}

/// `n`: a number, or per member; and the respondents in all.
fn read_n(ind: &IndicatorFile, out: &mut Indicator, at: &At<'_>, diags: &mut Vec<Diagnostic>) {
    if let Some(n) = &ind.n {
        match &n.value {
            Json::Null => {}
            Json::Number(x) => out.n = x.as_u64(),
            Json::Object(map) if !out.breakdowns.is_empty() => {
                for (k, v) in map {
                    match out
                        .rows
                        .iter_mut()
                        .find(|r| r.member.as_deref() == Some(k.as_str()))
                    {
                        Some(r) => r.n = v.as_u64(),
                        None => diags.push(at.err(
                            key_line(at.text, n.pos.line, k),
                            format!("`n` names unknown member `{k}`"),
                        )),
                    }
                }
            }
            _ => diags.push(at.err(
                n.pos,
                "`n` must be a whole number, a map member → number (with a breakdown), or null",
            )),
        }
    }
    // Respondents in all: the sum over the members when each is known (they partition the
    // sample).
    if out.n.is_none() && !out.breakdowns.is_empty() && out.rows.iter().all(|r| r.n.is_some()) {
        out.n = Some(out.rows.iter().filter_map(|r| r.n).sum());
    }
}

/// `moe` and `ci` of published values.
fn read_margins(
    ind: &IndicatorFile,
    out: &mut Indicator,
    columns: &[String],
    at: &At<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    if let (Some(m), Some(c)) = (&ind.moe, &ind.ci) {
        diags.push(
            at.err(c.pos, "give `moe` or `ci`, not both")
                .with_hint(format!("`moe` is on line {}", m.pos.line)),
        );
        return;
    }
    if let Some(moe) = &ind.moe {
        read_moe(moe, out, at, diags);
    }
    if let Some(ci) = &ind.ci {
        let pair = |v: &Json, pos: Position, diags: &mut Vec<Diagnostic>| -> Option<(f64, f64)> {
            match v.as_array().map(|a| a.as_slice()) {
                Some([lo, hi]) if lo.is_number() && hi.is_number() => {
                    let (lo, hi) = (lo.as_f64()?, hi.as_f64()?);
                    if lo > hi {
                        diags.push(at.err(pos, format!("interval [{lo}, {hi}]: low above high")));
                    }
                    Some((lo, hi))
                }
                _ => {
                    diags.push(at.err(
                        pos,
                        format!("expected an interval `[low, high]`, found `{v}`"),
                    ));
                    None
                }
            }
        };
        let cells_of = |v: &Json, row: &mut Row, line: usize, diags: &mut Vec<Diagnostic>| {
            if columns.len() == 1 && columns[0].is_empty() {
                row.cells[0].ci = pair(v, Position::new(line, 1), diags);
                return;
            }
            let Some(map) = v.as_object() else {
                diags.push(at.err(
                    Position::new(line, 1),
                    "expected a map option → [low, high]",
                ));
                return;
            };
            for (k, v) in map {
                let pos = key_line(at.text, line, k);
                match columns.iter().position(|c| c == k) {
                    Some(i) => row.cells[i].ci = pair(v, pos, diags),
                    None => diags.push(at.err(pos, format!("`ci` names unknown option `{k}`"))),
                }
            }
        };
        if out.breakdowns.is_empty() {
            cells_of(&ci.value, &mut out.rows[0], ci.pos.line, diags);
        } else if let Some(map) = ci.value.as_object() {
            for (member, v) in map {
                let line = key_line(at.text, ci.pos.line, member).line;
                match out
                    .rows
                    .iter_mut()
                    .find(|r| r.member.as_deref() == Some(member))
                {
                    Some(row) => cells_of(v, row, line, diags),
                    None => diags.push(at.err(
                        Position::new(line, 1),
                        format!("`ci` names unknown member `{member}`"),
                    )),
                }
            }
        } else {
            diags.push(at.err(
                ci.pos,
                "with a breakdown, `ci` maps each member to its intervals",
            ));
        }
    }
}

/// `moe`: one margin of error in points, or one per member.
fn read_moe(
    moe: &crate::load::schema::Located<Json>,
    out: &mut Indicator,
    at: &At<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let percent = out.is_percent();
    let clamp = |lo: f64, hi: f64| {
        if percent {
            (lo.max(0.0), hi.min(100.0))
        } else {
            (lo, hi)
        }
    };
    let per_member: Option<&serde_json::Map<String, Json>> = moe.value.as_object();
    for row in &mut out.rows {
        let m = match (&moe.value, per_member, &row.member) {
            (Json::Number(x), _, _) => x.as_f64(),
            (_, Some(map), Some(member)) => map.get(member).and_then(Json::as_f64),
            _ => None,
        };
        if let Some(m) = m {
            for (v, c) in row.values.iter().zip(&mut row.cells) {
                c.ci = v.map(|v| clamp(v - m, v + m));
            }
        }
    }
    if let Some(map) = per_member {
        for k in map.keys() {
            if !out.rows.iter().any(|r| r.member.as_deref() == Some(k)) {
                diags.push(at.err(
                    key_line(at.text, moe.pos.line, k),
                    format!("`moe` names unknown member `{k}`"),
                ));
            }
        }
    } else if !moe.value.is_number() {
        diags.push(at.err(
            moe.pos,
            "`moe` must be a number (points) or a map member → number",
        ));
    }
}

fn read_values(
    value: &Json,
    pos: Position,
    out: &mut Indicator,
    columns: &[String],
    at: &At<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let number = |v: &Json, at_pos: Position, diags: &mut Vec<Diagnostic>| -> Option<f64> {
        match v {
            Json::Null => None,
            Json::Number(n) => n.as_f64(),
            other => {
                diags.push(at.err(
                    at_pos,
                    format!("expected a number or null, found `{other}`"),
                ));
                None
            }
        }
    };
    let read_cells = |v: &Json, row: &mut Row, line: usize, diags: &mut Vec<Diagnostic>| {
        if columns.len() == 1 && columns[0].is_empty() {
            row.values[0] = number(v, Position::new(line, 1), diags);
            return;
        }
        let Json::Object(map) = v else {
            diags.push(at.err(
                Position::new(line, 1),
                format!("expected a map option → number, found `{v}`"),
            ));
            return;
        };
        for (k, cell) in map {
            match columns.iter().position(|c| c == k) {
                Some(i) => row.values[i] = number(cell, key_line(at.text, line, k), diags),
                None => {
                    let mut d = at.err(key_line(at.text, line, k), format!("unknown option `{k}`"));
                    d.hint = did_you_mean(k, columns.iter().map(String::as_str))
                        .or_else(|| Some(format!("the options are: {}", columns.join(", "))));
                    diags.push(d);
                }
            }
        }
    };
    match out.breakdowns.first() {
        None => read_cells(value, &mut out.rows[0], pos.line, diags),
        Some(dim) => {
            let Json::Object(map) = value else {
                diags.push(at.err(
                    pos,
                    "with a breakdown, `values` maps each member to its values",
                ));
                return;
            };
            for (member, cells) in map {
                let member_at = key_line(at.text, pos.line, member);
                match out
                    .rows
                    .iter_mut()
                    .find(|r| r.member.as_deref() == Some(member.as_str()))
                {
                    Some(row) => read_cells(cells, row, member_at.line, diags),
                    None => {
                        let mut d = at.err(
                            member_at,
                            format!("unknown member `{member}` of dimension `{}`", dim.id),
                        );
                        d.hint = did_you_mean(member, dim.members.iter().map(|m| m.id.as_str()))
                            .or_else(|| {
                                Some(format!(
                                    "members are defined in data/dimensions.yaml under `{}`",
                                    dim.id
                                ))
                            });
                        diags.push(d);
                    }
                }
            }
        }
    }
}

/// The answer columns of `resp` for the indicator's kind.
fn answer_mode<'a>(
    ind: &IndicatorFile,
    resp: &'a ResponsesFile,
    at: &At<'_>,
) -> Result<Answer<'a>, Diagnostic> {
    let pos = resp.file.pos;
    let column = resp.column.as_ref().map(|c| c.value.as_str());
    let kind = ind.kind.as_str();
    match ind.kind {
        IndicatorKind::Value => Err(at
            .err(pos, "an indicator of kind value cannot aggregate `responses`")
            .with_hint("a number per respondent is `kind: numeric`")),
        IndicatorKind::Multi => match (column, &resp.columns, &resp.separator) {
            (Some(c), None, Some(sep)) => Ok(Answer::Split(c, sep.as_str())),
            (Some(_), None, None) => Err(at
                .err(pos, "a multi-select answer in one `column` needs its `separator`")
                .with_hint("e.g. `separator: \" \"` for KoboToolbox's `financement reseaux`; or give one 0/1 column per option with `columns`")),
            (None, Some(cols), None) => {
                let mut out = Vec::new();
                for o in &ind.options {
                    match cols.value.get(&o.id.value) {
                        Some(c) => out.push(c.as_str()),
                        None => {
                            return Err(at.err(cols.pos, format!("`columns` has no column for option `{}`", o.id.value)));
                        }
                    }
                }
                if let Some(k) = cols.value.keys().find(|k| !ind.options.iter().any(|o| &o.id.value == *k)) {
                    return Err(at.err(key_line(at.text, cols.pos.line, k), format!("`columns` names unknown option `{k}`")));
                }
                Ok(Answer::Columns(out))
            }
            (None, None, _) => Err(at.err(pos, "give the answer `column` (with `separator`) or `columns`")),
            _ => Err(at.err(pos, "give `column` with `separator`, or `columns`, not both")),
        },
        _ => {
            if resp.columns.is_some() || resp.separator.is_some() {
                return Err(at.err(
                    pos,
                    format!("`columns` and `separator` are for several answers (`kind: multi`), not kind {kind}"),
                ));
            }
            let Some(c) = column else {
                return Err(at.err(pos, "`responses` needs the answer `column`"));
            };
            Ok(if ind.kind == IndicatorKind::Numeric {
                Answer::Number(c)
            } else {
                Answer::Single(c)
            })
        }
    }
}

/// The CSV column of each breakdown.
fn breakdown_columns<'a>(
    resp: &'a ResponsesFile,
    out: &Indicator,
    at: &At<'_>,
) -> Result<Vec<&'a str>, Diagnostic> {
    let pos = resp.file.pos;
    match (&resp.breakdown_column, &resp.breakdown_columns) {
        (Some(_), Some(cols)) => Err(at.err(
            cols.pos,
            "give `breakdown_column` or `breakdown_columns`, not both",
        )),
        _ if out.breakdowns.is_empty()
            && (resp.breakdown_column.is_some() || resp.breakdown_columns.is_some()) =>
        {
            Err(at.err(
                pos,
                "breakdown columns are given but the indicator has no `breakdown`",
            ))
        }
        (Some(c), None) if out.breakdowns.len() == 1 => Ok(vec![c.as_str()]),
        (Some(_), None) => Err(at
            .err(
                pos,
                "with several breakdowns, name each one's column in `breakdown_columns`",
            )
            .with_hint(format!(
                "breakdown_columns: {{{}}}",
                out.breakdowns
                    .iter()
                    .map(|d| format!("{}: <column>", d.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        (None, Some(cols)) => {
            if let Some(k) = cols.value.keys().find(|k| out.breakdown_index(k).is_none()) {
                return Err(at.err(
                    key_line(at.text, cols.pos.line, k),
                    format!(
                        "`breakdown_columns` names `{k}`, which is not a breakdown of the indicator"
                    ),
                ));
            }
            out.breakdowns
                .iter()
                .map(|d| {
                    cols.value.get(&d.id).map(String::as_str).ok_or_else(|| {
                        at.err(
                            cols.pos,
                            format!("`breakdown_columns` has no column for breakdown `{}`", d.id),
                        )
                    })
                })
                .collect()
        }
        (None, None) if out.breakdowns.is_empty() => Ok(Vec::new()),
        (None, None) => Err(at.err(
            pos,
            format!(
                "`responses` needs the column of breakdown `{}` (`breakdown_column`)",
                out.breakdowns[0].id
            ),
        )),
    }
}

fn delimiter(resp: &ResponsesFile, at: &At<'_>) -> Result<Option<u8>, Diagnostic> {
    let Some(d) = &resp.delimiter else {
        return Ok(None);
    };
    match d.value.as_str() {
        "," => Ok(Some(b',')),
        ";" => Ok(Some(b';')),
        "\t" | "tab" => Ok(Some(b'\t')),
        other => Err(at
            .err(
                d.pos,
                format!("delimiter `{other}` is not `,`, `;` or a tab"),
            )
            .with_hint("write `delimiter: \";\"`, or leave it out to detect it from the header")),
    }
}

/// Aggregates the responses CSV that `resp` names into `out`'s rows and crosstabs.
fn read_responses<'a>(
    ctx: &Ctx<'a>,
    ind: &'a IndicatorFile,
    resp: &'a ResponsesFile,
    out: &mut Indicator,
    diags: &mut Vec<Diagnostic>,
) -> Option<Request<'a>> {
    let (ed, src) = (ctx.ed, ctx.src);
    let at = At {
        file: &src.file,
        text: &src.text,
    };
    let name = resp.file.value.as_str();
    let declared = format!(
        "declared in {} line {}",
        crate::error::display_path(&src.file),
        resp.file.pos.line
    );
    if !name.ends_with(".csv") || !is_valid_id(name.trim_end_matches(".csv")) {
        diags.push(at.err(
            resp.file.pos,
            format!("responses file `{name}` must be a `<name>.csv` of the edition's data/ folder"),
        ));
        return None;
    }
    let Some(table_index) = ed.tables.iter().position(|t| t.name == name) else {
        let mut d = at.err(
            resp.file.pos,
            format!(
                "responses file `{name}`: no such file in `{}`",
                crate::error::display_path(&ed.dir.join("data"))
            ),
        );
        d.hint = did_you_mean(name, ed.tables.iter().map(|t| t.name.as_str()));
        diags.push(d);
        return None;
    };
    // A survey tool's export is often not UTF-8: say so before any answer looks unknown.
    let table = &ed.tables[table_index];
    if let Some(valid) = ctx.utf8[table_index] {
        let mut d = crate::load::files::not_utf8(&table.file, &table.bytes, valid);
        d.hint = Some(match d.hint {
            Some(h) => format!("{h} ({declared})"),
            None => declared,
        });
        diags.push(d);
        return None;
    }
    for ex in &resp.exclude {
        match out.options.iter().position(|o| o.id == ex.value) {
            Some(i) => out.excluded[i] = true,
            None => {
                let mut d = at.err(
                    ex.pos,
                    format!("`exclude` names unknown option `{}`", ex.value),
                );
                d.hint = did_you_mean(&ex.value, out.options.iter().map(|o| o.id.as_str()));
                diags.push(d);
            }
        }
    }
    for (raw, id) in &resp.breakdown_answers {
        if !out
            .breakdowns
            .iter()
            .any(|d| d.members.iter().any(|m| &m.id == id))
        {
            diags.push(at.err(
                key_line(at.text, resp.file.pos.line, raw),
                format!("`breakdown_answers` maps `{raw}` to `{id}`, which is no member of the indicator's breakdowns"),
            ));
        }
    }
    let setup = (|| {
        Ok::<_, Diagnostic>((
            answer_mode(ind, resp, &at)?,
            breakdown_columns(resp, out, &at)?,
            delimiter(resp, &at)?,
        ))
    })();
    let (answer, bcols, delim) = match setup {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    if !diags.is_empty() {
        return None;
    }
    let options: Vec<&str> = out.options.iter().map(|o| o.id.as_str()).collect();
    let codebook = codebook(name, resp, &answer, &bcols, &options);
    Some(Request {
        table: table_index,
        resp,
        answer,
        breakdown_columns: bcols,
        delimiter: delim,
        codebook,
        declared,
    })
}

/// Sums the responses of every request, in as few reads of each file as there are threads.
fn aggregate_requests(
    ed: &EditionSource,
    inds: &[Indicator],
    requests: &[(usize, Request<'_>)],
) -> Vec<Result<Aggregation, CsvError>> {
    use rayon::prelude::*;
    // What each spec borrows.
    let member_ids: Vec<Vec<Vec<&str>>> = requests
        .iter()
        .map(|(i, _)| {
            inds[*i]
                .breakdowns
                .iter()
                .map(|d| d.members.iter().map(|m| m.id.as_str()).collect())
                .collect()
        })
        .collect();
    let breakdowns: Vec<Vec<Breakdown<'_>>> = requests
        .iter()
        .zip(&member_ids)
        .map(|((i, r), ids)| {
            inds[*i]
                .breakdowns
                .iter()
                .zip(&r.breakdown_columns)
                .zip(ids)
                .map(|((d, c), m)| Breakdown {
                    dimension: &d.id,
                    column: c,
                    members: m,
                })
                .collect()
        })
        .collect();
    let options: Vec<Vec<&str>> = requests
        .iter()
        .map(|(i, _)| inds[*i].options.iter().map(|o| o.id.as_str()).collect())
        .collect();
    let specs: Vec<Spec<'_>> = requests
        .iter()
        .enumerate()
        .map(|(k, (i, r))| Spec {
            answer: r.answer.clone(),
            breakdowns: &breakdowns[k],
            weight_column: r.resp.weight_column.as_deref(),
            options: &options[k],
            excluded: &inds[*i].excluded,
            answers: &r.resp.answers,
            breakdown_answers: &r.resp.breakdown_answers,
            missing: &r.resp.missing,
            delimiter: r.delimiter,
            crosstabs: breakdowns[k].len() > 1,
        })
        .collect();
    // Requests by file and delimiter, each group cut in one chunk per thread.
    let mut groups: std::collections::BTreeMap<Read, Vec<usize>> = Default::default();
    for (k, (_, r)) in requests.iter().enumerate() {
        groups.entry((r.table, r.delimiter)).or_default().push(k);
    }
    let threads = rayon::current_num_threads().max(1);
    let chunks: Vec<(Read, &[usize])> = groups
        .iter()
        .flat_map(|(key, ks)| {
            let size = ks.len().div_ceil(threads).max(1);
            ks.chunks(size).map(move |c| (*key, c))
        })
        .collect();
    let done: Vec<Vec<(usize, Result<Aggregation, CsvError>)>> = chunks
        .par_iter()
        .map(|((table, delimiter), ks)| {
            let chunk: Vec<&Spec<'_>> = ks.iter().map(|&k| &specs[k]).collect();
            let results = aggregate_all(&ed.tables[*table].bytes, *delimiter, &chunk);
            ks.iter().copied().zip(results).collect()
        })
        .collect();
    let mut out: Vec<Option<Result<Aggregation, CsvError>>> =
        requests.iter().map(|_| None).collect();
    for (k, r) in done.into_iter().flatten() {
        out[k] = Some(r);
    }
    out.into_iter()
        .map(|r| r.unwrap_or_else(|| Err(CsvError::at(1, 1, "not aggregated".into()))))
        .collect()
}

/// A problem in a responses CSV, located in it, with where the indicator names the file.
fn csv_diagnostic(table: &crate::load::TableSource, e: CsvError, declared: String) -> Diagnostic {
    let csv_text = String::from_utf8_lossy(&table.bytes);
    let mut d = Diagnostic::at(
        &table.file,
        &csv_text,
        Position::new(e.line, e.column),
        e.message,
    );
    d.hint = Some(match e.hint {
        Some(h) => format!("{h} ({declared})"),
        None => declared,
    });
    d
}

/// Where an aggregated indicator's figures come from, for the open data's codebook.
fn codebook(
    name: &str,
    resp: &ResponsesFile,
    answer: &Answer<'_>,
    bcols: &[&str],
    options: &[&str],
) -> Codebook {
    Codebook {
        file: name.to_string(),
        columns: match answer {
            Answer::Single(c) | Answer::Split(c, _) | Answer::Number(c) => vec![c.to_string()],
            Answer::Columns(cs) => cs.iter().map(|c| c.to_string()).collect(),
        },
        codes: options
            .iter()
            .map(|o| {
                resp.answers
                    .iter()
                    .filter(|(_, to)| to.as_str() == *o)
                    .map(|(raw, _)| raw.clone())
                    .collect()
            })
            .collect(),
        missing: resp.missing.clone(),
        separator: resp.separator.clone(),
        weight_column: resp.weight_column.clone(),
        breakdown_columns: bcols.iter().map(|c| c.to_string()).collect(),
    }
}

/// The rows and crosstabs of an indicator from the sums of its responses.
fn fill(out: &mut Indicator, agg: &Aggregation, s: &Statistics) {
    let mut rows = vec![row_of(out, &agg.total, None, None, s)];
    for (d, groups) in agg.by.iter().enumerate() {
        for (m, g) in groups.iter().enumerate() {
            let id = out.breakdowns[d].members[m].id.clone();
            rows.push(row_of(out, g, Some(d), Some(id), s));
        }
    }
    out.n = Some(agg.total.base.n);
    let mut crosstabs = Vec::new();
    for ((a, b), groups) in &agg.crosstabs {
        let nb = out.breakdowns[*b].members.len();
        let mut xrows = Vec::new();
        for (i, g) in groups.iter().enumerate() {
            let ma = out.breakdowns[*a].members[i / nb].id.clone();
            let mut r = row_of(out, g, Some(*a), Some(ma), s);
            r.member2 = Some(out.breakdowns[*b].members[i % nb].id.clone());
            xrows.push(r);
        }
        crosstabs.push(Crosstab {
            dims: (*a, *b),
            rows: xrows,
        });
    }
    out.rows = rows;
    out.crosstabs = crosstabs;
}

/// The published row of one group: value, interval, n, n_eff and flag per column.
fn row_of(
    ind: &Indicator,
    g: &Group,
    dimension: Option<usize>,
    member: Option<String>,
    s: &Statistics,
) -> Row {
    let columns = ind.columns().len();
    let mut row = Row::new(dimension, member, columns);
    let weighted = ind.weighted;
    let z = stats::z_of(s.confidence);
    let eff = |sums: &Sums| weighted.then(|| sums.n_eff());
    row.missing = Some(g.missing);
    if ind.kind == IndicatorKind::Numeric {
        let mut sums = Sums::default();
        for &(_, w) in &g.values {
            sums.add(w);
        }
        row.n = Some(sums.n);
        row.n_eff = eff(&sums);
        let flag = Flag::of(Some(sums.n), s);
        row.flag = flag;
        let mean = stats::mean_ci(&g.values, s.confidence);
        let q = |p: f64| stats::weighted_quantile(&g.values, p);
        let values = [mean.map(|m| m.0), q(0.5), q(0.25), q(0.75)];
        for (c, v) in values.into_iter().enumerate() {
            row.cells[c] = Cell {
                ci: if c == 0 { mean.and_then(|m| m.1) } else { None },
                n: Some(sums.n),
                n_eff: eff(&sums),
                flag,
            };
            row.values[c] = v;
        }
        debug_assert_eq!(NUMERIC_COLUMNS.len(), values.len());
    } else {
        row.n = Some(g.base.n);
        row.n_eff = eff(&g.base);
        row.flag = Flag::of(Some(g.base.n), s);
        for c in 0..columns {
            let base = if ind.excluded[c] {
                &g.answered
            } else {
                &g.base
            };
            let chose = &g.chose[c];
            let flag = Flag::of(Some(base.n), s);
            let (value, ci) = if ind.kind == IndicatorKind::Count {
                (Some(chose.n as f64), None)
            } else if base.n == 0 || base.w <= 0.0 {
                (None, None)
            } else {
                let p = chose.w / base.w;
                let n = if weighted {
                    base.n_eff()
                } else {
                    base.n as f64
                };
                let (lo, hi) = stats::wilson(p, n, z);
                (Some(p * 100.0), Some((lo * 100.0, hi * 100.0)))
            };
            row.values[c] = value;
            row.cells[c] = Cell {
                ci,
                n: Some(base.n),
                n_eff: eff(base),
                flag,
            };
        }
    }
    for (v, c) in row.values.iter_mut().zip(&mut row.cells) {
        if c.flag == Flag::Suppressed {
            *v = None;
            c.ci = None;
        }
    }
    row
}
