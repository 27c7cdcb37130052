//! Issue 24: the server's log goes through `tracing`: JSON lines on request, a request id on every
//! line logged while a request is served (and in the response's `X-Request-Id`), and never a token,
//! a session id, a key, a signature or a confidential value, whatever the requests carried.

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use truce_watch::entry::{Body, KeyFile, Observation, sign};

#[test]
fn the_logs_of_a_submission_hold_no_secret() {
    let base = std::env::temp_dir().join(format!("truce-logs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let data = base.join("data");
    let recorded = super::upgrade::newest_fixture(&data);
    let port = super::kill::free_port();
    let log_file = base.join("stderr.log");
    let mut child = super::kill::truce(&data)
        .arg("serve")
        .env("TRUCE_LISTEN", format!("127.0.0.1:{port}"))
        .env("TRUCE_METRICS_LISTEN", "127.0.0.1:0")
        .env("TRUCE_LOG", "debug")
        .env("TRUCE_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_file).unwrap())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !agent.get(&format!("{url}/readyz")).call().is_ok_and(|r| r.status() == 200) {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let token = |who: &str| recorded["tokens"][who].as_str().unwrap().to_string();
    let mut secrets: Vec<String> = recorded["tokens"]
        .as_object()
        .unwrap()
        .values()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();

    // A signed observation.
    let key_text = std::fs::read_to_string(data.join("keys/observer-1.key")).unwrap();
    let observer = KeyFile::parse(&key_text).unwrap().key;
    secrets.push(observer.to_bytes().iter().map(|b| format!("{b:02x}")).collect());
    let observation = Observation {
        start: "2015-03-22T08:00:00Z".into(),
        end: "2015-03-22T08:05:00Z".into(),
        lat_e6: 48_123_456,
        lon_e6: 38_654_321,
        controlled_by: "ORDLO".into(),
        sensor: "saw".into(),
        class: "explosion".into(),
        count: 3,
        approximate: false,
        bearing_deg: None,
        distance_m: None,
        weapon: None,
        media: vec![],
        note: "a note only the log holds".into(),
    };
    let entry = sign(&observer, 5_000_000, Body::Observation(observation)).unwrap();
    let sig = serde_json::from_slice::<Value>(&entry).unwrap()["sig"].as_str().unwrap().to_string();
    secrets.push(sig);
    let r = agent
        .post(&format!("{url}/v1/entries"))
        .header("authorization", &format!("Bearer {}", token("observer")))
        .send(&entry[..])
        .unwrap();
    assert_eq!(r.status(), 201);
    let request_id =
        r.headers().get("x-request-id").expect("a request id").to_str().unwrap().to_string();
    // A delegate's confidential preferences.
    let secret_value = "0.4242";
    let submission = format!(
        "[[preferences]]\nparty = \"UKR\"\nreservation = {secret_value}\n[preferences.utilities]\n\"nato.full_membership\" = 1.0\n"
    );
    secrets.push(secret_value.into());
    let r = agent
        .post(&format!("{url}/v1/scenarios/ukraine-2025/preferences"))
        .header("authorization", &format!("Bearer {}", token("delegate-ukr")))
        .send(submission.as_bytes())
        .unwrap();
    assert_eq!(r.status(), 201);
    // Signing in with a token; the session's id in the cookie; a page with it; a wrong token.
    let r = agent
        .post(&format!("{url}/ui/login"))
        .header("origin", &url)
        .header("content-type", "application/x-www-form-urlencoded")
        .send(format!("token={}", token("mediator")).as_bytes())
        .unwrap();
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap();
    let session = cookie.split(';').next().unwrap().to_string();
    secrets.push(session.split('=').nth(1).unwrap().to_string());
    let r = agent.get(&format!("{url}/")).header("cookie", &session).call().unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let r = agent
        .get(&format!("{url}/v1/whoami?token=truce_not_a_token_in_a_query"))
        .header("authorization", "Bearer truce_0000_a_wrong_token")
        .call()
        .unwrap();
    assert_eq!(r.status(), 401);
    secrets.push("truce_0000_a_wrong_token".into());
    secrets.push("truce_not_a_token_in_a_query".into());
    std::thread::sleep(Duration::from_millis(300));
    let _ = child.kill();
    let _ = child.wait();

    let log = std::fs::read_to_string(&log_file).unwrap();
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect();
    let answered: Vec<&Value> =
        lines.iter().filter(|l| l["fields"]["message"] == "answered").collect();
    assert!(answered.len() >= 5, "each request's line:\n{log}");
    for line in &answered {
        assert!(line["span"]["id"].as_str().is_some_and(|id| id.len() == 16), "{line}");
    }
    assert!(
        answered.iter().any(|l| l["span"]["id"] == request_id.as_str()
            && l["span"]["path"] == "/v1/entries"
            && l["span"]["role"] == "observer"),
        "the submission's line, by its request id {request_id}:\n{log}"
    );
    for secret in &secrets {
        assert!(!log.contains(secret.as_str()), "{secret:?} is in the log:\n{log}");
    }
    std::fs::remove_dir_all(&base).ok();
}
