//! Answers: the bodies the API sends, each declaring in the OpenAPI document what it is. JSON documents
//! go out as [`axum::Json`] of a typed document (its schema from schemars); [`Created`] is the same with
//! 201; [`Out`] is a body in one of the media types its marker declares (TOML, Markdown, CSV, SVG,
//! server-sent events, a file), with the schema of each.

use std::marker::PhantomData;

use aide::generate::GenContext;
use aide::openapi::{
    MediaType, Operation, Response as OaResponse, SchemaObject, StatusCode as OaStatus,
};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Serialize;

use crate::AppError;

/// 201 Created, with a JSON document.
pub(crate) struct Created<T>(pub T);

impl<T: Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        (StatusCode::CREATED, axum::Json(self.0)).into_response()
    }
}

pub(crate) fn json_content<T: JsonSchema>(ctx: &mut GenContext, kind: &str) -> (String, MediaType) {
    let json_schema = ctx.schema.subschema_for::<T>();
    (
        kind.to_string(),
        MediaType {
            schema: Some(SchemaObject { json_schema, example: None, external_docs: None }),
            ..Default::default()
        },
    )
}

pub(crate) fn text_content(kind: &str, binary: bool) -> (String, MediaType) {
    let json_schema = if binary {
        schemars::json_schema!({"type": "string", "contentMediaType": "application/octet-stream"})
    } else {
        schemars::json_schema!({"type": "string"})
    };
    (
        kind.to_string(),
        MediaType {
            schema: Some(SchemaObject { json_schema, example: None, external_docs: None }),
            ..Default::default()
        },
    )
}

impl<T: JsonSchema> aide::operation::OperationOutput for Created<T> {
    type Inner = T;

    fn operation_response(ctx: &mut GenContext, _: &mut Operation) -> Option<OaResponse> {
        Some(OaResponse {
            description: "Created".into(),
            content: IndexMap::from_iter([json_content::<T>(ctx, "application/json")]),
            ..Default::default()
        })
    }

    fn inferred_responses(
        ctx: &mut GenContext,
        operation: &mut Operation,
    ) -> Vec<(Option<OaStatus>, OaResponse)> {
        Self::operation_response(ctx, operation)
            .map(|r| vec![(Some(OaStatus::Code(201)), r)])
            .unwrap_or_default()
    }
}

/// What a body in several media types declares: each media type with its schema.
pub(crate) trait Media {
    /// What the response is.
    const DESCRIPTION: &'static str;
    /// The status of a successful answer.
    const STATUS: u16 = 200;
    /// Each media type the answer may have, with its schema.
    fn content(ctx: &mut GenContext) -> IndexMap<String, MediaType>;
}

/// Declares a [`Media`] marker: `media!(Name, "description", status; "type" => json Type | text | binary, …)`.
macro_rules! media {
    (@one $ctx:ident, $kind:literal, json $t:ty) => { $crate::api::answer::json_content::<$t>($ctx, $kind) };
    (@one $ctx:ident, $kind:literal, text) => { $crate::api::answer::text_content($kind, false) };
    (@one $ctx:ident, $kind:literal, binary) => { $crate::api::answer::text_content($kind, true) };
    ($(#[$m:meta])* $name:ident, $desc:literal, $status:literal; $($kind:literal => $how:ident $($t:ty)?),+ $(,)?) => {
        $(#[$m])*
        pub(crate) struct $name;
        impl $crate::api::answer::Media for $name {
            const DESCRIPTION: &'static str = $desc;
            const STATUS: u16 = $status;
            #[allow(unused_variables)]
            fn content(
                ctx: &mut aide::generate::GenContext,
            ) -> indexmap::IndexMap<String, aide::openapi::MediaType> {
                indexmap::IndexMap::from_iter([$($crate::api::answer::media!(@one ctx, $kind, $how $($t)?)),+])
            }
        }
    };
}

/// A body whose media type is one of `M`'s, with the headers given.
pub(crate) struct Out<M> {
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: axum::body::Body,
    _m: PhantomData<M>,
}

impl<M: Media> Out<M> {
    /// `body`, sent as `kind` (a full Content-Type value, one of `M`'s media types).
    pub(crate) fn new(kind: &'static str, body: impl Into<axum::body::Body>) -> Out<M> {
        Out {
            status: StatusCode::from_u16(M::STATUS).unwrap_or(StatusCode::OK),
            headers: vec![(header::CONTENT_TYPE, HeaderValue::from_static(kind))],
            body: body.into(),
            _m: PhantomData,
        }
    }

    /// The same, with one more header.
    pub(crate) fn header(mut self, name: HeaderName, value: &'static str) -> Out<M> {
        self.headers.push((name, HeaderValue::from_static(value)));
        self
    }
}

impl<M> IntoResponse for Out<M> {
    fn into_response(self) -> Response {
        let mut r = (self.status, self.body).into_response();
        for (k, v) in self.headers {
            r.headers_mut().insert(k, v);
        }
        r
    }
}

impl<M: Media> aide::operation::OperationOutput for Out<M> {
    type Inner = ();

    fn operation_response(ctx: &mut GenContext, _: &mut Operation) -> Option<OaResponse> {
        Some(OaResponse {
            description: M::DESCRIPTION.into(),
            content: M::content(ctx),
            ..Default::default()
        })
    }

    fn inferred_responses(
        ctx: &mut GenContext,
        operation: &mut Operation,
    ) -> Vec<(Option<OaStatus>, OaResponse)> {
        Self::operation_response(ctx, operation)
            .map(|r| vec![(Some(OaStatus::Code(M::STATUS)), r)])
            .unwrap_or_default()
    }
}

/// A response built elsewhere (a stream, a file with its own headers), declared as `M`'s media types.
pub(crate) struct Declared<M>(pub Response, pub PhantomData<M>);

impl<M> Declared<M> {
    /// `response`, declared as `M`.
    pub(crate) fn new(response: impl IntoResponse) -> Declared<M> {
        Declared(response.into_response(), PhantomData)
    }
}

impl<M> IntoResponse for Declared<M> {
    fn into_response(self) -> Response {
        self.0
    }
}

impl<M: Media> aide::operation::OperationOutput for Declared<M> {
    type Inner = ();

    fn operation_response(ctx: &mut GenContext, op: &mut Operation) -> Option<OaResponse> {
        Out::<M>::operation_response(ctx, op)
    }

    fn inferred_responses(
        ctx: &mut GenContext,
        operation: &mut Operation,
    ) -> Vec<(Option<OaStatus>, OaResponse)> {
        Out::<M>::inferred_responses(ctx, operation)
    }
}

/// The body of every refusal: `error`, and for invalid input each `diagnostics` line.
#[derive(Serialize, serde::Deserialize, JsonSchema)]
pub struct ErrorDoc {
    /// What went wrong, in words.
    pub error: String,
    /// For 422: each problem, naming the field or parameter and what was expected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<Vec<String>>,
}

impl aide::operation::OperationOutput for AppError {
    type Inner = ErrorDoc;

    fn inferred_responses(
        ctx: &mut GenContext,
        _: &mut Operation,
    ) -> Vec<(Option<OaStatus>, OaResponse)> {
        [
            (401, "No valid token"),
            (403, "The caller's role or party may not"),
            (404, "Not found"),
            (409, "Conflicts with what is stored (a replay, a name taken)"),
            (413, "The body is over the limit"),
            (422, "Invalid input: each diagnostic names the field and what was expected"),
            (503, "Busy or stopped after a storage fault: retry after Retry-After seconds"),
        ]
        .into_iter()
        .map(|(code, description)| {
            (
                Some(OaStatus::Code(code)),
                OaResponse {
                    description: description.into(),
                    content: IndexMap::from_iter([json_content::<ErrorDoc>(
                        ctx,
                        "application/json",
                    )]),
                    ..Default::default()
                },
            )
        })
        .collect()
    }
}

media!(
    /// A TOML document.
    Toml, "A TOML document", 200; "application/toml; charset=utf-8" => text
);
media!(
    /// Plain text.
    Plain, "Plain text", 200; "text/plain; charset=utf-8" => text
);
media!(
    /// Server-sent events.
    EventStream, "A stream of server-sent events", 200; "text/event-stream" => text
);
media!(
    /// A stored file.
    File, "The file, as an attachment", 200; "application/octet-stream" => binary
);
media!(
    /// GeoJSON.
    GeoJson, "A GeoJSON FeatureCollection", 200; "application/geo+json" => json crate::api::docs::FeatureCollection
);

pub(crate) use media;
