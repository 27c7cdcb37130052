//! Reads of the log that the API and the pages share: compliance and the daily report as of a day,
//! computed as heavy work and shared with readers asking the same thing of the same durable log.

use truce_store::Store;

use crate::{AppError, AppState};

/// The compliance report as of `as_of` (default today, clipped into the mission), rendered by `render`
/// in `lang` with the agreement's title. Both are reads of the record shared by the day actually computed
/// (whatever date was asked) and the log size: the report is evaluated once for readers of every
/// language, and rendered once per language (one reader's rendering is never another language's answer).
pub(crate) async fn compliance_page(
    st: &AppState,
    as_of: Option<crate::api::ask::Day>,
    lang: truce_i18n::Lang,
    render: fn(
        &truce_watch::compliance::Report,
        &truce_accord::Agreement,
        truce_i18n::Lang,
    ) -> maud::Markup,
) -> Result<maud::Markup, AppError> {
    let w = st.watch.as_ref().ok_or(AppError::NotFound)?;
    let day = w.report_day(as_of.map(|d| d.0));
    let agreement = w.agreement();
    let report = compliance_report(st, day).await?;
    st.heavy_shared(format!("compliance page {day} {lang}"), move || {
        render(&report, agreement, lang)
    })
    .await
}

/// The compliance report as of `day` (already clipped into the mission), evaluated once per day and log
/// size for every reader: the API's JSON and the page in each language.
pub(crate) async fn compliance_report(
    st: &AppState,
    day: jiff::civil::Date,
) -> Result<std::sync::Arc<truce_watch::compliance::Report>, AppError> {
    let w = st.watch.as_ref().ok_or(AppError::NotFound)?.clone();
    st.heavy_shared(format!("compliance report {day}"), move || -> Result<_, String> {
        let state = w.read().map_err(|e| format!("{e:?}"))?;
        Ok(std::sync::Arc::new(state.evaluate(day)))
    })
    .await?
    .map_err(AppError::Internal)
}

/// The daily report for `date` (default today, clipped into the mission), rendered by `render`, as heavy
/// work whose result is shared with readers asking the same `kind` of rendering meanwhile.
pub(crate) async fn daily_now<T: Clone + Send + Sync + 'static>(
    st: &AppState,
    kind: &str,
    date: Option<crate::api::ask::Day>,
    view: Option<&str>,
    render: impl FnOnce(
        &truce_watch::report::Daily,
        &truce_watch::boundary::View,
        &truce_accord::Agreement,
    ) -> T
    + Send
    + 'static,
) -> Result<T, AppError> {
    let w = st.watch.as_ref().ok_or(AppError::NotFound)?.clone();
    let view = truce_watch::boundary::view(view.unwrap_or(truce_watch::boundary::DEFAULT_VIEW))
        .map_err(|e| AppError::Invalid(vec![e.to_string()]))?;
    // Shared by the day actually computed, whatever date was asked: the report is computed once for
    // every rendering (Markdown, HTML, the page in each language), and each rendering once.
    let date = w.report_day(date.map(|d| d.0));
    let ledger = w.clone();
    let daily = st
        .heavy_shared(format!("daily report {date} {}", view.id), move || -> Result<_, String> {
            let state = w.read().map_err(|e| format!("{e:?}"))?;
            Ok(std::sync::Arc::new(truce_watch::report::daily(
                state.agreement(),
                &state,
                date,
                view,
            )))
        })
        .await?
        .map_err(AppError::Internal)?;
    let key = format!("daily {kind} {date} {}", view.id);
    st.heavy_shared(key, move || render(&daily, view, ledger.agreement())).await
}

/// One row of the verifiers' queue: the observation as indexed, and the parties that have disputed it
/// since a verifier's last transition of it (empty when nobody has).
pub(crate) type QueueRow = (truce_store::IndexedEntry, Vec<String>);

/// The verifiers' queue, oldest first, at most `limit` rows: the observations the store's index holds
/// as received or under review, and every current observation a party has disputed since a verifier's
/// last transition of it, whatever its state (the durable view's
/// [`truce_watch::registry::Registry::reopened`]): a dispute asks for a review, and only a verifier's
/// transition answers it.
pub(crate) async fn review_queue(st: &AppState, limit: i64) -> Result<Vec<QueueRow>, AppError> {
    let mut rows: Vec<QueueRow> =
        st.store.queue(limit).await?.into_iter().map(|e| (e, Vec::new())).collect();
    let Some(w) = st.watch.clone() else { return Ok(rows) };
    // The durable view is read off the async workers (a long read of the record may hold its lock).
    st.record(move || -> Result<Vec<QueueRow>, AppError> {
        let state = w.read()?;
        let registry = state.registry();
        for index in &registry.reopened {
            let Some(r) = registry.observations.get(index) else { continue };
            let mut parties: Vec<String> =
                r.unanswered_disputes().map(|a| a.party.clone()).collect();
            parties.sort();
            parties.dedup();
            match rows.iter_mut().find(|(e, _)| e.index == *index as i64) {
                Some(row) => row.1 = parties,
                None => {
                    let o = &r.observation;
                    let [lon, lat] = o.event();
                    let row = truce_store::IndexedEntry {
                        index: *index as i64,
                        kind: "observation".into(),
                        author: r.author.clone(),
                        day: o.day().ok().map(|d| d.to_string()),
                        class: Some(o.class.clone()),
                        position: Some(((lat * 1e6).round() as i64, (lon * 1e6).round() as i64)),
                        refers_to: None,
                        state: Some(r.state.as_str().to_string()),
                    };
                    rows.push((row, parties));
                }
            }
        }
        rows.sort_by_key(|(e, _)| e.index);
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        Ok(rows)
    })
    .await?
}

/// An entry proved against the checkpoint served.
pub(crate) struct Proved {
    pub(crate) file: truce_tlog::proof::ProofFile,
    pub(crate) entry: Vec<u8>,
    pub(crate) size: u64,
}

impl Proved {
    /// The proof endpoint's answer.
    pub(crate) fn doc(&self) -> crate::api::docs::EntryProof {
        use base64::Engine as _;
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        crate::api::docs::EntryProof {
            index: self.file.index,
            size: self.size,
            entry: b64(&self.entry),
            proof: self.file.proof.iter().map(|h| b64(h)).collect(),
            checkpoint: self.file.checkpoint.to_text(),
            tlog_proof: self.file.to_text(),
        }
    }
}

/// Proves entry `index` against the checkpoint this server serves (cosigned when it has witnesses).
pub(crate) async fn proved(st: &AppState, index: u64) -> Result<Proved, AppError> {
    let w = st.watch.as_ref().ok_or(AppError::NotFound)?.clone();
    let note = crate::witness::served(&w, &st.witnesses);
    st.record(move || {
        let checkpoint = truce_tlog::checkpoint::Checkpoint::parse(&note.text)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        if index >= checkpoint.size {
            return Err(AppError::Missing(format!(
                "entry {index} is not in the checkpoint served, which holds {} entries; a new entry is in the next checkpoint within seconds",
                checkpoint.size
            )));
        }
        let reader = w.store.reader();
        let (file, entry) = truce_tlog::client::prove(reader.as_ref(), &note, &checkpoint, index)
            .map_err(|e| AppError::Internal(format!("the proof of entry {index}: {e}")))?;
        Ok(Proved { file, entry, size: checkpoint.size })
    })
    .await?
}
