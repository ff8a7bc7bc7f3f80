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
