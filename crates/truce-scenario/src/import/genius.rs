//! Genius XML domains (`<negotiation_template>`) and additive profiles (`<utility_space>`).
//!
//! Issues are ordered by their `index` attribute (the key of a Genius bid), document order breaking ties.
//! Profiles may hold their issues in an `<objective>` or directly under `<utility_space>`; integer bounds may
//! be attributes of the issue or of a `<range>` child.
//!
//! **NegMAS's missing-index rule** (negmas-raw semantics only). NegMAS 0.16 numbers issues by `index − 1`
//! and, where an index below the largest is unused (many domains start at 2, the objective holding 1), it
//! inserts an issue named `DUMMY_ISSUE` with the single value 1. When the profile has a discrete issue, the
//! placeholder is evaluated as the identity with weight 1 (or the profile's weight for that index), so every
//! utility carries a constant +1; when all of the profile's issues are integer, NegMAS gives it weight 0 and it
//! adds nothing (its "all numeric" branch). Truce reproduces this under negmas-raw so that
//! its results equal NegMAS's (the reference scenarios FitnessA/B, laptop, inheritance, web_service and
//! AMPOvsCity depend on it); under the genius semantics no such issue exists.

use std::collections::HashMap;

use super::xml::{self, Element};
use super::{
    DomainIssue, ImportOptions, ImportedParty, InputFile, Report, Semantics, build_scenario,
    java_round,
};
use crate::model::Scenario;
use truce_syntax::{Diagnostic, has_errors};

/// The most values a domain's issues may have together (an integer issue expands to one value per
/// number): so that no small file expands to millions of options before anything else is checked.
const MAX_INTEGER_VALUES: i64 = 100_000;

/// Imports a Genius domain and its profiles (one party per profile, in the order given).
///
/// The party ids are the profiles' file names without directory and extension.
pub fn import_genius(
    domain: InputFile<'_>,
    profiles: &[InputFile<'_>],
    options: ImportOptions,
) -> (Option<Scenario>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut report = Report::new(domain);
    let issues = read_domain(&mut report, options.semantics);
    diagnostics.append(&mut report.diagnostics);
    let Some(issues) = issues else { return (None, diagnostics) };
    if profiles.is_empty() {
        let mut report = Report::new(domain);
        report.error(
            0,
            "profiles",
            "no profile given",
            "at least one <utility_space> profile file".to_string(),
        );
        diagnostics.append(&mut report.diagnostics);
        return (None, diagnostics);
    }
    let mut parties = Vec::new();
    for profile in profiles {
        let mut report = Report::new(*profile);
        let read = read_profile(&mut report, &issues, options.semantics);
        diagnostics.append(&mut report.diagnostics);
        if let Some((weights, utilities, reservation, discount)) = read {
            parties.push(ImportedParty {
                name: party_name(profile.name),
                weights,
                utilities,
                reservation: Some(reservation),
                discount,
            });
        }
    }
    if has_errors(&diagnostics) {
        return (None, diagnostics);
    }
    let cap = (options.semantics == Semantics::Genius && options.cap_at_one).then_some(1.0);
    (Some(build_scenario(domain.name, None, &issues, parties, cap)), diagnostics)
}

pub(crate) fn party_name(path: &str) -> String {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    base.rsplit_once('.').map_or(base, |(stem, _)| stem).to_string()
}

fn number(report: &mut Report<'_>, e: &Element, attr: &str, field: &str) -> Option<f64> {
    let Some(text) = e.attr(attr) else {
        report.error(
            e.offset,
            field,
            format!("<{}> has no `{attr}` attribute", e.name),
            "a number".to_string(),
        );
        return None;
    };
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => {
            report.error(
                e.offset,
                field,
                format!("`{attr}` is \"{text}\""),
                "a finite number".to_string(),
            );
            None
        }
    }
}

/// The issues under `e`, in document (preorder) order; nested objectives are flattened, as Genius does.
fn collect_issues<'e>(e: &'e Element, out: &mut Vec<&'e Element>) {
    for child in &e.children {
        match child.name.as_str() {
            "issue" => out.push(child),
            "objective" => collect_issues(child, out),
            _ => {}
        }
    }
}

fn find_objective(e: &Element) -> Option<&Element> {
    if e.name == "objective" {
        return Some(e);
    }
    e.children.iter().find_map(find_objective)
}

fn read_domain(report: &mut Report<'_>, semantics: Semantics) -> Option<Vec<DomainIssue>> {
    let root = match xml::parse(report_text(report)) {
        Ok(root) => root,
        Err((offset, message)) => {
            report.error(offset, "", message, "a Genius domain file".to_string());
            return None;
        }
    };
    if root.name != "negotiation_template" {
        report.error(
            root.offset,
            "",
            format!("root element is <{}>", root.name),
            "<negotiation_template> (a Genius domain)".to_string(),
        );
        return None;
    }
    let Some(objective) = find_objective(&root) else {
        report.error(
            root.offset,
            "objective",
            "no <objective> element",
            "<utility_space><objective>…".to_string(),
        );
        return None;
    };
    let mut elements = Vec::new();
    collect_issues(objective, &mut elements);
    if elements.is_empty() {
        report.error(
            objective.offset,
            "issue",
            "the domain has no issue",
            "at least one <issue>".to_string(),
        );
        return None;
    }
    elements.sort_by_key(|e| {
        e.attr("index").and_then(|i| i.trim().parse::<i64>().ok()).unwrap_or(i64::MAX)
    });
    let mut issues: Vec<DomainIssue> = Vec::new();
    let mut names = HashMap::new();
    for e in elements {
        let Some(name) = e.attr("name").map(str::to_string) else {
            report.error(
                e.offset,
                "issue",
                "<issue> has no `name`",
                "a name attribute".to_string(),
            );
            continue;
        };
        let field = format!("issue[{name}]");
        if names.insert(name.clone(), ()).is_some() {
            report.error(
                e.offset,
                &field,
                format!("duplicate issue name \"{name}\""),
                "unique issue names".to_string(),
            );
            continue;
        }
        let kind = e.attr("type").or(e.attr("etype")).unwrap_or("discrete");
        match kind {
            "discrete" => {
                let values: Vec<String> = e
                    .children_named("item")
                    .filter_map(|i| i.attr("value").map(str::to_string))
                    .collect();
                if values.is_empty() {
                    report.error(
                        e.offset,
                        &field,
                        "discrete issue without <item value=…>",
                        "at least one item".to_string(),
                    );
                    continue;
                }
                issues.push(DomainIssue {
                    name,
                    values,
                    numbers: None,
                    index: e.attr("index").map(str::to_string),
                    dummy: false,
                });
            }
            "integer" => {
                let bounds = if e.attr("lowerbound").is_some() {
                    e
                } else {
                    e.children_named("range").next().unwrap_or(e)
                };
                let (Some(lb), Some(ub)) = (
                    number(report, bounds, "lowerbound", &field),
                    number(report, bounds, "upperbound", &field),
                ) else {
                    continue;
                };
                let (lb, ub) = (lb as i64, ub as i64);
                // What the issues before this one left of the domain's budget of values.
                let used: i64 = issues.iter().map(|i| i.values.len() as i64).sum();
                let left = MAX_INTEGER_VALUES - used;
                if ub < lb || ub.saturating_sub(lb).saturating_add(1) > left {
                    report.error(
                        e.offset,
                        &field,
                        format!("integer range {lb}..={ub}"),
                        format!(
                            "lowerbound ≤ upperbound, and at most {MAX_INTEGER_VALUES} values in all the domain's issues ({left} left for this one)"
                        ),
                    );
                    continue;
                }
                let numbers: Vec<f64> = (lb..=ub).map(|x| x as f64).collect();
                issues.push(DomainIssue {
                    name,
                    values: (lb..=ub).map(|x| x.to_string()).collect(),
                    numbers: Some(numbers),
                    index: e.attr("index").map(str::to_string),
                    dummy: false,
                });
            }
            other => {
                report.error(
                    e.offset,
                    &field,
                    format!("issue type \"{other}\" is not supported"),
                    "discrete or integer".to_string(),
                );
            }
        }
    }
    if has_errors(&report.diagnostics) {
        return None;
    }
    if semantics == Semantics::NegmasRaw {
        issues = with_negmas_dummies(issues);
    }
    Some(issues)
}

/// Inserts NegMAS's `DUMMY_ISSUE` wherever an index below the largest is unused (see the module docs).
fn with_negmas_dummies(issues: Vec<DomainIssue>) -> Vec<DomainIssue> {
    let indices: Option<Vec<i64>> =
        issues.iter().map(|i| i.index.as_deref().and_then(|x| x.trim().parse().ok())).collect();
    let Some(indices) = indices else { return issues };
    let max = indices.iter().copied().max().unwrap_or(0);
    if max > MAX_INTEGER_VALUES {
        return issues;
    }
    let mut out = Vec::new();
    let mut by_index: Vec<Option<DomainIssue>> = (0..max).map(|_| None).collect();
    let mut extra = Vec::new();
    for (issue, index) in issues.into_iter().zip(indices) {
        match by_index.get_mut((index - 1).max(-1) as usize) {
            Some(slot @ None) if index >= 1 => *slot = Some(issue),
            _ => extra.push(issue),
        }
    }
    for (k, slot) in by_index.into_iter().enumerate() {
        out.push(slot.unwrap_or_else(|| DomainIssue {
            name: "DUMMY_ISSUE".to_string(),
            values: vec!["1".to_string()],
            numbers: Some(vec![1.0]),
            index: Some((k + 1).to_string()),
            dummy: true,
        }));
    }
    out.extend(extra);
    out
}

fn report_text<'a>(report: &Report<'a>) -> &'a str {
    report.file.text
}

type Profile = (Vec<f64>, Vec<Vec<f64>>, f64, Option<f64>);

fn read_profile(
    report: &mut Report<'_>,
    issues: &[DomainIssue],
    semantics: Semantics,
) -> Option<Profile> {
    let root = match xml::parse(report_text(report)) {
        Ok(root) => root,
        Err((offset, message)) => {
            report.error(offset, "", message, "a Genius profile file".to_string());
            return None;
        }
    };
    if root.name != "utility_space" {
        report.error(
            root.offset,
            "",
            format!("root element is <{}>", root.name),
            "<utility_space> (a Genius profile)".to_string(),
        );
        return None;
    }
    if root.attr("type") == Some("nonlinear") || find(&root, "hyperRectangle").is_some() {
        report.error(
            root.offset,
            "",
            "nonlinear (hyper-rectangle) profiles are not supported",
            "an additive profile".to_string(),
        );
        return None;
    }
    // Some profiles list their issues directly under <utility_space>.
    let objective = find_objective(&root).unwrap_or(&root);
    let mut elements = Vec::new();
    collect_issues(objective, &mut elements);
    // Weights may sit in the objective or in nested objectives: gather them all, keyed by issue index.
    let mut weights_by_index: HashMap<String, (f64, usize)> = HashMap::new();
    gather_weights(report, objective, &mut weights_by_index);

    let mut weights = vec![0.0; issues.len()];
    let mut utilities: Vec<Vec<f64>> = issues.iter().map(|i| vec![0.0; i.values.len()]).collect();
    let mut seen = vec![false; issues.len()];
    for e in elements {
        let name = e.attr("name").unwrap_or("");
        let field = format!("issue[{name}]");
        let Some(k) = issues.iter().position(|i| i.name == name) else {
            report.error(
                e.offset,
                &field,
                format!("issue \"{name}\" is not in the domain"),
                "an issue of the domain".to_string(),
            );
            continue;
        };
        seen[k] = true;
        let index = e.attr("index").unwrap_or("");
        match weights_by_index.get(index) {
            Some(&(w, _)) => weights[k] = w,
            None => {
                report.error(
                    e.offset,
                    &field,
                    format!("no <weight index=\"{index}\"> for this issue"),
                    "a weight per issue".to_string(),
                );
            }
        }
        let issue = &issues[k];
        match &issue.numbers {
            None => {
                let mut evaluations: HashMap<&str, f64> = HashMap::new();
                for item in e.children_named("item") {
                    let value = item.attr("value").unwrap_or("");
                    let item_field = format!("{field}.item[{value}].evaluation");
                    if !issue.values.iter().any(|v| v == value) {
                        report.error(
                            item.offset,
                            &item_field,
                            format!("value \"{value}\" is not in the domain"),
                            "a value of the issue".to_string(),
                        );
                        continue;
                    }
                    if let Some(x) = number(report, item, "evaluation", &item_field) {
                        evaluations.insert(value, x);
                    }
                }
                let max = evaluations.values().copied().fold(f64::NEG_INFINITY, f64::max);
                let normalise = semantics == Semantics::Genius && java_round(max) > 1.0;
                for (slot, value) in utilities[k].iter_mut().zip(&issue.values) {
                    let e = evaluations.get(value.as_str()).copied().unwrap_or(0.0);
                    *slot = if normalise { java_round(e) / java_round(max) } else { e };
                }
            }
            Some(numbers) => {
                let Some(evaluator) = e.children_named("evaluator").next() else {
                    report.error(
                        e.offset,
                        &field,
                        "integer issue without <evaluator>",
                        "<evaluator ftype=\"linear\" slope=… offset=…>".to_string(),
                    );
                    continue;
                };
                if evaluator.attr("ftype").is_some_and(|f| f != "linear") {
                    report.error(
                        evaluator.offset,
                        &field,
                        "only linear evaluators are supported",
                        "ftype=\"linear\"".to_string(),
                    );
                    continue;
                }
                let slope_attr =
                    if evaluator.attr("slope").is_some() { "slope" } else { "parameter1" };
                let offset_attr =
                    if evaluator.attr("offset").is_some() { "offset" } else { "parameter0" };
                let (Some(slope), Some(offset)) = (
                    number(report, evaluator, slope_attr, &field),
                    number(report, evaluator, offset_attr, &field),
                ) else {
                    continue;
                };
                let lower = numbers.first().copied().unwrap_or(0.0);
                for (slot, &x) in utilities[k].iter_mut().zip(numbers) {
                    *slot = match semantics {
                        Semantics::Genius => (offset + slope * (x - lower)).clamp(0.0, 1.0),
                        Semantics::NegmasRaw => slope * x + offset,
                    };
                }
            }
        }
    }
    for (k, issue) in issues.iter().enumerate() {
        if issue.dummy {
            // NegMAS's placeholder: identity of its single value 1, weight from the profile or 1.
            let index = issue.index.as_deref().unwrap_or("");
            let all_numeric = issues.iter().all(|i| i.dummy || i.numbers.is_some());
            weights[k] = if all_numeric {
                0.0
            } else {
                weights_by_index.get(index).map_or(1.0, |&(w, _)| w)
            };
            utilities[k] = vec![1.0];
            continue;
        }
        if !seen[k] {
            report.error(
                objective.offset,
                format!("issue[{}]", issue.name),
                "the profile does not evaluate this issue",
                "one <issue> per domain issue".to_string(),
            );
        }
    }
    let reservation = match root.children_named("reservation").next() {
        Some(r) => number(report, r, "value", "reservation").unwrap_or(0.0),
        None => 0.0,
    };
    let discount = match root.children_named("discount_factor").next() {
        // Genius treats a factor outside (0, 1] as no discount.
        Some(d) => number(report, d, "value", "discount_factor").filter(|d| *d > 0.0 && *d <= 1.0),
        None => None,
    };
    if has_errors(&report.diagnostics) {
        None
    } else {
        Some((weights, utilities, reservation, discount))
    }
}

fn gather_weights(report: &mut Report<'_>, e: &Element, out: &mut HashMap<String, (f64, usize)>) {
    for child in &e.children {
        match child.name.as_str() {
            "weight" => {
                let index = child.attr("index").unwrap_or("").to_string();
                if let Some(w) = number(report, child, "value", &format!("weight[{index}]")) {
                    out.insert(index, (w, child.offset));
                }
            }
            "objective" => gather_weights(report, child, out),
            _ => {}
        }
    }
}

fn find<'e>(e: &'e Element, name: &str) -> Option<&'e Element> {
    if e.name == name {
        return Some(e);
    }
    e.children.iter().find_map(|c| find(c, name))
}
