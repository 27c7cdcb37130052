//! A tournament's configuration file (`truce tournament CONFIG.toml`; see the README), read with the
//! shared walker (`truce_scenario::walk`), so that every error names the file, the line, the field and
//! what was expected; and the plan it makes, held to [`MAX_TOURNAMENT_RUNS`] and
//! [`MAX_TOURNAMENT_ROUNDS`] before any run.

use truce_scenario::import::Semantics;
use truce_scenario::walk::{self, Cx, Fields, Span};
use truce_scenario::{Diagnostic, PartyIx, Scenario, Severity};
use truce_table::Reading;

use crate::ask::{MAX_ROUNDS, all_protocols, default_rounds, default_seed};
use crate::{AgentSpec, Plan, Protocol, Setting};

/// The most runs a tournament configuration may make (settings × assignments × protocols ×
/// repetitions).
pub const MAX_TOURNAMENT_RUNS: u64 = 200_000;

/// The most rounds a tournament may play: its runs times its deadline.
pub const MAX_TOURNAMENT_ROUNDS: u64 = 100_000_000;

/// A scenario of a tournament (`[[scenario]]`).
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioEntry {
    /// The scenario file or domain folder, relative to the configuration.
    pub path: String,
    /// Its name in the results (default: the path).
    pub name: String,
    /// The parties at the table (default: all).
    pub parties: Option<Vec<String>>,
    /// The reading (default red lines).
    pub reading: Reading,
    /// For a domain folder: how to import it (default Genius's rules).
    pub semantics: Semantics,
}

/// A seeded random problem of a tournament (`[[synthetic]]`, `truce_table::synthetic_problem`).
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticEntry {
    /// Its name in the results.
    pub name: String,
    /// Parties (1 to 8).
    pub parties: usize,
    /// Issues (at least one).
    pub issues: usize,
    /// Options per issue (at least one).
    pub options: usize,
    /// Its seed.
    pub seed: u64,
}

/// Where the fields that multiply a tournament's work are written (`None` for a field left at its
/// default), for the errors of [`Tournament::plan`].
#[derive(Debug, Default, Clone)]
struct FieldSpans {
    agents: Option<Span>,
    rounds: Option<Span>,
    repetitions: Option<Span>,
    max_assignments: Option<Span>,
}

/// A checked tournament configuration.
#[derive(Debug, Clone)]
pub struct Tournament {
    /// The agents, each named once.
    pub agents: Vec<AgentSpec>,
    /// The protocols, each named once (default: all three).
    pub protocols: Vec<Protocol>,
    /// Deadline in rounds (1 to [`MAX_ROUNDS`]).
    pub rounds: u32,
    /// Runs per assignment and protocol (at least 1).
    pub repetitions: u32,
    /// The seed.
    pub seed: u64,
    /// Most assignments of agents to seats per setting (at least 1).
    pub max_assignments: usize,
    /// Where to write the results, relative to the configuration (`None`: `<config stem>-results`).
    pub output: Option<String>,
    /// Scenario files or domain folders.
    pub scenarios: Vec<ScenarioEntry>,
    /// Seeded random problems.
    pub synthetic: Vec<SyntheticEntry>,
    /// The configuration file, as named in errors.
    file: String,
    /// Its text's line index, for the errors of [`Tournament::plan`].
    lines: truce_scenario::LineIndex,
    text: String,
    spans: FieldSpans,
}

/// Parses and checks a tournament configuration: every error (and every unknown key, which would
/// otherwise leave a mistyped field at its default) with file, line, field and what was expected.
pub fn parse_tournament(file: &str, text: &str) -> Result<Tournament, Vec<Diagnostic>> {
    let (root, mut cx) = walk::begin(file, text);
    let mut f = Fields::new(root.get_ref(), root.span(), String::new());
    let mut spans = FieldSpans::default();
    let agents = agents(&mut cx, &mut f, &mut spans);
    let protocols = protocols(&mut cx, &mut f);
    spans.rounds = f.table.get("rounds").map(|v| v.span());
    let rounds = cx.u32_opt(&mut f, "rounds").unwrap_or(default_rounds());
    if let Some(span) = &spans.rounds
        && (rounds == 0 || rounds > MAX_ROUNDS)
    {
        cx.error(span, "rounds", format!("{rounds}"), format!("1 to {MAX_ROUNDS}"));
    }
    spans.repetitions = f.table.get("repetitions").map(|v| v.span());
    let repetitions = at_least_one(&mut cx, &mut f, "repetitions").unwrap_or(1);
    let seed = cx.u64_opt(&mut f, "seed").unwrap_or(default_seed());
    spans.max_assignments = f.table.get("max_assignments").map(|v| v.span());
    let max_assignments = at_least_one(&mut cx, &mut f, "max_assignments").unwrap_or(1000);
    let output = cx.text_opt(&mut f, "output");
    let scenarios: Vec<ScenarioEntry> = cx
        .tables(&mut f, "scenario")
        .into_iter()
        .filter_map(|mut t| {
            let entry = scenario_entry(&mut cx, &mut t);
            finish_strict(&mut cx, t);
            entry
        })
        .collect();
    let synthetic: Vec<SyntheticEntry> = cx
        .tables(&mut f, "synthetic")
        .into_iter()
        .filter_map(|mut t| {
            let entry = synthetic_entry(&mut cx, &mut t);
            finish_strict(&mut cx, t);
            entry
        })
        .collect();
    if scenarios.is_empty() && synthetic.is_empty() && !truce_scenario::has_errors(&cx.diags) {
        cx.error(&(0..0), "", "no [[scenario]] and no [[synthetic]]", "at least one".to_string());
    }
    finish_strict(&mut cx, f);
    let diagnostics = cx.into_diagnostics();
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(Tournament {
        agents,
        protocols,
        rounds,
        repetitions,
        seed,
        max_assignments,
        output,
        scenarios,
        synthetic,
        file: file.to_string(),
        lines: truce_scenario::LineIndex::new(text),
        text: text.to_string(),
        spans,
    })
}

/// Reports every key of `f` that was not read as an error: a tournament has no optional extras, and a
/// mistyped field would otherwise run at its default.
fn finish_strict(cx: &mut Cx<'_>, f: Fields<'_, '_>) {
    let before = cx.diags.len();
    cx.finish(f);
    for d in &mut cx.diags[before..] {
        d.severity = Severity::Error;
    }
}

/// `agents`: at least one, each known and named once.
fn agents(cx: &mut Cx<'_>, f: &mut Fields<'_, '_>, spans: &mut FieldSpans) -> Vec<AgentSpec> {
    spans.agents = f.table.get("agents").map(|v| v.span());
    let Some(span) = spans.agents.clone() else {
        f.used.push("agents");
        cx.missing(f, "agents", &format!("an array of agent names, some of {}", AgentSpec::NAMES));
        return Vec::new();
    };
    let names = cx.str_list_opt(f, "agents");
    if names.is_empty() {
        cx.error(&span, "agents", "empty", format!("at least one of {}", AgentSpec::NAMES));
    }
    let mut out: Vec<AgentSpec> = Vec::new();
    for name in names {
        match AgentSpec::parse(&name.value) {
            Ok(agent) if out.contains(&agent) => cx.error(
                &name.span,
                &name.field,
                format!("{:?} repeats {}", name.value, agent.name()),
                "each agent named once".to_string(),
            ),
            Ok(agent) => out.push(agent),
            Err(e) => cx.error(&name.span, &name.field, e, None),
        }
    }
    out
}

/// `protocols`: each known and named once (default: all three).
fn protocols(cx: &mut Cx<'_>, f: &mut Fields<'_, '_>) -> Vec<Protocol> {
    let span = f.table.get("protocols").map(|v| v.span());
    let names = cx.str_list_opt(f, "protocols");
    let Some(span) = span else {
        return all_protocols().iter().filter_map(|p| Protocol::parse(p).ok()).collect();
    };
    if names.is_empty() {
        cx.error(&span, "protocols", "empty", "saop, stacked or single-text".to_string());
    }
    let mut out: Vec<Protocol> = Vec::new();
    for name in names {
        match Protocol::parse(&name.value) {
            Ok(protocol) if out.contains(&protocol) => cx.error(
                &name.span,
                &name.field,
                format!("{:?} repeats {}", name.value, protocol.as_str()),
                "each protocol named once".to_string(),
            ),
            Ok(protocol) => out.push(protocol),
            Err(e) => cx.error(&name.span, &name.field, e, None),
        }
    }
    out
}

/// An optional positive integer.
fn at_least_one<T: TryFrom<u64>>(
    cx: &mut Cx<'_>,
    f: &mut Fields<'_, '_>,
    key: &'static str,
) -> Option<T> {
    let span = f.table.get(key).map(|v| v.span())?;
    let n = cx.u64_opt(f, key)?;
    match T::try_from(n) {
        Ok(v) if n > 0 => Some(v),
        _ => {
            cx.error(&span, key, format!("{n}"), "at least 1".to_string());
            None
        }
    }
}

fn scenario_entry(cx: &mut Cx<'_>, t: &mut Fields<'_, '_>) -> Option<ScenarioEntry> {
    let path = cx.str_req(t, "path");
    let name = cx.text_opt(t, "name");
    let parties = t
        .table
        .get("parties")
        .is_some()
        .then(|| cx.str_list_opt(t, "parties").into_iter().map(|s| s.value).collect());
    let reading = match cx.str_opt(t, "reading") {
        None => Some(Reading::RedLines),
        Some(s) => match s.value.parse::<Reading>() {
            Ok(r) => Some(r),
            Err(_) => {
                cx.error(
                    &s.span,
                    &s.field,
                    format!("unknown reading {:?}", s.value),
                    "red_lines, strict or pessimistic".to_string(),
                );
                None
            }
        },
    };
    let semantics = match cx.str_opt(t, "semantics") {
        None => Some(Semantics::Genius),
        Some(s) if s.value == "genius" => Some(Semantics::Genius),
        Some(s) if s.value == "negmas-raw" => Some(Semantics::NegmasRaw),
        Some(s) => {
            cx.error(
                &s.span,
                &s.field,
                format!("unknown semantics {:?}", s.value),
                "genius or negmas-raw".to_string(),
            );
            None
        }
    };
    let path = path?.value;
    Some(ScenarioEntry {
        name: name.unwrap_or_else(|| path.clone()),
        path,
        parties,
        reading: reading?,
        semantics: semantics?,
    })
}

fn synthetic_entry(cx: &mut Cx<'_>, t: &mut Fields<'_, '_>) -> Option<SyntheticEntry> {
    let name = cx.str_req(t, "name");
    let mut count = |key: &'static str, range: std::ops::RangeInclusive<u64>, expected: &str| {
        if t.table.get(key).is_none() {
            t.used.push(key);
            cx.missing(t, key, expected);
            return None;
        }
        let span = t.table.get(key).map(|v| v.span()).unwrap_or(0..0);
        let n = cx.u64_opt(t, key)?;
        if range.contains(&n) {
            usize::try_from(n).ok()
        } else {
            cx.error(&span, &t.field(key), format!("{n}"), expected.to_string());
            None
        }
    };
    let parties = count("parties", 1..=8, "1 to 8 parties");
    let issues = count("issues", 1..=u64::MAX, "at least one issue");
    let options = count("options", 1..=u64::from(u32::MAX), "1 to 4294967295 options per issue");
    let seed = cx.u64_opt(t, "seed").unwrap_or(default_seed());
    Some(SyntheticEntry {
        name: name?.value,
        parties: parties?,
        issues: issues?,
        options: options?,
        seed,
    })
}

impl Tournament {
    /// The settings to play, in the order of the configuration: each of `scenarios` (the
    /// configuration's `[[scenario]]` entries, read by the caller, in order) under its reading and
    /// parties, then each synthetic problem. Each comes with its name and its number of packages (a
    /// decimal string). The error names the entry.
    pub fn settings(
        &self,
        scenarios: &[Scenario],
    ) -> Result<Vec<(String, Setting, String)>, String> {
        let mut settings = Vec::new();
        for (i, (entry, scenario)) in self.scenarios.iter().zip(scenarios).enumerate() {
            let file = &self.file;
            let parties: Option<Vec<PartyIx>> = match &entry.parties {
                None => None,
                Some(ids) => Some(
                    truce_table::select_parties(scenario, ids.iter().map(String::as_str))
                        .map_err(|e| format!("{file}: scenario[{i}].parties: {e}"))?,
                ),
            };
            let prepared = crate::scenario_setting(scenario, None, parties, entry.reading)
                .map_err(|e| format!("{file}: scenario[{i}] ({}): {e}", entry.path))?;
            settings.push((entry.name.clone(), prepared.setting, prepared.packages));
        }
        for s in &self.synthetic {
            let problem = truce_table::synthetic_problem(s.parties, s.issues, s.options, s.seed);
            let names = (1..=s.parties).map(|p| format!("P{p}")).collect();
            settings.push((
                s.name.clone(),
                Setting::new(problem, 1.0, names),
                format!("{}^{}", s.options, s.issues),
            ));
        }
        Ok(settings)
    }

    /// The plan over `settings` ([`Tournament::settings`]), held to [`MAX_TOURNAMENT_RUNS`] runs and
    /// [`MAX_TOURNAMENT_ROUNDS`] rounds, counting without listing the runs. The error names the file,
    /// the line and the field to lower.
    pub fn plan<'s>(
        &self,
        settings: &'s [(String, Setting, String)],
    ) -> Result<Plan<'s>, Box<Diagnostic>> {
        let plan = Plan {
            settings: settings.iter().map(|(n, s, _)| (n.clone(), s)).collect(),
            agents: self.agents.clone(),
            protocols: self.protocols.clone(),
            rounds: self.rounds,
            repetitions: self.repetitions,
            seed: self.seed,
            max_assignments: self.max_assignments,
        };
        let runs = plan.run_count();
        if runs > MAX_TOURNAMENT_RUNS {
            let (span, field) = if self.repetitions > 1 {
                (&self.spans.repetitions, "repetitions")
            } else if self.spans.max_assignments.is_some() {
                (&self.spans.max_assignments, "max_assignments")
            } else {
                (&self.spans.agents, "agents")
            };
            return Err(self.error(
                span,
                field,
                format!(
                    "{} assignments of agents to seats × {} protocols × {} repetitions make {runs} runs, over the limit of {MAX_TOURNAMENT_RUNS}",
                    plan.assignment_count(),
                    plan.protocols.len(),
                    plan.repetitions
                ),
                "fewer runs: lower repetitions or max_assignments, or name fewer agents",
            ));
        }
        let rounds = runs.saturating_mul(u64::from(plan.rounds));
        if rounds > MAX_TOURNAMENT_ROUNDS {
            return Err(self.error(
                &self.spans.rounds,
                "rounds",
                format!(
                    "{runs} runs of up to {} rounds make {rounds} rounds, over the limit of {MAX_TOURNAMENT_ROUNDS}",
                    plan.rounds
                ),
                "fewer rounds: lower rounds or the number of runs",
            ));
        }
        Ok(plan)
    }

    /// An error at `span` (a field as written), or at the top of the file for a field left at its
    /// default.
    fn error(
        &self,
        span: &Option<Span>,
        field: &str,
        message: String,
        expected: &str,
    ) -> Box<Diagnostic> {
        let (span, field) = match span {
            Some(s) => (s.clone(), field.to_string()),
            None => (0..0, format!("{field} (default)")),
        };
        let (line, column) = self.lines.line_col(&self.text, span.start);
        Box::new(Diagnostic {
            severity: Severity::Error,
            file: self.file.clone(),
            line,
            column,
            span,
            field,
            message,
            expected: Some(expected.to_string()),
        })
    }
}
