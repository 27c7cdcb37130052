//! The scenarios in the browser: the list (and a new scenario from its TOML), the form that adds or
//! corrects a position (checked by the same parser as the CLI, its diagnostics next to the fields),
//! and the versions with a line diff. Every save is a new version; nothing is overwritten.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use schemars::JsonSchema;
use serde::Deserialize;
use truce_scenario::toml_string as quote;
use truce_scenario::{QuoteKind, Scenario, Stance};
use truce_store::{Role, Store};

use crate::api::ask::Ask;
use crate::app::negotiation::{Unsaved, check_scenario};
use crate::pages::layout;
use crate::pages::layout::{OrPage, PageError, error_page};
use crate::pages::{page, page_running};
use crate::script::{self, Sources};
use crate::{AppError, Caller, St};

/// A skeleton for a new scenario, which parses as it stands.
const SKELETON: &str = "[meta]\ntitle = \"New scenario\"\n\n[[parties]]\nid = \"A\"\nname = \"Party A\"\n\n[[parties]]\nid = \"B\"\nname = \"Party B\"\n\n[[issues]]\nid = \"first_issue\"\nlabel = \"The first issue\"\n\n[[issues.options]]\nid = \"first_issue.yes\"\nlabel = \"Yes\"\n\n[[issues.options]]\nid = \"first_issue.no\"\nlabel = \"No\"\n";

fn can_edit(c: &Caller) -> bool {
    matches!(c.role(), Role::Mediator | Role::Analyst)
}

/// The scenarios on file, each with its pages; a mediator or analyst also gets the form for a new one.
pub(crate) async fn list(State(st): St, c: Caller) -> Result<Response, PageError> {
    Ok({
        let slugs = st.store.scenarios().await.or_page(&c)?;
        let mut rows = Vec::new();
        for slug in slugs {
            match st.scenario(&slug, None).await {
                Ok((v, s)) => rows.push((slug, v.version, Some(s))),
                Err(_) => {
                    if let Ok(v) = st.store.scenario(&slug, None).await {
                        rows.push((slug, v.version, None));
                    }
                }
            }
        }
        let csrf = c.csrf.clone().unwrap_or_default();
        let w = c.lang.words();
        let mut sources = Sources::default();
        let body = html! {
            @if rows.is_empty() { p { (w.get("scenarios-none")) } }
            @else {
                div.wide tabindex="0" { table #scenario-list {
                    thead { tr {
                        th scope="col" { (w.get("scenarios-slug")) } th scope="col" { (w.get("scenarios-name")) } th scope="col" { (w.get("scenarios-version")) }
                        th scope="col" { (w.get("scenarios-counts")) } th scope="col" { (w.get("scenarios-pages")) }
                    } }
                    tbody {
                        @for (slug, version, s) in &rows {
                            tr {
                                th scope="row" { a href={ "/ui/scenarios/" (slug) } { (slug) } }
                                td { (s.as_ref().and_then(|s| s.meta.title.clone()).unwrap_or_default()) }
                                td { a href={ "/ui/scenarios/" (slug) "/versions" } { (version) } }
                                td { @if let Some(s) = s { (s.parties.len()) ", " (s.issues.len()) ", " (s.positions.len()) } }
                                td {
                                    a href={ "/ui/scenarios/" (slug) "/analysis" } { (w.get("scenarios-analysis")) } " · "
                                    a href={ "/ui/scenarios/" (slug) "/timeline" } { (w.get("scenarios-timeline")) }
                                    @if can_edit(&c) { " · " a href={ "/ui/scenarios/" (slug) "/positions" } { (w.get("scenarios-add-position")) } }
                                    @if matches!(c.role(), Role::PartyDelegate | Role::Mediator) { " · " a href={ "/ui/scenarios/" (slug) "/preferences" } { (w.get("scenarios-preferences")) } }
                                }
                            }
                        }
                    }
                } }
            }
            @if can_edit(&c) {
                h2 { (w.get("scenarios-new")) }
                p { (w.get("scenarios-new-help")) " " code { "truce import" } " " (w.get("scenarios-new-help-rest")) }
                h2 { (w.get("scenarios-import")) }
                form #import-domain {
                    label for="import-slug" { (w.get("scenarios-slug-label")) } " " input #import-slug required pattern="[A-Za-z0-9_-]{1,64}" autocomplete="off";
                    br;
                    label for="import-files" { (w.get("scenarios-import-files")) } br;
                    input #import-files type="file" multiple accept=".xml,.json" required;
                    br;
                    label for="import-profiles" { (w.get("scenarios-import-profiles")) } " "
                    input #import-profiles autocomplete="off";
                    br;
                    button type="submit" { (w.get("scenarios-import-button")) }
                }
                p #imported role="status" aria-live="polite"
                    data-done=(w.with("scenarios-imported", &[("version", "%version%".into()), ("slug", "%slug%".into()), ("parties", "%parties%".into()), ("issues", "%issues%".into())]))
                    data-failed=(w.get("scenarios-not-imported")) {}
                (sources.inline(&script::IMPORT))
                h2 { (w.get("scenarios-write")) }
                form #new-scenario method="post" action={ "/ui/scenarios?csrf=" (csrf) } {
                    label for="slug" { (w.get("scenarios-slug-label")) } " " input #slug name="slug" required pattern="[A-Za-z0-9_-]{1,64}" autocomplete="off";
                    br;
                    label for="text" { "TOML" }
                    textarea #text name="text" rows="16" spellcheck="false" { (SKELETON) }
                    p { label for="reason" { (w.get("version-reason")) } " " input #reason name="reason" maxlength=(REASON_MAX) size="60"; }
                    button type="submit" { (w.get("position-save")) }
                }
            }
        };
        page_running(&st, &c, &w.get("scenarios-title"), body, sources).await
    })
}

/// The new scenario form.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct NewScenario {
    slug: String,
    text: String,
    /// Why this version (optional), kept with it.
    #[serde(default)]
    reason: String,
}

/// The longest reason a version keeps, in characters.
pub const REASON_MAX: usize = 500;

/// A version's reason as given, trimmed; refused (with what to do) when longer than [`REASON_MAX`].
fn reason(given: &str) -> Result<&str, AppError> {
    let r = given.trim();
    if r.chars().count() > REASON_MAX {
        return Err(AppError::Invalid(vec![format!(
            "reason: {} characters; at most {REASON_MAX}: say why in a sentence",
            r.chars().count()
        )]));
    }
    Ok(r)
}

/// Saves a new scenario (or version) from the list page's form; its diagnostics come back on the page.
pub(crate) async fn create(
    State(st): St,
    c: Caller,
    Form(f): Form<NewScenario>,
) -> Result<Response, PageError> {
    Ok({
        let slug = f.slug.trim().to_string();
        match check_scenario(&slug, &f.text, st.cost_budget) {
            Ok(_) => {
                let author = c.user.as_ref().map_or(0, |u| u.id);
                let why = match reason(&f.reason) {
                    Ok(r) => r,
                    Err(e) => return Err(PageError::new(e, &c)),
                };
                match st.store.save_scenario(&slug, &f.text, author, why).await {
                    Ok(_) => see_other(&format!("/ui/scenarios/{slug}/versions")),
                    Err(e) => error_page(e.into(), Some(&c)),
                }
            }
            Err(Unsaved::Limit(m)) => error_page(AppError::Invalid(vec![m]), Some(&c)),
            Err(Unsaved::Diagnostics(d)) => {
                let w = c.lang.words();
                let errors =
                    d.iter().filter(|d| d.severity == truce_scenario::Severity::Error).count();
                let body = html! {
                    p role="alert" { (w.with("scenarios-not-saved", &[("count", errors.into())])) }
                    ul.diagnostics { @for d in &d { li { (w.with("cite-line", &[("line", d.line.into())])) ", " code { (d.field) } ": " (d.message) @if let Some(e) = &d.expected { " (" (w.with("position-expected", &[("what", e.as_str().into())])) ")" } } } }
                    form #new-scenario method="post" action={ "/ui/scenarios?csrf=" (c.csrf.clone().unwrap_or_default()) } {
                        label for="slug" { (w.get("scenarios-slug-label")) } " " input #slug name="slug" value=(slug) required;
                        br;
                        label for="text" { "TOML" }
                        textarea #text name="text" rows="16" spellcheck="false" { (f.text) }
                        p { label for="reason" { (w.get("version-reason")) } " " input #reason name="reason" maxlength=(REASON_MAX) size="60" value=(f.reason); }
                        button type="submit" { (w.get("position-save")) }
                    }
                };
                let mut r = page(&st, &c, &w.get("scenarios-title"), body).await;
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                r
            }
        }
    })
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// The position form's fields.
#[derive(Deserialize, Default, Clone, JsonSchema)]
pub(crate) struct PositionFields {
    #[serde(default)]
    line: Option<u32>,
    #[serde(default)]
    party: String,
    #[serde(default)]
    option: String,
    #[serde(default)]
    stance: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    date_precision: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    new_source_id: String,
    #[serde(default)]
    new_source_publication: String,
    #[serde(default)]
    new_source_url: String,
    #[serde(default)]
    quote: String,
    #[serde(default)]
    quote_kind: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    qualifier: String,
    #[serde(default)]
    reason: String,
}

/// `?line=N`: the position to correct; or, for a new position, the fields to fill the form with (a
/// candidate accepted on the extraction page): nothing is saved until the form is submitted.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct PositionQuery {
    /// The line its table starts at.
    line: Option<u32>,
    /// A new position's party id.
    party: Option<String>,
    /// Its option id.
    option: Option<String>,
    /// Its stance.
    stance: Option<String>,
    /// Its date (YYYY-MM-DD).
    date: Option<String>,
    /// How precise the date is: `day`, `month` or `year`.
    date_precision: Option<String>,
    /// Its source id.
    source: Option<String>,
    /// Its quote.
    quote: Option<String>,
    /// The quote's kind.
    quote_kind: Option<String>,
    /// `explicit` or `inferred`.
    basis: Option<String>,
}

async fn latest(
    st: &crate::AppState,
    slug: &str,
) -> Result<(truce_store::ScenarioVersion, std::sync::Arc<Scenario>), AppError> {
    st.scenario(slug, None).await
}

/// The form that adds a position, or corrects the one whose table starts at `?line=N`.
pub(crate) async fn position_form(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
    Ask(q): Ask<PositionQuery>,
) -> Result<Response, PageError> {
    Ok({
        let (v, s) = latest(&st, &slug).await.or_page(&c)?;
        let given = |value: &Option<String>, default: &str| {
            value.as_deref().map(str::trim).unwrap_or(default).to_string()
        };
        let fields = match q.line {
            None => PositionFields {
                party: given(&q.party, ""),
                option: given(&q.option, ""),
                stance: given(&q.stance, ""),
                date: given(&q.date, ""),
                source: given(&q.source, ""),
                quote: given(&q.quote, ""),
                date_precision: given(&q.date_precision, "day"),
                basis: given(&q.basis, "explicit"),
                quote_kind: given(&q.quote_kind, "direct"),
                ..Default::default()
            },
            Some(line) => match s.positions.iter().find(|p| p.line == line) {
                Some(p) => PositionFields {
                    line: Some(line),
                    party: s.party(p.party).id.clone(),
                    option: s.option(p.option).id.clone(),
                    stance: p.stance.to_string(),
                    date: p.date.to_string(),
                    date_precision: p.date_precision.to_string(),
                    source: s.source(p.source).id.clone(),
                    quote: p.quote.clone(),
                    quote_kind: p.quote_kind.map(|k| k.to_string()).unwrap_or_default(),
                    basis: p.basis.to_string(),
                    qualifier: p.qualifier.map(|q| q.to_string()).unwrap_or_default(),
                    ..Default::default()
                },
                None => {
                    return Err(PageError::new(
                        AppError::Missing(format!(
                            "no position starts at line {line} of version {} of {slug}",
                            v.version
                        )),
                        &c,
                    ));
                }
            },
        };
        let body = position_form_body(&slug, v.version, &s, &fields, &[], &[], &c);
        page(&st, &c, &position_title(&c, q.line.is_some()), body).await
    })
}

/// The position form's title, which keeps its mode: adding a position, or correcting one.
fn position_title(c: &Caller, correcting: bool) -> String {
    c.lang.words().get(if correcting { "position-title-correct" } else { "position-title-add" })
}

/// Whether `date` is a day on the calendar, written YYYY-MM-DD.
fn is_day(date: &str) -> bool {
    date.len() == 10
        && date
            .bytes()
            .enumerate()
            .all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
        && date.parse::<truce_scenario::Date>().is_ok()
}

/// The form's errors that can be said in plain words, by field, in the reader's language.
fn plain_errors(
    w: &truce_i18n::Words,
    s: &Scenario,
    f: &PositionFields,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if s.party_by_id(f.party.trim()).is_none() {
        out.push(("party", w.get("position-error-party")));
    }
    if s.option_by_id(f.option.trim()).is_none() {
        out.push(("option", w.get("position-error-option")));
    }
    if f.stance.trim().parse::<Stance>().is_err() {
        out.push(("stance", w.get("position-error-stance")));
    }
    if !is_day(f.date.trim()) {
        out.push(("date", w.get("position-error-date")));
    }
    let new_source = !f.new_source_id.trim().is_empty();
    let source = f.source.trim();
    if !new_source && (source.is_empty() || source == NEW_SOURCE) {
        out.push((
            "source",
            w.get(if source == NEW_SOURCE {
                "position-error-new-source"
            } else {
                "position-error-source"
            }),
        ));
    } else if !new_source && !s.sources.iter().any(|x| x.id == source) {
        out.push(("source", w.get("position-error-source")));
    }
    let words = f.quote.split_whitespace().count();
    if words == 0 {
        out.push(("quote", w.get("position-error-quote-empty")));
    } else if words > s.meta.max_quote_words as usize {
        out.push((
            "quote",
            w.with(
                "position-error-quote-long",
                &[("words", words.into()), ("max", s.meta.max_quote_words.into())],
            ),
        ));
    }
    out
}

/// The source list's choice for a new source, described in the fields below it.
const NEW_SOURCE: &str = "new";

/// Adds or corrects a position: its TOML table is written from the fields (every value quoted; a date
/// that is not YYYY-MM-DD goes in as a string, for the parser to refuse), the whole scenario is checked
/// as the CLI checks it, and only then saved as a new version. Errors come back next to their fields.
pub(crate) async fn save_position(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
    Form(f): Form<PositionFields>,
) -> Result<Response, PageError> {
    Ok({
        let (v, s) = latest(&st, &slug).await.or_page(&c)?;
        // What can be said in plain words before the scenario is checked: a field left empty or out of
        // its list, a date that is not a day, a quote too long.
        let plain = plain_errors(c.lang.words(), &s, &f);
        if !plain.is_empty() {
            let body = position_form_body(&slug, v.version, &s, &f, &[], &plain, &c);
            let mut r = page(&st, &c, &position_title(&c, f.line.is_some()), body).await;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(r);
        }
        let text = match edited_text(&v.text, &s, &f) {
            Ok(t) => t,
            Err(why) => return Err(PageError::new(AppError::Invalid(vec![why]), &c)),
        };
        match check_scenario(&slug, &text, st.cost_budget) {
            Ok(_) => {
                let author = c.user.as_ref().map_or(0, |u| u.id);
                let why = match reason(&f.reason) {
                    Ok(r) => r,
                    Err(e) => return Err(PageError::new(e, &c)),
                };
                match st.store.save_scenario(&slug, &text, author, why).await {
                    Ok(version) => {
                        see_other(&format!("/ui/scenarios/{slug}/versions?version={version}"))
                    }
                    Err(e) => error_page(e.into(), Some(&c)),
                }
            }
            Err(Unsaved::Limit(m)) => error_page(AppError::Invalid(vec![m]), Some(&c)),
            Err(Unsaved::Diagnostics(d)) => {
                let body = position_form_body(&slug, v.version, &s, &f, &d, &[], &c);
                let mut r = page(&st, &c, &position_title(&c, f.line.is_some()), body).await;
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                r
            }
        }
    })
}

/// The scenario's text with the form's position added at the end (and its new source, if one is
/// given), or put in place of the position table starting at `f.line`.
fn edited_text(text: &str, s: &Scenario, f: &PositionFields) -> Result<String, String> {
    let issue = s.option_by_id(f.option.trim()).map(|o| s.issue(s.option(o).issue).id.clone());
    let date = f.date.trim();
    let is_date = date.len() == 10
        && date
            .bytes()
            .enumerate()
            .all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    let new_source = !f.new_source_id.trim().is_empty();
    let source = if new_source { f.new_source_id.trim() } else { f.source.trim() };
    let mut block = String::from("[[positions]]\n");
    for (k, v) in [
        ("party", f.party.trim()),
        ("issue", issue.as_deref().unwrap_or("")),
        ("option", f.option.trim()),
        ("stance", f.stance.trim()),
    ] {
        block.push_str(&format!("{k} = {}\n", quote(v)));
    }
    block.push_str(&format!("date = {}\n", if is_date { date.to_string() } else { quote(date) }));
    for (k, v) in
        [("date_precision", f.date_precision.trim()), ("source", source), ("quote", f.quote.trim())]
    {
        block.push_str(&format!("{k} = {}\n", quote(v)));
    }
    for (k, v) in [
        ("quote_kind", f.quote_kind.trim()),
        ("basis", f.basis.trim()),
        ("qualifier", f.qualifier.trim()),
    ] {
        if !v.is_empty() {
            block.push_str(&format!("{k} = {}\n", quote(v)));
        }
    }
    if new_source {
        block.push_str(&format!("\n[[sources]]\nid = {}\n", quote(source)));
        if !f.new_source_publication.trim().is_empty() {
            block.push_str(&format!("publication = {}\n", quote(f.new_source_publication.trim())));
        }
        if !f.new_source_url.trim().is_empty() {
            block.push_str(&format!("url = {}\n", quote(f.new_source_url.trim())));
        }
    }
    let lines: Vec<&str> = text.lines().collect();
    match f.line {
        None => Ok(format!("{}\n\n{block}", text.trim_end())),
        Some(line) => {
            let start = (line as usize).checked_sub(1).unwrap_or(usize::MAX);
            if lines.get(start).map(|l| l.trim()) != Some("[[positions]]") {
                return Err(format!(
                    "line {line}: no position table starts there any more; reload the form"
                ));
            }
            let end = (start + 1..lines.len())
                .find(|&i| lines[i].trim_start().starts_with('['))
                .unwrap_or(lines.len());
            let mut out: Vec<String> = lines[..start].iter().map(|l| l.to_string()).collect();
            out.push(block.trim_end().to_string());
            out.push(String::new());
            out.extend(lines[end..].iter().map(|l| l.to_string()));
            Ok(out.join("\n") + "\n")
        }
    }
}

/// The form, with `diags` (from a refused save) and `plain` (errors in plain words, by field) beside
/// the fields they name.
fn position_form_body(
    slug: &str,
    version: i64,
    s: &Scenario,
    f: &PositionFields,
    diags: &[truce_scenario::Diagnostic],
    plain: &[(&'static str, String)],
    c: &Caller,
) -> Markup {
    let w = c.lang.words();
    // The position written is the last (a new one) or the one edited; its diagnostics name
    // `positions[N].field`.
    let index = match f.line {
        Some(line) => s.positions.iter().position(|p| p.line == line).unwrap_or(0),
        None => s.positions.len(),
    };
    let prefix = format!("positions[{index}].");
    let at = |name: &str| -> Vec<String> {
        let own = plain.iter().filter(|(field, _)| *field == name).map(|(_, m)| m.clone());
        let checked = diags
            .iter()
            .filter(|d| {
                d.field.strip_prefix(&prefix) == Some(name)
                    || (name == "source" && d.field.starts_with("sources["))
            })
            .map(|d| {
                format!(
                    "{}{}",
                    d.message,
                    d.expected
                        .as_deref()
                        .map(|e| format!(
                            " ({})",
                            w.with("position-expected", &[("what", e.into())])
                        ))
                        .unwrap_or_default()
                )
            });
        own.chain(checked).collect()
    };
    let other: Vec<&truce_scenario::Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == truce_scenario::Severity::Error)
        .filter(|d| !d.field.starts_with(&prefix) && !d.field.starts_with("sources["))
        .collect();
    let error = |name: &str| {
        let msgs = at(name);
        html! { @if !msgs.is_empty() { span.field-error id={ "err-" (name) } role="alert" { (msgs.join("; ")) } } }
    };
    let described =
        |name: &str| if at(name).is_empty() { String::new() } else { format!("err-{name}") };
    let select = |name: &str,
                  label: &str,
                  values: &[(String, String)],
                  chosen: &str,
                  required: bool| {
        html! {
            p {
                label for=(name) { (label) } " "
                select id=(name) name=(name) aria-describedby=(described(name)) required[required] {
                    @for (v, text) in values { option value=(v) selected[v == chosen] { (text) } }
                }
                " " (error(name))
            }
        }
    };
    let vocab = |prefix: &str, all: &[String]| {
        all.iter()
            .map(|v| {
                let id = format!("{prefix}-{v}");
                (v.clone(), if w.has(&id) { w.get(&id) } else { v.replace('_', " ") })
            })
            .collect::<Vec<_>>()
    };
    let stances: Vec<String> = Stance::ALL.iter().map(|s| s.to_string()).collect();
    let kinds: Vec<String> = QuoteKind::ALL.iter().map(|s| s.to_string()).collect();
    let mut qualifiers: Vec<(String, String)> =
        vec![(String::new(), w.get("position-qualifier-none"))];
    qualifiers.extend(vocab(
        "qualifier",
        &truce_scenario::Qualifier::ALL.iter().map(|q| q.to_string()).collect::<Vec<_>>(),
    ));
    let mut parties: Vec<(String, String)> = vec![(String::new(), w.get("position-choose-party"))];
    parties.extend(s.parties.iter().map(|p| (p.id.clone(), format!("{} ({})", p.name, p.id))));
    let mut options: Vec<(String, String)> = vec![(String::new(), w.get("position-choose-option"))];
    options.extend(s.issues.iter().flat_map(|i| {
        i.options
            .iter()
            .map(|o| (s.option(*o).id.clone(), format!("{}: {}", i.name, s.option(*o).label)))
    }));
    // No source is chosen for the reader: a statement must not silently get the wrong one.
    let mut sources: Vec<(String, String)> = vec![(String::new(), w.get("position-choose-source"))];
    sources.extend(s.sources.iter().map(|src| {
        let outlet = src.publication.clone().or_else(|| src.title.clone()).unwrap_or_default();
        let date = src.date.map(|d| format!(", {d}")).unwrap_or_default();
        (src.id.clone(), format!("{outlet}{date} [{}]", src.id))
    }));
    sources.push((NEW_SOURCE.into(), w.get("position-new-source-choice")));
    let mut stance_choices = vec![(String::new(), w.get("position-choose-stance"))];
    stance_choices.extend(vocab("stance", &stances));
    html! {
        p {
            (w.with("stances-version", &[("version", version.into())])) " " code { (slug) } ". "
            @match f.line {
                Some(l) => { (w.with("position-correcting", &[("line", l.into())])) " " },
                None => { (w.get("position-new")) " " }
            }
            @let rest = w.get("position-checks-rest");
            (w.get("position-checks")) " " code { "truce check" } @if !rest.starts_with(',') { " " } (rest)
        }
        @if !other.is_empty() {
            div.diagnostics role="alert" {
                p { (w.get("position-other-errors")) }
                ul { @for d in &other { li { (w.with("cite-line", &[("line", d.line.into())])) ", " code { (d.field) } ": " (d.message) } } }
            }
        }
        form #position method="post" action={ "/ui/scenarios/" (slug) "/positions?csrf=" (c.csrf.clone().unwrap_or_default()) } {
            @if let Some(l) = f.line { input type="hidden" name="line" value=(l); }
            (select("party", &w.get("position-party"), &parties, &f.party, true))
            (select("option", &w.get("position-option"), &options, &f.option, true))
            (select("stance", &w.get("position-stance"), &stance_choices, &f.stance, true))
            p {
                label for="date" { (w.get("position-date")) } " "
                input #date name="date" type="date" required value=(f.date) aria-describedby=(described("date")); " "
                (error("date"))
            }
            (select("date_precision", &w.get("position-precision"), &vocab("precision", &["day".into(), "month".into(), "year".into()]), &f.date_precision, true))
            (select("source", &w.get("position-source"), &sources, &f.source, true))
            fieldset {
                legend { (w.get("position-new-source")) }
                label for="new_source_id" { (w.get("position-new-source-id")) } " " input #new_source_id name="new_source_id" value=(f.new_source_id) autocomplete="off"; " "
                label for="new_source_publication" { (w.get("position-new-source-publication")) } " " input #new_source_publication name="new_source_publication" value=(f.new_source_publication); " "
                label for="new_source_url" { (w.get("position-new-source-url")) } " " input #new_source_url name="new_source_url" type="url" value=(f.new_source_url);
            }
            p {
                label for="quote" { (w.with("position-quote", &[("max", s.meta.max_quote_words.into())])) }
                textarea #quote name="quote" rows="3" required aria-describedby=(described("quote")) { (f.quote) }
                (error("quote"))
            }
            (select("quote_kind", &w.get("position-quote-kind"), &vocab("quote-kind", &kinds), &f.quote_kind, false))
            (select("basis", &w.get("position-basis"), &vocab("basis", &["explicit".into(), "inferred".into()]), &f.basis, false))
            (select("qualifier", &w.get("position-qualifier"), &qualifiers, &f.qualifier, false))
            p {
                label for="reason" { (w.get("version-reason")) } " "
                input #reason name="reason" maxlength=(REASON_MAX) size="60" value=(f.reason);
            }
            button type="submit" { (w.get("position-save")) }
        }
    }
}

/// `?version=N`.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct VersionQuery {
    /// The version shown (default: the latest).
    version: Option<i64>,
}

/// The versions of a scenario: each one's changes against the one before, as a line diff.
pub(crate) async fn versions(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
    Ask(q): Ask<VersionQuery>,
) -> Result<Response, PageError> {
    Ok({
        let latest = st.store.scenario(&slug, None).await.or_page(&c)?;
        let shown = q.version.unwrap_or(latest.version).clamp(1, latest.version);
        let this = st.store.scenario(&slug, Some(shown)).await.or_page(&c)?;
        let before = if shown > 1 {
            st.store.scenario(&slug, Some(shown - 1)).await.ok().map(|v| v.text)
        } else {
            None
        };
        let compared = match before {
            Some(old) => {
                let new = this.text;
                match st.heavy(&c, move || version_diff(&old, &new)).await {
                    Ok(d) => Some(d),
                    Err(e) => return Err(PageError::new(e, &c)),
                }
            }
            None => None,
        };
        let w = c.lang.words();
        let version = |n: i64| w.with("versions-version", &[("version", n.into())]);
        // Who saved each version, when and why: the latest 50.
        let mut notes = Vec::new();
        for n in (1..=latest.version).rev().take(50) {
            let Ok(v) = st.store.scenario(&slug, Some(n)).await else { continue };
            let who = st.store.user(v.author).await.map(|u| u.name).unwrap_or_else(|_| "—".into());
            let when = if v.saved_at > 0 {
                jiff::Timestamp::from_second(v.saved_at)
                    .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_default()
            } else {
                w.get("version-time-unknown")
            };
            let mut note = w.with("version-note", &[("who", who.into()), ("when", when.into())]);
            if !v.reason.is_empty() {
                note.push_str(": ");
                note.push_str(&v.reason);
            }
            notes.push((n, note));
        }
        let body = html! {
            p {
                code { (slug) } " " (w.with("versions-count", &[("count", latest.version.into())])) " "
                a href={ "/ui/scenarios/" (slug) "/analysis" } { (w.get("versions-analysis")) } " · "
                a href={ "/ui/scenarios/" (slug) } { (w.get("versions-positions")) }
                @if can_edit(&c) { " · " a href={ "/ui/scenarios/" (slug) "/positions" } { (w.get("scenarios-add-position")) } }
            }
            nav aria-label=(w.get("versions-nav")) {
                ul.versions { @for (n, note) in &notes {
                    li {
                        @if *n == shown { strong { (version(*n)) } } @else { a href={ "/ui/scenarios/" (slug) "/versions?version=" (n) } { (version(*n)) } }
                        " — " (note)
                    }
                } }
            }
            h2 { @if shown > 1 { (w.with("versions-changed", &[("version", shown.into()), ("previous", (shown - 1).into())])) } @else { (w.with("versions-first", &[("version", shown.into())])) } }
            @match &compared {
                Some(Compared::Diff { added, removed, html }) => {
                    p { (w.with("versions-lines", &[("added", (*added).into()), ("removed", (*removed).into())])) }
                    div.wide tabindex="0" { pre #diff { (html) } }
                }
                Some(Compared::TooLarge(why)) => {
                    p #diff-too-large role="status" {
                        (why) " " (w.get("versions-download")) ": "
                        a href={ "/v1/scenarios/" (slug) "?version=" (shown - 1) } { (version(shown - 1)) } ", "
                        a href={ "/v1/scenarios/" (slug) "?version=" (shown) } { (version(shown)) } "."
                    }
                }
                None => {}
            }
            p.muted { (w.get("versions-text")) ": " a href={ "/v1/scenarios/" (slug) "?version=" (shown) } { "TOML" } "." }
        };
        page(&st, &c, &w.with("versions-title", &[("scenario", slug.as_str().into())]), body).await
    })
}

/// The longest version (in lines, either side) the versions page compares.
pub const DIFF_MAX_LINES: usize = 20_000;
/// How long the versions page's comparison may take.
pub const DIFF_DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);
/// The most changed lines the versions page shows.
pub const DIFF_MAX_SHOWN: usize = 5_000;

/// Two versions compared for the page: the line diff, or why it was not made.
enum Compared {
    Diff { added: usize, removed: usize, html: Markup },
    TooLarge(String),
}

/// Compares two versions line by line, within [`DIFF_MAX_LINES`] and [`DIFF_DEADLINE`] (past either, it
/// says so instead), showing at most [`DIFF_MAX_SHOWN`] changed lines.
fn version_diff(old: &str, new: &str) -> Compared {
    let (a, b) = (old.lines().count(), new.lines().count());
    if a.max(b) > DIFF_MAX_LINES {
        return Compared::TooLarge(format!(
            "These versions have {a} and {b} lines; this page compares versions of at most {} lines.",
            layout::grouped(DIFF_MAX_LINES)
        ));
    }
    let started = std::time::Instant::now();
    let diff = similar::TextDiff::configure()
        .timeout(DIFF_DEADLINE)
        .algorithm(similar::Algorithm::Myers)
        .diff_lines(old, new);
    if started.elapsed() >= DIFF_DEADLINE {
        return Compared::TooLarge(format!(
            "Comparing these versions took longer than {} s, so this page stopped.",
            DIFF_DEADLINE.as_secs()
        ));
    }
    let (mut added, mut removed) = (0usize, 0usize);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Insert => added += 1,
            similar::ChangeTag::Delete => removed += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    // The lines shown: each group of changes with two lines of context, `None` between groups.
    let mut lines: Vec<Option<(similar::ChangeTag, &str)>> = Vec::new();
    'groups: for group in diff.grouped_ops(2) {
        for op in &group {
            for change in diff.iter_changes(op) {
                if lines.len() >= DIFF_MAX_SHOWN {
                    break 'groups;
                }
                lines.push(Some((change.tag(), change.value())));
            }
        }
        lines.push(None);
    }
    let cut = lines.len() >= DIFF_MAX_SHOWN;
    let html = html! {
        @for line in &lines {
            @match line {
                Some((similar::ChangeTag::Insert, v)) => { ins { "+ " (v) } }
                Some((similar::ChangeTag::Delete, v)) => { del { "- " (v) } }
                Some((similar::ChangeTag::Equal, v)) => { span { "  " (v) } }
                None => { span.muted { "⋯\n" } }
            }
        }
        @if cut {
            span.muted { "(" (layout::grouped(DIFF_MAX_SHOWN)) " lines shown; download the two versions for the rest.)\n" }
        }
    };
    Compared::Diff { added, removed, html }
}

/// A party's confidential preferences: a weight per issue, a utility per option, a reservation value,
/// with a live preview of the party's own utilities (each issue's share, each option's contribution,
/// and what the public analysis's Nash package would be worth to it). A delegate fills in its own
/// party's; a mediator names the party. Submitted to `POST /v1/scenarios/{slug}/preferences`; only
/// mediators ever read a submission back.
pub(crate) async fn preferences_form(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
    Ask(q): Ask<crate::api::handlers::PartyQuery>,
) -> Result<Response, PageError> {
    Ok({
        let (_, s) = latest(&st, &slug).await.or_page(&c)?;
        let own = c.user.as_ref().and_then(|u| u.party.clone());
        let party = match (c.role(), own, q.party) {
            (Role::PartyDelegate, Some(own), _) => own,
            (Role::Mediator, _, Some(p)) => p,
            (Role::Mediator, _, None) => {
                s.parties.first().map(|p| p.id.clone()).unwrap_or_default()
            }
            _ => {
                return Err(PageError::new(
                    AppError::Forbidden(
                        "a delegate's account names its party; ask a mediator to set it".into(),
                    ),
                    &c,
                ));
            }
        };
        let Some(pix) = s.party_by_id(&party) else {
            return Err(PageError::new(
                AppError::Missing(format!("party {party:?} is not at the table of {slug}")),
                &c,
            ));
        };
        let parties: Vec<_> = s.party_ixs().collect();
        let stances = truce_table::Stances::new(&s, &parties, None);
        let slot = stances.slot(pix).unwrap_or(0);
        let utilities = truce_table::StanceUtilities::for_party(&s, pix);
        // What the public analysis proposes, to preview its worth to this party.
        let scenario = Scenario::clone(&s);
        let nash: Vec<String> = st
            .heavy(&c, move || {
                truce_table::analyze(&scenario, &truce_table::AnalysisOptions::default())
                    .ok()
                    .and_then(|a| {
                        a.readings.into_iter().next().and_then(|r| r.best).and_then(|b| b.nash)
                    })
                    .map(|p| p.package.iter().map(|o| scenario.option(*o).id.clone()).collect())
                    .unwrap_or_default()
            })
            .await
            .unwrap_or_default();
        let w = c.lang.words();
        let party_name = s.party(pix).name.clone();
        let data = serde_json::json!({
            "party": party,
            "nash": nash,
            "words": {
                "worth": w.with("prefs-worth", &[("nash", "%nash%".into()), ("reservation", "%reservation%".into())]),
                "walk-away": w.get("prefs-walk-away"),
                "no-nash": w.get("prefs-no-nash"),
                "submitted": w.with("prefs-submitted", &[("party", "%party%".into()), ("id", "%id%".into())]),
                "not-submitted": w.get("prefs-not-submitted"),
            },
            "issues": s.issues.iter().map(|i| serde_json::json!({
                "id": i.id,
                "name": i.name,
                "options": i.options.iter().map(|o| {
                    let stance = stances.stance(&s, slot, *o);
                    serde_json::json!({"id": s.option(*o).id, "label": s.option(*o).label,
                        "stance": stance.map(|st| st.to_string()), "default": utilities.of(stance)})
                }).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        });
        // Whether the party's latest submission still applies to this version: if not, a mediator's
        // analysis leaves it out, and the delegate must know.
        let latest_submission = match st.store.submissions(&slug, Some(&party)).await {
            Ok(subs) => subs.into_iter().max_by_key(|s| s.id),
            Err(e) => return Err(PageError::new(e, &c)),
        };
        let stale = latest_submission.as_ref().and_then(|sub| {
            crate::app::negotiation::submission_status(&s, sub).err().map(|r| (sub.id, r))
        });
        let mut sources = Sources::default();
        let body = html! {
            @if let Some((id, reasons)) = &stale {
                div #stale-submission.warning role="alert" {
                    p { strong { (w.with("prefs-stale", &[("id", (*id).into())])) }
                        " " (w.with("prefs-stale-rest", &[("party", party_name.as_str().into())])) }
                    ul { @for r in reasons { li { (r) } } }
                    p { (w.get("prefs-again")) }
                }
            } @else if latest_submission.is_some() {
                p.muted #submission-applies { (w.get("prefs-applies")) }
            }
            p {
                (w.get("prefs-of")) " " strong { (party_name) } ", " code { (slug) } ". "
                (w.get("prefs-who"))
            }
            @if c.role() == Role::Mediator {
                form method="get" {
                    label for="for-party" { (w.get("position-party")) } " "
                    select #for-party name="party" { @for p in &s.parties { option value=(p.id) selected[p.id == party] { (p.name) } } }
                    " " button type="submit" { (w.get("prefs-switch")) }
                }
            }
            form #preferences data-slug=(slug) {
                p {
                    label for="reservation" { (w.get("prefs-reservation")) } " "
                    input #reservation type="number" min="0" max="1" step="0.01" value="0";
                }
                @for i in &s.issues {
                    fieldset.issue {
                        legend { (i.name) }
                        label for={ "w-" (i.id) } { (w.get("prefs-weight")) } " "
                        input.weight id={ "w-" (i.id) } data-issue=(i.id) type="number" min="0" step="any" value="1";
                        @for o in &i.options {
                            @let id = &s.option(*o).id;
                            br;
                            label for={ "u-" (id) } { (s.option(*o).label) " " span.muted { "(" code { (id) } ")" } } " "
                            input.utility id={ "u-" (id) } data-option=(id) type="number" min="0" max="1" step="0.01"
                                placeholder=(format!("{}", utilities.of(stances.stance(&s, slot, *o))));
                        }
                    }
                }
                button type="submit" { (w.get("prefs-submit")) }
            }
            p #submitted role="status" aria-live="polite" {}
            h2 { (w.get("prefs-preview")) }
            p.muted { (w.get("prefs-preview-help")) }
            div.wide tabindex="0" { table #preview { thead { tr { th scope="col" { (w.get("th-issue")) } th scope="col" { (w.get("prefs-th-share")) } th scope="col" { (w.get("prefs-th-best")) } th scope="col" { (w.get("prefs-th-nash")) } } } tbody {} } }
            p #preview-total {}
            (script::data_island("prefs-data", &data))
            (sources.inline(&script::PREFS))
        };
        page_running(&st, &c, &w.get("prefs-title"), body, sources).await
    })
}

/// The agreement drafted from one of the Table's packages (default: Nash), as commitments a person can
/// read, with the TOML it is: the bridge from the Table to the Accord. Drafting is the API's
/// (`GET /v1/scenarios/{slug}/draft`); this page shows the same text.
pub(crate) async fn draft_page(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
    Ask(q): Ask<crate::app::negotiation::DraftQuery>,
) -> Result<Response, PageError> {
    Ok({
        let package = q.package.clone().unwrap_or_else(|| "nash".into());
        let text = crate::app::negotiation::drafted(&st, &c, &slug, q).await.or_page(&c)?;
        let (agreement, diags) = truce_accord::parse("draft.toml", &text);
        let Some(a) = agreement else {
            return Err(PageError::new(
                AppError::Internal(format!("the draft does not parse: {diags:?}")),
                &c,
            ));
        };
        let w = c.lang.words();
        let package_name = |p: &str| {
            let id = format!("draft-package-{p}");
            if w.has(&id) { w.get(&id) } else { p.to_string() }
        };
        let body = html! {
            form method="get" {
                label for="package" { (w.get("draft-package")) } " "
                select #package name="package" {
                    @for p in ["nash", "maximin", "ks", "utilitarian"] { option value=(p) selected[p == package] { (package_name(p)) } }
                }
                " " button type="submit" { (w.get("draft-draft")) }
            }
            p {
                (w.with("draft-intro", &[("package", package_name(&package).into()), ("day", a.day_one.to_string().into())])) " "
                strong { (a.title) } " (" code { (slug) } "). " (w.get("draft-not-the-agreement")) " "
                a href="/ui/agreement" { (w.get("draft-agreement-on-file")) } "."
            }
            @for p in &a.provisions {
                section.provision {
                    h2 { (p.number) ". " (p.title) }
                    @if let Some(q) = &p.quote { blockquote { (q) } }
                    @if p.commitments.is_empty() { p.muted { (w.get("draft-no-commitment")) } }
                    @else {
                        ul {
                            @for k in &p.commitments {
                                li {
                                    (w.with(match k.modality { truce_accord::Modality::Must => "draft-must", truce_accord::Modality::MustNot => "draft-must-not" }, &[("obligor", k.obligor.to_string().into()), ("action", k.action.to_string().into())]))
                                    @if let Some(d) = k.window.deadline_days { " " (w.with("draft-within", &[("days", d.into())])) }
                                    "." " " span.muted { "[" code { (k.id) } "]" }
                                }
                            }
                        }
                    }
                }
            }
            details {
                summary { (w.get("draft-as-toml")) }
                pre #draft-toml { code { (text) } }
            }
            p.muted {
                a href={ "/v1/scenarios/" (slug) "/draft?package=" (package) } download={ (slug) "-" (package) "-draft.toml" } { (w.get("draft-download")) }
                "; " (w.get("draft-check")) " " code { "truce accord check" } "."
            }
        };
        page(&st, &c, &w.get("draft-title"), body).await
    })
}
