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
    let w = Writer { entries: Vec::new(), seqs: Default::default() };
    let mut s =
        Scene { w, rng, contact, memo, observers, verifiers, delegates, pending: Vec::new() };
    let end = a
        .day_one
        .checked_add(jiff::Span::new().days(i64::from(days) - 1))
        .map_err(|e| Error::Malformed(e.to_string()))?;
    s.w.push(&mission, Body::mission("Demo mission over the Minsk II zones", a.day_one, end))?;
    let keys = s.enrol(&mission)?;
    let mut last_day = a.day_one;
    for d in 1..=days {
        let day = a
            .day_one
            .checked_add(jiff::Span::new().days(i64::from(d) - 1))
            .map_err(|e| Error::Malformed(e.to_string()))?;
        last_day = day;
        s.day(day, d, days, background)?;
    }
    Ok(Mission { entries: s.w.entries, planted: planted(a, days), last_day, keys })
}

/// What the compliance of the last day of a mission of `days` days must be.
fn planted(a: &Agreement, days: u32) -> Vec<Planted> {
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
    vec![
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
    ]
}

/// A mission being written: the log so far, the seeded generator, the lines positions are drawn near,
/// the keys that sign, and the observations a verifier reviews the next morning.
struct Scene {
    w: Writer,
    rng: ChaCha8Rng,
    contact: Vec<Point>,
    memo: Vec<Point>,
    observers: Vec<SigningKey>,
    verifiers: Vec<SigningKey>,
    delegates: [(&'static str, SigningKey); 2],
    /// (index, author observer, corroborate?)
    pending: Vec<(u64, usize, bool)>,
}

impl Scene {
    /// Enrols the observers, verifiers and party delegates under the `mission` key; returns every key
    /// by name, the mission's first.
    fn enrol(&mut self, mission: &SigningKey) -> Result<Vec<(String, SigningKey)>, Error> {
        let mut keys = vec![("mission".to_string(), mission.clone())];
        for (i, k) in self.observers.iter().enumerate() {
            let name = format!("observer-{}", i + 1);
            self.w.push(
                mission,
                Body::Enrol {
                    key: key_hex(&k.verifying_key()),
                    name: name.clone(),
                    role: Role::Observer,
                    party: None,
                },
            )?;
            keys.push((name, k.clone()));
        }
        for (i, k) in self.verifiers.iter().enumerate() {
            let name = format!("verifier-{}", i + 1);
            self.w.push(
                mission,
                Body::Enrol {
                    key: key_hex(&k.verifying_key()),
                    name: name.clone(),
                    role: Role::Verifier,
                    party: None,
                },
            )?;
            keys.push((name, k.clone()));
        }
        for (party, k) in &self.delegates {
            let name = format!("delegate-{party}");
            self.w.push(
                mission,
                Body::Enrol {
                    key: key_hex(&k.verifying_key()),
                    name: name.clone(),
                    role: Role::PartyDelegate,
                    party: Some((*party).into()),
                },
            )?;
            keys.push((name, k.clone()));
        }
        Ok(keys)
    }

    /// Writes day `d` of `days` (`day`): yesterday's reviews, the background traffic and the planted
    /// events.
    fn day(&mut self, day: Date, d: u32, days: u32, background: Option<u32>) -> Result<(), Error> {
        self.review()?;
        self.patrols(day)?;
        self.background_fire(day, background)?;
        // Weapons seen far from the lines (allowed).
        let far = self.ukr_side(120.0);
        let mut o =
            observation(day, 12, far, "UKR_GOV", "weapon_sighting", self.rng.random_range(1..6));
        o.weapon = Some(Weapon { class: "artillery".into(), calibre_mm: Some(152) });
        self.observe(o, 0, true)?;
        self.withdrawals(day, d)?;
        self.hot_zone(day, d)?;
        // Access restrictions.
        if (40..=42).contains(&d) {
            let o = observation(day, 9, self.ordlo_side(10.0), "ORDLO", "access_restriction", 1);
            self.observe(o, 5, true)?;
        }
        if d == days {
            let o = observation(day, 9, self.ukr_side(10.0), "UKR_GOV", "access_restriction", 1);
            self.observe(o, 0, false)?;
        }
        self.duplicates_and_corrections(day, d)
    }

    /// A position on UKR_GOV's side: `km` west of the contact line.
    fn ukr_side(&mut self, km: f64) -> Point {
        geo::offset(along(&self.contact, self.rng.random::<f64>()), 280.0, km)
    }

    /// A position on ORDLO's side: `km` east of the Memorandum line.
    fn ordlo_side(&mut self, km: f64) -> Point {
        geo::offset(along(&self.memo, self.rng.random::<f64>()), 100.0, km)
    }

    /// Files observation `o` by observer `who`; when `verify`, it is corroborated the next morning.
    fn observe(&mut self, o: Observation, who: usize, verify: bool) -> Result<u64, Error> {
        let i = self.w.push(&self.observers[who], Body::Observation(o))?;
        if verify {
            self.pending.push((i, who, true));
        }
        Ok(i)
    }

    /// Yesterday's observations are reviewed by a verifier who did not write them.
    fn review(&mut self) -> Result<(), Error> {
        for (index, author, keep) in std::mem::take(&mut self.pending) {
            let v = &self.verifiers[author % 2];
            self.w.push(
                v,
                Body::Verification { of: index, to: VerificationState::UnderReview, reason: None },
            )?;
            let (to, reason) = if keep {
                (VerificationState::Corroborated, None)
            } else {
                (VerificationState::Rejected, Some("duplicate of an earlier report".to_string()))
            };
            self.w.push(v, Body::Verification { of: index, to, reason })?;
        }
        Ok(())
    }

    /// Patrols: every observer files one.
    fn patrols(&mut self, day: Date) -> Result<(), Error> {
        for who in 0..self.observers.len() {
            let (p, side) = if who % 2 == 0 {
                (self.ukr_side(15.0), "UKR_GOV")
            } else {
                (self.ordlo_side(15.0), "ORDLO")
            };
            let mut o = observation(day, 7 + who as i8, p, side, "patrol", 1);
            o.sensor = "patrol".into();
            self.observe(o, who, true)?;
        }
        Ok(())
    }

    /// Background fire near the line, not attributed (as the SMM reported it).
    fn background_fire(&mut self, day: Date, background: Option<u32>) -> Result<(), Error> {
        let reports = match background {
            Some(n) => n,
            None => self.rng.random_range(1..5u32),
        };
        for k in 0..reports {
            let who = self.rng.random_range(0..self.observers.len());
            let p = along(&self.contact, self.rng.random::<f64>());
            let mut o = observation(
                day,
                self.rng.random_range(0..23),
                geo::offset(p, 280.0, 3.0),
                "UKR_GOV",
                "explosion",
                self.rng.random_range(1..30),
            );
            o.approximate = true;
            o.sensor = "heard".into();
            o.bearing_deg = Some(self.rng.random_range(60..120));
            o.distance_m = Some(self.rng.random_range(1000..7000));
            self.observe(o, who, background.is_none() || k % 16 == 0)?;
        }
        Ok(())
    }

    /// Withdrawals: inside each zone until the band's planted last day.
    fn withdrawals(&mut self, day: Date, d: u32) -> Result<(), Error> {
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
                let p =
                    if ukr { self.ukr_side(f64::from(km)) } else { self.ordlo_side(f64::from(km)) };
                let mut o =
                    observation(day, 10, p, party, "weapon_sighting", self.rng.random_range(1..8));
                o.weapon = Some(Weapon { class: class.into(), calibre_mm: calibre });
                o.media = vec![format!("{:064x}", self.rng.random::<u128>())];
                self.observe(o, if ukr { 2 } else { 3 }, true)?;
            }
        }
        Ok(())
    }

    /// The hot zone: fire from ORDLO-held positions, verified and attributed, from day 30.
    fn hot_zone(&mut self, day: Date, d: u32) -> Result<(), Error> {
        let hot = [37.74, 48.07];
        if d >= 30 {
            for _ in 0..self.rng.random_range(1..4u32) {
                let mut o = observation(
                    day,
                    self.rng.random_range(18..23),
                    geo::offset(hot, 270.0, 4.0),
                    "UKR_GOV",
                    "explosion",
                    self.rng.random_range(5..60),
                );
                o.sensor = "heard".into();
                o.bearing_deg = Some(90);
                o.distance_m = Some(2500);
                o.weapon = Some(Weapon { class: "artillery".into(), calibre_mm: Some(122) });
                let i = self.observe(o, 4, true)?;
                self.w.push(
                    &self.verifiers[1],
                    Body::Attribution {
                        of: i,
                        party: "ORDLO".into(),
                        confidence: Confidence::High,
                    },
                )?;
            }
        }
        Ok(())
    }

    /// A duplicate report, rejected; a correction; party annotations.
    fn duplicates_and_corrections(&mut self, day: Date, d: u32) -> Result<(), Error> {
        if d.is_multiple_of(9) {
            let p = along(&self.contact, self.rng.random::<f64>());
            let o = observation(day, 21, geo::offset(p, 280.0, 2.0), "UKR_GOV", "burst", 3);
            let i = self.w.push(&self.observers[1], Body::Observation(o))?;
            self.pending.push((i, 1, false));
        }
        if d.is_multiple_of(11) {
            let p = geo::offset(along(&self.contact, 0.3), 280.0, 5.0);
            let o = observation(day, 15, p, "UKR_GOV", "explosion", 40);
            let i = self.w.push(&self.observers[0], Body::Observation(o.clone()))?;
            let corrected = Observation { count: 4, note: "count mistyped".into(), ..o };
            let j = self.w.push(
                &self.observers[0],
                Body::Correction {
                    supersedes: i,
                    observation: corrected,
                    reason: "40 was a typing error for 4".into(),
                },
            )?;
            self.pending.push((j, 0, true));
            self.w.push(
                &self.delegates[1].1,
                Body::Annotation {
                    of: j,
                    party: "ORDLO".into(),
                    stance: AnnotationStance::Dispute,
                    text: "No firing from our positions at that time.".into(),
                },
            )?;
            self.w.push(
                &self.delegates[0].1,
                Body::Annotation {
                    of: j,
                    party: "UKR_GOV".into(),
                    stance: AnnotationStance::Concur,
                    text: "Consistent with our unit logs.".into(),
                },
            )?;
        }
        Ok(())
    }
}
