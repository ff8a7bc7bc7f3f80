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
//! - [`op`]: each Graph call as a value (an [`Operation`](op::Operation)) that builds its
//!   request, reads its response and says how it may be repeated, and the
//!   [`Execute`](op::Execute) trait that runs them; [`batch`]: `$batch` envelopes;
//! - [`OpenExtensionExt`]: the typed calls `get`, `create`, `patch`, `update`, `delete`,
//!   `create_with_item` and `expand`, in scope through the [`prelude`];
//! - [`Error`]: one error type to match on.
//!
//! Every rule lives here once; the derive macro, the client and the emulator call it.
//! [`graph_behaviour`] lists Graph's rules with their public sources and where each is enforced.
//!
//! ```
//! use extensions_core::op::{Get, Operation};
//! use extensions_core::prelude::*;
//!
//! #[derive(OpenExtension)]
//! #[extension(name = "com.contoso.Referral")]
//! struct Referral { company_name: String }
//!
//! let get = Get::<Referral>::new(Resource::me().message("AAMk=="));
//! let req = get.request()?;
//! assert_eq!(req.uri(), "/me/messages/AAMk%3D%3D/extensions/com.contoso.Referral");
//! # Ok::<(), extensions_core::Error>(())
//! ```
//!
//! # Features
//!
//! - `derive` (default): `#[derive(OpenExtension)]`;
//! - `time`: `time::OffsetDateTime` properties (RFC 3339, UTC);
//! - `chrono`: `chrono::DateTime<Utc>` properties (RFC 3339, UTC);
//! - `uuid`: `uuid::Uuid` properties.

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod batch;
mod calls;
mod decode;
mod error;
pub mod extension;
mod graph_error;
mod json;
mod kind;
pub mod limits;
pub use extensions_rules::name;
pub mod op;
pub mod paging;
pub mod redact;
pub mod resource;
pub mod response;
pub mod schema;
pub mod value;

/// Microsoft Graph's behaviour for open extensions: each rule this library relies on, its public
/// source, and where the library enforces or follows it. A page of documentation, no items.
#[doc = include_str!("../docs/graph-behaviour.md")]
pub mod graph_behaviour {}

pub use calls::{OpenExtensionExt, WithExtension};
pub use error::Error;
pub use extension::{OpenExtension, PropertyWriter, extension_size};
#[cfg(feature = "derive")]
#[doc(inline)]
pub use extensions_derive::OpenExtension;
#[cfg(feature = "derive")]
#[doc(inline)]
pub use extensions_derive::SchemaExtension;
pub use name::{ExtensionName, NameError, NamePolicy};
pub use resource::{
    GroupResource, ItemCollection, Resource, ResourceClass, ResourceKind, TodoListResource,
    UserResource,
};
pub use response::{ExtensionObject, GraphError, GraphErrorKind};
pub use value::{FromPropertyValue, MAX_SAFE_INTEGER, Properties, PropertyValue, Value};

/// What an application needs in scope: the derive and the trait it implements, the typed calls
/// ([`OpenExtensionExt`]), [`Resource`], [`Execute`](crate::op::Execute) and [`Error`].
///
/// ```
/// use extensions_core::prelude::*;
/// ```
pub mod prelude {
    pub use crate::calls::OpenExtensionExt;
    pub use crate::error::Error;
    pub use crate::extension::OpenExtension;
    pub use crate::op::Execute;
    pub use crate::resource::Resource;
    pub use crate::response::GraphErrorKind;
    pub use crate::schema::{SchemaExtension, SchemaExtensionExt};
    pub use crate::value::Properties;
    /// `#[derive(OpenExtension)]`.
    #[cfg(feature = "derive")]
    pub use extensions_derive::OpenExtension;
    /// `#[derive(SchemaExtension)]`.
    #[cfg(feature = "derive")]
    pub use extensions_derive::SchemaExtension;
}

/// Used by the code the derives generate. Not a public API.
#[doc(hidden)]
pub mod __private;

/// This crate's README (also in the published package) compiles as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
