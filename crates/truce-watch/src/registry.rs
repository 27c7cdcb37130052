//! Replaying a log prefix: who may write what, and where each observation stands.
//!
//! Rules, checked entry by entry in log order:
//! - Every entry's sequence number is larger than every earlier one by the same key (whether or not that
//!   one took effect), so a copy of an entry already on the log is refused: no replay.
//! - Sequence numbers run from 1 to [`crate::entry::MAX_SEQ`] (2^63 − 1); a larger one does not decode,
//!   so a key's count never wraps ([`Registry::next_seq`] saturates).
//! - Entry 0 is the mission's self-signed [`Body::Mission`]; its author is the mission key. It declares the
//!   mission's period (first and last day, UTC), its observation classes, and the largest observation
//!   distance (`max_distance_m`, 1 m to 1,000 km; [`crate::entry::DEFAULT_MAX_DISTANCE_M`], 50 km, for a
//!   mission entry written before the field existed).
//! - An observation (or correction) must start within the mission's period, be of one of its classes,
//!   and lie within its largest distance ([`Error::OutOfBounds`] otherwise). Times, positions and the
//!   event's position are checked when the entry decodes (see [`crate::entry`]).
//! - Only the mission enrols and revokes keys, and appends report hashes.
//! - Observations and corrections come from enrolled observers; a correction comes from the author of
//!   the observation it supersedes, which then no longer counts (both stay in the log).
//! - Verification transitions, assessments, attributions and findings come from enrolled verifiers, and
//!   never from the author of the observation concerned (separation of duties).
//! - Verification is a state machine: `received → under_review → corroborated | unverifiable | rejected`,
//!   and a decided observation can be taken `under_review` again. Unverifiable and rejected need a reason.
//! - Annotations come from a delegate of the party they speak for. A party's annotation never changes an
//!   observation's verification state: a dispute filed after a verifier's last transition of a decided
//!   observation (corroborated, unverifiable, rejected) puts it back in the verifiers' queue
//!   ([`Registry::review_queue`]), and only a verifier's transition takes it out, or changes the verdict.
//!
//! An entry that breaks a rule stays in the log (nothing is removed) but has no effect; it is listed
//! with the reason, so every replica refuses the same entries. [`Registry::check`] tells a writer before
//! appending.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;

use crate::Error;
use crate::entry::{
    AnnotationStance, Body, Confidence, DEFAULT_MAX_DISTANCE_M, Entry, MAX_DECLARED_DISTANCE_M,
    Observation, Role, VerificationState, decode,
};

/// An enrolled key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// The holder's name.
    pub name: String,
    /// What it may sign.
    pub role: Role,
    /// For a party delegate: the party.
    pub party: Option<String>,
    /// Whether it has been revoked.
    pub revoked: bool,
}

/// An observation as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Its log index.
    pub index: u64,
    /// Its author (hex key).
    pub author: String,
    /// What it says.
    pub observation: Observation,
    /// Its verification state.
    pub state: VerificationState,
    /// The log indices of its verification transitions.
    pub transitions: Vec<u64>,
    /// The index of the correction that superseded it.
    pub superseded_by: Option<u64>,
    /// Attributions: (log index, party, confidence).
    pub attributions: Vec<(u64, String, Confidence)>,
    /// Party annotations, in log order.
    pub annotations: Vec<Annotated>,
}

/// A party's annotation of an observation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotated {
    /// The annotation's log index.
    pub index: u64,
    /// The party speaking.
    pub party: String,
    /// Concur, dispute or clarify.
    pub stance: AnnotationStance,
    /// What the party says.
    pub text: String,
}

impl Recorded {
    /// The parties' disputes of this observation, in log order.
    pub fn disputes(&self) -> impl Iterator<Item = &Annotated> {
        self.annotations.iter().filter(|a| a.stance == AnnotationStance::Dispute)
    }

    /// The disputes no verifier has answered yet: those filed after its last verification transition.
    pub fn unanswered_disputes(&self) -> impl Iterator<Item = &Annotated> {
        let last = self.transitions.iter().max().copied();
        self.disputes().filter(move |a| last.is_none_or(|t| a.index > t))
    }

    /// Whether it waits for a verifier: it is current (not superseded) and either received or under
    /// review, or decided and disputed by a party since the decision.
    pub fn awaits_review(&self) -> bool {
        self.superseded_by.is_none()
            && match self.state {
                VerificationState::Received | VerificationState::UnderReview => true,
                VerificationState::Corroborated
                | VerificationState::Unverifiable
                | VerificationState::Rejected => self.unanswered_disputes().next().is_some(),
            }
    }
}

/// What the mission entry declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionInfo {
    /// The mission's name.
    pub name: String,
    /// The mission's key, hex.
    pub key: String,
    /// The first day an observation may start on.
    pub start: Date,
    /// The last day an observation may start on (included).
    pub end: Date,
    /// The observation classes.
    pub classes: BTreeSet<String>,
    /// The largest distance from an observer to what it observes, in metres.
    pub max_distance_m: u32,
}

impl MissionInfo {
    /// `day` moved into the mission's period: the default date of pages and reports when `day` is today.
    pub fn clip(&self, day: Date) -> Date {
        day.clamp(self.start, self.end)
    }
}

/// The state of a log prefix.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// What the mission declared.
    pub mission: Option<MissionInfo>,
    /// The largest sequence number seen from each key (hex), over every entry whose signature verified,
    /// whether or not it took effect.
    pub seqs: HashMap<String, u64>,
    /// Enrolled keys by hex key.
    pub keys: HashMap<String, Enrolment>,
    /// Observations (and corrections, which are observations too) by log index.
    pub observations: BTreeMap<u64, Recorded>,
    /// Findings: (log index, commitment, obligor, violation, evidence).
    pub findings: Vec<(u64, String, String, bool, Vec<u64>)>,
    /// Report hashes: (log index, name, log size, sha256).
    pub reports: Vec<(u64, String, u64, String)>,
    /// Entries without effect, with the reason.
    pub refused: Vec<(u64, String)>,
    /// The current observations a party has disputed since a verifier's last transition of them: the
    /// verifiers' queue holds them whatever their state ([`Registry::review_queue`]), and a verifier's
    /// next transition takes them out. Kept as entries apply, so that a server need not scan every
    /// observation to find them.
    pub reopened: BTreeSet<u64>,
    /// The number of entries replayed.
    pub size: u64,
}

impl Registry {
    /// Replays the entry at the next index, given as bytes. Malformed, unsigned or refused entries are
    /// recorded in [`Registry::refused`]; the result says what happened to this one.
    pub fn apply_bytes(&mut self, bytes: &[u8]) -> Result<(), Error> {
        match decode(bytes) {
            Ok(entry) => self.apply(entry),
            Err(e) => {
                self.refuse_next(&e);
                Err(e)
            }
        }
    }

    /// Replays the next entry, already decoded and its signature verified (by [`decode`]); for
    /// recomputing from entries an audit has checked. Refused entries are recorded.
    pub fn apply(&mut self, entry: Entry) -> Result<(), Error> {
        let index = self.size;
        self.size += 1;
        let outcome = self.check(&entry);
        let mark = self.seqs.entry(entry.author.clone()).or_insert(0);
        *mark = (*mark).max(entry.seq);
        match &outcome {
            Ok(()) => self.effect(index, entry),
            Err(e) => self.refused.push((index, e.to_string())),
        }
        outcome
    }

    /// Records `bytes` as the next entry, refused with `error` (they did not decode).
    pub fn refuse_next(&mut self, error: &Error) {
        self.refused.push((self.size, error.to_string()));
        self.size += 1;
    }

    /// The UTC day of the latest observation, if any.
    pub fn last_day(&self) -> Option<Date> {
        self.observations.values().filter_map(|r| r.observation.day().ok()).max()
    }

    /// The default date of pages and reports: `today` clipped into the mission's period (`today` itself
    /// before the mission entry). Observations never move it, so no submission can.
    pub fn default_day(&self, today: Date) -> Date {
        self.mission.as_ref().map_or(today, |m| m.clip(today))
    }

    /// The sequence number the next entry by `key` (hex) must at least carry. It never wraps: after
    /// [`crate::entry::MAX_SEQ`] the key is spent, and signing its next number is refused with the reason.
    pub fn next_seq(&self, key: &str) -> u64 {
        self.seqs.get(key).map_or(1, |s| s.saturating_add(1))
    }

    /// The verifiers' queue, oldest first: the observations that [`Recorded::awaits_review`], among them
    /// every decided observation a party has disputed since the decision ([`Registry::reopened`]).
    pub fn review_queue(&self) -> impl Iterator<Item = &Recorded> {
        self.observations.values().filter(|r| r.awaits_review())
    }

    /// Whether `entry` would be accepted as the next entry.
    pub fn check(&self, entry: &Entry) -> Result<(), Error> {
        let refuse = |m: String| Err(Error::Refused(m));
        let author = &entry.author;
        if let Some(&last) = self.seqs.get(author)
            && entry.seq <= last
        {
            return Err(Error::Replayed(format!(
                "key {} already signed sequence number {last}; this entry carries {} (a copy of an entry on the log, or out of order)",
                short(author),
                entry.seq
            )));
        }
        let Some(mission) = &self.mission else {
            return match &entry.body {
                Body::Mission { start, end, classes, max_distance_m, .. } => {
                    mission_info(author, "", start, end, classes, *max_distance_m).map(|_| ())
                }
                _ => {
                    refuse("the first entry must be the mission's self-signed mission entry".into())
                }
            };
        };
        let mission_key = &mission.key;
        let in_mission = |o: &Observation| -> Result<(), Error> {
            let day = o.day()?;
            if day < mission.start || day > mission.end {
                return refuse(format!(
                    "start: {day} is outside the mission's period, {} to {}",
                    mission.start, mission.end
                ));
            }
            if !mission.classes.contains(&o.class) {
                return refuse(format!(
                    "class: {:?} is not one of the mission's classes ({})",
                    o.class,
                    mission.classes.iter().cloned().collect::<Vec<_>>().join(", ")
                ));
            }
            if let Some(d) = o.distance_m
                && d > mission.max_distance_m
            {
                return Err(Error::OutOfBounds(format!(
                    "distance_m: {d} m is beyond the mission's largest observation distance, {} m",
                    mission.max_distance_m
                )));
            }
            Ok(())
        };
        let enrolled = self.keys.get(author).filter(|e| !e.revoked);
        let role = |want: Role| -> Result<&Enrolment, Error> {
            match enrolled {
                Some(e) if e.role == want => Ok(e),
                Some(e) => Err(Error::Refused(format!(
                    "key {} ({}) is enrolled as {:?}, not {want:?}",
                    short(author),
                    e.name,
                    e.role
                ))),
                None => Err(Error::Refused(format!(
                    "key {} is not enrolled (or was revoked)",
                    short(author)
                ))),
            }
        };
        let observation = |of: u64| -> Result<&Recorded, Error> {
            self.observations
                .get(&of)
                .ok_or_else(|| Error::Refused(format!("entry {of} is not an observation")))
        };
        let not_own = |r: &Recorded, what: &str| -> Result<(), Error> {
            if &r.author == author {
                Err(Error::Refused(format!(
                    "separation of duties: the author of observation {} cannot {what} it",
                    r.index
                )))
            } else {
                Ok(())
            }
        };
        match &entry.body {
            Body::Mission { .. } => refuse("the log already has its mission entry".into()),
            Body::Enrol { key, role: r, party, .. } => {
                if author != mission_key {
                    return refuse("only the mission enrols keys".into());
                }
                crate::entry::parse_key(key)?;
                if (*r == Role::PartyDelegate) != party.is_some() {
                    return refuse("a party delegate, and only a delegate, names a party".into());
                }
                if self.keys.contains_key(key) || key == mission_key {
                    return refuse(format!("key {} is already enrolled", short(key)));
                }
                Ok(())
            }
            Body::Revoke { key, .. } => {
                if author != mission_key {
                    return refuse("only the mission revokes keys".into());
                }
                match self.keys.get(key) {
                    Some(e) if !e.revoked => Ok(()),
                    _ => refuse(format!("key {} is not enrolled", short(key))),
                }
            }
            Body::Report { .. } => {
                if author == mission_key {
                    Ok(())
                } else {
                    refuse("only the mission appends report hashes".into())
                }
            }
            Body::Observation(o) => {
                role(Role::Observer)?;
                in_mission(o)
            }
            Body::Correction { supersedes, observation: o, .. } => {
                role(Role::Observer)?;
                in_mission(o)?;
                let old = observation(*supersedes)?;
                if &old.author != author {
                    return refuse(format!(
                        "only the author of observation {supersedes} can correct it"
                    ));
                }
                if let Some(by) = old.superseded_by {
                    return refuse(format!(
                        "observation {supersedes} was already superseded by {by}"
                    ));
                }
                Ok(())
            }
            Body::Verification { of, to, reason } => {
                role(Role::Verifier)?;
                let r = observation(*of)?;
                not_own(r, "verify")?;
                use VerificationState::*;
                let legal = matches!(
                    (r.state, to),
                    (Received, UnderReview)
                        | (UnderReview, Corroborated | Unverifiable | Rejected)
                        | (Corroborated | Unverifiable | Rejected, UnderReview)
                );
                if !legal {
                    return refuse(format!(
                        "observation {of} is {}; it cannot go to {}",
                        r.state.as_str(),
                        to.as_str()
                    ));
                }
                if matches!(to, Unverifiable | Rejected)
                    && reason.as_deref().is_none_or(|s| s.trim().is_empty())
                {
                    return refuse(format!("going to {} needs a reason", to.as_str()));
                }
                Ok(())
            }
            Body::Assessment { of, .. } | Body::Attribution { of, .. } => {
                role(Role::Verifier)?;
                not_own(observation(*of)?, "assess or attribute")
            }
            Body::Finding { evidence, .. } => {
                role(Role::Verifier)?;
                if evidence.iter().any(|i| *i >= self.size) {
                    return refuse("a finding can only cite earlier entries".into());
                }
                Ok(())
            }
            Body::Annotation { of, party, .. } => {
                let e = role(Role::PartyDelegate)?;
                if e.party.as_deref() != Some(party.as_str()) {
                    return refuse(format!(
                        "a delegate of {} cannot annotate for {party}",
                        e.party.as_deref().unwrap_or("?")
                    ));
                }
                if *of >= self.size {
                    return refuse("an annotation can only concern an earlier entry".into());
                }
                Ok(())
            }
        }
    }

    fn effect(&mut self, index: u64, entry: Entry) {
        let author = entry.author;
        match entry.body {
            Body::Mission { name, start, end, classes, max_distance_m } => {
                self.mission =
                    mission_info(&author, &name, &start, &end, &classes, max_distance_m).ok()
            }
            Body::Enrol { key, name, role, party } => {
                self.keys.insert(key, Enrolment { name, role, party, revoked: false });
            }
            Body::Revoke { key, .. } => {
                if let Some(e) = self.keys.get_mut(&key) {
                    e.revoked = true;
                }
            }
            Body::Observation(o) => self.record(index, author, o),
            Body::Correction { supersedes, observation, .. } => {
                if let Some(old) = self.observations.get_mut(&supersedes) {
                    old.superseded_by = Some(index);
                }
                self.reopened.remove(&supersedes);
                self.record(index, author, observation);
            }
            Body::Verification { of, to, .. } => {
                if let Some(r) = self.observations.get_mut(&of) {
                    r.state = to;
                    r.transitions.push(index);
                }
                self.reopened.remove(&of);
            }
            Body::Attribution { of, party, confidence } => {
                if let Some(r) = self.observations.get_mut(&of) {
                    r.attributions.push((index, party, confidence));
                }
            }
            Body::Annotation { of, party, stance, text } => {
                if let Some(r) = self.observations.get_mut(&of) {
                    r.annotations.push(Annotated { index, party, stance, text });
                    if stance == AnnotationStance::Dispute && r.superseded_by.is_none() {
                        self.reopened.insert(of);
                    }
                }
            }
            Body::Finding { commitment, obligor, violation, evidence, .. } => {
                self.findings.push((index, commitment, obligor, violation, evidence))
            }
            Body::Report { name, log_size, sha256 } => {
                self.reports.push((index, name, log_size, sha256))
            }
            Body::Assessment { .. } => {}
        }
    }

    fn record(&mut self, index: u64, author: String, observation: Observation) {
        self.observations.insert(
            index,
            Recorded {
                index,
                author,
                observation,
                state: VerificationState::Received,
                transitions: Vec::new(),
                superseded_by: None,
                attributions: Vec::new(),
                annotations: Vec::new(),
            },
        );
    }
}

/// Reads the mission entry's period, classes and largest observation distance.
fn mission_info(
    key: &str,
    name: &str,
    start: &str,
    end: &str,
    classes: &[String],
    max_distance_m: Option<u32>,
) -> Result<MissionInfo, Error> {
    let date = |field: &str, s: &str| -> Result<Date, Error> {
        s.parse::<Date>().ok().filter(|_| s.len() == 10).ok_or_else(|| {
            Error::Refused(format!("mission {field}: {s:?} is not a date (expected YYYY-MM-DD)"))
        })
    };
    let (start, end) = (date("start", start)?, date("end", end)?);
    if end < start {
        return Err(Error::Refused(format!(
            "mission period: it ends ({end}) before it starts ({start})"
        )));
    }
    if classes.is_empty() {
        return Err(Error::Refused(
            "mission classes: expected at least one observation class".into(),
        ));
    }
    let mut set = BTreeSet::new();
    for c in classes {
        if c.is_empty()
            || !c.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(Error::Refused(format!(
                "mission classes: {c:?} is not a class name (expected lowercase letters, digits and _)"
            )));
        }
        if !set.insert(c.clone()) {
            return Err(Error::Refused(format!("mission classes: {c:?} is given twice")));
        }
    }
    let max_distance_m = max_distance_m.unwrap_or(DEFAULT_MAX_DISTANCE_M);
    if !(1..=MAX_DECLARED_DISTANCE_M).contains(&max_distance_m) {
        return Err(Error::Refused(format!(
            "mission max_distance_m: {max_distance_m} is out of range (expected 1 to {MAX_DECLARED_DISTANCE_M} metres)"
        )));
    }
    Ok(MissionInfo {
        name: name.to_string(),
        key: key.to_string(),
        start,
        end,
        classes: set,
        max_distance_m,
    })
}

fn short(key: &str) -> &str {
    key.get(..12).unwrap_or(key)
}
