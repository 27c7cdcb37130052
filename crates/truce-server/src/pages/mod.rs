//! The web UI: server-rendered pages, templates in [`crate::pages::layout`] (maud, escaped by default), a little
//! hand-written JavaScript (signing entries in the browser, the map's list filter), no build step. Every
//! page is an [`crate::Endpoint`] of the matrix, and renders the same documents the API returns. Pages
//! use labels, headings, tables with headers, visible focus, and colours with enough contrast; every
//! chart has a text equivalent.

pub(crate) mod field;
pub(crate) mod layout;
pub(crate) mod scenarios;
pub(crate) mod sources;
pub(crate) mod table;

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use schemars::JsonSchema;
use serde::Deserialize;
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
    // An observer's own latest observations; a delegate's, the latest attributed to its party (to concur
    // with or dispute). Read from the durable view, newest first, ten at most.
    let keys = match (&c.user, role) {
        (Some(u), truce_store::Role::Observer) => st.store.keys_of(u.id).await.unwrap_or_default(),
        _ => Vec::new(),
    };
    let party = own_party.clone().filter(|_| role == truce_store::Role::PartyDelegate);
    let recent: Vec<(u64, String, String, String)> = match st.watch.clone() {
        Some(l) if !keys.is_empty() || party.is_some() => st
            .record(move || {
                let Ok(state) = l.read() else { return Vec::new() };
                state
                    .registry()
                    .observations
                    .iter()
                    .rev()
                    .filter(|(_, r)| r.superseded_by.is_none())
                    .filter(|(_, r)| {
                        keys.contains(&r.author)
                            || party
                                .as_ref()
                                .is_some_and(|p| r.attributions.iter().any(|a| a.1 == *p))
                    })
                    .take(10)
                    .map(|(i, r)| {
                        let o = &r.observation;
                        (*i, o.class.clone(), o.start.clone(), r.state.as_str().to_string())
                    })
                    .collect()
            })
            .await
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    // Each scenario by its title (its slug where it has none).
    let mut titled: Vec<(String, String)> = Vec::new();
    for slug in &scenarios {
        let title = st.scenario(slug, None).await.ok().and_then(|(_, p)| p.meta.title.clone());
        titled.push((slug.clone(), title.unwrap_or_else(|| slug.clone())));
    }
    let recent_title =
        if role == truce_store::Role::Observer { "home-own-entries" } else { "home-party-entries" };
    let body = html! {
        section #start aria-labelledby="start-title" {
            h2 #start-title { (w.get("home-first")) }
            p { (first) }
            ul { @for (href, label) in &links { li { a href=(href) { (label) } } } }
        }
        @if !recent.is_empty() {
            section #recent aria-labelledby="recent-title" {
                h2 #recent-title { (w.get(recent_title)) }
                ul {
                    @for (i, class, start, state) in &recent {
                        li {
                            a href={ "/ui/entries/" (i) } { (w.with("agreement-entry", &[("index", (*i).into())])) } ": "
                            (vocabulary(c.lang, "class", class)) ", " (start.replace('T', " ").replace('Z', " UTC")) " — " (vocabulary(c.lang, "state", state))
                        }
                    }
                }
            }
        }
        p { (w.get("home-intro")) }
        @if !scenarios.is_empty() {
            h2 { (w.get("home-scenarios")) }
            ul {
                @for (slug, title) in &titled {
                    li {
                        a href={ "/ui/scenarios/" (slug) } { (title) } " — "
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
    // Signed in already: the page says as whom, and the form (with the session's CSRF token, which every
    // form of a session carries) switches to the user of the token given.
    let action = match &c.csrf {
        Some(csrf) => format!("/ui/login?csrf={csrf}"),
        None => "/ui/login".to_string(),
    };
    let body = html! {
        @if let Some(u) = &c.user {
            p.warning role="status" {
                (w.with("login-signed-in", &[("name", u.name.clone().into()), ("role", w.get(&format!("role-{}", u.role.as_str())).into())]))
            }
        }
        form method="post" action=(action) {
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

pub(crate) async fn login(
    State(st): St,
    c: Caller,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    // The token signs the browser in; the cookie then holds a new session's id, never the token.
    let user = match st.store.user_by_token(token_hash(form.token.trim())).await {
        Ok(u) => u,
        Err(_) => return error_page(AppError::Unauthorized, Some(&c)),
    };
    let id = match crate::security::new_session_id() {
        Ok(id) => id,
        Err(e) => return AppError::Internal(format!("no randomness: {e}")).into_response(),
    };
    // Switching users: the session this browser held ends in the store, not only in the browser.
    if let Some(old) = crate::security::session_id(&headers)
        && let Err(e) = st.store.end_session(token_hash(&old)).await
    {
        return AppError::from(e).into_response();
    }
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
    agreement: &truce_accord::Agreement,
    lang: truce_i18n::Lang,
) -> Markup {
    let w = lang.words();
    let title = agreement.title.as_str();
    // Each commitment by its provision and action; each actor by name.
    let provisions: std::collections::HashMap<
        &str,
        (&truce_accord::Provision, &truce_accord::Commitment),
    > = agreement
        .provisions
        .iter()
        .flat_map(|p| p.commitments.iter().map(move |c| (c.id.as_str(), (p, c))))
        .collect();
    let actor = |id: &str| -> String {
        agreement
            .actors
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    };
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
        details #pam {
            summary { (w.get("agreement-pam-what")) }
            p { (w.with("agreement-pam-explained", &[("days", agreement.mechanism.lookback_days.into())])) }
        }
        div.wide tabindex="0" { table #compliance {
            caption { (w.get("agreement-caption")) }
            thead { tr {
                th scope="col" { (w.get("agreement-col-commitment")) } th scope="col" { (w.get("agreement-col-obligor")) }
                th scope="col" { (w.get("agreement-col-status")) } th scope="col" { (w.get("agreement-col-pam")) }
                th scope="col" { (w.get("agreement-col-days")) } th scope="col" { (w.get("agreement-col-why")) }
            } }
            tbody {
                @for s in &report.commitments {
                    tr {
                        th scope="row" {
                            @match provisions.get(s.commitment.as_str()) {
                                Some((p, c)) => {
                                    (w.with("agreement-provision", &[("number", p.number.clone().into()), ("title", p.title.clone().into())]))
                                    br; span.action { (w.get(if c.modality == truce_accord::Modality::MustNot { "agreement-must-not" } else { "agreement-must" })) ": " (c.action) }
                                    br; code { (s.commitment) }
                                }
                                None => code { (s.commitment) },
                            }
                        }
                        td { (actor(&s.obligor)) }
                        td class={ "st-" (s.label().replace(|c: char| !c.is_ascii_alphanumeric(), "_")) } { (status_words(s, lang)) }
                        td { (s.pam_score) }
                        td {
                            (s.violation_days.len())
                            @if let Some(first) = first_day { br; (day_strip(s, first, report.as_of, lang)) }
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
    let [lon, lat] = o.event();
    if let Some(near) = place_words(lang, lat, lon) {
        rows.push((w.get("entry-near"), html! { (near) }));
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
/// The nearest place of the gazetteer to a point, in `lang`: "4 km NE of Debaltseve, Donetsk region";
/// `None` farther than [`truce_watch::gazetteer::NEAR_KM`] from any.
pub(crate) fn place_words(lang: truce_i18n::Lang, lat: f64, lon: f64) -> Option<String> {
    truce_watch::gazetteer::shipped().nearest(lat, lon).map(|n| n.words(lang))
}

pub(crate) fn vocabulary(lang: truce_i18n::Lang, kind: &str, id: &str) -> String {
    truce_watch::report::vocabulary(lang, kind, id)
}

/// A commitment's status in words, in `lang`.
fn status_words(s: &truce_watch::compliance::Standing, lang: truce_i18n::Lang) -> String {
    truce_watch::report::status_words(s, lang)
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

/// The gazetteer's places for a script, in `lang`: `[id, latitude, longitude, name, population, [every
/// spelling]]`, for town labels, naming the nearest place and finding a place by any of its names.
fn places_island(lang: truce_i18n::Lang) -> Vec<serde_json::Value> {
    truce_watch::gazetteer::shipped()
        .places()
        .iter()
        .map(|p| {
            let all: Vec<&str> = [&p.names.en, &p.names.uk, &p.names.ru]
                .into_iter()
                .map(String::as_str)
                .filter(|n| !n.is_empty())
                .collect();
            serde_json::json!([p.id, p.lat, p.lon, p.names.get(lang.code()), p.population, all])
        })
        .collect()
}

/// The map script's words in the reader's language: message templates (their `{name}` filled in by the
/// script), the vocabulary of classes, sensors, states, zone kinds and directions, the parties' names,
/// and the gazetteer's places (id, latitude, longitude, name, population) for town labels, the nearest
/// place of each observation and the place search.
fn map_words(st: &AppState, lang: truce_i18n::Lang) -> serde_json::Value {
    use serde_json::json;
    let messages: &[(&str, &str, &[&str])] = &[
        ("boundaries", "map-js-boundaries", &["view"]),
        ("observation", "map-js-observation", &["state"]),
        ("sensor", "map-js-sensor", &["sensor"]),
        ("approximate", "map-js-approximate", &[]),
        ("attributed", "map-js-attributed", &["parties"]),
        ("nobody", "map-js-nobody", &[]),
        ("verification", "map-js-verification", &["state"]),
        ("entry", "map-js-entry", &["index"]),
        ("showEntry", "map-js-show-entry", &["index"]),
        ("marker", "map-js-marker", &["class", "index"]),
        ("status", "map-js-status", &["shown", "total"]),
        ("statusSpan", "map-js-status-span", &["shown", "total", "from", "to"]),
        ("start", "map-js-start", &[]),
        ("end", "map-js-end", &[]),
        ("failed", "map-js-failed", &["error"]),
        ("zoneKm", "map-js-zone-km", &["km", "line"]),
        ("show", "map-show", &[]),
        ("near", "place-near", &["km", "direction", "place"]),
        ("in", "place-in", &["place"]),
        ("found", "map-place-found", &["place"]),
        ("none", "place-search-none", &[]),
        ("credit", "places-credit", &[]),
    ];
    let t = script::templates(lang, messages);
    let vocabulary = |kind: &str, ids: &[&str]| -> serde_json::Map<String, serde_json::Value> {
        ids.iter().map(|id| (id.to_string(), json!(vocabulary(lang, kind, id)))).collect()
    };
    let states =
        ["received", "under_review", "corroborated", "disputed", "unverifiable", "rejected"];
    let kinds = ["contact_line", "withdrawal_line", "security_zone", "disengagement_area"];
    let directions = ["n", "ne", "e", "se", "s", "sw", "w", "nw"];
    let parties: serde_json::Map<String, serde_json::Value> = st
        .watch
        .as_ref()
        .map(|w| w.agreement().actors.iter().map(|a| (a.id.clone(), json!(a.name))).collect())
        .unwrap_or_default();
    let places = places_island(lang);
    json!({
        "t": t,
        "classes": vocabulary("class", truce_watch::entry::CLASSES),
        "sensors": vocabulary("sensor", &["saw", "heard", "camera", "uav", "crater_analysis"]),
        "states": vocabulary("state", &states),
        "kinds": vocabulary("zone", &kinds),
        "directions": vocabulary("direction", &directions),
        "parties": parties,
        "places": places,
    })
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
            form #place-form role="search" {
                label for="place" { (lw.get("place-search")) } " "
                input #place type="search" name="place" autocomplete="off" aria-describedby="place-hint"; " "
                button type="submit" { (lw.get("map-place-go")) } " "
                span #place-status role="status" aria-live="polite" {}
                br; span #place-hint.muted { (lw.get("place-search-hint")) }
            }
            details #legend open {
                summary { (lw.get("map-legend")) }
                ul #legend-items {}
                p.muted { (lw.get("map-legend-note")) }
            }
            h2 { (lw.get("map-observations")) }
            p { label for="filter" { (lw.get("map-search")) } " " input #filter type="search" placeholder=(lw.get("map-search-hint")); }
            div.wide tabindex="0" { table #observations {
                thead { tr {
                    th scope="col" { (lw.get("map-col-entry")) } th scope="col" { (lw.get("map-col-when")) } th scope="col" { (lw.get("map-col-place")) } th scope="col" { (lw.get("map-col-class")) }
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
            (script::data_island("map-words", &map_words(&st, c.lang)))
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
    let names: std::collections::HashMap<String, String> = st
        .watch
        .as_ref()
        .map(|w| w.agreement().actors.iter().map(|a| (a.id.clone(), a.name.clone())).collect())
        .unwrap_or_default();
    let script_words = serde_json::json!({
        "t": script::templates(c.lang, &[
            ("submit", "observe-submit", &[]),
            ("sending", "observe-js-sending", &[]),
            ("already", "observe-js-already", &[]),
            ("notYet", "observe-js-not-yet", &["why", "error"]),
            ("networkFailed", "observe-js-network-failed", &[]),
            ("serverAnswered", "observe-js-server-answered", &["status"]),
            ("again", "observe-js-again", &[]),
            ("appended", "observe-js-appended", &["name", "index"]),
            ("seeEntry", "observe-js-see-entry", &["index"]),
            ("notRecorded", "observe-js-not-recorded", &["error"]),
            ("pasteAgain", "observe-js-paste-again", &[]),
            ("none", "place-search-none", &[]),
            ("placed", "observe-js-placed", &["place"]),
        ]),
        "places": places_island(c.lang),
    });
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
                    label for="place" { (lw.get("place-search")) } br;
                    input #place type="search" autocomplete="off" aria-describedby="place-status"; " "
                    button #place-find type="button" { (lw.get("map-place-go")) } " "
                    span #place-status role="status" aria-live="polite" { (lw.get("place-search-hint")) }
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
                        @for p in &parties { option value=(p) { (names.get(p).unwrap_or(p)) } }
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
        (script::data_island("observe-words", &script_words))
        (sources.inline(&script::SIGNING))
        (sources.inline(&script::OBSERVE))
    };
    page_running(&st, &c, &lw.get("observe-title"), body, sources).await
}

/// What the queue shows of an observation besides the index's row: its start, count, whether the count
/// is approximate, and how many media files it holds.
type Seen = (String, u32, bool, usize);

/// The verifiers' queue: each observation with its time, place, class and count, its media and
/// observer, and the buttons of the next transitions (a reason field for "unverifiable" and "reject").
/// The key is loaded once per session and kept as a non-extractable WebCrypto key; a transition
/// updates its row in place (`assets/js/queue.js`).
pub(crate) async fn queue(State(st): St, c: Caller) -> Result<Response, PageError> {
    Ok({
        let q = crate::app::record::review_queue(&st, 200).await.or_page(&c)?;
        // The observations' details, from the durable view, off the async workers.
        let indices: Vec<u64> = q.iter().map(|(e, _)| e.index as u64).collect();
        let seen: std::collections::HashMap<u64, Seen> = match st.watch.clone() {
            Some(w) => st
                .record(move || {
                    let Ok(state) = w.read() else { return Default::default() };
                    let registry = state.registry();
                    indices
                        .iter()
                        .filter_map(|i| {
                            let o = &registry.observations.get(i)?.observation;
                            Some((*i, (o.start.clone(), o.count, o.approximate, o.media.len())))
                        })
                        .collect()
                })
                .await
                .or_page(&c)?,
            None => Default::default(),
        };
        // The observers by name, each author key looked up once.
        let mut observers: std::collections::HashMap<String, String> = Default::default();
        for (e, _) in &q {
            if observers.contains_key(&e.author) {
                continue;
            }
            let name = match st.store.key_holder(&e.author).await {
                Ok(id) => st.store.user(id).await.map(|u| u.name).unwrap_or_default(),
                Err(_) => String::new(),
            };
            observers.insert(e.author.clone(), name);
        }
        let mut sources = Sources::default();
        let lw = c.lang.words();
        let states: serde_json::Map<String, serde_json::Value> =
            ["received", "under_review", "corroborated", "disputed", "unverifiable", "rejected"]
                .iter()
                .map(|s| (s.to_string(), vocabulary(c.lang, "state", s).into()))
                .collect();
        let words = serde_json::json!({
            "t": script::templates(c.lang, &[
                ("now", "queue-js-now", &["index", "state", "entry"]),
                ("failed", "queue-js-failed", &["error"]),
                ("needReason", "queue-js-need-reason", &["index"]),
                ("noKey", "queue-js-no-key", &[]),
                ("kept", "queue-js-kept", &["name"]),
                ("corroborate", "queue-corroborate", &["index"]),
                ("unverifiable", "queue-unverifiable", &["index"]),
                ("rejected", "queue-reject", &["index"]),
                ("reason", "queue-reason", &["index"]),
                ("done", "queue-js-done", &[]),
            ]),
            "states": states,
        });
        let body = html! {
            p { (lw.with("queue-intro", &[("count", q.len().into())])) }
            p #key-status role="status" aria-live="polite" {}
            p #key-entry {
                label for="keyfile" { (lw.get("queue-keyfile")) } br; textarea #keyfile rows="3" cols="70" {}
                br; span.muted { (lw.get("queue-key-once")) }
            }
            p #result role="status" aria-live="polite" {}
            div.wide tabindex="0" { table #queue {
                thead { tr {
                    th scope="col" { (lw.get("queue-col-entry")) } th scope="col" { (lw.get("map-col-when")) } th scope="col" { (lw.get("map-col-place")) }
                    th scope="col" { (lw.get("queue-col-class")) } th scope="col" { (lw.get("queue-col-observer")) }
                    th scope="col" { (lw.get("queue-col-state")) } th scope="col" { (lw.get("queue-col-verify")) }
                } }
                tbody {
                    @for (e, disputed_by) in &q {
                        @let details = seen.get(&(e.index as u64));
                        tr data-index=(e.index) {
                            td { a href={ "/ui/entries/" (e.index) } { (e.index) } }
                            td {
                                (details.map(|d| d.0.replace('T', " ").replace('Z', " UTC")).or_else(|| e.day.clone()).unwrap_or_default())
                                @if let Some(day) = &e.day { br; a href={ "/ui/map?date=" (day) } { (lw.get("queue-on-map")) } }
                            }
                            td { (e.position.and_then(|(lat, lon)| place_words(c.lang, lat as f64 / 1e6, lon as f64 / 1e6)).unwrap_or_default()) }
                            td {
                                (e.class.as_deref().map(|k| vocabulary(c.lang, "class", k)).unwrap_or_default())
                                @if let Some((_, count, approximate, media)) = details {
                                    " ×" (count) @if *approximate { " " (lw.get("map-js-approximate")) }
                                    @if *media > 0 { br; a href={ "/ui/entries/" (e.index) } { (lw.with("queue-media", &[("count", (*media).into())])) } }
                                }
                            }
                            td {
                                @match observers.get(&e.author).filter(|n| !n.is_empty()) {
                                    Some(name) => (name),
                                    None => code { (e.author.get(..12).unwrap_or("")) "…" },
                                }
                            }
                            td.state {
                                (e.state.as_deref().map(|k| vocabulary(c.lang, "state", k)).unwrap_or_default())
                                @if !disputed_by.is_empty() { br; strong.disputed { (lw.with("queue-disputed-by", &[("parties", disputed_by.join(", ").into())])) } }
                            }
                            td.verify {
                                @if e.state.as_deref() == Some("under_review") {
                                    button data-of=(e.index) data-to="corroborated" { (lw.with("queue-corroborate", &[("index", e.index.into())])) } " "
                                    label.plain for={ "reason-" (e.index) } { (lw.with("queue-reason", &[("index", e.index.into())])) } " "
                                    input id={ "reason-" (e.index) } type="text" maxlength="500"; " "
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
            (script::data_island("queue-words", &words))
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
                    (d.body_in(a, v, 2, lang))
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
                div.wide tabindex="0" { table #witnesses {
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
                    div.wide tabindex="0" { table #fields {
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
    lang: truce_i18n::Lang,
) -> Markup {
    let w = lang.words();
    let days: Vec<truce_scenario::Date> =
        first.series(jiff::Span::new().days(1)).take_while(|d| *d <= last).take(400).collect();
    let violated: std::collections::BTreeSet<_> = s.violation_days.iter().collect();
    let words = w.with(
        "agreement-strip",
        &[
            ("days", s.violation_days.len().into()),
            ("first", first.to_string().into()),
            ("last", last.to_string().into()),
        ],
    );
    let width = (days.len() * 4).max(120);
    let shown = days.last().copied().unwrap_or(last);
    html! {
        svg.strip width=(width) height="26" viewBox={ "0 0 " (width) " 26" } role="img" aria-label=(words) {
            title { (words) }
            @for (k, d) in days.iter().enumerate() {
                @let (class, said) = if violated.contains(d) {
                    ("day-v", "agreement-day-violation")
                } else if s.judged_from.is_some_and(|j| *d >= j) {
                    ("day-ok", "agreement-day-ok")
                } else {
                    ("day-pre", "agreement-day-pre")
                };
                rect class=(class) x=(k * 4) y="0" width="3" height="12" { title { (d) ": " (w.get(said).trim_end_matches([',', '.'])) } }
            }
            text x="0" y="24" font-size="9" fill="#333" { (first) }
            text x=(width) y="24" font-size="9" fill="#333" text-anchor="end" { (shown) }
        }
    }
}

/// A vocabulary value as the log writes it (`observer`, `likely`, …).
fn word<T: serde::Serialize>(t: &T) -> String {
    serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
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
