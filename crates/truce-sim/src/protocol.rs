//! The protocols: alternating offers, stacked alternating offers and the mediator's single text.
//!
//! Every protocol runs in rounds 0 to `rounds − 1`. In round r every agent sees relative time
//! (r + 1) / (rounds + 1), as NegMAS's `SAOMechanism` counts steps. A run is a pure function of the
//! setting, the agents and the seed.
//!
//! - **Alternating offers** ([`Protocol::Saop`]). Parties take turns in their order. On its turn a party
//!   first answers every open offer of the others that it has not answered yet, then makes its own offer,
//!   which replaces its previous one. An offer is agreed as soon as every other party has accepted it; one
//!   rejection closes it. With two parties this is Rubinstein's protocol and NegMAS's `SAOMechanism`
//!   exactly: A offers, B accepts or rejects and counter-offers, A accepts or rejects and counter-offers,
//!   and so on. With more, every offer goes round the table once.
//! - **Stacked alternating offers** ([`Protocol::Stacked`]; Aydoğan et al. 2017, the protocol of ANAC's
//!   multilateral leagues and NegMAS's multilateral `SAOMechanism`). One offer stands at a time. On its
//!   turn a party accepts it or replaces it with its own offer (or walks away). The standing offer is agreed
//!   when every party other than its proposer has accepted it in succession. With two parties it is the
//!   same as alternating offers.
//! - **The mediator's single text** ([`Protocol::SingleText`]; Raiffa's single negotiating text, used at
//!   Camp David). Each round the mediator proposes one package, the text; every party accepts it or
//!   objects, naming the issues it wants changed and what each change is worth to it
//!   ([`crate::Review`]). All accept: agreement. Otherwise the mediator revises the text by this rule:
//!   - the mediator knows the Pareto set of rational packages (the Table's exact frontier) and each party's
//!     utilities (a mediator holds the parties' confidential preferences), but not how much each party
//!     wants now;
//!   - it keeps a *demand* per party, as a share of that party's range, starting at 0: an objecting party's
//!     demand becomes its share in the text plus the share its named changes are worth; an accepting
//!     party's demand becomes its share in the text (it is content with that much);
//!   - its text is the Pareto point with the largest smallest slack (share minus demand), ties to the
//!     larger sum of shares, then to the earlier point.
//!
//!   So the first text is the egalitarian point of normalised utilities, and each revision climbs along
//!   the Pareto set towards the parties that object, at the expense of those that accept. Every text is
//!   Pareto-optimal, so any agreement is.
//!
//!   The rule cannot promise to find an agreement whenever one exists: the mediator learns how much a
//!   party wants only when it objects, so a party that keeps accepting a generous text hides how far it has
//!   come down since, and the text can swing between two parties while a middle package has become
//!   acceptable to both. On 500 random small problems with time-based parties, it found an agreement in
//!   445 of the 446 where one existed by the deadline (`tests/it/single_text.rs`). The run ends in agreement, or at the deadline in an impasse
//!   whose last text and objections are in the trace; when no package meets every reservation value the
//!   mediator has no text and the run ends at once, as an impasse.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::agent::{Agent, Change, Context, Offer, Review};
use crate::setting::Setting;

/// A negotiation protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// Alternating offers: every offer goes round the table.
    Saop,
    /// Stacked alternating offers: one standing offer, accepted in succession or replaced.
    Stacked,
    /// The mediator's single negotiating text.
    SingleText,
}

impl Protocol {
    /// Every protocol.
    pub const ALL: [Protocol; 3] = [Protocol::Saop, Protocol::Stacked, Protocol::SingleText];

    /// Its name: `saop`, `stacked` or `single-text`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Saop => "saop",
            Protocol::Stacked => "stacked",
            Protocol::SingleText => "single-text",
        }
    }

    /// Reads a protocol name.
    pub fn parse(name: &str) -> Result<Protocol, String> {
        match name.trim().to_ascii_lowercase().as_str() {
            "saop" | "alternating" => Ok(Protocol::Saop),
            "stacked" | "saopmn" => Ok(Protocol::Stacked),
            "single-text" | "single_text" | "mediated" | "mst" => Ok(Protocol::SingleText),
            _ => Err(format!("unknown protocol `{name}`: expected saop, stacked or single-text")),
        }
    }
}

/// What happened in a move.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A party offered the package.
    Offer,
    /// A party accepted the package.
    Accept,
    /// The mediator proposed the package as its text.
    Text,
    /// A party objected to the text, asking for these changes.
    Object(Vec<Change>),
    /// A party walked away.
    WalkAway,
}

/// One move of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    /// The round, from 0.
    pub round: u32,
    /// Who moved; `None` for the mediator.
    pub party: Option<usize>,
    /// What it did.
    pub action: Action,
    /// The package concerned (empty for a walk-away).
    pub package: Vec<u32>,
    /// Its utility to every party (problem units; empty for a walk-away).
    pub utilities: Vec<f64>,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Every party accepted one package.
    Agreement,
    /// The deadline passed without agreement.
    Deadline,
    /// A party walked away.
    WalkedAway(usize),
    /// The mediator had no text: no package meets every reservation value.
    NoText,
}

/// The result of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// How it ended.
    pub end: End,
    /// The agreed package, if any.
    pub agreement: Option<Vec<u32>>,
    /// The agreed package's utility to every party (problem units).
    pub utilities: Option<Vec<f64>>,
    /// Rounds played: the agreement's round + 1, or the deadline.
    pub rounds: u32,
    /// Offers and texts made.
    pub offers: u32,
    /// The moves, when asked for ([`Run::trace`]): every one, or the first and last [`TRACE_LIMIT`]/2
    /// of a longer run (or of the limit given to [`Run::play_keeping`]), so that memory stays bounded
    /// whatever the deadline and the number of parties.
    pub trace: Vec<Move>,
    /// Moves left out of `trace` between its two halves.
    pub trace_omitted: usize,
}

/// The most moves an [`Outcome`] keeps.
pub const TRACE_LIMIT: usize = 2_000;

/// One negotiation to run.
pub struct Run<'a> {
    /// The setting.
    pub setting: &'a Setting,
    /// The protocol.
    pub protocol: Protocol,
    /// The deadline in rounds (at least 1).
    pub rounds: u32,
    /// The seed for the agents' random numbers.
    pub seed: u64,
    /// Whether to keep every move.
    pub trace: bool,
}

struct Table<'a> {
    run: &'a Run<'a>,
    rngs: Vec<ChaCha8Rng>,
    outcome: Outcome,
    /// The latest moves once the first half of the trace is full.
    tail: std::collections::VecDeque<Move>,
    /// The deadline played: [`Run::rounds`], at least 1.
    rounds: u32,
    /// The most moves the trace keeps: the first and the last half of it.
    trace_limit: usize,
}

impl<'a> Table<'a> {
    fn cx<'b>(&'b mut self, party: usize, round: u32) -> Context<'b>
    where
        'a: 'b,
    {
        Context {
            party,
            round,
            rounds: self.rounds,
            setting: self.run.setting,
            rng: &mut self.rngs[party],
        }
    }

    fn record(&mut self, round: u32, party: Option<usize>, action: Action, package: &[u32]) {
        if matches!(action, Action::Offer | Action::Text) {
            self.outcome.offers += 1;
        }
        if self.run.trace {
            let utilities = if package.is_empty() {
                Vec::new()
            } else {
                (0..self.run.setting.len()).map(|p| self.run.setting.utility(p, package)).collect()
            };
            let m = Move { round, party, action, package: package.to_vec(), utilities };
            let half = self.trace_limit / 2;
            if self.outcome.trace.len() < half {
                self.outcome.trace.push(m);
            } else if half == 0 {
                self.outcome.trace_omitted += 1;
            } else {
                if self.tail.len() == half {
                    self.tail.pop_front();
                    self.outcome.trace_omitted += 1;
                }
                self.tail.push_back(m);
            }
        }
    }

    fn agree(&mut self, round: u32, package: Vec<u32>) {
        let utilities =
            (0..self.run.setting.len()).map(|p| self.run.setting.utility(p, &package)).collect();
        self.outcome.end = End::Agreement;
        self.outcome.rounds = round + 1;
        self.outcome.utilities = Some(utilities);
        self.outcome.agreement = Some(package);
    }

    /// Party `i`'s offer, recorded; or, when it walks away, the end of the run (`None`).
    fn propose(&mut self, agent: &mut dyn Agent, i: usize, round: u32) -> Option<Vec<u32>> {
        let proposal = agent.propose(&mut self.cx(i, round));
        match &proposal {
            Some(package) => self.record(round, Some(i), Action::Offer, package),
            None => {
                self.record(round, Some(i), Action::WalkAway, &[]);
                self.outcome.end = End::WalkedAway(i);
                self.outcome.rounds = round + 1;
            }
        }
        proposal
    }

    /// Party `i` sees `package`, offered by `by`, and answers it; an acceptance is recorded.
    fn answer(
        &mut self,
        agent: &mut dyn Agent,
        i: usize,
        round: u32,
        by: usize,
        package: &[u32],
    ) -> bool {
        let offer = self.offer(i, Some(by), package);
        let mut cx = self.cx(i, round);
        agent.observe(&mut cx, &offer);
        let accepted = agent.accepts(&mut cx, &offer);
        if accepted {
            self.record(round, Some(i), Action::Accept, package);
        }
        accepted
    }

    fn offer<'o>(&self, party: usize, by: Option<usize>, package: &'o [u32]) -> Offer<'o> {
        Offer { by, package, utility: self.run.setting.utility(party, package) }
    }
}

impl Run<'_> {
    /// Runs the negotiation with `agents`, one per party in party order (seat order: the first moves
    /// first). A trace keeps at most [`TRACE_LIMIT`] moves.
    ///
    /// # Panics
    ///
    /// When the number of agents is not the number of parties.
    pub fn play(&self, agents: &mut [Box<dyn Agent>]) -> Outcome {
        self.play_keeping(agents, TRACE_LIMIT)
    }

    /// Runs the negotiation as [`Run::play`] does, keeping at most `trace_limit` moves in the trace (the
    /// first and the last `trace_limit / 2`); [`Outcome::trace_omitted`] counts the others.
    ///
    /// # Panics
    ///
    /// When the number of agents is not the number of parties.
    pub fn play_keeping(&self, agents: &mut [Box<dyn Agent>], trace_limit: usize) -> Outcome {
        let n = self.setting.len();
        assert_eq!(agents.len(), n, "one agent per party");
        let rngs = (0..n as u64)
            .map(|p| {
                ChaCha8Rng::seed_from_u64(self.seed ^ (p + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
            })
            .collect();
        let mut table = Table {
            run: self,
            rngs,
            outcome: Outcome {
                end: End::Deadline,
                agreement: None,
                utilities: None,
                rounds: self.rounds.max(1),
                offers: 0,
                trace: Vec::new(),
                trace_omitted: 0,
            },
            tail: std::collections::VecDeque::new(),
            rounds: self.rounds.max(1),
            trace_limit,
        };
        if n >= 1 {
            match self.protocol {
                Protocol::Saop => saop(&mut table, agents),
                Protocol::Stacked => stacked(&mut table, agents),
                Protocol::SingleText => single_text(&mut table, agents),
            }
        }
        let tail = std::mem::take(&mut table.tail);
        table.outcome.trace.extend(tail);
        table.outcome
    }
}

/// An open offer in alternating offers.
struct Open {
    by: usize,
    package: Vec<u32>,
    /// Who has accepted it (its proposer counts).
    accepted: Vec<bool>,
}

fn saop(t: &mut Table<'_>, agents: &mut [Box<dyn Agent>]) {
    let n = agents.len();
    let mut open: Vec<Open> = Vec::new();
    for round in 0..t.rounds {
        // A caller that gave up (a server's deadline) raised the flag: stop, the result is discarded.
        if truce_table::cancel::cancelled() {
            return;
        }
        for (i, agent) in agents.iter_mut().enumerate() {
            // Answer every open offer of the others, oldest first.
            let mut k = 0;
            while k < open.len() {
                if open[k].by == i || open[k].accepted[i] {
                    k += 1;
                    continue;
                }
                let package = open[k].package.clone();
                if t.answer(agent.as_mut(), i, round, open[k].by, &package) {
                    open[k].accepted[i] = true;
                    if open[k].accepted.iter().all(|&a| a) {
                        t.agree(round, package);
                        return;
                    }
                    k += 1;
                } else {
                    open.remove(k);
                }
            }
            let Some(package) = t.propose(agent.as_mut(), i, round) else { return };
            open.retain(|o| o.by != i);
            let mut accepted = vec![false; n];
            accepted[i] = true;
            if n == 1 {
                t.agree(round, package);
                return;
            }
            open.push(Open { by: i, package, accepted });
        }
    }
}

fn stacked(t: &mut Table<'_>, agents: &mut [Box<dyn Agent>]) {
    let n = agents.len();
    let mut standing: Option<(usize, Vec<u32>)> = None;
    let mut acceptances = 0;
    for round in 0..t.rounds {
        // A caller that gave up (a server's deadline) raised the flag: stop, the result is discarded.
        if truce_table::cancel::cancelled() {
            return;
        }
        for (i, agent) in agents.iter_mut().enumerate() {
            if let Some((by, package)) = &standing {
                let (by, package) = (*by, package.clone());
                if t.answer(agent.as_mut(), i, round, by, &package) {
                    acceptances += 1;
                    if acceptances == n - 1 {
                        t.agree(round, package);
                        return;
                    }
                    continue;
                }
            }
            let Some(package) = t.propose(agent.as_mut(), i, round) else { return };
            if n == 1 {
                t.agree(round, package);
                return;
            }
            standing = Some((i, package));
            acceptances = 0;
        }
    }
}

fn single_text(t: &mut Table<'_>, agents: &mut [Box<dyn Agent>]) {
    let setting = t.run.setting;
    if setting.frontier.is_empty() {
        t.outcome.end = End::NoText;
        t.outcome.rounds = 0;
        return;
    }
    let n = agents.len();
    // Each Pareto point's shares of every party's range.
    let shares: Vec<Vec<f64>> = setting
        .frontier
        .iter()
        .map(|(u, _)| u.iter().zip(&setting.parties).map(|(x, p)| p.normalized(*x)).collect())
        .collect();
    // Each point's sum of shares, added in an order that does not depend on the seating.
    let sums: Vec<f64> = shares.iter().map(|s| crate::setting::welfare(s)).collect();
    let mut demand = vec![0.0f64; n];
    for round in 0..t.rounds {
        // A caller that gave up (a server's deadline) raised the flag: stop, the result is discarded.
        if truce_table::cancel::cancelled() {
            return;
        }
        let text = mediator_text(&shares, &sums, &demand);
        let package = setting.frontier[text].1.clone();
        t.record(round, None, Action::Text, &package);
        let mut all = true;
        for (i, agent) in agents.iter_mut().enumerate() {
            let offer = t.offer(i, None, &package);
            let review = {
                let mut cx = t.cx(i, round);
                agent.observe(&mut cx, &offer);
                agent.review(&mut cx, &offer)
            };
            let share = shares[text][i];
            match review {
                Review::Accept => {
                    t.record(round, Some(i), Action::Accept, &package);
                    demand[i] = share;
                }
                Review::Object { changes, shortfall } => {
                    all = false;
                    let me = &setting.parties[i];
                    let range = me.max - me.min;
                    let asked: f64 = changes.iter().map(|c| c.gain).sum::<f64>().max(shortfall);
                    demand[i] = if range > 0.0 { share + asked / range } else { share };
                    t.record(round, Some(i), Action::Object(changes), &package);
                }
            }
        }
        if all {
            t.agree(round, package);
            return;
        }
    }
}

/// The mediator's text: the Pareto point with the largest smallest slack, then the largest sum of shares
/// (`sums`), then the first.
fn mediator_text(shares: &[Vec<f64>], sums: &[f64], demand: &[f64]) -> usize {
    let mut best = 0;
    let mut best_key = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for (k, (s, &sum)) in shares.iter().zip(sums).enumerate() {
        let slack = s.iter().zip(demand).map(|(x, d)| x - d).fold(f64::INFINITY, f64::min);
        if slack > best_key.0 || (slack == best_key.0 && sum > best_key.1) {
            best = k;
            best_key = (slack, sum);
        }
    }
    best
}
