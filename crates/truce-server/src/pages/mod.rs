//! The web UI: server-rendered pages, templates in [`crate::pages::layout`] (maud, escaped by default), a little
//! hand-written JavaScript (signing entries in the browser, the map's list filter), no build step. Every
//! page is an [`crate::Endpoint`] of the matrix, and renders the same documents the API returns. Pages
//! use labels, headings, tables with headers, visible focus, and colours with enough contrast; every
//! chart has a text equivalent.

pub(crate) mod field;
pub(crate) mod layout;
pub(crate) mod scenarios;

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use schemars::JsonSchema;
use serde::Deserialize;
use truce_report::report::AnalysisReport;
use truce_store::{Store, token_hash};

use crate::api::ask::{Ask, Day};
use crate::script::{self, Sources};
use crate::{AppError, AppState, Caller, Endpoint, St};
use layout::{Chrome, OrPage, PageError, error_page, grouped};

/// The scenarios on file, for the navigation, when the caller may open them.
async fn scenarios(st: &AppState, caller: &Caller) -> Vec<String> {
    if !Endpoint::StancePage.allows(caller.role()) {
        return Vec::new();
    }
    st.store.scenarios().await.unwrap_or_default()
}

/// Renders a page for `caller`, with the navigation of the scenarios on file.
pub(crate) async fn page(st: &AppState, caller: &Caller, title: &str, body: Markup) -> Response {
    page_running(st, caller, title, body, Sources::default()).await
}

/// A page that runs the scripts its `body` rendered through `sources`.
pub(crate) async fn page_running(
    st: &AppState,
    caller: &Caller,
    title: &str,
    body: Markup,
    sources: Sources,
) -> Response {
    let scenarios = scenarios(st, caller).await;
    layout::page_with(title, &Chrome { caller, scenarios: &scenarios }, html! {}, body, sources)
}

pub(crate) async fn home(State(st): St, c: Caller) -> Response {
    let scenarios = scenarios(&st, &c).await;
    let w = c.lang.words();
    let role = c.role();
    // A verifier's first task is the queue: its length, read as the queue page reads it.
    let waiting = if role == truce_store::Role::Verifier {
        crate::app::record::review_queue(&st, 200).await.map(|q| q.len()).unwrap_or(0)
    } else {
        0
    };
    let first = match role {
        truce_store::Role::Verifier => w.with("home-verifier", &[("count", waiting.into())]),
        r => w.get(&format!("home-{}", r.as_str())),
    };
    let own_party = c.user.as_ref().and_then(|u| u.party.clone());
    // The links of the role's work, each only if the role may open it.
    let mut links: Vec<(String, String)> = Vec::new();
    for slug in &scenarios {
        if Endpoint::PositionForm.allows(role) || Endpoint::StancePage.allows(role) {
            links.push((
                format!("/ui/scenarios/{slug}"),
                w.with("home-link-positions", &[("scenario", slug.as_str().into())]),
            ));
        }
        // Preferences only where the delegate's party sits at that table (the Watch's delegates do not).
        let seated = match &own_party {
            Some(party) if Endpoint::PreferencesPage.allows(role) => st
                .scenario(slug, None)
                .await
                .is_ok_and(|(_, parsed)| parsed.parties.iter().any(|p| p.id == *party)),
            _ => false,
        };
        if seated {
            links.push((
                format!("/ui/scenarios/{slug}/preferences"),
                w.with("home-link-preferences", &[("scenario", slug.as_str().into())]),
            ));
        }
    }
    for (endpoint, href, id) in [
        (Endpoint::FieldApp, "/field/", "home-link-field"),
        (Endpoint::ObservePage, "/ui/observe", "home-link-observe"),
        (Endpoint::QueuePage, "/ui/queue", "home-link-queue"),
        (Endpoint::AgreementPage, "/ui/agreement", "home-link-agreement"),
        (Endpoint::MapPage, "/ui/map", "home-link-map"),
        (Endpoint::ReportPage, "/ui/reports/daily", "home-link-report"),
        (Endpoint::LogPage, "/ui/log", "home-link-log"),
    ] {
        // The observer app is every role's to open, but only the observer's work.
        let work = endpoint != Endpoint::FieldApp || role == truce_store::Role::Observer;
        if work && endpoint.allows(role) && (endpoint != Endpoint::QueuePage || st.watch.is_some())
        {
            links.push((href.to_string(), w.get(id)));
        }
    }
    let body = html! {
        section #start aria-labelledby="start-title" {
            h2 #start-title { (w.get("home-first")) }
            p { (first) }
            ul { @for (href, label) in &links { li { a href=(href) { (label) } } } }
        }
        p { (w.get("home-intro")) }
        @if !scenarios.is_empty() {
            h2 { (w.get("home-scenarios")) }
            ul {
                @for slug in &scenarios {
                    li {
                        a href={ "/ui/scenarios/" (slug) } { (slug) } " — "
                        a href={ "/ui/scenarios/" (slug) "/analysis" } { (w.get("home-analysis")) } ", "
                        a href={ "/ui/scenarios/" (slug) "/timeline" } { (w.get("home-timeline")) }
                    }
                }
            }
        }
        @if let Some(l) = &st.watch {
            p {
                (w.with("home-log", &[("entries", l.size().into())])) " "
                a href="/ui/agreement" { (w.get("home-compliance")) } " " (w.get("home-compliance-rest"))
            }
        }
        @if c.user.is_none() {
            p { a href="/ui/login" { (w.get("home-sign-in")) } }
        }
    };
    layout::page(&w.get("site-name"), &Chrome { caller: &c, scenarios: &scenarios }, body)
        .into_response()
}

pub(crate) async fn login_page(State(st): St, c: Caller) -> Response {
    let w = c.lang.words();
    let body = html! {
        form method="post" action="/ui/login" {
            p {
                label for="token" { (w.get("login-token")) } br;
                input #token name="token" type="password" autocomplete="off" size="72" required;
            }
            p { button type="submit" { (w.get("sign-in")) } }
        }
        p.muted { (w.get("login-cookie")) }
    };
    page(&st, &c, &w.get("login-title"), body).await
}

/// The sign-in form.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct LoginForm {
    token: String,
}

pub(crate) async fn login(State(st): St, c: Caller, Form(form): Form<LoginForm>) -> Response {
    // The token signs the browser in; the cookie then holds a new session's id, never the token.
    let user = match st.store.user_by_token(token_hash(form.token.trim())).await {
        Ok(u) => u,
        Err(_) => return error_page(AppError::Unauthorized, Some(&c)),
    };
    let id = match crate::security::new_session_id() {
        Ok(id) => id,
        Err(e) => return AppError::Internal(format!("no randomness: {e}")).into_response(),
    };
    let expires = jiff::Timestamp::now().as_second() + crate::security::SESSION_SECONDS;
    if let Err(e) = st.store.create_session(token_hash(&id), user.id, expires).await {
        return AppError::from(e).into_response();
    }
    session_cookie(&id, crate::security::SESSION_SECONDS, st.secure_cookies)
}

/// A redirect home that sets the session cookie to `value` for `max_age` seconds (0 clears it).
fn session_cookie(value: &str, max_age: i64, secure: bool) -> Response {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!(
        "{}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}",
        crate::security::SESSION_COOKIE
    );
    (StatusCode::SEE_OTHER, [(header::LOCATION, "/".to_string()), (header::SET_COOKIE, cookie)])
        .into_response()
}

pub(crate) async fn logout(State(st): St, headers: HeaderMap) -> Response {
    // The session ends in the store, not only in the browser.
    if let Some(id) = crate::security::session_id(&headers)
        && let Err(e) = st.store.end_session(token_hash(&id)).await
    {
        return AppError::from(e).into_response();
    }
    session_cookie("", 0, st.secure_cookies)
}

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

/// A day and a boundary view.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct DateQuery {
    /// The day (default: the latest day).
    date: Option<Day>,
    /// The boundary view.
    view: Option<String>,
}

/// Compliance with the agreement (the API's compliance document), each commitment's evidence linked to
/// the entry bundle that holds it.
pub(crate) async fn agreement(
    State(st): St,
    c: Caller,
    Ask(q): Ask<DateQuery>,
) -> Result<Response, PageError> {
    Ok({
        // The body is the same for every reader: computed and rendered once per day asked and log size,
        // off the async workers (`app::record::compliance_page`).
        let body = crate::app::record::compliance_page(&st, q.date, c.lang, agreement_body)
            .await
            .or_page(&c)?;
        page(&st, &c, &c.lang.words().get("agreement-title"), body).await
    })
}

/// The agreement page's body in `lang`: compliance as of a day, each commitment's status, its days of
/// violation, its evidence and the parties' disputes beside it.
fn agreement_body(
    report: &truce_watch::compliance::Report,
    title: &str,
    lang: truce_i18n::Lang,
) -> Markup {
    let w = lang.words();
    let first_day = report.commitments.iter().filter_map(|s| s.judged_from).min();
    html! {
        form method="get" action="/ui/agreement" {
            label for="date" { (w.get("agreement-as-of-label")) } " "
            input #date name="date" type="date" value=(report.as_of.to_string()); " "
            button type="submit" { (w.get("show")) }
        }
        p {
            (title) " — " (w.get("agreement-as-of")) " " strong { (report.as_of) } ", "
            (w.with("agreement-computed", &[("entries", report.log_size.into())])) " "
            (w.get("agreement-strips")) " "
            span.day-v { "■" } " " (w.get("agreement-day-violation")) " " span.day-ok { "■" } " "
            (w.get("agreement-day-ok")) " " span.day-pre { "■" } " " (w.get("agreement-day-pre")) " "
            (w.get("agreement-dispute-note"))
        }
        div.wide { table #compliance {
            caption { (w.get("agreement-caption")) }
            thead { tr {
                th scope="col" { (w.get("agreement-col-commitment")) } th scope="col" { (w.get("agreement-col-obligor")) }
                th scope="col" { (w.get("agreement-col-status")) } th scope="col" { (w.get("agreement-col-pam")) }
                th scope="col" { (w.get("agreement-col-days")) } th scope="col" { (w.get("agreement-col-why")) }
            } }
            tbody {
                @for s in &report.commitments {
                    tr {
                        th scope="row" { (s.commitment) }
                        td { (s.obligor) }
                        td class={ "st-" (s.label().replace(|c: char| !c.is_ascii_alphanumeric(), "_")) } { (status_words(s, lang)) }
                        td { (s.pam_score) }
                        td {
                            (s.violation_days.len())
                            @if let Some(first) = first_day { br; (day_strip(s, first, report.as_of)) }
                        }
                        td {
                            (s.reason)
                            @if !s.evidence.is_empty() {
                                br; (w.get("agreement-entries")) " "
                                @for (k, &i) in s.evidence.iter().take(20).enumerate() {
                                    @if k > 0 { ", " }
                                    a href={ "/ui/entries/" (i) } { (i) }
                                }
                                @if s.evidence.len() > 20 { " …" }
                            }
                            @if !s.disputes.is_empty() {
                                ul.disputes {
                                    @for d in &s.disputes {
                                        li {
                                            strong { (d.party) } " " (w.get("agreement-disputes")) " "
                                            a href={ "/ui/entries/" (d.of) } { (w.with("agreement-entry", &[("index", d.of.into())])) } ", " (w.get("agreement-in")) " "
                                            a href={ "/ui/entries/" (d.index) } { (w.with("agreement-entry", &[("index", d.index.into())])) }
                                            @if d.awaiting_review { " " (w.get("agreement-awaiting-review")) }
                                            ": " q { (d.text) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        }
        h2 { (w.get("agreement-not-checkable")) }
        ul {
            @for (id, reason) in &report.not_checkable { li { strong { (id) } ": " (reason) } }
        }
    }
}

/// An observation's fields in words, in `lang`: degrees with their hemisphere, the vocabulary's words
/// for sensor, class and weapon, metres, and the event's position where bearing and distance place it.
fn observation_rows(
    o: &truce_watch::entry::Observation,
    lang: truce_i18n::Lang,
) -> Vec<(String, Markup)> {
    let w = lang.words();
    let degrees = |v: f64, positive: &str, negative: &str| {
        let id = if v < 0.0 { negative } else { positive };
        w.with(id, &[("deg", format!("{:.6}", v.abs()).into())])
    };
    let place = |[lon, lat]: [f64; 2]| {
        format!(
            "{}, {}",
            degrees(lat, "entry-lat-north", "entry-lat-south"),
            degrees(lon, "entry-lon-east", "entry-lon-west")
        )
    };
    let mut rows = vec![
        (w.get("entry-when"), html! { (o.start) " – " (o.end) }),
        (w.get("entry-position"), html! { (place(o.observer())) }),
    ];
    if o.bearing_deg.is_some() && o.distance_m.is_some() {
        rows.push((w.get("entry-event"), html! { (place(o.event())) }));
    }
    let controlled = if o.controlled_by == "unknown" {
        w.get("observe-unknown")
    } else {
        o.controlled_by.clone()
    };
    rows.push((w.get("entry-controlled-by"), html! { (controlled) }));
    rows.push((w.get("entry-sensor"), html! { (vocabulary(lang, "sensor", &o.sensor)) }));
    rows.push((w.get("entry-class"), html! { (vocabulary(lang, "class", &o.class)) }));
    let count = if o.approximate {
        w.with("entry-count-about", &[("count", o.count.into())])
    } else {
        o.count.to_string()
    };
    rows.push((w.get("entry-count"), html! { (count) }));
    if let Some(b) = o.bearing_deg {
        rows.push((w.get("entry-bearing"), html! { (b) "°" }));
    }
    if let Some(d) = o.distance_m {
        rows.push((
            w.get("entry-distance"),
            html! { (w.with("entry-metres", &[("m", grouped(d).into())])) },
        ));
    }
    if let Some(weapon) = &o.weapon {
        rows.push((
            w.get("entry-weapon"),
            html! {
                (vocabulary(lang, "weapon", &weapon.class))
                @if let Some(mm) = weapon.calibre_mm { ", " (w.with("entry-calibre", &[("mm", mm.into())])) }
            },
        ));
    }
    if !o.note.is_empty() {
        rows.push((w.get("entry-note"), html! { (o.note) }));
    }
    rows
}

/// A word of the observation vocabulary (`kind` is `class`, `sensor`, `weapon` or `state`) in `lang`:
/// its message, or, for an id a mission added that Truce has no words for, the id with spaces.
pub(crate) fn vocabulary(lang: truce_i18n::Lang, kind: &str, id: &str) -> String {
    let key = format!("{kind}-{id}");
    let words = lang.words();
    if words.has(&key) { words.get(&key) } else { id.replace('_', " ") }
}

/// A commitment's status in words, in `lang`.
fn status_words(s: &truce_watch::compliance::Standing, lang: truce_i18n::Lang) -> String {
    use truce_watch::compliance::Status;
    let id = if s.label() != s.status.as_str() {
        "status-compliant-now"
    } else {
        match s.status {
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

/// What the map page is asked for: a span of days (`from`, `to`; `date` for one day) and a boundary
/// view.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct MapQuery {
    /// One day.
    date: Option<Day>,
    /// The first day shown.
    from: Option<Day>,
    /// The last day shown.
    to: Option<Day>,
    /// The boundary view.
    view: Option<String>,
}

/// The observation map: Leaflet (served by this server), the chosen boundary view, the agreement's
/// zones with a legend, the observations clustered with a popup each, filters by dates, class,
/// verification state and party, and the same observations as a list. Data come from the API:
/// `/v1/boundaries/{view}`, `/v1/zones` and `/v1/export?format=geojson`.
pub(crate) async fn map(
    State(st): St,
    c: Caller,
    Ask(q): Ask<MapQuery>,
) -> Result<Response, PageError> {
    Ok({
        if st.watch.is_none() {
            return Err(PageError::new(AppError::NotFound, &c));
        }
        let view = q.view.as_deref().unwrap_or(truce_watch::boundary::DEFAULT_VIEW);
        if let Err(e) = truce_watch::boundary::view(view) {
            return Err(PageError::new(AppError::Invalid(vec![e.to_string()]), &c));
        }
        let days: Vec<String> =
            [q.date, q.from, q.to].iter().map(|d| d.map(Day::text).unwrap_or_default()).collect();
        let (from, to) = if days[0].is_empty() {
            (days[1].clone(), days[2].clone())
        } else {
            (days[0].clone(), days[0].clone())
        };
        let basemap = st.basemap_url.clone();
        let mut sources = Sources::default();
        if let Some(b) = &basemap {
            sources.images_from(b);
        }
        let head = html! {
            link rel="stylesheet" href="/assets/leaflet-1.9.4/leaflet.css";
            link rel="stylesheet" href="/assets/leaflet.markercluster-1.5.3/MarkerCluster.css";
            link rel="stylesheet" href="/assets/leaflet.markercluster-1.5.3/MarkerCluster.Default.css";
            (sources.file("/assets/leaflet-1.9.4/leaflet.js"))
            (sources.file("/assets/leaflet.markercluster-1.5.3/leaflet.markercluster.js"))
        };
        let lw = c.lang.words();
        let body = html! {
            form #map-filters method="get" action="/ui/map" {
                fieldset {
                    legend { (lw.get("map-show")) }
                    label for="from" { (lw.get("map-from")) } " " input #from name="from" type="date" value=(from); " "
                    label for="to" { (lw.get("map-to")) } " " input #to name="to" type="date" value=(to); " "
                    label for="view" { (lw.get("map-view")) } " "
                    select #view name="view" {
                        @for (id, description, _) in truce_watch::boundary::VIEWS {
                            option value=(id) selected[id == view] title=(description) { (lw.get(&format!("view-{}", id.replace('.', "-")))) }
                        }
                    }
                    " " button type="submit" { (lw.get("map-show")) }
                }
                fieldset #f-class { legend { (lw.get("map-class")) } }
                fieldset #f-state { legend { (lw.get("map-verification")) } }
                fieldset {
                    legend { (lw.get("map-party")) }
                    label for="party" { (lw.get("map-attributed")) } " "
                    select #party { option value="" { (lw.get("map-any-party")) } }
                }
            }
            div #map role="region" aria-label=(lw.get("map-region"))
                data-view=(view) data-from=(from) data-to=(to) data-basemap=(basemap.unwrap_or_default()) {}
            p #map-status.muted aria-live="polite" { (lw.get("map-loading")) }
            details #legend open {
                summary { (lw.get("map-legend")) }
                ul #legend-items {}
                p.muted { (lw.get("map-legend-note")) }
            }
            h2 { (lw.get("map-observations")) }
            p { label for="filter" { (lw.get("map-search")) } " " input #filter type="search" placeholder=(lw.get("map-search-hint")); }
            div.wide { table #observations {
                thead { tr {
                    th scope="col" { (lw.get("map-col-entry")) } th scope="col" { (lw.get("map-col-when")) } th scope="col" { (lw.get("map-col-class")) }
                    th scope="col" { (lw.get("map-col-count")) } th scope="col" { (lw.get("map-col-sensor")) } th scope="col" { (lw.get("map-col-attributed")) }
                    th scope="col" { (lw.get("map-col-verification")) } th scope="col" { (lw.get("map-col-map")) }
                } }
                tbody {}
            } }
            noscript { p { (lw.get("map-noscript")) " " a href="/v1/export?format=geojson" { "GeoJSON" } ", " a href="/v1/export?format=csv" { "CSV" } "." } }
            p.muted {
                (lw.get("map-download")) " "
                a href="/v1/export?format=geojson" { "GeoJSON" } ", "
                a href="/v1/export?format=csv" { "CSV" } ", "
                a href={ "/v1/export?format=acled&view=" (view) } { (lw.get("map-acled")) } "; " (lw.get("map-zones")) " "
                a href="/v1/zones" { "GeoJSON" } "."
            }
            (sources.inline(&script::MAP))
        };
        let scenarios = scenarios(&st, &c).await;
        layout::page_with(
            &lw.get("map-title"),
            &Chrome { caller: &c, scenarios: &scenarios },
            head,
            body,
            sources,
        )
    })
}

/// A labelled select of (value, words) options.
fn select(id: &str, label: &str, options: &[(String, String)]) -> Markup {
    html! {
        p {
            label for=(id) { (label) } br;
            select id=(id) { @for (value, words) in options { option value=(value) { (words) } } }
        }
    }
}

/// The parties of the agreement, and the classes the mission's entry declares (those the log's rules
/// accept): what an observation form offers, here and in the observer app.
pub(crate) fn mission_vocabulary(st: &AppState) -> (Vec<String>, Vec<String>) {
    // From the agreement and the applier's summary: never the durable view's lock on an async worker.
    st.watch
        .as_ref()
        .map(|w| {
            let parties = w
                .agreement()
                .actors
                .iter()
                .filter(|a| a.role == "party")
                .map(|a| a.id.clone())
                .collect();
            let classes = match &w.summary().mission {
                Some(m) => m.classes.iter().cloned().collect(),
                None => truce_watch::entry::CLASSES.iter().map(|c| c.to_string()).collect(),
            };
            (parties, classes)
        })
        .unwrap_or_default()
}

pub(crate) async fn observe(State(st): St, c: Caller) -> Response {
    let (parties, classes) = mission_vocabulary(&st);
    let classes: Vec<&str> = classes.iter().map(String::as_str).collect();
    let mut sources = Sources::default();
    let lw = c.lang.words();
    let words = |kind: &str, ids: &[&str]| -> Vec<(String, String)> {
        ids.iter().map(|id| (id.to_string(), vocabulary(c.lang, kind, id))).collect()
    };
    let body = html! {
        p { (lw.get("observe-intro")) }
        form #observe {
            fieldset {
                legend { (lw.get("observe-when-where")) }
                p {
                    label for="start" { (lw.get("observe-start")) } br;
                    input #start type="datetime-local" required; " "
                    label for="end" { (lw.get("observe-end")) } " " input #end type="datetime-local" required;
                }
                p {
                    label for="lat" { (lw.get("observe-lat")) } br;
                    input #lat type="number" step="0.000001" min="-90" max="90" required; " "
                    label for="lon" { (lw.get("observe-lon")) } " "
                    input #lon type="number" step="0.000001" min="-180" max="180" required;
                }
                p {
                    label for="controlled_by" { (lw.get("observe-controlled-by")) } br;
                    select #controlled_by {
                        @for p in &parties { option value=(p) { (p) } }
                        option value="unknown" { (lw.get("observe-unknown")) }
                    }
                }
            }
            fieldset {
                legend { (lw.get("observe-what")) }
                (select("sensor", &lw.get("observe-sensor"), &words("sensor", &["saw", "heard", "camera", "uav", "crater_analysis"])))
                (select("class", &lw.get("observe-class"), &words("class", &classes)))
                p {
                    label for="count" { (lw.get("observe-count")) } br;
                    input #count type="number" min="0" value="1" required; " "
                    input #approximate type="checkbox"; " " label for="approximate" { (lw.get("observe-approximately")) }
                }
                p {
                    label for="bearing" { (lw.get("observe-bearing")) } br;
                    input #bearing type="number" min="0" max="359"; " "
                    label for="distance" { (lw.get("observe-distance")) } " " input #distance type="number" min="0";
                }
                p {
                    label for="weapon" { (lw.get("observe-weapon")) } br;
                    select #weapon {
                        option value="" { (lw.get("observe-no-weapon")) }
                        @for w in ["artillery", "mortar", "mlrs", "heavy_mlrs", "tochka", "tank", "small_arms"] { option value=(w) { (vocabulary(c.lang, "weapon", w)) } }
                    }
                    " " label for="calibre" { (lw.get("observe-calibre")) } " " input #calibre type="number" min="0";
                }
                p { label for="note" { (lw.get("observe-note")) } br; input #note size="60"; }
            }
            fieldset {
                legend { (lw.get("observe-signature")) }
                p {
                    label for="keyfile" { (lw.get("observe-keyfile")) } br;
                    textarea #keyfile rows="3" cols="70" required {}
                }
            }
            p { button type="submit" { (lw.get("observe-submit")) } }
        }
        p #result role="status" aria-live="polite" {}
        (sources.inline(&script::SIGNING))
        (sources.inline(&script::OBSERVE))
    };
    page_running(&st, &c, &lw.get("observe-title"), body, sources).await
}

pub(crate) async fn queue(State(st): St, c: Caller) -> Result<Response, PageError> {
    Ok({
        let q = crate::app::record::review_queue(&st, 200).await.or_page(&c)?;
        let mut sources = Sources::default();
        let lw = c.lang.words();
        let body = html! {
            p { (lw.with("queue-intro", &[("count", q.len().into())])) }
            p { label for="keyfile" { (lw.get("queue-keyfile")) } br; textarea #keyfile rows="3" cols="70" {} }
            p #result role="status" aria-live="polite" {}
            div.wide { table #queue {
                thead { tr {
                    th scope="col" { (lw.get("queue-col-entry")) } th scope="col" { (lw.get("queue-col-day")) } th scope="col" { (lw.get("queue-col-class")) }
                    th scope="col" { (lw.get("queue-col-state")) } th scope="col" { (lw.get("queue-col-author")) } th scope="col" { (lw.get("queue-col-verify")) }
                } }
                tbody {
                    @for (e, disputed_by) in &q {
                        tr {
                            td { a href={ "/ui/entries/" (e.index) } { (e.index) } }
                            td { (e.day.as_deref().unwrap_or("")) }
                            td { (e.class.as_deref().map(|k| vocabulary(c.lang, "class", k)).unwrap_or_default()) }
                            td {
                                (e.state.as_deref().map(|k| vocabulary(c.lang, "state", k)).unwrap_or_default())
                                @if !disputed_by.is_empty() { br; strong.disputed { (lw.with("queue-disputed-by", &[("parties", disputed_by.join(", ").into())])) } }
                            }
                            td { code { (e.author.get(..12).unwrap_or("")) "…" } }
                            td {
                                @if e.state.as_deref() == Some("under_review") {
                                    button data-of=(e.index) data-to="corroborated" { (lw.with("queue-corroborate", &[("index", e.index.into())])) } " "
                                    button data-of=(e.index) data-to="unverifiable" { (lw.with("queue-unverifiable", &[("index", e.index.into())])) } " "
                                    button data-of=(e.index) data-to="rejected" { (lw.with("queue-reject", &[("index", e.index.into())])) }
                                } @else {
                                    button data-of=(e.index) data-to="under_review" { (lw.with("queue-take-up", &[("index", e.index.into())])) }
                                }
                            }
                        }
                    }
                }
            } }
            (sources.inline(&script::SIGNING))
            (sources.inline(&script::QUEUE))
        };
        page_running(&st, &c, &lw.get("queue-title"), body, sources).await
    })
}

pub(crate) async fn report(
    State(st): St,
    c: Caller,
    Ask(q): Ask<DateQuery>,
) -> Result<Response, PageError> {
    Ok({
        let lang = c.lang;
        let kind = format!("page {lang}");
        let drawn = crate::app::record::daily_now(
            &st,
            &kind,
            q.date,
            q.view.as_deref(),
            move |d, v, a| {
                let lw = lang.words();
                // The report's own template (the API's `format=html` is the same in a document of its
                // own), inside this page, under the page's title.
                let body = html! {
                    form method="get" action="/ui/reports/daily" {
                        label for="date" { (lw.get("report-day")) } " " input #date name="date" type="date" value=(d.date); " "
                        button type="submit" { (lw.get("show")) }
                    }
                    p #downloads {
                        (lw.get("report-download")) " "
                        a href={ "/v1/reports/daily?date=" (d.date) "&format=md" } download={ "daily-" (d.date) ".md" } { "Markdown" } ", "
                        a href={ "/v1/reports/daily?date=" (d.date) "&format=html" } download={ "daily-" (d.date) ".html" } { "HTML" } "; " (lw.get("report-compliance-as")) " "
                        a href={ "/v1/compliance?as_of=" (d.date) } download={ "compliance-" (d.date) ".json" } { "JSON" } "; " (lw.get("report-observations-as")) " "
                        a href="/v1/export?format=geojson" download="observations.geojson" { "GeoJSON" } ", "
                        a href="/v1/export?format=csv" download="observations.csv" { "CSV" } ", "
                        a href="/v1/export?format=acled" download="observations-acled.csv" { (lw.get("map-acled")) } "."
                    }
                    (d.body(a, v, 2))
                };
                Arc::new((d.date, body))
            },
        );
        match drawn.await {
            Ok(d) => {
                let title =
                    c.lang.words().with("report-title", &[("date", d.0.to_string().into())]);
                page(&st, &c, &title, d.1.clone()).await
            }
            Err(e) => error_page(e, Some(&c)),
        }
    })
}

/// The URL this server is reached at: the configured public URL, or `http://` and the request's host.
fn base_url(st: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &st.public_url {
        return u.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)))
        .unwrap_or("localhost");
    format!("http://{host}")
}

pub(crate) async fn log(
    State(st): St,
    c: Caller,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    Ok({
        let base = base_url(&st, &headers);
        let Some(w) = &st.watch else { return Err(PageError::new(AppError::NotFound, &c)) };
        let note = crate::witness::served(w, &st.witnesses);
        let newest = w.size();
        let checkpoint = truce_tlog::checkpoint::Checkpoint::parse(&note.text).ok();
        let cosignatures = note.signatures.len().saturating_sub(1);
        let mut hosted: Vec<&String> = st.witnesses.hosted.keys().collect();
        hosted.sort();
        let lw = c.lang.words();
        let size = checkpoint.as_ref().map_or(0, |c| c.size);
        let body = html! {
            p {
                (lw.get("log-origin")) " " code { (checkpoint.as_ref().map_or("?", |c| c.origin.as_str())) } ", "
                strong { (size) } " " (lw.with("log-served", &[("size", size.into()), ("newest", newest.into())])) " "
                code { (checkpoint.as_ref().map(|c| c.root.iter().map(|b| format!("{b:02x}")).collect::<String>()).unwrap_or_default()) }
                "."
            }
            p {
                (lw.with("log-cosignatures", &[("count", cosignatures.into())])) " " (lw.get("log-audit")) " "
                code { "truce log audit " (base) "/log --vkey log.vkey" } ", " (lw.get("log-audit-witness")) " "
                (lw.get("log-vkey")) " "
                a href="/log/vkey" { code { (base) "/log/vkey" } } ": " (lw.get("log-vkey-confirm")) " " (lw.get("log-entry-pages")) " "
                code { (base) "/ui/entries/N" } ", " (lw.get("log-entry-pages-proof")) " "
                code { "truce log prove " (base) "/log N --vkey log.vkey" } " " (lw.get("log-prove"))
            }
            h2 { (lw.get("log-witnesses")) }
            @if st.witnesses.peers.is_empty() {
                p { (lw.get("log-no-witness")) }
            } @else {
                div.wide { table #witnesses {
                    thead { tr {
                        th scope="col" { (lw.get("log-col-witness")) } th scope="col" { (lw.get("log-col-key")) } th scope="col" { (lw.get("log-col-size")) }
                        th scope="col" { (lw.get("log-col-when")) } th scope="col" { (lw.get("log-col-this")) } th scope="col" { (lw.get("log-col-error")) }
                    } }
                    tbody {
                        @for p in &st.witnesses.peers {
                            @let status = p.status.lock().map(|s| s.clone()).unwrap_or_default();
                            @let current = status.cosigned.as_ref().is_some_and(|(t, _)| *t == note.text);
                            @let when = status.at.and_then(|t| jiff::Timestamp::try_from(t).ok()).map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_else(|| lw.get("log-never"));
                            tr {
                                th scope="row" { (p.verifier.name) }
                                td { code { (p.verifier.vkey()) } }
                                td { (status.size) }
                                td { (when) }
                                td { @if current { (lw.get("log-cosigned")) } @else { (lw.get("log-not-yet")) } }
                                td { (status.error.as_deref().unwrap_or("—")) }
                            }
                        }
                    }
                } }
            }
            @if !hosted.is_empty() {
                p {
                    (lw.get("log-hosted")) " "
                    @for (k, n) in hosted.iter().enumerate() {
                        @if k > 0 { ", " }
                        code { (n) } " " (lw.get("log-at")) " " code { "/witness/" (n) "/add-checkpoint" }
                    }
                    "."
                }
            }
            h2 { (lw.get("log-checkpoint")) }
            pre { (note.to_text()) }
        };
        page(&st, &c, &lw.get("log-title"), body).await
    })
}

/// One entry of the log: decoded, its signature checked, its author named, its history on the log,
/// and its inclusion proof against the checkpoint served, verified in the browser with WebCrypto.
pub(crate) async fn entry(
    State(st): St,
    c: Caller,
    headers: HeaderMap,
    Path(index): Path<String>,
) -> Result<Response, PageError> {
    Ok({
        let Ok(index) = index.parse::<u64>() else {
            return Err(PageError::new(
                AppError::Missing(format!(
                    "{index:?} is not an entry number; entries are numbered 0, 1, 2, … in log order"
                )),
                &c,
            ));
        };
        let Some(w) = st.watch.clone() else { return Err(PageError::new(AppError::NotFound, &c)) };
        let proved = crate::app::record::proved(&st, index).await.or_page(&c)?;
        let base = base_url(&st, &headers);
        let decoded = truce_watch::entry::decode(&proved.entry);
        // What the durable view says of it, read off the async workers (a long read of the record may hold
        // the view's lock).
        let (view, author_key) = (w.clone(), decoded.as_ref().ok().map(|e| e.author.clone()));
        let facts = st
            .record(move || -> Result<_, AppError> {
                let state = view.read()?;
                let r = state.registry();
                let author = author_key.map(|key| {
                    let key = &key;
                    match (r.keys.get(key), &r.mission) {
                        (Some(k), _) => format!(
                            "{} ({}{}{})",
                            k.name,
                            word(&k.role),
                            k.party.as_deref().map(|p| format!(", {p}")).unwrap_or_default(),
                            if k.revoked { ", since revoked" } else { "" }
                        ),
                        (None, Some(m)) if m.key == *key => format!("the mission {}", m.name),
                        _ => "a key the log never enrolled".to_string(),
                    }
                });
                let refused =
                    r.refused.iter().find(|(i, _)| *i == index).map(|(_, why)| why.clone());
                let mut parties: Vec<String> = r
                    .keys
                    .values()
                    .filter(|k| k.role == truce_watch::entry::Role::PartyDelegate && !k.revoked)
                    .filter_map(|k| k.party.clone())
                    .collect();
                parties.sort();
                parties.dedup();
                Ok((author, r.observations.get(&index).cloned(), refused, parties))
            })
            .await;
        let facts = match facts {
            Ok(Ok(f)) => f,
            Ok(Err(e)) | Err(e) => return Err(PageError::new(e, &c)),
        };
        let (author, observation, refused, delegate_parties) = facts;
        let own_party = c.user.as_ref().and_then(|u| u.party.clone());
        // The proof endpoint's document, with the key to check its checkpoint against.
        let mut data = serde_json::to_value(proved.doc()).unwrap_or_default();
        data["vkey"] = w.vkey().into();
        let fields: Vec<(String, String)> = match &decoded {
            Ok(e) => match serde_json::to_value(&e.body) {
                Ok(serde_json::Value::Object(m)) => m
                    .into_iter()
                    .map(|(k, v)| {
                        let shown = match v {
                            serde_json::Value::String(s) => s,
                            other => other.to_string(),
                        };
                        (k, shown)
                    })
                    .collect(),
                _ => Vec::new(),
            },
            Err(_) => Vec::new(),
        };
        let link = |i: u64| html! { a href={ "/ui/entries/" (i) } { "entry " (i) } };
        let mut sources = Sources::default();
        let lw = c.lang.words();
        let body = html! {
            p {
                "Entry " strong { (index) } " of the log, in the checkpoint of size " (proved.size) " that this server serves. "
                "Everything below is computed from the entry's bytes, which the proof ties to that checkpoint."
            }
            h2 { (lw.get("entry-what-it-says")) }
            @match &decoded {
                Ok(e) => {
                    div.wide { table #fields {
                        tbody {
                            tr { th scope="row" { (lw.get("entry-author")) } td { code { (e.author) } br; (author.clone().unwrap_or_default()) } }
                            tr { th scope="row" { (lw.get("entry-seq")) } td { (e.seq) } }
                            @if let truce_watch::entry::Body::Observation(o) = &e.body {
                                @for (k, v) in observation_rows(o, c.lang) { tr { th scope="row" { (k) } td { (v) } } }
                            } @else {
                                @for (k, v) in &fields { tr { th scope="row" { (k) } td { (v) } } }
                            }
                        }
                    } }
                    @if let truce_watch::entry::Body::Observation(o) = &e.body && !o.media.is_empty() {
                        h3 { "Files" }
                        p { "The observation names these files by their SHA-256. Verifiers, mediators and the observer download them now; everyone, once a mediator releases them. Check a file yourself: its SHA-256 (" code { "sha256sum FILE" } ") must be the hash below." }
                        ul #media {
                            @for m in o.media.iter().filter_map(|m| truce_watch::media::media_ref(m)) {
                                li {
                                    a href={ "/v1/media/" (m.sha256.to_ascii_lowercase()) } { code { (m.sha256) } }
                                    @if let Some(b) = m.bytes { " (" (b) " bytes)" }
                                }
                            }
                        }
                    }
                    p #signature data-state="verified" {
                        strong { "Signature: verified." }
                        " The Ed25519 signature is by the author's key over the entry's canonical bytes."
                    }
                }
                Err(why) => {
                    p #signature role="alert" data-state="failed" {
                        strong { "This entry does not decode or its signature does not verify: " } (why.to_string())
                        ". The log keeps it, as it keeps everything; compliance ignores it."
                    }
                }
            }
            @if let Some(why) = &refused {
                p.warning { strong { "Without effect: " } (why) "." }
            }
            @if let Some(o) = &observation {
                h2 { "Verification history" }
                p { "State now: " strong class={ "st-" (o.state.as_str()) } { (o.state.as_str().replace('_', " ")) } "." }
                @if o.transitions.is_empty() { p { "No verifier has acted on it yet." } }
                @else { ul { @for t in &o.transitions { li { (link(*t)) } } } }
                @if let Some(by) = o.superseded_by { p.warning { "Superseded by the correction in " (link(by)) "." } }
                @if !o.attributions.is_empty() {
                    h3 { "Attributions" }
                    ul { @for (i, party, confidence) in &o.attributions { li { (party) " (" (word(confidence)) "), " (link(*i)) } } }
                }
                @if !o.annotations.is_empty() {
                    h3 { "The parties' annotations" }
                    @if o.unanswered_disputes().next().is_some() && o.state != truce_watch::entry::VerificationState::Received && o.state != truce_watch::entry::VerificationState::UnderReview {
                        p.warning #review {
                            "Disputed since the verifier's decision: it is back in the verifiers' queue for review. A party's dispute does not change the verdict ("
                            (o.state.as_str().replace('_', " ")) "); only a verifier's transition can."
                        }
                    }
                    ul #annotations {
                        @for a in &o.annotations {
                            li class={ "stance-" (word(&a.stance)) } {
                                strong { (a.party) } ": " (word(&a.stance)) ", " (link(a.index)) ": "
                                q { (a.text) }
                            }
                        }
                    }
                }
            }
            @if let (Some(_), truce_store::Role::PartyDelegate) = (&observation, c.role()) {
                h2 { "Your party's word on it" }
                p { "Concur, dispute or clarify, signed in your browser with your delegate key file (it never leaves the page) and appended to the log, where every party and auditor sees it." }
                form #annotate data-of=(index) {
                    label for="party" { "For" } " "
                    select #party { @for p in &delegate_parties { option value=(p) selected[Some(p) == own_party.as_ref()] { (p) } } }
                    p { label for="note" { "What your party says" } textarea #note rows="2" {} }
                    p { label for="keyfile" { "Your key file (paste its three lines)" } br; textarea #keyfile rows="3" {} }
                    button type="button" data-stance="concur" { "Concur" } " "
                    button type="button" data-stance="dispute" { "Dispute" } " "
                    button type="button" data-stance="clarify" { "Clarify" }
                }
                p #annotated role="status" aria-live="polite" {}
                (sources.inline(&script::SIGNING))
                (sources.inline(&script::ANNOTATE))
            }
            h2 { "Proof that it is in the log" }
            p #proof-result aria-live="polite" data-state="pending" { "Checking the proof in your browser…" }
            button #verify-again type="button" { "Check again" }
            details {
                summary { "The proof (c2sp.org/tlog-proof@v1)" }
                pre #tlog-proof { (proved.file.to_text()) }
            }
            p.muted {
                "Your browser hashed the entry, followed the " (proved.file.proof.len()) " hashes of the proof to a root, and compared it with the root the checkpoint signs; it also checked the log's signature on the checkpoint where the browser supports Ed25519. Check it yourself: "
                code { "truce log prove " (base) "/log " (index) " --vkey log.vkey --entry entry.bin -o proof.txt" }
                " then " code { "truce log verify-proof proof.txt --entry entry.bin --vkey log.vkey" }
                ", with the key from " a href="/log/vkey" { "/log/vkey" } " confirmed out of band. "
                a href={ "/v1/entries/" (index) "/proof" } { "The proof as JSON" } "."
            }
            (script::data_island("proof-data", &data))
            (sources.inline(&script::PROOF_CORE))
            (sources.inline(&script::PROOF))
        };
        page_running(&st, &c, &lw.with("entry-title", &[("index", index.into())]), body, sources)
            .await
    })
}

/// A commitment's days from `first` to `last` as a strip, one cell a day: verified violation, none,
/// or not yet judged. Its title says the same in words.
fn day_strip(
    s: &truce_watch::compliance::Standing,
    first: truce_scenario::Date,
    last: truce_scenario::Date,
) -> Markup {
    let days: Vec<truce_scenario::Date> =
        first.series(jiff::Span::new().days(1)).take_while(|d| *d <= last).take(400).collect();
    let violated: std::collections::BTreeSet<_> = s.violation_days.iter().collect();
    let words = format!(
        "{}: {} day(s) of verified violation between {first} and {last}{}",
        s.commitment,
        s.violation_days.len(),
        s.violation_days.last().map(|d| format!(", the last on {d}")).unwrap_or_default()
    );
    let width = days.len() * 4;
    html! {
        svg.strip width=(width) height="12" viewBox={ "0 0 " (width) " 12" } role="img" aria-label=(words) {
            title { (words) }
            @for (k, d) in days.iter().enumerate() {
                @let class = if violated.contains(d) { "day-v" } else if s.judged_from.is_some_and(|j| *d >= j) { "day-ok" } else { "day-pre" };
                rect class=(class) x=(k * 4) y="0" width="3" height="12" {}
            }
        }
    }
}

/// A vocabulary value as the log writes it (`observer`, `likely`, …).
fn word<T: serde::Serialize>(t: &T) -> String {
    serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 23: an entry's page showed `lat_e6 48070000` and `weapon {"class":…}`; its fields are now
    /// words in the reader's language.
    #[test]
    fn an_observation_reads_in_words_in_each_language() {
        let o = truce_watch::entry::Observation {
            start: "2015-02-20T06:00:00Z".into(),
            end: "2015-02-20T06:05:00Z".into(),
            lat_e6: 48_070_000,
            lon_e6: -37_751_234,
            controlled_by: "unknown".into(),
            sensor: "heard".into(),
            class: "explosion".into(),
            count: 12,
            approximate: true,
            bearing_deg: Some(90),
            distance_m: Some(2_500),
            weapon: Some(truce_watch::entry::Weapon {
                class: "mlrs".into(),
                calibre_mm: Some(122),
            }),
            media: Vec::new(),
            note: String::new(),
        };
        let text = |lang| {
            observation_rows(&o, lang)
                .into_iter()
                .map(|(k, v)| format!("{k}: {}", v.into_string()))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let en = text(truce_i18n::Lang::En);
        for want in [
            "48.070000° N, 37.751234° W",
            "explosion",
            "about 12",
            "2,500 m",
            "(MLRS), calibre 122 mm",
            "heard",
        ] {
            assert!(en.contains(want), "{want}: {en}");
        }
        assert!(!en.contains("lat_e6") && !en.contains("{"), "{en}");
        let uk = text(truce_i18n::Lang::Uk);
        for want in
            ["48.070000° пн. ш., 37.751234° зх. д.", "вибух", "близько 12", "(РСЗВ)", "невідомо"]
        {
            assert!(uk.contains(want), "{want}: {uk}");
        }
        let ru = text(truce_i18n::Lang::Ru);
        for want in ["с. ш.", "взрыв", "около 12", "(РСЗО)", "услышано"] {
            assert!(ru.contains(want), "{want}: {ru}");
        }
    }
}
