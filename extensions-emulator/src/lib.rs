//! A local HTTP server that behaves like Microsoft Graph for open extensions.
//!
//! Not implemented yet: this crate is a placeholder in the workspace. It depends on
//! [`extensions_core`] so that it reuses the core's rule functions once it lands.

pub use extensions_core as core;
