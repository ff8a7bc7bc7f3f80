//! Each Graph call as a value: an [`Operation`] builds its request, reads its response into a
//! typed output or a typed [`Error`], and says how it may be repeated. No I/O happens here: an
//! [`Execute`] implementation (such as `extensions_client::GraphClient`) sends the request, with
//! its token, retries and timeouts, and hands the response back to the operation.
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

use std::borrow::Cow;
use std::future::Future;

use bytes::Bytes;
use http::{Method, header};

use crate::error::Error;

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
pub use crate::response::{Expanded, ExtensionObject, Page};

/// A request as an operation builds it: the URI is relative to the API version root
/// (`/users/…`), except for [`NextPage`], which follows an absolute `@odata.nextLink`.
pub type Request = http::Request<Bytes>;

pub use crate::response::Response;

/// How an operation may be repeated when its first attempt has no clear outcome.
///
/// A `429` or a `503` means Graph did not process the request, so every class may be sent again
/// after the wait Graph asks for. The classes differ when the request *may* have been applied
/// (a `500`, `502` or `504`, or a connection lost after the request was sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Repeat {
    /// Repeating has the effect of sending once: reads, deletes, and patches (which always send
    /// the full property set).
    Safe,
    /// A create: repeating could fail with "already exists" or create twice, so the executor
    /// first asks [`Operation::read_back`] whether it was applied, and repeats only if not.
    ReadBack,
    /// Never repeated once it may have been applied (creating a new message or post, whose
    /// outcome cannot be looked up).
    Once,
}

/// What reading back an attempt with an unknown outcome showed ([`Operation::confirm`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum Confirmation<T> {
    /// The attempt was applied exactly as sent: this is the call's output.
    Applied(T),
    /// Nothing is there: the attempt was not applied, and sending it again is safe.
    Absent,
    /// Something is there, but not what was sent (another writer's data, or data that was there
    /// before): sending again would fail ("already exists") or merge over it, so the call ends
    /// with this error, which carries what is stored.
    Different(Error),
}

/// One Graph call: its request, the reader of its response, and its repeat class.
pub trait Operation {
    /// What a successful call gives.
    type Output;

    /// The request to send. An input refused when the operation was built (an invalid id, a
    /// value over the size limit) is returned here, before anything is sent.
    fn request(&self) -> Result<Request, Error>;

    /// Reads the response (any status) into the output or a typed error.
    fn read(&self, response: Response) -> Result<Self::Output, Error>;

    /// How the call may be repeated.
    fn repeat(&self) -> Repeat;

    /// The route for logs and metrics, with ids left out: `/users/{id}/extensions/{name}`.
    fn route(&self) -> Cow<'static, str>;

    /// How many requests this call counts as against Graph's throttling budget: one, or each
    /// item of a `$batch` envelope ([Graph evaluates every item of a batch against the
    /// limits](https://learn.microsoft.com/en-us/graph/throttling#throttling-and-batching)).
    /// A client pacing itself to the budget uses it.
    fn cost(&self) -> u32 {
        1
    }

    /// For [`Repeat::ReadBack`]: a request that shows whether an attempt with an unknown outcome
    /// was applied.
    fn read_back(&self) -> Option<Request> {
        None
    }

    /// Reads the answer to [`read_back`](Self::read_back): [`Confirmation::Applied`] if the
    /// attempt was applied exactly as sent, [`Confirmation::Absent`] if nothing is there (then it
    /// may be sent again), [`Confirmation::Different`] if something else is there (then it must
    /// not be sent again: the call ends with that error). An `Err` means the read-back itself
    /// failed, and nothing is known.
    fn confirm(&self, response: Response) -> Result<Confirmation<Self::Output>, Error> {
        let _ = response;
        Ok(Confirmation::Absent)
    }
}

impl<O: Operation + ?Sized> Operation for &O {
    type Output = O::Output;
    fn request(&self) -> Result<Request, Error> {
        (**self).request()
    }
    fn read(&self, response: Response) -> Result<Self::Output, Error> {
        (**self).read(response)
    }
    fn repeat(&self) -> Repeat {
        (**self).repeat()
    }
    fn route(&self) -> Cow<'static, str> {
        (**self).route()
    }
    fn cost(&self) -> u32 {
        (**self).cost()
    }
    fn read_back(&self) -> Option<Request> {
        (**self).read_back()
    }
    fn confirm(&self, response: Response) -> Result<Confirmation<Self::Output>, Error> {
        (**self).confirm(response)
    }
}

/// Runs operations: sends each request (adding credentials), repeats it as its
/// [`Repeat`] class allows, and returns what the operation read. `extensions_client::GraphClient`
/// is the HTTP implementation; a test can implement it in memory. It is `Sync`, so the futures
/// of the typed calls are `Send`.
pub trait Execute: Sync {
    /// Runs `op` to its output or error.
    fn execute<O>(&self, op: &O) -> impl Future<Output = Result<O::Output, Error>> + Send
    where
        O: Operation + Sync + ?Sized,
        O::Output: Send;
}

impl<E: Execute + ?Sized> Execute for &E {
    fn execute<O>(&self, op: &O) -> impl Future<Output = Result<O::Output, Error>> + Send
    where
        O: Operation + Sync + ?Sized,
        O::Output: Send,
    {
        (**self).execute(op)
    }
}

// ---- shared by the operations ----

/// A request with a relative or absolute URI, no body.
pub(crate) fn empty(method: Method, uri: &str) -> Result<Prepared, Error> {
    Prepared::new(method, uri, None)
}

/// A request with a JSON body.
pub(crate) fn json(method: Method, uri: &str, body: Bytes) -> Result<Prepared, Error> {
    Prepared::new(method, uri, Some(body))
}

/// Room for the headers a transport adds to an operation's own (`Accept`,
/// `client-request-id`, `Authorization`, and one spare), so adding them does not grow the map.
const TRANSPORT_HEADERS: usize = 4;

/// What an operation sends, checked and encoded once: the method, the parsed URI and the body
/// (JSON when there is one). Each attempt gets its own [`Request`] from it, sharing the URI's and
/// the body's bytes (no copy, no parse, no encoding again).
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    method: Method,
    uri: http::Uri,
    body: Option<Bytes>,
}

impl Prepared {
    fn new(method: Method, uri: &str, body: Option<Bytes>) -> Result<Self, Error> {
        let uri = http::Uri::try_from(uri).map_err(|e| Error::InvalidUri {
            uri: uri.to_owned(),
            reason: e.to_string(),
        })?;
        Ok(Self { method, uri, body })
    }

    /// The request, with a header map that has room for the transport's headers.
    pub(crate) fn request(&self) -> Request {
        let mut r = http::Request::new(self.body.clone().unwrap_or_default());
        *r.method_mut() = self.method.clone();
        *r.uri_mut() = self.uri.clone();
        let mut headers = header::HeaderMap::with_capacity(1 + TRANSPORT_HEADERS);
        if self.body.is_some() {
            headers.insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/json"),
            );
        }
        *r.headers_mut() = headers;
        r
    }
}

/// The stored outcome of building an operation: what it sends, or why it was refused.
#[derive(Debug, Clone)]
pub(crate) struct Built(Result<Prepared, Error>);

impl Built {
    pub(crate) fn new(r: Result<Prepared, Error>) -> Self {
        Self(r)
    }

    /// A request to send (the URI and body shared, not copied), or the refusal.
    pub(crate) fn get(&self) -> Result<Request, Error> {
        match &self.0 {
            Ok(p) => Ok(p.request()),
            Err(e) => Err(e.clone()),
        }
    }

    /// The body, if the operation sends one.
    pub(crate) fn body(&self) -> Option<&Bytes> {
        self.0.as_ref().ok().and_then(|p| p.body.as_ref())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::extension::{OpenExtension, PropertyWriter, read_property};
    use crate::name::ExtensionName;
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

    /// A response with `status` and `body`.
    pub(crate) fn answer(status: u16, body: &str) -> Response {
        http::Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Bytes::copy_from_slice(body.as_bytes()))
            .unwrap()
    }

    /// A Graph error answer with ids in `innerError`.
    pub(crate) fn graph_error(status: u16, code: &str, message: &str) -> Response {
        answer(
            status,
            &format!(
                r#"{{"error":{{"code":"{code}","message":"{message}","innerError":{{"date":"2026-11-23T12:00:00","request-id":"rid-1","client-request-id":"cid-1"}}}}}}"#
            ),
        )
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
