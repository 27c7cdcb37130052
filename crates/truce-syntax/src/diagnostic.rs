//! Diagnostics: what is wrong with an input, and exactly where.

use std::fmt;
use std::ops::Range;

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The input cannot be used as it is: no analysis runs on it.
    Error,
    /// The input is usable, but something looks like a mistake (an unknown key, say).
    Warning,
}

/// One problem found in an input file.
///
/// `line` and `column` are 1-based; the column counts characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious the problem is.
    pub severity: Severity,
    /// The file name the caller gave for the input.
    pub file: String,
    /// 1-based line of the offending value.
    pub line: u32,
    /// 1-based column (in characters) of the offending value.
    pub column: u32,
    /// Byte range of the offending value in the input.
    pub span: Range<usize>,
    /// Path of the field, e.g. `positions[12].stance`.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// What was expected instead, when that can be said.
    pub expected: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {severity}: ", self.file, self.line, self.column)?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        write!(f, "{}", self.message)?;
        if let Some(expected) = &self.expected {
            write!(f, "; expected {expected}")?;
        }
        Ok(())
    }
}

/// Whether any diagnostic in `diagnostics` is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// The text of a file read as bytes, or a diagnostic at the first byte that is not UTF-8 (its line,
/// and its byte offset in the message), so that a binary or mis-encoded file is named precisely.
pub fn utf8<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, Box<Diagnostic>> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let before = &bytes[..at];
        let line = before.iter().filter(|b| **b == b'\n').count() as u32 + 1;
        let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        // The prefix is valid UTF-8, so the column counts its characters.
        let column = std::str::from_utf8(&bytes[line_start..at]).map_or(0, |s| s.chars().count());
        Box::new(Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            line,
            column: column as u32 + 1,
            span: at..at + 1,
            field: String::new(),
            message: format!("byte {at} (0x{:02x}) is not valid UTF-8", bytes[at]),
            expected: Some("a UTF-8 text file".to_string()),
        })
    })
}

/// Maps byte offsets of a text to 1-based line and column numbers.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset at which each line starts.
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based (line, column) of byte `offset` in `text`.
    ///
    /// Offsets past the end, or inside a UTF-8 sequence, are clamped to a valid position.
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = text.get(start..offset).map(|s| s.chars().count()).unwrap_or_else(|| {
            text[start..].char_indices().take_while(|(i, _)| start + i < offset).count()
        });
        (line as u32 + 1, column as u32 + 1)
    }
}
