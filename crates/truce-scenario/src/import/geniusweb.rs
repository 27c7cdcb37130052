//! GeniusWeb JSON domains and `LinearAdditiveUtilitySpace` profiles.
//!
//! - A discrete issue (`{"values": [...]}`) becomes one option per value.
//! - A number issue (`{"range": [min, max, step]}`) becomes one option per step, at most 100,000.
//! - `discreteutils` give each value's utility; values not listed are worth 0.
//! - `numberutils` interpolate linearly between (`lowValue`, `lowUtility`) and (`highValue`, `highUtility`);
//!   values outside that interval are worth 0, as in GeniusWeb's `NumberValueSetUtilities`.
//! - The reservation value is the profile's utility of its `reservationBid`; with no bid, there is none.
//!
//! Both utility semantics agree on GeniusWeb input, which is already on a [0, 1] scale; only the cap at 1 differs.

use serde_json::{Map, Value};

use super::{
    DomainIssue, ImportOptions, ImportedParty, InputFile, Report, Semantics, build_scenario,
};
use crate::import::genius::party_name;
use crate::model::Scenario;
use truce_syntax::{Diagnostic, has_errors};

const MAX_NUMBER_VALUES: f64 = 100_000.0;

/// Imports a GeniusWeb domain and its profiles. A profile that embeds its own domain must agree with `domain`.
pub fn import_geniusweb(
    domain: InputFile<'_>,
    profiles: &[InputFile<'_>],
    options: ImportOptions,
) -> (Option<Scenario>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut report = Report::new(domain);
    let issues = parse_json(&mut report).and_then(|v| read_domain(&mut report, &v, ""));
    diagnostics.append(&mut report.diagnostics);
    let Some((name, issues)) = issues else { return (None, diagnostics) };
    let mut parties = Vec::new();
    for profile in profiles {
        let mut report = Report::new(*profile);
        let read = parse_json(&mut report).and_then(|v| read_profile(&mut report, &v, &issues));
        diagnostics.append(&mut report.diagnostics);
        if let Some((weights, utilities, reservation)) = read {
            parties.push(ImportedParty {
                name: party_name(profile.name),
                weights,
                utilities,
                reservation,
                discount: None,
            });
        }
    }
    if profiles.is_empty() {
        let mut report = Report::new(domain);
        report.error(
            0,
            "profiles",
            "no profile given",
            "at least one LinearAdditiveUtilitySpace profile".to_string(),
        );
        diagnostics.append(&mut report.diagnostics);
    }
    if has_errors(&diagnostics) {
        return (None, diagnostics);
    }
    let cap = (options.semantics == Semantics::Genius && options.cap_at_one).then_some(1.0);
    (Some(build_scenario(domain.name, Some(name), &issues, parties, cap)), diagnostics)
}

fn parse_json(report: &mut Report<'_>) -> Option<Value> {
    match serde_json::from_str::<Value>(report.file.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let offset = offset_of(report.file.text, e.line(), e.column());
            report.error(
                offset,
                "",
                format!("malformed JSON: {e}"),
                "a GeniusWeb JSON file".to_string(),
            );
            None
        }
    }
}

/// Byte offset of a 1-based (line, column) pair as serde_json reports it.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// Where `"key"` first appears in the text, to point diagnostics near the offending value.
fn locate(text: &str, key: &str) -> usize {
    text.find(&format!("\"{key}\"")).unwrap_or(0)
}

fn read_domain(
    report: &mut Report<'_>,
    v: &Value,
    path: &str,
) -> Option<(String, Vec<DomainIssue>)> {
    let text = report.file.text;
    let Some(object) = v.as_object() else {
        report.error(
            0,
            path,
            "the domain is not a JSON object",
            "{\"name\": …, \"issuesValues\": {…}}".to_string(),
        );
        return None;
    };
    let name = object.get("name").and_then(Value::as_str).unwrap_or("domain").to_string();
    let field =
        if path.is_empty() { "issuesValues".to_string() } else { format!("{path}.issuesValues") };
    let Some(values) = object.get("issuesValues").and_then(Value::as_object) else {
        report.error(
            locate(text, "issuesValues"),
            &field,
            "missing or not an object",
            "an object of issue → value set".to_string(),
        );
        return None;
    };
    let mut issues = Vec::new();
    for (issue, set) in values {
        let field = format!("{field}.{issue}");
        if let Some(list) = set.get("values").and_then(Value::as_array) {
            let strings: Option<Vec<String>> =
                list.iter().map(|x| x.as_str().map(str::to_string)).collect();
            match strings {
                Some(values) if !values.is_empty() => issues.push(DomainIssue {
                    name: issue.clone(),
                    values,
                    numbers: None,
                    index: None,
                    dummy: false,
                }),
                _ => report.error(
                    locate(text, issue),
                    &field,
                    "`values` must be a non-empty list of strings",
                    "[\"a\", \"b\", …]".to_string(),
                ),
            }
        } else if let Some(range) = set.get("range").and_then(Value::as_array) {
            let numbers: Option<Vec<f64>> = range.iter().map(number_of).collect();
            // What the issues before this one left of the domain's budget of values.
            let left = MAX_NUMBER_VALUES
                - issues.iter().map(|i: &DomainIssue| i.values.len() as f64).sum::<f64>();
            match numbers.as_deref() {
                Some(&[lo, hi, step]) if step > 0.0 && hi >= lo && ((hi - lo) / step) < left => {
                    let count = ((hi - lo) / step + 1e-9).floor() as usize + 1;
                    let numbers: Vec<f64> = (0..count).map(|k| lo + step * k as f64).collect();
                    issues.push(DomainIssue {
                        name: issue.clone(),
                        values: numbers.iter().map(|x| x.to_string()).collect(),
                        numbers: Some(numbers),
                        index: None,
                        dummy: false,
                    });
                }
                _ => report.error(
                    locate(text, issue),
                    &field,
                    "`range` must be [min, max, step] with step > 0, max ≥ min",
                    format!(
                        "at most {MAX_NUMBER_VALUES} values in all the domain's issues ({left} left for this one)"
                    ),
                ),
            }
        } else {
            report.error(
                locate(text, issue),
                &field,
                "value set has neither `values` nor `range`",
                "{\"values\": […]} or {\"range\": [min, max, step]}".to_string(),
            );
        }
    }
    if issues.is_empty() && !has_errors(&report.diagnostics) {
        report.error(
            locate(text, "issuesValues"),
            &field,
            "the domain has no issue",
            "at least one issue".to_string(),
        );
    }
    if has_errors(&report.diagnostics) { None } else { Some((name, issues)) }
}

/// A JSON number, or a string holding one (GeniusWeb writes BigDecimals either way).
fn number_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
}

type Profile = (Vec<f64>, Vec<Vec<f64>>, Option<f64>);

fn read_profile(report: &mut Report<'_>, v: &Value, issues: &[DomainIssue]) -> Option<Profile> {
    let text = report.file.text;
    let Some(space) = v.get("LinearAdditiveUtilitySpace").and_then(Value::as_object) else {
        let kind = v.as_object().and_then(|o| o.keys().next().cloned()).unwrap_or_default();
        report.error(
            0,
            "",
            format!("profile type \"{kind}\" is not supported"),
            "{\"LinearAdditiveUtilitySpace\": {…}}".to_string(),
        );
        return None;
    };
    let path = "LinearAdditiveUtilitySpace";
    if let Some(embedded) = space.get("domain")
        && let Some((_, own)) = read_domain(report, embedded, &format!("{path}.domain"))
    {
        {
            let same = own.len() == issues.len()
                && own
                    .iter()
                    .all(|o| issues.iter().any(|i| i.name == o.name && i.values == o.values));
            if !same {
                report.error(
                    locate(text, "domain"),
                    format!("{path}.domain"),
                    "the embedded domain differs from the domain file",
                    "the same issues and values".to_string(),
                );
            }
        }
    }
    let empty = Map::new();
    let weights_obj = space.get("issueWeights").and_then(Value::as_object).unwrap_or(&empty);
    let utils_obj = space.get("issueUtilities").and_then(Value::as_object).unwrap_or(&empty);
    let mut weights = vec![0.0; issues.len()];
    let mut utilities: Vec<Vec<f64>> = issues.iter().map(|i| vec![0.0; i.values.len()]).collect();
    for (k, issue) in issues.iter().enumerate() {
        let wfield = format!("{path}.issueWeights.{}", issue.name);
        match weights_obj.get(&issue.name).and_then(number_of) {
            Some(w) => weights[k] = w,
            None => report.error(
                locate(text, "issueWeights"),
                &wfield,
                "missing or not a number",
                "a weight per issue".to_string(),
            ),
        }
        let ufield = format!("{path}.issueUtilities.{}", issue.name);
        let Some(spec) = utils_obj.get(&issue.name) else {
            report.error(
                locate(text, "issueUtilities"),
                &ufield,
                "missing",
                "discreteutils or numberutils for every issue".to_string(),
            );
            continue;
        };
        if let Some(map) = spec
            .get("discreteutils")
            .and_then(|d| d.get("valueUtilities"))
            .and_then(Value::as_object)
        {
            for (value, u) in map {
                let Some(slot) = issue.values.iter().position(|v| v == value) else {
                    report.error(
                        locate(text, value),
                        format!("{ufield}.{value}"),
                        "value not in the domain",
                        "a value of the issue".to_string(),
                    );
                    continue;
                };
                match number_of(u) {
                    Some(u) => utilities[k][slot] = u,
                    None => report.error(
                        locate(text, value),
                        format!("{ufield}.{value}"),
                        "not a number",
                        "a utility".to_string(),
                    ),
                }
            }
        } else if let Some(nu) = spec.get("numberutils") {
            let get = |key: &str| nu.get(key).and_then(number_of);
            let (Some(lv), Some(lu), Some(hv), Some(hu)) =
                (get("lowValue"), get("lowUtility"), get("highValue"), get("highUtility"))
            else {
                report.error(
                    locate(text, "numberutils"),
                    &ufield,
                    "numberutils needs lowValue, lowUtility, highValue, highUtility",
                    "four numbers".to_string(),
                );
                continue;
            };
            for (slot, value) in utilities[k].iter_mut().zip(&issue.values) {
                let x = issue
                    .numbers
                    .as_ref()
                    .map(|n| n[issue.values.iter().position(|v| v == value).unwrap_or(0)])
                    .or_else(|| value.parse().ok());
                *slot = match x {
                    Some(x) if x >= lv && x <= hv && hv > lv => {
                        lu + (x - lv) * (hu - lu) / (hv - lv)
                    }
                    Some(x) if x == lv && hv == lv => lu,
                    _ => 0.0,
                };
            }
        } else {
            report.error(
                locate(text, &issue.name),
                &ufield,
                "neither discreteutils nor numberutils",
                "one of them".to_string(),
            );
        }
    }
    let reservation = match space
        .get("reservationBid")
        .and_then(|b| b.get("issuevalues"))
        .and_then(Value::as_object)
    {
        Some(bid) => {
            let mut total = 0.0;
            for (k, issue) in issues.iter().enumerate() {
                let value = bid
                    .get(&issue.name)
                    .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()));
                let slot = value.as_ref().and_then(|v| issue.values.iter().position(|x| x == v));
                match slot {
                    Some(s) => total += weights[k] * utilities[k][s],
                    None => report.error(
                        locate(text, "reservationBid"),
                        format!("{path}.reservationBid.{}", issue.name),
                        "missing or not a value of the issue",
                        "a value for every issue".to_string(),
                    ),
                }
            }
            Some(total)
        }
        None => None,
    };
    if has_errors(&report.diagnostics) { None } else { Some((weights, utilities, reservation)) }
}
