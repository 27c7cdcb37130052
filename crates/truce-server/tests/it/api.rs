//! Issue 22: the API says what it answers. The OpenAPI document is generated from the handlers' own
//! ask and answer types; it validates as OpenAPI 3.1, it is pinned by a golden file (`docs/openapi.json`),
//! real answers of every `GET` endpoint validate against the schemas it declares, and a bad date,
//! choice, number or flag in any query parameter it declares is refused naming the parameter and the
//! value (422 JSON on the API, an error page on pages), never ignored.

use super::*;

/// Escapes one JSON Pointer segment.
fn segment(s: &str) -> String {
    s.replace('~', "~0")
        .replace('/', "~1")
        .replace('{', "%7B")
        .replace('}', "%7D")
        .replace(' ', "%20")
        .replace(';', "%3B")
        .replace('+', "%2B")
}

async fn document(s: &Server) -> serde_json::Value {
    let (status, bytes, _) = call(&s.router, "GET", "/v1/openapi.json", None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    serde_json::from_slice(&bytes).unwrap()
}

/// Whether a response declares a schema for every media type it has (and has one).
fn declares_schema(response: &serde_json::Value) -> bool {
    response["content"]
        .as_object()
        .is_some_and(|c| !c.is_empty() && c.values().all(|m| m["schema"].is_object()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue22_the_openapi_document_validates_declares_its_answers_and_is_pinned() {
    let s = server("openapi-valid", 4096).await;
    let doc = document(&s).await;
    // Pinned: a change to any ask or answer shows in review (`UPDATE_EXPECT=1` rewrites it).
    let pretty = format!("{}\n", serde_json::to_string_pretty(&doc).unwrap());
    expect_test::expect_file!["../../../../docs/openapi.json"].assert_eq(&pretty);
    // OpenAPI 3.1's own JSON Schema (vendored from the npm registry, `vendor/npm/`).
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            root().join("vendor/npm/openapi-schemas-2.1.0/schemas/v3.1/schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "not OpenAPI 3.1: {errors:#?}");
    // Every schema it holds is a JSON Schema.
    for (name, component) in doc["components"]["schemas"].as_object().unwrap() {
        assert!(
            jsonschema::meta::is_valid(component),
            "components/schemas/{name} is not a JSON Schema"
        );
    }
    // At least 90% of the /v1 operations declare what they answer.
    let (mut operations, mut declared, mut undeclared) = (0, 0, Vec::new());
    for e in Endpoint::all() {
        let (method, path) = e.route();
        if !path.starts_with("/v1/") {
            continue;
        }
        operations += 1;
        let op = &doc["paths"][path][method.to_lowercase()];
        let responses = op["responses"].as_object().unwrap();
        if responses.iter().any(|(code, r)| code.starts_with('2') && declares_schema(r)) {
            declared += 1;
        } else {
            undeclared.push(format!("{e:?}"));
        }
        // Every refusal it may give is declared too, with the error document.
        for code in ["401", "403", "404", "422"] {
            assert!(declares_schema(&responses[code]), "{e:?} does not declare {code}");
        }
    }
    println!(
        "issue 22: {declared} of {operations} /v1 operations declare the schema of their answer (undeclared: {undeclared:?})"
    );
    assert!(declared * 10 >= operations * 9, "{declared} of {operations}: {undeclared:?}");
    std::fs::remove_dir_all(&s.dir).ok();
}

/// The declared schema for an answer to `GET path` with `status` and `kind`, as a validator over the
/// whole document (so that its `$ref`s resolve).
fn declared(
    doc: &serde_json::Value,
    path: &str,
    status: StatusCode,
    kind: &str,
) -> Result<Option<jsonschema::Validator>, String> {
    let responses = &doc["paths"][path]["get"]["responses"];
    let code = status.as_u16().to_string();
    let response = &responses[&code];
    if !response.is_object() {
        return Err(format!("answered {status}, which it does not declare"));
    }
    let essence = |k: &str| k.split(';').next().unwrap_or_default().trim().to_string();
    let Some((media, declared)) = response["content"]
        .as_object()
        .into_iter()
        .flatten()
        .find(|(k, _)| essence(k) == essence(kind))
    else {
        return Err(format!("answered {status} as {kind:?}, which it does not declare"));
    };
    if !declared["schema"].is_object() {
        return Ok(None);
    }
    let mut root = doc.clone();
    root["$ref"] = serde_json::Value::from(format!(
        "#/paths/{}/get/responses/{code}/content/{}/schema",
        segment(path),
        segment(media)
    ));
    Ok(Some(jsonschema::validator_for(&root).map_err(|e| e.to_string())?))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue22_real_answers_of_every_get_endpoint_validate_against_the_declared_schemas() {
    let s = server("openapi-answers", 4096).await;
    let doc = document(&s).await;
    let mediator = s.token(Role::Mediator);
    // Something on the log, so that entries, proofs and reports have content.
    let mission = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
    hold(&s.store, &mediator, &mission).await;
    let e = truce_watch::entry::sign(&mission, 1, mission_body("m")).unwrap();
    let (status, _, _) = call(&s.router, "POST", "/v1/entries", Some(&mediator), e).await;
    assert_eq!(status, StatusCode::CREATED);
    // A rehearsal, done.
    let (status, bytes, _) = call(
        &s.router,
        "POST",
        "/v1/scenarios/ukraine-2025/simulations",
        Some(&mediator),
        br#"{"rounds": 3, "protocols": ["saop"]}"#.to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{}", String::from_utf8_lossy(&bytes));
    let job: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let job = job["href"].as_str().unwrap().to_string();
    for _ in 0..600 {
        let (_, bytes, _) =
            call(&s.router, "GET", &format!("{job}?format=status"), Some(&mediator), vec![]).await;
        if bytes.windows(6).any(|w| w == b"\"done\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // The entry's proof, once a checkpoint holds it.
    for _ in 0..200 {
        let (status, _, _) =
            call(&s.router, "GET", "/v1/entries/0/proof", Some(&mediator), vec![]).await;
        if status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mut asked: Vec<(Endpoint, String)> = Vec::new();
    for e in Endpoint::all() {
        let (method, path) = e.route();
        if method != "GET" || !(path.starts_with("/v1/") || path == "/readyz") {
            continue;
        }
        let (_, example_path, _) = example(e);
        let url = match e {
            Endpoint::Simulation => job.clone(),
            _ => example_path,
        };
        asked.push((e, url));
    }
    // More than one answer of some: each rendering and a refusal.
    asked.push((Endpoint::Simulation, format!("{job}?format=status")));
    asked.push((Endpoint::Simulation, format!("{job}?format=svg&run=0")));
    asked.push((Endpoint::Export, "/v1/export?format=geojson".into()));
    asked.push((Endpoint::AnalyzeScenario, "/v1/scenarios/ukraine-2025/analysis?format=md".into()));
    asked.push((
        Endpoint::Frontier,
        "/v1/scenarios/ukraine-2025/frontier?parties=UKR,RUS&format=svg".into(),
    ));
    asked.push((Endpoint::GetScenario, "/v1/scenarios/no-such-scenario".into()));
    asked.push((Endpoint::Compliance, "/v1/compliance?as_of=2015-02-30".into()));
    let (mut validated, mut typed_only) = (0, 0);
    for (e, url) in &asked {
        let (status, bytes, headers) = call(&s.router, "GET", url, Some(&mediator), vec![]).await;
        let kind = headers
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let path = e.route().1;
        let validator =
            declared(&doc, path, status, &kind).unwrap_or_else(|why| panic!("{e:?} {url}: {why}"));
        match validator {
            Some(v) if kind.contains("json") && !bytes.is_empty() => {
                let body: serde_json::Value = serde_json::from_slice(&bytes)
                    .unwrap_or_else(|err| panic!("{e:?} {url}: not JSON: {err}"));
                let errors: Vec<String> =
                    v.iter_errors(&body).map(|x| format!("{x} at {}", x.instance_path())).collect();
                assert!(errors.is_empty(), "{e:?} {url} ({status}): {errors:#?}");
                validated += 1;
            }
            _ => typed_only += 1,
        }
    }
    println!(
        "issue 22: {validated} JSON answers validated against their declared schemas, {typed_only} other answers of a declared media type ({} asked)",
        asked.len()
    );
    assert!(validated >= 20, "only {validated} answers validated");
    std::fs::remove_dir_all(&s.dir).ok();
}

/// What a query parameter's declared schema accepts, with a value it must refuse.
fn bad_value(doc: &serde_json::Value, schema: &serde_json::Value) -> Option<&'static str> {
    let resolve = |s: &serde_json::Value| -> serde_json::Value {
        match s["$ref"].as_str().and_then(|r| r.strip_prefix("#/")) {
            Some(pointer) => doc.pointer(&format!("/{pointer}")).cloned().unwrap_or_default(),
            None => s.clone(),
        }
    };
    let s = resolve(schema);
    for alternative in s["anyOf"].as_array().into_iter().chain(s["oneOf"].as_array()).flatten() {
        if let Some(v) = bad_value(doc, alternative) {
            return Some(v);
        }
    }
    if s["format"] == "date" {
        return Some("2015-02-30");
    }
    if s["enum"].is_array() || s["oneOf"].is_array() || s["const"].is_string() {
        return Some("bogus");
    }
    match s["type"].as_str() {
        Some("integer") | Some("number") => Some("many"),
        Some("boolean") => Some("maybe"),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue22_a_bad_date_choice_number_or_flag_in_any_query_is_refused_naming_it() {
    let s = server("openapi-bad-queries", 4096).await;
    let doc = document(&s).await;
    let mut tried = Vec::new();
    for e in Endpoint::all() {
        let (method, path) = e.route();
        if method != "GET" {
            continue;
        }
        let params =
            doc["paths"][path]["get"]["parameters"].as_array().cloned().unwrap_or_default();
        let role = e.roles()[0];
        let token = (role != Role::Public).then(|| s.token(role));
        let (_, example_path, _) = example(e);
        let base = example_path.split('?').next().unwrap().to_string();
        for p in params.iter().filter(|p| p["in"] == "query") {
            let name = p["name"].as_str().unwrap();
            let Some(value) = bad_value(&doc, &p["schema"]) else { continue };
            let url = format!("{base}?{name}={value}");
            let (status, bytes, headers) =
                call(&s.router, "GET", &url, token.as_deref(), vec![]).await;
            let text = String::from_utf8_lossy(&bytes);
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e:?} {url}: {text}");
            let kind = headers.get("content-type").unwrap().to_str().unwrap();
            if e.is_page() {
                assert!(kind.starts_with("text/html"), "{e:?} {url}: {kind}");
            } else {
                assert!(kind.starts_with("application/json"), "{e:?} {url}: {kind}");
            }
            // maud escapes the quotes around the value on a page.
            assert!(
                text.contains(name) && text.contains(value),
                "{e:?} {url}: the refusal does not name {name} and {value}: {text}"
            );
            tried.push(format!("{e:?} {name}={value}"));
        }
    }
    println!("issue 22: {} bad query values refused, each named: {tried:?}", tried.len());
    // The findings of the issue: silently ignored before.
    for must in [
        "AgreementPage date=2015-02-30",
        "ReportPage date=2015-02-30",
        "MapPage from=2015-02-30",
        "Export format=bogus",
        "DailyReport date=2015-02-30",
        "SimulatePage confidential=maybe",
    ] {
        assert!(tried.iter().any(|t| t == must), "{must} was not tried: {tried:?}");
    }
    std::fs::remove_dir_all(&s.dir).ok();
}
