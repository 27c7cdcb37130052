//! Truce scenarios: parties, issues with mutually exclusive options, sources, and dated positions.
//!
//! A scenario file is TOML (the format is documented in the repository's README).
//! [`parse`] turns its text into a typed [`Scenario`] and reports every problem at once, as
//! [`Diagnostic`]s that carry the file, line, column, field and what was expected:
//!
//! ```text
//! let (scenario, diagnostics) = truce_scenario::parse("ukraine-2025.toml", &text);
//! for d in &diagnostics {
//!     eprintln!("{d}");
//! }
//! ```
//!
//! This crate does no I/O: callers read the file and pass the text.
//! It does not analyse anything either; that is `truce-table`'s job.
//! Malformed input is data here, not an error: no input makes [`parse`] panic.

#![deny(missing_docs)]

pub mod import;
mod model;
mod parse;
mod rule;
mod write;

#[cfg(test)]
mod tests;

pub use model::*;
pub use parse::{MEDIA_TYPES, parse, parse_submission};
pub use rule::{RuleError, parse_rule};
pub use truce_syntax::quote as toml_string;
pub use truce_syntax::{Diagnostic, LineIndex, Severity, has_errors, utf8, walk};
pub use write::to_toml;
