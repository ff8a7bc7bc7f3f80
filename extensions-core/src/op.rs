//! Every Graph call as a value: the shared machinery ([`Operation`], [`Execute`], [`Repeat`],
//! [`Confirmation`], [`Page`], from [`crate::operation`]) and the open-extension calls (from
//! [`crate::open::op`]), in one place. Schema extension calls are in [`crate::schema::op`].
//!
//! | operation | request | output |
//! |---|---|---|
//! | [`Get`] | `GET {resource}/extensions/{name}` | `Option<T>` |
//! | [`GetUntyped`] | the same | `Option<ExtensionObject>` |
//! | [`ReadForUpdate`] | the same, keeping undeclared properties | `Option<Stored<T>>` |
//! | [`Create`] | `POST {resource}/extensions` | the stored [`ExtensionObject`] |
//! | [`CreateWithItem`] | `POST` a new message, event, contact, to-do list or task, post reply or conversation carrying the extension | `Option<Expanded>` |
//! | [`Patch`] | `PATCH {resource}/extensions/{name}` with every property | `Option<ExtensionObject>` |
//! | [`Delete`] | `DELETE {resource}/extensions/{name}` | `bool` (was it there) |
//! | [`List`] | `GET {resource}/extensions` | a [`Page`] of extensions |
//! | [`Expand`] | `GET {resource}?$expand=extensions…` | [`Expanded`] |
//! | [`UsersPage`], [`NextPage`] | `GET /users?$expand=extensions`, then each `@odata.nextLink` | a [`Page`] of [`Expanded`] users |

pub use crate::open::op::*;
pub use crate::operation::{Confirmation, Execute, Operation, Page, Repeat, Request, Response};
