//! The definitions on an owner app: create, list, get, delete, and every definition in the
//! tenant.

use std::borrow::Cow;

use bytes::Bytes;
use http::{Method, StatusCode};

use super::not_success;
use crate::directory::{ExtensionProperty, NewExtensionProperty, OwnerApp, PropertyName};
use crate::error::Error;
use crate::operation::read::Page;
use crate::operation::{Built, Operation, Repeat, Request, Response, empty, json};
use crate::resource::encode_component;

fn definition_from(resp: &Response) -> Result<ExtensionProperty, Error> {
    serde_json::from_slice(resp.body()).map_err(|e| Error::UnexpectedResponse {
        status: resp.status(),
        detail: format!("the body is not a directory extension definition: {e}"),
    })
}

fn page_from(resp: &Response) -> Result<Page<ExtensionProperty>, Error> {
    if resp.status() != StatusCode::OK {
        return Err(not_success(resp, "a list answers 200"));
    }
    #[derive(serde::Deserialize)]
    struct Raw {
        value: Vec<ExtensionProperty>,
        #[serde(rename = "@odata.nextLink", default)]
        next: Option<String>,
    }
    let raw: Raw = serde_json::from_slice(resp.body()).map_err(|e| Error::UnexpectedResponse {
        status: resp.status(),
        detail: format!("the body is not a page of directory extension definitions: {e}"),
    })?;
    Ok(Page {
        items: raw.value,
        next_link: raw.next,
    })
}

fn collection(app: &OwnerApp) -> String {
    format!("{}/extensionProperties", app.path())
}

macro_rules! operation {
    ($op:ident, $out:ty, $repeat:expr, $route:literal, |$self:ident, $resp:ident| $read:expr) => {
        impl Operation for $op {
            type Output = $out;

            fn request(&self) -> Result<Request, Error> {
                self.built.get()
            }

            fn read(&$self, $resp: Response) -> Result<$out, Error> {
                $read
            }

            fn repeat(&self) -> Repeat {
                $repeat
            }

            fn route(&self) -> Cow<'static, str> {
                Cow::Borrowed($route)
            }
        }
    };
}

/// Creates a definition on the owner app: `POST {app}/extensionProperties`; Graph answers 201
/// with the definition, its name now `extension_{appId}_{name}`. Refused before sending: a
/// name Graph would refuse, no target, a target twice. Repeat class [`Repeat::Once`]: a create
/// whose answer was lost is not sent again (a second one would be refused as a duplicate);
/// [`DirectoryExtensionExt::register`](crate::directory::DirectoryExtensionExt::register)
/// lists what exists before it creates, so calling it again is the way to resume.
#[derive(Debug, Clone)]
pub struct CreateExtensionProperty {
    built: Built,
}

impl CreateExtensionProperty {
    /// `POST {app}/extensionProperties` with `definition`.
    pub fn new(app: &OwnerApp, definition: &NewExtensionProperty) -> Self {
        let req = definition
            .body()
            .and_then(|b| json(Method::POST, &collection(app), Bytes::from(b.to_string())));
        Self {
            built: Built::new(req),
        }
    }
}

operation!(
    CreateExtensionProperty,
    ExtensionProperty,
    Repeat::Once,
    "/applications/{id}/extensionProperties",
    |self, resp| match resp.status() {
        StatusCode::CREATED | StatusCode::OK => definition_from(&resp),
        _ => Err(not_success(&resp, "a create answers 201")),
    }
);

/// Lists the definitions on the owner app, or the one with a given full name
/// (`$filter=name eq '…'`), page by page. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct ListExtensionProperties {
    built: Built,
}

impl ListExtensionProperties {
    /// `GET {app}/extensionProperties`, every definition of the app.
    pub fn new(app: &OwnerApp) -> Self {
        Self {
            built: Built::new(empty(Method::GET, &collection(app))),
        }
    }

    /// `GET {app}/extensionProperties?$filter=name eq '{name}'`.
    pub fn named(app: &OwnerApp, name: &PropertyName) -> Self {
        let uri = format!(
            "{}?%24filter={}",
            collection(app),
            encode_component(&format!("name eq '{name}'"))
        );
        Self {
            built: Built::new(empty(Method::GET, &uri)),
        }
    }

    /// The page at `next_link` (an absolute URL from the previous page).
    pub fn next(next_link: &str) -> Self {
        Self {
            built: Built::new(empty(Method::GET, next_link)),
        }
    }
}

operation!(
    ListExtensionProperties,
    Page<ExtensionProperty>,
    Repeat::Safe,
    "/applications/{id}/extensionProperties",
    |self, resp| page_from(&resp)
);

/// Reads one definition by its object id. `None` on a 404. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct GetExtensionProperty {
    built: Built,
}

impl GetExtensionProperty {
    /// `GET {app}/extensionProperties/{id}`.
    pub fn new(app: &OwnerApp, id: &str) -> Self {
        let uri = format!("{}/{}", collection(app), encode_component(id));
        Self {
            built: Built::new(empty(Method::GET, &uri)),
        }
    }
}

operation!(
    GetExtensionProperty,
    Option<ExtensionProperty>,
    Repeat::Safe,
    "/applications/{id}/extensionProperties/{id}",
    |self, resp| match resp.status() {
        StatusCode::OK => definition_from(&resp).map(Some),
        StatusCode::NOT_FOUND => Ok(None),
        _ => Err(not_success(&resp, "a read answers 200")),
    }
);

/// Deletes a definition (Graph refuses one synced from on-premises). The values on resources
/// are hidden, not erased: they still count towards a resource's 100, and show again if a
/// definition of the same name is created on the same app. Output: `true` if it was deleted,
/// `false` on a 404. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct DeleteExtensionProperty {
    built: Built,
}

impl DeleteExtensionProperty {
    /// `DELETE {app}/extensionProperties/{id}`.
    pub fn new(app: &OwnerApp, id: &str) -> Self {
        let uri = format!("{}/{}", collection(app), encode_component(id));
        Self {
            built: Built::new(empty(Method::DELETE, &uri)),
        }
    }
}

operation!(
    DeleteExtensionProperty,
    bool,
    Repeat::Safe,
    "/applications/{id}/extensionProperties/{id}",
    |self, resp| match resp.status() {
        StatusCode::NO_CONTENT | StatusCode::OK => Ok(true),
        StatusCode::NOT_FOUND => Ok(false),
        _ => Err(not_success(&resp, "a delete answers 204")),
    }
);

/// Every directory extension definition registered in the tenant, including multi-tenant
/// apps': `POST /directoryObjects/getAvailableExtensionProperties`. A read, though sent as a
/// `POST`: repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct AvailableExtensionProperties {
    built: Built,
}

impl AvailableExtensionProperties {
    /// Every definition (`{}`), or only those synced from on-premises (`Some(true)`) or only
    /// those that are not (`Some(false)`): `{"isSyncedFromOnPremises": …}`.
    pub fn new(synced_from_on_premises: Option<bool>) -> Self {
        let body = match synced_from_on_premises {
            None => "{}".to_owned(),
            Some(b) => format!("{{\"isSyncedFromOnPremises\":{b}}}"),
        };
        Self {
            built: Built::new(json(
                Method::POST,
                "/directoryObjects/getAvailableExtensionProperties",
                Bytes::from(body),
            )),
        }
    }

    /// The page at `next_link`, followed with `GET` as every `@odata.nextLink`.
    pub fn next(next_link: &str) -> Self {
        Self {
            built: Built::new(empty(Method::GET, next_link)),
        }
    }
}

operation!(
    AvailableExtensionProperties,
    Page<ExtensionProperty>,
    Repeat::Safe,
    "/directoryObjects/getAvailableExtensionProperties",
    |self, resp| page_from(&resp)
);

/// An application registration, as Graph answers it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Application {
    /// The object id (`/applications/{id}`).
    pub id: String,
    /// The `appId` (client id), which names its directory extensions.
    pub app_id: String,
    /// Its display name.
    #[serde(default)]
    pub display_name: Option<String>,
}

impl Application {
    /// The app as an owner of directory extensions, addressed by its object id.
    pub fn owner(&self) -> Result<OwnerApp, Error> {
        Ok(OwnerApp::new(&self.app_id)?.with_object_id(&self.id))
    }
}

/// Registers an application: `POST /applications` `{"displayName": …}` (201). Repeat class
/// [`Repeat::Once`]: an app whose answer was lost is not created twice.
#[derive(Debug, Clone)]
pub struct CreateApplication {
    built: Built,
}

impl CreateApplication {
    /// `POST /applications` with this display name.
    pub fn new(display_name: &str) -> Self {
        let body = serde_json::json!({ "displayName": display_name }).to_string();
        Self {
            built: Built::new(json(Method::POST, "/applications", Bytes::from(body))),
        }
    }
}

operation!(
    CreateApplication,
    Application,
    Repeat::Once,
    "/applications",
    |self, resp| match resp.status() {
        StatusCode::CREATED | StatusCode::OK => serde_json::from_slice(resp.body()).map_err(|e| {
            Error::UnexpectedResponse {
                status: resp.status(),
                detail: format!("the body is not an application: {e}"),
            }
        }),
        _ => Err(not_success(&resp, "a create answers 201")),
    }
);

/// Creates the service principal of an application in the tenant: `POST /servicePrincipals`
/// `{"appId": …}` (201); the answer's object id. Repeat class [`Repeat::Once`].
#[derive(Debug, Clone)]
pub struct CreateServicePrincipal {
    built: Built,
}

impl CreateServicePrincipal {
    /// `POST /servicePrincipals` for the app `app`.
    pub fn new(app: &OwnerApp) -> Self {
        let body = serde_json::json!({ "appId": app.app_id().to_string() }).to_string();
        Self {
            built: Built::new(json(Method::POST, "/servicePrincipals", Bytes::from(body))),
        }
    }
}

operation!(
    CreateServicePrincipal,
    String,
    Repeat::Once,
    "/servicePrincipals",
    |self, resp| match resp.status() {
        StatusCode::CREATED | StatusCode::OK =>
            serde_json::from_slice::<serde_json::Value>(resp.body())
                .ok()
                .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_owned))
                .ok_or_else(|| Error::UnexpectedResponse {
                    status: resp.status(),
                    detail: "the body is not a service principal with an id".into(),
                }),
        _ => Err(not_success(&resp, "a create answers 201")),
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::data::tests::app;
    use crate::directory::{DataType, TargetObject};
    use crate::operation::tests::{answer, graph_error};

    const STORED: &str = r#"{"id":"d3a1","appDisplayName":"Team bonding","dataType":"String","isMultiValued":false,"isSyncedFromOnPremises":false,"name":"extension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroupTracker","targetObjects":["User"]}"#;

    #[test]
    fn create_by_app_id_and_by_object_id() {
        let new = NewExtensionProperty {
            name: "jobGroupTracker".into(),
            data_type: DataType::String,
            multi_valued: false,
            targets: vec![TargetObject::User],
        };
        let op = CreateExtensionProperty::new(&app(), &new);
        let req = op.request().unwrap();
        assert_eq!(req.method(), Method::POST);
        assert_eq!(
            req.uri(),
            "/applications(appId='5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb')/extensionProperties"
        );
        let op = CreateExtensionProperty::new(&app().with_object_id("o/1"), &new);
        assert_eq!(
            op.request().unwrap().uri(),
            "/applications/o%2F1/extensionProperties"
        );
        let stored = op.read(answer(201, STORED)).unwrap();
        assert_eq!(stored.property_name().unwrap().name(), "jobGroupTracker");
        let refused = op
            .read(graph_error(400, "Request_BadRequest", "Invalid value"))
            .unwrap_err();
        assert_eq!(refused.kind(), Some(crate::GraphErrorKind::BadRequest));
        let bad = NewExtensionProperty {
            name: "job group".into(),
            ..new
        };
        assert!(matches!(
            CreateExtensionProperty::new(&app(), &bad).request(),
            Err(Error::DirectoryNameInvalid { .. })
        ));
    }

    #[test]
    fn list_get_delete_available() {
        let name = app().property("jobGroupTracker").unwrap();
        let op = ListExtensionProperties::named(&app(), &name);
        assert!(
            op.request()
                .unwrap()
                .uri()
                .to_string()
                .ends_with("/extensionProperties?%24filter=name%20eq%20%27extension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroupTracker%27")
        );
        let page = op
            .read(answer(200, &format!(r#"{{"value":[{STORED}]}}"#)))
            .unwrap();
        assert_eq!(page.items.len(), 1);
        let get = GetExtensionProperty::new(&app(), "d3a1");
        assert_eq!(get.read(answer(404, "")).unwrap(), None);
        let del = DeleteExtensionProperty::new(&app(), "d3a1");
        assert!(del.read(answer(204, "")).unwrap());
        assert!(!del.read(answer(404, "")).unwrap());
        let all = AvailableExtensionProperties::new(Some(false));
        let req = all.request().unwrap();
        assert_eq!(req.body().as_ref(), br#"{"isSyncedFromOnPremises":false}"#);
        assert_eq!(all.repeat(), Repeat::Safe);
    }
}
