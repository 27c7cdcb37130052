//! Integration tests of the Table: conformance with the reference results of other tools.

// Tests print the figures they measure, as the test runner shows them.
#![allow(clippy::print_stdout)]

mod conformance;
