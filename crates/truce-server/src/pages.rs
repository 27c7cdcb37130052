//! The web UI: server-rendered HTML, a little hand-written JavaScript (the map's list filter), no build
//! step. Every page is an [`Endpoint`] of the matrix. Pages use labels, headings, tables with headers,
//! visible focus, and colours with enough contrast; every chart has a text equivalent.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use truce_store::{Store, token_hash};

use crate::handlers::authorise;
use crate::{AppError, AppState, Caller, Endpoint};

type St<S> = State<Arc<AppState<S>>>;

/// Digits grouped by thousands, for people: 1769472 → 1,769,472.
fn grouped(n: impl std::fmt::Display) -> String {
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

/// HTML-escapes text.
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const CSS: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#111;background:#fff;line-height:1.45}\
header{background:#1d3557;color:#fff;padding:.5rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}\
header a{color:#fff}header nav{display:flex;gap:.8rem;flex-wrap:wrap}main{max-width:72rem;margin:1rem auto;padding:0 1rem}\
a:focus,button:focus,input:focus,select:focus,summary:focus{outline:3px solid #f4a261;outline-offset:2px}\
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #888;padding:.25rem .5rem;text-align:left;vertical-align:top}\
th{background:#eef2f7}.s-demanded{background:#1a7f37;color:#fff}.s-acceptable{background:#a7e3b4}.s-unknown{background:#e9ecef}\
.s-opposed{background:#f6c177}.s-red_line{background:#b42318;color:#fff}.st-compliant{color:#1a7f37}.st-verified_violation,.st-disputed{color:#b42318;font-weight:bold}\
.st-alleged_violation,.st-unverifiable{color:#9a5b00;font-weight:bold}svg{max-width:100%;height:auto}.muted{color:#555}\
button{font:inherit;padding:.3rem .8rem}label{font-weight:600}.s-demanded .muted,.s-red_line .muted{color:inherit}\
.wide{overflow-x:auto}#stances{font-size:.9rem}#stances td{min-width:6.5rem}";

/// In-browser signing of entries, exactly as `truce_watch::entry` encodes them: canonical JSON (keys
/// sorted, no whitespace), Ed25519 (WebCrypto) over `truce.entry/v2\n` + canonical {author, body, seq}, with
/// the key's next sequence number from `/v1/keys/{key}/sequence`. The key file (`truce-key/v1`, name,
/// base64 seed) never leaves the page.
const SIGNING_JS: &str = r#"
function canon(v){if(Array.isArray(v))return '['+v.map(canon).join(',')+']';
 if(v!==null&&typeof v==='object')return '{'+Object.keys(v).sort().map(k=>JSON.stringify(k)+':'+canon(v[k])).join(',')+'}';
 return JSON.stringify(v);}
function b64url(s){return s.replace(/-/g,'+').replace(/_/g,'/')+'='.repeat((4-s.length%4)%4);}
async function loadKey(text){
 const lines=text.trim().split(/\r?\n/);
 if(lines[0]!=='truce-key/v1'||lines.length<3)throw new Error('not a truce-key/v1 key file');
 const seed=Uint8Array.from(atob(lines[2].trim()),c=>c.charCodeAt(0));
 if(seed.length!==32)throw new Error('the key file does not hold a 32-byte seed');
 const pkcs8=new Uint8Array(48);pkcs8.set([0x30,0x2e,0x02,0x01,0x00,0x30,0x05,0x06,0x03,0x2b,0x65,0x70,0x04,0x22,0x04,0x20]);pkcs8.set(seed,16);
 const key=await crypto.subtle.importKey('pkcs8',pkcs8,{name:'Ed25519'},true,['sign']);
 const jwk=await crypto.subtle.exportKey('jwk',key);
 const pub=Uint8Array.from(atob(b64url(jwk.x)),c=>c.charCodeAt(0));
 return {name:lines[1],key,author:[...pub].map(b=>b.toString(16).padStart(2,'0')).join('')};
}
async function signEntry(k,body){
 const r=await fetch('/v1/keys/'+k.author+'/sequence',{credentials:'same-origin'});
 if(!r.ok)throw new Error('cannot read the key\'s sequence number: HTTP '+r.status);
 const seq=(await r.json()).next;
 const msg=new TextEncoder().encode('truce.entry/v2\n'+canon({author:k.author,body,seq}));
 const sig=new Uint8Array(await crypto.subtle.sign({name:'Ed25519'},k.key,msg));
 return canon({author:k.author,body,seq,sig:btoa(String.fromCharCode(...sig))});
}
async function submitEntry(text){
 const csrf=document.querySelector('meta[name=csrf-token]').content;
 const r=await fetch('/v1/entries',{method:'POST',body:text,credentials:'same-origin',headers:{'x-csrf-token':csrf}});
 const j=await r.json().catch(()=>({}));
 if(!r.ok)throw new Error(j.error||(j.diagnostics||[]).join('; ')||('HTTP '+r.status));
 return j.index;
}
"#;

/// A page: the shared header with navigation (by role), and `body`.
fn page(title: &str, caller: &Caller, body: &str) -> Html<String> {
    let role = caller.role();
    let mut nav = String::from("<a href=\"/\">Home</a>");
    for (endpoint, href, label) in [
        (Endpoint::StancePage, "/ui/scenarios/ukraine-2025", "Positions"),
        (Endpoint::AnalysisPage, "/ui/scenarios/ukraine-2025/analysis", "Analysis"),
        (Endpoint::TimelinePage, "/ui/scenarios/ukraine-2025/timeline", "Timeline"),
        (Endpoint::AgreementPage, "/ui/agreement", "Agreement"),
        (Endpoint::MapPage, "/ui/map", "Map"),
        (Endpoint::ObservePage, "/ui/observe", "Observe"),
        (Endpoint::QueuePage, "/ui/queue", "Verification queue"),
        (Endpoint::ReportPage, "/ui/reports/daily", "Daily report"),
        (Endpoint::LogPage, "/ui/log", "Log"),
    ] {
        if endpoint.allows(role) {
            let _ = write!(nav, "<a href=\"{href}\">{label}</a>");
        }
    }
    let who = match &caller.user {
        Some(u) => format!(
            "{} ({}{}) <form method=\"post\" action=\"/ui/logout?csrf={}\" style=\"display:inline\"><button type=\"submit\">Sign out</button></form>",
            esc(&u.name),
            role.as_str(),
            u.party.as_deref().map(|p| format!(", {}", esc(p))).unwrap_or_default(),
            esc(caller.csrf.as_deref().unwrap_or(""))
        ),
        None => "<a href=\"/ui/login\">Sign in</a>".to_string(),
    };
    let csrf = caller.csrf.as_deref().unwrap_or("");
    Html(format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"csrf-token\" content=\"{}\"><title>{} — Truce</title><style>{CSS}</style></head><body><header><strong>Truce</strong><nav aria-label=\"Main\">{nav}</nav><span style=\"margin-left:auto\">{who}</span></header><main id=\"main\"><h1>{}</h1>{body}</main></body></html>\n",
        esc(csrf),
        esc(title),
        esc(title)
    ))
}

/// An error as a page, with the same status the API would give.
fn error_page(e: AppError, caller: Option<&Caller>) -> Response {
    let (status, text) = match &e {
        AppError::Unauthorized => {
            (StatusCode::UNAUTHORIZED, "Please <a href=\"/ui/login\">sign in</a>.".to_string())
        }
        AppError::Forbidden(m) => {
            (StatusCode::FORBIDDEN, format!("Your role may not open this page: {}.", esc(m)))
        }
        AppError::NotFound => (StatusCode::NOT_FOUND, "Not found.".to_string()),
        _ => return e.into_response(),
    };
    let public = Caller { user: None, csrf: None };
    let mut response =
        (status, page("Not available", caller.unwrap_or(&public), &format!("<p>{text}</p>")))
            .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    }
    response
}

async fn guard<S: Store>(
    st: &AppState<S>,
    headers: &HeaderMap,
    endpoint: Endpoint,
) -> Result<Caller, Response> {
    authorise(st, headers, endpoint).await.map_err(|e| error_page(e, None))
}

pub(crate) async fn home<S: Store>(State(st): St<S>, headers: HeaderMap) -> Response {
    let c = match guard(&st, &headers, Endpoint::Home).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let mut body = String::from(
        "<p>Truce holds the parties' positions and what the Table finds in them, the agreement as checkable commitments, and the observer mission's signed log, from which anyone recomputes compliance.</p>",
    );
    if let Some(w) = &st.watch {
        let size = w.size();
        let _ = write!(
            body,
            "<p>The log holds <strong>{size}</strong> signed entries. <a href=\"/ui/agreement\">Compliance with the agreement</a> is computed from them.</p>"
        );
    }
    if c.user.is_none() {
        body.push_str("<p><a href=\"/ui/login\">Sign in</a> with your token to see what your role may see.</p>");
    }
    page("Truce", &c, &body).into_response()
}

pub(crate) async fn login_page<S: Store>(State(st): St<S>, headers: HeaderMap) -> Response {
    let c = match guard(&st, &headers, Endpoint::LoginPage).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    page(
        "Sign in",
        &c,
        "<form method=\"post\" action=\"/ui/login\"><p><label for=\"token\">Token</label><br><input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" size=\"72\" required></p><p><button type=\"submit\">Sign in</button></p></form><p class=\"muted\">The token is kept in an HttpOnly cookie for this site only.</p>",
    )
    .into_response()
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    token: String,
}

pub(crate) async fn login<S: Store>(
    State(st): St<S>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    if let Err(r) = guard(&st, &headers, Endpoint::Login).await {
        return r;
    }
    // The token signs the browser in; the cookie then holds a new session's id, never the token.
    let user = match st.store.user_by_token(token_hash(form.token.trim())).await {
        Ok(u) => u,
        Err(_) => return error_page(AppError::Unauthorized, None),
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

pub(crate) async fn logout<S: Store>(State(st): St<S>, headers: HeaderMap) -> Response {
    if let Err(r) = guard(&st, &headers, Endpoint::Logout).await {
        return r;
    }
    // The session ends in the store, not only in the browser.
    if let Some(id) = crate::security::session_id(&headers)
        && let Err(e) = st.store.end_session(token_hash(&id)).await
    {
        return AppError::from(e).into_response();
    }
    session_cookie("", 0, st.secure_cookies)
}

pub(crate) async fn stances<S: Store>(
    State(st): St<S>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    let c = match guard(&st, &headers, Endpoint::StancePage).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let v = match st.store.scenario(&slug, None).await {
        Ok(v) => v,
        Err(e) => return error_page(e.into(), Some(&c)),
    };
    let (scenario, _) = truce_scenario::parse(&format!("{slug}.toml"), &v.text);
    let Some(s) = scenario else { return error_page(AppError::NotFound, Some(&c)) };
    let parties: Vec<_> = (0..s.parties.len() as u32).map(truce_scenario::PartyIx).collect();
    let stances = truce_table::Stances::new(&s, &parties, None);
    let mut body = format!(
        "<p>Version {} of <code>{}</code>: the current stance of each party on each option. Select a cell for the position, its date and its quoted source. Colours: <span class=\"s-demanded\">demanded</span> <span class=\"s-acceptable\">acceptable</span> <span class=\"s-unknown\">unknown</span> <span class=\"s-opposed\">opposed</span> <span class=\"s-red_line\">red line</span>.</p><div class=\"wide\"><table id=\"stances\"><caption>Stances by party and option</caption><thead><tr><th scope=\"col\">Issue</th><th scope=\"col\">Option</th>",
        v.version,
        esc(&slug)
    );
    for p in &s.parties {
        let _ = write!(body, "<th scope=\"col\">{}</th>", esc(&p.id));
    }
    body.push_str("</tr></thead><tbody>");
    for issue in &s.issues {
        for (k, o) in issue.options.iter().enumerate() {
            let option = s.option(*o);
            body.push_str("<tr>");
            if k == 0 {
                let _ = write!(
                    body,
                    "<th scope=\"rowgroup\" rowspan=\"{}\">{}</th>",
                    issue.options.len(),
                    esc(&issue.name)
                );
            }
            let _ = write!(body, "<th scope=\"row\">{}</th>", esc(&option.label));
            for slot in 0..parties.len() {
                match stances.position(slot, *o) {
                    Some(pix) => {
                        let pos = s.position(pix);
                        let src = &s.sources[pos.source.0 as usize];
                        let stance = pos.stance.as_str();
                        let _ = write!(
                            body,
                            "<td class=\"s-{stance}\"><details><summary>{}</summary><p>{} — {}: “{}” <span class=\"muted\">(line {})</span></p></details></td>",
                            stance.replace('_', " "),
                            pos.date,
                            esc(src.publication.as_deref().unwrap_or(&src.id)),
                            esc(&pos.quote),
                            pos.line
                        );
                    }
                    None => body.push_str("<td class=\"muted\">—</td>"),
                }
            }
            body.push_str("</tr>");
        }
    }
    body.push_str("</tbody></table></div>");
    page(&format!("Positions: {}", s.meta.title.clone().unwrap_or(slug)), &c, &body).into_response()
}

pub(crate) async fn analysis<S: Store>(
    State(st): St<S>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(fq): Query<crate::table::FrontierQuery>,
) -> Response {
    let c = match guard(&st, &headers, Endpoint::AnalysisPage).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let confidential = match crate::table::confidential(&c, fq.confidential) {
        Ok(b) => b,
        Err(e) => return error_page(e, Some(&c)),
    };
    let s = match crate::table::load(&st, &slug, confidential).await {
        Ok(s) => s,
        Err(e) => return error_page(e, Some(&c)),
    };
    let mediator = c.role() == truce_store::Role::Mediator;
    let body = st.heavy(move || {
        let slug = slug;
        let a = truce_table::analyze(&s, &truce_table::AnalysisOptions::default());
        let mut body = String::new();
        if confidential {
            let _ = write!(body, "<p role=\"status\"><strong>With the parties' confidential submissions.</strong> Only mediators see this analysis. <a href=\"/ui/scenarios/{0}/analysis\">The analysis from public positions</a>.</p>", esc(&slug));
        } else if mediator {
            let _ = write!(body, "<p>From the public positions. <a href=\"/ui/scenarios/{0}/analysis?confidential=true\">With the parties' confidential submissions</a> (mediators only).</p>", esc(&slug));
        }
        body.push_str("<table id=\"readings\"><caption>What each reading finds</caption><thead><tr><th scope=\"col\">Reading</th><th scope=\"col\">Hard constraints</th><th scope=\"col\">Feasible packages</th><th scope=\"col\">Blocked issues</th><th scope=\"col\">Fewest concessions</th><th scope=\"col\">Pareto set</th></tr></thead><tbody>");
        for r in &a.readings {
            let blocked: Vec<String> = r.feasibility.blocked_issues.iter().map(|i| esc(&s.issue(*i).id)).collect();
            let _ = write!(
                body,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{} of {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.reading.as_str(),
                r.constraints.all.len(),
                grouped(&r.feasibility.feasible_packages),
                grouped(&r.feasibility.total_packages),
                if blocked.is_empty() { "none".into() } else { blocked.join(", ") },
                r.concessions.as_ref().map_or("—".into(), |c| c.min_concessions.to_string()),
                r.best.as_ref().map_or("—".into(), |b| b.pareto_size.to_string())
            );
        }
        body.push_str("</tbody></table>");
        if let Some(best) = a.readings.first().and_then(|r| r.best.as_ref()) {
            body.push_str("<h2>Bargaining solutions (red-lines reading)</h2><table id=\"solutions\"><thead><tr><th scope=\"col\">Issue</th>");
            let named: Vec<(&str, Option<&truce_table::BestPackage>)> = vec![
                ("Nash", best.nash.as_ref()),
                ("Maximin", best.maximin.as_ref()),
                ("Kalai–Smorodinsky", best.ks.as_ref()),
                ("Utilitarian", best.utilitarian.as_ref()),
            ];
            for (n, _) in &named {
                let _ = write!(body, "<th scope=\"col\">{n}</th>");
            }
            body.push_str("</tr></thead><tbody>");
            for (i, issue) in s.issues.iter().enumerate() {
                let _ = write!(body, "<tr><th scope=\"row\">{}</th>", esc(&issue.name));
                for (_, p) in &named {
                    let cell = p.and_then(|p| p.package.get(i)).map(|o| esc(&s.option(*o).label)).unwrap_or_else(|| "—".into());
                    let _ = write!(body, "<td>{cell}</td>");
                }
                body.push_str("</tr>");
            }
            body.push_str("</tbody></table><p class=\"muted\">Full reports with citations: <code>truce analyze</code>, or <code>GET /v1/scenarios/{slug}/analysis</code>.</p>");
            body.push_str(&frontier_section(&s, &a, &slug, fq.parties.as_deref(), fq.reading.as_deref(), confidential));
        } else if let Some(r) = a.readings.first() {
            let _ = write!(body, "<h2>Blocked</h2><p>No package respects every red line; {} concession(s) at the fewest would open one.</p>", r.concessions.as_ref().map_or(0, |c| c.min_concessions));
        }
        body
    })
    .await;
    match body {
        Ok(body) => page("Analysis", &c, &body).into_response(),
        Err(e) => error_page(e, Some(&c)),
    }
}

/// The frontier plot for the parties asked (default: the first two), with the form that picks them.
fn frontier_section(
    s: &truce_scenario::Scenario,
    a: &truce_table::Analysis,
    slug: &str,
    parties: Option<&str>,
    reading: Option<&str>,
    confidential: bool,
) -> String {
    let default: Vec<&str> = s.parties.iter().take(2).map(|p| p.id.as_str()).collect();
    let asked = parties.map_or_else(|| default.join(","), str::to_string);
    let chosen: Vec<&str> = asked.split(',').map(str::trim).collect();
    let mut body = String::from(
        "<h2 id=\"frontier\">Frontier</h2><p>Pick two or three parties: the plot shows the whole table's Pareto-optimal deals as they see them, which of those are efficient for them alone, and where the bargaining solutions fall.</p>",
    );
    let _ = write!(
        body,
        "<form method=\"get\" action=\"/ui/scenarios/{}/analysis#frontier\" id=\"frontier-form\"><fieldset><legend>Parties</legend>",
        esc(slug)
    );
    for p in &s.parties {
        let checked = if chosen.contains(&p.id.as_str()) { " checked" } else { "" };
        let _ = write!(
            body,
            "<label style=\"font-weight:normal;margin-right:1rem\"><input type=\"checkbox\" name=\"party\" value=\"{0}\"{checked}> {0}</label>",
            esc(&p.id)
        );
    }
    let reading = reading.unwrap_or("red_lines");
    if confidential {
        body.push_str("<input type=\"hidden\" name=\"confidential\" value=\"true\">");
    }
    body.push_str("</fieldset><input type=\"hidden\" name=\"parties\" id=\"parties\"><label for=\"reading\">Reading</label> <select id=\"reading\" name=\"reading\">");
    for r in ["red_lines", "strict", "pessimistic"] {
        let selected = if r == reading { " selected" } else { "" };
        let _ = write!(body, "<option value=\"{r}\"{selected}>{}</option>", r.replace('_', " "));
    }
    body.push_str(" </select> <button type=\"submit\">Plot</button></form>\
        <script>document.getElementById('frontier-form').addEventListener('submit',function(){\
        var ps=[...this.querySelectorAll('input[name=party]:checked')].map(function(i){return i.value});\
        this.querySelectorAll('input[name=party]').forEach(function(i){i.disabled=true});\
        document.getElementById('parties').value=ps.join(',');});</script>");
    match crate::table::frontier_report(s, a, Some(&asked), Some(reading)) {
        Ok(report) => {
            let _ = write!(
                body,
                "<div id=\"frontier-plot\">{}</div><p class=\"muted\">{} of the {} distinct points are efficient for {}. Data: <code>GET /v1/scenarios/{}/frontier?parties={}&amp;reading={reading}</code>.</p>",
                truce_report::svg::frontier_svg(&report),
                report.points.iter().filter(|p| p.efficient).count(),
                report.points.len(),
                esc(&report.parties.join(", ")),
                esc(slug),
                esc(&asked)
            );
        }
        Err(AppError::Invalid(why)) => {
            let _ = write!(body, "<p role=\"alert\">{}</p>", esc(&why.join("; ")));
        }
        Err(_) => body.push_str("<p role=\"alert\">The frontier could not be computed.</p>"),
    }
    body
}

/// The timeline chart of a scenario, with the form that sets its span.
pub(crate) async fn timeline<S: Store>(
    State(st): St<S>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(q): Query<crate::table::TimelineQuery>,
) -> Response {
    let c = match guard(&st, &headers, Endpoint::TimelinePage).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let confidential = match crate::table::confidential(&c, q.confidential) {
        Ok(b) => b,
        Err(e) => return error_page(e, Some(&c)),
    };
    let scenario = match crate::table::load(&st, &slug, confidential).await {
        Ok(s) => s,
        Err(e) => return error_page(e, Some(&c)),
    };
    let report = match st.heavy(move || crate::table::timeline_report(&scenario, &q)).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) | Err(e) => return error_page(e, Some(&c)),
    };
    let first = report.points.first().map_or("", |p| p.date.as_str()).to_string();
    let last = report.points.last().map_or("", |p| p.date.as_str()).to_string();
    let mut body = format!(
        "<form method=\"get\"><label for=\"from\">From</label> <input id=\"from\" name=\"from\" type=\"date\" value=\"{first}\"> <label for=\"to\">To</label> <input id=\"to\" name=\"to\" type=\"date\" value=\"{last}\"> <label for=\"step\">Step</label> <select id=\"step\" name=\"step\"><option value=\"month\">month</option><option value=\"quarter\">quarter</option></select> <button type=\"submit\">Show</button></form><div id=\"timeline\">{}</div>",
        truce_report::svg::timeline_svg(&report)
    );
    // The chart's text equivalent.
    body.push_str("<details><summary>The same as a table</summary><table id=\"timeline-table\"><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Positions known</th>");
    if let Some(p) = report.points.first() {
        for r in &p.readings {
            let _ = write!(
                body,
                "<th scope=\"col\">{}: feasible packages / fewest concessions</th>",
                r.reading.as_str()
            );
        }
    }
    body.push_str("</tr></thead><tbody>");
    for p in &report.points {
        let _ = write!(body, "<tr><th scope=\"row\">{}</th><td>{}</td>", p.date, p.positions_known);
        for r in &p.readings {
            let _ =
                write!(body, "<td>{} / {}</td>", grouped(&r.feasible_packages), r.min_concessions);
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></details>");
    page("Timeline", &c, &body).into_response()
}

async fn compliance_now<S: Store>(
    st: &AppState<S>,
    as_of: Option<&str>,
) -> Result<(truce_watch::compliance::Report, String), AppError> {
    let w = st.watch.as_ref().ok_or(AppError::NotFound)?.clone();
    let as_of: Option<truce_scenario::Date> = as_of.and_then(|d| d.parse().ok());
    st.heavy_shared(format!("compliance page {as_of:?}"), move || -> Result<_, String> {
        let state = w.read().map_err(|e| format!("{e:?}"))?;
        let as_of = crate::report_day(state.registry(), as_of);
        Ok(Arc::new((state.evaluate(as_of), state.agreement().title.clone())))
    })
    .await?
    .map(|r| r.as_ref().clone())
    .map_err(AppError::Internal)
}

#[derive(Deserialize)]
pub(crate) struct DateQuery {
    date: Option<String>,
    view: Option<String>,
}

pub(crate) async fn agreement<S: Store>(
    State(st): St<S>,
    headers: HeaderMap,
    Query(q): Query<DateQuery>,
) -> Response {
    let c = match guard(&st, &headers, Endpoint::AgreementPage).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (report, title) = match compliance_now(&st, q.date.as_deref()).await {
        Ok(r) => r,
        Err(e) => return error_page(e, Some(&c)),
    };
    let mut body = format!(
        "<p>{} — compliance as of <strong>{}</strong>, computed from the first {} log entries.</p><table id=\"compliance\"><caption>Commitments and their status</caption><thead><tr><th scope=\"col\">Commitment</th><th scope=\"col\">Obligor</th><th scope=\"col\">Status</th><th scope=\"col\">PAM score (0–3)</th><th scope=\"col\">Days of verified violation</th><th scope=\"col\">Why, and the evidence</th></tr></thead><tbody>",
        esc(&title),
        report.as_of,
        report.log_size
    );
    for s in &report.commitments {
        let status = serde_json::to_value(s.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let evidence: Vec<String> = s
            .evidence
            .iter()
            .take(20)
            .filter_map(|&i| {
                let bundle = truce_tlog::tile::entry_bundle(i, report.log_size)?;
                Some(format!("<a href=\"/log/{}\">{i}</a>", bundle.path()))
            })
            .collect();
        let _ = write!(
            body,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td class=\"st-{status}\">{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
            esc(&s.commitment),
            esc(&s.obligor),
            s.status.as_str(),
            s.pam_score,
            s.violation_days.len(),
            esc(&s.reason),
            if evidence.is_empty() {
                String::new()
            } else {
                format!(
                    "<br>entries {}{}",
                    evidence.join(", "),
                    if s.evidence.len() > 20 { " …" } else { "" }
                )
            }
        );
    }
    body.push_str("</tbody></table>");
    let _ = write!(body, "<h2>Not machine-checkable</h2><ul>");
    for (id, reason) in &report.not_checkable {
        let _ = write!(body, "<li><strong>{}</strong>: {}</li>", esc(id), esc(reason));
    }
    body.push_str("</ul>");
    page("Agreement and compliance", &c, &body).into_response()
}

/// The daily report for `date` (default today, clipped into the mission), rendered by `render`, as heavy
/// work whose result is shared with readers asking the same `kind` of rendering meanwhile.
pub(crate) async fn daily_now<S: Store, T: Clone + Send + Sync + 'static>(
    st: &AppState<S>,
    kind: &str,
    date: Option<&str>,
    view: Option<&str>,
    render: impl FnOnce(
        &truce_watch::report::Daily,
        &truce_watch::boundary::View,
        &truce_accord::Agreement,
    ) -> T
    + Send
    + 'static,
) -> Result<T, AppError> {
    let w = st.watch.as_ref().ok_or(AppError::NotFound)?.clone();
    let view = truce_watch::boundary::view(view.unwrap_or(truce_watch::boundary::DEFAULT_VIEW))
        .map_err(|e| AppError::Invalid(vec![e.to_string()]))?;
    let date: Option<truce_scenario::Date> = date.and_then(|d| d.parse().ok());
    let key = format!("daily {kind} {date:?} {}", view.id);
    st.heavy_shared(key, move || -> Result<T, String> {
        let state = w.read().map_err(|e| format!("{e:?}"))?;
        let date = crate::report_day(state.registry(), date);
        let a = state.agreement();
        let daily = truce_watch::report::daily(a, &state, date, view);
        drop(state);
        Ok(render(&daily, view, a))
    })
    .await?
    .map_err(AppError::Internal)
}

pub(crate) async fn map<S: Store>(
    State(st): St<S>,
    headers: HeaderMap,
    Query(q): Query<DateQuery>,
) -> Response {
    let c = match guard(&st, &headers, Endpoint::MapPage).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    // The page's body is the same for every caller: built once, in the heavy work, and shared.
    let drawn = daily_now(&st, "map", q.date.as_deref(), q.view.as_deref(), |d, v, a| {
        Arc::new(map_body(d, v, a))
    });
    let body = match drawn.await {
        Ok(b) => b,
        Err(e) => return error_page(e, Some(&c)),
    };
    page("Observation map", &c, &body).into_response()
}

/// The map page's body: the day and view picker, the map, and the day's observations.
fn map_body(
    daily: &truce_watch::report::Daily,
    view: &truce_watch::boundary::View,
    a: &truce_accord::Agreement,
) -> String {
    let (date, view_id) = (daily.date, view.id);
    let mut body = format!(
        "<form method=\"get\" action=\"/ui/map\"><label for=\"date\">Day</label> <input id=\"date\" name=\"date\" type=\"date\" value=\"{}\"> <label for=\"view\">Boundary view</label> <select id=\"view\" name=\"view\">",
        date
    );
    for (id, description, _) in truce_watch::boundary::VIEWS {
        let _ = write!(
            body,
            "<option value=\"{id}\"{}>{id} — {}</option>",
            if id == view_id { " selected" } else { "" },
            esc(description)
        );
    }
    let _ = write!(
        body,
        "</select> <button type=\"submit\">Show</button></form><figure>{}<figcaption>Observations of {}; boundaries: {} (display only).</figcaption></figure>",
        daily.map_svg(a, view),
        date,
        view_id
    );
    body.push_str("<h2>Observations</h2><p><label for=\"filter\">Filter</label> <input id=\"filter\" type=\"search\" placeholder=\"class, state, entry\"></p><script>document.getElementById('filter').addEventListener('input',function(){for(const r of document.querySelectorAll('#observations tbody tr'))r.hidden=!r.textContent.toLowerCase().includes(this.value.toLowerCase());});</script><table id=\"observations\"><thead><tr><th scope=\"col\">Entry</th><th scope=\"col\">Class</th><th scope=\"col\">Position (lat, lon)</th><th scope=\"col\">Verification</th></tr></thead><tbody>");
    for (i, class, p, state) in &daily.observations {
        let _ = write!(
            body,
            "<tr><td>{i}</td><td>{}</td><td>{:.4}, {:.4}</td><td>{}</td></tr>",
            esc(class),
            p[1],
            p[0],
            esc(state)
        );
    }
    body.push_str("</tbody></table>");
    body
}

pub(crate) async fn observe<S: Store>(State(st): St<S>, headers: HeaderMap) -> Response {
    let c = match guard(&st, &headers, Endpoint::ObservePage).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    // The parties of the agreement, and the classes the mission's entry declares (those the log's rules
    // accept).
    let (parties, classes): (Vec<String>, Vec<String>) = st
        .watch
        .as_ref()
        .and_then(|w| {
            w.read().ok().map(|s| {
                let parties = s
                    .agreement()
                    .actors
                    .iter()
                    .filter(|a| a.role == "party")
                    .map(|a| a.id.clone())
                    .collect();
                let classes = match &s.registry().mission {
                    Some(m) => m.classes.iter().cloned().collect(),
                    None => truce_watch::entry::CLASSES.iter().map(|c| c.to_string()).collect(),
                };
                (parties, classes)
            })
        })
        .unwrap_or_default();
    let classes: Vec<&str> = classes.iter().map(String::as_str).collect();
    let mut options = String::new();
    for p in parties.iter().map(String::as_str).chain(["unknown"]) {
        let _ = write!(options, "<option>{}</option>", esc(p));
    }
    let select = |id: &str, label: &str, values: &[&str]| {
        let mut o = String::new();
        for v in values {
            let _ = write!(o, "<option>{}</option>", esc(v));
        }
        format!("<p><label for=\"{id}\">{label}</label><br><select id=\"{id}\">{o}</select></p>")
    };
    let body = format!(
        "<p>Fill in what you saw, heard or recorded, load your key file, and sign: the observation is signed in this browser and only the signed entry is sent. Coordinates only: no country.</p>\
<form id=\"observe\"><fieldset><legend>When and where</legend>\
<p><label for=\"start\">Start (UTC)</label><br><input id=\"start\" type=\"datetime-local\" required> <label for=\"end\">End (UTC)</label> <input id=\"end\" type=\"datetime-local\" required></p>\
<p><label for=\"lat\">Observer latitude (°)</label><br><input id=\"lat\" type=\"number\" step=\"0.000001\" min=\"-90\" max=\"90\" required> <label for=\"lon\">Observer longitude (°)</label> <input id=\"lon\" type=\"number\" step=\"0.000001\" min=\"-180\" max=\"180\" required></p>\
<p><label for=\"controlled_by\">Area controlled by (as observed)</label><br><select id=\"controlled_by\">{options}</select></p></fieldset>\
<fieldset><legend>What</legend>{}{}\
<p><label for=\"count\">Count</label><br><input id=\"count\" type=\"number\" min=\"0\" value=\"1\" required> <input id=\"approximate\" type=\"checkbox\"> <label for=\"approximate\">approximately</label></p>\
<p><label for=\"bearing\">Bearing to the event (°, optional)</label><br><input id=\"bearing\" type=\"number\" min=\"0\" max=\"359\"> <label for=\"distance\">Distance (m, optional)</label> <input id=\"distance\" type=\"number\" min=\"0\"></p>\
<p><label for=\"weapon\">Weapon assessed as (optional)</label><br><select id=\"weapon\"><option value=\"\">none</option><option>artillery</option><option>mortar</option><option>mlrs</option><option>heavy_mlrs</option><option>tochka</option><option>tank</option><option>small_arms</option></select> <label for=\"calibre\">Calibre (mm)</label> <input id=\"calibre\" type=\"number\" min=\"0\"></p>\
<p><label for=\"note\">Note (optional)</label><br><input id=\"note\" size=\"60\"></p></fieldset>\
<fieldset><legend>Signature</legend><p><label for=\"keyfile\">Your key file (paste its three lines)</label><br><textarea id=\"keyfile\" rows=\"3\" cols=\"70\" required></textarea></p></fieldset>\
<p><button type=\"submit\">Sign and submit</button></p></form><p id=\"result\" role=\"status\" aria-live=\"polite\"></p>\
<script>{SIGNING_JS}\
document.getElementById('observe').addEventListener('submit',async ev=>{{ev.preventDefault();const out=document.getElementById('result');\
try{{const v=id=>document.getElementById(id).value;const k=await loadKey(v('keyfile'));\
const iso=s=>new Date(s+'Z').toISOString().replace('.000Z','Z');\
const body={{kind:'observation',start:iso(v('start')),end:iso(v('end')),lat_e6:Math.round(parseFloat(v('lat'))*1e6),lon_e6:Math.round(parseFloat(v('lon'))*1e6),controlled_by:v('controlled_by'),sensor:v('sensor'),class:v('class'),count:parseInt(v('count'),10),approximate:document.getElementById('approximate').checked}};\
if(v('bearing')!=='')body.bearing_deg=parseInt(v('bearing'),10);if(v('distance')!=='')body.distance_m=parseInt(v('distance'),10);\
if(v('weapon')!==''){{body.weapon={{class:v('weapon')}};if(v('calibre')!=='')body.weapon.calibre_mm=parseInt(v('calibre'),10);}}\
if(v('note')!=='')body.note=v('note');\
const index=await submitEntry(await signEntry(k,body));out.textContent='Signed by '+k.name+' and appended to the log at entry '+index+'.';out.dataset.index=index;}}\
catch(e){{out.textContent='Not submitted: '+e.message;}}}});</script>",
        select("sensor", "Sensor", &["saw", "heard", "camera", "uav", "crater_analysis"]),
        select("class", "Class", &classes),
    );
    page("Record an observation", &c, &body).into_response()
}

pub(crate) async fn queue<S: Store>(State(st): St<S>, headers: HeaderMap) -> Response {
    let c = match guard(&st, &headers, Endpoint::QueuePage).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let q = match st.store.queue(200).await {
        Ok(q) => q,
        Err(e) => return error_page(e.into(), Some(&c)),
    };
    let mut body = format!(
        "<p>{} observation(s) await verification, oldest first. Paste your key file once; each button signs a verification entry in this browser (never for your own observation: the log refuses it) and submits it.</p><p><label for=\"keyfile\">Your key file</label><br><textarea id=\"keyfile\" rows=\"3\" cols=\"70\"></textarea></p><p id=\"result\" role=\"status\" aria-live=\"polite\"></p><table id=\"queue\"><thead><tr><th scope=\"col\">Entry</th><th scope=\"col\">Day</th><th scope=\"col\">Class</th><th scope=\"col\">State</th><th scope=\"col\">Author key</th><th scope=\"col\">Verify</th></tr></thead><tbody>",
        q.len()
    );
    for e in &q {
        let actions = if e.state.as_deref() == Some("under_review") {
            format!(
                "<button data-of=\"{0}\" data-to=\"corroborated\">Corroborate {0}</button> <button data-of=\"{0}\" data-to=\"unverifiable\">Unverifiable {0}</button> <button data-of=\"{0}\" data-to=\"rejected\">Reject {0}</button>",
                e.index
            )
        } else {
            format!(
                "<button data-of=\"{0}\" data-to=\"under_review\">Take up {0}</button>",
                e.index
            )
        };
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}…</code></td><td>{actions}</td></tr>",
            e.index,
            esc(e.day.as_deref().unwrap_or("")),
            esc(e.class.as_deref().unwrap_or("")),
            esc(e.state.as_deref().unwrap_or("")),
            esc(e.author.get(..12).unwrap_or(""))
        );
    }
    body.push_str("</tbody></table>");
    let _ = write!(
        body,
        "<script>{SIGNING_JS}\
document.getElementById('queue').addEventListener('click',async ev=>{{const b=ev.target.closest('button');if(!b)return;const out=document.getElementById('result');\
try{{const k=await loadKey(document.getElementById('keyfile').value);const to=b.dataset.to;const body={{kind:'verification',of:parseInt(b.dataset.of,10),to}};\
if(to==='unverifiable'||to==='rejected'){{const r=prompt('Why?');if(!r)return;body.reason=r;}}\
const index=await submitEntry(await signEntry(k,body));out.textContent='Entry '+b.dataset.of+' is now '+to+' (log entry '+index+').';b.closest('td').textContent=to;}}\
catch(e){{out.textContent='Not submitted: '+e.message;}}}});</script>"
    );
    page("Verification queue", &c, &body).into_response()
}

pub(crate) async fn report<S: Store>(
    State(st): St<S>,
    headers: HeaderMap,
    Query(q): Query<DateQuery>,
) -> Response {
    let c = match guard(&st, &headers, Endpoint::ReportPage).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let drawn = daily_now(&st, "page", q.date.as_deref(), q.view.as_deref(), |d, v, a| {
        // The report's own page, inside ours: its body only.
        let html = d.html(a, v);
        let inner =
            html.split("<body>").nth(1).and_then(|b| b.split("</body>").next()).unwrap_or("");
        let body = format!(
            "<form method=\"get\" action=\"/ui/reports/daily\"><label for=\"date\">Day</label> <input id=\"date\" name=\"date\" type=\"date\" value=\"{}\"> <button type=\"submit\">Show</button></form>{}",
            d.date,
            inner.replacen("<h1>", "<h2>", 1).replacen("</h1>", "</h2>", 1)
        );
        Arc::new((d.date, body))
    });
    let (date, body) = match drawn.await {
        Ok(d) => (d.0, d.clone()),
        Err(e) => return error_page(e, Some(&c)),
    };
    let body = &body.1;
    page(&format!("Daily report {date}"), &c, body).into_response()
}

pub(crate) async fn log<S: Store>(State(st): St<S>, headers: HeaderMap) -> Response {
    let c = match guard(&st, &headers, Endpoint::LogPage).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some(w) = &st.watch else { return error_page(AppError::NotFound, Some(&c)) };
    let note = crate::witness::served(w, &st.witnesses);
    let newest = w.size();
    let checkpoint = truce_tlog::checkpoint::Checkpoint::parse(&note.text).ok();
    let cosignatures = note.signatures.len().saturating_sub(1);
    let mut body = format!(
        "<p>Origin <code>{}</code>, <strong>{}</strong> entries in the checkpoint served (the log holds {newest}), root <code>{}</code>.</p><p>{} witness cosignature(s) on this checkpoint. Anyone can mirror and audit the log: <code>truce log audit {{this server}}/log --vkey log.vkey</code>, adding <code>--witness</code> key files for a witness policy.</p>",
        esc(checkpoint.as_ref().map_or("?", |c| c.origin.as_str())),
        checkpoint.as_ref().map_or(0, |c| c.size),
        checkpoint
            .as_ref()
            .map(|c| c.root.iter().map(|b| format!("{b:02x}")).collect::<String>())
            .unwrap_or_default(),
        cosignatures,
    );
    body.push_str("<h2>Witnesses</h2>");
    if st.witnesses.peers.is_empty() {
        body.push_str("<p>This log asks no witness to cosign.</p>");
    } else {
        body.push_str("<table id=\"witnesses\"><thead><tr><th scope=\"col\">Witness</th><th scope=\"col\">Key</th><th scope=\"col\">Last cosigned size</th><th scope=\"col\">When (UTC)</th><th scope=\"col\">This checkpoint</th><th scope=\"col\">Last error</th></tr></thead><tbody>");
        for p in &st.witnesses.peers {
            let status = p.status.lock().map(|s| s.clone()).unwrap_or_default();
            let current = status.cosigned.as_ref().is_some_and(|(t, _)| *t == note.text);
            let when = status
                .at
                .and_then(|t| jiff::Timestamp::try_from(t).ok())
                .map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_else(|| "never".into());
            let _ = write!(
                body,
                "<tr><th scope=\"row\">{}</th><td><code>{}</code></td><td>{}</td><td>{when}</td><td>{}</td><td>{}</td></tr>",
                esc(&p.verifier.name),
                esc(&p.verifier.vkey()),
                status.size,
                if current { "cosigned" } else { "not yet" },
                esc(status.error.as_deref().unwrap_or("—"))
            );
        }
        body.push_str("</tbody></table>");
    }
    if !st.witnesses.hosted.is_empty() {
        let mut names: Vec<&String> = st.witnesses.hosted.keys().collect();
        names.sort();
        body.push_str("<p>This server also hosts the witness(es) ");
        body.push_str(
            &names
                .iter()
                .map(|n| {
                    format!(
                        "<code>{}</code> at <code>/witness/{}/add-checkpoint</code>",
                        esc(n),
                        esc(n)
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        );
        body.push_str(".</p>");
    }
    let _ = write!(body, "<h2>The signed checkpoint</h2><pre>{}</pre>", esc(&note.to_text()));
    page("Log status", &c, &body).into_response()
}
