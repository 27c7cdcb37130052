//! The timeline as an SVG chart: one panel per measure, one line per reading, a month axis.
//!
//! Written by hand: the chart is a few dozen elements, and a plotting crate would need system fonts.

use std::fmt::Write;

use crate::report::TimelineReport;

const WIDTH: f64 = 960.0;
const PANEL_HEIGHT: f64 = 170.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 150.0;
const TOP: f64 = 56.0;
const GAP: f64 = 46.0;
/// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
const COLOURS: [&str; 3] = ["#0072B2", "#D55E00", "#009E73"];
const DASHES: [&str; 3] = ["", "6 3", "2 3"];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn month_label(date: &str) -> String {
    let month: usize = date.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!("{} {}", MONTHS[(month.clamp(1, 12)) - 1], date.get(0..4).unwrap_or(""))
}

struct Panel {
    title: &'static str,
    /// Value per reading per point.
    values: Vec<Vec<f64>>,
    /// Labels for the y ticks, by value.
    tick_label: fn(f64) -> String,
    integer_ticks: bool,
}

/// Renders the timeline chart.
pub fn timeline_svg(report: &TimelineReport) -> String {
    let readings: Vec<String> = report
        .points
        .first()
        .map(|p| p.readings.iter().map(|r| r.reading.as_str().to_string()).collect())
        .unwrap_or_default();
    let series = |f: &dyn Fn(&crate::report::TimelineReadingReport) -> f64| -> Vec<Vec<f64>> {
        (0..readings.len())
            .map(|k| report.points.iter().map(|p| f(&p.readings[k])).collect())
            .collect()
    };
    let panels = [
        Panel {
            title: "Feasible packages (log scale; 0 = no deal)",
            values: series(&|r| {
                r.feasible_packages.parse::<f64>().map_or(0.0, |c| (1.0 + c).log10())
            }),
            tick_label: |v| {
                if v <= 0.0 {
                    "0".to_string()
                } else {
                    format!("10{}", superscript(v.round() as i64))
                }
            },
            integer_ticks: true,
        },
        Panel {
            title: "Blocked issues",
            values: series(&|r| r.blocked_issues.len() as f64),
            tick_label: |v| format!("{v:.0}"),
            integer_ticks: true,
        },
        Panel {
            title: "Fewest concessions that open a deal",
            values: series(&|r| r.min_concessions as f64),
            tick_label: |v| format!("{v:.0}"),
            integer_ticks: true,
        },
    ];
    let height = TOP + panels.len() as f64 * (PANEL_HEIGHT + GAP) + 20.0;
    let plot_width = WIDTH - LEFT - RIGHT;
    let n = report.points.len();
    let x = |i: usize| {
        if n <= 1 { LEFT + plot_width / 2.0 } else { LEFT + plot_width * i as f64 / (n - 1) as f64 }
    };

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="title desc" font-family="system-ui, sans-serif" font-size="12">"#
    );
    let first = report.points.first().map(|p| p.date.as_str()).unwrap_or("");
    let last = report.points.last().map(|p| p.date.as_str()).unwrap_or("");
    let _ = writeln!(svg, r#"<title id="title">Truce timeline: {}</title>"#, escape(&report.file));
    let _ = writeln!(
        svg,
        r#"<desc id="desc">Feasible packages, blocked issues and fewest concessions per reading, {first} to {last}, parties {}.</desc>"#,
        escape(&report.parties.join(", "))
    );
    let _ = writeln!(svg, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let _ = writeln!(
        svg,
        r##"<text x="{LEFT}" y="24" font-size="16" font-weight="600" fill="#111">How the feasible space evolved · {}</text>"##,
        escape(&report.file)
    );
    let _ = writeln!(
        svg,
        r##"<text x="{LEFT}" y="42" fill="#444">Parties: {} · one point per date, positions as known on that date</text>"##,
        escape(&report.parties.join(", "))
    );

    for (p, panel) in panels.iter().enumerate() {
        let top = TOP + p as f64 * (PANEL_HEIGHT + GAP) + 16.0;
        let bottom = top + PANEL_HEIGHT - 16.0;
        let data_max = panel.values.iter().flatten().copied().fold(0.0_f64, f64::max).max(1.0);
        // Integer ticks at a round step, at most five intervals, the top tick at or above the data.
        let step =
            if panel.integer_ticks { (data_max / 5.0).ceil().max(1.0) } else { data_max / 5.0 };
        let steps = (data_max / step).ceil().max(1.0) as usize;
        let max = step * steps as f64;
        let y = |v: f64| bottom - (bottom - top) * v / max;
        let _ = writeln!(svg, r##"<g class="panel" data-panel="{p}">"##);
        let _ = writeln!(
            svg,
            r##"<text x="{LEFT}" y="{}" font-weight="600" fill="#222">{}</text>"##,
            top - 6.0,
            escape(panel.title)
        );
        // Horizontal grid and y ticks.
        for k in 0..=steps {
            let v = step * k as f64;
            let yy = y(v);
            let _ = writeln!(
                svg,
                r##"<line x1="{LEFT}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#e5e5e5"/><text x="{}" y="{:.1}" text-anchor="end" fill="#444">{}</text>"##,
                LEFT + plot_width,
                LEFT - 8.0,
                yy + 4.0,
                escape(&(panel.tick_label)(v))
            );
        }
        let _ = writeln!(
            svg,
            r##"<line x1="{LEFT}" x2="{}" y1="{bottom}" y2="{bottom}" stroke="#888"/>"##,
            LEFT + plot_width
        );
        // Month ticks on every panel, labels on the last.
        let label_every = n.div_ceil(12).max(1);
        for (i, point) in report.points.iter().enumerate() {
            let xx = x(i);
            let _ = writeln!(
                svg,
                r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="{bottom}" y2="{}" stroke="#888"/>"##,
                bottom + 4.0
            );
            if i % label_every == 0 {
                let _ = writeln!(
                    svg,
                    r##"<text class="month" x="{xx:.1}" y="{}" text-anchor="middle" fill="#444">{}</text>"##,
                    bottom + 17.0,
                    month_label(&point.date)
                );
            }
        }
        for (k, values) in panel.values.iter().enumerate() {
            let colour = COLOURS[k % COLOURS.len()];
            let dash = DASHES[k % DASHES.len()];
            // A small vertical offset per reading keeps coinciding lines visible.
            let offset = (k as f64 - 1.0) * 1.5;
            let points: Vec<String> = values
                .iter()
                .enumerate()
                .map(|(i, &v)| format!("{:.1},{:.1}", x(i), y(v) + offset))
                .collect();
            let _ = writeln!(
                svg,
                r#"<polyline class="series" data-reading="{}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}" points="{}"/>"#,
                escape(&readings[k]),
                points.join(" ")
            );
            for (i, &v) in values.iter().enumerate() {
                let raw = &report.points[i].readings[k];
                let tip = format!(
                    "{} · {}: {} feasible packages, {} blocked issue(s), fewest concessions {}",
                    report.points[i].date,
                    raw.reading.as_str(),
                    raw.feasible_packages,
                    raw.blocked_issues.len(),
                    raw.min_concessions
                );
                let _ = writeln!(
                    svg,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{colour}"><title>{}</title></circle>"#,
                    x(i),
                    y(v) + offset,
                    escape(&tip)
                );
            }
        }
        let _ = writeln!(svg, "</g>");
    }
    // Legend.
    let lx = WIDTH - RIGHT + 16.0;
    for (k, reading) in readings.iter().enumerate() {
        let ly = TOP + 24.0 + k as f64 * 20.0;
        let colour = COLOURS[k % COLOURS.len()];
        let dash = DASHES[k % DASHES.len()];
        let _ = writeln!(
            svg,
            r##"<line x1="{lx}" x2="{}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/><text x="{}" y="{}" fill="#222">{}</text>"##,
            lx + 24.0,
            lx + 30.0,
            ly + 4.0,
            escape(&reading.replace('_', " "))
        );
    }
    let _ = writeln!(svg, "</svg>");
    svg
}

fn superscript(n: i64) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string().chars().map(|c| c.to_digit(10).map_or('⁻', |d| DIGITS[d as usize])).collect()
}
