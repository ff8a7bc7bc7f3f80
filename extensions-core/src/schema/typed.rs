//! The typed calls of a [`SchemaExtension`]: register its definition, move it through its
//! lifecycle, write, read and clear its data, find resources by it.

use std::future::Future;
use std::ops::ControlFlow;

use super::op::{
    ClearData, CreateDefinition, CreateWithData, DefinitionQuery, DeleteDefinition, FindIn,
    GetDefinition, ListDefinitions, ReadData, UpdateDefinition, WriteChanges, WriteData,
};
use super::{
    Changes, Definition, DefinitionChange, Owner, SchemaExtension, SchemaId, SchemaIdForm, Status,
};
use crate::error::Error;
use crate::operation::Execute;
use crate::resource::Resource;

/// The typed calls of every [`SchemaExtension`] type, each a thin call of
/// [`Execute::execute`] with the matching [operation](super::op). In scope through the
/// [prelude](crate::prelude).
///
/// ```
/// use extensions_core::prelude::*;
/// use extensions_core::schema::{Owner, Status};
///
/// #[derive(SchemaExtension, Debug, PartialEq)]
/// #[schema(id = "contoso_courses", targets(Group), description = "Training courses")]
/// struct Course { course_id: i32, course_name: String }
///
/// async fn publish(client: &impl Execute, group: &str) -> Result<Option<Course>, Error> {
///     let def = Course::register(client, Owner::Caller).await?;
///     let def = Course::set_status(client, &def, Status::Available).await?;
///     let g = Resource::group(group);
///     Course { course_id: 123, course_name: "New Managers".into() }.write(client, &def.id, &g).await?;
///     Course::read(client, &def.id, &g).await
/// }
/// ```
pub trait SchemaExtensionExt: SchemaExtension + Send + Sync {
    /// Registers [`SchemaExtension::definition`] (`POST /schemaExtensions`) and returns it as stored:
    /// `InDevelopment`, with its owner and, for a bare name, the id Graph assigned.
    fn register<C: Execute + ?Sized>(
        client: &C,
        owner: Owner,
    ) -> impl Future<Output = Result<Definition, Error>> + Send {
        let op = CreateDefinition::new(&Self::definition(), owner);
        async move { client.execute(&op).await }
    }

    /// The registered definition of this type, if there is one: by its id for a
    /// `{domain}_{name}` id (whoever owns it); for a bare name, among the definitions `owner`
    /// owns, the one whose id ends with `_{name}` and whose properties include every declared
    /// one.
    ///
    /// `owner` is the one [`register`](Self::register) took. A bare name is looked up by its
    /// owner's `appId` (`$filter=owner eq '…'`), which Graph needs spelled out: with
    /// [`Owner::Caller`] and a bare name this is refused before sending
    /// ([`Error::SchemaIdInvalid`]); pass [`Owner::App`] with the calling app's id.
    fn find_definition<C: Execute + ?Sized>(
        client: &C,
        owner: &Owner,
    ) -> impl Future<Output = Result<Option<Definition>, Error>> + Send {
        let owner = owner.clone();
        async move {
            if Self::ID.form() == SchemaIdForm::Prefixed {
                return client.execute(&GetDefinition::new(&Self::ID)).await;
            }
            let Owner::App(owner) = owner else {
                return Err(Error::SchemaIdInvalid {
                    id: Self::ID.to_string(),
                    reason: "a bare name is found among the definitions of its owner, which Graph needs by appId: pass Owner::App with the appId that register made the owner, not Owner::Caller",
                });
            };
            let suffix = format!("_{}", Self::ID.as_str());
            let mut found = None;
            crate::operation::paging::for_each_page(
                client,
                ListDefinitions::new(&DefinitionQuery::Owner(owner)),
                ListDefinitions::next,
                |page| {
                    found = page.into_iter().find(|d| {
                        d.id.as_str().starts_with("ext")
                            && d.id.as_str().ends_with(&suffix)
                            && Self::PROPERTIES
                                .iter()
                                .all(|(n, t)| d.property_named(n).is_some_and(|p| p.ty == *t))
                    });
                    Ok::<_, Error>(match found {
                        Some(_) => ControlFlow::Break(()),
                        None => ControlFlow::Continue(()),
                    })
                },
            )
            .await?;
            Ok(found)
        }
    }

    /// Moves `current` to `status` (checked against the lifecycle before sending) and returns
    /// the definition as updated.
    fn set_status<C: Execute + ?Sized>(
        client: &C,
        current: &Definition,
        status: Status,
    ) -> impl Future<Output = Result<Definition, Error>> + Send {
        let op = UpdateDefinition::new(current, &DefinitionChange::new().status(status));
        async move { client.execute(&op).await }
    }

    /// Adds to `current` the properties this type declares that it lacks (a newer version of
    /// the struct), additively; `current` unchanged if none is missing. A property declared
    /// with another type than stored is refused: Graph never retypes one.
    fn add_missing_properties<C: Execute + ?Sized>(
        client: &C,
        current: &Definition,
    ) -> impl Future<Output = Result<Definition, Error>> + Send {
        let mut change = DefinitionChange::new();
        let mut refused = None;
        for (name, ty) in Self::PROPERTIES {
            match current.property_named(name) {
                None => change = change.add_property(*name, *ty),
                Some(p) if p.ty != *ty => {
                    refused = Some(Error::SchemaDefinitionInvalid {
                        id: current.id.to_string(),
                        reason: format!(
                            "property {name:?} is {} in the definition and {} in the struct; Graph never changes a property's type",
                            p.ty.as_str(),
                            ty.as_str()
                        ),
                    });
                }
                Some(_) => {}
            }
        }
        let op = (refused.is_none() && change != DefinitionChange::new())
            .then(|| UpdateDefinition::new(current, &change));
        let current = current.clone();
        async move {
            if let Some(e) = refused {
                return Err(e);
            }
            match op {
                Some(op) => client.execute(&op).await,
                None => Ok(current),
            }
        }
    }

    /// Deletes the definition (refused before sending unless `InDevelopment`).
    fn delete_definition<C: Execute + ?Sized>(
        client: &C,
        definition: &Definition,
    ) -> impl Future<Output = Result<bool, Error>> + Send {
        let op = DeleteDefinition::of(definition);
        async move { client.execute(&op).await }
    }

    /// Writes every declared property of `self` on `resource` under the definition `id`
    /// (`None` clears a property). See [`WriteData`].
    fn write<C: Execute + ?Sized, R: AsRef<Resource> + ?Sized>(
        &self,
        client: &C,
        id: &SchemaId,
        resource: &R,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        let op = WriteData::new(id, resource.as_ref(), self);
        async move { client.execute(&op).await }
    }

    /// Changes only the properties `changes` names on `resource` (one `PATCH`, no read; Graph
    /// merges it, so the others keep their values). See [`WriteChanges`].
    ///
    /// ```
    /// # use extensions_core::prelude::*;
    /// # use extensions_core::schema::SchemaId;
    /// #[derive(SchemaExtension)]
    /// #[schema(id = "contoso_courses", targets(Group))]
    /// struct Course { course_id: i32, course_name: String, level: Option<i32> }
    ///
    /// async fn rename(client: &impl Execute, id: &SchemaId, group: &str) -> Result<(), Error> {
    ///     let changes = Course::changes().course_name("Leadership".into()).level(None);
    ///     Course::update(client, id, &Resource::group(group), changes).await
    /// }
    /// ```
    fn update<C: Execute + ?Sized, R: AsRef<Resource> + ?Sized>(
        client: &C,
        id: &SchemaId,
        resource: &R,
        changes: impl Into<Changes<Self>>,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        let op = WriteChanges::new(id, resource.as_ref(), &changes.into());
        async move { client.execute(&op).await }
    }

    /// Creates a directory object in `collection` (a group, a user, a device) with `fields`
    /// (`displayName`, …) and this data, in one request (see [`CreateWithData`]); returns the
    /// new object's fields, its `id` among them.
    fn create_in<C: Execute + ?Sized>(
        &self,
        client: &C,
        id: &SchemaId,
        collection: FindIn,
        fields: &serde_json::Value,
    ) -> impl Future<Output = Result<serde_json::Map<String, serde_json::Value>, Error>> + Send
    {
        let op = CreateWithData::new(collection, fields, id, self);
        async move { client.execute(&op).await }
    }

    /// Reads this type's data from `resource`; `None` if it has none.
    fn read<C: Execute + ?Sized, R: AsRef<Resource> + ?Sized>(
        client: &C,
        id: &SchemaId,
        resource: &R,
    ) -> impl Future<Output = Result<Option<Self>, Error>> + Send {
        let op = ReadData::<Self>::new(id, resource.as_ref());
        async move { client.execute(&op).await }
    }

    /// Removes the data of definition `id` from `resource`.
    fn clear<C: Execute + ?Sized, R: AsRef<Resource> + ?Sized>(
        client: &C,
        id: &SchemaId,
        resource: &R,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        let op = ClearData::new(id, resource.as_ref());
        async move { client.execute(&op).await }
    }
}

impl<T: SchemaExtension + Send + Sync> SchemaExtensionExt for T {}
