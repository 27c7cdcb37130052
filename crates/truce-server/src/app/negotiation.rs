//! The Table and the Accord as use cases, shared by the API (`api::negotiation`) and the pages:
//! each turns a checked ask into the document the CLI prints (`truce_report`), so that every surface
//! says the same thing. Timeline, robustness, frontier, drafting, rehearsals; the one check of a
//! scenario's text before it is saved; a mediator's view with the parties' confidential submissions;
//! the analysis document with every citation's quote checked against its source's archived text.

use schemars::JsonSchema;
use serde::Deserialize;
use truce_scenario::{PartyIx, Scenario};
use truce_store::{Role, Store};

use crate::api::ask::{AnalysisFormat, Day, List, PlotFormat, ReadingAsk, Step};
use crate::{AppError, AppState, Caller};

/// Why a scenario's text is not saved: its diagnostics (errors, with line and field), or a limit.
pub(crate) enum Unsaved {
    /// The parser's diagnostics.
    Diagnostics(Vec<truce_scenario::Diagnostic>),
    /// A limit of this server (analysis cost, cross-issue groups), in words.
    Limit(String),
}

impl From<Unsaved> for AppError {
    fn from(u: Unsaved) -> AppError {
        match u {
            Unsaved::Diagnostics(d) => AppError::Invalid(d.iter().map(|d| d.to_string()).collect()),
            Unsaved::Limit(m) => AppError::Invalid(vec![m]),
        }
    }
}

/// Checks a scenario's text as `PUT /v1/scenarios/{slug}` and the pages' forms save it: it parses
/// without error, its analysis fits this server's budget, and its cross-issue groups can be
/// enumerated. Returns the warnings.
pub(crate) fn check_scenario(
    slug: &str,
    text: &str,
    budget: f64,
) -> Result<Vec<truce_scenario::Diagnostic>, Unsaved> {
    if slug.is_empty()
        || slug.len() > 64
        || !slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(Unsaved::Limit(format!(
            "slug {slug:?}: expected 1 to 64 letters, digits, - and _"
        )));
    }
    let (scenario, diags) = truce_scenario::parse(&format!("{slug}.toml"), text);
    let Some(scenario) = scenario else { return Err(Unsaved::Diagnostics(diags)) };
    // An analysis that would not finish is refused now, not discovered later.
    let cost = truce_table::cost_estimate(&scenario);
    if cost > budget {
        return Err(Unsaved::Limit(format!(
            "{slug}.toml: analysing it is estimated at {cost:.2e} utility values ({} parties, {} issues), over this server's budget of {budget:.2e}; split the table, or give fewer parties or options",
            scenario.parties.len(),
            scenario.issues.len(),
        )));
    }
    if let Err(e) = truce_table::check_groups(&scenario) {
        return Err(Unsaved::Limit(format!(
            "{slug}.toml: cross-issue constraints tie {} issues into {} combinations; at most {} are supported",
            e.issues.len(),
            e.combinations,
            truce_table::MAX_GROUP_COMBINATIONS
        )));
    }
    Ok(diags)
}

/// A source's archived text: the source, the SHA-256 its table records, and the text of that file.
pub(crate) struct ArchivedText {
    pub(crate) source: truce_scenario::SourceIx,
    pub(crate) sha256: String,
    pub(crate) text: std::sync::Arc<str>,
}

/// The archived texts of `scenario`'s sources that record a `sha256` whose file this server's store
/// holds (a source whose file is not stored is checked as having no archive).
pub(crate) async fn archived_texts(
    st: &AppState,
    scenario: &Scenario,
) -> Result<Vec<ArchivedText>, AppError> {
    let mut out = Vec::new();
    for (i, source) in scenario.sources.iter().enumerate() {
        let Some(sha256) = source.sha256.as_deref() else { continue };
        if let Some(text) = st.source_text(sha256).await? {
            out.push(ArchivedText {
                source: truce_scenario::SourceIx(i as u32),
                sha256: sha256.to_string(),
                text,
            });
        }
    }
    Ok(out)
}

/// Every quote of `scenario` checked against the archived texts (`truce_source::check::check`). CPU
/// work: call it off the async workers.
pub(crate) fn quote_checks(
    scenario: &Scenario,
    archived: &[ArchivedText],
) -> Vec<truce_source::check::CitationCheck> {
    let archives: Vec<truce_source::check::Archived<'_>> = archived
        .iter()
        .map(|a| truce_source::check::Archived {
            source: a.source,
            sha256: &a.sha256,
            text: &a.text,
        })
        .collect();
    truce_source::check::check(scenario, &archives)
}

/// The analysis document (`truce.analysis/1`) of `scenario`, every citation marked with its quote's
/// check against the archived texts: the document the API returns and the page renders, as the CLI
/// prints it for the same file and archive.
pub(crate) fn analysis_document(
    scenario: &Scenario,
    analysis: &truce_table::Analysis,
    archived: &[ArchivedText],
) -> truce_report::report::AnalysisReport {
    let mut report = truce_report::report::analysis_report(scenario, analysis);
    truce_report::report::mark_quotes(&mut report, scenario, &quote_checks(scenario, archived));
    report
}

/// Whether an analysis may use the parties' confidential preference submissions: only a mediator's,
/// and only when asked (`?confidential=true`).
pub(crate) fn confidential(caller: &Caller, asked: Option<bool>) -> Result<bool, AppError> {
    match asked {
        Some(true) if caller.role() == Role::Mediator => Ok(true),
        Some(true) => Err(AppError::Forbidden(
            "only mediators analyse with the parties' confidential submissions".into(),
        )),
        _ => Ok(false),
    }
}

/// The latest version of scenario `slug`, parsed and checked for analysis; with `confidential`, each
/// party's latest preference submission is added to it (as `POST …/preferences` validated it).
pub(crate) async fn load(
    st: &AppState,
    slug: &str,
    confidential: bool,
) -> Result<Scenario, AppError> {
    Ok(load_with_submissions(st, slug, confidential).await?.0)
}

/// [`load`], with which submissions were used and which no longer apply (for a confidential analysis;
/// `None` otherwise).
pub(crate) async fn load_with_submissions(
    st: &AppState,
    slug: &str,
    confidential: bool,
) -> Result<(Scenario, Option<truce_report::report::SubmissionsReport>), AppError> {
    let mut scenario = Scenario::clone(&st.scenario(slug, None).await?.1);
    let mut used = None;
    if confidential {
        let submissions = st.store.submissions(slug, None).await?;
        let (merged, report) = tokio::task::spawn_blocking(move || {
            let report = merge_submissions(&mut scenario, &submissions);
            (scenario, report)
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
        scenario = merged;
        used = Some(report);
    }
    truce_table::check_groups(&scenario).map_err(|e| {
        let issues: Vec<&str> = e.issues.iter().map(|i| scenario.issue(*i).id.as_str()).collect();
        AppError::Invalid(vec![format!(
            "cross-issue constraints tie the issues {} into {} combinations; at most {} are supported",
            issues.join(", "),
            e.combinations,
            truce_table::MAX_GROUP_COMBINATIONS
        )])
    })?;
    Ok((scenario, used))
}

/// Merges each party's latest submission into `scenario`: parsed alone as that party's preferences,
/// it replaces the scenario's own for that party. Parsed values are merged; no text is ever joined,
/// so no submission can touch another party's numbers. A submission the current version no longer
/// accepts (an option renamed or removed since) is not applied, and the report says so and why.
pub(crate) fn merge_submissions(
    scenario: &mut Scenario,
    submissions: &[truce_store::Submission],
) -> truce_report::report::SubmissionsReport {
    let mut latest: std::collections::BTreeMap<&str, &truce_store::Submission> =
        std::collections::BTreeMap::new();
    for s in submissions {
        if latest.get(s.party.as_str()).is_none_or(|l| l.id < s.id) {
            latest.insert(&s.party, s);
        }
    }
    let mut report =
        truce_report::report::SubmissionsReport { applied: vec![], not_applied: vec![] };
    for (party, s) in latest {
        match submission_status(scenario, s) {
            Ok(prefs) => {
                scenario.preferences.retain(|p| p.party != prefs.party);
                scenario.preferences.push(prefs);
                report.applied.push(party.to_string());
            }
            Err(reasons) => report.not_applied.push(truce_report::report::StaleSubmission {
                party: party.to_string(),
                submission: s.id,
                reasons,
            }),
        }
    }
    scenario.preferences.sort_by_key(|p| p.party);
    report
}

/// Submission `s` parsed against `scenario`, or why it does not apply to it.
pub(crate) fn submission_status(
    scenario: &Scenario,
    s: &truce_store::Submission,
) -> Result<truce_scenario::Preferences, Vec<String>> {
    if scenario.party_by_id(&s.party).is_none() {
        return Err(vec![format!("party {} is no longer at this table", s.party)]);
    }
    let (prefs, diags) =
        truce_scenario::parse_submission("submission.toml", &s.text, scenario, &s.party);
    prefs.ok_or_else(|| {
        diags
            .iter()
            .filter(|d| d.severity == truce_scenario::Severity::Error)
            .map(|d| d.to_string())
            .collect()
    })
}

/// What an analysis is asked for, from a query string's pairs: `as_of=YYYY-MM-DD` (empty for every
/// position), `parties=A,B`, `relax=KEY` (repeated, or comma-separated: the "what if"),
/// `confidential=true`; the page also reads `plot=A,B` and `reading=` for its frontier.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub(crate) struct AnalysisAsk {
    /// Add each party's latest confidential preference submission (mediators only).
    #[serde(default, deserialize_with = "crate::api::ask::flag")]
    pub(crate) confidential: Option<bool>,
    /// Replay the positions known on that day (default: all).
    pub(crate) as_of: Option<Day>,
    /// Party ids (default: every party).
    pub(crate) parties: Option<List>,
    /// What if: the hard constraints' keys to switch off, as the document gives them.
    #[serde(default)]
    pub(crate) relax: List,
    /// The page's frontier plot: two or three party ids.
    pub(crate) plot: Option<List>,
    /// The frontier form's ticked parties (one `party=` each), added to `plot`.
    pub(crate) party: Option<List>,
    /// The page's frontier plot: the reading.
    pub(crate) reading: Option<ReadingAsk>,
    /// `json` (the default), `md` or `text` (API only): the CLI's three renderings of the one document.
    pub(crate) format: Option<AnalysisFormat>,
}

impl AnalysisAsk {
    /// The parties the page's frontier plot shows: `plot`, then each ticked `party`.
    pub(crate) fn plotted(&self) -> Option<String> {
        let all: Vec<&String> =
            self.plot.iter().chain(self.party.iter()).flat_map(|l| l.0.iter()).collect();
        (!all.is_empty()).then(|| all.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(","))
    }

    /// The core's options for `scenario`: the parties must be at the table and every relaxed key must
    /// name a constraint the scenario can hold.
    pub(crate) fn options(
        &self,
        scenario: &Scenario,
    ) -> Result<truce_table::AnalysisOptions, AppError> {
        let parties = match &self.parties {
            Some(ids) => truce_table::select_parties(scenario, ids.0.iter().map(|s| s.as_str()))
                .map_err(|e| AppError::Invalid(vec![format!("parties: {e}")]))?,
            None => scenario.party_ixs().collect(),
        };
        let mut relax = self.relax.0.clone();
        relax.sort();
        relax.dedup();
        let bad: Vec<String> = relax
            .iter()
            .filter_map(|k| truce_table::check_relax_key(scenario, k).err())
            .map(|e| format!("relax: {e}"))
            .collect();
        if !bad.is_empty() {
            return Err(AppError::Invalid(bad));
        }
        Ok(truce_table::AnalysisOptions {
            as_of: self.as_of.map(|d| d.0),
            parties: Some(parties),
            relaxed: relax,
        })
    }
}

/// Party ids (comma-separated) to parties; every party when `ids` is `None`.
pub(crate) fn parties(scenario: &Scenario, ids: Option<&str>) -> Result<Vec<PartyIx>, AppError> {
    let Some(ids) = ids.filter(|s| !s.trim().is_empty()) else {
        return Ok(scenario.party_ixs().collect());
    };
    truce_table::select_parties(scenario, ids.split(','))
        .map_err(|e| AppError::Invalid(vec![format!("parties: {e}")]))
}

/// The timeline's ask.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct TimelineQuery {
    /// With the parties' confidential submissions (mediators only).
    #[serde(default, deserialize_with = "crate::api::ask::flag")]
    pub(crate) confidential: Option<bool>,
    /// The first day (default: the month of the first position).
    pub(crate) from: Option<Day>,
    /// The last day, included (default: after the last position).
    pub(crate) to: Option<Day>,
    /// `month` (default) or `quarter`.
    pub(crate) step: Option<Step>,
    /// Party ids, comma-separated (default: every party).
    pub(crate) parties: Option<String>,
    /// `json` (default) or `svg` (API only).
    pub(crate) format: Option<PlotFormat>,
}

/// The timeline report of `scenario`; dates default to the months from its first position to its last.
pub(crate) fn timeline_report(
    scenario: &Scenario,
    q: &TimelineQuery,
) -> Result<truce_report::report::TimelineReport, AppError> {
    let parties = parties(scenario, q.parties.as_deref())?;
    let first = scenario.positions.iter().map(|p| p.date).min();
    let last = scenario.positions.iter().map(|p| p.date).max();
    let from = match q.from {
        Some(d) => d.0,
        None => first
            .map(|d| d.first_of_month())
            .ok_or_else(|| AppError::Invalid(vec!["the scenario has no positions".into()]))?,
    };
    let to = match q.to {
        Some(d) => d.0,
        None => last
            .and_then(|d| d.first_of_month().checked_add(jiff::Span::new().months(1)).ok())
            .unwrap_or(from),
    };
    if from > to {
        return Err(AppError::Invalid(vec![format!("from {from} is after to {to}")]));
    }
    let months = match q.step.unwrap_or_default() {
        Step::Month => 1,
        Step::Quarter => 3,
    };
    let dates = truce_table::month_steps(from, to, months);
    if dates.len() > 600 {
        return Err(AppError::Invalid(vec![format!(
            "{} dates from {from} to {to}: at most 600; use step=quarter or a shorter span",
            dates.len()
        )]));
    }
    let points = truce_table::timeline(&truce_table::check_groups(scenario)?, &parties, &dates);
    Ok(truce_report::report::timeline_report(scenario, &parties, &points))
}

/// The robustness run's ask.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct RobustQuery {
    /// With the parties' confidential submissions (mediators only).
    #[serde(default, deserialize_with = "crate::api::ask::flag")]
    pub(crate) confidential: Option<bool>,
    /// Sampled draws, 1 to 2,000 (default 200).
    pub(crate) draws: Option<u64>,
    /// The seed (default 1); the same seed gives the same answer.
    pub(crate) seed: Option<u64>,
    /// Probability that an unknown stance is a red line (default 0.5).
    pub(crate) unknown_red_line: Option<f64>,
    /// Party ids, comma-separated (default: every party).
    pub(crate) parties: Option<String>,
}

/// The most draws one request may ask for.
pub const MAX_DRAWS: u64 = 2_000;

/// A robustness run's inputs, checked: the scenario, the parties, the options.
pub(crate) async fn robust_job(
    st: &AppState,
    caller: &Caller,
    slug: &str,
    q: &RobustQuery,
) -> Result<(Scenario, Vec<PartyIx>, truce_table::RobustOptions), AppError> {
    let confidential = confidential(caller, q.confidential)?;
    let draws = q.draws.unwrap_or(200);
    if draws == 0 || draws > MAX_DRAWS {
        return Err(AppError::Invalid(vec![format!("draws {draws}: expected 1 to {MAX_DRAWS}")]));
    }
    let unknown_red_line = q.unknown_red_line.unwrap_or(0.5);
    if !(0.0..=1.0).contains(&unknown_red_line) {
        return Err(AppError::Invalid(vec![format!(
            "unknown_red_line {unknown_red_line}: expected a probability between 0 and 1"
        )]));
    }
    let scenario = load(st, slug, confidential).await?;
    let parties = parties(&scenario, q.parties.as_deref())?;
    let options = truce_table::RobustOptions { draws, seed: q.seed.unwrap_or(1), unknown_red_line };
    Ok((scenario, parties, options))
}

/// One robustness run and its report (the ten most frequent packages), `progress` told of each draw.
pub(crate) fn robustness_run(
    scenario: &Scenario,
    parties: &[PartyIx],
    options: truce_table::RobustOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<truce_report::report::RobustnessReport, AppError> {
    let r = truce_table::robustness(
        &truce_table::check_groups(scenario)?,
        parties,
        options,
        10,
        progress,
    );
    Ok(truce_report::report::robustness_report(scenario, &r))
}

/// The frontier's ask.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct FrontierQuery {
    /// With the parties' confidential submissions (mediators only).
    #[serde(default, deserialize_with = "crate::api::ask::flag")]
    pub(crate) confidential: Option<bool>,
    /// Two or three party ids, comma-separated.
    pub(crate) parties: Option<String>,
    /// `red_lines` (default), `strict` or `pessimistic`.
    pub(crate) reading: Option<ReadingAsk>,
    /// `json` (default) or `svg`.
    pub(crate) format: Option<PlotFormat>,
}

/// The frontier report for two or three parties under a reading (default: red lines), from `analysis`
/// (of `scenario`, every party at the table).
pub(crate) fn frontier_report(
    scenario: &Scenario,
    analysis: &truce_table::Analysis,
    parties_asked: Option<&str>,
    reading: Option<ReadingAsk>,
) -> Result<truce_report::report::FrontierReport, AppError> {
    let shown = parties(scenario, parties_asked)?;
    let reading = truce_table::Reading::from(reading.unwrap_or_default());
    truce_report::report::frontier_for(scenario, analysis, &shown, reading)
        .map_err(|e| AppError::Invalid(vec![format!("parties: {e}")]))
}

/// The draft's ask.
#[derive(Deserialize, Default, JsonSchema)]
pub(crate) struct DraftQuery {
    /// With the parties' confidential submissions (mediators only).
    #[serde(default, deserialize_with = "crate::api::ask::flag")]
    pub(crate) confidential: Option<bool>,
    /// `nash` (default), `maximin`, `ks`, `utilitarian`, or one option id per issue, comma-separated.
    pub(crate) package: Option<String>,
    /// The agreement's first day (default: the day after the latest position).
    pub(crate) day_one: Option<Day>,
}

/// The agreement drafted from a package of scenario `slug` (default: the Nash package), as TOML: the
/// one draft the API and the page show.
pub(crate) async fn drafted(
    st: &AppState,
    caller: &Caller,
    slug: &str,
    q: DraftQuery,
) -> Result<String, AppError> {
    let confidential = confidential(caller, q.confidential)?;
    let scenario = load(st, slug, confidential).await?;
    let package = q.package.unwrap_or_else(|| "nash".to_string());
    let day_one = match q.day_one {
        Some(d) => d.0,
        None => truce_accord::default_day_one(&scenario).ok_or_else(|| {
            AppError::Invalid(vec!["the scenario has no positions: give day_one".into()])
        })?,
    };
    let text = st
        .heavy(caller, move || -> Result<String, AppError> {
            let chosen = truce_table::choose_package(&scenario, &package)
                .map_err(|e| AppError::Invalid(vec![e]))?;
            Ok(truce_accord::draft(&scenario, &chosen, &package, day_one))
        })
        .await??;
    Ok(text)
}

/// Queues a rehearsal of scenario `slug` for `caller` (see [`crate::jobs`]): checked first, so that a
/// bad request is refused before any work; the same request again is the same job. Returns its id.
pub(crate) async fn queue_simulation(
    st: &AppState,
    caller: &Caller,
    slug: &str,
    confidential: bool,
    ask: truce_sim::SimulationAsk,
) -> Result<String, AppError> {
    let checked = ask.check().map_err(|e| AppError::Invalid(vec![e]))?;
    // The version rehearsed and the submissions merged are those named in the job's description, so
    // that the same request is the same job only over the same inputs.
    let (version, parsed) = st.scenario(slug, None).await?;
    let mut scenario = Scenario::clone(&parsed);
    let mut merged = Vec::new();
    if confidential {
        let submissions = st.store.submissions(slug, None).await?;
        merged = submissions.iter().map(|s| s.id).collect();
        merge_submissions(&mut scenario, &submissions);
    }
    checked.seat(&scenario).map_err(|e| AppError::Invalid(vec![e]))?;
    let described =
        format!("v{} confidential={confidential} submissions={merged:?} {ask:?}", version.version);
    let file = format!("{slug}.toml");
    st.rehearsals
        .submit(
            caller.id(),
            slug,
            described,
            Box::new(move || {
                let budget = truce_report::simulation::DocumentBudget::default();
                let rehearsal = truce_sim::simulate(&scenario, &checked, &budget)?;
                truce_report::simulation::document(&scenario, &file, &checked, &rehearsal, budget)
            }),
        )
        .await
}
