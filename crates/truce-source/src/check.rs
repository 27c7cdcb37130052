//! Every quote of a scenario checked against its source's archived text.
//!
//! A `direct` quote (the speaker's own words) must be found, after normalisation, in the archived text of
//! its source: if it is not, that is an error, reported with the closest passage. `paraphrase`,
//! `translated` and `document_text` quotes, and quotes of no stated kind, are checked loosely: found, near
//! (the closest passage holds at least [`NEAR`] of the quote's words in order) or not found, never an
//! error. A quote whose source has no archive is marked so.

use std::collections::HashMap;

use truce_scenario::{PositionIx, QuoteKind, Scenario, SourceIx};

use crate::quote::{Found, Haystack, Passage};

/// The share of a quote's words, in order, that makes a passage "near".
pub const NEAR: f64 = 0.6;

/// A source's archived text.
#[derive(Debug, Clone, Copy)]
pub struct Archived<'a> {
    /// The source.
    pub source: SourceIx,
    /// The SHA-256 of its archived file.
    pub sha256: &'a str,
    /// The text extracted from that file.
    pub text: &'a str,
}

/// What carries the quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cited {
    /// A position.
    Position(PositionIx),
    /// A process position, by its index.
    Process(usize),
    /// A cross-issue constraint, by its index.
    Constraint(usize),
}

/// What the check found.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// The quote is in the archived text.
    Found(Found),
    /// Not found as written; this passage is close.
    Near(Passage),
    /// Not found; the closest passage, if any shares a word.
    NotFound(Option<Passage>),
    /// The source has no archived text.
    NoArchive,
}

impl Status {
    /// The word for it in documents: `found`, `near`, `not_found`, `no_archive`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Found(_) => "found",
            Status::Near(_) => "near",
            Status::NotFound(_) => "not_found",
            Status::NoArchive => "no_archive",
        }
    }
}

/// One quote, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CitationCheck {
    /// What carries it.
    pub cited: Cited,
    /// Its source.
    pub source: SourceIx,
    /// The kind of quote.
    pub kind: Option<QuoteKind>,
    /// The line of the citing table in the scenario.
    pub line: u32,
    /// The hash of the archived file it was checked against.
    pub sha256: Option<String>,
    /// What was found.
    pub status: Status,
}

impl CitationCheck {
    /// Whether the quote must be found word for word.
    pub fn strict(&self) -> bool {
        self.kind == Some(QuoteKind::Direct)
    }

    /// Whether the check fails: a direct quote not found in an archived source.
    pub fn is_error(&self) -> bool {
        self.strict() && matches!(self.status, Status::NotFound(_) | Status::Near(_))
    }
}

/// Checks every quote of `scenario` against the archived texts given.
pub fn check(scenario: &Scenario, archives: &[Archived<'_>]) -> Vec<CitationCheck> {
    let haystacks: HashMap<SourceIx, (&str, Haystack<'_>)> =
        archives.iter().map(|a| (a.source, (a.sha256, Haystack::new(a.text)))).collect();
    let mut quotes: Vec<(Cited, SourceIx, &str, Option<QuoteKind>, u32)> = Vec::new();
    for (i, p) in scenario.positions.iter().enumerate() {
        quotes.push((
            Cited::Position(PositionIx(i as u32)),
            p.source,
            &p.quote,
            p.quote_kind,
            p.line,
        ));
    }
    for (i, p) in scenario.process_positions.iter().enumerate() {
        quotes.push((Cited::Process(i), p.source, &p.quote, p.quote_kind, p.line));
    }
    for (i, c) in scenario.constraints.iter().enumerate() {
        if let (Some(source), Some(quote)) = (c.source, &c.quote) {
            quotes.push((Cited::Constraint(i), source, quote, None, c.line));
        }
    }
    quotes
        .into_iter()
        .map(|(cited, source, quote, kind, line)| {
            let (sha256, status) = match haystacks.get(&source) {
                None => (None, Status::NoArchive),
                Some((sha256, hay)) => (Some(sha256.to_string()), check_one(hay, quote, kind)),
            };
            CitationCheck { cited, source, kind, line, sha256, status }
        })
        .collect()
}

/// Checks one quote against one text.
pub fn check_one(hay: &Haystack<'_>, quote: &str, kind: Option<QuoteKind>) -> Status {
    if let Some(found) = hay.find(quote) {
        return Status::Found(found);
    }
    let closest = hay.closest(quote);
    match closest {
        Some(p) if kind != Some(QuoteKind::Direct) && p.score >= NEAR => Status::Near(p),
        closest => Status::NotFound(closest),
    }
}

/// The checks by what they cite, for a report.
pub fn by_position(checks: &[CitationCheck]) -> HashMap<PositionIx, &CitationCheck> {
    checks
        .iter()
        .filter_map(|c| match c.cited {
            Cited::Position(p) => Some((p, c)),
            _ => None,
        })
        .collect()
}
