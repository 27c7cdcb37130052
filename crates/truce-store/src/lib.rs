//! The relational state of a running Truce server, behind one narrow trait, [`Store`].
//!
//! What it holds: users with their role (and party, for delegates), API tokens (only their SHA-256 is
//! stored), scenarios and their numbered versions, confidential numeric preference submissions,
//! agreements, an index of the log's entries for queries (by kind, by day, the verification queue), and
//! the archived files behind scenarios' sources (content-addressed by their SHA-256).
//! What it does not hold: the log itself, which stays in `truce-tlog` (tiles on the filesystem), and any
//! business rule: who may see what is decided by the server, from the roles stored here.
//!
//! Backend: `truce-store-sql`, over SQLite (embedded, the default) or PostgreSQL (at scale); it owns
//! the SQL and the migrations. [`story`] is the one test every backend must pass.
//!
//! # Contract
//!
//! - **Durability.** A call that returns `Ok` has committed: its effect survives a crash of the process.
//! - **Atomicity.** Each call is one transaction: it happens entirely or not at all.
//! - **Concurrency.** A store is `Clone + Send + Sync`; clones share one connection pool and may be used
//!   from many tasks at once. Conflicting writes (a second user with the same name, a second scenario
//!   version with the same number) fail with [`Error::Conflict`], never corrupt.
//! - **Errors.** A missing row is [`Error::NotFound`]; a uniqueness violation [`Error::Conflict`];
//!   anything else from the database [`Error::Database`], with a message that holds no secret.
//! - **Secrets.** Tokens are stored as SHA-256 digests only; a token is shown once, when created.

#![deny(missing_docs)]

use std::future::Future;

pub mod story;

/// Everything a store call can fail with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No such row.
    #[error("not found")]
    NotFound,
    /// A uniqueness constraint: the thing exists already.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Anything else from the database.
    #[error("database: {0}")]
    Database(String),
}

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Runs the table: sees raw confidential submissions.
    Mediator,
    /// Edits positions, reads analyses.
    Analyst,
    /// Speaks for one party: reads, annotates, submits that party's confidential preferences.
    PartyDelegate,
    /// Submits signed observations.
    Observer,
    /// Works the verification queue.
    Verifier,
    /// Runs a party's witness.
    WitnessOperator,
    /// Reads what is published.
    Public,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 7] = [
        Role::Mediator,
        Role::Analyst,
        Role::PartyDelegate,
        Role::Observer,
        Role::Verifier,
        Role::WitnessOperator,
        Role::Public,
    ];

    /// The role's name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Mediator => "mediator",
            Role::Analyst => "analyst",
            Role::PartyDelegate => "party_delegate",
            Role::Observer => "observer",
            Role::Verifier => "verifier",
            Role::WitnessOperator => "witness_operator",
            Role::Public => "public",
        }
    }

    /// Reads a stored role name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// For a party delegate: the party.
    pub party: Option<String>,
}

/// A stored scenario version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioVersion {
    /// The scenario's slug.
    pub slug: String,
    /// Version number, from 1.
    pub version: i64,
    /// The TOML text.
    pub text: String,
    /// Who saved it.
    pub author: i64,
    /// When it was saved, in seconds since the Unix epoch (0 for a version saved before the store kept it).
    pub saved_at: i64,
    /// Why, as the author said (empty when not said).
    pub reason: String,
}

/// A confidential preference submission: a party's numeric preferences, seen raw only by mediators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// Id.
    pub id: i64,
    /// The scenario's slug.
    pub scenario: String,
    /// The party.
    pub party: String,
    /// Who submitted it.
    pub author: i64,
    /// The `[[preferences]]` TOML.
    pub text: String,
}

/// One log entry as indexed for queries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedEntry {
    /// Log index.
    pub index: i64,
    /// Entry kind (`observation`, `verification`, …).
    pub kind: String,
    /// Author key, hex.
    pub author: String,
    /// For observations: the UTC day, `YYYY-MM-DD`.
    pub day: Option<String>,
    /// For observations: the class.
    pub class: Option<String>,
    /// For observations: the event position, micro-degrees.
    pub position: Option<(i64, i64)>,
    /// For entries about another: its index.
    pub refers_to: Option<i64>,
    /// For observations: the verification state.
    pub state: Option<String>,
}

/// A background job (a negotiation rehearsal) as kept, so that any server answers for it and a finished
/// one outlives a restart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRecord {
    /// Its id: 128 random bits in hex.
    pub id: String,
    /// The user who asked for it.
    pub owner: i64,
    /// The scenario.
    pub slug: String,
    /// The request, as its server describes it (the same request is the same job while it is kept).
    pub ask: String,
    /// The server that runs it (its name in the lease, or its address).
    pub server: String,
    /// `queued`, `running`, `done`, `failed` or `interrupted`.
    pub state: String,
    /// Why it failed or was interrupted (empty otherwise).
    pub reason: String,
    /// A finished job's document, serialised once.
    pub document: Option<Vec<u8>>,
    /// A finished job's plots: a JSON array of SVG texts.
    pub plots: Option<String>,
    /// When it was asked for, in Unix seconds.
    pub created: i64,
    /// When a finished job is forgotten, in Unix seconds; 0 while it is queued or running.
    pub expires: i64,
}

/// An archived source file: a scenario's source as retrieved, byte for byte, named by the SHA-256 of
/// its bytes, with the text extracted from it (what quotes are checked against).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The SHA-256 of `bytes`, in lower-case hexadecimal: the file's name.
    pub sha256: String,
    /// Its media type (`text/html`, `application/pdf`, `text/plain`).
    pub media_type: String,
    /// The file as retrieved.
    pub bytes: Vec<u8>,
    /// The text extracted from it.
    pub text: String,
    /// Who uploaded it first.
    pub uploader: i64,
    /// When it was first uploaded, in Unix seconds.
    pub uploaded_at: i64,
}

/// Whether `file.sha256` names `file.bytes`: 64 lower-case hexadecimal digits, their SHA-256. What
/// every backend checks before it stores a source file.
pub fn names_its_bytes(file: &SourceFile) -> bool {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(&file.bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    file.sha256 == hex
}

/// The SHA-256 of a token or session id: what is stored instead of it.
pub fn token_hash(token: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes()).into()
}

/// The relational state of a server. See the crate docs for the contract.
pub trait Store: Clone + Send + Sync + 'static {
    /// Creates a user; names are unique.
    fn create_user(
        &self,
        name: &str,
        role: Role,
        party: Option<&str>,
    ) -> impl Future<Output = Result<User, Error>> + Send;
    /// A user by id.
    fn user(&self, id: i64) -> impl Future<Output = Result<User, Error>> + Send;
    /// Stores a token's hash for a user, with a label.
    fn add_token(
        &self,
        user: i64,
        hash: [u8; 32],
        label: &str,
    ) -> impl Future<Output = Result<(), Error>> + Send;
    /// The user a token hash belongs to, unless revoked.
    fn user_by_token(&self, hash: [u8; 32]) -> impl Future<Output = Result<User, Error>> + Send;
    /// Revokes a token.
    fn revoke_token(&self, hash: [u8; 32]) -> impl Future<Output = Result<(), Error>> + Send;
    /// A user by name.
    fn user_by_name(&self, name: &str) -> impl Future<Output = Result<User, Error>> + Send;
    /// Revokes every token and ends every session of a user; returns how many tokens were revoked.
    fn revoke_user(&self, user: i64) -> impl Future<Output = Result<u64, Error>> + Send;

    /// Records that `user` holds the Ed25519 key `key` (hex): entries signed with it are accepted only
    /// from that user. A key is held by one user ([`Error::Conflict`] otherwise).
    fn add_key(&self, user: i64, key: &str) -> impl Future<Output = Result<(), Error>> + Send;
    /// The id of the user who holds `key` (hex).
    fn key_holder(&self, key: &str) -> impl Future<Output = Result<i64, Error>> + Send;
    /// The keys (hex) `user` holds, sorted.
    fn keys_of(&self, user: i64) -> impl Future<Output = Result<Vec<String>, Error>> + Send;

    /// Starts a web session: stores the SHA-256 of its id for `user`, valid until `expires` (Unix
    /// seconds).
    fn create_session(
        &self,
        hash: [u8; 32],
        user: i64,
        expires: i64,
    ) -> impl Future<Output = Result<(), Error>> + Send;
    /// The user of a session that has not expired by `now` (Unix seconds) and was not ended.
    fn session_user(
        &self,
        hash: [u8; 32],
        now: i64,
    ) -> impl Future<Output = Result<User, Error>> + Send;
    /// Ends a session (signing out).
    fn end_session(&self, hash: [u8; 32]) -> impl Future<Output = Result<(), Error>> + Send;

    /// Saves a new version of a scenario (creating it at version 1), with who saved it, when (the store's
    /// clock) and why (`reason`, empty when none was given); returns the version number.
    fn save_scenario(
        &self,
        slug: &str,
        text: &str,
        author: i64,
        reason: &str,
    ) -> impl Future<Output = Result<i64, Error>> + Send;
    /// A version of a scenario; `None` for the latest.
    fn scenario(
        &self,
        slug: &str,
        version: Option<i64>,
    ) -> impl Future<Output = Result<ScenarioVersion, Error>> + Send;
    /// The slugs of every scenario, sorted.
    fn scenarios(&self) -> impl Future<Output = Result<Vec<String>, Error>> + Send;

    /// Stores a confidential preference submission.
    fn submit_preferences(
        &self,
        scenario: &str,
        party: &str,
        author: i64,
        text: &str,
    ) -> impl Future<Output = Result<i64, Error>> + Send;
    /// The submissions for a scenario, optionally of one party only, oldest first.
    fn submissions(
        &self,
        scenario: &str,
        party: Option<&str>,
    ) -> impl Future<Output = Result<Vec<Submission>, Error>> + Send;

    /// Saves an agreement's text under a slug (replacing the previous text); returns its version.
    fn save_agreement(
        &self,
        slug: &str,
        text: &str,
    ) -> impl Future<Output = Result<i64, Error>> + Send;
    /// The latest text of an agreement.
    fn agreement(&self, slug: &str) -> impl Future<Output = Result<String, Error>> + Send;

    /// Indexes entries (idempotent by log index: re-indexing an index replaces it).
    fn index_entries(
        &self,
        entries: &[IndexedEntry],
    ) -> impl Future<Output = Result<(), Error>> + Send;
    /// Updates the verification state of an indexed observation.
    fn set_state(&self, index: i64, state: &str) -> impl Future<Output = Result<(), Error>> + Send;
    /// The index watermark: the first log index not indexed, so that every index below it is (a gap left
    /// by a failed write holds the watermark back until it is filled).
    fn indexed_size(&self) -> impl Future<Output = Result<i64, Error>> + Send;
    /// Observations on a day, by index.
    fn observations_on(
        &self,
        day: &str,
    ) -> impl Future<Output = Result<Vec<IndexedEntry>, Error>> + Send;
    /// The verification queue: observations received or under review, oldest first, at most `limit`.
    fn queue(&self, limit: i64) -> impl Future<Output = Result<Vec<IndexedEntry>, Error>> + Send;

    /// Stores a job, or replaces the stored job of the same id.
    fn save_job(&self, job: &JobRecord) -> impl Future<Output = Result<(), Error>> + Send;
    /// A job that is not forgotten by `now` (Unix seconds).
    fn job(&self, id: &str, now: i64) -> impl Future<Output = Result<JobRecord, Error>> + Send;
    /// Marks every job of `server` still queued or running as interrupted, with `reason`, kept until
    /// `expires`; returns how many. A server calls it when it starts: what it ran before is gone.
    fn interrupt_jobs(
        &self,
        server: &str,
        reason: &str,
        expires: i64,
    ) -> impl Future<Output = Result<u64, Error>> + Send;
    /// Stores an archived source file under its hash. Content-addressed and idempotent: a file whose
    /// hash is already stored is left as it is (its first uploader and time kept), and the answer says
    /// whether this call stored it (`true`) or found it (`false`). The caller names the hash of the
    /// bytes; a `sha256` that is not 64 lower-case hexadecimal digits, or not the bytes' SHA-256, is
    /// [`Error::Conflict`], and nothing is stored.
    fn put_source_file(
        &self,
        file: &SourceFile,
    ) -> impl Future<Output = Result<bool, Error>> + Send;
    /// The archived source file stored under `sha256`.
    fn source_file(&self, sha256: &str) -> impl Future<Output = Result<SourceFile, Error>> + Send;

    /// Forgets the jobs whose time has passed by `now`, and `owner`'s finished jobs beyond its `keep`
    /// newest; returns how many.
    fn forget_jobs(
        &self,
        now: i64,
        owner: i64,
        keep: i64,
    ) -> impl Future<Output = Result<u64, Error>> + Send;
}
