//! Each directory extension call as an [`Operation`](crate::operation::Operation), run by any
//! [`Execute`](crate::operation::Execute).
//!
//! | operation | request | output |
//! |---|---|---|
//! | [`CreateExtensionProperty`] | `POST {app}/extensionProperties` | the stored [`ExtensionProperty`] |
//! | [`ListExtensionProperties`] | `GET {app}/extensionProperties[?$filter=name eq '…']` | a [`Page`] of definitions |
//! | [`GetExtensionProperty`] | `GET {app}/extensionProperties/{id}` | `Option<ExtensionProperty>` |
//! | [`DeleteExtensionProperty`] | `DELETE {app}/extensionProperties/{id}` | `bool` (was it there) |
//! | [`AvailableExtensionProperties`] | `POST /directoryObjects/getAvailableExtensionProperties` | a [`Page`] of every definition in the tenant |
//! | [`CreateApplication`] | `POST /applications` | the new [`Application`] |
//! | [`CreateServicePrincipal`] | `POST /servicePrincipals` | its object id |
//! | [`WriteValues`] | `PATCH {resource}` `{"extension_…": …}` | `()` |
//! | [`ClearValues`] | `PATCH {resource}` with every field `null` | `()` |
//! | [`ReadValues`] | `GET {resource}?$select=id,extension_…` | `T` |
//! | [`FindByValues`] | `GET /users?$filter=…&$select=id,extension_…` (`$count=true` and `ConsistencyLevel: eventual` when advanced) | a [`Page`] of [`Found`] |
//!
//! `{app}` is [`OwnerApp::path`](super::OwnerApp::path): `/applications/{objectId}` or
//! `/applications(appId='{appId}')`.
//!
//! [`ExtensionProperty`]: super::ExtensionProperty
//! [`Page`]: crate::operation::read::Page

mod data;
mod definitions;

pub use crate::resource::FindIn;
pub use data::{ClearValues, FindByValues, Found, ReadValues, WriteValues};
pub use definitions::{
    Application, AvailableExtensionProperties, CreateApplication, CreateExtensionProperty,
    CreateServicePrincipal, DeleteExtensionProperty, GetExtensionProperty, ListExtensionProperties,
};

use crate::error::Error;
use crate::operation::Response;

/// Any error status as a Graph error (a 400 is `BadRequest` unless the thing is taken);
/// another success as unexpected.
fn not_success(resp: &Response, what: &str) -> Error {
    crate::operation::read::directory_not_success(resp, what)
}
