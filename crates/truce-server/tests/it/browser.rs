//! The web UI in a real browser: Debian's headless Chromium driven over WebDriver (chromedriver), which
//! `cargo xtask test` installs when missing. Every page is opened and a screenshot saved to
//! `target/artifacts/ui-*.png`; the analysis is clicked through; a citation is opened from the stance
//! matrix; roles see what the matrix gives them.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use fantoccini::{Client, ClientBuilder, Locator};
use truce_store::{Role, Store, token_hash};

/// chromedriver, stopped with every process it started (Chromium and its helpers), even when a failing
/// test never closes its session.
pub(super) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        // Descendants first, found through /proc by parent pid, each killed by its own (positive) pid.
        let mut family = vec![self.0.id()];
        let mut k = 0;
        while k < family.len() {
            family.extend(children(family[k]));
            k += 1;
        }
        for pid in family.iter().skip(1).rev() {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The processes whose parent is `pid`.
fn children(pid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&p| {
            std::fs::read_to_string(format!("/proc/{p}/stat")).ok().is_some_and(|stat| {
                // pid (comm) state ppid …; comm may hold spaces and parentheses.
                stat.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
                    == Some(pid)
            })
        })
        .filter(|&p| p != 0 && p != 1)
        .collect()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub(super) async fn browser() -> (Driver, Client) {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver runs (cargo xtask test installs Debian's chromium-driver)");
    let driver = Driver(child);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,1000"]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut last = None;
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
            Ok(c) => return (driver, c),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("cannot start a WebDriver session: {last:?}");
}

/// A server on a free port with the seed scenario, a generated 45-day mission, and a user per role.
async fn serve()
-> (String, Vec<(Role, String)>, std::path::PathBuf, Vec<(String, ed25519_dalek::SigningKey)>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    static SERVED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = SERVED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("truce-browser-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = truce_store_sql::SqlStore::open_sqlite(&dir.join("truce.db")).await.unwrap();
    let mut tokens = Vec::new();
    for role in Role::ALL {
        let party = (role == Role::PartyDelegate).then_some("UKR");
        let user = store.create_user(&format!("ui-{}", role.as_str()), role, party).await.unwrap();
        let token = format!("ui-token-{}", role.as_str());
        store.add_token(user.id, token_hash(&token), "browser").await.unwrap();
        tokens.push((role, token));
    }
    let seed = std::fs::read_to_string(root.join("scenarios/ukraine-2025.toml")).unwrap();
    store.save_scenario("ukraine-2025", &seed, 1, "").await.unwrap();
    // The seed's archived source, as the demo stores it.
    truce_server::launch::store_seed_sources(&store, &seed, 1).await.unwrap();
    let agreement_text = std::fs::read_to_string(root.join("accords/minsk-2015.toml")).unwrap();
    let agreement = truce_accord::parse("minsk-2015.toml", &agreement_text).0.unwrap();
    let mission = truce_watch::generate::generate(&agreement, 5, 45).unwrap();
    // The observer and the verifier hold the generated mission's first observer and verifier keys.
    for (role, key_name) in [
        (Role::Observer, "observer-1"),
        (Role::Verifier, "verifier-1"),
        (Role::PartyDelegate, "delegate-UKR_GOV"),
    ] {
        let token = &tokens.iter().find(|(r, _)| *r == role).unwrap().1;
        let user = store.user_by_token(token_hash(token)).await.unwrap();
        let key = &mission.keys.iter().find(|(n, _)| n == key_name).unwrap().1;
        let hex = truce_watch::entry::key_hex(&key.verifying_key());
        store.add_key(user.id, &hex).await.unwrap();
    }
    let signer =
        truce_tlog::note::NoteSigner::generate("browser.truce/log", truce_tlog::note::ED25519)
            .unwrap();
    {
        let storage = truce_tlog::storage::FsStorage::open(&dir.join("log")).unwrap();
        let mut log = truce_tlog::log::Log::create(storage, signer.clone()).unwrap();
        log.append(&mission.entries).unwrap();
    }
    let log_key = signer.verifier();
    let watch =
        truce_server::Ledger::open(&dir.join("log"), signer, &agreement_text, Default::default())
            .unwrap();
    let mut state = truce_server::AppState::new(store, Some(watch));
    let media_url = format!("file://{}", dir.join("media").display());
    state.media = Some(
        truce_server::media::MediaStore::open(
            &media_url,
            truce_server::media::DEFAULT_MAX_BYTES,
            true,
        )
        .unwrap(),
    );
    // A party's witness, hosted here as in the demo, cosigning the log's checkpoints.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let witness_key = truce_tlog::note::NoteSigner::generate(
        "ukr.witness.example",
        truce_tlog::note::COSIGNATURE_V1,
    )
    .unwrap();
    state.witnesses.hosted.insert(
        "ukr".into(),
        std::sync::Mutex::new(truce_tlog::witness::Witness {
            signer: witness_key.clone(),
            logs: [(log_key.name.clone(), log_key)].into_iter().collect(),
            store: truce_tlog::witness::FileWitnessStore::new(&dir.join("witness")),
        }),
    );
    state.witnesses.peers.push(
        truce_server::Peer::new(&format!("{url}/witness/ukr"), &witness_key.verifier().vkey())
            .unwrap(),
    );
    let state = Arc::new(state);
    truce_server::index_log(&state.store, state.watch.as_ref()).await.unwrap();
    let app = truce_server::router(state.clone());
    let limits = truce_server::launch::HttpLimits::default();
    tokio::spawn(async move { truce_server::launch::serve_http(listener, app, limits).await });
    truce_server::start_cosigning(state);
    (url, tokens, dir, mission.keys)
}

async fn sign_in(c: &Client, url: &str, token: &str, role: Role) {
    c.goto(&format!("{url}/ui/login")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("input#token"))
        .await
        .unwrap()
        .send_keys(token)
        .await
        .unwrap();
    c.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    // Signed in once the header names the role, in words (a bare "Sign out" button could be the last
    // user's).
    let role = role.as_str().replace('_', " ");
    let signed_in = c
        .wait()
        .for_element(Locator::XPath(&format!("//header/span[contains(., '({role}')]/form/button")))
        .await;
    if let Err(e) = signed_in {
        let text = match c.find(Locator::Css("body")).await {
            Ok(b) => b.text().await.unwrap_or_default(),
            Err(e) => e.to_string(),
        };
        panic!("signing in as {role}: {e}; the page says {text:?}");
    }
}

/// Signs out, and waits until the server's answer has cleared the cookie; a navigation started before
/// that could otherwise race the sign-out and lose the next sign-in.
async fn sign_out(c: &Client) {
    c.find(Locator::Css("header form button")).await.unwrap().click().await.unwrap();
    c.wait()
        .for_element(Locator::Css("header a[href='/ui/login']"))
        .await
        .unwrap_or_else(|e| panic!("signing out: {e}"));
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    assert!(png.len() > 5_000, "{name}: an empty screenshot");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("ui-{name}.png")), png).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_opens_in_chromium_and_the_analysis_clicks_through() {
    let (url, tokens, dir, keys) = serve().await;
    let (_driver, c) = browser().await;
    let token = |role: Role| tokens.iter().find(|(r, _)| *r == role).unwrap().1.clone();

    // The public sees the published pages, and is asked to sign in elsewhere.
    c.goto(&format!("{url}/ui/agreement")).await.unwrap();
    assert!(c.find(Locator::Css("table#compliance tbody tr")).await.is_ok());
    c.goto(&format!("{url}/ui/queue")).await.unwrap();
    let text = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(text.contains("sign in"), "{text}");

    // The mediator: every page, each with a screenshot.
    sign_in(&c, &url, &token(Role::Mediator), Role::Mediator).await;
    let pages = [
        ("home", "/", "h1"),
        ("positions", "/ui/scenarios/ukraine-2025", "table#stances"),
        ("analysis", "/ui/scenarios/ukraine-2025/analysis", "table#readings"),
        ("agreement", "/ui/agreement", "table#compliance"),
        ("map", "/ui/map", "#map .leaflet-map-pane"),
        ("queue", "/ui/queue", "table#queue"),
        ("report", "/ui/reports/daily", "svg#chart"),
        ("timeline", "/ui/scenarios/ukraine-2025/timeline", "#timeline svg"),
        ("simulate", "/ui/scenarios/ukraine-2025/simulate?rounds=60", "section.run .plot svg"),
        ("log", "/ui/log", "table#witnesses"),
        ("observe-refused", "/ui/observe", "main p"),
        ("login", "/ui/login", "input#token"),
    ];
    for (name, path, selector) in pages {
        c.goto(&format!("{url}{path}")).await.unwrap();
        // (A rehearsal is a job: its page shows it once it is done.)
        c.wait()
            .for_element(Locator::Css(selector))
            .await
            .unwrap_or_else(|e| panic!("{name}: no {selector}: {e}"));
        shot(&c, name).await;
    }

    // Compliance people can read: a date picker, and each commitment's days as a strip, with the days
    // of verified violation marked; a commitment violated earlier but not lately says so.
    c.goto(&format!("{url}/ui/agreement?date=2015-03-28")).await.unwrap();
    assert!(c.find(Locator::Css("form input#date[type=date]")).await.is_ok());
    let strips = c.find_all(Locator::Css("#compliance svg.strip")).await.unwrap().len();
    let violated =
        c.find_all(Locator::Css("#compliance svg.strip rect.day-v")).await.unwrap().len();
    assert!(strips >= 10 && violated > 0, "{strips} strips, {violated} violation days");
    let table = c.find(Locator::Css("#compliance")).await.unwrap().text().await.unwrap();
    assert!(table.contains("compliant now, violated earlier"), "{table}");

    // The analysis, clicked through from the navigation: readings, then the positions behind them.
    c.goto(&format!("{url}/")).await.unwrap();
    c.find(Locator::LinkText("Analysis")).await.unwrap().click().await.unwrap();
    let readings =
        c.wait().for_element(Locator::Css("table#readings")).await.unwrap().text().await.unwrap();
    assert!(readings.contains("red lines") && readings.contains("186,624"), "{readings}");
    // Every reading in words: the strict one's blocked issues with cited alternatives, the red-lines
    // one's Nash package with each party's account.
    let strict = c.find(Locator::Css("#reading-strict")).await.unwrap().text().await.unwrap();
    assert!(
        strict.contains("10 issues are blocked") && strict.contains("15 concessions"),
        "{strict}"
    );
    assert!(strict.contains("(paraphrase)") && strict.contains("stale"), "{strict}");
    let nash = c.find(Locator::Css("#reading-red_lines details.account summary")).await.unwrap();
    nash.click().await.unwrap();
    let account = c
        .find(Locator::Css("#reading-red_lines details.account[open]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(account.contains("utility") && account.contains("line "), "{account}");
    // What if UKR dropped its demand on NATO membership? The strict reading has one blocked issue
    // fewer, and the page says what was switched off.
    let blocked = |text: String| -> String {
        text.lines().find(|l| l.starts_with("strict")).unwrap_or_default().to_string()
    };
    assert!(blocked(readings.clone()).contains(" 10 15 "), "{readings}");
    c.find(Locator::Css("#what-if summary")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#what-if input[value='demand/UKR/nato']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("form#ask button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".warning[role=status] code")).await.unwrap();
    let again = c.find(Locator::Css("table#readings")).await.unwrap().text().await.unwrap();
    assert!(blocked(again.clone()).contains(" 9 14 "), "{again}");
    shot(&c, "analysis-what-if").await;
    // Robustness runs in the background: progress over server-sent events, then the report.
    c.execute("document.getElementById('draws').value = '40';", vec![]).await.unwrap();
    c.find(Locator::Css("#robust-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let report = c
        .wait()
        .for_element(Locator::Css("#robust-result[data-state='done']"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(report.contains("A feasible package exists in") && report.contains("Nash"), "{report}");
    let status = c.find(Locator::Css("#robust-status")).await.unwrap().text().await.unwrap();
    assert!(status.starts_with("40 draws done"), "{status}");
    let bar = c
        .execute(
            "const b = document.getElementById('robust-progress'); return [b.value, b.max];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(bar, serde_json::json!([40, 40]));
    // The frontier: the default pair, then a triple picked in the form.
    let panels = c.find_all(Locator::Css("#frontier-plot g.panel")).await.unwrap().len();
    assert_eq!(panels, 1, "a pair is one panel");
    let usa = c.find(Locator::Css("#frontier-form input[value=USA]")).await.unwrap();
    usa.click().await.unwrap();
    c.find(Locator::Css("#frontier-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::XPath("//*[@id='frontier-plot']//*[name()='g' and @data-y='USA']"))
        .await
        .unwrap();
    let panels = c.find_all(Locator::Css("#frontier-plot g.panel")).await.unwrap().len();
    assert_eq!(panels, 3, "a triple is one panel per pair of axes");
    c.execute("document.getElementById('frontier').scrollIntoView()", vec![]).await.unwrap();
    // From the keyboard: the list of efficient points shows the one chosen with the arrow keys.
    let select = c.find(Locator::Css("#frontier-select")).await.unwrap();
    select.send_keys("\u{E015}").await.unwrap();
    let chosen = select.prop("value").await.unwrap().unwrap_or_default();
    let shown = c
        .wait()
        .for_element(Locator::Css("#frontier-point[data-point]"))
        .await
        .unwrap()
        .attr("data-point")
        .await
        .unwrap();
    assert!(!chosen.is_empty() && shown.as_deref() == Some(chosen.as_str()), "{chosen} {shown:?}");
    // A point of the plot, selected: its package and what it gives each plotted party.
    c.find(Locator::Css("#frontier-plot circle.efficient")).await.unwrap().click().await.unwrap();
    let point = c
        .wait()
        .for_element(Locator::Css("#frontier-point[data-point]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The point's package by label (issue 23: no option id in the visible text).
    assert!(
        point.contains("USA ") && !point.contains("nato.") && point.lines().count() > 3,
        "{point}"
    );
    shot(&c, "analysis-frontier").await;
    c.find(Locator::LinkText("Positions")).await.unwrap().click().await.unwrap();
    let cell = c.wait().for_element(Locator::Css("td.s-red_line details summary")).await.unwrap();
    // Issue 23: opening a cell squeezed the other columns to three letters. Its details open below
    // it, and no column changes width.
    let widths = "return [...document.querySelectorAll('#stances thead th')].map(th => Math.round(th.getBoundingClientRect().width));";
    let before = c.execute(widths, vec![]).await.unwrap();
    cell.click().await.unwrap();
    let after = c.execute(widths, vec![]).await.unwrap();
    assert_eq!(before, after, "opening a cell changed the columns' widths");
    let citation = c
        .find(Locator::Css("td.s-red_line details[open] .cell-detail"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(citation.contains("line "), "{citation}");
    // The quote marked as on the analysis page: quoted, or a paraphrase in italics.
    c.find(Locator::Css("td.s-red_line details[open] .cell-detail :is(q, .para)")).await.unwrap();
    shot(&c, "positions-citation").await;

    // The map: Leaflet from this server, the agreement's zones drawn (lines and km buffers), the
    // observations listed, and the list filtered as one types.
    c.goto(&format!("{url}/ui/map?from=2015-03-01&to=2015-03-31")).await.unwrap();
    c.wait().for_element(Locator::Css("#map[data-observations]")).await.unwrap();
    let drawn = c
        .execute(
            "return [document.querySelectorAll('#map path.zone-line').length, document.querySelectorAll('#map path.zone-area').length, document.querySelectorAll('#legend-items li').length]",
            vec![],
        )
        .await
        .unwrap();
    let drawn: Vec<u64> = serde_json::from_value(drawn).unwrap();
    assert!(drawn[0] >= 1 && drawn[1] >= 1 && drawn[2] >= 3, "zones drawn, legend: {drawn:?}");
    let rows = c.find_all(Locator::Css("#observations tbody tr")).await.unwrap().len();
    assert!(rows > 10, "{rows} observations listed");
    c.find(Locator::Css("input#filter")).await.unwrap().send_keys("corroborated").await.unwrap();
    let visible = c.find_all(Locator::Css("#observations tbody tr")).await.unwrap().len();
    assert!(visible > 0 && visible < rows, "{visible} of {rows} rows after filtering");
    shot(&c, "map-month").await;
    // Switching the boundary view redraws Crimea: Ukraine's (804) in the UN view, Russia's (643) in
    // Natural Earth's, as the polygon under Simferopol on screen says.
    let crimea = r#"document.getElementById('map').scrollIntoView(); const m = window.truceMap; m.setView([45.2, 34.6], 7, {animate: false});
        const p = m.latLngToContainerPoint([44.95, 34.10]); const r = document.getElementById('map').getBoundingClientRect();
        const e = document.elementFromPoint(r.left + p.x, r.top + p.y);
        return (e && e.getAttribute('class') || '') + ' @' + document.getElementById('map').dataset.view;"#;
    let before = c.execute(crimea, vec![]).await.unwrap().as_str().unwrap().to_string();
    assert!(before.contains("country-804") && before.ends_with("@visionscarto-1.0.0"), "{before}");
    c.execute(
        "const s = document.getElementById('view'); s.value = 'natural-earth-4.1.0'; s.dispatchEvent(new Event('change'));",
        vec![],
    )
    .await
    .unwrap();
    c.wait().for_element(Locator::Css("#map[data-view='natural-earth-4.1.0']")).await.unwrap();
    let after = c.execute(crimea, vec![]).await.unwrap().as_str().unwrap().to_string();
    assert!(after.contains("country-643"), "{after}");
    shot(&c, "map-crimea-natural-earth").await;

    // A party delegate does not get the verification queue.
    sign_out(&c).await;
    sign_in(&c, &url, &token(Role::PartyDelegate), Role::PartyDelegate).await;
    let nav = c.find(Locator::Css("header nav")).await.unwrap().text().await.unwrap();
    assert!(!nav.contains("Verification queue") && nav.contains("Positions"), "{nav}");
    c.goto(&format!("{url}/ui/queue")).await.unwrap();
    let text = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(text.contains("may not open this page"), "{text}");
    c.goto(&format!("{url}/")).await.unwrap();
    sign_out(&c).await;

    // An observer records an observation in the browser: signed there with its key file, appended.
    let key_file = |name: &str| {
        let key = keys.iter().find(|(n, _)| n == name).unwrap().1.clone();
        truce_watch::entry::KeyFile { name: name.into(), key }.to_text()
    };
    sign_in(&c, &url, &token(Role::Observer), Role::Observer).await;
    c.goto(&format!("{url}/ui/observe")).await.unwrap();
    let fill = r#"const [f, key] = arguments; for (const [id, v] of Object.entries(f)) document.getElementById(id).value = v; document.getElementById('keyfile').value = key;"#;
    let fields = serde_json::json!({
        "start": "2015-03-25T10:00", "end": "2015-03-25T10:40", "lat": "48.1", "lon": "38.1",
        "controlled_by": "ORDLO", "sensor": "saw", "class": "weapon_sighting", "count": "3",
        "weapon": "mlrs", "calibre": "122"
    });
    c.execute(fill, vec![fields, serde_json::Value::String(key_file("observer-1"))]).await.unwrap();
    shot(&c, "observe").await;
    c.find(Locator::Css("#observe button[type=submit]")).await.unwrap().click().await.unwrap();
    let result = c.wait().for_element(Locator::Css("#result[data-index]")).await.unwrap();
    let index: u64 = result.attr("data-index").await.unwrap().unwrap().parse().unwrap();
    assert!(result.text().await.unwrap().contains("appended to the log"));
    // Issue 21, finding 11: the answer links to the entry's page; the key is gone from the page and
    // the form is cleared.
    let link = result.find(Locator::Css("a")).await.unwrap().attr("href").await.unwrap();
    assert_eq!(link.as_deref(), Some(format!("/ui/entries/{index}").as_str()));
    let value = |id: &'static str| {
        let c = c.clone();
        async move {
            let script = format!("return document.getElementById('{id}').value;");
            c.execute(&script, vec![]).await.unwrap().as_str().unwrap_or_default().to_string()
        }
    };
    assert_eq!(value("keyfile").await, "", "the key stays on the page");
    assert_eq!(value("start").await, "", "the form is not cleared");
    // Two submits at once (a double click) record once: the next observation takes the next index.
    let at = |hour: u32| {
        serde_json::json!({
            "start": format!("2015-03-25T{hour:02}:00"), "end": format!("2015-03-25T{hour:02}:30"),
            "lat": "48.1", "lon": "38.1", "controlled_by": "ORDLO", "sensor": "heard",
            "class": "explosion", "count": "1"
        })
    };
    let submitted = |c: Client| async move {
        let r = c.wait().for_element(Locator::Css("#result[data-index]")).await.unwrap();
        r.attr("data-index").await.unwrap().unwrap().parse::<u64>().unwrap()
    };
    c.execute(fill, vec![at(11), serde_json::Value::String(key_file("observer-1"))]).await.unwrap();
    c.execute(
        "const f = document.getElementById('observe'); f.requestSubmit(); f.requestSubmit();",
        vec![],
    )
    .await
    .unwrap();
    let double = submitted(c.clone()).await;
    assert_eq!(double, index + 1);
    // An answer lost on the way: the page keeps the signed entry; sending it again is a replay, shown
    // as already recorded, and the log holds it once.
    c.execute(fill, vec![at(12), serde_json::Value::String(key_file("observer-1"))]).await.unwrap();
    c.execute(
        r#"const real = window.fetch; let lost = true;
        window.fetch = async (u, o) => { const r = await real(u, o);
          if (lost && u === '/v1/entries') { lost = false; throw new TypeError('the answer was lost'); }
          return r; };"#,
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Css("#observe button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#result[data-state=unsent]")).await.unwrap();
    let again = c.find(Locator::Css("#observe button[type=submit]")).await.unwrap();
    assert_eq!(again.text().await.unwrap(), "Send again");
    again.click().await.unwrap();
    let replayed =
        c.wait().for_element(Locator::Css("#result[data-state=replayed]")).await.unwrap();
    assert!(replayed.text().await.unwrap().contains("Already recorded"));
    c.execute(fill, vec![at(13), serde_json::Value::String(key_file("observer-1"))]).await.unwrap();
    c.find(Locator::Css("#observe button[type=submit]")).await.unwrap().click().await.unwrap();
    assert_eq!(submitted(c.clone()).await, double + 2, "the resent observation was recorded twice");
    // It is on the map of its day, with its popup, which links to its entry page.
    c.goto(&format!("{url}/ui/map?date=2015-03-25")).await.unwrap();
    c.wait().for_element(Locator::Css("#map[data-observations]")).await.unwrap();
    // The map names its towns: at the zoom that shows the whole area, the largest cities.
    // Read in one script: the labels are redrawn whenever the map moves.
    let towns: Vec<String> = serde_json::from_value(
        c.execute(
            "return [...document.querySelectorAll('#map .town')].map(e => e.textContent);",
            vec![],
        )
        .await
        .unwrap(),
    )
    .unwrap();
    assert!(
        towns.iter().any(|t| t == "Donetsk") && towns.iter().any(|t| t == "Luhansk"),
        "{towns:?}"
    );
    let show = format!("#observations button[aria-label='Show entry {index} on the map']");
    c.find(Locator::Css(&show)).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".leaflet-popup-content .obs-popup")).await.unwrap();
    // The popup fades in: its text is visible once the animation has run. The map may redraw the
    // popup meanwhile (its data refreshed), so it is found afresh each time, never held.
    let (mut text, mut link) = (String::new(), None);
    for _ in 0..50 {
        let read = async {
            let popup = c.find(Locator::Css(".leaflet-popup-content .obs-popup")).await?;
            let text = popup.text().await?;
            let link = popup.find(Locator::Css("a")).await?.attr("href").await?;
            Ok::<_, fantoccini::error::CmdError>((text, link))
        };
        if let Ok((t, l)) = read.await {
            (text, link) = (t, l);
            if !text.is_empty() {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Issue 23: the popup reads in words (it read `weapon_sighting` and `sensor: saw`) and names the
    // nearest place of the gazetteer.
    assert!(text.contains("weapon sighting \u{d7}3") && text.contains("sensor: seen"), "{text}");
    assert!(text.contains("5 km") && text.contains("of Nyzhnia Krynka"), "{text}");
    assert!(text.contains("verification: received"), "{text}");
    assert_eq!(link.as_deref(), Some(format!("/ui/entries/{index}").as_str()));
    shot(&c, "map-popup").await;
    sign_out(&c).await;

    // A verifier takes it up and corroborates it from the queue; compliance changes.
    let status = |c: Client, url: String| async move {
        c.goto(&format!("{url}/ui/agreement?date=2015-03-25")).await.unwrap();
        let rows = c.find_all(Locator::Css("#compliance tbody tr")).await.unwrap();
        for r in rows {
            let t = r.text().await.unwrap();
            if t.contains("2.mlrs.ORDLO") {
                return t;
            }
        }
        panic!("no row for 2.mlrs.ORDLO");
    };
    sign_in(&c, &url, &token(Role::Verifier), Role::Verifier).await;
    assert!(status(c.clone(), url.clone()).await.contains("alleged violation"));
    for action in ["Take up", "Corroborate"] {
        // The store's index follows the log within milliseconds: reload until the button is there.
        let mut found = None;
        for _ in 0..100 {
            c.goto(&format!("{url}/ui/queue")).await.unwrap();
            if let Ok(b) =
                c.find(Locator::XPath(&format!("//button[text()='{action} {index}']"))).await
            {
                found = Some(b);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let Some(button) = found else {
            let page = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
            panic!("no '{action} {index}' button in the queue:\n{page}");
        };
        c.execute(
            "document.getElementById('keyfile').value = arguments[0];",
            vec![serde_json::Value::String(key_file("verifier-1"))],
        )
        .await
        .unwrap();
        button.click().await.unwrap();
        let text = c
            .wait()
            .for_element(Locator::XPath("//p[@id='result' and contains(., 'is now')]"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(text.contains(&format!("Entry {index} is now")), "{text}");
        shot(&c, &format!("queue-{}", action.to_lowercase().replace(' ', "-"))).await;
    }
    let after = status(c.clone(), url.clone()).await;
    assert!(after.contains("verified violation"), "{after}");
    shot(&c, "agreement-after-verification").await;
    sign_out(&c).await;

    // An auditor (anyone, signed in or not) follows an evidence link from the agreement page to the
    // entry's page, whose proof the browser checks with WebCrypto; a tampered proof fails there.
    c.goto(&format!("{url}/ui/agreement?date=2015-03-25")).await.unwrap();
    let evidence = c.find(Locator::Css("#compliance a[href^='/ui/entries/']")).await.unwrap();
    let href = evidence.attr("href").await.unwrap().unwrap();
    evidence.click().await.unwrap();
    // The page proves against the cosigned checkpoint, a witness round behind the newest entries: an
    // entry appended a moment ago gets its proof within seconds (the page says so meanwhile).
    for _ in 0..40 {
        let main = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
        if !main.contains("not in the checkpoint served") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        c.refresh().await.unwrap();
    }
    let verified =
        match c.wait().for_element(Locator::Css("#proof-result[data-state='verified']")).await {
            Ok(e) => e.text().await.unwrap(),
            Err(e) => {
                let main = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
                panic!("{href}: the proof did not verify: {e}\n{main}");
            }
        };
    assert!(verified.starts_with("Verified: entry"), "{verified}");
    let signature = c.find(Locator::Css("#signature")).await.unwrap().text().await.unwrap();
    assert!(signature.contains("Signature: verified"), "{signature}");
    shot(&c, "entry-proof-verified").await;
    // Change one hash of the proof (or, for a one-entry tree, the entry) and check again.
    c.execute(
        r#"const el = document.getElementById('proof-data'); const d = JSON.parse(el.textContent);
           const flip = s => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
           if (d.proof.length > 0) d.proof[0] = flip(d.proof[0]); else d.entry = flip(d.entry);
           el.textContent = JSON.stringify(d);"#,
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Css("#verify-again")).await.unwrap().click().await.unwrap();
    let failed = c
        .wait()
        .for_element(Locator::Css("#proof-result[data-state='failed']"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(failed.starts_with("FAILED"), "{failed}");
    shot(&c, "entry-proof-tampered").await;
    c.close().await.unwrap();
    std::fs::remove_dir_all(dir).ok();
}

/// Runs axe-core (vendored unchanged from npm) on the page shown and returns its serious and critical
/// violations, one line each: rule, impact, and the first offending element.
async fn axe(c: &Client) -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let source =
        std::fs::read_to_string(root.join("vendor/npm/axe-core-4.10.3/axe.min.js")).unwrap();
    c.execute(&format!("{source}\nreturn typeof axe;"), vec![]).await.unwrap();
    let found = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document).then(r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.length + ' element(s), e.g. ' + v.nodes[0].target.join(' ') + ' — ' + v.help)
                 .concat(r.passes.length > 10 ? [] : ['axe checked only ' + r.passes.length + ' rules'])))
                 .catch(e => done(['axe failed: ' + e]));"#,
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

/// The scenario's option ids (`nato.full_membership`): a page names options by label, and shows an id
/// only inside `<code>`.
fn option_ids() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let seed = std::fs::read_to_string(root.join("scenarios/ukraine-2025.toml")).unwrap();
    let ids: Vec<String> = seed
        .lines()
        .filter_map(|l| l.strip_prefix("id = \"")?.strip_suffix('"').map(str::to_string))
        .filter(|id| id.contains('.'))
        .collect();
    assert!(ids.len() > 30, "{} option ids", ids.len());
    ids
}

/// The ids of `ids` that `text` holds as whole words (not as part of a longer id).
fn raw_ids<'a>(text: &str, ids: &'a [String]) -> Vec<&'a str> {
    let part =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    ids.iter()
        .filter(|id| {
            text.match_indices(id.as_str()).any(|(k, _)| {
                !part(text[..k].chars().next_back()) && !part(text[k + id.len()..].chars().next())
            })
        })
        .map(String::as_str)
        .collect()
}

#[test]
fn raw_ids_are_found_as_whole_words_only() {
    let ids = vec!["nato.full_membership".to_string(), "cf.now".to_string()];
    assert_eq!(
        raw_ids("Full NATO membership (nato.full_membership).", &ids),
        ["nato.full_membership"]
    );
    assert!(raw_ids("x.cf.now_later and cf.nowhere", &ids).is_empty());
}

/// Issue 23: every page, as the role that uses it, in English, Ukrainian and Russian, at 1,280 and 400
/// px, and in pseudo-English at 400 px: `<html lang>` is the reader's language; no horizontal scrolling outside a table's own box; no
/// serious or critical axe-core violation; no option id in the visible text outside `<code>`.
/// Screenshots of each (`target/artifacts/ui-{width}-{lang}-{page}.png`); the guide (`docs/guide/`)
/// shows some of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_and_passes_axe() {
    let (url, tokens, dir, _) = serve().await;
    let (_driver, c) = browser().await;
    let token = |role: Role| tokens.iter().find(|(r, _)| *r == role).unwrap().1.clone();
    let overflow = "return [document.documentElement.scrollWidth, window.innerWidth];";
    // The text a reader sees, outside `<code>`, scripts and tooltips' titles.
    let visible = r#"const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); const out = [];
        for (let n = w.nextNode(); n; n = w.nextNode()) {
          if (n.parentElement.closest('code, script, style, noscript, template, title')) continue;
          out.push(n.textContent);
        }
        return [document.documentElement.lang, out.join(' ')];"#;
    let ids = option_ids();
    let mut problems = Vec::new();
    let pages: [(Role, &str, &str); 23] = [
        (Role::Public, "login", "/ui/login"),
        (Role::Public, "field", "/field/"),
        (Role::Public, "entry", "/ui/entries/5"),
        (Role::Mediator, "home", "/"),
        (Role::Mediator, "positions", "/ui/scenarios/ukraine-2025"),
        (Role::Mediator, "analysis", "/ui/scenarios/ukraine-2025/analysis"),
        (Role::Mediator, "timeline", "/ui/scenarios/ukraine-2025/timeline"),
        (Role::Mediator, "agreement", "/ui/agreement"),
        (Role::Mediator, "map", "/ui/map"),
        (Role::Mediator, "queue", "/ui/queue"),
        (Role::Mediator, "report", "/ui/reports/daily"),
        (Role::Mediator, "log", "/ui/log"),
        (Role::Mediator, "not-found", "/ui/no-such-page"),
        (Role::Mediator, "scenarios", "/ui/scenarios"),
        (Role::Mediator, "position-form", "/ui/scenarios/ukraine-2025/positions"),
        (Role::Mediator, "versions", "/ui/scenarios/ukraine-2025/versions"),
        (Role::Mediator, "draft", "/ui/scenarios/ukraine-2025/draft"),
        (Role::Mediator, "simulate", "/ui/scenarios/ukraine-2025/simulate?rounds=60"),
        (Role::Mediator, "source", "/ui/scenarios/ukraine-2025/sources/avia_grushko"),
        (Role::Mediator, "extract", "/ui/scenarios/ukraine-2025/extract"),
        (Role::Observer, "observe", "/ui/observe"),
        (Role::PartyDelegate, "preferences", "/ui/scenarios/ukraine-2025/preferences"),
        (Role::PartyDelegate, "entry-delegate", "/ui/entries/20"),
    ];
    let mut signed_in = Role::Public;
    for (role, name, path) in pages {
        if role != signed_in {
            if signed_in != Role::Public {
                c.goto(&format!("{url}/?lang=en")).await.unwrap();
                sign_out(&c).await;
            }
            c.set_window_size(1280, 1000).await.unwrap();
            c.goto(&format!("{url}/?lang=en")).await.unwrap();
            sign_in(&c, &url, &token(role), role).await;
            signed_in = role;
        }
        // Pseudo-English (`en-XA`: every vowel doubled, every letter accented) at 400 px: a longer
        // language keeps every page usable on a phone.
        for lang in ["en", "uk", "ru", "en-XA"] {
            let sizes: &[(u32, u32)] =
                if lang == "en-XA" { &[(400, 900)] } else { &[(1280, 1000), (400, 900)] };
            for &(width, height) in sizes {
                let page = format!("{name} ({lang}, {width} px)");
                c.set_window_size(width, height).await.unwrap();
                let join = if path.contains('?') { '&' } else { '?' };
                c.goto(&format!("{url}{path}{join}lang={lang}")).await.unwrap();
                if name == "map"
                    && let Err(e) =
                        c.wait().for_element(Locator::Css("#map[data-observations]")).await
                {
                    let status =
                        c.find(Locator::Css("#map-status")).await.unwrap().text().await.unwrap();
                    panic!("{page}: the map did not load ({e}): {status}");
                }
                if name == "simulate" {
                    // A rehearsal is a job: its page shows it once it is done.
                    c.wait().for_element(Locator::Css("section.run .plot svg")).await.unwrap();
                }
                let [scroll, inner]: [u64; 2] =
                    serde_json::from_value(c.execute(overflow, vec![]).await.unwrap()).unwrap();
                if scroll > inner {
                    problems.push(format!("{page}: {scroll} px wide in a {inner} px window"));
                }
                let (html_lang, text): (String, String) =
                    serde_json::from_value(c.execute(visible, vec![]).await.unwrap()).unwrap();
                if html_lang != lang {
                    problems.push(format!("{page}: <html lang={html_lang:?}>"));
                }
                let raw = raw_ids(&text, &ids);
                if !raw.is_empty() {
                    problems.push(format!("{page}: option ids outside <code>: {}", raw.join(", ")));
                }
                for v in axe(&c).await {
                    problems.push(format!("{page}: {v}"));
                }
                shot(&c, &format!("{width}-{lang}-{name}")).await;
            }
        }
    }
    c.goto(&format!("{url}/?lang=en")).await.unwrap();
    // The stance matrix fits a laptop screen.
    sign_out(&c).await;
    c.set_window_size(1400, 900).await.unwrap();
    sign_in(&c, &url, &token(Role::Mediator), Role::Mediator).await;
    c.goto(&format!("{url}/ui/scenarios/ukraine-2025")).await.unwrap();
    let [scroll, inner]: [u64; 2] =
        serde_json::from_value(c.execute(overflow, vec![]).await.unwrap()).unwrap();
    if scroll > inner {
        problems.push(format!("positions at 1,400 px: {scroll} px wide in a {inner} px window"));
    }
    let table = "const t = document.getElementById('stances'); const w = t.parentElement; return [t.scrollWidth, w.clientWidth];";
    let [needed, shown]: [u64; 2] =
        serde_json::from_value(c.execute(table, vec![]).await.unwrap()).unwrap();
    if needed > shown {
        problems.push(format!("the stance matrix needs {needed} px but shows {shown} at 1,400 px"));
    }
    shot(&c, "1400-positions").await;
    c.close().await.unwrap();
    std::fs::remove_dir_all(dir).ok();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// An analyst adds a position through the form: a quote too long comes back with the error beside
/// the quote field and nothing saved; a good one is saved as a new version whose diff shows it, and
/// the analysis changes (RUS's red line on NATO membership is no longer its current stance).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_adds_a_position_and_the_analysis_changes() {
    let (url, tokens, dir, _) = serve().await;
    let (_driver, c) = browser().await;
    let token = tokens.iter().find(|(r, _)| *r == Role::Analyst).unwrap().1.clone();
    sign_in(&c, &url, &token, Role::Analyst).await;
    let red_lines = |c: Client, url: String| async move {
        c.goto(&format!("{url}/ui/scenarios/ukraine-2025/analysis")).await.unwrap();
        let table = c.find(Locator::Css("table#readings")).await.unwrap().text().await.unwrap();
        table.lines().find(|l| l.starts_with("red lines")).unwrap_or_default().to_string()
    };
    let before = red_lines(c.clone(), url.clone()).await;
    assert!(before.starts_with("red lines 11 "), "{before}");
    c.goto(&format!("{url}/ui/scenarios")).await.unwrap();
    c.find(Locator::LinkText("add a position")).await.unwrap().click().await.unwrap();
    let fill = r#"const f = arguments[0]; for (const [id, v] of Object.entries(f)) document.getElementById(id).value = v;"#;
    let long = "word ".repeat(40);
    let fields = serde_json::json!({
        "party": "RUS", "option": "nato.full_membership", "stance": "acceptable",
        "date": "2025-12-30", "date_precision": "day", "source": "avia_grushko",
        "quote": long.trim(), "quote_kind": "direct",
    });
    c.wait().for_element(Locator::Css("form#position")).await.unwrap();
    c.execute(fill, vec![fields.clone()]).await.unwrap();
    c.find(Locator::Css("form#position button[type=submit]")).await.unwrap().click().await.unwrap();
    let error =
        c.wait().for_element(Locator::Css("#err-quote")).await.unwrap().text().await.unwrap();
    assert!(error.contains("25"), "{error}");
    shot(&c, "position-form-error").await;
    // The form kept what was typed; shorten the quote and save.
    let kept = c.find(Locator::Css("#party")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("RUS"));
    let mut fields = fields;
    fields["quote"] = "Russia could accept Ukraine in NATO".into();
    c.execute(fill, vec![fields]).await.unwrap();
    c.find(Locator::Css("form#position button[type=submit]")).await.unwrap().click().await.unwrap();
    let diff = c.wait().for_element(Locator::Css("pre#diff")).await.unwrap().text().await.unwrap();
    assert!(
        diff.contains("+ stance = \"acceptable\"") && diff.contains("+ date = 2025-12-30"),
        "{diff}"
    );
    shot(&c, "versions-diff").await;
    let after = red_lines(c.clone(), url.clone()).await;
    assert!(after.starts_with("red lines 10 "), "{after}");
    c.close().await.unwrap();
    std::fs::remove_dir_all(dir).ok();
}

/// Issue 25: an analyst drafts positions from an article pasted into the extraction page, drops one
/// candidate, accepts another into the position form (every field filled in from it), saves it, and
/// the new version holds the position; nothing was saved before the form was submitted. By keyboard
/// where a person would use it: the article is typed, and Drop leaves the focus in the list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue25_an_analyst_accepts_a_position_drafted_from_an_article() {
    let (url, tokens, dir, _) = serve().await;
    let (_driver, c) = browser().await;
    let token = tokens.iter().find(|(r, _)| *r == Role::Analyst).unwrap().1.clone();
    sign_in(&c, &url, &token, Role::Analyst).await;
    c.goto(&format!("{url}/ui/scenarios/ukraine-2025")).await.unwrap();
    c.find(Locator::LinkText("Draft positions from an article"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let article = "Russian Foreign Minister Sergei Lavrov said on Tuesday that Moscow categorically rejects any deployment of European peacekeepers in Ukraine. Ukrainian President Volodymyr Zelensky said Kyiv demands NATO membership.";
    let text = c.wait().for_element(Locator::Css("form#extract textarea#article")).await.unwrap();
    text.send_keys(article).await.unwrap();
    let set = r#"document.getElementById('date').value = '2025-02-18'; document.getElementById('source').value = 'avia_grushko';"#;
    c.execute(set, vec![]).await.unwrap();
    c.find(Locator::Css("form#extract button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("ol#candidates li a.accept")).await.unwrap();
    shot(&c, "extract-candidates").await;
    let count = |c: Client| async move {
        c.find_all(Locator::Css("ol#candidates li")).await.unwrap().len()
    };
    let before = count(c.clone()).await;
    assert!(before >= 2, "two statements, {before} candidates");
    // Each candidate in words, with its trigger words marked in the quote.
    let list = c.find(Locator::Css("ol#candidates")).await.unwrap().text().await.unwrap();
    assert!(list.contains("Russian Federation") || list.contains("Russia"), "{list}");
    assert!(!c.find_all(Locator::Css("ol#candidates li q mark")).await.unwrap().is_empty());
    // Drop the last: it leaves the page's list (nothing saved), and the focus stays in the list.
    let last = c.find_all(Locator::Css("ol#candidates li button.drop")).await.unwrap();
    last.last().unwrap().click().await.unwrap();
    until(
        &c,
        "the candidate is dropped",
        &format!("document.querySelectorAll('ol#candidates li').length === {}", before - 1),
        10,
    )
    .await;
    let status = c.find(Locator::Css("#extract-status")).await.unwrap().text().await.unwrap();
    assert!(status.starts_with("Dropped"), "{status}");
    let focused = c.execute("return document.activeElement.className", vec![]).await.unwrap();
    assert_eq!(focused, "accept", "the focus moves to a candidate's Accept link");
    // Accept Russia's: the position form, every field filled in from the candidate.
    let accept = Locator::XPath(
        "//ol[@id='candidates']/li[contains(., 'peacekeepers')]//a[@class='accept']",
    );
    c.find(accept).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("form#position")).await.unwrap();
    let value = |id: &'static str| {
        let c = c.clone();
        async move {
            c.find(Locator::Id(id)).await.unwrap().prop("value").await.unwrap().unwrap_or_default()
        }
    };
    assert_eq!(value("party").await, "RUS");
    assert_eq!(value("date").await, "2025-02-18");
    assert_eq!(value("source").await, "avia_grushko");
    assert!(value("option").await.contains('.'), "an option is chosen");
    assert!(!value("stance").await.is_empty(), "a stance is chosen");
    let quote = value("quote").await;
    assert!(
        quote.contains("categorically rejects any deployment of European peacekeepers"),
        "{quote}"
    );
    assert!(article.contains(&quote), "verbatim: {quote}");
    assert!(!value("quote_kind").await.is_empty());
    shot(&c, "extract-accepted").await;
    let store = truce_store_sql::SqlStore::open_sqlite(&dir.join("truce.db")).await.unwrap();
    assert_eq!(store.scenario("ukraine-2025", None).await.unwrap().version, 1, "nothing saved yet");
    c.find(Locator::Css("form#position button[type=submit]")).await.unwrap().click().await.unwrap();
    let diff = c.wait().for_element(Locator::Css("pre#diff")).await.unwrap().text().await.unwrap();
    assert!(diff.contains("+ source = \"avia_grushko\""), "{diff}");
    let saved = store.scenario("ukraine-2025", None).await.unwrap();
    assert_eq!(saved.version, 2);
    let (scenario, _) = truce_scenario::parse("ukraine-2025.toml", &saved.text);
    let scenario = scenario.expect("the new version parses");
    assert!(
        scenario.positions.iter().any(|p| p.quote == quote
            && scenario.party(p.party).id == "RUS"
            && scenario.source(p.source).id == "avia_grushko"
            && p.date.to_string() == "2025-02-18"),
        "the new version holds the accepted position"
    );
    c.close().await.unwrap();
    std::fs::remove_dir_all(dir).ok();
}

/// A party delegate sets its confidential preferences in the form (the preview follows the numbers)
/// and submits them; then disputes an observation from its entry page, signed in the browser with the
/// delegate's key file, and the dispute is on the log, shown on the page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegate_submits_preferences_and_disputes_an_observation() {
    let (url, tokens, dir, keys) = serve().await;
    let (_driver, c) = browser().await;
    let token = tokens.iter().find(|(r, _)| *r == Role::PartyDelegate).unwrap().1.clone();
    sign_in(&c, &url, &token, Role::PartyDelegate).await;
    c.goto(&format!("{url}/ui/scenarios")).await.unwrap();
    c.find(Locator::LinkText("confidential preferences")).await.unwrap().click().await.unwrap();
    let total = c.wait().for_element(Locator::Css("#preview-total")).await.unwrap();
    let before = total.text().await.unwrap();
    assert!(before.contains("worth"), "{before}");
    c.execute(
        r#"const set = (id, v) => { const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('input', {bubbles: true})); };
           set('reservation', '0.9'); set('w-nato', '3'); set('u-nato.membership_deferred', '0');"#,
        vec![],
    )
    .await
    .unwrap();
    let after = c.find(Locator::Css("#preview-total")).await.unwrap().text().await.unwrap();
    assert!(after != before && after.contains("rather walk away"), "{before} → {after}");
    c.find(Locator::Css("form#preferences button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let Ok(done) = c.wait().for_element(Locator::Css("#submitted[data-id]")).await else {
        let said = c.find(Locator::Css("#submitted")).await.unwrap().text().await.unwrap();
        panic!("the preferences were not submitted: {said}");
    };
    assert!(done.text().await.unwrap().contains("Submitted for UKR"));
    shot(&c, "preferences").await;
    // An observation of the mission, disputed for UKR_GOV.
    c.goto(&format!("{url}/ui/map?date=2015-03-20")).await.unwrap();
    c.wait().for_element(Locator::Css("#map[data-observations]")).await.unwrap();
    let href = c
        .find(Locator::Css("#observations tbody a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    c.goto(&format!("{url}{href}")).await.unwrap();
    let key = keys.iter().find(|(n, _)| n == "delegate-UKR_GOV").unwrap().1.clone();
    let key_file = truce_watch::entry::KeyFile { name: "delegate-UKR_GOV".into(), key }.to_text();
    c.execute(
        "document.getElementById('keyfile').value = arguments[0]; document.getElementById('note').value = 'Our patrol log shows no fire at that hour.'; document.getElementById('party').value = 'UKR_GOV';",
        vec![serde_json::Value::String(key_file)],
    )
    .await
    .unwrap();
    c.find(Locator::Css("#annotate button[data-stance=dispute]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let said = c.wait().for_element(Locator::Css("#annotated[data-index]")).await.unwrap();
    let text = said.text().await.unwrap();
    assert!(text.starts_with("UKR_GOV disputes: log entry"), "{text}");
    // The page, reloaded, lists the dispute among the parties' annotations.
    for _ in 0..40 {
        c.refresh().await.unwrap();
        let main = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
        if main.contains("UKR_GOV: dispute") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let main = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(main.contains("UKR_GOV: dispute"), "{main}");
    shot(&c, "entry-disputed").await;
    c.close().await.unwrap();
    std::fs::remove_dir_all(dir).ok();
}

/// The DevTools protocol through chromedriver (`goog/cdp/execute`): how the test switches the page's
/// network off and on.
#[derive(Debug)]
struct Cdp(&'static str, serde_json::Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(serde_json::json!({"cmd": self.0, "params": self.1}).to_string()),
        )
    }
}

async fn network(c: &Client, online: bool) {
    c.issue_cmd(Cdp("Network.enable", serde_json::json!({}))).await.unwrap();
    let params = serde_json::json!({"offline": !online, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1});
    c.issue_cmd(Cdp("Network.emulateNetworkConditions", params)).await.unwrap();
}

/// Waits (up to `seconds`) until `script` (an expression) is true in the page.
async fn until(c: &Client, what: &str, script: &str, seconds: u64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        let v = c.execute(&format!("return !!({script});"), vec![]).await.unwrap_or_default();
        if v.as_bool() == Some(true) {
            return;
        }
        if std::time::Instant::now() > deadline {
            let page = c.find(Locator::Css("body")).await.unwrap().text().await.unwrap_or_default();
            panic!("timed out waiting until {what}; the page says:\n{page}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_observer_captures_offline_and_the_queue_syncs_with_verified_receipts() {
    let (url, tokens, dir, keys) = serve().await;
    let token = |role: Role| tokens.iter().find(|(r, _)| *r == role).unwrap().1.clone();
    let key = keys.iter().find(|(n, _)| n == "observer-1").unwrap().1.clone();
    let sealed = truce_watch::entry::KeyFile { name: "observer-1".into(), key: key.clone() }
        .seal("field test passphrase", [3; 16], [4; 12], 600_000)
        .unwrap();
    let photos: Vec<std::path::PathBuf> = (0..5u8)
        .map(|n| {
            let p = dir.join(format!("photo-{n}.jpg"));
            // A camera make and a GPS position (EXIF), as a phone writes them.
            std::fs::write(&p, super::media::jpeg(&[0x010F, 0x8825], n)).unwrap();
            p
        })
        .collect();
    let (_driver, c) = browser().await;
    c.set_window_size(400, 900).await.unwrap();
    // Set up once, online: the token, the sealed key and its passphrase.
    c.goto(&format!("{url}/field/")).await.unwrap();
    c.wait().for_element(Locator::Css("#setup:not([hidden])")).await.unwrap();
    c.find(Locator::Css("#token")).await.unwrap().send_keys(&token(Role::Observer)).await.unwrap();
    c.execute("document.getElementById('sealed').value=arguments[0];", vec![sealed.into()])
        .await
        .unwrap();
    c.find(Locator::Css("#passphrase"))
        .await
        .unwrap()
        .send_keys("field test passphrase")
        .await
        .unwrap();
    c.find(Locator::Css("#import")).await.unwrap().click().await.unwrap();
    until(&c, "the key is imported", "!document.getElementById('capture').hidden", 30).await;
    // The key is held as a non-extractable CryptoKey.
    let extractable = c
        .execute_async(
            "const done=arguments[0];const r=indexedDB.open('truce-field',1);r.onsuccess=()=>{const g=r.result.transaction('config').objectStore('config').get('key');g.onsuccess=()=>done(g.result.key.extractable);};",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(extractable, serde_json::json!(false));
    until(
        &c,
        "the service worker controls the page",
        "navigator.serviceWorker.controller!==null || (location.reload(), false)",
        30,
    )
    .await;

    // The network goes: the app still opens, and every observation is signed and queued here.
    network(&c, false).await;
    c.refresh().await.unwrap();
    c.wait().for_element(Locator::Css("#capture:not([hidden])")).await.unwrap();
    let reached = c
        .execute_async(
            "fetch('/v1/whoami').then(()=>arguments[0]('reached'),()=>arguments[0]('offline'));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(reached, serde_json::json!("offline"), "the page still reaches the server");
    for n in 0..20u32 {
        let fill = format!(
            "const f=(id,v)=>document.getElementById(id).value=v;f('start','2015-03-10T{:02}:{:02}');f('minutes','3');f('lat','48.123456');f('lon','38.654321');f('count','{}');f('note','field test {n}');",
            8 + n / 6,
            (n % 6) * 10,
            n + 1
        );
        c.execute(&fill, vec![]).await.unwrap();
        if n % 4 == 0 {
            let input = c.find(Locator::Css("#photos")).await.unwrap();
            input.send_keys(photos[(n / 4) as usize].to_str().unwrap()).await.unwrap();
        }
        c.find(Locator::Css("#observe button[type=submit]")).await.unwrap().click().await.unwrap();
        until(
            &c,
            &format!("observation {n} is queued"),
            &format!("document.querySelectorAll('#queue li').length==={}", n + 1),
            30,
        )
        .await;
    }
    let waiting = c
        .execute("return document.querySelectorAll('#queue li[data-state=queued]').length;", vec![])
        .await
        .unwrap();
    assert_eq!(waiting, serde_json::json!(20));
    shot(&c, "field-offline").await;

    // The network comes back: the queue syncs by itself, files first, each receipt verified here.
    network(&c, true).await;
    until(
        &c,
        "all 20 are recorded",
        "document.querySelectorAll('#queue li[data-state=recorded]').length===20",
        90,
    )
    .await;
    let verified = c
        .execute(
            "return document.querySelectorAll('#queue li[data-proof=verified]').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        verified,
        serde_json::json!(20),
        "every receipt's proof and log signature verified on the device"
    );
    shot(&c, "field-synced").await;
    let indices: Vec<u64> = serde_json::from_value(
        c.execute(
            "return [...document.querySelectorAll('#queue li')].map(li=>Number(li.dataset.index));",
            vec![],
        )
        .await
        .unwrap(),
    )
    .unwrap();
    let mut distinct = indices.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 20);
    // Each is in the log exactly once, as signed; the files are stored under the hashes the entries
    // carry, without the position the camera wrote.
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let verifier_token = token(Role::Verifier);
    let mut with_media = 0;
    let mut shown_file: Option<(u64, String)> = None;
    for i in &indices {
        let mut r = agent.get(&format!("{url}/v1/entries/{i}/proof")).call().unwrap();
        let proof: serde_json::Value =
            serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(proof["entry"].as_str().unwrap())
            .unwrap();
        let entry = truce_watch::entry::decode(&bytes).unwrap();
        assert_eq!(entry.author, truce_watch::entry::key_hex(&key.verifying_key()));
        let truce_watch::entry::Body::Observation(o) = &entry.body else {
            panic!("entry {i} is not an observation")
        };
        for m in &o.media {
            let r = truce_watch::media::media_ref(m).unwrap();
            let mut got = agent
                .get(&format!("{url}/v1/media/{}", r.sha256))
                .header("authorization", &format!("Bearer {verifier_token}"))
                .call()
                .unwrap();
            assert_eq!(got.status().as_u16(), 200, "the file of entry {i}");
            let file = got.body_mut().read_to_vec().unwrap();
            use sha2::Digest;
            let hash: String =
                sha2::Sha256::digest(&file).iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(hash, r.sha256);
            assert_eq!(Some(file.len() as u64), r.bytes);
            assert_eq!(
                truce_watch::media::location_metadata(&file),
                None,
                "the position was stripped before hashing"
            );
            with_media += 1;
            shown_file = Some((*i, r.sha256.to_string()));
        }
    }
    assert_eq!(with_media, 5);
    // The entry's page lists its file, linked by the hash anyone checks it against.
    let (i, hash) = shown_file.unwrap();
    c.goto(&format!("{url}/ui/entries/{i}")).await.unwrap();
    let href =
        c.wait().for_element(Locator::Css("#media a")).await.unwrap().attr("href").await.unwrap();
    assert_eq!(href.as_deref(), Some(format!("/v1/media/{hash}").as_str()));
    c.goto(&format!("{url}/field/")).await.unwrap();
    c.wait().for_element(Locator::Css("#capture:not([hidden])")).await.unwrap();
    let mut csv = agent.get(&format!("{url}/v1/export?format=csv")).call().unwrap();
    let csv = csv.body_mut().read_to_string().unwrap();
    assert_eq!(
        csv.lines().filter(|l| l.contains("48.123456")).count(),
        20,
        "each observation once"
    );

    // A replay of an item already recorded is refused by the log and shown as already recorded.
    let first: serde_json::Value = c
        .execute("return document.querySelector('#queue li:last-child').dataset.seq;", vec![])
        .await
        .unwrap();
    c.execute_async(
        "const done=arguments[1];const r=indexedDB.open('truce-field',1);r.onsuccess=()=>{const s=r.result.transaction('queue','readwrite').objectStore('queue');\
         s.getAll().onsuccess=e=>{const it=e.target.result.find(i=>String(i.seq)===arguments[0]);s.add({seq:it.seq,entry:it.entry,media:[],state:'queued',summary:'a copy',created:Date.now()}).onsuccess=()=>done(true);};};",
        vec![first],
    )
    .await
    .unwrap();
    c.find(Locator::Css("#sync")).await.unwrap().click().await.unwrap();
    until(&c, "the copy is refused as already recorded", "[...document.querySelectorAll('#queue li[data-state=duplicate]')].some(li=>li.textContent.includes('already recorded'))", 30).await;
    let mut csv = agent.get(&format!("{url}/v1/export?format=csv")).call().unwrap();
    let csv = csv.body_mut().read_to_string().unwrap();
    assert_eq!(
        csv.lines().filter(|l| l.contains("48.123456")).count(),
        20,
        "the replay was not stored"
    );
    shot(&c, "field-replay").await;
    c.close().await.unwrap();
    std::fs::remove_dir_all(&dir).ok();
}
