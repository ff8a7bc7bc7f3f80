//! The typed helpers, written once and generic over a [`Transport`].
//!
//! A transport sends a built [`Request`] and returns the [`Response`]; `extensions-client`
//! provides one over reqwest (auth, retries), tests can provide one in memory. Every helper
//! checks the input (names, ids, values, size) before calling the transport.
//!
//! ```
//! # use extensions_core::{ops, ExtensionName, OpenExtension, Properties, PropertyWriter, Resource, Error, json::Sink};
//! # use extensions_core::extension::read_property;
//! # #[derive(Debug, PartialEq)] struct Settings { theme: String }
//! # impl OpenExtension for Settings {
//! #     const NAME: ExtensionName = ExtensionName::from_static("com.contoso.Settings");
//! #     fn write_properties<S: Sink + ?Sized>(&self, w: &mut PropertyWriter<'_, S>) -> Result<(), Error> { w.property("theme", &self.theme) }
//! #     fn from_properties(p: &Properties) -> Result<Self, Error> { Ok(Settings { theme: read_property(p, "theme")? }) }
//! # }
//! async fn flip_theme(client: &impl ops::Transport) -> Result<Settings, Error> {
//!     let me = Resource::me();
//!     if ops::get::<Settings, _, _>(client, &me).await?.is_none() {
//!         ops::create(client, &me, &Settings { theme: "light".into() }).await?;
//!     }
//!     ops::update(client, &me, |s: &mut Settings| s.theme = "dark".into()).await
//! }
//! ```

use std::future::Future;

use crate::error::Error;
use crate::extension::OpenExtension;
use crate::name::ExtensionName;
use crate::request::{self, Request};
use crate::resource::Resource;
use crate::response::{self, ExtensionObject, Response};
use crate::value::Properties;

/// Sends one request and returns the response, whatever its status.
///
/// Errors are for failures to get a response at all ([`Error::Transport`]); an error status is a
/// `Response`, which the helpers read. A transport adds the credentials, so a [`Request`] never
/// holds a token.
pub trait Transport {
    /// Sends `request`.
    fn send(&self, request: Request) -> impl Future<Output = Result<Response, Error>> + Send;
}

impl<T: Transport + ?Sized> Transport for &T {
    fn send(&self, request: Request) -> impl Future<Output = Result<Response, Error>> + Send {
        (**self).send(request)
    }
}

/// Reads extension `T` from `resource`; `None` if the resource has no such extension.
pub async fn get<T, C, R>(client: &C, resource: &R) -> Result<Option<T>, Error>
where
    T: OpenExtension,
    C: Transport + ?Sized,
    R: AsRef<Resource> + ?Sized,
{
    get_untyped(client, resource.as_ref(), &T::NAME)
        .await?
        .map(|e| e.decode())
        .transpose()
}

/// Reads the extension called `name` without a type.
pub async fn get_untyped<C: Transport + ?Sized>(
    client: &C,
    resource: &Resource,
    name: &ExtensionName,
) -> Result<Option<ExtensionObject>, Error> {
    let resp = client.send(request::get(resource, name)?).await?;
    response::read_get(&resp)
}

/// Creates `ext` on `resource` and returns what Graph stored.
pub async fn create<T, C, R>(client: &C, resource: &R, ext: &T) -> Result<ExtensionObject, Error>
where
    T: OpenExtension,
    C: Transport + ?Sized,
    R: AsRef<Resource> + ?Sized,
{
    let resp = client
        .send(request::create(resource.as_ref(), ext)?)
        .await?;
    response::read_create(&resp)
}

/// Replaces the stored extension with **every** property of `ext` (`None` as `null`).
///
/// Graph deletes every property a PATCH omits: properties on the server that `T` does not declare
/// are deleted. Use [`update`] to keep them. Returns the updated object when Graph sends one
/// (Outlook items answer 200 with it; directory objects 204 without).
pub async fn patch<T, C, R>(
    client: &C,
    resource: &R,
    ext: &T,
) -> Result<Option<ExtensionObject>, Error>
where
    T: OpenExtension,
    C: Transport + ?Sized,
    R: AsRef<Resource> + ?Sized,
{
    let resp = client.send(request::patch(resource.as_ref(), ext)?).await?;
    response::read_patch(&resp)
}

/// Read-modify-write: reads `T`, applies `change`, and writes back every property of `T` **and
/// every property the server had that `T` does not declare**, so nothing is lost. (A type with a
/// catch-all, [`OpenExtension::KEEPS_UNDECLARED`], already holds those; what it holds is written
/// as is, so a key removed from the catch-all is deleted.) Returns the value written.
///
/// Fails with [`Error::ExtensionNotFound`] if the extension does not exist. Graph has no
/// conditional update for open extensions: a write by someone else between the read and the
/// write is overwritten.
pub async fn update<T, C, R, F>(client: &C, resource: &R, change: F) -> Result<T, Error>
where
    T: OpenExtension,
    C: Transport + ?Sized,
    R: AsRef<Resource> + ?Sized,
    F: FnOnce(&mut T),
{
    let resource = resource.as_ref();
    let stored = get_untyped(client, resource, &T::NAME)
        .await?
        .ok_or_else(|| Error::ExtensionNotFound {
            name: T::NAME.to_string(),
        })?;
    let mut value: T = stored.decode()?;
    change(&mut value);
    let req = if T::KEEPS_UNDECLARED {
        request::patch(resource, &value)?
    } else {
        request::patch_keeping(resource, &value, &stored.properties)?
    };
    let resp = client.send(req).await?;
    response::read_patch(&resp)?;
    Ok(value)
}

/// Replaces the extension called `name` with exactly `properties`.
pub async fn patch_untyped<C: Transport + ?Sized>(
    client: &C,
    resource: &Resource,
    name: &ExtensionName,
    properties: &Properties,
) -> Result<Option<ExtensionObject>, Error> {
    let resp = client
        .send(request::patch_untyped(resource, name, properties)?)
        .await?;
    response::read_patch(&resp)
}

/// Deletes extension `T` from `resource`: `true` if it was deleted, `false` if it was not there.
pub async fn delete<T, C, R>(client: &C, resource: &R) -> Result<bool, Error>
where
    T: OpenExtension,
    C: Transport + ?Sized,
    R: AsRef<Resource> + ?Sized,
{
    delete_untyped(client, resource.as_ref(), &T::NAME).await
}

/// Deletes the extension called `name`.
pub async fn delete_untyped<C: Transport + ?Sized>(
    client: &C,
    resource: &Resource,
    name: &ExtensionName,
) -> Result<bool, Error> {
    let resp = client.send(request::delete(resource, name)?).await?;
    response::read_delete(&resp)
}
