//! Survey responses (a CSV export, one row per respondent) aggregated into weighted shares per
//! option and per breakdown member. Rows are streamed: memory does not grow with the file.

use std::collections::BTreeMap;

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
    pub hint: Option<String>,
}

impl CsvError {
    fn at(line: usize, column: usize, message: String) -> Self {
        CsvError {
            line,
            column,
            message,
            hint: None,
        }
    }
}

/// What a header that does not split on commas looks split on, for the hint.
fn other_delimiter(header: &[u8]) -> Option<&'static str> {
    [(b';', "`;`"), (b'\t', "tab")]
        .into_iter()
        .find(|(d, _)| header.contains(d))
        .map(|(_, name)| name)
}

/// Aggregates responses into weighted shares (percent) per option, per breakdown member.
/// An empty answer is a non-response (not counted). Rows are streamed: memory does not grow
/// with the file.
pub fn aggregate<R: std::io::Read>(input: R, spec: &Spec<'_>) -> Result<Aggregation, CsvError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let headers = reader
        .byte_headers()
        .map_err(|e| CsvError::at(1, 1, format!("cannot read the header: {e}")))?
        .clone();
    let find = |name: &str| -> Result<usize, CsvError> {
        headers
            .iter()
            .position(|h| h == name.as_bytes())
            .ok_or_else(|| {
                let columns: Vec<String> = headers
                    .iter()
                    .map(|h| String::from_utf8_lossy(h).into_owned())
                    .collect();
                let mut e = CsvError::at(
                    1,
                    1,
                    format!("no column `{name}` (columns: {})", columns.join(", ")),
                );
                if columns.len() == 1
                    && let Some(d) = other_delimiter(headers.as_slice())
                {
                    e.hint = Some(format!(
                        "the header does not split on commas but holds {d}: the file looks {d}-delimited (as French Excel and KoboToolbox export it); export it with commas"
                    ));
                }
                e
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
            return Err(CsvError::at(
                1,
                answer_col + 1,
                format!("`answers` maps `{raw}` to unknown option `{opt}`"),
            ));
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
                return Err(CsvError::at(
                    e.position().map_or(line + 1, |p| p.line() as usize),
                    1,
                    format!("malformed CSV: {e}"),
                ));
            }
        }
        line = record.position().map_or(line + 1, |p| p.line() as usize);
        let answer = trim(record.get(answer_col).unwrap_or(b""));
        if answer.is_empty() {
            continue;
        }
        let Some(opt) = lookup.iter().find(|(k, _)| k == answer).map(|(_, i)| *i) else {
            return Err(CsvError::at(
                line,
                answer_col + 1,
                format!(
                    "unknown answer `{}` in column `{}`",
                    String::from_utf8_lossy(answer),
                    spec.column
                ),
            ));
        };
        let group = match member_col {
            None => 0,
            Some(c) => {
                let m = trim(record.get(c).unwrap_or(b""));
                match spec.members.iter().position(|x| x.as_bytes() == m) {
                    Some(g) => g,
                    None => {
                        return Err(CsvError::at(
                            line,
                            c + 1,
                            format!(
                                "unknown breakdown member `{}` in column `{}`",
                                String::from_utf8_lossy(m),
                                spec.breakdown_column.unwrap_or("")
                            ),
                        ));
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
                        return Err(CsvError::at(
                            line,
                            c + 1,
                            format!(
                                "weight `{}` is not a non-negative number",
                                String::from_utf8_lossy(raw)
                            ),
                        ));
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
}
