//! Inline SVG charts: vertical and horizontal bars, 100 % stacked bars, pie and donut, line,
//! diverging stacked bars (Likert scales) and points with intervals (numeric answers).
//! Intervals are drawn as whiskers on bars and points and as a band on lines; a suppressed
//! cell (too few respondents) is drawn visibly absent: a dashed outline with its mark; a break
//! in a series cuts the line and is marked.
//!
//! Written by hand rather than with charts-rs (evaluated: see README "Decisions"): charts-rs
//! places every label by its left edge after measuring it with an embedded Latin-only font,
//! formats numbers itself (`18%`, decimal point) and has no right-to-left mode. Here every
//! text is anchored (`text-anchor`), so Arabic needs no measuring; numbers arrive already
//! formatted per locale (CLDR, by the caller); right-to-left charts mirror their reading
//! order (categories from the right, legend on the right, bars growing leftwards). The SVG
//! carries `role="img"`, `<title>` and `<desc>`; every text is XML-escaped.

use std::fmt::Write;

use crate::model::indicators::ChartType;

/// One series (an answer option, or the indicator's value).
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
    /// The values formatted per locale, same length as `values` (`None`: not published).
    pub labels: Vec<Option<String>>,
    /// Intervals, same length (`None`: none known).
    pub ci: Vec<Option<(f64, f64)>>,
    /// Suppressed cells (too few respondents): drawn visibly absent.
    pub absent: Vec<bool>,
}

impl Series {
    pub(crate) fn new(
        name: String,
        values: Vec<Option<f64>>,
        labels: Vec<Option<String>>,
    ) -> Series {
        let n = values.len();
        Series {
            name,
            values,
            labels,
            ci: vec![None; n],
            absent: vec![false; n],
        }
    }
}

/// The sides of a diverging scale: series `0..negative` are the negative side, `neutral`
/// (if any) is split across the centre line, the others are the positive side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scale {
    pub negative: usize,
    pub neutral: Option<usize>,
}

/// What to draw. `categories` are the x values (members, options or editions).
#[derive(Debug, Clone)]
pub(crate) struct Chart {
    /// Unique id on the page (for `aria-labelledby`).
    pub id: String,
    pub title: String,
    pub desc: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// Axis tick labels formatter input: the tick values, formatted by the caller.
    pub ticks: Vec<(f64, String)>,
    pub rtl: bool,
    /// Drawn on a suppressed cell where there is room (`‡ fewer than 10 respondents`).
    pub absent_label: String,
    /// Drawn on a suppressed cell where room is short (`‡`).
    pub absent_mark: String,
    /// `diverging-bar`: the sides of the scale.
    pub scale: Option<Scale>,
    /// `line`: breaks in the series, after category `i`, with their label.
    pub breaks: Vec<(usize, String)>,
    /// `line`: the series drawn with its band and labels (the whole sample); the others are
    /// thin lines. `None`: every series is.
    pub primary: Option<usize>,
}

/// The theme's look.
#[derive(Debug, Clone)]
pub(crate) struct Style {
    pub palette: Vec<String>,
    pub font: String,
    pub ink: String,
    pub muted: String,
    pub grid: String,
    /// Diverging scale: strong negative, light negative, neutral, light positive, strong
    /// positive.
    pub diverging: Vec<String>,
}

/// The width of every chart, in SVG units. Narrow on purpose: a phone draws it at about its
/// own width (288–358 CSS px on a 320–390 px screen), so a 14-unit text is 12.6–15.7 px; a
/// desktop caps it with a CSS `max-inline-size` (site.css), so text stays near body size.
pub(crate) const W: f64 = 320.0;
const PAD: f64 = 12.0;
/// The smallest text drawn (units): 12.6 CSS px at the narrowest phone width.
const SMALL: f64 = 14.0;

/// The width of `s` drawn at `size` units, estimated (no font metrics at render time): per
/// character class, generous for Noto Sans and Noto Naskh Arabic. Format characters (direction
/// marks, isolates) take no room; a narrow no-break space a quarter of an em.
pub(crate) fn text_width(s: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            '\u{200B}'..='\u{200F}'
            | '\u{2066}'..='\u{2069}'
            | '\u{202A}'..='\u{202E}'
            | '\u{061C}' => 0.0,
            '\u{202F}' | '\u{2009}' | '\u{200A}' => 0.25,
            ' ' | '\u{00A0}' => 0.28,
            '0'..='9' => 0.58,
            '%' | '\u{066A}' => 0.86,
            '.' | ',' | ':' | ';' | '\'' | '’' | '|' | 'i' | 'l' | 'j' | 'í' | 'î' | 'ï' => {
                0.3
            }
            'm' | 'w' | 'M' | 'W' | '—' | '…' => 0.9,
            'A'..='Z' => 0.66,
            '\u{0600}'..='\u{06FF}' => 0.5,
            _ => 0.57,
        })
        .sum();
    em * size * if bold { 1.07 } else { 1.0 }
}

/// The WCAG relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let hex = hex.trim_start_matches('#');
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(0.0, |v| {
                let c = f64::from(v) / 255.0;
                if c <= 0.03928 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            })
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

/// The WCAG contrast ratio of two `#rrggbb` colours.
pub(crate) fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The background charts are drawn on (the figure's card, and the standalone files).
pub(crate) const BACKGROUND: &str = "#ffffff";

/// Escapes text for SVG/XML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

impl Style {
    fn color(&self, i: usize) -> &str {
        self.palette
            .get(i % self.palette.len().max(1))
            .map_or("#555", String::as_str)
    }

    /// The colour of point `i` of a diverging scale of `k` points with sides `scale`.
    fn diverging_color(&self, i: usize, k: usize, scale: Scale) -> String {
        let d = |j: usize| self.diverging.get(j).map_or("#888888", String::as_str);
        if Some(i) == scale.neutral {
            return d(2).to_string();
        }
        let positive_start = scale.negative + usize::from(scale.neutral.is_some());
        let (from, to, pos, len) = if i < scale.negative {
            // Strong at the far end (index 0), light near the centre.
            (d(0), d(1), i, scale.negative)
        } else {
            (d(4), d(3), k - 1 - i, k - positive_start)
        };
        let t = if len > 1 {
            pos as f64 / (len - 1) as f64
        } else {
            0.0
        };
        mix(from, to, t)
    }
}

/// The colour `t` (0–1) of the way from `a` to `b` (`#rrggbb`).
fn mix(a: &str, b: &str, t: f64) -> String {
    let ch = |s: &str, i: usize| {
        s.trim_start_matches('#')
            .get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(128.0, f64::from)
    };
    let c = |i: usize| (ch(a, i) + (ch(b, i) - ch(a, i)) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", c(0), c(2), c(4))
}

/// Picks white or dark text for a label drawn on `bg` (`#rrggbb`), for contrast.
fn on(bg: &str) -> &'static str {
    if luminance(bg) > 0.35 {
        "#1d2327"
    } else {
        "#ffffff"
    }
}

struct Svg {
    body: String,
    /// The id of the hatching pattern (unique on the page: the chart's id).
    hatch: String,
    /// Was the pattern used (then `<defs>` is written)?
    hatched: bool,
    /// Outline of marks too light for the background (3:1).
    outline: String,
}

impl Svg {
    /// A data mark of series `si`: filled with `fill`; every other series hatched, so colour
    /// is never the only cue; outlined when its colour has less than 3:1 against the
    /// background.
    fn mark(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, si: usize) {
        let stroke = if contrast(fill, BACKGROUND) < 3.0 {
            format!(r#" stroke="{}" stroke-width="1""#, esc(&self.outline))
        } else {
            String::new()
        };
        let _ = write!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"{stroke}/>"#,
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0)),
            esc(fill)
        );
        if si % 2 == 1 && w > 0.0 && h > 0.0 {
            self.hatched = true;
            // Dark lines on a colour that carries white labels, light lines on a light one:
            // either way the hatching adds contrast to the label over it.
            let class = if on(fill) == "#ffffff" { "d" } else { "l" };
            let _ = write!(
                self.body,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{}-{class})"/>"#,
                num(x),
                num(y),
                num(w.max(0.0)),
                num(h.max(0.0)),
                esc(&self.hatch)
            );
        }
    }

    /// The `<defs>` of the hatching patterns, when used.
    fn defs(&self) -> String {
        if !self.hatched {
            return String::new();
        }
        let id = esc(&self.hatch);
        format!(
            r##"<defs><pattern id="{id}-d" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2" height="6" fill="#000000" fill-opacity="0.3"/></pattern><pattern id="{id}-l" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2" height="6" fill="#ffffff" fill-opacity="0.5"/></pattern></defs>"##
        )
    }

    fn text(&mut self, x: f64, y: f64, anchor: &str, style: &str, s: &str) {
        let _ = write!(
            self.body,
            r#"<text x="{}" y="{}" text-anchor="{anchor}"{style}>{}</text>"#,
            num(x),
            num(y),
            esc(s)
        );
    }

    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str) {
        let _ = write!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"/>"#,
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0))
        );
    }

    /// A suppressed cell: a dashed, unfilled outline.
    fn absent(&mut self, x: f64, y: f64, w: f64, h: f64, stroke: &str) {
        let _ = write!(
            self.body,
            r#"<rect class="absent" x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{}" stroke-width="1.2" stroke-dasharray="4 3"/>"#,
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0)),
            esc(stroke)
        );
    }

    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64) {
        let _ = write!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"/>"#,
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            esc(stroke),
            num(width)
        );
    }

    /// An interval from `a` to `b` across the axis at `c`, with end caps.
    fn whisker(&mut self, horizontal: bool, a: f64, b: f64, c: f64, stroke: &str) {
        let _ = write!(self.body, r#"<g class="ci">"#);
        // A white halo under the ink keeps the part over a dark bar visible.
        for (color, width) in [("#ffffff", 3.5), (stroke, 1.5)] {
            if horizontal {
                self.line(a, c, b, c, color, width);
                self.line(a, c - 4.0, a, c + 4.0, color, width);
                self.line(b, c - 4.0, b, c + 4.0, color, width);
            } else {
                self.line(c, a, c, b, color, width);
                self.line(c - 4.0, a, c + 4.0, a, color, width);
                self.line(c - 4.0, b, c + 4.0, b, color, width);
            }
        }
        self.body.push_str("</g>");
    }
}

/// Draws `chart` as `kind`: its height and its body (`<defs>` and marks).
fn draw(kind: ChartType, chart: &Chart, style: &Style) -> (f64, String) {
    let mut svg = Svg {
        body: String::with_capacity(4096),
        hatch: chart.id.clone(),
        hatched: false,
        outline: style.muted.clone(),
    };
    let height = match kind {
        ChartType::StackedBar => stacked(chart, style, &mut svg),
        ChartType::HorizontalBar => horizontal(chart, style, &mut svg),
        ChartType::Bar => vertical(chart, style, &mut svg),
        ChartType::Pie => pie(chart, style, &mut svg, false),
        ChartType::Donut => pie(chart, style, &mut svg, true),
        ChartType::Line => line(chart, style, &mut svg),
        ChartType::DivergingBar => diverging(chart, style, &mut svg),
        ChartType::Points => points(chart, style, &mut svg),
    };
    let mut body = svg.defs();
    body.push_str(&svg.body);
    (height, body)
}

/// Renders `chart` as `kind`. The result is a complete `<svg>` element, for inline use.
pub(crate) fn render(kind: ChartType, chart: &Chart, style: &Style) -> String {
    let (height, body) = draw(kind, chart, style);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" class="chart chart-{kind}" font-family="{font}" font-size="14" fill="{ink}" style="direction:ltr"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>"#,
        w = num(W),
        h = num(height),
        id = esc(&chart.id),
        kind = kind.as_str(),
        font = esc(&style.font),
        ink = esc(&style.ink),
        title = esc(&chart.title),
        desc = esc(&chart.desc),
    )
}

/// A standalone SVG document of `chart` (a file to download, the source of its PNG): the
/// chart under its title (the question, drawn), `footer` (edition, n) under it, on a white
/// background, with its size in units; fonts by `font-family` only. `footer`: lines.
pub(crate) fn standalone(
    kind: ChartType,
    chart: &Chart,
    style: &Style,
    footer: &[String],
) -> String {
    let (height, body) = draw(kind, chart, style);
    let (x, anchor) = if chart.rtl {
        (W - PAD, "end")
    } else {
        (PAD, "start")
    };
    // A line cut from a right-to-left sentence is isolated as right-to-left, so the neutral
    // characters at its ends (« », ?, .) stay where the sentence puts them.
    let isolate = |l: &str| {
        if chart.rtl {
            format!("\u{2067}{l}\u{2069}")
        } else {
            l.to_string()
        }
    };
    let mut head = String::new();
    let title_lines = lines(&chart.title, W - 2.0 * PAD, 16.0, true);
    let mut y = PAD + 4.0;
    for l in &title_lines {
        y += 20.0;
        let _ = write!(
            head,
            r#"<text x="{}" y="{}" text-anchor="{anchor}" font-size="16" font-weight="700">{}</text>"#,
            num(x),
            num(y),
            esc(&isolate(l))
        );
    }
    let top = y + 4.0;
    let mut foot = String::new();
    let mut fy = top + height;
    for l in footer
        .iter()
        .flat_map(|f| lines(f, W - 2.0 * PAD, SMALL, false))
    {
        fy += 18.0;
        let _ = write!(
            foot,
            r#"<text x="{}" y="{}" text-anchor="{anchor}" fill="{}">{}</text>"#,
            num(x),
            num(fy),
            esc(&style.muted),
            esc(&isolate(&l))
        );
    }
    let total = fy + PAD;
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        format_args!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="{font}" font-size="14" fill="{ink}" direction="ltr"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc><rect width="{w}" height="{h}" fill="{bg}"/>{head}<g transform="translate(0 {top})">{body}</g>{foot}</svg>"#,
            w = num(W),
            h = num(total),
            id = esc(&chart.id),
            font = esc(&style.font),
            ink = esc(&style.ink),
            title = esc(&chart.title),
            desc = esc(&chart.desc),
            bg = BACKGROUND,
            top = num(top),
        )
    )
}

/// The legend, wrapping when long, aligned to the reading start. Returns its height.
fn legend(chart: &Chart, style: &Style, svg: &mut Svg, y: f64) -> f64 {
    legend_of(chart, style, svg, y, false)
}

/// The legend; with `markers`, the swatches are the points' own shapes (a disc, a diamond).
fn legend_of(chart: &Chart, style: &Style, svg: &mut Svg, y: f64, markers: bool) -> f64 {
    if chart.series.len() < 2 {
        return 0.0;
    }
    let mut x = 0.0;
    let mut row = 0.0;
    for (i, s) in chart.series.iter().enumerate() {
        let w = 20.0 + 14.0 + text_width(&s.name, 14.0, false);
        if x + w > W - 2.0 * PAD && x > 0.0 {
            x = 0.0;
            row += 22.0;
        }
        let (sx, tx, anchor) = if chart.rtl {
            (W - PAD - x - 14.0, W - PAD - x - 20.0, "end")
        } else {
            (PAD + x, PAD + x + 20.0, "start")
        };
        match chart.scale {
            _ if markers => {
                let (cx, cy) = (sx + 7.0, y + row + 7.0);
                if i == 0 {
                    let _ = write!(
                        svg.body,
                        r#"<circle cx="{}" cy="{}" r="6" fill="{}"/>"#,
                        num(cx),
                        num(cy),
                        style.color(0)
                    );
                } else {
                    let _ = write!(
                        svg.body,
                        r#"<path d="M{} {}l6 6l-6 6l-6 -6Z" fill="{}"/>"#,
                        num(cx),
                        num(cy - 6.0),
                        style.color(i)
                    );
                }
            }
            Some(scale) => {
                let color = style.diverging_color(i, chart.series.len(), scale);
                // Diverging scales are told apart by their side of the centre line.
                svg.mark(sx, y + row, 14.0, 14.0, &color, 0);
            }
            None => svg.mark(sx, y + row, 14.0, 14.0, style.color(i), i),
        }
        svg.text(tx, y + row + 12.0, anchor, "", &s.name);
        x += w;
    }
    row + 28.0
}

/// Splits `label` into lines no wider than `width` at `size` (words longer than a line stay
/// whole).
fn lines(label: &str, width: f64, size: f64, bold: bool) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    for word in label.split_whitespace() {
        let Some(cur) = out.last_mut() else { break };
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if !cur.is_empty() && text_width(&candidate, size, bold) > width {
            out.push(word.to_string());
        } else {
            *cur = candidate;
        }
    }
    out
}

/// A category's label above its bars, from the reading start, on as many lines as it needs;
/// returns the height it takes and the width of its last line.
fn row_label(chart: &Chart, svg: &mut Svg, y: f64, label: &str) -> (f64, f64) {
    let (x, anchor) = if chart.rtl {
        (W - PAD, "end")
    } else {
        (PAD, "start")
    };
    let ls = lines(label, W - 2.0 * PAD, 15.0, true);
    for (i, l) in ls.iter().enumerate() {
        svg.text(
            x,
            y + 15.0 + 19.0 * i as f64,
            anchor,
            r#" font-size="15" font-weight="600""#,
            l,
        );
    }
    let last = ls.last().map_or(0.0, |l| text_width(l, 15.0, true));
    (22.0 + 19.0 * (ls.len() - 1) as f64, last)
}

/// Value labels of segments too narrow to hold them: drawn on the line of the row label,
/// above their segment (clamped to the bar), where they meet neither the row label nor each
/// other; the others are in the data table.
struct Above {
    /// Occupied spans of the label line.
    taken: Vec<(f64, f64)>,
    labels: Vec<(f64, String)>,
}

impl Above {
    fn new(chart: &Chart, label_width: f64) -> Above {
        let span = if chart.rtl {
            (W - PAD - label_width - 8.0, W)
        } else {
            (0.0, PAD + label_width + 8.0)
        };
        Above {
            taken: vec![span],
            labels: Vec::new(),
        }
    }

    /// A free line (under a bar).
    fn empty() -> Above {
        Above {
            taken: Vec::new(),
            labels: Vec::new(),
        }
    }

    /// Places `label` over its segment's `centre` (moved inside `lo..hi`). False: no room.
    fn place(&mut self, centre: f64, lo: f64, hi: f64, label: &str) -> bool {
        let w = text_width(label, SMALL, true) + 4.0;
        let free = |x: f64, taken: &[(f64, f64)]| {
            let (a, b) = (x - w / 2.0, x + w / 2.0);
            a >= lo - 1e-9
                && b <= hi + 1e-9
                && !taken.iter().any(|&(ta, tb)| a < tb + 4.0 && b > ta - 4.0)
        };
        let x = centre.clamp(lo + w / 2.0, hi - w / 2.0);
        if (x - centre).abs() > w || !free(x, &self.taken) {
            return false;
        }
        self.taken.push((x - w / 2.0, x + w / 2.0));
        self.labels.push((x, label.to_string()));
        true
    }

    fn draw(self, svg: &mut Svg, y: f64, ink: &str) {
        let style = format!(r#" fill="{}" font-size="14" font-weight="600""#, esc(ink));
        for (x, l) in self.labels {
            svg.text(x, y + 15.0, "middle", &style, &l);
        }
    }
}

/// Does `label` fit inside a segment `w` wide?
fn fits(label: &str, w: f64) -> bool {
    w >= 8.0 + text_width(label, SMALL, true)
}

fn stacked(chart: &Chart, style: &Style, svg: &mut Svg) -> f64 {
    let mut y = PAD + legend(chart, style, svg, PAD);
    let (x0, width) = (PAD, W - 2.0 * PAD);
    for (ci, cat) in chart.categories.iter().enumerate() {
        let label_y = y;
        let (h, label_w) = row_label(chart, svg, y, cat);
        y += h;
        if chart.series.iter().any(|s| s.absent[ci]) {
            absent_row(chart, style, svg, y, 26.0);
            y += 26.0 + 14.0;
            continue;
        }
        let total: f64 = chart.series.iter().filter_map(|s| s.values[ci]).sum();
        let mut offset = 0.0;
        if total <= 0.0 {
            svg.rect(x0, y, width, 26.0, &style.grid);
        }
        let mut above = Above::new(chart, label_w);
        let mut below = Above::empty();
        for (si, s) in chart.series.iter().enumerate() {
            let Some(v) = s.values[ci] else { continue };
            if total <= 0.0 {
                continue;
            }
            let w = width * v / total;
            let x = if chart.rtl {
                x0 + width - offset - w
            } else {
                x0 + offset
            };
            let color = style.color(si);
            svg.mark(x, y, w, 26.0, color, si);
            if let Some(label) = &s.labels[ci] {
                if fits(label, w) {
                    let fill = format!(r#" fill="{}" font-weight="600""#, on(color));
                    svg.text(x + w / 2.0, y + 18.0, "middle", &fill, label);
                } else if w > 0.0 && !above.place(x + w / 2.0, x0, x0 + width, label) {
                    below.place(x + w / 2.0, x0, x0 + width, label);
                }
            }
            offset += w;
        }
        above.draw(svg, label_y + h - 22.0, &style.ink);
        if !below.labels.is_empty() {
            below.draw(svg, y + 28.0, &style.ink);
            y += 20.0;
        }
        y += 26.0 + 14.0;
    }
    y + PAD - 14.0
}

/// A whole row drawn absent (suppressed), with the explanation in its middle.
fn absent_row(chart: &Chart, style: &Style, svg: &mut Svg, y: f64, h: f64) {
    // Over the centre line of a diverging chart, which would cross the explanation.
    svg.rect(PAD, y, W - 2.0 * PAD, h, BACKGROUND);
    svg.absent(PAD, y, W - 2.0 * PAD, h, &style.muted);
    let muted = format!(r#" fill="{}" font-size="14""#, esc(&style.muted));
    svg.text(
        W / 2.0,
        y + h / 2.0 + 5.0,
        "middle",
        &muted,
        &chart.absent_label,
    );
}

fn max_value(chart: &Chart) -> f64 {
    let m = chart
        .series
        .iter()
        .flat_map(|s| {
            s.values
                .iter()
                .flatten()
                .copied()
                .chain(s.ci.iter().flatten().map(|c| c.1))
        })
        .fold(0.0f64, f64::max);
    chart.ticks.last().map_or(m, |t| t.0.max(m)).max(1e-9)
}

fn horizontal(chart: &Chart, style: &Style, svg: &mut Svg) -> f64 {
    let mut y = PAD + legend(chart, style, svg, PAD);
    let max = max_value(chart);
    // Room for the value label at the end of the longest bar.
    let room = chart
        .series
        .iter()
        .flat_map(|s| s.labels.iter().flatten())
        .map(|l| text_width(l, 14.0, false))
        .fold(text_width(&chart.absent_mark, 14.0, false), f64::max)
        + 10.0;
    let width = W - 2.0 * PAD - room.clamp(40.0, 90.0);
    let at = |v: f64| {
        if chart.rtl {
            W - PAD - width * v / max
        } else {
            PAD + width * v / max
        }
    };
    let muted = format!(r#" fill="{}" font-size="14""#, esc(&style.muted));
    for (ci, cat) in chart.categories.iter().enumerate() {
        y += row_label(chart, svg, y, cat).0;
        for (si, s) in chart.series.iter().enumerate() {
            let (anchor, dir) = if chart.rtl {
                ("end", -1.0)
            } else {
                ("start", 1.0)
            };
            if s.absent[ci] {
                let x = if chart.rtl { W - PAD - 40.0 } else { PAD };
                svg.absent(x, y, 40.0, 20.0, &style.muted);
                let lx = at(0.0) + dir * 46.0;
                svg.text(lx, y + 15.0, anchor, &muted, &chart.absent_label);
                y += 24.0;
                continue;
            }
            let w = s.values[ci].map_or(0.0, |v| width * v / max);
            let k = if chart.series.len() == 1 { 0 } else { si };
            let x = if chart.rtl { W - PAD - w } else { PAD };
            svg.mark(x, y, w, 20.0, style.color(k), k);
            let mut end = w;
            if let Some((lo, hi)) = s.ci[ci] {
                svg.whisker(true, at(lo), at(hi), y + 10.0, &style.ink);
                end = end.max(width * hi / max);
            }
            let label = s.labels[ci].as_deref().unwrap_or("—");
            svg.text(at(0.0) + dir * (end + 6.0), y + 15.0, anchor, "", label);
            y += 24.0;
        }
        y += 10.0;
    }
    y + PAD - 10.0
}

/// Y axis with grid lines; returns the plot's (left, right).
fn axes(chart: &Chart, style: &Style, svg: &mut Svg, top: f64, bottom: f64) -> (f64, f64) {
    let max = max_value(chart);
    let room = chart
        .ticks
        .iter()
        .map(|(_, l)| text_width(l, SMALL, false))
        .fold(0.0, f64::max)
        + 8.0;
    let (left, right) = if chart.rtl {
        (PAD, W - PAD - room)
    } else {
        (PAD + room, W - PAD)
    };
    for (v, label) in &chart.ticks {
        let y = bottom - (bottom - top) * v / max;
        let _ = write!(
            svg.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>"#,
            num(left),
            num(y),
            num(right),
            num(y),
            esc(&style.grid)
        );
        let muted = format!(r#" fill="{}" font-size="14""#, esc(&style.muted));
        if chart.rtl {
            svg.text(right + 6.0, y + 5.0, "start", &muted, label);
        } else {
            svg.text(left - 6.0, y + 5.0, "end", &muted, label);
        }
    }
    (left, right)
}

fn vertical(chart: &Chart, style: &Style, svg: &mut Svg) -> f64 {
    let n = chart.categories.len().max(1) as f64;
    let groups = chart.series.len().max(1) as f64;
    // Columns need room for their labels: on a 320-unit chart, more than a few categories
    // or long names read better as horizontal bars.
    let band_estimate = (W - 2.0 * PAD - 48.0) / n;
    let too_narrow = chart.categories.iter().any(|c| {
        c.split_whitespace()
            .any(|w| text_width(w, SMALL, false) > band_estimate - 4.0)
    }) || chart
        .series
        .iter()
        .flat_map(|s| s.labels.iter().flatten())
        .any(|l| text_width(l, SMALL, false) > band_estimate * 0.7 / groups + 6.0);
    if too_narrow {
        return horizontal(chart, style, svg);
    }
    let top = PAD + legend(chart, style, svg, PAD) + 16.0;
    let bottom = top + 180.0;
    let (left, right) = axes(chart, style, svg, top, bottom);
    let max = max_value(chart);
    let band = (right - left) / n;
    let bar = (band * 0.7 / groups).min(56.0);
    let mut label_lines = 1;
    for (ci, cat) in chart.categories.iter().enumerate() {
        let slot = if chart.rtl { n as usize - 1 - ci } else { ci } as f64;
        let cx = left + band * (slot + 0.5);
        let start = cx - bar * groups / 2.0;
        for (si, s) in chart.series.iter().enumerate() {
            let g = if chart.rtl {
                groups as usize - 1 - si
            } else {
                si
            } as f64;
            let x = start + bar * g;
            if s.absent[ci] {
                svg.absent(x + 1.0, bottom - 30.0, bar - 2.0, 30.0, &style.muted);
                let muted = format!(r#" fill="{}" font-size="14""#, esc(&style.muted));
                svg.text(
                    x + bar / 2.0,
                    bottom - 35.0,
                    "middle",
                    &muted,
                    &chart.absent_mark,
                );
                continue;
            }
            let y_of = |v: f64| bottom - (bottom - top) * v / max;
            let h = s.values[ci].map_or(0.0, |v| (bottom - top) * v / max);
            let k = if chart.series.len() == 1 { 0 } else { si };
            svg.mark(x + 1.0, bottom - h, bar - 2.0, h, style.color(k), k);
            let mut label_y = bottom - h - 5.0;
            if let Some((lo, hi)) = s.ci[ci] {
                svg.whisker(false, y_of(lo), y_of(hi), x + bar / 2.0, &style.ink);
                label_y = label_y.min(y_of(hi) - 5.0);
            }
            let label = s.labels[ci].as_deref().unwrap_or("—");
            svg.text(x + bar / 2.0, label_y, "middle", "", label);
        }
        let ls = lines(cat, band - 4.0, SMALL, false);
        label_lines = label_lines.max(ls.len());
        for (li, l) in ls.iter().enumerate() {
            svg.text(cx, bottom + 19.0 + 17.0 * li as f64, "middle", "", l);
        }
    }
    let _ = write!(
        svg.body,
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5"/>"#,
        num(left),
        num(bottom),
        num(right),
        num(bottom),
        esc(&style.muted)
    );
    bottom + 19.0 + 17.0 * label_lines as f64 + PAD
}

fn pie(chart: &Chart, style: &Style, svg: &mut Svg, donut: bool) -> f64 {
    // One pie: the first category (the whole sample, or the first member).
    let values: Vec<(usize, f64)> = chart
        .series
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.values.first().copied().flatten().map(|v| (i, v)))
        .filter(|(_, v)| *v > 0.0)
        .collect();
    let total: f64 = values.iter().map(|(_, v)| v).sum();
    let (lx, anchor) = if chart.rtl {
        (W - PAD, "end")
    } else {
        (PAD, "start")
    };
    let mut y = PAD;
    // The name of the group shown, then the pie in the middle, then its legend with values.
    if chart.categories.len() > 1
        && let Some(first) = chart.categories.first()
    {
        svg.text(
            lx,
            y + 15.0,
            anchor,
            r#" font-size="15" font-weight="700""#,
            first,
        );
        y += 28.0;
    }
    let r = 90.0;
    let (cx, cy) = (W / 2.0, y + r);
    let mut angle = -std::f64::consts::FRAC_PI_2;
    for &(i, v) in &values {
        let sweep = std::f64::consts::TAU * v / total;
        // Right-to-left pies run counter-clockwise from the top.
        let dir = if chart.rtl { -1.0 } else { 1.0 };
        let a0 = angle;
        let a1 = angle + dir * sweep;
        let color = style.color(i);
        let d = if (sweep - std::f64::consts::TAU).abs() < 1e-9 {
            format!(
                "M{} {}a{r} {r} 0 1 1 0 {d}a{r} {r} 0 1 1 0 -{d}Z",
                num(cx),
                num(cy - r),
                r = num(r),
                d = num(2.0 * r)
            )
        } else {
            let (x0, y0) = (cx + r * a0.cos(), cy + r * a0.sin());
            let (x1, y1) = (cx + r * a1.cos(), cy + r * a1.sin());
            let large = u8::from(sweep > std::f64::consts::PI);
            let sweep_flag = u8::from(!chart.rtl);
            format!(
                "M{} {}L{} {}A{} {} 0 {large} {sweep_flag} {} {}Z",
                num(cx),
                num(cy),
                num(x0),
                num(y0),
                num(r),
                num(r),
                num(x1),
                num(y1)
            )
        };
        let _ = write!(
            svg.body,
            r##"<path d="{d}" fill="{color}" stroke="#fff" stroke-width="1.5"/>"##
        );
        if i % 2 == 1 {
            svg.hatched = true;
            let class = if on(color) == "#ffffff" { "d" } else { "l" };
            let _ = write!(
                svg.body,
                r#"<path d="{d}" fill="url(#{}-{class})"/>"#,
                esc(&svg.hatch)
            );
        }
        angle = a1;
    }
    if donut {
        let _ = write!(
            svg.body,
            r##"<circle cx="{}" cy="{}" r="{}" fill="#fff"/>"##,
            num(cx),
            num(cy),
            num(r * 0.55)
        );
    }
    y = cy + r + 18.0;
    // The legend with values, one line per option, from the reading start.
    for (i, s) in chart.series.iter().enumerate() {
        let label = s
            .labels
            .first()
            .cloned()
            .flatten()
            .unwrap_or_else(|| "—".into());
        let sx = if chart.rtl { lx - 14.0 } else { lx };
        svg.mark(sx, y, 14.0, 14.0, style.color(i), i);
        let tx = if chart.rtl { lx - 22.0 } else { lx + 22.0 };
        svg.text(tx, y + 12.0, anchor, r#" font-weight="600""#, &label);
        let gap = text_width(&label, 14.0, true) + 10.0;
        let nx = if chart.rtl { tx - gap } else { tx + gap };
        svg.text(nx, y + 12.0, anchor, "", &s.name);
        y += 24.0;
    }
    y + PAD - 10.0
}

fn line(chart: &Chart, style: &Style, svg: &mut Svg) -> f64 {
    let top = PAD
        + legend(chart, style, svg, PAD)
        + 16.0
        + if chart.breaks.is_empty() { 0.0 } else { 18.0 };
    let bottom = top + 200.0;
    let (left, right) = axes(chart, style, svg, top, bottom);
    let max = max_value(chart);
    let n = chart.categories.len().max(1);
    let step = if n > 1 {
        (right - left - 60.0) / (n - 1) as f64
    } else {
        0.0
    };
    let x_of = |ci: usize| {
        let slot = if chart.rtl { n - 1 - ci } else { ci } as f64;
        if n > 1 {
            left + 30.0 + step * slot
        } else {
            (left + right) / 2.0
        }
    };
    let y_of = |v: f64| bottom - (bottom - top) * v / max;
    for (ci, cat) in chart.categories.iter().enumerate() {
        svg.text(x_of(ci), bottom + 20.0, "middle", "", cat);
    }
    // Breaks in the series: a dashed line between the two waves, labelled above the plot.
    for (after, label) in &chart.breaks {
        if after + 1 >= n {
            continue;
        }
        let x = (x_of(*after) + x_of(after + 1)) / 2.0;
        let _ = write!(
            svg.body,
            r#"<line class="break" x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{}" stroke-width="1.5" stroke-dasharray="5 4"/>"#,
            num(top - 6.0),
            num(bottom),
            esc(&style.muted),
            x = num(x)
        );
        let muted = format!(
            r#" fill="{}" font-size="14" font-weight="600""#,
            esc(&style.muted)
        );
        svg.text(x, top - 12.0, "middle", &muted, label);
    }
    let broken = |ci: usize| chart.breaks.iter().any(|(a, _)| *a == ci);
    // The primary series last, over the others.
    let mut order: Vec<usize> = (0..chart.series.len())
        .filter(|&i| Some(i) != chart.primary)
        .collect();
    order.extend(chart.primary);
    for si in order {
        let s = &chart.series[si];
        let color = style.color(si);
        let full = chart.primary.is_none_or(|p| p == si);
        // Runs of consecutive known values not cut by a break.
        let mut runs: Vec<Vec<usize>> = Vec::new();
        for ci in 0..chart.categories.len() {
            if s.values[ci].is_none() {
                runs.push(Vec::new());
                continue;
            }
            match runs.last_mut() {
                Some(run) if run.last().is_some_and(|&p| p + 1 == ci && !broken(p)) => run.push(ci),
                _ => runs.push(vec![ci]),
            }
        }
        for run in runs.iter().filter(|r| !r.is_empty()) {
            let band: Vec<(usize, (f64, f64))> = run
                .iter()
                .filter_map(|&ci| s.ci[ci].map(|c| (ci, c)))
                .filter(|_| full)
                .collect();
            if band.len() == run.len() && run.len() > 1 {
                let mut pts: Vec<String> = band
                    .iter()
                    .map(|(ci, c)| format!("{},{}", num(x_of(*ci)), num(y_of(c.1))))
                    .collect();
                pts.extend(
                    band.iter()
                        .rev()
                        .map(|(ci, c)| format!("{},{}", num(x_of(*ci)), num(y_of(c.0)))),
                );
                let _ = write!(
                    svg.body,
                    r#"<polygon class="ci" points="{}" fill="{color}" fill-opacity="0.16" stroke="none"/>"#,
                    pts.join(" ")
                );
            } else {
                for (ci, (lo, hi)) in band {
                    svg.whisker(false, y_of(lo), y_of(hi), x_of(ci), color);
                }
            }
            if run.len() > 1 {
                let d: Vec<String> = run
                    .iter()
                    .filter_map(|&ci| {
                        s.values[ci].map(|v| format!("{} {}", num(x_of(ci)), num(y_of(v))))
                    })
                    .collect();
                let _ = write!(
                    svg.body,
                    r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="{}" stroke-linejoin="round"/>"#,
                    d.join(" "),
                    if full { 3 } else { 2 }
                );
            }
        }
        for ci in 0..chart.categories.len() {
            let Some(v) = s.values[ci] else { continue };
            let (x, y) = (x_of(ci), y_of(v));
            let _ = write!(
                svg.body,
                r#"<circle cx="{}" cy="{}" r="{}" fill="{color}"/>"#,
                num(x),
                num(y),
                if full { 5 } else { 3 }
            );
            if full {
                // Above the interval's top when it has one.
                let ly = s.ci[ci].map_or(y - 10.0, |c| (y - 10.0).min(y_of(c.1) - 6.0));
                svg.text(
                    x,
                    ly,
                    "middle",
                    r#" font-weight="600""#,
                    s.labels[ci].as_deref().unwrap_or(""),
                );
            }
        }
    }
    bottom + 20.0 + PAD + 8.0
}

/// Diverging stacked bars: the negative side of the scale from the centre line towards the
/// reading start, the positive side towards the end, the neutral point split across the centre.
fn diverging(chart: &Chart, style: &Style, svg: &mut Svg) -> f64 {
    let scale = chart.scale.unwrap_or(Scale {
        negative: chart.series.len() / 2,
        neutral: None,
    });
    let k = chart.series.len();
    let mut y = PAD + legend(chart, style, svg, PAD);
    let value = |si: usize, ci: usize| chart.series[si].values[ci].unwrap_or(0.0);
    let half_neutral = |ci: usize| scale.neutral.map_or(0.0, |i| value(i, ci) / 2.0);
    // Both sides on one scale: the longer side, rounded up to a quarter of 100.
    let side = |ci: usize, range: std::ops::Range<usize>| -> f64 {
        range.map(|si| value(si, ci)).sum::<f64>() + half_neutral(ci)
    };
    let first_positive = scale.negative + usize::from(scale.neutral.is_some());
    let longest = (0..chart.categories.len())
        .map(|ci| side(ci, 0..scale.negative).max(side(ci, first_positive..k)))
        .fold(0.0f64, f64::max);
    let extent = ((longest / 25.0).ceil() * 25.0).max(25.0);
    // Room at both ends for the axis labels.
    let (x0, width) = (PAD + 20.0, W - 2.0 * PAD - 40.0);
    let centre = x0 + width / 2.0;
    let per = width / 2.0 / extent;
    // Reading start is left in LTR, right in RTL: the negative side goes there.
    let toward_start = |x: f64| if chart.rtl { -x } else { x };
    let top = y;
    // The centre line under the bars (inserted here once their extent is known): it shows
    // between them, and never crosses a label.
    let under = svg.body.len();
    for (ci, cat) in chart.categories.iter().enumerate() {
        let label_y = y;
        let (h, label_w) = row_label(chart, svg, y, cat);
        y += h;
        if chart.series.iter().any(|s| s.absent[ci]) {
            absent_row(chart, style, svg, y, 26.0);
            y += 26.0 + 14.0;
            continue;
        }
        let mut segments: Vec<(usize, f64, f64)> = Vec::new();
        // Negative side, from the centre outwards: the point nearest the centre first.
        let mut at = -half_neutral(ci);
        for si in (0..scale.negative).rev() {
            let v = value(si, ci);
            segments.push((si, at - v, at));
            at -= v;
        }
        if let Some(ni) = scale.neutral {
            let h = half_neutral(ci);
            segments.push((ni, -h, h));
        }
        let mut at = half_neutral(ci);
        for si in first_positive..k {
            let v = value(si, ci);
            segments.push((si, at, at + v));
            at += v;
        }
        let mut above = Above::new(chart, label_w);
        let mut below = Above::empty();
        for (si, a, b) in segments {
            if b - a <= 0.0 {
                continue;
            }
            let (xa, xb) = (
                centre + toward_start(a) * per,
                centre + toward_start(b) * per,
            );
            let (x, w) = (xa.min(xb), (xb - xa).abs());
            let color = style.diverging_color(si, k, scale);
            svg.mark(x, y, w, 26.0, &color, 0);
            if let Some(label) = &chart.series[si].labels[ci] {
                if fits(label, w) {
                    let fill = format!(r#" fill="{}" font-weight="600""#, on(&color));
                    svg.text(x + w / 2.0, y + 18.0, "middle", &fill, label);
                } else if !above.place(x + w / 2.0, PAD, W - PAD, label) {
                    below.place(x + w / 2.0, PAD, W - PAD, label);
                }
            }
        }
        above.draw(svg, label_y + h - 22.0, &style.ink);
        if !below.labels.is_empty() {
            below.draw(svg, y + 28.0, &style.ink);
            y += 20.0;
        }
        y += 26.0 + 14.0;
    }
    let body = std::mem::take(&mut svg.body);
    let (before, after) = body.split_at(under);
    svg.body.push_str(before);
    svg.line(centre, top + 18.0, centre, y - 10.0, &style.ink, 1.5);
    svg.body.push_str(after);
    // The axis: the same ticks on both sides.
    let muted = format!(r#" fill="{}" font-size="14""#, esc(&style.muted));
    for (v, label) in &chart.ticks {
        if *v > extent + 1e-9 {
            continue;
        }
        for side in [-1.0, 1.0] {
            if *v == 0.0 && side > 0.0 {
                continue;
            }
            let x = centre + side * v * per;
            svg.line(x, y - 10.0, x, y - 4.0, &style.muted, 1.0);
            svg.text(x, y + 10.0, "middle", &muted, label);
        }
    }
    y + 14.0 + PAD
}

/// Points with their interval, one row per category: series 0 is the point (a mean) with its
/// whisker, series 1 (if any) a second marker (a median).
fn points(chart: &Chart, style: &Style, svg: &mut Svg) -> f64 {
    let mut y = PAD + legend_of(chart, style, svg, PAD, true);
    let lo = chart.ticks.first().map_or(0.0, |t| t.0);
    let hi = max_value(chart).max(lo + 1e-9);
    let (left, right) = (PAD + 8.0, W - PAD - 70.0);
    let (left, right) = if chart.rtl {
        (W - left, W - right)
    } else {
        (left, right)
    };
    let x_of = |v: f64| left + (right - left) * (v - lo) / (hi - lo);
    // The grid goes under the marks, inserted here once the rows are known; it is drawn
    // across each row's line only, never through a row label.
    let under = svg.body.len();
    let mut rows_cy = Vec::new();
    let muted = format!(r#" fill="{}" font-size="14""#, esc(&style.muted));
    for (ci, cat) in chart.categories.iter().enumerate() {
        y += row_label(chart, svg, y, cat).0;
        let cy = y + 10.0;
        let Some(main) = chart.series.first() else {
            break;
        };
        if main.absent[ci] {
            let x = if chart.rtl { W - PAD - 40.0 } else { PAD };
            svg.absent(x, y, 40.0, 20.0, &style.muted);
            let lx = if chart.rtl { x - 6.0 } else { x + 46.0 };
            let anchor = if chart.rtl { "end" } else { "start" };
            svg.text(lx, y + 15.0, anchor, &muted, &chart.absent_label);
            y += 34.0;
            continue;
        }
        svg.line(left, cy, right, cy, &style.grid, 1.0);
        rows_cy.push(cy);
        let mut end = main.values[ci].map_or(left, x_of);
        if let Some((a, b)) = main.ci[ci] {
            svg.whisker(true, x_of(a), x_of(b), cy, &style.ink);
            end = if chart.rtl {
                x_of(a).min(x_of(b))
            } else {
                x_of(a).max(x_of(b))
            };
        }
        if let Some(m) = chart.series.get(1).and_then(|s| s.values[ci]) {
            let (x, c) = (x_of(m), style.color(1));
            let _ = write!(
                svg.body,
                r#"<path d="M{} {}l6 6l-6 6l-6 -6Z" fill="{c}"/>"#,
                num(x),
                num(cy - 6.0)
            );
        }
        if let Some(v) = main.values[ci] {
            let _ = write!(
                svg.body,
                r#"<circle cx="{}" cy="{}" r="6" fill="{}"/>"#,
                num(x_of(v)),
                num(cy),
                style.color(0)
            );
        }
        let label = main.labels[ci].as_deref().unwrap_or("—");
        let (lx, anchor) = if chart.rtl {
            (end - 8.0, "end")
        } else {
            (end + 8.0, "start")
        };
        svg.text(lx, cy + 5.0, anchor, r#" font-weight="600""#, label);
        y += 34.0;
    }
    let mut grid = Svg {
        body: String::new(),
        hatch: String::new(),
        hatched: false,
        outline: String::new(),
    };
    for (v, _) in &chart.ticks {
        for &cy in &rows_cy {
            grid.line(x_of(*v), cy - 11.0, x_of(*v), cy + 11.0, &style.grid, 1.0);
        }
    }
    svg.body.insert_str(under, &grid.body);
    // Axis at the bottom: every tick, or every other (third…) when their labels would touch.
    let widths: Vec<f64> = chart
        .ticks
        .iter()
        .map(|(_, l)| text_width(l, SMALL, false))
        .collect();
    let overlaps = |step: usize| {
        (step..chart.ticks.len()).step_by(step).any(|i| {
            let gap = (x_of(chart.ticks[i].0) - x_of(chart.ticks[i - step].0)).abs();
            gap < (widths[i] + widths[i - step]) / 2.0 + 8.0
        })
    };
    let step = (1..chart.ticks.len().max(1))
        .find(|&s| !overlaps(s))
        .unwrap_or(chart.ticks.len().max(1));
    for (v, label) in chart.ticks.iter().step_by(step) {
        svg.text(x_of(*v), y + 10.0, "middle", &muted, label);
    }
    y + 14.0 + PAD
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style() -> Style {
        Style {
            palette: vec!["#0f4c5c".into(), "#e36414".into()],
            font: "sans-serif".into(),
            ink: "#111".into(),
            muted: "#555".into(),
            grid: "#ddd".into(),
            diverging: ["#8c510a", "#d8b365", "#d9d4cc", "#5ab4ac", "#01665e"]
                .map(String::from)
                .to_vec(),
        }
    }

    fn chart(rtl: bool) -> Chart {
        Chart {
            id: "c1".into(),
            title: "Question <script>alert(1)</script> & co".into(),
            desc: "Oui : de 18 % à 94 %".into(),
            categories: vec!["Oujda".into(), "Safi".into()],
            series: vec![
                Series::new(
                    "Oui".into(),
                    vec![Some(18.0), Some(76.0)],
                    vec![Some("18 %".into()), Some("76 %".into())],
                ),
                Series::new(
                    "Non".into(),
                    vec![Some(82.0), None],
                    vec![Some("82 %".into()), None],
                ),
            ],
            ticks: vec![(0.0, "0".into()), (100.0, "100".into())],
            rtl,
            absent_label: "‡ n < 10".into(),
            absent_mark: "‡".into(),
            scale: None,
            breaks: Vec::new(),
            primary: None,
        }
    }

    const ALL_TYPES: [ChartType; 8] = [
        ChartType::Bar,
        ChartType::HorizontalBar,
        ChartType::StackedBar,
        ChartType::Pie,
        ChartType::Donut,
        ChartType::Line,
        ChartType::DivergingBar,
        ChartType::Points,
    ];

    #[test]
    fn every_type_is_accessible_and_escaped() {
        for kind in ALL_TYPES {
            let svg = render(kind, &chart(false), &style());
            assert!(svg.starts_with("<svg"), "{kind:?}");
            assert!(svg.contains(r#"role="img""#));
            assert!(svg.contains(r#"<title id="c1-title">Question &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>"#), "{svg}");
            assert!(svg.contains(r#"<desc id="c1-desc">"#));
            assert!(!svg.contains("<script"), "{kind:?}");
            assert!(svg.contains(r#"aria-labelledby="c1-title c1-desc""#));
        }
    }

    #[test]
    fn right_to_left_mirrors_category_order() {
        let x_of = |svg: &str, label: &str| -> f64 {
            let at = svg.find(&format!(">{label}</text>")).unwrap();
            let start = svg[..at].rfind("<text x=\"").unwrap() + 9;
            svg[start..].split('"').next().unwrap().parse().unwrap()
        };
        let ltr = render(ChartType::Bar, &chart(false), &style());
        let rtl = render(ChartType::Bar, &chart(true), &style());
        assert!(
            x_of(&ltr, "Oujda") < x_of(&ltr, "Safi"),
            "LTR: first category on the left"
        );
        assert!(
            x_of(&rtl, "Oujda") > x_of(&rtl, "Safi"),
            "RTL: first category on the right"
        );
        // Stacked bars: labels anchored at the right edge in RTL.
        let st = render(ChartType::StackedBar, &chart(true), &style());
        assert!(
            st.contains(r#"text-anchor="end" font-size="15" font-weight="600">Oujda"#),
            "{st}"
        );
    }

    #[test]
    fn missing_values_are_not_drawn_as_zero_labels() {
        let svg = render(ChartType::HorizontalBar, &chart(false), &style());
        assert!(svg.contains(">—</text>"), "unknown value shown as a dash");
    }

    #[test]
    fn intervals_absent_cells_and_breaks_are_drawn() {
        let mut c = chart(false);
        c.series[0].ci = vec![Some((10.0, 27.0)), Some((70.0, 81.0))];
        c.series[1].absent = vec![false, true];
        let svg = render(ChartType::HorizontalBar, &c, &style());
        assert_eq!(svg.matches(r#"<g class="ci">"#).count(), 2, "{svg}");
        assert!(svg.contains(r#"class="absent""#) && svg.contains(">‡ n &lt; 10</text>"));
        let stacked = render(ChartType::StackedBar, &c, &style());
        assert!(
            stacked.contains(r#"class="absent""#),
            "the row of Safi is absent"
        );
        c.breaks = vec![(0, "rupture".into())];
        let line = render(ChartType::Line, &c, &style());
        assert!(line.contains(r#"class="break""#) && line.contains(">rupture</text>"));
        assert!(!line.contains("<polyline"), "no line across the break");
    }

    #[test]
    fn diverging_bars_put_the_negative_side_towards_the_reading_start() {
        let mut c = chart(false);
        c.categories = vec!["Tous".into()];
        c.series = ["Non", "Neutre", "Oui"]
            .iter()
            .zip([30.0, 20.0, 50.0])
            .map(|(n, v)| Series::new(n.to_string(), vec![Some(v)], vec![Some(format!("{v} %"))]))
            .collect();
        c.scale = Some(Scale {
            negative: 1,
            neutral: Some(1),
        });
        let x_of = |svg: &str, fill: &str| -> f64 {
            // The bar, drawn after the legend's swatch of the same colour.
            let at = svg.rfind(&format!(r#"fill="{fill}"/>"#)).unwrap();
            let start = svg[..at].rfind("<rect x=\"").unwrap() + 9;
            svg[start..].split('"').next().unwrap().parse().unwrap()
        };
        let s = style();
        let neg = s.diverging_color(0, 3, c.scale.unwrap());
        let pos = s.diverging_color(2, 3, c.scale.unwrap());
        let ltr = render(ChartType::DivergingBar, &c, &s);
        assert!(x_of(&ltr, &neg) < x_of(&ltr, &pos), "{ltr}");
        c.rtl = true;
        let rtl = render(ChartType::DivergingBar, &c, &s);
        assert!(x_of(&rtl, &neg) > x_of(&rtl, &pos), "{rtl}");
        // Neutral split across the centre line (x = 160): 30 + 10 on the left, on a scale of
        // ±75 (the longer side, 60, rounded up) over 256 units.
        assert_eq!(
            x_of(&ltr, &neg),
            num(160.0 - 40.0 * 128.0 / 75.0).parse::<f64>().unwrap()
        );
    }

    /// Every chart type, left to right and right to left.
    fn every_drawing() -> Vec<String> {
        let mut out = Vec::new();
        for rtl in [false, true] {
            for kind in ALL_TYPES {
                out.push(render(kind, &chart(rtl), &style()));
            }
        }
        out
    }

    #[test]
    fn no_text_smaller_than_14_units_on_a_320_unit_chart() {
        for svg in every_drawing() {
            assert!(svg.contains(r#"viewBox="0 0 320 "#), "{svg}");
            for (i, _) in svg.match_indices("font-size=\"") {
                let size: f64 = svg[i + 11..].split('"').next().unwrap().parse().unwrap();
                assert!(size >= 14.0, "{size} in {svg}");
            }
        }
    }

    #[test]
    fn a_narrow_segment_keeps_its_label_in_arabic_as_in_french() {
        // Ouarzazate: 94 % / 6 %; the Arabic label carries direction marks, which take no room.
        for label in ["6\u{202f}%", "6\u{200e}%\u{200e}"] {
            let mut c = chart(label.contains('\u{200e}'));
            c.categories = vec!["Ouarzazate".into()];
            c.series = vec![
                Series::new("Oui".into(), vec![Some(94.0)], vec![Some("94 %".into())]),
                Series::new("Non".into(), vec![Some(6.0)], vec![Some(label.into())]),
            ];
            let svg = render(ChartType::StackedBar, &c, &style());
            assert!(svg.contains(&format!(">{label}</text>")), "{label}: {svg}");
        }
        assert_eq!(
            text_width("6\u{200e}%\u{200e}", 14.0, true),
            text_width("6%", 14.0, true)
        );
    }

    #[test]
    fn colour_is_not_the_only_cue_and_light_marks_are_outlined() {
        let mut s = style();
        s.palette = vec!["#0f4c5c".into(), "#7fb3bd".into()];
        let svg = render(ChartType::StackedBar, &chart(false), &s);
        assert!(
            svg.contains("<pattern id=\"c1-"),
            "the second series is hatched"
        );
        assert!(svg.contains("url(#c1-"));
        assert!(
            svg.contains(r##"fill="#7fb3bd" stroke="#555""##),
            "a colour under 3:1 against white is outlined: {svg}"
        );
        assert!(!svg.contains(r##"fill="#0f4c5c" stroke"##));
        assert!(contrast("#7fb3bd", BACKGROUND) < 3.0 && contrast("#0f4c5c", BACKGROUND) > 3.0);
    }

    #[test]
    fn standalone_svg_has_its_size_background_and_title() {
        let svg = standalone(
            ChartType::StackedBar,
            &chart(false),
            &style(),
            &["Édition 2020".to_string(), "n = 42".to_string()],
        );
        assert!(svg.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""
        ));
        assert!(svg.contains(r#" width="320" height=""#));
        assert!(svg.contains(r##"fill="#ffffff"/>"##));
        assert!(svg.contains(">n = 42</text>") && svg.contains("font-family=\"sans-serif\""));
    }

    #[test]
    fn contrast_of_labels_on_bars() {
        assert_eq!(on("#0f4c5c"), "#ffffff");
        assert_eq!(on("#f2c14e"), "#1d2327");
    }
}
