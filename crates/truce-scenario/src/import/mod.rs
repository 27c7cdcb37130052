//! Importers of negotiation domains from Genius (XML) and GeniusWeb (JSON) into a [`Scenario`].
//!
//! Each importer takes the text of a domain file and of one profile per party, and returns a scenario whose
//! `[[preferences]]` carry the profiles' weights, per-option utilities and reservation values.
//! Utilities are computed at import time under one of two documented [`Semantics`], so the analysis itself
//! knows nothing of either tool.
//!
//! Like [`crate::parse`], the importers never panic: malformed input yields diagnostics with file, line and column.

mod folder;
mod genius;
mod geniusweb;
mod xml;

pub use folder::{FileKind, MAX_PROFILES, import_folder, sniff};
pub use genius::import_genius;
pub use geniusweb::import_geniusweb;

#[cfg(test)]
mod tests;

use crate::model::*;
use truce_syntax::{Diagnostic, LineIndex, Severity};

/// How imported evaluations become utilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Semantics {
    /// Genius's own rules (the default): a discrete issue's evaluations are divided by their rounded maximum
    /// when that maximum rounds above 1, after rounding each evaluation (Java `Math.round`); an integer issue
    /// evaluates to `clamp(offset + slope·(x − lowerbound), 0, 1)`; and the sum is capped at 1 unless the
    /// cap is switched off.
    Genius,
    /// NegMAS 0.16's import: discrete evaluations are used raw, and an integer issue evaluates to `slope·x + offset`.
    NegmasRaw,
}

impl Semantics {
    /// Name on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Semantics::Genius => "genius",
            Semantics::NegmasRaw => "negmas-raw",
        }
    }
}

/// Import options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportOptions {
    /// Utility semantics.
    pub semantics: Semantics,
    /// Under [`Semantics::Genius`], cap each party's summed utility at 1 as Genius does.
    pub cap_at_one: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { semantics: Semantics::Genius, cap_at_one: true }
    }
}

/// One input file: its name (for diagnostics) and its text.
#[derive(Debug, Clone, Copy)]
pub struct InputFile<'a> {
    /// Name used in diagnostics, usually the path.
    pub name: &'a str,
    /// The file's contents.
    pub text: &'a str,
}

/// Collects diagnostics for one file.
pub(crate) struct Report<'a> {
    file: InputFile<'a>,
    lines: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    pub fn new(file: InputFile<'a>) -> Self {
        Report { file, lines: LineIndex::new(file.text), diagnostics: Vec::new() }
    }

    pub fn error(
        &mut self,
        offset: usize,
        field: impl Into<String>,
        message: impl Into<String>,
        expected: impl Into<Option<String>>,
    ) {
        let offset = offset.min(self.file.text.len());
        let (line, column) = self.lines.line_col(self.file.text, offset);
        self.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            file: self.file.name.to_string(),
            line,
            column,
            span: offset..offset,
            field: field.into(),
            message: message.into(),
            expected: expected.into(),
        });
    }
}

/// Java's `Math.round(double)`: the closest integer, ties rounding up.
pub(crate) fn java_round(x: f64) -> f64 {
    (x + 0.5).floor()
}

/// A domain issue as read from a file, before it becomes options.
#[derive(Debug, Clone)]
pub(crate) struct DomainIssue {
    pub name: String,
    /// The values, as text, in domain order.
    pub values: Vec<String>,
    /// For integer issues, the numeric value of each entry of `values`.
    pub numbers: Option<Vec<f64>>,
    /// The issue's `index` attribute (Genius), if any.
    pub index: Option<String>,
    /// A placeholder NegMAS inserts for a missing index (see `genius.rs`).
    pub dummy: bool,
}

/// One imported profile.
pub(crate) struct ImportedParty {
    pub name: String,
    pub weights: Vec<f64>,
    /// Per issue, per value.
    pub utilities: Vec<Vec<f64>>,
    pub reservation: Option<f64>,
    pub discount: Option<f64>,
}

/// Builds the scenario shared by both importers: one party per profile, one issue per domain issue,
/// one option per value (`issue.value`), and the parties' preferences.
pub(crate) fn build_scenario(
    file: &str,
    title: Option<String>,
    issues: &[DomainIssue],
    parties: Vec<ImportedParty>,
    cap: Option<f64>,
) -> Scenario {
    let mut scenario = Scenario {
        file: file.to_string(),
        meta: Meta { title, max_quote_words: DEFAULT_MAX_QUOTE_WORDS, ..Meta::default() },
        parties: Vec::new(),
        issues: Vec::new(),
        options: Vec::new(),
        sources: Vec::new(),
        positions: Vec::new(),
        process_positions: Vec::new(),
        reference_provisions: Vec::new(),
        stance_utilities: StanceUtilityOverrides::default(),
        preferences: Vec::new(),
        constraints: Vec::new(),
        vocabulary: Vec::new(),
    };
    let mut used_ids = std::collections::HashSet::new();
    // NegMAS's placeholder issues have one value: they become a constant offset per party, not issues.
    let real: Vec<usize> = (0..issues.len()).filter(|&k| !issues[k].dummy).collect();
    for (i, issue) in real.iter().map(|&k| &issues[k]).enumerate() {
        let mut options = Vec::new();
        for value in &issue.values {
            let mut id = format!("{}.{}", issue.name, value);
            let mut k = 2;
            while !used_ids.insert(id.clone()) {
                id = format!("{}.{}#{k}", issue.name, value);
                k += 1;
            }
            options.push(OptionIx(scenario.options.len() as u32));
            scenario.options.push(IssueOption {
                id,
                issue: IssueIx(i as u32),
                label: value.clone(),
                description: None,
                provisions: Vec::new(),
            });
        }
        scenario.issues.push(Issue {
            id: issue.name.clone(),
            name: issue.name.clone(),
            description: None,
            options,
        });
    }
    let mut party_ids = std::collections::HashSet::new();
    for (p, ImportedParty { name, weights, utilities, reservation, discount }) in
        parties.into_iter().enumerate()
    {
        let mut id = name.clone();
        let mut k = 2;
        while !party_ids.insert(id.clone()) {
            id = format!("{name}#{k}");
            k += 1;
        }
        scenario.parties.push(Party {
            id,
            name,
            kind: None,
            speakers: None,
            stance_utilities: StanceUtilityOverrides::default(),
        });
        let offset = (0..issues.len())
            .filter(|&k| issues[k].dummy)
            .map(|k| weights[k] * utilities[k][0])
            .sum();
        scenario.preferences.push(Preferences {
            party: PartyIx(p as u32),
            weights: Some(real.iter().map(|&k| weights[k]).collect()),
            utilities: real.iter().flat_map(|&k| utilities[k].iter().map(|&u| Some(u))).collect(),
            offset,
            reservation,
            utility_cap: cap,
            discount_factor: discount,
            line: 0,
        });
    }
    scenario
}
