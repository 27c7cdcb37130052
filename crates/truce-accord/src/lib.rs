//! Agreements as checkable commitments.
//!
//! An [`Agreement`] is made of provisions; each provision holds commitments (one duty of one obligor),
//! with a window, preconditions and indicators that say how the duty is observed. Zones and lines are
//! GeoJSON geometries, or buffers around a line. [`parse`] reads the TOML format with the same diagnostics
//! as scenarios (file, line, column, field, what was expected; every problem at once). No I/O.

#![deny(missing_docs)]

mod draft;
pub mod geo;
mod model;
mod parse;

pub use draft::{default_day_one, draft};
pub use model::*;
pub use parse::parse;
pub use truce_syntax::{Diagnostic, Severity, has_errors};
