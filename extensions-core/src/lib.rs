//! The rules and the protocol of Microsoft Graph **open extensions**, with no I/O.
//!
//! This crate knows everything about open extensions that does not need a network:
//!
//! - [`name`]: extension names and their rules ([`ExtensionName`], a `const` check);
//! - [`resource`]: the twelve resource kinds, their paths, classes and limits ([`Resource`]);
//! - [`value`]: which Rust types may be a property ([`PropertyValue`], [`FromPropertyValue`]),
//!   and untyped values ([`Value`], [`Properties`]);
//! - [`extension`]: the [`OpenExtension`] trait, the body encoding and its exact size
//!   ([`extension_size`]);
//! - [`request`], [`response`], [`batch`]: building each request and reading each answer;
//! - [`ops`]: the typed helpers `get`, `create`, `patch`, `update`, `delete`, generic over a
//!   [`Transport`](ops::Transport);
//! - [`Error`]: one error type to match on.
//!
//! Every rule lives here once; the derive macro, the client and the emulator call it.
//!
//! ```
//! use extensions_core::{request, ExtensionName, Resource};
//!
//! let name = ExtensionName::new("com.contoso.Referral")?;
//! let req = request::get(&Resource::me().message("AAMk=="), &name)?;
//! assert_eq!(req.url, "/me/messages/AAMk%3D%3D/extensions/com.contoso.Referral");
//! # Ok::<(), extensions_core::Error>(())
//! ```
//!
//! # Features
//!
//! - `time`: `time::OffsetDateTime` properties (RFC 3339, UTC);
//! - `chrono`: `chrono::DateTime<Utc>` properties (RFC 3339, UTC);
//! - `uuid`: `uuid::Uuid` properties.

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod batch;
mod error;
pub mod extension;
pub mod json;
pub mod limits;
pub use extensions_rules::name;
pub mod ops;
pub mod request;
pub mod resource;
pub mod response;
pub mod value;
mod value_ext;

pub use error::Error;
pub use extension::{OpenExtension, PropertyWriter, extension_size};
pub use name::{ExtensionName, NameError, NamePolicy};
pub use resource::{
    GroupResource, ItemCollection, Resource, ResourceClass, ResourceKind, TodoListResource,
    UserResource,
};
pub use response::{ExtensionObject, GraphError, GraphErrorKind, Response};
pub use value::{FromPropertyValue, Properties, PropertyValue, Value};

/// The README's code blocks compile as doctests, so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
