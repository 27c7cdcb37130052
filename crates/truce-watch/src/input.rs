//! Reading an observation written by a person or a device, as JSON, with diagnostics that name the file,
//! line, column and field and say what was expected.
//!
//! The JSON is the [`Observation`] object itself (see its fields); unknown fields are errors, so a
//! misspelt field is not silently dropped from a signed record.

use truce_accord::{Diagnostic, Severity};

use crate::entry::Observation;

/// Parses and checks one observation. Returns it only when there is no error. Never panics.
pub fn parse_observation(file: &str, text: &str) -> (Option<Observation>, Vec<Diagnostic>) {
    let lines = truce_syntax::LineIndex::new(text);
    let diag = |offset: usize, field: &str, message: String, expected: Option<String>| {
        let (line, column) = lines.line_col(text, offset);
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            line,
            column,
            span: offset..offset,
            field: field.to_string(),
            message,
            expected,
        }
    };
    let observation: Observation = match serde_json::from_str(text) {
        Ok(o) => o,
        Err(e) => {
            let offset = offset_of(text, e.line(), e.column());
            let full = e.to_string();
            let message = full.split(" at line ").next().unwrap_or(&full).to_string();
            let field = quoted_after(&message, "field `")
                .or_else(|| key_before(text, offset))
                .unwrap_or_default();
            let expected = match e.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                    Some("valid JSON: one object with the observation's fields".to_string())
                }
                _ if message.starts_with("unknown field") => {
                    message.split("expected ").nth(1).map(|s| s.to_string())
                }
                _ if message.starts_with("missing field") => Some(format!(
                    "the field `{field}`: every observation has start, end, lat_e6, lon_e6, controlled_by, sensor, class, count, approximate"
                )),
                _ => message.split("expected ").nth(1).map(|s| s.to_string()),
            };
            return (None, vec![diag(offset, &field, message, expected)]);
        }
    };
    let diags: Vec<Diagnostic> = observation
        .problems()
        .into_iter()
        .map(|(field, message, expected)| {
            let offset = text.find(&format!("\"{field}\"")).unwrap_or(0);
            diag(offset, field, message, Some(expected.to_string()))
        })
        .collect();
    if diags.is_empty() { (Some(observation), diags) } else { (None, diags) }
}

/// The byte offset of a 1-based line and column as serde_json reports them.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let mut offset = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.split(prefix).nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

/// The JSON key whose value contains `offset`: the last `"key":` before it.
fn key_before(text: &str, offset: usize) -> Option<String> {
    let before = &text[..offset];
    let colon = before.rfind("\":")?;
    let open = before[..colon].rfind('"')?;
    Some(before[open + 1..colon].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
  "start": "2015-03-01T06:10:00Z",
  "end": "2015-03-01T06:40:00Z",
  "lat_e6": 48070000,
  "lon_e6": 37690000,
  "controlled_by": "UKR_GOV",
  "sensor": "heard",
  "class": "explosion",
  "count": 12,
  "approximate": true,
  "bearing_deg": 95,
  "distance_m": 3000
}"#;

    #[test]
    fn observations_get_diagnostics_with_place_field_and_expectation() {
        let (o, d) = parse_observation("obs.json", GOOD);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(o.unwrap().count, 12);
        let cases = [
            (GOOD.replace("\"count\": 12", "\"count\": \"twelve\""), "obs.json:9:", "count", "u32"),
            (GOOD.replace("\"count\": 12,\n", ""), "obs.json:", "count", "every observation has"),
            (GOOD.replace("\"sensor\"", "\"sensr\""), "obs.json:7:", "sensr", "sensor"),
            (GOOD.replace("48070000", "98070000"), "obs.json:4:", "lat_e6", "micro-degrees"),
            (GOOD.replace("06:40:00Z", "05:40:00Z"), "obs.json:3:", "end", "at or after"),
            (
                GOOD.replace("\"bearing_deg\": 95", "\"bearing_deg\": 400"),
                "obs.json:11:",
                "bearing_deg",
                "0 to 359",
            ),
            (GOOD.replace("2015-03-01T06:10:00Z", "yesterday"), "obs.json:2:", "start", "RFC 3339"),
            (GOOD[..40].to_string(), "obs.json:3:", "start", "valid JSON"),
        ];
        for (text, place, field, expected) in cases {
            let (o, d) = parse_observation("obs.json", &text);
            assert!(o.is_none(), "{text}");
            let shown: Vec<String> = d.iter().map(|d| d.to_string()).collect();
            assert!(
                d.iter().any(|d| d.to_string().starts_with(place)
                    && d.field == field
                    && d.expected.as_deref().is_some_and(|e| e.contains(expected))),
                "wanted {place} {field} {expected}, got {shown:#?}"
            );
        }
    }
}
