//! Reading responses: status + headers + bytes → a typed value or a typed [`Error`].
//!
//! Each reader accepts exactly the statuses GRAPH.md gives for its operation, and turns every
//! error status into [`Error::Graph`] or [`Error::Throttled`] with the Graph error body
//! (code, message, `request-id`, `client-request-id`, `date`) and `Retry-After`.

use std::fmt;
use std::time::Duration;

use crate::error::Error;
use crate::extension::OpenExtension;
use crate::name::name_from_id;
use crate::value::{Properties, Value};

/// An HTTP response as a transport hands it over.
#[derive(Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers, names in any case.
    pub headers: Vec<(String, String)>,
    /// The body bytes (empty for 202/204).
    pub body: Vec<u8>,
}

impl fmt::Debug for Response {
    /// Prints the body as text (lossy) rather than bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

impl Response {
    /// A response with no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// The first header called `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn json(&self) -> Result<serde_json::Value, Error> {
        serde_json::from_slice(&self.body).map_err(|e| Error::UnexpectedResponse {
            status: self.status,
            detail: format!("the body is not JSON: {e}"),
        })
    }

    fn unexpected(&self, what: &str) -> Error {
        Error::UnexpectedResponse {
            status: self.status,
            detail: what.to_owned(),
        }
    }
}

/// What a Graph error means, from its status, code and message (GRAPH.md's error table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GraphErrorKind {
    /// 404: the extension does not exist (the resource does).
    ExtensionNotFound,
    /// 404 `Parent Object Not Found`: the resource does not exist.
    ParentNotFound,
    /// 400: an extension with this name already exists on the resource.
    AlreadyExists,
    /// 400: over the 2 KB limit of a directory object.
    TooLarge,
    /// 400: a third extension by one app on a directory object.
    TooManyExtensions,
    /// Another 400 (unsupported list or expand, unknown type, bad body).
    BadRequest,
    /// 401: missing or invalid token.
    Unauthorized,
    /// 403: the app lacks a permission.
    Forbidden,
    /// 429.
    Throttled,
    /// 500, 502, 503, 504: transient.
    ServerError,
    /// Anything else.
    Other,
}

impl GraphErrorKind {
    /// Classifies a Graph error. *Assumption* (GRAPH.md gives messages, not statuses, for
    /// these rows): a 404 means "extension not found" unless its message is
    /// `Parent Object Not Found`.
    pub fn classify(status: u16, code: &str, message: &str) -> Self {
        let _ = code;
        match status {
            404 if message.eq_ignore_ascii_case("Parent Object Not Found") => Self::ParentNotFound,
            404 => Self::ExtensionNotFound,
            400 if message.starts_with("An extension already exists") => Self::AlreadyExists,
            400 if message.starts_with("Maximum size supported") => Self::TooLarge,
            400 if message.contains("maximum number of extensions") => Self::TooManyExtensions,
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
    pub status: u16,
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
        write!(f, "Graph answered {}", self.status)?;
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

/// Parses `Retry-After` in seconds, integer (`2`) or fractional (`2.128`), exactly (no float
/// rounding). The HTTP-date form is not used by Graph and gives `None`, as does anything else
/// that is not a plain non-negative decimal.
///
/// ```
/// use std::time::Duration;
/// use extensions_core::response::parse_retry_after;
/// assert_eq!(parse_retry_after("2.128"), Some(Duration::from_millis(2128)));
/// assert_eq!(parse_retry_after(" 10 "), Some(Duration::from_secs(10)));
/// assert_eq!(parse_retry_after("-1"), None);
/// ```
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
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

/// Turns an error response into the crate's [`Error`]: [`Error::Throttled`] for 429 and for a
/// 503/504 that carries `Retry-After`, [`Error::Graph`] otherwise.
pub fn read_error(resp: &Response) -> Error {
    let retry_after = resp.header("retry-after").and_then(parse_retry_after);
    let parsed: Option<serde_json::Value> = serde_json::from_slice(&resp.body).ok();
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
            let body = String::from_utf8_lossy(&resp.body);
            let snippet: String = body.chars().take(200).collect();
            (String::new(), format!("(not a Graph error body) {snippet}"))
        }
    };
    let graph = GraphError {
        status: resp.status,
        kind: GraphErrorKind::classify(resp.status, &code, &message),
        request_id: text(inner, "request-id")
            .or_else(|| resp.header("request-id").map(str::to_owned)),
        client_request_id: text(inner, "client-request-id")
            .or_else(|| resp.header("client-request-id").map(str::to_owned)),
        date: text(inner, "date"),
        code,
        message,
        retry_after,
    };
    let throttled =
        resp.status == 429 || (matches!(resp.status, 503 | 504) && retry_after.is_some());
    if throttled {
        Error::Throttled {
            retry_after,
            error: Box::new(graph),
        }
    } else {
        Error::Graph(Box::new(graph))
    }
}

/// One stored open extension, untyped: what a response holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtensionObject {
    /// `id`: the name, or a qualified form on Outlook items.
    pub id: String,
    /// `extensionName`, absent when the extension was created with only an `id`.
    pub extension_name: Option<String>,
    /// Every custom property.
    pub properties: Properties,
    /// `@odata.*` and `property@odata.*` annotations, as received.
    pub annotations: serde_json::Map<String, serde_json::Value>,
}

impl ExtensionObject {
    /// The extension's name: `extensionName`, else the name part of `id` (any of the three id
    /// forms: `Microsoft.OutlookServices.OpenTypeExtension.{name}`,
    /// `microsoft.graph.openTypeExtension.{name}`, `{name}`).
    pub fn name(&self) -> &str {
        self.extension_name
            .as_deref()
            .unwrap_or_else(|| name_from_id(&self.id))
    }

    /// Whether this is the extension called `name`. *Assumption:* Graph compares names without
    /// regard to ASCII letter case (documentation examples mix `Com.Contoso` and `com.contoso`).
    pub fn has_name(&self, name: &str) -> bool {
        self.name().eq_ignore_ascii_case(name) || name_from_id(&self.id).eq_ignore_ascii_case(name)
    }

    /// Decodes the properties as `T`.
    pub fn decode<T: OpenExtension>(&self) -> Result<T, Error> {
        T::from_properties(&self.properties)
    }

    /// Reads an extension object from JSON. `id`, `extensionName` (any letter case) and keys
    /// holding `@` are not properties; a property that is an object or a nested array is an
    /// error naming it (it could not be written back).
    pub fn from_json(json: &serde_json::Value) -> Result<Self, String> {
        let obj = json
            .as_object()
            .ok_or("an extension must be a JSON object")?;
        let mut id = None;
        let mut extension_name = None;
        let mut properties = Properties::new();
        let mut annotations = serde_json::Map::new();
        for (k, v) in obj {
            if k.eq_ignore_ascii_case("id") {
                id = Some(v.as_str().ok_or("`id` is not a string")?.to_owned());
            } else if k.eq_ignore_ascii_case("extensionName") {
                extension_name = match v {
                    serde_json::Value::Null => None,
                    serde_json::Value::String(s) => Some(s.clone()),
                    _ => return Err("`extensionName` is not a string".into()),
                };
            } else if k.contains('@') {
                annotations.insert(k.clone(), v.clone());
            } else {
                let value = Value::from_json(v).map_err(|found| {
                    format!("property {k:?} holds {found}, which an open extension cannot")
                })?;
                properties.insert(k.clone(), value);
            }
        }
        let id = match (id, &extension_name) {
            (Some(id), _) => id,
            (None, Some(name)) => name.clone(),
            (None, None) => return Err("the extension has neither `id` nor `extensionName`".into()),
        };
        Ok(Self {
            id,
            extension_name,
            properties,
            annotations,
        })
    }
}

fn extension_from(resp: &Response, json: &serde_json::Value) -> Result<ExtensionObject, Error> {
    ExtensionObject::from_json(json).map_err(|detail| Error::UnexpectedResponse {
        status: resp.status,
        detail,
    })
}

fn is_extension_not_found(resp: &Response) -> Option<Error> {
    if resp.status != 404 {
        return None;
    }
    let err = read_error(resp);
    match err.graph_error().map(|g| g.kind) {
        Some(GraphErrorKind::ExtensionNotFound) => Some(err),
        _ => None,
    }
}

/// Reads the answer to a GET of one extension: `200` → `Some`, a 404 for the extension (not the
/// resource) → `None`.
pub fn read_get(resp: &Response) -> Result<Option<ExtensionObject>, Error> {
    match resp.status {
        200 => extension_from(resp, &resp.json()?).map(Some),
        404 if is_extension_not_found(resp).is_some() => Ok(None),
        s if (200..300).contains(&s) => Err(resp.unexpected("a GET of an extension answers 200")),
        _ => Err(read_error(resp)),
    }
}

/// Reads the answer to a create: `201 Created` with the stored extension.
pub fn read_create(resp: &Response) -> Result<ExtensionObject, Error> {
    match resp.status {
        200 | 201 => extension_from(resp, &resp.json()?),
        s if (200..300).contains(&s) => {
            Err(resp.unexpected("a create answers 201 with the extension"))
        }
        _ => Err(read_error(resp)),
    }
}

/// Reads the answer to a PATCH: `200` with the updated extension (Outlook items) → `Some`, `204`
/// without a body (directory objects) → `None`.
pub fn read_patch(resp: &Response) -> Result<Option<ExtensionObject>, Error> {
    match resp.status {
        200 if !resp.body.is_empty() => extension_from(resp, &resp.json()?).map(Some),
        200 | 204 => Ok(None),
        s if (200..300).contains(&s) => Err(resp.unexpected("a PATCH answers 200 or 204")),
        _ => Err(read_error(resp)),
    }
}

/// Reads the answer to a DELETE: `204` → `true`; a 404 for the extension → `false` (it was not
/// there); a 404 for the resource is an error.
pub fn read_delete(resp: &Response) -> Result<bool, Error> {
    match resp.status {
        200 | 204 => Ok(true),
        404 if is_extension_not_found(resp).is_some() => Ok(false),
        s if (200..300).contains(&s) => Err(resp.unexpected("a DELETE answers 204")),
        _ => Err(read_error(resp)),
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

fn read_page_json(resp: &Response) -> Result<(Vec<serde_json::Value>, Option<String>), Error> {
    if resp.status != 200 {
        return Err(if resp.is_success() {
            resp.unexpected("a collection answers 200")
        } else {
            read_error(resp)
        });
    }
    let json = resp.json()?;
    let next_link = match json.get("@odata.nextLink") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(resp.unexpected("`@odata.nextLink` is not a string")),
    };
    match json.get("value") {
        Some(serde_json::Value::Array(items)) => Ok((items.clone(), next_link)),
        _ => Err(resp.unexpected("a collection has a `value` array")),
    }
}

/// Reads the answer to a list of extensions (`GET {resource}/extensions`).
pub fn read_list(resp: &Response) -> Result<Page<ExtensionObject>, Error> {
    let (items, next_link) = read_page_json(resp)?;
    let items = items
        .iter()
        .map(|i| extension_from(resp, i))
        .collect::<Result<_, _>>()?;
    Ok(Page { items, next_link })
}

/// A resource read with `$expand=extensions`: its own fields and its extensions.
#[derive(Debug, Clone, PartialEq)]
pub struct Expanded {
    /// The resource's `id`, if the answer has one.
    pub id: Option<String>,
    /// Every other field of the resource, as received.
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// The expanded extensions (empty if none or not expanded).
    pub extensions: Vec<ExtensionObject>,
}

impl Expanded {
    /// The extension called `T::NAME`, decoded, if present.
    pub fn extension<T: OpenExtension>(&self) -> Result<Option<T>, Error> {
        self.extensions
            .iter()
            .find(|e| e.has_name(T::NAME.as_str()))
            .map(ExtensionObject::decode)
            .transpose()
    }

    fn from_json(resp: &Response, json: &serde_json::Value) -> Result<Self, Error> {
        let obj = json
            .as_object()
            .ok_or_else(|| resp.unexpected("a resource must be a JSON object"))?;
        let mut fields = obj.clone();
        let extensions = match fields.remove("extensions") {
            None | Some(serde_json::Value::Null) => Vec::new(),
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .map(|i| extension_from(resp, i))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(resp.unexpected("`extensions` is not an array")),
        };
        let id = fields.get("id").and_then(|v| v.as_str()).map(str::to_owned);
        Ok(Self {
            id,
            fields,
            extensions,
        })
    }
}

/// Reads the answer to `GET {resource}?$expand=extensions…`.
pub fn read_expanded(resp: &Response) -> Result<Expanded, Error> {
    match resp.status {
        200 => Expanded::from_json(resp, &resp.json()?),
        s if (200..300).contains(&s) => Err(resp.unexpected("a GET answers 200")),
        _ => Err(read_error(resp)),
    }
}

/// Reads one page of `GET /users?$expand=extensions`.
pub fn read_expanded_page(resp: &Response) -> Result<Page<Expanded>, Error> {
    let (items, next_link) = read_page_json(resp)?;
    let items = items
        .iter()
        .map(|i| Expanded::from_json(resp, i))
        .collect::<Result<_, _>>()?;
    Ok(Page { items, next_link })
}

/// Reads the answer to a create-with-new-item: `201` with the new item and its extensions →
/// `Some`; `202 Accepted` without a body (a group post reply) → `None`.
pub fn read_create_with_new_item(resp: &Response) -> Result<Option<Expanded>, Error> {
    match resp.status {
        200 | 201 => Expanded::from_json(resp, &resp.json()?).map(Some),
        202 => Ok(None),
        s if (200..300).contains(&s) => Err(resp.unexpected("creating an item answers 201 or 202")),
        _ => Err(read_error(resp)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response::new(status, body)
    }

    const OUTLOOK: &str = r##"{
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Me/messages('AAMk')/extensions/$entity",
        "@odata.type": "#Microsoft.Graph.OpenTypeExtension",
        "@odata.id": "https://graph.microsoft.com/v1.0/users('x')/messages('AAMk')/extensions('Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral')",
        "extensionName": "Com.Contoso.Referral",
        "id": "Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral",
        "companyName": "Wingtip Toys",
        "dealValue": 500050,
        "Strings@odata.type": "#Collection(String)",
        "topPicks": ["a", "b"]
    }"##;

    #[test]
    fn reads_an_outlook_extension_with_annotations() {
        let e = read_get(&resp(200, OUTLOOK)).unwrap().unwrap();
        assert_eq!(e.name(), "Com.Contoso.Referral");
        assert_eq!(
            e.id,
            "Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral"
        );
        assert_eq!(
            e.properties.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            ["companyName", "dealValue", "topPicks"]
        );
        assert_eq!(e.annotations.len(), 4);
        assert!(e.annotations.contains_key("Strings@odata.type"));
        assert!(e.has_name("com.contoso.referral"));
    }

    #[test]
    fn reads_all_three_id_forms_without_extension_name() {
        for id in [
            "Microsoft.OutlookServices.OpenTypeExtension.com.contoso.X",
            "microsoft.graph.openTypeExtension.com.contoso.X",
            "com.contoso.X",
        ] {
            let body = format!(r#"{{"id":"{id}","a":1}}"#);
            let e = read_create(&resp(201, &body)).unwrap();
            assert_eq!(e.name(), "com.contoso.X");
            assert_eq!(e.extension_name, None);
        }
    }

    #[test]
    fn refuses_objects_in_extensions() {
        let err = read_get(&resp(200, r#"{"id":"a.b","x":{"y":1}}"#)).unwrap_err();
        assert!(
            matches!(err, Error::UnexpectedResponse { status: 200, ref detail } if detail.contains("\"x\"") && detail.contains("an object"))
        );
        let err = read_get(&resp(200, r#"{"id":"a.b","x":[[1]]}"#)).unwrap_err();
        assert!(matches!(err, Error::UnexpectedResponse { .. }));
        let err = read_get(&resp(200, "not json")).unwrap_err();
        assert!(matches!(err, Error::UnexpectedResponse { .. }));
        let err = read_get(&resp(200, r#"{"a":1}"#)).unwrap_err();
        assert!(matches!(err, Error::UnexpectedResponse { .. }));
    }

    fn graph_error(status: u16, code: &str, message: &str) -> Response {
        let mut r = resp(
            status,
            &format!(
                r#"{{"error":{{"code":"{code}","message":"{message}","innerError":{{"date":"2026-11-23T12:00:00","request-id":"rid-1","client-request-id":"cid-1"}}}}}}"#
            ),
        );
        r.headers
            .push(("Content-Type".into(), "application/json".into()));
        r
    }

    #[test]
    fn not_found_extension_is_none_but_missing_parent_is_an_error() {
        let r = graph_error(
            404,
            "ResourceNotFound",
            "Extension with given id not found.",
        );
        assert_eq!(read_get(&r).unwrap(), None);
        assert!(!read_delete(&r).unwrap());
        let r = graph_error(404, "ResourceNotFound", "Parent Object Not Found");
        let err = read_get(&r).unwrap_err();
        let g = err.graph_error().unwrap();
        assert_eq!(g.kind, GraphErrorKind::ParentNotFound);
        assert_eq!(g.request_id.as_deref(), Some("rid-1"));
        assert_eq!(g.client_request_id.as_deref(), Some("cid-1"));
        assert_eq!(g.date.as_deref(), Some("2026-11-23T12:00:00"));
        assert!(read_delete(&r).is_err());
    }

    #[test]
    fn every_error_row_of_graph_md_is_classified() {
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
                "ResourceNotFound",
                "Parent Object Not Found",
                ParentNotFound,
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
                TooLarge,
            ),
            (
                400,
                "BadRequest",
                "maximum number of extensions values supported per application is 2.",
                TooManyExtensions,
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
            let err = read_create(&graph_error(status, code, message)).unwrap_err();
            let Error::Graph(g) = &err else {
                panic!("{status}: {err:?}")
            };
            assert_eq!(g.kind, kind, "{status} {message}");
            assert_eq!(g.code, code);
            assert_eq!(g.message, message);
            assert_eq!(g.status, status);
        }
    }

    #[test]
    fn throttling_carries_retry_after() {
        let mut r = graph_error(429, "TooManyRequests", "Please retry again later.");
        r.headers.push(("Retry-After".into(), "2.128".into()));
        let err = read_patch(&r).unwrap_err();
        match &err {
            Error::Throttled { retry_after, error } => {
                assert_eq!(*retry_after, Some(Duration::from_millis(2128)));
                assert_eq!(error.kind, GraphErrorKind::Throttled);
            }
            other => panic!("{other:?}"),
        }
        assert!(err.is_transient());
        // 429 without Retry-After is still throttling.
        let err = read_patch(&graph_error(429, "TooManyRequests", "x")).unwrap_err();
        assert!(matches!(
            err,
            Error::Throttled {
                retry_after: None,
                ..
            }
        ));
        // 503 with Retry-After is throttling; without, a transient Graph error.
        let mut r = graph_error(503, "serviceNotAvailable", "x");
        r.headers.push(("retry-after".into(), "3".into()));
        assert!(
            matches!(read_patch(&r).unwrap_err(), Error::Throttled { retry_after: Some(d), .. } if d == Duration::from_secs(3))
        );
        let err = read_patch(&graph_error(503, "serviceNotAvailable", "x")).unwrap_err();
        assert!(matches!(err, Error::Graph(_)));
        assert!(err.is_transient());
    }

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
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "1.2.3",
        ] {
            assert_eq!(parse_retry_after(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn non_graph_error_bodies_keep_the_status() {
        let mut r = resp(502, "<html>Bad Gateway</html>");
        r.headers.push(("request-id".into(), "hdr-rid".into()));
        let err = read_get(&r).unwrap_err();
        let g = err.graph_error().unwrap();
        assert_eq!(g.status, 502);
        assert_eq!(g.code, "");
        assert!(g.message.contains("Bad Gateway"));
        assert_eq!(g.request_id.as_deref(), Some("hdr-rid"));
    }

    #[test]
    fn patch_answers_200_with_body_or_204_without() {
        assert!(read_patch(&resp(200, OUTLOOK)).unwrap().is_some());
        assert_eq!(read_patch(&resp(204, "")).unwrap(), None);
        assert!(matches!(
            read_patch(&resp(201, "{}")).unwrap_err(),
            Error::UnexpectedResponse { status: 201, .. }
        ));
    }

    #[test]
    fn pages_and_expand() {
        let body = r##"{"@odata.context":"x","value":[
            {"id":"u1","displayName":"A","extensions":[{"@odata.type":"#microsoft.graph.openTypeExtension","id":"com.contoso.X","extensionName":"com.contoso.X","a":1}]},
            {"id":"u2","displayName":"B"}],
            "@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$expand=extensions&$skiptoken=abc"}"##;
        let page = read_expanded_page(&resp(200, body)).unwrap();
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.items[0].id.as_deref(), Some("u1"));
        assert_eq!(page.items[0].extensions[0].name(), "com.contoso.X");
        assert!(page.items[1].extensions.is_empty());
        assert!(!page.items[0].fields.contains_key("extensions"));
        assert_eq!(
            page.next_link.as_deref(),
            Some("https://graph.microsoft.com/v1.0/users?$expand=extensions&$skiptoken=abc")
        );
        let last = read_list(&resp(200, r#"{"value":[]}"#)).unwrap();
        assert_eq!(last.next_link, None);
        assert!(read_list(&resp(200, r#"{"novalue":1}"#)).is_err());
    }

    #[test]
    fn create_with_new_item_answers() {
        let body = r#"{"id":"AAMk","subject":"Annual review","extensions":[{"id":"Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral","extensionName":"Com.Contoso.Referral","dealValue":10000}]}"#;
        let item = read_create_with_new_item(&resp(201, body))
            .unwrap()
            .unwrap();
        assert_eq!(item.extensions.len(), 1);
        assert_eq!(read_create_with_new_item(&resp(202, "")).unwrap(), None);
    }
}
