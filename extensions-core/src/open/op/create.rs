//! `POST {resource}/extensions`: a new extension on an existing resource.

use std::borrow::Cow;

use bytes::Bytes;
use http::{Method, StatusCode};

use super::get::read_get;
use crate::error::Error;
use crate::name::ExtensionName;
use crate::open::extension::{OpenExtension, encode, encode_untyped};
use crate::open::object::{ExtensionObject, extension_from};
use crate::operation::read::not_success;
use crate::operation::{Built, Confirmation, Operation, Repeat, Request, Response, empty, json};
use crate::resource::{Resource, RouteTail};
use crate::value::Properties;

/// Creates an extension on a resource and returns what Graph stored. The body is encoded and
/// checked (names, values, the 2 KB limit of directory objects) when the operation is built.
///
/// Repeat class [`Repeat::ReadBack`]: when an attempt's outcome is unknown, the executor reads
/// the extension back, and takes it as created if it holds exactly the properties sent (compared
/// as a set: order does not matter).
#[derive(Debug, Clone)]
pub struct Create {
    built: Built,
    route: &'static str,
    read_back: Built,
}

impl Create {
    /// `POST {resource}/extensions` with every property of `ext`.
    pub fn new<T: OpenExtension>(resource: impl AsRef<Resource>, ext: &T) -> Self {
        let resource = resource.as_ref();
        Self::with_body(resource, T::NAME.as_str(), || encode(resource.kind(), ext))
    }

    /// `POST {resource}/extensions` with untyped properties.
    pub fn untyped(
        resource: impl AsRef<Resource>,
        name: &ExtensionName,
        properties: &Properties,
    ) -> Self {
        let resource = resource.as_ref();
        Self::with_body(resource, name.as_str(), || {
            encode_untyped(resource.kind(), name, properties)
        })
    }

    fn with_body(
        resource: &Resource,
        name: &str,
        body: impl FnOnce() -> Result<Vec<u8>, Error>,
    ) -> Self {
        let req = resource
            .validate()
            .and_then(|()| body())
            .and_then(|b| json(Method::POST, &resource.extensions_path(), Bytes::from(b)));
        let back = resource
            .validate()
            .and_then(|()| empty(Method::GET, &resource.extension_path(name)));
        Self {
            built: Built::new(req),
            route: resource.route(RouteTail::Extensions),
            read_back: Built::new(back),
        }
    }
}

impl Operation for Create {
    type Output = ExtensionObject;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<ExtensionObject, Error> {
        match response.status() {
            StatusCode::OK | StatusCode::CREATED => {
                extension_from(&response, &crate::operation::read::json_body(&response)?)
            }
            _ => Err(not_success(
                &response,
                "a create answers 201 with the extension",
            )),
        }
    }

    fn repeat(&self) -> Repeat {
        Repeat::ReadBack
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.route)
    }

    fn read_back(&self) -> Option<Request> {
        self.read_back.get().ok()
    }

    fn confirm(&self, response: Response) -> Result<Confirmation<ExtensionObject>, Error> {
        let Some(stored) = read_get(&response)? else {
            return Ok(Confirmation::Absent);
        };
        let sent_json: serde_json::Value = match self.built.body() {
            Some(body) => serde_json::from_slice(body).map_err(|e| Error::UnexpectedResponse {
                status: response.status(),
                detail: format!("internal: the body sent is not JSON: {e}"),
            })?,
            None => return Ok(Confirmation::Absent),
        };
        let sent =
            ExtensionObject::from_json(&sent_json).map_err(|detail| Error::UnexpectedResponse {
                status: response.status(),
                detail,
            })?;
        if stored.properties.same_set(&sent.properties) {
            Ok(Confirmation::Applied(stored))
        } else {
            Ok(Confirmation::Different(Error::StoredDifferently {
                name: sent.name().to_owned(),
                stored: Box::new(stored.properties),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::tests::{answer, graph_error};

    fn props(pairs: &[(&str, i64)]) -> Properties {
        let mut p = Properties::new();
        for (k, v) in pairs {
            p.insert(*k, *v);
        }
        p
    }

    fn create() -> Create {
        Create::untyped(
            Resource::device("d1"),
            &ExtensionName::from_static("com.contoso.X"),
            &props(&[("a", 1), ("b", 2)]),
        )
    }

    #[test]
    fn posts_the_extension_with_a_content_type() {
        let op = create();
        let r = op.request().unwrap();
        assert_eq!(r.method(), Method::POST);
        assert_eq!(r.uri(), "/devices/d1/extensions");
        assert_eq!(r.headers()["content-type"], "application/json");
        assert_eq!(
            std::str::from_utf8(r.body()).unwrap(),
            r##"{"@odata.type":"#microsoft.graph.openTypeExtension","extensionName":"com.contoso.X","id":"com.contoso.X","a":1,"b":2}"##
        );
        assert_eq!(op.route(), "/devices/{id}/extensions");
        assert_eq!(
            op.read_back().unwrap().uri(),
            "/devices/d1/extensions/com.contoso.X"
        );
    }

    #[test]
    fn reads_201_and_errors() {
        let e = create()
            .read(answer(201, r#"{"id":"com.contoso.X","a":1,"b":2}"#))
            .unwrap();
        assert_eq!(e.name(), "com.contoso.X");
        let err = create()
            .read(graph_error(
                400,
                "Request_BadRequest",
                "An extension already exists with given id.",
            ))
            .unwrap_err();
        assert_eq!(
            err.graph_error().unwrap().kind,
            crate::GraphErrorKind::AlreadyExists
        );
        assert!(matches!(
            create().read(answer(204, "")),
            Err(Error::UnexpectedResponse { .. })
        ));
    }

    #[test]
    fn read_back_compares_as_a_set() {
        let op = create();
        let reordered = answer(200, r#"{"id":"com.contoso.X","b":2,"a":1}"#);
        assert!(matches!(
            op.confirm(reordered).unwrap(),
            Confirmation::Applied(e) if e.properties == props(&[("b", 2), ("a", 1)])
        ));
        // Something else is there: never "absent", so the create is not sent again.
        for other in [
            r#"{"id":"com.contoso.X","a":1,"b":3}"#,
            r#"{"id":"com.contoso.X","a":1}"#,
            r#"{"id":"com.contoso.X","a":1,"b":2,"c":3}"#,
        ] {
            match op.confirm(answer(200, other)).unwrap() {
                Confirmation::Different(Error::StoredDifferently { name, stored }) => {
                    assert_eq!(name, "com.contoso.X");
                    assert_eq!(
                        *stored,
                        ExtensionObject::from_json(&serde_json::from_str(other).unwrap())
                            .unwrap()
                            .properties
                    );
                }
                c => panic!("{other}: {c:?}"),
            }
        }
        let absent = graph_error(
            404,
            "ResourceNotFound",
            "Extension with given id not found.",
        );
        assert!(matches!(op.confirm(absent).unwrap(), Confirmation::Absent));
        let failed = graph_error(503, "serviceNotAvailable", "x");
        assert!(op.confirm(failed).is_err());
    }

    #[test]
    fn too_large_is_refused_before_sending_every_time() {
        let mut p = Properties::new();
        p.insert("big", "x".repeat(3000));
        let op = Create::untyped(
            Resource::user("u"),
            &ExtensionName::from_static("com.contoso.X"),
            &p,
        );
        for _ in 0..2 {
            assert!(matches!(
                op.request(),
                Err(Error::TooLarge { limit: 2048, .. })
            ));
        }
        let op = Create::untyped(
            Resource::me().message("m"),
            &ExtensionName::from_static("com.contoso.X"),
            &p,
        );
        assert!(op.request().is_ok(), "Outlook items have no size limit");
    }
}
