//! The demo mission generator.
