//! Who may call what: every endpoint, its route and the roles allowed on it, declared once in the
//! `endpoints!` table below. The enum, the list of all endpoints, the routes and the matrix all come
//! from that one table, so an endpoint cannot exist without its row; the router is built from
//! [`Endpoint::ALL`], and the authorisation test drives every endpoint with every role from it. A caller
//! without a token is `public`. Finer rules (a party delegate acts only for its own party) are checked
//! in the handlers and tested there.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use truce_store::Role::*;
use truce_store::{Role, Store, token_hash};

use crate::{AppError, AppState, Caller};

/// Declares the endpoints: name, method, route, allowed roles, and what it does.
macro_rules! endpoints {
    ($($name:ident => $method:literal $path:literal [$($role:ident),*] $doc:literal;)*) => {
        /// Every endpoint of the server.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Endpoint {
            $(#[doc = $doc] $name,)*
        }

        impl Endpoint {
            /// Every endpoint, in declaration order.
            pub const ALL: &'static [Endpoint] = &[$(Endpoint::$name),*];

            /// Its method and route.
            pub fn route(self) -> (&'static str, &'static str) {
                match self {
                    $(Endpoint::$name => ($method, $path),)*
                }
            }

            /// The roles allowed.
            pub fn roles(self) -> &'static [Role] {
                match self {
                    $(Endpoint::$name => &[$($role),*],)*
                }
            }

            /// What it does.
            pub fn doc(self) -> &'static str {
                match self {
                    $(Endpoint::$name => $doc,)*
                }
            }
        }
    };
}

endpoints! {
    WhoAmI => "GET" "/v1/whoami" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The caller's name and role.";
    ListScenarios => "GET" "/v1/scenarios" [Mediator, Analyst, PartyDelegate] "The scenarios' slugs.";
    SaveScenario => "PUT" "/v1/scenarios/{slug}" [Mediator, Analyst] "Save a new version (TOML body, validated).";
    ImportScenario => "POST" "/v1/scenarios/{slug}/import" [Mediator, Analyst] "Imports a Genius or GeniusWeb domain folder (`{files: [{name, text}], profiles?, semantics?}`) as a new version, converted as `truce import` converts it; 422 with the diagnostics otherwise.";
    GetScenario => "GET" "/v1/scenarios/{slug}" [Mediator, Analyst, PartyDelegate] "The latest version's text (`?version=N` for another).";
    AnalyzeScenario => "GET" "/v1/scenarios/{slug}/analysis" [Mediator, Analyst, PartyDelegate] "Feasibility, blockers and bargaining results.";
    SubmitPreferences => "POST" "/v1/scenarios/{slug}/preferences" [Mediator, PartyDelegate] "A party's confidential numeric preferences.";
    ListPreferences => "GET" "/v1/scenarios/{slug}/preferences" [Mediator] "Every raw submission (mediators only).";
    GetAgreement => "GET" "/v1/agreement" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The agreement monitored, as TOML.";
    SubmitEntry => "POST" "/v1/entries" [Mediator, PartyDelegate, Observer, Verifier] "A signed entry for the log, by a key the caller holds; acknowledged once durable. 409 for a replay (a sequence number that does not increase).";
    SubmitEntries => "POST" "/v1/entries/batch" [Mediator, PartyDelegate, Observer, Verifier] "Several signed entries, one per line (at most 256), as a device uploads its queue: each checked, queued and acknowledged as `POST /v1/entries` would, in order; the answer lists each one's outcome (`{\"index\"}`, or `{\"status\", \"error\"}`), and one refusal does not stop the others.";
    Ready => "GET" "/readyz" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "Readiness: 200 when the log accepts writes and the store answers, 503 with the reason otherwise (after a storage fault, until the server has recovered by itself).";
    RevokeUser => "POST" "/v1/users/{name}/revoke" [Mediator] "Revokes every token of a user and ends its web sessions (this server stops accepting them at once).";
    NextSequence => "GET" "/v1/keys/{key}/sequence" [Mediator, PartyDelegate, Observer, Verifier] "The sequence number the key's next entry must carry (`{\"key\", \"next\"}`).";
    Queue => "GET" "/v1/queue" [Mediator, Verifier] "Observations awaiting verification, oldest first: received or under review, and decided ones a party has disputed since (`disputed_by` names the parties).";
    Compliance => "GET" "/v1/compliance" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The compliance report (`?as_of=YYYY-MM-DD`).";
    Checkpoint => "GET" "/log/checkpoint" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The latest signed checkpoint (C2SP tlog-tiles).";
    Tile => "GET" "/log/tile/{*path}" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "Hash tiles and entry bundles (C2SP tlog-tiles).";
    Home => "GET" "/" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The home page.";
    LoginPage => "GET" "/ui/login" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The sign-in form.";
    Login => "POST" "/ui/login" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "Sign in with a token (an HttpOnly, SameSite=Strict cookie).";
    Logout => "POST" "/ui/logout" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "Sign out.";
    ScenariosPage => "GET" "/ui/scenarios" [Mediator, Analyst, PartyDelegate] "The scenarios on file; mediators and analysts also get the form for a new scenario or version.";
    CreateScenario => "POST" "/ui/scenarios" [Mediator, Analyst] "Saves a scenario's TOML from the form as a new version, or shows its diagnostics.";
    PositionForm => "GET" "/ui/scenarios/{slug}/positions" [Mediator, Analyst] "The form that adds a position, or corrects one (`?line=N`).";
    SavePosition => "POST" "/ui/scenarios/{slug}/positions" [Mediator, Analyst] "Adds or corrects a position from the form: checked as the CLI checks a scenario, saved as a new version, or sent back with each diagnostic beside its field.";
    PreferencesPage => "GET" "/ui/scenarios/{slug}/preferences" [Mediator, PartyDelegate] "A party's confidential preferences form (weights, utilities, reservation value) with a live preview of the party's own utilities; a delegate's is its own party's, a mediator names one (`?party=`).";
    DraftPage => "GET" "/ui/scenarios/{slug}/draft" [Mediator, Analyst] "The agreement drafted from one of the Table's packages (`?package=nash|maximin|ks|utilitarian`), as commitments, with its TOML.";
    VersionsPage => "GET" "/ui/scenarios/{slug}/versions" [Mediator, Analyst, PartyDelegate] "A scenario's versions, each with a line diff against the one before (`?version=N`).";
    StancePage => "GET" "/ui/scenarios/{slug}" [Mediator, Analyst, PartyDelegate] "The party × option stance matrix, citations one click away.";
    AnalysisPage => "GET" "/ui/scenarios/{slug}/analysis" [Mediator, Analyst, PartyDelegate] "Readings, blockers, concessions, bargaining solutions.";
    AgreementPage => "GET" "/ui/agreement" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "Each commitment's compliance status and evidence.";
    MapPage => "GET" "/ui/map" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The observation map with a boundary-view selector, and a filterable list.";
    QueuePage => "GET" "/ui/queue" [Mediator, Verifier] "The verification queue, with buttons that sign verification entries in the browser.";
    ObservePage => "GET" "/ui/observe" [Observer] "The observation form: signs the observation in the browser with the observer's key file and submits it.";
    ReportPage => "GET" "/ui/reports/daily" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The daily report.";
    OpenApi => "GET" "/v1/openapi.json" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "This API's OpenAPI 3.1 document.";
    Events => "GET" "/v1/events" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "Server-sent events: one `entry` event per entry appended to the log (its index and kind).";
    Timeline => "GET" "/v1/scenarios/{slug}/timeline" [Mediator, Analyst, PartyDelegate] "How the feasible space evolved (`truce.timeline/1`): `?from=&to=` (YYYY-MM-DD; default the months the positions span), `&step=month|quarter`, `&parties=A,B`; `&format=svg` for the chart.";
    Robust => "GET" "/v1/scenarios/{slug}/robust" [Mediator, Analyst, PartyDelegate] "How robust the answer is to unknown weights and stances: `?draws=200&seed=1&unknown_red_line=0.5&parties=` (at most 2,000 draws).";
    RobustStream => "GET" "/v1/scenarios/{slug}/robust/stream" [Mediator, Analyst, PartyDelegate] "The robustness run of `…/robust` (same parameters) as server-sent events: `progress` (`{done, draws}`) while it runs, then `result` (the report) or `error`; it stops when the client goes away.";
    StartSimulation => "POST" "/v1/scenarios/{slug}/simulations" [Mediator, Analyst, PartyDelegate] "Start a negotiation rehearsal in the background: a JSON body of `protocols`, `agents` (one for all parties or one per party), `rounds`, `seed`, `reading`, `parties`, `as_of`, `axes` (every field optional); 202 with the job's `href`. At most 4 queued or running per caller, taken in turn with other callers'; the same request again, while its job is kept, is that job.";
    Simulation => "GET" "/v1/simulations/{id}" [Mediator, Analyst, PartyDelegate] "A rehearsal started by the caller (mediators: any): `status` queued, running, done, failed or interrupted (its server stopped), and when done the `truce.simulation/1` document; `?format=svg&run=N` for run N's offer-trace plot over the Pareto set; `?format=status` for the status alone. Finished rehearsals are kept in the store per caller (16, for an hour): any server sharing the store answers, after a restart too.";
    SimulatePage => "GET" "/ui/scenarios/{slug}/simulate" [Mediator, Analyst, PartyDelegate] "Rehearse the negotiation: choose protocols, agents, rounds and seed; each run's agreement with its citations and its offer trace over the Pareto set.";
    Frontier => "GET" "/v1/scenarios/{slug}/frontier" [Mediator, Analyst, PartyDelegate] "The Pareto set as two or three parties see it (`truce.frontier/1`): `?parties=A,B[,C]&reading=red_lines`; `&format=svg` for the plot.";
    DraftAgreement => "GET" "/v1/scenarios/{slug}/draft" [Mediator, Analyst] "An agreement drafted from a package, as TOML: `?package=nash|maximin|ks|utilitarian|option,option,…&day_one=YYYY-MM-DD`.";
    CheckAgreement => "POST" "/v1/agreements/check" [Mediator, Analyst] "Validates an agreement (TOML body): 422 with each diagnostic's file, line and field, or a summary.";
    DailyReport => "GET" "/v1/reports/daily" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The daily report: `?date=YYYY-MM-DD` (default the latest day with observations), `&view=`, `&format=md|html`.";
    Export => "GET" "/v1/export" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The observations on the log: `?format=geojson|csv|acled`, `&view=` (ACLED's country column).";
    AddCheckpoint => "POST" "/witness/{name}/add-checkpoint" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "tlog-witness add-checkpoint for the hosted witness `name`. Open to every caller: the log's signature on the checkpoint is the authentication, as the specification has it.";
    Witnesses => "GET" "/v1/witnesses" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The witnesses: those hosted here (key, logs followed, size last cosigned for each) and those the log asks to cosign (key, URL, size last cosigned, when, last error), with the sizes of the checkpoint served and of the newest.";
    TimelinePage => "GET" "/ui/scenarios/{slug}/timeline" [Mediator, Analyst, PartyDelegate] "The timeline chart.";
    Asset => "GET" "/assets/{*path}" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The pages' vendored libraries (Leaflet 1.9.4, Leaflet.markercluster 1.5.3), unchanged from the npm registry, cached for ever.";
    Zones => "GET" "/v1/zones" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The agreement's zones as GeoJSON: lines, areas, and each buffer (`km` of a line) as the outline a map fills with the non-zero rule.";
    Boundaries => "GET" "/v1/boundaries/{view}" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "A boundary view (display only) as GeoJSON: the countries around the agreement's area, with their ISO numeric ids and names.";
    LogKey => "GET" "/log/vkey" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The log's public key (a signed-note verifier key, `origin+keyid+base64`): what `truce log audit|prove URL --vkey` and the entry pages check the checkpoint against. Fetch it once and confirm it with the log's operator out of band.";
    EntryProof => "GET" "/v1/entries/{index}/proof" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "Entry `index` with its inclusion proof against the checkpoint served (cosigned): `{index, size, entry (base64), proof (base64 hashes), checkpoint (the signed note), tlog_proof (c2sp.org/tlog-proof@v1)}`; every tile was authenticated first. 404 while the entry is newer than the checkpoint.";
    EntryPage => "GET" "/ui/entries/{index}" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "One entry: its decoded fields, author and key, signature check, verification history and corrections, and its inclusion proof verified in the browser.";
    FieldApp => "GET" "/field/" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The observer app (a progressive web app): works offline, signs on the device with a sealed key imported once, queues observations and their photos, and syncs them with verified receipts when the network is back.";
    FieldScript => "GET" "/field/app.js" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The observer app's script.";
    FieldWorker => "GET" "/field/sw.js" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The observer app's service worker (scope `/field/`): the app's shell, from the cache when offline.";
    FieldManifest => "GET" "/field/manifest.webmanifest" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The observer app's web app manifest.";
    FieldIcon => "GET" "/field/icon.svg" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The observer app's icon.";
    Favicon => "GET" "/favicon.svg" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The site's icon.";
    MediaPolicy => "GET" "/v1/media" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The mission's media policy: location metadata stripped before hashing or kept, the size limit, the accepted types.";
    UploadMedia => "PUT" "/v1/media/{sha256}" [Mediator, Observer, Verifier] "Stores a photo, video or recording under its SHA-256 (the hash its observation names): the body is the file, with its Content-Type. 422 if the hash, the type or (when the policy strips it) location metadata is wrong; 413 over the size limit; uploading it again changes nothing (200).";
    GetMedia => "GET" "/v1/media/{sha256}" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "A stored file, as an attachment: to verifiers, mediators and its uploader; to everyone once released (403 before). Check it against the hash in the log.";
    ReleaseMedia => "POST" "/v1/media/{sha256}/release" [Mediator] "Releases a file to every caller.";
    ArchiveSource => "POST" "/v1/scenarios/{slug}/sources/{id}" [Mediator, Analyst] "Archives the file of source `id` as retrieved (the body: an HTML page, a PDF or plain text, within the body limit): its text is extracted, the file stored under its SHA-256, and a new version saved whose `[[sources]]` table records `sha256`, `retrieved` (`?retrieved=YYYY-MM-DD`, default today), `language` (`?language=en|ru|uk`, default detected from the text) and `media_type` (and `?url=`, if given). Answers the version and the check of each quote of that source; 422 saying what was wrong with the file and what was expected; 404 for a source the scenario does not have.";
    GetSource => "GET" "/v1/scenarios/{slug}/sources/{id}" [Mediator, Analyst, PartyDelegate] "A source of the latest version: its record (publication, title, url, date, retrieved, language, media type, sha256), its archived text when this server holds the file, and each quote of it checked against that text (found, near, not found with the closest passage, or no archive) with the quote's byte span in the text.";
    SourceOriginal => "GET" "/v1/scenarios/{slug}/sources/{id}/original" [Mediator, Analyst, PartyDelegate] "The archived file of a source, byte for byte, always as an attachment (`application/octet-stream`, `nosniff`): never rendered from this site, whatever it holds. Check it against the scenario's `sha256`.";
    SourcePage => "GET" "/ui/scenarios/{slug}/sources/{id}" [Mediator, Analyst, PartyDelegate] "A source: its record, its archived text with every cited quote highlighted, and each citation with its check (the closest passage for a quote not found).";
    Extract => "POST" "/v1/scenarios/{slug}/extract" [Mediator, Analyst] "Positions drafted from an article (`{text, date?, source?, language?}`) with the scenario's parties, options and vocabulary: each candidate's party, option, stance, verbatim quote with its offsets and line, quote kind, attribution and the words that triggered it, and the position form filled in with it. Nothing is saved.";
    ExtractPage => "GET" "/ui/scenarios/{slug}/extract" [Mediator, Analyst] "Paste or upload an article, and see the positions drafted from it, each to accept into the position form or drop.";
    ExtractSubmit => "POST" "/ui/scenarios/{slug}/extract" [Mediator, Analyst] "The positions drafted from the article sent from the form.";
    LogPage => "GET" "/ui/log" [Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public] "The log's checkpoint, size, and its witnesses' cosignatures.";
}

impl Endpoint {
    /// Every endpoint.
    pub fn all() -> impl Iterator<Item = Endpoint> {
        Endpoint::ALL.iter().copied()
    }

    /// Whether `role` may call it.
    pub fn allows(self, role: Role) -> bool {
        self.roles().contains(&role)
    }

    /// Whether it is a page of the web UI (its refusals are pages too).
    pub fn is_page(self) -> bool {
        let (_, path) = self.route();
        path == "/" || path.starts_with("/ui/")
    }
}

/// Finds the caller from `Authorization: Bearer <token>` or the pages' session cookie. An unknown or
/// revoked token is refused (401); no token is the public; a session that expired or ended is the public
/// too (so its holder can sign in again).
async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, AppError> {
    let token = match headers.get(header::AUTHORIZATION) {
        Some(value) => value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(AppError::Unauthorized)?
            .to_string(),
        None => {
            let Some(id) = crate::security::session_id(headers) else {
                return Ok(Caller::default());
            };
            let now = jiff::Timestamp::now().as_second();
            return match state.store.session_user(token_hash(&id), now).await {
                Ok(user) => Ok(Caller {
                    user: Some(user),
                    csrf: Some(crate::security::csrf_token(&id)),
                    ..Caller::default()
                }),
                Err(truce_store::Error::NotFound) => Ok(Caller::default()),
                Err(e) => Err(e.into()),
            };
        }
    };
    let token = token.as_str();
    let hash = token_hash(token);
    if let Some((user, at)) = state.tokens.get(&hash)
        && at.elapsed() < crate::TOKEN_CACHE_TTL
    {
        return Ok(Caller { user: Some(user), ..Caller::default() });
    }
    match state.store.user_by_token(hash).await {
        Ok(user) => {
            state.tokens.insert(hash, (user.clone(), std::time::Instant::now()));
            Ok(Caller { user: Some(user), ..Caller::default() })
        }
        Err(truce_store::Error::NotFound) => Err(AppError::Unauthorized),
        Err(e) => Err(e.into()),
    }
}

/// The caller of `endpoint`, refused (401/403) unless its role may call it. Run once per request by the
/// router's binding layer, which hands the caller to the handler as the [`Caller`] extractor.
pub(crate) async fn authorise(
    state: &AppState,
    headers: &HeaderMap,
    endpoint: Endpoint,
) -> Result<Caller, AppError> {
    // A write another server of this log forwarded (see `forward`): on the entry endpoints only.
    if let Some(value) = headers.get(crate::forward::HEADER) {
        let (Some(ledger), true) =
            (&state.watch, matches!(endpoint, Endpoint::SubmitEntry | Endpoint::SubmitEntries))
        else {
            return Err(AppError::Forbidden(
                "a forwarded request is for the entry endpoints only".into(),
            ));
        };
        let value = value.to_str().map_err(|_| AppError::Unauthorized)?;
        let id = crate::forward::check(
            &crate::forward::key(ledger),
            value,
            jiff::Timestamp::now().as_second(),
        )?;
        let c = Caller { user: Some(state.store.user(id).await?), ..Caller::default() };
        c.require(endpoint)?;
        return Ok(c);
    }
    let c = caller(state, headers).await?;
    c.require(endpoint)?;
    Ok(c)
}

/// A handler's caller, as the router's binding layer authorised it for the handler's own endpoint (from
/// the `endpoints!` table): a handler never names its endpoint, so it cannot name the wrong one.
impl<T: Send + Sync> FromRequestParts<T> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &T) -> Result<Caller, AppError> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| AppError::Internal("the route is not bound to an endpoint".into()))
    }
}

/// The caller is not a parameter of the OpenAPI document: its security requirement says what it needs.
impl aide::operation::OperationInput for Caller {}
