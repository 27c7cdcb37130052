//! The use cases the API and the pages share: each turns a checked ask into one document, which
//! the API wraps in JSON and the pages render with maud.
//!
//! - [`negotiation`]: the Table and the Accord (timeline, robustness, frontier, drafts, rehearsals, the
//!   check of a scenario's text, a mediator's view with the confidential submissions).
//! - [`record`]: reads of the log (compliance and the daily report as of a day).
//! - [`sources`]: sources anyone can check (a source's file archived, its document with every quote
//!   checked) and positions drafted from an article.

pub(crate) mod negotiation;
pub(crate) mod record;
pub(crate) mod sources;
