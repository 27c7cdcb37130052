//! The router: every [`Endpoint`] of the table bound to its handler, behind a layer that authorises the
//! caller for that endpoint and hands the handler its [`Caller`]. A page's refusal is a page; an API's
//! is JSON.

use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{ApiMethodRouter, get, post, put};
use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get as plain_get;
use truce_store::Store;

use crate::{
    AppState, Endpoint, field, handlers, media, pages, scenario_pages, table, views, witness,
};

pub(crate) fn routes<S: Store>(state: Arc<AppState<S>>) -> Router {
    let mut router = ApiRouter::new();
    for endpoint in Endpoint::all() {
        let (_, path) = endpoint.route();
        let mut method = method_for::<S>(endpoint);
        if endpoint == Endpoint::UploadMedia {
            method = method.layer(axum::extract::DefaultBodyLimit::max(
                // The handler says why a file is too large; beyond the limit by far, the server stops reading.
                state.media.as_ref().map_or(media::DEFAULT_MAX_BYTES, |m| m.max_bytes) + 1,
            ));
        } else {
            // Every body but an upload's (which has its own limit and slots) is read whole, at a pace,
            // before its handler runs: a body trickled or stalled cannot hold a connection and a task.
            method =
                method.layer(axum::middleware::from_fn_with_state(state.clone(), paced_body::<S>));
        }
        let bound = method.route_layer(axum::middleware::from_fn_with_state(
            (state.clone(), endpoint),
            bind::<S>,
        ));
        router = router.api_route(path, bound);
    }
    // The document is served from [`openapi_document`]; this one only takes what the routes declared.
    let mut scratch = aide::openapi::OpenApi::default();
    router.finish_api(&mut scratch).fallback(not_found).with_state(state)
}

/// Each endpoint's handler, with what it declares for the OpenAPI document.
fn method_for<S: Store>(endpoint: Endpoint) -> ApiMethodRouter<Arc<AppState<S>>> {
    match endpoint {
        Endpoint::WhoAmI => get(handlers::whoami::<S>),
        Endpoint::ListScenarios => get(handlers::list_scenarios::<S>),
        Endpoint::SaveScenario => put(handlers::save_scenario::<S>),
        Endpoint::GetScenario => get(handlers::get_scenario::<S>),
        Endpoint::ImportScenario => post(handlers::import_scenario::<S>),
        Endpoint::AnalyzeScenario => get(handlers::analyze_scenario::<S>),
        Endpoint::SubmitPreferences => post(handlers::submit_preferences::<S>),
        Endpoint::ListPreferences => get(handlers::list_preferences::<S>),
        Endpoint::GetAgreement => get(handlers::get_agreement::<S>),
        Endpoint::SubmitEntry => post(handlers::submit_entry::<S>),
        Endpoint::SubmitEntries => post(handlers::submit_entries::<S>),
        Endpoint::NextSequence => get(handlers::next_sequence::<S>),
        Endpoint::RevokeUser => post(handlers::revoke_user::<S>),
        Endpoint::Ready => get(handlers::ready::<S>),
        Endpoint::Queue => get(handlers::queue::<S>),
        Endpoint::Compliance => get(handlers::compliance::<S>),
        Endpoint::Checkpoint => get(handlers::checkpoint::<S>),
        Endpoint::Tile => get(handlers::tile::<S>),
        Endpoint::Home => get(pages::home::<S>),
        Endpoint::LoginPage => get(pages::login_page::<S>),
        Endpoint::Login => post(pages::login::<S>),
        Endpoint::Logout => post(pages::logout::<S>),
        Endpoint::StancePage => get(pages::stances::<S>),
        Endpoint::AnalysisPage => get(pages::analysis::<S>),
        Endpoint::AgreementPage => get(pages::agreement::<S>),
        Endpoint::MapPage => get(pages::map::<S>),
        Endpoint::QueuePage => get(pages::queue::<S>),
        Endpoint::ObservePage => get(pages::observe::<S>),
        Endpoint::ReportPage => get(pages::report::<S>),
        Endpoint::LogPage => get(pages::log::<S>),
        Endpoint::OpenApi => get(handlers::openapi::<S>),
        Endpoint::Events => get(handlers::events::<S>),
        Endpoint::Timeline => get(table::timeline::<S>),
        Endpoint::Robust => get(table::robust::<S>),
        Endpoint::RobustStream => get(table::robust_stream::<S>),
        Endpoint::Frontier => get(table::frontier::<S>),
        Endpoint::StartSimulation => post(table::start_simulation::<S>),
        Endpoint::Simulation => get(table::simulation::<S>),
        Endpoint::SimulatePage => get(pages::simulate::<S>),
        Endpoint::DraftAgreement => get(table::draft::<S>),
        Endpoint::CheckAgreement => post(table::check_agreement::<S>),
        Endpoint::DailyReport => get(handlers::daily_report::<S>),
        Endpoint::Export => get(handlers::export::<S>),
        Endpoint::AddCheckpoint => post(witness::add_checkpoint::<S>),
        Endpoint::Witnesses => get(witness::list::<S>),
        Endpoint::TimelinePage => get(pages::timeline::<S>),
        Endpoint::LogKey => get(handlers::log_key::<S>),
        Endpoint::ScenariosPage => get(scenario_pages::list::<S>),
        Endpoint::CreateScenario => post(scenario_pages::create::<S>),
        Endpoint::PositionForm => get(scenario_pages::position_form::<S>),
        Endpoint::SavePosition => post(scenario_pages::save_position::<S>),
        Endpoint::VersionsPage => get(scenario_pages::versions::<S>),
        Endpoint::DraftPage => get(scenario_pages::draft_page::<S>),
        Endpoint::PreferencesPage => get(scenario_pages::preferences_form::<S>),
        Endpoint::Asset => get(handlers::asset),
        Endpoint::Zones => get(handlers::zones::<S>),
        Endpoint::Boundaries => get(handlers::boundaries::<S>),
        Endpoint::EntryProof => get(handlers::entry_proof::<S>),
        Endpoint::EntryPage => get(pages::entry::<S>),
        Endpoint::MediaPolicy => get(media::policy::<S>),
        Endpoint::FieldApp => get(field::shell::<S>),
        Endpoint::FieldScript => get(field::script),
        Endpoint::FieldWorker => get(field::worker),
        Endpoint::FieldManifest => get(field::manifest),
        Endpoint::FieldIcon => get(field::icon),
        Endpoint::UploadMedia => put(media::upload::<S>),
        Endpoint::GetMedia => get(media::fetch::<S>),
        Endpoint::ReleaseMedia => post(media::release::<S>),
    }
}

/// The OpenAPI 3.1 document: what every endpoint's handler takes and answers (generated by `aide` from
/// their types), completed from the endpoint table (summary, roles, security).
pub fn openapi_document<S: Store>() -> serde_json::Value {
    let mut api = aide::openapi::OpenApi::default();
    let mut router: ApiRouter<Arc<AppState<S>>> = ApiRouter::new();
    for endpoint in Endpoint::all() {
        router = router.api_route(endpoint.route().1, method_for::<S>(endpoint));
    }
    let _ = router.finish_api(&mut api);
    crate::api::openapi::complete(&mut api);
    let mut doc = serde_json::to_value(&api).unwrap_or_default();
    crate::api::openapi::to_2020_12(&mut doc);
    doc
}

/// Reads the request's body within [`crate::MAX_BODY_BYTES`] at the server's pace
/// ([`AppState::body_pace`]: by default no pause over 15 s, 16 KiB/s on average after 10 s), then hands
/// it on: 408 or 413 otherwise.
async fn paced_body<S: Store>(
    State(st): State<Arc<AppState<S>>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let pace = st.body_pace;
    match media::read_paced(body, crate::MAX_BODY_BYTES, pace, media::BodyKind::Request).await {
        Ok(bytes) => next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await,
        Err(e) if parts.uri.path().starts_with("/ui/") => views::error_page(e, None),
        Err(e) => e.into_response(),
    }
}

/// An address no route has: the API's JSON 404 under `/v1/`, `/log/` and `/witness/`, a page saying
/// so everywhere else.
async fn not_found(uri: axum::http::Uri) -> Response {
    let path = uri.path();
    if ["/v1/", "/log/", "/witness/"].iter().any(|p| path.starts_with(p)) {
        crate::AppError::NotFound.into_response()
    } else {
        views::error_page(crate::AppError::NotFound, None)
    }
}

/// The metrics listener's routes.
pub(crate) fn metrics_routes<S: Store>(state: Arc<AppState<S>>) -> Router {
    Router::new().route("/metrics", plain_get(handlers::metrics::<S>)).with_state(state)
}

/// Authorises the caller for `endpoint` before its handler runs, and leaves the [`crate::Caller`] in the
/// request for the handler's extractor.
async fn bind<S: Store>(
    State((st, endpoint)): State<(Arc<AppState<S>>, Endpoint)>,
    mut request: Request,
    next: Next,
) -> Response {
    match crate::auth::authorise(&st, request.headers(), endpoint).await {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(e) if endpoint.is_page() => views::error_page(e, None),
        Err(e) => e.into_response(),
    }
}
