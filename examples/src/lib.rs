//! Example applications for the open-extension crates.
//!
//! The examples live under `examples/examples/`; none exists yet (the quickstart comes with the
//! client crate).
