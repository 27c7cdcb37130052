//! Compliance over a generated mission matches what the generator planted; the log's rules hold.

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
    for s in &report.commitments {
        println!(
            "{:<22} {:<22} PAM {}  {} violation day(s)  {}",
            s.commitment,
            s.status.as_str(),
            s.pam_score,
            s.violation_days.len(),
            s.reason
        );
    }
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

struct Log {
    entries: Vec<Vec<u8>>,
}

impl Log {
    fn push(&mut self, c: &mut Compliance<'_>, key: &SigningKey, body: Body) -> u64 {
        let bytes = sign(key, body).unwrap();
        c.apply(&bytes);
        self.entries.push(bytes);
        self.entries.len() as u64 - 1
    }
}

#[test]
fn separation_of_duties_disputes_and_corrections() {
    let a = minsk();
    let k = |b: u8| SigningKey::from_bytes(&[b; 32]);
    let (mission, observer, verifier, ordlo) = (k(1), k(2), k(3), k(4));
    let mut c = Compliance::new(&a);
    let mut log = Log { entries: Vec::new() };
    log.push(&mut c, &mission, Body::Mission { name: "test".into() });
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
    let own = sign(
        &observer,
        Body::Verification { of: seen, to: VerificationState::UnderReview, reason: None },
    )
    .unwrap();
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
            .check(&truce_watch::entry::decode(&sign(&mission, twice).unwrap()).unwrap())
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

    // ORDLO's delegate disputes it: disputed, citing the observation and the dispute.
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
    assert_eq!(s.status, Status::Disputed);
    assert!(s.evidence.contains(&seen) && s.evidence.contains(&dispute), "{:?}", s.evidence);
    // A delegate cannot speak for another party.
    let other = sign(
        &ordlo,
        Body::Annotation {
            of: seen,
            party: "UKR_GOV".into(),
            stance: AnnotationStance::Concur,
            text: "x".into(),
        },
    )
    .unwrap();
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
    let foreign = sign(
        &verifier,
        Body::Correction {
            supersedes: fixed,
            observation: c.registry().observations[&fixed].observation.clone(),
            reason: "x".into(),
        },
    )
    .unwrap();
    assert!(c.registry().check(&truce_watch::entry::decode(&foreign).unwrap()).is_err());
}

#[test]
fn entries_have_one_canonical_form_and_bad_bytes_are_refused() {
    let key = SigningKey::from_bytes(&[9; 32]);
    let bytes = sign(&key, Body::Mission { name: "m".into() }).unwrap();
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
