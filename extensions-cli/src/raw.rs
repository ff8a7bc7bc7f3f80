//! A Graph call the library has no typed operation for, after the command has checked what it
//! sends: a method, a path (or a next link), an optional JSON body, and the advanced-query
//! header when asked.

use std::borrow::Cow;

use bytes::Bytes;
use extensions_core::Error;
use extensions_core::op::{Operation, Page, Repeat, Request, Response};
use serde_json::{Map, Value};

/// One call; its output is the answer's JSON (`None` for 204 and, when `missing_ok`, 404).
pub(crate) struct Raw {
    request: Result<Request, Error>,
    missing_ok: bool,
    repeat: Repeat,
}

impl Raw {
    fn build(method: &str, uri: &str, body: Option<&Value>, eventual: bool) -> Self {
        let mut b = http::Request::builder().method(method).uri(uri);
        if body.is_some() {
            b = b.header("content-type", "application/json");
        }
        if eventual {
            b = b.header("consistencylevel", "eventual");
        }
        let bytes = body.map_or_else(Bytes::new, |v| Bytes::from(v.to_string()));
        Raw {
            request: b.body(bytes).map_err(|e| Error::InvalidUri {
                uri: uri.to_owned(),
                reason: e.to_string(),
            }),
            missing_ok: false,
            repeat: if matches!(method, "GET" | "PATCH" | "DELETE") {
                Repeat::Safe
            } else {
                Repeat::Once
            },
        }
    }

    /// `GET uri`, a 404 read as `None`.
    pub(crate) fn get(uri: &str) -> Self {
        Raw {
            missing_ok: true,
            ..Self::build("GET", uri, None, false)
        }
    }

    /// `PATCH uri` with `body`.
    pub(crate) fn patch(uri: &str, body: &Value) -> Self {
        Self::build("PATCH", uri, Some(body), false)
    }

    /// `POST uri` with `body`; `safe` for a read sent as a POST.
    pub(crate) fn post(uri: &str, body: &Value, safe: bool) -> Self {
        let mut r = Self::build("POST", uri, Some(body), false);
        if safe {
            r.repeat = Repeat::Safe;
        }
        r
    }

    /// `DELETE uri`, a 404 read as `None`.
    pub(crate) fn delete(uri: &str) -> Self {
        Raw {
            missing_ok: true,
            ..Self::build("DELETE", uri, None, false)
        }
    }
}

impl Operation for Raw {
    type Output = Option<Value>;

    fn request(&self) -> Result<Request, Error> {
        match &self.request {
            Ok(r) => {
                let mut b = http::Request::builder().method(r.method()).uri(r.uri());
                if let Some(h) = b.headers_mut() {
                    h.clone_from(r.headers());
                }
                b.body(r.body().clone()).map_err(|e| Error::InvalidUri {
                    uri: r.uri().to_string(),
                    reason: e.to_string(),
                })
            }
            Err(e) => Err(e.clone()),
        }
    }

    fn read(&self, response: Response) -> Result<Option<Value>, Error> {
        let status = response.status();
        if status == http::StatusCode::NOT_FOUND && self.missing_ok {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(extensions_core::response::read_error(&response));
        }
        if response.body().is_empty() {
            return Ok(None);
        }
        serde_json::from_slice(response.body())
            .map(Some)
            .map_err(|e| Error::UnexpectedResponse {
                status,
                detail: format!("the answer is not JSON: {e}"),
            })
    }

    fn repeat(&self) -> Repeat {
        self.repeat
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed("/{raw}")
    }
}

/// A page of a collection, as JSON objects: the first from a path, the next ones from
/// `@odata.nextLink`, each with the advanced-query header when asked.
pub(crate) struct RawList(Raw);

impl RawList {
    pub(crate) fn new(uri: &str, eventual: bool) -> Self {
        RawList(Raw::build("GET", uri, None, eventual))
    }

    /// `POST uri` with `body`, read as a page (an action that answers a collection).
    pub(crate) fn post(uri: &str, body: &Value) -> Self {
        RawList(Raw::post(uri, body, true))
    }
}

impl Operation for RawList {
    type Output = Page<Map<String, Value>>;

    fn request(&self) -> Result<Request, Error> {
        self.0.request()
    }

    fn read(&self, response: Response) -> Result<Self::Output, Error> {
        let status = response.status();
        if status != http::StatusCode::OK {
            return Err(extensions_core::response::read_error(&response));
        }
        #[derive(serde::Deserialize)]
        struct Raw {
            value: Vec<Map<String, Value>>,
            #[serde(rename = "@odata.nextLink", default)]
            next: Option<String>,
        }
        let p: Raw =
            serde_json::from_slice(response.body()).map_err(|e| Error::UnexpectedResponse {
                status,
                detail: format!("not a collection page: {e}"),
            })?;
        Ok(Page {
            items: p.value,
            next_link: p.next,
        })
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed("/{collection}")
    }
}
