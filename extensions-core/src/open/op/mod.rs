//! The open-extension calls, each a value: an [`Operation`] that builds its request, reads its
//! response into a typed output or a typed [`Error`](crate::Error), and says how it may be
//! repeated. The machinery they share with every kind is in [`crate::operation`]; an
//! [`Execute`] implementation (such as `extensions_client::GraphClient`) sends the requests.
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
//!
//! Every operation checks its input (names, ids, values, size) when it is built, and reports a
//! refusal from [`Operation::request`] before anything is sent.
//!
//! ```
//! use extensions_core::op::{self, Operation};
//! use extensions_core::{OpenExtension, Resource};
//!
//! #[derive(OpenExtension)]
//! #[extension(name = "com.contoso.Settings")]
//! struct Settings { theme: String }
//!
//! let create = op::Create::new(&Resource::me(), &Settings { theme: "dark".into() });
//! let req = create.request()?;
//! assert_eq!(req.method(), "POST");
//! assert_eq!(req.uri(), "/me/extensions");
//! assert_eq!(create.repeat(), op::Repeat::ReadBack);
//!
//! let answer = http::Response::builder()
//!     .status(201)
//!     .body(bytes::Bytes::from_static(br##"{"@odata.type":"#microsoft.graph.openTypeExtension","id":"com.contoso.Settings","extensionName":"com.contoso.Settings","theme":"dark"}"##))
//!     .unwrap();
//! assert_eq!(create.read(answer)?.properties.get("theme"), Some(&"dark".into()));
//! # Ok::<(), extensions_core::Error>(())
//! ```

mod create;
mod create_with_item;
mod delete;
mod expand;
mod get;
mod list;
mod patch;
mod update;
mod users;

pub use create::Create;
pub use create_with_item::CreateWithItem;
pub use delete::Delete;
pub use expand::Expand;
pub use get::{Get, GetUntyped};
pub use list::List;
pub use patch::Patch;
pub use update::{ReadForUpdate, Stored};
pub use users::{ItemsWithExtension, NextPage, OutlookItems, UsersPage};

#[doc(no_inline)]
pub use crate::open::object::{Expanded, ExtensionObject};
#[doc(no_inline)]
pub use crate::operation::{Confirmation, Execute, Operation, Page, Repeat, Request, Response};

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::error::Error;
    use crate::name::ExtensionName;
    use crate::open::extension::{OpenExtension, PropertyWriter, read_property};
    use crate::value::Properties;

    /// The documentation's `Com.Contoso.HR` extension, written by hand.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct Hr {
        pub(crate) company_name: String,
        pub(crate) top_picks: Vec<String>,
    }

    impl OpenExtension for Hr {
        const NAME: ExtensionName = ExtensionName::from_static("Com.Contoso.HR");
        fn write_properties(&self, w: &mut PropertyWriter<'_>) -> Result<(), Error> {
            w.property("companyName", &self.company_name)?;
            w.property("topPicks", &self.top_picks)
        }
        fn from_properties(p: &Properties) -> Result<Self, Error> {
            Ok(Hr {
                company_name: read_property(p, "companyName")?,
                top_picks: read_property(p, "topPicks")?,
            })
        }
    }

    pub(crate) fn hr() -> Hr {
        Hr {
            company_name: "Contoso".into(),
            top_picks: vec!["Employees only".into(), "Add family".into()],
        }
    }

    #[test]
    fn a_request_copy_shares_its_body() {
        let op = Create::new(crate::Resource::device("d"), &hr());
        let a = op.request().unwrap();
        let b = op.request().unwrap();
        assert_eq!(
            a.body().as_ptr(),
            b.body().as_ptr(),
            "no copy of the body per attempt"
        );
        assert_eq!(a.headers(), b.headers());
        assert_eq!(a.uri(), b.uri());
    }
}
