//! Writing a scenario back as TOML (used by `truce import`).
//!
//! The output parses back to an equal scenario (up to file name and line numbers): floats are written in
//! Rust's shortest round-trip form, and every string and key is a TOML basic string.

use std::fmt::Write;

use truce_syntax::quote;

use crate::model::*;

fn number(x: f64) -> String {
    // `{:?}` always includes a decimal point or an exponent, and round-trips.
    format!("{x:?}")
}

/// The scenario as TOML text. `comment` becomes the file's first lines.
pub fn to_toml(scenario: &Scenario, comment: &str) -> String {
    let mut out = String::new();
    for line in comment.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(out, "\n[meta]");
    if let Some(title) = &scenario.meta.title {
        let _ = writeln!(out, "title = {}", quote(title));
    }
    let _ = writeln!(out, "max_quote_words = {}", scenario.meta.max_quote_words);
    for party in &scenario.parties {
        let _ = writeln!(
            out,
            "\n[[parties]]\nid = {}\nname = {}",
            quote(&party.id),
            quote(&party.name)
        );
        if let Some(kind) = &party.kind {
            let _ = writeln!(out, "kind = {}", quote(kind));
        }
    }
    for issue in &scenario.issues {
        let _ =
            writeln!(out, "\n[[issues]]\nid = {}\nname = {}", quote(&issue.id), quote(&issue.name));
        if let Some(d) = &issue.description {
            let _ = writeln!(out, "description = {}", quote(d));
        }
        for &o in &issue.options {
            let option = scenario.option(o);
            let _ = writeln!(
                out,
                "[[issues.options]]\nid = {}\nlabel = {}",
                quote(&option.id),
                quote(&option.label)
            );
        }
    }
    for p in &scenario.preferences {
        let _ = writeln!(out, "\n[[preferences]]\nparty = {}", quote(&scenario.party(p.party).id));
        if let Some(r) = p.reservation {
            let _ = writeln!(out, "reservation = {}", number(r));
        }
        if let Some(c) = p.utility_cap {
            let _ = writeln!(out, "utility_cap = {}", number(c));
        }
        if p.offset != 0.0 {
            let _ = writeln!(out, "offset = {}", number(p.offset));
        }
        if let Some(d) = p.discount_factor {
            let _ = writeln!(out, "discount_factor = {}", number(d));
        }
        if let Some(weights) = &p.weights {
            let _ = writeln!(out, "[preferences.weights]");
            for (issue, w) in scenario.issues.iter().zip(weights) {
                let _ = writeln!(out, "{} = {}", quote(&issue.id), number(*w));
            }
        }
        if p.utilities.iter().any(Option::is_some) {
            let _ = writeln!(out, "[preferences.utilities]");
            for (option, u) in scenario.options.iter().zip(&p.utilities) {
                if let Some(u) = u {
                    let _ = writeln!(out, "{} = {}", quote(&option.id), number(*u));
                }
            }
        }
    }
    out
}
