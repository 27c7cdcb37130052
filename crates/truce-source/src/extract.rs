//! Candidate positions drafted from an article.
//!
//! How it works, sentence by sentence (no model, nothing fetched; every word it knows is in the
//! scenario's `[[vocabulary]]` or in `data/cues.toml`):
//!
//! 1. The article is split into sentences (Unicode's sentence boundaries, `unicode-segmentation`), and
//!    each sentence into words, lower-cased and stemmed in the article's language ([`crate::lang`]).
//!    A line on its own without closing punctuation (a headline, a rubric) is skipped.
//! 2. **Options**: an option is mentioned where all the stems of one of its phrases occur within a
//!    short window of the sentence, in any order. Where the phrases of two options overlap, the one
//!    with more words wins (`neutrality without guarantees` over `neutrality`).
//! 3. **Stance**: each mention is governed by the nearest stance cue (demand, accept, oppose, red line),
//!    before it if there is one within the sentence, else just after it. Negating words between the cue
//!    and the option (`exclude`, `without`, `not`, `отказ`, `без`, `не`) turn it: a demand to exclude an
//!    option opposes it, opposing it accepts it, accepting it negated opposes it. A strong word
//!    (`categorically`, `never`) makes opposition a red line.
//! 4. **Speaker**: the party named with a verb of speech (`said`, `according to`, `заявил`, `за словами`),
//!    else the party named nearest before the cue (`Moscow demands`, `Kyiv rejects`). Names, titles,
//!    capitals and institutions are the party's vocabulary, with its id, name and the surnames in
//!    `speakers`. A sentence with no party of its own (`He added`, `По его словам`) is the last speaker's,
//!    for up to two sentences.
//! 5. **Quote**: a verbatim span of the article: the words inside quotation marks when the mention is
//!    there (a `direct` quote), otherwise the clause holding the cue and the option (a `paraphrase`),
//!    never more than the scenario's `max_quote_words`. Its byte and character offsets are given, so
//!    the archive's check of the quote holds by construction.
//!
//! Every candidate names the words that triggered it. Nothing is added to a scenario by this module:
//! candidates are proposals for an analyst to accept, edit or drop.

use std::collections::HashSet;

use serde::Deserialize;
use truce_scenario::{OptionIx, PartyIx, QuoteKind, Scenario, Stance, VocabularyTarget};
use unicode_segmentation::UnicodeSegmentation;

use crate::lang::{Language, Stems, Token, tokens};

/// The largest article taken, in bytes of text.
pub const MAX_ARTICLE_BYTES: usize = 2 * 1024 * 1024;
/// The most candidates one article gives.
pub const MAX_CANDIDATES: usize = 500;
/// How many sentences a speaker carries over to sentences that name no party.
const CARRY: usize = 2;

/// A class of stance cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Cue {
    Demand,
    Accept,
    Oppose,
    RedLine,
}

/// A phrase as stems.
#[derive(Debug, Clone)]
struct Phrase {
    stems: Vec<String>,
    /// The phrase's words as written (lower case): cues match these, word for word.
    words: Vec<String>,
}

/// The cue words of one language.
#[derive(Debug, Default)]
struct Cues {
    stance: Vec<(Cue, Phrase)>,
    strong: Vec<Phrase>,
    negate: Vec<Phrase>,
    speech: Vec<Phrase>,
    pronoun: Vec<Phrase>,
}

#[derive(Deserialize)]
struct CueFile {
    en: CueLists,
    ru: CueLists,
    uk: CueLists,
}

#[derive(Deserialize)]
struct CueLists {
    demand: Vec<String>,
    accept: Vec<String>,
    oppose: Vec<String>,
    red_line: Vec<String>,
    strong: Vec<String>,
    negate: Vec<String>,
    speech: Vec<String>,
    pronoun: Vec<String>,
}

const CUES: &str = include_str!("../data/cues.toml");

/// The words of one language.
struct Words {
    stems: Stems,
    parties: Vec<(PartyIx, Phrase)>,
    options: Vec<(OptionIx, Phrase)>,
    cues: Cues,
}

/// What an extractor knows of a scenario, ready to read articles.
pub struct Extractor {
    languages: Vec<(Language, Words)>,
    max_words: usize,
}

/// How the speaker of a candidate was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attribution {
    /// Named in the sentence.
    Named,
    /// Carried over from an earlier sentence (`He added`).
    Carried,
}

impl Attribution {
    /// `named` or `carried`.
    pub fn as_str(self) -> &'static str {
        match self {
            Attribution::Named => "named",
            Attribution::Carried => "carried",
        }
    }
}

/// The words of the article that made a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triggers {
    /// The words naming the speaker (in the sentence, or the earlier one it was carried from).
    pub party: String,
    /// The words naming the option.
    pub option: String,
    /// The stance cue.
    pub cue: String,
    /// A negating word that turned the cue, if any.
    pub negation: Option<String>,
}

/// A proposed position.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Who.
    pub party: PartyIx,
    /// On what.
    pub option: OptionIx,
    /// Which stance.
    pub stance: Stance,
    /// The quote: `text[start..end]` of the article, verbatim.
    pub quote: String,
    /// Byte offset of the quote in the article.
    pub start: usize,
    /// Byte offset just past the quote.
    pub end: usize,
    /// Character offset of the quote in the article.
    pub char_start: usize,
    /// Character offset just past the quote.
    pub char_end: usize,
    /// 1-based line of the quote's start.
    pub line: u32,
    /// `direct` inside quotation marks, `paraphrase` otherwise.
    pub quote_kind: QuoteKind,
    /// How the speaker was found.
    pub attribution: Attribution,
    /// The words that triggered it.
    pub triggers: Triggers,
}

/// Why an article cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// Nothing but white space.
    #[error("is empty; expected the text of a news article")]
    Empty,
    /// Larger than [`MAX_ARTICLE_BYTES`].
    #[error(
        "is {0} bytes of text, more than the {MAX_ARTICLE_BYTES} an article may have; paste one article at a time"
    )]
    TooLarge(usize),
    /// No English, Russian or Ukrainian letters.
    #[error(
        "has no English, Russian or Ukrainian words; expected an article in one of those languages"
    )]
    NoLanguage,
}

/// The candidates of one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    /// The article's language.
    pub language: Language,
    /// The candidates, in the article's order.
    pub candidates: Vec<Candidate>,
}

fn phrase(stems: &Stems, text: &str, drop_function_words: bool) -> Option<Phrase> {
    let toks: Vec<Token> = tokens(text, stems)
        .into_iter()
        .filter(|t| !drop_function_words || !stems.language().is_function_word(&t.word))
        .collect();
    let words = toks.iter().map(|t| t.word.clone()).collect();
    let stems: Vec<String> = toks.into_iter().map(|t| t.stem).collect();
    (!stems.is_empty()).then_some(Phrase { stems, words })
}

/// The surnames in a party's `speakers`: the last capitalised word of each name, before any
/// parenthesis (`Putin (President); Lavrov (FM)` gives Putin and Lavrov).
fn surnames(speakers: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in speakers.split(';') {
        let before = part.split('(').next().unwrap_or_default();
        for piece in before.split(',') {
            if let Some(last) = piece.split_whitespace().last()
                && last.chars().count() >= 3
                && last.chars().all(char::is_alphabetic)
                && last.chars().next().is_some_and(char::is_uppercase)
            {
                out.push(last.to_string());
            }
        }
    }
    out
}

impl Extractor {
    /// The extractor for `scenario`: its vocabulary, its parties' ids, names and speakers, and the
    /// built-in cues.
    pub fn new(scenario: &Scenario) -> Extractor {
        let file: CueFile =
            // The cue file is embedded and parsed by a test.
            toml::from_str(CUES).expect("the built-in cue file is valid (a test reads it)");
        let mut languages = Vec::new();
        for (language, lists) in
            [(Language::En, &file.en), (Language::Ru, &file.ru), (Language::Uk, &file.uk)]
        {
            let stems = Stems::new(language);
            let mut cues = Cues::default();
            let add = |list: &[String], out: &mut Vec<Phrase>| {
                out.extend(list.iter().filter_map(|w| phrase(&stems, w, false)));
            };
            for (cue, list) in [
                (Cue::Demand, &lists.demand),
                (Cue::Accept, &lists.accept),
                (Cue::Oppose, &lists.oppose),
                (Cue::RedLine, &lists.red_line),
            ] {
                cues.stance
                    .extend(list.iter().filter_map(|w| phrase(&stems, w, false)).map(|p| (cue, p)));
            }
            add(&lists.strong, &mut cues.strong);
            add(&lists.negate, &mut cues.negate);
            add(&lists.speech, &mut cues.speech);
            add(&lists.pronoun, &mut cues.pronoun);

            let mut parties = Vec::new();
            let mut options = Vec::new();
            let mut options_with_words = HashSet::new();
            for v in &scenario.vocabulary {
                for (code, list) in &v.words {
                    if code != language.code() {
                        continue;
                    }
                    for w in list {
                        match v.target {
                            VocabularyTarget::Party(p) => {
                                parties.extend(phrase(&stems, w, true).map(|ph| (p, ph)))
                            }
                            VocabularyTarget::Option(o) => {
                                options_with_words.insert(o);
                                options.extend(phrase(&stems, w, true).map(|ph| (o, ph)));
                            }
                            VocabularyTarget::Stance(s) => {
                                let cue = match s {
                                    Stance::Demanded => Some(Cue::Demand),
                                    Stance::Acceptable => Some(Cue::Accept),
                                    Stance::Opposed => Some(Cue::Oppose),
                                    Stance::RedLine => Some(Cue::RedLine),
                                    Stance::Unknown => None,
                                };
                                if let Some(cue) = cue {
                                    cues.stance
                                        .extend(phrase(&stems, w, false).map(|ph| (cue, ph)));
                                }
                            }
                        }
                    }
                }
            }
            if language == Language::En {
                for (i, p) in scenario.parties.iter().enumerate() {
                    let ix = PartyIx(i as u32);
                    let name = p.name.split('(').next().unwrap_or_default().trim().to_string();
                    let mut names = vec![p.id.clone(), name];
                    names.extend(p.speakers.as_deref().map(surnames).unwrap_or_default());
                    parties.extend(
                        names.iter().filter_map(|n| phrase(&stems, n, true)).map(|ph| (ix, ph)),
                    );
                }
                for (i, o) in scenario.options.iter().enumerate() {
                    let ix = OptionIx(i as u32);
                    if !scenario.vocabulary.iter().any(|v| v.target == VocabularyTarget::Option(ix))
                    {
                        options.extend(phrase(&stems, &o.label, true).map(|ph| (ix, ph)));
                    }
                }
            }
            languages.push((language, Words { stems, parties, options, cues }));
        }
        Extractor { languages, max_words: scenario.meta.max_quote_words.max(5) as usize }
    }

    /// Proposes positions from `text`, in `language` or the one its letters show.
    pub fn extract(
        &self,
        text: &str,
        language: Option<Language>,
    ) -> Result<Extraction, ExtractError> {
        if text.trim().is_empty() {
            return Err(ExtractError::Empty);
        }
        if text.len() > MAX_ARTICLE_BYTES {
            return Err(ExtractError::TooLarge(text.len()));
        }
        let language =
            language.or_else(|| Language::detect(text)).ok_or(ExtractError::NoLanguage)?;
        let words = &self
            .languages
            .iter()
            .find(|(l, _)| *l == language)
            // `new` builds the words of every language in `Language::ALL`.
            .expect("every language has its words")
            .1;
        let mut reader = Reader {
            text,
            words,
            max_words: self.max_words,
            speaker: None,
            ahead: None,
            out: Vec::new(),
        };
        let sentences: Vec<(usize, &str)> = text.split_sentence_bound_indices().collect();
        for (i, &(start, sentence)) in sentences.iter().enumerate() {
            // A quotation is often attributed after it (`"…," the minister said.`): the next
            // sentence's speaker, when it is in the same paragraph.
            reader.ahead = sentences
                .get(i + 1)
                .filter(|(_, next)| !sentence.contains("\n\n") && !next.trim().is_empty())
                .and_then(|&(s, next)| reader.speech_party(s, next));
            reader.sentence(start, sentence);
            if reader.out.len() >= MAX_CANDIDATES {
                break;
            }
        }
        let mut seen = HashSet::new();
        let candidates =
            reader.out.into_iter().filter(|c| seen.insert((c.party, c.option, c.stance))).collect();
        Ok(Extraction { language, candidates })
    }
}

/// What one passage mentions: parties, options and stance cues, for explaining a miss.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    /// The parties named.
    pub parties: Vec<PartyIx>,
    /// The options named.
    pub options: Vec<OptionIx>,
    /// The number of stance cues.
    pub cues: usize,
}

impl Extractor {
    /// What `text` mentions, in `language`.
    pub fn mentions(&self, text: &str, language: Language) -> Mentions {
        let Some((_, w)) = self.languages.iter().find(|(l, _)| *l == language) else {
            return Mentions::default();
        };
        let toks = tokens(text, &w.stems);
        let present: HashSet<&str> = toks.iter().map(|t| t.stem.as_str()).collect();
        let mut m = Mentions::default();
        for (p, ph) in &w.parties {
            if !find(&toks, &present, ph, false).is_empty() && !m.parties.contains(p) {
                m.parties.push(*p);
            }
        }
        for (o, ph) in &w.options {
            if !find(&toks, &present, ph, false).is_empty() && !m.options.contains(o) {
                m.options.push(*o);
            }
        }
        m.cues = w.cues.stance.iter().map(|(_, ph)| find(&toks, &present, ph, true).len()).sum();
        m
    }
}

/// A match of a phrase: the tokens it covers (first, last) within the sentence.
#[derive(Debug, Clone, Copy)]
struct Span {
    first: usize,
    last: usize,
}

/// The last speaker: party, the words that named it, and how many sentences ago.
#[derive(Debug, Clone)]
struct Speaker {
    party: PartyIx,
    words: String,
    age: usize,
}

struct Reader<'a> {
    text: &'a str,
    words: &'a Words,
    max_words: usize,
    speaker: Option<Speaker>,
    /// The party the next sentence names with a verb of speech.
    ahead: Option<(PartyIx, String)>,
    out: Vec<Candidate>,
}

/// Every place where `phrase`'s stems occur within a window, in any order (contiguously for cues).
fn find(tokens: &[Token], present: &HashSet<&str>, phrase: &Phrase, contiguous: bool) -> Vec<Span> {
    let k = phrase.stems.len();
    let mut out = Vec::new();
    if contiguous {
        // Cues list their forms: they match word for word (a stem would take `willing` for `will`).
        for i in 0..tokens.len().saturating_sub(k - 1) {
            if (0..k).all(|j| tokens[i + j].word == phrase.words[j]) {
                out.push(Span { first: i, last: i + k - 1 });
            }
        }
        return out;
    }
    let need = k;
    if !phrase.stems.iter().all(|s| present.contains(s.as_str())) {
        return out;
    }
    let window = 2 * k + 1;
    for (i, t) in tokens.iter().enumerate() {
        if !phrase.stems.contains(&t.stem) {
            continue;
        }
        let hi = (i + window).min(tokens.len());
        let mut used = vec![i];
        let mut matched =
            // The token's stem was just found among the phrase's stems.
            vec![phrase.stems.iter().position(|s| *s == t.stem).expect("contains it")];
        for (n, s) in phrase.stems.iter().enumerate() {
            if matched.contains(&n) {
                continue;
            }
            if let Some(j) = (i + 1..hi).find(|j| !used.contains(j) && tokens[*j].stem == *s) {
                used.push(j);
                matched.push(n);
            }
        }
        if used.len() >= need {
            // `used` holds at least the anchor.
            let last = *used.iter().max().expect("not empty");
            out.push(Span { first: i, last });
        }
    }
    out
}

impl Reader<'_> {
    fn sentence(&mut self, start: usize, sentence: &str) {
        if let Some(s) = &mut self.speaker {
            s.age += 1;
        }
        let trimmed = sentence.trim_end();
        let toks: Vec<Token> = tokens(sentence, &self.words.stems)
            .into_iter()
            .map(|t| Token { start: t.start + start, end: t.end + start, ..t })
            .collect();
        if toks.is_empty() {
            return;
        }
        // A headline or a rubric: a line of its own without closing punctuation.
        let closes = trimmed.ends_with(['.', '!', '?', '…', '"', '»', '”', '“', ')', ':', ';']);
        if !closes && toks.len() < 20 {
            return;
        }
        let present: HashSet<&str> = toks.iter().map(|t| t.stem.as_str()).collect();
        let w = self.words;

        let mut options: Vec<(OptionIx, Span, usize)> = Vec::new();
        for (o, p) in &w.options {
            for span in find(&toks, &present, p, false) {
                options.push((*o, span, p.stems.len()));
            }
        }
        // Where phrases of different options overlap, the longer phrase wins.
        let overlaps = |a: Span, b: Span| a.first <= b.last && b.first <= a.last;
        let kept: Vec<(OptionIx, Span, usize)> = options
            .iter()
            .filter(|(o, s, n)| {
                !options.iter().any(|(o2, s2, n2)| o2 != o && n2 > n && overlaps(*s, *s2))
            })
            .copied()
            .collect();
        let in_option = |i: usize| kept.iter().any(|(_, s, _)| s.first <= i && i <= s.last);

        let mut parties: Vec<(usize, PartyIx, Span)> = Vec::new();
        for (p, ph) in &w.parties {
            for span in find(&toks, &present, ph, false) {
                if !(span.first..=span.last).any(in_option) {
                    parties.push((span.first, *p, span));
                }
            }
        }
        parties.sort_by_key(|(at, _, _)| *at);
        let named_here = parties.first().map(|(_, p, s)| (*p, self.words_of(&toks, *s)));

        let mut cues: Vec<(Cue, Span)> = Vec::new();
        for (cue, ph) in &w.cues.stance {
            cues.extend(find(&toks, &present, ph, true).into_iter().map(|s| (*cue, s)));
        }
        let in_cue = |i: usize| cues.iter().any(|(_, s)| s.first <= i && i <= s.last);
        let spans_of = |list: &[Phrase]| -> Vec<Span> {
            list.iter().flat_map(|p| find(&toks, &present, p, true)).collect()
        };
        let negations: Vec<Span> = spans_of(&w.cues.negate)
            .into_iter()
            .filter(|s| !(s.first..=s.last).any(|i| in_cue(i) || in_option(i)))
            .collect();
        let strong = spans_of(&w.cues.strong);
        let speech = spans_of(&w.cues.speech);
        let pronoun = spans_of(&w.cues.pronoun);

        if !kept.is_empty() && !cues.is_empty() {
            for &(option, span, _) in &kept {
                if self.out.len() >= MAX_CANDIDATES {
                    break;
                }
                let Some((cue, cue_span)) = governing(&cues, span) else { continue };
                let (lo, hi) = if cue_span.last < span.first {
                    (cue_span.last + 1, span.first)
                } else {
                    (span.first.saturating_sub(2), span.first)
                };
                // `never … not`, `никогда не`, `ніколи не` are one negation (negative concord): a
                // negating word right after a red line is part of it.
                let negating: Vec<&Span> = negations
                    .iter()
                    .filter(|n| n.first >= lo && n.last < hi)
                    .filter(|n| {
                        let concord = matches!(toks[n.first].word.as_str(), "не" | "ни" | "ні");
                        !(concord && cue == Cue::RedLine && n.first == cue_span.last + 1)
                    })
                    .collect();
                let negated = negating.len() % 2 == 1;
                let is_strong = !strong.is_empty();
                let stance = stance(cue, negated, is_strong);
                let Some((party, party_words, attribution)) =
                    self.speaker_for(&toks, &parties, &speech, &pronoun, cue_span)
                else {
                    continue;
                };
                let (qs, qe, kind) = self.quote_span(&toks, start, sentence, span, cue_span);
                let quote = self.text[qs..qe].to_string();
                let char_start = self.text[..qs].chars().count();
                let char_end = char_start + quote.chars().count();
                let line = 1 + self.text[..qs].matches('\n').count() as u32;
                self.out.push(Candidate {
                    party,
                    option,
                    stance,
                    quote,
                    start: qs,
                    end: qe,
                    char_start,
                    char_end,
                    line,
                    quote_kind: kind,
                    attribution,
                    triggers: Triggers {
                        party: party_words,
                        option: self.words_of(&toks, span),
                        cue: self.words_of(&toks, cue_span),
                        negation: negating.last().map(|n| self.words_of(&toks, **n)),
                    },
                });
            }
        }
        // The sentence's speaker carries over to the next ones.
        if let Some((party, words)) = self.sentence_speaker(&toks, &parties, &speech, named_here) {
            self.speaker = Some(Speaker { party, words, age: 0 });
        }
    }

    /// The party a sentence names with a verb of speech, and the words naming it.
    fn speech_party(&self, start: usize, sentence: &str) -> Option<(PartyIx, String)> {
        let toks: Vec<Token> = tokens(sentence, &self.words.stems)
            .into_iter()
            .map(|t| Token { start: t.start + start, end: t.end + start, ..t })
            .collect();
        let present: HashSet<&str> = toks.iter().map(|t| t.stem.as_str()).collect();
        let mut parties: Vec<(usize, PartyIx, Span)> = Vec::new();
        for (p, ph) in &self.words.parties {
            parties.extend(find(&toks, &present, ph, false).into_iter().map(|s| (s.first, *p, s)));
        }
        parties.sort_by_key(|(at, _, _)| *at);
        let speech: Vec<Span> =
            self.words.cues.speech.iter().flat_map(|p| find(&toks, &present, p, true)).collect();
        speech
            .iter()
            .find_map(|sp| self.party_at_speech(&parties, *sp, &toks))
            .map(|(_, p, s)| (p, self.words_of(&toks, s)))
    }

    fn words_of(&self, toks: &[Token], span: Span) -> String {
        self.text[toks[span.first].start..toks[span.last].end].to_string()
    }

    /// The party that speaks in a sentence, for the sentences after it.
    fn sentence_speaker(
        &self,
        toks: &[Token],
        parties: &[(usize, PartyIx, Span)],
        speech: &[Span],
        named: Option<(PartyIx, String)>,
    ) -> Option<(PartyIx, String)> {
        if let Some(sp) = speech.first()
            && let Some((_, p, s)) = self.party_at_speech(parties, *sp, toks)
        {
            return Some((p, self.words_of(toks, s)));
        }
        named
    }

    /// The party named with a verb of speech: after `according to`, before `said`, or just after it.
    fn party_at_speech(
        &self,
        parties: &[(usize, PartyIx, Span)],
        sp: Span,
        toks: &[Token],
    ) -> Option<(usize, PartyIx, Span)> {
        let leading = matches!(toks[sp.first].word.as_str(), "according" | "по" | "за");
        if leading {
            return parties.iter().find(|(at, _, _)| *at > sp.last && *at <= sp.last + 4).copied();
        }
        // The subject comes first: `Zelensky, who met Trump, said` is Zelensky's.
        parties
            .iter()
            .find(|(at, _, _)| *at < sp.first)
            .or_else(|| parties.iter().find(|(at, _, _)| *at > sp.last && *at <= sp.last + 5))
            .copied()
    }

    /// The speaker of a cue: the party of the sentence's speech verb, else the party named nearest
    /// before the cue, else the last speaker when the sentence names no one or refers back to them.
    fn speaker_for(
        &self,
        toks: &[Token],
        parties: &[(usize, PartyIx, Span)],
        speech: &[Span],
        pronoun: &[Span],
        cue: Span,
    ) -> Option<(PartyIx, String, Attribution)> {
        for sp in speech {
            if let Some((_, p, s)) = self.party_at_speech(parties, *sp, toks) {
                return Some((p, self.words_of(toks, s), Attribution::Named));
            }
        }
        if let Some((_, p, s)) = parties.iter().rev().find(|(at, _, _)| *at < cue.first) {
            return Some((*p, self.words_of(toks, *s), Attribution::Named));
        }
        let refers_back = !pronoun.is_empty() || !speech.is_empty() || parties.is_empty();
        let quoted = toks.first().is_some_and(|t| {
            self.text[..t.start].trim_end().ends_with(['"', '«', '“', '„'])
                || self.text[..t.start].ends_with("— ")
        });
        if parties.is_empty()
            && (quoted || self.speaker.as_ref().is_none_or(|s| s.age > CARRY))
            && let Some((p, words)) = &self.ahead
        {
            return Some((*p, words.clone(), Attribution::Carried));
        }
        match &self.speaker {
            Some(s) if refers_back && s.age <= CARRY => {
                Some((s.party, s.words.clone(), Attribution::Carried))
            }
            _ => parties
                .iter()
                .find(|(at, _, _)| *at > cue.last)
                .filter(|_| speech.is_empty())
                .map(|(_, p, s)| (*p, self.words_of(toks, *s), Attribution::Named)),
        }
    }

    /// The quote's byte span and kind: the quoted words holding the option, or the clause holding the
    /// cue and the option, within the word limit.
    fn quote_span(
        &self,
        toks: &[Token],
        start: usize,
        sentence: &str,
        option: Span,
        cue: Span,
    ) -> (usize, usize, QuoteKind) {
        let at = toks[option.first].start;
        if let Some((qs, qe)) = quoted_segment(self.text, start, start + sentence.len(), at) {
            let inner: Vec<usize> =
                (0..toks.len()).filter(|&i| toks[i].start >= qs && toks[i].end <= qe).collect();
            if let (Some(&a), Some(&b)) = (inner.first(), inner.last()) {
                let (a, b) = self.within_limit(toks, a, b, option.first.max(a), option.last.min(b));
                // `inner` was just found not empty.
                let end = if b == *inner.last().expect("not empty") {
                    trailing_punct(self.text, toks[b].end, qe)
                } else {
                    toks[b].end
                };
                return (toks[a].start, end, QuoteKind::Direct);
            }
        }
        let first = option.first.min(cue.first);
        let last = option.last.max(cue.last);
        // Extend to the clause: back to the punctuation before, on to the punctuation after.
        let mut a = first;
        while a > 0 && !clause_break(self.text, toks[a - 1].end, toks[a].start) {
            a -= 1;
        }
        let mut b = last;
        while b + 1 < toks.len() && !clause_break(self.text, toks[b].end, toks[b + 1].start) {
            b += 1;
        }
        let (a, b) = self.within_limit(toks, a, b, first, last);
        let end = if b + 1 == toks.len() {
            trailing_punct(self.text, toks[b].end, start + sentence.len())
        } else {
            toks[b].end
        };
        (toks[a].start, end, QuoteKind::Paraphrase)
    }

    /// Narrows tokens `a..=b` to at most the word limit, keeping `keep_a..=keep_b` (or the option alone
    /// when even that is too long).
    fn within_limit(
        &self,
        toks: &[Token],
        mut a: usize,
        mut b: usize,
        keep_a: usize,
        keep_b: usize,
    ) -> (usize, usize) {
        let words =
            |a: usize, b: usize| self.text[toks[a].start..toks[b].end].split_whitespace().count();
        let (mut keep_a, mut keep_b) = (keep_a.max(a), keep_b.min(b).max(keep_a.max(a)));
        while words(keep_a, keep_b) > self.max_words && keep_b > keep_a {
            keep_b -= 1;
        }
        while words(a, b) > self.max_words {
            // Trim from the end farther from what must be kept.
            if a < keep_a && (keep_a - a >= b.saturating_sub(keep_b) || b == keep_b) {
                a += 1;
            } else if b > keep_b {
                b -= 1;
            } else {
                keep_a = a;
                keep_b = b;
                b -= 1;
                if b < a {
                    b = a;
                    break;
                }
            }
        }
        let _ = (keep_a, keep_b);
        (a, b)
    }
}

/// The stance cue that governs an option: a judgement just after it (its predicate), else the nearest
/// cue before it within the sentence, else the nearest after it.
fn governing(cues: &[(Cue, Span)], option: Span) -> Option<(Cue, Span)> {
    let before = cues
        .iter()
        .filter(|(_, s)| {
            s.first <= option.last && s.first < option.first.max(1) || s.last < option.first
        })
        .max_by_key(|(c, s)| (s.last, s.last - s.first, *c == Cue::RedLine));
    let after = cues.iter().filter(|(_, s)| s.first > option.last).min_by_key(|(_, s)| s.first);
    let overlapping = cues.iter().find(|(_, s)| s.first >= option.first && s.first <= option.last);
    // A judgement right after the option is its predicate: `X is unacceptable`, `X is unrealistic`.
    let predicate = after
        .filter(|(c, s)| matches!(c, Cue::Oppose | Cue::RedLine) && s.first <= option.last + 3);
    let (cue, span) = *predicate.or(before).or(overlapping).or(after)?;
    // A red line just before the cue governs it: `will never accept`, `categorically rejects`.
    let red = cues
        .iter()
        .any(|(c, s)| *c == Cue::RedLine && s.last < span.first && s.last + 2 >= span.first);
    Some((if red { Cue::RedLine } else { cue }, span))
}

/// The stance a cue gives an option, negated or not, with or without a strong word.
fn stance(cue: Cue, negated: bool, strong: bool) -> Stance {
    match (cue, negated) {
        (Cue::Demand, false) => Stance::Demanded,
        (Cue::Demand, true) => {
            if strong {
                Stance::RedLine
            } else {
                Stance::Opposed
            }
        }
        (Cue::Accept, false) => Stance::Acceptable,
        (Cue::Accept, true) => {
            if strong {
                Stance::RedLine
            } else {
                Stance::Opposed
            }
        }
        (Cue::Oppose, false) => {
            if strong {
                Stance::RedLine
            } else {
                Stance::Opposed
            }
        }
        (Cue::Oppose, true) => Stance::Acceptable,
        (Cue::RedLine, false) => Stance::RedLine,
        (Cue::RedLine, true) => Stance::Demanded,
    }
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '«' | '„')
}

fn is_close_quote(c: char, open: char) -> bool {
    match open {
        '"' => c == '"',
        '“' => c == '”' || c == '"',
        '«' => c == '»',
        '„' => c == '“' || c == '”',
        _ => false,
    }
}

/// The byte span inside the quotation marks around `at`, searched in the sentence's paragraph.
fn quoted_segment(
    text: &str,
    sentence_start: usize,
    sentence_end: usize,
    at: usize,
) -> Option<(usize, usize)> {
    let para_start = text[..sentence_start].rfind("\n\n").map_or(0, |i| i + 2);
    let para_end = text[sentence_end..].find("\n\n").map_or(text.len(), |i| sentence_end + i);
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text[para_start..para_end].char_indices() {
        let i = para_start + i;
        match open {
            Some((o, oc)) if is_close_quote(c, oc) => {
                if o < at && at < i {
                    return Some((o + oc.len_utf8(), i));
                }
                open = None;
            }
            None if is_open_quote(c) => open = Some((i, c)),
            _ => {}
        }
    }
    None
}

/// Whether the text between two words ends a clause.
fn clause_break(text: &str, from: usize, to: usize) -> bool {
    text[from..to].chars().any(|c| {
        matches!(c, ',' | ';' | ':' | '—' | '–' | '(' | ')' | '"' | '«' | '»' | '“' | '”' | '.')
    })
}

/// The end of a quote extended over the closing punctuation of its sentence (`.`, `!`, `?`).
fn trailing_punct(text: &str, end: usize, limit: usize) -> usize {
    let rest = &text[end..limit.min(text.len())];
    match rest.chars().next() {
        Some(c @ ('.' | '!' | '?' | '…')) => end + c.len_utf8(),
        _ => end,
    }
}

#[cfg(test)]
mod tests;
