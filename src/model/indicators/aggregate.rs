//! Survey responses (a CSV export, one row per respondent) summed per group of respondents:
//! the whole sample, each member of each breakdown, and each pair of members of two
//! breakdowns (crosstabs). Per group: respondents, non-responses, the base (who answered, out
//! of the excluded options), and per option the respondents who chose it, each with Σw and Σw²;
//! for numeric answers the values with their weights. The statistics are taken from these sums
//! in [`super::define`]. Rows are streamed; memory grows only with numeric answers.

use std::collections::BTreeMap;

use super::stats::Sums;

/// How a respondent's answer is written.
#[derive(Debug, Clone)]
pub enum Answer<'a> {
    /// One column, one option (share, likert, count).
    Single(&'a str),
    /// One column, the chosen options separated by `separator` (multi).
    Split(&'a str, &'a str),
    /// One 0/1 (or yes/no) column per option, in option order (multi).
    Columns(Vec<&'a str>),
    /// One column, a number (numeric).
    Number(&'a str),
}

/// One breakdown: the dimension, the CSV column of its members, its member ids in order.
#[derive(Debug, Clone)]
pub struct Breakdown<'a> {
    pub dimension: &'a str,
    pub column: &'a str,
    pub members: &'a [&'a str],
}

/// What to aggregate from a responses CSV.
pub struct Spec<'a> {
    pub answer: Answer<'a>,
    pub breakdowns: &'a [Breakdown<'a>],
    pub weight_column: Option<&'a str>,
    /// Option ids, in order (empty for numeric answers).
    pub options: &'a [&'a str],
    /// Options kept out of the base (same length as `options`).
    pub excluded: &'a [bool],
    /// Raw answer → option id. With `Answer::Columns`: raw cell → `1` (chosen) or `0`.
    pub answers: &'a BTreeMap<String, String>,
    /// Raw breakdown label → member id.
    pub breakdown_answers: &'a BTreeMap<String, String>,
    /// Raw values that are non-response (a blank cell always is).
    pub missing: &'a [String],
    /// `None`: detected from the header.
    pub delimiter: Option<u8>,
    /// Also sum each pair of breakdowns.
    pub crosstabs: bool,
}

/// The sums of one group of respondents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    /// Respondents of the group who gave no answer (blank or a `missing` value).
    pub missing: u64,
    /// Respondents who answered, excluded options included.
    pub answered: Sums,
    /// Respondents who answered, out of the excluded options: the base of the shares.
    pub base: Sums,
    /// Per option, the respondents who chose it.
    pub chose: Vec<Sums>,
    /// Numeric answers with their weights, sorted by value at the end.
    pub values: Vec<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Aggregation {
    pub total: Group,
    /// Per breakdown, per member.
    pub by: Vec<Vec<Group>>,
    /// Per pair (a, b) of breakdowns, a < b: members of a × members of b, row by row.
    pub crosstabs: Vec<((usize, usize), Vec<Group>)>,
    /// The delimiter read with.
    pub delimiter: u8,
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
    pub fn at(line: usize, column: usize, message: String) -> Self {
        CsvError {
            line,
            column,
            message,
            hint: None,
        }
    }

    fn with_hint(mut self, hint: String) -> Self {
        self.hint = Some(hint);
        self
    }
}

/// The delimiter of a header line: the most frequent of `,`, `;` and tab outside quotes
/// (a comma on a tie).
pub(crate) fn detect_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// A number as survey tools and spreadsheets write it: spaces (also no-break ones) between
/// digit groups, a decimal point or a decimal comma.
pub(crate) fn parse_number(raw: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(raw).ok()?.trim();
    // Most cells are plain numbers: no copy (this runs for every row of every indicator).
    if let Ok(x) = s.parse::<f64>() {
        return x.is_finite().then_some(x);
    }
    if s.contains(',') && s.contains('.') {
        return None;
    }
    let mut buf = [0u8; 64];
    let mut len = 0;
    for c in s.chars() {
        let b = match c {
            ' ' | '\u{a0}' | '\u{202f}' => continue,
            ',' => b'.',
            c if c.is_ascii() => c as u8,
            _ => return None,
        };
        *buf.get_mut(len)? = b;
        len += 1;
    }
    std::str::from_utf8(&buf[..len])
        .ok()?
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

/// One breakdown ready for lookups.
struct Dim<'a> {
    col: usize,
    spec: &'a Breakdown<'a>,
    /// Raw label → member index.
    lookup: Vec<(Vec<u8>, usize)>,
}

/// Sums responses per group. Errors name the line and column of the CSV.
pub fn aggregate(input: &[u8], spec: &Spec<'_>) -> Result<Aggregation, CsvError> {
    aggregate_all(input, spec.delimiter, &[spec])
        .pop()
        .unwrap_or_else(|| Err(CsvError::at(1, 1, "nothing to aggregate".into())))
}

/// Sums the responses of several indicators of one file in a single read of it (a survey
/// export holds every question: reading it once per question was most of the cost). Each
/// spec gets its own result: a problem in one indicator does not stop the others.
/// `delimiter`: `None` to detect it from the header.
pub(crate) fn aggregate_all(
    input: &[u8],
    delimiter: Option<u8>,
    specs: &[&Spec<'_>],
) -> Vec<Result<Aggregation, CsvError>> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let declared = delimiter.is_some();
    let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(input));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(input);
    let headers = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            let e = CsvError::at(1, 1, format!("cannot read the header: {e}"));
            return specs.iter().map(|_| Err(e.clone())).collect();
        }
    };
    let mut passes: Vec<Result<Pass<'_>, CsvError>> = specs
        .iter()
        .map(|spec| Pass::new(spec, &headers, delimiter, declared))
        .collect();
    let mut record = csv::ByteRecord::new();
    let mut line = 1;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let e = CsvError::at(
                    e.position().map_or(line + 1, |p| p.line() as usize),
                    1,
                    format!("malformed CSV: {e}"),
                );
                return specs.iter().map(|_| Err(e.clone())).collect();
            }
        }
        line = record.position().map_or(line + 1, |p| p.line() as usize);
        for pass in &mut passes {
            if let Ok(p) = pass
                && let Err(e) = p.row(&record, line, &headers)
            {
                *pass = Err(e);
            }
        }
    }
    passes
        .into_iter()
        .map(|p| p.and_then(|p| p.finish(&headers, delimiter)))
        .collect()
}

/// One indicator's aggregation, fed the CSV's rows one by one.
struct Pass<'a> {
    spec: &'a Spec<'a>,
    answer_cols: Vec<usize>,
    weight_col: Option<usize>,
    dims: Vec<Dim<'a>>,
    lookup: Vec<(Vec<u8>, usize)>,
    missing: Vec<&'a [u8]>,
    layout: Layout,
    groups: Vec<Group>,
    member: Vec<Option<usize>>,
    in_groups: Vec<usize>,
    chosen: Vec<bool>,
}

impl<'a> Pass<'a> {
    fn new(
        spec: &'a Spec<'a>,
        headers: &csv::ByteRecord,
        delimiter: u8,
        declared: bool,
    ) -> Result<Pass<'a>, CsvError> {
        let find = |name: &str| find_column(headers, name, delimiter, declared);
        let answer_cols: Vec<usize> = match &spec.answer {
            Answer::Single(c) | Answer::Split(c, _) | Answer::Number(c) => vec![find(c)?],
            Answer::Columns(cs) => cs.iter().map(|c| find(c)).collect::<Result<_, _>>()?,
        };
        let weight_col = spec.weight_column.map(find).transpose()?;
        let mut dims = Vec::new();
        for b in spec.breakdowns {
            let col = find(b.column)?;
            dims.push(Dim {
                col,
                spec: b,
                lookup: member_lookup(b, spec.breakdown_answers),
            });
        }
        let lookup = answer_lookup(spec, answer_cols[0])?;
        let missing: Vec<&[u8]> = spec.missing.iter().map(|m| m.trim().as_bytes()).collect();
        let layout = Layout::new(spec, &dims);
        let options = spec.options.len();
        let groups = vec![
            Group {
                chose: vec![Sums::default(); options],
                ..Group::default()
            };
            layout.len
        ];
        Ok(Pass {
            spec,
            answer_cols,
            weight_col,
            member: vec![None; dims.len()],
            in_groups: Vec::with_capacity(layout.len.min(64)),
            dims,
            lookup,
            missing,
            layout,
            groups,
            chosen: vec![false; options],
        })
    }

    /// Adds one respondent.
    fn row(
        &mut self,
        record: &csv::ByteRecord,
        line: usize,
        headers: &csv::ByteRecord,
    ) -> Result<(), CsvError> {
        for (d, dim) in self.dims.iter().enumerate() {
            self.member[d] = member_of(dim, record, &self.missing, line)?;
        }
        self.layout.groups(&self.member, &mut self.in_groups);
        let row = Respondent {
            record,
            line,
            missing: &self.missing,
        };
        let answer = row.answer(
            self.spec,
            &self.lookup,
            &self.answer_cols,
            headers,
            &mut self.chosen,
        )?;
        let Some(number) = answer else {
            for &g in &self.in_groups {
                self.groups[g].missing += 1;
            }
            return Ok(());
        };
        let weight = self.weight_col.map_or(Ok(1.0), |c| row.weight(c))?;
        let excluded = self
            .chosen
            .iter()
            .zip(self.spec.excluded)
            .any(|(&c, &e)| c && e);
        for &g in &self.in_groups {
            let group = &mut self.groups[g];
            group.answered.add(weight);
            for (o, _) in self.chosen.iter().enumerate().filter(|(_, c)| **c) {
                group.chose[o].add(weight);
            }
            if !excluded {
                group.base.add(weight);
            }
            if let Some(x) = number {
                group.values.push((x, weight));
            }
        }
        Ok(())
    }

    fn finish(mut self, headers: &csv::ByteRecord, delimiter: u8) -> Result<Aggregation, CsvError> {
        for g in &mut self.groups {
            g.values.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        }
        if let Some(c) = self.weight_col {
            no_weightless_group(&self.groups, &self.layout, &self.dims, headers, c)?;
        }
        Ok(self.layout.split(self.groups, delimiter))
    }
}

/// A group of respondents whose weights add up to 0 has no share: an error naming it.
fn no_weightless_group(
    groups: &[Group],
    layout: &Layout,
    dims: &[Dim<'_>],
    headers: &csv::ByteRecord,
    c: usize,
) -> Result<(), CsvError> {
    for (g, group) in groups.iter().enumerate() {
        if group.base.n > 0 && group.base.w <= 0.0 {
            return Err(CsvError::at(
                1,
                c + 1,
                format!(
                    "the weights of {} ({} respondent(s)) add up to 0 in column `{}`",
                    layout.describe(g, dims),
                    group.base.n,
                    column_name(headers, c)
                ),
            )
            .with_hint("a group without weight has no share: check the weights of its respondents, or merge the group".into()));
        }
    }
    Ok(())
}

/// One row of the CSV, read for one indicator.
struct Respondent<'r> {
    record: &'r csv::ByteRecord,
    line: usize,
    missing: &'r [&'r [u8]],
}

impl Respondent<'_> {
    fn cell(&self, c: usize) -> &[u8] {
        self.record.get(c).unwrap_or(b"").trim_ascii()
    }

    /// What the respondent answered: `None` nothing (a non-response); else the options chosen
    /// (marked in `chosen`), or a number.
    fn answer(
        &self,
        spec: &Spec<'_>,
        lookup: &[(Vec<u8>, usize)],
        cols: &[usize],
        headers: &csv::ByteRecord,
        chosen: &mut [bool],
    ) -> Result<Option<Option<f64>>, CsvError> {
        if let Answer::Number(_) = spec.answer {
            let raw = self.cell(cols[0]);
            if raw.is_empty() || self.missing.contains(&raw) {
                return Ok(None);
            }
            return match parse_number(raw) {
                Some(x) => Ok(Some(Some(x))),
                None => Err(CsvError::at(
                    self.line,
                    cols[0] + 1,
                    format!(
                        "`{}` in column `{}` is not a number",
                        String::from_utf8_lossy(raw),
                        column_name(headers, cols[0])
                    ),
                )),
            };
        }
        chosen.iter_mut().for_each(|c| *c = false);
        let answered = choose(
            spec,
            lookup,
            cols,
            self.record,
            self.missing,
            self.line,
            chosen,
        )?;
        Ok(answered.then_some(None))
    }

    fn weight(&self, c: usize) -> Result<f64, CsvError> {
        let raw = self.cell(c);
        match parse_number(raw) {
            Some(w) if w >= 0.0 => Ok(w),
            _ => Err(CsvError::at(
                self.line,
                c + 1,
                format!(
                    "weight `{}` is not a non-negative number",
                    String::from_utf8_lossy(raw)
                ),
            )),
        }
    }
}

fn column_name(headers: &csv::ByteRecord, c: usize) -> String {
    String::from_utf8_lossy(headers.get(c).unwrap_or(b"")).into_owned()
}

fn find_column(
    headers: &csv::ByteRecord,
    name: &str,
    delimiter: u8,
    declared: bool,
) -> Result<usize, CsvError> {
    if let Some(i) = headers
        .iter()
        .position(|h| h.trim_ascii() == name.as_bytes())
    {
        return Ok(i);
    }
    let columns: Vec<String> = headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let mut e = CsvError::at(
        1,
        1,
        format!("no column `{name}` (columns: {})", columns.join(", ")),
    );
    let shown = match delimiter {
        b'\t' => "tab".to_string(),
        d => format!("`{}`", d as char),
    };
    if columns.len() == 1 {
        e.hint = Some(if declared {
            format!(
                "the header does not split on the declared delimiter {shown}: check `delimiter`"
            )
        } else {
            "the header has a single column: give the file's `delimiter` (`,`, `;` or `\"\\t\"`)"
                .into()
        });
    } else if let Some(h) = crate::error::did_you_mean(name, columns.iter().map(String::as_str)) {
        e.hint = Some(h);
    }
    Err(e)
}

fn member_lookup(b: &Breakdown<'_>, raw: &BTreeMap<String, String>) -> Vec<(Vec<u8>, usize)> {
    let mut out: Vec<(Vec<u8>, usize)> = b
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_bytes().to_vec(), i))
        .collect();
    for (label, id) in raw {
        if let Some(i) = b.members.iter().position(|m| m == id) {
            out.push((label.trim().as_bytes().to_vec(), i));
        }
    }
    out
}

fn member_of(
    dim: &Dim<'_>,
    record: &csv::ByteRecord,
    missing: &[&[u8]],
    line: usize,
) -> Result<Option<usize>, CsvError> {
    let raw = record.get(dim.col).unwrap_or(b"").trim_ascii();
    if raw.is_empty() || missing.contains(&raw) {
        return Ok(None);
    }
    match dim.lookup.iter().find(|(k, _)| k == raw) {
        Some((_, i)) => Ok(Some(*i)),
        None => Err(CsvError::at(
            line,
            dim.col + 1,
            format!(
                "unknown breakdown member `{}` in column `{}`",
                String::from_utf8_lossy(raw),
                dim.spec.column
            ),
        )
        .with_hint(format!(
            "members of `{}`: {}; map other labels with `breakdown_answers: {{<label>: <member>}}`",
            dim.spec.dimension,
            dim.spec.members.join(", ")
        ))),
    }
}

/// Raw answer bytes → option index (`usize::MAX`: not chosen, for 0/1 columns). Few
/// options, so a linear scan beats hashing.
fn answer_lookup(spec: &Spec<'_>, col: usize) -> Result<Vec<(Vec<u8>, usize)>, CsvError> {
    let mut lookup: Vec<(Vec<u8>, usize)> = Vec::new();
    if let Answer::Columns(_) = spec.answer {
        for (raw, to) in [
            ("1", 0),
            ("0", 1),
            ("true", 0),
            ("false", 1),
            ("yes", 0),
            ("no", 1),
        ] {
            lookup.push((raw.as_bytes().to_vec(), to));
            lookup.push((raw.to_uppercase().into_bytes(), to));
            let mut cap = raw.to_string();
            cap[..1].make_ascii_uppercase();
            lookup.push((cap.into_bytes(), to));
        }
        for (raw, to) in spec.answers {
            let v = match to.as_str() {
                "1" => 0,
                "0" => 1,
                other => {
                    return Err(CsvError::at(
                        1,
                        col + 1,
                        format!(
                            "`answers` maps `{raw}` to `{other}`: with `columns`, map raw values to `1` (chosen) or `0`"
                        ),
                    ));
                }
            };
            lookup.insert(0, (raw.trim().as_bytes().to_vec(), v));
        }
        // 0: chosen, 1: not chosen.
        return Ok(lookup);
    }
    for (i, o) in spec.options.iter().enumerate() {
        lookup.push((o.as_bytes().to_vec(), i));
    }
    for (raw, opt) in spec.answers {
        match spec.options.iter().position(|o| o == opt) {
            Some(i) => lookup.insert(0, (raw.trim().as_bytes().to_vec(), i)),
            None => {
                return Err(CsvError::at(
                    1,
                    col + 1,
                    format!("`answers` maps `{raw}` to unknown option `{opt}`"),
                ));
            }
        }
    }
    Ok(lookup)
}

/// Marks in `chosen` the options of this respondent; `false`: no answer.
fn choose(
    spec: &Spec<'_>,
    lookup: &[(Vec<u8>, usize)],
    cols: &[usize],
    record: &csv::ByteRecord,
    missing: &[&[u8]],
    line: usize,
    chosen: &mut [bool],
) -> Result<bool, CsvError> {
    let unknown = |raw: &[u8], col: usize, what: &str| {
        let known: Vec<String> = lookup
            .iter()
            .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
            .collect();
        CsvError::at(
            line,
            col + 1,
            format!(
                "unknown {what} `{}` in column `{}`",
                String::from_utf8_lossy(raw),
                match &spec.answer {
                    Answer::Single(c) | Answer::Split(c, _) | Answer::Number(c) => *c,
                    Answer::Columns(cs) => cs[cols.iter().position(|&x| x == col).unwrap_or(0)],
                }
            ),
        )
        .with_hint(format!(
            "known answers: {}; map others with `answers`, or list non-responses in `missing`",
            known.join(", ")
        ))
    };
    let cell = |c: usize| record.get(c).unwrap_or(b"").trim_ascii();
    let find = |raw: &[u8]| lookup.iter().find(|(k, _)| k == raw).map(|(_, i)| *i);
    match &spec.answer {
        Answer::Number(_) => Ok(false),
        Answer::Single(_) => {
            let raw = cell(cols[0]);
            if raw.is_empty() || missing.contains(&raw) {
                return Ok(false);
            }
            let o = find(raw).ok_or_else(|| unknown(raw, cols[0], "answer"))?;
            chosen[o] = true;
            Ok(true)
        }
        Answer::Split(_, sep) => {
            let raw = cell(cols[0]);
            if raw.is_empty() || missing.contains(&raw) {
                return Ok(false);
            }
            let sep = sep.as_bytes();
            let mut any = false;
            for token in split_on(raw, sep) {
                let token = token.trim_ascii();
                if token.is_empty() {
                    continue;
                }
                let o = find(token).ok_or_else(|| unknown(token, cols[0], "answer"))?;
                chosen[o] = true;
                any = true;
            }
            Ok(any)
        }
        Answer::Columns(_) => {
            let mut answered = false;
            for (o, &c) in cols.iter().enumerate() {
                let raw = cell(c);
                if raw.is_empty() || missing.contains(&raw) {
                    continue;
                }
                match find(raw) {
                    Some(0) => {
                        chosen[o] = true;
                        answered = true;
                    }
                    Some(_) => answered = true,
                    None => return Err(unknown(raw, c, "value")),
                }
            }
            Ok(answered)
        }
    }
}

fn split_on<'b>(raw: &'b [u8], sep: &'b [u8]) -> impl Iterator<Item = &'b [u8]> + 'b {
    let mut rest = Some(raw);
    std::iter::from_fn(move || {
        let r = rest?;
        if sep.is_empty() {
            rest = None;
            return Some(r);
        }
        match r.windows(sep.len()).position(|w| w == sep) {
            Some(i) => {
                rest = Some(&r[i + sep.len()..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Where each group is in the flat list: the total, then each breakdown's members, then each
/// crosstab's cells.
struct Layout {
    sizes: Vec<usize>,
    dim_offsets: Vec<usize>,
    pairs: Vec<((usize, usize), usize)>,
    len: usize,
}

impl Layout {
    fn new(spec: &Spec<'_>, dims: &[Dim<'_>]) -> Layout {
        let sizes: Vec<usize> = dims.iter().map(|d| d.spec.members.len()).collect();
        let mut len = 1;
        let mut dim_offsets = Vec::new();
        for s in &sizes {
            dim_offsets.push(len);
            len += s;
        }
        let mut pairs = Vec::new();
        if spec.crosstabs {
            for a in 0..sizes.len() {
                for b in a + 1..sizes.len() {
                    pairs.push(((a, b), len));
                    len += sizes[a] * sizes[b];
                }
            }
        }
        Layout {
            sizes,
            dim_offsets,
            pairs,
            len,
        }
    }

    /// The groups a respondent with these members belongs to.
    fn groups(&self, member: &[Option<usize>], out: &mut Vec<usize>) {
        out.clear();
        out.push(0);
        for (d, m) in member.iter().enumerate() {
            if let Some(m) = m {
                out.push(self.dim_offsets[d] + m);
            }
        }
        for &((a, b), off) in &self.pairs {
            if let (Some(ma), Some(mb)) = (member[a], member[b]) {
                out.push(off + ma * self.sizes[b] + mb);
            }
        }
    }

    fn describe(&self, g: usize, dims: &[Dim<'_>]) -> String {
        if g == 0 {
            return "the whole sample".into();
        }
        for (d, &off) in self.dim_offsets.iter().enumerate() {
            if g >= off && g < off + self.sizes[d] {
                let s = dims[d].spec;
                return format!("group `{} = {}`", s.dimension, s.members[g - off]);
            }
        }
        for &((a, b), off) in &self.pairs {
            let size = self.sizes[a] * self.sizes[b];
            if g >= off && g < off + size {
                let (ma, mb) = ((g - off) / self.sizes[b], (g - off) % self.sizes[b]);
                let (sa, sb) = (dims[a].spec, dims[b].spec);
                return format!(
                    "group `{} = {}, {} = {}`",
                    sa.dimension, sa.members[ma], sb.dimension, sb.members[mb]
                );
            }
        }
        format!("group {g}")
    }

    fn split(&self, groups: Vec<Group>, delimiter: u8) -> Aggregation {
        let mut it = groups.into_iter();
        let total = it.next().unwrap_or_default();
        let by = self
            .sizes
            .iter()
            .map(|&s| it.by_ref().take(s).collect())
            .collect();
        let crosstabs = self
            .pairs
            .iter()
            .map(|&((a, b), _)| {
                (
                    (a, b),
                    it.by_ref().take(self.sizes[a] * self.sizes[b]).collect(),
                )
            })
            .collect();
        Aggregation {
            total,
            by,
            crosstabs,
            delimiter,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers() -> BTreeMap<String, String> {
        BTreeMap::from([("Oui".into(), "oui".into()), ("Non".into(), "non".into())])
    }

    const CSV: &str = "id,region,q1,poids\n1,nord,Oui,1\n2,nord,Non,3\n3,nord,Oui,1\n4,sud,Non,2\n5,sud,,1\n6,sud,Oui,2\n";

    fn run(csv: &str, answer: Answer<'_>, weight: Option<&str>) -> Result<Aggregation, CsvError> {
        let a = if matches!(answer, Answer::Columns(_)) {
            BTreeMap::new()
        } else {
            answers()
        };
        let none = BTreeMap::new();
        let dims = [Breakdown {
            dimension: "region",
            column: "region",
            members: &["nord", "sud"],
        }];
        let spec = Spec {
            answer,
            breakdowns: &dims,
            weight_column: weight,
            options: &["oui", "non"],
            excluded: &[false, false],
            answers: &a,
            breakdown_answers: &none,
            missing: &[],
            delimiter: None,
            crosstabs: false,
        };
        aggregate(csv.as_bytes(), &spec)
    }

    #[test]
    fn sums_by_hand() {
        let a = run(CSV, Answer::Single("q1"), Some("poids")).unwrap();
        let nord = &a.by[0][0];
        assert_eq!(nord.base.n, 3);
        assert_eq!((nord.chose[0].w, nord.chose[1].w), (2.0, 3.0));
        assert_eq!(nord.base.w2, 11.0);
        let sud = &a.by[0][1];
        assert_eq!((sud.base.n, sud.missing), (2, 1));
        assert_eq!(a.total.base.n, 5);
        assert_eq!(a.total.missing, 1);
    }

    #[test]
    fn semicolons_and_decimal_commas() {
        let csv = "id;region;q1;poids\n1;nord;Oui;1,5\n2;sud;Non;0,5\n";
        let a = run(csv, Answer::Single("q1"), Some("poids")).unwrap();
        assert_eq!(a.delimiter, b';');
        assert_eq!(a.total.chose[0].w, 1.5);
        assert_eq!(parse_number(b"1 200,5"), Some(1200.5));
        assert_eq!(parse_number(b"1.200,5"), None);
    }

    #[test]
    fn unknown_answer_names_row_and_column() {
        let csv = CSV.replace("4,sud,Non", "4,sud,Peut-etre");
        let e = run(&csv, Answer::Single("q1"), None).unwrap_err();
        assert_eq!((e.line, e.column), (5, 3), "{e:?}");
        assert!(
            e.message
                .contains("unknown answer `Peut-etre` in column `q1`")
        );
    }

    #[test]
    fn bad_weight_member_and_zero_weights_are_located() {
        let e = run(
            "region,q1,poids\nnord,Oui,x\n",
            Answer::Single("q1"),
            Some("poids"),
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
        let e = run("region,q1\nest,Oui\n", Answer::Single("q1"), None).unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("`est`"));
        let e = run(
            "region,q1,poids\nnord,Oui,1\nsud,Non,0\nsud,Oui,0\n",
            Answer::Single("q1"),
            Some("poids"),
        )
        .unwrap_err();
        assert!(
            e.message
                .contains("group `region = sud` (2 respondent(s)) add up to 0"),
            "{}",
            e.message
        );
    }

    #[test]
    fn one_read_serves_several_indicators_each_with_its_own_result() {
        let a = answers();
        let none = BTreeMap::new();
        let spec = |column| Spec {
            answer: Answer::Single(column),
            breakdowns: &[],
            weight_column: None,
            options: &["oui", "non"],
            excluded: &[false, false],
            answers: &a,
            breakdown_answers: &none,
            missing: &[],
            delimiter: None,
            crosstabs: false,
        };
        let (good, bad) = (spec("q1"), spec("absent"));
        let results = aggregate_all(CSV.as_bytes(), None, &[&good, &bad, &good]);
        assert_eq!(results.len(), 3);
        assert_eq!(results[0].as_ref().unwrap().total.base.n, 5);
        assert!(
            results[1]
                .as_ref()
                .unwrap_err()
                .message
                .contains("no column `absent`")
        );
        assert_eq!(results[0], results[2]);
    }

    #[test]
    fn multi_select_in_one_column_and_in_columns() {
        let csv = "region,q,oui_c,non_c\nnord,oui non,1,1\nnord,oui,1,0\nsud,,,\n";
        let a = run(csv, Answer::Split("q", " "), None).unwrap();
        assert_eq!(a.total.base.n, 2);
        assert_eq!((a.total.chose[0].n, a.total.chose[1].n), (2, 1));
        assert_eq!(a.total.missing, 1);
        let b = run(csv, Answer::Columns(vec!["oui_c", "non_c"]), None).unwrap();
        assert_eq!(a.total, b.total);
    }
}
