//! The typed scenario: what a validated scenario file means.

use std::fmt;
use std::str::FromStr;

pub use jiff::civil::Date;

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The index as a `usize`, for indexing the scenario's vectors.
            pub fn ix(self) -> usize {
                self.0 as usize
            }
        }
    };
}

index_type!(
    /// Index of a party in [`Scenario::parties`].
    PartyIx
);
index_type!(
    /// Index of an issue in [`Scenario::issues`].
    IssueIx
);
index_type!(
    /// Index of an option in [`Scenario::options`].
    OptionIx
);
index_type!(
    /// Index of a source in [`Scenario::sources`].
    SourceIx
);
index_type!(
    /// Index of a position in [`Scenario::positions`].
    PositionIx
);

/// A validated scenario: parties, issues and their options, sources, and dated positions.
///
/// Every cross-reference has been resolved to an index, so the vectors can be indexed without checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The name the caller gave for the input (usually its path).
    pub file: String,
    /// Dataset metadata.
    pub meta: Meta,
    /// The parties, in file order.
    pub parties: Vec<Party>,
    /// The issues, in file order.
    pub issues: Vec<Issue>,
    /// All options of all issues; each issue lists its own in [`Issue::options`].
    pub options: Vec<IssueOption>,
    /// The sources that positions cite.
    pub sources: Vec<Source>,
    /// Every dated position, in file order.
    pub positions: Vec<Position>,
    /// Dated statements about the process rather than about an option.
    pub process_positions: Vec<ProcessPosition>,
    /// Reference provisions of earlier drafts (the `istanbul_2022` table of the seed scenario).
    pub reference_provisions: Vec<ReferenceProvision>,
    /// Scenario-wide overrides of the default stance utilities.
    pub stance_utilities: StanceUtilityOverrides,
    /// Numeric preferences, at most one entry per party; they override the stance defaults where given.
    pub preferences: Vec<Preferences>,
    /// Cross-issue constraints.
    pub constraints: Vec<CrossConstraint>,
    /// The words by which articles name parties and options, and the cues of stances
    /// (`[[vocabulary]]`), for drafting positions from text.
    pub vocabulary: Vec<Vocabulary>,
}

/// What a `[[vocabulary]]` table gives words for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VocabularyTarget {
    /// A party's names, places and officials.
    Party(PartyIx),
    /// How articles name an option.
    Option(OptionIx),
    /// Cue words of a stance, beside the built-in ones.
    Stance(Stance),
}

/// The languages vocabulary is written in, as `[[vocabulary]]` keys.
pub const VOCABULARY_LANGUAGES: &[&str] = &["en", "ru", "uk"];

/// Words for one party, option or stance, per language (`[[vocabulary]]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Vocabulary {
    /// What the words name.
    pub target: VocabularyTarget,
    /// Phrases per language: the language's code (one of [`VOCABULARY_LANGUAGES`]) and its phrases.
    pub words: Vec<(String, Vec<String>)>,
    /// 1-based line of the table's header.
    pub line: u32,
}

impl Scenario {
    /// The party with id `id`.
    pub fn party_by_id(&self, id: &str) -> Option<PartyIx> {
        self.parties.iter().position(|p| p.id == id).map(|i| PartyIx(i as u32))
    }

    /// The issue with id `id`.
    pub fn issue_by_id(&self, id: &str) -> Option<IssueIx> {
        self.issues.iter().position(|p| p.id == id).map(|i| IssueIx(i as u32))
    }

    /// The option with id `id`.
    pub fn option_by_id(&self, id: &str) -> Option<OptionIx> {
        self.options.iter().position(|p| p.id == id).map(|i| OptionIx(i as u32))
    }

    /// The party at `ix`.
    pub fn party(&self, ix: PartyIx) -> &Party {
        &self.parties[ix.ix()]
    }

    /// The issue at `ix`.
    pub fn issue(&self, ix: IssueIx) -> &Issue {
        &self.issues[ix.ix()]
    }

    /// The option at `ix`.
    pub fn option(&self, ix: OptionIx) -> &IssueOption {
        &self.options[ix.ix()]
    }

    /// The source at `ix`.
    pub fn source(&self, ix: SourceIx) -> &Source {
        &self.sources[ix.ix()]
    }

    /// The position at `ix`.
    pub fn position(&self, ix: PositionIx) -> &Position {
        &self.positions[ix.ix()]
    }

    /// All party indices.
    pub fn party_ixs(&self) -> impl Iterator<Item = PartyIx> + use<> {
        (0..self.parties.len() as u32).map(PartyIx)
    }

    /// All issue indices.
    pub fn issue_ixs(&self) -> impl Iterator<Item = IssueIx> + use<> {
        (0..self.issues.len() as u32).map(IssueIx)
    }
}

/// A party's numeric preferences (`[[preferences]]`).
///
/// The party's utility for a package is `offset` + Σ over issues of `weight(issue) × utility(chosen option)`,
/// capped at `utility_cap` when one is given. An option without a utility here falls back to the
/// party's stance utility on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Preferences {
    /// Whose preferences.
    pub party: PartyIx,
    /// Weight per issue, in issue order; `None` means equal weights, 1 / number of issues.
    pub weights: Option<Vec<f64>>,
    /// Utility per option, in option order; `None` where not given.
    pub utilities: Vec<Option<f64>>,
    /// The party's reservation value (its disagreement point); `None` when not given.
    pub reservation: Option<f64>,
    /// Cap on the summed utility (Genius caps at 1); `None` for no cap.
    pub utility_cap: Option<f64>,
    /// Discount factor recorded from an imported profile; the analysis ignores time.
    pub discount_factor: Option<f64>,
    /// A constant added to the party's utility for every package (NegMAS's placeholder issues add one).
    pub offset: f64,
    /// 1-based line of the `[[preferences]]` header.
    pub line: u32,
}

/// A constraint between issues, written in the small rule language (see `Condition`).
#[derive(Debug, Clone, PartialEq)]
pub struct CrossConstraint {
    /// Unique id.
    pub id: String,
    /// The rule as written.
    pub rule: String,
    /// The rule, parsed.
    pub condition: Condition,
    /// The party that holds this constraint, if any: only such a constraint can be conceded.
    pub party: Option<PartyIx>,
    /// The source of the constraint, if any.
    pub source: Option<SourceIx>,
    /// A quote supporting it, if any.
    pub quote: Option<String>,
    /// 1-based line of the `[[constraints]]` header.
    pub line: u32,
}

/// A condition on the options chosen for some issues.
///
/// Grammar (keywords are lowercase; ids are issue and option ids):
/// ```text
/// rule      := 'if' condition 'then' condition | condition
/// condition := term ('or' term)*
/// term      := factor ('and' factor)*
/// factor    := 'not' factor | '(' condition ')' | ISSUE '=' OPTION | ISSUE '!=' OPTION
///            | ISSUE 'in' '[' OPTION (',' OPTION)* ']'
/// ```
/// `if A then B` means `not A or B`.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The issue's chosen option is one of these.
    In(IssueIx, Vec<OptionIx>),
    /// Negation.
    Not(Box<Condition>),
    /// Conjunction.
    And(Vec<Condition>),
    /// Disjunction.
    Or(Vec<Condition>),
}

impl Condition {
    /// The issues the condition mentions, sorted and deduplicated.
    pub fn issues(&self) -> Vec<IssueIx> {
        let mut out = Vec::new();
        self.collect_issues(&mut out);
        out.sort();
        out.dedup();
        out
    }

    fn collect_issues(&self, out: &mut Vec<IssueIx>) {
        match self {
            Condition::In(issue, _) => out.push(*issue),
            Condition::Not(c) => c.collect_issues(out),
            Condition::And(cs) | Condition::Or(cs) => cs.iter().for_each(|c| c.collect_issues(out)),
        }
    }

    /// Whether the condition holds when `chosen(issue)` is the option chosen for each issue it mentions.
    pub fn holds(&self, chosen: &impl Fn(IssueIx) -> OptionIx) -> bool {
        match self {
            Condition::In(issue, options) => options.contains(&chosen(*issue)),
            Condition::Not(c) => !c.holds(chosen),
            Condition::And(cs) => cs.iter().all(|c| c.holds(chosen)),
            Condition::Or(cs) => cs.iter().any(|c| c.holds(chosen)),
        }
    }
}

/// Dataset metadata (`[meta]`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    /// Title of the dataset.
    pub title: Option<String>,
    /// Version of the scenario schema the file claims.
    pub schema_version: Option<String>,
    /// The date up to which the compilers looked for positions.
    pub as_of: Option<Date>,
    /// How the dataset was compiled.
    pub compiled_from: Option<String>,
    /// The longest quote allowed, in words.
    pub max_quote_words: u32,
}

/// The default for [`Meta::max_quote_words`].
pub const DEFAULT_MAX_QUOTE_WORDS: u32 = 25;

/// A party: a state, alliance or organisation that takes positions.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    /// Short unique id, e.g. `RUS`.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Kind of actor (`state`, `alliance`, …), free text.
    pub kind: Option<String>,
    /// Who speaks for the party.
    pub speakers: Option<String>,
    /// Per-party overrides of the stance utilities.
    pub stance_utilities: StanceUtilityOverrides,
}

/// An issue: a question a settlement must answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Unique id, e.g. `nato`.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// What the issue is about.
    pub description: Option<String>,
    /// The issue's options, mutually exclusive, in file order (at least two).
    pub options: Vec<OptionIx>,
}

/// One mutually exclusive answer to an issue.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueOption {
    /// Globally unique id, e.g. `nato.neutrality_with_guarantees`.
    pub id: String,
    /// The issue this option answers.
    pub issue: IssueIx,
    /// Short label.
    pub label: String,
    /// Longer description.
    pub description: Option<String>,
    /// Provisions an agreement would contain if this option were chosen (`truce accord draft`).
    pub provisions: Vec<ProvisionTemplate>,
}

/// A provision an option brings into a drafted agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionTemplate {
    /// Title.
    pub title: String,
    /// The text.
    pub text: String,
    /// Why it cannot be checked from observations, if it cannot.
    pub not_checkable: Option<String>,
    /// The duties it creates.
    pub commitments: Vec<CommitmentTemplate>,
}

/// A commitment template: one duty of one party.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentTemplate {
    /// The obligor: a party id.
    pub obligor: String,
    /// `must` or `must_not`.
    pub modality: String,
    /// The duty in words.
    pub action: String,
    /// Day of the agreement it starts on (1: the first day).
    pub start_day: u32,
    /// Days after the start by which it must be done.
    pub deadline_days: Option<u32>,
    /// The observation classes that would show a breach (empty: not observable).
    pub indicator_classes: Vec<String>,
    /// How observations are tied to the obligor: `controlled`, `attributed` or `any`.
    pub party_rule: String,
}

/// A source cited by positions.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Unique id.
    pub id: String,
    /// Outlet or publisher.
    pub publication: Option<String>,
    /// Title of the piece.
    pub title: Option<String>,
    /// Publication date.
    pub date: Option<Date>,
    /// How precise `date` is.
    pub date_precision: DatePrecision,
    /// Where the piece was read.
    pub url: Option<String>,
    /// Reliability class, e.g. `major_outlet`.
    pub kind: Option<String>,
    /// Compiler's note.
    pub note: Option<String>,
    /// The SHA-256 of the archived file, as retrieved (64 lower-case hex digits), when it is archived.
    pub sha256: Option<String>,
    /// The day the archived file was retrieved.
    pub retrieved: Option<Date>,
    /// The language of the source's text (`en`, `ru`, `uk`, or another BCP 47 tag).
    pub language: Option<String>,
    /// The archived file's media type (`text/plain`, `text/html`, `application/pdf`).
    pub media_type: Option<String>,
}

/// One dated, sourced statement of a party's stance on an option.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    /// Who took the position.
    pub party: PartyIx,
    /// The option's issue.
    pub issue: IssueIx,
    /// The option the position is about.
    pub option: OptionIx,
    /// The stance taken.
    pub stance: Stance,
    /// When the statement was made.
    pub date: Date,
    /// How precise `date` is; a month-precision date is written as the first of the month.
    pub date_precision: DatePrecision,
    /// The source that carries the statement.
    pub source: SourceIx,
    /// Further source ids, or raw URLs, that corroborate it.
    pub corroborating_sources: Vec<String>,
    /// The quote, at most [`Meta::max_quote_words`] words.
    pub quote: String,
    /// What kind of quote it is.
    pub quote_kind: Option<QuoteKind>,
    /// Whether the stance is explicit or inferred.
    pub basis: Basis,
    /// Qualifier of the statement, if any.
    pub qualifier: Option<Qualifier>,
    /// Kept for context only: never a current stance.
    pub historical: bool,
    /// Compiler's note.
    pub note: Option<String>,
    /// 1-based line of the position's table header in the file.
    pub line: u32,
}

/// A dated statement about the negotiating process.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessPosition {
    /// Who made it.
    pub party: PartyIx,
    /// Topic, free text.
    pub topic: String,
    /// When.
    pub date: Date,
    /// How precise `date` is.
    pub date_precision: DatePrecision,
    /// The source.
    pub source: SourceIx,
    /// The quote.
    pub quote: String,
    /// What kind of quote it is.
    pub quote_kind: Option<QuoteKind>,
    /// Compiler's note.
    pub note: Option<String>,
    /// 1-based line of the table's header in the file.
    pub line: u32,
}

/// A provision of an earlier draft, kept for reference.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceProvision {
    /// Unique id.
    pub id: String,
    /// What the provision said.
    pub provision: String,
    /// Who proposed it.
    pub proposed_by: Option<String>,
    /// The source.
    pub source: SourceIx,
}

/// Overrides of the stance utilities, all optional. Which stance is missing falls back to the next layer.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StanceUtilityOverrides {
    /// Utility of an option the party demands.
    pub demanded: Option<f64>,
    /// Utility of an option the party accepts.
    pub acceptable: Option<f64>,
    /// Utility of an option on which the party's stance is unknown.
    pub unknown: Option<f64>,
    /// Utility of an option on which the party has taken no position.
    pub no_position: Option<f64>,
    /// Utility of an option the party opposes.
    pub opposed: Option<f64>,
    /// Utility of an option the party calls a red line, used only when that red line is relaxed.
    pub red_line: Option<f64>,
}

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The word used in scenario files.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// The vocabulary as a list for messages: `a, b, c`.
            pub fn vocabulary() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s {
                    $($text => Ok($name::$variant),)*
                    _ => Err(()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// A party's stance on an option.
    Stance {
        /// The party insists on it, or tabled it as its own terms.
        Demanded = "demanded",
        /// The party supports it or could live with it.
        Acceptable = "acceptable",
        /// A statement exists but does not settle the stance.
        Unknown = "unknown",
        /// The party argues against it.
        Opposed = "opposed",
        /// The party calls it unacceptable: a hard constraint.
        RedLine = "red_line",
    }
);

vocabulary!(
    /// How precise a date is.
    DatePrecision {
        /// Exact day.
        Day = "day",
        /// Month only; the date is written as the first of the month.
        Month = "month",
        /// Year only; the date is written as the first of January.
        Year = "year",
    }
);

vocabulary!(
    /// What kind of quote a position carries.
    QuoteKind {
        /// The speaker's own words.
        Direct = "direct",
        /// The outlet's wording.
        Paraphrase = "paraphrase",
        /// Text of an official or leaked document.
        DocumentText = "document_text",
        /// The compilers' translation.
        Translated = "translated",
    }
);

vocabulary!(
    /// Whether a position is stated or inferred.
    Basis {
        /// The statement is about this option.
        Explicit = "explicit",
        /// Mapping the statement to this option needs interpretation.
        Inferred = "inferred",
    }
);

vocabulary!(
    /// A qualifier of a position.
    Qualifier {
        /// The stance holds under a condition.
        Conditional = "conditional",
        /// The stance appears in a draft.
        ProposedInDraft = "proposed_in_draft",
        /// Reported via unnamed sources.
        ReportedViaSources = "reported_via_sources",
        /// Reported by the other side.
        ReportedByCounterpart = "reported_by_counterpart",
        /// Applies only after an agreement.
        OnlyAfterAgreement = "only_after_agreement",
        /// About timing.
        Timing = "timing",
        /// Under consideration.
        UnderConsideration = "under_consideration",
        /// Taken without consensus of the party's members.
        NoConsensus = "no_consensus",
    }
);
