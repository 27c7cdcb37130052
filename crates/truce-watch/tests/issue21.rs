//! Issue 21: records within physical bounds (finding 7), and verdicts that parties cannot bend
//! (finding 9).

use base64::Engine as _;
use ed25519_dalek::{Signer as _, SigningKey};
use truce_accord::Agreement;
use truce_watch::compliance::{Compliance, Status};
use truce_watch::entry::{
    AnnotationStance, Body, Confidence, Observation, Role, VerificationState, key_hex, sign,
};

fn minsk() -> Agreement {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../accords/minsk-2015.toml"
    ))
    .unwrap();
    let (a, diags) = truce_accord::parse("minsk-2015.toml", &text);
    a.unwrap_or_else(|| panic!("{diags:#?}"))
}

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
fn forge(key: &SigningKey, seq: u64, body: &Body) -> Vec<u8> {
    let author = key_hex(&key.verifying_key());
    let body = sorted(serde_json::to_value(body).unwrap());
    let signed = serde_json::json!({"author": author, "body": body, "seq": seq});
    let mut message = truce_watch::entry::CONTEXT.to_vec();
    message.extend(serde_json::to_vec(&signed).unwrap());
    let sig = base64::engine::general_purpose::STANDARD.encode(key.sign(&message).to_bytes());
    serde_json::to_vec(&serde_json::json!({"author": author, "body": body, "seq": seq, "sig": sig}))
        .unwrap()
}

/// A log under construction, with each key's count.
#[derive(Default)]
struct Log {
    seqs: std::collections::HashMap<[u8; 32], u64>,
}

impl Log {
    fn push(&mut self, c: &mut Compliance<'_>, key: &SigningKey, body: Body) -> u64 {
        let seq = self.seqs.entry(key.verifying_key().to_bytes()).or_insert(0);
        *seq += 1;
        let index = c.registry().size;
        c.apply(&sign(key, *seq, body).unwrap());
        assert!(
            !c.registry().refused.iter().any(|(i, _)| *i == index),
            "{:?}",
            c.registry().refused
        );
        index
    }
}

fn k(b: u8) -> SigningKey {
    SigningKey::from_bytes(&[b; 32])
}

fn enrol(key: &SigningKey, role: Role, party: Option<&str>) -> Body {
    Body::Enrol {
        key: key_hex(&key.verifying_key()),
        name: "x".into(),
        role,
        party: party.map(str::to_string),
    }
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

/// A log with the mission (Minsk II's first two months, default bounds), an observer and a verifier.
fn mission_log(a: &Agreement) -> (Compliance<'_>, Log) {
    let mut c = Compliance::new(a);
    let mut log = Log::default();
    let mission =
        Body::mission("test", jiff::civil::date(2015, 2, 15), jiff::civil::date(2015, 4, 15));
    log.push(&mut c, &k(1), mission);
    log.push(&mut c, &k(1), enrol(&k(2), Role::Observer, None));
    log.push(&mut c, &k(1), enrol(&k(3), Role::Verifier, None));
    log.push(&mut c, &k(1), enrol(&k(4), Role::PartyDelegate, Some("ORDLO")));
    (c, log)
}

/// Why the log refuses `bytes` as its next entry: by decoding or by its rules.
fn refusal(c: &Compliance<'_>, bytes: &[u8]) -> Option<String> {
    match truce_watch::entry::decode(bytes) {
        Err(e) => Some(e.to_string()),
        Ok(e) => c.registry().check(&e).err().map(|e| e.to_string()),
    }
}

/// Finding 7: an observation 4,294,967,295 m away at bearing 359 was accepted, and the exports placed
/// the event at latitude 38,667°. A distance beyond the mission's bound, and an event or observer
/// position off the globe, are refused with the field named.
#[test]
fn issue21_distances_and_positions_beyond_physical_bounds_are_refused() {
    let a = minsk();
    let (mut c, _) = mission_log(&a);
    let observer = k(2);
    let cases: Vec<(Observation, &str)> = vec![
        (
            Observation { bearing_deg: Some(359), distance_m: Some(u32::MAX), ..shelling() },
            "distance_m",
        ),
        (Observation { distance_m: Some(60_000), ..shelling() }, "distance_m"),
        (
            Observation {
                lat_e6: 89_990_000,
                bearing_deg: Some(0),
                distance_m: Some(20_000),
                ..shelling()
            },
            "distance_m",
        ),
        (
            Observation {
                lon_e6: 179_990_000,
                bearing_deg: Some(90),
                distance_m: Some(20_000),
                ..shelling()
            },
            "distance_m",
        ),
    ];
    for (seq, (o, field)) in cases.into_iter().enumerate() {
        let bytes = forge(&observer, seq as u64 + 1, &Body::Observation(o.clone()));
        let why = refusal(&c, &bytes).unwrap_or_else(|| {
            panic!("accepted: {:?} {:?} from {:?}", o.bearing_deg, o.distance_m, o.observer())
        });
        assert!(why.contains(field), "{why}");
        c.apply(&bytes);
    }
    assert!(c.registry().observations.is_empty(), "nothing took effect");
    // Within the bounds: accepted.
    let bytes = sign(&observer, 10, Body::Observation(shelling())).unwrap();
    assert_eq!(refusal(&c, &bytes), None);
}

/// Finding 7: an entry with sequence number 2^64 − 1 was accepted, and the key's next number wrapped to
/// 0, so the key could never sign again. Numbers from 2^63 up are refused, and the next number stays
/// usable.
#[test]
fn issue21_sequence_numbers_from_2_pow_63_are_refused_and_never_wrap() {
    let a = minsk();
    let (mut c, _) = mission_log(&a);
    let observer = k(2);
    let hex = key_hex(&observer.verifying_key());
    for seq in [u64::MAX, 1 << 63, (1 << 63) + 1] {
        let bytes = forge(&observer, seq, &Body::Observation(shelling()));
        let why = refusal(&c, &bytes).unwrap_or_else(|| panic!("seq {seq} accepted"));
        assert!(why.contains("seq"), "{why}");
        c.apply(&bytes);
        assert_eq!(c.registry().next_seq(&hex), 1, "after seq {seq}");
    }
    assert!(c.registry().observations.is_empty());
    // The next number works.
    let bytes =
        sign(&observer, c.registry().next_seq(&hex), Body::Observation(shelling())).unwrap();
    assert_eq!(refusal(&c, &bytes), None);
    c.apply(&bytes);
    assert_eq!(c.registry().next_seq(&hex), 2);
    // The last number is accepted; the key is then spent, and its next number is refused when signed,
    // with the reason, rather than wrapping.
    let last = forge(&observer, (1 << 63) - 1, &Body::Observation(shelling()));
    assert_eq!(refusal(&c, &last), None);
    c.apply(&last);
    let next = c.registry().next_seq(&hex);
    assert!(next > (1 << 63) - 1, "{next}");
    let why = sign(&observer, next, Body::Observation(shelling())).unwrap_err().to_string();
    assert!(why.contains("seq"), "{why}");
}

/// Finding 7: `start`/`end` of `+002015-03-20T06:00:00Z` were accepted, and the CSV cells began with
/// `+`. Only `YYYY-MM-DDTHH:MM:SSZ` is accepted, with a message naming the field and the form.
#[test]
fn issue21_timestamps_must_be_canonical_rfc3339_utc() {
    let a = minsk();
    let (mut c, _) = mission_log(&a);
    let observer = k(2);
    let forms = [
        "+002015-03-20T06:00:00Z",
        "2015-03-20T06:00:00+00:00",
        "2015-03-20T08:00:00+02:00",
        "2015-03-20T06:00:00.000Z",
        "2015-03-20T06:00Z",
        "2015-03-20t06:00:00z",
        "2015-03-20 06:00:00Z",
        "2015-03-20T06:00:60Z",
        "2015-02-30T06:00:00Z",
        " 2015-03-20T06:00:00Z",
    ];
    let mut seq = 0;
    for form in forms {
        for field in ["start", "end"] {
            let mut o = shelling();
            if field == "start" {
                o.start = form.into();
            } else {
                o.end = form.into();
            }
            seq += 1;
            let bytes = forge(&observer, seq, &Body::Observation(o));
            let why = refusal(&c, &bytes).unwrap_or_else(|| panic!("{field} {form:?} accepted"));
            assert!(why.contains(field) && why.contains("YYYY-MM-DDTHH:MM:SSZ"), "{form}: {why}");
            c.apply(&bytes);
        }
    }
    assert!(c.registry().observations.is_empty());
    // The observation file a person writes gets the same diagnostic.
    let text = serde_json::to_string_pretty(&Observation {
        start: "+002015-03-20T06:00:00Z".into(),
        ..shelling()
    })
    .unwrap();
    let (o, d) = truce_watch::input::parse_observation("obs.json", &text);
    assert!(o.is_none());
    assert!(
        d.iter().any(|d| d.field == "start"
            && d.expected.as_deref().is_some_and(|e| e.contains("YYYY-MM-DDTHH:MM:SSZ"))),
        "{d:?}"
    );
}

/// Finding 7: the CSV `start`/`end` and ACLED `timestamp` cells began with `+`. Every cell of both
/// exports goes through the formula defence, whatever a recorded observation holds; numbers stay
/// numbers.
#[test]
fn issue21_every_csv_and_acled_cell_is_defused() {
    let a = minsk();
    let (mut c, mut log) = mission_log(&a);
    let i = log.push(&mut c, &k(2), Body::Observation(shelling()));
    let west = log.push(
        &mut c,
        &k(2),
        Body::Observation(Observation { lat_e6: 48_070_000, lon_e6: 37_600_000, ..shelling() }),
    );
    // A registry as an older, laxer replica might hold it.
    let mut registry = c.registry().clone();
    let r = registry.observations.get_mut(&i).unwrap();
    r.observation.start = "+002015-03-20T06:00:00Z".into();
    r.observation.end = "=2015-03-20T06:30:00Z".into();
    r.observation.class = "@explosion".into();
    registry.observations.get_mut(&west).unwrap().observation.lon_e6 = -37_600_000;
    let view = truce_watch::boundary::view(truce_watch::boundary::DEFAULT_VIEW).unwrap();
    for text in [
        truce_watch::export::csv(&registry).unwrap(),
        truce_watch::export::acled(&registry, view, "=mission").unwrap(),
    ] {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 2, "{text}");
        for cell in rows.iter().flatten() {
            let number = cell.parse::<f64>().is_ok() && !cell.starts_with('+');
            assert!(
                number || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {text}"
            );
        }
        // A negative coordinate is still a number.
        assert!(
            rows.iter()
                .flatten()
                .any(|cell| cell.starts_with("-37.") && cell.parse::<f64>().is_ok()),
            "{text}"
        );
    }
}

/// The `viewBox` of the daily report's map.
fn view_box(svg: &str) -> (f64, f64) {
    let rest = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
    let mut it = rest.split('"').next().unwrap().split(' ').map(|x| x.parse::<f64>().unwrap());
    (it.next().unwrap(), it.next().unwrap())
}

/// Whether a number in `svg` is infinite (`inf` after a separator).
fn non_finite(svg: &str) -> bool {
    svg.match_indices("inf").any(|(i, _)| {
        i > 0 && matches!(svg.as_bytes()[i - 1], b'"' | b',' | b'-' | b'M' | b'L' | b' ')
    })
}

/// Finding 7: with an event at latitude 38,667° the public daily report's map collapsed to
/// `viewBox="0 0 760 1"`. Whatever the points, the map keeps a usable frame.
#[test]
fn issue21_the_daily_map_never_collapses() {
    let a = minsk();
    let (mut c, mut log) = mission_log(&a);
    log.push(&mut c, &k(2), Body::Observation(shelling()));
    let view = truce_watch::boundary::view(truce_watch::boundary::DEFAULT_VIEW).unwrap();
    let day = jiff::civil::date(2015, 3, 20);
    let base = truce_watch::report::daily(&a, &c, day, view);
    let absurd: Vec<Vec<[f64; 2]>> = vec![
        vec![[37.7, 38_667.0]],
        vec![[37.7, -38_667.0]],
        vec![[1e12, 48.0]],
        vec![[f64::NAN, 48.0], [37.7, f64::INFINITY]],
        vec![[-179.99, -89.99], [179.99, 89.99]],
        vec![[37.7, 89.99]],
        vec![[-179.99, 48.0], [179.99, 48.1]],
        vec![[37.7, 0.0], [37.7, 89.0]],
    ];
    for points in absurd {
        let mut d = base.clone();
        for p in &points {
            d.observations.push((99, "explosion".into(), *p, "received".into()));
        }
        let svg = d.map_svg(&a, view);
        let (w, h) = view_box(&svg);
        assert!(w.is_finite() && h.is_finite(), "{points:?}: {w} {h}");
        assert!((w / 4.0..=w * 2.0).contains(&h), "{points:?}: viewBox 0 0 {w} {h}");
        assert!(!svg.contains("NaN") && !non_finite(&svg), "{points:?}");
    }
}

/// Finding 9: after ORDLO's delegate filed one dispute on an observation behind `1.ceasefire.ORDLO`,
/// the status changed from verified violation to disputed. A party's denial is information, not a
/// verdict: the status stands until a verifier's transition changes it.
#[test]
fn issue21_a_dispute_does_not_bend_a_verified_violation() {
    let a = minsk();
    let (mut c, mut log) = mission_log(&a);
    let (observer, verifier, ordlo) = (k(2), k(3), k(4));
    let seen = log.push(&mut c, &observer, Body::Observation(shelling()));
    let attributed = log.push(
        &mut c,
        &verifier,
        Body::Attribution { of: seen, party: "ORDLO".into(), confidence: Confidence::High },
    );
    for to in [VerificationState::UnderReview, VerificationState::Corroborated] {
        log.push(&mut c, &verifier, Body::Verification { of: seen, to, reason: None });
    }
    let as_of = jiff::civil::date(2015, 3, 21);
    let ceasefire = |c: &Compliance<'_>| {
        c.evaluate(as_of)
            .commitments
            .into_iter()
            .find(|s| s.commitment == "1.ceasefire.ORDLO")
            .unwrap()
    };
    let before = ceasefire(&c);
    assert_eq!(before.status, Status::VerifiedViolation);
    assert!(before.evidence.contains(&seen) && before.evidence.contains(&attributed));
    let text = "No firing from our positions at that time.";
    log.push(
        &mut c,
        &ordlo,
        Body::Annotation {
            of: seen,
            party: "ORDLO".into(),
            stance: AnnotationStance::Dispute,
            text: text.into(),
        },
    );
    let dispute = c.registry().size - 1;
    let after = ceasefire(&c);
    assert_eq!(after.status, Status::VerifiedViolation, "{}", after.reason);
    assert_eq!(after.evidence, before.evidence);
    // The dispute is beside the verdict, with the party, its text and its index, in the document and
    // its renderings.
    let listed: Vec<_> = after
        .disputes
        .iter()
        .map(|d| (d.index, d.of, d.party.as_str(), d.text.as_str(), d.awaiting_review))
        .collect();
    assert_eq!(listed, vec![(dispute, seen, "ORDLO", text, true)]);
    assert!(after.reason.contains("disputed by ORDLO"), "{}", after.reason);
    let report = c.evaluate(as_of);
    let terminal = truce_watch::compliance::render_text(&report);
    assert!(terminal.contains(text) && terminal.contains("verified violation"), "{terminal}");
    let view = truce_watch::boundary::view(truce_watch::boundary::DEFAULT_VIEW).unwrap();
    let daily = truce_watch::report::daily(&a, &c, as_of, view);
    let row = daily
        .markdown()
        .lines()
        .find(|l| l.starts_with("| 1.ceasefire.ORDLO |"))
        .unwrap()
        .to_string();
    assert!(row.contains("| verified violation |") && row.contains(text), "{row}");
    assert!(daily.html(&a, view).contains(text));
    // The dispute puts the observation back in the verifiers' queue.
    let queue: Vec<u64> = c.registry().review_queue().map(|r| r.index).collect();
    assert_eq!(queue, vec![seen]);
    assert_eq!(c.registry().reopened.iter().copied().collect::<Vec<_>>(), vec![seen]);
    // Only a verifier's transition changes the verdict: taking it under review again makes the violation
    // alleged; rejecting it ends it; the dispute stays on the record.
    log.push(
        &mut c,
        &verifier,
        Body::Verification { of: seen, to: VerificationState::UnderReview, reason: None },
    );
    let reviewed = ceasefire(&c);
    assert_eq!(reviewed.status, Status::AllegedViolation, "{}", reviewed.reason);
    assert_eq!(reviewed.disputes.len(), 1);
    assert!(!reviewed.disputes[0].awaiting_review);
    log.push(
        &mut c,
        &verifier,
        Body::Verification { of: seen, to: VerificationState::Corroborated, reason: None },
    );
    assert_eq!(ceasefire(&c).status, Status::VerifiedViolation);
    assert_eq!(c.registry().review_queue().count(), 0, "answered by the verifier's decision");
    assert!(c.registry().reopened.is_empty());
    // A second dispute after that decision asks for a review again, and still changes nothing.
    log.push(
        &mut c,
        &ordlo,
        Body::Annotation {
            of: seen,
            party: "ORDLO".into(),
            stance: AnnotationStance::Dispute,
            text: "We dispute it again.".into(),
        },
    );
    assert_eq!(ceasefire(&c).status, Status::VerifiedViolation);
    assert_eq!(c.registry().review_queue().map(|r| r.index).collect::<Vec<_>>(), vec![seen]);
    log.push(
        &mut c,
        &verifier,
        Body::Verification { of: seen, to: VerificationState::UnderReview, reason: None },
    );
    log.push(
        &mut c,
        &verifier,
        Body::Verification {
            of: seen,
            to: VerificationState::Rejected,
            reason: Some("the sound came from a quarry".into()),
        },
    );
    let rejected = ceasefire(&c);
    assert_eq!(rejected.status, Status::Compliant, "{}", rejected.reason);
}

/// The mission declares its largest observation distance; a mission entry without it (a log written
/// before the field existed) keeps its bytes and gets the documented default.
#[test]
fn issue21_the_mission_declares_its_largest_distance() {
    use truce_watch::entry::DEFAULT_MAX_DISTANCE_M;
    let a = minsk();
    let old = Body::Mission {
        name: "m".into(),
        start: "2015-02-15".into(),
        end: "2015-04-15".into(),
        classes: vec!["explosion".into()],
        max_distance_m: None,
    };
    let bytes = sign(&k(1), 1, old).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(!text.contains("max_distance_m"), "{text}");
    let decoded = truce_watch::entry::decode(&bytes).unwrap();
    assert_eq!(sign(&k(1), 1, decoded.body).unwrap(), bytes, "the same bytes");
    let mut c = Compliance::new(&a);
    c.apply(&bytes);
    assert_eq!(c.registry().mission.as_ref().unwrap().max_distance_m, DEFAULT_MAX_DISTANCE_M);
    // A declared bound is the bound; an absurd one is refused.
    for (declared, accepted) in [(Some(10_000), true), (Some(0), false), (Some(u32::MAX), false)] {
        let body = Body::Mission {
            name: "m".into(),
            start: "2015-02-15".into(),
            end: "2015-04-15".into(),
            classes: vec!["explosion".into()],
            max_distance_m: declared,
        };
        let mut c = Compliance::new(&a);
        c.apply(&sign(&k(1), 1, body).unwrap());
        assert_eq!(c.registry().mission.is_some(), accepted, "{declared:?}");
        if accepted {
            c.apply(&sign(&k(1), 2, enrol(&k(2), Role::Observer, None)).unwrap());
            let far = Observation { distance_m: Some(12_000), ..shelling() };
            let e = truce_watch::entry::decode(&sign(&k(2), 1, Body::Observation(far)).unwrap())
                .unwrap();
            let why = c.registry().check(&e).unwrap_err();
            assert!(matches!(why, truce_watch::Error::OutOfBounds(_)), "{why}");
            assert!(why.to_string().contains("distance_m: 12000 m"), "{why}");
        }
    }
    // The demo declares it.
    let demo = truce_watch::generate::generate(&a, 1, 45).unwrap();
    let first = String::from_utf8(demo.entries[0].clone()).unwrap();
    assert!(first.contains(&format!("\"max_distance_m\":{DEFAULT_MAX_DISTANCE_M}")), "{first}");
}

/// The entry fuzz target's corpus holds each form of finding 7, alone and as a log after a mission
/// and an enrolment (one entry a line, as the target replays them); each is refused. Rewritten with
/// `UPDATE_CORPUS=1` (the signatures are deterministic, so the bytes are too).
#[test]
fn issue21_the_entry_fuzz_corpus_holds_each_absurd_form() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/entry");
    let observer = k(2);
    let forms: Vec<(&str, Vec<u8>)> = vec![
        (
            "issue21-distance-off-the-globe",
            forge(
                &observer,
                1,
                &Body::Observation(Observation {
                    bearing_deg: Some(359),
                    distance_m: Some(u32::MAX),
                    ..shelling()
                }),
            ),
        ),
        (
            "issue21-distance-beyond-the-mission",
            forge(
                &observer,
                1,
                &Body::Observation(Observation { distance_m: Some(60_000), ..shelling() }),
            ),
        ),
        (
            "issue21-seq-2-pow-64-minus-1",
            forge(&observer, u64::MAX, &Body::Observation(shelling())),
        ),
        ("issue21-seq-2-pow-63", forge(&observer, 1 << 63, &Body::Observation(shelling()))),
        (
            "issue21-signed-year",
            forge(
                &observer,
                1,
                &Body::Observation(Observation {
                    start: "+002015-03-20T06:00:00Z".into(),
                    end: "+002015-03-20T06:30:00Z".into(),
                    ..shelling()
                }),
            ),
        ),
    ];
    let mission =
        Body::mission("test", jiff::civil::date(2015, 2, 15), jiff::civil::date(2015, 4, 15));
    let mut log = vec![
        sign(&k(1), 1, mission).unwrap(),
        sign(&k(1), 2, enrol(&observer, Role::Observer, None)).unwrap(),
    ];
    log.extend(forms.iter().map(|(_, bytes)| bytes.clone()));
    let joined = log.join(&b'\n');
    let update = std::env::var_os("UPDATE_CORPUS").is_some();
    for (name, bytes) in forms.iter().map(|(n, b)| (*n, b)).chain([("issue21-log", &joined)]) {
        let path = dir.join(name);
        if update {
            std::fs::write(&path, bytes).unwrap();
        }
        assert_eq!(
            std::fs::read(&path).ok().as_ref(),
            Some(bytes),
            "{} is not what this test makes: rewrite the corpus with UPDATE_CORPUS=1",
            path.display()
        );
    }
    let a = minsk();
    let mut c = Compliance::new(&a);
    for line in joined.split(|b| *b == b'\n') {
        c.apply(line);
    }
    assert_eq!(c.registry().size, 2 + forms.len() as u64);
    assert_eq!(c.registry().refused.len(), forms.len(), "{:?}", c.registry().refused);
}

/// A review of issue 21's fix: the accused party filing thousands of long disputes of one observation
/// must not make every report of the agreement carry all of them. A report shows each party's latest
/// dispute of each observation, its text cut at `DISPUTE_TEXT_SHOWN` characters.
#[test]
fn issue21_a_flood_of_disputes_adds_one_short_line_per_party() {
    let a = minsk();
    let (mut c, mut log) = mission_log(&a);
    let (observer, verifier, ordlo) = (k(2), k(3), k(4));
    let seen = log.push(&mut c, &observer, Body::Observation(shelling()));
    log.push(
        &mut c,
        &verifier,
        Body::Attribution { of: seen, party: "ORDLO".into(), confidence: Confidence::High },
    );
    for to in [VerificationState::UnderReview, VerificationState::Corroborated] {
        log.push(&mut c, &verifier, Body::Verification { of: seen, to, reason: None });
    }
    let long = "x".repeat(4 * truce_watch::compliance::DISPUTE_TEXT_SHOWN);
    for k in 0..200 {
        log.push(
            &mut c,
            &ordlo,
            Body::Annotation {
                of: seen,
                party: "ORDLO".into(),
                stance: AnnotationStance::Dispute,
                text: format!("{k} {long}"),
            },
        );
    }
    let last = c.registry().size - 1;
    let report = c.evaluate(jiff::civil::date(2015, 3, 21));
    let standing = report.commitments.iter().find(|s| s.commitment == "1.ceasefire.ORDLO").unwrap();
    assert_eq!(standing.status, Status::VerifiedViolation);
    assert_eq!(standing.disputes.len(), 1, "every dispute listed");
    assert_eq!(standing.disputes[0].index, last, "not the latest");
    let shown = &standing.disputes[0].text;
    assert!(shown.starts_with("199 ") && shown.ends_with('…'), "{}", shown.len());
    assert_eq!(shown.chars().count(), truce_watch::compliance::DISPUTE_TEXT_SHOWN + 1);
}
