//! The Table's pages: the stance matrix, the analysis with its what-if, robustness and frontier, the
//! timeline, and the rehearsal. Each renders the document the API returns for the same question.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use schemars::JsonSchema;
use serde::Deserialize;
use truce_report::report::AnalysisReport;

use super::layout::{OrPage, PageError, error_page, grouped};
use super::{page, page_running};
use crate::api::ask::Ask;
use crate::script::{self, Sources};
use crate::{AppError, Caller, St};

pub(crate) async fn stances(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    Ok({
        let (v, s) = st.scenario(&slug, None).await.or_page(&c)?;
        let parties: Vec<_> = s.party_ixs().collect();
        let stances = truce_table::Stances::new(&s, &parties, None);
        let editor = matches!(c.role(), truce_store::Role::Mediator | truce_store::Role::Analyst);
        let body = html! {
            @if editor {
                p {
                    a href={ "/ui/scenarios/" (slug) "/positions" } { "Add a position" } " · "
                    a href={ "/ui/scenarios/" (slug) "/versions" } { "Versions and changes" }
                }
            }
            p {
                "Version " (v.version) " of " code { (slug) } ": the current stance of each party on each option. Select a cell for the position, its date and its quoted source. Colours: "
                span.s-demanded { "demanded" } " " span.s-acceptable { "acceptable" } " "
                span.s-unknown { "unknown" } " " span.s-opposed { "opposed" } " " span.s-red_line { "red line" } "."
            }
            div.wide {
                table #stances {
                    caption { "Stances by party and option" }
                    thead { tr {
                        th scope="col" { "Issue" } th scope="col" { "Option" }
                        @for p in &s.parties { th scope="col" { (p.id) } }
                    } }
                    tbody {
                        @for issue in &s.issues {
                            @for (k, o) in issue.options.iter().enumerate() {
                                tr {
                                    @if k == 0 {
                                        th scope="rowgroup" rowspan=(issue.options.len()) { (issue.name) }
                                    }
                                    th scope="row" { (s.option(*o).label) }
                                    @for slot in 0..parties.len() {
                                        @match stances.position(slot, *o) {
                                            Some(pix) => {
                                                @let pos = s.position(pix);
                                                @let src = &s.sources[pos.source.0 as usize];
                                                @let stance = pos.stance.as_str();
                                                td class={ "s-" (stance) } {
                                                    details {
                                                        summary { (stance.replace('_', " ")) }
                                                        p {
                                                            (pos.date) " — " (src.publication.as_deref().unwrap_or(&src.id))
                                                            ": “" (pos.quote) "” "
                                                            span.muted { "(line " (pos.line) ")" }
                                                            @if editor { " " a href={ "/ui/scenarios/" (slug) "/positions?line=" (pos.line) } { "correct" } }
                                                        }
                                                    }
                                                }
                                            }
                                            None => td.muted { "—" },
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        };
        let title = format!("Positions: {}", s.meta.title.clone().unwrap_or(slug));
        page(&st, &c, &title, body).await
    })
}

pub(crate) async fn analysis(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
    Ask(ask): Ask<crate::app::negotiation::AnalysisAsk>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Result<Response, PageError> {
    Ok({
        let confidential =
            crate::app::negotiation::confidential(&c, ask.confidential).or_page(&c)?;
        let (s, submissions) =
            crate::app::negotiation::load_with_submissions(&st, &slug, confidential)
                .await
                .or_page(&c)?;
        let options = ask.options(&s).or_page(&c)?;
        let mediator = c.role() == truce_store::Role::Mediator;
        let drafter = matches!(c.role(), truce_store::Role::Mediator | truce_store::Role::Analyst);
        let query = raw.unwrap_or_default();
        let body = st
            .heavy(&c, move || {
                // The page shows the API's document (`truce.analysis/1`), and the frontier's.
                let a = truce_table::analyze(&s, &options)?;
                let mut report = truce_report::report::analysis_report(&s, &a);
                report.submissions = submissions;
                let mut sources = Sources::default();
                let frontier = frontier_section(
                    &s,
                    &a,
                    &slug,
                    ask.plotted().as_deref(),
                    ask.reading,
                    &ask,
                    &mut sources,
                );
                let catalogue = constraint_catalogue(&s, &a);
                let view =
                    AnalysisView { slug: &slug, confidential, mediator, drafter, query: &query };
                let body = analysis_body(&report, &view, &catalogue, frontier, &mut sources);
                Ok::<_, AppError>((body, sources))
            })
            .await;
        match body {
            Ok(Ok((body, sources))) => page_running(&st, &c, "Analysis", body, sources).await,
            Ok(Err(e)) | Err(e) => error_page(e, Some(&c)),
        }
    })
}

/// What the analysis page needs besides the document.
struct AnalysisView<'a> {
    slug: &'a str,
    confidential: bool,
    mediator: bool,
    /// Whether the caller may draft an agreement (mediators and analysts).
    drafter: bool,
    /// The page's own query string, for the links to the same document in other forms.
    query: &'a str,
}

/// Every hard constraint of any reading, and every one switched off, as (party, key, what relaxing it
/// means), in party order: the "what if" choices.
fn constraint_catalogue(
    s: &truce_scenario::Scenario,
    a: &truce_table::Analysis,
) -> Vec<(String, String, String)> {
    let mut seen = std::collections::BTreeMap::new();
    for r in &a.readings {
        for c in &r.constraints.all {
            seen.entry(c.key(s))
                .or_insert_with(|| (c.party().ix(), truce_table::describe_relaxation(s, c)));
        }
    }
    // An analysed scenario's groups are checked.
    if !a.relaxed.is_empty()
        && let Ok(groups) = truce_table::check_groups(s)
    {
        // The constraints switched off, described as the unrelaxed readings hold them.
        for reading in truce_table::Reading::ALL {
            for c in &truce_table::Constraints::new(&groups, &a.stances, reading).all {
                let key = c.key(s);
                if a.relaxed.contains(&key) {
                    seen.entry(key).or_insert_with(|| {
                        (c.party().ix(), truce_table::describe_relaxation(s, c))
                    });
                }
            }
        }
    }
    let mut out: Vec<(usize, String, String)> =
        seen.into_iter().map(|(k, (ix, words))| (ix, k, words)).collect();
    out.sort();
    out.into_iter()
        .map(|(ix, k, words)| {
            let party = s.parties.get(ix).map_or_else(String::new, |p| p.id.clone());
            (party, k, words)
        })
        .collect()
}

/// A link target from a scenario's source list, if it is a web address: anything else (a
/// `javascript:` URL, say) is shown as text, never linked.
fn web_link(url: &str) -> Option<&str> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url.trim())
}

/// One cited position: who, which stance on which option, when, where (linked when the source has a
/// web address), the line in the scenario, its qualifiers, and the quote as its kind warrants.
fn cite(c: &truce_report::report::Citation) -> Markup {
    let outlet = c.publication.as_deref().unwrap_or(&c.source);
    html! {
        span.cite {
            strong { (c.party) } " "
            span class={ "stance s-" (c.stance) } { (c.stance.replace('_', " ")) }
            " on " code { (c.option) } ", "
            time datetime=(c.date) { (c.date) }
            @if c.date_precision != "day" { " (" (c.date_precision) ")" }
            " — "
            @match c.url.as_deref().and_then(web_link) {
                Some(url) => a href=(url) rel="noopener noreferrer" { (outlet) },
                None => (outlet),
            }
            " [" (c.source) "], line " (c.line)
            @if c.basis == "inferred" { " " span.tag { "inferred" } }
            @if let Some(q) = &c.qualifier { " " span.tag { (q.replace('_', " ")) } }
            @if c.stale { " " span.tag.stale title="Made more than a year before the date analysed" { "stale" } }
            ": "
            @match c.quote_kind.as_deref() {
                Some("paraphrase") => { span.para { "(paraphrase) " (c.quote) } }
                Some("translated") => { q { (c.quote) } " (translated)" }
                Some("document_text") => { "document text " q { (c.quote) } }
                _ => { q { (c.quote) } }
            }
        }
    }
}

/// A package's options and each party's account, with the positions behind each crossing.
fn package_view(title: &str, score: &str, p: &truce_report::report::PackageReport) -> Markup {
    let label = |v: &str| match v {
        "meets_demand" => "meets its demand",
        "accepted" => "accepted",
        "no_position" => "no position",
        "unknown" => "unknown",
        "crosses_opposition" => "crosses its opposition",
        _ => "crosses its red line",
    };
    html! {
        h4 { (title) " — " (score) " " (format!("{:.4}", p.score)) }
        div.wide { table.package {
            thead { tr { th scope="col" { "Issue" } th scope="col" { "Option" } th scope="col" { "Equally good" } } }
            tbody {
                @for o in &p.options {
                    tr { th scope="row" { (o.issue) } td { (o.label) " " code { (o.option) } } td { (o.equivalents.join(", ")) } }
                }
            }
        } }
        @for party in &p.parties {
            details.account {
                summary { strong { (party.party) } " — utility " (format!("{:.3}", party.utility)) }
                ul {
                    @for i in &party.issues {
                        li {
                            code { (i.option) } ": " (label(i.verdict.as_str()))
                            @if let Some(c) = &i.citation { " — " (cite(c)) }
                            @for u in &i.unmet_demands { br; "unmet demand: " (cite(u)) }
                        }
                    }
                }
            }
        }
    }
}

/// The analysis page's body, from the analysis document: the controls (replay a date, switch hard
/// constraints off), then every reading in words with its blocked issues and ranked, cited concession
/// alternatives, its coalitions, and its bargaining solutions with each party's account.
fn analysis_body(
    report: &AnalysisReport,
    view: &AnalysisView<'_>,
    catalogue: &[(String, String, String)],
    frontier: Markup,
    sources: &mut Sources,
) -> Markup {
    let slug = view.slug;
    let relaxed = &report.relaxed;
    let json_link = format!("/v1/scenarios/{slug}/analysis?{}", view.query);
    html! {
        @if view.confidential {
            p role="status" {
                @match &report.submissions {
                    Some(used) if !used.applied.is_empty() => {
                        strong { "With the confidential submissions of " (used.applied.join(", ")) "." }
                    }
                    _ => { strong { "No confidential submission applies: this is the analysis from public positions." } }
                }
                " Only mediators see this analysis. "
                a href={ "/ui/scenarios/" (slug) "/analysis" } { "The analysis from public positions" } "."
            }
            @if let Some(used) = &report.submissions && !used.not_applied.is_empty() {
                div #stale-submissions.warning role="alert" {
                    p { strong { "Not counted: " (used.not_applied.len()) " submission(s) no longer apply to this version of the scenario." }
                        " For these parties the analysis uses the scenario's own numbers until they submit again." }
                    ul { @for stale in &used.not_applied {
                        li { strong { (stale.party) } " (submission " (stale.submission) "): " (stale.reasons.join("; ")) }
                    } }
                }
            }
        } @else if view.mediator {
            p {
                "From the public positions. "
                a href={ "/ui/scenarios/" (slug) "/analysis?confidential=true" } { "With the parties' confidential submissions" }
                " (mediators only)."
            }
        }
        form #ask method="get" action={ "/ui/scenarios/" (slug) "/analysis" } {
            @if view.confidential { input type="hidden" name="confidential" value="true"; }
            label for="as_of" { "Replay the positions known on" } " "
            input #as_of type="date" name="as_of" value=(report.as_of.as_deref().unwrap_or(""));
            " " span.muted { "(empty: every position on file)" }
            details #what-if open[!relaxed.is_empty()] {
                summary { "What if… switch hard constraints off (" (relaxed.len()) " off)" }
                p.muted { "Each box is one party's hard constraint. Tick the ones to drop, then analyse again: every reading is recomputed without them." }
                @for (party, group) in catalogue.chunk_by(|a, b| a.0 == b.0).map(|g| (g[0].0.clone(), g)) {
                    fieldset {
                        legend { (party) }
                        @for (_, key, words) in group {
                            label.plain.choice {
                                input type="checkbox" name="relax" value=(key) checked[relaxed.contains(key)];
                                " " (words)
                            }
                        }
                    }
                }
            }
            button type="submit" { "Analyse" } " "
            a href={ "/ui/scenarios/" (slug) "/analysis" @if view.confidential { "?confidential=true" } } { "Reset" }
        }
        @for w in &report.warnings { p.warning role="alert" { strong { "Warning: " } (w) } }
        @if !relaxed.is_empty() {
            p.warning role="status" {
                strong { "What if: " } "these hard constraints are switched off in every reading: "
                @for (k, key) in relaxed.iter().enumerate() { @if k > 0 { ", " } code { (key) } }
                "."
            }
        }
        p {
            (report.scenario.issues) " issues, " (report.scenario.options) " options, "
            (report.positions_known) " of " (report.scenario.positions) " positions "
            @match &report.as_of { Some(d) => { "known on " (d) }, None => { "on file" } }
            "; parties at the table: "
            (report.parties.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ")) "."
            @if let Some(r) = &report.staleness.reference {
                " Statements made more than " (report.staleness.after_days) " days before " (r) " are marked "
                span.tag.stale { "stale" } ": the party may have moved since."
            }
        }
        div.wide { table #readings {
            caption { "What each reading finds" }
            thead { tr {
                th scope="col" { "Reading" } th scope="col" { "Hard constraints" }
                th scope="col" { "Feasible packages" } th scope="col" { "Blocked issues" }
                th scope="col" { "Fewest concessions" } th scope="col" { "Pareto set" }
            } }
            tbody {
                @for r in &report.readings {
                    tr {
                        th scope="row" { a href={ "#reading-" (r.reading.as_str()) } { (r.reading.as_str().replace('_', " ")) } }
                        td { (r.hard_constraints) }
                        td { (grouped(&r.feasible_packages)) " of " (grouped(&r.total_packages)) }
                        td { @if r.blocked_issues.is_empty() { "none" } @else { (r.blocked_issues.len()) } }
                        td { @match &r.concessions { Some(k) => (k.min_concessions), None => "—" } }
                        td { @match &r.best { Some(b) => (b.pareto_size), None => "—" } }
                    }
                }
            }
        } }
        @for r in &report.readings {
            (reading_view(r))
        }
        @if view.drafter {
            p {
                "From a package to commitments: "
                a href={ "/ui/scenarios/" (slug) "/draft?package=nash" } { "draft an agreement from the Nash package" }
                " (or the maximin, Kalai–Smorodinsky or utilitarian one)."
            }
        }
        h2 #robustness { "Robustness" }
        p { "How much of the answer survives what is unknown: each draw reads every unknown stance as a red line with the probability given, gives the parties random weights where they have none, and recomputes feasibility and the Nash package (red-lines reading, every position on file). It runs in the background while this page shows its progress." }
        form #robust-form data-slug=(slug) data-confidential=(view.confidential) {
            label for="draws" { "Draws" } " " input #draws name="draws" type="number" min="1" max="2000" value="200"; " "
            label for="seed" { "Seed" } " " input #seed name="seed" type="number" min="0" value="1"; " "
            label for="unknown_red_line" { "Probability that an unknown is a red line" } " "
            input #unknown_red_line name="unknown_red_line" type="number" min="0" max="1" step="0.05" value="0.5"; " "
            button type="submit" { "Run" }
        }
        p { progress #robust-progress max="1" value="0" aria-label="Robustness draws done" {} " " span #robust-status role="status" aria-live="polite" {} }
        div #robust-result {}
        (sources.inline(&script::ROBUST))
        (frontier)
        p.muted {
            "The same document: "
            a href=(json_link) { "JSON" } " (" code { "GET /v1/scenarios/" (slug) "/analysis" } "), "
            a href={ (json_link) "&format=md" } { "Markdown" } ", "
            a href={ (json_link) "&format=text" } { "text" }
            "; on the command line, " code { "truce analyze" } " prints it."
        }
    }
}

/// One reading, in words.
fn reading_view(r: &truce_report::report::ReadingReport) -> Markup {
    let name = r.reading.as_str();
    let title = match name {
        "red_lines" => "Red-lines reading",
        "strict" => "Strict reading",
        _ => "Pessimistic reading",
    };
    html! {
        section.reading id={ "reading-" (name) } {
            h2 { (title) }
            p {
                "Here " (r.description) ". "
                @if r.feasible {
                    strong { (grouped(&r.feasible_packages)) } " of " (grouped(&r.total_packages))
                    " packages respect all " (r.hard_constraints) " hard constraints."
                } @else {
                    "No package respects all " (r.hard_constraints) " hard constraints: "
                    strong { (r.blocked_issues.len()) " issue(s) are blocked" }
                    " (" (r.blocked_issues.join(", ")) ")."
                }
            }
            @if !r.assumed_red_lines.is_empty() {
                h3 { "Unknown stances held as red lines" }
                ul { @for c in &r.assumed_red_lines { @for p in &c.citations { li { (cite(p)) } } } }
            }
            @if let Some(k) = &r.concessions {
                p {
                    "At the fewest, " strong { (k.min_concessions) " concession(s)" } " would open a deal; there are "
                    (grouped(&k.total_sets)) " minimal ways to do it (one alternative per blocked issue, combined)."
                }
                @for g in &k.groups {
                    h3 { "Blocked: " (g.issues.join(" + ")) }
                    ol.alternatives {
                        @for a in &g.alternatives {
                            li {
                                (a.explanation) " "
                                span.muted { "(" (a.relax.len()) " concession(s), " (a.parties.len()) " part" @if a.parties.len() == 1 { "y" } @else { "ies" } ")" }
                                ul {
                                    @for c in &a.relax {
                                        li {
                                            (c.relaxation) " " span.muted { "(" code { (c.key) } ")" }
                                            @if let Some(rule) = &c.rule {
                                                br; "Rule " code { (rule.id) } ": " (rule.rule) ", line " (rule.line)
                                                @if let Some(q) = &rule.quote { ": " q { (q) } }
                                            }
                                            ul { @for p in &c.citations { li { (cite(p)) } } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(c) = &r.coalitions {
                h3 { "Coalitions" }
                @if c.grand_coalition && r.best.as_ref().is_some_and(|b| !b.meets_reservation) {
                    p { "The hard constraints of all parties at the table can be met together, but no such package meets every party's reservation value." }
                } @else if c.grand_coalition {
                    p { "Under the " (r.reading.as_str().replace('_', " ")) " reading, all parties at the table can agree." }
                } @else {
                    p { "The largest groups that can agree as things stand:" }
                    ul { @for m in &c.maximal { li { (m.join(", ")) } } }
                    p { "The smallest groups that cannot:" }
                    ul { @for m in &c.minimal_blocking { li { (m.join(", ")) } } }
                }
            }
            @if let Some(b) = &r.best {
                h3 { "Bargaining solutions" }
                @if !b.meets_reservation {
                    p.warning { "No feasible package gives every party at least its reservation value: each leaves some party better off walking away, so there is no deal all can accept." }
                }
                p { (b.pareto_size) " distinct utility profiles are Pareto-optimal among the feasible packages." }
                @if let Some(p) = &b.nash { (package_view("Nash package", "Nash product", p)) }
                @if let Some(p) = &b.maximin { (package_view("Maximin package", "lowest utility", p)) }
                @if let Some(p) = &b.ks { (package_view("Kalai–Smorodinsky package", "spread", p)) }
                @if let Some(p) = &b.ks_genius { (package_view("Kalai–Smorodinsky package (Genius)", "sum of differences", p)) }
                @if let Some(p) = &b.utilitarian { (package_view("Utilitarian package", "sum of utilities", p)) }
            }
        }
    }
}

/// The frontier plot for the parties asked (default: the first two), with the form that picks them; the
/// form keeps the replayed date and the "what if", so the plot is of the analysis above it.
fn frontier_section(
    s: &truce_scenario::Scenario,
    a: &truce_table::Analysis,
    slug: &str,
    plot: Option<&str>,
    reading: Option<crate::api::ask::ReadingAsk>,
    ask: &crate::app::negotiation::AnalysisAsk,
    sources: &mut Sources,
) -> Markup {
    let default: Vec<&str> = s.parties.iter().take(2).map(|p| p.id.as_str()).collect();
    let asked = plot.map_or_else(|| default.join(","), str::to_string);
    let chosen: Vec<&str> = asked.split(',').map(str::trim).collect();
    let reading_asked = reading.unwrap_or_default();
    let reading = reading_asked.as_str();
    let plotted = crate::app::negotiation::frontier_report(s, a, Some(&asked), Some(reading_asked));
    html! {
        h2 #frontier { "Frontier" }
        p { "Pick two or three parties: the plot shows the whole table's Pareto-optimal deals as they see them, which of those are efficient for them alone, and where the bargaining solutions fall. Each point's tooltip names its package." }
        form method="get" action={ "/ui/scenarios/" (slug) "/analysis#frontier" } #frontier-form {
            fieldset {
                legend { "Parties" }
                @for p in &s.parties {
                    label.plain {
                        input type="checkbox" name="party" value=(p.id) checked[chosen.contains(&p.id.as_str())];
                        " " (p.id)
                    }
                }
            }
            @if ask.confidential == Some(true) { input type="hidden" name="confidential" value="true"; }
            @if let Some(d) = ask.as_of { input type="hidden" name="as_of" value=(d.to_string()); }
            @for key in &ask.relax.0 { input type="hidden" name="relax" value=(key); }
            label for="reading" { "Reading" } " "
            select #reading name="reading" {
                @for r in ["red_lines", "strict", "pessimistic"] {
                    option value=(r) selected[r == reading] { (r.replace('_', " ")) }
                }
            }
            " " button type="submit" { "Plot" }
        }
        @match plotted {
            Ok(report) => {
                div #frontier-plot { (PreEscaped(truce_report::svg::frontier_svg(&report))) }
                p {
                    label for="frontier-select" { "Or pick an efficient point" } " "
                    select #frontier-select { option value="" { "—" } }
                }
                div #frontier-point role="status" aria-live="polite" { p.muted { "Select a point of the plot for its package and what it gives each of these parties." } }
                (script::data_island("frontier-data", &report))
                (sources.inline(&script::FRONTIER_POINT))
                p.muted {
                    (report.points.iter().filter(|p| p.efficient).count()) " of the " (report.points.len())
                    " distinct points are efficient for " (report.parties.join(", ")) ". Data: "
                    a href={ "/v1/scenarios/" (slug) "/frontier?parties=" (asked) "&reading=" (reading) } {
                        code { "GET /v1/scenarios/" (slug) "/frontier?parties=" (asked) "&reading=" (reading) }
                    }
                    "."
                }
            }
            Err(AppError::Invalid(why)) => p role="alert" { (why.join("; ")) },
            Err(_) => p role="alert" { "The frontier could not be computed." },
        }
    }
}

/// The timeline chart of a scenario (the API's `truce.timeline/1` document), with the form that sets
/// its span.
pub(crate) async fn timeline(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
    Ask(q): Ask<crate::app::negotiation::TimelineQuery>,
) -> Result<Response, PageError> {
    Ok({
        let confidential = crate::app::negotiation::confidential(&c, q.confidential).or_page(&c)?;
        let scenario = crate::app::negotiation::load(&st, &slug, confidential).await.or_page(&c)?;
        let report = match st
            .heavy(&c, move || crate::app::negotiation::timeline_report(&scenario, &q))
            .await
        {
            Ok(Ok(r)) => r,
            Ok(Err(e)) | Err(e) => return Err(PageError::new(e, &c)),
        };
        let first = report.points.first().map_or("", |p| p.date.as_str());
        let last = report.points.last().map_or("", |p| p.date.as_str());
        let body = html! {
            form method="get" {
                label for="from" { "From" } " " input #from name="from" type="date" value=(first); " "
                label for="to" { "To" } " " input #to name="to" type="date" value=(last); " "
                label for="step" { "Step" } " "
                select #step name="step" { option value="month" { "month" } option value="quarter" { "quarter" } }
                " " button type="submit" { "Show" }
            }
            div #timeline { (PreEscaped(truce_report::svg::timeline_svg(&report))) }
            // The chart's text equivalent.
            details {
                summary { "The same as a table" }
                table #timeline-table {
                    thead { tr {
                        th scope="col" { "Date" } th scope="col" { "Positions known" }
                        @if let Some(p) = report.points.first() {
                            @for r in &p.readings {
                                th scope="col" { (r.reading.as_str()) ": feasible packages / fewest concessions" }
                            }
                        }
                    } }
                    tbody {
                        @for p in &report.points {
                            tr {
                                th scope="row" { (p.date) }
                                td { (p.positions_known) }
                                @for r in &p.readings {
                                    td { (grouped(&r.feasible_packages)) " / " (r.min_concessions) }
                                }
                            }
                        }
                    }
                }
            }
        };
        page(&st, &c, "Timeline", body).await
    })
}

/// The rehearsal form.
#[derive(Deserialize, Default, JsonSchema)]
pub(crate) struct SimulateQuery {
    /// With the parties' confidential submissions (mediators only).
    #[serde(default, deserialize_with = "crate::api::ask::flag")]
    confidential: Option<bool>,
    /// saop, stacked, single-text (comma-separated; default all).
    protocols: Option<String>,
    /// One agent for all parties, or one per party (comma-separated).
    agents: Option<String>,
    /// The deadline, 1 to 10,000 rounds (default 100).
    rounds: Option<u32>,
    /// The seed (default 1).
    seed: Option<u64>,
    /// The two parties on the plot's axes.
    axes: Option<String>,
    /// A rehearsal already asked for: shown as it stands.
    job: Option<String>,
}

/// The rehearsal form, filled in with `ask`.
fn simulate_form(ask: &truce_sim::SimulationAsk, confidential: bool) -> Markup {
    html! {
        form method="get" {
            @if confidential { input type="hidden" name="confidential" value="true"; }
            label for="protocols" { "Protocols" } " " input #protocols name="protocols" value=(ask.protocols.join(",")); " "
            label for="agents" { "Agents (one, or one per party)" } " " input #agents name="agents" value=(ask.agents.join(",")); " "
            label for="rounds" { "Rounds" } " " input #rounds name="rounds" type="number" min="1" max=(truce_sim::MAX_ROUNDS) value=(ask.rounds); " "
            label for="seed" { "Seed" } " " input #seed name="seed" type="number" min="0" value=(ask.seed); " "
            button type="submit" { "Rehearse" }
        }
    }
}

/// `/ui/scenarios/{slug}/simulate`: a rehearsal of the negotiation, the same document `truce simulate`
/// prints and `/v1/simulations` returns: per protocol, the agreement with its citations and the offer
/// trace over the Pareto set (with a table of the offers as its text equivalent). The rehearsal runs as
/// a background job, as the API's do ([`crate::jobs`]): asking queues it (the same request again is the
/// same job) and leads to `?job=ID`, which refreshes itself until the job is done.
pub(crate) async fn simulate(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
    Ask(q): Ask<SimulateQuery>,
) -> Result<Response, PageError> {
    Ok({
        let confidential = crate::app::negotiation::confidential(&c, q.confidential).or_page(&c)?;
        let asked = q.protocols.is_some()
            || q.agents.is_some()
            || q.rounds.is_some()
            || q.seed.is_some()
            || q.axes.is_some();
        if q.job.is_none() && !asked {
            // Opening the page starts nothing: the form, with the defaults, until the reader asks.
            let defaults = truce_sim::SimulationAsk::default();
            let body = html! {
                p { "Agents bargain for the parties over the packages the Table leaves open, under each protocol. Choose the protocols (saop, stacked, single-text), one agent for every party or one per party ("
                    (truce_sim::AgentSpec::NAMES) "), the deadline in rounds and the seed, then rehearse: the rehearsal runs in the background and this page shows it when it is done." }
                (simulate_form(&defaults, confidential))
            };
            return Ok(page(&st, &c, "Rehearse the negotiation", body).await);
        }
        let Some(id) = q.job.clone() else {
            let list = |s: &Option<String>| {
                s.as_deref()
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| s.split(',').map(|x| x.trim().to_string()).collect::<Vec<_>>())
            };
            let defaults = truce_sim::SimulationAsk::default();
            let ask = truce_sim::SimulationAsk {
                protocols: list(&q.protocols).unwrap_or(defaults.protocols),
                agents: list(&q.agents).unwrap_or(defaults.agents),
                rounds: q.rounds.unwrap_or(defaults.rounds),
                seed: q.seed.unwrap_or(defaults.seed),
                axes: list(&q.axes),
                ..defaults
            };
            return Ok(
                match crate::app::negotiation::queue_simulation(&st, &c, &slug, confidential, ask)
                    .await
                {
                    Ok(id) => {
                        let to = format!(
                            "/ui/scenarios/{slug}/simulate?job={id}{}",
                            if confidential { "&confidential=true" } else { "" }
                        );
                        axum::response::Redirect::to(&to).into_response()
                    }
                    Err(e) => error_page(e, Some(&c)),
                },
            );
        };
        let found = st.rehearsals.get(&id, c.id(), c.role() == truce_store::Role::Mediator);
        let (_, state) = match found {
            Ok(Some(x)) => x,
            Ok(None) => {
                return Err(PageError::new(
                    AppError::Missing(format!(
                        "no rehearsal {id} is kept for you (finished rehearsals are kept for an hour); ask for it again from the form on /ui/scenarios/{slug}/simulate"
                    )),
                    &c,
                ));
            }
            Err(e) => return Err(PageError::new(e, &c)),
        };
        let done = match state {
            crate::jobs::JobState::Done(done) => done,
            crate::jobs::JobState::Failed(why) => {
                return Err(PageError::new(AppError::Invalid(vec![why]), &c));
            }
            waiting => {
                let mut sources = Sources::default();
                let body = html! {
                    p #job-state role="status" aria-live="polite" data-state=(waiting.name()) data-poll={ "/v1/simulations/" (id) "?format=status" } {
                        @if waiting.name() == "queued" { "The rehearsal is queued behind others; this page shows it when it is done." }
                        @else { "The rehearsal is running; this page shows it when it is done." }
                    }
                    p { a href={ "/ui/scenarios/" (slug) "/simulate?job=" (id) } { "Reload" } }
                    (sources.inline(&script::JOB_WAIT))
                };
                return Ok(page_running(&st, &c, "Rehearse the negotiation", body, sources).await);
            }
        };
        // The page is rendered off the async workers: a large rehearsal makes a large page.
        let report = &done.simulation.report;
        let form_ask = truce_sim::SimulationAsk {
            protocols: report.runs.iter().map(|r| r.protocol.to_string()).collect(),
            agents: report.runs.first().map(|r| r.agents.clone()).unwrap_or_default(),
            rounds: report.deadline,
            seed: report.seed,
            ..Default::default()
        };
        let body = st.heavy(&c, move || simulation_body(&done, &form_ask, confidential)).await;
        match body {
            Ok(body) => page(&st, &c, "Rehearse the negotiation", body).await,
            Err(e) => error_page(e, Some(&c)),
        }
    })
}

/// The rehearsal page's body for a finished job.
fn simulation_body(
    done: &crate::jobs::Finished,
    ask: &truce_sim::SimulationAsk,
    confidential: bool,
) -> Markup {
    let result = &done.simulation;
    let report = &result.report;
    html! {
        p { "Agents bargain for the parties over the " (report.packages) " packages the " (report.reading.as_str().replace('_', " ")) " leave open (Pareto set: " (report.pareto_size) "). Agents: " (truce_sim::AgentSpec::NAMES) "." }
        (simulate_form(ask, confidential))
        @for (run, plot) in report.runs.iter().zip(&result.svgs) {
            section.run data-protocol=(run.protocol.as_str()) {
                h2 { (run.protocol.as_str()) }
                p.seats { (report.parties.iter().zip(&run.agents).map(|(p, a)| format!("{p}: {a}")).collect::<Vec<_>>().join(", ")) }
                @if let Some(package) = &run.agreement {
                    p.outcome { "Agreement in round " (run.rounds) " of " (report.deadline) " after " (run.offers) " offers. Distance to the Pareto set "
                        (format!("{:.3}", run.distance_to_pareto.unwrap_or(f64::NAN))) ", to the Nash point " (format!("{:.3}", run.distance_to_nash.unwrap_or(f64::NAN))) "." }
                    (package_view("Agreement", "welfare", package))
                } @else {
                    p.outcome { "No agreement (" (run.end.as_str().replace('_', " ")) ") after " (run.rounds) " rounds and " (run.offers) " offers." }
                }
                div.plot { (PreEscaped(plot)) }
                details {
                    summary { "The offers as a table" }
                    table.trace {
                        thead { tr { th scope="col" { "Round" } th scope="col" { "By" } th scope="col" { "Move" }
                            @for p in &report.parties { th scope="col" { (p) } } } }
                        tbody { @for m in run.trace.iter().filter(|m| m.action != truce_report::simulation::ActionName::Accept).take(400) {
                            tr { td { (m.round) } td { (m.by) } td { (m.action.as_str()) }
                                @for u in &m.utilities { td { (format!("{u:.3}")) } } }
                        } }
                    }
                }
            }
        }
    }
}
