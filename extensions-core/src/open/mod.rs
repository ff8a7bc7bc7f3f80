//! Open extensions: a named bag of untyped properties that an app stores on a resource (a user,
//! a group, a device, a message, an event, a to-do task and a few more), up to 2 KB on directory
//! objects
//! ([overview](https://learn.microsoft.com/en-us/graph/extensibility-open-users)).
//!
//! This room holds the whole story of the kind:
//!
//! - [`extension`]: the [`OpenExtension`] trait a `#[derive(OpenExtension)]` struct implements,
//!   the body encoding and its exact size ([`extension_size`]);
//! - `decode`: the typed reader of a stored extension (errors naming the property);
//! - [`object`]: a stored extension as Graph answers it ([`ExtensionObject`]) and a resource
//!   read with its extensions ([`Expanded`]);
//! - [`op`]: each open-extension call as an [`Operation`](crate::operation::Operation);
//! - [`OpenExtensionExt`]: the typed calls (`get`, `create`, `patch`, `update`, `delete`,
//!   `create_with_item`, `expand`), in scope through the [prelude](crate::prelude).
//!
//! It builds on the shared layer only ([`crate::operation`], [`crate::resource`],
//! [`crate::value`], [`crate::Error`], …), never on another kind's room.

mod calls;
pub(crate) mod decode;
pub mod extension;
pub mod object;
pub mod op;

pub use calls::{OpenExtensionExt, WithExtension};
pub use extension::{OpenExtension, PropertyWriter, extension_size};
pub use object::{Expanded, ExtensionObject};
