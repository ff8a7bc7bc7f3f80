//! What Graph says when it refuses a request: the error body, its classification, and
//! `Retry-After`.

use std::fmt;
use std::time::Duration;

use http::StatusCode;

/// What a Graph error means, from its status, code and message (the error table of
/// [Open extensions](https://learn.microsoft.com/en-us/graph/extensibility-open-users)
/// and [Graph errors](https://learn.microsoft.com/en-us/graph/errors)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GraphErrorKind {
    /// 404 `ResourceNotFound`: the extension does not exist (the resource does).
    ExtensionNotFound,
    /// 404 `Request_ResourceNotFound` (a directory object) or `ErrorItemNotFound` (an Outlook or
    /// to-do item): the resource does not exist.
    ParentNotFound,
    /// 400 `Request_BadRequest`: an extension with this name already exists on the resource.
    AlreadyExists,
    /// 400 `ErrorInvalidIdMalformed`: an Outlook or to-do item id that is not one.
    MalformedId,
    /// Another 400 (`BadRequest`: over 2 KB, a third extension of one app, an unknown segment,
    /// an unsupported list or expand; `RequestBodyRead`: an unknown type). These share their
    /// code, so only the message, which is for people, tells them apart.
    BadRequest,
    /// HTTP 401: a missing or invalid token.
    Unauthorized,
    /// HTTP 403: the app lacks a permission.
    Forbidden,
    /// HTTP 429: throttled (see [`Error::Throttled`](crate::Error::Throttled) for `Retry-After`).
    Throttled,
    /// HTTP 500, 502, 503, 504: transient.
    ServerError,
    /// Anything else.
    Other,
}

impl GraphErrorKind {
    /// Classifies a Graph error by its status and `code`, never by its message (messages are
    /// for people, and change). Codes are compared ignoring letter case. *Assumption* (sources
    /// give codes and messages, not always statuses): the statuses of the not-found and
    /// duplicate rows.
    pub fn classify(status: StatusCode, code: &str) -> Self {
        let is = |c: &str| code.eq_ignore_ascii_case(c);
        match status.as_u16() {
            404 if is("ResourceNotFound") => Self::ExtensionNotFound,
            404 if is("Request_ResourceNotFound") || is("ErrorItemNotFound") => {
                Self::ParentNotFound
            }
            400 if is("Request_BadRequest") => Self::AlreadyExists,
            400 if is("ErrorInvalidIdMalformed") => Self::MalformedId,
            400 => Self::BadRequest,
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            429 => Self::Throttled,
            500 | 502 | 503 | 504 => Self::ServerError,
            _ => Self::Other,
        }
    }
}

/// A Graph error answer: `{"error": {"code", "message", "innerError": {"date", "request-id",
/// "client-request-id"}}}` plus the status and `Retry-After`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    /// HTTP status.
    pub status: StatusCode,
    /// What the error means.
    pub kind: GraphErrorKind,
    /// `error.code` (empty if the body was not a Graph error body).
    pub code: String,
    /// `error.message` (or the start of a non-Graph body).
    pub message: String,
    /// `innerError.request-id`, else the `request-id` header.
    pub request_id: Option<String>,
    /// `innerError.client-request-id`, else the `client-request-id` header.
    pub client_request_id: Option<String>,
    /// `innerError.date`.
    pub date: Option<String>,
    /// The `Retry-After` header, if present and in seconds.
    pub retry_after: Option<Duration>,
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Graph answered {}", self.status.as_u16())?;
        if !self.code.is_empty() {
            write!(f, " {}", self.code)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request-id {id}")?;
            if let Some(c) = &self.client_request_id {
                write!(f, ", client-request-id {c}")?;
            }
            f.write_str(")")?;
        } else if let Some(c) = &self.client_request_id {
            write!(f, " (client-request-id {c})")?;
        }
        Ok(())
    }
}

impl std::error::Error for GraphError {}

/// Parses `Retry-After`: seconds, integer (`2`, what Graph sends) or fractional (`2.128`),
/// exactly (no float rounding), or an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`,
/// [RFC 9110](https://www.rfc-editor.org/rfc/rfc9110#field.retry-after)) as the time from now
/// until then (zero if it is past). Anything else (negative, non-numeric) gives `None`: no
/// hint. A client caps what it waits at its own maximum.
///
/// ```
/// use std::time::Duration;
/// use extensions_core::response::parse_retry_after;
/// assert_eq!(parse_retry_after("2.128"), Some(Duration::from_millis(2128)));
/// assert_eq!(parse_retry_after(" 10 "), Some(Duration::from_secs(10)));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
/// assert_eq!(parse_retry_after("-1"), None);
/// ```
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    if v.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()) {
        let at = httpdate::parse_http_date(v).ok()?;
        return Some(
            at.duration_since(std::time::SystemTime::now())
                .unwrap_or(Duration::ZERO),
        );
    }
    let (int, frac) = match v.split_once('.') {
        Some((i, f)) => (i, f),
        None => (v, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut nanos: u32 = 0;
    for (i, b) in frac.bytes().take(9).enumerate() {
        nanos += u32::from(b - b'0') * 10u32.pow(8 - i as u32);
    }
    Some(Duration::new(secs, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("0"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("2.128"),
            Some(Duration::new(2, 128_000_000))
        );
        assert_eq!(parse_retry_after(".5"), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("1.0000000019"), Some(Duration::new(1, 1)));
        for bad in [
            "",
            ".",
            "-1",
            "+1",
            "1e3",
            "abc",
            "Wed, 21 Oct 2015 07:28:00",
            "1.2.3",
        ] {
            assert_eq!(parse_retry_after(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn retry_after_as_an_http_date() {
        // A date in the past: no wait.
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        // A date about a minute ahead: about a minute (whole seconds in the date).
        let ahead = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(61));
        let wait = parse_retry_after(&ahead).unwrap();
        assert!(
            wait > Duration::from_secs(55) && wait <= Duration::from_secs(61),
            "{wait:?}"
        );
    }

    #[test]
    fn display_names_the_ids() {
        let e = GraphError {
            status: StatusCode::NOT_FOUND,
            kind: GraphErrorKind::ExtensionNotFound,
            code: "ResourceNotFound".into(),
            message: "Extension with given id not found.".into(),
            request_id: Some("r".into()),
            client_request_id: Some("c".into()),
            date: None,
            retry_after: None,
        };
        assert_eq!(
            e.to_string(),
            "Graph answered 404 ResourceNotFound: Extension with given id not found. (request-id r, client-request-id c)"
        );
    }
}
