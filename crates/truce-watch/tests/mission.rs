//! Compliance over a generated mission matches what the generator planted; the log's rules hold.

// Tests print the figures they measure, as the test runner shows them.
#![allow(clippy::print_stdout)]

use ed25519_dalek::SigningKey;
use truce_accord::Agreement;
use truce_watch::compliance::{Compliance, Status};
use truce_watch::entry::{AnnotationStance, Body, Role, VerificationState, key_hex, sign};
use truce_watch::generate::generate;

fn minsk() -> Agreement {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../accords/minsk-2015.toml"
    ))
    .unwrap();
    let (a, diags) = truce_accord::parse("minsk-2015.toml", &text);
    a.unwrap_or_else(|| panic!("{diags:#?}"))
}

#[test]
fn sixty_days_of_generated_mission_give_the_planted_statuses() {
    let a = minsk();
    let mission = generate(&a, 7, 60).unwrap();
    let mut c = Compliance::new(&a);
    for e in &mission.entries {
        c.apply(e);
    }
    assert!(c.registry().refused.is_empty(), "{:?}", c.registry().refused);
    let report = c.evaluate(mission.last_day);
    println!("{} entries; as of {}", mission.entries.len(), mission.last_day);
    print!("{}", truce_watch::compliance::render_text(&report));
    assert_eq!(report.commitments.len(), mission.planted.len());
    for p in &mission.planted {
        let s = report.commitments.iter().find(|s| s.commitment == p.commitment).unwrap();
        assert_eq!(s.status, p.status, "{}", p.commitment);
        assert_eq!(s.pam_score, p.pam_score, "{}", p.commitment);
        let span = s.violation_days.first().zip(s.violation_days.last()).map(|(x, y)| (*x, *y));
        assert_eq!(span, p.violations, "{}", p.commitment);
        if s.status != Status::Compliant {
            assert!(!s.evidence.is_empty(), "{} cites its evidence", p.commitment);
        }
    }
    // Every cited index is an entry of the log.
    for s in &report.commitments {
        assert!(s.evidence.iter().all(|i| (*i as usize) < mission.entries.len()));
    }
    // Not machine-checkable commitments are listed with their reasons.
    assert!(report.not_checkable.iter().any(|(id, _)| id == "5.UKR_GOV"));
    // The same seed gives the same bytes.
    let again = generate(&a, 7, 60).unwrap();
    assert_eq!(again.entries, mission.entries);
}

#[derive(Default)]
struct Log {
    entries: Vec<Vec<u8>>,
    seqs: std::collections::HashMap<[u8; 32], u64>,
}

impl Log {
    /// Signs `body` with the key's next sequence number.
    fn sign(&mut self, key: &SigningKey, body: Body) -> Vec<u8> {
        let seq = self.seqs.entry(key.verifying_key().to_bytes()).or_insert(0);
        *seq += 1;
        sign(key, *seq, body).unwrap()
    }

    fn push(&mut self, c: &mut Compliance<'_>, key: &SigningKey, body: Body) -> u64 {
        let bytes = self.sign(key, body);
        c.apply(&bytes);
        self.entries.push(bytes);
        self.entries.len() as u64 - 1
    }
}

/// A mission entry for Minsk II's first two months, with the standard classes.
fn mission_body(name: &str) -> Body {
    Body::mission(name, jiff::civil::date(2015, 2, 15), jiff::civil::date(2015, 4, 15))
}

#[test]
fn separation_of_duties_disputes_and_corrections() {
    let a = minsk();
    let k = |b: u8| SigningKey::from_bytes(&[b; 32]);
    let (mission, observer, verifier, ordlo) = (k(1), k(2), k(3), k(4));
    let mut c = Compliance::new(&a);
    let mut log = Log::default();
    log.push(&mut c, &mission, mission_body("test"));
    for (key, role, party) in [
        (&observer, Role::Observer, None),
        (&verifier, Role::Verifier, None),
        (&ordlo, Role::PartyDelegate, Some("ORDLO".to_string())),
    ] {
        let body =
            Body::Enrol { key: key_hex(&key.verifying_key()), name: "x".into(), role, party };
        log.push(&mut c, &mission, body);
    }
    // ORDLO MLRS inside its 35 km zone on day 20, after the day-16 deadline.
    let day20 = "2015-03-06";
    let mut o = truce_watch::entry::Observation {
        start: format!("{day20}T10:00:00Z"),
        end: format!("{day20}T10:30:00Z"),
        lat_e6: 48_100_000,
        lon_e6: 38_100_000,
        controlled_by: "ORDLO".into(),
        sensor: "saw".into(),
        class: "weapon_sighting".into(),
        count: 4,
        approximate: false,
        bearing_deg: None,
        distance_m: None,
        weapon: Some(truce_watch::entry::Weapon { class: "mlrs".into(), calibre_mm: Some(122) }),
        media: Vec::new(),
        note: String::new(),
    };
    assert!(a.zone("ordlo_mlrs_35km").unwrap().contains(o.observer()));
    let seen = log.push(&mut c, &observer, Body::Observation(o.clone()));
    let as_of = jiff::civil::date(2015, 3, 7);
    let status = |c: &Compliance<'_>| {
        c.evaluate(as_of).commitments.into_iter().find(|s| s.commitment == "2.mlrs.ORDLO").unwrap()
    };
    assert_eq!(status(&c).status, Status::AllegedViolation);

    // The observer cannot verify its own observation: refused, and without effect.
    let own = log.sign(
        &observer,
        Body::Verification { of: seen, to: VerificationState::UnderReview, reason: None },
    );
    let entry = truce_watch::entry::decode(&own).unwrap();
    let refusal = c.registry().check(&entry).unwrap_err().to_string();
    assert!(
        refusal.contains("enrolled as Observer") || refusal.contains("separation of duties"),
        "{refusal}"
    );
    c.apply(&own);
    log.entries.push(own);
    assert_eq!(c.registry().observations[&seen].state, VerificationState::Received);
    assert_eq!(c.registry().refused.len(), 1);
    // Not even a verifier key held by the same author: enrol the observer's key again as verifier is refused too.
    let twice = Body::Enrol {
        key: key_hex(&observer.verifying_key()),
        name: "y".into(),
        role: Role::Verifier,
        party: None,
    };
    assert!(
        c.registry()
            .check(&truce_watch::entry::decode(&log.sign(&mission, twice)).unwrap())
            .is_err()
    );

    // Another verifier corroborates it: a verified violation.
    let review = log.push(
        &mut c,
        &verifier,
        Body::Verification { of: seen, to: VerificationState::UnderReview, reason: None },
    );
    let done = log.push(
        &mut c,
        &verifier,
        Body::Verification { of: seen, to: VerificationState::Corroborated, reason: None },
    );
    let s = status(&c);
    assert_eq!(s.status, Status::VerifiedViolation);
    assert_eq!(s.evidence, vec![seen, review, done]);

    // ORDLO's delegate disputes it: still a verified violation (only a verifier revises a verdict), with
    // the dispute listed beside it.
    let dispute = log.push(
        &mut c,
        &ordlo,
        Body::Annotation {
            of: seen,
            party: "ORDLO".into(),
            stance: AnnotationStance::Dispute,
            text: "Those launchers are decoys.".into(),
        },
    );
    let s = status(&c);
    assert_eq!(s.status, Status::VerifiedViolation);
    assert_eq!(s.evidence, vec![seen, review, done]);
    assert_eq!(
        s.disputes.iter().map(|d| (d.index, d.of, d.party.as_str())).collect::<Vec<_>>(),
        vec![(dispute, seen, "ORDLO")]
    );
    // A delegate cannot speak for another party.
    let other = log.sign(
        &ordlo,
        Body::Annotation {
            of: seen,
            party: "UKR_GOV".into(),
            stance: AnnotationStance::Concur,
            text: "x".into(),
        },
    );
    assert!(c.registry().check(&truce_watch::entry::decode(&other).unwrap()).is_err());

    // The observer corrects it (the launchers were 50 km out, outside the zone): the old version no
    // longer counts, and both stay in the log.
    o.lon_e6 = 39_500_000;
    o.lat_e6 = 47_600_000;
    assert!(!a.zone("ordlo_mlrs_35km").unwrap().contains(o.observer()));
    let fixed = log.push(
        &mut c,
        &observer,
        Body::Correction { supersedes: seen, observation: o, reason: "position misread".into() },
    );
    let s = status(&c);
    assert_eq!(s.status, Status::Compliant, "{s:?}");
    assert_eq!(c.registry().observations[&seen].superseded_by, Some(fixed));
    assert!(
        c.registry().observations.contains_key(&seen)
            && c.registry().observations.contains_key(&fixed)
    );
    assert_eq!(log.entries.len() as u64, c.registry().size);
    // Only its author corrects an observation.
    let foreign = log.sign(
        &verifier,
        Body::Correction {
            supersedes: fixed,
            observation: c.registry().observations[&fixed].observation.clone(),
            reason: "x".into(),
        },
    );
    assert!(c.registry().check(&truce_watch::entry::decode(&foreign).unwrap()).is_err());
}

#[test]
fn entries_have_one_canonical_form_and_bad_bytes_are_refused() {
    let key = SigningKey::from_bytes(&[9; 32]);
    let bytes = sign(&key, 1, mission_body("m")).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.starts_with("{\"author\":\"") && !text.contains(' '), "{text}");
    truce_watch::entry::decode(&bytes).unwrap();
    // Whitespace, reordered keys, an unknown field, a changed byte: all refused.
    let spaced = text.replacen(',', ", ", 1);
    assert!(
        truce_watch::entry::decode(spaced.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("canonical")
    );
    let extra = text.replacen("\"kind\"", "\"extra\":1,\"kind\"", 1);
    assert!(truce_watch::entry::decode(extra.as_bytes()).is_err());
    let forged = text.replacen("\"name\":\"m\"", "\"name\":\"n\"", 1);
    assert!(
        truce_watch::entry::decode(forged.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("signature")
    );
    for junk in [&b""[..], b"{}", b"[1]", b"\xff", b"{\"author\":1}"] {
        assert!(truce_watch::entry::decode(junk).is_err());
    }
}

#[test]
fn incremental_compliance_equals_a_recompute_of_every_prefix() {
    let a = minsk();
    let mission = generate(&a, 11, 50).unwrap();
    let mut incremental = Compliance::new(&a);
    let step = mission.entries.len() / 12;
    for (i, e) in mission.entries.iter().enumerate() {
        incremental.apply(e);
        if i % step == step - 1 || i + 1 == mission.entries.len() {
            let mut fresh = incremental.clone();
            fresh.recount();
            for day in [a.day_one, mission.last_day, jiff::civil::date(2015, 3, 20)] {
                assert_eq!(
                    incremental.evaluate(day),
                    fresh.evaluate(day),
                    "prefix {} as of {day}",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn body_kind_matches_the_encoded_kind() {
    let a = minsk();
    let mission = generate(&a, 2, 45).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for bytes in &mission.entries {
        let e = truce_watch::entry::decode(bytes).unwrap();
        let v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        assert_eq!(v["body"]["kind"], e.body.kind());
        seen.insert(e.body.kind());
    }
    assert!(seen.len() >= 7, "{seen:?}");
}

/// Issue 10, finding 1: a party's insider re-posted verifier entries copied from the public tiles, and a
/// verified violation went back to "alleged"; re-posting an observation doubled a day's count. Every copy
/// of an entry already on the log is now refused by the log's rules, with no effect, on every replica.
#[test]
fn issue10_replayed_entries_are_refused_and_change_nothing() {
    let a = minsk();
    let mission = generate(&a, 7, 60).unwrap();
    let mut c = Compliance::new(&a);
    for e in &mission.entries {
        c.apply(e);
    }
    let before = c.evaluate(mission.last_day);
    let ceasefire = |r: &truce_watch::compliance::Report| {
        r.commitments.iter().find(|s| s.commitment == "1.ceasefire.ORDLO").unwrap().status
    };
    assert_eq!(ceasefire(&before), Status::VerifiedViolation);
    // Every verification entry, and every observation, re-posted at the end of the log.
    let mut replays = 0;
    for bytes in &mission.entries {
        let e = truce_watch::entry::decode(bytes).unwrap();
        if matches!(e.body, Body::Verification { .. } | Body::Observation(_)) {
            let refusal = c.registry().check(&e).unwrap_err();
            assert!(matches!(refusal, truce_watch::Error::Replayed(_)), "{refusal}");
            c.apply(bytes);
            replays += 1;
        }
    }
    assert!(replays > 100, "{replays}");
    assert_eq!(c.registry().refused.len(), replays);
    assert_eq!(c.evaluate(mission.last_day), {
        let mut r = before.clone();
        r.refused = c.evaluate(mission.last_day).refused;
        r.log_size = c.registry().size;
        r
    });
    assert_eq!(ceasefire(&c.evaluate(mission.last_day)), Status::VerifiedViolation);
    // The key's next entry must carry a larger number; a fresh number is accepted.
    let verifier = &mission.keys.iter().find(|(n, _)| n == "verifier-1").unwrap().1;
    let hex = key_hex(&verifier.verifying_key());
    let next = c.registry().next_seq(&hex);
    let of = *c
        .registry()
        .observations
        .keys()
        .find(|i| {
            let r = &c.registry().observations[i];
            r.author != hex && r.state == VerificationState::Corroborated
        })
        .unwrap();
    let old = sign(
        verifier,
        next - 1,
        Body::Verification { of, to: VerificationState::UnderReview, reason: None },
    )
    .unwrap();
    assert!(matches!(
        c.registry().check(&truce_watch::entry::decode(&old).unwrap()),
        Err(truce_watch::Error::Replayed(_))
    ));
    let fresh = sign(
        verifier,
        next,
        Body::Verification { of, to: VerificationState::UnderReview, reason: None },
    )
    .unwrap();
    c.registry().check(&truce_watch::entry::decode(&fresh).unwrap()).unwrap();
}

/// Issue 10, finding 3: observations dated 9999-12-30 and 0001-01-01 were accepted, and a class holding
/// newlines and `|` forged report rows. The mission entry declares its period and classes; the rules
/// refuse the rest, and the default date is today clipped into the period, which no observation moves.
#[test]
fn issue10_observations_outside_the_period_or_vocabulary_are_refused() {
    let a = minsk();
    let k = |b: u8| SigningKey::from_bytes(&[b; 32]);
    let (mission, observer) = (k(1), k(2));
    let mut c = Compliance::new(&a);
    let mut log = Log::default();
    // A mission entry with a bad period or vocabulary is refused (and the log still has no mission).
    for bad in [
        Body::Mission {
            name: "m".into(),
            start: "2015-04-15".into(),
            end: "2015-02-15".into(),
            classes: vec!["patrol".into()],
            max_distance_m: None,
        },
        Body::Mission {
            name: "m".into(),
            start: "2015-2-15".into(),
            end: "2015-04-15".into(),
            classes: vec!["patrol".into()],
            max_distance_m: None,
        },
        Body::Mission {
            name: "m".into(),
            start: "2015-02-15".into(),
            end: "2015-04-15".into(),
            classes: vec![],
            max_distance_m: None,
        },
        Body::Mission {
            name: "m".into(),
            start: "2015-02-15".into(),
            end: "2015-04-15".into(),
            classes: vec!["a|b\n".into()],
            max_distance_m: None,
        },
    ] {
        let e = truce_watch::entry::decode(&log.sign(&mission, bad)).unwrap();
        assert!(c.registry().check(&e).is_err());
    }
    log.push(&mut c, &mission, mission_body("test"));
    log.push(
        &mut c,
        &mission,
        Body::Enrol {
            key: key_hex(&observer.verifying_key()),
            name: "o".into(),
            role: Role::Observer,
            party: None,
        },
    );
    assert!(c.registry().refused.is_empty(), "{:?}", c.registry().refused);
    let obs = |start: &str, class: &str| truce_watch::entry::Observation {
        start: start.into(),
        end: start.into(),
        lat_e6: 48_100_000,
        lon_e6: 38_100_000,
        controlled_by: "ORDLO".into(),
        sensor: "heard".into(),
        class: class.into(),
        count: 1,
        approximate: false,
        bearing_deg: None,
        distance_m: None,
        weapon: None,
        media: Vec::new(),
        note: String::new(),
    };
    for (start, class, why) in [
        ("9999-12-30T10:00:00Z", "explosion", "outside the mission's period"),
        ("0001-01-01T10:00:00Z", "explosion", "outside the mission's period"),
        ("2015-04-16T00:00:00Z", "explosion", "outside the mission's period"),
        ("2015-03-01T10:00:00Z", "explosion\n|x|compliant|", "not one of the mission's classes"),
        ("2015-03-01T10:00:00Z", "meteor", "not one of the mission's classes"),
    ] {
        let e =
            truce_watch::entry::decode(&log.sign(&observer, Body::Observation(obs(start, class))))
                .unwrap();
        let refusal = c.registry().check(&e).unwrap_err().to_string();
        assert!(refusal.contains(why), "{start} {class:?}: {refusal}");
        c.apply_entry(&e);
    }
    assert!(c.registry().observations.is_empty());
    assert_eq!(c.registry().last_day(), None);
    // The first and last days are inside.
    for start in ["2015-02-15T00:00:00Z", "2015-04-15T23:59:59Z"] {
        log.push(&mut c, &observer, Body::Observation(obs(start, "explosion")));
    }
    assert_eq!(c.registry().observations.len(), 2);
    // The default date is today clipped into the period.
    let r = c.registry();
    assert_eq!(r.default_day(jiff::civil::date(2026, 11, 29)), jiff::civil::date(2015, 4, 15));
    assert_eq!(r.default_day(jiff::civil::date(2015, 3, 3)), jiff::civil::date(2015, 3, 3));
    assert_eq!(r.default_day(jiff::civil::date(2000, 1, 1)), jiff::civil::date(2015, 2, 15));
}

/// Issue 10, finding 3: free text with newlines and `|` forged "compliant" rows in the daily report's
/// Markdown table. Every string from an entry now stays inside its cell, in Markdown and in CSV.
#[test]
fn issue10_free_text_stays_inside_its_cell_in_markdown_and_csv() {
    let a = minsk();
    let k = |b: u8| SigningKey::from_bytes(&[b; 32]);
    let (mission, observer) = (k(1), k(2));
    let mut c = Compliance::new(&a);
    let mut log = Log::default();
    log.push(&mut c, &mission, mission_body("test"));
    let enrol = Body::Enrol {
        key: key_hex(&observer.verifying_key()),
        name: "o".into(),
        role: Role::Observer,
        party: None,
    };
    log.push(&mut c, &mission, enrol);
    let forged = "ORDLO\n| 1.ceasefire.ORDLO | compliant | 3 | 0 | |\n| 2.mlrs.ORDLO | compliant | 3 | 0 | |";
    let o = truce_watch::entry::Observation {
        start: "2015-03-01T10:00:00Z".into(),
        end: "2015-03-01T10:30:00Z".into(),
        lat_e6: 48_100_000,
        lon_e6: 38_100_000,
        controlled_by: forged.into(),
        sensor: "=HYPERLINK(\"http://x\")".into(),
        class: "access_restriction".into(),
        count: 1,
        approximate: false,
        bearing_deg: None,
        distance_m: None,
        weapon: Some(truce_watch::entry::Weapon { class: "a|b\nc".into(), calibre_mm: None }),
        media: Vec::new(),
        note: "x\n|y|".into(),
    };
    log.push(&mut c, &observer, Body::Observation(o));
    assert!(c.registry().refused.is_empty(), "{:?}", c.registry().refused);
    let view = truce_watch::boundary::view(truce_watch::boundary::DEFAULT_VIEW).unwrap();
    let md = truce_watch::report::daily(&a, &c, jiff::civil::date(2015, 3, 1), view).markdown();
    // Each table row has as many unescaped cell separators as its header; no line starts a forged row.
    let cells = |line: &str| {
        let b = line.as_bytes();
        (0..b.len()).filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\')).count()
    };
    let mut header = 0;
    for line in md.lines() {
        if line.starts_with("| ") && header == 0 {
            header = cells(line);
        } else if line.starts_with('|') {
            assert_eq!(cells(line), header, "{line}");
        } else {
            header = 0;
        }
        assert!(!line.starts_with("| 1.ceasefire.ORDLO | compliant | 3 | 0 | |"), "{line}");
    }
    assert!(md.contains("ORDLO \\| 1.ceasefire.ORDLO \\| compliant"), "{md}");
    // CSV: one record per observation, every record as wide as the header, formulas defused.
    for text in [
        truce_watch::export::csv(c.registry()).unwrap(),
        truce_watch::export::acled(c.registry(), view, "m").unwrap(),
    ] {
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let width = r.headers().unwrap().len();
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(rows.len(), 1, "{text}");
        assert_eq!(rows[0].len(), width);
        assert!(rows[0].iter().all(|f| !f.starts_with('=')), "{:?}", rows[0]);
    }
}
