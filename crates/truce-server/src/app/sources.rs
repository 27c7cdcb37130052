//! Sources anyone can check, as use cases shared by the API (`api::sources`) and the pages
//! (`pages::sources`): archiving a source's file (its text extracted off the async workers, the file
//! stored by its hash, a new scenario version recording it), a source's document (its record, its
//! archived text and every quote of it checked), and the positions drafted from an article.
//!
//! The reading, checking and drafting are `truce_source`'s; this module only fetches and stores.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;
use truce_scenario::{Scenario, SourceIx};
use truce_source::check::{CitationCheck, Cited, Status};
use truce_source::lang::Language;
use truce_store::Store;

use crate::api::ask::Day;
use crate::api::docs;
use crate::app::negotiation::{archived_texts, check_scenario, quote_checks};
use crate::{AppError, AppState, Caller};

/// What an archived file is said to be: `?retrieved=YYYY-MM-DD` (default today), `&url=`,
/// `&language=en|ru|uk` (default: the one the text's letters show).
#[derive(Deserialize, Default, JsonSchema)]
pub(crate) struct ArchiveAsk {
    /// The day the file was retrieved (default: today, UTC).
    pub(crate) retrieved: Option<Day>,
    /// Where it was retrieved from (default: the source's `url`, kept).
    pub(crate) url: Option<String>,
    /// The text's language: `en`, `ru` or `uk` (default: detected from its letters).
    pub(crate) language: Option<String>,
}

/// A scenario's source by id, or a 404 that says how to add it.
fn source_ix(slug: &str, s: &Scenario, id: &str) -> Result<SourceIx, AppError> {
    s.sources.iter().position(|x| x.id == id).map(|i| SourceIx(i as u32)).ok_or_else(|| {
        AppError::Missing(format!(
            "{slug}.toml has no source {id:?}; add a [[sources]] table with id = {id:?} (its publication, title, date and url) first, then archive its file"
        ))
    })
}

/// A language code, or a refusal saying which ones are read.
fn language(code: &str) -> Result<Language, AppError> {
    Language::from_code(code.trim())
        .ok_or_else(|| AppError::Invalid(vec![format!("language {code:?}: expected en, ru or uk")]))
}

/// Archives `bytes` as the file of source `id` of scenario `slug`: its text extracted (on a thread of
/// analyst work: 422 with what was wrong and what was expected), the file stored under its SHA-256,
/// and a new version saved whose `[[sources]]` table records it (`truce_source::archive`), checked as
/// every save is. Answers the version and the checks of that source's quotes.
pub(crate) async fn archive(
    st: &AppState,
    caller: &Caller,
    slug: &str,
    id: &str,
    bytes: axum::body::Bytes,
    ask: ArchiveAsk,
) -> Result<docs::SourceArchived, AppError> {
    let (latest, scenario) = st.scenario(slug, None).await?;
    source_ix(slug, &scenario, id)?;
    let asked = ask.language.as_deref().map(language).transpose()?;
    let retrieved = match ask.retrieved {
        Some(d) => d.0,
        None => jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()).date(),
    };
    let url = ask.url.map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
    let file = bytes.clone();
    let (extracted, sha256) = st
        .heavy(caller, move || {
            let sha256 = truce_source::archive::sha256_hex(&file);
            truce_source::text::extract(&file).map(|e| (e, sha256))
        })
        .await?
        .map_err(|e| AppError::Invalid(vec![format!("the file {e}")]))?;
    let language = match asked.or_else(|| Language::detect(&extracted.text)) {
        Some(l) => l,
        None => {
            return Err(AppError::Invalid(vec![
                "the file's text has no English, Russian or Ukrainian letters to tell its language by; give it with ?language=en, ru or uk".into(),
            ]));
        }
    };
    let record = truce_source::archive::Record {
        sha256: sha256.clone(),
        retrieved,
        language: language.code().to_string(),
        media_type: extracted.kind.media_type(),
        url,
    };
    let text = truce_source::archive::record_in_scenario(&latest.text, id, &record)
        .map_err(|e| AppError::Invalid(vec![format!("{slug}.toml {e}")]))?;
    let (budget, checked) = (st.cost_budget, slug.to_string());
    let (warnings, text) = st
        .heavy(caller, move || check_scenario(&checked, &text, budget).map(|d| (d, text)))
        .await??;
    let author = caller.user.as_ref().map_or(0, |u| u.id);
    let stored = st
        .store
        .put_source_file(&truce_store::SourceFile {
            sha256: sha256.clone(),
            media_type: extracted.kind.media_type().to_string(),
            bytes: bytes.to_vec(),
            text: extracted.text.clone(),
            uploader: author,
            uploaded_at: jiff::Timestamp::now().as_second(),
        })
        .await?;
    let reason = format!("archived source {id} ({})", &sha256[..8]);
    let version = st.store.save_scenario(slug, &text, author, &reason).await?;
    let (_, saved) = st.scenario(slug, Some(version)).await?;
    let ix = source_ix(slug, &saved, id)?;
    let archived = archived_texts(st, &saved).await?;
    let citations = st
        .heavy(caller, move || {
            let checks = quote_checks(&saved, &archived);
            citations_of(&saved, &checks, ix)
        })
        .await?;
    Ok(docs::SourceArchived {
        slug: slug.to_string(),
        version,
        source: id.to_string(),
        sha256,
        media_type: extracted.kind.media_type().to_string(),
        encoding: extracted.encoding.to_string(),
        language: language.code().to_string(),
        retrieved: retrieved.to_string(),
        bytes: bytes.len(),
        stored,
        warnings: warnings.iter().map(|d| d.to_string()).collect(),
        citations,
    })
}

/// Every quote of source `ix` in `s`, with its check, in the scenario's order.
pub(crate) fn citations_of(
    s: &Scenario,
    checks: &[CitationCheck],
    ix: SourceIx,
) -> Vec<docs::SourceCitation> {
    checks
        .iter()
        .filter(|c| c.source == ix)
        .map(|c| {
            let (cited, party, option, stance, quote) = match c.cited {
                Cited::Position(p) => {
                    let p = s.position(p);
                    (
                        "position",
                        Some(s.party(p.party).id.clone()),
                        Some(s.option(p.option).id.clone()),
                        Some(p.stance.to_string()),
                        p.quote.clone(),
                    )
                }
                Cited::Process(k) => {
                    let p = &s.process_positions[k];
                    ("process", Some(s.party(p.party).id.clone()), None, None, p.quote.clone())
                }
                Cited::Constraint(k) => {
                    let x = &s.constraints[k];
                    (
                        "constraint",
                        x.party.map(|p| s.party(p).id.clone()),
                        None,
                        None,
                        x.quote.clone().unwrap_or_default(),
                    )
                }
            };
            let span = match &c.status {
                Status::Found(f) => Some([f.start, f.end]),
                Status::Near(p) | Status::NotFound(Some(p)) => Some([p.start, p.end]),
                Status::NotFound(None) | Status::NoArchive => None,
            };
            docs::SourceCitation {
                cited: cited.into(),
                line: c.line,
                party,
                option,
                stance,
                quote,
                quote_kind: c.kind.map(|k| k.to_string()),
                quote_check: truce_report::report::QuoteCheck::from_check(c),
                span,
            }
        })
        .collect()
}

/// The document of source `id` of scenario `slug`'s latest version: its record, the archived text
/// (when this server's store holds the file) and every quote of it checked against that text.
pub(crate) async fn source_document(
    st: &AppState,
    caller: &Caller,
    slug: &str,
    id: &str,
) -> Result<docs::SourceDocument, AppError> {
    let (v, s) = st.scenario(slug, None).await?;
    let ix = source_ix(slug, &s, id)?;
    let archived = archived_texts(st, &s).await?;
    let text: Option<Arc<str>> = archived.iter().find(|a| a.source == ix).map(|a| a.text.clone());
    let scenario = s.clone();
    let citations = st
        .heavy(caller, move || {
            let checks = quote_checks(&scenario, &archived);
            citations_of(&scenario, &checks, ix)
        })
        .await?;
    let src = s.source(ix);
    Ok(docs::SourceDocument {
        slug: slug.to_string(),
        version: v.version,
        id: src.id.clone(),
        publication: src.publication.clone(),
        title: src.title.clone(),
        url: src.url.clone(),
        date: src.date.map(|d| d.to_string()),
        retrieved: src.retrieved.map(|d| d.to_string()),
        language: src.language.clone(),
        media_type: src.media_type.clone(),
        sha256: src.sha256.clone(),
        original: text
            .as_ref()
            .map(|_| format!("/v1/scenarios/{slug}/sources/{}/original", src.id)),
        text: text.map(|t| t.to_string()),
        citations,
    })
}

/// The original file of source `id` as archived, with its media type and a file name for it.
pub(crate) async fn original(
    st: &AppState,
    slug: &str,
    id: &str,
) -> Result<(Vec<u8>, String), AppError> {
    let (_, s) = st.scenario(slug, None).await?;
    let ix = source_ix(slug, &s, id)?;
    let src = s.source(ix);
    let sha256 = src.sha256.as_deref().ok_or_else(|| {
        AppError::Missing(format!("source {id:?} of {slug} is not archived: no file to give"))
    })?;
    let file = match st.store.source_file(sha256).await {
        Ok(f) => f,
        Err(truce_store::Error::NotFound) => {
            return Err(AppError::Missing(format!(
                "the file of source {id:?} ({sha256}) is not in this server's store; archive it with POST /v1/scenarios/{slug}/sources/{id}"
            )));
        }
        Err(e) => return Err(e.into()),
    };
    let extension = truce_source::text::MediaKind::from_media_type(&file.media_type)
        .map_or("bin", |k| k.extension());
    // Only characters that need no quoting in a header's quoted string.
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    Ok((file.bytes, format!("{safe}-{}.{extension}", &sha256[..8.min(sha256.len())])))
}

/// Positions drafted from an article with scenario `slug`'s parties, options and vocabulary
/// (`truce_source::extract`), each with the position form's address filled in with it. Nothing is
/// saved.
pub(crate) async fn extraction(
    st: &AppState,
    caller: &Caller,
    slug: &str,
    ask: docs::ExtractAsk,
) -> Result<docs::Extraction, AppError> {
    let (v, s) = st.scenario(slug, None).await?;
    let asked =
        ask.language.as_deref().filter(|l| !l.trim().is_empty()).map(language).transpose()?;
    let date = ask.date.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
    if let Some(d) = &date
        && d.parse::<truce_scenario::Date>().is_err()
    {
        return Err(AppError::Invalid(vec![format!("date {d:?}: expected a day, YYYY-MM-DD")]));
    }
    let source = ask.source.map(|x| x.trim().to_string()).filter(|x| !x.is_empty());
    if let Some(id) = &source {
        source_ix(slug, &s, id)?;
    }
    let (text, scenario) = (ask.text, s.clone());
    let extraction = st
        .heavy(caller, move || {
            truce_source::extract::Extractor::new(&scenario).extract(&text, asked)
        })
        .await?
        .map_err(|e| AppError::Invalid(vec![format!("the article {e}")]))?;
    let candidates = extraction
        .candidates
        .iter()
        .map(|c| {
            let candidate = truce_report::extraction::candidate(&s, c);
            let mut form = form_urlencoded::Serializer::new(String::new());
            form.append_pair("party", &candidate.party)
                .append_pair("option", &candidate.option)
                .append_pair("stance", &candidate.stance);
            if let Some(d) = &date {
                form.append_pair("date", d);
            }
            if let Some(x) = &source {
                form.append_pair("source", x);
            }
            form.append_pair("quote", &candidate.quote)
                .append_pair("quote_kind", &candidate.quote_kind);
            let form = format!("/ui/scenarios/{slug}/positions?{}", form.finish());
            docs::CandidateDoc { candidate, form }
        })
        .collect();
    Ok(docs::Extraction {
        slug: slug.to_string(),
        version: v.version,
        language: extraction.language.code().to_string(),
        date,
        source,
        candidates,
    })
}
