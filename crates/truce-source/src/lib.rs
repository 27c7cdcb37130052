//! Sources anyone can check, and positions drafted from the text.
//!
//! - [`text`]: a source file as retrieved (HTML, PDF or plain text) to the text a person reads, with a
//!   clear refusal of anything else;
//! - [`archive`]: where an archived source lives (named by its SHA-256) and its record in the scenario;
//! - [`quote`]: quotes found in a text after normalisation, with elisions, or the closest passage;
//! - [`check`]: every quote of a scenario checked against its source's archived text;
//! - [`lang`]: languages, words and stems (Snowball for English and Russian, a light Ukrainian stemmer);
//! - [`extract`]: candidate positions drafted from an article with the scenario's vocabulary.
//!
//! No I/O: callers read the files and pass bytes or text.

#![deny(missing_docs)]

pub mod archive;
pub mod check;
pub mod eval;
pub mod extract;
pub mod lang;
pub mod quote;
pub mod text;
