//! The Table and the Accord over HTTP: timeline, robustness, frontier, and drafting and checking an
//! agreement. Each maps query parameters to a core function and its result to the report the CLI prints
//! (`truce_report`), so that both say the same thing.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use truce_scenario::{Date, PartyIx, Scenario};
use truce_store::Store;

use crate::St;
use truce_store::Role;

use crate::{AppError, AppState, Caller};

/// Why a scenario's text is not saved: its diagnostics (errors, with line and field), or a limit.
pub(crate) enum Unsaved {
    /// The parser's diagnostics.
    Diagnostics(Vec<truce_scenario::Diagnostic>),
    /// A limit of this server (analysis cost, cross-issue groups), in words.
    Limit(String),
}

impl From<Unsaved> for AppError {
    fn from(u: Unsaved) -> AppError {
        match u {
            Unsaved::Diagnostics(d) => AppError::Invalid(d.iter().map(|d| d.to_string()).collect()),
            Unsaved::Limit(m) => AppError::Invalid(vec![m]),
        }
    }
}

/// Checks a scenario's text as `PUT /v1/scenarios/{slug}` and the pages' forms save it: it parses
/// without error, its analysis fits this server's budget, and its cross-issue groups can be
/// enumerated. Returns the warnings.
pub(crate) fn check_scenario(
    slug: &str,
    text: &str,
    budget: f64,
) -> Result<Vec<truce_scenario::Diagnostic>, Unsaved> {
    if slug.is_empty()
        || slug.len() > 64
        || !slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(Unsaved::Limit(format!(
            "slug {slug:?}: expected 1 to 64 letters, digits, - and _"
        )));
    }
    let (scenario, diags) = truce_scenario::parse(&format!("{slug}.toml"), text);
    let Some(scenario) = scenario else { return Err(Unsaved::Diagnostics(diags)) };
    // An analysis that would not finish is refused now, not discovered later.
    let cost = truce_table::cost_estimate(&scenario);
    if cost > budget {
        return Err(Unsaved::Limit(format!(
            "{slug}.toml: analysing it is estimated at {cost:.2e} utility values ({} parties, {} issues), over this server's budget of {budget:.2e}; split the table, or give fewer parties or options",
            scenario.parties.len(),
            scenario.issues.len(),
        )));
    }
    if let Err(e) = truce_table::check_groups(&scenario) {
        return Err(Unsaved::Limit(format!(
            "{slug}.toml: cross-issue constraints tie {} issues into {} combinations; at most {} are supported",
            e.issues.len(),
            e.combinations,
            truce_table::MAX_GROUP_COMBINATIONS
        )));
    }
    Ok(diags)
}

/// Whether an analysis may use the parties' confidential preference submissions: only a mediator's,
/// and only when asked (`?confidential=true`).
pub(crate) fn confidential(caller: &Caller, asked: Option<bool>) -> Result<bool, AppError> {
    match asked {
        Some(true) if caller.role() == Role::Mediator => Ok(true),
        Some(true) => Err(AppError::Forbidden(
            "only mediators analyse with the parties' confidential submissions".into(),
        )),
        _ => Ok(false),
    }
}

/// The latest version of scenario `slug`, parsed and checked for analysis; with `confidential`, each
/// party's latest preference submission is added to it (as `POST …/preferences` validated it).
pub(crate) async fn load<S: Store>(
    st: &AppState<S>,
    slug: &str,
    confidential: bool,
) -> Result<Scenario, AppError> {
    Ok(load_with_submissions(st, slug, confidential).await?.0)
}

/// [`load`], with which submissions were used and which no longer apply (for a confidential analysis;
/// `None` otherwise).
pub(crate) async fn load_with_submissions<S: Store>(
    st: &AppState<S>,
    slug: &str,
    confidential: bool,
) -> Result<(Scenario, Option<truce_report::report::SubmissionsReport>), AppError> {
    let mut scenario = Scenario::clone(&st.scenario(slug, None).await?.1);
    let mut used = None;
    if confidential {
        let submissions = st.store.submissions(slug, None).await?;
        let (merged, report) = tokio::task::spawn_blocking(move || {
            let report = merge_submissions(&mut scenario, &submissions);
            (scenario, report)
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
        scenario = merged;
        used = Some(report);
    }
    truce_table::check_groups(&scenario).map_err(|e| {
        let issues: Vec<&str> = e.issues.iter().map(|i| scenario.issue(*i).id.as_str()).collect();
        AppError::Invalid(vec![format!(
            "cross-issue constraints tie the issues {} into {} combinations; at most {} are supported",
            issues.join(", "),
            e.combinations,
            truce_table::MAX_GROUP_COMBINATIONS
        )])
    })?;
    Ok((scenario, used))
}

/// Merges each party's latest submission into `scenario`: parsed alone as that party's preferences,
/// it replaces the scenario's own for that party. Parsed values are merged; no text is ever joined,
/// so no submission can touch another party's numbers. A submission the current version no longer
/// accepts (an option renamed or removed since) is not applied, and the report says so and why.
pub(crate) fn merge_submissions(
    scenario: &mut Scenario,
    submissions: &[truce_store::Submission],
) -> truce_report::report::SubmissionsReport {
    let mut latest: std::collections::BTreeMap<&str, &truce_store::Submission> =
        std::collections::BTreeMap::new();
    for s in submissions {
        if latest.get(s.party.as_str()).is_none_or(|l| l.id < s.id) {
            latest.insert(&s.party, s);
        }
    }
    let mut report =
        truce_report::report::SubmissionsReport { applied: vec![], not_applied: vec![] };
    for (party, s) in latest {
        match submission_status(scenario, s) {
            Ok(prefs) => {
                scenario.preferences.retain(|p| p.party != prefs.party);
                scenario.preferences.push(prefs);
                report.applied.push(party.to_string());
            }
            Err(reasons) => report.not_applied.push(truce_report::report::StaleSubmission {
                party: party.to_string(),
                submission: s.id,
                reasons,
            }),
        }
    }
    scenario.preferences.sort_by_key(|p| p.party);
    report
}

/// Submission `s` parsed against `scenario`, or why it does not apply to it.
pub(crate) fn submission_status(
    scenario: &Scenario,
    s: &truce_store::Submission,
) -> Result<truce_scenario::Preferences, Vec<String>> {
    if scenario.party_by_id(&s.party).is_none() {
        return Err(vec![format!("party {} is no longer at this table", s.party)]);
    }
    let (prefs, diags) =
        truce_scenario::parse_submission("submission.toml", &s.text, scenario, &s.party);
    prefs.ok_or_else(|| {
        diags
            .iter()
            .filter(|d| d.severity == truce_scenario::Severity::Error)
            .map(|d| d.to_string())
            .collect()
    })
}

/// What an analysis is asked for, from a query string's pairs: `as_of=YYYY-MM-DD` (empty for every
/// position), `parties=A,B`, `relax=KEY` (repeated, or comma-separated: the "what if"),
/// `confidential=true`; the page also reads `plot=A,B` and `reading=` for its frontier.
#[derive(Debug, Default, Clone)]
pub(crate) struct AnalysisAsk {
    pub(crate) confidential: Option<bool>,
    pub(crate) as_of: Option<Date>,
    pub(crate) parties: Option<String>,
    pub(crate) relax: Vec<String>,
    pub(crate) plot: Option<String>,
    pub(crate) reading: Option<String>,
    /// `json` (the default), `md` or `text`: the CLI's three renderings of the one document.
    pub(crate) format: Option<String>,
}

impl AnalysisAsk {
    /// Reads the pairs; an unreadable value is a 422 naming the parameter and what was expected.
    pub(crate) fn from_pairs(pairs: &[(String, String)]) -> Result<AnalysisAsk, AppError> {
        let mut ask = AnalysisAsk::default();
        for (k, v) in pairs {
            let v = v.trim();
            match k.as_str() {
                "confidential" => {
                    ask.confidential = Some(match v {
                        "true" => true,
                        "false" | "" => false,
                        _ => {
                            return Err(AppError::Invalid(vec![format!(
                                "confidential={v:?}: expected true or false"
                            )]));
                        }
                    })
                }
                "as_of" if v.is_empty() => ask.as_of = None,
                "as_of" => {
                    ask.as_of = Some(v.parse::<Date>().map_err(|e| {
                        AppError::Invalid(vec![format!("as_of={v:?}: expected YYYY-MM-DD: {e}")])
                    })?)
                }
                "parties" if !v.is_empty() => ask.parties = Some(v.to_string()),
                "relax" => ask.relax.extend(
                    v.split(',').map(str::trim).filter(|k| !k.is_empty()).map(str::to_string),
                ),
                "plot" if !v.is_empty() => ask.plot = Some(v.to_string()),
                // The frontier form's ticked parties, one `party=` each.
                "party" if !v.is_empty() => {
                    ask.plot = Some(match ask.plot.take() {
                        Some(p) => format!("{p},{v}"),
                        None => v.to_string(),
                    })
                }
                "reading" if !v.is_empty() => ask.reading = Some(v.to_string()),
                "format" => match v {
                    "" | "json" => ask.format = None,
                    "md" | "text" => ask.format = Some(v.to_string()),
                    _ => {
                        return Err(AppError::Invalid(vec![format!(
                            "format={v:?}: expected json, md or text"
                        )]));
                    }
                },
                _ => {}
            }
        }
        ask.relax.sort();
        ask.relax.dedup();
        Ok(ask)
    }

    /// The core's options for `scenario`: the parties must be at the table and every relaxed key must
    /// name a constraint the scenario can hold.
    pub(crate) fn options(
        &self,
        scenario: &Scenario,
    ) -> Result<truce_table::AnalysisOptions, AppError> {
        let parties = match self.parties.as_deref() {
            Some(ids) => truce_report::select_parties(scenario, ids.split(',').map(str::trim))
                .map_err(|e| AppError::Invalid(vec![format!("parties: {e}")]))?,
            None => scenario.party_ixs().collect(),
        };
        let bad: Vec<String> = self
            .relax
            .iter()
            .filter_map(|k| truce_table::check_relax_key(scenario, k).err())
            .map(|e| format!("relax: {e}"))
            .collect();
        if !bad.is_empty() {
            return Err(AppError::Invalid(bad));
        }
        Ok(truce_table::AnalysisOptions {
            as_of: self.as_of,
            parties: Some(parties),
            relaxed: self.relax.clone(),
        })
    }
}

/// Party ids (comma-separated) to parties; every party when `ids` is `None`.
pub(crate) fn parties(scenario: &Scenario, ids: Option<&str>) -> Result<Vec<PartyIx>, AppError> {
    let Some(ids) = ids.filter(|s| !s.trim().is_empty()) else {
        return Ok(scenario.party_ixs().collect());
    };
    truce_report::select_parties(scenario, ids.split(','))
        .map_err(|e| AppError::Invalid(vec![format!("parties: {e}")]))
}

fn date(name: &str, value: &str) -> Result<Date, AppError> {
    value
        .parse()
        .map_err(|_| AppError::Invalid(vec![format!("{name} {value:?}: expected YYYY-MM-DD")]))
}

fn svg(text: String) -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], text).into_response()
}

fn json<T: serde::Serialize>(report: &T) -> Result<Response, AppError> {
    serde_json::to_value(report)
        .map(|v| Json(v).into_response())
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// `?format=`: `json` (the default) or `svg`.
fn wants_svg(format: Option<&str>) -> Result<bool, AppError> {
    match format {
        None | Some("json") => Ok(false),
        Some("svg") => Ok(true),
        Some(other) => {
            Err(AppError::Invalid(vec![format!("format {other:?}: expected json or svg")]))
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct TimelineQuery {
    pub(crate) confidential: Option<bool>,
    from: Option<String>,
    to: Option<String>,
    step: Option<String>,
    parties: Option<String>,
    format: Option<String>,
}

/// The timeline report of `scenario`; dates default to the months from its first position to its last.
pub(crate) fn timeline_report(
    scenario: &Scenario,
    q: &TimelineQuery,
) -> Result<truce_report::report::TimelineReport, AppError> {
    let parties = parties(scenario, q.parties.as_deref())?;
    let first = scenario.positions.iter().map(|p| p.date).min();
    let last = scenario.positions.iter().map(|p| p.date).max();
    let from = match &q.from {
        Some(d) => date("from", d)?,
        None => first
            .map(|d| d.first_of_month())
            .ok_or_else(|| AppError::Invalid(vec!["the scenario has no positions".into()]))?,
    };
    let to = match &q.to {
        Some(d) => date("to", d)?,
        None => last
            .and_then(|d| d.first_of_month().checked_add(jiff::Span::new().months(1)).ok())
            .unwrap_or(from),
    };
    if from > to {
        return Err(AppError::Invalid(vec![format!("from {from} is after to {to}")]));
    }
    let months = match q.step.as_deref() {
        None | Some("month") => 1,
        Some("quarter") => 3,
        Some(other) => {
            return Err(AppError::Invalid(vec![format!(
                "step {other:?}: expected month or quarter"
            )]));
        }
    };
    let dates = truce_table::month_steps(from, to, months);
    if dates.len() > 600 {
        return Err(AppError::Invalid(vec![format!(
            "{} dates from {from} to {to}: at most 600; use step=quarter or a shorter span",
            dates.len()
        )]));
    }
    let points = truce_table::timeline(scenario, &parties, &dates);
    Ok(truce_report::report::timeline_report(scenario, &parties, &points))
}

pub(crate) async fn timeline<S: Store>(
    State(st): St<S>,
    caller: Caller,
    Path(slug): Path<String>,
    Query(q): Query<TimelineQuery>,
) -> Result<Response, AppError> {
    let confidential = confidential(&caller, q.confidential)?;
    let as_svg = wants_svg(q.format.as_deref())?;
    let scenario = load(&st, &slug, confidential).await?;
    let report = st.heavy(&caller, move || timeline_report(&scenario, &q)).await??;
    if as_svg { Ok(svg(truce_report::svg::timeline_svg(&report))) } else { json(&report) }
}

#[derive(Deserialize)]
pub(crate) struct RobustQuery {
    confidential: Option<bool>,
    draws: Option<u64>,
    seed: Option<u64>,
    unknown_red_line: Option<f64>,
    parties: Option<String>,
}

/// The most draws one request may ask for.
pub const MAX_DRAWS: u64 = 2_000;

/// A robustness run's inputs, checked: the scenario, the parties, the options.
async fn robust_job<S: Store>(
    st: &AppState<S>,
    caller: &Caller,
    slug: &str,
    q: &RobustQuery,
) -> Result<(Scenario, Vec<PartyIx>, truce_table::RobustOptions), AppError> {
    let confidential = confidential(caller, q.confidential)?;
    let draws = q.draws.unwrap_or(200);
    if draws == 0 || draws > MAX_DRAWS {
        return Err(AppError::Invalid(vec![format!("draws {draws}: expected 1 to {MAX_DRAWS}")]));
    }
    let unknown_red_line = q.unknown_red_line.unwrap_or(0.5);
    if !(0.0..=1.0).contains(&unknown_red_line) {
        return Err(AppError::Invalid(vec![format!(
            "unknown_red_line {unknown_red_line}: expected a probability between 0 and 1"
        )]));
    }
    let scenario = load(st, slug, confidential).await?;
    let parties = parties(&scenario, q.parties.as_deref())?;
    let options = truce_table::RobustOptions { draws, seed: q.seed.unwrap_or(1), unknown_red_line };
    Ok((scenario, parties, options))
}

/// One robustness run and its report (the ten most frequent packages), `progress` told of each draw.
fn robustness_run(
    scenario: &Scenario,
    parties: &[PartyIx],
    options: truce_table::RobustOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> truce_report::report::RobustnessReport {
    let r = truce_table::robustness(scenario, parties, options, 10, progress);
    truce_report::report::robustness_report(scenario, &r)
}

/// The same robustness run as `GET …/robust`, as server-sent events: `progress` (`{done, draws}`)
/// about four times a second while it runs, then one `result` (the report) or `error`. The run is
/// heavy work like any other (bounded, stopped at the deadline) and stops when the client goes away.
pub(crate) async fn robust_stream<S: Store>(
    State(st): St<S>,
    caller: Caller,
    Path(slug): Path<String>,
    Query(q): Query<RobustQuery>,
) -> Result<Response, AppError> {
    use axum::response::sse::{Event, KeepAlive, Sse};
    use std::sync::atomic::{AtomicU64, Ordering};
    let (scenario, parties, options) = robust_job(&st, &caller, &slug, &q).await?;
    let draws = options.draws;
    let done = std::sync::Arc::new(AtomicU64::new(0));
    let counter = done.clone();
    let state = st.clone();
    let job = Box::pin(async move {
        state
            .heavy(&caller, move || {
                robustness_run(&scenario, &parties, options, &|n| {
                    counter.fetch_add(n, Ordering::Relaxed);
                })
            })
            .await
    });
    let stream = futures_util::stream::unfold(Some(job), move |job| {
        let done = done.clone();
        async move {
            let mut job = job?;
            let event = tokio::select! {
                finished = &mut job => {
                    let event = match finished {
                        Ok(report) => Event::default().event("result").data(serde_json::to_string(&report).unwrap_or_default()),
                        Err(e) => Event::default().event("error").data(e.message()),
                    };
                    return Some((Ok::<_, std::convert::Infallible>(event), None));
                }
                () = tokio::time::sleep(std::time::Duration::from_millis(250)) => {
                    Event::default().event("progress").data(
                        json!({"done": done.load(Ordering::Relaxed).min(draws), "draws": draws}).to_string(),
                    )
                }
            };
            Some((Ok(event), Some(job)))
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()).into_response())
}

pub(crate) async fn robust<S: Store>(
    State(st): St<S>,
    caller: Caller,
    Path(slug): Path<String>,
    Query(q): Query<RobustQuery>,
) -> Result<Response, AppError> {
    let (scenario, parties, options) = robust_job(&st, &caller, &slug, &q).await?;
    let report =
        st.heavy(&caller, move || robustness_run(&scenario, &parties, options, &|_| {})).await?;
    json(&report)
}

#[derive(Deserialize)]
pub(crate) struct FrontierQuery {
    pub(crate) confidential: Option<bool>,
    pub(crate) parties: Option<String>,
    pub(crate) reading: Option<String>,
    format: Option<String>,
}

/// The frontier report for two or three parties under a reading (default: red lines), from `analysis`
/// (of `scenario`, every party at the table).
pub(crate) fn frontier_report(
    scenario: &Scenario,
    analysis: &truce_table::Analysis,
    parties_asked: Option<&str>,
    reading: Option<&str>,
) -> Result<truce_report::report::FrontierReport, AppError> {
    let shown = parties(scenario, parties_asked)?;
    let reading = match reading {
        None => truce_table::Reading::RedLines,
        Some(r) => truce_report::report::reading_by_name(r).ok_or_else(|| {
            AppError::Invalid(vec![format!(
                "reading {r:?}: expected red_lines, strict or pessimistic"
            )])
        })?,
    };
    truce_report::report::frontier_for(scenario, analysis, &shown, reading)
        .map_err(|e| AppError::Invalid(vec![format!("parties: {e}")]))
}

pub(crate) async fn frontier<S: Store>(
    State(st): St<S>,
    caller: Caller,
    Path(slug): Path<String>,
    Query(q): Query<FrontierQuery>,
) -> Result<Response, AppError> {
    let confidential = confidential(&caller, q.confidential)?;
    let as_svg = wants_svg(q.format.as_deref())?;
    let scenario = load(&st, &slug, confidential).await?;
    let report = st
        .heavy(&caller, move || {
            let analysis =
                truce_table::analyze(&scenario, &truce_table::AnalysisOptions::default())?;
            frontier_report(&scenario, &analysis, q.parties.as_deref(), q.reading.as_deref())
        })
        .await??;
    if as_svg { Ok(svg(truce_report::svg::frontier_svg(&report))) } else { json(&report) }
}

#[derive(Deserialize, Default)]
pub(crate) struct DraftQuery {
    pub(crate) confidential: Option<bool>,
    pub(crate) package: Option<String>,
    pub(crate) day_one: Option<String>,
}

pub(crate) async fn draft<S: Store>(
    State(st): St<S>,
    caller: Caller,
    Path(slug): Path<String>,
    Query(q): Query<DraftQuery>,
) -> Result<Response, AppError> {
    let text = drafted(&st, &caller, &slug, q).await?;
    Ok(([(header::CONTENT_TYPE, "application/toml; charset=utf-8")], text).into_response())
}

/// The agreement drafted from a package of scenario `slug` (default: the Nash package), as TOML: the
/// one draft the API and the page show.
pub(crate) async fn drafted<S: Store>(
    st: &AppState<S>,
    caller: &Caller,
    slug: &str,
    q: DraftQuery,
) -> Result<String, AppError> {
    let confidential = confidential(caller, q.confidential)?;
    let scenario = load(st, slug, confidential).await?;
    let package = q.package.unwrap_or_else(|| "nash".to_string());
    let day_one = match &q.day_one {
        Some(d) => date("day_one", d)?,
        None => truce_report::default_day_one(&scenario).ok_or_else(|| {
            AppError::Invalid(vec!["the scenario has no positions: give day_one".into()])
        })?,
    };
    let text = st
        .heavy(caller, move || -> Result<String, AppError> {
            let chosen = truce_report::choose_package(&scenario, &package)
                .map_err(|e| AppError::Invalid(vec![e]))?;
            Ok(truce_accord::draft(&scenario, &chosen, &package, day_one))
        })
        .await??;
    Ok(text)
}

pub(crate) async fn check_agreement<S: Store>(
    State(_): St<S>,
    body: String,
) -> Result<Json<Value>, AppError> {
    let (agreement, diags) = truce_accord::parse("agreement.toml", &body);
    let diagnostics: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    let Some(a) = agreement else {
        return Err(AppError::Invalid(diagnostics));
    };
    let commitments = a.commitments().count();
    let checkable = a.machine_checkable();
    let not_checkable: Vec<Value> = a
        .provisions
        .iter()
        .filter_map(|p| match &p.checkable {
            truce_accord::Checkable::Not { reason } => {
                Some(json!({"point": p.number, "reason": reason}))
            }
            _ => None,
        })
        .collect();
    Ok(Json(json!({
        "ok": true,
        "title": a.title,
        "status": a.status.as_str(),
        "provisions": a.provisions.len(),
        "commitments": commitments,
        "machine_checkable": checkable,
        "zones": a.zones.len(),
        "not_machine_checkable": not_checkable,
        "warnings": diagnostics,
    })))
}

/// Queues a rehearsal of scenario `slug` for `caller` (see [`crate::jobs`]): checked first, so that a
/// bad request is refused before any work; the same request again is the same job. Returns its id.
pub(crate) async fn queue_simulation<S: Store>(
    st: &AppState<S>,
    caller: &Caller,
    slug: &str,
    confidential: bool,
    ask: truce_report::simulation::SimulationAsk,
) -> Result<String, AppError> {
    truce_report::simulation::check_ask(&ask).map_err(|e| AppError::Invalid(vec![e]))?;
    // The version rehearsed and the submissions merged are those named in the job's description, so
    // that the same request is the same job only over the same inputs.
    let (version, parsed) = st.scenario(slug, None).await?;
    let mut scenario = Scenario::clone(&parsed);
    let mut merged = Vec::new();
    if confidential {
        let submissions = st.store.submissions(slug, None).await?;
        merged = submissions.iter().map(|s| s.id).collect();
        merge_submissions(&mut scenario, &submissions);
    }
    truce_report::simulation::check_ask_for(&scenario, &ask)
        .map_err(|e| AppError::Invalid(vec![e]))?;
    let described =
        format!("v{} confidential={confidential} submissions={merged:?} {ask:?}", version.version);
    let file = format!("{slug}.toml");
    st.rehearsals.submit(
        caller.id(),
        slug,
        described,
        Box::new(move || truce_report::simulation::simulate(&scenario, &file, &ask)),
    )
}

/// `POST /v1/scenarios/{slug}/simulations`: checks the request, queues the rehearsal and answers 202 at
/// once, with the job's address.
pub(crate) async fn start_simulation<S: Store>(
    State(st): St<S>,
    caller: Caller,
    Path(slug): Path<String>,
    Query(q): Query<StartQuery>,
    Json(ask): Json<truce_report::simulation::SimulationAsk>,
) -> Result<Response, AppError> {
    let confidential = confidential(&caller, q.confidential)?;
    let id = queue_simulation(&st, &caller, &slug, confidential, ask).await?;
    let href = format!("/v1/simulations/{id}");
    Ok((
        axum::http::StatusCode::ACCEPTED,
        [(header::LOCATION, href.clone())],
        Json(json!({"id": id, "status": "queued", "href": href})),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub(crate) struct StartQuery {
    confidential: Option<bool>,
}

#[derive(Deserialize, Default)]
pub(crate) struct JobQuery {
    format: Option<String>,
    run: Option<usize>,
}

/// `GET /v1/simulations/{id}`: a rehearsal the caller started (any, for a mediator); 404 otherwise, so
/// that nobody learns of another's rehearsals. The document is the bytes the job serialised once.
pub(crate) async fn simulation<S: Store>(
    State(st): St<S>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<JobQuery>,
) -> Result<Response, AppError> {
    // `?format=status`: where the job stands, without its document (what a waiting page polls).
    let status_only = q.format.as_deref() == Some("status");
    let as_svg = !status_only && wants_svg(q.format.as_deref())?;
    let (slug, state) = st
        .rehearsals
        .get(&id, caller.id(), caller.role() == Role::Mediator)?
        .ok_or(AppError::NotFound)?;
    if status_only {
        return Ok(
            Json(json!({"id": id, "scenario": slug, "status": state.name()})).into_response()
        );
    }
    match (state, as_svg) {
        (crate::jobs::JobState::Done(done), true) => {
            let run = q.run.unwrap_or(0);
            let plot = done.simulation.svgs.get(run).ok_or_else(|| {
                AppError::Missing(format!(
                    "run {run}: this rehearsal has runs 0 to {}",
                    done.simulation.svgs.len().saturating_sub(1)
                ))
            })?;
            Ok(svg(plot.clone()))
        }
        (crate::jobs::JobState::Done(done), false) => {
            // The stored bytes, framed without a copy.
            let head = serde_json::to_vec(&json!({"id": id, "scenario": slug, "status": "done"}))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let head = axum::body::Bytes::from([&head[..head.len() - 1], b",\"report\":"].concat());
            let parts = [head, done.json.clone(), axum::body::Bytes::from_static(b"}")];
            let body = axum::body::Body::from_stream(futures_util::stream::iter(
                parts.into_iter().map(Ok::<_, std::convert::Infallible>),
            ));
            Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
        }
        (crate::jobs::JobState::Failed(e), _) => {
            Ok(Json(json!({"id": id, "scenario": slug, "status": "failed", "error": e}))
                .into_response())
        }
        (state, _) => {
            Ok(Json(json!({"id": id, "scenario": slug, "status": state.name()})).into_response())
        }
    }
}
