//! `$batch` envelopes: up to 20 requests in one `POST /$batch`, and the answers back
//! ([JSON batching](https://learn.microsoft.com/en-us/graph/json-batching)).
//!
//! An [`Envelope`] is itself an [`Operation`]: its output is one [`Response`] per item, in the
//! order of the items, which each item's own operation then reads.
//!
//! ```
//! use extensions_core::batch::{BatchItem, Envelope};
//! use extensions_core::op::{self, Operation};
//! use extensions_core::{ExtensionName, Resource};
//!
//! let name = ExtensionName::new("com.contoso.Settings").unwrap();
//! let items = vec![
//!     BatchItem::new("1", op::GetUntyped::new(Resource::user("a"), &name).request()?),
//!     BatchItem::new("2", op::Delete::new(Resource::user("b"), &name).request()?).depends_on(["1"]),
//! ];
//! let envelope = Envelope::new(items, op::Repeat::Safe);
//! assert_eq!(envelope.request()?.uri(), "/$batch");
//! # Ok::<(), extensions_core::Error>(())
//! ```

use std::borrow::Cow;
use std::collections::HashSet;

use bytes::Bytes;
use http::Method;
use serde_json::{Map, Value as Json, json};

use crate::error::Error;
use crate::limits::MAX_BATCH_REQUESTS;
use crate::operation::{self as op, Response};
use crate::operation::{Built, Operation, Repeat, Request};

mod read;
pub use read::read_envelope;

/// One request of a batch, with its id and the ids it depends on.
#[derive(Debug)]
pub struct BatchItem {
    /// Unique within the envelope.
    pub id: String,
    /// The request (relative URI).
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

/// `POST /$batch` for 1 to 20 items with unique ids, relative URIs, JSON bodies, and
/// dependencies on ids of the same envelope; refused before sending otherwise.
#[derive(Debug, Clone)]
pub struct Envelope {
    built: Built,
    ids: Vec<String>,
    repeat: Repeat,
}

impl Envelope {
    /// The envelope for `items`. `repeat` is the class of the whole envelope: the least safe of
    /// its items' classes, so that a batch holding a create is never sent twice blindly.
    pub fn new(items: Vec<BatchItem>, repeat: Repeat) -> Self {
        let ids = items.iter().map(|i| i.id.clone()).collect();
        Self {
            built: Built::new(envelope(&items)),
            ids,
            repeat,
        }
    }

    /// The ids of the items, in order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }
}

impl Operation for Envelope {
    type Output = Vec<Response>;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Vec<Response>, Error> {
        read_envelope(&response, &self.ids)
    }

    fn repeat(&self) -> Repeat {
        self.repeat
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed("/$batch")
    }

    /// Each item counts against the budget.
    fn cost(&self) -> u32 {
        u32::try_from(self.ids.len()).unwrap_or(u32::MAX)
    }
}

fn envelope(items: &[BatchItem]) -> Result<op::Prepared, Error> {
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
        if !ids.insert(item.id.to_ascii_lowercase()) {
            return Err(invalid(format!("the id {:?} appears twice", item.id)));
        }
    }
    let mut requests = Vec::with_capacity(items.len());
    for item in items {
        let uri = item.request.uri();
        if uri.scheme().is_some() || !uri.path().starts_with('/') {
            return Err(invalid(format!(
                "request {:?}: a batch URL must be relative to the version root",
                item.id
            )));
        }
        for dep in &item.depends_on {
            if !ids.contains(&dep.to_ascii_lowercase()) || dep.eq_ignore_ascii_case(&item.id) {
                return Err(invalid(format!(
                    "request {:?} depends on {dep:?}, which is not another request of this batch",
                    item.id
                )));
            }
        }
        let mut r = Map::new();
        r.insert("id".into(), json!(item.id));
        r.insert("method".into(), json!(item.request.method().as_str()));
        r.insert(
            "url".into(),
            json!(uri.path_and_query().map_or(uri.path(), |p| p.as_str())),
        );
        if !item.request.headers().is_empty() {
            let mut headers = Map::new();
            for (k, v) in item.request.headers() {
                let v = v
                    .to_str()
                    .map_err(|_| invalid(format!("request {:?}: a header is not text", item.id)))?;
                headers.insert(k.as_str().to_owned(), json!(v));
            }
            r.insert("headers".into(), Json::Object(headers));
        }
        if !item.request.body().is_empty() {
            let body: Json = serde_json::from_slice(item.request.body()).map_err(|e| {
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
    op::json(Method::POST, "/$batch", Bytes::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::open::op::{Delete, GetUntyped, NextPage, Patch};
    use crate::operation::tests::answer;
    use crate::{ExtensionName, Properties, Resource};
    use http::StatusCode;

    fn name() -> ExtensionName {
        ExtensionName::from_static("com.contoso.X")
    }

    fn get() -> Request {
        GetUntyped::new(Resource::device("d"), &name())
            .request()
            .unwrap()
    }

    #[test]
    fn envelope_shape() {
        let mut p = Properties::new();
        p.insert("a", 1i64);
        let items = vec![
            BatchItem::new("1", get()),
            BatchItem::new(
                "2",
                Patch::untyped(Resource::device("d"), &name(), &p)
                    .request()
                    .unwrap(),
            )
            .depends_on(["1"]),
            BatchItem::new(
                "3",
                Delete::new(Resource::device("d"), &name())
                    .request()
                    .unwrap(),
            ),
        ];
        let env = Envelope::new(items, Repeat::Safe);
        let req = env.request().unwrap();
        assert_eq!(req.method(), Method::POST);
        assert_eq!(env.route(), "/$batch");
        let v: Json = serde_json::from_slice(req.body()).unwrap();
        assert_eq!(
            v["requests"][0],
            json!({"id":"1","method":"GET","url":"/devices/d/extensions/com.contoso.X"})
        );
        assert_eq!(v["requests"][1]["method"], "PATCH");
        assert_eq!(
            v["requests"][1]["headers"]["content-type"],
            "application/json"
        );
        assert_eq!(v["requests"][1]["body"]["a"], 1);
        assert_eq!(v["requests"][1]["dependsOn"], json!(["1"]));
        assert!(v["requests"][2].get("body").is_none());
    }

    fn refused(items: Vec<BatchItem>) -> bool {
        matches!(
            Envelope::new(items, Repeat::Safe).request(),
            Err(Error::BatchInvalid { .. })
        )
    }

    #[test]
    fn envelope_refusals() {
        assert!(refused(
            (0..21)
                .map(|i| BatchItem::new(i.to_string(), get()))
                .collect()
        ));
        assert!(!refused(
            (0..20)
                .map(|i| BatchItem::new(i.to_string(), get()))
                .collect()
        ));
        assert!(refused(vec![]));
        assert!(refused(vec![
            BatchItem::new("a", get()),
            BatchItem::new("A", get())
        ]));
        assert!(refused(vec![BatchItem::new("1", get()).depends_on(["9"])]));
        let absolute = NextPage::new("https://graph.microsoft.com/v1.0/users?x")
            .request()
            .unwrap();
        assert!(refused(vec![BatchItem::new("1", absolute)]));
    }

    #[test]
    fn answers_in_input_order_with_inner_throttling() {
        let ids: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let body = r#"{"responses":[
            {"id":"c","status":424,"body":{"error":{"code":"FailedDependency","message":"x"}}},
            {"id":"a","status":200,"headers":{"Content-Type":"application/json"},"body":{"id":"com.contoso.X","n":1}},
            {"id":"b","status":429,"headers":{"Retry-After":"1.5"},"body":{"error":{"code":"TooManyRequests","message":"Please retry again later."}}}
        ]}"#;
        let out = read_envelope(&answer(200, body), &ids).unwrap();
        let get = GetUntyped::new(Resource::device("d"), &name());
        let mut out = out.into_iter();
        assert!(get.read(out.next().unwrap()).unwrap().is_some());
        let err = get.read(out.next().unwrap()).unwrap_err();
        assert!(
            matches!(err, Error::Throttled { retry_after: Some(d), .. } if d.as_millis() == 1500)
        );
        assert_eq!(
            get.read(out.next().unwrap()).unwrap_err().status(),
            Some(StatusCode::FAILED_DEPENDENCY)
        );
        // A missing answer is an error, not a silent gap.
        let short = r#"{"responses":[{"id":"a","status":204}]}"#;
        assert!(read_envelope(&answer(200, short), &ids).is_err());
    }

    #[test]
    fn reading_stops_at_the_first_refused_answer() {
        let ids: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let why = |body: &str| match read_envelope(&answer(200, body), &ids) {
            Err(Error::UnexpectedResponse { detail, .. }) => detail,
            other => panic!("{body}: {other:?}"),
        };
        // What follows the refused answer is never read: here it is not even JSON.
        assert_eq!(
            why(r#"{"responses":[{"id":"a","status":204},{"id":"zz","status":200},!!!"#),
            r#"a batch answer for unknown id "zz""#
        );
        assert_eq!(
            why(r#"{"responses":[{"id":"a","status":204},{"id":"A","status":204},!!!"#),
            r#"two batch answers for id "A""#
        );
        assert_eq!(
            why(r#"{"responses":[{"id":"a","status":"200"}]}"#),
            r#"batch answer "a" has no valid status"#
        );
        assert_eq!(
            why(r#"{"value":[]}"#),
            "a batch answer has a `responses` array"
        );
        assert!(why("[1]").starts_with("the body is not JSON"));
        assert!(why(r#"{"responses":[]} x"#).starts_with("the body is not JSON"));
        // Other members and unknown fields are skipped; a null body is no body; an escaped id
        // is read as its text.
        let ok = r#"{"@odata.context":"x","responses":[{"id":"b","status":204,"body":null,"x":[1]},
            {"id":"\u0061","status":200,"headers":{"Retry-After":2},"body":{"k":"v"}}]}"#;
        let out = read_envelope(&answer(200, ok), &ids).unwrap();
        assert_eq!(out[0].status(), StatusCode::OK);
        assert_eq!(out[0].body().as_ref(), br#"{"k":"v"}"#);
        assert_eq!(out[0].headers()["retry-after"], "2");
        assert!(out[1].body().is_empty());
    }
}
