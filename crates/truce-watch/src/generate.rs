//! A seeded demo mission over the Minsk II zones: SMM-like traffic with planted violations.
//!
//! Every run with the same seed and length writes the same entries, byte for byte. Besides background
//! traffic (daily patrols, unattributed explosions, weapons seen away from the zones, verifications,
//! concurring and disputing annotations, corrections, a rejected duplicate), it plants:
//! - a hot zone near Avdiivka where fire attributed to ORDLO is verified every day from day 30;
//! - late withdrawals: UKR_GOV artillery stays in its 25 km zone until day 19, ORDLO MLRS in its 35 km
//!   zone until day 22, both due by day 16; the other bands leave by day 10;
//! - ORDLO restricting access on days 40–42 (verified), UKR_GOV restricting access on the last day
//!   (not yet verified).
//!
//! [`Mission::planted`] states what the compliance of the last day must be; the tests hold it to that.

use ed25519_dalek::SigningKey;
use jiff::civil::Date;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use truce_accord::Agreement;
use truce_accord::geo::{self, Point};

use crate::Error;
use crate::compliance::Status;
use crate::entry::{
    AnnotationStance, Body, Confidence, Observation, Role, VerificationState, Weapon, key_hex, sign,
};

/// What the compliance of the mission's last day must say about one commitment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    /// The commitment id.
    pub commitment: String,
    /// Its status on the last day.
    pub status: Status,
    /// Its PAM score on the last day.
    pub pam_score: u8,
    /// The first and last days of verified violation, if any.
    pub violations: Option<(Date, Date)>,
}

/// A generated mission.
#[derive(Debug, Clone)]
pub struct Mission {
    /// The log entries, in order.
    pub entries: Vec<Vec<u8>>,
    /// The expected compliance on the last day.
    pub planted: Vec<Planted>,
    /// The last day.
    pub last_day: Date,
    /// The keys, by name (the mission, observers, verifiers, party delegates), for demos and tests.
    pub keys: Vec<(String, SigningKey)>,
}

/// A planted withdrawal: party, weapon class, calibre, last day in the zone, km from the line, and
/// whether it is on UKR_GOV's side.
type Band = (&'static str, &'static str, Option<u32>, u32, u32, bool);

struct Writer {
    entries: Vec<Vec<u8>>,
    /// The last sequence number each key signed.
    seqs: std::collections::HashMap<[u8; 32], u64>,
}

impl Writer {
    fn push(&mut self, key: &SigningKey, body: Body) -> Result<u64, Error> {
        let seq = self.seqs.entry(key.verifying_key().to_bytes()).or_insert(0);
        *seq += 1;
        self.entries.push(sign(key, *seq, body)?);
        Ok(self.entries.len() as u64 - 1)
    }
}

fn line(a: &Agreement, id: &str) -> Result<Vec<Point>, Error> {
    match a.zone(id).map(|z| &z.shape) {
        Some(truce_accord::Shape::Line(p)) => Ok(p.clone()),
        _ => Err(Error::Malformed(format!("the agreement has no line zone `{id}`"))),
    }
}

/// A point along `line`, a fraction `t` of the way by vertices.
fn along(line: &[Point], t: f64) -> Point {
    let x = t.clamp(0.0, 0.999_999) * (line.len() - 1) as f64;
    let (i, f) = (x.floor() as usize, x.fract());
    [line[i][0] + f * (line[i + 1][0] - line[i][0]), line[i][1] + f * (line[i + 1][1] - line[i][1])]
}

fn at(day: Date, hour: i8, minutes: i8, duration_min: i64) -> (String, String) {
    let start = day.at(hour, minutes, 0, 0);
    let end = start.checked_add(jiff::Span::new().minutes(duration_min)).unwrap_or(start);
    (format!("{start}Z"), format!("{end}Z"))
}

fn observation(
    day: Date,
    hour: i8,
    p: Point,
    controlled_by: &str,
    class: &str,
    count: u32,
) -> Observation {
    let (start, end) = at(day, hour, 0, 50);
    Observation {
        start,
        end,
        lat_e6: (p[1] * 1e6).round() as i64,
        lon_e6: (p[0] * 1e6).round() as i64,
        controlled_by: controlled_by.into(),
        sensor: "saw".into(),
        class: class.into(),
        count,
        approximate: false,
        bearing_deg: None,
        distance_m: None,
        weapon: None,
        media: Vec::new(),
        note: String::new(),
    }
}

/// Generates `days` days of mission traffic from the agreement's day one.
pub fn generate(a: &Agreement, seed: u64, days: u32) -> Result<Mission, Error> {
    generate_dense(a, seed, days, None)
}

/// Like [`generate`], with `background` unattributed explosion reports a day instead of one to four,
/// one in sixteen of them verified (for benchmarks: a million observations in 60 days). The planted
/// violations are the same.
pub fn generate_dense(
    a: &Agreement,
    seed: u64,
    days: u32,
    background: Option<u32>,
) -> Result<Mission, Error> {
    if days < 45 {
        return Err(Error::Malformed("the demo mission needs at least 45 days".into()));
    }
    let contact = line(a, "contact_line")?;
    let memo = line(a, "memorandum_line")?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let key = |rng: &mut ChaCha8Rng| SigningKey::from_bytes(&rng.random::<[u8; 32]>());
    let mission = key(&mut rng);
    let observers: Vec<SigningKey> = (0..6).map(|_| key(&mut rng)).collect();
    let verifiers: Vec<SigningKey> = (0..2).map(|_| key(&mut rng)).collect();
    let delegates = [("UKR_GOV", key(&mut rng)), ("ORDLO", key(&mut rng))];
    let mut w = Writer { entries: Vec::new(), seqs: Default::default() };
    let end = a
        .day_one
        .checked_add(jiff::Span::new().days(i64::from(days) - 1))
        .map_err(|e| Error::Malformed(e.to_string()))?;
    w.push(&mission, Body::mission("Demo mission over the Minsk II zones", a.day_one, end))?;
    let mut keys = vec![("mission".to_string(), mission.clone())];
    for (i, k) in observers.iter().enumerate() {
        let name = format!("observer-{}", i + 1);
        w.push(
            &mission,
            Body::Enrol {
                key: key_hex(&k.verifying_key()),
                name: name.clone(),
                role: Role::Observer,
                party: None,
            },
        )?;
        keys.push((name, k.clone()));
    }
    for (i, k) in verifiers.iter().enumerate() {
        let name = format!("verifier-{}", i + 1);
        w.push(
            &mission,
            Body::Enrol {
                key: key_hex(&k.verifying_key()),
                name: name.clone(),
                role: Role::Verifier,
                party: None,
            },
        )?;
        keys.push((name, k.clone()));
    }
    for (party, k) in &delegates {
        let name = format!("delegate-{party}");
        w.push(
            &mission,
            Body::Enrol {
                key: key_hex(&k.verifying_key()),
                name: name.clone(),
                role: Role::PartyDelegate,
                party: Some((*party).into()),
            },
        )?;
        keys.push((name, k.clone()));
    }
    // Positions: a side's area lies west of the contact line (UKR_GOV) or east of the Memorandum line.
    let ukr_side = |rng: &mut ChaCha8Rng, km: f64| {
        geo::offset(along(&contact, rng.random::<f64>()), 280.0, km)
    };
    let ordlo_side =
        |rng: &mut ChaCha8Rng, km: f64| geo::offset(along(&memo, rng.random::<f64>()), 100.0, km);
    let hot = [37.74, 48.07];
    let mut pending: Vec<(u64, usize, bool)> = Vec::new(); // (index, author observer, corroborate?)
    let mut last_day = a.day_one;
    for d in 1..=days {
        let day = a
            .day_one
            .checked_add(jiff::Span::new().days(i64::from(d) - 1))
            .map_err(|e| Error::Malformed(e.to_string()))?;
        last_day = day;
        // Yesterday's observations are reviewed by a verifier who did not write them.
        for (index, author, keep) in std::mem::take(&mut pending) {
            let v = &verifiers[author % 2];
            w.push(
                v,
                Body::Verification { of: index, to: VerificationState::UnderReview, reason: None },
            )?;
            let (to, reason) = if keep {
                (VerificationState::Corroborated, None)
            } else {
                (VerificationState::Rejected, Some("duplicate of an earlier report".to_string()))
            };
            w.push(v, Body::Verification { of: index, to, reason })?;
        }
        let observe = |w: &mut Writer,
                       pending: &mut Vec<(u64, usize, bool)>,
                       o: Observation,
                       who: usize,
                       verify: bool|
         -> Result<u64, Error> {
            let i = w.push(&observers[who], Body::Observation(o))?;
            if verify {
                pending.push((i, who, true));
            }
            Ok(i)
        };
        // Patrols: every observer files one.
        for who in 0..observers.len() {
            let (p, side) = if who % 2 == 0 {
                (ukr_side(&mut rng, 15.0), "UKR_GOV")
            } else {
                (ordlo_side(&mut rng, 15.0), "ORDLO")
            };
            let mut o = observation(day, 7 + who as i8, p, side, "patrol", 1);
            o.sensor = "patrol".into();
            observe(&mut w, &mut pending, o, who, true)?;
        }
        // Background fire near the line, not attributed (as the SMM reported it).
        let reports = match background {
            Some(n) => n,
            None => rng.random_range(1..5u32),
        };
        for k in 0..reports {
            let who = rng.random_range(0..observers.len());
            let p = along(&contact, rng.random::<f64>());
            let mut o = observation(
                day,
                rng.random_range(0..23),
                geo::offset(p, 280.0, 3.0),
                "UKR_GOV",
                "explosion",
                rng.random_range(1..30),
            );
            o.approximate = true;
            o.sensor = "heard".into();
            o.bearing_deg = Some(rng.random_range(60..120));
            o.distance_m = Some(rng.random_range(1000..7000));
            observe(&mut w, &mut pending, o, who, background.is_none() || k % 16 == 0)?;
        }
        // Weapons seen far from the lines (allowed).
        let far = ukr_side(&mut rng, 120.0);
        let mut o = observation(day, 12, far, "UKR_GOV", "weapon_sighting", rng.random_range(1..6));
        o.weapon = Some(Weapon { class: "artillery".into(), calibre_mm: Some(152) });
        observe(&mut w, &mut pending, o, 0, true)?;
        // Withdrawals: inside each zone until the band's planted last day.
        // (party, weapon class, calibre, last day in the zone, km from the line, UKR_GOV's side)
        let bands: [Band; 6] = [
            ("UKR_GOV", "artillery", Some(152), 19, 12, true),
            ("UKR_GOV", "mlrs", Some(122), 10, 20, true),
            ("UKR_GOV", "heavy_mlrs", Some(300), 10, 40, true),
            ("ORDLO", "artillery", Some(122), 10, 12, false),
            ("ORDLO", "mlrs", Some(122), 22, 20, false),
            ("ORDLO", "tochka", None, 10, 40, false),
        ];
        for (party, class, calibre, until, km, ukr) in bands {
            if d >= 2 && d <= until {
                let p = if ukr {
                    ukr_side(&mut rng, f64::from(km))
                } else {
                    ordlo_side(&mut rng, f64::from(km))
                };
                let mut o =
                    observation(day, 10, p, party, "weapon_sighting", rng.random_range(1..8));
                o.weapon = Some(Weapon { class: class.into(), calibre_mm: calibre });
                o.media = vec![format!("{:064x}", rng.random::<u128>())];
                observe(&mut w, &mut pending, o, if ukr { 2 } else { 3 }, true)?;
            }
        }
        // The hot zone: fire from ORDLO-held positions, verified and attributed.
        if d >= 30 {
            for _ in 0..rng.random_range(1..4u32) {
                let mut o = observation(
                    day,
                    rng.random_range(18..23),
                    geo::offset(hot, 270.0, 4.0),
                    "UKR_GOV",
                    "explosion",
                    rng.random_range(5..60),
                );
                o.sensor = "heard".into();
                o.bearing_deg = Some(90);
                o.distance_m = Some(2500);
                o.weapon = Some(Weapon { class: "artillery".into(), calibre_mm: Some(122) });
                let i = observe(&mut w, &mut pending, o, 4, true)?;
                w.push(
                    &verifiers[1],
                    Body::Attribution {
                        of: i,
                        party: "ORDLO".into(),
                        confidence: Confidence::High,
                    },
                )?;
            }
        }
        // Access restrictions.
        if (40..=42).contains(&d) {
            let o =
                observation(day, 9, ordlo_side(&mut rng, 10.0), "ORDLO", "access_restriction", 1);
            observe(&mut w, &mut pending, o, 5, true)?;
        }
        if d == days {
            let o =
                observation(day, 9, ukr_side(&mut rng, 10.0), "UKR_GOV", "access_restriction", 1);
            observe(&mut w, &mut pending, o, 0, false)?;
        }
        // A duplicate report, rejected; a correction; party annotations.
        if d % 9 == 0 {
            let p = along(&contact, rng.random::<f64>());
            let o = observation(day, 21, geo::offset(p, 280.0, 2.0), "UKR_GOV", "burst", 3);
            let i = w.push(&observers[1], Body::Observation(o))?;
            pending.push((i, 1, false));
        }
        if d % 11 == 0 {
            let p = geo::offset(along(&contact, 0.3), 280.0, 5.0);
            let o = observation(day, 15, p, "UKR_GOV", "explosion", 40);
            let i = w.push(&observers[0], Body::Observation(o.clone()))?;
            let corrected = Observation { count: 4, note: "count mistyped".into(), ..o };
            let j = w.push(
                &observers[0],
                Body::Correction {
                    supersedes: i,
                    observation: corrected,
                    reason: "40 was a typing error for 4".into(),
                },
            )?;
            pending.push((j, 0, true));
            w.push(
                &delegates[1].1,
                Body::Annotation {
                    of: j,
                    party: "ORDLO".into(),
                    stance: AnnotationStance::Dispute,
                    text: "No firing from our positions at that time.".into(),
                },
            )?;
            w.push(
                &delegates[0].1,
                Body::Annotation {
                    of: j,
                    party: "UKR_GOV".into(),
                    stance: AnnotationStance::Concur,
                    text: "Consistent with our unit logs.".into(),
                },
            )?;
        }
    }
    let date = |d: u32| {
        a.day_one.checked_add(jiff::Span::new().days(i64::from(d) - 1)).unwrap_or(a.day_one)
    };
    let plant = |c: &str, status, pam_score, v: Option<(u32, u32)>| Planted {
        commitment: c.into(),
        status,
        pam_score,
        violations: v.map(|(x, y)| (date(x), date(y))),
    };
    // Yesterday's observations are verified the next morning: the last day's are still pending.
    let planted = vec![
        plant("1.ceasefire.UKR_GOV", Status::Compliant, 3, None),
        plant("1.ceasefire.ORDLO", Status::VerifiedViolation, 1, Some((30, days - 1))),
        plant("2.artillery.UKR_GOV", Status::Compliant, 2, Some((16, 19))),
        plant("2.mlrs.UKR_GOV", Status::Compliant, 3, None),
        plant("2.heavy.UKR_GOV", Status::Compliant, 3, None),
        plant("2.artillery.ORDLO", Status::Compliant, 3, None),
        plant("2.mlrs.ORDLO", Status::Compliant, 2, Some((16, 22))),
        plant("2.heavy.ORDLO", Status::Compliant, 3, None),
        plant("3.monitoring.OSCE", Status::Compliant, 3, None),
        plant("3.access.UKR_GOV", Status::AllegedViolation, 3, None),
        plant("3.access.ORDLO", Status::Compliant, 2, Some((40, 42))),
    ];
    Ok(Mission { entries: w.entries, planted, last_day, keys })
}
