//! Indicators on pages: a chart figure (SVG, caption, n, source, data table, open-data links)
//! for a ```` ```chart ```` block or an indicator page, the indicator pages with their trend
//! across editions, and the open data files.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use tera::{Context, Tera};

use super::charts::{self, Chart, Series, Style};
use super::locale::Locale;
use super::markdown::EmbedError;
use crate::error::{Diagnostic, did_you_mean};
use crate::model::Indicator;
use crate::model::Site;
use crate::model::indicators::{ChartType, IndicatorKind};

/// Everything a figure needs in one language.
pub(crate) struct FigureEnv<'a> {
    pub site: &'a Site,
    pub lang: &'a str,
    pub locale: &'a Locale,
    pub tera: &'a Tera,
    pub t: &'a BTreeMap<String, String>,
    pub style: &'a Style,
    /// Relative path to the site root from the page.
    pub root: &'a str,
    /// Numbers the figures of one page (unique ids).
    pub counter: &'a AtomicUsize,
}

/// The body of a ```` ```chart ```` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChartBlock {
    indicator: String,
    #[serde(default, rename = "type")]
    chart_type: Option<String>,
    /// Edition whose values to show (default: the page's edition, else the newest having it).
    #[serde(default)]
    edition: Option<String>,
    /// Options to show (default: all).
    #[serde(default)]
    options: Option<Vec<String>>,
}

#[derive(Serialize)]
struct TableCtx {
    head: Vec<String>,
    rows: Vec<RowCtx>,
    has_n: bool,
}

#[derive(Serialize)]
struct RowCtx {
    label: String,
    cells: Vec<String>,
    n: Option<String>,
}

#[derive(Serialize)]
struct FigureCtx<'a> {
    id: String,
    indicator: &'a str,
    question: &'a str,
    svg: String,
    summary: String,
    n: Option<String>,
    source: Option<&'a str>,
    note: Option<&'a str>,
    table: TableCtx,
    edition_title: &'a str,
    edition_url: String,
    csv_url: String,
    json_url: String,
    indicator_url: String,
    /// Only a trend chart (no single edition).
    trend: bool,
}

impl FigureEnv<'_> {
    /// A UI string the engine writes: `validate` made sure every language has it.
    fn tr<'b>(&'b self, key: &'b str) -> &'b str {
        debug_assert!(
            crate::validate::theme::ENGINE_STRINGS.contains(&key),
            "`{key}` is not in ENGINE_STRINGS"
        );
        self.t.get(key).map_or(key, String::as_str)
    }

    fn text<'b>(&'b self, t: &'b crate::load::schema::Text) -> &'b str {
        self.site.localize(t, self.lang).text
    }

    fn format(&self, ind: &Indicator, v: f64) -> String {
        if ind.is_percent() {
            self.locale.percent(v, 1)
        } else {
            self.locale.number(v, 2)
        }
    }

    /// Handles a ```` ```chart ```` block of a page of edition `page_edition`.
    pub(crate) fn embed(
        &self,
        body: &str,
        line: usize,
        page_edition: Option<usize>,
    ) -> Result<String, EmbedError> {
        let fail = |message: String, hint: Option<String>| EmbedError::Block {
            line: line + 1,
            message,
            hint,
        };
        let block: ChartBlock = crate::load::yaml::parse(std::path::Path::new("chart"), body)
            .map_err(|d| EmbedError::Block {
                line: line + d.pos.line.max(1),
                message: format!("chart block: {}", d.message),
                hint: Some(
                    "write `indicator: <id>` and optionally `type:`, `edition:`, `options:`".into(),
                ),
            })?;
        let candidates: Vec<&Indicator> = self
            .site
            .indicators
            .iter()
            .filter(|i| i.id == block.indicator)
            .collect();
        if candidates.is_empty() {
            let hint = did_you_mean(
                &block.indicator,
                self.site.indicators.iter().map(|i| i.id.as_str()),
            );
            return Err(fail(
                format!("unknown indicator `{}`", block.indicator),
                hint,
            ));
        }
        let ind = match (&block.edition, page_edition) {
            (Some(e), _) => candidates
                .iter()
                .find(|i| self.site.editions[i.edition].id == *e)
                .ok_or_else(|| {
                    fail(
                        format!("indicator `{}` is not in edition `{e}`", block.indicator),
                        None,
                    )
                })?,
            (None, Some(pe)) => candidates
                .iter()
                .find(|i| i.edition == pe)
                .unwrap_or(&candidates[0]),
            (None, None) => &candidates[0],
        };
        let chart_type = match &block.chart_type {
            None => ind.chart,
            Some(t) => serde_saphyr::from_str::<ChartType>(t).map_err(|_| {
                fail(
                    format!("unknown chart type `{t}`"),
                    did_you_mean(t, ChartType::ALL)
                        .or_else(|| Some(format!("types: {}", ChartType::ALL.join(", ")))),
                )
            })?,
        };
        if let Some(opts) = &block.options {
            for o in opts {
                if !ind.options.iter().any(|x| &x.id == o) {
                    return Err(fail(
                        format!("indicator `{}` has no option `{o}`", ind.id),
                        did_you_mean(o, ind.options.iter().map(|x| x.id.as_str())),
                    ));
                }
            }
        }
        self.figure(ind, chart_type, block.options.as_deref())
            .map_err(EmbedError::Located)
    }

    /// The figure of one indicator in one edition.
    pub(crate) fn figure(
        &self,
        ind: &Indicator,
        chart_type: ChartType,
        only: Option<&[String]>,
    ) -> Result<String, Diagnostic> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let id = if n == 0 {
            format!("chart-{}", ind.id)
        } else {
            format!("chart-{}-{n}", ind.id)
        };
        let columns: Vec<usize> = (0..ind.options.len().max(1))
            .filter(|&c| only.is_none_or(|o| ind.options.get(c).is_some_and(|x| o.contains(&x.id))))
            .collect();
        let col_name = |c: usize| {
            ind.options.get(c).map_or_else(
                || self.tr("value").to_string(),
                |o| self.text(&o.label).to_string(),
            )
        };
        let row_name = |m: &Option<String>| match (m, &ind.breakdown) {
            (Some(id), Some(d)) => d
                .members
                .iter()
                .find(|x| &x.id == id)
                .map_or(id.clone(), |x| self.text(&x.label).to_string()),
            _ => self.tr("total").to_string(),
        };
        let unknown = self.tr("value_unknown").to_string();
        // Chart series: one per option; categories: the rows. A share without breakdown draws
        // its options as categories of a single series.
        let (categories, series): (Vec<String>, Vec<Series>) = if ind.breakdown.is_none() {
            let row = &ind.rows[0];
            (
                columns.iter().map(|&c| col_name(c)).collect(),
                vec![Series {
                    name: self.text(&ind.question).to_string(),
                    values: columns.iter().map(|&c| row.values[c]).collect(),
                    labels: columns
                        .iter()
                        .map(|&c| row.values[c].map(|v| self.format(ind, v)))
                        .collect(),
                }],
            )
        } else {
            (
                ind.rows.iter().map(|r| row_name(&r.member)).collect(),
                columns
                    .iter()
                    .map(|&c| Series {
                        name: col_name(c),
                        values: ind.rows.iter().map(|r| r.values[c]).collect(),
                        labels: ind
                            .rows
                            .iter()
                            .map(|r| r.values[c].map(|v| self.format(ind, v)))
                            .collect(),
                    })
                    .collect(),
            )
        };
        let summary = self.summary(ind, &categories, &series);
        let ticks = self.ticks(ind, &series);
        let rtl = self
            .site
            .language(self.lang)
            .is_some_and(|l| l.dir == crate::load::schema::Direction::Rtl);
        let chart = Chart {
            id: id.clone(),
            title: self.text(&ind.question).to_string(),
            desc: summary.clone(),
            categories,
            series,
            ticks,
            rtl,
        };
        let svg = charts::render(chart_type, &chart, self.style);
        let has_n = ind.rows.iter().any(|r| r.n.is_some());
        let table = TableCtx {
            head: columns.iter().map(|&c| col_name(c)).collect(),
            rows: ind
                .rows
                .iter()
                .map(|r| RowCtx {
                    label: row_name(&r.member),
                    cells: columns
                        .iter()
                        .map(|&c| {
                            r.values[c].map_or_else(|| unknown.clone(), |v| self.format(ind, v))
                        })
                        .collect(),
                    n: r.n.map(|n| self.locale.integer(n as i64)),
                })
                .collect(),
            has_n,
        };
        let ed = &self.site.editions[ind.edition];
        let ctx = FigureCtx {
            id,
            indicator: &ind.id,
            question: self.text(&ind.question),
            svg,
            summary,
            n: ind.n.map(|n| self.locale.integer(n as i64)),
            source: ind.source.as_ref().map(|s| self.text(s)),
            note: ind.note.as_ref().map(|s| self.text(s)),
            table,
            edition_title: self.text(&ed.meta.title),
            edition_url: Site::url(self.lang, &ed.path),
            csv_url: format!("data/{}/{}.csv", ed.id, ind.id),
            json_url: format!("data/{}/{}.json", ed.id, ind.id),
            indicator_url: Site::url(
                self.lang,
                &format!("{}/{}", self.site.indicators_path, ind.id),
            ),
            trend: false,
        };
        self.render_partial(&ctx)
    }

    fn render_partial(&self, figure: &impl Serialize) -> Result<String, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert("figure", figure);
        ctx.insert("root", self.root);
        self.tera.render("partials/chart.html", &ctx).map_err(|e| {
            super::templates::to_diagnostic(&e, &self.site.theme, Some("partials/chart.html"))
        })
    }

    /// One line saying what the chart shows: per option, its lowest and highest member.
    fn summary(&self, ind: &Indicator, categories: &[String], series: &[Series]) -> String {
        let mut parts = Vec::new();
        for s in series {
            let known: Vec<(usize, f64)> = s
                .values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (i, v)))
                .collect();
            if known.is_empty() {
                continue;
            }
            if categories.len() == 1 || ind.breakdown.is_none() {
                for (i, v) in &known {
                    parts.push(
                        self.tr("chart_summary_value")
                            .replace("{label}", &categories[*i])
                            .replace("{value}", &self.format(ind, *v)),
                    );
                }
                continue;
            }
            let (lo, hi) = known.iter().fold((known[0], known[0]), |(lo, hi), &x| {
                (
                    if x.1 < lo.1 { x } else { lo },
                    if x.1 > hi.1 { x } else { hi },
                )
            });
            parts.push(
                self.tr("chart_summary_range")
                    .replace("{option}", &s.name)
                    .replace("{min}", &self.format(ind, lo.1))
                    .replace("{min_label}", &categories[lo.0])
                    .replace("{max}", &self.format(ind, hi.1))
                    .replace("{max_label}", &categories[hi.0]),
            );
        }
        if parts.is_empty() {
            self.tr("chart_no_data").to_string()
        } else {
            parts.join(self.tr("summary_separator"))
        }
    }

    fn ticks(&self, ind: &Indicator, series: &[Series]) -> Vec<(f64, String)> {
        let max = series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .fold(0.0f64, |a, &b| a.max(b));
        let top = if ind.is_percent() && ind.kind == IndicatorKind::Share {
            100.0
        } else {
            nice_ceiling(max)
        };
        (0..=4)
            .map(|i| {
                let v = top * f64::from(i) / 4.0;
                (v, self.format(ind, v))
            })
            .collect()
    }

    /// The figure of an indicator across editions (oldest first): a line chart of the first
    /// option (or the value), per breakdown member or for the whole sample.
    pub(crate) fn trend(&self, waves: &[&Indicator]) -> Option<String> {
        let last = waves.last()?;
        let categories: Vec<String> = waves
            .iter()
            .map(|w| self.site.editions[w.edition].meta.year.to_string())
            .collect();
        let option = last.options.first();
        let col =
            |w: &Indicator| option.map_or(Some(0), |o| w.options.iter().position(|x| x.id == o.id));
        let members: Vec<Option<String>> = last.rows.iter().map(|r| r.member.clone()).collect();
        let series: Vec<Series> = members
            .iter()
            .map(|m| {
                let values: Vec<Option<f64>> = waves
                    .iter()
                    .map(|w| {
                        let c = col(w)?;
                        w.rows
                            .iter()
                            .find(|r| &r.member == m)
                            .and_then(|r| r.values.get(c).copied().flatten())
                    })
                    .collect();
                let name = match (m, &last.breakdown) {
                    (Some(id), Some(d)) => d
                        .members
                        .iter()
                        .find(|x| &x.id == id)
                        .map_or(id.clone(), |x| self.text(&x.label).to_string()),
                    _ => self.tr("total").to_string(),
                };
                Series {
                    labels: values
                        .iter()
                        .map(|v| v.map(|v| self.format(last, v)))
                        .collect(),
                    name,
                    values,
                }
            })
            .collect();
        let title = match option {
            Some(o) => format!("{} — {}", self.text(&last.question), self.text(&o.label)),
            None => self.text(&last.question).to_string(),
        };
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let chart = Chart {
            id: format!("trend-{}-{n}", last.id),
            desc: self.summary(last, &categories, &series),
            title,
            categories,
            ticks: self.ticks(last, &series),
            series,
            rtl: self
                .site
                .language(self.lang)
                .is_some_and(|l| l.dir == crate::load::schema::Direction::Rtl),
        };
        Some(charts::render(ChartType::Line, &chart, self.style))
    }
}

/// A round number above `x` for the top of an axis (1, 2, 2.5 or 5 times a power of ten).
fn nice_ceiling(x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= x {
            return m * p;
        }
    }
    10.0 * p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_axis_tops() {
        assert_eq!(nice_ceiling(162.0), 200.0);
        assert_eq!(nice_ceiling(23.0), 25.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(100.0), 100.0);
    }
}
