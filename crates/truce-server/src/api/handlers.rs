//! The handlers, one per [`Endpoint`]. Each first checks the caller against the matrix.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use truce_store::{Role, Store};

use crate::api::answer::{Created, Declared, EventStream, GeoJson, Out, Plain, Toml, media};
use crate::api::ask::{AnalysisFormat, Ask, Day, ExportFormat, ReportFormat};
use crate::api::docs;
use crate::{AppError, AppState, Caller, St};
use schemars::JsonSchema;

pub(crate) async fn whoami(State(_): St, c: Caller) -> Result<Json<docs::WhoAmI>, AppError> {
    Ok(Json(match &c.user {
        Some(u) => docs::WhoAmI {
            name: Some(u.name.clone()),
            role: u.role.as_str().into(),
            party: u.party.clone(),
        },
        None => docs::WhoAmI { name: None, role: "public".into(), party: None },
    }))
}

pub(crate) async fn list_scenarios(State(st): St) -> Result<Json<docs::Scenarios>, AppError> {
    Ok(Json(docs::Scenarios { scenarios: st.store.scenarios().await? }))
}

pub(crate) async fn save_scenario(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
    body: String,
) -> Result<Created<docs::Saved>, AppError> {
    let (budget, checked) = (st.cost_budget, slug.clone());
    let (diags, body) = st
        .heavy(&c, move || {
            crate::app::negotiation::check_scenario(&checked, &body, budget).map(|d| (d, body))
        })
        .await??;
    let author = c.user.as_ref().map_or(0, |u| u.id);
    let version = st.store.save_scenario(&slug, &body, author, "").await?;
    let warnings: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    Ok(Created(docs::Saved { slug, version, warnings }))
}

/// `?version=N`: a version other than the latest.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct VersionQuery {
    /// A version other than the latest.
    version: Option<i64>,
}

pub(crate) async fn get_scenario(
    State(st): St,
    Path(slug): Path<String>,
    Ask(q): Ask<VersionQuery>,
) -> Result<Json<docs::ScenarioText>, AppError> {
    let v = st.store.scenario(&slug, q.version).await?;
    Ok(Json(docs::ScenarioText { slug: v.slug, version: v.version, text: v.text }))
}

/// The analysis, exactly as `truce analyze --format json` prints it (`truce.analysis/1`, schema
/// `docs/schema/analysis.schema.json`): `?as_of=YYYY-MM-DD`, `&parties=A,B`, `&relax=KEY` (repeated or
/// comma-separated: switch those hard constraints off), `&confidential=true`; `&format=md` or
/// `&format=text` gives the same document as `truce analyze --format md` or the terminal text.
pub(crate) async fn analyze_scenario(
    State(st): St,
    caller: Caller,
    Path(slug): Path<String>,
    Ask(ask): Ask<crate::app::negotiation::AnalysisAsk>,
) -> Result<Out<AnalysisMedia>, AppError> {
    let confidential = crate::app::negotiation::confidential(&caller, ask.confidential)?;
    let (scenario, submissions) =
        crate::app::negotiation::load_with_submissions(&st, &slug, confidential).await?;
    let options = ask.options(&scenario)?;
    let format = ask.format.unwrap_or_default();
    let archived = crate::app::negotiation::archived_texts(&st, &scenario).await?;
    let bytes = st
        .heavy(&caller, move || {
            let analysis = truce_table::analyze(&scenario, &options)?;
            let mut report =
                crate::app::negotiation::analysis_document(&scenario, &analysis, &archived);
            report.submissions = submissions;
            Ok::<_, AppError>(match format {
                AnalysisFormat::Md => truce_report::render::analysis_markdown(&report).into_bytes(),
                AnalysisFormat::Text => truce_report::render::analysis_text(&report).into_bytes(),
                AnalysisFormat::Json => serde_json::to_vec_pretty(&report)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            })
        })
        .await??;
    let kind = match format {
        AnalysisFormat::Md => "text/markdown; charset=utf-8",
        AnalysisFormat::Text => "text/plain; charset=utf-8",
        AnalysisFormat::Json => "application/json",
    };
    Ok(Out::new(kind, bytes))
}

media!(
    /// The analysis in its three renderings.
    AnalysisMedia, "The analysis (`truce.analysis/1`), or its Markdown or text rendering", 200;
    "application/json" => json truce_report::report::AnalysisReport,
    "text/markdown; charset=utf-8" => text,
    "text/plain; charset=utf-8" => text,
);

/// `?party=`: the party a mediator acts for (a delegate's is its own).
#[derive(Deserialize, JsonSchema)]
pub(crate) struct PartyQuery {
    /// The party (mediators; a delegate acts for its own).
    pub(crate) party: Option<String>,
}

pub(crate) async fn submit_preferences(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
    Ask(q): Ask<PartyQuery>,
    body: String,
) -> Result<Created<docs::PreferencesSaved>, AppError> {
    let user = c.user.as_ref().ok_or(AppError::Unauthorized)?;
    // A delegate submits for its own party only; the mediator names the party.
    let party = match (user.role, &user.party, q.party) {
        (Role::PartyDelegate, Some(own), None) => own.clone(),
        (Role::PartyDelegate, Some(own), Some(p)) if p == *own => p,
        (Role::PartyDelegate, _, _) => {
            return Err(AppError::Forbidden("a delegate submits for its own party only".into()));
        }
        (_, _, Some(p)) => p,
        (_, _, None) => return Err(AppError::Invalid(vec!["?party=<id> is required".into()])),
    };
    // The submission is a document of its own: one [[preferences]] table for that party, checked
    // against the scenario's issues and options. It can set nothing else.
    let v = st.store.scenario(&slug, None).await?;
    let (scenario, diags) = truce_scenario::parse(&format!("{slug}.toml"), &v.text);
    let scenario =
        scenario.ok_or_else(|| AppError::Invalid(diags.iter().map(|d| d.to_string()).collect()))?;
    if !scenario.parties.iter().any(|p| p.id == party) {
        return Err(AppError::Invalid(vec![format!("party {party:?} is not at this table")]));
    }
    let (prefs, diags) =
        truce_scenario::parse_submission("submission.toml", &body, &scenario, &party);
    if prefs.is_none() {
        return Err(AppError::Invalid(diags.iter().map(|d| d.to_string()).collect()));
    }
    let id = st.store.submit_preferences(&slug, &party, user.id, &body).await?;
    Ok(Created(docs::PreferencesSaved { id, party }))
}

/// A domain folder to import.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct ImportBody {
    /// The folder's files: name and text.
    files: Vec<ImportFile>,
    /// For a pool of profiles: the ones at the table, by name or 1-based number.
    #[serde(default)]
    profiles: Option<Vec<String>>,
    /// `genius` (the default) or `negmas-raw`.
    #[serde(default)]
    semantics: Option<String>,
}

/// One file of a domain folder.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct ImportFile {
    /// Its name in the folder.
    name: String,
    /// Its text.
    text: String,
}

/// The most files one import may carry.
const MAX_IMPORT_FILES: usize = 100;

/// Imports a Genius (XML) or GeniusWeb (JSON) domain folder, sent as its files' names and texts, as
/// a new version of scenario `slug`: the files are sorted out by content and converted as
/// `truce import` converts them, and the result is checked and saved like any other version.
pub(crate) async fn import_scenario(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
    Json(body): Json<ImportBody>,
) -> Result<Created<docs::Imported>, AppError> {
    if body.files.is_empty() || body.files.len() > MAX_IMPORT_FILES {
        return Err(AppError::Invalid(vec![format!(
            "files: expected 1 to {MAX_IMPORT_FILES} files of one domain folder, got {}",
            body.files.len()
        )]));
    }
    let semantics = match body.semantics.as_deref() {
        None | Some("genius") => truce_scenario::import::Semantics::Genius,
        Some("negmas-raw") => truce_scenario::import::Semantics::NegmasRaw,
        Some(other) => {
            return Err(AppError::Invalid(vec![format!(
                "semantics {other:?}: expected genius or negmas-raw"
            )]));
        }
    };
    let (budget, name) = (st.cost_budget, slug.clone());
    // Converting and checking run off the async workers; a domain that converts to a scenario over the
    // body limit is refused with its size (an integer issue of 100,000 values makes megabytes of TOML).
    let (text, parties, issues) = st
        .heavy(&c, move || -> Result<(String, usize, usize), AppError> {
            let mut files: Vec<&ImportFile> = body.files.iter().collect();
            files.sort_by(|a, b| a.name.cmp(&b.name));
            let inputs: Vec<truce_scenario::import::InputFile<'_>> = files
                .iter()
                .map(|f| truce_scenario::import::InputFile { name: &f.name, text: &f.text })
                .collect();
            let options = truce_scenario::import::ImportOptions {
                semantics,
                ..truce_scenario::import::ImportOptions::default()
            };
            let (scenario, diags) = truce_scenario::import::import_folder(
                &name,
                &inputs,
                options,
                body.profiles.as_deref(),
            )
            .map_err(|e| AppError::Invalid(vec![e]))?;
            let scenario = scenario
                .ok_or_else(|| AppError::Invalid(diags.iter().map(|d| d.to_string()).collect()))?;
            let comment = format!(
                "Imported in the browser from {} file(s) ({} semantics).",
                files.len(),
                semantics.as_str()
            );
            let text = truce_scenario::to_toml(&scenario, &comment);
            if text.len() > crate::MAX_BODY_BYTES {
                return Err(AppError::TooLarge(format!(
                    "the imported scenario would be {} bytes of TOML, over this server's limit of {} for a scenario version; import a domain with fewer issues or values (an integer issue gives one option per value)",
                    text.len(),
                    crate::MAX_BODY_BYTES
                )));
            }
            crate::app::negotiation::check_scenario(&name, &text, budget)?;
            Ok((text, scenario.parties.len(), scenario.issues.len()))
        })
        .await??;
    let author = c.user.as_ref().map_or(0, |u| u.id);
    let version = st.store.save_scenario(&slug, &text, author, "").await?;
    Ok(Created(docs::Imported { slug, version, parties, issues }))
}

pub(crate) async fn list_preferences(
    State(st): St,
    Path(slug): Path<String>,
) -> Result<Json<docs::Submissions>, AppError> {
    let subs = st.store.submissions(&slug, None).await?;
    Ok(Json(docs::Submissions {
        submissions: subs
            .into_iter()
            .map(|s| docs::Submission { id: s.id, party: s.party, author: s.author, text: s.text })
            .collect(),
    }))
}

fn watch(st: &AppState) -> Result<&Arc<crate::Ledger>, AppError> {
    st.watch.as_ref().ok_or(AppError::NotFound)
}

pub(crate) async fn get_agreement(State(st): St) -> Result<Out<Toml>, AppError> {
    let w = watch(&st)?;
    Ok(Out::new("application/toml; charset=utf-8", w.agreement_text.clone()))
}

pub(crate) async fn submit_entry(
    State(st): St,
    caller: Caller,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<Created<docs::Appended>, AppError> {
    let w = watch(&st)?;
    // A follower hands the entry to the writer and gives its answer.
    if let Some(answer) = crate::forward::forward(
        w,
        &headers,
        caller.id(),
        "/v1/entries",
        body.clone(),
        st.forward_wait,
    )
    .await?
    {
        return Ok(Created(crate::forward::accepted(&answer, 201)?));
    }
    let pending = admit(&st, w, &caller, &body).await?;
    let at = durable(&st, pending).await?;
    Ok(Created(docs::Appended { index: at }))
}

/// The most entries one `POST /v1/entries/batch` may carry.
pub const MAX_BATCH: usize = 256;

/// Several signed entries, one per line (each its exact canonical bytes), as a device uploads its queue
/// when it comes back on line: each is checked, queued and acknowledged as `POST /v1/entries` would,
/// in order, and the answer lists each one's outcome (`{"index"}` or `{"status", "error"}`). One
/// refusal does not stop the others.
pub(crate) async fn submit_entries(
    State(st): St,
    caller: Caller,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<Json<docs::BatchOutcome>, AppError> {
    let w = watch(&st)?;
    if let Some(answer) = crate::forward::forward(
        w,
        &headers,
        caller.id(),
        "/v1/entries/batch",
        body.clone(),
        st.forward_wait,
    )
    .await?
    {
        return Ok(Json(crate::forward::accepted(&answer, 200)?));
    }
    let lines: Vec<&[u8]> = body.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    if lines.is_empty() || lines.len() > MAX_BATCH {
        return Err(AppError::Invalid(vec![format!(
            "expected 1 to {MAX_BATCH} entries, one per line; got {}",
            lines.len()
        )]));
    }
    // Admitted in order (the log's rules see them as the writer will), then awaited together: they
    // share the sequencer's batches.
    let mut admitted = Vec::with_capacity(lines.len());
    for line in lines {
        admitted.push(admit(&st, w, &caller, line).await);
    }
    let mut results = Vec::with_capacity(admitted.len());
    for a in admitted {
        let outcome = match a {
            Ok(pending) => durable(&st, pending).await,
            Err(e) => Err(e),
        };
        results.push(match outcome {
            Ok(at) => docs::EntryOutcome::Appended { index: at },
            Err(e) => {
                docs::EntryOutcome::Refused { status: e.status().as_u16(), error: e.message() }
            }
        });
    }
    Ok(Json(docs::BatchOutcome { results }))
}

/// Checks one signed entry from `caller` and queues it: decoded (canonical form, signature), signed
/// with a key the caller holds, not starting in the future, accepted by the log's rules in log order.
async fn admit(
    st: &AppState,
    w: &Arc<crate::Ledger>,
    caller: &Caller,
    bytes: &[u8],
) -> Result<crate::ledger::Pending, AppError> {
    let entry = truce_watch::entry::decode_with(bytes, &mut |hex| {
        if let Some(key) = st.keys.get(&hex.to_string()) {
            return Ok(key);
        }
        let key = truce_watch::entry::parse_key(hex)?;
        st.keys.insert(hex.to_string(), key);
        Ok(key)
    })
    .map_err(|e| AppError::Invalid(vec![e.to_string()]))?;
    // The key must be one the caller holds: a stolen token cannot sign, and a copied entry cannot be
    // posted by anyone but its author's holder.
    let user = caller.user.as_ref().ok_or(AppError::Unauthorized)?;
    if st.key_holder(&entry.author).await? != Some(user.id) {
        return Err(AppError::Forbidden(format!(
            "the entry is signed with key {}…, which {} does not hold (a mediator binds keys with `truce user key`)",
            &entry.author[..12],
            user.name
        )));
    }
    // An observation may not start in the future (beyond ten minutes of clock skew).
    if let truce_watch::entry::Body::Observation(o)
    | truce_watch::entry::Body::Correction { observation: o, .. } = &entry.body
        && let Ok(start) = o.start.parse::<jiff::Timestamp>()
        && start > jiff::Timestamp::now() + jiff::SignedDuration::from_mins(10)
    {
        return Err(AppError::Invalid(vec![format!(
            "start: {} is in the future (this server's clock says {}); an observation is recorded after it starts",
            o.start,
            jiff::Timestamp::now()
        )]));
    }
    // Checked against the log's rules in log order, queued, acknowledged once durable; only then is it
    // in the durable view that every reader sees.
    w.append(entry, bytes.to_vec()).map_err(|r| match r {
        crate::ledger::Refusal::Rules(truce_watch::Error::Replayed(m)) => {
            AppError::Conflict(format!("replayed: {m}"))
        }
        // A value beyond the mission's bounds is bad input (422), not a question of who may write.
        crate::ledger::Refusal::Rules(e @ truce_watch::Error::OutOfBounds(_)) => {
            AppError::Invalid(vec![e.to_string()])
        }
        crate::ledger::Refusal::Rules(e) => AppError::Forbidden(e.to_string()),
        crate::ledger::Refusal::Pushback => AppError::Pushback,
        crate::ledger::Refusal::Unavailable(m) | crate::ledger::Refusal::Follower(m) => {
            AppError::Unavailable(m)
        }
    })
}

/// Waits until an admitted entry is durable and in the durable view, then tells the event stream and
/// the store's index; returns its index.
async fn durable(st: &AppState, pending: crate::ledger::Pending) -> Result<u64, AppError> {
    let jobs = crate::indexer::jobs_for(pending.index(), pending.entry());
    let kind = pending.entry().body.kind().to_string();
    let at = pending.durable().await.map_err(AppError::Unavailable)?;
    let _ = st.events.send((at, kind));
    for job in jobs {
        st.index(job);
    }
    Ok(at)
}

pub(crate) async fn ready(State(st): St) -> Result<Json<docs::Ready>, AppError> {
    if let Some(w) = &st.watch
        && let Err(why) = w.ready()
    {
        return Err(AppError::Unavailable(why));
    }
    st.store.indexed_size().await.map_err(|e| AppError::Unavailable(format!("the store: {e}")))?;
    Ok(Json(docs::Ready { ready: true }))
}

pub(crate) async fn revoke_user(
    State(st): St,
    Path(name): Path<String>,
) -> Result<Json<docs::Revoked>, AppError> {
    let user = st.store.user_by_name(&name).await?;
    let tokens = st.store.revoke_user(user.id).await?;
    // This server stops trusting them at once; others within their cache's lifetime.
    st.tokens.retain(|_, (u, _)| u.id != user.id);
    Ok(Json(docs::Revoked { user: name, tokens_revoked: tokens, sessions_ended: true }))
}

pub(crate) async fn next_sequence(
    State(st): St,
    Path(key): Path<String>,
) -> Result<Json<docs::NextSequence>, AppError> {
    let w = watch(&st)?;
    truce_watch::entry::parse_key(&key).map_err(|e| AppError::Invalid(vec![e.to_string()]))?;
    let next = w.next_seq(&key);
    Ok(Json(docs::NextSequence { key, next }))
}

pub(crate) async fn queue(State(st): St) -> Result<Json<docs::Queue>, AppError> {
    let q = crate::app::record::review_queue(&st, 200).await?;
    Ok(Json(docs::Queue {
        queue: q
            .into_iter()
            .map(|(e, disputed_by)| docs::QueueItem {
                index: e.index,
                day: e.day,
                class: e.class,
                state: e.state,
                author: e.author,
                disputed_by,
            })
            .collect(),
    }))
}

/// `?as_of=`: the day compliance is computed for.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct AsOf {
    /// The day (default: the latest day); clipped into the mission's period.
    as_of: Option<Day>,
}

pub(crate) async fn compliance(
    State(st): St,
    Ask(q): Ask<AsOf>,
) -> Result<Out<ComplianceMedia>, AppError> {
    let w = watch(&st)?.clone();
    let given = q.as_of.map(|d| d.0);
    // Shared by the day it is computed for (any date asked is clipped into the mission's period), as
    // serialised bytes: a reader asking again costs no copy and no serialisation.
    let day = w.report_day(given);
    let evaluated = crate::app::record::compliance_report(&st, day).await?;
    let report = st
        .heavy_shared(format!("compliance json {day}"), move || -> Result<Bytes, String> {
            serde_json::to_vec(&*evaluated).map(Bytes::from).map_err(|e| e.to_string())
        })
        .await?
        .map_err(AppError::Internal)?;
    Ok(Out::new("application/json", report))
}

media!(
    /// The compliance report.
    ComplianceMedia, "The compliance report: each commitment's status, with the entries behind it", 200;
    "application/json" => json truce_watch::compliance::Report,
);

/// The daily report's ask.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct ReportQuery {
    /// The day (default: the latest day with observations).
    date: Option<Day>,
    /// The boundary view.
    view: Option<String>,
    /// `md` (default) or `html`.
    format: Option<ReportFormat>,
    /// The language of the rendering: `en` (default; the authoritative text, whose hash the log can
    /// hold), `uk` or `ru`. A translation says so at its top.
    lang: Option<String>,
}

pub(crate) async fn daily_report(
    State(st): St,
    Ask(q): Ask<ReportQuery>,
) -> Result<Out<DailyMedia>, AppError> {
    let html = q.format.unwrap_or_default() == ReportFormat::Html;
    let lang = match q.lang.as_deref() {
        None => truce_i18n::Lang::En,
        Some(code) => truce_i18n::Lang::from_code(code).ok_or_else(|| {
            AppError::Invalid(vec![format!(
                "lang: `{code}` is not a language of Truce; expected en, uk or ru"
            )])
        })?,
    };
    let shared = format!("api-{} {lang}", if html { "html" } else { "md" });
    let text =
        crate::app::record::daily_now(&st, &shared, q.date, q.view.as_deref(), move |d, v, a| {
            Bytes::from(if html { d.html_in(a, v, lang) } else { d.markdown_in(lang) })
        })
        .await?;
    let kind = if html { "text/html; charset=utf-8" } else { "text/markdown; charset=utf-8" };
    Ok(Out::new(kind, text))
}

media!(
    /// The daily report.
    DailyMedia, "The daily report, in Markdown or as a standalone HTML page", 200;
    "text/markdown; charset=utf-8" => text,
    "text/html; charset=utf-8" => text,
);

/// The exports' ask.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct ExportQuery {
    /// `geojson` (default), `csv` or `acled`.
    format: Option<ExportFormat>,
    /// The boundary view (ACLED's country column).
    view: Option<String>,
}

media!(
    /// The observations exported.
    ExportMedia, "The observations on the log, as GeoJSON or CSV", 200;
    "application/geo+json" => json docs::FeatureCollection,
    "text/csv; charset=utf-8" => text,
);

pub(crate) async fn export(
    State(st): St,
    Ask(q): Ask<ExportQuery>,
) -> Result<Out<ExportMedia>, AppError> {
    let w = watch(&st)?;
    let view = truce_watch::boundary::view(
        q.view.as_deref().unwrap_or(truce_watch::boundary::DEFAULT_VIEW),
    )
    .map_err(|e| AppError::Invalid(vec![format!("view: {e}")]))?;
    let format = q.format.unwrap_or_default();
    let kind = match format {
        ExportFormat::Geojson => "application/geo+json",
        ExportFormat::Csv | ExportFormat::Acled => "text/csv; charset=utf-8",
    };
    let w = w.clone();
    let key = format!("export {} {}", format.as_str(), view.id);
    let body = st
        .heavy_shared(key, move || -> Result<Bytes, String> {
            let state = w.read().map_err(|e| format!("{e:?}"))?;
            let registry = state.registry();
            Ok(Bytes::from(match format {
                ExportFormat::Geojson => truce_watch::export::geojson(registry),
                ExportFormat::Csv => {
                    truce_watch::export::csv(registry).map_err(|e| e.to_string())?
                }
                ExportFormat::Acled => {
                    let mission =
                        registry.mission.as_ref().map(|m| m.name.clone()).unwrap_or_default();
                    truce_watch::export::acled(registry, view, &mission)
                        .map_err(|e| e.to_string())?
                }
            }))
        })
        .await?
        .map_err(AppError::Internal)?;
    Ok(Out::new(kind, body))
}

pub(crate) async fn checkpoint(State(st): St) -> Result<Out<Plain>, AppError> {
    let w = watch(&st)?;
    let note = crate::witness::served(w, &st.witnesses);
    // tlog-tiles: the checkpoint changes; clients must not cache it for long.
    let file = truce_tlog::publish::Published::Checkpoint;
    Ok(Out::new(file.content_type(), note.to_text())
        .header(header::CACHE_CONTROL, file.cache_control()))
}

/// A vendored library file, cached for ever (its path carries its version).
pub(crate) async fn asset(Path(path): Path<String>) -> Result<Response, AppError> {
    let (kind, bytes) = crate::assets::asset(&path).ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        bytes,
    )
        .into_response())
}

/// The agreement's zones as GeoJSON.
pub(crate) async fn zones(State(st): St) -> Result<Out<GeoJson>, AppError> {
    let w = watch(&st)?;
    let text = truce_watch::export::zones_geojson(w.agreement());
    Ok(Out::new("application/geo+json", text))
}

/// The area a map of the agreement shows: its zones' extent with a margin of a few degrees (Ukraine's
/// neighbourhood when it has no zones), `[west, south, east, north]`.
pub(crate) fn agreement_area(a: &truce_accord::Agreement) -> [f64; 4] {
    use truce_accord::Shape;
    let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for z in &a.zones {
        let points: Vec<&[f64; 2]> = match &z.shape {
            Shape::Line(p) | Shape::Buffer { points: p, .. } => p.iter().collect(),
            Shape::Polygon(rings) => rings.iter().flatten().collect(),
        };
        for p in points {
            b = [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])];
        }
    }
    if b[0].is_finite() {
        [b[0] - 8.0, b[1] - 5.0, b[2] + 8.0, b[3] + 5.0]
    } else {
        [22.0, 43.0, 42.0, 53.0]
    }
}

/// A boundary view's countries around the agreement's area, as GeoJSON.
pub(crate) async fn boundaries(
    State(st): St,
    Path(view): Path<String>,
) -> Result<Out<GeoJson>, AppError> {
    let w = watch(&st)?;
    let area = agreement_area(w.agreement());
    let view = truce_watch::boundary::view(&view).map_err(|e| AppError::Missing(e.to_string()))?;
    Ok(Out::new("application/geo+json", view.geojson(area))
        .header(header::CACHE_CONTROL, "max-age=3600"))
}

/// The log's public key, as a signed-note verifier key line.
pub(crate) async fn log_key(State(st): St) -> Result<Out<Plain>, AppError> {
    let w = watch(&st)?;
    Ok(Out::new("text/plain; charset=utf-8", format!("{}\n", w.vkey())))
}

/// Entry `index` with its inclusion proof against the checkpoint served, every tile authenticated
/// against that checkpoint first (by `truce_tlog::client::prove`, as `truce log prove` does).
pub(crate) async fn entry_proof(
    State(st): St,
    Path(index): Path<u64>,
) -> Result<Json<docs::EntryProof>, AppError> {
    let proved = crate::app::record::proved(&st, index).await?;
    Ok(Json(proved.doc()))
}

pub(crate) async fn tile(State(st): St, Path(path): Path<String>) -> Result<Response, AppError> {
    let w = watch(&st)?;
    let full = format!("tile/{path}");
    let tile = truce_tlog::tile::Tile::parse(&full).map_err(|_| AppError::NotFound)?;
    let data = match w.tile(&tile.path(), !tile.is_partial()).await {
        Ok(Some(data)) => data,
        Ok(None) => return Err(AppError::NotFound),
        Err(e) => {
            // The storage's own error names its address: logged, not shown.
            tracing::warn!(tile = %tile.path(), error = %e, "a tile could not be read from the log's storage");
            return Err(AppError::Unavailable(
                "the log's storage cannot be reached right now, and this tile is not cached here; retry in a few seconds".into(),
            ));
        }
    };
    let data = Bytes::from(data.as_ref().clone());
    // Full tiles never change: cache them for ever. Partial tiles are superseded as the log grows.
    let file = truce_tlog::publish::Published::Tile(tile);
    let cache = file.cache_control();
    Ok(([(header::CONTENT_TYPE, file.content_type()), (header::CACHE_CONTROL, cache)], data)
        .into_response())
}

pub(crate) async fn metrics(State(st): St) -> Result<Response, AppError> {
    let mut out = String::new();
    if let Some(w) = &st.watch {
        let size = w.size();
        // From the summary the applier keeps: never the durable view's lock on an async worker.
        let summary = w.summary();
        let (entries, observations, refused) = (w.applied(), summary.observations, summary.refused);
        out.push_str(&format!(
            "# HELP truce_log_checkpoint_size Entries in the latest signed checkpoint.\n# TYPE truce_log_checkpoint_size gauge\ntruce_log_checkpoint_size {size}\n\
             # HELP truce_log_pending Entries waiting for the next batch.\n# TYPE truce_log_pending gauge\ntruce_log_pending {}\n\
             # HELP truce_entries_applied Entries replayed into the compliance state.\n# TYPE truce_entries_applied gauge\ntruce_entries_applied {entries}\n\
             # HELP truce_observations Observations on the log.\n# TYPE truce_observations gauge\ntruce_observations {observations}\n\
             # HELP truce_entries_refused Entries the log's rules refused.\n# TYPE truce_entries_refused gauge\ntruce_entries_refused {refused}\n\
             # HELP truce_ready Whether the log accepts writes (0 after a storage fault, until recovered).\n# TYPE truce_ready gauge\ntruce_ready {}\n",
            w.pending(),
            u8::from(w.ready().is_ok())
        ));
        out.push_str(&format!(
            "# HELP truce_log_unpublished_seconds How long the oldest acknowledged entry has waited for a signed checkpoint.\n# TYPE truce_log_unpublished_seconds gauge\ntruce_log_unpublished_seconds {:.3}\n\
             # HELP truce_log_writer Whether this server writes the log (holds the sequencing lease, or writes its own directory).\n# TYPE truce_log_writer gauge\ntruce_log_writer {}\n\
             # HELP truce_lease_changes_total Times this server took or lost the sequencing lease.\n# TYPE truce_lease_changes_total counter\ntruce_lease_changes_total {}\n",
            w.unpublished_for().as_secs_f64(),
            u8::from(w.is_writer()),
            w.lease_changes(),
        ));
    }
    out.push_str(
        "# HELP truce_witness_errors_total Offers of a checkpoint a witness refused, failed or left unanswered.\n# TYPE truce_witness_errors_total counter\n",
    );
    for peer in &st.witnesses.peers {
        let errors = peer.status.lock().map(|s| s.errors).unwrap_or(0);
        out.push_str(&format!(
            "truce_witness_errors_total{{witness=\"{}\"}} {errors}\n",
            peer.verifier.name.replace(['\\', '"', '\n'], "_")
        ));
    }
    out.push_str(&format!(
        "# HELP truce_media_store_errors_total Failures of the media store.\n# TYPE truce_media_store_errors_total counter\ntruce_media_store_errors_total {}\n",
        crate::media::STORE_ERRORS.load(std::sync::atomic::Ordering::Relaxed)
    ));
    out.push_str(&format!(
        "# HELP truce_store_index_watermark The first log index the store's index lacks: every entry below it is indexed.\n# TYPE truce_store_index_watermark gauge\ntruce_store_index_watermark {}\n",
        st.store.indexed_size().await?
    ));
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response())
}

pub(crate) async fn events(
    State(st): St,
    caller: Caller,
) -> Result<Declared<EventStream>, AppError> {
    use axum::response::sse::{Event, KeepAlive, Sse};
    // Streams are capped in total and per caller; the slot is freed when the stream is dropped.
    let who = caller.user.as_ref().map_or(0, |u| u.id);
    let slot = {
        let mut open = st.streams.lock().map_err(|_| AppError::Internal("streams lock".into()))?;
        let total: usize = open.values().sum();
        let mine = open.get(&who).copied().unwrap_or(0);
        let cap = if who == 0 { crate::STREAMS_PUBLIC } else { st.streams_per_caller };
        if total >= st.streams_total || mine >= cap {
            return Err(AppError::Unavailable(format!(
                "too many event streams open ({total} in all, {mine} of yours; at most {} and {cap}): close one, or poll /log/checkpoint",
                st.streams_total
            )));
        }
        *open.entry(who).or_default() += 1;
        StreamSlot { streams: st.streams.clone(), who }
    };
    let rx = st.events.subscribe();
    let stream = futures_util::stream::unfold((rx, slot), |(mut rx, slot)| async move {
        loop {
            match rx.recv().await {
                Ok((index, kind)) => {
                    let data = serde_json::to_string(&docs::EntryEvent { index, kind })
                        .unwrap_or_default();
                    let event = Event::default().event("entry").data(data);
                    return Some((Ok::<_, std::convert::Infallible>(event), (rx, slot)));
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Ok(Declared::new(Sse::new(stream).keep_alive(KeepAlive::default())))
}

/// One open event stream, counted until dropped.
struct StreamSlot {
    streams: Arc<std::sync::Mutex<std::collections::HashMap<i64, usize>>>,
    who: i64,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        if let Ok(mut open) = self.streams.lock()
            && let Some(n) = open.get_mut(&self.who)
        {
            *n = n.saturating_sub(1);
        }
    }
}
