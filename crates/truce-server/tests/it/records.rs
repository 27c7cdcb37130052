//! Issue 21 through the service: records within physical bounds (finding 7), and verdicts that parties
//! cannot bend (finding 9).

use axum::http::StatusCode;
use base64::Engine as _;
use ed25519_dalek::{Signer as _, SigningKey};
use truce_store::{Role, Store, token_hash};
use truce_watch::entry::{
    AnnotationStance, Body as E, Confidence, Observation, Role as R, VerificationState, key_hex,
    sign,
};

use super::{call, hold, mission_body, server};

/// Sorts object keys recursively: the entry encoding's canonical form.
fn sorted(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => {
            let mut pairs: Vec<_> = m.into_iter().collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(pairs.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        serde_json::Value::Array(a) => {
            serde_json::Value::Array(a.into_iter().map(sorted).collect())
        }
        other => other,
    }
}

/// A validly signed entry in canonical form with any sequence number and any body, without the checks
/// that `sign` makes: what a hostile client can post.
fn forge(key: &SigningKey, seq: u64, body: &E) -> Vec<u8> {
    let author = key_hex(&key.verifying_key());
    let body = sorted(serde_json::to_value(body).unwrap());
    let signed = serde_json::json!({"author": author, "body": body, "seq": seq});
    let mut message = truce_watch::entry::CONTEXT.to_vec();
    message.extend(serde_json::to_vec(&signed).unwrap());
    let sig = base64::engine::general_purpose::STANDARD.encode(key.sign(&message).to_bytes());
    serde_json::to_vec(&serde_json::json!({"author": author, "body": body, "seq": seq, "sig": sig}))
        .unwrap()
}

fn k(b: u8) -> SigningKey {
    SigningKey::from_bytes(&[b; 32])
}

/// Artillery fire heard 2.5 km east of an observer west of Avdiivka, on 2015-03-20.
fn shelling() -> Observation {
    Observation {
        start: "2015-03-20T06:00:00Z".into(),
        end: "2015-03-20T06:30:00Z".into(),
        lat_e6: 48_070_000,
        lon_e6: 37_686_000,
        controlled_by: "UKR_GOV".into(),
        sensor: "heard".into(),
        class: "explosion".into(),
        count: 12,
        approximate: false,
        bearing_deg: Some(90),
        distance_m: Some(2_500),
        weapon: None,
        media: Vec::new(),
        note: String::new(),
    }
}

async fn post(router: &axum::Router, token: &str, bytes: Vec<u8>) -> (StatusCode, String) {
    let (status, body, _) = call(router, "POST", "/v1/entries", Some(token), bytes).await;
    (status, String::from_utf8_lossy(&body).to_string())
}

async fn get_json(router: &axum::Router, path: &str, token: Option<&str>) -> serde_json::Value {
    let (status, bytes, _) = call(router, "GET", path, token, vec![]).await;
    assert_eq!(status, StatusCode::OK, "{path}: {}", String::from_utf8_lossy(&bytes));
    serde_json::from_slice(&bytes).unwrap()
}

/// A page as the public sees it. An entry's page waits (up to 10 s) for a checkpoint that holds it:
/// an acknowledged entry is published within seconds, later under load.
async fn get_text(router: &axum::Router, path: &str) -> String {
    let mut tries = 0;
    let (status, bytes) = loop {
        let (status, bytes, _) = call(router, "GET", path, None, vec![]).await;
        let unpublished = status == StatusCode::NOT_FOUND
            && String::from_utf8_lossy(&bytes).contains("is not in the checkpoint served");
        if !unpublished || tries == 200 {
            break (status, bytes);
        }
        tries += 1;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(status, StatusCode::OK, "{path}: {text}");
    text
}

/// Finding 7: an observation 4,294,967,295 m away, an entry with sequence number 2^64 − 1 (after which
/// the key's next number was 0), and times of `+002015-03-20T06:00:00Z` were all 201. Each is now 422
/// with the field named, before anything is queued, and the key's next number stays usable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue21_absurd_records_are_refused_before_the_log() {
    let s = server("records-bounds", 4096).await;
    let (mediator, observer_token) = (s.token(Role::Mediator), s.token(Role::Observer));
    let (mission, observer) = (k(1), k(2));
    hold(&s.store, &mediator, &mission).await;
    hold(&s.store, &observer_token, &observer).await;
    let enrol = E::Enrol {
        key: key_hex(&observer.verifying_key()),
        name: "o".into(),
        role: R::Observer,
        party: None,
    };
    for (seq, body) in [(1, mission_body("bounds")), (2, enrol)] {
        let (status, body) = post(&s.router, &mediator, sign(&mission, seq, body).unwrap()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let hex = key_hex(&observer.verifying_key());
    let sequence = format!("/v1/keys/{hex}/sequence");
    let cases: Vec<(u64, Observation, &[&str])> = vec![
        (
            1,
            Observation { bearing_deg: Some(359), distance_m: Some(u32::MAX), ..shelling() },
            &["distance_m", "off the globe"],
        ),
        (
            1,
            Observation { distance_m: Some(60_000), ..shelling() },
            &["distance_m: 60000 m is beyond the mission's largest observation distance"],
        ),
        (u64::MAX, shelling(), &["seq: 18446744073709551615 is too large"]),
        (1 << 63, shelling(), &["seq: 9223372036854775808 is too large"]),
        (
            1,
            Observation { start: "+002015-03-20T06:00:00Z".into(), ..shelling() },
            &["start", "YYYY-MM-DDTHH:MM:SSZ"],
        ),
        (
            1,
            Observation { end: "+002015-03-20T06:30:00Z".into(), ..shelling() },
            &["end", "YYYY-MM-DDTHH:MM:SSZ"],
        ),
        (
            1,
            Observation { start: "2015-03-20T08:00:00+02:00".into(), ..shelling() },
            &["start", "YYYY-MM-DDTHH:MM:SSZ"],
        ),
    ];
    for (seq, o, says) in cases {
        let (status, body) =
            post(&s.router, &observer_token, forge(&observer, seq, &E::Observation(o))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "seq {seq}: {body}");
        for phrase in says {
            assert!(body.contains(phrase), "wanted {phrase:?} in {body}");
        }
        // Nothing was queued: the key's next number is still 1.
        let v = get_json(&s.router, &sequence, Some(&observer_token)).await;
        assert_eq!(v["next"], 1, "after seq {seq}: {v}");
    }
    // The number the server gives is usable, and the entry lands right after the enrolment.
    let next =
        get_json(&s.router, &sequence, Some(&observer_token)).await["next"].as_u64().unwrap();
    let (status, body) = post(
        &s.router,
        &observer_token,
        sign(&observer, next, E::Observation(shelling())).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["index"], 2);
    assert_eq!(get_json(&s.router, &sequence, Some(&observer_token)).await["next"], next + 1);
    // The exports hold the one observation, with no cell a spreadsheet would run.
    let csv = get_text(&s.router, "/v1/export?format=csv").await;
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(!csv.contains(",+") && !csv.contains(",="), "{csv}");
    std::fs::remove_dir_all(&s.dir).ok();
}

/// The standing of `commitment` in the compliance document as of `as_of`, once the durable view holds
/// `size` entries.
async fn standing(
    router: &axum::Router,
    as_of: &str,
    size: u64,
    commitment: &str,
) -> serde_json::Value {
    for _ in 0..500 {
        let v = get_json(router, &format!("/v1/compliance?as_of={as_of}"), None).await;
        if v["log_size"] == size {
            return v["commitments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["commitment"] == commitment)
                .unwrap()
                .clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the durable view never reached {size} entries");
}

/// The verifiers' queue once `ready` holds of it.
async fn queue_when(
    router: &axum::Router,
    token: &str,
    ready: impl Fn(&[serde_json::Value]) -> bool,
) -> Vec<serde_json::Value> {
    let mut last = Vec::new();
    for _ in 0..500 {
        let v = get_json(router, "/v1/queue", Some(token)).await;
        last = v["queue"].as_array().unwrap().clone();
        if ready(&last) {
            return last;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the queue never became as expected: {last:?}");
}

/// The row of `commitment` in the agreement page's compliance table.
fn row<'p>(page: &'p str, commitment: &str) -> &'p str {
    // The row names the commitment by its provision and action, its id in `<code>` (issue 23).
    let at = page
        .find(&format!("<code>{commitment}</code>"))
        .unwrap_or_else(|| panic!("no row for {commitment} in {page}"));
    let start = page[..at].rfind("<tr").unwrap();
    let rest = &page[start..];
    &rest[..rest.find("</tr>").unwrap()]
}

/// Finding 9: after ORDLO's delegate filed one dispute on an observation behind `1.ceasefire.ORDLO`,
/// the status changed from verified violation to disputed, and the dispute's text was shown nowhere.
/// Now the verdict stands, the dispute is shown beside it (agreement page, entry page, daily report,
/// compliance document), the observation is back in the verifiers' queue, and only a verifier's
/// transition changes the status.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue21_a_dispute_leaves_a_verified_violation_standing() {
    let s = server("records-dispute", 4096).await;
    let (mediator, observer_token, verifier_token) =
        (s.token(Role::Mediator), s.token(Role::Observer), s.token(Role::Verifier));
    let user =
        s.store.create_user("delegate-ordlo", Role::PartyDelegate, Some("ORDLO")).await.unwrap();
    s.store.add_token(user.id, token_hash("token-ordlo"), "test").await.unwrap();
    let ordlo_token = "token-ordlo".to_string();
    let (mission, observer, verifier, ordlo) = (k(1), k(2), k(3), k(4));
    hold(&s.store, &mediator, &mission).await;
    hold(&s.store, &observer_token, &observer).await;
    hold(&s.store, &verifier_token, &verifier).await;
    hold(&s.store, &ordlo_token, &ordlo).await;
    let mut setup = vec![mission_body("dispute")];
    for (key, role, party) in [
        (&observer, R::Observer, None),
        (&verifier, R::Verifier, None),
        (&ordlo, R::PartyDelegate, Some("ORDLO".to_string())),
    ] {
        setup.push(E::Enrol { key: key_hex(&key.verifying_key()), name: "x".into(), role, party });
    }
    for (seq, body) in setup.into_iter().enumerate() {
        let (status, body) =
            post(&s.router, &mediator, sign(&mission, seq as u64 + 1, body).unwrap()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let seen = 4;
    let (status, body) =
        post(&s.router, &observer_token, sign(&observer, 1, E::Observation(shelling())).unwrap())
            .await;
    assert_eq!((status, body.as_str()), (StatusCode::CREATED, "{\"index\":4}"));
    let verifications = [
        E::Attribution { of: seen, party: "ORDLO".into(), confidence: Confidence::High },
        E::Verification { of: seen, to: VerificationState::UnderReview, reason: None },
        E::Verification { of: seen, to: VerificationState::Corroborated, reason: None },
    ];
    for (seq, body) in verifications.into_iter().enumerate() {
        let (status, body) =
            post(&s.router, &verifier_token, sign(&verifier, seq as u64 + 1, body).unwrap()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (as_of, commitment) = ("2015-03-21", "1.ceasefire.ORDLO");
    let before = standing(&s.router, as_of, 8, commitment).await;
    assert_eq!(before["status"], "verified_violation", "{before}");
    queue_when(&s.router, &verifier_token, |q| q.is_empty()).await;

    // ORDLO's delegate disputes it.
    let text = "No firing from our positions at that time; the <b>shells</b> came from the west.";
    let dispute = E::Annotation {
        of: seen,
        party: "ORDLO".into(),
        stance: AnnotationStance::Dispute,
        text: text.into(),
    };
    let (status, body) = post(&s.router, &ordlo_token, sign(&ordlo, 1, dispute).unwrap()).await;
    assert_eq!((status, body.as_str()), (StatusCode::CREATED, "{\"index\":8}"));
    let after = standing(&s.router, as_of, 9, commitment).await;
    assert_eq!(after["status"], "verified_violation", "{after}");
    assert_eq!(after["evidence"], before["evidence"]);
    assert_eq!(
        after["disputes"],
        serde_json::json!([{"index": 8, "of": seen, "party": "ORDLO", "text": text, "awaiting_review": true}])
    );
    // Beside the verdict on the agreement page, the entry page and the daily report; escaped as text.
    let shown = text.replace('<', "&lt;").replace('>', "&gt;");
    let page = get_text(&s.router, &format!("/ui/agreement?date={as_of}")).await;
    let line = row(&page, commitment);
    assert!(line.contains("verified violation") && !line.contains(">disputed<"), "{line}");
    assert!(line.contains("ORDLO") && line.contains(&shown), "{line}");
    let entry = get_text(&s.router, &format!("/ui/entries/{seen}")).await;
    assert!(entry.contains(&shown) && entry.contains("ORDLO</strong>: dispute"), "{entry}");
    assert!(entry.contains("back in the verifiers' queue"), "{entry}");
    let md = get_text(&s.router, &format!("/v1/reports/daily?date={as_of}&format=md")).await;
    let md_row = md.lines().find(|l| l.starts_with(&format!("| {commitment} |"))).unwrap();
    assert!(
        md_row.contains("| verified violation |") && md_row.contains("ORDLO in entry 8"),
        "{md_row}"
    );
    assert!(md_row.contains("No firing from our positions at that time"), "{md_row}");
    let report = get_text(&s.router, &format!("/ui/reports/daily?date={as_of}")).await;
    assert!(report.contains(&shown), "{report}");
    // The dispute puts the observation back in the verifiers' queue.
    let q = queue_when(&s.router, &verifier_token, |q| !q.is_empty()).await;
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(q[0]["index"], seen);
    assert_eq!(q[0]["state"], "corroborated");
    assert_eq!(q[0]["disputed_by"], serde_json::json!(["ORDLO"]));
    let (status, page, _) =
        call(&s.router, "GET", "/ui/queue", Some(&verifier_token), vec![]).await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("disputed by ORDLO") && page.contains(&format!("Take up {seen}")),
        "{page}"
    );

    // A verifier's transition changes the verdict: under review again, the violation is alleged; then
    // corroborated again, verified, the dispute answered and the queue empty.
    let review = E::Verification { of: seen, to: VerificationState::UnderReview, reason: None };
    let (status, body) =
        post(&s.router, &verifier_token, sign(&verifier, 4, review).unwrap()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let reviewed = standing(&s.router, as_of, 10, commitment).await;
    assert_eq!(reviewed["status"], "alleged_violation", "{reviewed}");
    let decided = E::Verification { of: seen, to: VerificationState::Corroborated, reason: None };
    let (status, body) =
        post(&s.router, &verifier_token, sign(&verifier, 5, decided).unwrap()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let settled = standing(&s.router, as_of, 11, commitment).await;
    assert_eq!(settled["status"], "verified_violation", "{settled}");
    assert_eq!(settled["disputes"][0]["awaiting_review"], false, "{settled}");
    queue_when(&s.router, &verifier_token, |q| q.is_empty()).await;
    std::fs::remove_dir_all(&s.dir).ok();
}
