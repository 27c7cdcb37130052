//! The timeline as an SVG chart: one panel per measure, one line per reading, a month axis.
//!
//! Written by hand: the chart is a few dozen elements, and a plotting crate would need system fonts.

use std::fmt::Write;

use truce_syntax::escape_xml as escape;

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

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn month_label(months: &[String; 12], date: &str) -> String {
    let month: usize = date.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!("{} {}", months[(month.clamp(1, 12)) - 1], date.get(0..4).unwrap_or(""))
}

/// The timeline chart's words, for a reader of another language than English
/// ([`TimelineWords::english`]). A `%name%` in a template stands for a value.
#[derive(Debug, Clone)]
pub struct TimelineWords {
    /// The chart's title for assistive technology: `%file%`.
    pub title: String,
    /// Its description: `%from%`, `%to%`, `%parties%`.
    pub description: String,
    /// The heading: `%file%`.
    pub heading: String,
    /// The line under it: `%parties%`.
    pub subheading: String,
    /// The three panels' titles: feasible packages, blocked issues, fewest concessions.
    pub panels: [String; 3],
    /// A point's tooltip: `%date%`, `%reading%`, `%feasible%`, `%blocked%`, `%concessions%`.
    pub tooltip: String,
    /// The readings' names, by `red_lines`, `strict`, `pessimistic`.
    pub readings: [String; 3],
    /// The months' short names.
    pub months: [String; 12],
    /// The shade before the first statement on file.
    pub nothing_on_file: String,
}

impl TimelineWords {
    /// The chart in English.
    pub fn english() -> TimelineWords {
        TimelineWords {
            title: "Truce timeline: %file%".into(),
            description: "Feasible packages, blocked issues and fewest concessions per reading, %from% to %to%, parties %parties%.".into(),
            heading: "How the feasible space evolved · %file%".into(),
            subheading: "Parties: %parties% · one point per date, positions as known on that date".into(),
            panels: [
                "Feasible packages (log scale; 0 = no deal)".into(),
                "Blocked issues".into(),
                "Fewest concessions that open a deal".into(),
            ],
            tooltip: "%date% · %reading%: %feasible% feasible packages, %blocked% blocked issue(s), fewest concessions %concessions%".into(),
            readings: ["red_lines".into(), "strict".into(), "pessimistic".into()],
            months: MONTHS.map(String::from),
            nothing_on_file: "Nothing on file yet".into(),
        }
    }

    fn reading(&self, name: &str) -> &str {
        match name {
            "red_lines" => &self.readings[0],
            "strict" => &self.readings[1],
            _ => &self.readings[2],
        }
    }
}

/// `template` with each `%name%` replaced by its value.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("%{name}%"), value);
    }
    out
}

struct Panel {
    title: String,
    /// Value per reading per point.
    values: Vec<Vec<f64>>,
    /// Labels for the y ticks, by value.
    tick_label: fn(f64) -> String,
    integer_ticks: bool,
}

/// Renders the timeline chart, in English.
pub fn timeline_svg(report: &TimelineReport) -> String {
    timeline_svg_in(report, &TimelineWords::english())
}

/// Renders the timeline chart in `words`, shading the dates before the first statement on file (where
/// no position was known yet, every package looks open only because nobody had spoken).
pub fn timeline_svg_in(report: &TimelineReport, words: &TimelineWords) -> String {
    let nothing_on_file = words.nothing_on_file.as_str();
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
            title: words.panels[0].clone(),
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
            title: words.panels[1].clone(),
            values: series(&|r| r.blocked_issues.len() as f64),
            tick_label: |v| format!("{v:.0}"),
            integer_ticks: true,
        },
        Panel {
            title: words.panels[2].clone(),
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
    let parties = report.parties.join(", ");
    let _ = writeln!(
        svg,
        r#"<title id="title">{}</title>"#,
        escape(&fill(&words.title, &[("file", &report.file)]))
    );
    let _ = writeln!(
        svg,
        r#"<desc id="desc">{}</desc>"#,
        escape(&fill(&words.description, &[("from", first), ("to", last), ("parties", &parties)]))
    );
    let _ = writeln!(svg, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let _ = writeln!(
        svg,
        r##"<text x="{LEFT}" y="24" font-size="16" font-weight="600" fill="#111">{}</text>"##,
        escape(&fill(&words.heading, &[("file", &report.file)]))
    );
    let _ = writeln!(
        svg,
        r##"<text x="{LEFT}" y="42" fill="#444">{}</text>"##,
        escape(&fill(&words.subheading, &[("parties", &parties)]))
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
            escape(&panel.title)
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
        // Nothing on file yet: the dates before the first statement, up to halfway to the first date
        // that knows one.
        let empty = report.points.iter().take_while(|p| p.positions_known == 0).count();
        if empty > 0 {
            let end = if empty < n {
                (x(empty - 1) + x(empty)) / 2.0
            } else {
                (LEFT + plot_width).max(x(n - 1))
            };
            let start = LEFT.min(x(0));
            let _ = writeln!(
                svg,
                r##"<rect class="nothing-on-file" x="{start:.1}" y="{top:.1}" width="{:.1}" height="{:.1}" fill="#e9e9e9"><title>{}</title></rect>"##,
                (end - start).max(4.0),
                bottom - top,
                escape(nothing_on_file)
            );
            if p == 0 {
                let _ = writeln!(
                    svg,
                    r##"<text class="nothing-on-file" x="{:.1}" y="{:.1}" fill="#444" font-style="italic">{}</text>"##,
                    start + 4.0,
                    top + 14.0,
                    escape(nothing_on_file)
                );
            }
        }
        // Month ticks on every panel, labels on the last: on the points that start a month (not an
        // end date between two steps), at most twelve of them.
        let starts: Vec<usize> =
            (0..n).filter(|&i| i == 0 || report.points[i].date.ends_with("-01")).collect();
        let label_every = starts.len().div_ceil(12).max(1);
        let labelled: Vec<usize> = starts.into_iter().step_by(label_every).collect();
        for (i, point) in report.points.iter().enumerate() {
            let xx = x(i);
            let _ = writeln!(
                svg,
                r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="{bottom}" y2="{}" stroke="#888"/>"##,
                bottom + 4.0
            );
            if labelled.contains(&i) {
                let _ = writeln!(
                    svg,
                    r##"<text class="month" x="{xx:.1}" y="{}" text-anchor="middle" fill="#444">{}</text>"##,
                    bottom + 17.0,
                    escape(&month_label(&words.months, &point.date))
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
                let tip = fill(
                    &words.tooltip,
                    &[
                        ("date", &report.points[i].date),
                        ("reading", words.reading(raw.reading.as_str())),
                        ("feasible", &raw.feasible_packages),
                        ("blocked", &raw.blocked_issues.len().to_string()),
                        ("concessions", &raw.min_concessions.to_string()),
                    ],
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
            escape(&words.reading(reading).replace('_', " "))
        );
    }
    let _ = writeln!(svg, "</svg>");
    svg
}

fn superscript(n: i64) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string().chars().map(|c| c.to_digit(10).map_or('⁻', |d| DIGITS[d as usize])).collect()
}

/// Marker colour and shape of each bargaining solution, and its name in the legend.
const SOLUTIONS: [(&str, &str, &str); 4] = [
    ("nash", "#D55E00", "Nash"),
    ("ks", "#009E73", "Kalai–Smorodinsky"),
    ("egalitarian", "#CC79A7", "Maximin"),
    ("utilitarian", "#E69F00", "Utilitarian"),
];

/// A marker of `shape` (0 diamond, 1 triangle, 2 square, 3 ring) centred at (x, y).
fn marker(shape: usize, x: f64, y: f64, colour: &str, title: &str) -> String {
    let body = match shape {
        0 => format!(
            r##"<path d="M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z" fill="{colour}" stroke="#111" stroke-width="0.8""##,
            y - 7.0,
            x + 7.0,
            y + 7.0,
            x - 7.0
        ),
        1 => format!(
            r##"<path d="M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z" fill="{colour}" stroke="#111" stroke-width="0.8""##,
            y - 7.0,
            x + 6.5,
            y + 5.0,
            x - 6.5,
            y + 5.0
        ),
        2 => format!(
            r##"<rect x="{:.1}" y="{:.1}" width="10" height="10" fill="{colour}" stroke="#111" stroke-width="0.8""##,
            x - 5.0,
            y - 5.0
        ),
        _ => format!(
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="6" fill="none" stroke="{colour}" stroke-width="3""#
        ),
    };
    format!(
        "{body}><title>{}</title></{}>",
        escape(title),
        if shape == 3 {
            "circle"
        } else if shape == 2 {
            "rect"
        } else {
            "path"
        }
    )
}

/// Renders a frontier plot: for a pair of parties one panel, for a triple one panel per pair of axes.
/// Grey: points of the whole table's Pareto set; blue: those efficient for the parties shown (joined by
/// the staircase when there are two); markers: the bargaining solutions; a cross: the disagreement point.
pub fn frontier_svg(report: &crate::report::FrontierReport) -> String {
    frontier_svg_in(report, &FrontierWords::english())
}

/// The frontier chart's words, for a reader of another language than English
/// ([`FrontierWords::english`]). A `%name%` in a template stands for a value.
#[derive(Debug, Clone)]
pub struct FrontierWords {
    /// The title for assistive technology: `%parties%`.
    pub title: String,
    /// The description: `%points%`, `%reading%`, `%efficient%`, `%parties%`.
    pub description: String,
    /// The heading: `%parties%`, `%reading%`.
    pub heading: String,
    /// The line under it: `%pareto%`, `%points%`, `%efficient%`, `%parties%`.
    pub subheading: String,
    /// An axis: `%party%`.
    pub axis: String,
    /// A point's tooltip: `%utilities%`, `%efficient%` (empty or [`FrontierWords::efficient`]),
    /// `%packages%`, `%package%`.
    pub tooltip: String,
    /// Said of an efficient point in its tooltip.
    pub efficient: String,
    /// The disagreement point's tooltip: `%a%`, `%x%`, `%b%`, `%y%`.
    pub disagreement: String,
    /// The legend: the whole table's frontier, the efficient points, no deal.
    pub legend: [String; 3],
    /// The solutions' names: Nash, Kalai–Smorodinsky, maximin, utilitarian.
    pub solutions: [String; 4],
    /// The readings' names, by `red_lines`, `strict`, `pessimistic`.
    pub readings: [String; 3],
}

impl FrontierWords {
    /// The chart in English.
    pub fn english() -> FrontierWords {
        FrontierWords {
            title: "Pareto frontier for %parties%".into(),
            description: "%points% deals on the whole table's Pareto set under the %reading% reading, of which %efficient% are efficient for %parties% alone; with the Nash, Kalai–Smorodinsky, maximin and utilitarian deals and the disagreement point.".into(),
            heading: "Frontier · %parties% · %reading% reading".into(),
            subheading: "%pareto% Pareto-optimal deals for the whole table (%points% distinct here); blue: the %efficient% efficient for %parties% alone".into(),
            axis: "utility to %party%".into(),
            tooltip: "%utilities%%efficient% · %packages% package(s), e.g. %package%".into(),
            efficient: " · efficient for these parties".into(),
            disagreement: "Disagreement point: %a% %x%, %b% %y%".into(),
            legend: [
                "whole-table frontier".into(),
                "efficient for these parties".into(),
                "no deal".into(),
            ],
            solutions: SOLUTIONS.map(|(_, _, label)| label.to_string()),
            readings: ["red_lines".into(), "strict".into(), "pessimistic".into()],
        }
    }

    fn reading(&self, name: &str) -> &str {
        match name {
            "red_lines" => &self.readings[0],
            "strict" => &self.readings[1],
            _ => &self.readings[2],
        }
    }
}

/// Renders the frontier plot in `words`.
pub fn frontier_svg_in(report: &crate::report::FrontierReport, words: &FrontierWords) -> String {
    let k = report.parties.len();
    let pairs: Vec<(usize, usize)> = match k {
        0 | 1 => Vec::new(),
        2 => vec![(0, 1)],
        _ => (0..k).flat_map(|a| (a + 1..k).map(move |b| (a, b))).collect(),
    };
    let side: f64 = if pairs.len() <= 1 { 460.0 } else { 250.0 };
    let (left, top, gap) = (64.0, 70.0, 70.0);
    let legend_height = 60.0;
    let width = (left + pairs.len() as f64 * (side + gap)).max(640.0);
    let height = top + side + 50.0 + legend_height;
    // Utilities live in [0, 1]; reservation values may go below.
    let lo = report
        .points
        .iter()
        .flat_map(|p| p.utilities.iter())
        .chain(report.disagreement.iter())
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::min);
    let hi = report
        .points
        .iter()
        .flat_map(|p| p.utilities.iter())
        .copied()
        .filter(|v| v.is_finite())
        .fold(1.0_f64, f64::max);

    let mut svg = String::new();
    frontier_head(&mut svg, report, words, (width, height), left);
    for (n, &(a, b)) in pairs.iter().enumerate() {
        let frame = Frame { x0: left + n as f64 * (side + gap), y0: top, side, lo, hi };
        frontier_panel(&mut svg, report, words, &frame, (a, b), pairs.len() == 1);
    }
    frontier_legend(&mut svg, words, left, top + side + 62.0);
    let _ = writeln!(svg, "</svg>");
    svg
}

/// Where a frontier panel sits, and the range of utilities its axes span.
struct Frame {
    x0: f64,
    y0: f64,
    side: f64,
    lo: f64,
    hi: f64,
}

impl Frame {
    /// Utility `v` as a fraction of the axis.
    fn scale(&self, v: f64) -> f64 {
        (v.clamp(self.lo, self.hi) - self.lo) / (self.hi - self.lo)
    }

    /// The x coordinate of utility `v`.
    fn px(&self, v: f64) -> f64 {
        self.x0 + self.side * self.scale(v)
    }

    /// The y coordinate of utility `v`.
    fn py(&self, v: f64) -> f64 {
        self.y0 + self.side * (1.0 - self.scale(v))
    }
}

/// Writes the frontier plot's opening tag, its title and description, and the heading above the panels.
fn frontier_head(
    svg: &mut String,
    report: &crate::report::FrontierReport,
    words: &FrontierWords,
    (width, height): (f64, f64),
    left: f64,
) {
    let names = report.parties.join(" × ");
    let reading = words.reading(report.reading.as_str());
    let efficient = report.points.iter().filter(|p| p.efficient).count().to_string();
    let points = report.points.len().to_string();
    let pareto = report.pareto_size.to_string();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="ftitle fdesc" font-family="system-ui, sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        svg,
        r#"<title id="ftitle">{}</title>"#,
        escape(&fill(&words.title, &[("parties", &names)]))
    );
    let _ = writeln!(
        svg,
        r#"<desc id="fdesc">{}</desc>"#,
        escape(&fill(
            &words.description,
            &[
                ("points", &points),
                ("reading", reading),
                ("efficient", &efficient),
                ("parties", &names)
            ]
        ))
    );
    let _ = writeln!(svg, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let _ = writeln!(
        svg,
        r##"<text x="{left}" y="24" font-size="16" font-weight="600" fill="#111">{}</text>"##,
        escape(&fill(&words.heading, &[("parties", &names), ("reading", reading)]))
    );
    let _ = writeln!(
        svg,
        r##"<text x="{left}" y="42" fill="#444">{}</text>"##,
        escape(&fill(
            &words.subheading,
            &[
                ("pareto", &pareto),
                ("points", &points),
                ("efficient", &efficient),
                ("parties", &names)
            ]
        ))
    );
}

/// Writes the panel of parties `a` (x axis) and `b` (y axis); the staircase only when asked.
fn frontier_panel(
    svg: &mut String,
    report: &crate::report::FrontierReport,
    words: &FrontierWords,
    frame: &Frame,
    (a, b): (usize, usize),
    staircase: bool,
) {
    let _ = writeln!(
        svg,
        r##"<g class="panel" data-x="{}" data-y="{}">"##,
        escape(&report.parties[a]),
        escape(&report.parties[b])
    );
    frontier_axes(svg, report, words, frame, (a, b));
    frontier_points(svg, report, words, frame, (a, b), staircase);
    frontier_markers(svg, report, words, frame, (a, b));
    let _ = writeln!(svg, "</g>");
}

/// Writes a panel's grid (ticks every 0.25), its frame and its axis labels.
fn frontier_axes(
    svg: &mut String,
    report: &crate::report::FrontierReport,
    words: &FrontierWords,
    frame: &Frame,
    (a, b): (usize, usize),
) {
    let &Frame { x0, y0, side, lo, hi } = frame;
    let mut t = (lo * 4.0).ceil() / 4.0;
    while t <= hi + 1e-9 {
        let (gx, gy) = (frame.px(t), frame.py(t));
        let _ = writeln!(
            svg,
            r##"<line x1="{gx:.1}" x2="{gx:.1}" y1="{y0}" y2="{:.1}" stroke="#eee"/><line x1="{x0}" x2="{:.1}" y1="{gy:.1}" y2="{gy:.1}" stroke="#eee"/><text x="{gx:.1}" y="{:.1}" text-anchor="middle" fill="#444">{t:.2}</text><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#444">{t:.2}</text>"##,
            y0 + side,
            x0 + side,
            y0 + side + 16.0,
            x0 - 6.0,
            gy + 4.0
        );
        t += 0.25;
    }
    let _ = writeln!(
        svg,
        r##"<rect x="{x0}" y="{y0}" width="{side}" height="{side}" fill="none" stroke="#888"/><text x="{:.1}" y="{:.1}" text-anchor="middle" font-weight="600" fill="#222">{}</text><text transform="translate({:.1} {:.1}) rotate(-90)" text-anchor="middle" font-weight="600" fill="#222">{}</text>"##,
        x0 + side / 2.0,
        y0 + side + 34.0,
        escape(&fill(&words.axis, &[("party", &report.parties[a])])),
        x0 - 44.0,
        y0 + side / 2.0,
        escape(&fill(&words.axis, &[("party", &report.parties[b])]))
    );
}

/// The tooltip of a frontier point: the utilities, and the packages that project there.
fn frontier_tip(
    report: &crate::report::FrontierReport,
    words: &FrontierWords,
    p: &crate::report::FrontierPointReport,
) -> String {
    let u: Vec<String> = report
        .parties
        .iter()
        .zip(&p.utilities)
        .map(|(party, u)| format!("{party} {u:.3}"))
        .collect();
    fill(
        &words.tooltip,
        &[
            ("utilities", &u.join(", ")),
            ("efficient", if p.efficient { &words.efficient } else { "" }),
            ("packages", &p.packages.to_string()),
            ("package", &p.package.join(", ")),
        ],
    )
}

/// Writes a panel's points: grey ones first, then the staircase (when asked), then the efficient ones.
fn frontier_points(
    svg: &mut String,
    report: &crate::report::FrontierReport,
    words: &FrontierWords,
    frame: &Frame,
    (a, b): (usize, usize),
    staircase: bool,
) {
    for (k, p) in report.points.iter().enumerate().filter(|(_, p)| !p.efficient) {
        let _ = writeln!(
            svg,
            r##"<circle data-point="{k}" cx="{:.1}" cy="{:.1}" r="2.5" fill="#bbbbbb"><title>{}</title></circle>"##,
            frame.px(p.utilities[a]),
            frame.py(p.utilities[b]),
            escape(&frontier_tip(report, words, p))
        );
    }
    if staircase {
        // The staircase through the efficient points, left to right.
        let mut front: Vec<(f64, f64)> = report
            .points
            .iter()
            .filter(|p| p.efficient)
            .map(|p| (p.utilities[a], p.utilities[b]))
            .collect();
        front.sort_by(|p, q| p.0.total_cmp(&q.0));
        let mut path = String::new();
        for (i, (x, y)) in front.iter().enumerate() {
            if i > 0 {
                let _ = write!(path, " L{:.1} {:.1}", frame.px(*x), frame.py(front[i - 1].1));
            }
            let _ = write!(
                path,
                " {}{:.1} {:.1}",
                if i == 0 { "M" } else { "L" },
                frame.px(*x),
                frame.py(*y)
            );
        }
        let _ = writeln!(
            svg,
            r##"<path class="staircase" d="{}" fill="none" stroke="#0072B2" stroke-width="1.5"/>"##,
            path.trim()
        );
    }
    for (k, p) in report.points.iter().enumerate().filter(|(_, p)| p.efficient) {
        let _ = writeln!(
            svg,
            r##"<circle class="efficient" data-point="{k}" cx="{:.1}" cy="{:.1}" r="3.5" fill="#0072B2"><title>{}</title></circle>"##,
            frame.px(p.utilities[a]),
            frame.py(p.utilities[b]),
            escape(&frontier_tip(report, words, p))
        );
    }
}

/// Writes a panel's disagreement point (with its guides) and the bargaining solutions' markers.
fn frontier_markers(
    svg: &mut String,
    report: &crate::report::FrontierReport,
    words: &FrontierWords,
    frame: &Frame,
    (a, b): (usize, usize),
) {
    let y0 = frame.y0;
    // The disagreement point, with dashed guides: below them, a party is better off without a deal.
    let (dx, dy) = (report.disagreement[a], report.disagreement[b]);
    let _ = writeln!(
        svg,
        r##"<g class="disagreement"><line x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{y0}" stroke="#111" stroke-dasharray="3 3"/><line x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#111" stroke-dasharray="3 3"/><path d="M{:.1} {:.1}l8 8m0 -8l-8 8" stroke="#111" stroke-width="2"><title>{}</title></path></g>"##,
        frame.px(dx),
        frame.px(dx),
        frame.py(dy),
        frame.px(dx),
        frame.x0 + frame.side,
        frame.py(dy),
        frame.py(dy),
        frame.px(dx) - 4.0,
        frame.py(dy) - 4.0,
        escape(&fill(
            &words.disagreement,
            &[
                ("a", &report.parties[a]),
                ("x", &format!("{dx:.3}")),
                ("b", &report.parties[b]),
                ("y", &format!("{dy:.3}")),
            ]
        ))
    );
    for s in &report.solutions {
        let Some(shape) = SOLUTIONS.iter().position(|(c, _, _)| *c == s.concept) else {
            continue;
        };
        let (_, colour, _) = SOLUTIONS[shape];
        let label = &words.solutions[shape];
        let title = format!(
            "{label}: {}",
            report
                .parties
                .iter()
                .zip(&s.utilities)
                .map(|(party, u)| format!("{party} {u:.3}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(
            svg,
            "{}",
            marker(shape, frame.px(s.utilities[a]), frame.py(s.utilities[b]), colour, &title)
        );
    }
}

/// Writes the legend below the panels, its first row at `ly`.
fn frontier_legend(svg: &mut String, words: &FrontierWords, left: f64, ly: f64) {
    let mut lx = left;
    let _ = writeln!(
        svg,
        r##"<circle cx="{lx}" cy="{ly}" r="2.5" fill="#bbbbbb"/><text x="{}" y="{}" fill="#222">{}</text>"##,
        lx + 8.0,
        ly + 4.0,
        escape(&words.legend[0])
    );
    lx += 150.0;
    let _ = writeln!(
        svg,
        r##"<circle cx="{lx}" cy="{ly}" r="3.5" fill="#0072B2"/><text x="{}" y="{}" fill="#222">{}</text>"##,
        lx + 8.0,
        ly + 4.0,
        escape(&words.legend[1])
    );
    lx += 175.0;
    let _ = writeln!(
        svg,
        r##"<path d="M{} {}l8 8m0 -8l-8 8" stroke="#111" stroke-width="2"/><text x="{}" y="{}" fill="#222">{}</text>"##,
        lx - 4.0,
        ly - 4.0,
        lx + 8.0,
        ly + 4.0,
        escape(&words.legend[2])
    );
    let (mut lx, ly) = (left, ly + 24.0);
    for (shape, ((_, colour, _), label)) in SOLUTIONS.iter().zip(&words.solutions).enumerate() {
        let _ = writeln!(svg, "{}", marker(shape, lx, ly, colour, label));
        let _ = writeln!(
            svg,
            r##"<text x="{}" y="{}" fill="#222">{}</text>"##,
            lx + 12.0,
            ly + 4.0,
            escape(label)
        );
        lx += 150.0;
    }
}
