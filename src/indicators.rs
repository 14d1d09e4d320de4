//! Indicators: the typed, validated model of `data/dimensions.yaml` and `data/indicators.yaml`,
//! and the aggregation of raw survey responses (CSV) into shares per option and per breakdown
//! member. Part of the model stage: every problem is a located diagnostic.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::error::{Diagnostic, Position, did_you_mean};
use crate::load::schema::{ChartType, IndicatorFile, IndicatorKind, MemberFile, Text};
use crate::load::{EditionSource, Source};

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

    pub fn has_values(&self) -> bool {
        self.rows
            .iter()
            .any(|r| r.values.iter().any(Option::is_some))
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

/// The line where `key:` appears as a mapping key at or after `from` (1-based), for errors
/// about entries of a free-shaped map (serde gives the position of the map, not of its keys).
fn key_line(text: &str, from: usize, key: &str) -> Position {
    for (i, line) in text.lines().enumerate().skip(from.saturating_sub(1)) {
        let trimmed = line.trim_start();
        let plain = trimmed.strip_prefix('"').unwrap_or(trimmed);
        if plain.starts_with(key) && plain[key.len()..].trim_start_matches('"').starts_with(':') {
            return Position::new(i + 1, line.len() - trimmed.len() + 1);
        }
        // Also a key inside a flow map on the line: `{oui: 18, non: 82}`.
        if let Some(col) = line.find(&format!("{key}:"))
            && (col == 0 || matches!(line.as_bytes()[col - 1], b' ' | b'{' | b','))
        {
            return Position::new(i + 1, col + 1);
        }
    }
    Position::new(from, 1)
}

/// Builds the dimensions and indicators of one edition. `root` is the project folder (for
/// response files), `tolerance` the allowed distance of a share group from 100.
pub fn build(
    root: &Path,
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
            match build_one(root, ed, src, ind, &dims, edition, tolerance) {
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
        if !crate::validate::is_valid_id(&m.id.value) {
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
    root: &Path,
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
    if !crate::validate::is_valid_id(&ind.id.value) {
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
            let csv_rel = ed.dir.join("data").join(&resp.file.value);
            if !crate::validate::is_valid_id(resp.file.value.trim_end_matches(".csv"))
                || !resp.file.value.ends_with(".csv")
            {
                diags.push(err(
                    resp.file.pos,
                    format!(
                        "responses file `{}` must be a `<name>.csv` of the edition's data/ folder",
                        resp.file.value
                    ),
                ));
            } else {
                match crate::load::inside_root(root, &csv_rel).and_then(|p| {
                    std::fs::File::open(&p)
                        .map_err(|e| Diagnostic::file(&csv_rel, format!("cannot open: {e}")))
                }) {
                    Err(mut d) => {
                        d.file = file.clone();
                        d.pos = resp.file.pos;
                        d.snippet =
                            crate::error::line_of(text, resp.file.pos.line).map(str::to_string);
                        d.message =
                            format!("responses file `{}`: {}", csv_rel.display(), d.message);
                        diags.push(d);
                    }
                    Ok(f) => {
                        let spec = Spec {
                            column: &resp.column,
                            breakdown_column: resp.breakdown_column.as_deref(),
                            weight_column: resp.weight_column.as_deref(),
                            options: &columns,
                            members: &row_keys.iter().flatten().copied().collect::<Vec<_>>(),
                            answers: &resp.answers,
                        };
                        match aggregate(std::io::BufReader::new(f), &spec) {
                            Ok(agg) => {
                                aggregated = true;
                                n_total = Some(agg.n_total);
                                for (row, a) in rows.iter_mut().zip(agg.rows) {
                                    row.values = a.shares.into_iter().map(Some).collect();
                                    row.n = Some(a.n);
                                }
                                if breakdown.is_none()
                                    && let Some(r) = rows.first_mut()
                                {
                                    r.n = Some(agg.n_total);
                                }
                            }
                            Err(e) => diags.push(
                                Diagnostic::at(
                                    &csv_rel,
                                    "",
                                    Position::new(e.line, e.column),
                                    e.message,
                                )
                                .with_hint(format!(
                                    "declared in {} line {}",
                                    crate::error::display_path(file),
                                    resp.file.pos.line
                                )),
                            ),
                        }
                    }
                }
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

/// What to aggregate from a responses CSV.
pub struct Spec<'a> {
    pub column: &'a str,
    pub breakdown_column: Option<&'a str>,
    pub weight_column: Option<&'a str>,
    /// Option ids, in order.
    pub options: &'a [&'a str],
    /// Breakdown member ids, in order (empty without breakdown).
    pub members: &'a [&'a str],
    /// Raw answer → option id.
    pub answers: &'a BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Aggregated {
    pub shares: Vec<f64>,
    /// Respondents who answered.
    pub n: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Aggregation {
    /// One per member, or a single one without breakdown.
    pub rows: Vec<Aggregated>,
    pub n_total: u64,
}

/// A problem in a CSV: 1-based line (the header is line 1) and column.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Aggregates responses into weighted shares (percent) per option, per breakdown member.
/// An empty answer is a non-response (not counted). Rows are streamed: memory does not grow
/// with the file.
pub fn aggregate<R: std::io::Read>(input: R, spec: &Spec<'_>) -> Result<Aggregation, CsvError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let headers = reader
        .byte_headers()
        .map_err(|e| CsvError {
            line: 1,
            column: 1,
            message: format!("cannot read the header: {e}"),
        })?
        .clone();
    let find = |name: &str| -> Result<usize, CsvError> {
        headers
            .iter()
            .position(|h| h == name.as_bytes())
            .ok_or_else(|| CsvError {
                line: 1,
                column: 1,
                message: format!(
                    "no column `{name}` (columns: {})",
                    headers
                        .iter()
                        .map(|h| String::from_utf8_lossy(h).into_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
    };
    let answer_col = find(spec.column)?;
    let member_col = spec.breakdown_column.map(find).transpose()?;
    let weight_col = spec.weight_column.map(find).transpose()?;
    // Raw answer bytes → option index; few options, so a linear scan beats hashing.
    let mut lookup: Vec<(Vec<u8>, usize)> = Vec::new();
    for (i, o) in spec.options.iter().enumerate() {
        lookup.push((o.as_bytes().to_vec(), i));
    }
    for (raw, opt) in spec.answers {
        if let Some(i) = spec.options.iter().position(|o| o == opt) {
            lookup.push((raw.as_bytes().to_vec(), i));
        } else {
            return Err(CsvError {
                line: 1,
                column: answer_col + 1,
                message: format!("`answers` maps `{raw}` to unknown option `{opt}`"),
            });
        }
    }
    let groups = spec.members.len().max(1);
    let mut weights = vec![vec![0f64; spec.options.len()]; groups];
    let mut counts = vec![0u64; groups];
    let mut record = csv::ByteRecord::new();
    let mut line = 1;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(CsvError {
                    line: e.position().map_or(line + 1, |p| p.line() as usize),
                    column: 1,
                    message: format!("malformed CSV: {e}"),
                });
            }
        }
        line = record.position().map_or(line + 1, |p| p.line() as usize);
        let answer = trim(record.get(answer_col).unwrap_or(b""));
        if answer.is_empty() {
            continue;
        }
        let Some(opt) = lookup.iter().find(|(k, _)| k == answer).map(|(_, i)| *i) else {
            return Err(CsvError {
                line,
                column: answer_col + 1,
                message: format!(
                    "unknown answer `{}` in column `{}`",
                    String::from_utf8_lossy(answer),
                    spec.column
                ),
            });
        };
        let group = match member_col {
            None => 0,
            Some(c) => {
                let m = trim(record.get(c).unwrap_or(b""));
                match spec.members.iter().position(|x| x.as_bytes() == m) {
                    Some(g) => g,
                    None => {
                        return Err(CsvError {
                            line,
                            column: c + 1,
                            message: format!(
                                "unknown breakdown member `{}` in column `{}`",
                                String::from_utf8_lossy(m),
                                spec.breakdown_column.unwrap_or("")
                            ),
                        });
                    }
                }
            }
        };
        let weight = match weight_col {
            None => 1.0,
            Some(c) => {
                let raw = trim(record.get(c).unwrap_or(b""));
                match std::str::from_utf8(raw)
                    .ok()
                    .and_then(|s| s.parse::<f64>().ok())
                {
                    Some(w) if w.is_finite() && w >= 0.0 => w,
                    _ => {
                        return Err(CsvError {
                            line,
                            column: c + 1,
                            message: format!(
                                "weight `{}` is not a non-negative number",
                                String::from_utf8_lossy(raw)
                            ),
                        });
                    }
                }
            }
        };
        weights[group][opt] += weight;
        counts[group] += 1;
    }
    let rows = weights
        .iter()
        .zip(&counts)
        .map(|(w, &n)| {
            let total: f64 = w.iter().sum();
            Aggregated {
                shares: w
                    .iter()
                    .map(|x| if total > 0.0 { x * 100.0 / total } else { 0.0 })
                    .collect(),
                n,
            }
        })
        .collect();
    Ok(Aggregation {
        rows,
        n_total: counts.iter().sum(),
    })
}

fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec<'a>(answers: &'a BTreeMap<String, String>, weight: Option<&'a str>) -> Spec<'a> {
        Spec {
            column: "q1",
            breakdown_column: Some("region"),
            weight_column: weight,
            options: &["oui", "non"],
            members: &["nord", "sud"],
            answers,
        }
    }

    const CSV: &str = "id,region,q1,poids\n1,nord,Oui,1\n2,nord,Non,3\n3,nord,Oui,1\n4,sud,Non,2\n5,sud,,1\n6,sud,Oui,2\n";

    #[test]
    fn shares_by_hand_without_weights() {
        let answers = BTreeMap::from([("Oui".into(), "oui".into()), ("Non".into(), "non".into())]);
        let a = aggregate(CSV.as_bytes(), &spec(&answers, None)).unwrap();
        // nord: 2 oui, 1 non → 66.67 / 33.33; sud: 1 oui, 1 non (one non-response) → 50 / 50.
        assert!((a.rows[0].shares[0] - 200.0 / 3.0).abs() < 1e-9);
        assert!((a.rows[0].shares[1] - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(a.rows[0].n, 3);
        assert_eq!(a.rows[1].shares, vec![50.0, 50.0]);
        assert_eq!(a.rows[1].n, 2);
        assert_eq!(a.n_total, 5);
    }

    #[test]
    fn shares_by_hand_with_weights() {
        let answers = BTreeMap::from([("Oui".into(), "oui".into()), ("Non".into(), "non".into())]);
        let a = aggregate(CSV.as_bytes(), &spec(&answers, Some("poids"))).unwrap();
        // nord: oui 1+1 = 2, non 3 → 40 / 60; sud: oui 2, non 2 → 50 / 50.
        assert!((a.rows[0].shares[0] - 40.0).abs() < 1e-9);
        assert!((a.rows[0].shares[1] - 60.0).abs() < 1e-9);
        assert_eq!(a.rows[1].shares, vec![50.0, 50.0]);
        assert_eq!(a.rows[0].n, 3, "n counts respondents, not weights");
    }

    #[test]
    fn unknown_answer_names_row_and_column() {
        let answers = BTreeMap::from([("Oui".into(), "oui".into())]);
        let e = aggregate(CSV.as_bytes(), &spec(&answers, None)).unwrap_err();
        assert_eq!((e.line, e.column), (3, 3), "{e:?}");
        assert!(
            e.message.contains("unknown answer `Non` in column `q1`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn bad_weight_and_member_are_located() {
        let answers = BTreeMap::from([("Oui".into(), "oui".into()), ("Non".into(), "non".into())]);
        let csv = "region,q1,poids\nnord,Oui,x\n";
        let e = aggregate(csv.as_bytes(), &spec(&answers, Some("poids"))).unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
        let csv = "region,q1\nest,Oui\n";
        let e = aggregate(csv.as_bytes(), &spec(&answers, None)).unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("`est`"));
    }

    #[test]
    fn key_lines_find_block_and_flow_keys() {
        let text = "values:\n  oujda: {oui: 18, non: 82}\n  safi:\n    oui: 1\n";
        assert_eq!(key_line(text, 1, "oujda").line, 2);
        assert_eq!(key_line(text, 1, "non"), Position::new(2, 20));
        assert_eq!(key_line(text, 3, "oui").line, 4);
    }
}
