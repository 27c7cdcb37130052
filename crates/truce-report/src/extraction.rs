//! Positions drafted from an article (`truce_source::extract`) as a document: what `truce extract
//! --format json` prints, and what the API's extraction answers (which adds, per candidate, the position
//! form's address).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use truce_scenario::Scenario;
use truce_source::extract::Extraction;

/// The words of an article that made a candidate.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CandidateTriggers {
    /// The words naming the speaker (in the sentence, or the one it was carried from).
    pub party: String,
    /// The words naming the option.
    pub option: String,
    /// The stance cue.
    pub cue: String,
    /// A negating word that turned the cue, if any.
    pub negation: Option<String>,
}

/// A position drafted from an article, for an analyst to accept, edit or drop.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct CandidateReport {
    /// The party's id.
    pub party: String,
    /// The party's name.
    pub party_name: String,
    /// The option's id.
    pub option: String,
    /// The option's label.
    pub option_label: String,
    /// The issue's id.
    pub issue: String,
    /// `demanded`, `acceptable`, `opposed` or `red_line`.
    pub stance: String,
    /// The quote, verbatim from the article.
    pub quote: String,
    /// Byte offset of the quote in the article.
    pub start: usize,
    /// Byte offset just past the quote.
    pub end: usize,
    /// Character offset of the quote in the article.
    pub char_start: usize,
    /// Character offset just past the quote.
    pub char_end: usize,
    /// 1-based line of the quote's start in the article.
    pub line: u32,
    /// `direct` inside quotation marks, `paraphrase` otherwise.
    pub quote_kind: String,
    /// `named` (the speaker is named in the sentence) or `carried` (from another sentence).
    pub attribution: String,
    /// The words that made it.
    pub triggers: CandidateTriggers,
}

/// The positions drafted from an article.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExtractionReport {
    /// The article's language: `en`, `ru` or `uk`.
    pub language: String,
    /// The day given for the statements.
    pub date: Option<String>,
    /// The source given.
    pub source: Option<String>,
    /// The candidates, in the article's order.
    pub candidates: Vec<CandidateReport>,
}

/// The document of an extraction from `scenario`'s vocabulary.
pub fn extraction_report(
    scenario: &Scenario,
    x: &Extraction,
    date: Option<String>,
    source: Option<String>,
) -> ExtractionReport {
    ExtractionReport {
        language: x.language.code().to_string(),
        date,
        source,
        candidates: x.candidates.iter().map(|c| candidate(scenario, c)).collect(),
    }
}

/// One candidate's document.
pub fn candidate(scenario: &Scenario, c: &truce_source::extract::Candidate) -> CandidateReport {
    let party = scenario.party(c.party);
    let option = scenario.option(c.option);
    CandidateReport {
        party: party.id.clone(),
        party_name: party.name.clone(),
        option: option.id.clone(),
        option_label: option.label.clone(),
        issue: scenario.issue(option.issue).id.clone(),
        stance: c.stance.to_string(),
        quote: c.quote.clone(),
        start: c.start,
        end: c.end,
        char_start: c.char_start,
        char_end: c.char_end,
        line: c.line,
        quote_kind: c.quote_kind.to_string(),
        attribution: c.attribution.as_str().to_string(),
        triggers: CandidateTriggers {
            party: c.triggers.party.clone(),
            option: c.triggers.option.clone(),
            cue: c.triggers.cue.clone(),
            negation: c.triggers.negation.clone(),
        },
    }
}
