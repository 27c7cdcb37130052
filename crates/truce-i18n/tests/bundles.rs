//! The translations are complete and follow the glossary: every message of every file exists in
//! English, Ukrainian and Russian, with the same attributes and variables; every file parses; every
//! message formats; and wherever an English message uses a glossary term, the Ukrainian and Russian
//! messages use its rendering (`docs/glossary.md`).

use std::collections::{BTreeMap, BTreeSet};

use truce_i18n::{FILES, Lang, sources};

/// One message of a Fluent file: its id, attributes and variables, and its whole text (every variant).
#[derive(Debug, Default)]
struct Message {
    attributes: BTreeSet<String>,
    variables: BTreeSet<String>,
    text: String,
}

/// The messages of a Fluent source, read line by line (a message starts at `id =` in column 0 and goes on
/// over its indented lines). Panics, naming the file and line, on a syntax error or a duplicate id.
fn messages(file: &str, source: &str) -> BTreeMap<String, Message> {
    if let Err((_, errors)) = fluent_syntax::parser::parse(source) {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| {
                let line = source[..e.pos.start.min(source.len())].lines().count().max(1);
                format!("{file}:{line}: {:?}", e.kind)
            })
            .collect();
        panic!("Fluent syntax errors:\n{}", lines.join("\n"));
    }
    let mut out: BTreeMap<String, Message> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (n, line) in source.lines().enumerate() {
        let starts = line.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if starts && let Some((id, rest)) = line.split_once('=') {
            let id = id.trim().to_string();
            assert!(!out.contains_key(&id), "{file}:{}: message {id} given twice", n + 1);
            out.insert(id.clone(), Message { text: rest.to_string(), ..Message::default() });
            current = Some(id);
        } else if line.starts_with('#') || line.trim().is_empty() {
            if !line.trim().is_empty() {
                current = None;
            }
        } else if let Some(id) = &current {
            let m = out.get_mut(id).expect("the current message was inserted");
            let trimmed = line.trim_start();
            if let Some(attr) = trimmed.strip_prefix('.') {
                let (name, rest) = attr.split_once('=').unwrap_or((attr, ""));
                m.attributes.insert(name.trim().to_string());
                m.text.push(' ');
                m.text.push_str(rest);
            } else {
                m.text.push(' ');
                m.text.push_str(trimmed);
            }
        }
    }
    for m in out.values_mut() {
        let mut rest = m.text.as_str();
        while let Some(at) = rest.find('$') {
            let name: String = rest[at + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            m.variables.insert(name);
            rest = &rest[at + 1..];
        }
    }
    out
}

fn all() -> BTreeMap<(Lang, &'static str), BTreeMap<String, Message>> {
    let mut out = BTreeMap::new();
    for lang in Lang::ALL {
        for (file, source) in FILES.iter().zip(sources(lang)) {
            out.insert((lang, *file), messages(&format!("locales/{lang}/{file}"), source));
        }
    }
    out
}

#[test]
fn every_message_exists_in_every_language_with_the_same_attributes_and_variables() {
    let all = all();
    let mut problems = Vec::new();
    for file in FILES {
        let en = &all[&(Lang::En, file)];
        assert!(!en.is_empty(), "{file}: no messages");
        for lang in [Lang::Uk, Lang::Ru] {
            let other = &all[&(lang, file)];
            for (id, m) in en {
                match other.get(id) {
                    None => problems.push(format!("locales/{lang}/{file}: {id} is missing")),
                    Some(o) => {
                        if o.attributes != m.attributes {
                            problems.push(format!(
                                "locales/{lang}/{file}: {id} has attributes {:?}, English {:?}",
                                o.attributes, m.attributes
                            ));
                        }
                        if o.variables != m.variables {
                            problems.push(format!(
                                "locales/{lang}/{file}: {id} uses variables {:?}, English {:?}",
                                o.variables, m.variables
                            ));
                        }
                    }
                }
            }
            for id in other.keys().filter(|id| !en.contains_key(*id)) {
                problems.push(format!("locales/{lang}/{file}: {id} is not in English"));
            }
        }
    }
    assert!(problems.is_empty(), "the bundles differ:\n{}", problems.join("\n"));
}

#[test]
fn every_message_formats_in_every_language() {
    for ((lang, file), messages) in all() {
        for (id, m) in messages {
            // Every variable as a number that needs a plural form other than one, then as one.
            for n in [1, 3, 5] {
                let args: Vec<(&str, truce_i18n::FluentValue<'_>)> =
                    m.variables.iter().map(|v| (v.as_str(), n.into())).collect();
                let text = lang.words().with(&id, &args);
                assert!(!text.starts_with('['), "locales/{lang}/{file}: {id} does not format");
                assert!(!text.contains("{$") && !text.contains("{ $"), "{lang} {id}: {text}");
            }
            for attr in &m.attributes {
                assert!(lang.words().has(&format!("{id}.{attr}")), "{lang} {id}.{attr}");
            }
        }
    }
}

/// One row of the glossary: the English alternatives, and what the Ukrainian and Russian messages must
/// hold (any of the stems).
struct Term {
    line: usize,
    english: Vec<String>,
    uk: Vec<String>,
    ru: Vec<String>,
}

/// A cell's stems: the words in backticks, or the whole rendering if there are none.
fn stems(cell: &str) -> Vec<String> {
    let ticked: Vec<String> =
        cell.split('`').skip(1).step_by(2).map(|s| s.to_lowercase()).collect();
    if ticked.is_empty() {
        cell.split(" / ").map(|s| s.trim().to_lowercase()).collect()
    } else {
        ticked
    }
}

fn glossary() -> Vec<Term> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/glossary.md");
    let text = std::fs::read_to_string(path).expect("docs/glossary.md is readable");
    let mut terms = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | English | Українська | Русский | Note |  →  ["", en, uk, ru, note, ""]
        if cells.len() != 6 || cells[1] == "English" || cells[1].starts_with("---") {
            continue;
        }
        terms.push(Term {
            line: n + 1,
            english: cells[1].split(" / ").map(|s| s.trim().to_string()).collect(),
            uk: stems(cells[2]),
            ru: stems(cells[3]),
        });
    }
    terms
}

/// Whether `text` uses `term` as a whole word (a plural `s` or `es` allowed); case-insensitive unless
/// the term is capitalised.
fn uses(text: &str, term: &str) -> bool {
    let exact = term.chars().next().is_some_and(char::is_uppercase);
    let (hay, needle) = if exact {
        (text.to_string(), term.to_string())
    } else {
        (text.to_lowercase(), term.to_lowercase())
    };
    let letter = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    hay.match_indices(&needle).any(|(at, _)| {
        let before = hay[..at].chars().next_back();
        let after = &hay[at + needle.len()..];
        let after = after.strip_prefix("es").or_else(|| after.strip_prefix('s')).unwrap_or(after);
        !letter(before) && !letter(after.chars().next())
    })
}

/// `text` without its variable references (`$parties` is a name, not the word "parties").
fn without_variables(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' {
            while chars.peek().is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn the_translations_use_the_glossary_terms() {
    let terms = glossary();
    assert!(terms.len() >= 40, "docs/glossary.md: only {} terms read", terms.len());
    let all = all();
    let mut problems = Vec::new();
    for file in FILES {
        for (id, en) in &all[&(Lang::En, file)] {
            for term in &terms {
                let words = without_variables(&en.text);
                let Some(used) = term.english.iter().find(|t| uses(&words, t)) else { continue };
                for (lang, wanted) in [(Lang::Uk, &term.uk), (Lang::Ru, &term.ru)] {
                    let Some(m) = all[&(lang, file)].get(id) else { continue };
                    let text = m.text.to_lowercase();
                    if !wanted.iter().any(|s| text.contains(s.as_str())) {
                        problems.push(format!(
                            "locales/{lang}/{file}: {id} translates \"{used}\" without {} (docs/glossary.md:{})",
                            wanted.join(" or "),
                            term.line
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "the translations leave the glossary:\n{}", problems.join("\n"));
}

#[test]
fn the_glossary_check_finds_a_term_left_out() {
    assert!(uses("The log holds", "log"));
    assert!(!uses("Sign in to the login page", "log"));
    assert!(uses("two red lines", "red line"));
    assert!(uses("the Table finds", "Table"));
    assert!(!uses(&without_variables("disputed by { $parties }"), "parties"));
    assert!(!uses("a table of stances", "Table"));
    let term = &glossary().into_iter().find(|t| t.english == ["line of contact"]).expect("a row");
    assert!(term.uk.iter().any(|s| "уздовж лінії зіткнення".contains(s.as_str())));
    assert!(!term.uk.iter().any(|s| "уздовж фронту".contains(s.as_str())));
}
