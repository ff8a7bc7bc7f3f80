//! The operation machinery every kind of extension shares: an [`Operation`] is one Graph call
//! as a value (it builds its request, reads its response into a typed output or a typed
//! [`Error`], and says how it may be repeated); [`Execute`] runs operations (such as
//! `extensions_client::GraphClient`, with its token, retries and timeouts); [`read`] turns
//! Graph's answers (errors, pages) into values; [`paging`] follows `@odata.nextLink` with one
//! guard. No I/O happens here.
//!
//! Each kind's calls live in its own room: [`crate::open::op`] for open extensions,
//! [`crate::schema::op`] for schema extensions.

pub mod paging;
pub(crate) mod patch;
pub mod read;

use std::borrow::Cow;
use std::future::Future;

use bytes::Bytes;
use http::{Method, header};

use crate::error::Error;

pub use read::{Page, Response};

/// A request as an operation builds it: the URI is relative to the API version root
/// (`/users/…`), except for a next page, which follows an absolute `@odata.nextLink`.
pub type Request = http::Request<Bytes>;

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
    eventual: bool,
}

impl Prepared {
    fn new(method: Method, uri: &str, body: Option<Bytes>) -> Result<Self, Error> {
        let uri = http::Uri::try_from(uri).map_err(|e| Error::InvalidUri {
            uri: uri.to_owned(),
            reason: e.to_string(),
        })?;
        Ok(Self {
            method,
            uri,
            body,
            eventual: false,
        })
    }

    /// Sends `ConsistencyLevel: eventual`, which Graph requires of an advanced query
    /// ([Advanced query capabilities on Microsoft Entra ID objects](https://learn.microsoft.com/en-us/graph/aad-advanced-queries)).
    pub(crate) fn eventual(mut self) -> Self {
        self.eventual = true;
        self
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
        if self.eventual {
            headers.insert(
                header::HeaderName::from_static("consistencylevel"),
                header::HeaderValue::from_static("eventual"),
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
}
