//! The Table's results for people and machines: the analysis, timeline and robustness reports as
//! serialisable types with a JSON Schema ([`report`]), their text and Markdown forms ([`render`]), and
//! SVG charts ([`svg`]). Shared by the CLI and the server, so both say the same thing. No I/O.

pub mod extraction;
pub mod render;
pub mod report;
pub mod simulation;
pub mod svg;
