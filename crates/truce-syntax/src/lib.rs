//! The syntax every Truce input file shares: scenarios (`truce-scenario`), agreements
//! (`truce-accord`) and the Watch's observation files (`truce-watch`).
//!
//! - [`walk`]: a walker over spanned TOML (`toml::de::DeTable`) that reports every bad field, not just
//!   the first, with its path (`positions[12].stance`);
//! - [`Diagnostic`]: file, 1-based line and column (in characters), byte span, field, message and what
//!   was expected; [`LineIndex`] turns byte offsets into lines and columns; [`utf8`] names the line of
//!   the first byte that is not UTF-8;
//! - [`quote`]: a TOML basic string;
//! - [`escape_xml`]: text for HTML or SVG (an element's text or a quoted attribute), the one escape
//!   every hand-written SVG of the core crates uses (`truce-report`'s charts and plots, `truce-watch`'s
//!   daily chart and map); HTML pages are maud templates, which escape for themselves.
//!
//! ```
//! assert_eq!(truce_syntax::escape_xml(r#"<b title="x">&"#), "&lt;b title=&quot;x&quot;&gt;&amp;");
//! ```
//!
//! No I/O: it receives text and returns values.

#![deny(missing_docs)]

mod diagnostic;
pub mod walk;

pub use diagnostic::{Diagnostic, LineIndex, Severity, has_errors, utf8};
/// A calendar date (`YYYY-MM-DD`), as every file writes it.
pub use jiff::civil::Date;

use std::fmt::Write as _;

/// A TOML basic string: `s` quoted and escaped.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` as text for HTML or SVG, inside an element or a double-quoted attribute value: `&`, `<`, `>`
/// and `"` become character references (HTML §13.1.4, XML 1.0 §2.4), everything else stays.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}
