//! Issue 25: sources anyone can check. A source's file is archived through the API (its text read,
//! the file stored by its hash, a new version recording it), bad files are refused saying what was
//! expected, every quote is checked against the archived text in the analysis and on the source's page
//! (highlighted, escaped), the original is downloaded only as an attachment, and positions are drafted
//! from an article without anything being saved.

use super::*;

/// A small scenario with one source and two positions quoting it: one quote in the article below, one
/// not.
const SOURCED: &str = r#"[meta]
title = "Sourced"

[[parties]]
id = "RUS"
name = "Russia"

[[parties]]
id = "UKR"
name = "Ukraine"

[[issues]]
id = "peacekeepers"
label = "European peacekeepers"

[[issues.options]]
id = "peacekeepers.yes"
label = "European peacekeepers deployed"

[[issues.options]]
id = "peacekeepers.no"
label = "No European peacekeepers"

[[sources]]
id = "wire"
publication = "A wire service"
title = "Moscow on peacekeepers"
date = 2025-02-18

[[positions]]
party = "RUS"
issue = "peacekeepers"
option = "peacekeepers.yes"
stance = "red_line"
date = 2025-02-18
source = "wire"
quote = "Moscow categorically rejects any deployment of European peacekeepers"
quote_kind = "direct"

[[positions]]
party = "UKR"
issue = "peacekeepers"
option = "peacekeepers.yes"
stance = "demanded"
date = 2025-02-18
source = "wire"
quote = "Kyiv insists that European troops must be deployed"
quote_kind = "paraphrase"

[[vocabulary]]
party = "RUS"
en = ["Russia", "Moscow", "Lavrov"]

[[vocabulary]]
option = "peacekeepers.yes"
en = ["European peacekeepers", "European troops"]
"#;

/// The article, as plain text, with markup that must never reach a page as markup.
const ARTICLE: &str = "Moscow on peacekeepers\n\nRussian Foreign Minister Sergei Lavrov said on Tuesday that Moscow categorically rejects any deployment of European peacekeepers in Ukraine.\nA reader wrote <script>alert(1)</script> under it.\n";

async fn sourced(name: &str) -> Server {
    let s = server(name, 4096).await;
    s.store.save_scenario("sourced", SOURCED, 1, "").await.unwrap();
    s
}

async fn json(
    s: &Server,
    method: &str,
    path: &str,
    token: &str,
    body: Vec<u8>,
) -> (StatusCode, serde_json::Value) {
    let (status, bytes, _) = call(&s.router, method, path, Some(token), body).await;
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    (status, value)
}

async fn latest(s: &Server, slug: &str) -> truce_store::ScenarioVersion {
    s.store.scenario(slug, None).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue25_archiving_a_source_saves_a_version_recording_it_and_checks_its_quotes() {
    let s = sourced("sources-archive").await;
    let analyst = s.token(Role::Analyst);
    let path = "/v1/scenarios/sourced/sources/wire?retrieved=2025-02-19&url=https://wire.example/a";
    let (status, doc) = json(&s, "POST", path, &analyst, ARTICLE.as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    let sha256 = truce_source::archive::sha256_hex(ARTICLE.as_bytes());
    assert_eq!(doc["sha256"], sha256.as_str());
    assert_eq!(doc["version"], 2);
    assert_eq!(doc["media_type"], "text/plain");
    assert_eq!(doc["language"], "en", "detected from the text");
    assert_eq!(doc["retrieved"], "2025-02-19");
    assert_eq!(doc["stored"], true);
    // The new version records the file, checked and parsed as every version is.
    let v = latest(&s, "sourced").await;
    assert_eq!(v.version, 2);
    for line in [
        format!("sha256 = \"{sha256}\""),
        "retrieved = 2025-02-19".into(),
        "language = \"en\"".into(),
        "media_type = \"text/plain\"".into(),
        "url = \"https://wire.example/a\"".into(),
    ] {
        assert!(v.text.contains(&line), "{line} is not in\n{}", v.text);
    }
    // Each quote of the source, checked against the text: the direct one found where it is, the
    // paraphrase not found, with the closest passage.
    let citations = doc["citations"].as_array().unwrap();
    assert_eq!(citations.len(), 2, "{doc}");
    assert_eq!(citations[0]["quote_check"]["status"], "found", "{doc}");
    assert_eq!(citations[0]["quote_check"]["line"], 3);
    let [start, end] =
        [&citations[0]["span"][0], &citations[0]["span"][1]].map(|v| v.as_u64().unwrap() as usize);
    assert_eq!(
        &ARTICLE[start..end],
        "Moscow categorically rejects any deployment of European peacekeepers"
    );
    assert_eq!(citations[1]["quote_check"]["status"], "not_found", "{doc}");
    assert!(citations[1]["quote_check"]["closest"].is_string(), "{doc}");
    // The same bytes again: found stored, recorded again in a new version.
    let (status, again) = json(&s, "POST", path, &analyst, ARTICLE.as_bytes().to_vec()).await;
    assert_eq!(
        (status, &again["stored"], &again["version"]),
        (StatusCode::CREATED, &false.into(), &3.into())
    );
    // The analysis marks each citation with its check, as the CLI does beside the archive.
    let (status, analysis) =
        json(&s, "GET", "/v1/scenarios/sourced/analysis", &analyst, vec![]).await;
    assert_eq!(status, StatusCode::OK, "{analysis}");
    let text = analysis.to_string();
    assert!(
        text.contains(&format!(
            r#""quote_check":{{"status":"found","sha256":"{sha256}","line":3,"closest":null}}"#
        )),
        "{text}"
    );
    std::fs::remove_dir_all(&s.dir).ok();
}

/// An HTML page in the charset it declares, windows-1251: its text is read in that charset, and its
/// language is told from its letters.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue25_an_html_page_in_windows_1251_is_read_in_its_charset() {
    let s = sourced("sources-1251").await;
    let analyst = s.token(Role::Analyst);
    // "Москва категорически отвергает миротворцев" in windows-1251.
    let russian: &[u8] = b"\xcc\xee\xf1\xea\xe2\xe0 \xea\xe0\xf2\xe5\xe3\xee\xf0\xe8\xf7\xe5\xf1\xea\xe8 \xee\xf2\xe2\xe5\xf0\xe3\xe0\xe5\xf2 \xec\xe8\xf0\xee\xf2\xe2\xee\xf0\xf6\xe5\xe2";
    let page = [
        b"<!doctype html><html><head><meta charset=\"windows-1251\"><title>t</title></head><body><p>".as_slice(),
        russian,
        b"</p></body></html>",
    ]
    .concat();
    let (status, doc) =
        json(&s, "POST", "/v1/scenarios/sourced/sources/wire", &analyst, page.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    assert_eq!(doc["media_type"], "text/html");
    assert_eq!(doc["encoding"], "windows-1251");
    assert_eq!(doc["language"], "ru");
    let (status, source) =
        json(&s, "GET", "/v1/scenarios/sourced/sources/wire", &analyst, vec![]).await;
    assert_eq!(status, StatusCode::OK, "{source}");
    assert!(
        source["text"].as_str().unwrap().contains("Москва категорически отвергает миротворцев"),
        "{source}"
    );
    assert_eq!(source["sha256"], truce_source::archive::sha256_hex(&page).as_str());
    std::fs::remove_dir_all(&s.dir).ok();
}

/// A file that is not a source's text is refused with what was found and what was expected, and no
/// version is saved; so is a source the scenario does not have, and a text whose language cannot be
/// told unless it is given.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue25_bad_files_and_unknown_sources_are_refused_saying_why() {
    let s = sourced("sources-refused").await;
    let analyst = s.token(Role::Analyst);
    let png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let cases: [(&str, Vec<u8>, StatusCode, &[&str]); 5] = [
        (
            "wire",
            png,
            StatusCode::UNPROCESSABLE_ENTITY,
            &["PNG", "expected an HTML page, a PDF or plain UTF-8 text"],
        ),
        ("wire", Vec::new(), StatusCode::UNPROCESSABLE_ENTITY, &["is empty", "expected"]),
        ("wire", b" \n\t ".to_vec(), StatusCode::UNPROCESSABLE_ENTITY, &["is empty"]),
        (
            "nowhere",
            ARTICLE.as_bytes().to_vec(),
            StatusCode::NOT_FOUND,
            &["no source \\\"nowhere\\\"", "[[sources]]"],
        ),
        (
            "wire",
            b"2025-02-18 12:00 1,234 5.6%".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            &["?language=en, ru or uk"],
        ),
    ];
    for (id, body, expected, words) in cases {
        let (status, bytes, _) = call(
            &s.router,
            "POST",
            &format!("/v1/scenarios/sourced/sources/{id}"),
            Some(&analyst),
            body,
        )
        .await;
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(status, expected, "{id}: {text}");
        for w in words {
            assert!(text.contains(w), "{id}: {w:?} not in {text}");
        }
    }
    assert_eq!(latest(&s, "sourced").await.version, 1, "nothing saved");
    // A language that is not read is refused; a text without letters is taken when its language is
    // given.
    let (status, bytes, _) = call(
        &s.router,
        "POST",
        "/v1/scenarios/sourced/sources/wire?language=de",
        Some(&analyst),
        ARTICLE.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", String::from_utf8_lossy(&bytes));
    let (status, doc) = json(
        &s,
        "POST",
        "/v1/scenarios/sourced/sources/wire?language=uk",
        &analyst,
        b"2025-02-18 12:00 1,234 5.6%".to_vec(),
    )
    .await;
    assert_eq!((status, &doc["language"]), (StatusCode::CREATED, &"uk".into()), "{doc}");
    std::fs::remove_dir_all(&s.dir).ok();
}

/// The source's page shows its record and its archived text with every cited quote highlighted from
/// the checks' spans, every value escaped; each citation says how it stands, and the stance matrix
/// links its source there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue25_the_source_page_highlights_each_cited_quote_and_escapes_the_text() {
    let s = sourced("sources-page").await;
    let analyst = s.token(Role::Analyst);
    let page = |s: &Server, path: &'static str| {
        let (router, token) = (s.router.clone(), analyst.clone());
        async move {
            let (status, bytes, _) = call(&router, "GET", path, Some(&token), vec![]).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            String::from_utf8(bytes).unwrap()
        }
    };
    // Before the file is archived: no text, and the quotes have no archive.
    let before = page(&s, "/ui/scenarios/sourced/sources/wire").await;
    assert!(before.contains("This source is not archived"), "{before}");
    assert!(before.contains("no archive"), "{before}");
    let (status, _) = json(
        &s,
        "POST",
        "/v1/scenarios/sourced/sources/wire",
        &analyst,
        ARTICLE.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let html = page(&s, "/ui/scenarios/sourced/sources/wire").await;
    let sha256 = truce_source::archive::sha256_hex(ARTICLE.as_bytes());
    assert!(html.contains(&sha256), "the record names the file's hash");
    // The direct quote, highlighted where the check found it (its position's table is at line 34).
    assert!(
        html.contains(r#"<mark id="q-34" class="found">Moscow categorically rejects any deployment of European peacekeepers</mark>"#),
        "{html}"
    );
    // The text's markup is text.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");
    // Each citation in words: found in the archive (linked to its mark), and the paraphrase not
    // found, with the closest passage.
    assert!(html.contains(&format!("found in archive {}, line 3", &sha256[..8])), "{html}");
    assert!(html.contains("href=\"#q-34\""), "{html}");
    assert!(html.contains("closest passage"), "{html}");
    assert!(html.contains(r#"href="/v1/scenarios/sourced/sources/wire/original""#), "{html}");
    // The stance matrix and the analysis link the source's page and mark the quote.
    for path in ["/ui/scenarios/sourced", "/ui/scenarios/sourced/analysis"] {
        let html = page(&s, path).await;
        assert!(html.contains(r#"href="/ui/scenarios/sourced/sources/wire""#), "{path}: {html}");
        assert!(html.contains("found in archive"), "{path}: {html}");
    }
    // In Ukrainian and Russian too.
    for (lang, words) in [("uk", "знайдено в архівній копії"), ("ru", "найдено в архивной копии")]
    {
        let (status, bytes, _) = call(
            &s.router,
            "GET",
            &format!("/ui/scenarios/sourced/sources/wire?lang={lang}"),
            Some(&analyst),
            vec![],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(String::from_utf8_lossy(&bytes).contains(words), "{lang}");
    }
    std::fs::remove_dir_all(&s.dir).ok();
}

/// The original file is downloaded byte for byte, and never as a page of this site: an HTML file
/// holding a script comes as an attachment of no type a browser renders, with `nosniff`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue25_the_original_is_an_attachment_never_html() {
    let s = sourced("sources-download").await;
    let analyst = s.token(Role::Analyst);
    let page = b"<!doctype html><html><head><meta charset=\"utf-8\"><script>document.title = 'pwned'</script></head><body><p>Moscow categorically rejects any deployment of European peacekeepers.</p></body></html>".to_vec();
    let (status, doc) =
        json(&s, "POST", "/v1/scenarios/sourced/sources/wire", &analyst, page.clone()).await;
    assert_eq!((status, &doc["media_type"]), (StatusCode::CREATED, &"text/html".into()), "{doc}");
    let delegate = s.token(Role::PartyDelegate);
    let (status, bytes, headers) = call(
        &s.router,
        "GET",
        "/v1/scenarios/sourced/sources/wire/original",
        Some(&delegate),
        vec![],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, page, "byte for byte");
    assert_eq!(headers["content-type"], "application/octet-stream");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"wire-"), "{disposition}");
    assert!(disposition.ends_with(".html\""), "{disposition}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers["content-security-policy"].to_str().unwrap().contains("sandbox"));
    // A source whose file this server does not hold: 404, saying so.
    let (status, bytes, _) = call(
        &s.router,
        "GET",
        "/v1/scenarios/ukraine-2025/sources/telegraph_grushko/original",
        Some(&delegate),
        vec![],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{}", String::from_utf8_lossy(&bytes));
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Positions drafted from an article: each candidate names its party and option by id and in words,
/// its verbatim quote with its offsets, and the position form filled in with it, which the form shows
/// prefilled; nothing is saved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue25_extraction_drafts_candidates_and_prefills_the_position_form() {
    let s = sourced("sources-extract").await;
    let analyst = s.token(Role::Analyst);
    let article = "Russian Foreign Minister Sergei Lavrov said on Tuesday that Moscow categorically rejects any deployment of European peacekeepers in Ukraine.";
    let ask = serde_json::json!({"text": article, "date": "2025-02-18", "source": "wire"});
    let (status, doc) = json(
        &s,
        "POST",
        "/v1/scenarios/sourced/extract",
        &analyst,
        serde_json::to_vec(&ask).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["language"], "en");
    let candidates = doc["candidates"].as_array().unwrap();
    assert!(!candidates.is_empty(), "{doc}");
    let c = &candidates[0];
    assert_eq!((&c["party"], &c["party_name"]), (&"RUS".into(), &"Russia".into()), "{doc}");
    let quote = c["quote"].as_str().unwrap();
    let [start, end] = [&c["start"], &c["end"]].map(|v| v.as_u64().unwrap() as usize);
    assert_eq!(&article[start..end], quote, "verbatim");
    let form = c["form"].as_str().unwrap();
    assert!(form.starts_with("/ui/scenarios/sourced/positions?party=RUS&"), "{form}");
    assert!(form.contains("&date=2025-02-18&source=wire&"), "{form}");
    // The form, prefilled from those values.
    let (status, bytes, _) = call(&s.router, "GET", form, Some(&analyst), vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(bytes).unwrap();
    for (field, value) in
        [("party", "RUS"), ("option", c["option"].as_str().unwrap()), ("source", "wire")]
    {
        assert!(
            html.contains(&format!(r#"<option value="{value}" selected>"#)),
            "{field} {value} not chosen in {html}"
        );
    }
    assert!(html.contains(r#"value="2025-02-18""#), "{html}");
    assert!(html.contains(&maud::html! { (quote) }.into_string()), "{html}");
    assert_eq!(latest(&s, "sourced").await.version, 1, "nothing saved");
    // The page, from its form: the candidates in words, each with Accept and Drop.
    let (status, bytes, _) = call(
        &s.router,
        "POST",
        "/ui/scenarios/sourced/extract",
        Some(&analyst),
        format!("text={}&date=2025-02-18&source=wire", article.replace(' ', "+")).into_bytes(),
    )
    .await;
    let html = String::from_utf8(bytes).unwrap();
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("<a class=\"accept\" href=\"/ui/scenarios/sourced/positions?party=RUS"),
        "{html}"
    );
    assert!(html.contains("<button class=\"drop\" type=\"button\""), "{html}");
    assert!(html.contains("<mark>"), "the trigger words are marked: {html}");
    // Refusals: no text, a bad day, a source the scenario does not have.
    for (ask, words) in [
        (serde_json::json!({"text": "  "}), "is empty"),
        (serde_json::json!({"text": article, "date": "18.02.2025"}), "expected a day, YYYY-MM-DD"),
        (serde_json::json!({"text": article, "source": "nowhere"}), "no source"),
    ] {
        let (_, bytes, _) = call(
            &s.router,
            "POST",
            "/v1/scenarios/sourced/extract",
            Some(&analyst),
            serde_json::to_vec(&ask).unwrap(),
        )
        .await;
        assert!(String::from_utf8_lossy(&bytes).contains(words), "{ask}");
    }
    std::fs::remove_dir_all(&s.dir).ok();
}

/// The seed scenario's archived source, stored as the demo stores it: the analysis marks the quotes of
/// that source as found in its archive, and every other citation as having none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue25_the_seeds_archived_source_marks_the_analysis() {
    let s = server("sources-seed", 4096).await;
    let seed = std::fs::read_to_string(root().join("scenarios/ukraine-2025.toml")).unwrap();
    let held = truce_server::launch::store_seed_sources(&s.store, &seed, 1).await.unwrap();
    assert!(held >= 1, "the seed's archived source is embedded");
    let (status, analysis) =
        json(&s, "GET", "/v1/scenarios/ukraine-2025/analysis", &s.token(Role::Mediator), vec![])
            .await;
    assert_eq!(status, StatusCode::OK);
    let mut marks = std::collections::BTreeMap::<String, usize>::new();
    fn walk(v: &serde_json::Value, marks: &mut std::collections::BTreeMap<String, usize>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(q) = m.get("quote_check") {
                    let key = format!("{} {}", m["source"].as_str().unwrap_or(""), q["status"]);
                    *marks.entry(key).or_default() += 1;
                }
                m.values().for_each(|v| walk(v, marks));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, marks)),
            _ => {}
        }
    }
    walk(&analysis, &mut marks);
    assert!(
        marks.keys().any(|k| k.starts_with("avia_grushko ") && !k.ends_with("\"no_archive\"")),
        "{marks:?}"
    );
    assert!(
        marks.iter().all(|(k, _)| k.starts_with("avia_grushko ") || k.ends_with("\"no_archive\"")),
        "{marks:?}"
    );
    std::fs::remove_dir_all(&s.dir).ok();
}
