//! `$batch` envelopes: up to 20 requests in one `POST /$batch`, and the answers back.
//!
//! ```
//! use extensions_core::{batch, request, ExtensionName, Resource};
//!
//! let name = ExtensionName::new("com.contoso.Settings").unwrap();
//! let items = vec![
//!     batch::BatchItem::new("1", request::get(Resource::user("a").as_ref(), &name).unwrap()),
//!     batch::BatchItem::new("2", request::delete(Resource::user("b").as_ref(), &name).unwrap())
//!         .depends_on(["1"]),
//! ];
//! let envelope = batch::envelope(&items).unwrap();
//! assert_eq!(envelope.url, "/$batch");
//! ```

use std::collections::HashSet;

use serde_json::{Map, Value as Json, json};

use crate::error::Error;
use crate::limits::MAX_BATCH_REQUESTS;
use crate::request::{Method, Request};
use crate::response::Response;

/// One request of a batch, with its id and the ids it depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchItem {
    /// Unique within the envelope.
    pub id: String,
    /// The request (relative URL).
    pub request: Request,
    /// Ids of earlier items that must succeed first (else this one answers 424).
    pub depends_on: Vec<String>,
}

impl BatchItem {
    /// An item with no dependencies.
    pub fn new(id: impl Into<String>, request: Request) -> Self {
        Self {
            id: id.into(),
            request,
            depends_on: Vec::new(),
        }
    }

    /// Adds dependencies.
    pub fn depends_on<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.depends_on.extend(ids.into_iter().map(Into::into));
        self
    }
}

fn invalid(reason: impl Into<String>) -> Error {
    Error::BatchInvalid {
        reason: reason.into(),
    }
}

/// Builds `POST /$batch` for 1 to 20 items with unique ids, relative URLs, JSON bodies, and
/// dependencies on ids of the same envelope.
pub fn envelope(items: &[BatchItem]) -> Result<Request, Error> {
    if items.is_empty() {
        return Err(invalid("a batch needs at least one request"));
    }
    if items.len() > MAX_BATCH_REQUESTS {
        return Err(invalid(format!(
            "{} requests, but a batch holds at most {MAX_BATCH_REQUESTS}",
            items.len()
        )));
    }
    let mut ids = HashSet::new();
    for item in items {
        if item.id.is_empty() {
            return Err(invalid("a batch request id must not be empty"));
        }
        if !ids.insert(item.id.as_str()) {
            return Err(invalid(format!("the id {:?} appears twice", item.id)));
        }
    }
    let mut requests = Vec::with_capacity(items.len());
    for item in items {
        if item.request.is_absolute() || !item.request.url.starts_with('/') {
            return Err(invalid(format!(
                "request {:?}: a batch URL must be relative to the version root",
                item.id
            )));
        }
        for dep in &item.depends_on {
            if !ids.contains(dep.as_str()) || *dep == item.id {
                return Err(invalid(format!(
                    "request {:?} depends on {dep:?}, which is not another request of this batch",
                    item.id
                )));
            }
        }
        let mut r = Map::new();
        r.insert("id".into(), json!(item.id));
        r.insert("method".into(), json!(item.request.method.as_str()));
        r.insert("url".into(), json!(item.request.url));
        if !item.request.headers.is_empty() {
            let headers: Map<String, Json> = item
                .request
                .headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), json!(v)))
                .collect();
            r.insert("headers".into(), Json::Object(headers));
        }
        if let Some(body) = &item.request.body {
            let body: Json = serde_json::from_slice(body).map_err(|e| {
                invalid(format!("request {:?}: the body is not JSON: {e}", item.id))
            })?;
            r.insert("body".into(), body);
        }
        if !item.depends_on.is_empty() {
            r.insert("dependsOn".into(), json!(item.depends_on));
        }
        requests.push(Json::Object(r));
    }
    let body =
        serde_json::to_vec(&json!({ "requests": requests })).map_err(|e| invalid(e.to_string()))?;
    Ok(Request {
        method: Method::Post,
        url: "/$batch".to_owned(),
        headers: vec![("Content-Type", "application/json".to_owned())],
        body: Some(body),
    })
}

/// One answer of a batch: its id and a [`Response`] that the ordinary readers take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchResponse {
    /// The id of the request it answers.
    pub id: String,
    /// The answer (the body re-serialised as compact JSON; empty if none).
    pub response: Response,
}

/// Reads the answer to a `$batch`: `200` with `{"responses": [...]}` (in any order). Answers are
/// returned in the order of `items`' ids where those are given, so a caller can zip them; an
/// answer for an unknown id, a missing answer, or a duplicate is an error.
pub fn read_envelope(resp: &Response, items: &[BatchItem]) -> Result<Vec<BatchResponse>, Error> {
    if resp.status != 200 {
        return Err(if resp.is_success() {
            Error::UnexpectedResponse {
                status: resp.status,
                detail: "a batch answers 200".into(),
            }
        } else {
            crate::response::read_error(resp)
        });
    }
    let bad = |detail: String| Error::UnexpectedResponse {
        status: resp.status,
        detail,
    };
    let json: Json = serde_json::from_slice(&resp.body)
        .map_err(|e| bad(format!("the body is not JSON: {e}")))?;
    let answers = json
        .get("responses")
        .and_then(Json::as_array)
        .ok_or_else(|| bad("a batch answer has a `responses` array".into()))?;
    let mut slots: Vec<Option<BatchResponse>> = vec![None; items.len()];
    for a in answers {
        let id = a
            .get("id")
            .and_then(Json::as_str)
            .ok_or_else(|| bad("a batch answer without an id".into()))?;
        let status = a
            .get("status")
            .and_then(Json::as_u64)
            .and_then(|s| u16::try_from(s).ok())
            .ok_or_else(|| bad(format!("batch answer {id:?} has no valid status")))?;
        let headers = match a.get("headers") {
            Some(Json::Object(h)) => h
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        let body = match a.get("body") {
            None | Some(Json::Null) => Vec::new(),
            Some(b) => serde_json::to_vec(b).map_err(|e| bad(e.to_string()))?,
        };
        let pos = items
            .iter()
            .position(|i| i.id == id)
            .ok_or_else(|| bad(format!("a batch answer for unknown id {id:?}")))?;
        if slots[pos].is_some() {
            return Err(bad(format!("two batch answers for id {id:?}")));
        }
        slots[pos] = Some(BatchResponse {
            id: id.to_owned(),
            response: Response {
                status,
                headers,
                body,
            },
        });
    }
    slots
        .into_iter()
        .zip(items)
        .map(|(s, i)| s.ok_or_else(|| bad(format!("no batch answer for id {:?}", i.id))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ExtensionName, Resource, request};

    fn name() -> ExtensionName {
        ExtensionName::new("com.contoso.X").unwrap()
    }

    #[test]
    fn envelope_shape() {
        let items = vec![
            BatchItem::new("1", request::get(&Resource::device("d"), &name()).unwrap()),
            BatchItem::new(
                "2",
                request::patch_untyped(&Resource::device("d"), &name(), &{
                    let mut p = crate::Properties::new();
                    p.insert("a", 1i64);
                    p
                })
                .unwrap(),
            )
            .depends_on(["1"]),
        ];
        let req = envelope(&items).unwrap();
        assert_eq!(req.method, Method::Post);
        let v: Json = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
        assert_eq!(
            v["requests"][0],
            json!({"id":"1","method":"GET","url":"/devices/d/extensions/com.contoso.X"})
        );
        assert_eq!(v["requests"][1]["method"], "PATCH");
        assert_eq!(
            v["requests"][1]["headers"]["Content-Type"],
            "application/json"
        );
        assert_eq!(v["requests"][1]["body"]["a"], 1);
        assert_eq!(v["requests"][1]["dependsOn"], json!(["1"]));
    }

    #[test]
    fn envelope_refusals() {
        let get = || request::get(&Resource::device("d"), &name()).unwrap();
        let too_many: Vec<_> = (0..21)
            .map(|i| BatchItem::new(i.to_string(), get()))
            .collect();
        assert!(matches!(
            envelope(&too_many),
            Err(Error::BatchInvalid { .. })
        ));
        assert!(envelope(&too_many[..20]).is_ok());
        assert!(matches!(envelope(&[]), Err(Error::BatchInvalid { .. })));
        let dup = [BatchItem::new("1", get()), BatchItem::new("1", get())];
        assert!(
            matches!(envelope(&dup), Err(Error::BatchInvalid { reason }) if reason.contains("twice"))
        );
        let dangling = [BatchItem::new("1", get()).depends_on(["9"])];
        assert!(matches!(
            envelope(&dangling),
            Err(Error::BatchInvalid { .. })
        ));
        let absolute = [BatchItem::new(
            "1",
            request::next_page("https://graph.microsoft.com/v1.0/users?x"),
        )];
        assert!(matches!(
            envelope(&absolute),
            Err(Error::BatchInvalid { .. })
        ));
    }

    #[test]
    fn answers_in_input_order_with_inner_throttling() {
        let get = || request::get(&Resource::device("d"), &name()).unwrap();
        let items = [
            BatchItem::new("a", get()),
            BatchItem::new("b", get()),
            BatchItem::new("c", get()),
        ];
        let body = r#"{"responses":[
            {"id":"c","status":424,"body":{"error":{"code":"FailedDependency","message":"x"}}},
            {"id":"a","status":200,"headers":{"Content-Type":"application/json"},"body":{"id":"com.contoso.X","n":1}},
            {"id":"b","status":429,"headers":{"Retry-After":"1.5"},"body":{"error":{"code":"TooManyRequests","message":"Please retry again later."}}}
        ]}"#;
        let out = read_envelope(&Response::new(200, body), &items).unwrap();
        assert_eq!(
            out.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert!(
            crate::response::read_get(&out[0].response)
                .unwrap()
                .is_some()
        );
        let err = crate::response::read_get(&out[1].response).unwrap_err();
        assert!(
            matches!(err, Error::Throttled { retry_after: Some(d), .. } if d.as_millis() == 1500)
        );
        assert_eq!(
            crate::response::read_get(&out[2].response)
                .unwrap_err()
                .status(),
            Some(424)
        );
        // A missing answer is an error, not a silent gap.
        let short = r#"{"responses":[{"id":"a","status":204}]}"#;
        assert!(read_envelope(&Response::new(200, short), &items).is_err());
    }
}
