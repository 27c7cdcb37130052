//! From TOML text to a [`Scenario`], with every problem reported at once.
//!
//! The text is parsed into a spanned TOML tree first (syntax errors are recovered from where the TOML parser can).
//! The tree is then walked by hand rather than through serde, so that one bad field does not hide the next one,
//! and every diagnostic can point at the exact value.

use std::collections::HashMap;
use std::str::FromStr;

use toml::de::DeTable;

use crate::model::*;
use truce_syntax::walk::{self, Cx, Fields, Span, Str};
use truce_syntax::{Diagnostic, has_errors};

/// Parses and validates a scenario.
///
/// `file` is only used to label diagnostics.
/// The scenario is returned only when there are no errors; warnings may accompany it.
/// No input makes this function panic.
pub fn parse(file: &str, text: &str) -> (Option<Scenario>, Vec<Diagnostic>) {
    let (root, mut cx) = walk::begin(file, text);
    let raw = read_document(&mut cx, root.get_ref(), root.span());
    let scenario = resolve(&mut cx, raw);
    let diags = cx.into_diagnostics();
    if has_errors(&diags) { (None, diags) } else { (scenario, diags) }
}

// The raw document: fields read and type-checked, references still by id.

struct RawParty {
    id: Str,
    name: Option<Str>,
    kind: Option<String>,
    speakers: Option<String>,
    stance_utilities: StanceUtilityOverrides,
}

struct RawIssue {
    id: Str,
    name: Option<Str>,
    description: Option<String>,
    span: Span,
    path: String,
}

struct RawOption {
    id: Str,
    /// The issue: its index among the raw issues when nested, or an id when given at top level.
    issue: RawOptionIssue,
    label: Option<Str>,
    description: Option<String>,
    provisions: Vec<(ProvisionTemplate, Vec<Str>)>,
}

enum RawOptionIssue {
    Nested(usize),
    ById(Str),
    Missing,
}

struct RawSource {
    id: Str,
    publication: Option<String>,
    title: Option<String>,
    date: Option<Date>,
    date_precision: DatePrecision,
    url: Option<String>,
    kind: Option<String>,
    note: Option<String>,
    sha256: Option<String>,
    retrieved: Option<Date>,
    language: Option<String>,
    media_type: Option<String>,
}

struct RawVocabulary {
    span: Span,
    party: Option<Str>,
    option: Option<Str>,
    stance: Option<Stance>,
    words: Vec<(String, Vec<String>)>,
}

struct RawPosition {
    span: Span,
    party: Option<Str>,
    issue: Option<Str>,
    option: Option<Str>,
    stance: Option<Stance>,
    date: Option<Date>,
    date_precision: DatePrecision,
    source: Option<Str>,
    corroborating_sources: Vec<Str>,
    quote: Option<Str>,
    quote_kind: Option<QuoteKind>,
    basis: Basis,
    qualifier: Option<Qualifier>,
    historical: bool,
    note: Option<String>,
}

struct RawProcessPosition {
    span: Span,
    party: Option<Str>,
    topic: Option<Str>,
    date: Option<Date>,
    date_precision: DatePrecision,
    source: Option<Str>,
    quote: Option<Str>,
    quote_kind: Option<QuoteKind>,
    note: Option<String>,
}

struct RawReference {
    id: Str,
    provision: Option<Str>,
    proposed_by: Option<String>,
    source: Option<Str>,
}

struct RawPreferences {
    span: Span,
    party: Option<Str>,
    weights: Option<Vec<(Str, f64)>>,
    utilities: Vec<(Str, f64)>,
    reservation: Option<f64>,
    utility_cap: Option<f64>,
    discount_factor: Option<f64>,
    offset: Option<f64>,
}

struct RawConstraint {
    span: Span,
    id: Option<Str>,
    rule: Option<Str>,
    party: Option<Str>,
    source: Option<Str>,
    quote: Option<Str>,
}

struct RawDocument {
    meta: Meta,
    parties: Vec<RawParty>,
    issues: Vec<RawIssue>,
    options: Vec<RawOption>,
    sources: Vec<RawSource>,
    positions: Vec<RawPosition>,
    process_positions: Vec<RawProcessPosition>,
    references: Vec<RawReference>,
    stance_utilities: StanceUtilityOverrides,
    preferences: Vec<RawPreferences>,
    constraints: Vec<RawConstraint>,
    vocabulary: Vec<RawVocabulary>,
}

fn read_document(cx: &mut Cx<'_>, root: &DeTable<'_>, span: Span) -> RawDocument {
    let mut f = Fields::new(root, span, String::new());
    let meta = match cx.table(&mut f, "meta") {
        Some(mut m) => {
            let meta = read_meta(cx, &mut m);
            cx.finish(m);
            meta
        }
        None => Meta { max_quote_words: DEFAULT_MAX_QUOTE_WORDS, ..Meta::default() },
    };
    let stance_utilities = match cx.table(&mut f, "stance_utilities") {
        Some(mut t) => {
            let u = read_stance_utilities(cx, &mut t);
            cx.finish(t);
            u
        }
        None => StanceUtilityOverrides::default(),
    };

    let mut parties = Vec::new();
    for mut t in cx.tables(&mut f, "parties") {
        let id = cx.str_req(&mut t, "id");
        let name = cx.str_opt(&mut t, "name");
        let kind = cx.text_opt(&mut t, "kind");
        let speakers = cx.text_opt(&mut t, "speakers");
        let stance_utilities = match cx.table(&mut t, "stance_utilities") {
            Some(mut u) => {
                let overrides = read_stance_utilities(cx, &mut u);
                cx.finish(u);
                overrides
            }
            None => StanceUtilityOverrides::default(),
        };
        if let Some(id) = id {
            parties.push(RawParty { id, name, kind, speakers, stance_utilities });
        }
        cx.finish(t);
    }

    let mut issues = Vec::new();
    let mut options = Vec::new();
    for mut t in cx.tables(&mut f, "issues") {
        let id = cx.str_req(&mut t, "id");
        let name = cx.str_opt(&mut t, "name");
        let description = cx.text_opt(&mut t, "description");
        let option_tables = cx.tables(&mut t, "options");
        let (span, path) = (t.span.clone(), t.path.clone());
        cx.finish(t);
        let Some(id) = id else { continue };
        let issue_index = issues.len();
        issues.push(RawIssue { id, name, description, span, path });
        for mut o in option_tables {
            if let Some(option) = read_option(cx, &mut o, RawOptionIssue::Nested(issue_index)) {
                options.push(option);
            }
            cx.finish(o);
        }
    }
    for mut o in cx.tables(&mut f, "options") {
        let issue = match cx.str_req(&mut o, "issue") {
            Some(s) => RawOptionIssue::ById(s),
            None => RawOptionIssue::Missing,
        };
        if let Some(option) = read_option(cx, &mut o, issue) {
            options.push(option);
        }
        cx.finish(o);
    }

    let mut sources = Vec::new();
    for mut t in cx.tables(&mut f, "sources") {
        let id = cx.str_req(&mut t, "id");
        let publication = cx.text_opt(&mut t, "publication");
        let title = cx.text_opt(&mut t, "title");
        let date = cx.date_opt(&mut t, "date").map(|(d, _)| d);
        let date_precision = read_precision(cx, &mut t);
        let url = cx.text_opt(&mut t, "url");
        let kind = cx.text_opt(&mut t, "kind");
        let note = cx.text_opt(&mut t, "note");
        let sha256 = cx.str_opt(&mut t, "sha256").and_then(|h| {
            let ok = h.value.len() == 64
                && h.value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            if !ok {
                cx.error(
                    &h.span,
                    &h.field,
                    format!("\"{}\" is not a SHA-256", h.value),
                    Some(
                        "64 lower-case hexadecimal digits, as `truce source add` writes them"
                            .into(),
                    ),
                );
            }
            ok.then_some(h.value)
        });
        let retrieved = cx.date_opt(&mut t, "retrieved").map(|(d, _)| d);
        let language = cx.str_opt(&mut t, "language").and_then(|l| {
            let ok = !l.value.is_empty()
                && l.value.len() <= 35
                && l.value.split('-').all(|p| {
                    !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric())
                });
            if !ok {
                cx.error(
                    &l.span,
                    &l.field,
                    format!("\"{}\" is not a language tag", l.value),
                    Some("a language tag such as en, ru or uk".into()),
                );
            }
            ok.then_some(l.value)
        });
        let media_type = cx.str_opt(&mut t, "media_type").and_then(|m| {
            let ok = MEDIA_TYPES.contains(&m.value.as_str());
            if !ok {
                cx.error(
                    &m.span,
                    &m.field,
                    format!("unknown media type \"{}\"", m.value),
                    Some(MEDIA_TYPES.join(", ")),
                );
            }
            ok.then_some(m.value)
        });
        if let Some(id) = id {
            sources.push(RawSource {
                id,
                publication,
                title,
                date,
                date_precision,
                url,
                kind,
                note,
                sha256,
                retrieved,
                language,
                media_type,
            });
        }
        cx.finish(t);
    }

    let mut positions = Vec::new();
    for mut t in cx.tables(&mut f, "positions") {
        let position = RawPosition {
            span: t.span.clone(),
            party: cx.str_req(&mut t, "party"),
            issue: cx.str_opt(&mut t, "issue"),
            option: cx.str_req(&mut t, "option"),
            stance: cx.vocab_req(&mut t, "stance", &Stance::vocabulary()),
            date: cx.date_req(&mut t, "date").map(|(d, _)| d),
            date_precision: read_precision(cx, &mut t),
            source: cx.str_req(&mut t, "source"),
            corroborating_sources: cx.str_list_opt(&mut t, "corroborating_sources"),
            quote: cx.str_req(&mut t, "quote"),
            quote_kind: cx.vocab_opt(&mut t, "quote_kind", &QuoteKind::vocabulary()),
            basis: cx.vocab_opt(&mut t, "basis", &Basis::vocabulary()).unwrap_or(Basis::Explicit),
            qualifier: cx.vocab_opt(&mut t, "qualifier", &Qualifier::vocabulary()),
            historical: cx.bool_opt(&mut t, "historical").unwrap_or(false),
            note: cx.text_opt(&mut t, "note"),
        };
        if let Some(quote) = &position.quote {
            check_quote(cx, quote, meta.max_quote_words);
        }
        positions.push(position);
        cx.finish(t);
    }

    let mut process_positions = Vec::new();
    for mut t in cx.tables(&mut f, "process_positions") {
        let p = RawProcessPosition {
            span: t.span.clone(),
            party: cx.str_req(&mut t, "party"),
            topic: cx.str_req(&mut t, "topic"),
            date: cx.date_req(&mut t, "date").map(|(d, _)| d),
            date_precision: read_precision(cx, &mut t),
            source: cx.str_req(&mut t, "source"),
            quote: cx.str_req(&mut t, "quote"),
            quote_kind: cx.vocab_opt(&mut t, "quote_kind", &QuoteKind::vocabulary()),
            note: cx.text_opt(&mut t, "note"),
        };
        if let Some(quote) = &p.quote {
            check_quote(cx, quote, meta.max_quote_words);
        }
        process_positions.push(p);
        cx.finish(t);
    }

    let mut references = Vec::new();
    for mut t in cx.tables(&mut f, "istanbul_2022") {
        let id = cx.str_req(&mut t, "id");
        let provision = cx.str_req(&mut t, "provision");
        let proposed_by = cx.text_opt(&mut t, "proposed_by");
        let source = cx.str_req(&mut t, "source");
        if let Some(id) = id {
            references.push(RawReference { id, provision, proposed_by, source });
        }
        cx.finish(t);
    }
    let mut preferences = Vec::new();
    for mut t in cx.tables(&mut f, "preferences") {
        preferences.push(read_preferences(cx, &mut t));
        cx.finish(t);
    }

    let mut constraints = Vec::new();
    for mut t in cx.tables(&mut f, "constraints") {
        let c = RawConstraint {
            span: t.span.clone(),
            id: cx.str_req(&mut t, "id"),
            rule: cx.str_req(&mut t, "rule"),
            party: cx.str_opt(&mut t, "party"),
            source: cx.str_opt(&mut t, "source"),
            quote: cx.str_opt(&mut t, "quote"),
        };
        if let Some(quote) = &c.quote {
            check_quote(cx, quote, meta.max_quote_words);
        }
        constraints.push(c);
        cx.finish(t);
    }

    let mut vocabulary = Vec::new();
    for mut t in cx.tables(&mut f, "vocabulary") {
        let party = cx.str_opt(&mut t, "party");
        let option = cx.str_opt(&mut t, "option");
        let stance = cx.vocab_opt(&mut t, "stance", &Stance::vocabulary());
        let named =
            [party.is_some(), option.is_some(), stance.is_some()].iter().filter(|&&b| b).count();
        if named != 1 && !has_stance_error(&t) {
            cx.error(
                &t.span,
                &t.path,
                if named == 0 {
                    "the table names nothing".to_string()
                } else {
                    "the table names more than one thing".to_string()
                },
                Some("exactly one of `party`, `option` or `stance`".into()),
            );
        }
        let mut words = Vec::new();
        for lang in VOCABULARY_LANGUAGES {
            let list = cx.str_list_opt(&mut t, lang);
            if !list.is_empty() {
                words.push((lang.to_string(), list.into_iter().map(|s| s.value).collect()));
            }
        }
        vocabulary.push(RawVocabulary { span: t.span.clone(), party, option, stance, words });
        cx.finish(t);
    }
    cx.finish(f);
    RawDocument {
        meta,
        parties,
        issues,
        options,
        sources,
        positions,
        process_positions,
        references,
        stance_utilities,
        preferences,
        constraints,
        vocabulary,
    }
}

/// The media types of archived sources.
pub const MEDIA_TYPES: &[&str] = &["text/plain", "text/html", "application/pdf"];

/// Whether the table's `stance` was given but refused (already reported).
fn has_stance_error(t: &Fields<'_, '_>) -> bool {
    t.table
        .get("stance")
        .is_some_and(|v| v.get_ref().as_str().is_none_or(|s| s.parse::<Stance>().is_err()))
}

fn read_preferences(cx: &mut Cx<'_>, t: &mut Fields<'_, '_>) -> RawPreferences {
    RawPreferences {
        span: t.span.clone(),
        party: cx.str_req(t, "party"),
        weights: cx.number_map(t, "weights"),
        utilities: cx.number_map(t, "utilities").unwrap_or_default(),
        reservation: cx.f64_opt(t, "reservation"),
        utility_cap: cx.f64_opt(t, "utility_cap"),
        discount_factor: cx.f64_opt(t, "discount_factor"),
        offset: cx.f64_opt(t, "offset"),
    }
}

/// Reads a party's confidential submission: a document of its own holding exactly one
/// `[[preferences]]` table, for `party` only, whose issues and options are `scenario`'s. Anything else (a
/// top-level key, another table, positions, another party, an unknown key in the table) is an error, so a
/// submission can only ever set its own party's numbers. Returns the preferences only when there is no
/// error.
pub fn parse_submission(
    file: &str,
    text: &str,
    scenario: &Scenario,
    party: &str,
) -> (Option<Preferences>, Vec<Diagnostic>) {
    let (root, mut cx) = walk::begin(file, text);
    let only = format!("one [[preferences]] table for {party}, and nothing else");
    for (key, _) in root.get_ref().iter() {
        if key.get_ref() != "preferences" {
            cx.error(
                &key.span(),
                key.get_ref(),
                format!("`{}` is not allowed in a submission", key.get_ref()),
                Some(only.clone()),
            );
        }
    }
    let mut f = Fields::new(root.get_ref(), root.span(), String::new());
    let mut raw = Vec::new();
    for mut t in cx.tables(&mut f, "preferences") {
        let p = read_preferences(&mut cx, &mut t);
        for (key, _) in t.table.iter() {
            if !t.used.iter().any(|u| *u == key.get_ref().as_ref()) {
                cx.error(
                    &key.span(),
                    &t.field(key.get_ref()),
                    format!("unknown key `{}`", key.get_ref()),
                    Some(format!("one of {}", t.used.join(", "))),
                );
            }
        }
        if let Some(named) = &p.party
            && named.value != party
        {
            cx.error(
                &named.span,
                &named.field,
                format!("a submission for {party} cannot set {}'s preferences", named.value),
                Some(format!("party = \"{party}\"")),
            );
        }
        raw.push(p);
    }
    if raw.len() != 1 {
        cx.error(
            &(0..0),
            "preferences",
            format!("{} [[preferences]] tables", raw.len()),
            Some(only),
        );
    }
    let ids = |it: &mut dyn Iterator<Item = String>| -> HashMap<String, u32> {
        it.enumerate().map(|(i, id)| (id, i as u32)).collect()
    };
    let party_ids = ids(&mut scenario.parties.iter().map(|p| p.id.clone()));
    let issue_ids = ids(&mut scenario.issues.iter().map(|i| i.id.clone()));
    let option_index = ids(&mut scenario.options.iter().map(|o| o.id.clone()));
    let resolved = resolve_preferences(
        &mut cx,
        raw,
        &party_ids,
        &issue_ids,
        &option_index,
        &scenario.issues,
        scenario.options.len(),
    );
    let diags = cx.into_diagnostics();
    if has_errors(&diags) { (None, diags) } else { (resolved.into_iter().next(), diags) }
}

fn read_meta(cx: &mut Cx<'_>, m: &mut Fields<'_, '_>) -> Meta {
    let title = cx.text_opt(m, "title");
    let schema_version = cx.text_opt(m, "schema_version");
    let as_of = cx.date_opt(m, "as_of").map(|(d, _)| d);
    let compiled_from = cx.text_opt(m, "compiled_from");
    let max_quote_words = match cx.u32_opt(m, "max_quote_words") {
        Some(0) => {
            let span = m.table.get("max_quote_words").map(|v| v.span()).unwrap_or(m.span.clone());
            cx.error(
                &span,
                &m.field("max_quote_words"),
                "must be at least 1",
                Some("a positive integer".into()),
            );
            DEFAULT_MAX_QUOTE_WORDS
        }
        Some(n) => n,
        None => DEFAULT_MAX_QUOTE_WORDS,
    };
    // The controlled vocabularies the file declares must be ones Truce understands.
    check_vocabulary::<Stance>(cx, m, "stance_values", &Stance::vocabulary());
    check_vocabulary::<Basis>(cx, m, "basis_values", &Basis::vocabulary());
    check_vocabulary::<QuoteKind>(cx, m, "quote_kind_values", &QuoteKind::vocabulary());
    check_vocabulary::<Qualifier>(cx, m, "qualifier_values", &Qualifier::vocabulary());
    check_vocabulary::<DatePrecision>(cx, m, "date_precision_values", &DatePrecision::vocabulary());
    cx.str_list_opt(m, "companion_files");
    Meta { title, schema_version, as_of, compiled_from, max_quote_words }
}

fn check_vocabulary<T: FromStr>(
    cx: &mut Cx<'_>,
    m: &mut Fields<'_, '_>,
    key: &'static str,
    vocabulary: &str,
) {
    for word in cx.str_list_opt(m, key) {
        if word.value.parse::<T>().is_err() {
            cx.error(
                &word.span,
                &word.field,
                format!("\"{}\" is not a value Truce understands", word.value),
                Some(format!("a subset of {vocabulary}")),
            );
        }
    }
}

fn read_stance_utilities(cx: &mut Cx<'_>, t: &mut Fields<'_, '_>) -> StanceUtilityOverrides {
    let mut read = |key: &'static str| {
        let value = cx.f64_opt(t, key)?;
        if !(0.0..=1.0).contains(&value) {
            let span = t.table.get(key).map(|v| v.span()).unwrap_or(t.span.clone());
            cx.error(
                &span,
                &t.field(key),
                format!("{value} is out of range"),
                Some("a number between 0 and 1".into()),
            );
            return None;
        }
        Some(value)
    };
    StanceUtilityOverrides {
        demanded: read("demanded"),
        acceptable: read("acceptable"),
        unknown: read("unknown"),
        no_position: read("no_position"),
        opposed: read("opposed"),
        red_line: read("red_line"),
    }
}

fn read_precision(cx: &mut Cx<'_>, t: &mut Fields<'_, '_>) -> DatePrecision {
    cx.vocab_opt(t, "date_precision", &DatePrecision::vocabulary()).unwrap_or(DatePrecision::Day)
}

fn read_option(
    cx: &mut Cx<'_>,
    o: &mut Fields<'_, '_>,
    issue: RawOptionIssue,
) -> Option<RawOption> {
    let id = cx.str_req(o, "id");
    let label = cx.str_opt(o, "label");
    let description = cx.text_opt(o, "description");
    let mut provisions = Vec::new();
    for mut p in cx.tables(o, "provisions") {
        let title = cx.str_req(&mut p, "title");
        let text = cx.str_req(&mut p, "text");
        let not_checkable = cx.text_opt(&mut p, "not_checkable");
        let mut commitments = Vec::new();
        let mut obligors = Vec::new();
        for mut c in cx.tables(&mut p, "commitments") {
            let obligor = cx.str_req(&mut c, "obligor");
            let modality = cx.str_req(&mut c, "modality");
            if let Some(m) = &modality
                && m.value != "must"
                && m.value != "must_not"
            {
                cx.error(
                    &m.span,
                    &m.field,
                    format!("unknown modality `{}`", m.value),
                    Some("must or must_not".into()),
                );
            }
            let action = cx.str_req(&mut c, "action");
            let start_day = cx.u32_opt(&mut c, "start_day").unwrap_or(1).max(1);
            let deadline_days = cx.u32_opt(&mut c, "deadline_days");
            let indicator_classes: Vec<String> =
                cx.str_list_opt(&mut c, "indicator_classes").into_iter().map(|s| s.value).collect();
            let party_rule = cx.str_opt(&mut c, "party").map_or("controlled".to_string(), |p| {
                if !["controlled", "attributed", "any"].contains(&p.value.as_str()) {
                    cx.error(
                        &p.span,
                        &p.field,
                        format!("unknown party rule `{}`", p.value),
                        Some("controlled, attributed or any".into()),
                    );
                }
                p.value
            });
            cx.finish(c);
            if let (Some(obligor), Some(modality), Some(action)) = (obligor, modality, action) {
                commitments.push(CommitmentTemplate {
                    obligor: obligor.value.clone(),
                    modality: modality.value,
                    action: action.value,
                    start_day,
                    deadline_days,
                    indicator_classes,
                    party_rule,
                });
                obligors.push(obligor);
            }
        }
        if not_checkable.is_none() && commitments.iter().all(|c| c.indicator_classes.is_empty()) {
            cx.error(
                &p.span,
                &p.field("not_checkable"),
                "no commitment names indicator classes, and no reason is given",
                Some("indicator_classes on a commitment, or not_checkable = \"<reason>\"".into()),
            );
        }
        cx.finish(p);
        if let (Some(title), Some(text)) = (title, text) {
            provisions.push((
                ProvisionTemplate {
                    title: title.value,
                    text: text.value,
                    not_checkable,
                    commitments,
                },
                obligors,
            ));
        }
    }
    Some(RawOption { id: id?, issue, label, description, provisions })
}

/// Bytes allowed in a quote per word allowed (`meta.max_quote_words`): a long word, never a book.
pub const QUOTE_BYTES_PER_WORD: usize = 24;

fn check_quote(cx: &mut Cx<'_>, quote: &Str, max_words: u32) {
    let max_bytes = max_words as usize * QUOTE_BYTES_PER_WORD;
    if quote.value.len() > max_bytes {
        cx.error(
            &quote.span,
            &quote.field,
            format!("quote has {} bytes, more than the limit of {max_bytes}", quote.value.len()),
            Some(format!(
                "at most {max_bytes} bytes ({QUOTE_BYTES_PER_WORD} per word of meta.max_quote_words)"
            )),
        );
        return;
    }
    let words = quote.value.split_whitespace().count();
    if words > max_words as usize {
        cx.error(
            &quote.span,
            &quote.field,
            format!("quote has {words} words, more than the limit of {max_words}"),
            Some(format!("at most {max_words} words (meta.max_quote_words)")),
        );
    }
}

/// Builds an id → index map, reporting duplicates.
fn index_ids<'a>(
    cx: &mut Cx<'_>,
    what: &str,
    ids: impl Iterator<Item = &'a Str>,
) -> HashMap<String, u32> {
    let mut map: HashMap<String, u32> = HashMap::new();
    let mut first_line: HashMap<String, u32> = HashMap::new();
    for (i, id) in ids.enumerate() {
        if let Some(&line) = first_line.get(&id.value) {
            cx.error(
                &id.span,
                &id.field,
                format!("duplicate {what} id \"{}\" (first defined on line {line})", id.value),
                Some(format!("a unique {what} id")),
            );
        } else {
            let (line, _) = cx.lines.line_col(cx.text, id.span.start);
            first_line.insert(id.value.clone(), line);
            map.insert(id.value.clone(), i as u32);
        }
    }
    map
}

fn lookup(cx: &mut Cx<'_>, map: &HashMap<String, u32>, what: &str, id: &Str) -> Option<u32> {
    let found = map.get(&id.value).copied();
    if found.is_none() {
        let mut known: Vec<&str> = map.keys().map(String::as_str).collect();
        known.sort_unstable();
        let expected = if known.is_empty() {
            format!("the id of a {what}, but none is defined")
        } else if known.len() <= 12 {
            format!("one of the {what} ids: {}", known.join(", "))
        } else {
            format!("one of the {} {what} ids defined in the file", known.len())
        };
        cx.error(
            &id.span,
            &id.field,
            format!("unknown {what} id \"{}\"", id.value),
            Some(expected),
        );
    }
    found
}

/// The id → index maps that references are resolved against.
struct Ids {
    party: HashMap<String, u32>,
    issue: HashMap<String, u32>,
    source: HashMap<String, u32>,
    /// The options kept (an option of an unknown issue is dropped).
    option: HashMap<String, u32>,
}

/// Resolves the raw document's references to indices, table by table, into a scenario.
fn resolve(cx: &mut Cx<'_>, raw: RawDocument) -> Option<Scenario> {
    check_not_empty(cx, &raw);
    let party_ids = index_ids(cx, "party", raw.parties.iter().map(|p| &p.id));
    let issue_ids = index_ids(cx, "issue", raw.issues.iter().map(|p| &p.id));
    index_ids(cx, "option", raw.options.iter().map(|p| &p.id));
    let source_ids = index_ids(cx, "source", raw.sources.iter().map(|p| &p.id));
    index_ids(cx, "reference provision", raw.references.iter().map(|p| &p.id));

    let parties: Vec<Party> = raw
        .parties
        .into_iter()
        .map(|p| Party {
            name: p.name.map_or_else(|| p.id.value.clone(), |n| n.value),
            id: p.id.value,
            kind: p.kind,
            speakers: p.speakers,
            stance_utilities: p.stance_utilities,
        })
        .collect();

    let mut issues: Vec<Issue> = raw
        .issues
        .iter()
        .map(|i| Issue {
            id: i.id.value.clone(),
            name: i.name.as_ref().map_or_else(|| i.id.value.clone(), |n| n.value.clone()),
            description: i.description.clone(),
            options: Vec::new(),
        })
        .collect();

    let options = resolve_options(cx, raw.options, &party_ids, &issue_ids, &mut issues);
    // Option ids may have been dropped (unknown issue); index the options that were kept.
    let option_index: HashMap<String, u32> = {
        let mut m = HashMap::new();
        for (i, o) in options.iter().enumerate() {
            m.entry(o.id.clone()).or_insert(i as u32);
        }
        m
    };

    check_option_counts(cx, &issues, &raw.issues);

    let sources: Vec<Source> = raw
        .sources
        .into_iter()
        .map(|s| Source {
            id: s.id.value,
            publication: s.publication,
            title: s.title,
            date: s.date,
            date_precision: s.date_precision,
            url: s.url,
            kind: s.kind,
            note: s.note,
            sha256: s.sha256,
            retrieved: s.retrieved,
            language: s.language,
            media_type: s.media_type,
        })
        .collect();

    let ids = Ids { party: party_ids, issue: issue_ids, source: source_ids, option: option_index };
    let positions = resolve_positions(cx, raw.positions, &ids, &options, &issues);
    let process_positions = resolve_process_positions(cx, raw.process_positions, &ids);
    let reference_provisions = resolve_references(cx, raw.references, &ids);

    let preferences = resolve_preferences(
        cx,
        raw.preferences,
        &ids.party,
        &ids.issue,
        &ids.option,
        &issues,
        options.len(),
    );
    let constraints = resolve_constraints(
        cx,
        raw.constraints,
        &ids.party,
        &ids.source,
        &ids.issue,
        &ids.option,
        &options,
    );

    let vocabulary = resolve_vocabulary(cx, raw.vocabulary, &ids);

    Some(Scenario {
        file: cx.file.to_string(),
        meta: raw.meta,
        parties,
        issues,
        options,
        sources,
        positions,
        process_positions,
        reference_provisions,
        stance_utilities: raw.stance_utilities,
        preferences,
        constraints,
        vocabulary,
    })
}

/// Resolves the vocabulary's parties and options; drops the tables that name nothing known.
fn resolve_vocabulary(cx: &mut Cx<'_>, raw: Vec<RawVocabulary>, ids: &Ids) -> Vec<Vocabulary> {
    let mut out = Vec::new();
    for v in raw {
        let target = if let Some(party) = &v.party {
            lookup(cx, &ids.party, "party", party).map(|p| VocabularyTarget::Party(PartyIx(p)))
        } else if let Some(option) = &v.option {
            lookup(cx, &ids.option, "option", option).map(|o| VocabularyTarget::Option(OptionIx(o)))
        } else {
            v.stance.map(VocabularyTarget::Stance)
        };
        let Some(target) = target else { continue };
        let (line, _) = cx.lines.line_col(cx.text, v.span.start);
        out.push(Vocabulary { target, words: v.words, line });
    }
    out
}

/// Reports a scenario with no parties or no issues (unless a syntax error may have hidden them).
fn check_not_empty(cx: &mut Cx<'_>, raw: &RawDocument) {
    if raw.parties.is_empty() && cx.syntax_spans.is_empty() {
        cx.error(
            &(0..0),
            "parties",
            "the scenario has no parties",
            Some("at least one [[parties]] table".to_string()),
        );
    }
    if raw.issues.is_empty() && cx.syntax_spans.is_empty() {
        cx.error(
            &(0..0),
            "issues",
            "the scenario has no issues",
            Some("at least one [[issues]] table".to_string()),
        );
    }
}

/// Reports each issue with fewer than two options.
fn check_option_counts(cx: &mut Cx<'_>, issues: &[Issue], raw: &[RawIssue]) {
    for (issue, raw_issue) in issues.iter().zip(raw) {
        if issue.options.len() < 2 {
            cx.error(
                &raw_issue.span,
                &format!("{}.options", raw_issue.path),
                format!("issue \"{}\" has {} option(s)", issue.id, issue.options.len()),
                Some("at least 2 mutually exclusive options".to_string()),
            );
        }
    }
}

/// Resolves the options' issues and obligors, and lists each kept option under its issue.
fn resolve_options(
    cx: &mut Cx<'_>,
    raw: Vec<RawOption>,
    party_ids: &HashMap<String, u32>,
    issue_ids: &HashMap<String, u32>,
    issues: &mut [Issue],
) -> Vec<IssueOption> {
    let mut options = Vec::new();
    let mut kept_option_ids = std::collections::HashSet::new();
    for o in raw {
        let issue = match &o.issue {
            RawOptionIssue::Nested(i) => Some(*i as u32),
            RawOptionIssue::ById(id) => lookup(cx, issue_ids, "issue", id),
            RawOptionIssue::Missing => None,
        };
        let Some(issue) = issue else { continue };
        // A duplicate option id was reported already; only the first definition is kept.
        if !kept_option_ids.insert(o.id.value.clone()) {
            continue;
        }
        issues[issue as usize].options.push(OptionIx(options.len() as u32));
        let mut provisions = Vec::new();
        for (template, obligors) in o.provisions {
            for obligor in &obligors {
                lookup(cx, party_ids, "party", obligor);
            }
            provisions.push(template);
        }
        options.push(IssueOption {
            label: o.label.map_or_else(|| o.id.value.clone(), |l| l.value),
            id: o.id.value,
            issue: IssueIx(issue),
            description: o.description,
            provisions,
        });
    }
    options
}

/// Resolves the positions' party, option, source and issue; drops the positions missing one of them.
fn resolve_positions(
    cx: &mut Cx<'_>,
    raw: Vec<RawPosition>,
    ids: &Ids,
    options: &[IssueOption],
    issues: &[Issue],
) -> Vec<Position> {
    let mut positions = Vec::new();
    for p in raw {
        let party = p.party.as_ref().and_then(|id| lookup(cx, &ids.party, "party", id));
        let option = p.option.as_ref().and_then(|id| lookup(cx, &ids.option, "option", id));
        let source = p.source.as_ref().and_then(|id| lookup(cx, &ids.source, "source", id));
        let issue = option.map(|o| options[o as usize].issue);
        if let Some(given) = &p.issue
            && let Some(given_ix) = lookup(cx, &ids.issue, "issue", given)
            && let (Some(actual), Some(option)) = (issue, option)
            && actual.0 != given_ix
        {
            let option = &options[option as usize];
            let actual_id = &issues[actual.ix()].id;
            cx.error(
                &given.span,
                &given.field,
                format!("issue \"{}\" disagrees with option \"{}\", which belongs to issue \"{actual_id}\"", given.value, option.id),
                Some(format!("\"{actual_id}\", or no `issue` field")),
            );
        }
        for corroborating in &p.corroborating_sources {
            let looks_like_url = corroborating.value.contains("://");
            if !looks_like_url && !ids.source.contains_key(&corroborating.value) {
                lookup(cx, &ids.source, "source", corroborating);
            }
        }
        let (
            Some(party),
            Some(option),
            Some(source),
            Some(issue),
            Some(stance),
            Some(date),
            Some(quote),
        ) = (party, option, source, issue, p.stance, p.date, p.quote)
        else {
            continue;
        };
        let (line, _) = cx.lines.line_col(cx.text, p.span.start);
        positions.push(Position {
            party: PartyIx(party),
            issue,
            option: OptionIx(option),
            stance,
            date,
            date_precision: p.date_precision,
            source: SourceIx(source),
            corroborating_sources: p.corroborating_sources.into_iter().map(|s| s.value).collect(),
            quote: quote.value,
            quote_kind: p.quote_kind,
            basis: p.basis,
            qualifier: p.qualifier,
            historical: p.historical,
            note: p.note,
            line,
        });
    }
    positions
}

/// Resolves the process positions' party and source; drops the ones missing a field.
fn resolve_process_positions(
    cx: &mut Cx<'_>,
    raw: Vec<RawProcessPosition>,
    ids: &Ids,
) -> Vec<ProcessPosition> {
    let mut process_positions = Vec::new();
    for p in raw {
        let party = p.party.as_ref().and_then(|id| lookup(cx, &ids.party, "party", id));
        let source = p.source.as_ref().and_then(|id| lookup(cx, &ids.source, "source", id));
        let (Some(party), Some(source), Some(topic), Some(date), Some(quote)) =
            (party, source, p.topic, p.date, p.quote)
        else {
            continue;
        };
        let (line, _) = cx.lines.line_col(cx.text, p.span.start);
        process_positions.push(ProcessPosition {
            line,
            party: PartyIx(party),
            topic: topic.value,
            date,
            date_precision: p.date_precision,
            source: SourceIx(source),
            quote: quote.value,
            quote_kind: p.quote_kind,
            note: p.note,
        });
    }
    process_positions
}

/// Resolves the reference provisions' sources; drops the ones missing a source or a provision.
fn resolve_references(
    cx: &mut Cx<'_>,
    raw: Vec<RawReference>,
    ids: &Ids,
) -> Vec<ReferenceProvision> {
    let mut reference_provisions = Vec::new();
    for r in raw {
        let source = r.source.as_ref().and_then(|id| lookup(cx, &ids.source, "source", id));
        let (Some(source), Some(provision)) = (source, r.provision) else { continue };
        reference_provisions.push(ReferenceProvision {
            id: r.id.value,
            provision: provision.value,
            proposed_by: r.proposed_by,
            source: SourceIx(source),
        });
    }
    reference_provisions
}

fn resolve_preferences(
    cx: &mut Cx<'_>,
    raw: Vec<RawPreferences>,
    party_ids: &HashMap<String, u32>,
    issue_ids: &HashMap<String, u32>,
    option_index: &HashMap<String, u32>,
    issues: &[Issue],
    n_options: usize,
) -> Vec<Preferences> {
    let mut out: Vec<Preferences> = Vec::new();
    let mut seen: HashMap<u32, u32> = HashMap::new();
    for p in raw {
        let (line, _) = cx.lines.line_col(cx.text, p.span.start);
        let Some(party_str) = &p.party else { continue };
        let Some(party) = lookup(cx, party_ids, "party", party_str) else { continue };
        if let Some(first) = seen.insert(party, line) {
            cx.error(
                &party_str.span,
                &party_str.field,
                format!("party \"{}\" already has preferences (line {first})", party_str.value),
                Some("one [[preferences]] table per party".to_string()),
            );
            continue;
        }
        let weights = p.weights.map(|given| {
            let mut weights = vec![0.0; issues.len()];
            for (key, w) in given {
                if w < 0.0 {
                    cx.error(
                        &key.span,
                        &key.field,
                        format!("negative weight {w}"),
                        Some("a weight of 0 or more".to_string()),
                    );
                }
                if let Some(issue) = lookup(cx, issue_ids, "issue", &key) {
                    weights[issue as usize] = w;
                }
            }
            weights
        });
        let mut utilities = vec![None; n_options];
        for (key, u) in p.utilities {
            if let Some(option) = lookup(cx, option_index, "option", &key) {
                utilities[option as usize] = Some(u);
            }
        }
        let check_finite = |cx: &mut Cx<'_>, value: Option<f64>, name: &str| {
            if let Some(v) = value
                && !v.is_finite()
            {
                cx.error(
                    &p.span,
                    name,
                    "is not a finite number",
                    Some("a finite number".to_string()),
                );
            }
        };
        check_finite(cx, p.reservation, "reservation");
        if let Some(d) = p.discount_factor
            && !(d > 0.0 && d <= 1.0)
        {
            cx.error(
                &p.span,
                "discount_factor",
                format!("{d} is out of range"),
                Some("a number in (0, 1]".to_string()),
            );
        }
        out.push(Preferences {
            party: PartyIx(party),
            weights,
            utilities,
            reservation: p.reservation,
            utility_cap: p.utility_cap,
            discount_factor: p.discount_factor,
            offset: p.offset.unwrap_or(0.0),
            line,
        });
    }
    out
}

fn resolve_constraints(
    cx: &mut Cx<'_>,
    raw: Vec<RawConstraint>,
    party_ids: &HashMap<String, u32>,
    source_ids: &HashMap<String, u32>,
    issue_ids: &HashMap<String, u32>,
    option_index: &HashMap<String, u32>,
    options: &[IssueOption],
) -> Vec<CrossConstraint> {
    let ids: Vec<Str> = raw.iter().filter_map(|c| c.id.clone()).collect();
    index_ids(cx, "constraint", ids.iter());
    let mut out = Vec::new();
    for c in raw {
        let party = c.party.as_ref().and_then(|id| lookup(cx, party_ids, "party", id));
        let source = c.source.as_ref().and_then(|id| lookup(cx, source_ids, "source", id));
        let (Some(id), Some(rule)) = (c.id, c.rule) else { continue };
        let issue = |name: &str| issue_ids.get(name).map(|&i| IssueIx(i));
        let option =
            |name: &str| option_index.get(name).map(|&o| (OptionIx(o), options[o as usize].issue));
        match crate::rule::parse_rule(&rule.value, &issue, &option) {
            Ok(condition) => {
                if c.party.is_some() && party.is_none() || c.source.is_some() && source.is_none() {
                    continue;
                }
                let (line, _) = cx.lines.line_col(cx.text, c.span.start);
                out.push(CrossConstraint {
                    id: id.value,
                    rule: rule.value,
                    condition,
                    party: party.map(PartyIx),
                    source: source.map(SourceIx),
                    quote: c.quote.map(|q| q.value),
                    line,
                });
            }
            Err(e) => {
                // Point into the string: past the opening quote, when the rule is written without escapes.
                let inside = rule.span.start + 1 + e.offset;
                let at = if cx.text.get(rule.span.start + 1..rule.span.end.saturating_sub(1))
                    == Some(rule.value.as_str())
                    && cx.text.is_char_boundary(inside)
                {
                    inside..inside + 1
                } else {
                    rule.span.clone()
                };
                cx.error(&at, &rule.field, e.message, Some(e.expected));
            }
        }
    }
    out
}
