//! The archive of a scenario's sources: where each file lives, its hash, and the record of it in the
//! scenario's `[[sources]]`.
//!
//! An archived source is a directory named by the SHA-256 of the file as retrieved, under the
//! `sources/` directory beside the scenario: `sources/<sha256>/original.<html|pdf|txt>` holds the file
//! byte for byte, `sources/<sha256>/text.txt` the text extracted from it for reading. The scenario's
//! `[[sources]]` table records `sha256`, `retrieved`, `language` and `media_type`, so anyone holding the
//! file can check it against the hash, and the text against the file. This module computes names and
//! edits the scenario's text; the caller reads and writes the files.

use sha2::{Digest, Sha256};
use toml_edit::{DocumentMut, value};

use crate::text::MediaKind;
use truce_scenario::Date;

/// The directory beside a scenario that holds its archived sources.
pub const DIR: &str = "sources";
/// The file of a source's extracted text, inside its directory.
pub const TEXT_FILE: &str = "text.txt";

/// The SHA-256 of `bytes`, in lower-case hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The path of an archived original, relative to the archive directory.
pub fn original_path(sha256: &str, kind: MediaKind) -> String {
    format!("{sha256}/original.{}", kind.extension())
}

/// The path of an archived source's extracted text, relative to the archive directory.
pub fn text_path(sha256: &str) -> String {
    format!("{sha256}/{TEXT_FILE}")
}

/// What `truce source add` records of an archived file in the scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The file's SHA-256.
    pub sha256: String,
    /// When it was retrieved.
    pub retrieved: Date,
    /// Its language.
    pub language: String,
    /// Its media type.
    pub media_type: &'static str,
    /// Where it was retrieved from, if given now (otherwise the table's `url` is kept).
    pub url: Option<String>,
}

/// Why the scenario's text could not be edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The text is not TOML.
    #[error("is not valid TOML ({0}); run `truce check` on it first")]
    NotToml(String),
    /// No `[[sources]]` table has the id.
    #[error(
        "has no source \"{id}\"; add a [[sources]] table with id = \"{id}\" (its publication, title, date and url) first"
    )]
    NoSuchSource {
        /// The id asked for.
        id: String,
    },
}

/// The scenario's text with the source `id`'s table recording `record`; every other byte is kept.
pub fn record_in_scenario(text: &str, id: &str, record: &Record) -> Result<String, EditError> {
    let mut doc: DocumentMut =
        text.parse().map_err(|e: toml_edit::TomlError| NotToml(e.message().to_string()))?;
    let table = doc
        .get_mut("sources")
        .and_then(|s| s.as_array_of_tables_mut())
        .and_then(|a| a.iter_mut().find(|t| t.get("id").and_then(|v| v.as_str()) == Some(id)))
        .ok_or_else(|| EditError::NoSuchSource { id: id.to_string() })?;
    if let Some(url) = &record.url {
        table["url"] = value(url.as_str());
    }
    table["sha256"] = value(record.sha256.as_str());
    let retrieved: toml_edit::Datetime = record
        .retrieved
        .to_string()
        .parse()
        // A civil date's `YYYY-MM-DD` is a TOML local date.
        .expect("a date is a TOML date");
    table["retrieved"] = value(retrieved);
    table["language"] = value(record.language.as_str());
    table["media_type"] = value(record.media_type);
    Ok(doc.to_string())
}

use EditError::NotToml;
