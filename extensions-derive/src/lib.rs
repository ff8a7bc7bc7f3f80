//! `#[derive(OpenExtension)]` for Microsoft Graph open extensions.
//!
//! Not implemented yet: this crate is a placeholder in the workspace until the derive lands. Until
//! then, implement [`OpenExtension`](https://docs.rs/extensions-core) by hand.
