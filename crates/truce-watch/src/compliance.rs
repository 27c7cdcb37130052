//! Compliance: the status of every commitment, a pure function of (agreement, log prefix).
//!
//! [`Compliance::apply`] takes the log's entries in order (incrementally: each entry is matched once
//! against every indicator), and [`Compliance::evaluate`] gives, as of a date, for each commitment:
//! a [`Status`], a PAM-style 0–3 implementation score, the violation days, and the evidence as log
//! indices. The same agreement and the same entries give the same report, byte for byte.
//!
//! # Rules
//! - Before its start, or before a precondition holds, a commitment is not judged. A commitment with a
//!   deadline is judged from the deadline on (a withdrawal within 14 days may still see weapons in the
//!   zone before then).
//! - An indicator counts the observations of its classes (and weapon classes, calibre) whose event lies
//!   in its zone and that concern the obligor: the area is observed as controlled by the obligor, or an
//!   attribution of medium or high confidence names the obligor. Superseded and rejected observations do
//!   not count.
//! - A day violates an indicator when the total exceeds its threshold (or falls short of `at_least`).
//!   It is a verified violation when the corroborated observations alone make it so, an alleged one
//!   when it takes observations not yet verified.
//! - The status looks back over the mechanism's `lookback_days`: a verified violation there is a
//!   **verified violation**; else an **alleged violation**; else, if a corroborated report says the
//!   obligor restricted the monitors' access in the indicator's zone, **unverifiable** (access denied);
//!   else **compliant**.
//! - Only verifiers' entries move a status. A party's annotation never does: a dispute, even by the
//!   obligor, leaves a verified violation verified. The disputes of the observations a status cites are
//!   listed beside it ([`Standing::disputes`]: party, text, the dispute's log index), and a dispute
//!   filed after a verifier's decision puts the observation back in the verifiers' queue
//!   ([`crate::registry::Registry::review_queue`]). The verdict changes when, and only when, a verifier
//!   moves the observation through the verification state machine (taking it under review again makes
//!   the violation alleged until it is decided). There is therefore no "disputed" status: a party's word
//!   is information shown with the verdict, for verified and unverified evidence alike.
//! - PAM score over the whole period in force: 3 no verified violation; 2 violations, none recent (done,
//!   late or after lapses); 1 recent violations, some compliant days; 0 not in force, or no compliant day.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Serialize;
use truce_accord::{Agreement, Commitment, Indicator, PartyRule, Precondition};

use crate::entry::{Body, Confidence, VerificationState};
use crate::registry::{Recorded, Registry};

/// A commitment's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not yet started, or before its deadline.
    NotInForce,
    /// A precondition does not hold yet.
    AwaitingPrecondition,
    /// No violation in the lookback window.
    Compliant,
    /// A violation that rests on observations not yet verified.
    AllegedViolation,
    /// A violation on corroborated observations (whether or not a party disputes them).
    VerifiedViolation,
    /// The monitors were denied access where the commitment is observed.
    Unverifiable,
}

impl Status {
    /// The status in words.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotInForce => "not in force",
            Status::AwaitingPrecondition => "awaiting precondition",
            Status::Compliant => "compliant",
            Status::AllegedViolation => "alleged violation",
            Status::VerifiedViolation => "verified violation",
            Status::Unverifiable => "unverifiable: access denied",
        }
    }
}

/// One commitment's standing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Standing {
    /// Provision number.
    pub provision: String,
    /// Commitment id.
    pub commitment: String,
    /// Obligor.
    pub obligor: String,
    /// Status.
    pub status: Status,
    /// PAM-style implementation score, 0–3.
    pub pam_score: u8,
    /// The date it is judged from, if it has started.
    #[schemars(with = "Option<String>")]
    pub judged_from: Option<Date>,
    /// Days with a verified violation, over the whole period.
    #[schemars(with = "Vec<String>")]
    pub violation_days: Vec<Date>,
    /// The log indices behind the status: observations, transitions, attributions.
    pub evidence: Vec<u64>,
    /// The parties' disputes of the observations in the evidence, in log order. They do not change the
    /// status; they are shown beside it.
    pub disputes: Vec<Dispute>,
    /// The status explained.
    pub reason: String,
}

/// A party's dispute of an observation that a status cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Dispute {
    /// The dispute's log index (an annotation entry).
    pub index: u64,
    /// The disputed observation's log index.
    pub of: u64,
    /// The party that disputes it.
    pub party: String,
    /// What the party says.
    pub text: String,
    /// Whether it waits for a verifier: no verification transition of the observation has followed it.
    pub awaiting_review: bool,
}

impl Standing {
    /// The status in words, with the one distinction its name alone hides: "compliant now, violated
    /// earlier" for a commitment with no violation in the lookback window but verified violations
    /// before it.
    pub fn label(&self) -> &'static str {
        if self.status == Status::Compliant && !self.violation_days.is_empty() {
            "compliant now, violated earlier"
        } else {
            self.status.as_str()
        }
    }
}

/// The compliance report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Report {
    /// Format tag.
    pub format: &'static str,
    /// The agreement id.
    pub agreement: String,
    /// The date judged.
    #[schemars(with = "String")]
    pub as_of: Date,
    /// The log prefix it was computed from.
    pub log_size: u64,
    /// Entries the log's rules refused (they have no effect): index and reason.
    pub refused: Vec<(u64, String)>,
    /// One standing per machine-checkable commitment, in agreement order.
    pub commitments: Vec<Standing>,
    /// Commitments that cannot be checked from the log, with the reason.
    pub not_checkable: Vec<(String, String)>,
}

/// An observation an indicator may count.
#[derive(Debug, Clone, Copy)]
struct Match {
    index: u64,
    day: Date,
}

/// An observation's day, and the pairs it matches with what it adds to each.
type Matched = (Date, Vec<(usize, Contribution)>);

/// One day of one (commitment, indicator) pair: totals and the observations behind them.
#[derive(Debug, Clone, Default)]
struct DayTotals {
    /// Sum over corroborated observations.
    verified: u64,
    /// Sum over observations that count (not unverifiable, rejected or superseded).
    all: u64,
    /// The observations concerning the obligor that day, whatever their state.
    indices: Vec<u64>,
}

/// What one observation adds to one pair's day, so that it can be taken back when the observation's
/// standing changes (verified, attributed, superseded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Contribution {
    verified: u64,
    all: u64,
    listed: bool,
}

/// Incremental compliance over one agreement.
#[derive(Debug, Clone)]
pub struct Compliance<'a> {
    agreement: &'a Agreement,
    /// Every (commitment, indicator) pair with an indicator, in agreement order.
    pairs: Vec<(&'a Commitment, &'a Indicator)>,
    /// Per pair: per day, the totals of the observations that match it and concern the obligor.
    days: Vec<BTreeMap<Date, DayTotals>>,
    /// Per observation: the pairs it matches by class, weapon and zone, and what it adds to each.
    /// Indexed by log index; `None` for entries that match no pair.
    contributions: Vec<Option<Matched>>,
    /// Per pair: access restrictions in its zone (for "unverifiable").
    restrictions: Vec<Vec<Match>>,
    /// Per pair: the index of its indicator's zone in the agreement (`None`: anywhere).
    pair_zones: Vec<Option<usize>>,
    registry: Registry,
}

impl<'a> Compliance<'a> {
    /// Starts with an empty log.
    pub fn new(agreement: &'a Agreement) -> Compliance<'a> {
        let pairs: Vec<_> = agreement
            .commitments()
            .flat_map(|(_, c)| c.indicators.iter().map(move |i| (c, i)))
            .collect();
        let n = pairs.len();
        let pair_zones = pairs
            .iter()
            .map(|(_, i)| {
                i.query
                    .zone
                    .as_deref()
                    .and_then(|z| agreement.zones.iter().position(|zone| zone.id == z))
            })
            .collect();
        Compliance {
            agreement,
            pairs,
            pair_zones,
            days: vec![BTreeMap::new(); n],
            contributions: Vec::new(),
            restrictions: vec![Vec::new(); n],
            registry: Registry::default(),
        }
    }

    /// The agreement judged.
    pub fn agreement(&self) -> &'a Agreement {
        self.agreement
    }

    /// The registry of the prefix applied so far.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Applies the next entry of the log, as bytes. Refused entries are recorded and have no effect.
    pub fn apply(&mut self, bytes: &[u8]) {
        match crate::entry::decode(bytes) {
            Ok(entry) => self.apply_owned(entry),
            Err(e) => self.registry.refuse_next(&e),
        }
    }

    /// Applies the next entry, already decoded and verified.
    pub fn apply_entry(&mut self, entry: &crate::entry::Entry) {
        self.apply_owned(entry.clone());
    }

    /// Applies the next entry, already decoded and verified, taking it. Only the days of the
    /// observation it concerns are recomputed: this is the incremental path.
    pub fn apply_owned(&mut self, entry: crate::entry::Entry) {
        let index = self.registry.size;
        let (new, touched) = match &entry.body {
            Body::Observation(_) => (true, None),
            Body::Correction { supersedes, .. } => (true, Some(*supersedes)),
            Body::Verification { of, .. }
            | Body::Attribution { of, .. }
            | Body::Annotation { of, .. } => (false, Some(*of)),
            _ => (false, None),
        };
        if self.registry.apply(entry).is_err() {
            return;
        }
        if let Some(of) = touched {
            self.refresh(of);
        }
        if new {
            self.matched(index);
        }
    }

    /// Matches a new observation against every pair, by class, weapon and zone.
    fn matched(&mut self, index: u64) {
        let Some(r) = self.registry.observations.get(&index) else { return };
        let observation = &r.observation;
        let Ok(day) = observation.day() else { return };
        let event = observation.event();
        // Each zone is tested at most once per observation.
        let mut zone_cache: [Option<bool>; 64] = [None; 64];
        let zones = &self.agreement.zones;
        let mut in_zone = |zone: Option<usize>| match zone {
            None => true,
            Some(z) if z < 64 => *zone_cache[z].get_or_insert_with(|| zones[z].contains(event)),
            Some(z) => zones[z].contains(event),
        };
        let mut pairs = Vec::new();
        for (k, (_, indicator)) in self.pairs.iter().enumerate() {
            let q = &indicator.query;
            let restriction = observation.class == "access_restriction"
                && !q.classes.iter().any(|c| c == "access_restriction");
            let counted = q.classes.contains(&observation.class)
                && (q.weapon_classes.is_empty() && q.calibre_min_mm.is_none()
                    || observation.weapon.as_ref().is_some_and(|w| {
                        (q.weapon_classes.is_empty() || q.weapon_classes.contains(&w.class))
                            && q.calibre_min_mm
                                .is_none_or(|min| w.calibre_mm.is_none_or(|c| c >= min))
                    }));
            if !(restriction || counted) || !in_zone(self.pair_zones[k]) {
                continue;
            }
            if restriction {
                self.restrictions[k].push(Match { index, day });
            }
            if counted {
                pairs.push((k, Contribution::default()));
            }
        }
        if !pairs.is_empty() {
            let i = index as usize;
            if self.contributions.len() <= i {
                self.contributions.resize(i + 1, None);
            }
            self.contributions[i] = Some((day, pairs));
            self.refresh(index);
        }
    }

    /// Rebuilds every day's totals from the observations as they stand now, instead of from the deltas
    /// applied entry by entry. The result must not change; the tests hold the incremental path to it.
    pub fn recount(&mut self) {
        for days in &mut self.days {
            days.clear();
        }
        let indices: Vec<u64> = (0..self.contributions.len() as u64)
            .filter(|i| self.contributions[*i as usize].is_some())
            .collect();
        for i in &indices {
            if let Some(Some((_, pairs))) = self.contributions.get_mut(*i as usize) {
                for (_, c) in pairs.iter_mut() {
                    *c = Contribution::default();
                }
            }
        }
        for i in indices {
            self.refresh(i);
        }
        for days in &mut self.days {
            for totals in days.values_mut() {
                totals.indices.sort_unstable();
            }
        }
    }

    /// Recomputes what observation `index` adds to each pair it matches, after its standing changed.
    fn refresh(&mut self, index: u64) {
        let Some(Some((day, pairs))) = self.contributions.get_mut(index as usize) else { return };
        let Some(r) = self.registry.observations.get(&index) else { return };
        for (k, old) in pairs.iter_mut() {
            let (c, indicator) = self.pairs[*k];
            let counts = r.superseded_by.is_none() && r.state != VerificationState::Rejected;
            let new = if counts && Self::concerns(r, &c.obligor, indicator.query.party) {
                let amount = match indicator.aggregation {
                    truce_accord::Aggregation::Sum => u64::from(r.observation.count),
                    truce_accord::Aggregation::Events => 1,
                };
                Contribution {
                    verified: if r.state == VerificationState::Corroborated { amount } else { 0 },
                    all: if r.state == VerificationState::Unverifiable { 0 } else { amount },
                    listed: true,
                }
            } else {
                Contribution::default()
            };
            if new == *old {
                continue;
            }
            let totals = self.days[*k].entry(*day).or_default();
            totals.verified = totals.verified - old.verified + new.verified;
            totals.all = totals.all - old.all + new.all;
            match (old.listed, new.listed) {
                (false, true) => totals.indices.push(index),
                (true, false) => totals.indices.retain(|i| *i != index),
                _ => {}
            }
            *old = new;
        }
    }

    /// Whether observation `r` concerns `obligor` under `rule`.
    fn concerns(r: &Recorded, obligor: &str, rule: PartyRule) -> bool {
        match rule {
            PartyRule::Controlled => r.observation.controlled_by == obligor,
            PartyRule::Attributed => {
                r.attributions.iter().any(|(_, p, c)| p == obligor && *c >= Confidence::Medium)
            }
            PartyRule::Any => true,
        }
    }

    /// The compliance report as of `as_of`.
    pub fn evaluate(&self, as_of: Date) -> Report {
        let mut standings: Vec<Standing> = Vec::new();
        let mut not_checkable = Vec::new();
        for (p, c) in self.agreement.commitments() {
            if let truce_accord::Checkable::Not { reason } = &p.checkable {
                not_checkable.push((c.id.clone(), reason.clone()));
                continue;
            }
            if c.indicators.is_empty() {
                not_checkable.push((c.id.clone(), "no indicator".into()));
                continue;
            }
            standings.push(self.standing(&p.number, c, as_of, &standings));
        }
        Report {
            format: "truce.compliance/1",
            agreement: self.agreement.id.clone(),
            as_of,
            log_size: self.registry.size,
            refused: self.registry.refused.clone(),
            commitments: standings,
            not_checkable,
        }
    }

    /// The standing of commitment `c` (of provision `provision`) as of `as_of`; `earlier` holds the
    /// standings worked out before it.
    fn standing(
        &self,
        provision: &str,
        c: &Commitment,
        as_of: Date,
        earlier: &[Standing],
    ) -> Standing {
        let a = self.agreement;
        let start = a.date_of(&c.window.start);
        let judged_from = start
            .checked_add(jiff::Span::new().days(i64::from(c.window.deadline_days.unwrap_or(0))))
            .unwrap_or(start);
        let mut s = Standing {
            provision: provision.to_string(),
            commitment: c.id.clone(),
            obligor: c.obligor.clone(),
            status: Status::NotInForce,
            pam_score: 0,
            judged_from: None,
            violation_days: Vec::new(),
            evidence: Vec::new(),
            disputes: Vec::new(),
            reason: String::new(),
        };
        if as_of < start {
            s.reason = format!("starts on {start}");
            return s;
        }
        if let Some(reason) = self.unmet_precondition(c, as_of, earlier) {
            s.status = Status::AwaitingPrecondition;
            s.reason = reason;
            return s;
        }
        if as_of < judged_from {
            s.reason = format!("in its implementation period: due by {judged_from}");
            return s;
        }
        s.judged_from = Some(judged_from);
        let until = c.window.until.map_or(as_of, |u| u.min(as_of));
        let window_start = until
            .checked_sub(jiff::Span::new().days(i64::from(a.mechanism.lookback_days) - 1))
            .unwrap_or(until)
            .max(judged_from);
        let mut verified_days: BTreeSet<Date> = BTreeSet::new();
        let mut evidence = Evidence::default();
        let total_days = (until - judged_from).get_days() + 1;
        let period = Period { judged_from, until, window_start, total_days };
        for k in (0..self.pairs.len()).filter(|k| std::ptr::eq(self.pairs[*k].0, c)) {
            self.tally_days(k, period, &mut verified_days, &mut evidence);
            self.tally_restrictions(k, c, period, &mut evidence.restricted);
        }
        let recent_days = verified_days.range(window_start..=until).count();
        (s.status, s.evidence, s.reason) =
            verdict(c, a.mechanism.lookback_days, recent_days, evidence);
        s.evidence.sort_unstable();
        s.evidence.dedup();
        s.disputes = self.disputes(&s.evidence);
        note_disputes(&mut s);
        s.violation_days = verified_days.into_iter().collect();
        s.pam_score = pam_score(s.violation_days.len(), recent_days, total_days);
        if s.status == Status::Compliant && !s.violation_days.is_empty() {
            s.reason = format!(
                "{}; {} earlier day(s) of verified violation, the last on {}",
                s.reason,
                s.violation_days.len(),
                s.violation_days.last().map(|d| d.to_string()).unwrap_or_default()
            );
        }
        s
    }

    /// Why commitment `c` awaits a precondition as of `as_of`, if one does not hold yet.
    fn unmet_precondition(
        &self,
        c: &Commitment,
        as_of: Date,
        earlier: &[Standing],
    ) -> Option<String> {
        let a = self.agreement;
        for pre in &c.preconditions {
            let Precondition::Commitment { id, days } = pre;
            // Preconditions are acyclic, and the agreement orders them first in practice; a later one is
            // evaluated on its own.
            let other = earlier.iter().find(|o| &o.commitment == id).cloned().or_else(|| {
                let (pp, oc) = a.commitments().find(|(_, oc)| &oc.id == id)?;
                Some(self.standing(&pp.number, oc, as_of, earlier))
            });
            let holds = other.as_ref().is_some_and(|o| {
                o.judged_from.is_some_and(|from| {
                    let since = as_of
                        .checked_sub(jiff::Span::new().days(i64::from(*days)))
                        .unwrap_or(as_of);
                    *days == 0 || (from <= since && o.violation_days.iter().all(|d| *d <= since))
                })
            });
            if !holds {
                return Some(format!(
                    "awaiting {id}{}",
                    if *days > 0 {
                        format!(" ({days} consecutive compliant days)")
                    } else {
                        String::new()
                    }
                ));
            }
        }
        None
    }

    /// Goes over pair `k`'s judged days: adds its days of verified violation to `verified_days`, and
    /// the observations behind its violations in the lookback window to `evidence`.
    fn tally_days(
        &self,
        k: usize,
        period: Period,
        verified_days: &mut BTreeSet<Date>,
        evidence: &mut Evidence,
    ) {
        let Period { judged_from, until, window_start, total_days } = period;
        let indicator = self.pairs[k].1;
        let days = &self.days[k];
        let violates = |total: u64| match indicator.at_least {
            Some(min) => total < u64::from(min),
            None => total > u64::from(indicator.threshold),
        };
        // Every judged day for an at_least indicator (a day with nothing is a violation); days with
        // observations otherwise.
        let judged: Vec<Date> = if indicator.at_least.is_some() {
            let mut d = judged_from;
            let mut v = Vec::new();
            while d <= until {
                v.push(d);
                d = d.tomorrow().unwrap_or(d);
                if v.len() as i32 > total_days {
                    break;
                }
            }
            v
        } else {
            days.range(judged_from..=until).map(|(d, _)| *d).collect()
        };
        for day in judged {
            let empty = DayTotals::default();
            let totals = days.get(&day).unwrap_or(&empty);
            let (verified, all, indices) = (totals.verified, totals.all, &totals.indices);
            let recent = day >= window_start;
            // A duty to report every day is met by the reports themselves, verified or not; a limit
            // is breached only by what has been corroborated.
            let breached = match indicator.at_least {
                Some(_) => violates(all),
                None => violates(verified),
            };
            if breached {
                verified_days.insert(day);
                if recent {
                    for i in indices {
                        let r = &self.registry.observations[i];
                        if r.state == VerificationState::Corroborated {
                            evidence.verified.push(*i);
                            evidence.verified.extend(&r.transitions);
                            evidence.verified.extend(r.attributions.iter().map(|a| a.0));
                        }
                    }
                }
            } else if violates(all) && recent && indicator.at_least.is_none() {
                evidence.alleged.extend(indices.iter().filter(|i| {
                    self.registry.observations.get(i).is_some_and(|r| {
                        matches!(
                            r.state,
                            VerificationState::Received | VerificationState::UnderReview
                        )
                    })
                }));
            }
        }
    }

    /// Adds to `restricted` the corroborated reports, in the lookback window, of `c`'s obligor
    /// restricting the monitors' access in pair `k`'s zone.
    fn tally_restrictions(
        &self,
        k: usize,
        c: &Commitment,
        period: Period,
        restricted: &mut Vec<u64>,
    ) {
        for m in &self.restrictions[k] {
            let Some(r) = self.registry.observations.get(&m.index) else { continue };
            if m.day >= period.window_start
                && m.day <= period.until
                && r.superseded_by.is_none()
                && r.state == VerificationState::Corroborated
                && r.observation.controlled_by == c.obligor
            {
                restricted.push(m.index);
            }
        }
    }
}

/// The days a commitment is judged over, as of a date.
#[derive(Debug, Clone, Copy)]
struct Period {
    /// The first day judged: the start, plus the deadline if any.
    judged_from: Date,
    /// The last day judged: the date of the report, or the commitment's end if earlier.
    until: Date,
    /// The first day of the lookback window.
    window_start: Date,
    /// The number of days from `judged_from` to `until`.
    total_days: i32,
}

/// The observations behind a commitment's violations in the lookback window, by kind.
#[derive(Debug, Default)]
struct Evidence {
    /// Corroborated observations on days of verified violation, with their verifications and
    /// attributions.
    verified: Vec<u64>,
    /// Observations not yet verified that would breach an indicator.
    alleged: Vec<u64>,
    /// Corroborated reports of the obligor restricting the monitors' access.
    restricted: Vec<u64>,
}

/// The status, its evidence and the reason, from the `evidence` of the lookback window of
/// `lookback_days` days, `recent_days` of which are days of verified violation.
fn verdict(
    c: &Commitment,
    lookback_days: u32,
    recent_days: usize,
    evidence: Evidence,
) -> (Status, Vec<u64>, String) {
    if !evidence.verified.is_empty() || recent_days > 0 {
        (
            Status::VerifiedViolation,
            evidence.verified,
            format!("verified violations on {recent_days} of the last {lookback_days} days"),
        )
    } else if !evidence.alleged.is_empty() {
        (
            Status::AllegedViolation,
            evidence.alleged,
            "observations not yet verified would breach the indicator".into(),
        )
    } else if !evidence.restricted.is_empty() {
        (
            Status::Unverifiable,
            evidence.restricted,
            format!("access restricted by {} where the commitment is observed", c.obligor),
        )
    } else {
        (Status::Compliant, Vec::new(), format!("no violation in the last {lookback_days} days"))
    }
}

/// Adds the parties' disputes of the standing's evidence, if any, to its reason.
fn note_disputes(s: &mut Standing) {
    if !s.disputes.is_empty() {
        let mut parties: Vec<&str> = s.disputes.iter().map(|d| d.party.as_str()).collect();
        parties.sort_unstable();
        parties.dedup();
        let waiting = s.disputes.iter().filter(|d| d.awaiting_review).count();
        s.reason = format!(
            "{}; disputed by {} ({} dispute(s){}); the verdict stands until a verifier revises it",
            s.reason,
            parties.join(", "),
            s.disputes.len(),
            if waiting > 0 {
                format!(", {waiting} awaiting a verifier's review")
            } else {
                String::new()
            }
        );
    }
}

/// The PAM score: 3 no verified violation; 2 none recent; 1 recent ones and some compliant days; 0 no
/// compliant day.
fn pam_score(violation_days: usize, recent_days: usize, total_days: i32) -> u8 {
    if violation_days == 0 {
        3
    } else if recent_days == 0 {
        2
    } else if (violation_days as i32) < total_days {
        1
    } else {
        0
    }
}

impl Compliance<'_> {
    /// The parties' disputes of the observations among `evidence`, in log order: each party's latest
    /// of each observation only (a party that disputes again restates, it does not add weight), with
    /// its text cut at [`DISPUTE_TEXT_SHOWN`] characters (the whole text is in the entry). So however
    /// many disputes one party files, a report grows by one short line per party and observation.
    fn disputes(&self, evidence: &[u64]) -> Vec<Dispute> {
        let mut out: Vec<Dispute> = evidence
            .iter()
            .filter_map(|i| self.registry.observations.get(i))
            .flat_map(|r| {
                let open: BTreeSet<u64> = r.unanswered_disputes().map(|a| a.index).collect();
                let mut latest: BTreeMap<&str, _> = BTreeMap::new();
                for a in r.disputes() {
                    latest.insert(a.party.as_str(), a);
                }
                latest.into_values().map(move |a| Dispute {
                    index: a.index,
                    of: r.index,
                    party: a.party.clone(),
                    text: shown(&a.text),
                    awaiting_review: open.contains(&a.index),
                })
            })
            .collect();
        out.sort_by_key(|d| d.index);
        out
    }
}

/// How many characters of a dispute's text a report shows (the whole text is in its entry).
pub const DISPUTE_TEXT_SHOWN: usize = 500;

/// `text`, cut at [`DISPUTE_TEXT_SHOWN`] characters with an ellipsis.
fn shown(text: &str) -> String {
    match text.char_indices().nth(DISPUTE_TEXT_SHOWN) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The compliance report for a terminal (`truce compliance`); `--format json` is the [`Report`] itself.
pub fn render_text(r: &Report) -> String {
    let mut out = format!(
        "Compliance with {} as of {} (log size {})\n\n{:<22} {:<31} {:>3}  {:>5}  {}\n",
        r.agreement, r.as_of, r.log_size, "commitment", "status", "PAM", "days", "reason"
    );
    for s in &r.commitments {
        out.push_str(&format!(
            "{:<22} {:<31} {:>3}  {:>5}  {}\n",
            s.commitment,
            s.label(),
            s.pam_score,
            s.violation_days.len(),
            s.reason
        ));
        if !s.evidence.is_empty() {
            let shown: Vec<String> = s.evidence.iter().take(12).map(|i| i.to_string()).collect();
            let more = s.evidence.len().saturating_sub(12);
            out.push_str(&format!(
                "{:<22} evidence: log entries {}{}\n",
                "",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more (--format json lists all)")
                } else {
                    String::new()
                }
            ));
        }
        for d in &s.disputes {
            out.push_str(&format!(
                "{:<22} disputed by {} in entry {} (of entry {}{}): {}\n",
                "",
                d.party,
                d.index,
                d.of,
                if d.awaiting_review { ", awaiting a verifier's review" } else { "" },
                d.text.replace(['\n', '\r'], " ")
            ));
        }
    }
    out.push_str(&format!(
        "\n{} commitments are not machine-checkable (see `truce accord check`).\n",
        r.not_checkable.len()
    ));
    if !r.refused.is_empty() {
        out.push_str(&format!(
            "{} log entries were refused by the log's rules and have no effect:\n",
            r.refused.len()
        ));
        for (i, why) in &r.refused {
            out.push_str(&format!("  entry {i}: {why}\n"));
        }
    }
    out
}
