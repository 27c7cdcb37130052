//! The Table, the Accord, reports and exports over HTTP: what each endpoint answers, and how it refuses
//! bad parameters.

use axum::http::StatusCode;
use serde_json::Value;
use truce_store::Role;

use super::{call, server};

fn token(s: &super::Server, role: Role) -> String {
    s.tokens.iter().find(|(r, _, _)| *r == role).unwrap().2.clone()
}

async fn get(s: &super::Server, path: &str) -> (StatusCode, String) {
    let (status, bytes, _) =
        call(&s.router, "GET", path, Some(&token(s, Role::Analyst)), vec![]).await;
    (status, String::from_utf8(bytes).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeline_and_robustness() {
    let s = server("timeline", 4096).await;
    let (status, body) = get(
        &s,
        "/v1/scenarios/ukraine-2025/timeline?from=2025-01-01&to=2025-06-01&parties=RUS,UKR,USA",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["schema"], "truce.timeline/1");
    assert_eq!(v["parties"], serde_json::json!(["RUS", "UKR", "USA"]));
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 6);
    assert_eq!(points[0]["date"], "2025-01-01");
    // Positions accumulate over time.
    let known: Vec<u64> = points.iter().map(|p| p["positions_known"].as_u64().unwrap()).collect();
    assert!(known.windows(2).all(|w| w[0] <= w[1]) && known[5] > known[0], "{known:?}");
    // Defaults: the months the positions span.
    let (status, body) = get(&s, "/v1/scenarios/ukraine-2025/timeline").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert!(v["points"].as_array().unwrap().len() >= 2);
    let (status, body) =
        get(&s, "/v1/scenarios/ukraine-2025/timeline?from=2025-01-01&to=2025-03-01&format=svg")
            .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with("<svg") && body.contains("Feasible packages"), "{body}");
    for (query, says) in [
        ("from=2025-05-01&to=2025-01-01", "is after"),
        ("step=week", "expected `month` or `quarter`"),
        ("from=yesterday", "expected a day as YYYY-MM-DD"),
        ("parties=XXX", "unknown party"),
        ("format=png", "expected `json` or `svg`"),
    ] {
        let (status, body) = get(&s, &format!("/v1/scenarios/ukraine-2025/timeline?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert!(body.contains(says), "{query}: {body}");
    }
    let (status, body) = get(&s, "/v1/scenarios/ukraine-2025/robust?draws=8&seed=3").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["draws"], 8, "{v}");
    let (_, again) = get(&s, "/v1/scenarios/ukraine-2025/robust?draws=8&seed=3").await;
    assert_eq!(body, again, "the same seed gives the same answer");
    for query in ["draws=0", "draws=100000", "unknown_red_line=2"] {
        let (status, body) = get(&s, &format!("/v1/scenarios/ukraine-2025/robust?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
    }
    let (status, _) = get(&s, "/v1/scenarios/no-such/timeline").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    std::fs::remove_dir_all(&s.dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frontier_for_a_pair_and_a_triple() {
    let s = server("frontier", 4096).await;
    for parties in ["UKR,RUS", "UKR,RUS,USA"] {
        let (status, body) =
            get(&s, &format!("/v1/scenarios/ukraine-2025/frontier?parties={parties}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["schema"], "truce.frontier/1");
        assert_eq!(v["reading"], "red_lines");
        let points: Vec<(Vec<f64>, bool)> = v["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let u = p["utilities"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap())
                    .collect();
                (u, p["efficient"].as_bool().unwrap())
            })
            .collect();
        let dominates = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| x >= y) && a != b;
        // Efficient points dominate each other nowhere; every other point is dominated by one of them.
        for (u, efficient) in &points {
            let dominated = points.iter().any(|(w, _)| dominates(w, u));
            assert_eq!(*efficient, !dominated, "{parties}: {u:?}");
        }
        assert!(points.iter().any(|(_, e)| *e));
        let concepts: Vec<&str> = v["solutions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["concept"].as_str().unwrap())
            .collect();
        assert!(concepts.contains(&"nash") && concepts.contains(&"egalitarian"), "{concepts:?}");
        let (status, svg) =
            get(&s, &format!("/v1/scenarios/ukraine-2025/frontier?parties={parties}&format=svg"))
                .await;
        assert_eq!(status, StatusCode::OK);
        let panels = svg.matches("class=\"panel\"").count();
        assert_eq!(panels, if parties.len() == 7 { 1 } else { 3 }, "{parties}");
        assert!(svg.contains("Nash") && svg.contains("utility to UKR"));
    }
    for (query, says) in [
        ("parties=UKR", "2 or 3 parties"),
        ("parties=UKR,RUS,USA,EU", "2 or 3 parties"),
        ("parties=UKR,ZZZ", "unknown party \\\"ZZZ\\\""),
        ("parties=UKR,UKR", "UKR is given twice"),
        ("parties=UKR,RUS&reading=hopeful", "expected one of `red_lines`, `strict`, `pessimistic`"),
    ] {
        let (status, body) = get(&s, &format!("/v1/scenarios/ukraine-2025/frontier?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert!(body.contains(says), "{query}: {body}");
    }
    std::fs::remove_dir_all(&s.dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agreement_is_drafted_then_checked() {
    let s = server("draft", 4096).await;
    let mediator = token(&s, Role::Mediator);
    let (status, draft) =
        get(&s, "/v1/scenarios/ukraine-2025/draft?package=nash&day_one=2026-01-01").await;
    assert_eq!(status, StatusCode::OK, "{draft}");
    assert!(draft.contains("[[provisions]]"), "{draft}");
    let (status, bytes, _) =
        call(&s.router, "POST", "/v1/agreements/check", Some(&mediator), draft.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["ok"], true);
    assert!(v["provisions"].as_u64().unwrap() > 0);
    let minsk = std::fs::read(super::root().join("accords/minsk-2015.toml")).unwrap();
    let (status, bytes, _) =
        call(&s.router, "POST", "/v1/agreements/check", Some(&mediator), minsk.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["provisions"], 13, "{v}");
    // A broken agreement: the diagnostics name the line and the field.
    let broken =
        String::from_utf8(minsk).unwrap().replacen("lookback_days = ", "lookback_days = -", 1);
    let (status, bytes, _) =
        call(&s.router, "POST", "/v1/agreements/check", Some(&mediator), broken.into_bytes()).await;
    let text = String::from_utf8_lossy(&bytes);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(text.contains("agreement.toml:") && text.contains("lookback_days"), "{text}");
    for query in ["package=nope", "package=nash&day_one=soon"] {
        let (status, body) = get(&s, &format!("/v1/scenarios/ukraine-2025/draft?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
    }
    std::fs::remove_dir_all(&s.dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_and_exports() {
    let s = server("reports", 4096).await;
    let (status, md) = get(&s, "/v1/reports/daily?date=2015-03-01").await;
    assert_eq!(status, StatusCode::OK, "{md}");
    assert!(md.starts_with('#') && md.contains("2015-03-01"), "{md}");
    let (status, html) = get(&s, "/v1/reports/daily?date=2015-03-01&format=html").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html") && html.contains("<svg"), "{html}");
    let (status, geojson) = get(&s, "/v1/export").await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_str(&geojson).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    for format in ["csv", "acled"] {
        let (status, csv) = get(&s, &format!("/v1/export?format={format}")).await;
        assert_eq!(status, StatusCode::OK, "{format}: {csv}");
        assert!(csv.lines().next().unwrap().contains(','), "{format}: a header row");
    }
    for query in [
        "/v1/export?format=xls",
        "/v1/export?format=acled&view=atlantis",
        "/v1/reports/daily?date=March",
        "/v1/reports/daily?format=pdf",
    ] {
        let (status, body) = get(&s, query).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
    }
    std::fs::remove_dir_all(&s.dir).ok();
}

/// The analysis endpoint's "what if" (`relax=`, repeated or comma-separated) and its other renderings
/// (`format=md|text`) are the CLI's: the same keys, the same document; bad keys and formats are 422s
/// that say what was expected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_analysis_answers_what_if_in_every_format() {
    let s = server("what-if", 4096).await;
    let doc = |body: &str| -> Value { serde_json::from_str(body).unwrap() };
    let strict = |v: &Value| v["readings"][1]["blocked_issues"].as_array().unwrap().len();
    let (status, base) = get(&s, "/v1/scenarios/ukraine-2025/analysis").await;
    assert_eq!(status, StatusCode::OK, "{base}");
    let base = doc(&base);
    assert_eq!(strict(&base), 10);
    // Every key the document gives a constraint is one the endpoint takes back.
    let key = base["readings"][1]["concessions"]["groups"][0]["alternatives"][0]["relax"][0]["key"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(key, "demand/UKR/nato");
    for query in [
        format!("relax={key}"),
        format!("relax={key},red_line/RUS/nato.full_membership"),
        format!("relax={key}&relax=red_line/RUS/nato.full_membership"),
    ] {
        let (status, body) = get(&s, &format!("/v1/scenarios/ukraine-2025/analysis?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        let v = doc(&body);
        assert_eq!(strict(&v), 9, "{query}");
        assert!(v["relaxed"].as_array().unwrap().contains(&Value::String(key.clone())));
    }
    let (status, md) =
        get(&s, &format!("/v1/scenarios/ukraine-2025/analysis?relax={key}&format=md")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        md.starts_with("# ") && md.contains("**What if:**") && md.contains("`demand/UKR/nato`")
    );
    let (status, text) = get(&s, "/v1/scenarios/ukraine-2025/analysis?format=text").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("reading       constraints") && text.contains("(paraphrase)"), "{text}");
    for (query, says) in [
        ("relax=demand/XX/nato", "no party \\\"XX\\\""),
        ("relax=veto/UKR/nato", "red_line, unknown, demand or rule"),
        ("relax=demand", "expected KIND/PARTY/WHAT"),
        ("format=pdf", "expected one of `json`, `md`, `text`"),
        ("as_of=yesterday", "expected a day as YYYY-MM-DD"),
    ] {
        let (status, body) = get(&s, &format!("/v1/scenarios/ukraine-2025/analysis?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert!(body.contains(says), "{query}: {body}");
    }
}

/// Robustness as a stream: the same report as `…/robust`, after its progress; bad parameters are a
/// 422 before any stream starts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robustness_streams_its_progress_then_the_report() {
    let s = server("robust-stream", 4096).await;
    let (status, body) = get(&s, "/v1/scenarios/ukraine-2025/robust/stream?draws=300&seed=7").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let result = body
        .split("\n\n")
        .find_map(|e| e.strip_prefix("event: result\ndata: "))
        .unwrap_or_else(|| panic!("no result event in {body}"));
    let streamed: Value = serde_json::from_str(result).unwrap();
    let (status, direct) = get(&s, "/v1/scenarios/ukraine-2025/robust?draws=300&seed=7").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(streamed, serde_json::from_str::<Value>(&direct).unwrap(), "one run, one report");
    for e in body.split("\n\n").filter_map(|e| e.strip_prefix("event: progress\ndata: ")) {
        let p: Value = serde_json::from_str(e).unwrap();
        assert!(p["done"].as_u64().unwrap() <= 300 && p["draws"] == 300, "{p}");
    }
    let (status, body) = get(&s, "/v1/scenarios/ukraine-2025/robust/stream?draws=0").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

/// A Genius domain folder imported through the API becomes a scenario version, analysed like any
/// other; a pool of profiles is refused until the parties are chosen; bad input is a 422 that says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_genius_folder_imports_as_a_scenario() {
    let s = server("import", 4096).await;
    let analyst = token(&s, Role::Analyst);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../test_data/negotiation/domains");
    let folder = |slug: &str| -> Vec<Value> {
        let mut files: Vec<_> =
            std::fs::read_dir(root.join(slug)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "json"))
            .map(|p| serde_json::json!({"name": p.file_name().unwrap().to_string_lossy(), "text": std::fs::read_to_string(p).unwrap()}))
            .collect()
    };
    let post = |slug: &str, body: Value| {
        let (router, analyst, slug) = (s.router.clone(), analyst.clone(), slug.to_string());
        async move {
            let (status, bytes, _) = call(
                &router,
                "POST",
                &format!("/v1/scenarios/{slug}/import"),
                Some(&analyst),
                serde_json::to_vec(&body).unwrap(),
            )
            .await;
            (status, String::from_utf8(bytes).unwrap())
        }
    };
    let (status, body) =
        post("itex", serde_json::json!({"files": folder("anac_y2010_ItexvsCypress")})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((v["version"].as_i64(), v["parties"].as_u64()), (Some(1), Some(2)));
    let (status, body) = get(&s, "/v1/scenarios/itex/analysis").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let pool = folder("anac_y2015_group1-university");
    let (status, body) = post("uni", serde_json::json!({"files": pool})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("9 profiles is a pool"), "{body}");
    let (status, body) =
        post("uni", serde_json::json!({"files": pool, "profiles": ["1", "2", "3"]})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Bounds: more files than a folder holds, or a body larger than the server reads.
    let many: Vec<Value> =
        (0..101).map(|i| serde_json::json!({"name": format!("{i}.xml"), "text": ""})).collect();
    let huge = serde_json::json!({"files": [{"name": "big.xml", "text": "x".repeat(3 << 20)}]});
    let (status, _) = post("bad", huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    for (body, says) in [
        (serde_json::json!({"files": []}), "expected 1 to 100 files"),
        (serde_json::json!({"files": many}), "got 101"),
        (
            serde_json::json!({"files": [{"name": "x.xml", "text": "<nothing/>"}]}),
            "exactly one domain file",
        ),
        (
            serde_json::json!({"files": folder("anac_y2010_ItexvsCypress"), "semantics": "mine"}),
            "expected genius or negmas-raw",
        ),
    ] {
        let (status, text) = post("bad", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        assert!(text.contains(says), "{says}: {text}");
    }
}
