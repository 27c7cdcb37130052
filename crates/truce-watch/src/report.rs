//! The daily report: what the mission recorded on one day, against the day before, with the
//! compliance of every commitment, access restrictions, deadlines due, a chart and a map.
//!
//! [`daily`] is a pure function of (agreement, log prefix, date, boundary view): the same inputs give the
//! same bytes, in Markdown ([`Daily::markdown`]) and in self-contained HTML with inline SVG
//! ([`Daily::html`]). Its SHA-256 can be appended to the log as a [`crate::entry::Body::Report`] entry.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::civil::Date;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Serialize;
use truce_accord::geo::Point;
use truce_accord::{Agreement, Shape};
use truce_syntax::escape_xml as escape;

use crate::boundary::View;
use crate::compliance::{Compliance, Report};
use crate::entry::VerificationState;
use truce_i18n::Lang;

/// One day's report.
#[derive(Debug, Clone, Serialize)]
pub struct Daily {
    /// The agreement id and title.
    pub agreement: (String, String),
    /// The mission's name.
    pub mission: String,
    /// The day.
    pub date: Date,
    /// The log prefix it was computed from.
    pub log_size: u64,
    /// The boundary view of the map.
    pub view: String,
    /// Per observation class: events (today, yesterday), summing each observation's count.
    pub by_class: BTreeMap<String, (u64, u64)>,
    /// Per observation class: observations (today, yesterday), one per log entry.
    pub observations_by_class: BTreeMap<String, (u64, u64)>,
    /// Per zone, in agreement order: (zone id, zone name with its band, events today, events
    /// yesterday), patrols excluded. A line's buffers are counted as exclusive bands (0–25 km, then
    /// 25–35 km, then 35–70 km), so that nested zones do not repeat each other's counts.
    pub by_zone: Vec<(String, String, u64, u64)>,
    /// Today's access restrictions: (log index, time, controlled by, verification state).
    pub restrictions: Vec<(u64, String, String, String)>,
    /// Deadlines and starts in the coming 7 days: (date, commitment, what).
    pub deadlines: Vec<(Date, String, String)>,
    /// Compliance as of the day.
    pub compliance: Report,
    /// Today's observations for the map: (log index, class, event position, verification state).
    pub observations: Vec<(u64, String, Point, String)>,
}

/// Computes the daily report for `date` from a log prefix already applied to `compliance`.
pub fn daily(a: &Agreement, compliance: &Compliance<'_>, date: Date, view: &View) -> Daily {
    let registry = compliance.registry();
    let yesterday = date.yesterday().unwrap_or(date);
    let mut by_class: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let zones: Vec<_> = a.zones.iter().filter(|z| !matches!(z.shape, Shape::Line(_))).collect();
    // Each buffer's band: from the widest narrower buffer of the same line, to its own width.
    let inner: Vec<f64> = zones
        .iter()
        .map(|z| match &z.shape {
            Shape::Buffer { line, km, .. } => zones
                .iter()
                .filter_map(|o| match &o.shape {
                    Shape::Buffer { line: l, km: k, .. } if l == line && k < km => Some(*k),
                    _ => None,
                })
                .fold(0.0, f64::max),
            _ => 0.0,
        })
        .collect();
    let mut by_zone: Vec<(String, String, u64, u64)> = zones
        .iter()
        .zip(&inner)
        .map(|(z, lo)| {
            let name = match &z.shape {
                Shape::Buffer { line, km, .. } => format!("{lo}–{km} km of {line}: {}", z.name),
                _ => z.name.clone(),
            };
            (z.id.clone(), name, 0, 0)
        })
        .collect();
    let mut observations_by_class: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut restrictions = Vec::new();
    let mut observations = Vec::new();
    for r in registry.observations.values() {
        if r.superseded_by.is_some() || r.state == VerificationState::Rejected {
            continue;
        }
        let Ok(day) = r.observation.day() else { continue };
        let today = day == date;
        if !today && day != yesterday {
            continue;
        }
        let o = &r.observation;
        let n = u64::from(o.count);
        let slot = by_class.entry(o.class.clone()).or_default();
        let seen = observations_by_class.entry(o.class.clone()).or_default();
        if today {
            slot.0 += n;
            seen.0 += 1;
        } else {
            slot.1 += n;
            seen.1 += 1;
        }
        let event = o.event();
        if o.class != "patrol" {
            for (k, z) in zones.iter().enumerate() {
                let within = match &z.shape {
                    Shape::Buffer { points, km, .. } => {
                        let d = truce_accord::geo::distance_to_line_km(event, points);
                        d <= *km && (inner[k] == 0.0 || d > inner[k])
                    }
                    _ => z.contains(event),
                };
                if within {
                    if today { by_zone[k].2 += n } else { by_zone[k].3 += n }
                }
            }
        }
        if today {
            if o.class == "access_restriction" {
                restrictions.push((
                    r.index,
                    o.start.clone(),
                    o.controlled_by.clone(),
                    r.state.as_str().to_string(),
                ));
            }
            observations.push((r.index, o.class.clone(), event, r.state.as_str().to_string()));
        }
    }
    let horizon = date.checked_add(jiff::Span::new().days(7)).unwrap_or(date);
    let mut deadlines = Vec::new();
    for (_, c) in a.commitments() {
        let start = a.date_of(&c.window.start);
        if (date..=horizon).contains(&start) {
            deadlines.push((start, c.id.clone(), "starts".to_string()));
        }
        if let Some(d) = c.window.deadline_days
            && let Ok(due) = start.checked_add(jiff::Span::new().days(i64::from(d)))
            && (date..=horizon).contains(&due)
        {
            deadlines.push((due, c.id.clone(), format!("due: {}", c.action)));
        }
    }
    deadlines.sort();
    Daily {
        agreement: (a.id.clone(), a.title.clone()),
        mission: registry.mission.as_ref().map(|m| m.name.clone()).unwrap_or_default(),
        date,
        log_size: registry.size,
        view: view.id.to_string(),
        by_class,
        observations_by_class,
        by_zone,
        restrictions,
        deadlines,
        compliance: compliance.evaluate(date),
        observations,
    }
}

fn change(today: u64, yesterday: u64) -> String {
    match today.cmp(&yesterday) {
        std::cmp::Ordering::Greater => format!("+{}", today - yesterday),
        std::cmp::Ordering::Less => format!("−{}", yesterday - today),
        std::cmp::Ordering::Equal => "=".into(),
    }
}

/// Colours per class, readable on white and distinct for common colour-vision deficiencies.
fn colour(class: &str) -> &'static str {
    match class {
        "explosion" => "#d55e00",
        "projectile" | "burst" | "shot" => "#cc79a7",
        "weapon_sighting" => "#0072b2",
        "access_restriction" => "#000000",
        "patrol" => "#009e73",
        _ => "#e69f00",
    }
}

/// Free text for one line or one table cell of Markdown: line breaks become spaces, and the characters
/// that would end a cell or start markup (`|`, `\\`, `` ` ``, `*`, `[`, `]`, `<`, `>`, `#`) are
/// backslash-escaped, so what an entry says stays inside its cell.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '|' | '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The standalone HTML report's style.
const STYLE: &str = "body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#111;line-height:1.4}table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #999;padding:.2rem .5rem;text-align:left}td:nth-child(n+2){text-align:right}.wide{overflow-x:auto}figure{margin:1rem 0}svg{max-width:100%;height:auto}";

/// A party's dispute of a verdict, as one line: party, entry, the observation disputed, its text.
fn dispute_line(d: &crate::compliance::Dispute, text: &str, party: &str, lang: Lang) -> String {
    let id = if d.awaiting_review { "daily-dispute-awaiting" } else { "daily-dispute" };
    lang.words().with(
        id,
        &[
            ("party", party.to_string().into()),
            ("index", d.index.into()),
            ("of", d.of.into()),
            ("text", text.to_string().into()),
        ],
    )
}

/// A word of the log's vocabulary (`class`, `state`) in `lang`, or the word itself with spaces.
pub fn vocabulary(lang: Lang, kind: &str, id: &str) -> String {
    let key = format!("{kind}-{id}");
    let w = lang.words();
    if w.has(&key) { w.get(&key) } else { id.replace('_', " ") }
}

/// A commitment's status in words, in `lang`.
pub fn status_words(c: &crate::compliance::Standing, lang: Lang) -> String {
    use crate::compliance::Status;
    let id = if c.label() != c.status.as_str() {
        "status-compliant-now"
    } else {
        match c.status {
            Status::NotInForce => "status-not-in-force",
            Status::AwaitingPrecondition => "status-awaiting-precondition",
            Status::Compliant => "status-compliant",
            Status::AllegedViolation => "status-alleged-violation",
            Status::VerifiedViolation => "status-verified-violation",
            Status::Unverifiable => "status-unverifiable",
        }
    };
    lang.words().get(id)
}

impl Daily {
    /// The report in Markdown, in English: the authoritative text, whose hash the log can hold.
    pub fn markdown(&self) -> String {
        self.markdown_in(Lang::En)
    }

    /// The report in Markdown in `lang`; a translation says so at its top. Every string that comes from
    /// an entry or the agreement goes through [`md`].
    pub fn markdown_in(&self, lang: Lang) -> String {
        let w = lang.words();
        let mut s = String::new();
        let _ = writeln!(s, "# {}\n", md(&self.title_in(lang)));
        if lang != Lang::En {
            let _ = writeln!(s, "*{}*\n", w.get("daily-translation"));
        }
        let _ = writeln!(s, "{}\n", self.computed(lang, md));
        let head = |cols: &[&str]| {
            let names: Vec<String> = cols.iter().map(|c| w.get(c)).collect();
            let align: Vec<&str> =
                cols.iter().enumerate().map(|(k, _)| if k == 0 { "---" } else { "---:" }).collect();
            format!("| {} |\n|{}|", names.join(" | "), align.join("|"))
        };
        let _ = writeln!(
            s,
            "## {}\n\n{}\n\n{}",
            w.get("daily-by-class"),
            w.get("daily-by-class-note"),
            head(&[
                "daily-col-class",
                "daily-col-obs-today",
                "daily-col-events-today",
                "daily-col-obs-yesterday",
                "daily-col-events-yesterday",
                "daily-col-change"
            ])
        );
        for (class, (t, y)) in &self.by_class {
            let (ot, oy) = self.observations_by_class.get(class).copied().unwrap_or_default();
            let word = md(&vocabulary(lang, "class", class));
            let _ = writeln!(s, "| {word} | {ot} | {t} | {oy} | {y} | {} |", change(*t, *y));
        }
        let _ = writeln!(
            s,
            "\n## {}\n\n{}\n\n{}",
            w.get("daily-by-zone"),
            w.get("daily-by-zone-note"),
            head(&[
                "daily-col-zone",
                "daily-col-today",
                "daily-col-yesterday",
                "daily-col-change-short"
            ])
        );
        for (id, name, t, y) in &self.by_zone {
            let _ = writeln!(s, "| {} ({}) | {t} | {y} | {} |", md(name), md(id), change(*t, *y));
        }
        let _ = writeln!(s, "\n## {}\n", w.get("daily-restrictions"));
        if self.restrictions.is_empty() {
            let _ = writeln!(s, "{}", w.get("daily-none-recorded"));
        }
        for line in self.restriction_lines(lang, md) {
            let _ = writeln!(s, "- {line}");
        }
        let _ = writeln!(s, "\n## {}\n", w.get("daily-deadlines"));
        if self.deadlines.is_empty() {
            let _ = writeln!(s, "{}", w.get("daily-none"));
        }
        for (d, c, what) in &self.deadlines {
            let _ = writeln!(s, "- {d}: {} {}", md(c), md(what));
        }
        let _ = writeln!(
            s,
            "\n## {}\n\n{}\n\n{}",
            w.with("daily-compliance", &[("date", self.date.to_string().into())]),
            w.get("daily-dispute-note"),
            head(&[
                "daily-col-commitment",
                "daily-col-status",
                "daily-col-pam",
                "daily-col-days",
                "daily-col-evidence",
                "daily-col-disputed"
            ])
            .replace("|---:|---:|---:|---:|---:|", "|---|---:|---:|---|---|")
        );
        for c in &self.compliance.commitments {
            let ev: Vec<String> = c.evidence.iter().map(u64::to_string).collect();
            let disputes: Vec<String> = c
                .disputes
                .iter()
                .map(|d| dispute_line(d, &md(&d.text), &md(&d.party), lang))
                .collect();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                md(&c.commitment),
                status_words(c, lang),
                c.pam_score,
                c.violation_days.len(),
                ev.join(", "),
                disputes.join("; ")
            );
        }
        let _ = writeln!(
            s,
            "\n{}",
            w.with("daily-on-map", &[("count", self.observations.len().into())])
        );
        s
    }

    /// What the report was computed from, in `lang`, each value through `escape`.
    fn computed(&self, lang: Lang, escape: fn(&str) -> String) -> String {
        lang.words().with(
            "daily-computed",
            &[
                ("agreement", escape(&self.agreement.1).into()),
                ("id", escape(&self.agreement.0).into()),
                ("entries", self.log_size.into()),
                ("view", escape(&self.view).into()),
            ],
        )
    }

    /// Today's access restrictions in words, in `lang`, each with the nearest place of the gazetteer when
    /// the map's observations hold its position; values through `escape`.
    fn restriction_lines(&self, lang: Lang, escape: fn(&str) -> String) -> Vec<String> {
        let w = lang.words();
        self.restrictions
            .iter()
            .map(|(i, t, by, st)| {
                let mut line = w.with(
                    "daily-restriction",
                    &[
                        ("index", (*i).into()),
                        ("time", escape(t).into()),
                        ("party", escape(by).into()),
                        ("state", vocabulary(lang, "state", st).into()),
                    ],
                );
                let at = self.observations.iter().find(|o| o.0 == *i).map(|o| o.2);
                if let Some(near) = at.and_then(|p| crate::gazetteer::shipped().nearest(p[1], p[0]))
                {
                    line.push_str(" — ");
                    line.push_str(&escape(&near.words(lang)));
                }
                line
            })
            .collect()
    }

    /// A horizontal bar chart of today's and yesterday's totals by class (SVG).
    pub fn chart_svg(&self) -> String {
        self.chart_svg_in(Lang::En)
    }

    /// The chart in `lang`.
    pub fn chart_svg_in(&self, lang: Lang) -> String {
        let words = lang.words();
        let rows: Vec<_> = self.by_class.iter().collect();
        let max = rows.iter().map(|(_, (t, y))| (*t).max(*y)).max().unwrap_or(1).max(1) as f64;
        let (w, row_h) = (640.0, 34.0);
        let h = 40.0 + row_h * rows.len() as f64;
        let mut s = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" id="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="sans-serif" font-size="12"><title id="chart-title">{}</title>"#,
            escape(&words.with("daily-chart-title", &[("date", self.date.to_string().into())]))
        );
        let _ = write!(
            s,
            r##"<rect x="170" y="8" width="12" height="10" fill="#333"/><text x="186" y="17">{}</text><rect x="260" y="8" width="12" height="10" fill="#999"/><text x="276" y="17">{}</text>"##,
            escape(&words.get("daily-col-today")),
            escape(&words.get("daily-col-yesterday"))
        );
        for (k, (class, (t, y))) in rows.iter().enumerate() {
            let y0 = 30.0 + row_h * k as f64;
            let bar = |v: u64| 420.0 * v as f64 / max;
            let _ = write!(
                s,
                r##"<text x="160" y="{:.1}" text-anchor="end">{}</text><rect x="170" y="{:.1}" width="{:.1}" height="12" fill="{}"/><text x="{:.1}" y="{:.1}">{t}</text><rect x="170" y="{:.1}" width="{:.1}" height="10" fill="#999"/><text x="{:.1}" y="{:.1}">{y}</text>"##,
                y0 + 14.0,
                escape(&vocabulary(lang, "class", class)),
                y0,
                bar(*t),
                colour(class),
                175.0 + bar(*t),
                y0 + 10.0,
                y0 + 14.0,
                bar(*y),
                175.0 + bar(*y),
                y0 + 23.0
            );
        }
        s.push_str("</svg>");
        s
    }

    /// A map of today's observations over the boundary view, with the agreement's lines (SVG).
    ///
    /// Its frame never collapses, whatever the points: only finite points on the globe count (and are
    /// drawn), the latitude scale is taken at most 80° from the equator, and the frame's aspect ratio is
    /// kept between 3:1 and 1:1.5 by widening its narrower side around its centre.
    pub fn map_svg(&self, a: &Agreement, view: &View) -> String {
        self.map_svg_in(a, view, Lang::En)
    }

    /// The map in `lang`.
    pub fn map_svg_in(&self, a: &Agreement, view: &View, lang: Lang) -> String {
        let words = lang.words();
        let on_globe = |p: &Point| {
            p[0].is_finite()
                && p[1].is_finite()
                && (-180.0..=180.0).contains(&p[0])
                && (-90.0..=90.0).contains(&p[1])
        };
        // Frame: the agreement's lines and zones' extent, with a margin.
        let mut pts: Vec<Point> = Vec::new();
        for z in &a.zones {
            match &z.shape {
                Shape::Line(p) => pts.extend(p),
                Shape::Polygon(r) => pts.extend(r.iter().flatten()),
                Shape::Buffer { .. } => {}
            }
        }
        pts.extend(self.observations.iter().map(|o| o.2));
        pts.retain(on_globe);
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for p in &pts {
            (x0, x1, y0, y1) = (x0.min(p[0]), x1.max(p[0]), y0.min(p[1]), y1.max(p[1]));
        }
        if pts.is_empty() {
            (x0, x1, y0, y1) = (-10.0, 10.0, -10.0, 10.0);
        }
        let (mut x0, mut x1, mut y0, mut y1) = (x0 - 0.8, x1 + 0.8, y0 - 0.6, y1 + 0.6);
        let k = ((y0 + y1) / 2.0).clamp(-80.0, 80.0).to_radians().cos();
        let (wide, tall) = ((x1 - x0) * k, y1 - y0);
        if tall > 1.5 * wide {
            let (centre, half) = ((x0 + x1) / 2.0, tall / 1.5 / k / 2.0);
            (x0, x1) = (centre - half, centre + half);
        } else if tall < wide / 3.0 {
            let (centre, half) = ((y0 + y1) / 2.0, wide / 3.0 / 2.0);
            (y0, y1) = (centre - half, centre + half);
        }
        let (w, h) = (760.0, 760.0 * (y1 - y0) / ((x1 - x0) * k));
        let px = |p: &Point| ((p[0] - x0) / (x1 - x0) * w, (y1 - p[1]) / (y1 - y0) * h);
        let path = |ring: &[Point]| {
            let mut d = String::new();
            for (i, p) in ring.iter().enumerate() {
                let (x, y) = px(p);
                let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
            }
            d
        };
        let mut s = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" id="map" role="img" aria-labelledby="map-title" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" font-family="sans-serif" font-size="12"><title id="map-title">{}</title><defs><clipPath id="frame"><rect width="{w:.0}" height="{h:.0}"/></clipPath></defs><rect width="{w:.0}" height="{h:.0}" fill="#dbe9f4"/><g clip-path="url(#frame)">"##,
            escape(&words.with(
                "daily-map-title",
                &[("date", self.date.to_string().into()), ("view", view.id.into())]
            ))
        );
        for c in &view.countries {
            let near =
                c.polygons.iter().flatten().flatten().any(|p| {
                    p[0] > x0 - 5.0 && p[0] < x1 + 5.0 && p[1] > y0 - 5.0 && p[1] < y1 + 5.0
                });
            if !near {
                continue;
            }
            let mut d = String::new();
            for poly in &c.polygons {
                for ring in poly {
                    d.push_str(&path(ring));
                    d.push('Z');
                }
            }
            let _ = write!(
                s,
                r##"<path class="country" d="{d}" fill="#f4f1ea" stroke="#8a8a8a" stroke-width="0.8" fill-rule="evenodd"><title>{} ({})</title></path>"##,
                escape(&c.name),
                c.id
            );
        }
        for z in &a.zones {
            if let Shape::Line(p) = &z.shape {
                let dash = if z.kind == "contact_line" { "" } else { r#" stroke-dasharray="6 4""# };
                let _ = write!(
                    s,
                    r##"<path class="line" d="{}" fill="none" stroke="#444" stroke-width="2"{dash}><title>{}</title></path>"##,
                    path(p),
                    escape(&z.name)
                );
            }
        }
        for (i, class, p, state) in self.observations.iter().filter(|o| on_globe(&o.2)) {
            let (x, y) = px(p);
            let r = if class == "patrol" { 3.0 } else { 4.5 };
            let _ = write!(
                s,
                r##"<circle class="obs" cx="{x:.1}" cy="{y:.1}" r="{r}" fill="{}" stroke="#fff" stroke-width="0.8"><title>{}</title></circle>"##,
                colour(class),
                escape(&words.with(
                    "daily-map-entry",
                    &[
                        ("index", (*i).into()),
                        ("class", vocabulary(lang, "class", class).into()),
                        ("state", vocabulary(lang, "state", state).into()),
                    ]
                ))
            );
        }
        s.push_str("</g>");
        let mut classes: Vec<&str> = self.observations.iter().map(|o| o.1.as_str()).collect();
        classes.sort_unstable();
        classes.dedup();
        for (k, class) in classes.iter().enumerate() {
            let y = 18.0 + 16.0 * k as f64;
            let _ = write!(
                s,
                r##"<circle cx="16" cy="{:.1}" r="5" fill="{}"/><text x="26" y="{:.1}">{}</text>"##,
                y - 4.0,
                colour(class),
                y,
                escape(&vocabulary(lang, "class", class))
            );
        }
        let _ = write!(
            s,
            r##"<text x="{:.0}" y="{:.0}" text-anchor="end" fill="#333">{}</text></svg>"##,
            w - 8.0,
            h - 8.0,
            escape(&words.with("daily-map-note", &[("view", view.id.into())]))
        );
        s
    }

    /// The report's title: the day and the mission.
    pub fn title(&self) -> String {
        self.title_in(Lang::En)
    }

    /// The title in `lang`.
    pub fn title_in(&self, lang: Lang) -> String {
        lang.words().with(
            "daily-title",
            &[("date", self.date.to_string().into()), ("mission", self.mission.clone().into())],
        )
    }

    /// The report in HTML, for a page of its own ([`Daily::html`]) or inside another: the title as a
    /// heading of `title_level` (1 alone, 2 inside a page with its own title), what it was computed
    /// from, the tables with the chart, the lists, and the map. The one template of the HTML report;
    /// maud escapes every value, and the chart and map are this module's SVG.
    pub fn body(&self, a: &Agreement, view: &View, title_level: u8) -> Markup {
        self.body_in(a, view, title_level, Lang::En)
    }

    /// The HTML body in `lang`; a translation says so under its title.
    pub fn body_in(&self, a: &Agreement, view: &View, title_level: u8, lang: Lang) -> Markup {
        let w = lang.words();
        let nl = PreEscaped("\n");
        let title = self.title_in(lang);
        let row = |cells: Vec<String>| {
            html! { tr { @for c in &cells { td { (c) } } } (nl) }
        };
        let table = |head: &[&str], rows: Vec<Markup>| {
            html! {
                // A table scrolls in its own box on a narrow screen, reachable from the keyboard.
                div.wide tabindex="0" {
                    table {
                        thead { tr { @for h in head { th scope="col" { (w.get(h)) } } } }
                        tbody { (nl) @for r in &rows { (r) } }
                    }
                }
                (nl)
            }
        };
        let by_class = self.by_class.iter().map(|(class, (t, y))| {
            let (ot, oy) = self.observations_by_class.get(class).copied().unwrap_or_default();
            row(vec![
                vocabulary(lang, "class", class),
                ot.to_string(),
                t.to_string(),
                oy.to_string(),
                y.to_string(),
                change(*t, *y),
            ])
        });
        let by_zone = self.by_zone.iter().map(|(id, name, t, y)| {
            row(vec![format!("{name} ({id})"), t.to_string(), y.to_string(), change(*t, *y)])
        });
        let compliance = self.compliance.commitments.iter().map(|c| {
            let evidence: Vec<String> = c.evidence.iter().map(u64::to_string).collect();
            let disputes: Vec<String> =
                c.disputes.iter().map(|d| dispute_line(d, &d.text, &d.party, lang)).collect();
            row(vec![
                c.commitment.clone(),
                status_words(c, lang),
                c.pam_score.to_string(),
                c.violation_days.len().to_string(),
                evidence.join(", "),
                disputes.join("; "),
            ])
        });
        let plain: fn(&str) -> String = str::to_string;
        html! {
            @if title_level <= 1 { h1 { (title) } } @else { h2 { (title) } }
            (nl)
            @if lang != Lang::En { p.translation { em { (w.get("daily-translation")) } } (nl) }
            p { (self.computed(lang, plain)) }
            (nl)
            h2 { (w.get("daily-by-class")) } (nl)
            figure {
                (PreEscaped(self.chart_svg_in(lang)))
                figcaption { (w.get("daily-chart-caption")) }
            }
            (nl)
            p { (w.get("daily-by-class-note")) } (nl)
            (table(
                &["daily-col-class", "daily-col-obs-today", "daily-col-events-today", "daily-col-obs-yesterday", "daily-col-events-yesterday", "daily-col-change"],
                by_class.collect(),
            ))
            h2 { (w.get("daily-by-zone")) } (nl)
            p { (w.get("daily-by-zone-note")) } (nl)
            (table(&["daily-col-zone", "daily-col-today", "daily-col-yesterday", "daily-col-change-short"], by_zone.collect()))
            h2 { (w.get("daily-restrictions")) } (nl)
            @if self.restrictions.is_empty() { p { (w.get("daily-none-recorded")) } (nl) }
            @for line in self.restriction_lines(lang, plain) {
                p.item { (line) }
                (nl)
            }
            h2 { (w.get("daily-deadlines")) } (nl)
            @if self.deadlines.is_empty() { p { (w.get("daily-none")) } (nl) }
            @for (d, c, what) in &self.deadlines {
                p.item { (d) ": " (c) " " (what) } (nl)
            }
            h2 { (w.with("daily-compliance", &[("date", self.date.to_string().into())])) } (nl)
            p { (w.get("daily-dispute-note")) } (nl)
            (table(
                &["daily-col-commitment", "daily-col-status", "daily-col-pam", "daily-col-days", "daily-col-evidence", "daily-col-disputed"],
                compliance.collect(),
            ))
            p { (w.with("daily-on-map", &[("count", self.observations.len().into())])) } (nl)
            h2 { (w.get("daily-map")) } (nl)
            figure {
                (PreEscaped(self.map_svg_in(a, view, lang)))
                figcaption {
                    (w.with("daily-map-caption", &[("date", self.date.to_string().into()), ("view", view.id.into())]))
                }
            }
            (nl)
        }
    }

    /// The report as one self-contained HTML page with the chart and the map inline.
    pub fn html(&self, a: &Agreement, view: &View) -> String {
        self.html_in(a, view, Lang::En)
    }

    /// The self-contained HTML page in `lang`.
    pub fn html_in(&self, a: &Agreement, view: &View, lang: Lang) -> String {
        let page = html! {
            (DOCTYPE) "\n"
            html lang=(lang.code()) {
                head { meta charset="utf-8"; title { (self.title_in(lang)) } style { (PreEscaped(STYLE)) } }
                body { "\n" (self.body_in(a, view, 1, lang)) }
            }
            "\n"
        };
        page.into_string()
    }
}
