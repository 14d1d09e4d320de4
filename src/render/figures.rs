//! Indicators on pages: a chart figure (SVG, caption, n and n_eff, interval level, marks of
//! small cells, non-responses and excluded options, source, data table, open-data links) for a
//! ```` ```chart ```` block or an indicator page, the crosstab tables, and the trend of an
//! indicator across editions with its breaks.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tera::{Context, Tera};

use super::charts::{self, Chart, Scale, Series, Style};
use super::locale::Locale;
use super::markdown::EmbedError;
use super::raster::Raster;
use crate::error::{Diagnostic, did_you_mean};
use crate::model::Indicator;
use crate::model::Site;
use crate::model::indicators::trend::{self, Reason};
use crate::model::indicators::{Cell, ChartType, Flag, IndicatorKind, Row};

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
    /// The page's address from the site root (a figure does not link to its own page).
    pub page_url: &'a str,
    /// The figures of the page: their ids, the files they bring.
    pub page: &'a PageFigures,
    /// The figure files already written by any page of this render (`None`: write none, as a
    /// print chapter, whose page writes them).
    pub written: Option<&'a Mutex<BTreeSet<String>>>,
    pub raster: &'a Raster,
}

/// The figures of one page: the ids given (a figure drawn twice gets a suffix the second
/// time), the figure files to write, the first figure's PNG.
#[derive(Debug, Default)]
pub(crate) struct PageFigures {
    ids: Mutex<BTreeMap<String, usize>>,
    files: Mutex<Vec<(String, Vec<u8>)>>,
    first_png: Mutex<Option<String>>,
}

impl PageFigures {
    /// A unique id on the page for the figure `id`: itself, then `id-2`, `id-3`…
    fn unique(&self, id: &str) -> String {
        let mut ids = self.ids.lock().unwrap_or_else(|e| e.into_inner());
        let n = ids.entry(id.to_string()).or_insert(0);
        *n += 1;
        if *n == 1 {
            id.to_string()
        } else {
            format!("{id}-{n}")
        }
    }

    /// The figure files to write (path from the site root, bytes), in the order drawn.
    pub(crate) fn take_files(&self) -> Vec<(String, Vec<u8>)> {
        std::mem::take(&mut *self.files.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The PNG of the page's first figure, from the site root.
    pub(crate) fn first_png(&self) -> Option<String> {
        self.first_png
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// What identifies a figure across pages: the stem of its files and the base of its id.
/// `<indicator>`, then `--<breakdown>` (or `--total`) when not the indicator's default view,
/// `--<type>` when not its default chart type, `--o<hash>` when only some options are shown.
fn figure_stem(
    ind: &Indicator,
    chart_type: ChartType,
    only: Option<&[String]>,
    view: View,
) -> String {
    let mut stem = ind.id.clone();
    if view != default_view(ind) {
        match view {
            View::Total => stem.push_str("--total"),
            View::Breakdown(d) => {
                stem.push_str("--");
                stem.push_str(&ind.breakdowns[d].id);
            }
            View::Crosstab(a, b) => {
                stem.push_str("--");
                stem.push_str(&ind.breakdowns[a].id);
                stem.push_str("-x-");
                stem.push_str(&ind.breakdowns[b].id);
            }
        }
    }
    if chart_type != ind.chart {
        stem.push_str("--");
        stem.push_str(chart_type.as_str());
    }
    if let Some(o) = only {
        use sha2::Digest;
        let h = sha2::Sha256::digest(o.join("\n").as_bytes());
        stem.push_str("--o");
        for b in &h[..4] {
            stem.push_str(&format!("{b:02x}"));
        }
    }
    stem
}

/// The id of a figure: the same on every page that draws it.
pub(crate) fn figure_id(edition: &str, stem: &str) -> String {
    format!("fig-{edition}--{stem}")
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
    /// The breakdown to show (default: the indicator's first), or `none` for the total.
    #[serde(default)]
    breakdown: Option<String>,
    /// Two breakdowns crossed, shown as tables.
    #[serde(default)]
    crosstab: Option<Vec<String>>,
}

/// Which rows of an indicator a figure shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    /// The whole sample.
    Total,
    /// The members of a breakdown (and the whole sample after them, when known).
    Breakdown(usize),
    /// Two breakdowns crossed.
    Crosstab(usize, usize),
}

#[derive(Serialize)]
struct TableCtx {
    caption: String,
    head: Vec<String>,
    rows: Vec<RowCtx>,
    has_n: bool,
    has_n_eff: bool,
    has_missing: bool,
}

#[derive(Serialize)]
struct RowCtx {
    label: String,
    /// The whole sample (« Ensemble »).
    total: bool,
    cells: Vec<CellCtx>,
    n: Option<String>,
    n_eff: Option<String>,
    missing: Option<String>,
}

#[derive(Serialize)]
struct CellCtx {
    text: String,
    /// The interval, formatted (`37,1 – 47,5`).
    ci: Option<String>,
    /// The cell's base, in crosstabs.
    n: Option<String>,
    /// The caution or suppression mark.
    mark: Option<String>,
    flag: &'static str,
}

/// What the permalink and downloads of a trend need.
#[derive(Serialize)]
struct TrendLinks {
    id: String,
    downloads: Downloads,
}

/// The figure's files, from the site root.
#[derive(Serialize, Default)]
struct Downloads {
    svg: Option<String>,
    png: Option<String>,
    csv: Option<String>,
    json: Option<String>,
}

#[derive(Serialize)]
struct FigureCtx<'a> {
    id: String,
    downloads: Downloads,
    indicator: &'a str,
    question: &'a str,
    /// `None` for a crosstab (tables only).
    svg: Option<String>,
    summary: String,
    n: Option<String>,
    /// Kish's effective size of the whole sample, when weighted.
    n_eff: Option<String>,
    weighted: bool,
    /// « Intervalles de confiance à 95 % … », when the figure has intervals.
    interval: Option<String>,
    /// Several answers per respondent.
    multi: bool,
    /// The excluded options with their share of all who answered.
    excluded: Vec<String>,
    /// Non-responses of the whole sample, formatted.
    missing: Option<String>,
    /// The marks used in the figure, with what they mean.
    marks: Vec<String>,
    source: Option<&'a str>,
    note: Option<&'a str>,
    table: Option<TableCtx>,
    crosstabs: Vec<TableCtx>,
    edition_title: &'a str,
    edition_url: String,
    csv_url: String,
    json_url: String,
    /// `None` on the indicator's own page.
    indicator_url: Option<String>,
    /// Only a trend chart (no single edition).
    trend: bool,
}

/// The default view of an indicator: its first breakdown, else the whole sample.
pub(crate) fn default_view(ind: &Indicator) -> View {
    if ind.breakdowns.is_empty() {
        View::Total
    } else {
        View::Breakdown(0)
    }
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
        } else if ind.kind == IndicatorKind::Count || v.abs() >= 1000.0 {
            self.locale.number(v, 0)
        } else if v.abs() >= 100.0 {
            self.locale.number(v, 1)
        } else {
            self.locale.number(v, 2)
        }
    }

    /// A number of the interval: without the percent sign, which the value carries.
    fn format_bound(&self, ind: &Indicator, v: f64) -> String {
        if ind.is_percent() {
            self.locale.number(v, 1)
        } else {
            self.format(ind, v)
        }
    }

    fn mark(&self, flag: Flag) -> Option<String> {
        match flag {
            Flag::None => None,
            Flag::Caution => Some(self.tr("stat_caution_mark").to_string()),
            Flag::Suppressed => Some(self.tr("stat_suppressed_mark").to_string()),
        }
    }

    /// A value as the chart labels it: the number and its caution mark.
    fn label(&self, ind: &Indicator, v: Option<f64>, cell: &Cell) -> Option<String> {
        let v = v?;
        Some(match cell.flag {
            Flag::Caution => format!("{}{}", self.format(ind, v), self.tr("stat_caution_mark")),
            _ => self.format(ind, v),
        })
    }

    fn is_rtl(&self) -> bool {
        self.site
            .language(self.lang)
            .is_some_and(|l| l.dir == crate::load::schema::Direction::Rtl)
    }

    fn column_name(&self, ind: &Indicator, c: usize) -> String {
        if ind.kind == IndicatorKind::Numeric {
            let key = ["stat_mean", "stat_median", "stat_q1", "stat_q3"][c.min(3)];
            return self.tr(key).to_string();
        }
        ind.options.get(c).map_or_else(
            || self.tr("value").to_string(),
            |o| self.text(&o.label).to_string(),
        )
    }

    fn row_name(&self, ind: &Indicator, r: &Row) -> String {
        match (r.dimension, &r.member) {
            (Some(d), Some(id)) => self.member_name(ind, d, id),
            _ => self.tr("total").to_string(),
        }
    }

    fn member_name(&self, ind: &Indicator, d: usize, id: &str) -> String {
        ind.breakdowns[d]
            .members
            .iter()
            .find(|x| x.id == id)
            .map_or(id.to_string(), |x| self.text(&x.label).to_string())
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
                    "write `indicator: <id>` and optionally `type:`, `edition:`, `options:`, `breakdown:`, `crosstab:`".into(),
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
        let view = self.view(ind, &block).map_err(|(m, h)| fail(m, h))?;
        self.figure(ind, chart_type, block.options.as_deref(), view)
            .map_err(EmbedError::Located)
    }

    /// The view a block asks for, checked against the indicator.
    fn view(&self, ind: &Indicator, block: &ChartBlock) -> Result<View, (String, Option<String>)> {
        let dims = || {
            let ids: Vec<&str> = ind.breakdowns.iter().map(|d| d.id.as_str()).collect();
            if ids.is_empty() {
                "it has no breakdown".to_string()
            } else {
                format!("its breakdowns: {}", ids.join(", "))
            }
        };
        let find = |id: &str| {
            ind.breakdown_index(id).ok_or_else(|| {
                (
                    format!("indicator `{}` has no breakdown `{id}`", ind.id),
                    did_you_mean(id, ind.breakdowns.iter().map(|d| d.id.as_str()))
                        .or_else(|| Some(dims())),
                )
            })
        };
        if let Some(pair) = &block.crosstab {
            if block.breakdown.is_some() {
                return Err(("give `breakdown` or `crosstab`, not both".into(), None));
            }
            let [a, b] = pair.as_slice() else {
                return Err((
                    format!("`crosstab` crosses two breakdowns, not {}", pair.len()),
                    Some("e.g. `crosstab: [secteur, region]`".into()),
                ));
            };
            let (a, b) = (find(a)?, find(b)?);
            if !ind.crosstabs.iter().any(|x| x.dims == (a.min(b), a.max(b))) || a == b {
                return Err((
                    format!("indicator `{}` has no crosstab of these breakdowns", ind.id),
                    Some(
                        "crosstabs are computed from raw `responses` with two or more `breakdowns`"
                            .into(),
                    ),
                ));
            }
            return Ok(View::Crosstab(a, b));
        }
        match block.breakdown.as_deref() {
            None => Ok(default_view(ind)),
            Some("none") => match ind.total() {
                Some(_) => Ok(View::Total),
                None => Err((
                    format!("indicator `{}` has no figure for the whole sample", ind.id),
                    Some("its published values are per member: show a breakdown".into()),
                )),
            },
            Some(id) => find(id).map(View::Breakdown),
        }
    }

    /// The rows a view shows, in order: the members, then the whole sample.
    fn rows<'i>(&self, ind: &'i Indicator, view: View) -> Vec<&'i Row> {
        match view {
            View::Total => ind.total().into_iter().collect(),
            View::Breakdown(d) | View::Crosstab(d, _) => {
                ind.rows_of(d).chain(ind.total()).collect()
            }
        }
    }

    /// The figure of one indicator in one edition.
    pub(crate) fn figure(
        &self,
        ind: &Indicator,
        chart_type: ChartType,
        only: Option<&[String]>,
        view: View,
    ) -> Result<String, Diagnostic> {
        let ed = &self.site.editions[ind.edition];
        let stem = figure_stem(ind, chart_type, only, view);
        let base = figure_id(&ed.id, &stem);
        let id = self.page.unique(&base);
        let columns: Vec<usize> = (0..ind.columns().len())
            .filter(|&c| only.is_none_or(|o| ind.options.get(c).is_some_and(|x| o.contains(&x.id))))
            .collect();
        let rows = self.rows(ind, view);
        let mut flags: Vec<Flag> = rows
            .iter()
            .flat_map(|r| columns.iter().map(|&c| r.cells[c].flag))
            .collect();
        let mut downloads = Downloads::default();
        let (svg, summary, table, crosstabs) = match view {
            View::Crosstab(a, b) => {
                let tables = self.crosstabs(ind, a, b, &columns, &mut flags);
                (None, self.tr("chart_no_data").to_string(), None, tables)
            }
            _ => {
                let mut chart = self.chart(ind, chart_type, &columns, &rows, &id);
                let summary = chart.desc.clone();
                let svg = charts::render(chart_type, &chart, self.style);
                // The files are the same whichever page draws the figure: drawn with its base id.
                chart.id.clone_from(&base);
                let footer = self.footer(ind);
                let dir = format!("data/{}/figures", ed.id);
                let (svg_path, png_path) = self.files(&dir, &stem, || {
                    charts::standalone(chart_type, &chart, self.style, &footer)
                })?;
                downloads.svg = Some(svg_path);
                downloads.png = Some(png_path);
                (
                    Some(svg),
                    summary,
                    Some(self.table(ind, &columns, &rows)),
                    Vec::new(),
                )
            }
        };
        let total = ind.total();
        let has_ci = rows
            .iter()
            .any(|r| columns.iter().any(|&c| r.cells[c].ci.is_some()));
        let csv_url = format!("data/{}/{}.csv", ed.id, ind.id);
        let json_url = format!("data/{}/{}.json", ed.id, ind.id);
        downloads.csv = Some(csv_url.clone());
        downloads.json = Some(json_url.clone());
        let indicator_url = Site::url(
            self.lang,
            &format!("{}/{}", self.site.indicators_path, ind.id),
        );
        let ctx = FigureCtx {
            id,
            downloads,
            indicator: &ind.id,
            question: self.text(&ind.question),
            svg,
            summary,
            n: ind.n.map(|n| self.locale.integer(n as i64)),
            n_eff: total
                .and_then(|t| t.n_eff)
                .filter(|_| ind.weighted)
                .map(|n| self.locale.number(n, 0)),
            weighted: ind.weighted,
            interval: has_ci.then(|| self.interval_note(ind)),
            multi: ind.kind == IndicatorKind::Multi,
            excluded: self.excluded(ind),
            missing: total
                .and_then(|t| t.missing)
                .filter(|&m| m > 0)
                .map(|m| self.locale.integer(m as i64)),
            marks: self.marks(&flags),
            source: ind.source.as_ref().map(|s| self.text(s)),
            note: ind.note.as_ref().map(|s| self.text(s)),
            table,
            crosstabs,
            edition_title: self.text(&ed.meta.title),
            edition_url: Site::url(self.lang, &ed.path),
            csv_url,
            json_url,
            indicator_url: (indicator_url != self.page_url).then_some(indicator_url),
            trend: false,
        };
        self.render_partial(&ctx)
    }

    /// The lines under a standalone figure: the edition and the number of respondents.
    fn footer(&self, ind: &Indicator) -> Vec<String> {
        let ed = &self.site.editions[ind.edition];
        let n = match ind.n {
            Some(n) => format!("{} {}", self.tr("chart_n"), self.locale.integer(n as i64)),
            None => self.tr("chart_n_unknown").to_string(),
        };
        vec![self.text(&ed.meta.title).to_string(), n]
    }

    /// The paths of a figure's SVG and PNG in this language (`<dir>/<stem>.<lang>.svg`, `dir`
    /// being `data/<edition>/figures`), drawing them with `draw` when no page of this render
    /// has yet.
    fn files(
        &self,
        dir: &str,
        stem: &str,
        draw: impl FnOnce() -> String,
    ) -> Result<(String, String), Diagnostic> {
        let base = format!("{dir}/{stem}.{}", self.lang);
        let (svg_path, png_path) = (format!("{base}.svg"), format!("{base}.png"));
        {
            let mut first = self
                .page
                .first_png
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if first.is_none() {
                *first = Some(png_path.clone());
            }
        }
        let Some(written) = self.written else {
            return Ok((svg_path, png_path));
        };
        let fresh = written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(svg_path.clone());
        if fresh {
            let svg = draw();
            let png = self.raster.png(&svg).map_err(|e| {
                Diagnostic::file(
                    &self.site.theme.dir,
                    format!(
                        "cannot draw the PNG of figure `{stem}` ({}): {e}",
                        self.lang
                    ),
                )
            })?;
            let mut files = self.page.files.lock().unwrap_or_else(|e| e.into_inner());
            files.push((svg_path.clone(), svg.into_bytes()));
            files.push((png_path.clone(), png));
        }
        Ok((svg_path, png_path))
    }

    /// « Intervalles de confiance à 95 % (…) »: the level and the method.
    fn interval_note(&self, ind: &Indicator) -> String {
        let level = self
            .locale
            .percent(self.site.statistics.confidence * 100.0, 1);
        let mut s = self.tr("stat_interval").replace("{level}", &level);
        if ind.aggregated {
            let method = if ind.kind == IndicatorKind::Numeric {
                "stat_interval_mean"
            } else {
                "stat_interval_wilson"
            };
            s.push_str(self.tr(method));
            if ind.weighted {
                s.push_str(self.tr("stat_interval_weighted"));
            }
        }
        s
    }

    /// The excluded options with their share of all who answered, for the whole sample.
    fn excluded(&self, ind: &Indicator) -> Vec<String> {
        let Some(total) = ind.total() else {
            return Vec::new();
        };
        (0..ind.options.len())
            .filter(|&c| ind.excluded[c])
            .map(|c| {
                let value = match (total.values[c], total.cells[c].flag) {
                    (Some(v), _) => self
                        .label(ind, Some(v), &total.cells[c])
                        .unwrap_or_default(),
                    (None, _) => self.tr("value_unknown").to_string(),
                };
                self.tr("stat_excluded_item")
                    .replace("{label}", &self.column_name(ind, c))
                    .replace("{value}", &value)
            })
            .collect()
    }

    fn marks(&self, flags: &[Flag]) -> Vec<String> {
        let s = &self.site.statistics;
        let mut out = Vec::new();
        if flags.contains(&Flag::Caution) {
            out.push(format!(
                "{} {}",
                self.tr("stat_caution_mark"),
                self.tr("stat_caution_legend")
                    .replace("{caution_n}", &self.locale.integer(s.caution_n as i64))
            ));
        }
        if flags.contains(&Flag::Suppressed) {
            out.push(format!(
                "{} {}",
                self.tr("stat_suppressed_mark"),
                self.tr("stat_suppressed_legend")
                    .replace("{min_n}", &self.locale.integer(s.min_n as i64))
            ));
        }
        out
    }

    fn cell_ctx(&self, ind: &Indicator, v: Option<f64>, cell: &Cell, with_n: bool) -> CellCtx {
        let text = match (v, cell.flag) {
            (_, Flag::Suppressed) => self.tr("stat_suppressed_mark").to_string(),
            (Some(v), _) => self.format(ind, v),
            (None, _) => self.tr("value_unknown").to_string(),
        };
        CellCtx {
            text,
            ci: cell.ci.filter(|_| v.is_some()).map(|(lo, hi)| {
                self.tr("stat_ci_range")
                    .replace("{low}", &self.format_bound(ind, lo))
                    .replace("{high}", &self.format_bound(ind, hi))
            }),
            n: cell
                .n
                .filter(|_| with_n)
                .map(|n| self.locale.integer(n as i64)),
            mark: if cell.flag == Flag::Caution {
                self.mark(cell.flag)
            } else {
                None
            },
            flag: cell.flag.as_str(),
        }
    }

    /// The data table of a figure: one line per row, one column per value, then the
    /// excluded options, n, n_eff and the non-responses.
    fn table(&self, ind: &Indicator, columns: &[usize], rows: &[&Row]) -> TableCtx {
        let head: Vec<String> = columns
            .iter()
            .map(|&c| {
                let name = self.column_name(ind, c);
                if ind.excluded.get(c).copied().unwrap_or(false) {
                    self.tr("stat_excluded_head").replace("{label}", &name)
                } else {
                    name
                }
            })
            .collect();
        let has_n_eff = ind.weighted && rows.iter().any(|r| r.n_eff.is_some());
        TableCtx {
            caption: self.text(&ind.question).to_string(),
            head,
            rows: rows
                .iter()
                .map(|r| RowCtx {
                    label: self.row_name(ind, r),
                    total: r.dimension.is_none(),
                    cells: columns
                        .iter()
                        .map(|&c| self.cell_ctx(ind, r.values[c], &r.cells[c], false))
                        .collect(),
                    n: r.n.map(|n| self.locale.integer(n as i64)),
                    n_eff: r
                        .n_eff
                        .filter(|_| has_n_eff)
                        .map(|n| self.locale.number(n, 0)),
                    missing: r.missing.map(|m| self.locale.integer(m as i64)),
                })
                .collect(),
            has_n: rows.iter().any(|r| r.n.is_some()),
            has_n_eff,
            has_missing: rows.iter().any(|r| r.missing.is_some()),
        }
    }

    /// One table per value column: members of breakdown `a` down, of `b` across, with the
    /// members' and the whole sample's figures in the margins.
    fn crosstabs(
        &self,
        ind: &Indicator,
        a: usize,
        b: usize,
        columns: &[usize],
        flags: &mut Vec<Flag>,
    ) -> Vec<TableCtx> {
        let (lo, hi) = (a.min(b), a.max(b));
        let Some(x) = ind.crosstabs.iter().find(|x| x.dims == (lo, hi)) else {
            return Vec::new();
        };
        let cell = |ma: &str, mb: &str| {
            x.rows.iter().find(|r| {
                let (ra, rb) = (r.member.as_deref(), r.member2.as_deref());
                if a == lo {
                    ra == Some(ma) && rb == Some(mb)
                } else {
                    ra == Some(mb) && rb == Some(ma)
                }
            })
        };
        let (da, db) = (&ind.breakdowns[a], &ind.breakdowns[b]);
        let mut tables = Vec::new();
        let value_columns: Vec<usize> = columns
            .iter()
            .copied()
            .filter(|&c| !ind.excluded.get(c).copied().unwrap_or(false))
            .take(if ind.kind == IndicatorKind::Numeric {
                1
            } else {
                usize::MAX
            })
            .collect();
        for c in value_columns {
            let mut head: Vec<String> = db
                .members
                .iter()
                .map(|m| self.text(&m.label).to_string())
                .collect();
            head.push(self.tr("total").to_string());
            let margin_b: Vec<&Row> = ind.rows_of(b).collect();
            let mut rows = Vec::new();
            for ma in &da.members {
                let mut cells = Vec::new();
                for mb in &db.members {
                    match cell(&ma.id, &mb.id) {
                        Some(r) => {
                            flags.push(r.cells[c].flag);
                            cells.push(self.cell_ctx(ind, r.values[c], &r.cells[c], true));
                        }
                        None => cells.push(self.cell_ctx(ind, None, &Cell::default(), false)),
                    }
                }
                let margin = ind
                    .rows_of(a)
                    .find(|r| r.member.as_deref() == Some(ma.id.as_str()));
                cells.push(margin.map_or_else(
                    || self.cell_ctx(ind, None, &Cell::default(), false),
                    |r| self.cell_ctx(ind, r.values[c], &r.cells[c], true),
                ));
                rows.push(RowCtx {
                    label: self.text(&ma.label).to_string(),
                    total: false,
                    cells,
                    n: None,
                    n_eff: None,
                    missing: None,
                });
            }
            let mut cells: Vec<CellCtx> = margin_b
                .iter()
                .map(|r| self.cell_ctx(ind, r.values[c], &r.cells[c], true))
                .collect();
            if let Some(t) = ind.total() {
                cells.push(self.cell_ctx(ind, t.values[c], &t.cells[c], true));
            }
            rows.push(RowCtx {
                label: self.tr("total").to_string(),
                total: true,
                cells,
                n: None,
                n_eff: None,
                missing: None,
            });
            tables.push(TableCtx {
                caption: self
                    .tr("stat_crosstab_caption")
                    .replace("{question}", self.text(&ind.question))
                    .replace("{option}", &self.column_name(ind, c))
                    .replace("{dim_a}", self.text(&da.label))
                    .replace("{dim_b}", self.text(&db.label)),
                head,
                rows,
                has_n: false,
                has_n_eff: false,
                has_missing: false,
            });
        }
        tables
    }

    /// The chart of a figure: its categories, series, intervals and absent cells.
    fn chart(
        &self,
        ind: &Indicator,
        kind: ChartType,
        columns: &[usize],
        rows: &[&Row],
        id: &str,
    ) -> Chart {
        // What the chart draws: the options in the base (excluded ones are shown beside),
        // a numeric indicator's mean and median.
        let mut cols: Vec<usize> = if ind.kind == IndicatorKind::Numeric {
            vec![0, 1]
        } else {
            columns
                .iter()
                .copied()
                .filter(|&c| {
                    !ind.excluded.get(c).copied().unwrap_or(false)
                        || ind.kind == IndicatorKind::Count
                })
                .collect()
        };
        let series_of = |name: String, cells: Vec<(Option<f64>, &Cell)>| {
            series_of_cells(name, &cells, |v, c| self.label(ind, v, c))
        };
        let options_across = ind.kind == IndicatorKind::Multi
            || (rows.len() == 1
                && rows[0].dimension.is_none()
                && !matches!(
                    kind,
                    ChartType::Pie
                        | ChartType::Donut
                        | ChartType::StackedBar
                        | ChartType::DivergingBar
                        | ChartType::Points
                ));
        let (categories, series): (Vec<String>, Vec<Series>) = if options_across {
            if ind.kind == IndicatorKind::Multi {
                // Most chosen first, in the whole sample (or the first row).
                let reference = rows
                    .iter()
                    .rev()
                    .find(|r| r.dimension.is_none())
                    .or(rows.first());
                if let Some(r) = reference {
                    cols.sort_by(|&x, &y| {
                        let v = |c: usize| r.values[c].unwrap_or(-1.0);
                        v(y).total_cmp(&v(x)).then(x.cmp(&y))
                    });
                }
            }
            let name = |r: &Row| {
                if rows.len() == 1 {
                    self.text(&ind.question).to_string()
                } else {
                    self.row_name(ind, r)
                }
            };
            (
                cols.iter().map(|&c| self.column_name(ind, c)).collect(),
                rows.iter()
                    .map(|r| {
                        series_of(
                            name(r),
                            cols.iter().map(|&c| (r.values[c], &r.cells[c])).collect(),
                        )
                    })
                    .collect(),
            )
        } else {
            (
                rows.iter().map(|r| self.row_name(ind, r)).collect(),
                cols.iter()
                    .map(|&c| {
                        series_of(
                            self.column_name(ind, c),
                            rows.iter().map(|r| (r.values[c], &r.cells[c])).collect(),
                        )
                    })
                    .collect(),
            )
        };
        let scale = (kind == ChartType::DivergingBar).then(|| scale_of(ind, &cols));
        let summary = self.summary(ind, &categories, &series, options_across);
        let ticks = self.ticks(ind, kind, &series);
        let s = &self.site.statistics;
        Chart {
            id: id.to_string(),
            title: self.text(&ind.question).to_string(),
            desc: summary,
            categories,
            series,
            ticks,
            rtl: self.is_rtl(),
            absent_label: format!(
                "{} {}",
                self.tr("stat_suppressed_mark"),
                self.tr("stat_suppressed_cell")
                    .replace("{min_n}", &self.locale.integer(s.min_n as i64))
            ),
            absent_mark: self.tr("stat_suppressed_mark").to_string(),
            scale,
            breaks: Vec::new(),
            primary: None,
        }
    }

    fn render_partial(&self, figure: &impl Serialize) -> Result<String, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert("figure", figure);
        ctx.insert("root", self.root);
        self.tera.render("partials/chart.html", &ctx).map_err(|e| {
            super::templates::to_diagnostic(&e, &self.site.theme, Some("partials/chart.html"))
        })
    }

    /// One line saying what the chart shows: per series, its lowest and highest category
    /// (each value when the categories are the options).
    fn summary(
        &self,
        ind: &Indicator,
        categories: &[String],
        series: &[Series],
        each: bool,
    ) -> String {
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
            if each || categories.len() == 1 || known.len() == 1 {
                for (i, v) in &known {
                    let label = s.labels[*i].clone().unwrap_or_else(|| self.format(ind, *v));
                    let named = if each {
                        series.len() > 1
                    } else {
                        known.len() == 1 && categories.len() > 1
                    };
                    let what = if named {
                        format!("{} — {}", s.name, categories[*i])
                    } else {
                        categories[*i].clone()
                    };
                    parts.push(
                        self.tr("chart_summary_value")
                            .replace("{label}", &what)
                            .replace("{value}", &label),
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

    fn ticks(&self, ind: &Indicator, kind: ChartType, series: &[Series]) -> Vec<(f64, String)> {
        let max = series
            .iter()
            .flat_map(|s| {
                s.values
                    .iter()
                    .flatten()
                    .copied()
                    .chain(s.ci.iter().flatten().map(|c| c.1))
            })
            .fold(0.0f64, f64::max);
        let top = match kind {
            ChartType::DivergingBar => 100.0,
            _ if ind.kind == IndicatorKind::Share || ind.kind == IndicatorKind::Likert => 100.0,
            _ => nice_ceiling(max),
        };
        (0..=4)
            .map(|i| {
                let v = top * f64::from(i) / 4.0;
                (v, self.format(ind, v))
            })
            .collect()
    }

    /// The figure of an indicator across editions (oldest first): a line chart of the first
    /// option (a numeric indicator's mean, a value), with its intervals as a band, per member
    /// of a breakdown every wave has and for the whole sample; cut where the series breaks,
    /// with a note saying why. Members missing from a wave are gaps.
    pub(crate) fn trend(&self, waves: &[&Indicator]) -> Result<Option<String>, Diagnostic> {
        let Some(last) = waves.last() else {
            return Ok(None);
        };
        let categories: Vec<String> = waves
            .iter()
            .map(|w| self.site.editions[w.edition].meta.year.to_string())
            .collect();
        let option = last
            .options
            .iter()
            .find(|o| !last.excluded[last.options.iter().position(|x| x.id == o.id).unwrap_or(0)]);
        let col = |w: &Indicator| match option {
            Some(o) => w.options.iter().position(|x| x.id == o.id),
            None => Some(0),
        };
        let edition = |e: usize| self.site.editions[e].id.as_str();
        let breaks = trend::breaks(waves, &edition);
        let common = trend::common_breakdown(waves);
        // Series: (dimension id, member id) or the whole sample.
        let mut keys: Vec<Option<(&str, &str)>> = Vec::new();
        if let Some(dim) = common
            && let Some(d) = last.breakdowns.iter().find(|d| d.id == dim)
        {
            keys.extend(d.members.iter().map(|m| Some((dim, m.id.as_str()))));
        }
        if waves.iter().any(|w| w.total().is_some()) || keys.is_empty() {
            keys.push(None);
        }
        let find = |w: &'_ Indicator, key: Option<(&str, &str)>| -> Option<(Option<f64>, Cell)> {
            let c = col(w)?;
            let row = match key {
                None => w.total()?,
                Some((dim, m)) => {
                    let d = w.breakdown_index(dim)?;
                    w.rows_of(d).find(|r| r.member.as_deref() == Some(m))?
                }
            };
            Some((
                row.values.get(c).copied().flatten(),
                row.cells.get(c).cloned().unwrap_or_default(),
            ))
        };
        let series: Vec<Series> = keys
            .iter()
            .map(|&key| {
                let points: Vec<(Option<f64>, Cell)> = waves
                    .iter()
                    .map(|w| find(w, key).unwrap_or((None, Cell::default())))
                    .collect();
                let name = match key {
                    Some((dim, m)) => last
                        .breakdown_index(dim)
                        .map_or(m.to_string(), |d| self.member_name(last, d, m)),
                    None => self.tr("total").to_string(),
                };
                series_of_cells(name, &points, |v, c| self.label(last, v, c))
            })
            .collect();
        let title = match option {
            Some(o) => format!("{} — {}", self.text(&last.question), self.text(&o.label)),
            None if last.kind == IndicatorKind::Numeric => {
                format!("{} — {}", self.text(&last.question), self.tr("stat_mean"))
            }
            None => self.text(&last.question).to_string(),
        };
        let notes = self.trend_notes(waves, &categories, &breaks, common.is_none());
        let base = format!("fig-{}--trend", last.id);
        let id = self.page.unique(&base);
        let mut chart = Chart {
            id,
            desc: self.trend_summary(last, &categories, &series),
            title,
            categories,
            ticks: self.ticks(last, ChartType::Line, &series),
            series,
            rtl: self.is_rtl(),
            absent_label: String::new(),
            absent_mark: self.tr("stat_suppressed_mark").to_string(),
            scale: None,
            breaks: Vec::new(),
            // The whole sample with its band and labels, the members as thin lines.
            primary: (keys.len() > 1)
                .then(|| keys.iter().position(Option::is_none))
                .flatten(),
        };
        chart.breaks = breaks
            .iter()
            .map(|b| (b.after, self.tr("trend_break_short").to_string()))
            .collect();
        let svg = charts::render(ChartType::Line, &chart, self.style);
        let id = chart.id.clone();
        chart.id = base;
        let stem = format!("{}--trend", last.id);
        let footer = vec![chart.categories.join(" · ")];
        let (svg_path, png_path) = self.trend_files(&stem, || {
            charts::standalone(ChartType::Line, &chart, self.style, &footer)
        })?;
        let mut html = format!(r#"<div class="trend-figure" id="{}">"#, charts::esc(&id));
        html.push_str(&svg);
        if !notes.is_empty() {
            html.push_str(r#"<ul class="chart-notes trend-notes">"#);
            for note in notes {
                html.push_str("<li>");
                html.push_str(&charts::esc(&note));
                html.push_str("</li>");
            }
            html.push_str("</ul>");
        }
        let links = TrendLinks {
            id,
            downloads: Downloads {
                svg: Some(svg_path),
                png: Some(png_path),
                csv: None,
                json: None,
            },
        };
        html.push_str(&self.render_links(&links)?);
        html.push_str("</div>");
        Ok(Some(html))
    }

    /// The trend's files: language-specific, across editions (`data/figures/`).
    fn trend_files(
        &self,
        stem: &str,
        draw: impl FnOnce() -> String,
    ) -> Result<(String, String), Diagnostic> {
        self.files("data/figures", stem, draw)
    }

    fn render_links(&self, links: &TrendLinks) -> Result<String, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert("figure", links);
        ctx.insert("root", self.root);
        self.tera
            .render("partials/figure-links.html", &ctx)
            .map_err(|e| {
                super::templates::to_diagnostic(
                    &e,
                    &self.site.theme,
                    Some("partials/figure-links.html"),
                )
            })
    }

    /// The notes under a trend: each break and why, and what a comparison of totals leaves out.
    fn trend_notes(
        &self,
        waves: &[&Indicator],
        categories: &[String],
        breaks: &[trend::Break<'_>],
        totals_only: bool,
    ) -> Vec<String> {
        let break_label = |b: &trend::Break<'_>| {
            self.tr("trend_break")
                .replace("{from}", &categories[b.after])
                .replace("{to}", &categories[b.after + 1])
        };
        let mut notes: Vec<String> = breaks
            .iter()
            .map(|b| {
                let why = match (b.note, &b.reason) {
                    (Some(n), _) => self.text(n).to_string(),
                    (None, Reason::Declared) => self.tr("trend_break_declared").to_string(),
                    (None, _) => self.tr("trend_break_changed").to_string(),
                };
                format!(
                    "{}{}{}",
                    break_label(b),
                    self.tr("trend_break_separator"),
                    why
                )
            })
            .collect();
        if totals_only && waves.iter().any(|w| !w.breakdowns.is_empty()) {
            notes.push(self.tr("trend_totals_only").to_string());
            // A wave published per member only has no point: say so rather than draw nothing.
            for (w, year) in waves.iter().zip(categories) {
                if w.total().is_none() {
                    notes.push(self.tr("trend_no_total").replace("{year}", year));
                }
            }
        }
        notes
    }

    /// Per series, its first and last known wave (one value when it has one).
    fn trend_summary(&self, ind: &Indicator, categories: &[String], series: &[Series]) -> String {
        let parts: Vec<String> = series
            .iter()
            .filter_map(|s| {
                let known: Vec<(usize, f64)> = s
                    .values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.map(|v| (i, v)))
                    .collect();
                let (first, last) = (known.first()?, known.last()?);
                Some(if known.len() == 1 {
                    self.tr("chart_summary_value")
                        .replace("{label}", &format!("{} ({})", s.name, categories[first.0]))
                        .replace("{value}", &self.format(ind, first.1))
                } else {
                    self.tr("trend_summary_range")
                        .replace("{series}", &s.name)
                        .replace("{first}", &self.format(ind, first.1))
                        .replace("{first_label}", &categories[first.0])
                        .replace("{last}", &self.format(ind, last.1))
                        .replace("{last_label}", &categories[last.0])
                })
            })
            .collect();
        if parts.is_empty() {
            self.tr("chart_no_data").to_string()
        } else {
            parts.join(self.tr("summary_separator"))
        }
    }
}

/// The sides of a Likert scale drawn with columns `cols`: before `neutral` negative, after it
/// positive; without `neutral`, two halves (the middle point of an odd scale is neutral).
/// A series from cells: their values, labels, intervals (where a value is shown) and the
/// suppressed ones drawn absent.
fn series_of_cells<C: std::borrow::Borrow<Cell>>(
    name: String,
    cells: &[(Option<f64>, C)],
    label: impl Fn(Option<f64>, &Cell) -> Option<String>,
) -> Series {
    let mut s = Series::new(
        name,
        cells.iter().map(|(v, _)| *v).collect(),
        cells.iter().map(|(v, c)| label(*v, c.borrow())).collect(),
    );
    s.ci = cells
        .iter()
        .map(|(v, c)| c.borrow().ci.filter(|_| v.is_some()))
        .collect();
    s.absent = cells
        .iter()
        .map(|(_, c)| c.borrow().flag == Flag::Suppressed)
        .collect();
    s
}

fn scale_of(ind: &Indicator, cols: &[usize]) -> Scale {
    let k = cols.len();
    match ind.neutral.and_then(|n| cols.iter().position(|&c| c == n)) {
        Some(n) => Scale {
            negative: n,
            neutral: Some(n),
        },
        None if k % 2 == 1 => Scale {
            negative: k / 2,
            neutral: Some(k / 2),
        },
        None => Scale {
            negative: k / 2,
            neutral: None,
        },
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
