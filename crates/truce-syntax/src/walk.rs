//! Walking a spanned TOML tree by hand, so that one bad field does not hide the next one, and every
//! diagnostic points at the exact value: shared by every TOML format of Truce (scenarios, accords).

use std::collections::HashMap;
use std::ops::Range;
use std::str::FromStr;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::Date;
use crate::diagnostic::{Diagnostic, LineIndex, Severity};

/// A byte range in the input.
pub type Span = Range<usize>;

/// Parses `text` into a spanned tree, recovering from syntax errors where the TOML parser can; the syntax
/// errors are already in the returned context's diagnostics.
pub fn begin<'t>(file: &'t str, text: &'t str) -> (Spanned<DeTable<'t>>, Cx<'t>) {
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    let mut cx =
        Cx { file, text, lines: LineIndex::new(text), diags: Vec::new(), syntax_spans: Vec::new() };
    let headers = if syntax_errors.is_empty() { Vec::new() } else { table_headers(text) };
    for error in &syntax_errors {
        let span = error.span().unwrap_or(0..0);
        let field = cx.field_at(&headers, span.start);
        cx.push(Severity::Error, span.clone(), field, error.message().to_string(), None);
        cx.syntax_spans.push(span);
    }
    (root, cx)
}

impl Cx<'_> {
    /// The diagnostics, sorted by position, duplicates removed.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut diags = self.diags;
        diags.sort_by_key(|d| (d.span.start, d.severity));
        diags.dedup();
        diags
    }
}

/// The context of one walk: the input and the diagnostics found so far.
pub struct Cx<'t> {
    /// The file name, for diagnostics.
    pub file: &'t str,
    /// The whole input.
    pub text: &'t str,
    /// Line starts of the input.
    pub lines: LineIndex,
    /// The diagnostics so far.
    pub diags: Vec<Diagnostic>,
    /// Spans the TOML parser already complained about: validation stays quiet there.
    pub syntax_spans: Vec<Span>,
}

impl Cx<'_> {
    /// Records a diagnostic at `span`.
    pub fn push(
        &mut self,
        severity: Severity,
        span: Span,
        field: String,
        message: String,
        expected: Option<String>,
    ) {
        let (line, column) = self.lines.line_col(self.text, span.start);
        self.diags.push(Diagnostic {
            severity,
            file: self.file.to_string(),
            line,
            column,
            span,
            field,
            message,
            expected,
        });
    }

    /// Records an error, unless the TOML parser already complained about that place.
    pub fn error(
        &mut self,
        span: &Span,
        field: &str,
        message: impl Into<String>,
        expected: impl Into<Option<String>>,
    ) {
        let overlaps_syntax_error = self
            .syntax_spans
            .iter()
            .any(|s| s.start < span.end.max(span.start + 1) && span.start < s.end.max(s.start + 1));
        if !overlaps_syntax_error {
            self.push(
                Severity::Error,
                span.clone(),
                field.to_string(),
                message.into(),
                expected.into(),
            );
        }
    }

    /// Records a warning.
    pub fn warning(&mut self, span: &Span, field: &str, message: impl Into<String>) {
        self.push(Severity::Warning, span.clone(), field.to_string(), message.into(), None);
    }

    /// Names the field at byte `offset` from the text alone, for syntax errors found before any tree exists:
    /// the key on that line, qualified by the nearest table header above it.
    pub fn field_at(&self, headers: &[(usize, String)], offset: usize) -> String {
        let offset = offset.min(self.text.len());
        let line_start = self.text.get(..offset).and_then(|b| b.rfind('\n')).map_or(0, |i| i + 1);
        let line_end =
            self.text[line_start..].find('\n').map_or(self.text.len(), |i| line_start + i);
        let line = &self.text[line_start..line_end];
        let key = line.split_once('=').map(|(k, _)| k.trim()).filter(|k| is_bare_key(k));
        let header = headers
            .partition_point(|(at, _)| *at < line_start)
            .checked_sub(1)
            .map(|i| headers[i].1.as_str());
        match (header, key) {
            (Some(h), Some(k)) => format!("{h}.{k}"),
            (Some(h), None) => h.to_string(),
            (None, Some(k)) => k.to_string(),
            (None, None) => String::new(),
        }
    }
}

/// The table headers of `text` with their byte offsets, arrays of tables numbered: `positions[3]`.
pub fn table_headers(text: &str) -> Vec<(usize, String)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut headers = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix("[[").and_then(|c| c.strip_suffix("]]")) {
            let name = name.trim();
            let count = counts.entry(name).or_insert(0);
            headers.push((offset, format!("{name}[{count}]")));
            *count += 1;
        } else if let Some(name) = trimmed.strip_prefix('[').and_then(|c| c.strip_suffix(']')) {
            headers.push((offset, name.trim().to_string()));
        }
        offset += line.len();
    }
    headers
}

/// Whether `k` can be written as a bare TOML key.
pub fn is_bare_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// A table being read: remembers which keys were used, so the rest can be reported as unknown.
pub struct Fields<'a, 'i> {
    /// The table.
    pub table: &'a DeTable<'i>,
    /// Where the table is.
    pub span: Span,
    /// The table's field path, e.g. `positions[3]`.
    pub path: String,
    /// The keys read so far.
    pub used: Vec<&'static str>,
}

impl<'a, 'i> Fields<'a, 'i> {
    /// Starts reading `table`, found at `span` under `path`.
    pub fn new(table: &'a DeTable<'i>, span: Span, path: String) -> Self {
        Fields { table, span, path, used: Vec::new() }
    }

    /// The value at `key`, which is marked as known.
    pub fn get(&mut self, key: &'static str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.used.push(key);
        self.table.get(key)
    }

    /// The field path of `key` in this table.
    pub fn field(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_string() } else { format!("{}.{key}", self.path) }
    }
}

/// A string value with the span it came from.
#[derive(Debug, Clone)]
pub struct Str {
    /// The string.
    pub value: String,
    /// Where it is.
    pub span: Span,
    /// Its field path.
    pub field: String,
}

impl Cx<'_> {
    /// Warns about every key of the table that was not read.
    pub fn finish(&mut self, fields: Fields<'_, '_>) {
        for (key, _) in fields.table.iter() {
            if !fields.used.iter().any(|u| *u == key.get_ref().as_ref()) {
                let field = fields.field(key.get_ref());
                let known = fields.used.join(", ");
                self.warning(
                    &key.span(),
                    &field,
                    format!("unknown key `{}` is ignored (known keys: {known})", key.get_ref()),
                );
            }
        }
    }

    /// Reports a missing required field (unless a syntax error swallowed it).
    pub fn missing(&mut self, f: &Fields<'_, '_>, key: &str, expected: &str) {
        let span = f.span.clone();
        // A syntax error inside the table (say, an unterminated string) can swallow the fields after it:
        // reporting them as missing would only bury the real error.
        let region_end = self
            .text
            .get(span.end..)
            .and_then(|rest| rest.find("\n["))
            .map_or(self.text.len(), |i| span.end + i);
        if self.syntax_spans.iter().any(|s| s.start >= span.start && s.start <= region_end) {
            return;
        }
        self.error(
            &span,
            &f.field(key),
            format!("missing required field `{key}`"),
            Some(expected.to_string()),
        );
    }

    /// Reports a value of the wrong type.
    pub fn wrong_type(
        &mut self,
        f: &Fields<'_, '_>,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        expected: &str,
    ) {
        let found = value.get_ref().type_str();
        self.error(
            &value.span(),
            &f.field(key),
            format!("found {found}"),
            Some(expected.to_string()),
        );
    }

    /// An optional string.
    pub fn str_opt(&mut self, f: &mut Fields<'_, '_>, key: &'static str) -> Option<Str> {
        let value = f.get(key)?;
        match value.get_ref().as_str() {
            Some(s) => Some(Str { value: s.to_string(), span: value.span(), field: f.field(key) }),
            None => {
                self.wrong_type(f, key, value, "a string");
                None
            }
        }
    }

    /// A required string.
    pub fn str_req(&mut self, f: &mut Fields<'_, '_>, key: &'static str) -> Option<Str> {
        if f.table.get(key).is_none() {
            f.used.push(key);
            self.missing(f, key, "a string");
            return None;
        }
        let s = self.str_opt(f, key)?;
        if s.value.trim().is_empty() {
            self.error(&s.span, &s.field, "is empty", Some("a non-empty string".to_string()));
            return None;
        }
        Some(s)
    }

    /// An optional string, without its span.
    pub fn text_opt(&mut self, f: &mut Fields<'_, '_>, key: &'static str) -> Option<String> {
        self.str_opt(f, key).map(|s| s.value)
    }

    /// An optional boolean.
    pub fn bool_opt(&mut self, f: &mut Fields<'_, '_>, key: &'static str) -> Option<bool> {
        let value = f.get(key)?;
        match value.get_ref().as_bool() {
            Some(b) => Some(b),
            None => {
                self.wrong_type(f, key, value, "true or false");
                None
            }
        }
    }

    /// An optional finite number (integers accepted).
    pub fn f64_opt(&mut self, f: &mut Fields<'_, '_>, key: &'static str) -> Option<f64> {
        let value = f.get(key)?;
        let parsed = match value.get_ref() {
            DeValue::Float(x) => x.as_str().parse::<f64>().ok(),
            DeValue::Integer(i) => {
                i64::from_str_radix(i.as_str(), i.radix()).ok().map(|i| i as f64)
            }
            _ => None,
        };
        match parsed {
            Some(x) if x.is_finite() => Some(x),
            _ => {
                self.wrong_type(f, key, value, "a finite number");
                None
            }
        }
    }

    /// An optional non-negative integer that fits in 32 bits.
    pub fn u32_opt(&mut self, f: &mut Fields<'_, '_>, key: &'static str) -> Option<u32> {
        let value = f.get(key)?;
        let parsed = value
            .get_ref()
            .as_integer()
            .and_then(|i| u32::from_str_radix(i.as_str(), i.radix()).ok());
        if parsed.is_none() {
            self.wrong_type(f, key, value, "a non-negative integer");
        }
        parsed
    }

    /// An optional non-negative integer that fits in 64 bits.
    pub fn u64_opt(&mut self, f: &mut Fields<'_, '_>, key: &'static str) -> Option<u64> {
        let value = f.get(key)?;
        let parsed = value
            .get_ref()
            .as_integer()
            .and_then(|i| u64::from_str_radix(i.as_str(), i.radix()).ok());
        if parsed.is_none() {
            self.wrong_type(f, key, value, "a non-negative integer");
        }
        parsed
    }

    /// An optional date (`YYYY-MM-DD`, as a TOML date or a string).
    pub fn date_opt(&mut self, f: &mut Fields<'_, '_>, key: &'static str) -> Option<(Date, Span)> {
        let value = f.get(key)?;
        let field = f.field(key);
        let span = value.span();
        const EXPECTED: &str = "a date such as 2025-03-17 (YYYY-MM-DD, without quotes or time)";
        match value.get_ref() {
            DeValue::Datetime(dt) => {
                if dt.time.is_some() || dt.offset.is_some() {
                    self.error(
                        &span,
                        &field,
                        format!("`{dt}` has a time of day"),
                        Some(EXPECTED.to_string()),
                    );
                    return None;
                }
                let Some(d) = dt.date else {
                    self.error(
                        &span,
                        &field,
                        format!("`{dt}` is not a date"),
                        Some(EXPECTED.to_string()),
                    );
                    return None;
                };
                match Date::new(
                    i16::try_from(d.year).unwrap_or(i16::MAX),
                    d.month as i8,
                    d.day as i8,
                ) {
                    Ok(date) => Some((date, span)),
                    Err(_) => {
                        self.error(
                            &span,
                            &field,
                            format!("`{dt}` is not a calendar date"),
                            Some(EXPECTED.to_string()),
                        );
                        None
                    }
                }
            }
            DeValue::String(s) => match parse_date_str(s) {
                Some(date) => Some((date, span)),
                None => {
                    self.error(
                        &span,
                        &field,
                        format!("bad date \"{s}\""),
                        Some(EXPECTED.to_string()),
                    );
                    None
                }
            },
            _ => {
                self.wrong_type(f, key, value, EXPECTED);
                None
            }
        }
    }

    /// A required date.
    pub fn date_req(&mut self, f: &mut Fields<'_, '_>, key: &'static str) -> Option<(Date, Span)> {
        if f.table.get(key).is_none() {
            f.used.push(key);
            self.missing(f, key, "a date such as 2025-03-17");
            return None;
        }
        self.date_opt(f, key)
    }

    /// An optional word from a closed vocabulary.
    pub fn vocab_opt<T: FromStr + Copy>(
        &mut self,
        f: &mut Fields<'_, '_>,
        key: &'static str,
        vocabulary: &str,
    ) -> Option<T> {
        let s = self.str_opt(f, key)?;
        match s.value.parse::<T>() {
            Ok(v) => Some(v),
            Err(_) => {
                self.error(
                    &s.span,
                    &s.field,
                    format!("unknown value \"{}\"", s.value),
                    Some(format!("one of {vocabulary}")),
                );
                None
            }
        }
    }

    /// A required word from a closed vocabulary.
    pub fn vocab_req<T: FromStr + Copy>(
        &mut self,
        f: &mut Fields<'_, '_>,
        key: &'static str,
        vocabulary: &str,
    ) -> Option<T> {
        if f.table.get(key).is_none() {
            f.used.push(key);
            self.missing(f, key, &format!("one of {vocabulary}"));
            return None;
        }
        self.vocab_opt(f, key, vocabulary)
    }

    /// A table of id → finite number, such as `weights = { nato = 0.3 }`.
    pub fn number_map(
        &mut self,
        f: &mut Fields<'_, '_>,
        key: &'static str,
    ) -> Option<Vec<(Str, f64)>> {
        let t = self.table(f, key)?;
        let mut out = Vec::new();
        for (k, v) in t.table.iter() {
            let field = t.field(k.get_ref());
            let parsed = match v.get_ref() {
                DeValue::Float(x) => x.as_str().parse::<f64>().ok(),
                DeValue::Integer(i) => {
                    i64::from_str_radix(i.as_str(), i.radix()).ok().map(|i| i as f64)
                }
                _ => None,
            };
            match parsed {
                Some(x) if x.is_finite() => {
                    out.push((Str { value: k.get_ref().to_string(), span: k.span(), field }, x))
                }
                _ => self.error(
                    &v.span(),
                    &field,
                    format!("found {}", v.get_ref().type_str()),
                    Some("a finite number".to_string()),
                ),
            }
        }
        Some(out)
    }

    /// An optional array of strings (empty when absent).
    pub fn str_list_opt(&mut self, f: &mut Fields<'_, '_>, key: &'static str) -> Vec<Str> {
        let Some(value) = f.get(key) else { return Vec::new() };
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(f, key, value, "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let field = format!("{}[{i}]", f.field(key));
            match item.get_ref().as_str() {
                Some(s) => out.push(Str { value: s.to_string(), span: item.span(), field }),
                None => self.error(
                    &item.span(),
                    &field,
                    format!("found {}", item.get_ref().type_str()),
                    Some("a string".into()),
                ),
            }
        }
        out
    }

    /// The tables of an array of tables (`[[key]]`), each with its span and path.
    pub fn tables<'a, 'i>(
        &mut self,
        f: &mut Fields<'a, 'i>,
        key: &'static str,
    ) -> Vec<Fields<'a, 'i>> {
        let Some(value) = f.get(key) else { return Vec::new() };
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(f, key, value, &format!("an array of tables, written [[{key}]]"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("{}[{i}]", f.field(key));
            match item.get_ref().as_table() {
                Some(t) => out.push(Fields::new(t, item.span(), path)),
                None => self.error(
                    &item.span(),
                    &path,
                    format!("found {}", item.get_ref().type_str()),
                    Some("a table".into()),
                ),
            }
        }
        out
    }

    /// An optional sub-table.
    pub fn table<'a, 'i>(
        &mut self,
        f: &mut Fields<'a, 'i>,
        key: &'static str,
    ) -> Option<Fields<'a, 'i>> {
        let value = f.get(key)?;
        match value.get_ref().as_table() {
            Some(t) => Some(Fields::new(t, value.span(), f.field(key))),
            None => {
                self.wrong_type(f, key, value, &format!("a table, written [{key}]"));
                None
            }
        }
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date_str(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i16 = s[0..4].parse().ok()?;
    let month: i8 = s[5..7].parse().ok()?;
    let day: i8 = s[8..10].parse().ok()?;
    Date::new(year, month, day).ok()
}
