//! Agents: what a party does on its turn. One trait, [`Agent`], and the built-in strategies.
//!
//! An agent knows its own party's utilities ([`Context::me`]) and what the others offer; it never sees
//! another party's utilities. It finds packages near a utility level through its party's
//! [`crate::Inverse`] (a DP over issues), never by enumerating packages. Every package it can name is
//! already within every party's red lines: the setting's problem holds only the options the Table left
//! open. It never accepts or offers a package below its reservation value: [`PartyView::min`] is at
//! least the reservation, and the default [`Agent::accepts`] checks it.
//!
//! # The built-in strategies ([`AgentSpec`])
//!
//! - **Time-based** (`boulware`, `linear`, `conceder`, `aspiration:E`): NegMAS's `PolyAspiration`. At
//!   relative time t the aspiration is a(t) = 1 − t^E (E = 4 Boulware, 1 Linear, 0.25 Conceder), and the
//!   threshold in utility is `max(min, min + (max − min)·a(t) − 1e-4)`, the 1e-4 being NegMAS's tolerance
//!   (`UtilBasedNegotiator`'s `eps`). It offers the package of least utility at or above the threshold
//!   ([`crate::Inverse::at_least`]) and accepts an offer worth at least the threshold.
//! - **Hard-headed** (`hardheaded`): the time-based rule with E = ∞: it offers its best package and
//!   accepts only offers within 1e-4 of it. It never concedes.
//! - **Tit-for-tat** (`tft`, `tft-relative`): starts at its best and moves its level only when the others
//!   move. Naive: when another party's new offer is worth δ more (in this party's own normalised
//!   utility) than that party's previous one, it lowers its level by δ. Relative: it lowers its level by
//!   the same *fraction* of its remaining room (level − reservation share) as the other closed of the gap
//!   between its previous offer and this party's best. With several others, the mean of their moves.
//!   It offers at its level and accepts offers worth at least its level. In the single text it mirrors
//!   the mediator's texts the same way.
//! - **MiCRO** (`micro`, de Jonge 2022): ranks its distinct utility levels from the best down and concedes
//!   one level each time, but only while every other party has made at least as many distinct offers as it
//!   has; otherwise it repeats one of its earlier offers (chosen at random). It accepts an offer worth at
//!   least its next level. In the single text it concedes one level for each distinct text the mediator
//!   proposes after the first.
//! - **Random** (`random`): each turn a uniform level in its range; it offers at that level and accepts
//!   offers worth at least it. The baseline.
//!
//! In the mediator's single text ([`Agent::review`]) every agent answers the text by its
//! [`Agent::threshold`]: it accepts a text worth at least its threshold, and otherwise objects by naming
//! the issues it wants changed, each with the option it wants and what the change is worth to it, most
//! valuable first, until the named gains cover its shortfall.

use std::collections::HashSet;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::setting::{PartyView, Setting};

/// NegMAS's tolerance around an aspiration level (`UtilBasedNegotiator.eps`).
pub const TOLERANCE: f64 = 1e-4;

/// What an agent sees on its turn.
pub struct Context<'a> {
    /// The party this agent negotiates for.
    pub party: usize,
    /// The round, from 0.
    pub round: u32,
    /// The deadline: rounds 0 to `rounds − 1` are played.
    pub rounds: u32,
    /// The setting. An agent reads its own [`PartyView`] ([`Context::me`]) and the problem's shape;
    /// the built-in agents never read another party's view.
    pub setting: &'a Setting,
    /// This agent's random numbers, seeded from the run's seed.
    pub rng: &'a mut ChaCha8Rng,
}

impl Context<'_> {
    /// Relative time, as NegMAS counts it: (round + 1) / (rounds + 1), in (0, 1).
    pub fn time(&self) -> f64 {
        f64::from(self.round + 1) / (f64::from(self.rounds) + 1.0)
    }

    /// This party's view.
    pub fn me(&self) -> &PartyView {
        &self.setting.parties[self.party]
    }

    /// The utility of `package` to this party.
    pub fn utility(&self, package: &[u32]) -> f64 {
        self.setting.utility(self.party, package)
    }

    /// The package of least utility at or above `level` (this party's best when none reaches it).
    pub fn package_at(&self, level: f64) -> Vec<u32> {
        let inverse = &self.me().inverse;
        inverse.package(inverse.at_least(level).unwrap_or_else(|| inverse.best()))
    }
}

/// An offer (or a mediator's text) as one party sees it.
#[derive(Debug, Clone)]
pub struct Offer<'a> {
    /// Who made it (`None`: the mediator).
    pub by: Option<usize>,
    /// The package.
    pub package: &'a [u32],
    /// Its utility to the party looking at it.
    pub utility: f64,
}

/// One change a party asks of the mediator's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The problem's issue.
    pub issue: usize,
    /// The option the party wants there.
    pub option: u32,
    /// What the change is worth to the party, in its own utility.
    pub gain: f64,
}

/// A party's answer to the mediator's text.
#[derive(Debug, Clone, PartialEq)]
pub enum Review {
    /// It accepts the text.
    Accept,
    /// It objects: the changes it asks for, most valuable first, and how far below its threshold the text is.
    Object {
        /// The changes.
        changes: Vec<Change>,
        /// Threshold minus the text's utility, in the party's own utility.
        shortfall: f64,
    },
}

/// A negotiating strategy. Implement it to rehearse your own.
///
/// The protocol calls, on a party's turn: [`Agent::observe`] for each new offer by another party, then
/// [`Agent::accepts`] for the offer(s) it must answer, then (if no agreement) [`Agent::propose`]. In the
/// mediator's single text it calls [`Agent::observe`] with the text (`by: None`), then [`Agent::review`],
/// once a round. All calls for one run come from one
/// thread, in a deterministic order.
pub trait Agent: Send {
    /// The utility (in this party's units) at or above which the agent accepts now.
    fn threshold(&mut self, cx: &mut Context<'_>) -> f64;

    /// Its offer now. `None` walks away, which ends the negotiation without agreement.
    fn propose(&mut self, cx: &mut Context<'_>) -> Option<Vec<u32>>;

    /// Sees an offer made by another party.
    fn observe(&mut self, _cx: &mut Context<'_>, _offer: &Offer<'_>) {}

    /// Whether it accepts `offer`: by default, when it is worth at least the threshold and the reservation.
    fn accepts(&mut self, cx: &mut Context<'_>, offer: &Offer<'_>) -> bool {
        let threshold = self.threshold(cx);
        offer.utility >= threshold && offer.utility >= cx.me().reservation
    }

    /// Answers the mediator's text: by default accepts as [`Agent::accepts`] would, or objects with
    /// [`objection`].
    fn review(&mut self, cx: &mut Context<'_>, text: &Offer<'_>) -> Review {
        if self.accepts(cx, text) {
            return Review::Accept;
        }
        let threshold = self.threshold(cx).max(cx.me().reservation);
        objection(cx, text.package, threshold - text.utility)
    }
}

/// The changes that would close `shortfall` on `text`: for each issue, this party's best option there and
/// what switching to it is worth, most valuable first, until the gains cover the shortfall.
pub fn objection(cx: &Context<'_>, text: &[u32], shortfall: f64) -> Review {
    let problem = &cx.setting.problem;
    let d = problem.parties;
    let mut changes: Vec<Change> = problem
        .issues
        .iter()
        .zip(text)
        .enumerate()
        .filter_map(|(i, (issue, &current))| {
            let value = |o: usize| issue.row(o, d)[cx.party];
            let best = (0..issue.options)
                .max_by(|&a, &b| value(a).total_cmp(&value(b)).then(b.cmp(&a)))?;
            let gain = value(best) - value(current as usize);
            (gain > 0.0).then_some(Change { issue: i, option: best as u32, gain })
        })
        .collect();
    changes.sort_by(|a, b| b.gain.total_cmp(&a.gain).then(a.issue.cmp(&b.issue)));
    let mut covered = 0.0;
    let keep = changes
        .iter()
        .position(|c| {
            covered += c.gain;
            covered >= shortfall
        })
        .map_or(changes.len(), |i| i + 1);
    changes.truncate(keep);
    Review::Object { changes, shortfall: shortfall.max(0.0) }
}

/// A built-in strategy, by name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AgentSpec {
    /// Time-based concession with aspiration 1 − t^exponent (4 Boulware, 1 Linear, 0.25 Conceder).
    TimeBased(f64),
    /// Never concedes.
    HardHeaded,
    /// Mirrors the others' concessions, absolutely.
    TitForTat,
    /// Mirrors the others' concessions, relatively.
    RelativeTitForTat,
    /// MiCRO.
    Micro,
    /// Uniform random levels.
    Random,
}

impl AgentSpec {
    /// The names [`AgentSpec::parse`] reads, for help texts.
    pub const NAMES: &'static str =
        "boulware, linear, conceder, aspiration:E, hardheaded, tft, tft-relative, micro, random";

    /// Reads a strategy name: `boulware`, `linear`, `conceder`, `aspiration:E` (E > 0), `hardheaded`,
    /// `tft`, `tft-relative`, `micro` or `random`.
    pub fn parse(name: &str) -> Result<AgentSpec, String> {
        Ok(match name.trim().to_ascii_lowercase().as_str() {
            "boulware" => AgentSpec::TimeBased(4.0),
            "linear" => AgentSpec::TimeBased(1.0),
            "conceder" => AgentSpec::TimeBased(0.25),
            "hardheaded" | "hard-headed" => AgentSpec::HardHeaded,
            "tft" | "titfortat" | "tit-for-tat" => AgentSpec::TitForTat,
            "tft-relative" | "relative-tft" => AgentSpec::RelativeTitForTat,
            "micro" => AgentSpec::Micro,
            "random" => AgentSpec::Random,
            other => match other.strip_prefix("aspiration:").map(str::parse::<f64>) {
                Some(Ok(e)) if e > 0.0 && e.is_finite() => AgentSpec::TimeBased(e),
                _ => {
                    return Err(format!(
                        "unknown agent `{name}`: expected one of {}",
                        AgentSpec::NAMES
                    ));
                }
            },
        })
    }

    /// The strategy's name, as [`AgentSpec::parse`] reads it.
    pub fn name(&self) -> String {
        match self {
            AgentSpec::TimeBased(e) if *e == 4.0 => "boulware".into(),
            AgentSpec::TimeBased(e) if *e == 1.0 => "linear".into(),
            AgentSpec::TimeBased(e) if *e == 0.25 => "conceder".into(),
            AgentSpec::TimeBased(e) => format!("aspiration:{e}"),
            AgentSpec::HardHeaded => "hardheaded".into(),
            AgentSpec::TitForTat => "tft".into(),
            AgentSpec::RelativeTitForTat => "tft-relative".into(),
            AgentSpec::Micro => "micro".into(),
            AgentSpec::Random => "random".into(),
        }
    }

    /// A fresh agent of this strategy for one negotiation.
    pub fn build(&self) -> Box<dyn Agent> {
        match *self {
            AgentSpec::TimeBased(e) => Box::new(TimeBased { exponent: e }),
            AgentSpec::HardHeaded => Box::new(TimeBased { exponent: f64::INFINITY }),
            AgentSpec::TitForTat => Box::new(TitForTat::new(false)),
            AgentSpec::RelativeTitForTat => Box::new(TitForTat::new(true)),
            AgentSpec::Micro => Box::new(Micro::default()),
            AgentSpec::Random => Box::new(RandomAgent),
        }
    }
}

/// NegMAS's threshold for a share `a` of the range: `max(min, min + (max − min)·a − 1e-4)`, at most `max`.
fn level_threshold(me: &PartyView, a: f64) -> f64 {
    (me.at_share(a) - TOLERANCE).clamp(me.min, me.max.max(me.min))
}

/// Time-based concession (NegMAS `PolyAspiration`); exponent ∞ is hard-headed.
#[derive(Debug, Clone)]
pub struct TimeBased {
    /// E in a(t) = 1 − t^E.
    pub exponent: f64,
}

impl TimeBased {
    /// The aspiration a(t) = 1 − t^E, as a share of the range.
    pub fn aspiration(&self, t: f64) -> f64 {
        if self.exponent.is_infinite() {
            if t >= 1.0 { 0.0 } else { 1.0 }
        } else {
            1.0 - t.powf(self.exponent)
        }
    }
}

impl Agent for TimeBased {
    fn threshold(&mut self, cx: &mut Context<'_>) -> f64 {
        level_threshold(cx.me(), self.aspiration(cx.time()))
    }

    fn propose(&mut self, cx: &mut Context<'_>) -> Option<Vec<u32>> {
        let level = self.threshold(cx);
        Some(cx.package_at(level))
    }
}

/// Tit-for-tat, naive or relative.
#[derive(Debug, Clone)]
pub struct TitForTat {
    relative: bool,
    /// Own level, as a share of the range.
    level: f64,
    /// Each other party's previous and latest offer, as shares of this party's range.
    seen: Vec<(Option<f64>, Option<f64>)>,
}

impl TitForTat {
    fn new(relative: bool) -> TitForTat {
        TitForTat { relative, level: 1.0, seen: Vec::new() }
    }

    fn update(&mut self, cx: &Context<'_>) {
        let moves: Vec<(f64, f64)> =
            self.seen.iter().filter_map(|(p, l)| Some(((*p)?, (*l)?))).collect();
        if moves.is_empty() {
            return;
        }
        let n = moves.len() as f64;
        let floor = if cx.me().reservation.is_finite() {
            cx.me().normalized(cx.me().reservation).max(0.0)
        } else {
            0.0
        };
        let step = if self.relative {
            let ratio = moves
                .iter()
                .map(|(p, l)| if 1.0 - p > 0.0 { ((l - p) / (1.0 - p)).max(0.0) } else { 0.0 })
                .sum::<f64>()
                / n;
            (self.level - floor).max(0.0) * ratio.min(1.0)
        } else {
            moves.iter().map(|(p, l)| (l - p).max(0.0)).sum::<f64>() / n
        };
        self.level = (self.level - step).clamp(floor, 1.0);
        // A move is mirrored once.
        for s in &mut self.seen {
            s.0 = s.1;
        }
    }
}

impl Agent for TitForTat {
    fn observe(&mut self, cx: &mut Context<'_>, offer: &Offer<'_>) {
        // The mediator's texts are mirrored like another party's offers.
        let by = offer.by.unwrap_or(cx.setting.len());
        if self.seen.len() <= cx.setting.len() {
            self.seen.resize(cx.setting.len() + 1, (None, None));
        }
        let share = cx.me().normalized(offer.utility);
        let s = &mut self.seen[by];
        if s.1.is_none() {
            *s = (Some(share), Some(share));
        } else {
            s.1 = Some(share);
        }
        self.update(cx);
    }

    fn threshold(&mut self, cx: &mut Context<'_>) -> f64 {
        level_threshold(cx.me(), self.level)
    }

    fn propose(&mut self, cx: &mut Context<'_>) -> Option<Vec<u32>> {
        let level = self.threshold(cx);
        Some(cx.package_at(level))
    }
}

/// MiCRO.
#[derive(Debug, Clone, Default)]
pub struct Micro {
    /// Its distinct offers so far, in order.
    made: Vec<Vec<u32>>,
    /// The distinct offers received from each other party.
    received: Vec<HashSet<Vec<u32>>>,
    /// The mediator's distinct texts so far (in the single text).
    texts: HashSet<Vec<u32>>,
}

impl Micro {
    /// The utility of its k-th level from the top, never below its reservation.
    fn level(cx: &Context<'_>, k: usize) -> f64 {
        let inverse = &cx.me().inverse;
        let i = inverse.best().saturating_sub(k);
        inverse.utility(i).max(cx.me().min)
    }

    fn may_concede(&self, cx: &Context<'_>) -> bool {
        let m = self.made.len();
        m == 0
            || (0..cx.setting.len())
                .filter(|&p| p != cx.party)
                .all(|p| self.received.get(p).is_some_and(|r| r.len() >= m))
    }
}

impl Agent for Micro {
    fn observe(&mut self, cx: &mut Context<'_>, offer: &Offer<'_>) {
        let Some(by) = offer.by else { return };
        if self.received.len() < cx.setting.len() {
            self.received.resize(cx.setting.len(), HashSet::new());
        }
        if !self.received[by].contains(offer.package) {
            self.received[by].insert(offer.package.to_vec());
        }
    }

    fn threshold(&mut self, cx: &mut Context<'_>) -> f64 {
        Micro::level(cx, self.made.len())
    }

    fn propose(&mut self, cx: &mut Context<'_>) -> Option<Vec<u32>> {
        if self.may_concede(cx) {
            let level = Micro::level(cx, self.made.len());
            let package = cx.package_at(level);
            if !self.made.contains(&package) {
                self.made.push(package.clone());
            }
            return Some(package);
        }
        let i = cx.rng.random_range(0..self.made.len());
        Some(self.made[i].clone())
    }

    /// In the single text MiCRO makes no offers: it reciprocates the mediator's moves instead, conceding
    /// one level for each distinct text after the first.
    fn review(&mut self, cx: &mut Context<'_>, text: &Offer<'_>) -> Review {
        if !self.texts.contains(text.package) {
            self.texts.insert(text.package.to_vec());
        }
        let threshold = Micro::level(cx, self.texts.len().saturating_sub(1));
        if text.utility >= threshold {
            return Review::Accept;
        }
        objection(cx, text.package, threshold - text.utility)
    }
}

/// Uniform random levels.
#[derive(Debug, Clone, Copy)]
pub struct RandomAgent;

impl Agent for RandomAgent {
    fn threshold(&mut self, cx: &mut Context<'_>) -> f64 {
        let x: f64 = cx.rng.random();
        cx.me().at_share(x)
    }

    fn propose(&mut self, cx: &mut Context<'_>) -> Option<Vec<u32>> {
        let level = self.threshold(cx);
        Some(cx.package_at(level))
    }
}
