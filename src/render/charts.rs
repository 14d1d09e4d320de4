//! Inline SVG charts: vertical and horizontal bars, 100 % stacked bars, pie and donut, line.
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
}

/// The theme's look.
#[derive(Debug, Clone)]
pub(crate) struct Style {
    pub palette: Vec<String>,
    pub font: String,
    pub ink: String,
    pub muted: String,
    pub grid: String,
}

const W: f64 = 640.0;
const PAD: f64 = 12.0;

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
}

/// Picks white or dark text for a label drawn on `bg` (`#rrggbb`), for contrast.
fn on(bg: &str) -> &'static str {
    let hex = bg.trim_start_matches('#');
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
    let lum = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    if lum > 0.35 { "#1d2327" } else { "#ffffff" }
}

struct Svg {
    body: String,
}

impl Svg {
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
}

/// Renders `chart` as `kind`. The result is a complete `<svg>` element.
pub(crate) fn render(kind: ChartType, chart: &Chart, style: &Style) -> String {
    let mut svg = Svg {
        body: String::with_capacity(4096),
    };
    let height = match kind {
        ChartType::StackedBar => stacked(chart, style, &mut svg),
        ChartType::HorizontalBar => horizontal(chart, style, &mut svg),
        ChartType::Bar => vertical(chart, style, &mut svg),
        ChartType::Pie => pie(chart, style, &mut svg, false),
        ChartType::Donut => pie(chart, style, &mut svg, true),
        ChartType::Line => line(chart, style, &mut svg),
    };
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
        body = svg.body
    )
}

/// The legend on one line (wrapping when long), aligned to the reading start. Returns its height.
fn legend(chart: &Chart, style: &Style, svg: &mut Svg, y: f64) -> f64 {
    if chart.series.len() < 2 {
        return 0.0;
    }
    // Widths are estimated (no font metrics): 8 px per character is generous for 14 px text.
    let mut x = 0.0;
    let mut row = 0.0;
    for (i, s) in chart.series.iter().enumerate() {
        let w = 26.0 + 8.0 * s.name.chars().count() as f64;
        if x + w > W - 2.0 * PAD && x > 0.0 {
            x = 0.0;
            row += 22.0;
        }
        let (sx, tx, anchor) = if chart.rtl {
            (W - PAD - x - 14.0, W - PAD - x - 20.0, "end")
        } else {
            (PAD + x, PAD + x + 20.0, "start")
        };
        svg.rect(sx, y + row, 14.0, 14.0, style.color(i));
        svg.text(tx, y + row + 12.0, anchor, "", &s.name);
        x += w;
    }
    row + 28.0
}

/// A category's label above its bars, from the reading start; returns the height it takes.
fn row_label(chart: &Chart, svg: &mut Svg, y: f64, label: &str) -> f64 {
    let (x, anchor) = if chart.rtl {
        (W - PAD, "end")
    } else {
        (PAD, "start")
    };
    svg.text(x, y + 14.0, anchor, r#" font-weight="600""#, label);
    22.0
}

fn stacked(chart: &Chart, style: &Style, svg: &mut Svg) -> f64 {
    let mut y = PAD + legend(chart, style, svg, PAD);
    let (x0, width) = (PAD, W - 2.0 * PAD);
    for (ci, cat) in chart.categories.iter().enumerate() {
        y += row_label(chart, svg, y, cat);
        let total: f64 = chart.series.iter().filter_map(|s| s.values[ci]).sum();
        let mut offset = 0.0;
        if total <= 0.0 {
            svg.rect(x0, y, width, 26.0, &style.grid);
        }
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
            svg.rect(x, y, w, 26.0, color);
            if let Some(label) = &s.labels[ci]
                && w >= 10.0 + 8.0 * label.chars().count() as f64
            {
                let fill = format!(r#" fill="{}" font-weight="600""#, on(color));
                svg.text(x + w / 2.0, y + 18.0, "middle", &fill, label);
            }
            offset += w;
        }
        y += 26.0 + 14.0;
    }
    y + PAD - 14.0
}

fn max_value(chart: &Chart) -> f64 {
    let m = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0f64, |a, &b| a.max(b));
    chart.ticks.last().map_or(m, |t| t.0.max(m)).max(1e-9)
}

fn horizontal(chart: &Chart, style: &Style, svg: &mut Svg) -> f64 {
    let mut y = PAD + legend(chart, style, svg, PAD);
    let max = max_value(chart);
    // Room for the value label at the end of the longest bar.
    let width = W - 2.0 * PAD - 70.0;
    for (ci, cat) in chart.categories.iter().enumerate() {
        y += row_label(chart, svg, y, cat);
        for (si, s) in chart.series.iter().enumerate() {
            let w = s.values[ci].map_or(0.0, |v| width * v / max);
            let color = style.color(if chart.series.len() == 1 { 0 } else { si });
            let (x, lx, anchor) = if chart.rtl {
                (W - PAD - w, W - PAD - w - 6.0, "end")
            } else {
                (PAD, PAD + w + 6.0, "start")
            };
            svg.rect(x, y, w, 20.0, color);
            let label = s.labels[ci].as_deref().unwrap_or("—");
            svg.text(lx, y + 15.0, anchor, "", label);
            y += 24.0;
        }
        y += 10.0;
    }
    y + PAD - 10.0
}

/// Wraps a category label on at most two lines of about `chars` characters.
fn wrap(label: &str, chars: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in label.split_whitespace() {
        let cur = lines.last_mut().map_or(0, |l| l.chars().count());
        if cur > 0 && cur + 1 + word.chars().count() > chars {
            if lines.len() == 2 {
                if let Some(l) = lines.last_mut() {
                    l.push('…');
                }
                return lines;
            }
            lines.push(String::new());
        }
        if let Some(l) = lines.last_mut() {
            if !l.is_empty() {
                l.push(' ');
            }
            l.push_str(word);
        }
    }
    lines
}

/// Y axis with grid lines; returns the plot's (top, bottom, left, right).
fn axes(chart: &Chart, style: &Style, svg: &mut Svg, top: f64, bottom: f64) -> (f64, f64) {
    let max = max_value(chart);
    let (left, right) = if chart.rtl {
        (PAD, W - PAD - 48.0)
    } else {
        (PAD + 48.0, W - PAD)
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
        let muted = format!(r#" fill="{}" font-size="12""#, esc(&style.muted));
        if chart.rtl {
            svg.text(right + 6.0, y + 4.0, "start", &muted, label);
        } else {
            svg.text(left - 6.0, y + 4.0, "end", &muted, label);
        }
    }
    (left, right)
}

fn vertical(chart: &Chart, style: &Style, svg: &mut Svg) -> f64 {
    let top = PAD + legend(chart, style, svg, PAD) + 16.0;
    let bottom = top + 220.0;
    let (left, right) = axes(chart, style, svg, top, bottom);
    let max = max_value(chart);
    let n = chart.categories.len().max(1) as f64;
    let band = (right - left) / n;
    let groups = chart.series.len().max(1) as f64;
    let bar = (band * 0.7 / groups).min(56.0);
    let chars = ((band / 7.5) as usize).max(6);
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
            let h = s.values[ci].map_or(0.0, |v| (bottom - top) * v / max);
            let color = style.color(if chart.series.len() == 1 { 0 } else { si });
            svg.rect(x + 1.0, bottom - h, bar - 2.0, h, color);
            let label = s.labels[ci].as_deref().unwrap_or("—");
            svg.text(
                x + bar / 2.0,
                bottom - h - 5.0,
                "middle",
                r#" font-size="12""#,
                label,
            );
        }
        for (li, l) in wrap(cat, chars).iter().enumerate() {
            svg.text(
                cx,
                bottom + 18.0 + 16.0 * li as f64,
                "middle",
                r#" font-size="13""#,
                l,
            );
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
    bottom + 18.0 + 32.0 + PAD
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
    let r = 110.0;
    let (cx, lx, anchor) = if chart.rtl {
        (PAD + r + 10.0, W - PAD, "end")
    } else {
        (W - PAD - r - 10.0, PAD, "start")
    };
    let cy = PAD + r + 4.0;
    let mut angle = -std::f64::consts::FRAC_PI_2;
    for &(i, v) in &values {
        let sweep = std::f64::consts::TAU * v / total;
        // Right-to-left pies run counter-clockwise from the top.
        let dir = if chart.rtl { -1.0 } else { 1.0 };
        let a0 = angle;
        let a1 = angle + dir * sweep;
        let color = style.color(i);
        if (sweep - std::f64::consts::TAU).abs() < 1e-9 {
            let _ = write!(
                svg.body,
                r#"<circle cx="{}" cy="{}" r="{}" fill="{color}"/>"#,
                num(cx),
                num(cy),
                num(r)
            );
        } else {
            let (x0, y0) = (cx + r * a0.cos(), cy + r * a0.sin());
            let (x1, y1) = (cx + r * a1.cos(), cy + r * a1.sin());
            let large = u8::from(sweep > std::f64::consts::PI);
            let sweep_flag = u8::from(!chart.rtl);
            let _ = write!(
                svg.body,
                r##"<path d="M{} {}L{} {}A{} {} 0 {large} {sweep_flag} {} {}Z" fill="{color}" stroke="#fff" stroke-width="1.5"/>"##,
                num(cx),
                num(cy),
                num(x0),
                num(y0),
                num(r),
                num(r),
                num(x1),
                num(y1)
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
    // Legend with values, on the reading side, under the name of the group shown.
    let mut y = PAD + 20.0;
    if chart.categories.len() > 1
        && let Some(first) = chart.categories.first()
    {
        svg.text(lx, y, anchor, r#" font-weight="700""#, first);
        y += 28.0;
    }
    for (i, s) in chart.series.iter().enumerate() {
        let label = s
            .labels
            .first()
            .cloned()
            .flatten()
            .unwrap_or_else(|| "—".into());
        let sx = if chart.rtl { lx - 14.0 } else { lx };
        svg.rect(sx, y - 12.0, 14.0, 14.0, style.color(i));
        let tx = if chart.rtl { lx - 22.0 } else { lx + 22.0 };
        svg.text(tx, y, anchor, r#" font-weight="600""#, &label);
        let nx = if chart.rtl {
            tx - 8.0 * label.chars().count() as f64 - 14.0
        } else {
            tx + 8.0 * label.chars().count() as f64 + 14.0
        };
        svg.text(nx, y, anchor, "", &s.name);
        y += 26.0;
    }
    (cy + r + PAD + 4.0).max(y)
}

fn line(chart: &Chart, style: &Style, svg: &mut Svg) -> f64 {
    let top = PAD + legend(chart, style, svg, PAD) + 16.0;
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
    for (ci, cat) in chart.categories.iter().enumerate() {
        svg.text(x_of(ci), bottom + 20.0, "middle", r#" font-size="13""#, cat);
    }
    for (si, s) in chart.series.iter().enumerate() {
        let color = style.color(si);
        let pts: Vec<(f64, f64, &str)> = s
            .values
            .iter()
            .enumerate()
            .filter_map(|(ci, v)| {
                v.map(|v| {
                    (
                        x_of(ci),
                        bottom - (bottom - top) * v / max,
                        s.labels[ci].as_deref().unwrap_or(""),
                    )
                })
            })
            .collect();
        if pts.len() > 1 {
            let d: Vec<String> = pts
                .iter()
                .map(|(x, y, _)| format!("{} {}", num(*x), num(*y)))
                .collect();
            let _ = write!(
                svg.body,
                r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="3" stroke-linejoin="round"/>"#,
                d.join(" ")
            );
        }
        for (x, y, label) in pts {
            let _ = write!(
                svg.body,
                r#"<circle cx="{}" cy="{}" r="5" fill="{color}"/>"#,
                num(x),
                num(y)
            );
            svg.text(
                x,
                y - 10.0,
                "middle",
                r#" font-size="12" font-weight="600""#,
                label,
            );
        }
    }
    bottom + 20.0 + PAD + 8.0
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
        }
    }

    fn chart(rtl: bool) -> Chart {
        Chart {
            id: "c1".into(),
            title: "Question <script>alert(1)</script> & co".into(),
            desc: "Oui : de 18 % à 94 %".into(),
            categories: vec!["Oujda".into(), "Safi".into()],
            series: vec![
                Series {
                    name: "Oui".into(),
                    values: vec![Some(18.0), Some(76.0)],
                    labels: vec![Some("18 %".into()), Some("76 %".into())],
                },
                Series {
                    name: "Non".into(),
                    values: vec![Some(82.0), None],
                    labels: vec![Some("82 %".into()), None],
                },
            ],
            ticks: vec![(0.0, "0".into()), (100.0, "100".into())],
            rtl,
        }
    }

    #[test]
    fn every_type_is_accessible_and_escaped() {
        for kind in [
            ChartType::Bar,
            ChartType::HorizontalBar,
            ChartType::StackedBar,
            ChartType::Pie,
            ChartType::Donut,
            ChartType::Line,
        ] {
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
            st.contains(r#"text-anchor="end" font-weight="600">Oujda"#),
            "{st}"
        );
    }

    #[test]
    fn missing_values_are_not_drawn_as_zero_labels() {
        let svg = render(ChartType::HorizontalBar, &chart(false), &style());
        assert!(svg.contains(">—</text>"), "unknown value shown as a dash");
    }

    #[test]
    fn contrast_of_labels_on_bars() {
        assert_eq!(on("#0f4c5c"), "#ffffff");
        assert_eq!(on("#f2c14e"), "#1d2327");
    }
}
