//! Text and Markdown renderings of the reports: what a person reads in a terminal or pastes into a brief.

use std::fmt::Write;

use crate::report::{
    AnalysisReport, Citation, ConstraintReport, PackageReport, ReadingReport, TimelineReport,
};

/// How many alternatives per blocked group the text form lists before summarising the rest.
const TEXT_ALTERNATIVES: usize = 5;

pub(crate) fn cite_line(c: &Citation) -> String {
    let outlet = c.publication.as_deref().unwrap_or(&c.source);
    let precision =
        if c.date_precision == "day" { String::new() } else { format!(" ({})", c.date_precision) };
    format!(
        "{} {} on {}, {}{precision} — {outlet} [{}], line {}{}: {}",
        c.party,
        c.stance,
        c.option,
        c.date,
        c.source,
        c.line,
        qualifiers(c),
        quoted(c, &c.quote, '"', '"')
    ) + &checked(c)
}

/// How the quote stands against its archived source: ` [found in archive 1a2b3c4d, line 7]`,
/// ` [NOT FOUND in archive 1a2b3c4d; closest, line 7: "..."]`, ` [near …]` or ` [no archive]`.
pub fn checked(c: &Citation) -> String {
    let q = &c.quote_check;
    let hash = q.sha256.as_deref().map_or("", |h| &h[..h.len().min(8)]);
    let line = q.line.map(|l| format!(", line {l}")).unwrap_or_default();
    match q.status.as_str() {
        "found" => format!(" [found in archive {hash}{line}]"),
        "near" => format!(
            " [near, in archive {hash}{line}: \"{}\"]",
            q.closest.as_deref().unwrap_or_default()
        ),
        "not_found" => match &q.closest {
            Some(p) => format!(" [NOT FOUND in archive {hash}; closest{line}: \"{p}\"]"),
            None => format!(" [NOT FOUND in archive {hash}]"),
        },
        _ => " [no archive]".to_string(),
    }
}

/// What qualifies a citation, as ` (inferred, conditional, STALE)` (empty when nothing does).
fn qualifiers(c: &Citation) -> String {
    let mut words = Vec::new();
    if c.basis == "inferred" {
        words.push("inferred".to_string());
    }
    if let Some(q) = &c.qualifier {
        words.push(q.replace('_', " "));
    }
    if c.stale {
        words.push("STALE".to_string());
    }
    if words.is_empty() { String::new() } else { format!(" ({})", words.join(", ")) }
}

/// The quote as its kind warrants: the speaker's own words (and document text) in quotation marks, a
/// translation marked as such, and an outlet's paraphrase without quotation marks.
fn quoted(c: &Citation, text: &str, open: char, close: char) -> String {
    match c.quote_kind.as_deref() {
        Some("paraphrase") => format!("(paraphrase) {text}"),
        Some("translated") => format!("{open}{text}{close} (translated)"),
        Some("document_text") => format!("document text {open}{text}{close}"),
        _ => format!("{open}{text}{close}"),
    }
}

/// What the report says when the constraints leave packages open but none is worth a deal to everyone.
const NO_RATIONAL_PACKAGE: &str = "No feasible package gives every party at least its reservation value: each package leaves some party better off walking away, so there is no deal all can accept.";

fn group_digits(s: &str) -> String {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return s.to_string();
    }
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn reading_title(reading: &str) -> &'static str {
    match reading {
        "red_lines" => "Red lines",
        "strict" => "Strict",
        "pessimistic" => "Pessimistic",
        _ => "Reading",
    }
}

/// "as of D: N positions known", or "as of all positions on file".
fn as_of_words(report: &AnalysisReport) -> String {
    match &report.as_of {
        Some(d) => format!("as of {d}: {} known", report.positions_known),
        None => "as of all positions on file".to_string(),
    }
}

/// The rule that flags statements stale, in one sentence (none for a scenario without statements).
fn stale_words(report: &AnalysisReport) -> Option<String> {
    report.staleness.reference.as_ref().map(|r| {
        format!(
            "Statements made more than {} days before {r} are marked STALE: the party may have moved since.",
            report.staleness.after_days
        )
    })
}

/// The analysis for a terminal.
pub fn analysis_text(report: &AnalysisReport) -> String {
    let mut out = String::new();
    let title = report.scenario.title.as_deref().unwrap_or(&report.scenario.file);
    let _ = writeln!(out, "{title}");
    let _ = writeln!(
        out,
        "{} · {} issues, {} options, {} positions · {}",
        report.scenario.file,
        report.scenario.issues,
        report.scenario.options,
        report.scenario.positions,
        as_of_words(report)
    );
    for w in &report.warnings {
        let _ = writeln!(out, "WARNING: {w}");
    }
    if !report.relaxed.is_empty() {
        let _ = writeln!(
            out,
            "WHAT IF: these hard constraints are switched off in every reading: {}",
            report.relaxed.join(", ")
        );
    }
    let parties: Vec<&str> = report.parties.iter().map(|p| p.id.as_str()).collect();
    let _ = writeln!(out, "Parties at the table: {}", parties.join(", "));
    if let Some(words) = stale_words(report) {
        let _ = writeln!(out, "{words}");
    }
    if let Some(p) = report.parties.first() {
        let u = &p.stance_utilities;
        let _ = writeln!(
            out,
            "Stance utilities: demanded {} > acceptable {} > unknown {} = no position {} > opposed {} (red line {})",
            u.demanded, u.acceptable, u.unknown, u.no_position, u.opposed, u.red_line
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<12} {:>12} {:>20} {:>8} {:>16}",
        "reading", "constraints", "feasible packages", "blocked", "min concessions"
    );
    for r in &report.readings {
        let min = r.concessions.as_ref().map_or("0".to_string(), |c| c.min_concessions.to_string());
        let _ = writeln!(
            out,
            "{:<12} {:>12} {:>20} {:>8} {:>16}",
            r.reading.as_str(),
            r.hard_constraints,
            group_digits(&r.feasible_packages),
            r.blocked_issues.len(),
            min
        );
    }
    for r in &report.readings {
        let _ = writeln!(out);
        reading_text(&mut out, r);
    }
    if let Some(r) = &report.robustness {
        robustness_text(&mut out, r);
    }
    out
}

fn robustness_text(out: &mut String, r: &crate::report::RobustnessReport) {
    let rule = "═".repeat(78);
    let _ = writeln!(out, "\n{rule}\nRobustness: {} draws, seed {}\n{rule}", r.draws, r.seed);
    let _ = writeln!(out, "Each draw: {}.", r.method);
    let _ = writeln!(out, "Draws with a feasible package: {:.1}%", 100.0 * r.feasible_share);
    for b in &r.blocked {
        let _ = writeln!(out, "  {} blocked in {:.1}% of draws", b.issue, 100.0 * b.share);
    }
    let _ =
        writeln!(out, "\nMost frequent Nash packages (share as Nash · on frontier · feasible):");
    for f in &r.nash {
        let _ = writeln!(
            out,
            "  {:>5.1}% · {:>5.1}% · {:>5.1}%  {}",
            100.0 * f.nash,
            100.0 * f.frontier,
            100.0 * f.feasible,
            f.package.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\nPackages most often on the Pareto frontier ({} distinct packages were on some frontier):",
        r.frontier_distinct
    );
    for f in &r.frontier {
        let _ = writeln!(
            out,
            "  {:>5.1}% on frontier · {:>5.1}% feasible  {}",
            100.0 * f.frontier,
            100.0 * f.feasible,
            f.package.join(", ")
        );
    }
}

fn reading_text(out: &mut String, r: &ReadingReport) {
    let rule = "═".repeat(78);
    let _ = writeln!(out, "{rule}");
    let _ = writeln!(out, "{} reading: {}", reading_title(r.reading.as_str()), r.description);
    let _ = writeln!(out, "{rule}");
    let _ = writeln!(
        out,
        "Feasible packages: {} of {} ({} hard constraints)",
        group_digits(&r.feasible_packages),
        group_digits(&r.total_packages),
        r.hard_constraints
    );
    if !r.assumed_red_lines.is_empty() {
        let _ = writeln!(
            out,
            "Stances recorded as unknown that this reading holds as red lines ({}):",
            r.assumed_red_lines.len()
        );
        for constraint in &r.assumed_red_lines {
            for c in &constraint.citations {
                let _ = writeln!(out, "  · {}", cite_line(c));
            }
        }
    }
    if let Some(c) = &r.concessions {
        let _ = writeln!(
            out,
            "No deal: {} blocked issue(s): {}",
            r.blocked_issues.len(),
            r.blocked_issues.join(", ")
        );
        let _ = writeln!(
            out,
            "Fewest concessions that open a deal: {}. Minimal concession sets: {} (one alternative per blocked issue, combined).",
            c.min_concessions,
            group_digits(&c.total_sets)
        );
        for g in &c.groups {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "▸ {}: {} alternative(s)",
                g.issues.join(" + "),
                g.alternatives.len()
            );
            for a in g.alternatives.iter().take(TEXT_ALTERNATIVES) {
                let _ = writeln!(
                    out,
                    "  {}. [{} concession(s), {} part{}] {}",
                    a.rank,
                    a.relax.len(),
                    a.parties.len(),
                    if a.parties.len() == 1 { "y" } else { "ies" },
                    a.explanation
                );
                for constraint in &a.relax {
                    for c in &constraint.citations {
                        let _ = writeln!(out, "       · {}", cite_line(c));
                    }
                }
            }
            if g.alternatives.len() > TEXT_ALTERNATIVES {
                let _ = writeln!(
                    out,
                    "  … {} more (see --format json or md)",
                    g.alternatives.len() - TEXT_ALTERNATIVES
                );
            }
        }
    }
    if let Some(c) = &r.coalitions {
        let _ = writeln!(out);
        if c.grand_coalition && r.best.as_ref().is_some_and(|b| !b.meets_reservation) {
            let _ = writeln!(
                out,
                "Coalitions: the hard constraints of all parties at the table can be met together, but no such package meets every party's reservation value (below)."
            );
        } else if c.grand_coalition {
            let _ = writeln!(out, "Coalitions: all parties at the table can agree.");
        } else {
            let _ = writeln!(out, "Coalitions that can agree as things stand (largest):");
            for m in &c.maximal {
                let _ = writeln!(out, "  {{{}}}", m.join(", "));
            }
            let _ = writeln!(out, "Smallest groups that cannot agree:");
            for m in &c.minimal_blocking {
                let _ = writeln!(out, "  {{{}}}", m.join(", "));
            }
        }
    }
    if let Some(best) = &r.best {
        let _ = writeln!(out);
        if !best.meets_reservation {
            let _ = writeln!(out, "{}", NO_RATIONAL_PACKAGE);
        }
        let _ = writeln!(
            out,
            "Pareto set: {} distinct utility profile(s) among the feasible packages.",
            best.pareto_size
        );
        if let Some(p) = &best.nash {
            package_text(
                out,
                "Nash package (maximises the product of utilities)",
                "Nash product",
                p,
            );
        }
        if let Some(p) = &best.maximin {
            package_text(
                out,
                "Maximin package (maximises the worst-off party's utility)",
                "lowest utility",
                p,
            );
        }
        let short = |name: &str, p: &Option<PackageReport>| {
            p.as_ref().map(|p| {
                let options: Vec<&str> = p.options.iter().map(|o| o.option.as_str()).collect();
                format!("  {name:<12} {:>8.4}  {}", p.score, options.join(", "))
            })
        };
        let others: Vec<String> = [
            short("KS", &best.ks),
            short("KS (Genius)", &best.ks_genius),
            short("utilitarian", &best.utilitarian),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !others.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "Other bargaining solutions (score, package):");
            for line in others {
                let _ = writeln!(out, "{line}");
            }
        }
    }
}

fn package_text(out: &mut String, title: &str, score_name: &str, p: &PackageReport) {
    let _ = writeln!(out);
    let _ = writeln!(out, "{title}: {score_name} {:.4}", p.score);
    for o in &p.options {
        let also = if o.equivalents.is_empty() {
            String::new()
        } else {
            format!("  (equally good: {})", o.equivalents.join(", "))
        };
        let _ = writeln!(out, "  {:<22} {}{also}", o.issue, o.option);
    }
    let _ = writeln!(out, "  Per party:");
    for party in &p.parties {
        let list = |verdict: &str| -> Vec<&str> {
            party
                .issues
                .iter()
                .filter(|i| i.verdict.as_str() == verdict)
                .map(|i| i.option.as_str())
                .collect()
        };
        let mut parts = Vec::new();
        for (verdict, label) in [
            ("meets_demand", "meets demands"),
            ("accepted", "accepted"),
            ("crosses_opposition", "crosses opposition"),
        ] {
            let items = list(verdict);
            if !items.is_empty() {
                parts.push(format!("{label}: {}", items.join(", ")));
            }
        }
        let unmet: Vec<&str> = party
            .issues
            .iter()
            .flat_map(|i| i.unmet_demands.iter().map(|c| c.option.as_str()))
            .collect();
        if !unmet.is_empty() {
            parts.push(format!("unmet demands: {}", unmet.join(", ")));
        }
        let _ = writeln!(out, "    {:<5} {:.3}  {}", party.party, party.utility, parts.join("; "));
        for issue in &party.issues {
            if matches!(issue.verdict.as_str(), "crosses_opposition" | "crosses_red_line")
                && let Some(c) = &issue.citation
            {
                let _ = writeln!(out, "          · {}", cite_line(c));
            }
        }
    }
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

fn cite_md(c: &Citation) -> String {
    let outlet = md_escape(c.publication.as_deref().unwrap_or(&c.source));
    let source = match &c.url {
        Some(url) => format!("[{outlet}]({url})"),
        None => outlet,
    };
    format!(
        "**{}** {} on `{}`, {} — {}, line {}{}: {}",
        c.party,
        c.stance,
        c.option,
        c.date,
        source,
        c.line,
        qualifiers(c),
        quoted(c, &md_escape(&c.quote), '“', '”')
    )
}

fn constraint_md(c: &ConstraintReport) -> String {
    let cites: Vec<String> = c.citations.iter().map(cite_md).collect();
    format!("{} — {}", c.relaxation, cites.join("; "))
}

/// The analysis as Markdown, with every alternative and every citation.
pub fn analysis_markdown(report: &AnalysisReport) -> String {
    let mut out = String::new();
    let title = report.scenario.title.as_deref().unwrap_or(&report.scenario.file);
    let _ = writeln!(out, "# {title}\n");
    let _ = writeln!(
        out,
        "`{}` · {} issues · {} options · {} positions · {}\n",
        report.scenario.file,
        report.scenario.issues,
        report.scenario.options,
        report.scenario.positions,
        as_of_words(report)
    );
    for w in &report.warnings {
        let _ = writeln!(out, "> **Warning:** {}\n", md_escape(w));
    }
    if !report.relaxed.is_empty() {
        let _ = writeln!(
            out,
            "> **What if:** these hard constraints are switched off in every reading: {}\n",
            report.relaxed.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        );
    }
    let parties: Vec<&str> = report.parties.iter().map(|p| p.id.as_str()).collect();
    let _ = writeln!(out, "Parties: {}\n", parties.join(", "));
    if let Some(words) = stale_words(report) {
        let _ = writeln!(out, "{words}\n");
    }
    let _ = writeln!(
        out,
        "| reading | hard constraints | feasible packages | blocked issues | fewest concessions |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for r in &report.readings {
        let min = r.concessions.as_ref().map_or(0, |c| c.min_concessions);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            r.reading.as_str(),
            r.hard_constraints,
            group_digits(&r.feasible_packages),
            r.blocked_issues.len(),
            min
        );
    }
    for r in &report.readings {
        let _ = writeln!(
            out,
            "\n## {} reading\n\n{}.\n",
            reading_title(r.reading.as_str()),
            r.description
        );
        let _ = writeln!(
            out,
            "Feasible packages: **{}** of {}.\n",
            group_digits(&r.feasible_packages),
            group_digits(&r.total_packages)
        );
        if !r.assumed_red_lines.is_empty() {
            let _ = writeln!(
                out,
                "Stances recorded as unknown that this reading holds as red lines ({}):\n",
                r.assumed_red_lines.len()
            );
            for constraint in &r.assumed_red_lines {
                let _ = writeln!(out, "- {}", constraint_md(constraint));
            }
            let _ = writeln!(out);
        }
        if let Some(c) = &r.concessions {
            let _ = writeln!(
                out,
                "Blocked issues: {}. Fewest concessions: **{}**. Minimal concession sets: {} (pick one alternative per issue).\n",
                r.blocked_issues.join(", "),
                c.min_concessions,
                group_digits(&c.total_sets)
            );
            for g in &c.groups {
                let _ = writeln!(out, "### {}\n", g.issues.join(" + "));
                for a in &g.alternatives {
                    let _ = writeln!(out, "{}. {}", a.rank, a.explanation);
                    for constraint in &a.relax {
                        let _ = writeln!(out, "   - {}", constraint_md(constraint));
                    }
                }
                let _ = writeln!(out);
            }
        }
        if let Some(c) = &r.coalitions {
            if c.grand_coalition && r.best.as_ref().is_some_and(|b| !b.meets_reservation) {
                let _ = writeln!(
                    out,
                    "The hard constraints of all parties at the table can be met together, but no such package meets every party's reservation value.\n"
                );
            } else if c.grand_coalition {
                // The reading is named: "can agree" holds only as this reading reads the positions.
                let _ = writeln!(
                    out,
                    "Under the {} reading, all parties at the table can agree.\n",
                    reading_title(r.reading.as_str()).to_lowercase()
                );
            } else {
                let fmt = |v: &Vec<Vec<String>>| {
                    v.iter()
                        .map(|m| format!("{{{}}}", m.join(", ")))
                        .collect::<Vec<_>>()
                        .join(" · ")
                };
                let _ = writeln!(out, "Largest coalitions that can agree: {}\n", fmt(&c.maximal));
                let _ = writeln!(
                    out,
                    "Smallest groups that cannot agree: {}\n",
                    fmt(&c.minimal_blocking)
                );
            }
        }
        if let Some(best) = &r.best {
            if !best.meets_reservation {
                let _ = writeln!(out, "{NO_RATIONAL_PACKAGE}\n");
            }
            let _ = writeln!(out, "Pareto set: {} distinct utility profiles.\n", best.pareto_size);
            for (name, p) in [
                ("Nash package", &best.nash),
                ("Maximin package", &best.maximin),
                ("Kalai–Smorodinsky package", &best.ks),
                ("Kalai–Smorodinsky package (Genius definition)", &best.ks_genius),
                ("Utilitarian package", &best.utilitarian),
            ] {
                let Some(p) = p else { continue };
                let _ = writeln!(out, "### {name} (score {:.4})\n", p.score);
                let _ = writeln!(out, "| issue | option | equally good |");
                let _ = writeln!(out, "|---|---|---|");
                for o in &p.options {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} |",
                        o.issue,
                        md_escape(&o.label),
                        o.equivalents.join(", ")
                    );
                }
                let _ = writeln!(out);
                for party in &p.parties {
                    let _ = writeln!(out, "- **{}** (utility {:.3})", party.party, party.utility);
                    for issue in &party.issues {
                        let cite = issue
                            .citation
                            .as_ref()
                            .map_or("no position on file".to_string(), cite_md);
                        let _ = writeln!(
                            out,
                            "  - {} `{}`: {}",
                            issue.verdict.as_str().replace('_', " "),
                            issue.option,
                            cite
                        );
                        for unmet in &issue.unmet_demands {
                            let _ = writeln!(out, "  - unmet demand: {}", cite_md(unmet));
                        }
                    }
                }
                let _ = writeln!(out);
            }
        }
    }
    out
}

/// The timeline as a terminal table.
pub fn timeline_text(report: &TimelineReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} · parties: {}", report.file, report.parties.join(", "));
    let _ = write!(out, "{:<11} {:>9}", "date", "positions");
    for r in report.points.first().map(|p| p.readings.as_slice()).unwrap_or(&[]) {
        let _ = write!(
            out,
            " │ {:>12} {:>7} {:>5}",
            format!("{} feasible", short(r.reading.as_str())),
            "blocked",
            "min"
        );
    }
    let _ = writeln!(out);
    for point in &report.points {
        let _ = write!(out, "{:<11} {:>9}", point.date, point.positions_known);
        for r in &point.readings {
            let _ = write!(
                out,
                " │ {:>12} {:>7} {:>5}",
                group_digits(&r.feasible_packages),
                r.blocked_issues.len(),
                r.min_concessions
            );
        }
        let _ = writeln!(out);
    }
    out
}

fn short(reading: &str) -> &str {
    match reading {
        "red_lines" => "red",
        "pessimistic" => "pess.",
        other => other,
    }
}

/// The frontier as text: the points efficient for the parties shown, then the bargaining solutions.
pub fn frontier_text(report: &crate::report::FrontierReport) -> String {
    let mut out = String::new();
    let efficient: Vec<&crate::report::FrontierPointReport> =
        report.points.iter().filter(|p| p.efficient).collect();
    let _ = writeln!(
        out,
        "{} · {} · {} reading\n{} Pareto-optimal deals for the whole table, {} distinct for these parties, {} efficient for them alone:",
        report.file,
        report.parties.join(" × "),
        report.reading.as_str(),
        report.pareto_size,
        report.points.len(),
        efficient.len()
    );
    let _ = write!(out, "  ");
    for p in &report.parties {
        let _ = write!(out, "{p:>8}");
    }
    let _ = writeln!(out, "  packages  one of them");
    let mut shown = efficient.clone();
    shown.sort_by(|a, b| a.utilities[0].total_cmp(&b.utilities[0]));
    for p in shown {
        let _ = write!(out, "  ");
        for u in &p.utilities {
            let _ = write!(out, "{u:>8.3}");
        }
        let _ = writeln!(out, "  {:>8}  {}", p.packages, p.package.join(", "));
    }
    let _ = writeln!(out, "Bargaining solutions of the whole table, as these parties see them:");
    for s in &report.solutions {
        let _ = write!(out, "  {:<12}", s.concept);
        for u in &s.utilities {
            let _ = write!(out, "{u:>8.3}");
        }
        let _ = writeln!(out);
    }
    let _ = write!(out, "  {:<12}", "no deal");
    for u in &report.disagreement {
        let _ = write!(out, "{u:>8.3}");
    }
    let _ = writeln!(out);
    out
}
