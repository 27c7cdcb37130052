//! Integration tests of the Table: conformance with the reference results of other tools.

mod conformance;
