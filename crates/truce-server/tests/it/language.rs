//! Issue 23: the pages speak the reader's language: `?lang=` (remembered for the session), the
//! `truce_lang` cookie, `Accept-Language`, English otherwise; never inferred from the party.

use axum::http::StatusCode;
use truce_store::{Role, Store};

use crate::{send, server};

/// The `<html lang>` of a page.
fn html_lang(page: &str) -> &str {
    let at = page.find("<html lang=\"").expect("an html element with lang") + "<html lang=\"".len();
    &page[at..at + page[at..].find('"').expect("a closing quote")]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue23_the_reader_chooses_the_language_of_every_page() {
    let s = server("language", 4096).await;
    let get = |path: &'static str, headers: Vec<(&'static str, String)>| {
        let router = s.router.clone();
        async move {
            let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (status, bytes, headers) = send(&router, "GET", path, &h, vec![]).await;
            (status, String::from_utf8(bytes).unwrap(), headers)
        }
    };
    // English by default, and for a language Truce does not speak.
    let (status, page, _) = get("/", vec![]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html_lang(&page), "en");
    assert!(page.contains(">Home<") && page.contains("Українська") && page.contains("Русский"));
    let (_, page, _) = get("/", vec![("accept-language", "de-DE,de;q=0.9".into())]).await;
    assert_eq!(html_lang(&page), "en");
    // Accept-Language.
    let (_, page, _) = get("/", vec![("accept-language", "uk-UA,uk;q=0.9,en;q=0.5".into())]).await;
    assert_eq!(html_lang(&page), "uk");
    assert!(page.contains(">Головна<") && page.contains(">Увійти<"), "{page}");
    let (_, page, _) = get("/", vec![("accept-language", "en;q=0.3, ru".into())]).await;
    assert_eq!(html_lang(&page), "ru");
    assert!(page.contains(">Главная<"), "{page}");
    // `?lang=` wins, and is remembered for the session (a cookie with no Max-Age), without a secret.
    let (_, page, headers) = get("/ui/login?lang=ru", vec![("accept-language", "uk".into())]).await;
    assert_eq!(html_lang(&page), "ru");
    assert!(page.contains("<title>Вход — Truce</title>"), "{page}");
    let cookie = headers.get("set-cookie").expect("the choice is remembered").to_str().unwrap();
    assert!(cookie.starts_with("truce_lang=ru;") && !cookie.contains("Max-Age"), "{cookie}");
    let (_, page, _) =
        get("/", vec![("accept-language", "uk".into()), ("cookie", "truce_lang=ru".into())]).await;
    assert_eq!(html_lang(&page), "ru", "the remembered choice beats Accept-Language");
    // The switcher keeps the page and its query, and offers the other two languages.
    let (_, page, _) = get("/ui/login?lang=uk&x=1", vec![]).await;
    assert!(page.contains("href=\"/ui/login?x=1&amp;lang=en\""), "{page}");
    assert!(page.contains("href=\"/ui/login?x=1&amp;lang=ru\""), "{page}");
    assert!(!page.contains("href=\"/ui/login?x=1&amp;lang=uk\""), "{page}");
    // A page asked at `//host/…` (the 404 page) must not link its switcher to that host.
    let (status, page, _) = get("//evil.example/x", vec![]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!page.contains("href=\"//evil.example"), "{page}");
    assert!(page.contains("href=\"/evil.example/x?lang=uk\""), "{page}");
    // Error pages too, with the page's status.
    let (status, page, _) = get("/ui/no-such-page", vec![("accept-language", "uk".into())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(html_lang(&page), "uk");
    assert!(page.contains("За цією адресою нічого немає"), "{page}");
    let (status, page, _) = get("/ui/queue?lang=ru", vec![]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("Пожалуйста, войдите"), "{page}");
    // Never inferred from the party: the Russian Federation's delegate who asks for Ukrainian reads
    // Ukrainian, and the Ukrainian delegate with no preference reads English.
    let rus =
        s.tokens.iter().find(|(r, p, _)| *r == Role::PartyDelegate && p.as_deref() == Some("RUS"));
    let rus = &rus.expect("a RUS delegate").2;
    let ukr = s.token(Role::PartyDelegate);
    let (_, page, _) = get(
        "/",
        vec![("authorization", format!("Bearer {rus}")), ("accept-language", "uk".into())],
    )
    .await;
    assert_eq!(html_lang(&page), "uk");
    assert!(page.contains("делегат сторони"), "the role in words: {page}");
    let (_, page, _) = get("/", vec![("authorization", format!("Bearer {ukr}"))]).await;
    assert_eq!(html_lang(&page), "en");
    // A page shared between readers (rendered once per day and log size) is never served in another
    // reader's language: the language is part of what is shared.
    let (status, page, _) = get("/ui/agreement", vec![("accept-language", "uk".into())]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Зобов'язання та їхній статус"), "{page}");
    let (_, page, _) = get("/ui/agreement", vec![]).await;
    assert!(page.contains("Commitments and their status") && !page.contains("Зобов"), "{page}");
    let (_, page, _) = get("/ui/agreement?lang=ru", vec![]).await;
    assert!(page.contains("Обязательства и их статус"), "{page}");
    // The API stays language-neutral: no cookie, the same JSON whatever the reader's language.
    let (_, en, headers) =
        get("/v1/whoami", vec![("authorization", format!("Bearer {ukr}"))]).await;
    assert!(headers.get("set-cookie").is_none());
    let (_, uk, _) = get(
        "/v1/whoami?lang=uk",
        vec![("authorization", format!("Bearer {ukr}")), ("accept-language", "uk".into())],
    )
    .await;
    assert_eq!(en, uk);
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Issue 23: every role's home page said the same. Each now says what to do first and links the role's
/// work, only what the role may open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue23_each_role_has_a_home_that_links_its_work() {
    let s = server("homes", 4096).await;
    let mut publics = s.tokens.clone();
    publics.push((Role::Public, None, String::new()));
    for (role, party, token) in &publics {
        let auth = format!("Bearer {token}");
        let headers: Vec<(&str, &str)> =
            if token.is_empty() { vec![] } else { vec![("authorization", auth.as_str())] };
        let (status, page, _) = send(&s.router, "GET", "/", &headers, vec![]).await;
        assert_eq!(status, StatusCode::OK);
        let page = String::from_utf8(page).unwrap();
        let start = page.split("<section id=\"start\"").nth(1).expect("a start section");
        let start = start.split("</section>").next().unwrap();
        let links: Vec<&str> =
            start.split("href=\"").skip(1).filter_map(|r| r.split('"').next()).collect();
        let want: &[&str] = match role {
            Role::Observer => &["/field/", "/ui/observe"],
            Role::Verifier => &["/ui/queue"],
            Role::PartyDelegate => {
                &["/ui/scenarios/ukraine-2025", "/ui/scenarios/ukraine-2025/preferences"]
            }
            Role::Mediator | Role::Analyst => &["/ui/scenarios/ukraine-2025"],
            _ => &["/ui/agreement", "/ui/map", "/ui/reports/daily", "/ui/log"],
        };
        for w in want {
            assert!(links.contains(w), "{role:?} {party:?}: no {w} in {links:?}");
        }
        if *role == Role::Verifier {
            assert!(start.contains("await you in the verification queue"), "{start}");
        }
        if *role != Role::Observer {
            assert!(!links.contains(&"/field/"), "{role:?}: the field app is the observer's work");
        }
        for link in links {
            let (status, _, _) = send(&s.router, "GET", link, &headers, vec![]).await;
            assert_eq!(status, StatusCode::OK, "{role:?} follows {link}");
        }
    }
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Issue 23: the daily report in the three languages, on its page and from the API (`?lang=`); the
/// English text stays the authoritative one, and a translation says it is one. Observations' places
/// are named after the gazetteer's nearest place; classes and states are words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue23_the_daily_report_speaks_three_languages() {
    let s = server("daily-lang", 4096).await;
    let get = |path: &'static str| {
        let router = s.router.clone();
        async move {
            let (status, bytes, _) = send(&router, "GET", path, &[], vec![]).await;
            (status, String::from_utf8(bytes).unwrap())
        }
    };
    let (status, en) = get("/v1/reports/daily?format=md").await;
    assert_eq!(status, StatusCode::OK, "{en}");
    assert!(en.starts_with("# Daily report ") && !en.contains("translation"), "{en}");
    let (status, uk) = get("/v1/reports/daily?format=md&lang=uk").await;
    assert_eq!(status, StatusCode::OK, "{uk}");
    assert!(uk.starts_with("# Щоденний звіт ") && uk.contains("Це переклад."), "{uk}");
    assert!(uk.contains("| клас |") && !uk.contains("| class |"), "{uk}");
    let (_, ru) = get("/v1/reports/daily?format=html&lang=ru").await;
    assert!(ru.contains("<html lang=\"ru\">") && ru.contains("Ежедневный отчёт"), "{ru}");
    let (status, bad) = get("/v1/reports/daily?lang=de").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert!(bad.contains("expected en, uk or ru"), "{bad}");
    // The page, in the reader's language.
    let (_, page) = get("/ui/reports/daily?lang=ru").await;
    assert!(page.contains("Соблюдение на ") && page.contains("Это перевод."), "{page}");
}

/// Issue 23: signing in while signed in left no session and no message (the form had no CSRF token, so
/// the session's POST was refused). The sign-in page now says who is signed in, and its form switches
/// to the new token's user, ending the old session in the store.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue23_signing_in_while_signed_in_switches_the_user() {
    let s = server("switch-user", 4096).await;
    let host = ("host", "truce.test");
    let same = ("origin", "http://truce.test");
    let form = ("content-type", "application/x-www-form-urlencoded");
    let sign_in = |path: String, token: String, jar: Option<String>| {
        let router = s.router.clone();
        async move {
            let mut h = vec![host, same, form];
            if let Some(j) = &jar {
                h.push(("cookie", j.as_str()));
            }
            let (status, _, headers) =
                send(&router, "POST", &path, &h, format!("token={token}").into_bytes()).await;
            let cookie = headers
                .get("set-cookie")
                .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_string());
            (status, cookie)
        }
    };
    let whoami = |jar: String| {
        let router = s.router.clone();
        async move {
            let (_, bytes, _) =
                send(&router, "GET", "/v1/whoami", &[host, ("cookie", jar.as_str())], vec![]).await;
            String::from_utf8(bytes).unwrap()
        }
    };
    let (status, first) = sign_in("/ui/login".into(), s.token(Role::Observer), None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let first = first.expect("a session");
    // The sign-in page, signed in: it says as whom, and its form carries the session's CSRF token.
    let (_, page, _) =
        send(&s.router, "GET", "/ui/login", &[host, ("cookie", first.as_str())], vec![]).await;
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("You are signed in as") && page.contains("(observer)"), "{page}");
    let action =
        page.split("action=\"/ui/login?csrf=").nth(1).expect("the form carries the CSRF token");
    let csrf = action.split('"').next().unwrap().to_string();
    // Switching: the new user's session; the old one ends.
    let (status, second) =
        sign_in(format!("/ui/login?csrf={csrf}"), s.token(Role::Verifier), Some(first.clone()))
            .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let second = second.expect("a new session");
    assert_ne!(first, second);
    assert!(whoami(second).await.contains("\"verifier\""));
    assert!(!whoami(first).await.contains("\"observer\""), "the old session still works");
}

/// The text a reader sees on `page`: without `<code>` elements (where an id may stand for an expert),
/// scripts and styles, tags and their attribute values.
fn visible_text(page: &str) -> String {
    let mut text = page.to_string();
    for (open, close) in [("<code", "</code>"), ("<script", "</script>"), ("<style", "</style>")] {
        while let Some(at) = text.find(open) {
            let end = text[at..].find(close).map_or(text.len(), |e| at + e + close.len());
            text.replace_range(at..end, " ");
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for ch in text.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The ids among `ids` that `text` shows as words of their own (not part of a longer id).
fn ids_in<'a>(text: &str, ids: &'a [String]) -> Vec<&'a str> {
    let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
    ids.iter()
        .filter(|id| {
            text.match_indices(id.as_str()).any(|(at, _)| {
                !part(text[..at].chars().next_back()) && !part(text[at + id.len()..].chars().next())
            })
        })
        .map(String::as_str)
        .collect()
}

#[test]
fn the_visible_text_leaves_out_code_scripts_and_attributes() {
    let page =
        r#"<p title="nato.x">Full <code>nato.x</code> <q>nato.y</q></p><script>"nato.z"</script>"#;
    let text = visible_text(page);
    let ids = ["nato.x".to_string(), "nato.y".to_string(), "nato.z".to_string()];
    assert_eq!(ids_in(&text, &ids), ["nato.y"], "{text}");
    assert!(ids_in("nato.xy and anato.x", &ids).is_empty());
}

/// Issue 23: the Table's pages (stances, analysis with a what-if, timeline, rehearsal, the position form)
/// were English only and showed option ids (`nato.full_membership`) as text. In Ukrainian and Russian
/// they now speak the reader's language, name options by label, and keep ids to `<code>`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue23_the_table_pages_speak_the_readers_language() {
    let s = server("table-language", 4096).await;
    let mediator = format!("Bearer {}", s.token(Role::Mediator));
    let get = |path: String| {
        let router = s.router.clone();
        let auth = mediator.clone();
        async move {
            let (status, bytes, headers) =
                send(&router, "GET", &path, &[("authorization", auth.as_str())], vec![]).await;
            (status, String::from_utf8(bytes).unwrap(), headers)
        }
    };
    // The option ids, from the scenario the API serves.
    let (status, doc, _) = get("/v1/scenarios/ukraine-2025".into()).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
    let toml = doc["text"].as_str().expect("the scenario's text");
    let (scenario, diagnostics) = truce_scenario::parse("ukraine-2025.toml", toml);
    let scenario = scenario.unwrap_or_else(|| panic!("the seed does not parse: {diagnostics:?}"));
    let ids: Vec<String> = scenario.options.iter().map(|o| o.id.clone()).collect();
    assert!(ids.len() > 20 && ids.contains(&"nato.full_membership".to_string()));
    let base = "/ui/scenarios/ukraine-2025";
    for lang in ["uk", "ru"] {
        let uk = lang == "uk";
        // The rehearsal is a job: ask, then follow it to its page.
        let (status, _, headers) = get(format!("{base}/simulate?rounds=60&lang={lang}")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let job = headers.get("location").unwrap().to_str().unwrap().to_string();
        let mut rehearsal = String::new();
        for _ in 0..600 {
            let (_, page, _) = get(format!("{job}&lang={lang}")).await;
            if !page.contains(r#"id="job-state""#) {
                rehearsal = page;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(!rehearsal.is_empty(), "the rehearsal did not finish");
        let pages = [
            ("stances", get(format!("{base}?lang={lang}")).await.1),
            ("analysis", get(format!("{base}/analysis?relax=demand/UKR/nato&lang={lang}")).await.1),
            ("timeline", get(format!("{base}/timeline?from=2020-01-01&lang={lang}")).await.1),
            ("simulate", rehearsal),
            ("position form", get(format!("{base}/positions?lang={lang}")).await.1),
            ("scenarios", get(format!("/ui/scenarios?lang={lang}")).await.1),
            ("draft", get(format!("{base}/draft?lang={lang}")).await.1),
        ];
        // (page, English gone, its translation there)
        let said: &[(&str, &str, &str, &str)] = &[
            (
                "stances",
                "Stances by party and option",
                "Позиції за сторонами та варіантами",
                "Позиции по сторонам и вариантам",
            ),
            ("stances", "(paraphrase)", "(переказ)", "(пересказ)"),
            (
                "analysis",
                "What each reading finds",
                "Що знаходить кожне прочитання",
                "Что находит каждое прочтение",
            ),
            ("analysis", "Bargaining solutions", "Розв'язки торгу", "Решения торга"),
            (
                "analysis",
                "UKR drops its demand on nato",
                "Ukraine відмовляється від своєї вимоги щодо",
                "Ukraine отказывается от своего требования по",
            ),
            ("analysis", "Robustness", "Стійкість", "Устойчивость"),
            ("analysis", "whole-table frontier", "межа всього столу", "граница всего стола"),
            ("timeline", "The same as a table", "Те саме таблицею", "То же таблицей"),
            (
                "timeline",
                "How the feasible space evolved",
                "Як змінювався простір можливих угод",
                "Как менялось пространство возможных сделок",
            ),
            (
                "timeline",
                "Positions known",
                "Ще нічого не зафіксовано",
                "Ещё ничего не зафиксировано",
            ),
            ("simulate", "The offers as a table", "Пропозиції таблицею", "Предложения таблицей"),
            ("simulate", "Agents (one, or one per party)", "Угода в раунді", "Соглашение в раунде"),
            ("simulate", "Protocols", "Єдиний переговорний текст", "Единый переговорный текст"),
            ("position form", "Date of the statement", "Дата заяви", "Дата заявления"),
            ("position form", "Check and save", "Перевірити і зберегти", "Проверить и сохранить"),
            (
                "scenarios",
                "Write or paste a scenario",
                "Напишіть або вставте сценарій",
                "Напишите или вставьте сценарий",
            ),
            ("draft", "The draft as TOML", "Проєкт як TOML", "Проект как TOML"),
        ];
        for (name, page) in &pages {
            assert_eq!(html_lang(page), lang, "{name}");
            for (_, gone, uk_text, ru_text) in said.iter().filter(|x| x.0 == *name) {
                let there = if uk { uk_text } else { ru_text };
                assert!(!page.contains(gone), "{lang} {name}: still says {gone:?}");
                assert!(page.contains(there), "{lang} {name}: does not say {there:?}");
            }
            let text = visible_text(page);
            let shown = ids_in(&text, &ids);
            assert!(shown.is_empty(), "{lang} {name}: option ids outside <code>: {shown:?}");
        }
        // The what-if key stays, for the expert, in <code>.
        assert!(pages[1].1.contains("<code>demand/UKR/nato</code>"));
    }
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Issue 23: the position form chose the first source on file for the reader, so a statement could
/// silently get the wrong one, and its errors were the checker's. Now no source is chosen, and what is
/// missing is said in plain words, in the reader's language, beside its field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue23_the_position_form_says_what_is_missing_in_plain_words() {
    let s = server("position-words", 4096).await;
    let analyst = format!("Bearer {}", s.token(Role::Analyst));
    let auth = [("authorization", analyst.as_str())];
    let (_, form, _) =
        send(&s.router, "GET", "/ui/scenarios/ukraine-2025/positions?lang=ru", &auth, vec![]).await;
    let form = String::from_utf8(form).unwrap();
    assert!(form.contains(r#"<option value="" selected>— выберите источник —</option>"#), "{form}");
    assert!(form.contains(r#"id="date" name="date" type="date" required"#), "{form}");
    assert!(form.contains("<title>Добавить позицию — Truce</title>"), "{form}");
    let fields = [
        ("party", "RUS"),
        ("option", "nato.full_membership"),
        ("stance", "acceptable"),
        ("date", "2025-02-30"),
        ("date_precision", "day"),
        ("source", ""),
        ("quote", "a short quote"),
        ("line", "9999"),
    ];
    let body = serde_urlencoded::to_string(fields).unwrap().into_bytes();
    let headers = [auth[0], ("content-type", "application/x-www-form-urlencoded")];
    let (status, page, _) =
        send(&s.router, "POST", "/ui/scenarios/ukraine-2025/positions?lang=uk", &headers, body)
            .await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("Виберіть джерело або опишіть нове нижче."), "{page}");
    assert!(page.contains("Вкажіть день заяви"), "February has no 30th: {page}");
    // A correction keeps its heading.
    assert!(page.contains("<title>Виправити позицію — Truce</title>"), "{page}");
    assert_eq!(s.store.scenario("ukraine-2025", None).await.unwrap().version, 1, "nothing saved");
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Issue 23: the agreement page named commitments `2.mlrs.ORDLO` and never said what they oblige. Each
/// is now its provision's point and title and the commitment's action, the id kept in `<code>`; obligors
/// by name; the PAM score explained; the day strips with dates.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue23_the_agreement_page_says_what_each_commitment_obliges() {
    let s = server("agreement-words", 4096).await;
    let (status, page, _) = send(&s.router, "GET", "/ui/agreement", &[], vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(page).unwrap();
    assert!(!page.contains("<th scope=\"row\">2.mlrs.ORDLO</th>"), "the id alone");
    assert!(page.contains("<code>2.mlrs.ORDLO</code>"), "{page}");
    assert!(
        page.contains("Point 2: ") && page.contains("Obligation: Withdraw all multiple-launch"),
        "{page}"
    );
    assert!(page.contains("What the PAM score says"), "{page}");
    let (_, page, _) = send(&s.router, "GET", "/ui/agreement?lang=uk", &[], vec![]).await;
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("Пункт 2: ") && page.contains("Що означає оцінка PAM"), "{page}");
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Issue 23: versions showed no author, time or reason. Each saved version now records who saved it,
/// when and why (optional, at most 500 characters), and the versions page lists them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue23_each_version_says_who_saved_it_when_and_why() {
    let s = server("version-notes", 4096).await;
    let bearer = format!("Bearer {}", s.token(Role::Mediator));
    let seed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/ukraine-2025.toml"),
    )
    .unwrap();
    let form = |reason: &str| {
        let mut body = form_urlencoded::Serializer::new(String::new());
        body.append_pair("slug", "noted").append_pair("text", &seed).append_pair("reason", reason);
        body.finish().into_bytes()
    };
    let headers =
        [("authorization", bearer.as_str()), ("content-type", "application/x-www-form-urlencoded")];
    let (status, _, _) =
        send(&s.router, "POST", "/ui/scenarios", &headers, form(&"x".repeat(501))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a reason too long is refused");
    let (status, page, _) =
        send(&s.router, "POST", "/ui/scenarios", &headers, form("RUS statement of 3 May")).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", String::from_utf8_lossy(&page));
    let (_, page, _) =
        send(&s.router, "GET", "/ui/scenarios/noted/versions", &[headers[0]], vec![]).await;
    let page = String::from_utf8(page).unwrap();
    let year = jiff::Timestamp::now().strftime("%Y").to_string();
    assert!(page.contains("saved by ") && page.contains(&format!(", {year}-")), "{page}");
    assert!(page.contains(": RUS statement of 3 May"), "{page}");
    std::fs::remove_dir_all(&s.dir).ok();
}
