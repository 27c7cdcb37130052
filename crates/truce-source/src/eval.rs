//! The extractor measured against labelled articles.
//!
//! A labelled set is a `labels.toml` beside its articles: `[[article]]` tables with `file`, `language`
//! and `date`, each with `[[article.label]]` tables giving `party`, `option`, `stance`, the verbatim
//! `quote` and whether the statement is `clear` (explicit, one a careful analyst records without
//! hesitation) or needs interpretation. A candidate is right when its (party, option, stance) is one of
//! its article's labels. Precision is over all candidates, recall over all labels and over the clear
//! ones; a quote is verbatim when it is the article's text at the offsets it gives.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use truce_scenario::Scenario;

use crate::extract::{ExtractError, Extraction, Extractor};
use crate::lang::Language;

/// A labelled set, as read from `labels.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// The articles.
    pub article: Vec<LabelledArticle>,
}

/// One article and its labels.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledArticle {
    /// The article's file, relative to `labels.toml`.
    pub file: String,
    /// Its language code.
    pub language: String,
    /// The day of its statements.
    pub date: toml::value::Datetime,
    /// What a careful analyst records from it.
    #[serde(default)]
    pub label: Vec<Label>,
}

/// One statement of an article.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// The party's id.
    pub party: String,
    /// The option's id.
    pub option: String,
    /// The stance.
    pub stance: String,
    /// The words that carry it, verbatim.
    pub quote: String,
    /// Whether it is explicit.
    pub clear: bool,
}

/// The counts of one language (or of all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Articles read.
    pub articles: usize,
    /// Labels.
    pub labels: usize,
    /// Clear labels.
    pub clear: usize,
    /// Candidates proposed.
    pub candidates: usize,
    /// Candidates whose (party, option, stance) is a label.
    pub right: usize,
    /// Labels found.
    pub found: usize,
    /// Clear labels found.
    pub clear_found: usize,
    /// Candidates whose (party, option) is a label's, whatever the stance.
    pub right_option: usize,
    /// Candidates whose quote is the article's text at its offsets.
    pub verbatim: usize,
}

impl Counts {
    /// Right candidates over candidates.
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.candidates)
    }
    /// Labels found over labels.
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.labels)
    }
    /// Clear labels found over clear labels.
    pub fn clear_recall(&self) -> f64 {
        ratio(self.clear_found, self.clear)
    }
    /// Verbatim quotes over candidates.
    pub fn verbatim_share(&self) -> f64 {
        ratio(self.verbatim, self.candidates)
    }

    fn add(&mut self, o: &Counts) {
        self.articles += o.articles;
        self.labels += o.labels;
        self.clear += o.clear;
        self.candidates += o.candidates;
        self.right += o.right;
        self.found += o.found;
        self.clear_found += o.clear_found;
        self.right_option += o.right_option;
        self.verbatim += o.verbatim;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// One article's outcome: its counts and its misses and mistakes, for reading.
#[derive(Debug, Clone)]
pub struct ArticleScore {
    /// The article's file.
    pub file: String,
    /// Its language.
    pub language: Language,
    /// Its counts.
    pub counts: Counts,
    /// Candidates that are not labels, as `party option stance`.
    pub wrong: Vec<String>,
    /// Labels not found.
    pub missed: Vec<String>,
}

/// Scores one article's extraction against its labels.
pub fn score(
    extractor: &Extractor,
    scenario: &Scenario,
    text: &str,
    article: &LabelledArticle,
    extraction: &Extraction,
) -> ArticleScore {
    let key = |p: &str, o: &str, s: &str| format!("{p} {o} {s}");
    let gold: HashSet<String> =
        article.label.iter().map(|l| key(&l.party, &l.option, &l.stance)).collect();
    let gold_options: HashSet<(String, String)> =
        article.label.iter().map(|l| (l.party.clone(), l.option.clone())).collect();
    let mut counts = Counts {
        articles: 1,
        labels: gold.len(),
        clear: article
            .label
            .iter()
            .filter(|l| l.clear)
            .map(|l| key(&l.party, &l.option, &l.stance))
            .collect::<HashSet<_>>()
            .len(),
        ..Counts::default()
    };
    let mut predicted = HashSet::new();
    let mut wrong = Vec::new();
    for c in &extraction.candidates {
        let party = &scenario.party(c.party).id;
        let option = &scenario.option(c.option).id;
        let k = key(party, option, c.stance.as_str());
        if !predicted.insert(k.clone()) {
            continue;
        }
        counts.candidates += 1;
        if text.get(c.start..c.end) == Some(c.quote.as_str()) {
            counts.verbatim += 1;
        }
        if gold.contains(&k) {
            counts.right += 1;
        } else {
            wrong.push(format!("{k}  \u{ab}{}\u{bb}", c.quote));
        }
        if gold_options.contains(&(party.clone(), option.clone())) {
            counts.right_option += 1;
        }
    }
    let mut missed = Vec::new();
    let mut clear_seen = HashSet::new();
    for l in &article.label {
        let k = key(&l.party, &l.option, &l.stance);
        if predicted.contains(&k) {
            if l.clear && clear_seen.insert(k) {
                counts.clear_found += 1;
            }
        } else {
            let m = extractor.mentions(&l.quote, extraction.language);
            let named = |ok: bool| if ok { "yes" } else { "NO" };
            let option_named =
                scenario.option_by_id(&l.option).is_some_and(|o| m.options.contains(&o));
            let party_named =
                scenario.party_by_id(&l.party).is_some_and(|p| m.parties.contains(&p));
            missed.push(format!(
                "{k}{}  \u{ab}{}\u{bb}  [in the quote: option {}, party {}, cues {}]",
                if l.clear { "" } else { " (unclear)" },
                l.quote,
                named(option_named),
                named(party_named),
                m.cues
            ));
        }
    }
    counts.found = gold.iter().filter(|k| predicted.contains(*k)).count();
    let language = extraction.language;
    ArticleScore { file: article.file.clone(), language, counts, wrong, missed }
}

/// Runs the extractor over a set's articles (`read` gives an article's text by its file) and scores
/// each, returning the scores and the totals per language.
pub fn run_set(
    scenario: &Scenario,
    labels: &Labels,
    mut read: impl FnMut(&str) -> Result<String, String>,
) -> Result<(Vec<ArticleScore>, BTreeMap<Language, Counts>), String> {
    let extractor = Extractor::new(scenario);
    let mut scores = Vec::new();
    let mut totals: BTreeMap<Language, Counts> = BTreeMap::new();
    for article in &labels.article {
        let text = read(&article.file)?;
        let language = Language::from_code(&article.language).ok_or_else(|| {
            format!("{}: language \"{}\" is not en, ru or uk", article.file, article.language)
        })?;
        let extraction = extractor
            .extract(&text, Some(language))
            .map_err(|e: ExtractError| format!("{}: {e}", article.file))?;
        let s = score(&extractor, scenario, &text, article, &extraction);
        totals.entry(language).or_default().add(&s.counts);
        scores.push(s);
    }
    Ok((scores, totals))
}

/// The totals of all languages together.
pub fn overall(totals: &BTreeMap<Language, Counts>) -> Counts {
    let mut all = Counts::default();
    for c in totals.values() {
        all.add(c);
    }
    all
}
