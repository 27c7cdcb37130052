//! The Table and the Accord over HTTP: each handler reads its ask, calls the use case in
//! `crate::app::negotiation` and wraps the document in JSON (or its SVG rendering).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use schemars::JsonSchema;
use serde::Deserialize;
use truce_store::Role;

use crate::St;
use crate::api::answer::{Declared, EventStream, Media, Out, Toml, media};
use crate::api::ask::{Ask, JobFormat, PlotFormat};
use crate::api::docs;
use crate::app::negotiation::{
    DraftQuery, FrontierQuery, RobustQuery, TimelineQuery, confidential, drafted, frontier_report,
    load, queue_simulation, robust_job, robustness_run, timeline_report,
};
use crate::{AppError, Caller};

fn svg<M: Media>(text: String) -> Out<M> {
    Out::new("image/svg+xml; charset=utf-8", text)
}

fn json<M: Media, T: serde::Serialize>(report: &T) -> Result<Out<M>, AppError> {
    serde_json::to_vec(report)
        .map(|v| Out::new("application/json", v))
        .map_err(|e| AppError::Internal(e.to_string()))
}

media!(
    /// The timeline, or its chart.
    TimelineMedia, "The timeline (`truce.timeline/1`), or its SVG chart with `format=svg`", 200;
    "application/json" => json truce_report::report::TimelineReport,
    "image/svg+xml; charset=utf-8" => text,
);

media!(
    /// The frontier, or its plot.
    FrontierMedia, "The frontier (`truce.frontier/1`), or its SVG plot with `format=svg`", 200;
    "application/json" => json truce_report::report::FrontierReport,
    "image/svg+xml; charset=utf-8" => text,
);

media!(
    /// A rehearsal job, or a run's plot.
    JobMedia, "The job (with its `truce.simulation/1` document when done), or a run's SVG plot", 200;
    "application/json" => json docs::Job,
    "image/svg+xml; charset=utf-8" => text,
);

pub(crate) async fn timeline(
    State(st): St,
    caller: Caller,
    Path(slug): Path<String>,
    Ask(q): Ask<TimelineQuery>,
) -> Result<Out<TimelineMedia>, AppError> {
    let confidential = confidential(&caller, q.confidential)?;
    let as_svg = q.format == Some(PlotFormat::Svg);
    let scenario = load(&st, &slug, confidential).await?;
    let report = st.heavy(&caller, move || timeline_report(&scenario, &q)).await??;
    if as_svg { Ok(svg(truce_report::svg::timeline_svg(&report))) } else { json(&report) }
}

/// The same robustness run as `GET …/robust`, as server-sent events: `progress` (`{done, draws}`)
/// about four times a second while it runs, then one `result` (the report) or `error`. The run is
/// heavy work like any other (bounded, stopped at the deadline) and stops when the client goes away.
pub(crate) async fn robust_stream(
    State(st): St,
    caller: Caller,
    Path(slug): Path<String>,
    Ask(q): Ask<RobustQuery>,
) -> Result<Declared<EventStream>, AppError> {
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
            .and_then(|report| report)
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
                    let progress = docs::Progress { done: done.load(Ordering::Relaxed).min(draws), draws };
                    Event::default().event("progress").data(serde_json::to_string(&progress).unwrap_or_default())
                }
            };
            Some((Ok(event), Some(job)))
        }
    });
    Ok(Declared::new(Sse::new(stream).keep_alive(KeepAlive::default())))
}

pub(crate) async fn robust(
    State(st): St,
    caller: Caller,
    Path(slug): Path<String>,
    Ask(q): Ask<RobustQuery>,
) -> Result<Json<truce_report::report::RobustnessReport>, AppError> {
    let (scenario, parties, options) = robust_job(&st, &caller, &slug, &q).await?;
    let report =
        st.heavy(&caller, move || robustness_run(&scenario, &parties, options, &|_| {})).await??;
    Ok(Json(report))
}

pub(crate) async fn frontier(
    State(st): St,
    caller: Caller,
    Path(slug): Path<String>,
    Ask(q): Ask<FrontierQuery>,
) -> Result<Out<FrontierMedia>, AppError> {
    let confidential = confidential(&caller, q.confidential)?;
    let as_svg = q.format == Some(PlotFormat::Svg);
    let scenario = load(&st, &slug, confidential).await?;
    let report = st
        .heavy(&caller, move || {
            let analysis =
                truce_table::analyze(&scenario, &truce_table::AnalysisOptions::default())?;
            frontier_report(&scenario, &analysis, q.parties.as_deref(), q.reading)
        })
        .await??;
    if as_svg { Ok(svg(truce_report::svg::frontier_svg(&report))) } else { json(&report) }
}

pub(crate) async fn draft(
    State(st): St,
    caller: Caller,
    Path(slug): Path<String>,
    Ask(q): Ask<DraftQuery>,
) -> Result<Out<Toml>, AppError> {
    let text = drafted(&st, &caller, &slug, q).await?;
    Ok(Out::new("application/toml; charset=utf-8", text))
}

pub(crate) async fn check_agreement(
    State(_): St,
    body: String,
) -> Result<Json<docs::AgreementCheck>, AppError> {
    let (agreement, diags) = truce_accord::parse("agreement.toml", &body);
    let diagnostics: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    let Some(a) = agreement else {
        return Err(AppError::Invalid(diagnostics));
    };
    let commitments = a.commitments().count();
    let checkable = a.machine_checkable();
    let not_machine_checkable = a
        .provisions
        .iter()
        .filter_map(|p| match &p.checkable {
            truce_accord::Checkable::Not { reason } => {
                Some(docs::NotCheckable { point: p.number.to_string(), reason: reason.clone() })
            }
            _ => None,
        })
        .collect();
    Ok(Json(docs::AgreementCheck {
        ok: true,
        title: a.title.clone(),
        status: a.status.as_str().into(),
        provisions: a.provisions.len(),
        commitments,
        machine_checkable: checkable,
        zones: a.zones.len(),
        not_machine_checkable,
        warnings: diagnostics,
    }))
}

/// `POST /v1/scenarios/{slug}/simulations`: checks the request, queues the rehearsal and answers 202 at
/// once, with the job's address.
pub(crate) async fn start_simulation(
    State(st): St,
    caller: Caller,
    Path(slug): Path<String>,
    Ask(q): Ask<StartQuery>,
    Json(ask): Json<truce_sim::SimulationAsk>,
) -> Result<Declared<Accepted>, AppError> {
    let confidential = confidential(&caller, q.confidential)?;
    let id = queue_simulation(&st, &caller, &slug, confidential, ask).await?;
    let href = format!("/v1/simulations/{id}");
    Ok(Declared::new((
        axum::http::StatusCode::ACCEPTED,
        [(header::LOCATION, href.clone())],
        Json(docs::JobQueued { id, status: "queued".into(), href }),
    )))
}

media!(
    /// A job queued.
    Accepted, "Queued: the job's id and where to read it (also in Location)", 202;
    "application/json" => json docs::JobQueued,
);

/// `?confidential=true`.
#[derive(Deserialize, Default, JsonSchema)]
pub(crate) struct StartQuery {
    /// With the parties' confidential submissions (mediators only).
    #[serde(default, deserialize_with = "crate::api::ask::flag")]
    confidential: Option<bool>,
}

/// A job's rendering.
#[derive(Deserialize, Default, JsonSchema)]
pub(crate) struct JobQuery {
    /// `json` (default), `svg` (a run's plot) or `status` (where it stands, without the document).
    format: Option<JobFormat>,
    /// With `format=svg`: the run, from 0 (default 0).
    run: Option<usize>,
}

/// `GET /v1/simulations/{id}`: a rehearsal the caller started (any, for a mediator); 404 otherwise, so
/// that nobody learns of another's rehearsals. The document is the bytes the job serialised once.
pub(crate) async fn simulation(
    State(st): St,
    caller: Caller,
    Path(id): Path<String>,
    Ask(q): Ask<JobQuery>,
) -> Result<Declared<JobMedia>, AppError> {
    // `?format=status`: where the job stands, without its document (what a waiting page polls).
    let status_only = q.format == Some(JobFormat::Status);
    let as_svg = q.format == Some(JobFormat::Svg);
    let (slug, state) = st
        .rehearsals
        .get(&id, caller.id(), caller.role() == Role::Mediator)
        .await?
        .ok_or(AppError::NotFound)?;
    let job = |status: &str, error: Option<String>| docs::Job {
        id: id.clone(),
        scenario: slug.clone(),
        status: status.into(),
        error,
        report: None,
    };
    if status_only {
        return Ok(Declared::new(Json(job(state.name(), None))));
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
            Ok(Declared::new(svg::<JobMedia>(plot.clone())))
        }
        (crate::jobs::JobState::Done(done), false) => {
            // The stored bytes, framed without a copy.
            let head = serde_json::to_vec(&job("done", None))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let head = axum::body::Bytes::from([&head[..head.len() - 1], b",\"report\":"].concat());
            let parts = [head, done.json.clone(), axum::body::Bytes::from_static(b"}")];
            let body = axum::body::Body::from_stream(futures_util::stream::iter(
                parts.into_iter().map(Ok::<_, std::convert::Infallible>),
            ));
            Ok(Declared::new(([(header::CONTENT_TYPE, "application/json")], body)))
        }
        (crate::jobs::JobState::Failed(e), _) => {
            Ok(Declared::new(Json(job("failed", Some(e.to_string())))))
        }
        (crate::jobs::JobState::Interrupted(e), _) => {
            Ok(Declared::new(Json(job("interrupted", Some(e.to_string())))))
        }
        (state, _) => Ok(Declared::new(Json(job(state.name(), None)))),
    }
}
