//! The rules and the protocol of Microsoft Graph's custom data on resources, with no I/O: **open
//! extensions**, **schema extensions**, **directory extensions** and **extension attributes**,
//! each in a room of its own over one shared layer.
//!
//! The shared layer, which every kind uses:
//!
//! - [`name`], [`resource`], [`value`], [`limits`]: extension names, the twelve resource kinds
//!   and their paths ([`Resource`]), property values ([`Value`], [`Properties`]), Graph's limits;
//! - [`operation`]: each Graph call as a value (an [`Operation`](operation::Operation)) that
//!   builds its request, reads its response and says how it may be repeated, the
//!   [`Execute`](operation::Execute) trait that runs them, the readers of Graph's errors and pages
//!   ([`operation::read`]) and the paging guard ([`paging`]); [`batch`]: `$batch` envelopes;
//! - [`Error`] (one error type to match on), [`GraphError`], [`redact`].
//!
//! The kinds, each importing only the shared layer:
//!
//! - [`open`]: open extensions: the [`OpenExtension`] trait, its encoding and exact size
//!   ([`extension_size`]), the stored object ([`ExtensionObject`]), its calls ([`open::op`]) and
//!   the typed calls [`OpenExtensionExt`] (`get`, `create`, `patch`, `update`, `delete`,
//!   `create_with_item`, `expand`);
//! - [`schema`]: schema extensions: definitions, their lifecycle, typed data
//!   ([`schema::SchemaExtension`]), its calls ([`schema::op`]) and the typed calls
//!   [`schema::SchemaExtensionExt`];
//! - [`directory`]: directory extensions (`extension_{appId}_{name}`): definitions on an owner
//!   app, typed values ([`directory::DirectoryExtension`]), their calls ([`directory::op`]),
//!   the typed filter, and the typed calls [`directory::DirectoryExtensionExt`];
//! - [`attributes`]: the fifteen extension attributes of users and devices
//!   ([`attributes::Attributes`], [`attributes::ExtensionAttributes`]) and their calls.
//!
//! [`op`], [`response`] and [`extension`] gather the open-extension calls and readers with the
//! shared machinery under one path each (the paths the client, the command line and earlier
//! versions use); they only re-export, and no module of the crate imports them. Every rule lives here once; the
//! derive macros, the client and the emulator call it. [`graph_behaviour`] lists Graph's rules
//! with their public sources and where each is enforced.
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
//! - `derive` (default): `#[derive(OpenExtension)]`, `#[derive(SchemaExtension)]`,
//!   `#[derive(DirectoryExtension)]` and `#[derive(ExtensionAttributes)]`;
//! - `time`: `time::OffsetDateTime` properties (RFC 3339, UTC);
//! - `chrono`: `chrono::DateTime<Utc>` properties (RFC 3339, UTC);
//! - `uuid`: `uuid::Uuid` properties.

#![cfg_attr(docsrs, feature(doc_cfg))]

// The shared layer.
pub mod batch;
mod compare;
mod error;
mod graph_error;
mod json;
mod kind;
pub mod limits;
pub use extensions_rules::name;
pub mod operation;
pub use operation::paging;
pub mod redact;
pub mod resource;
pub mod value;

// The kinds.
pub mod attributes;
pub mod directory;
pub mod open;
pub mod schema;

// One path each for the open-extension calls and readers with the shared machinery: re-exports
// only, imported by no module of the crate.
pub mod extension;
pub mod op;
pub mod response;

/// Microsoft Graph's behaviour for open, schema and directory extensions and extension attributes:
/// each rule this library relies on, its public
/// source, and where the library enforces or follows it. A page of documentation, no items.
#[doc = include_str!("../docs/graph-behaviour.md")]
pub mod graph_behaviour {}

pub use error::Error;
#[cfg(feature = "derive")]
#[doc(inline)]
pub use extensions_derive::OpenExtension;
#[cfg(feature = "derive")]
#[doc(inline)]
pub use extensions_derive::SchemaExtension;
#[cfg(feature = "derive")]
#[doc(inline)]
pub use extensions_derive::{DirectoryExtension, ExtensionAttributes};
pub use graph_error::{GraphError, GraphErrorKind, parse_retry_after};
pub use name::{ExtensionName, NameError, NamePolicy};
pub use open::{
    ExtensionObject, OpenExtension, OpenExtensionExt, PropertyWriter, WithExtension, extension_size,
};
pub use resource::{
    GroupResource, ItemCollection, Resource, ResourceClass, ResourceKind, TodoListResource,
    UserResource,
};
pub use value::{FromPropertyValue, MAX_SAFE_INTEGER, Properties, PropertyValue, Value};

/// What an application needs in scope: the derive and the trait it implements, the typed calls
/// ([`OpenExtensionExt`]), [`Resource`], [`Execute`](crate::operation::Execute) and [`Error`].
///
/// ```
/// use extensions_core::prelude::*;
/// ```
pub mod prelude {
    pub use crate::attributes::{ExtensionAttributes, ExtensionAttributesExt};
    pub use crate::directory::{DirectoryExtension, DirectoryExtensionExt};
    pub use crate::error::Error;
    pub use crate::graph_error::GraphErrorKind;
    pub use crate::open::{OpenExtension, OpenExtensionExt};
    pub use crate::operation::Execute;
    pub use crate::resource::Resource;
    pub use crate::schema::{SchemaExtension, SchemaExtensionExt};
    pub use crate::value::Properties;
    /// `#[derive(DirectoryExtension)]`.
    #[cfg(feature = "derive")]
    pub use extensions_derive::DirectoryExtension;
    /// `#[derive(ExtensionAttributes)]`.
    #[cfg(feature = "derive")]
    pub use extensions_derive::ExtensionAttributes;
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
