//! The HTTP transport for [`extensions_core`] over reqwest.
//!
//! Not implemented yet: this crate is a placeholder in the workspace. It re-exports the core crate
//! so that code written against `extensions_client::core` keeps compiling once the client lands.

pub use extensions_core as core;
