//! The API's small documents: each answer that is not one of the core crates' reports (those are
//! `truce_report::report::*`, `truce_report::simulation::*` and `truce_watch::compliance::Report`) is
//! one type here, serialised as it is declared in the OpenAPI document.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `GET /v1/whoami`.
#[derive(Serialize, JsonSchema)]
pub struct WhoAmI {
    /// The user's name; null for the public.
    pub name: Option<String>,
    /// `mediator`, `analyst`, `party-delegate`, `observer`, `verifier`, `witness-operator` or `public`.
    pub role: String,
    /// A delegate's party.
    pub party: Option<String>,
}

/// `GET /v1/scenarios`.
#[derive(Serialize, JsonSchema)]
pub struct Scenarios {
    /// Each scenario's slug.
    pub scenarios: Vec<String>,
}

/// `PUT /v1/scenarios/{slug}`: the version saved.
#[derive(Serialize, JsonSchema)]
pub struct Saved {
    /// The scenario.
    pub slug: String,
    /// The new version's number.
    pub version: i64,
    /// Each warning the check gave, as `file:line: field: message`.
    pub warnings: Vec<String>,
}

/// `POST /v1/scenarios/{slug}/import`: the version saved from the domain.
#[derive(Serialize, JsonSchema)]
pub struct Imported {
    /// The scenario.
    pub slug: String,
    /// The new version's number.
    pub version: i64,
    /// How many parties the domain gave.
    pub parties: usize,
    /// How many issues.
    pub issues: usize,
}

/// `GET /v1/scenarios/{slug}`: one version's text.
#[derive(Serialize, JsonSchema)]
pub struct ScenarioText {
    /// The scenario.
    pub slug: String,
    /// The version.
    pub version: i64,
    /// Its TOML.
    pub text: String,
}

/// `POST /v1/scenarios/{slug}/preferences`: the submission stored.
#[derive(Serialize, JsonSchema)]
pub struct PreferencesSaved {
    /// The submission's id.
    pub id: i64,
    /// The party it is for.
    pub party: String,
}

/// `GET /v1/scenarios/{slug}/preferences`: every raw submission.
#[derive(Serialize, JsonSchema)]
pub struct Submissions {
    /// Oldest first.
    pub submissions: Vec<Submission>,
}

/// One confidential submission.
#[derive(Serialize, JsonSchema)]
pub struct Submission {
    /// Its id.
    pub id: i64,
    /// The party.
    pub party: String,
    /// The submitting user's id.
    pub author: i64,
    /// Its TOML, as submitted.
    pub text: String,
}

/// `POST /v1/entries`: where the entry is on the log.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct Appended {
    /// The entry's index.
    pub index: u64,
}

/// `POST /v1/entries/batch`: each entry's outcome, in order.
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct BatchOutcome {
    /// One per line of the request.
    pub results: Vec<EntryOutcome>,
}

/// One entry of a batch: its index, or why it was refused.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum EntryOutcome {
    /// Appended.
    Appended {
        /// The entry's index.
        index: u64,
    },
    /// Refused.
    Refused {
        /// The status `POST /v1/entries` would have answered.
        status: u16,
        /// Why.
        error: String,
    },
}

/// `GET /readyz`.
#[derive(Serialize, JsonSchema)]
pub struct Ready {
    /// Always true (not ready is a 503).
    pub ready: bool,
}

/// `POST /v1/users/{name}/revoke`.
#[derive(Serialize, JsonSchema)]
pub struct Revoked {
    /// The user.
    pub user: String,
    /// How many tokens were revoked.
    pub tokens_revoked: u64,
    /// Whether its web sessions were ended (always).
    pub sessions_ended: bool,
}

/// `GET /v1/keys/{key}/sequence`.
#[derive(Serialize, JsonSchema)]
pub struct NextSequence {
    /// The key (hex).
    pub key: String,
    /// The sequence number its next entry must carry.
    pub next: u64,
}

/// `GET /v1/queue`.
#[derive(Serialize, JsonSchema)]
pub struct Queue {
    /// Oldest first, at most 200.
    pub queue: Vec<QueueItem>,
}

/// An observation awaiting a verifier.
#[derive(Serialize, JsonSchema)]
pub struct QueueItem {
    /// Its entry's index.
    pub index: i64,
    /// The day it is about.
    pub day: Option<String>,
    /// Its class.
    pub class: Option<String>,
    /// Its verification state.
    pub state: Option<String>,
    /// Its author's key.
    pub author: String,
    /// The parties that disputed it since it was decided.
    pub disputed_by: Vec<String>,
}

/// `POST /v1/agreements/check`: the agreement's summary.
#[derive(Serialize, JsonSchema)]
pub struct AgreementCheck {
    /// Always true (an invalid agreement is a 422).
    pub ok: bool,
    /// Its title.
    pub title: String,
    /// `draft`, `signed` or another status.
    pub status: String,
    /// How many provisions.
    pub provisions: usize,
    /// How many commitments.
    pub commitments: usize,
    /// How many commitments compliance can check.
    pub machine_checkable: usize,
    /// How many zones.
    pub zones: usize,
    /// The provisions that cannot be checked from the log, and why.
    pub not_machine_checkable: Vec<NotCheckable>,
    /// Each warning.
    pub warnings: Vec<String>,
}

/// A provision compliance cannot check.
#[derive(Serialize, JsonSchema)]
pub struct NotCheckable {
    /// Its number.
    pub point: String,
    /// Why.
    pub reason: String,
}

/// `POST /v1/scenarios/{slug}/simulations`: the job queued.
#[derive(Serialize, JsonSchema)]
pub struct JobQueued {
    /// The job's id.
    pub id: String,
    /// `queued`.
    pub status: String,
    /// Where to read it.
    pub href: String,
}

/// `GET /v1/simulations/{id}`: where a rehearsal stands, and when done its document.
#[derive(Serialize, JsonSchema)]
pub struct Job {
    /// The job's id.
    pub id: String,
    /// The scenario rehearsed.
    pub scenario: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The document, when done (and not `?format=status`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<truce_report::simulation::SimulationReport>,
}

/// Progress of a robustness run (`progress` events).
#[derive(Serialize, JsonSchema)]
pub struct Progress {
    /// Draws done.
    pub done: u64,
    /// Draws asked.
    pub draws: u64,
}

/// `GET /v1/entries/{index}/proof`.
#[derive(Serialize, JsonSchema)]
pub struct EntryProof {
    /// The entry's index.
    pub index: u64,
    /// The size of the checkpoint it is proved against.
    pub size: u64,
    /// The entry's bytes, base64.
    pub entry: String,
    /// The inclusion proof's hashes, base64.
    pub proof: Vec<String>,
    /// The checkpoint, a signed note (cosigned when the log has witnesses).
    pub checkpoint: String,
    /// The same proof as a c2sp.org/tlog-proof@v1 file.
    pub tlog_proof: String,
}

/// `GET /v1/witnesses`.
#[derive(Serialize, JsonSchema)]
pub struct Witnesses {
    /// The size of the checkpoint served.
    pub served_size: Option<u64>,
    /// The size of the newest checkpoint.
    pub newest_size: Option<u64>,
    /// The witnesses this server hosts.
    pub hosted: Vec<HostedWitness>,
    /// The witnesses the log asks to cosign.
    pub peers: Vec<PeerWitness>,
}

/// A witness hosted here.
#[derive(Serialize, JsonSchema)]
pub struct HostedWitness {
    /// Its name.
    pub name: String,
    /// Where logs send checkpoints.
    pub url_path: String,
    /// Its verifier key.
    pub vkey: String,
    /// The logs it follows.
    pub logs: Vec<FollowedLog>,
}

/// A log a hosted witness follows.
#[derive(Serialize, JsonSchema)]
pub struct FollowedLog {
    /// The log's origin.
    pub origin: String,
    /// The log's verifier key.
    pub vkey: String,
    /// The size last cosigned.
    pub cosigned_size: Option<u64>,
}

/// A witness the log asks to cosign.
#[derive(Serialize, JsonSchema)]
pub struct PeerWitness {
    /// Its name.
    pub name: String,
    /// Its verifier key.
    pub vkey: String,
    /// Its URL.
    pub url: String,
    /// The size it last cosigned (0 before it first did).
    pub cosigned_size: u64,
    /// When (RFC 3339).
    pub cosigned_at: Option<String>,
    /// Whether the checkpoint served carries its cosignature.
    pub cosigned_served_checkpoint: bool,
    /// Its last error.
    pub last_error: Option<String>,
}

/// `GET /v1/media`: the mission's media policy.
#[derive(Serialize, JsonSchema)]
pub struct MediaPolicy {
    /// `strip` (location metadata refused) or `keep`.
    pub location: String,
    /// The size limit.
    pub max_bytes: u64,
    /// The accepted types.
    pub accepted: Vec<MediaType>,
}

/// An accepted media type.
#[derive(Serialize, JsonSchema)]
pub struct MediaType {
    /// Its MIME type.
    #[serde(rename = "type")]
    pub kind: String,
    /// `photo`, `video` or `audio`.
    #[serde(rename = "kind")]
    pub class: String,
}

/// `PUT /v1/media/{sha256}`.
#[derive(Serialize, JsonSchema)]
pub struct MediaStored {
    /// The file's SHA-256.
    pub sha256: String,
    /// Its size.
    pub bytes: u64,
    /// `new`, or `already` when it was stored before.
    pub stored: String,
}

/// `POST /v1/media/{sha256}/release`.
#[derive(Serialize, JsonSchema)]
pub struct MediaReleased {
    /// The file's SHA-256.
    pub sha256: String,
    /// The mediator who released it.
    pub released_by: Option<String>,
}

/// A GeoJSON FeatureCollection (RFC 7946).
#[derive(Serialize, JsonSchema)]
pub struct FeatureCollection {
    /// `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its features.
    pub features: Vec<serde_json::Value>,
}

/// An `entry` event of `GET /v1/events`.
#[derive(Serialize, JsonSchema)]
pub struct EntryEvent {
    /// The entry's index.
    pub index: u64,
    /// Its kind (`observation`, `verification`, …).
    pub kind: String,
}

/// One quote of a source, as the scenario cites it, checked against the source's archived text.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct SourceCitation {
    /// What cites it: `position`, `process` (a process position) or `constraint`.
    pub cited: String,
    /// The line of the citing table in the scenario.
    pub line: u32,
    /// A position's party id.
    pub party: Option<String>,
    /// A position's option id.
    pub option: Option<String>,
    /// A position's stance.
    pub stance: Option<String>,
    /// The quote, as the scenario gives it.
    pub quote: String,
    /// `direct`, `paraphrase`, `document_text` or `translated`, if stated.
    pub quote_kind: Option<String>,
    /// The check: `found`, `near`, `not_found` or `no_archive`, the archive's hash, the line of the
    /// archived text, and the closest passage for a quote not found as written.
    pub quote_check: truce_report::report::QuoteCheck,
    /// Where the quote (or, when it is not found as written, the closest passage) is in the archived
    /// text: byte offsets `[start, end)`.
    pub span: Option<[usize; 2]>,
}

/// `POST /v1/scenarios/{slug}/sources/{id}`: the source archived and the new version recording it.
#[derive(Serialize, JsonSchema)]
pub struct SourceArchived {
    /// The scenario.
    pub slug: String,
    /// The new version, whose `[[sources]]` table records the file.
    pub version: i64,
    /// The source's id.
    pub source: String,
    /// The SHA-256 of the file as uploaded.
    pub sha256: String,
    /// What the file was: `text/html`, `application/pdf` or `text/plain`.
    pub media_type: String,
    /// The encoding its text was read in.
    pub encoding: String,
    /// The text's language: `en`, `ru` or `uk`.
    pub language: String,
    /// When it was retrieved (YYYY-MM-DD).
    pub retrieved: String,
    /// The file's size in bytes.
    pub bytes: usize,
    /// Whether this upload stored the file (false: the same bytes were archived before).
    pub stored: bool,
    /// Each warning the scenario's check gave.
    pub warnings: Vec<String>,
    /// Every quote of this source in the new version, checked against the text.
    pub citations: Vec<SourceCitation>,
}

/// `GET /v1/scenarios/{slug}/sources/{id}`: a source's record, its archived text and its citations.
#[derive(Serialize, Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct SourceDocument {
    /// The scenario.
    pub slug: String,
    /// The version read (the latest).
    pub version: i64,
    /// The source's id.
    pub id: String,
    /// The outlet.
    pub publication: Option<String>,
    /// The article's title.
    pub title: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
    /// When it was published (YYYY-MM-DD).
    pub date: Option<String>,
    /// When the archived file was retrieved (YYYY-MM-DD).
    pub retrieved: Option<String>,
    /// The language of the archived text.
    pub language: Option<String>,
    /// The archived file's media type.
    pub media_type: Option<String>,
    /// The archived file's SHA-256; null when the source is not archived.
    pub sha256: Option<String>,
    /// The text extracted from the archived file; null when there is none in this server's store.
    pub text: Option<String>,
    /// Where the original file is downloaded, when the store holds it.
    pub original: Option<String>,
    /// Every quote of this source, checked against the text.
    pub citations: Vec<SourceCitation>,
}

/// `POST /v1/scenarios/{slug}/extract`: an article to draft positions from.
#[derive(Deserialize, JsonSchema, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct ExtractAsk {
    /// The article's text.
    pub text: String,
    /// The day of the statements (YYYY-MM-DD), carried into each candidate's position form.
    pub date: Option<String>,
    /// The id of the scenario's source the article is, carried into each candidate's position form.
    pub source: Option<String>,
    /// `en`, `ru` or `uk` (default: the language the text's letters show).
    pub language: Option<String>,
}

/// A position drafted from an article (`truce_report::extraction::CandidateReport`, the document
/// `truce extract` prints), with the position form's address filled in with it.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug)]
pub struct CandidateDoc {
    /// The candidate.
    #[serde(flatten)]
    pub candidate: truce_report::extraction::CandidateReport,
    /// The position form with every field of this candidate filled in (nothing is saved until the
    /// form is submitted).
    pub form: String,
}

/// The positions drafted from an article.
#[derive(Serialize, Deserialize, JsonSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Extraction {
    /// The scenario.
    pub slug: String,
    /// The version whose parties, options and vocabulary were read.
    pub version: i64,
    /// The article's language: `en`, `ru` or `uk`.
    pub language: String,
    /// The day given for the statements.
    pub date: Option<String>,
    /// The source given.
    pub source: Option<String>,
    /// The candidates, in the article's order.
    pub candidates: Vec<CandidateDoc>,
}
