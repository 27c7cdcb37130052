//! Negotiation rehearsals over HTTP: a background job per request, readable by its owner and mediators
//! only, bounded per caller; the page shows the same document.

use axum::http::StatusCode;
use serde_json::Value;
use truce_store::Role;

use super::{call, server};

fn token_of(s: &super::Server, role: Role, party: Option<&str>) -> String {
    s.tokens.iter().find(|(r, p, _)| *r == role && p.as_deref() == party).unwrap().2.clone()
}

async fn start(s: &super::Server, token: &str, body: &str) -> (StatusCode, Value) {
    let (status, bytes, _) = call(
        &s.router,
        "POST",
        "/v1/scenarios/ukraine-2025/simulations",
        Some(token),
        body.as_bytes().to_vec(),
    )
    .await;
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn poll(s: &super::Server, token: &str, href: &str) -> Value {
    for _ in 0..600 {
        let (status, bytes, _) = call(&s.router, "GET", href, Some(token), vec![]).await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        if v["status"] != "running" && v["status"] != "queued" {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{href} still running after 30 s");
}

/// Issue 24: rehearsals lived in one server's memory, so a finished one answered 404 after a restart
/// and on every other server. Now the store keeps them: another server over the same store (a
/// restarted one is one too: nothing in its memory) serves the same document and plots, to the same
/// readers only; a job that was running when its server stopped reads as interrupted, once that
/// server starts again or once it is older than jobs are kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_rehearsal_outlives_its_server_and_any_server_serves_it() {
    use std::sync::Arc;
    use truce_store::{JobRecord, Store};
    let s = server("simulations-kept", 4096).await;
    let ukr = token_of(&s, Role::PartyDelegate, Some("UKR"));
    let (status, v) = start(&s, &ukr, r#"{"agents": ["conceder"], "rounds": 40, "seed": 9}"#).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{v}");
    let href = v["href"].as_str().unwrap().to_string();
    let done = poll(&s, &ukr, &href).await;
    assert_eq!(done["status"], "done", "{done}");
    let (_, plot, _) =
        call(&s.router, "GET", &format!("{href}?format=svg&run=1"), Some(&ukr), vec![]).await;

    let other = truce_server::AppState::new(s.store.clone(), None);
    let other = truce_server::router(Arc::new(other));
    let (status, bytes, _) = call(&other, "GET", &href, Some(&ukr), vec![]).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    let there: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(there, done, "the same document from another server");
    let (status, svg, _) =
        call(&other, "GET", &format!("{href}?format=svg&run=1"), Some(&ukr), vec![]).await;
    assert_eq!((status, svg), (StatusCode::OK, plot), "the same plot");
    let page = format!(
        "/ui/scenarios/ukraine-2025/simulate?job={}",
        href.trim_start_matches("/v1/simulations/")
    );
    let (status, bytes, _) = call(&other, "GET", &page, Some(&ukr), vec![]).await;
    assert_eq!(status, StatusCode::OK, "the page, from another server");
    assert!(String::from_utf8_lossy(&bytes).contains("<svg"), "with its plots");
    // The same readers only.
    let rus = token_of(&s, Role::PartyDelegate, Some("RUS"));
    let (status, _, _) = call(&other, "GET", &href, Some(&rus), vec![]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = call(&other, "GET", &href, Some(&s.token(Role::Mediator)), vec![]).await;
    assert_eq!(status, StatusCode::OK);

    // Jobs running when their servers stopped: one whose server starts again, one whose server is
    // gone for longer than jobs are kept.
    let owner = s.store.user_by_token(truce_store::token_hash(&ukr)).await.unwrap().id;
    let now = jiff::Timestamp::now().as_second();
    let running = |id: &str, server: &str, created: i64| JobRecord {
        id: id.into(),
        owner,
        slug: "ukraine-2025".into(),
        ask: "a rehearsal".into(),
        server: server.into(),
        state: "running".into(),
        reason: String::new(),
        document: None,
        plots: None,
        created,
        expires: 0,
    };
    let (restarted, gone) = ("a".repeat(32), "b".repeat(32));
    s.store.save_job(&running(&restarted, "http://one", now)).await.unwrap();
    s.store.save_job(&running(&gone, "http://two", now - 7_200)).await.unwrap();
    let one = truce_server::AppState::new(s.store.clone(), None);
    let status_of = async |router: &axum::Router, id: &str| {
        let (_, bytes, _) =
            call(router, "GET", &format!("/v1/simulations/{id}"), Some(&ukr), vec![]).await;
        serde_json::from_slice::<Value>(&bytes).unwrap()
    };
    let before = truce_server::router(Arc::new(truce_server::AppState::new(s.store.clone(), None)));
    assert_eq!(status_of(&before, &restarted).await["status"], "running");
    assert_eq!(one.adopt_jobs("http://one").await.unwrap(), 1);
    let one = truce_server::router(Arc::new(one));
    let v = status_of(&one, &restarted).await;
    assert_eq!(v["status"], "interrupted", "{v}");
    assert!(v["error"].as_str().unwrap().contains("ask for it again"), "{v}");
    let v = status_of(&one, &gone).await;
    assert_eq!(v["status"], "interrupted", "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rehearsal_runs_in_the_background_and_only_its_owner_and_mediators_read_it() {
    let s = server("simulations", 4096).await;
    let ukr = token_of(&s, Role::PartyDelegate, Some("UKR"));
    let (status, v) = start(&s, &ukr, r#"{"agents": ["conceder"], "rounds": 60, "seed": 4}"#).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{v}");
    let href = v["href"].as_str().unwrap().to_string();
    assert_eq!(v["id"].as_str().unwrap().len(), 32, "an unguessable id");
    let done = poll(&s, &ukr, &href).await;
    assert_eq!(done["status"], "done", "{done}");
    let report = &done["report"];
    assert_eq!(report["schema"], "truce.simulation/1");
    assert_eq!(report["runs"].as_array().unwrap().len(), 3);
    assert_eq!(report["runs"][0]["agents"][0], "conceder");
    // The same document the CLI prints for the same request.
    let scenario = truce_scenario::parse(
        "ukraine-2025.toml",
        &std::fs::read_to_string(super::root().join("scenarios/ukraine-2025.toml")).unwrap(),
    )
    .0
    .unwrap();
    let ask = truce_sim::SimulationAsk {
        agents: vec!["conceder".into()],
        rounds: 60,
        seed: 4,
        ..Default::default()
    }
    .check()
    .unwrap();
    let budget = truce_report::simulation::DocumentBudget::default();
    let rehearsal = truce_sim::simulate(&scenario, &ask, &budget).unwrap();
    let cli = truce_report::simulation::document(
        &scenario,
        "ukraine-2025.toml",
        &ask,
        &rehearsal,
        budget,
    )
    .unwrap();
    // (Compared field by field: JSON text does not carry every float back bit for bit.)
    let ours = serde_json::to_value(&cli.report).unwrap();
    for (a, b) in report["runs"].as_array().unwrap().iter().zip(ours["runs"].as_array().unwrap()) {
        for field in ["protocol", "agents", "end", "rounds", "offers"] {
            assert_eq!(a[field], b[field], "{field}");
        }
        assert_eq!(a["agreement"]["options"], b["agreement"]["options"]);
        assert_eq!(a["trace"].as_array().unwrap().len(), b["trace"].as_array().unwrap().len());
    }
    // Run 1's plot.
    let (status, bytes, _) =
        call(&s.router, "GET", &format!("{href}?format=svg&run=1"), Some(&ukr), vec![]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(bytes).unwrap().contains("stacked"));
    let (status, bytes, _) =
        call(&s.router, "GET", &format!("{href}?format=svg&run=7"), Some(&ukr), vec![]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(String::from_utf8_lossy(&bytes).contains("runs 0 to 2"));

    // Nobody else learns of it, but a mediator reads it.
    for other in [token_of(&s, Role::PartyDelegate, Some("RUS")), s.token(Role::Analyst)] {
        let (status, _, _) = call(&s.router, "GET", &href, Some(&other), vec![]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _, _) =
        call(&s.router, "GET", &href, Some(&s.token(Role::Mediator)), vec![]).await;
    assert_eq!(status, StatusCode::OK);
    // A made-up id is not found.
    let (status, _, _) = call(&s.router, "GET", "/v1/simulations/0123", Some(&ukr), vec![]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_refused_before_any_work_and_a_flood_is_turned_away() {
    let s = server("simulations-bad", 4096).await;
    let analyst = s.token(Role::Analyst);
    for (body, says) in [
        (r#"{"rounds": 0}"#, "rounds: 0: expected 1 to 10000"),
        (r#"{"rounds": 100000}"#, "rounds: 100000"),
        (r#"{"agents": ["bluffer"]}"#, "unknown agent `bluffer`"),
        (r#"{"protocols": ["auction"]}"#, "unknown protocol `auction`"),
        (r#"{"reading": "lenient"}"#, "reading"),
        (r#"{"protocols": []}"#, "protocols: none given"),
        (r#"{"agents": []}"#, "agents: none given"),
        (r#"{"as_of": "last spring"}"#, "as_of: expected a date as YYYY-MM-DD"),
    ] {
        let (status, v) = start(&s, &analyst, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
        assert!(v.to_string().contains(says), "{body}: {v}");
    }
    // Unknown fields and bad JSON never reach the job table.
    for body in [r#"{"round": 5}"#, "{", r#"{"rounds": -1}"#] {
        let (status, _) = start(&s, &analyst, body).await;
        assert!(status.is_client_error(), "{body}: {status}");
    }
    // A rehearsal that cannot run on this scenario (nine agents for its eight parties) is refused
    // before it is queued, as checked against the scenario.
    let (status, v) = start(&s, &analyst, r#"{"agents": ["linear","linear","linear","linear","linear","linear","linear","linear","linear"]}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v.to_string().contains("9 agents for 8 parties"), "{v}");

    // Long rehearsals (hard-headed agents never agree, 10,000 rounds): the caller's fifth running one is
    // refused while four are running or queued.
    let slow =
        |seed: u32| format!(r#"{{"agents": ["hardheaded"], "rounds": 10000, "seed": {seed}}}"#);
    let mut hrefs = Vec::new();
    for seed in 0..4 {
        let (status, v) = start(&s, &analyst, &slow(seed)).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{v}");
        hrefs.push(v["href"].as_str().unwrap().to_string());
    }
    // The same request again is the same job; a fifth is refused.
    let (status, v) = start(&s, &analyst, &slow(0)).await;
    assert_eq!((status, v["href"].as_str()), (StatusCode::ACCEPTED, Some(hrefs[0].as_str())));
    let (status, v) = start(&s, &analyst, &slow(4)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert!(v.to_string().contains("already have 4 rehearsals queued or running"), "{v}");
    // Another caller is not held up by it.
    let (status, _) = start(&s, &s.token(Role::Mediator), r#"{"rounds": 5}"#).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    for href in &hrefs {
        let done = poll(&s, &analyst, href).await;
        assert_eq!(done["status"], "done");
        let run = &done["report"]["runs"][0];
        assert_eq!(run["end"], "deadline");
        // The report keeps the first and last thousand moves of the 80,000.
        assert_eq!(run["trace"].as_array().unwrap().len(), 2000);
        assert_eq!(run["trace_omitted"], 78_000);
    }
}

/// The rehearsal page as an analyst sees it: asking queues a job and leads to its page, which refreshes
/// itself until the job is done.
async fn rehearsal_page(s: &super::Server, ask: &str) -> (StatusCode, String) {
    let analyst = s.token(Role::Analyst);
    let (status, bytes, headers) = call(&s.router, "GET", ask, Some(&analyst), vec![]).await;
    if status != StatusCode::SEE_OTHER {
        return (status, String::from_utf8(bytes).unwrap());
    }
    let job = headers.get("location").unwrap().to_str().unwrap().to_string();
    assert!(job.contains("?job="), "{job}");
    for _ in 0..600 {
        let (status, bytes, _) = call(&s.router, "GET", &job, Some(&analyst), vec![]).await;
        let html = String::from_utf8(bytes).unwrap();
        if !html.contains(r#"id="job-state""#) {
            return (status, html);
        }
        assert!(html.contains(r#"data-poll="/v1/simulations/"#), "a waiting page follows its job");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{job} still running after 30 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_shows_each_runs_agreement_citations_and_trace() {
    let s = server("simulate-page", 4096).await;
    let (status, html) = rehearsal_page(
        &s,
        "/ui/scenarios/ukraine-2025/simulate?agents=conceder&rounds=50&protocols=saop,single-text",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(html.matches("<section class=\"run\"").count(), 2);
    assert!(html.contains("Agreement in round"));
    assert!(html.contains("class=\"agreement\""), "the plot marks the agreement");
    assert!(html.contains(", line "), "citations");
    // The navigation leads to it, as to the Table's other pages.
    assert!(html.contains(r#"href="/ui/scenarios/ukraine-2025/simulate""#), "no link to the page");
    let (status, bytes, _) = call(
        &s.router,
        "GET",
        "/ui/scenarios/ukraine-2025/simulate?agents=bluffer",
        Some(&s.token(Role::Analyst)),
        vec![],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&bytes).contains("unknown agent"));
}
