//! Open data of an edition: `data/<edition>/<indicator>.csv` and `.json` per indicator, the
//! edition's `codebook.csv` (questions, options, raw codes, per language) and a Frictionless
//! `datapackage.json` (licence, sources, each resource's description with its caveats).
//! Language-neutral: texts carry every language. A suppressed cell has an empty value and
//! interval, and its flag.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{Value as Json, json};

use crate::model::indicators::{Cell, IndicatorKind, Row};
use crate::model::{Indicator, Site};

/// The columns of an indicator's CSV.
pub(crate) const CSV_HEADER: &str =
    "edition,indicator,dimension,member,option,value,n,ci_low,ci_high,n_eff,flag,missing";

/// Open data of one edition. Paths relative to the site root.
pub(crate) fn files(site: &Site, edition: usize) -> Vec<(String, Vec<u8>)> {
    let ed = &site.editions[edition];
    let inds: Vec<&Indicator> = site
        .indicators
        .iter()
        .filter(|i| i.edition == edition)
        .collect();
    if inds.is_empty() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let mut resources = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    for ind in &inds {
        files.push((
            format!("data/{}/{}.csv", ed.id, ind.id),
            csv(site, edition, ind).into_bytes(),
        ));
        files.push((
            format!("data/{}/{}.json", ed.id, ind.id),
            pretty(&indicator_json(site, edition, ind)),
        ));
        if let Some(s) = &ind.source {
            let text = site.localize(s, &site.default_language).text.to_string();
            if !sources.contains(&text) {
                sources.push(text);
            }
        }
        let descriptions: BTreeMap<&str, String> = site
            .languages
            .iter()
            .map(|l| (l.code.as_str(), description(site, ind, &l.code)))
            .collect();
        resources.push(json!({
            "name": ind.id,
            "path": format!("{}.csv", ind.id),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": site.localize(&ind.question, &site.default_language).text,
            "description": descriptions.get(site.default_language.as_str()),
            "descriptions": descriptions,
            "schema": {"fields": [
                {"name": "edition", "type": "string"},
                {"name": "indicator", "type": "string"},
                {"name": "dimension", "type": "string"},
                {"name": "member", "type": "string"},
                {"name": "option", "type": "string"},
                {"name": "value", "type": "number"},
                {"name": "n", "type": "integer"},
                {"name": "ci_low", "type": "number"},
                {"name": "ci_high", "type": "number"},
                {"name": "n_eff", "type": "number"},
                {"name": "flag", "type": "string", "constraints": {"enum": ["", "caution", "suppressed"]}},
                {"name": "missing", "type": "integer"}
            ]}
        }));
    }
    files.push((
        format!("data/{}/codebook.csv", ed.id),
        codebook(site, &inds).into_bytes(),
    ));
    resources.push(json!({
        "name": "codebook",
        "path": "codebook.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": "codebook",
    }));
    let mut package = json!({
        "name": ed.id,
        "title": site.localize(&ed.meta.title, &site.default_language).text,
        "version": ed.meta.version.value,
        "sources": sources.iter().map(|s| json!({"title": s})).collect::<Vec<_>>(),
        "resources": resources,
    });
    if let Some(l) = &site.licence {
        package["licenses"] = json!([l]);
    }
    files.push((format!("data/{}/datapackage.json", ed.id), pretty(&package)));
    files
}

/// A number for the open data: at most 4 decimals, no trailing zeros.
fn number(x: f64) -> String {
    let r = (x * 10_000.0).round() / 10_000.0;
    let mut s = format!("{r:.4}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    if s == "-0" { "0".into() } else { s }
}

fn opt(x: Option<f64>) -> String {
    x.map(number).unwrap_or_default()
}

/// The value columns of an indicator as its open data names them.
fn column_ids(ind: &Indicator) -> Vec<String> {
    ind.columns().iter().map(|c| c.to_string()).collect()
}

fn csv(site: &Site, edition: usize, ind: &Indicator) -> String {
    let ed = &site.editions[edition];
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    let columns = column_ids(ind);
    for row in &ind.rows {
        let dim = row.dimension.map_or("", |d| ind.breakdowns[d].id.as_str());
        for (c, option) in columns.iter().enumerate() {
            let cell = &row.cells[c];
            let n = cell.n.or(row.n).or(if ind.breakdowns.is_empty() {
                ind.n
            } else {
                None
            });
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{}",
                ed.id,
                ind.id,
                dim,
                row.member.as_deref().unwrap_or(""),
                option,
                opt(row.values[c]),
                n.map(|n| n.to_string()).unwrap_or_default(),
                opt(cell.ci.map(|c| c.0)),
                opt(cell.ci.map(|c| c.1)),
                opt(cell.n_eff),
                cell.flag.as_str(),
                row.missing.map(|m| m.to_string()).unwrap_or_default(),
            );
        }
    }
    out
}

fn cells_json(ind: &Indicator, row: &Row) -> Json {
    let columns = column_ids(ind);
    let cell = |c: &Cell| {
        json!({
            "ci": c.ci.map(|(lo, hi)| [lo, hi]),
            "n": c.n,
            "n_eff": c.n_eff,
            "flag": c.flag,
        })
    };
    json!({
        "values": columns.iter().enumerate().map(|(c, o)| (o.clone(), row.values[c])).collect::<BTreeMap<_, _>>(),
        "cells": columns.iter().enumerate().map(|(c, o)| (o.clone(), cell(&row.cells[c]))).collect::<BTreeMap<_, _>>(),
        "n": row.n,
        "n_eff": row.n_eff,
        "missing": row.missing,
        "flag": row.flag,
    })
}

fn indicator_json(site: &Site, edition: usize, ind: &Indicator) -> Json {
    let ed = &site.editions[edition];
    let dims: Vec<Json> = ind
        .breakdowns
        .iter()
        .map(|d| {
            json!({
                "id": d.id, "label": d.label.values,
                "members": d.members.iter().map(|m| json!({"id": m.id, "label": m.label.values})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let rows: Vec<Json> = ind
        .rows
        .iter()
        .map(|r| {
            let mut v = cells_json(ind, r);
            v["dimension"] = json!(r.dimension.map(|d| &ind.breakdowns[d].id));
            v["member"] = json!(r.member);
            v
        })
        .collect();
    let crosstabs: Vec<Json> = ind
        .crosstabs
        .iter()
        .map(|x| {
            json!({
                "dimensions": [&ind.breakdowns[x.dims.0].id, &ind.breakdowns[x.dims.1].id],
                "rows": x.rows.iter().map(|r| {
                    let mut v = cells_json(ind, r);
                    v["members"] = json!([r.member, r.member2]);
                    v
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let s = &site.statistics;
    json!({
        "edition": ed.id,
        "edition_version": ed.meta.version.value,
        "id": ind.id,
        "question": ind.question.values,
        "kind": ind.kind,
        "unit": ind.unit,
        "columns": column_ids(ind),
        "options": ind.options.iter().enumerate().map(|(i, o)| json!({
            "id": o.id,
            "label": o.label.values,
            "excluded": ind.excluded[i],
            "codes": ind.codebook.as_ref().map(|c| &c.codes[i]),
        })).collect::<Vec<_>>(),
        "neutral": ind.neutral.map(|i| &ind.options[i].id),
        "breakdown": dims.first(),
        "breakdowns": dims,
        "rows": rows,
        "crosstabs": crosstabs,
        "n": ind.n,
        "weighted": ind.weighted,
        "statistics": ind.aggregated.then(|| json!({
            "confidence": s.confidence,
            "min_n": s.min_n,
            "caution_n": s.caution_n,
            "interval": if ind.kind == IndicatorKind::Numeric { "student-t, linearised variance" } else { "wilson, on kish effective n" },
        })),
        "comparable": ind.comparable,
        "break_note": ind.break_note.as_ref().map(|t| &t.values),
        "source": ind.source.as_ref().map(|s| &s.values),
        "note": ind.note.as_ref().map(|s| &s.values),
        "aggregated_from_responses": ind.aggregated,
    })
}

/// The UI string `key` of language `lang`, with `{name}` replaced.
fn t(site: &Site, lang: &str, key: &str, vars: &[(&str, String)]) -> String {
    let mut s = site
        .theme
        .i18n
        .get(lang)
        .or_else(|| site.theme.i18n.get(&site.default_language))
        .and_then(|f| f.value.get(key))
        .cloned()
        .unwrap_or_default();
    for (k, v) in vars {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// A resource's description in `lang`: the source note and the caveats of its figures.
fn description(site: &Site, ind: &Indicator, lang: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(s) = &ind.source {
        parts.push(site.localize(s, lang).text.to_string());
    }
    if let Some(s) = &ind.note {
        parts.push(site.localize(s, lang).text.to_string());
    }
    let st = &site.statistics;
    if ind.kind == IndicatorKind::Multi {
        parts.push(t(site, lang, "opendata_multi", &[]));
    }
    if ind.aggregated {
        if let Some(w) = ind.codebook.as_ref().and_then(|c| c.weight_column.clone()) {
            parts.push(t(site, lang, "opendata_weighted", &[("column", w)]));
        }
        if ind.kind != IndicatorKind::Count {
            let level = format!("{}", (st.confidence * 1000.0).round() / 10.0);
            let method = if ind.kind == IndicatorKind::Numeric {
                "stat_interval_mean"
            } else {
                "stat_interval_wilson"
            };
            let mut interval = t(
                site,
                lang,
                "stat_interval",
                &[("level", format!("{level} %"))],
            );
            interval.push_str(&t(site, lang, method, &[]));
            if ind.weighted {
                interval.push_str(&t(site, lang, "stat_interval_weighted", &[]));
            }
            parts.push(t(
                site,
                lang,
                "opendata_intervals",
                &[("interval", interval)],
            ));
        }
        parts.push(t(site, lang, "opendata_missing", &[]));
    }
    if ind.aggregated || ind.rows.iter().any(|r| r.n.is_some()) {
        parts.push(t(
            site,
            lang,
            "opendata_small_cells",
            &[
                ("min_n", st.min_n.to_string()),
                ("caution_n", st.caution_n.to_string()),
            ],
        ));
    }
    let excluded: Vec<&str> = ind
        .options
        .iter()
        .zip(&ind.excluded)
        .filter(|(_, e)| **e)
        .map(|(o, _)| site.localize(&o.label, lang).text)
        .collect();
    if !excluded.is_empty() {
        parts.push(t(
            site,
            lang,
            "opendata_excluded",
            &[("options", excluded.join(", "))],
        ));
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}

/// A CSV field, quoted when it needs to be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The edition's codebook: one line per indicator and option (per statistic for numeric
/// indicators): where its figures come from, its raw codes, its texts in every language.
fn codebook(site: &Site, inds: &[&Indicator]) -> String {
    let langs: Vec<&str> = site.languages.iter().map(|l| l.code.as_str()).collect();
    let mut out = String::from(
        "indicator,kind,file,column,option,codes,excluded,missing_codes,separator,weight_column,breakdowns",
    );
    for l in &langs {
        let _ = write!(out, ",question_{l}");
    }
    for l in &langs {
        let _ = write!(out, ",label_{l}");
    }
    out.push('\n');
    for ind in inds {
        let cb = ind.codebook.as_ref();
        let columns = column_ids(ind);
        let dims: Vec<String> = ind
            .breakdowns
            .iter()
            .enumerate()
            .map(|(i, d)| match cb.and_then(|c| c.breakdown_columns.get(i)) {
                Some(col) => format!("{}={col}", d.id),
                None => d.id.clone(),
            })
            .collect();
        for (c, option) in columns.iter().enumerate() {
            let column = cb.map_or(String::new(), |cb| {
                cb.columns
                    .get(c)
                    .or(cb.columns.first())
                    .cloned()
                    .unwrap_or_default()
            });
            let codes = cb
                .and_then(|cb| cb.codes.get(c))
                .map_or(String::new(), |v| v.join(" | "));
            let cells = [
                ind.id.clone(),
                ind.kind.as_str().to_string(),
                cb.map_or(String::new(), |c| c.file.clone()),
                column,
                option.clone(),
                codes,
                ind.excluded.get(c).copied().unwrap_or(false).to_string(),
                cb.map_or(String::new(), |c| c.missing.join(" | ")),
                cb.and_then(|c| c.separator.clone()).unwrap_or_default(),
                cb.and_then(|c| c.weight_column.clone()).unwrap_or_default(),
                dims.join(" "),
            ];
            let line: Vec<String> = cells.iter().map(|s| field(s)).collect();
            out.push_str(&line.join(","));
            for l in &langs {
                out.push(',');
                out.push_str(&field(site.localize(&ind.question, l).text));
            }
            for l in &langs {
                out.push(',');
                let label = ind
                    .options
                    .get(c)
                    .map_or("", |o| site.localize(&o.label, l).text);
                out.push_str(&field(label));
            }
            out.push('\n');
        }
    }
    out
}

fn pretty(v: &serde_json::Value) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_exact_enough() {
        assert_eq!(number(40.0), "40");
        assert_eq!(number(200.0 / 3.0), "66.6667");
        assert_eq!(number(-0.00001), "0");
        assert_eq!(field("a,b"), "\"a,b\"");
    }
}
