//! Who may call what: every endpoint, and the roles allowed on it, in one table ([`MATRIX`]).
//!
//! The router is built from [`Endpoint::ALL`], so an endpoint cannot exist without its row here, and the
//! authorisation test drives every endpoint with every role from the same table. A caller without a
//! token is `public`. Finer rules (a party delegate acts only for its own party) are checked in the
//! handlers and tested there.

use truce_store::Role;

/// Every endpoint of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `GET /v1/whoami`: the caller's name and role.
    WhoAmI,
    /// `GET /v1/scenarios`: the scenarios' slugs.
    ListScenarios,
    /// `PUT /v1/scenarios/{slug}`: save a new version (TOML body, validated).
    SaveScenario,
    /// `GET /v1/scenarios/{slug}`: the latest version's text.
    GetScenario,
    /// `GET /v1/scenarios/{slug}/analysis`: feasibility, blockers and bargaining results.
    AnalyzeScenario,
    /// `POST /v1/scenarios/{slug}/preferences`: a party's confidential numeric preferences.
    SubmitPreferences,
    /// `GET /v1/scenarios/{slug}/preferences`: every raw submission.
    ListPreferences,
    /// `GET /v1/agreement`: the agreement in force, as TOML.
    GetAgreement,
    /// `POST /v1/entries`: a signed entry for the log.
    SubmitEntry,
    /// `GET /v1/queue`: observations awaiting verification.
    Queue,
    /// `GET /v1/compliance`: the compliance report.
    Compliance,
    /// `GET /log/checkpoint`: the latest signed checkpoint (C2SP).
    Checkpoint,
    /// `GET /log/tile/{*path}`: hash tiles and entry bundles (C2SP).
    Tile,
    /// `GET /`: the home page.
    Home,
    /// `GET /ui/login`: the sign-in form.
    LoginPage,
    /// `POST /ui/login`: signs in with a token (sets an HttpOnly, SameSite=Strict cookie).
    Login,
    /// `POST /ui/logout`: signs out.
    Logout,
    /// `GET /ui/scenarios/{slug}`: the party × option stance matrix, citations one click away.
    StancePage,
    /// `GET /ui/scenarios/{slug}/analysis`: readings, blockers, concessions, bargaining solutions.
    AnalysisPage,
    /// `GET /ui/agreement`: each commitment's compliance status and evidence.
    AgreementPage,
    /// `GET /ui/map`: the observation map with a boundary-view selector, and a filterable list.
    MapPage,
    /// `GET /ui/queue`: the verification queue.
    QueuePage,
    /// `GET /ui/reports/daily`: the daily report.
    ReportPage,
    /// `GET /ui/log`: the log's checkpoint and size.
    LogPage,
}

use Role::*;

/// The authorisation matrix: for each endpoint, the roles allowed. Public reads are what is published:
/// the log, its checkpoint, the agreement and compliance.
pub const MATRIX: &[(Endpoint, &[Role])] = &[
    (
        Endpoint::WhoAmI,
        &[Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public],
    ),
    (Endpoint::ListScenarios, &[Mediator, Analyst, PartyDelegate]),
    (Endpoint::SaveScenario, &[Mediator, Analyst]),
    (Endpoint::GetScenario, &[Mediator, Analyst, PartyDelegate]),
    (Endpoint::AnalyzeScenario, &[Mediator, Analyst, PartyDelegate]),
    (Endpoint::SubmitPreferences, &[Mediator, PartyDelegate]),
    (Endpoint::ListPreferences, &[Mediator]),
    (
        Endpoint::GetAgreement,
        &[Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public],
    ),
    (Endpoint::SubmitEntry, &[Mediator, PartyDelegate, Observer, Verifier]),
    (Endpoint::Queue, &[Mediator, Verifier]),
    (
        Endpoint::Compliance,
        &[Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public],
    ),
    (
        Endpoint::Checkpoint,
        &[Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public],
    ),
    (
        Endpoint::Tile,
        &[Mediator, Analyst, PartyDelegate, Observer, Verifier, WitnessOperator, Public],
    ),
];

impl Endpoint {
    /// Every endpoint, in [`MATRIX`] order.
    pub fn all() -> impl Iterator<Item = Endpoint> {
        MATRIX.iter().map(|(e, _)| *e)
    }

    /// Its method and route.
    pub fn route(self) -> (&'static str, &'static str) {
        match self {
            Endpoint::WhoAmI => ("GET", "/v1/whoami"),
            Endpoint::ListScenarios => ("GET", "/v1/scenarios"),
            Endpoint::SaveScenario => ("PUT", "/v1/scenarios/{slug}"),
            Endpoint::GetScenario => ("GET", "/v1/scenarios/{slug}"),
            Endpoint::AnalyzeScenario => ("GET", "/v1/scenarios/{slug}/analysis"),
            Endpoint::SubmitPreferences => ("POST", "/v1/scenarios/{slug}/preferences"),
            Endpoint::ListPreferences => ("GET", "/v1/scenarios/{slug}/preferences"),
            Endpoint::GetAgreement => ("GET", "/v1/agreement"),
            Endpoint::SubmitEntry => ("POST", "/v1/entries"),
            Endpoint::Queue => ("GET", "/v1/queue"),
            Endpoint::Compliance => ("GET", "/v1/compliance"),
            Endpoint::Checkpoint => ("GET", "/log/checkpoint"),
            Endpoint::Tile => ("GET", "/log/tile/{*path}"),
            Endpoint::Home => ("GET", "/"),
            Endpoint::LoginPage => ("GET", "/ui/login"),
            Endpoint::Login => ("POST", "/ui/login"),
            Endpoint::Logout => ("POST", "/ui/logout"),
            Endpoint::StancePage => ("GET", "/ui/scenarios/{slug}"),
            Endpoint::AnalysisPage => ("GET", "/ui/scenarios/{slug}/analysis"),
            Endpoint::AgreementPage => ("GET", "/ui/agreement"),
            Endpoint::MapPage => ("GET", "/ui/map"),
            Endpoint::QueuePage => ("GET", "/ui/queue"),
            Endpoint::ReportPage => ("GET", "/ui/reports/daily"),
            Endpoint::LogPage => ("GET", "/ui/log"),
        }
    }

    /// Whether `role` may call it.
    pub fn allows(self, role: Role) -> bool {
        MATRIX.iter().any(|(e, roles)| *e == self && roles.contains(&role))
    }
}
