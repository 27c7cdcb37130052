//! `truce source add`, the quote checks of `truce check`, and `truce extract`, end to end.

use super::{SEED, root, stdout, truce};

/// A scenario of our own with one source and three quotes of it: direct, paraphrase, translated.
const SCENARIO: &str = r#"[meta]
title = "Quote check"

[[parties]]
id = "RUS"
name = "Russian Federation"

[[issues]]
id = "nato"
name = "NATO"

[[issues.options]]
id = "nato.member"
label = "Membership"

[[issues.options]]
id = "nato.neutral"
label = "Neutrality"

[[sources]]
id = "wire"
publication = "A wire service"
url = "https://example.org/wire/1"

[[positions]]
party = "RUS"
option = "nato.member"
stance = "red_line"
date = 2025-04-02
source = "wire"
quote = "membership of the alliance for Kyiv is out of the question"
quote_kind = "direct"

[[positions]]
party = "RUS"
option = "nato.neutral"
stance = "demanded"
date = 2025-04-02
source = "wire"
quote = "Moscow wants a neutral Ukraine ... backed by guarantees"
quote_kind = "paraphrase"

[[positions]]
party = "RUS"
option = "nato.neutral"
stance = "acceptable"
date = 2025-04-02
source = "wire"
quote = "neutral status could be discussed"
quote_kind = "translated"
"#;

/// The article, our own words.
const ARTICLE: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Moscow on the alliance</title>\
<script>var tracking = 1;</script></head><body><nav>Home | World</nav><h1>Moscow on the alliance</h1>\
<p>The Russian foreign minister said on Wednesday that \u{201c}membership of the alliance for Kyiv is out of the\n   question\u{201d}.</p>\
<p>Moscow wants a neutral Ukraine, he added, backed by guarantees from the major powers.</p></body></html>";

/// A directory of the test's own, removed when dropped.
struct Dir(std::path::PathBuf);

impl Dir {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn setup(name: &str) -> (Dir, std::path::PathBuf, std::path::PathBuf) {
    let dir =
        Dir(std::env::temp_dir().join(format!("truce-sources-{name}-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(dir.path());
    std::fs::create_dir_all(dir.path()).unwrap();
    let scenario = dir.path().join("scenario.toml");
    std::fs::write(&scenario, SCENARIO).unwrap();
    let article = dir.path().join("retrieved.html");
    std::fs::write(&article, ARTICLE).unwrap();
    (dir, scenario, article)
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = truce(args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn issue25_an_archived_source_checks_its_quotes_and_a_changed_direct_quote_fails_with_the_closest_passage()
 {
    let (dir, scenario, article) = setup("check");
    let s = scenario.to_str().unwrap();
    let out = stdout(&truce(&[
        "source",
        "add",
        s,
        "wire",
        article.to_str().unwrap(),
        "--retrieved",
        "2025-04-03",
    ]));
    assert!(out.contains("archived wire"), "{out}");
    let edited = std::fs::read_to_string(&scenario).unwrap();
    let sha = truce_source::archive::sha256_hex(ARTICLE.as_bytes());
    assert!(edited.contains(&format!("sha256 = \"{sha}\"")), "{edited}");
    assert!(
        edited.contains("retrieved = 2025-04-03")
            && edited.contains("language = \"en\"")
            && edited.contains("media_type = \"text/html\""),
        "{edited}"
    );
    let archived = dir.path().join("sources").join(&sha);
    assert_eq!(std::fs::read(archived.join("original.html")).unwrap(), ARTICLE.as_bytes());
    let text = std::fs::read_to_string(archived.join("text.txt")).unwrap();
    assert!(!text.contains("tracking"), "a script is not text: {text}");

    // Each quote is found in the text: the direct one across a line break and curly quotation marks,
    // the paraphrase across its elision; the translation is only near, which never fails the check.
    let (ok, out, err) = run(&["check", s]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains(&format!(
            "{s}:29: direct quote of position RUS nato.member red_line: found in wire (archive {})",
            &sha[..8]
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("{s}:38: paraphrase of position RUS nato.neutral demanded: found")),
        "{out}"
    );
    assert!(out.contains("translated quote of position RUS nato.neutral acceptable"), "{out}");
    assert!(out.contains("2 found, 0 near, 1 not found (0 of them direct quotes)"), "{out}");

    // A cut or changed direct quote is an error naming the position's line and the closest passage.
    std::fs::write(&scenario, edited.replace("is out of the question", "could be on the table"))
        .unwrap();
    let (ok, out, err) = run(&["check", s]);
    assert!(!ok, "a changed direct quote must fail the check:\n{out}");
    assert!(
        out.contains(&format!(
            "{s}:29: error: direct quote of position RUS nato.member red_line not found in wire"
        )),
        "{out}"
    );
    assert!(out.contains("closest passage, line 6 (64% of its words): \"membership of the alliance for Kyiv is out of the\""), "{out}");
    assert!(err.contains("1 direct quote(s) not found"), "{err}");

    // A changed archive is refused by its hash.
    std::fs::write(&scenario, &edited).unwrap();
    std::fs::write(archived.join("original.html"), ARTICLE.replace("Wednesday", "Thursday"))
        .unwrap();
    let (ok, _, err) = run(&["check", s]);
    assert!(!ok && err.contains("the file was changed"), "{err}");
}

#[test]
fn issue25_source_add_refuses_bad_files_naming_them_and_leaves_the_scenario_alone() {
    let (dir, scenario, _) = setup("bad");
    let s = scenario.to_str().unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.txt", b"  \n".to_vec(), "is empty"),
        ("picture.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), "is a PNG image, not text"),
        ("latin1.txt", b"Moscow\nsaid caf\xe9".to_vec(), "is not UTF-8: byte 0xE9 on line 2"),
        (
            "mojibake.txt",
            "РњРѕСЃРєРІР° Р·Р°СЏРІРёР»Р°".as_bytes().to_vec(),
            "looks mis-encoded on line 1",
        ),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj <<".to_vec(), "is not a PDF that can be read"),
    ];
    for (name, bytes, expected) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let (ok, _, err) = run(&["source", "add", s, "wire", file.to_str().unwrap()]);
        assert!(!ok, "{name} was taken");
        assert!(
            err.contains(&file.display().to_string()) && err.contains(expected),
            "{name}: {err}"
        );
        let (ok, _, err) = run(&["extract", file.to_str().unwrap(), "--scenario", s]);
        assert!(!ok && err.contains(expected), "extract {name}: {err}");
    }
    let (ok, _, err) = run(&["source", "add", s, "nosuch", scenario.to_str().unwrap()]);
    assert!(!ok && err.contains("has no source \"nosuch\""), "{err}");
    assert_eq!(std::fs::read_to_string(&scenario).unwrap(), SCENARIO, "the scenario was changed");
    assert!(!dir.path().join("sources").exists(), "a refused file was archived");
}

#[test]
fn issue25_the_seed_article_is_archived_its_quotes_verified_and_its_statements_extracted() {
    // The seed's archive holds the article its source `avia_grushko` cites, and every quote recorded
    // from it is found there.
    let out = stdout(&truce(&["check", SEED]));
    assert!(
        out.contains(
            "quotes: 3 checked against 1 archived source(s): 3 found, 0 near, 0 not found"
        ),
        "{out}"
    );
    let article = root().join("scenarios/sources/21ca22aed2110febe78422941d79081ea2dff67958e8510a252118a15cfd17e5/original.txt");
    let bytes = std::fs::read(&article).unwrap();
    assert_eq!(
        truce_source::archive::sha256_hex(&bytes),
        "21ca22aed2110febe78422941d79081ea2dff67958e8510a252118a15cfd17e5"
    );

    // The extractor proposes the two positions the scenario records from it, each quote verbatim.
    let out = stdout(&truce(&[
        "extract",
        article.to_str().unwrap(),
        "--scenario",
        SEED,
        "--source",
        "avia_grushko",
        "--date",
        "2025-03-17",
        "--format",
        "json",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let candidates = doc["candidates"].as_array().unwrap();
    for c in candidates {
        let (start, end) =
            (c["start"].as_u64().unwrap() as usize, c["end"].as_u64().unwrap() as usize);
        assert_eq!(&text[start..end], c["quote"].as_str().unwrap(), "not verbatim: {c}");
        assert!(c["quote"].as_str().unwrap().split_whitespace().count() <= 25, "{c}");
    }
    let has = |option: &str, stance: &str| {
        candidates
            .iter()
            .any(|c| c["party"] == "RUS" && c["option"] == option && c["stance"] == stance)
    };
    assert!(has("ms.post_agreement", "demanded"), "{out}");
    assert!(has("ms.preliminary", "opposed"), "{out}");
    assert_eq!(doc["date"], "2025-03-17");

    // As TOML, the candidates are positions the scenario takes.
    let toml = stdout(&truce(&[
        "extract",
        article.to_str().unwrap(),
        "--scenario",
        SEED,
        "--source",
        "avia_grushko",
        "--date",
        "2025-03-17",
        "--format",
        "toml",
    ]));
    let seed = std::fs::read_to_string(root().join(SEED)).unwrap();
    let (parsed, diags) = truce_scenario::parse("seed+candidates", &format!("{seed}\n{toml}"));
    let parsed = parsed.unwrap_or_else(|| panic!("{diags:?}\n{toml}"));
    assert_eq!(parsed.positions.len(), 215 + candidates.len());
}
