//! Asks: what a caller asks for, as typed fields. A query string deserialises into the endpoint's ask
//! struct through [`Ask`]; a value that is not what the field expects is refused, naming the
//! parameter, the value and what was expected (422 JSON on the API, the error page on pages). The same
//! struct gives the OpenAPI document its parameters, so the two cannot drift.

use std::fmt;
use std::str::FromStr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::AppError;

/// A query string, read into `T`. Repeated keys are joined with commas (`?relax=a&relax=b` is
/// `relax=a,b`), so a list field takes either form.
pub(crate) struct Ask<T>(pub T);

/// A refused ask: the error page on pages (`/` and `/ui/…`), 422 JSON elsewhere.
pub(crate) struct Refused {
    page: bool,
    caller: Option<crate::Caller>,
    error: AppError,
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        if self.page {
            crate::pages::layout::error_page(self.error, self.caller.as_ref())
        } else {
            self.error.into_response()
        }
    }
}

/// Reads a query string into `T`, or says which parameter was wrong and why.
pub(crate) fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    // An empty value is a parameter not given (a form's empty field).
    for (k, v) in form_urlencoded::parse(query.as_bytes()).filter(|(_, v)| !v.trim().is_empty()) {
        match pairs.iter_mut().find(|(key, _)| *key == k) {
            Some((_, value)) => {
                value.push(',');
                value.push_str(&v);
            }
            None => pairs.push((k.into_owned(), v.into_owned())),
        }
    }
    let joined = form_urlencoded::Serializer::new(String::new()).extend_pairs(&pairs).finish();
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(joined.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        AppError::Invalid(vec![match pairs.iter().find(|(k, _)| *k == path) {
            Some((_, value)) => format!("query parameter {path}={value:?}: {inner}"),
            None if path == "." => format!("query: {inner}"),
            None => format!("query parameter {path}: {inner}"),
        }])
    })
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Ask<T> {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Refused> {
        let path = parts.uri.path();
        let page = path == "/" || path.starts_with("/ui/");
        parse_query(parts.uri.query().unwrap_or("")).map(Ask).map_err(|error| Refused {
            page,
            caller: parts.extensions.get::<crate::Caller>().cloned(),
            error,
        })
    }
}

impl<T: JsonSchema> aide::operation::OperationInput for Ask<T> {
    fn operation_input(
        ctx: &mut aide::generate::GenContext,
        operation: &mut aide::openapi::Operation,
    ) {
        let schema = ctx.schema.subschema_for::<T>();
        let params = aide::operation::parameters_from_schema(
            ctx,
            schema,
            aide::operation::ParamLocation::Query,
        );
        aide::operation::add_parameters(ctx, operation, params);
    }
}

impl aide::operation::OperationOutput for Refused {
    type Inner = ();
}

/// A calendar day, `YYYY-MM-DD`, that exists (no 30 February).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(pub truce_scenario::Date);

impl Day {
    /// Its `YYYY-MM-DD` form.
    pub fn text(self) -> String {
        self.0.to_string()
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Day {
    type Err = String;

    fn from_str(s: &str) -> Result<Day, String> {
        let well_formed = s.len() == 10
            && s.bytes()
                .enumerate()
                .all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
        match s.parse::<truce_scenario::Date>() {
            Ok(d) if well_formed => Ok(Day(d)),
            _ if well_formed => Err("not a day of the calendar".to_string()),
            _ => Err("expected a day as YYYY-MM-DD, such as 2025-03-20".to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Day {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Day".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "description": "A calendar day, YYYY-MM-DD."
        })
    }
}

/// A comma-separated list (`a,b,c`, or the key repeated), each item trimmed, empty items dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct List(pub Vec<String>);

impl<'de> Deserialize<'de> for List {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<List, D::Error> {
        let s = String::deserialize(d)?;
        Ok(List(s.split(',').map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect()))
    }
}

impl JsonSchema for List {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "List".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Comma-separated values (or the parameter repeated)."
        })
    }
}

/// Reads an optional flag as [`Flag`] does: `#[serde(default, deserialize_with = "flag")]`.
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Flag::deserialize(d).map(|f| Some(f.0))
}

/// Declares a closed set of values for a query parameter: serde refuses any other, naming the value
/// and every one expected.
macro_rules! choice {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
        pub(crate) enum $name {
            $(
                $(#[$vm])*
                #[serde(rename = $text)]
                $variant,
            )+
        }

        impl $name {
            /// The value as written in a query.
            #[allow(dead_code)]
            pub(crate) fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
        }
    };
}

choice!(
    /// The analysis's renderings: the CLI's three.
    AnalysisFormat {
        /// The `truce.analysis/1` document.
        #[default]
        Json = "json",
        /// Markdown.
        Md = "md",
        /// The terminal's text.
        Text = "text",
    }
);

choice!(
    /// A report as data or as its chart.
    PlotFormat {
        /// The JSON document.
        #[default]
        Json = "json",
        /// The SVG chart.
        Svg = "svg",
    }
);

choice!(
    /// A rehearsal job: its document, a run's plot, or where it stands.
    JobFormat {
        /// The job with its `truce.simulation/1` document.
        #[default]
        Json = "json",
        /// A run's offer-trace plot.
        Svg = "svg",
        /// Where the job stands, without its document.
        Status = "status",
    }
);

choice!(
    /// The daily report's renderings.
    ReportFormat {
        /// Markdown.
        #[default]
        Md = "md",
        /// A standalone HTML page.
        Html = "html",
    }
);

choice!(
    /// The exports.
    ExportFormat {
        /// GeoJSON.
        #[default]
        Geojson = "geojson",
        /// CSV, one observation a row.
        Csv = "csv",
        /// ACLED's columns.
        Acled = "acled",
    }
);

choice!(
    /// A timeline's step.
    Step {
        /// A month.
        #[default]
        Month = "month",
        /// A quarter.
        Quarter = "quarter",
    }
);

choice!(
    /// A reading of the stances.
    ReadingAsk {
        /// Only red lines are hard.
        #[default]
        RedLines = "red_lines",
        /// Red lines and current demands are hard.
        Strict = "strict",
        /// Red lines and unknown stances are hard.
        Pessimistic = "pessimistic",
    }
);

impl From<ReadingAsk> for truce_table::Reading {
    fn from(r: ReadingAsk) -> truce_table::Reading {
        match r {
            ReadingAsk::RedLines => truce_table::Reading::RedLines,
            ReadingAsk::Strict => truce_table::Reading::Strict,
            ReadingAsk::Pessimistic => truce_table::Reading::Pessimistic,
        }
    }
}

/// `true` or `false` (the pages' forms send `true`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Flag, D::Error> {
        let s = String::deserialize(d)?;
        match s.as_str() {
            "true" => Ok(Flag(true)),
            "false" | "" => Ok(Flag(false)),
            _ => Err(serde::de::Error::custom("expected true or false")),
        }
    }
}

impl JsonSchema for Flag {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Flag".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "boolean"})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Q {
        date: Option<Day>,
        draws: Option<u32>,
        relax: Option<List>,
        #[serde(default)]
        confidential: Flag,
    }

    #[test]
    fn a_bad_value_names_its_parameter_the_value_and_what_was_expected() {
        let e = parse_query::<Q>("date=garbage").unwrap_err().message();
        assert!(e.contains("date") && e.contains("garbage") && e.contains("YYYY-MM-DD"), "{e}");
        let e = parse_query::<Q>("date=2015-02-30").unwrap_err().message();
        assert!(e.contains("2015-02-30") && e.contains("not a day"), "{e}");
        let e = parse_query::<Q>("draws=many").unwrap_err().message();
        assert!(e.contains("draws") && e.contains("many"), "{e}");
        let e = parse_query::<Q>("confidential=maybe").unwrap_err().message();
        assert!(e.contains("confidential") && e.contains("maybe"), "{e}");
    }

    #[test]
    fn repeated_keys_and_commas_make_one_list() {
        let q: Q = parse_query("relax=a&relax=b,c&date=2025-03-20&confidential=true").unwrap();
        assert_eq!(q.relax.unwrap().0, ["a", "b", "c"]);
        assert_eq!(q.date.unwrap().text(), "2025-03-20");
        assert!(q.confidential.0);
        let q: Q = parse_query("").unwrap();
        assert!(q.date.is_none() && q.draws.is_none() && !q.confidential.0);
    }
}
