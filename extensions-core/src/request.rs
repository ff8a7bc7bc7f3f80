//! Building requests: method + URL + headers + body, checked before anything is sent.
//!
//! URLs are relative to the API version root (`/users/…`, to be joined to
//! `https://graph.microsoft.com/v1.0` or a loopback emulator), except [`next_page`], whose URL is
//! the absolute `@odata.nextLink` to follow as is.

use std::fmt;

use crate::error::Error;
use crate::extension::{OpenExtension, encode, encode_body};
use crate::name::ExtensionName;
use crate::resource::{ItemCollection, NewItemKind, Resource, ResourceClass, encode_component};
use crate::value::Properties;

/// The HTTP methods this protocol uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
}

impl Method {
    /// The method as on the request line.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether repeating the request has the same effect as sending it once.
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request ready for a transport. It holds no credentials: the transport adds the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The URL: relative to the version root (`/me/extensions`), or absolute for a next page.
    pub url: String,
    /// Headers to send (`Content-Type` when there is a body).
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body, if any.
    pub body: Option<Vec<u8>>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body", &self.body.as_deref().map(String::from_utf8_lossy))
            .finish()
    }
}

impl Request {
    fn new(method: Method, url: String) -> Self {
        Self {
            method,
            url,
            headers: Vec::new(),
            body: None,
        }
    }

    fn json(mut self, body: Vec<u8>) -> Self {
        self.headers
            .push(("Content-Type", "application/json".to_owned()));
        self.body = Some(body);
        self
    }

    /// Whether the URL is absolute (a next page link).
    pub fn is_absolute(&self) -> bool {
        self.url.starts_with("https://") || self.url.starts_with("http://")
    }
}

/// `POST {resource}/extensions` with `ext`, refused before sending if over the size limit.
pub fn create<T: OpenExtension>(resource: &Resource, ext: &T) -> Result<Request, Error> {
    resource.validate()?;
    Ok(Request::new(Method::Post, resource.extensions_path()).json(encode(resource.kind(), ext)?))
}

/// `POST {resource}/extensions` with untyped properties.
pub fn create_untyped(
    resource: &Resource,
    name: &ExtensionName,
    properties: &Properties,
) -> Result<Request, Error> {
    resource.validate()?;
    let body = encode_body(
        resource.kind(),
        name.as_str(),
        |w| w.properties(properties),
        None,
    )?;
    Ok(Request::new(Method::Post, resource.extensions_path()).json(body))
}

/// `POST` to `target` creating a new item (message, event, contact, to-do list or task, or a
/// group post by reply) that carries `ext` in its `extensions` array.
///
/// `item` is the JSON of the new item (subject, body, …). If it already has an `extensions`
/// array, `ext` is appended to it. For a post reply the item goes inside `{"post": …}`.
pub fn create_with_new_item<T: OpenExtension>(
    target: &ItemCollection,
    mut item: serde_json::Map<String, serde_json::Value>,
    ext: &T,
) -> Result<Request, Error> {
    let parent = target.parent();
    parent.validate()?;
    let ext_json: serde_json::Value =
        serde_json::from_slice(&encode(target.kind().resource_kind(), ext)?).map_err(|e| {
            Error::ValueNotEncodable {
                property: String::new(),
                reason: format!("internal: the encoded extension is not JSON: {e}"),
            }
        })?;
    match item.get_mut("extensions") {
        None => {
            item.insert(
                "extensions".into(),
                serde_json::Value::Array(vec![ext_json]),
            );
        }
        Some(serde_json::Value::Array(list)) => list.push(ext_json),
        Some(_) => {
            return Err(Error::PropertyNameInvalid {
                property: "extensions".into(),
                reason: "the new item's `extensions` must be an array",
            });
        }
    }
    let body = if target.kind() == NewItemKind::PostReply {
        serde_json::json!({ "post": item })
    } else {
        serde_json::Value::Object(item)
    };
    let bytes = serde_json::to_vec(&body).map_err(|e| Error::ValueNotEncodable {
        property: String::new(),
        reason: e.to_string(),
    })?;
    Ok(Request::new(Method::Post, target.path().to_owned()).json(bytes))
}

/// `GET {resource}/extensions/{name}`.
pub fn get(resource: &Resource, name: &ExtensionName) -> Result<Request, Error> {
    resource.validate()?;
    Ok(Request::new(
        Method::Get,
        resource.extension_path(name.as_str()),
    ))
}

/// `GET {resource}/extensions`; refused on Outlook items, where Graph does not support it.
pub fn list(resource: &Resource) -> Result<Request, Error> {
    resource.validate()?;
    if !resource.class().supports_list() {
        return Err(Error::Unsupported {
            operation: "listing extensions",
            kind: resource.kind(),
        });
    }
    Ok(Request::new(Method::Get, resource.extensions_path()))
}

/// `GET {resource}?$expand=extensions`, filtered to `name` on Outlook items (where an unfiltered
/// expand fails): `$expand=extensions($filter=id eq '{name}')`, encoded.
pub fn expand(resource: &Resource, name: &ExtensionName) -> Result<Request, Error> {
    resource.validate()?;
    let mut url = resource.path();
    url.push_str("?%24expand=");
    if resource.class() == ResourceClass::OutlookItem {
        // Names hold no quote (the name rules), so the OData literal needs no escaping.
        let expr = format!("extensions($filter=id eq '{}')", name.as_str());
        url.push_str(&encode_component(&expr));
    } else {
        url.push_str("extensions");
    }
    Ok(Request::new(Method::Get, url))
}

/// `GET /users?$expand=extensions&$top={top}`: the first page of every user with extensions.
/// Follow [`Page::next_link`](crate::response::Page) with [`next_page`].
pub fn list_users_with_extensions(top: Option<u32>) -> Request {
    let mut url = String::from("/users?%24expand=extensions");
    if let Some(top) = top {
        url.push_str("&%24top=");
        url.push_str(&top.to_string());
    }
    Request::new(Method::Get, url)
}

/// `GET {next_link}`, the absolute `@odata.nextLink` of a page, followed as is.
pub fn next_page(next_link: &str) -> Request {
    Request::new(Method::Get, next_link.to_owned())
}

/// `PATCH {resource}/extensions/{name}` with **every** property of `ext` (`None` as `null`).
///
/// Graph deletes every property a PATCH omits, so properties stored on the server that `T` does
/// not declare are deleted by this request. Use [`crate::ops::update`] (read, modify, write back
/// with every property the server had) to keep them.
pub fn patch<T: OpenExtension>(resource: &Resource, ext: &T) -> Result<Request, Error> {
    resource.validate()?;
    Ok(
        Request::new(Method::Patch, resource.extension_path(T::NAME.as_str()))
            .json(encode(resource.kind(), ext)?),
    )
}

/// Like [`patch`], and also writes back every property of `server` that `ext` does not write,
/// so nothing stored is lost. The size limit applies to the merged body.
pub fn patch_keeping<T: OpenExtension>(
    resource: &Resource,
    ext: &T,
    server: &Properties,
) -> Result<Request, Error> {
    resource.validate()?;
    let body = encode_body(
        resource.kind(),
        T::NAME.as_str(),
        |w| ext.write_properties(w),
        Some(server),
    )?;
    Ok(Request::new(Method::Patch, resource.extension_path(T::NAME.as_str())).json(body))
}

/// `PATCH {resource}/extensions/{name}` with exactly `properties` (the full set).
pub fn patch_untyped(
    resource: &Resource,
    name: &ExtensionName,
    properties: &Properties,
) -> Result<Request, Error> {
    resource.validate()?;
    let body = encode_body(
        resource.kind(),
        name.as_str(),
        |w| w.properties(properties),
        None,
    )?;
    Ok(Request::new(Method::Patch, resource.extension_path(name.as_str())).json(body))
}

/// `DELETE {resource}/extensions/{name}`.
pub fn delete(resource: &Resource, name: &ExtensionName) -> Result<Request, Error> {
    resource.validate()?;
    Ok(Request::new(
        Method::Delete,
        resource.extension_path(name.as_str()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Sink;
    use crate::{OpenExtension, PropertyWriter, ResourceKind};
    use serde_json::json;

    struct Hr {
        company_name: &'static str,
        top_picks: Vec<&'static str>,
    }
    impl OpenExtension for Hr {
        const NAME: ExtensionName = ExtensionName::from_static("Com.Contoso.HR");
        fn write_properties<S: Sink + ?Sized>(
            &self,
            w: &mut PropertyWriter<'_, S>,
        ) -> Result<(), Error> {
            w.property("companyName", self.company_name)?;
            w.property("topPicks", &self.top_picks)
        }
        fn from_properties(_: &Properties) -> Result<Self, Error> {
            unreachable!("not read in these tests")
        }
    }

    fn hr() -> Hr {
        Hr {
            company_name: "Contoso",
            top_picks: vec!["Employees only", "Add family"],
        }
    }

    fn body(req: &Request) -> serde_json::Value {
        serde_json::from_slice(req.body.as_ref().unwrap()).unwrap()
    }

    fn name() -> ExtensionName {
        ExtensionName::new("Com.Contoso.Referral").unwrap()
    }

    #[test]
    fn get_delete_and_list_paths() {
        let user: Resource = Resource::user("adele@contoso.com").into();
        let g = get(&user, &name()).unwrap();
        assert_eq!(
            (g.method, g.url.as_str()),
            (
                Method::Get,
                "/users/adele%40contoso.com/extensions/Com.Contoso.Referral"
            )
        );
        assert!(g.body.is_none() && g.headers.is_empty());
        let d = delete(&user, &name()).unwrap();
        assert_eq!(d.method, Method::Delete);
        assert_eq!(d.url, g.url);
        assert_eq!(
            list(&user).unwrap().url,
            "/users/adele%40contoso.com/extensions"
        );
        let task = Resource::me().todo_list("L").task("T");
        assert_eq!(
            list(&task).unwrap().url,
            "/me/todo/lists/L/tasks/T/extensions"
        );
    }

    #[test]
    fn list_is_refused_on_every_outlook_item() {
        let g = Resource::group("g");
        for r in [
            Resource::me().message("m"),
            Resource::me().event("e"),
            Resource::me().contact("c"),
            g.event("e"),
            g.post("t", "p"),
        ] {
            match list(&r) {
                Err(Error::Unsupported { kind, .. }) => assert_eq!(kind, r.kind()),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn expand_is_filtered_on_outlook_items_and_encoded() {
        let msg = Resource::me().message("AAMk=");
        let r = expand(&msg, &name()).unwrap();
        assert_eq!(
            r.url,
            "/me/messages/AAMk%3D?%24expand=extensions%28%24filter%3Did%20eq%20%27Com.Contoso.Referral%27%29"
        );
        let user: Resource = Resource::user("u").into();
        assert_eq!(
            expand(&user, &name()).unwrap().url,
            "/users/u?%24expand=extensions"
        );
        assert_eq!(
            list_users_with_extensions(Some(999)).url,
            "/users?%24expand=extensions&%24top=999"
        );
        assert_eq!(
            list_users_with_extensions(None).url,
            "/users?%24expand=extensions"
        );
        let next = next_page("https://graph.microsoft.com/v1.0/users?$skiptoken=X%3D");
        assert!(next.is_absolute());
        assert_eq!(
            next.url,
            "https://graph.microsoft.com/v1.0/users?$skiptoken=X%3D"
        );
    }

    #[test]
    fn create_posts_the_extension_with_a_content_type() {
        let dev = Resource::device("d1");
        let r = create(&dev, &hr()).unwrap();
        assert_eq!(
            (r.method, r.url.as_str()),
            (Method::Post, "/devices/d1/extensions")
        );
        assert_eq!(r.headers, [("Content-Type", "application/json".to_owned())]);
        assert_eq!(
            body(&r),
            json!({"@odata.type": "#microsoft.graph.openTypeExtension", "extensionName": "Com.Contoso.HR",
                   "id": "Com.Contoso.HR", "companyName": "Contoso", "topPicks": ["Employees only", "Add family"]})
        );
    }

    #[test]
    fn create_with_a_new_message_and_a_post_reply() {
        let mut item = serde_json::Map::new();
        item.insert("subject".into(), json!("Annual review"));
        let r = create_with_new_item(&Resource::me().messages(), item.clone(), &hr()).unwrap();
        assert_eq!((r.method, r.url.as_str()), (Method::Post, "/me/messages"));
        let b = body(&r);
        assert_eq!(b["subject"], "Annual review");
        assert_eq!(b["extensions"][0]["extensionName"], "Com.Contoso.HR");
        assert!(
            b["extensions"][0].get("id").is_none(),
            "an Outlook extension carries no id"
        );

        let reply = Resource::group("g1").reply_to_post("t1", "p1");
        let r = create_with_new_item(&reply, item.clone(), &hr()).unwrap();
        assert_eq!(r.url, "/groups/g1/threads/t1/posts/p1/reply");
        let b = body(&r);
        assert_eq!(b["post"]["extensions"][0]["topPicks"][1], "Add family");
        assert_eq!(b["post"]["subject"], "Annual review");

        let tasks = Resource::user("u").todo_list("L").tasks();
        let r = create_with_new_item(&tasks, serde_json::Map::new(), &hr()).unwrap();
        assert_eq!(r.url, "/users/u/todo/lists/L/tasks");
        assert_eq!(
            body(&r)["extensions"][0]["id"],
            "Com.Contoso.HR",
            "to-do ids equal names"
        );

        // An existing extensions array is appended to; a non-array is refused.
        item.insert(
            "extensions".into(),
            json!([{"extensionName": "Com.Contoso.Other"}]),
        );
        let r = create_with_new_item(&Resource::me().events(), item.clone(), &hr()).unwrap();
        assert_eq!(body(&r)["extensions"].as_array().unwrap().len(), 2);
        item.insert("extensions".into(), json!({}));
        assert!(create_with_new_item(&Resource::me().contacts(), item, &hr()).is_err());
        // Every collection knows the kind of item it creates.
        assert_eq!(
            Resource::me().contacts().kind().resource_kind(),
            ResourceKind::Contact
        );
        assert_eq!(reply.kind().resource_kind(), ResourceKind::GroupPost);
        assert_eq!(Resource::me().todo_lists().path(), "/me/todo/lists");
    }

    #[test]
    fn untyped_requests_check_names_and_sizes() {
        let mut p = Properties::new();
        p.insert("extensionName", "sneaky");
        let user: Resource = Resource::user("u").into();
        assert!(matches!(
            create_untyped(&user, &name(), &p),
            Err(Error::PropertyNameInvalid { .. })
        ));
        let mut p = Properties::new();
        p.insert("big", "x".repeat(3000));
        assert!(matches!(
            patch_untyped(&user, &name(), &p),
            Err(Error::TooLarge { limit: 2048, .. })
        ));
        assert!(patch_untyped(&Resource::me().message("m"), &name(), &p).is_ok());
    }
}
