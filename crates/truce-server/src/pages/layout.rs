//! The pages' templates: the layout every page shares (header, navigation by role and by the scenarios
//! on file, the signed-in user), the error page, and small helpers. Templates are `maud` macros,
//! checked at compile time, and escape every value by default; `PreEscaped` is used only for the SVG
//! and HTML that the core crates' renderers produce and for this crate's own constant scripts and style.

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::script::Sources;
use crate::{AppError, Caller, Endpoint};

/// Digits grouped by thousands, for people: 1769472 → 1,769,472.
pub(crate) fn grouped(n: impl std::fmt::Display) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) && ch.is_ascii_digit() {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

const CSS: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#111;background:#fff;line-height:1.45}\
header{background:#1d3557;color:#fff;padding:.5rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}\
header a{color:#fff}header nav{display:flex;gap:.8rem;flex-wrap:wrap}main{max-width:80rem;margin:1rem auto;padding:0 1rem}\
a:focus,button:focus,input:focus,select:focus,summary:focus{outline:3px solid #f4a261;outline-offset:2px}\
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #888;padding:.25rem .5rem;text-align:left;vertical-align:top}\
th{background:#eef2f7}.s-demanded{background:#1a7f37;color:#fff}.s-acceptable{background:#a7e3b4}.s-unknown{background:#e9ecef}\
.s-opposed{background:#f6c177}.s-red_line{background:#b42318;color:#fff}.st-compliant{color:#1a7f37}.st-verified_violation,.st-disputed{color:#b42318;font-weight:bold}\
.st-alleged_violation,.st-unverifiable__access_denied,.st-compliant_now__violated_earlier{color:#9a5b00;font-weight:bold}\
rect.day-v{fill:#b42318}rect.day-ok{fill:#6fbf73}rect.day-pre{fill:#ccc}span.day-v{color:#b42318}span.day-ok{color:#6fbf73}span.day-pre{color:#999}svg.strip{max-width:100%}svg{max-width:100%;height:auto}.muted{color:#555}\
button{font:inherit;padding:.3rem .8rem}label{font-weight:600}.s-demanded .muted,.s-red_line .muted{color:inherit}\
.wide{overflow-x:auto}#stances{font-size:.9rem}#stances td{min-width:6rem}\
#stances .cell-detail{width:0;min-width:100%;box-sizing:border-box;margin-top:.3rem;padding:.3rem;background:#fff;color:#111;border:1px solid #888;font-size:.85rem}\
.swatch{display:inline-block;width:1.2em;height:.9em;background:#e9e9e9;border:1px solid #888;vertical-align:middle}label.plain{font-weight:normal;margin-right:1rem}\
.who{margin-left:auto}.who form{display:inline}.langs{display:flex;gap:.5rem}.picker{position:relative}.picker ul{position:absolute;z-index:1000;background:#1d3557;list-style:none;margin:0;padding:.4rem .8rem;max-height:60vh;overflow-y:auto}.picker li{margin:.2rem 0}summary{cursor:pointer}.langs span{font-weight:bold}\
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;color:#111;padding:.3rem;z-index:10}\
.tag{display:inline-block;border:1px solid #888;border-radius:.6rem;padding:0 .4rem;font-size:.85em;background:#f4f4f4}\
.tag.stale{background:#fff3cd;border-color:#9a5b00;color:#6b3f00}.warning{background:#fff3cd;border-left:4px solid #9a5b00;padding:.4rem .6rem}\
.para{font-style:italic}.stance{padding:0 .3rem;border-radius:.2rem}label.choice{display:block;margin:.15rem 0}\
fieldset{margin:.4rem 0;max-width:100%;min-width:0}ol.alternatives>li{margin-bottom:.6rem}details.account{margin:.2rem 0}\
main{overflow-wrap:break-word}code{overflow-wrap:anywhere}td,th{min-width:4em;overflow-wrap:normal;hyphens:auto}\
input,select,textarea{max-width:100%;box-sizing:border-box}pre{white-space:pre-wrap;overflow-wrap:anywhere}\
textarea{width:100%}.field-error{color:#b42318;font-weight:600}ins{background:#d7f5dd;text-decoration:none;display:block}\
del{background:#fbe0dd;display:block}#diff span{display:block}\
#map{height:32rem;max-height:70vh;width:100%;border:1px solid #888;background:#dbe9f4}#map svg{max-width:none}.obs{border-radius:50%;border:2px solid #fff;box-shadow:0 0 0 1px #333}\
.obs-received{background:#6c757d}.obs-under_review{background:#1d6fb8}.obs-corroborated{background:#1a7f37}.obs-disputed{background:#b42318}\
.obs-unverifiable{background:#9a5b00}.obs-rejected{background:#aaa}#map-filters fieldset{display:inline-block;vertical-align:top}\
.town span{white-space:nowrap;font-size:11px;color:#222;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff}.town span::before{content:'\\2022 '}\
#map .marker-cluster-small,#map .marker-cluster-medium,#map .marker-cluster-large{background-color:rgba(60,64,72,.3)}\
#map .marker-cluster-small div,#map .marker-cluster-medium div,#map .marker-cluster-large div{background-color:rgba(60,64,72,.85);color:#fff}";

/// The style of sources and their quotes (a second constant: no string literal of the server passes
/// 4 KiB): a source's record and archived text, its highlighted quotes, a quote's check, the extraction
/// page's candidates, and text for screen readers only.
const CSS_SOURCES: &str = "dl.record{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2rem 1rem}dl.record dt{font-weight:600}dl.record dd{margin:0}\
@media (max-width:30rem){dl.record{grid-template-columns:minmax(0,1fr)}dl.record dd{margin-left:1rem}}\
.archive{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid #888;padding:.5rem;max-height:70vh;overflow-y:auto}\
mark{background:#fff3a3}mark.near{background:#ffd9a8}.mark{font-size:.9em}.mark.found{color:#1a6f30}.mark.near{color:#7a4800}.mark.missing{color:#b42318;font-weight:600}.mark.none{color:#555}\
li.candidate{margin-bottom:.8rem}li.candidate p{margin:.2rem 0}.actions a,.actions button{margin-right:.6rem}\
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}";

/// What the shared header needs: the caller, and the scenarios on file (for the Table's links).
pub(crate) struct Chrome<'a> {
    /// Who is looking.
    pub caller: &'a Caller,
    /// The scenarios' slugs, when the caller may open them.
    pub scenarios: &'a [String],
}

/// A whole page that runs no script: the shared header with navigation (by role; the Table's pages
/// once per scenario on file), and `body`.
pub(crate) fn page(title: &str, chrome: &Chrome<'_>, body: Markup) -> Response {
    page_with(title, chrome, html! {}, body, Sources::default())
}

/// A whole page with `head` added to its `<head>` (a page's stylesheets and libraries), which runs
/// the scripts that `head` and `body` rendered through `sources`: the response carries them, for the
/// page's Content-Security-Policy.
pub(crate) fn page_with(
    title: &str,
    chrome: &Chrome<'_>,
    head: Markup,
    body: Markup,
    sources: Sources,
) -> Response {
    let caller = chrome.caller;
    let role = caller.role();
    let w = caller.lang.words();
    let table: &[(Endpoint, &str, &str)] = &[
        (Endpoint::StancePage, "", "nav-positions"),
        (Endpoint::AnalysisPage, "/analysis", "nav-analysis"),
        (Endpoint::TimelinePage, "/timeline", "nav-timeline"),
        (Endpoint::SimulatePage, "/simulate", "nav-rehearse"),
    ];
    let watch: &[(Endpoint, &str, &str)] = &[
        (Endpoint::AgreementPage, "/ui/agreement", "nav-agreement"),
        (Endpoint::MapPage, "/ui/map", "nav-map"),
        (Endpoint::ObservePage, "/ui/observe", "nav-observe"),
        (Endpoint::QueuePage, "/ui/queue", "nav-queue"),
        (Endpoint::ReportPage, "/ui/reports/daily", "nav-report"),
        (Endpoint::LogPage, "/ui/log", "nav-log"),
    ];
    let several = chrome.scenarios.len() > 1;
    // The scenario whose pages are open (its Table links follow the picker), and the page's suffix, which
    // the picker keeps: from the analysis of one scenario to the analysis of another.
    let path = caller.here.split('?').next().unwrap_or("");
    let current = chrome.scenarios.iter().find(|slug| {
        path.strip_prefix("/ui/scenarios/")
            .and_then(|rest| rest.strip_prefix(slug.as_str()))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    });
    let suffix = current
        .map(|slug| &path["/ui/scenarios/".len() + slug.len()..])
        .and_then(|rest| table.iter().map(|t| t.1).find(|s| *s == rest))
        .unwrap_or("");
    let shown = if several { current } else { chrome.scenarios.first() };
    let markup = html! {
        (DOCTYPE)
        html lang=(caller.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="csrf-token" content=(caller.csrf.as_deref().unwrap_or(""));
                title { @if title == w.get("site-name") { (title) } @else { (w.with("page-title", &[("title", title.into())])) } }
                link rel="icon" href="/favicon.svg" type="image/svg+xml";
                style { (PreEscaped(CSS)) (PreEscaped(CSS_SOURCES)) }
                (head)
            }
            body {
                a.skip href="#main" { (w.get("skip-to-content")) }
                header {
                    strong { (w.get("site-name")) }
                    nav aria-label=(w.get("nav-main")) {
                        a href="/" { (w.get("nav-home")) }
                        @if Endpoint::ScenariosPage.allows(role) { a href="/ui/scenarios" { (w.get("nav-scenarios")) } }
                        @if several && Endpoint::StancePage.allows(role) {
                            details.picker {
                                summary { (w.get("nav-scenario")) ": " (current.map_or_else(|| w.get("nav-choose"), |s| s.to_string())) }
                                ul {
                                    @for slug in chrome.scenarios {
                                        li { a href={ "/ui/scenarios/" (slug) (suffix) } aria-current=[(Some(slug) == current).then_some("page")] { (slug) } }
                                    }
                                }
                            }
                        }
                        @if let Some(slug) = shown {
                            @for (endpoint, suffix, label) in table {
                                @if endpoint.allows(role) {
                                    a href={ "/ui/scenarios/" (slug) (suffix) } { (w.get(label)) }
                                }
                            }
                        }
                        @for (endpoint, href, label) in watch {
                            @if endpoint.allows(role) { a href=(href) { (w.get(label)) } }
                        }
                    }
                    nav.langs aria-label=(w.get("nav-language")) {
                        @for l in truce_i18n::Lang::ALL {
                            @if l == caller.lang {
                                span lang=(l.code()) aria-current="true" { (l.native_name()) }
                            } @else {
                                a href=(crate::locale::switch_to(&caller.here, l)) lang=(l.code()) hreflang=(l.code()) { (l.native_name()) }
                            }
                        }
                    }
                    span.who {
                        @match &caller.user {
                            Some(u) => {
                                (u.name) " (" (w.get(&format!("role-{}", role.as_str())))
                                @if let Some(p) = &u.party { ", " (p) }
                                ") "
                                form method="post" action={ "/ui/logout?csrf=" (caller.csrf.as_deref().unwrap_or("")) } {
                                    button type="submit" { (w.get("sign-out")) }
                                }
                            }
                            None => a href="/ui/login" { (w.get("sign-in")) },
                        }
                    }
                }
                main #main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    };
    let mut response = Html(markup.into_string()).into_response();
    response.extensions_mut().insert(sources);
    response
}

/// An error as a page, with the same status the API would give: what happened and what to do, in the
/// reader's words. A server fault says only that (its detail is logged, never shown).
pub(crate) fn error_page(e: AppError, caller: Option<&Caller>) -> Response {
    let status = e.status();
    let public = Caller::default();
    let caller = caller.unwrap_or(&public);
    let w = caller.lang.words();
    let home = html! { " " a href="/" { (w.get("error-home")) } "." };
    let (title, text) = match &e {
        AppError::Unauthorized => (
            "error-unauthorized-title",
            html! { (w.get("error-unauthorized")) " " a href="/ui/login" { (w.get("sign-in")) } },
        ),
        AppError::Forbidden(m) => ("error-forbidden-title", html! { (capitalised(m)) "." (home) }),
        AppError::NotFound => {
            ("error-not-found-title", html! { (w.get("error-not-found")) (home) })
        }
        AppError::Missing(m) => ("error-missing-title", html! { (capitalised(m)) "." (home) }),
        AppError::Invalid(why) => (
            "error-invalid-title",
            html! { (w.with("error-invalid", &[("why", why.join("; ").into())])) },
        ),
        AppError::Conflict(m) => ("error-conflict-title", html! { (capitalised(m)) "." (home) }),
        AppError::TooLarge(m) => (
            "error-too-large-title",
            html! { (capitalised(m)) ". " (w.get("error-too-large")) (home) },
        ),
        AppError::Timeout(m) => ("error-timeout-title", html! { (capitalised(m)) "." (home) }),
        AppError::Pushback | AppError::Unavailable(_) => {
            ("error-busy-title", html! { (capitalised(&e.message())) ". " (w.get("error-busy")) })
        }
        AppError::Internal(_) => {
            let _ = e.message(); // logs the detail
            ("error-internal-title", html! { (w.get("error-internal")) (home) })
        }
    };
    let chrome = Chrome { caller, scenarios: &[] };
    let mut response =
        (status, page(&w.get(title), &chrome, html! { p role="alert" { (text) } })).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    }
    if matches!(e, AppError::Pushback | AppError::Unavailable(_)) {
        response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
    }
    response
}

/// `s` with its first letter in upper case.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A page's refusal: the error page, with the caller's navigation. Page handlers return
/// `Result<Response, PageError>` and use `?`, naming the caller with [`OrPage::or_page`].
pub(crate) struct PageError(AppError, Box<Caller>);

impl PageError {
    /// `error`, shown to `caller`.
    pub(crate) fn new(error: impl Into<AppError>, caller: &Caller) -> PageError {
        PageError(error.into(), Box::new(caller.clone()))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(self.0, Some(&self.1))
    }
}

impl aide::operation::OperationOutput for PageError {
    type Inner = ();
}

/// `?` on a page: the error becomes the error page for the caller.
pub(crate) trait OrPage<T> {
    /// The value, or the error page for `caller`.
    fn or_page(self, caller: &Caller) -> Result<T, PageError>;
}

impl<T, E: Into<AppError>> OrPage<T> for Result<T, E> {
    fn or_page(self, caller: &Caller) -> Result<T, PageError> {
        self.map_err(|e| PageError::new(e, caller))
    }
}
