//! The typed application layer's edges: what a caller asks ([`ask`]), what the API answers
//! ([`answer`], [`docs`]), and the OpenAPI document generated from both ([`openapi`]).

pub(crate) mod answer;
pub(crate) mod ask;
pub(crate) mod docs;
pub(crate) mod handlers;
pub(crate) mod negotiation;
pub(crate) mod openapi;
pub(crate) mod sources;
