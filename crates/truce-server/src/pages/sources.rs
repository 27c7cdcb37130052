//! Sources in the browser: a source's page (its record, its archived text with every cited quote
//! highlighted, each citation with its check) and the extraction page (an article pasted or read from
//! a file, the positions drafted from it, each accepted into the position form or dropped). Both render
//! the documents the API returns (`app::sources`).

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use schemars::JsonSchema;
use serde::Deserialize;
use truce_i18n::Words;

use crate::api::docs;
use crate::app::sources::{extraction, source_document};
use crate::pages::layout::{OrPage, PageError};
use crate::pages::table::{Names, quote_mark, vocab};
use crate::pages::{page, page_running};
use crate::script::{self, Sources};
use crate::{AppError, Caller, St};

/// `GET /ui/scenarios/{slug}/sources/{id}`.
pub(crate) async fn source(
    State(st): St,
    c: Caller,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let doc = source_document(&st, &c, &slug, &id).await.or_page(&c)?;
    let (_, s) = st.scenario(&slug, Some(doc.version)).await.or_page(&c)?;
    let names = Names::new(&s);
    let w = c.lang.words();
    let body = source_body(w, &names, &doc);
    Ok(page(&st, &c, &w.with("source-title", &[("source", id.as_str().into())]), body).await)
}

/// A web address that can be linked (http or https).
fn web_link(url: &str) -> Option<&str> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url.trim())
}

/// The marks over the archived text: each cited quote's span (found or near), overlapping spans
/// merged; each as (start, end, the mark's id, whether every quote in it was found).
fn marks(doc: &docs::SourceDocument, text: &str) -> Vec<(usize, usize, String, bool)> {
    let mut spans: Vec<(usize, usize, u32, bool)> = doc
        .citations
        .iter()
        .filter(|c| matches!(c.quote_check.status.as_str(), "found" | "near"))
        .filter_map(|c| c.span.map(|[a, b]| (a, b, c.line, c.quote_check.status == "found")))
        .filter(|(a, b, _, _)| a < b && text.get(*a..*b).is_some())
        .collect();
    spans.sort();
    let mut out: Vec<(usize, usize, String, bool)> = Vec::new();
    for (a, b, line, found) in spans {
        match out.last_mut() {
            Some(last) if a < last.1 => {
                last.1 = last.1.max(b);
                last.3 &= found;
            }
            _ => out.push((a, b, format!("q-{line}"), found)),
        }
    }
    out
}

/// `text` cut at `spans` (sorted and not overlapping): each piece, with its span's value if it is one.
/// A span that is not on character boundaries is left unmarked.
fn pieces<'t, T: Copy>(text: &'t str, spans: &[(usize, usize, T)]) -> Vec<(&'t str, Option<T>)> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(a, b, value) in spans {
        let (Some(before), Some(inside)) = (text.get(at..a), text.get(a..b)) else { continue };
        out.push((before, None));
        out.push((inside, Some(value)));
        at = b;
    }
    out.push((text.get(at..).unwrap_or_default(), None));
    out
}

/// The mark a citation's quote is in (its id), if it is highlighted.
fn mark_of<'m>(
    marks: &'m [(usize, usize, String, bool)],
    c: &docs::SourceCitation,
) -> Option<&'m str> {
    let [a, _] = c.span?;
    if !matches!(c.quote_check.status.as_str(), "found" | "near") {
        return None;
    }
    marks.iter().find(|(s, e, _, _)| *s <= a && a < *e).map(|(_, _, id, _)| id.as_str())
}

fn source_body(w: &Words, names: &Names, doc: &docs::SourceDocument) -> Markup {
    let text = doc.text.as_deref().unwrap_or_default();
    let marks = marks(doc, text);
    let spans: Vec<(usize, usize, (&str, bool))> =
        marks.iter().map(|(a, b, id, found)| (*a, *b, (id.as_str(), *found))).collect();
    let record: Vec<(&str, Option<Markup>)> = vec![
        ("source-publication", doc.publication.as_ref().map(|p| html! { (p) })),
        ("source-article", doc.title.as_ref().map(|t| html! { (t) })),
        (
            "source-url",
            doc.url.as_ref().map(|u| match web_link(u) {
                Some(link) => html! { a href=(link) rel="noopener noreferrer" { (u) } },
                None => html! { (u) },
            }),
        ),
        ("source-date", doc.date.as_ref().map(|d| html! { time datetime=(d) { (d) } })),
        ("source-retrieved", doc.retrieved.as_ref().map(|d| html! { time datetime=(d) { (d) } })),
        ("source-language", doc.language.as_ref().map(|l| html! { (vocab(w, "language", l)) })),
        ("source-media-type", doc.media_type.as_ref().map(|m| html! { code { (m) } })),
        ("source-sha256", doc.sha256.as_ref().map(|h| html! { code.hash { (h) } })),
    ];
    html! {
        p { (w.get("source-intro")) " " a href={ "/ui/scenarios/" (doc.slug) } { (w.get("source-back")) } }
        dl.record {
            dt { (w.get("source-id")) } dd { code { (doc.id) } }
            @for (label, value) in &record {
                dt { (w.get(label)) }
                dd { @match value { Some(v) => (v), None => span.muted { (w.get("source-unknown")) } } }
            }
        }
        @if let Some(href) = &doc.original {
            p { a href=(href) download { (w.get("source-download")) } " " span.muted { (w.get("source-download-note")) } }
        }
        h2 #citations-title { (w.get("source-citations")) }
        @if doc.citations.is_empty() {
            p { (w.get("source-no-citations")) }
        } @else {
            ol #citations {
                @for cit in &doc.citations {
                    li {
                        (citation_who(w, names, cit)) ", " (w.with("cite-line", &[("line", cit.line.into())])) ": "
                        q { (cit.quote) } " "
                        @match mark_of(&marks, cit) {
                            Some(id) => a href={ "#" (id) } { (quote_mark(w, &cit.quote_check)) },
                            None => (quote_mark(w, &cit.quote_check)),
                        }
                    }
                }
            }
        }
        h2 { (w.get("source-text")) }
        @if doc.text.is_none() {
            p { (w.get(if doc.sha256.is_some() { "source-text-not-held" } else { "source-not-archived" })) }
        } @else {
            div.archive tabindex="0" role="region" aria-label=(w.get("source-text")) {
                @for (piece, mark) in pieces(text, &spans) {
                    @match mark {
                        Some((id, found)) => mark id=(id) class=(if found { "found" } else { "near" }) { (piece) },
                        None => (piece),
                    }
                }
            }
        }
    }
}

/// Who cites the quote, in words: a position's party, stance and option; a process position's or a
/// constraint's party.
fn citation_who(w: &Words, names: &Names, c: &docs::SourceCitation) -> Markup {
    html! {
        @if let Some(p) = &c.party { strong { (names.party(p)) } " " }
        @match (&c.stance, &c.option) {
            (Some(stance), Some(option)) => {
                span class={ "stance s-" (stance) } { (vocab(w, "stance", stance)) }
                " " (w.get("cite-on")) " " (names.option(option))
            }
            _ => (vocab(w, "source-cited", &c.cited)),
        }
    }
}

/// The extraction form's fields.
#[derive(Deserialize, Default, JsonSchema)]
pub(crate) struct ExtractFields {
    /// The article's text.
    #[serde(default)]
    text: String,
    /// The day of the statements.
    #[serde(default)]
    date: String,
    /// The source the article is.
    #[serde(default)]
    source: String,
    /// `en`, `ru`, `uk`, or empty for the language the text shows.
    #[serde(default)]
    language: String,
}

/// `GET /ui/scenarios/{slug}/extract`: the form.
pub(crate) async fn extract_form(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let (_, s) = st.scenario(&slug, None).await.or_page(&c)?;
    let fields = ExtractFields {
        date: jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()).date().to_string(),
        ..Default::default()
    };
    let mut sources = Sources::default();
    let body = extract_body(&c, &slug, &s, &fields, None, &mut sources);
    Ok(page_running(&st, &c, &c.lang.words().get("extract-title"), body, sources).await)
}

/// `POST /ui/scenarios/{slug}/extract`: the form again, with the positions drafted from its article.
pub(crate) async fn extract_submit(
    State(st): St,
    c: Caller,
    Path(slug): Path<String>,
    Form(f): Form<ExtractFields>,
) -> Result<Response, PageError> {
    let (_, s) = st.scenario(&slug, None).await.or_page(&c)?;
    let ask = docs::ExtractAsk {
        text: f.text.clone(),
        date: Some(f.date.clone()),
        source: Some(f.source.clone()),
        language: Some(f.language.clone()),
    };
    let found = extraction(&st, &c, &slug, ask).await;
    let mut sources = Sources::default();
    let title = c.lang.words().get("extract-title");
    match found {
        Ok(doc) => {
            let body = extract_body(&c, &slug, &s, &f, Some(Ok(&doc)), &mut sources);
            Ok(page_running(&st, &c, &title, body, sources).await)
        }
        Err(AppError::Invalid(why)) => {
            let body = extract_body(&c, &slug, &s, &f, Some(Err(&why)), &mut sources);
            let mut r = page_running(&st, &c, &title, body, sources).await;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(PageError::new(e, &c)),
    }
}

/// The quote with the words that triggered the candidate marked (the first place each occurs).
fn quote_with_triggers(c: &truce_report::extraction::CandidateReport) -> Markup {
    let q = c.quote.as_str();
    let mut spans: Vec<(usize, usize)> = [&c.triggers.party, &c.triggers.option, &c.triggers.cue]
        .into_iter()
        .chain(c.triggers.negation.as_ref())
        .filter(|t| !t.is_empty())
        .filter_map(|t| q.find(t.as_str()).map(|at| (at, at + t.len())))
        .collect();
    spans.sort();
    let mut kept: Vec<(usize, usize, ())> = Vec::new();
    for (a, b) in spans {
        if kept.last().is_none_or(|&(_, e, _)| a >= e) {
            kept.push((a, b, ()));
        }
    }
    html! {
        q {
            @for (piece, marked) in pieces(q, &kept) {
                @if marked.is_some() { mark { (piece) } } @else { (piece) }
            }
        }
    }
}

fn extract_body(
    c: &Caller,
    slug: &str,
    s: &truce_scenario::Scenario,
    f: &ExtractFields,
    result: Option<Result<&docs::Extraction, &Vec<String>>>,
    sources: &mut Sources,
) -> Markup {
    let w = c.lang.words();
    let csrf = c.csrf.clone().unwrap_or_default();
    let languages = [
        ("", w.get("extract-language-auto")),
        ("en", vocab(w, "language", "en")),
        ("uk", vocab(w, "language", "uk")),
        ("ru", vocab(w, "language", "ru")),
    ];
    html! {
        p { (w.get("extract-intro")) }
        form #extract method="post" action={ "/ui/scenarios/" (slug) "/extract?csrf=" (csrf) } {
            p {
                label for="article" { (w.get("extract-article")) }
                textarea #article name="text" rows="12" required { (f.text) }
            }
            p {
                label for="article-file" { (w.get("extract-file")) } " "
                input #article-file type="file" accept=".txt,.htm,.html,text/plain,text/html";
            }
            p #extract-status role="status" aria-live="polite"
                data-read=(w.with("extract-file-read", &[("name", "{name}".into())]))
                data-unread=(w.with("extract-file-unread", &[("name", "{name}".into())]))
                data-dropped=(w.with("extract-dropped", &[("left", "{left}".into())])) {}
            p {
                label for="date" { (w.get("extract-date")) } " "
                input #date name="date" type="date" value=(f.date);
            }
            p {
                label for="source" { (w.get("extract-source")) } " "
                select #source name="source" {
                    option value="" selected[f.source.is_empty()] { (w.get("extract-source-none")) }
                    @for src in &s.sources {
                        @let outlet = src.publication.clone().or_else(|| src.title.clone()).unwrap_or_default();
                        option value=(src.id) selected[src.id == f.source] {
                            (outlet) @if let Some(d) = src.date { ", " (d) } " [" (src.id) "]"
                        }
                    }
                }
            }
            p {
                label for="language" { (w.get("extract-language")) } " "
                select #language name="language" {
                    @for (code, name) in &languages {
                        option value=(code) selected[*code == f.language] { (name) }
                    }
                }
            }
            button type="submit" { (w.get("extract-submit")) }
        }
        @match result {
            None => {},
            Some(Err(why)) => div.diagnostics role="alert" { p { (w.get("extract-refused")) } ul { @for m in why { li { (m) } } } },
            Some(Ok(doc)) => {
                h2 #candidates-title tabindex="-1" { (w.with("extract-found", &[("count", doc.candidates.len().into())])) }
                @if doc.candidates.is_empty() {
                    p { (w.get("extract-none")) }
                } @else {
                    p { (w.get("extract-review")) }
                    ol #candidates {
                        @for (k, cand) in doc.candidates.iter().enumerate() {
                            li.candidate {
                                p {
                                    strong { (cand.candidate.party_name) } " "
                                    span class={ "stance s-" (cand.candidate.stance) } { (vocab(w, "stance", &cand.candidate.stance)) }
                                    " " (w.get("cite-on")) " " (cand.candidate.option_label) " "
                                    span.muted { "(" (vocab(w, "quote-kind", &cand.candidate.quote_kind)) ", " (w.with("cite-line", &[("line", cand.candidate.line.into())])) ")" }
                                }
                                p { (quote_with_triggers(&cand.candidate)) }
                                p.actions {
                                    a.accept href=(cand.form) aria-describedby={ "cand-" (k) } { (w.get("extract-accept")) } " "
                                    button.drop type="button" aria-describedby={ "cand-" (k) } { (w.get("extract-drop")) }
                                    span.vh id={ "cand-" (k) } { (cand.candidate.party_name) ", " (cand.candidate.option_label) }
                                }
                            }
                        }
                    }
                }
            }
        }
        (sources.inline(&script::EXTRACT))
    }
}
