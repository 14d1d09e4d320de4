//! From `dimensions.yaml` and `indicators.yaml` to [`Indicator`]s: ids, options, breakdowns,
//! values or aggregated responses, and `n`, each problem located in its file.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value as Json;

use super::aggregate::{Spec, aggregate};
use super::keys::key_line;
use super::{Dimension, Indicator, Row, members};
use crate::error::{Diagnostic, Position, did_you_mean};
use crate::load::schema::{ChartType, IndicatorFile, IndicatorKind, MemberFile};
use crate::load::{EditionSource, Source};
use crate::syntax::is_valid_id;

/// Builds the dimensions and indicators of one edition. `tolerance` is the allowed distance of
/// a share group from 100.
pub(crate) fn build(
    ed: &EditionSource,
    edition: usize,
    tolerance: f64,
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
            match build_one(ed, src, ind, &dims, edition, tolerance) {
                Ok(i) => out.push(i),
                Err(mut d) => diags.append(&mut d),
            }
        }
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

fn build_one(
    ed: &EditionSource,
    src: &Source<Vec<IndicatorFile>>,
    ind: &IndicatorFile,
    dims: &[Dimension],
    edition: usize,
    tolerance: f64,
) -> Result<Indicator, Vec<Diagnostic>> {
    let (file, text) = (&src.file, src.text.as_str());
    let err = |pos: Position, msg: String| Diagnostic::at(file, text, pos, msg);
    let mut diags = Vec::new();
    if !is_valid_id(&ind.id.value) {
        diags.push(err(
            ind.id.pos,
            format!(
                "indicator id `{}` must use only a-z, 0-9 and `-`",
                ind.id.value
            ),
        ));
    }
    check_ids(&ind.options, file, text, "option", &mut diags);
    if ind.kind != IndicatorKind::Value && ind.options.is_empty() {
        diags.push(err(
            ind.id.pos,
            format!(
                "indicator `{}` of kind share or count needs `options`",
                ind.id.value
            ),
        ));
    }
    let breakdown = match &ind.breakdown {
        None => None,
        Some(b) => match dims.iter().find(|d| d.id == b.value) {
            Some(d) => Some(d.clone()),
            None => {
                let mut d = err(b.pos, format!("unknown dimension `{}`", b.value));
                d.hint = did_you_mean(&b.value, dims.iter().map(|d| d.id.as_str())).or_else(|| {
                    Some("dimensions are defined in data/dimensions.yaml of the edition".into())
                });
                diags.push(d);
                None
            }
        },
    };
    if !diags.is_empty() {
        return Err(diags);
    }
    let options = members(&ind.options);
    let columns: Vec<&str> = if options.is_empty() {
        vec![""]
    } else {
        options.iter().map(|o| o.id.as_str()).collect()
    };
    let row_keys: Vec<Option<&str>> = match &breakdown {
        Some(d) => d.members.iter().map(|m| Some(m.id.as_str())).collect(),
        None => vec![None],
    };
    let mut rows: Vec<Row> = row_keys
        .iter()
        .map(|m| Row {
            member: m.map(str::to_string),
            values: vec![None; columns.len()],
            n: None,
        })
        .collect();
    let mut n_total = None;
    let mut aggregated = false;

    match (&ind.values, &ind.responses) {
        (Some(v), Some(r)) => {
            diags.push(
                err(
                    r.file.pos,
                    "give either `values` or `responses`, not both".into(),
                )
                .with_hint(format!("`values` starts on line {}", v.pos.line)),
            );
        }
        (Some(values), None) => {
            read_values(
                &values.value,
                values.pos,
                &breakdown,
                &columns,
                &mut rows,
                file,
                text,
                &mut diags,
            );
        }
        (None, Some(resp)) => {
            if let Some(total) = read_responses(ed, src, resp, &columns, &mut rows, &mut diags) {
                aggregated = true;
                n_total = Some(total);
            }
        }
        (None, None) => {}
    }

    // n: a number, or per member.
    if let Some(n) = &ind.n {
        match &n.value {
            Json::Null => {}
            Json::Number(x) => n_total = x.as_u64().or(n_total),
            Json::Object(map) => {
                for (k, v) in map {
                    match rows
                        .iter_mut()
                        .find(|r| r.member.as_deref() == Some(k.as_str()))
                    {
                        Some(r) => r.n = v.as_u64(),
                        None => diags.push(err(
                            key_line(text, n.pos.line, k),
                            format!("`n` names unknown member `{k}`"),
                        )),
                    }
                }
            }
            _ => diags.push(err(
                n.pos,
                "`n` must be a whole number, a map member → number, or null".into(),
            )),
        }
    }

    // Respondents in all: the sum over the members when each is known (they partition the
    // sample).
    if n_total.is_none() && breakdown.is_some() && rows.iter().all(|r| r.n.is_some()) {
        n_total = Some(rows.iter().filter_map(|r| r.n).sum());
    }

    // Shares of a complete group add up to 100.
    if ind.kind == IndicatorKind::Share && !aggregated {
        for row in &rows {
            if row.values.iter().all(Option::is_some) {
                let sum: f64 = row.values.iter().flatten().sum();
                if (sum - 100.0).abs() > tolerance {
                    let what = row.member.as_deref().unwrap_or("values");
                    let pos = ind
                        .values
                        .as_ref()
                        .map_or(ind.id.pos, |v| key_line(text, v.pos.line, what));
                    diags.push(
                        err(pos, format!("shares of `{what}` add up to {sum}, not 100"))
                            .with_hint(format!("allowed distance: {tolerance} (site.yaml `indicators.share_tolerance`)")),
                    );
                }
            }
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let chart = ind.chart.unwrap_or(match (&breakdown, ind.kind) {
        (Some(_), IndicatorKind::Share) => ChartType::StackedBar,
        (None, IndicatorKind::Share) => ChartType::HorizontalBar,
        _ => ChartType::Bar,
    });
    Ok(Indicator {
        id: ind.id.value.clone(),
        edition,
        file: file.clone(),
        question: ind.question.clone(),
        kind: ind.kind,
        unit: ind.unit.clone(),
        options,
        breakdown,
        rows,
        n: n_total,
        source: ind.source.clone(),
        note: ind.note.clone(),
        chart,
        aggregated,
    })
}

#[allow(clippy::too_many_arguments)]
fn read_values(
    value: &Json,
    pos: Position,
    breakdown: &Option<Dimension>,
    columns: &[&str],
    rows: &mut [Row],
    file: &Path,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let err = |pos: Position, msg: String| Diagnostic::at(file, text, pos, msg);
    let number = |v: &Json, at: Position, diags: &mut Vec<Diagnostic>| -> Option<f64> {
        match v {
            Json::Null => None,
            Json::Number(n) => n.as_f64(),
            other => {
                diags.push(err(
                    at,
                    format!("expected a number or null, found `{other}`"),
                ));
                None
            }
        }
    };
    let read_cells = |v: &Json, row: &mut Row, at: usize, diags: &mut Vec<Diagnostic>| {
        if columns == [""] {
            row.values[0] = number(v, Position::new(at, 1), diags);
            return;
        }
        let Json::Object(map) = v else {
            diags.push(err(
                Position::new(at, 1),
                format!("expected a map option → number, found `{v}`"),
            ));
            return;
        };
        for (k, cell) in map {
            match columns.iter().position(|c| c == k) {
                Some(i) => row.values[i] = number(cell, key_line(text, at, k), diags),
                None => {
                    let mut d = err(key_line(text, at, k), format!("unknown option `{k}`"));
                    d.hint = did_you_mean(k, columns.iter().copied())
                        .or_else(|| Some(format!("the options are: {}", columns.join(", "))));
                    diags.push(d);
                }
            }
        }
    };
    match breakdown {
        None => read_cells(value, &mut rows[0], pos.line, diags),
        Some(dim) => {
            let Json::Object(map) = value else {
                diags.push(err(
                    pos,
                    "with a breakdown, `values` maps each member to its values".into(),
                ));
                return;
            };
            for (member, cells) in map {
                let at = key_line(text, pos.line, member);
                match rows
                    .iter_mut()
                    .find(|r| r.member.as_deref() == Some(member.as_str()))
                {
                    Some(row) => read_cells(cells, row, at.line, diags),
                    None => {
                        let mut d = err(
                            at,
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

/// Aggregates the responses CSV that `resp` names into `rows` (one per member, in order, or a
/// single one); returns the number of respondents, or `None` after reporting why not.
fn read_responses(
    ed: &EditionSource,
    src: &Source<Vec<IndicatorFile>>,
    resp: &crate::load::schema::ResponsesFile,
    columns: &[&str],
    rows: &mut [Row],
    diags: &mut Vec<Diagnostic>,
) -> Option<u64> {
    let (file, text) = (&src.file, src.text.as_str());
    let name = resp.file.value.as_str();
    let declared = format!(
        "declared in {} line {}",
        crate::error::display_path(file),
        resp.file.pos.line
    );
    if !name.ends_with(".csv") || !is_valid_id(name.trim_end_matches(".csv")) {
        diags.push(Diagnostic::at(
            file,
            text,
            resp.file.pos,
            format!("responses file `{name}` must be a `<name>.csv` of the edition's data/ folder"),
        ));
        return None;
    }
    let Some(table) = ed.tables.iter().find(|t| t.name == name) else {
        let mut d = Diagnostic::at(
            file,
            text,
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
    if let Err(e) = std::str::from_utf8(&table.bytes) {
        let mut d = crate::load::files::not_utf8(&table.file, &table.bytes, e.valid_up_to());
        d.hint = Some(match d.hint {
            Some(h) => format!("{h} ({declared})"),
            None => declared,
        });
        diags.push(d);
        return None;
    }
    let members: Vec<&str> = rows.iter().filter_map(|r| r.member.as_deref()).collect();
    let spec = Spec {
        column: &resp.column,
        breakdown_column: resp.breakdown_column.as_deref(),
        weight_column: resp.weight_column.as_deref(),
        options: columns,
        members: &members,
        answers: &resp.answers,
    };
    match aggregate(table.bytes.as_slice(), &spec) {
        Ok(agg) => {
            let single = rows.len() == 1 && rows[0].member.is_none();
            for (row, a) in rows.iter_mut().zip(agg.rows) {
                row.values = a.shares.into_iter().map(Some).collect();
                row.n = Some(a.n);
            }
            if single {
                rows[0].n = Some(agg.n_total);
            }
            Some(agg.n_total)
        }
        Err(e) => {
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
            diags.push(d);
            None
        }
    }
}
