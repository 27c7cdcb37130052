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

use crate::api::{handlers, negotiation, sources};
use crate::pages::sources as source_pages;
use crate::pages::{field, layout, scenarios, table};
use crate::{AppState, Endpoint, media, pages, witness};

pub(crate) fn routes(state: Arc<AppState>) -> Router {
    let mut router = ApiRouter::new();
    for endpoint in Endpoint::all() {
        let (_, path) = endpoint.route();
        let mut method = method_for(endpoint);
        if endpoint == Endpoint::UploadMedia {
            method = method.layer(axum::extract::DefaultBodyLimit::max(
                // The handler says why a file is too large; beyond the limit by far, the server stops reading.
                state.media.as_ref().map_or(media::DEFAULT_MAX_BYTES, |m| m.max_bytes) + 1,
            ));
        } else {
            // Every body but an upload's (which has its own limit and slots) is read whole, at a pace,
            // before its handler runs: a body trickled or stalled cannot hold a connection and a task.
            method = method.layer(axum::middleware::from_fn_with_state(state.clone(), paced_body));
        }
        let bound = method
            .route_layer(axum::middleware::from_fn_with_state((state.clone(), endpoint), bind));
        router = router.api_route(path, bound);
    }
    // The document is served from [`openapi_document`]; this one only takes what the routes declared.
    let mut scratch = aide::openapi::OpenApi::default();
    router.finish_api(&mut scratch).fallback(not_found).with_state(state)
}

/// Each endpoint's handler, with what it declares for the OpenAPI document.
fn method_for(endpoint: Endpoint) -> ApiMethodRouter<Arc<AppState>> {
    match endpoint {
        Endpoint::WhoAmI => get(handlers::whoami),
        Endpoint::ListScenarios => get(handlers::list_scenarios),
        Endpoint::SaveScenario => put(handlers::save_scenario),
        Endpoint::GetScenario => get(handlers::get_scenario),
        Endpoint::ImportScenario => post(handlers::import_scenario),
        Endpoint::AnalyzeScenario => get(handlers::analyze_scenario),
        Endpoint::SubmitPreferences => post(handlers::submit_preferences),
        Endpoint::ListPreferences => get(handlers::list_preferences),
        Endpoint::GetAgreement => get(handlers::get_agreement),
        Endpoint::SubmitEntry => post(handlers::submit_entry),
        Endpoint::SubmitEntries => post(handlers::submit_entries),
        Endpoint::NextSequence => get(handlers::next_sequence),
        Endpoint::RevokeUser => post(handlers::revoke_user),
        Endpoint::Ready => get(handlers::ready),
        Endpoint::Queue => get(handlers::queue),
        Endpoint::Compliance => get(handlers::compliance),
        Endpoint::Checkpoint => get(handlers::checkpoint),
        Endpoint::Tile => get(handlers::tile),
        Endpoint::Home => get(pages::home),
        Endpoint::LoginPage => get(pages::login_page),
        Endpoint::Login => post(pages::login),
        Endpoint::Logout => post(pages::logout),
        Endpoint::StancePage => get(table::stances),
        Endpoint::AnalysisPage => get(table::analysis),
        Endpoint::AgreementPage => get(pages::agreement),
        Endpoint::MapPage => get(pages::map),
        Endpoint::QueuePage => get(pages::queue),
        Endpoint::ObservePage => get(pages::observe),
        Endpoint::ReportPage => get(pages::report),
        Endpoint::LogPage => get(pages::log),
        Endpoint::OpenApi => get(openapi),
        Endpoint::Events => get(handlers::events),
        Endpoint::Timeline => get(negotiation::timeline),
        Endpoint::Robust => get(negotiation::robust),
        Endpoint::RobustStream => get(negotiation::robust_stream),
        Endpoint::Frontier => get(negotiation::frontier),
        Endpoint::StartSimulation => post(negotiation::start_simulation),
        Endpoint::Simulation => get(negotiation::simulation),
        Endpoint::SimulatePage => get(table::simulate),
        Endpoint::DraftAgreement => get(negotiation::draft),
        Endpoint::CheckAgreement => post(negotiation::check_agreement),
        Endpoint::DailyReport => get(handlers::daily_report),
        Endpoint::Export => get(handlers::export),
        Endpoint::AddCheckpoint => post(witness::add_checkpoint),
        Endpoint::Witnesses => get(witness::list),
        Endpoint::TimelinePage => get(table::timeline),
        Endpoint::LogKey => get(handlers::log_key),
        Endpoint::ScenariosPage => get(scenarios::list),
        Endpoint::CreateScenario => post(scenarios::create),
        Endpoint::PositionForm => get(scenarios::position_form),
        Endpoint::SavePosition => post(scenarios::save_position),
        Endpoint::VersionsPage => get(scenarios::versions),
        Endpoint::DraftPage => get(scenarios::draft_page),
        Endpoint::PreferencesPage => get(scenarios::preferences_form),
        Endpoint::Asset => get(handlers::asset),
        Endpoint::Zones => get(handlers::zones),
        Endpoint::Boundaries => get(handlers::boundaries),
        Endpoint::EntryProof => get(handlers::entry_proof),
        Endpoint::EntryPage => get(pages::entry),
        Endpoint::MediaPolicy => get(media::policy),
        Endpoint::FieldApp => get(field::shell),
        Endpoint::FieldScript => get(field::script),
        Endpoint::FieldWorker => get(field::worker),
        Endpoint::FieldManifest => get(field::manifest),
        Endpoint::FieldIcon => get(field::icon),
        Endpoint::Favicon => get(field::icon),
        Endpoint::UploadMedia => put(media::upload),
        Endpoint::GetMedia => get(media::fetch),
        Endpoint::ReleaseMedia => post(media::release),
        Endpoint::ArchiveSource => post(sources::archive_source),
        Endpoint::GetSource => get(sources::source),
        Endpoint::SourceOriginal => get(sources::source_original),
        Endpoint::Extract => post(sources::extract),
        Endpoint::SourcePage => get(source_pages::source),
        Endpoint::ExtractPage => get(source_pages::extract_form),
        Endpoint::ExtractSubmit => post(source_pages::extract_submit),
    }
}

/// `GET /v1/openapi.json`: the document, generated once (here, beside the routes it is generated from,
/// so that no handler module reaches back into the router).
async fn openapi(
    State(_): State<Arc<AppState>>,
) -> Result<axum::Json<serde_json::Value>, crate::AppError> {
    static DOCUMENT: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    Ok(axum::Json(DOCUMENT.get_or_init(openapi_document).clone()))
}

/// The OpenAPI 3.1 document: what every endpoint's handler takes and answers (generated by `aide` from
/// their types), completed from the endpoint table (summary, roles, security).
pub fn openapi_document() -> serde_json::Value {
    let mut api = aide::openapi::OpenApi::default();
    let mut router: ApiRouter<Arc<AppState>> = ApiRouter::new();
    for endpoint in Endpoint::all() {
        router = router.api_route(endpoint.route().1, method_for(endpoint));
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
async fn paced_body(State(st): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let pace = st.body_pace;
    match media::read_paced(body, crate::MAX_BODY_BYTES, pace, media::BodyKind::Request).await {
        Ok(bytes) => next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await,
        Err(e) if parts.uri.path().starts_with("/ui/") => {
            layout::error_page(e, Some(&reader(&parts.uri, &parts.headers)))
        }
        Err(e) => e.into_response(),
    }
}

/// An address no route has: the API's JSON 404 under `/v1/`, `/log/` and `/witness/`, a page saying
/// so everywhere else.
async fn not_found(uri: axum::http::Uri, headers: axum::http::HeaderMap) -> Response {
    let path = uri.path();
    if ["/v1/", "/log/", "/witness/"].iter().any(|p| path.starts_with(p)) {
        crate::AppError::NotFound.into_response()
    } else {
        layout::error_page(crate::AppError::NotFound, Some(&reader(&uri, &headers)))
    }
}

/// The public, reading in the language the request asks for: whom an error page speaks to before the
/// caller is known.
fn reader(uri: &axum::http::Uri, headers: &axum::http::HeaderMap) -> crate::Caller {
    crate::Caller {
        lang: crate::locale::of_request(uri, headers).lang,
        here: crate::locale::here(uri),
        ..Default::default()
    }
}

/// The metrics listener's routes.
pub(crate) fn metrics_routes(state: Arc<AppState>) -> Router {
    Router::new().route("/metrics", plain_get(handlers::metrics)).with_state(state)
}

/// Authorises the caller for `endpoint` before its handler runs, and leaves the [`crate::Caller`] in the
/// request for the handler's extractor.
async fn bind(
    State((st, endpoint)): State<(Arc<AppState>, Endpoint)>,
    mut request: Request,
    next: Next,
) -> Response {
    let asked = crate::locale::of_request(request.uri(), request.headers());
    let here = crate::locale::here(request.uri());
    let mut response = match crate::auth::authorise(&st, request.headers(), endpoint).await {
        Ok(mut caller) => {
            crate::trace::caller(caller.id(), caller.role().as_str());
            caller.lang = asked.lang;
            caller.here = here;
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(e) if endpoint.is_page() => layout::error_page(
            e,
            Some(&crate::Caller { lang: asked.lang, here, ..Default::default() }),
        ),
        Err(e) => e.into_response(),
    };
    // A language chosen with `?lang=` on a page is remembered for the browser's session.
    if asked.chosen && endpoint.is_page() {
        let cookie = crate::locale::cookie(asked.lang, st.secure_cookies);
        response.headers_mut().append(axum::http::header::SET_COOKIE, cookie);
    }
    response
}
