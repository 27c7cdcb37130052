//! The Table's pages: the stance matrix, the analysis with its what-if, robustness and frontier, the
//! timeline, and the rehearsal. Each renders the document the API returns for the same question.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use schemars::JsonSchema;
use serde::Deserialize;
use truce_i18n::{FluentValue, Words};
use truce_report::report::AnalysisReport;

use super::layout::{OrPage, PageError, error_page, grouped};
use super::{page, page_running};
use crate::api::ask::Ask;
use crate::script::{self, Sources};
use crate::{AppError, Caller, St};

/// The scenario's words for the ids its documents carry: option labels, issue names, party names. A
/// page shows these; an id appears only in `<code>`, where an expert needs it.
pub(crate) struct Names {
    options: HashMap<String, String>,
    issues: HashMap<String, String>,
    parties: HashMap<String, String>,
    /// The scenario's slug, for links to its sources' pages (none: citations link no source page).
    slug: Option<String>,
}

impl Names {
    pub(crate) fn new(s: &truce_scenario::Scenario) -> Names {
        Names {
            options: s.options.iter().map(|o| (o.id.clone(), o.label.clone())).collect(),
            issues: s.issues.iter().map(|i| (i.id.clone(), i.name.clone())).collect(),
            parties: s.parties.iter().map(|p| (p.id.clone(), p.name.clone())).collect(),
            slug: None,
        }
    }

    /// The same, for scenario `slug`: citations link to its sources' pages.
    pub(crate) fn with_slug(mut self, slug: &str) -> Names {
        self.slug = Some(slug.to_string());
        self
    }

    /// An option's label (its id if the scenario has no such option).
    pub(crate) fn option<'a>(&'a self, id: &'a str) -> &'a str {
        self.options.get(id).map_or(id, String::as_str)
    }

    /// An issue's name.
    pub(crate) fn issue<'a>(&'a self, id: &'a str) -> &'a str {
        self.issues.get(id).map_or(id, String::as_str)
    }

    /// A party's name.
    pub(crate) fn party<'a>(&'a self, id: &'a str) -> &'a str {
        self.parties.get(id).map_or(id, String::as_str)
    }

    /// Options by label, joined with `sep`.
    fn options(&self, ids: &[String], sep: &str) -> String {
        ids.iter().map(|o| self.option(o)).collect::<Vec<_>>().join(sep)
    }

    /// A combination the core writes as `a + b` (ids), by label.
    fn combo(&self, combo: &str) -> String {
        combo.split(" + ").map(|o| self.option(o.trim())).collect::<Vec<_>>().join(" + ")
    }

    /// Parties by name, joined with `, `.
    fn parties(&self, ids: &[String]) -> String {
        ids.iter().map(|p| self.party(p)).collect::<Vec<_>>().join(", ")
    }
}

/// A word of a closed vocabulary (`stance-red_line`, `reading-strict`): the message `{prefix}-{value}`,
/// or the value with spaces if no message names it.
pub(crate) fn vocab(w: &Words, prefix: &str, value: &str) -> String {
    let id = format!("{prefix}-{value}");
    if w.has(&id) { w.get(&id) } else { value.replace(['_', '-'], " ") }
}

/// The position at `pix`, cited as the analysis cites it: stale when made more than
/// [`truce_report::report::STALE_AFTER_DAYS`] before `reference`.
fn cited(
    s: &truce_scenario::Scenario,
    pix: truce_scenario::PositionIx,
    reference: Option<truce_scenario::Date>,
) -> truce_report::report::Citation {
    let mut c = truce_report::report::citation(s, pix);
    if let Some(r) = reference {
        let days = (r - s.position(pix).date).get_days();
        c.stale = days > truce_report::report::STALE_AFTER_DAYS as i32;
    }
    c
}

pub(crate) async fn stances(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    Ok({
        let w = c.lang.words();
        let (v, s) = st.scenario(&slug, None).await.or_page(&c)?;
        let names = Names::new(&s).with_slug(&slug);
        // Each quote checked against its source's archived text, as the analysis checks it.
        // (With no archived source, every quote has none: nothing to compute.)
        let archived = crate::app::negotiation::archived_texts(&st, &s).await.or_page(&c)?;
        let checked = s.clone();
        let marks: HashMap<truce_scenario::PositionIx, truce_report::report::QuoteCheck> =
            if archived.is_empty() {
                HashMap::new()
            } else {
                st.heavy(&c, move || {
                    let checks = crate::app::negotiation::quote_checks(&checked, &archived);
                    truce_source::check::by_position(&checks)
                        .into_iter()
                        .map(|(p, check)| (p, truce_report::report::QuoteCheck::from_check(check)))
                        .collect()
                })
                .await
                .or_page(&c)?
            };
        let parties: Vec<_> = s.party_ixs().collect();
        let stances = truce_table::Stances::new(&s, &parties, None);
        let editor = matches!(c.role(), truce_store::Role::Mediator | truce_store::Role::Analyst);
        // Statements made more than a year before the latest on file are marked stale, as the
        // analysis marks them.
        let reference = s.positions.iter().map(|p| p.date).max();
        let cite_at = |pix: truce_scenario::PositionIx| {
            let mut cited = cited(&s, pix, reference);
            if let Some(m) = marks.get(&pix) {
                cited.quote_check = m.clone();
            }
            cited
        };
        let body = html! {
            @if editor {
                p {
                    a href={ "/ui/scenarios/" (slug) "/positions" } { (w.get("stances-add-position")) } " · "
                    a href={ "/ui/scenarios/" (slug) "/extract" } { (w.get("stances-extract")) } " · "
                    a href={ "/ui/scenarios/" (slug) "/versions" } { (w.get("stances-versions")) }
                }
            }
            p {
                (w.with("stances-version", &[("version", v.version.into())])) " " code { (slug) } ". "
                (w.get("stances-intro")) " " (w.get("stances-colours")) " "
                @for (k, stance) in truce_scenario::Stance::ALL.iter().enumerate() {
                    @if k > 0 { " " }
                    span class={ "s-" (stance.as_str()) } { (vocab(w, "stance", stance.as_str())) }
                }
                "."
            }
            div.wide tabindex="0" {
                table #stances {
                    caption { (w.get("stances-caption")) }
                    thead { tr {
                        th scope="col" { (w.get("th-issue")) } th scope="col" { (w.get("th-option")) }
                        @for p in &s.parties { th scope="col" { abbr title=(p.name) { (p.id) } } }
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
                                                @let cited = cite_at(pix);
                                                @let stance = cited.stance.clone();
                                                td class={ "s-" (stance) } {
                                                    details {
                                                        summary { (vocab(w, "stance", &stance)) @if cited.stale { " " span.tag.stale { (w.get("tag-stale")) } } }
                                                        div.cell-detail {
                                                            (cite(w, &names, &cited))
                                                            @if editor { " " a href={ "/ui/scenarios/" (slug) "/positions?line=" (cited.line) } { (w.get("stances-correct")) } }
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
        let title = w.with(
            "stances-title",
            &[("scenario", s.meta.title.clone().unwrap_or_else(|| slug.clone()).into())],
        );
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
        let w = c.lang.words();
        let confidential =
            crate::app::negotiation::confidential(&c, ask.confidential).or_page(&c)?;
        let (s, submissions) =
            crate::app::negotiation::load_with_submissions(&st, &slug, confidential)
                .await
                .or_page(&c)?;
        let archived = crate::app::negotiation::archived_texts(&st, &s).await.or_page(&c)?;
        let options = ask.options(&s).or_page(&c)?;
        let mediator = c.role() == truce_store::Role::Mediator;
        let drafter = matches!(c.role(), truce_store::Role::Mediator | truce_store::Role::Analyst);
        let query = raw.unwrap_or_default();
        let body = st
            .heavy(&c, move || {
                // The page shows the API's document (`truce.analysis/1`), and the frontier's.
                let a = truce_table::analyze(&s, &options)?;
                let mut report = crate::app::negotiation::analysis_document(&s, &a, &archived);
                report.submissions = submissions;
                let names = Names::new(&s).with_slug(&slug);
                let mut sources = Sources::default();
                let frontier = frontier_section(
                    w,
                    &names,
                    &s,
                    &a,
                    &slug,
                    ask.plotted().as_deref(),
                    ask.reading,
                    &ask,
                    &mut sources,
                );
                let catalogue = constraint_catalogue(&s, &a);
                let view = AnalysisView {
                    slug: &slug,
                    confidential,
                    mediator,
                    drafter,
                    query: &query,
                    w,
                    names: &names,
                };
                let body = analysis_body(&report, &view, &catalogue, frontier, &mut sources);
                Ok::<_, AppError>((body, sources))
            })
            .await;
        match body {
            Ok(Ok((body, sources))) => {
                page_running(&st, &c, &w.get("analysis-title"), body, sources).await
            }
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
    /// The reader's words.
    w: &'static Words,
    /// The scenario's words for its ids.
    names: &'a Names,
}

/// A hard constraint as the "what if" offers it, in the terms of [`truce_report::report::ConstraintReport`]:
/// who holds it, its key, its kind, the issue, the options, and a cross-issue constraint's rule.
struct Relaxable {
    party: String,
    key: String,
    kind: &'static str,
    issue: String,
    options: Vec<String>,
    rule: Option<String>,
}

/// Every hard constraint of any reading, and every one switched off, in party order: the "what if"
/// choices.
fn constraint_catalogue(s: &truce_scenario::Scenario, a: &truce_table::Analysis) -> Vec<Relaxable> {
    use truce_table::Constraint;
    let mut seen = std::collections::BTreeMap::new();
    let mut add = |c: &Constraint| {
        seen.entry(c.key(s)).or_insert_with(|| {
            let (kind, options, rule) = match c {
                Constraint::RedLine { option, .. } => ("red_line", vec![*option], None),
                Constraint::UnknownAsRedLine { option, .. } => {
                    ("unknown_as_red_line", vec![*option], None)
                }
                Constraint::Demand { options, .. } => ("demand", options.clone(), None),
                Constraint::Cross { constraint, .. } => {
                    let r = &s.constraints[*constraint];
                    ("cross", Vec::new(), Some(format!("{} ({})", r.id, r.rule)))
                }
            };
            let options = options.iter().map(|o| s.option(*o).id.clone()).collect();
            (c.party().ix(), kind, s.issue(c.issue(s)).id.clone(), options, rule)
        });
    };
    for r in &a.readings {
        for c in &r.constraints.all {
            add(c);
        }
    }
    // An analysed scenario's groups are checked.
    if !a.relaxed.is_empty()
        && let Ok(groups) = truce_table::check_groups(s)
    {
        // The constraints switched off, described as the unrelaxed readings hold them.
        for reading in truce_table::Reading::ALL {
            for c in &truce_table::Constraints::new(&groups, &a.stances, reading).all {
                if a.relaxed.contains(&c.key(s)) {
                    add(c);
                }
            }
        }
    }
    let mut out: Vec<_> = seen.into_iter().collect();
    out.sort_by(|(ka, a), (kb, b)| (a.0, ka).cmp(&(b.0, kb)));
    out.into_iter()
        .map(|(key, (ix, kind, issue, options, rule))| Relaxable {
            party: s.parties.get(ix).map_or_else(String::new, |p| p.id.clone()),
            key,
            kind,
            issue,
            options,
            rule,
        })
        .collect()
}

/// What relaxing a hard constraint means, in the reader's words, with options by label (the core's
/// own sentence names them by id).
fn relaxation(
    w: &Words,
    names: &Names,
    kind: &str,
    party: &str,
    issue: &str,
    options: &[String],
    rule: Option<&str>,
) -> String {
    let party = names.party(party);
    let option = options.first().map_or("", |o| names.option(o));
    match kind {
        "red_line" => {
            w.with("relax-red-line", &[("party", party.into()), ("option", option.into())])
        }
        "unknown_as_red_line" => {
            w.with("relax-unknown", &[("party", party.into()), ("option", option.into())])
        }
        "demand" => w.with(
            "relax-demand",
            &[
                ("party", party.into()),
                ("issue", names.issue(issue).into()),
                ("options", names.options(options, &w.get("list-or")).into()),
            ],
        ),
        _ => w.with(
            "relax-cross",
            &[("party", party.into()), ("rule", rule.unwrap_or_default().to_string().into())],
        ),
    }
}

/// A "what if" key (`demand/RUS/territory`) in words, for the banner: the key itself goes in `<code>`.
fn key_words(w: &Words, names: &Names, catalogue: &[Relaxable], key: &str) -> String {
    match catalogue.iter().find(|r| r.key == key) {
        Some(r) => relaxation(w, names, r.kind, &r.party, &r.issue, &r.options, r.rule.as_deref()),
        None => key.to_string(),
    }
}

/// A link target from a scenario's source list, if it is a web address: anything else (a
/// `javascript:` URL, say) is shown as text, never linked.
fn web_link(url: &str) -> Option<&str> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url.trim())
}

/// One cited position: who, which stance on which option, when, where (linked when the source has a
/// web address), the line in the scenario, its qualifiers, and the quote as its kind warrants. The
/// stance matrix and the analysis mark quotes alike.
fn cite(w: &Words, names: &Names, c: &truce_report::report::Citation) -> Markup {
    let outlet = c.publication.as_deref().unwrap_or(&c.source);
    html! {
        span.cite {
            strong { (names.party(&c.party)) } " "
            span class={ "stance s-" (c.stance) } { (vocab(w, "stance", &c.stance)) }
            " " (w.get("cite-on")) " " (names.option(&c.option)) ", "
            time datetime=(c.date) { (c.date) }
            @if c.date_precision != "day" { " (" (vocab(w, "precision", &c.date_precision)) ")" }
            " — "
            @match c.url.as_deref().and_then(web_link) {
                Some(url) => a href=(url) rel="noopener noreferrer" { (outlet) },
                None => (outlet),
            }
            " ["
            @match &names.slug {
                Some(slug) => a href={ "/ui/scenarios/" (slug) "/sources/" (c.source) } title=(w.get("cite-source-page")) { code { (c.source) } },
                None => code { (c.source) },
            }
            "], " (w.with("cite-line", &[("line", c.line.into())]))
            @if c.basis == "inferred" { " " span.tag { (w.get("basis-inferred")) } }
            @if let Some(q) = &c.qualifier { " " span.tag { (vocab(w, "qualifier", q)) } }
            @if c.stale { " " span.tag.stale title=(w.get("tag-stale.title")) { (w.get("tag-stale")) } }
            ": "
            @match c.quote_kind.as_deref() {
                Some("paraphrase") => { span.para { "(" (w.get("quote-paraphrase")) ") " (c.quote) } }
                Some("translated") => { q { (c.quote) } " (" (w.get("quote-translated")) ")" }
                Some("document_text") => { (w.get("quote-document")) " " q { (c.quote) } }
                _ => { q { (c.quote) } }
            }
            " " (quote_mark(w, &c.quote_check))
        }
    }
}

/// How a quote stands against its source's archived text, in words: found in archive `1a2b3c4d`,
/// line N; near (the close passage); not found (the closest passage); or no archive.
pub(crate) fn quote_mark(w: &Words, q: &truce_report::report::QuoteCheck) -> Markup {
    let hash = q.sha256.as_deref().map_or("", |h| &h[..h.len().min(8)]);
    let args: [(&str, FluentValue); 2] =
        [("hash", hash.into()), ("line", q.line.unwrap_or(0).into())];
    html! {
        @match q.status.as_str() {
            "found" => span.mark.found { (w.with("quote-found", &args)) },
            "near" => span.mark.near {
                (w.with("quote-near", &args)) " " q { (q.closest.clone().unwrap_or_default()) }
            },
            "not_found" => span.mark.missing {
                @match &q.closest {
                    Some(p) => { (w.with("quote-not-found-closest", &args)) " " q { (p) } },
                    None => (w.with("quote-not-found", &args)),
                }
            },
            _ => span.mark.none { (w.get("quote-no-archive")) },
        }
    }
}

/// A package's options and each party's account, with the positions behind each crossing.
fn package_view(
    w: &Words,
    names: &Names,
    title: &str,
    score: &str,
    p: &truce_report::report::PackageReport,
) -> Markup {
    html! {
        h4 { (title) " — " (score) " " (format!("{:.4}", p.score)) }
        div.wide tabindex="0" { table.package {
            thead { tr { th scope="col" { (w.get("th-issue")) } th scope="col" { (w.get("th-option")) } th scope="col" { (w.get("th-equally-good")) } } }
            tbody {
                @for o in &p.options {
                    tr {
                        th scope="row" { (names.issue(&o.issue)) }
                        td { (o.label) " " code { (o.option) } }
                        td { (names.options(&o.equivalents, "; ")) }
                    }
                }
            }
        } }
        @for party in &p.parties {
            details.account {
                summary {
                    strong { (names.party(&party.party)) } " — "
                    (w.with("account-utility", &[("utility", format!("{:.3}", party.utility).into())]))
                }
                ul {
                    @for i in &party.issues {
                        li {
                            (names.option(&i.option)) ": " (vocab(w, "verdict", i.verdict.as_str()))
                            @if let Some(c) = &i.citation { " — " (cite(w, names, c)) }
                            @for u in &i.unmet_demands { br; (w.get("account-unmet-demand")) ": " (cite(w, names, u)) }
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
    catalogue: &[Relaxable],
    frontier: Markup,
    sources: &mut Sources,
) -> Markup {
    let (w, names) = (view.w, view.names);
    let slug = view.slug;
    let relaxed = &report.relaxed;
    let json_link = format!("/v1/scenarios/{slug}/analysis?{}", view.query);
    let words = serde_json::json!({
        "options": names.options,
        "issues": names.issues,
        "text": {
            "starting": w.get("robust-starting"),
            "progress": w.with("robust-progress-text", &[("done", "%done%".into()), ("draws", "%draws%".into())]),
            "done": w.with("robust-done", &[("draws", "%draws%".into()), ("seed", "%seed%".into())]),
            "stopped": w.get("robust-stopped"),
            "method": w.get("robust-method"),
            "method-text": w.with("robust-method-text", &[("p", "%p%".into())]),
            "feasible": w.with("robust-feasible", &[("share", "%share%".into())]),
            "blocked": w.get("robust-blocked"),
            "issue": w.get("th-issue"),
            "share": w.get("robust-share"),
            "nash": w.get("robust-nash"),
            "package": w.get("robust-package"),
            "nash-column": w.get("robust-nash-column"),
            "frontier": w.get("robust-frontier"),
            "feasible-column": w.get("robust-feasible-column"),
            "distinct": w.with("robust-distinct", &[("count", "%count%".into())]),
        },
    });
    html! {
        @if view.confidential {
            p role="status" {
                @match &report.submissions {
                    Some(used) if !used.applied.is_empty() => {
                        strong { (w.with("analysis-confidential-with", &[("parties", names.parties(&used.applied).into())])) }
                    }
                    _ => { strong { (w.get("analysis-confidential-none")) } }
                }
                " " (w.get("analysis-confidential-only")) " "
                a href={ "/ui/scenarios/" (slug) "/analysis" } { (w.get("analysis-public-link")) } "."
            }
            @if let Some(used) = &report.submissions && !used.not_applied.is_empty() {
                div #stale-submissions.warning role="alert" {
                    p { strong { (w.with("analysis-not-counted", &[("count", used.not_applied.len().into())])) }
                        " " (w.get("analysis-not-counted-rest")) }
                    ul { @for stale in &used.not_applied {
                        li { strong { (names.party(&stale.party)) } " (" (w.with("analysis-submission", &[("id", stale.submission.into())])) "): " (stale.reasons.join("; ")) }
                    } }
                }
            }
        } @else if view.mediator {
            p {
                (w.get("analysis-from-public")) " "
                a href={ "/ui/scenarios/" (slug) "/analysis?confidential=true" } { (w.get("analysis-with-confidential")) }
                " (" (w.get("analysis-mediators-only")) ")."
            }
        }
        form #ask method="get" action={ "/ui/scenarios/" (slug) "/analysis" } {
            @if view.confidential { input type="hidden" name="confidential" value="true"; }
            label for="as_of" { (w.get("analysis-replay")) } " "
            input #as_of type="date" name="as_of" value=(report.as_of.as_deref().unwrap_or(""));
            " " span.muted { "(" (w.get("analysis-replay-empty")) ")" }
            details #what-if open[!relaxed.is_empty()] {
                summary { (w.with("what-if-summary", &[("count", relaxed.len().into())])) }
                p.muted { (w.get("what-if-help")) }
                @for group in catalogue.chunk_by(|a, b| a.party == b.party) {
                    fieldset {
                        legend { (names.party(&group[0].party)) }
                        @for r in group {
                            label.plain.choice {
                                input type="checkbox" name="relax" value=(r.key) checked[relaxed.contains(&r.key)];
                                " " (relaxation(w, names, r.kind, &r.party, &r.issue, &r.options, r.rule.as_deref()))
                                " " span.muted { "(" code { (r.key) } ")" }
                            }
                        }
                    }
                }
            }
            button type="submit" { (w.get("analysis-analyse")) } " "
            a href={ "/ui/scenarios/" (slug) "/analysis" @if view.confidential { "?confidential=true" } } { (w.get("analysis-reset")) }
        }
        @for warning in &report.warnings { p.warning role="alert" { strong { (w.get("analysis-warning")) ": " } (warning) } }
        @if !relaxed.is_empty() {
            div.warning role="status" {
                p { strong { (w.get("what-if-banner")) ": " } (w.get("what-if-banner-rest")) }
                ul { @for key in relaxed {
                    li { (key_words(w, names, catalogue, key)) " " span.muted { "(" code { (key) } ")" } }
                } }
            }
        }
        p {
            (w.with("analysis-counts", &[
                ("issues", report.scenario.issues.into()),
                ("options", report.scenario.options.into()),
                ("known", report.positions_known.into()),
                ("positions", report.scenario.positions.into()),
            ])) " "
            @match &report.as_of {
                Some(d) => { (w.with("analysis-known-on", &[("date", d.as_str().into())])) },
                None => { (w.get("analysis-on-file")) }
            }
            "; " (w.get("analysis-parties")) ": "
            (report.parties.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")) "."
            @if let Some(r) = &report.staleness.reference {
                " " (w.with("analysis-stale-rule", &[("days", report.staleness.after_days.into()), ("date", r.as_str().into())])) " "
                span.tag.stale { (w.get("tag-stale")) } ": " (w.get("analysis-stale-rest"))
            }
        }
        div.wide tabindex="0" { table #readings {
            caption { (w.get("readings-caption")) }
            thead { tr {
                th scope="col" { (w.get("th-reading")) } th scope="col" { (w.get("th-hard-constraints")) }
                th scope="col" { (w.get("th-feasible")) } th scope="col" { (w.get("th-blocked")) }
                th scope="col" { (w.get("th-fewest")) } th scope="col" { (w.get("th-pareto")) }
            } }
            tbody {
                @for r in &report.readings {
                    tr {
                        th scope="row" { a href={ "#reading-" (r.reading.as_str()) } { (vocab(w, "reading", r.reading.as_str())) } }
                        td { (r.hard_constraints) }
                        td { (w.with("of-total", &[("part", grouped(&r.feasible_packages).into()), ("total", grouped(&r.total_packages).into())])) }
                        td { @if r.blocked_issues.is_empty() { (w.get("none")) } @else { (r.blocked_issues.len()) } }
                        td { @match &r.concessions { Some(k) => (k.min_concessions), None => "—" } }
                        td { @match &r.best { Some(b) => (b.pareto_size), None => "—" } }
                    }
                }
            }
        } }
        @for r in &report.readings {
            (reading_view(w, names, r))
        }
        @if view.drafter {
            p {
                (w.get("analysis-draft")) ": "
                a href={ "/ui/scenarios/" (slug) "/draft?package=nash" } { (w.get("analysis-draft-link")) }
                " (" (w.get("analysis-draft-others")) ")."
            }
        }
        h2 #robustness { (w.get("robust-heading")) }
        p { (w.get("robust-intro")) }
        form #robust-form data-slug=(slug) data-confidential=(view.confidential) {
            label for="draws" { (w.get("robust-draws")) } " " input #draws name="draws" type="number" min="1" max="2000" value="200"; " "
            label for="seed" { (w.get("robust-seed")) } " " input #seed name="seed" type="number" min="0" value="1"; " "
            label for="unknown_red_line" { (w.get("robust-unknown")) } " "
            input #unknown_red_line name="unknown_red_line" type="number" min="0" max="1" step="0.05" value="0.5"; " "
            button type="submit" { (w.get("robust-run")) }
        }
        p { progress #robust-progress max="1" value="0" aria-label=(w.get("robust-progress")) {} " " span #robust-status role="status" aria-live="polite" {} }
        div #robust-result {}
        (script::data_island("robust-words", &words))
        (sources.inline(&script::ROBUST))
        (frontier)
        p.muted {
            (w.get("analysis-same-document")) ": "
            a href=(json_link) { "JSON" } " (" code { "GET /v1/scenarios/" (slug) "/analysis" } "), "
            a href={ (json_link) "&format=md" } { "Markdown" } ", "
            a href={ (json_link) "&format=text" } { (w.get("analysis-text")) }
            "; " (w.get("analysis-command-line")) " " code { "truce analyze" } "."
        }
    }
}

/// One reading, in words.
fn reading_view(w: &Words, names: &Names, r: &truce_report::report::ReadingReport) -> Markup {
    let name = r.reading.as_str();
    let reading = vocab(w, "reading", name);
    html! {
        section.reading id={ "reading-" (name) } {
            h2 { (vocab(w, "reading-title", name)) }
            p {
                (vocab(w, "reading-about", name)) " "
                @if r.feasible {
                    (w.with("reading-feasible", &[
                        ("feasible", grouped(&r.feasible_packages).into()),
                        ("total", grouped(&r.total_packages).into()),
                        ("constraints", r.hard_constraints.into()),
                    ]))
                } @else {
                    (w.with("reading-infeasible", &[("constraints", r.hard_constraints.into())])) " "
                    strong { (w.with("reading-blocked", &[("count", r.blocked_issues.len().into())])) }
                    ": " (r.blocked_issues.iter().map(|i| names.issue(i)).collect::<Vec<_>>().join("; ")) "."
                }
            }
            @if !r.assumed_red_lines.is_empty() {
                h3 { (w.get("reading-assumed")) }
                ul { @for c in &r.assumed_red_lines { @for p in &c.citations { li { (cite(w, names, p)) } } } }
            }
            @if let Some(k) = &r.concessions {
                p {
                    (w.get("concessions-at-fewest")) " "
                    strong { (w.with("concessions-count", &[("count", k.min_concessions.into())])) }
                    " " (w.with("concessions-ways", &[("count", grouped(&k.total_sets).into())]))
                }
                @for g in &k.groups {
                    h3 { (w.get("concessions-blocked")) ": " (g.issues.iter().map(|i| names.issue(i)).collect::<Vec<_>>().join(" + ")) }
                    ol.alternatives {
                        @for a in &g.alternatives {
                            li {
                                (w.with("alternative-explained", &[
                                    ("relax", a.relax.iter().map(|c| relaxation(w, names, constraint_kind(c), &c.party, &c.issue, &c.options, c.rule.as_ref().map(|r| format!("{} ({})", r.id, r.rule)).as_deref())).collect::<Vec<_>>().join("; ").into()),
                                    ("opens", a.opens.iter().map(|o| names.combo(o)).collect::<Vec<_>>().join("; ").into()),
                                ])) " "
                                span.muted { "(" (w.with("alternative-size", &[("concessions", a.relax.len().into()), ("parties", a.parties.len().into())])) ")" }
                                ul {
                                    @for c in &a.relax {
                                        li {
                                            (relaxation(w, names, constraint_kind(c), &c.party, &c.issue, &c.options, c.rule.as_ref().map(|r| format!("{} ({})", r.id, r.rule)).as_deref()))
                                            " " span.muted { "(" code { (c.key) } ")" }
                                            @if let Some(rule) = &c.rule {
                                                br; (w.get("rule")) " " code { (rule.id) } ": " (rule.rule) ", " (w.with("cite-line", &[("line", rule.line.into())]))
                                                @if let Some(q) = &rule.quote { ": " q { (q) } }
                                            }
                                            ul { @for p in &c.citations { li { (cite(w, names, p)) } } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(c) = &r.coalitions {
                h3 { (w.get("coalitions")) }
                @if c.grand_coalition && r.best.as_ref().is_some_and(|b| !b.meets_reservation) {
                    p { (w.get("coalitions-no-reservation")) }
                } @else if c.grand_coalition {
                    p { (w.with("coalitions-all", &[("reading", reading.as_str().into())])) }
                } @else {
                    p { (w.get("coalitions-largest")) }
                    ul { @for m in &c.maximal { li { (names.parties(m)) } } }
                    p { (w.get("coalitions-smallest")) }
                    ul { @for m in &c.minimal_blocking { li { (names.parties(m)) } } }
                }
            }
            @if let Some(b) = &r.best {
                h3 { (w.get("bargaining")) }
                @if !b.meets_reservation {
                    p.warning { (w.get("bargaining-no-reservation")) }
                }
                p { (w.with("bargaining-pareto", &[("count", b.pareto_size.into())])) }
                @if let Some(p) = &b.nash { (package_view(w, names, &w.get("package-nash"), &w.get("score-nash"), p)) }
                @if let Some(p) = &b.maximin { (package_view(w, names, &w.get("package-maximin"), &w.get("score-maximin"), p)) }
                @if let Some(p) = &b.ks { (package_view(w, names, &w.get("package-ks"), &w.get("score-ks"), p)) }
                @if let Some(p) = &b.ks_genius { (package_view(w, names, &w.get("package-ks-genius"), &w.get("score-ks-genius"), p)) }
                @if let Some(p) = &b.utilitarian { (package_view(w, names, &w.get("package-utilitarian"), &w.get("score-utilitarian"), p)) }
            }
        }
    }
}

/// A constraint report's kind, as [`relaxation`] reads it.
fn constraint_kind(c: &truce_report::report::ConstraintReport) -> &'static str {
    use truce_report::report::ConstraintKind;
    match c.kind {
        ConstraintKind::RedLine => "red_line",
        ConstraintKind::UnknownAsRedLine => "unknown_as_red_line",
        ConstraintKind::Demand => "demand",
        ConstraintKind::Cross => "cross",
    }
}

/// The frontier plot for the parties asked (default: the first two), with the form that picks them; the
/// form keeps the replayed date and the "what if", so the plot is of the analysis above it.
#[allow(clippy::too_many_arguments)]
fn frontier_section(
    w: &Words,
    names: &Names,
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
    // The page's copy names each point's package by label; the API's keeps the ids.
    let plotted = crate::app::negotiation::frontier_report(s, a, Some(&asked), Some(reading_asked))
        .map(|mut report| {
            for p in &mut report.points {
                for o in &mut p.package {
                    *o = names.option(o).to_string();
                }
            }
            report
        });
    html! {
        h2 #frontier { (w.get("frontier-heading")) }
        p { (w.get("frontier-intro")) }
        form method="get" action={ "/ui/scenarios/" (slug) "/analysis#frontier" } #frontier-form {
            fieldset {
                legend { (w.get("frontier-parties")) }
                @for p in &s.parties {
                    label.plain {
                        input type="checkbox" name="party" value=(p.id) checked[chosen.contains(&p.id.as_str())];
                        " " (p.name)
                    }
                }
            }
            @if ask.confidential == Some(true) { input type="hidden" name="confidential" value="true"; }
            @if let Some(d) = ask.as_of { input type="hidden" name="as_of" value=(d.to_string()); }
            @for key in &ask.relax.0 { input type="hidden" name="relax" value=(key); }
            label for="reading" { (w.get("th-reading")) } " "
            select #reading name="reading" {
                @for r in ["red_lines", "strict", "pessimistic"] {
                    option value=(r) selected[r == reading] { (vocab(w, "reading", r)) }
                }
            }
            " " button type="submit" { (w.get("frontier-plot")) }
        }
        @match plotted {
            Ok(report) => {
                div #frontier-plot { (PreEscaped(truce_report::svg::frontier_svg_in(&report, &frontier_words(w)))) }
                p {
                    label for="frontier-select" { (w.get("frontier-pick")) } " "
                    select #frontier-select { option value="" { "—" } }
                }
                div #frontier-point role="status" aria-live="polite" { p.muted { (w.get("frontier-select-help")) } }
                (script::data_island("frontier-data", &report))
                (script::data_island("frontier-words", &serde_json::json!({
                    "efficient": w.with("frontier-efficient", &[("parties", "%parties%".into())]),
                    "whole": w.get("frontier-whole"),
                    "one-of": w.with("frontier-one-of", &[("count", "%count%".into())]),
                    "walks-away": w.with("frontier-walks-away", &[("value", "%value%".into())]),
                })))
                (sources.inline(&script::FRONTIER_POINT))
                p.muted {
                    (w.with("frontier-efficient-count", &[
                        ("efficient", report.points.iter().filter(|p| p.efficient).count().into()),
                        ("total", report.points.len().into()),
                        ("parties", names.parties(&report.parties).into()),
                    ])) " " (w.get("frontier-data")) ": "
                    a href={ "/v1/scenarios/" (slug) "/frontier?parties=" (asked) "&reading=" (reading) } {
                        code { "GET /v1/scenarios/" (slug) "/frontier?parties=" (asked) "&reading=" (reading) }
                    }
                    "."
                }
            }
            Err(AppError::Invalid(why)) => p role="alert" { (why.join("; ")) },
            Err(_) => p role="alert" { (w.get("frontier-failed")) },
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
        let w = c.lang.words();
        let confidential = crate::app::negotiation::confidential(&c, q.confidential).or_page(&c)?;
        let scenario = crate::app::negotiation::load(&st, &slug, confidential).await.or_page(&c)?;
        let quarter = matches!(q.step, Some(crate::api::ask::Step::Quarter));
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
                label for="from" { (w.get("timeline-from")) } " " input #from name="from" type="date" value=(first); " "
                label for="to" { (w.get("timeline-to")) } " " input #to name="to" type="date" value=(last); " "
                label for="step" { (w.get("timeline-step")) } " "
                select #step name="step" {
                    option value="month" selected[!quarter] { (w.get("timeline-month")) }
                    option value="quarter" selected[quarter] { (w.get("timeline-quarter")) }
                }
                " " button type="submit" { (w.get("timeline-show")) }
            }
            @if report.points.first().is_some_and(|p| p.positions_known == 0) {
                p.muted #nothing-on-file {
                    span.swatch aria-hidden="true" {} " "
                    (w.get("timeline-nothing-on-file")) ": " (w.get("timeline-nothing-on-file-help"))
                }
            }
            div #timeline {
                (PreEscaped(truce_report::svg::timeline_svg_in(&report, &timeline_words(w))))
            }
            // The chart's text equivalent.
            details {
                summary { (w.get("timeline-as-table")) }
                table #timeline-table {
                    thead { tr {
                        th scope="col" { (w.get("timeline-date")) } th scope="col" { (w.get("timeline-known")) }
                        @if let Some(p) = report.points.first() {
                            @for r in &p.readings {
                                th scope="col" { (w.with("timeline-reading-column", &[("reading", vocab(w, "reading", r.reading.as_str()).into())])) }
                            }
                        }
                    } }
                    tbody {
                        @for p in &report.points {
                            tr {
                                th scope="row" { (p.date) }
                                td { @if p.positions_known == 0 { (w.get("timeline-nothing-on-file")) } @else { (p.positions_known) } }
                                @for r in &p.readings {
                                    td { (grouped(&r.feasible_packages)) " / " (r.min_concessions) }
                                }
                            }
                        }
                    }
                }
            }
        };
        page(&st, &c, &w.get("timeline-title"), body).await
    })
}

/// The frontier chart's words in the reader's language.
fn frontier_words(w: &Words) -> truce_report::svg::FrontierWords {
    let v = |k: &'static str| (k, FluentValue::from(format!("%{k}%")));
    truce_report::svg::FrontierWords {
        title: w.with("frontier-svg-title", &[v("parties")]),
        description: w.with(
            "frontier-svg-description",
            &[v("points"), v("reading"), v("efficient"), v("parties")],
        ),
        heading: w.with("frontier-svg-heading", &[v("parties"), v("reading")]),
        subheading: w.with(
            "frontier-svg-subheading",
            &[v("pareto"), v("points"), v("efficient"), v("parties")],
        ),
        axis: w.with("frontier-svg-axis", &[v("party")]),
        tooltip: w.with(
            "frontier-svg-tooltip",
            &[v("utilities"), v("efficient"), v("packages"), v("package")],
        ),
        efficient: format!(" · {}", w.get("frontier-svg-efficient")),
        disagreement: w.with("frontier-svg-disagreement", &[v("a"), v("x"), v("b"), v("y")]),
        legend: [
            w.get("frontier-svg-whole"),
            w.get("frontier-svg-efficient"),
            w.get("frontier-svg-no-deal"),
        ],
        solutions: [
            w.get("frontier-svg-nash"),
            w.get("frontier-svg-ks"),
            w.get("frontier-svg-maximin"),
            w.get("frontier-svg-utilitarian"),
        ],
        readings: ["red_lines", "strict", "pessimistic"].map(|r| vocab(w, "reading", r)),
    }
}

/// The timeline chart's words in the reader's language.
fn timeline_words(w: &Words) -> truce_report::svg::TimelineWords {
    let english = truce_report::svg::TimelineWords::english();
    let months: Vec<String> =
        w.get("timeline-svg-months").split_whitespace().map(str::to_string).collect();
    truce_report::svg::TimelineWords {
        title: w.with("timeline-svg-title", &[("file", "%file%".into())]),
        description: w.with(
            "timeline-svg-description",
            &[("from", "%from%".into()), ("to", "%to%".into()), ("parties", "%parties%".into())],
        ),
        heading: w.with("timeline-svg-heading", &[("file", "%file%".into())]),
        subheading: w.with("timeline-svg-subheading", &[("parties", "%parties%".into())]),
        panels: [
            w.get("timeline-svg-feasible"),
            w.get("timeline-svg-blocked"),
            w.get("timeline-svg-concessions"),
        ],
        tooltip: w.with(
            "timeline-svg-tooltip",
            &[
                ("date", "%date%".into()),
                ("reading", "%reading%".into()),
                ("feasible", "%feasible%".into()),
                ("blocked", "%blocked%".into()),
                ("concessions", "%concessions%".into()),
            ],
        ),
        readings: ["red_lines", "strict", "pessimistic"].map(|r| vocab(w, "reading", r)),
        months: months.try_into().unwrap_or(english.months),
        nothing_on_file: w.get("timeline-nothing-on-file"),
    }
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

/// The agents the form offers, by the names `truce_sim::AgentSpec::parse` reads.
const AGENTS: [&str; 8] =
    ["boulware", "linear", "conceder", "hardheaded", "tft", "tft-relative", "micro", "random"];

/// The rehearsal form, filled in with `ask`: protocols and agents chosen from lists, each explained in
/// a sentence; with more than two parties, the pair of axes to plot.
fn simulate_form(
    w: &Words,
    ask: &truce_sim::SimulationAsk,
    confidential: bool,
    parties: &[(String, String)],
) -> Markup {
    let agent_of = |k: usize| -> &str {
        match ask.agents.as_slice() {
            [one] => one,
            many => many.get(k).map_or("boulware", String::as_str),
        }
    };
    let axes: Vec<&str> = match &ask.axes {
        Some(a) if a.len() == 2 => a.iter().map(String::as_str).collect(),
        _ => parties.iter().take(2).map(|p| p.0.as_str()).collect(),
    };
    html! {
        form #simulate-form method="get" {
            @if confidential { input type="hidden" name="confidential" value="true"; }
            fieldset #protocols {
                legend { (w.get("sim-protocols")) }
                @for p in truce_sim::Protocol::ALL {
                    label.plain.choice {
                        input type="checkbox" name="protocols" value=(p.as_str()) checked[ask.protocols.iter().any(|x| x == p.as_str())];
                        " " strong { (vocab(w, "protocol", p.as_str())) } ": " (vocab(w, "protocol-about", p.as_str()))
                    }
                }
            }
            fieldset {
                legend { (w.get("sim-agents")) }
                p.muted { (w.get("sim-agents-help")) }
                @for (k, (id, name)) in parties.iter().enumerate() {
                    @let field = if k == 0 { "agents".to_string() } else { format!("agents-{k}") };
                    @let chosen = agent_of(k);
                    p {
                        label for=(field) { (name) " (" (id) ")" } " "
                        select id=(field) name="agents" {
                            @for a in AGENTS { option value=(a) selected[a == chosen] { (vocab(w, "agent", a)) } }
                            @if !AGENTS.contains(&chosen) { option value=(chosen) selected { (chosen) } }
                        }
                    }
                }
                details {
                    summary { (w.get("sim-agents-explained")) }
                    dl { @for a in AGENTS { dt { (vocab(w, "agent", a)) } dd { (vocab(w, "agent-about", a)) } } }
                }
            }
            @if parties.len() > 2 {
                fieldset #axes {
                    legend { (w.get("sim-axes")) }
                    @for (k, axis) in ["sim-axis-x", "sim-axis-y"].iter().enumerate() {
                        label for={ "axes-" (k) } { (w.get(axis)) } " "
                        select id={ "axes-" (k) } name="axes" {
                            @for (id, name) in parties { option value=(id) selected[axes.get(k) == Some(&id.as_str())] { (name) } }
                        }
                        " "
                    }
                }
            }
            label for="rounds" { (w.get("sim-rounds")) } " " input #rounds name="rounds" type="number" min="1" max=(truce_sim::MAX_ROUNDS) value=(ask.rounds); " "
            label for="seed" { (w.get("sim-seed")) } " " input #seed name="seed" type="number" min="0" value=(ask.seed); " "
            button type="submit" { (w.get("sim-rehearse")) }
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
        let w = c.lang.words();
        let title = w.get("sim-title");
        let confidential = crate::app::negotiation::confidential(&c, q.confidential).or_page(&c)?;
        let asked = q.protocols.is_some()
            || q.agents.is_some()
            || q.rounds.is_some()
            || q.seed.is_some()
            || q.axes.is_some();
        let list = |s: &Option<String>| {
            s.as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.split(',').map(|x| x.trim().to_string()).collect::<Vec<_>>())
        };
        // The scenario's words, for the form and the summaries (the latest version's).
        let scenario = st.scenario(&slug, None).await.ok().map(|(_, s)| s);
        let parties: Vec<(String, String)> = scenario
            .iter()
            .flat_map(|s| s.parties.iter().map(|p| (p.id.clone(), p.name.clone())))
            .collect();
        if q.job.is_none() && !asked {
            // Opening the page starts nothing: the form, with the defaults, until the reader asks.
            let defaults = truce_sim::SimulationAsk::default();
            let body = html! {
                p { (w.get("sim-intro")) }
                (simulate_form(w, &defaults, confidential, &parties))
            };
            return Ok(page(&st, &c, &title, body).await);
        }
        let Some(id) = q.job.clone() else {
            let defaults = truce_sim::SimulationAsk::default();
            let ask = truce_sim::SimulationAsk {
                protocols: list(&q.protocols).unwrap_or(defaults.protocols),
                agents: list(&q.agents).unwrap_or(defaults.agents),
                rounds: q.rounds.unwrap_or(defaults.rounds),
                seed: q.seed.unwrap_or(defaults.seed),
                axes: list(&q.axes),
                ..defaults
            };
            let axes = ask.axes.as_ref().map(|a| a.join(","));
            return Ok(
                match crate::app::negotiation::queue_simulation(&st, &c, &slug, confidential, ask)
                    .await
                {
                    Ok(id) => {
                        // The axes asked stay in the address, so that the form shows them again.
                        let to = format!(
                            "/ui/scenarios/{slug}/simulate?job={id}{}{}",
                            if confidential { "&confidential=true" } else { "" },
                            axes.map(|a| format!("&axes={a}")).unwrap_or_default()
                        );
                        axum::response::Redirect::to(&to).into_response()
                    }
                    Err(e) => error_page(e, Some(&c)),
                },
            );
        };
        let found = st.rehearsals.get(&id, c.id(), c.role() == truce_store::Role::Mediator).await;
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
            crate::jobs::JobState::Failed(why) | crate::jobs::JobState::Interrupted(why) => {
                return Err(PageError::new(AppError::Invalid(vec![why]), &c));
            }
            waiting => {
                let mut sources = Sources::default();
                let body = html! {
                    p #job-state role="status" aria-live="polite" data-state=(waiting.name()) data-poll={ "/v1/simulations/" (id) "?format=status" } data-running=(w.get("sim-running")) {
                        @if waiting.name() == "queued" { (w.get("sim-queued")) }
                        @else { (w.get("sim-running")) }
                    }
                    p { a href={ "/ui/scenarios/" (slug) "/simulate?job=" (id) } { (w.get("sim-reload")) } }
                    (sources.inline(&script::JOB_WAIT))
                };
                return Ok(page_running(&st, &c, &title, body, sources).await);
            }
        };
        // The page is rendered off the async workers: a large rehearsal makes a large page.
        let report = &done.simulation.report;
        let form_ask = truce_sim::SimulationAsk {
            protocols: report.runs.iter().map(|r| r.protocol.to_string()).collect(),
            agents: report.runs.first().map(|r| r.agents.clone()).unwrap_or_default(),
            rounds: report.deadline,
            seed: report.seed,
            axes: list(&q.axes),
            ..Default::default()
        };
        let body = st
            .heavy(&c, move || {
                let names = scenario.as_deref().map(Names::new);
                simulation_body(w, names.as_ref(), &done, &form_ask, confidential, &parties)
            })
            .await;
        match body {
            Ok(body) => page(&st, &c, &title, body).await,
            Err(e) => error_page(e, Some(&c)),
        }
    })
}

/// The rehearsal page's body for a finished job.
fn simulation_body(
    w: &Words,
    names: Option<&Names>,
    done: &crate::jobs::Finished,
    ask: &truce_sim::SimulationAsk,
    confidential: bool,
    parties: &[(String, String)],
) -> Markup {
    let empty = Names {
        options: HashMap::new(),
        issues: HashMap::new(),
        parties: HashMap::new(),
        slug: None,
    };
    let names = names.unwrap_or(&empty);
    let result = &done.simulation;
    let report = &result.report;
    html! {
        p {
            (w.with("sim-about", &[
                ("packages", grouped(&report.packages).into()),
                ("reading", vocab(w, "reading", report.reading.as_str()).into()),
                ("pareto", report.pareto_size.into()),
            ]))
        }
        (simulate_form(w, ask, confidential, parties))
        @for (run, plot) in report.runs.iter().zip(&result.svgs) {
            section.run data-protocol=(run.protocol.as_str()) {
                h2 { (vocab(w, "protocol", run.protocol.as_str())) }
                p.seats {
                    (report.parties.iter().zip(&run.agents).map(|(p, a)| format!("{}: {}", names.party(p), vocab(w, "agent", a))).collect::<Vec<_>>().join(", "))
                }
                @let gets = run.seats.iter().filter_map(|seat| seat.utility.map(|u| w.with("sim-gets", &[("party", names.party(&seat.party).into()), ("utility", format!("{u:.3}").into())]))).collect::<Vec<_>>().join(", ");
                @if let Some(package) = &run.agreement {
                    p.summary { strong { (w.with("sim-summary-agreement", &[("round", run.rounds.into()), ("gets", gets.as_str().into())])) } }
                    p.outcome {
                        (w.with("sim-outcome", &[
                            ("round", run.rounds.into()),
                            ("deadline", report.deadline.into()),
                            ("offers", run.offers.into()),
                            ("pareto", format!("{:.3}", run.distance_to_pareto.unwrap_or(f64::NAN)).into()),
                            ("nash", format!("{:.3}", run.distance_to_nash.unwrap_or(f64::NAN)).into()),
                        ]))
                    }
                    (package_view(w, names, &w.get("sim-agreement"), &w.get("sim-welfare"), package))
                } @else {
                    p.summary { strong {
                        (w.with("sim-summary-none", &[("end", vocab(w, "end", run.end.as_str()).into()), ("rounds", run.rounds.into())]))
                        @if let Some(p) = &run.walked_away { " " (w.with("sim-walked-away", &[("party", names.party(p).into())])) }
                    } }
                    p.outcome { (w.with("sim-no-agreement", &[("end", vocab(w, "end", run.end.as_str()).into()), ("rounds", run.rounds.into()), ("offers", run.offers.into())])) }
                }
                div.plot { (PreEscaped(plot)) }
                details {
                    summary { (w.get("sim-offers-table")) }
                    table.trace {
                        thead { tr { th scope="col" { (w.get("sim-round")) } th scope="col" { (w.get("sim-by")) } th scope="col" { (w.get("sim-move")) }
                            @for p in &report.parties { th scope="col" { abbr title=(names.party(p)) { (p) } } } } }
                        tbody { @for m in run.trace.iter().filter(|m| m.action != truce_report::simulation::ActionName::Accept).take(400) {
                            tr { td { (m.round) } td { @if m.by == "mediator" { (w.get("sim-mediator")) } @else { (m.by) } } td { (vocab(w, "action", m.action.as_str())) }
                                @for u in &m.utilities { td { (format!("{u:.3}")) } } }
                        } }
                    }
                }
            }
        }
    }
}
