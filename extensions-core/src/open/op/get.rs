//! `GET {resource}/extensions/{name}`: one extension, typed or untyped.

use std::borrow::Cow;
use std::marker::PhantomData;

use http::{Method, StatusCode};

use crate::operation::{Built, Operation, Repeat, Request, Response, empty};

use crate::error::Error;
use crate::name::ExtensionName;
use crate::open::decode::DecodeCx;
use crate::open::extension::OpenExtension;
use crate::open::extension::read_into;
use crate::open::object::{ExtensionObject, extension_from, is_extension_not_found};
use crate::operation::read::{json_body, not_success};
use crate::resource::{Resource, RouteTail};

/// The request and route of a call on `{resource}/extensions/{name}`.
pub(crate) fn on_extension(
    method: Method,
    resource: &Resource,
    name: &str,
) -> (Built, &'static str) {
    let req = resource
        .validate()
        .and_then(|()| empty(method, &resource.extension_path(name)));
    (Built::new(req), resource.route(RouteTail::Extension))
}

/// Reads extension `T` from a resource: `Some(value)`, or `None` if the resource has no such
/// extension. A missing resource is an error ([`GraphErrorKind::ParentNotFound`]).
///
/// [`GraphErrorKind::ParentNotFound`]: crate::GraphErrorKind::ParentNotFound
#[derive(Debug, Clone)]
pub struct Get<T> {
    built: Built,
    route: &'static str,
    _type: PhantomData<fn() -> T>,
}

impl<T: OpenExtension> Get<T> {
    /// `GET {resource}/extensions/{T::NAME}`.
    pub fn new(resource: impl AsRef<Resource>) -> Self {
        let (built, route) = on_extension(Method::GET, resource.as_ref(), T::NAME.as_str());
        Self {
            built,
            route,
            _type: PhantomData,
        }
    }
}

impl<T: OpenExtension> Operation for Get<T> {
    type Output = Option<T>;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Option<T>, Error> {
        match response.status() {
            StatusCode::OK => read_into::<T>(
                response.status(),
                response.body(),
                &mut DecodeCx::new(false),
            )
            .map(Some),
            StatusCode::NOT_FOUND if is_extension_not_found(&response) => Ok(None),
            _ => Err(not_success(&response, "a GET of an extension answers 200")),
        }
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.route)
    }
}

/// Reads the extension called `name` without a type: every property, annotations and id.
#[derive(Debug, Clone)]
pub struct GetUntyped {
    built: Built,
    route: &'static str,
}

impl GetUntyped {
    /// `GET {resource}/extensions/{name}`.
    pub fn new(resource: impl AsRef<Resource>, name: &ExtensionName) -> Self {
        let (built, route) = on_extension(Method::GET, resource.as_ref(), name.as_str());
        Self { built, route }
    }
}

impl Operation for GetUntyped {
    type Output = Option<ExtensionObject>;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Option<ExtensionObject>, Error> {
        read_get(&response)
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.route)
    }
}

/// `200` → `Some`, a 404 for the extension (not the resource) → `None`.
pub(crate) fn read_get(resp: &Response) -> Result<Option<ExtensionObject>, Error> {
    match resp.status() {
        StatusCode::OK => extension_from(resp, &json_body(resp)?).map(Some),
        StatusCode::NOT_FOUND if is_extension_not_found(resp) => Ok(None),
        _ => Err(not_success(resp, "a GET of an extension answers 200")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GraphErrorKind;
    use crate::operation::tests::{answer, graph_error};

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

    fn get() -> GetUntyped {
        GetUntyped::new(
            Resource::me().message("AAMk"),
            &ExtensionName::from_static("Com.Contoso.Referral"),
        )
    }

    #[test]
    fn request_and_route() {
        let op = get();
        let req = op.request().unwrap();
        assert_eq!(req.method(), Method::GET);
        assert_eq!(
            req.uri(),
            "/me/messages/AAMk/extensions/Com.Contoso.Referral"
        );
        assert!(req.body().is_empty());
        assert_eq!(op.route(), "/me/messages/{id}/extensions/{name}");
        assert_eq!(op.repeat(), Repeat::Safe);
    }

    #[test]
    fn reads_an_outlook_extension_with_annotations() {
        let e = get().read(answer(200, OUTLOOK)).unwrap().unwrap();
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
    fn refuses_bodies_that_are_not_extensions() {
        for body in ["not json", r#"{"a":1}"#, "[1]"] {
            let err = get().read(answer(200, body)).unwrap_err();
            assert!(
                matches!(err, Error::UnexpectedResponse { status, .. } if status == 200),
                "{body}: {err:?}"
            );
        }
        let err = get().read(answer(201, "{}")).unwrap_err();
        assert!(matches!(err, Error::UnexpectedResponse { status, .. } if status == 201));
    }

    #[test]
    fn not_found_extension_is_none_but_missing_parent_is_an_error() {
        let r = || {
            graph_error(
                404,
                "ResourceNotFound",
                "Extension with given id not found.",
            )
        };
        assert_eq!(get().read(r()).unwrap(), None);
        let err = get()
            .read(graph_error(
                404,
                "Request_ResourceNotFound",
                "Resource 'x' does not exist.",
            ))
            .unwrap_err();
        let g = err.graph_error().unwrap();
        assert_eq!(g.kind, GraphErrorKind::ParentNotFound);
        assert_eq!(g.request_id.as_deref(), Some("rid-1"));
        assert_eq!(g.client_request_id.as_deref(), Some("cid-1"));
        assert_eq!(g.date.as_deref(), Some("2026-11-23T12:00:00"));
    }

    #[test]
    fn nested_values_are_kept() {
        let e = get()
            .read(answer(200, r#"{"id":"a.b","x":{"y":[1,{"z":null}]}}"#))
            .unwrap()
            .unwrap();
        assert_eq!(
            e.properties.get("x").unwrap().to_json(),
            serde_json::json!({"y":[1,{"z":null}]})
        );
    }

    #[test]
    fn typed_get_reads_straight_from_the_bytes() {
        use crate::open::op::tests::Hr;
        let op = Get::<Hr>::new(Resource::me().message("AAMk"));
        let body = r##"{"@odata.context":"x","@odata.type":"#microsoft.graph.openTypeExtension","id":"Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.HR","extensionName":"Com.Contoso.HR","companyName":"C\u00e9","topPicks":["a","b"],"nested":{"k":[1]}}"##;
        let hr = op.read(answer(200, body)).unwrap().unwrap();
        assert_eq!(hr.company_name, "Cé");
        assert_eq!(hr.top_picks, ["a", "b"]);
        let err = op
            .read(answer(
                200,
                r#"{"id":"Com.Contoso.HR","companyName":1,"topPicks":[]}"#,
            ))
            .unwrap_err();
        assert!(
            matches!(&err, Error::PropertyType { property, expected: "a string", found } if property == "companyName" && found == "the number 1"),
            "{err:?}"
        );
        let err = op
            .read(answer(200, r#"{"id":"Com.Contoso.HR","topPicks":[]}"#))
            .unwrap_err();
        assert!(matches!(&err, Error::MissingProperty { property } if property == "companyName"));
        let err = op
            .read(answer(200, r#"{"companyName":"x","topPicks":[]}"#))
            .unwrap_err();
        assert!(
            matches!(err, Error::UnexpectedResponse { .. }),
            "neither id nor name"
        );
    }

    #[test]
    fn refused_ids_are_reported_before_sending() {
        let op = GetUntyped::new(Resource::user(".."), &ExtensionName::from_static("a.b"));
        assert!(matches!(op.request(), Err(Error::InvalidResourceId { .. })));
    }
}
