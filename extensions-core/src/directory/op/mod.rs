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
use crate::graph_error::GraphErrorKind;
use crate::operation::Response;
use crate::operation::read::read_error;

/// A Graph error from a directory extension call. Graph answers refusals of directory data and
/// definitions with 400 `Request_BadRequest`, the code the open-extension table reserves for
/// "already exists"; here a 400 is a plain [`GraphErrorKind::BadRequest`] unless the message
/// says the name is taken.
fn directory_error(resp: &Response) -> Error {
    let mut e = read_error(resp);
    if let Error::Graph(g) = &mut e
        && g.kind == GraphErrorKind::AlreadyExists
        && !g.message.contains("already exists")
    {
        g.kind = GraphErrorKind::BadRequest;
    }
    e
}

/// Any error status as a Graph error; another success as unexpected.
fn not_success(resp: &Response, what: &str) -> Error {
    if resp.status().is_success() {
        crate::operation::read::unexpected(resp.status(), what)
    } else {
        directory_error(resp)
    }
}
