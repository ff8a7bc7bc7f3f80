//! `PATCH {resource}/extensions/{name}`: write every property of an extension.

use std::borrow::Cow;

use bytes::Bytes;
use http::{Method, StatusCode};

use crate::operation::{Built, Operation, Repeat, Request, Response, json};

use crate::error::Error;
use crate::name::ExtensionName;
use crate::open::extension::{OpenExtension, encode, encode_body, encode_untyped};
use crate::open::object::{ExtensionObject, extension_from};
use crate::operation::read::not_success;
use crate::resource::{Resource, RouteTail};
use crate::value::Properties;

/// Writes **every** property of an extension (`None` as `null`), never a subset.
///
/// What happens to stored properties the body does not name depends on the resource
/// ([Update openTypeExtension](https://learn.microsoft.com/en-us/graph/api/opentypeextension-update)):
/// on directory objects (users, groups, devices, organizations, administrative units) a PATCH
/// *replaces* the extension, so they are deleted; on Outlook and to-do items the current
/// documentation says a PATCH *merges*, so they are kept. Sending the full declared set is right
/// under both rules. To keep undeclared properties on every resource, use `update` (read, change,
/// write back with everything the server had) or [`Patch::keeping`].
///
/// Output: the updated extension when Graph sends it (Outlook items answer `200` with it),
/// `None` for `204 No Content` (directory objects). Repeat class [`Repeat::Safe`]: the same full
/// body twice has the effect of once.
#[derive(Debug, Clone)]
pub struct Patch {
    built: Built,
    route: &'static str,
}

impl Patch {
    /// `PATCH {resource}/extensions/{T::NAME}` with every property of `ext`.
    pub fn new<T: OpenExtension>(resource: impl AsRef<Resource>, ext: &T) -> Self {
        let resource = resource.as_ref();
        Self::with_body(resource, T::NAME.as_str(), || encode(resource.kind(), ext))
    }

    /// Like [`new`](Self::new), and also writes back every property of `stored` that `ext` does
    /// not write, so nothing stored is lost. The size limit applies to the merged body.
    pub fn keeping<T: OpenExtension>(
        resource: impl AsRef<Resource>,
        ext: &T,
        stored: &Properties,
    ) -> Self {
        let resource = resource.as_ref();
        Self::with_body(resource, T::NAME.as_str(), || {
            encode_body(
                resource.kind(),
                T::NAME.as_str(),
                |w| ext.write_properties(w),
                Some(stored),
            )
        })
    }

    /// `PATCH {resource}/extensions/{name}` with exactly `properties`.
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
        let req = resource.validate().and_then(|()| body()).and_then(|b| {
            json(
                Method::PATCH,
                &resource.extension_path(name),
                Bytes::from(b),
            )
        });
        Self {
            built: Built::new(req),
            route: resource.route(RouteTail::Extension),
        }
    }
}

impl Operation for Patch {
    type Output = Option<ExtensionObject>;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Option<ExtensionObject>, Error> {
        read_patch(&response)
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.route)
    }
}

/// `200` with the updated extension → `Some`, `204` (or an empty 200) → `None`.
pub(crate) fn read_patch(resp: &Response) -> Result<Option<ExtensionObject>, Error> {
    match resp.status() {
        StatusCode::OK if !resp.body().is_empty() => {
            extension_from(resp, &crate::operation::read::json_body(resp)?).map(Some)
        }
        StatusCode::OK | StatusCode::NO_CONTENT => Ok(None),
        _ => Err(not_success(resp, "a PATCH answers 200 or 204")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::open::op::tests::hr;
    use crate::operation::tests::answer;

    #[test]
    fn sends_every_property_and_reads_both_answers() {
        let op = Patch::new(Resource::me().message("m"), &hr());
        let r = op.request().unwrap();
        assert_eq!(r.method(), Method::PATCH);
        assert_eq!(r.uri(), "/me/messages/m/extensions/Com.Contoso.HR");
        assert_eq!(op.route(), "/me/messages/{id}/extensions/{name}");
        assert!(std::str::from_utf8(r.body()).unwrap().ends_with(
            r#""extensionName":"Com.Contoso.HR","companyName":"Contoso","topPicks":["Employees only","Add family"]}"#
        ));
        assert!(
            op.read(answer(200, r#"{"id":"x.y","a":1}"#))
                .unwrap()
                .is_some()
        );
        assert_eq!(op.read(answer(204, "")).unwrap(), None);
        assert!(matches!(
            op.read(answer(201, "{}")),
            Err(Error::UnexpectedResponse { status, .. }) if status == 201
        ));
    }

    #[test]
    fn keeping_adds_what_the_type_does_not_write() {
        let mut stored = Properties::new();
        stored.insert("companyName", "old");
        stored.insert("legacy", "kept");
        let op = Patch::keeping(Resource::device("d"), &hr(), &stored);
        let body = op.request().unwrap();
        let text = std::str::from_utf8(body.body()).unwrap();
        assert!(text.ends_with(r#""companyName":"Contoso","topPicks":["Employees only","Add family"],"legacy":"kept"}"#), "{text}");
    }

    #[test]
    fn untyped_checks_names_and_sizes() {
        let name = ExtensionName::from_static("com.contoso.X");
        let mut p = Properties::new();
        p.insert("extensionName", "sneaky");
        assert!(matches!(
            Patch::untyped(Resource::user("u"), &name, &p).request(),
            Err(Error::PropertyNameInvalid { .. })
        ));
        let mut p = Properties::new();
        p.insert("big", "x".repeat(3000));
        assert!(matches!(
            Patch::untyped(Resource::user("u"), &name, &p).request(),
            Err(Error::TooLarge { limit: 2048, .. })
        ));
        assert!(
            Patch::untyped(Resource::me().message("m"), &name, &p)
                .request()
                .is_ok()
        );
    }
}
