//! The typed calls: `get`, `create`, `patch`, `update`, `delete`, `create_with_item` and
//! `expand` on every [`OpenExtension`] type, over any [`Execute`] implementation.
//!
//! They come from the [`OpenExtensionExt`] trait, in scope through the [prelude](crate::prelude),
//! never from inherent methods: a struct's own `fn update` does not clash with them (call the
//! trait's as `OpenExtensionExt::update::<MyType, _, _, _>(…)` then).
//!
//! ```
//! use extensions_core::prelude::*;
//!
//! #[derive(OpenExtension, Debug, PartialEq)]
//! #[extension(name = "com.contoso.Settings")]
//! struct Settings { theme: String }
//!
//! async fn flip_theme(client: &impl Execute) -> Result<Settings, Error> {
//!     let me = Resource::me();
//!     if Settings::get(client, &me).await?.is_none() {
//!         Settings { theme: "light".into() }.create(client, &me).await?;
//!     }
//!     Settings::update(client, &me, |s| s.theme = "dark".into()).await
//! }
//! ```

use std::future::Future;

use serde::Serialize;

use crate::error::Error;
use crate::open::extension::OpenExtension;
use crate::open::object::{Expanded, ExtensionObject};
use crate::open::op;
use crate::operation::Execute;
use crate::resource::{ItemCollection, Resource};

/// The typed calls of an [`OpenExtension`], each a thin call of [`Execute::execute`] with the
/// matching [operation](crate::op). Implemented for every `OpenExtension` type.
pub trait OpenExtensionExt: OpenExtension + Send + Sync {
    /// Reads this extension from `resource`; `None` if the resource has none. A resource that
    /// does not exist is an error, [`Error::Graph`] of kind
    /// [`GraphErrorKind::ParentNotFound`](crate::GraphErrorKind::ParentNotFound) (match it with
    /// [`Error::kind`]).
    fn get<'c, C, R>(
        client: &'c C,
        resource: &R,
    ) -> impl Future<Output = Result<Option<Self>, Error>> + Send + use<'c, Self, C, R>
    where
        C: Execute + ?Sized,
        R: AsRef<Resource> + ?Sized,
    {
        let op = op::Get::<Self>::new(resource.as_ref());
        async move { client.execute(&op).await }
    }

    /// Creates this extension on `resource` (refused before sending if too large) and returns
    /// what Graph stored.
    fn create<'c, C, R>(
        &self,
        client: &'c C,
        resource: &R,
    ) -> impl Future<Output = Result<ExtensionObject, Error>> + Send + use<'c, Self, C, R>
    where
        C: Execute + ?Sized,
        R: AsRef<Resource> + ?Sized,
    {
        let op = op::Create::new(resource.as_ref(), self);
        async move { client.execute(&op).await }
    }

    /// Writes every property of `self` (`None` as `null`). On directory objects, stored
    /// properties this type does not declare are deleted (a PATCH replaces there); on Outlook and
    /// to-do items they are kept (a PATCH merges). Use [`update`](Self::update) to keep them
    /// everywhere. See [`op::Patch`].
    fn patch<'c, C, R>(
        &self,
        client: &'c C,
        resource: &R,
    ) -> impl Future<Output = Result<Option<ExtensionObject>, Error>> + Send + use<'c, Self, C, R>
    where
        C: Execute + ?Sized,
        R: AsRef<Resource> + ?Sized,
    {
        let op = op::Patch::new(resource.as_ref(), self);
        async move { client.execute(&op).await }
    }

    /// Read-modify-write: reads this extension, applies `change`, and writes back every property
    /// of the type **and every stored property it does not declare**, so nothing is lost, on
    /// every kind of resource. Returns the value written.
    ///
    /// Fails with [`Error::ExtensionNotFound`] if the extension does not exist. Graph has no
    /// conditional update for open extensions: a write by someone else between the read and the
    /// write is overwritten (last writer wins).
    fn update<'c, C, R, F>(
        client: &'c C,
        resource: &R,
        change: F,
    ) -> impl Future<Output = Result<Self, Error>> + Send + use<'c, Self, C, R, F>
    where
        C: Execute + ?Sized,
        R: AsRef<Resource> + ?Sized,
        F: FnOnce(&mut Self) + Send,
    {
        let resource = resource.as_ref().clone();
        let read = op::ReadForUpdate::<Self>::new(&resource);
        async move {
            let mut stored =
                client
                    .execute(&read)
                    .await?
                    .ok_or_else(|| Error::ExtensionNotFound {
                        name: Self::NAME.to_string(),
                    })?;
            change(&mut stored.value);
            client.execute(&stored.patch(&resource)).await?;
            Ok(stored.value)
        }
    }

    /// Deletes this extension from `resource`: `true` if deleted, `false` if it was not there.
    fn delete<'c, C, R>(
        client: &'c C,
        resource: &R,
    ) -> impl Future<Output = Result<bool, Error>> + Send + use<'c, Self, C, R>
    where
        C: Execute + ?Sized,
        R: AsRef<Resource> + ?Sized,
    {
        let op = op::Delete::new(resource.as_ref(), &Self::NAME);
        async move { client.execute(&op).await }
    }

    /// Creates a new item (any `Serialize` value that is a JSON object: a message, an event, a
    /// task…) carrying this extension, in one request. Returns the new item with its extensions
    /// (`None` for a group post reply, which Graph answers `202` without a body). See
    /// [`op::CreateWithItem`].
    fn create_with_item<'c, C, I>(
        &self,
        client: &'c C,
        collection: &ItemCollection,
        item: &I,
    ) -> impl Future<Output = Result<Option<Expanded>, Error>> + Send + use<'c, Self, C, I>
    where
        C: Execute + ?Sized,
        I: Serialize + ?Sized,
    {
        let op = op::CreateWithItem::new(collection, item, self);
        async move { client.execute(&op).await }
    }

    /// Reads `resource` with this extension expanded (one request for the resource's fields and
    /// the extension). See [`op::Expand`].
    fn expand<'c, C, R>(
        client: &'c C,
        resource: &R,
    ) -> impl Future<Output = Result<WithExtension<Self>, Error>> + Send + use<'c, Self, C, R>
    where
        C: Execute + ?Sized,
        R: AsRef<Resource> + ?Sized,
    {
        let op = op::Expand::new(resource.as_ref(), &Self::NAME);
        async move {
            let expanded = client.execute(&op).await?;
            let extension = expanded.extension::<Self>()?;
            Ok(WithExtension {
                id: expanded.id,
                fields: expanded.fields,
                extension,
            })
        }
    }

    /// The [`op::Get`] operation, for bulk work.
    fn get_op(resource: impl AsRef<Resource>) -> op::Get<Self> {
        op::Get::new(resource)
    }

    /// The [`op::Create`] operation, for bulk work.
    fn create_op(&self, resource: impl AsRef<Resource>) -> op::Create {
        op::Create::new(resource, self)
    }

    /// The [`op::Patch`] operation, for bulk work.
    fn patch_op(&self, resource: impl AsRef<Resource>) -> op::Patch {
        op::Patch::new(resource, self)
    }

    /// The [`op::Delete`] operation, for bulk work.
    fn delete_op(resource: impl AsRef<Resource>) -> op::Delete {
        op::Delete::new(resource, &Self::NAME)
    }
}

impl<T: OpenExtension + Send + Sync> OpenExtensionExt for T {}

/// A resource read with one extension expanded: its own fields and the extension, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct WithExtension<T> {
    /// The resource's `id`, if the answer has one.
    pub id: Option<String>,
    /// Every other field of the resource, as received.
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// The extension, if the resource has it.
    pub extension: Option<T>,
}
