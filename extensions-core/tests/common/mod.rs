//! Shared by the integration tests: hand-written extensions (the derive comes later) and an
//! in-memory Graph that applies Graph's documented semantics to the requests core builds.
#![allow(dead_code, unreachable_pub)]

use std::collections::HashMap;
use std::sync::Mutex;

type JsonObject = serde_json::Map<String, serde_json::Value>;

use bytes::Bytes;
use extensions_core::extension::read_property;
use extensions_core::op::{Execute, Operation, Request, Response};
use extensions_core::{Error, ExtensionName, OpenExtension, Properties, PropertyWriter};
use http::Method;

/// What the in-memory Graph logs of each request.
#[derive(Debug, Clone, PartialEq)]
pub struct Logged {
    pub method: Method,
    pub url: String,
    pub body: Option<Vec<u8>>,
}

/// Version 1 of an app's extension.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferralV1 {
    pub company_name: String,
    pub deal_value: i64,
    pub expiration_date: Option<String>,
    pub top_picks: Vec<String>,
}

impl OpenExtension for ReferralV1 {
    const NAME: ExtensionName = ExtensionName::from_static("com.contoso.Referral");
    fn write_properties(&self, w: &mut PropertyWriter<'_>) -> Result<(), Error> {
        w.property("companyName", &self.company_name)?;
        w.property("dealValue", &self.deal_value)?;
        w.property("expirationDate", &self.expiration_date)?;
        w.property("topPicks", &self.top_picks)
    }
    fn from_properties(p: &Properties) -> Result<Self, Error> {
        Ok(Self {
            company_name: read_property(p, "companyName")?,
            deal_value: read_property(p, "dealValue")?,
            expiration_date: read_property(p, "expirationDate")?,
            top_picks: read_property(p, "topPicks")?,
        })
    }
}

/// Version 2 adds a property that version 1 does not know.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferralV2 {
    pub v1: ReferralV1,
    pub score: f64,
}

impl OpenExtension for ReferralV2 {
    const NAME: ExtensionName = ExtensionName::from_static("com.contoso.Referral");
    fn write_properties(&self, w: &mut PropertyWriter<'_>) -> Result<(), Error> {
        self.v1.write_properties(w)?;
        w.property("score", &self.score)
    }
    fn from_properties(p: &Properties) -> Result<Self, Error> {
        Ok(Self {
            v1: ReferralV1::from_properties(p)?,
            score: read_property(p, "score")?,
        })
    }
}

pub fn referral() -> ReferralV1 {
    ReferralV1 {
        company_name: "Wingtip Toys".into(),
        deal_value: 500_050,
        expiration_date: None,
        top_picks: vec!["Employees only".into(), "Add family".into()],
    }
}

/// A tiny in-memory Graph: stores extensions per resource path and answers as Graph documents.
#[derive(Default)]
pub struct MemoryGraph {
    /// resource path → (name, stored JSON object)
    store: Mutex<HashMap<String, Vec<(String, JsonObject)>>>,
    /// Every request received, in order.
    pub log: Mutex<Vec<Logged>>,
    /// Resource paths that "exist" (others answer `Request_ResourceNotFound`).
    pub parents: Mutex<Vec<String>>,
    /// Answers to hand out before the normal behaviour, for error cases.
    pub canned: Mutex<Vec<Response>>,
}

/// A response with a JSON body (empty for `None`).
pub fn respond(status: u16, body: Option<&serde_json::Value>) -> Response {
    let mut b = http::Response::builder().status(status);
    if body.is_some() {
        b = b.header("content-type", "application/json");
    }
    b.body(body.map_or_else(Bytes::new, |v| Bytes::from(serde_json::to_vec(v).unwrap())))
        .unwrap()
}

fn error(status: u16, code: &str, message: &str) -> Response {
    let body = serde_json::json!({"error": {"code": code, "message": message,
        "innerError": {"date": "2026-11-23T12:00:00", "request-id": "rid", "client-request-id": "cid"}}});
    respond(status, Some(&body))
}

impl MemoryGraph {
    pub fn with_parents(paths: &[&str]) -> Self {
        let g = Self::default();
        *g.parents.lock().unwrap() = paths.iter().map(|s| s.to_string()).collect();
        g
    }

    pub fn requests(&self) -> Vec<Logged> {
        self.log.lock().unwrap().clone()
    }

    pub fn stored(
        &self,
        parent: &str,
        name: &str,
    ) -> Option<serde_json::Map<String, serde_json::Value>> {
        self.store
            .lock()
            .unwrap()
            .get(parent)?
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, o)| o.clone())
    }

    pub fn put(&self, parent: &str, name: &str, obj: serde_json::Value) {
        let obj = obj.as_object().unwrap().clone();
        self.store
            .lock()
            .unwrap()
            .entry(parent.to_owned())
            .or_default()
            .push((name.to_owned(), obj));
    }

    fn answer(&self, req: &Logged) -> Response {
        if let Some(r) = self.canned.lock().unwrap().pop() {
            return r;
        }
        let (parent, name) = match req.url.split_once("/extensions") {
            Some((p, rest)) => (p.to_owned(), rest.strip_prefix('/').map(str::to_owned)),
            None => return error(400, "BadRequest", "not an extensions path"),
        };
        if !self.parents.lock().unwrap().contains(&parent) {
            return error(
                404,
                "Request_ResourceNotFound",
                "Resource does not exist or one of its queried reference-property objects are not present.",
            );
        }
        let outlook = parent.contains("/messages/")
            || parent.contains("/events/")
            || parent.contains("/contacts/")
            || parent.contains("/posts/");
        let stored_id = |n: &str| {
            if outlook {
                format!("Microsoft.OutlookServices.OpenTypeExtension.{n}")
            } else {
                n.to_owned()
            }
        };
        let body_obj = || -> serde_json::Map<String, serde_json::Value> {
            serde_json::from_slice(req.body.as_deref().unwrap_or(b"{}")).unwrap()
        };
        let mut store = self.store.lock().unwrap();
        let list = store.entry(parent.clone()).or_default();
        let ok = |status: u16, obj: &serde_json::Map<String, serde_json::Value>| {
            respond(status, Some(&serde_json::Value::Object(obj.clone())))
        };
        match (req.method.clone(), name) {
            (Method::POST, None) => {
                let mut obj = body_obj();
                let n = obj["extensionName"].as_str().unwrap().to_owned();
                if list.iter().any(|(m, _)| m.eq_ignore_ascii_case(&n)) {
                    return error(
                        400,
                        "Request_BadRequest",
                        "An extension already exists with given id.",
                    );
                }
                obj.insert("id".into(), stored_id(&n).into());
                obj.insert(
                    "@odata.type".into(),
                    "#microsoft.graph.openTypeExtension".into(),
                );
                list.push((n, obj.clone()));
                ok(201, &obj)
            }
            (Method::GET, Some(n)) => match list.iter().find(|(m, _)| m.eq_ignore_ascii_case(&n)) {
                Some((_, obj)) => ok(200, obj),
                None => error(
                    404,
                    "ResourceNotFound",
                    "Extension with given id not found.",
                ),
            },
            (Method::PATCH, Some(n)) => {
                match list.iter_mut().find(|(m, _)| m.eq_ignore_ascii_case(&n)) {
                    Some((m, obj)) => {
                        // Replace semantics: every property missing from the body is deleted.
                        let mut new = body_obj();
                        new.insert("id".into(), stored_id(m).into());
                        new.insert(
                            "@odata.type".into(),
                            "#microsoft.graph.openTypeExtension".into(),
                        );
                        *obj = new;
                        if outlook {
                            ok(200, obj)
                        } else {
                            respond(204, None)
                        }
                    }
                    None => error(
                        404,
                        "ResourceNotFound",
                        "Extension with given id not found.",
                    ),
                }
            }
            (Method::DELETE, Some(n)) => {
                let before = list.len();
                list.retain(|(m, _)| !m.eq_ignore_ascii_case(&n));
                if list.len() < before {
                    respond(204, None)
                } else {
                    error(
                        404,
                        "ResourceNotFound",
                        "Extension with given id not found.",
                    )
                }
            }
            _ => error(400, "BadRequest", "unsupported"),
        }
    }
}

impl MemoryGraph {
    /// Sends one request: logs it and answers it.
    pub fn send(&self, request: Request) -> Response {
        let logged = Logged {
            method: request.method().clone(),
            url: request.uri().to_string(),
            body: (!request.body().is_empty()).then(|| request.body().to_vec()),
        };
        self.log.lock().unwrap().push(logged.clone());
        self.answer(&logged)
    }
}

/// One attempt per operation, no retries: what an in-memory executor needs.
impl Execute for MemoryGraph {
    fn execute<O>(&self, op: &O) -> impl Future<Output = Result<O::Output, Error>> + Send
    where
        O: Operation + Sync + ?Sized,
        O::Output: Send,
    {
        let out = op.request().and_then(|req| op.read(self.send(req)));
        std::future::ready(out)
    }
}
