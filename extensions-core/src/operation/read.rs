//! What every kind's operations read from Graph's answers: errors ([`read_error`]), pages
//! ([`Page`]), and the statuses an operation does not expect.
//!
//! Each reader accepts exactly the statuses Graph documents for its operation, and turns every
//! error status into [`Error::Graph`] or [`Error::Throttled`] with the Graph error body (code,
//! message, `request-id`, `client-request-id`, `date`) and `Retry-After`.

use http::StatusCode;

use crate::error::Error;
use crate::graph_error::{GraphError, GraphErrorKind, parse_retry_after};

/// A response as a transport hands it over.
pub type Response = http::Response<bytes::Bytes>;

/// A success status the operation never answers.
pub(crate) fn unexpected(status: StatusCode, what: &str) -> Error {
    Error::UnexpectedResponse {
        status,
        detail: what.to_owned(),
    }
}

fn header<'a>(resp: &'a Response, name: &str) -> Option<&'a str> {
    resp.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Parses the body as JSON, or says why not.
pub(crate) fn json_body(resp: &Response) -> Result<serde_json::Value, Error> {
    serde_json::from_slice(resp.body()).map_err(|e| Error::UnexpectedResponse {
        status: resp.status(),
        detail: format!("the body is not JSON: {e}"),
    })
}

/// Turns an error response into the crate's [`Error`]: [`Error::Throttled`] for 429 and for a
/// 503/504 that carries `Retry-After`, [`Error::Graph`] otherwise.
pub fn read_error(resp: &Response) -> Error {
    let status = resp.status();
    let retry_after = header(resp, "retry-after").and_then(parse_retry_after);
    let parsed: Option<serde_json::Value> = serde_json::from_slice(resp.body()).ok();
    let err = parsed.as_ref().and_then(|v| v.get("error"));
    let text = |v: Option<&serde_json::Value>, key: &str| {
        v.and_then(|v| v.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let inner = err.and_then(|e| e.get("innerError").or_else(|| e.get("innererror")));
    let (code, message) = match err {
        Some(e) => (
            text(Some(e), "code").unwrap_or_default(),
            text(Some(e), "message").unwrap_or_default(),
        ),
        None => {
            let body = String::from_utf8_lossy(resp.body());
            let snippet: String = body.chars().take(200).collect();
            (String::new(), format!("(not a Graph error body) {snippet}"))
        }
    };
    let graph = GraphError {
        status,
        kind: GraphErrorKind::classify(status, &code),
        request_id: text(inner, "request-id")
            .or_else(|| header(resp, "request-id").map(str::to_owned)),
        client_request_id: text(inner, "client-request-id")
            .or_else(|| header(resp, "client-request-id").map(str::to_owned)),
        date: text(inner, "date"),
        code,
        message,
        retry_after,
    };
    let throttled = status == StatusCode::TOO_MANY_REQUESTS
        || (matches!(status.as_u16(), 503 | 504) && retry_after.is_some());
    if throttled {
        Error::Throttled {
            retry_after,
            error: Box::new(graph),
        }
    } else {
        Error::Graph(Box::new(graph))
    }
}

/// An error for any status but the successes listed by the caller: a Graph error for 4xx/5xx,
/// [`Error::UnexpectedResponse`] for another 2xx.
pub(crate) fn not_success(resp: &Response, what: &str) -> Error {
    if resp.status().is_success() {
        unexpected(resp.status(), what)
    } else {
        read_error(resp)
    }
}

/// A Graph error from a call on definitions or data of the directory (schema and directory
/// extensions). Graph answers most refusals there with 400 `Request_BadRequest` (or
/// `BadRequest`), the code the open-extension table reserves for "already exists"; here a 400 is
/// a plain [`GraphErrorKind::BadRequest`] unless the message says the thing is taken.
pub(crate) fn directory_error(resp: &Response) -> Error {
    let mut e = read_error(resp);
    if let Error::Graph(g) = &mut e
        && g.kind == GraphErrorKind::AlreadyExists
        && !g.message.contains("already exists")
    {
        g.kind = GraphErrorKind::BadRequest;
    }
    e
}

/// [`directory_error`] for an error status; another success as unexpected.
pub(crate) fn directory_not_success(resp: &Response, what: &str) -> Error {
    if resp.status().is_success() {
        unexpected(resp.status(), what)
    } else {
        directory_error(resp)
    }
}

/// One page of a collection, and where the next one is.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// `@odata.nextLink`: a full URL to follow as is, until absent.
    pub next_link: Option<String>,
}

/// Reads a collection page's `value` array and `@odata.nextLink`.
pub(crate) fn read_page_json(
    resp: &Response,
) -> Result<(Vec<serde_json::Value>, Option<String>), Error> {
    if resp.status() != StatusCode::OK {
        return Err(not_success(resp, "a collection answers 200"));
    }
    let mut json = json_body(resp)?;
    let next_link = match json.get("@odata.nextLink") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err(unexpected(
                resp.status(),
                "`@odata.nextLink` is not a string",
            ));
        }
    };
    match json.get_mut("value").map(serde_json::Value::take) {
        Some(serde_json::Value::Array(items)) => Ok((items, next_link)),
        _ => Err(unexpected(
            resp.status(),
            "a collection has a `value` array",
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::operation::tests::{answer, graph_error};

    #[test]
    fn every_documented_error_row_is_classified() {
        use GraphErrorKind::*;
        let rows = [
            (
                404,
                "ResourceNotFound",
                "Extension with given id not found.",
                ExtensionNotFound,
            ),
            (
                404,
                "Request_ResourceNotFound",
                "Resource 'u9' does not exist or one of its queried reference-property objects are not present.",
                ParentNotFound,
            ),
            (
                404,
                "ErrorItemNotFound",
                "The specified object was not found in the store.",
                ParentNotFound,
            ),
            (
                400,
                "ErrorInvalidIdMalformed",
                "Id is malformed.",
                MalformedId,
            ),
            (
                400,
                "BadRequest",
                "Resource not found for the segment 'planets'.",
                BadRequest,
            ),
            (
                400,
                "Request_BadRequest",
                "An extension already exists with given id.",
                AlreadyExists,
            ),
            (
                400,
                "BadRequest",
                "Maximum size supported for each extension is : 2 KB.",
                BadRequest,
            ),
            (
                400,
                "BadRequest",
                "maximum number of extensions values supported per application is 2.",
                BadRequest,
            ),
            (
                400,
                "BadRequest",
                "Cannot process input of abstract type 'microsoft.graph.extension'",
                BadRequest,
            ),
            (
                400,
                "RequestBodyRead",
                "A type named 'x' could not be resolved by the model.",
                BadRequest,
            ),
            (
                400,
                "ErrorInvalidRequest",
                "The OData request is not supported.",
                BadRequest,
            ),
            (
                400,
                "ErrorGraphExtensionExpandRequiresFilter",
                "x",
                BadRequest,
            ),
            (
                401,
                "InvalidAuthenticationToken",
                "Access token is empty.",
                Unauthorized,
            ),
            (
                403,
                "Authorization_RequestDenied",
                "Insufficient privileges",
                Forbidden,
            ),
            (500, "UnknownError", "", ServerError),
            (502, "UnknownError", "", ServerError),
            (503, "serviceNotAvailable", "", ServerError),
            (504, "UnknownError", "", ServerError),
        ];
        for (status, code, message, kind) in rows {
            let err = read_error(&graph_error(status, code, message));
            let Error::Graph(g) = &err else {
                panic!("{status}: {err:?}")
            };
            assert_eq!(g.kind, kind, "{status} {message}");
            assert_eq!(g.code, code);
            assert_eq!(g.message, message);
            assert_eq!(g.status, status);
        }
    }

    fn with_header(mut r: Response, k: &'static str, v: &'static str) -> Response {
        r.headers_mut().insert(k, http::HeaderValue::from_static(v));
        r
    }

    #[test]
    fn the_message_never_decides() {
        // The same code and status with any message: the same kind.
        for message in [
            "Parent Object Not Found",
            "",
            "Extension with given id not found.",
        ] {
            let e = read_error(&graph_error(404, "Request_ResourceNotFound", message));
            assert_eq!(
                e.graph_error().unwrap().kind,
                GraphErrorKind::ParentNotFound
            );
            let e = read_error(&graph_error(404, "resourcenotfound", message));
            assert_eq!(
                e.graph_error().unwrap().kind,
                GraphErrorKind::ExtensionNotFound
            );
        }
    }

    #[test]
    fn throttling_carries_retry_after() {
        let r = with_header(
            graph_error(429, "TooManyRequests", "Please retry again later."),
            "retry-after",
            "2.128",
        );
        match read_error(&r) {
            Error::Throttled { retry_after, error } => {
                assert_eq!(retry_after, Some(Duration::from_millis(2128)));
                assert_eq!(error.kind, GraphErrorKind::Throttled);
            }
            other => panic!("{other:?}"),
        }
        assert!(read_error(&r).is_transient());
        // 429 without Retry-After is still throttling.
        assert!(matches!(
            read_error(&graph_error(429, "TooManyRequests", "x")),
            Error::Throttled {
                retry_after: None,
                ..
            }
        ));
        // 503 with Retry-After is throttling; without, a transient Graph error.
        let r = with_header(
            graph_error(503, "serviceNotAvailable", "x"),
            "retry-after",
            "3",
        );
        assert!(
            matches!(read_error(&r), Error::Throttled { retry_after: Some(d), .. } if d == Duration::from_secs(3))
        );
        let err = read_error(&graph_error(503, "serviceNotAvailable", "x"));
        assert!(matches!(err, Error::Graph(_)));
        assert!(err.is_transient());
    }

    #[test]
    fn non_graph_error_bodies_keep_the_status() {
        let r = with_header(
            answer(502, "<html>Bad Gateway</html>"),
            "request-id",
            "hdr-rid",
        );
        let err = read_error(&r);
        let g = err.graph_error().unwrap();
        assert_eq!(g.status, 502);
        assert_eq!(g.code, "");
        assert!(g.message.contains("Bad Gateway"));
        assert_eq!(g.request_id.as_deref(), Some("hdr-rid"));
    }
}
