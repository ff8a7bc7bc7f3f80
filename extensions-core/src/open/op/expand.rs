//! `GET {resource}?$expand=extensions…`: a resource with its extensions in one call.

use std::borrow::Cow;

use http::{Method, StatusCode};

use crate::operation::{Built, Operation, Repeat, Request, Response, empty};

use crate::error::Error;
use crate::name::ExtensionName;
use crate::open::object::Expanded;
use crate::operation::read::not_success;
use crate::resource::{Resource, ResourceClass, ResourceKind, RouteTail, encode_component};

/// Reads a resource with its extensions. On users it selects `id`, `userPrincipalName` and
/// `displayName` (without a `$select` of `id`, Graph answers the expand with a 500). On Outlook
/// items an unfiltered expand fails, so the
/// expand is filtered to one name there (`$expand=extensions($filter=id eq '{name}')`, as
/// [Get open extension](https://learn.microsoft.com/en-us/graph/api/opentypeextension-get)
/// shows); elsewhere every extension comes back. [`Expanded::extension`] decodes one by type.
/// Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct Expand {
    built: Built,
    route: &'static str,
}

impl Expand {
    /// `GET {resource}?$expand=extensions`, filtered to `name` on Outlook items.
    pub fn new(resource: impl AsRef<Resource>, name: &ExtensionName) -> Self {
        let resource = resource.as_ref();
        let req = resource.validate().and_then(|()| {
            let mut uri = resource.path();
            // On users, `$expand=extensions` without a `$select` of `id` is a 500 in Graph.
            if resource.kind() == ResourceKind::User {
                uri.push_str("?%24select=id%2CuserPrincipalName%2CdisplayName&%24expand=");
            } else {
                uri.push_str("?%24expand=");
            }
            if resource.class() == ResourceClass::OutlookItem {
                // Names hold no quote (the name rules), so the OData literal needs no escaping.
                let expr = format!("extensions($filter=id eq '{}')", name.as_str());
                uri.push_str(&encode_component(&expr));
            } else {
                uri.push_str("extensions");
            }
            empty(Method::GET, &uri)
        });
        Self {
            built: Built::new(req),
            route: resource.route(RouteTail::Resource),
        }
    }
}

impl Operation for Expand {
    type Output = Expanded;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Expanded, Error> {
        match response.status() {
            StatusCode::OK => {
                Expanded::from_json(&response, &crate::operation::read::json_body(&response)?)
            }
            _ => Err(not_success(&response, "a GET answers 200")),
        }
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.route)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::open::op::tests::Hr;
    use crate::operation::tests::answer;

    fn name() -> ExtensionName {
        ExtensionName::from_static("Com.Contoso.HR")
    }

    #[test]
    fn filtered_on_outlook_items_and_encoded() {
        let op = Expand::new(Resource::me().message("AAMk="), &name());
        assert_eq!(
            op.request().unwrap().uri(),
            "/me/messages/AAMk%3D?%24expand=extensions%28%24filter%3Did%20eq%20%27Com.Contoso.HR%27%29"
        );
        assert_eq!(op.route(), "/me/messages/{id}");
        let op = Expand::new(Resource::user("u"), &name());
        assert_eq!(
            op.request().unwrap().uri(),
            "/users/u?%24select=id%2CuserPrincipalName%2CdisplayName&%24expand=extensions"
        );
        let op = Expand::new(Resource::group("g"), &name());
        assert_eq!(
            op.request().unwrap().uri(),
            "/groups/g?%24expand=extensions"
        );
    }

    #[test]
    fn reads_the_resource_and_its_extension() {
        let op = Expand::new(Resource::user("u"), &name());
        let body = r##"{"id":"u","displayName":"A","extensions":[{"@odata.type":"#microsoft.graph.openTypeExtension","id":"Com.Contoso.HR","extensionName":"Com.Contoso.HR","companyName":"C","topPicks":["x"]}]}"##;
        let e = op.read(answer(200, body)).unwrap();
        assert_eq!(e.id.as_deref(), Some("u"));
        assert_eq!(e.fields["displayName"], "A");
        assert!(!e.fields.contains_key("extensions"));
        assert_eq!(e.extension::<Hr>().unwrap().unwrap().top_picks, ["x"]);
    }
}
