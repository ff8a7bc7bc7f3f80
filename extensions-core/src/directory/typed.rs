//! The typed calls of a [`DirectoryExtension`]: register its definitions, write, read and
//! clear its values.

use std::future::Future;

use super::op::{
    ClearValues, CreateExtensionProperty, ListExtensionProperties, ReadValues, WriteValues,
};
use super::{DirectoryExtension, ExtensionProperty, OwnerApp};
use crate::error::Error;
use crate::operation::Execute;
use crate::resource::Resource;

/// The typed calls of every [`DirectoryExtension`] type, each a thin use of
/// [`Execute::execute`] with the matching [operation](super::op). In scope through the
/// [prelude](crate::prelude).
pub trait DirectoryExtensionExt: DirectoryExtension + Send + Sync {
    /// Makes sure every field's definition exists on `app`, and returns them as stored, in
    /// field order.
    ///
    /// Graph has no update of a definition, so this first reads each one
    /// (`$filter=name eq '…'`) and, if any exists with another data type, multi-valuedness or
    /// target objects than declared, returns [`Error::DirectoryDefinitionMismatch`] before
    /// creating anything; then it creates the missing ones. Calling it again after a failure
    /// resumes: what was created is found.
    fn register<C: Execute + ?Sized>(
        client: &C,
        app: &OwnerApp,
    ) -> impl Future<Output = Result<Vec<ExtensionProperty>, Error>> + Send {
        let app = app.clone();
        async move {
            let declared = Self::definitions();
            let mut stored = Vec::with_capacity(declared.len());
            for d in &declared {
                let name = app.property(&d.name)?;
                let found = client
                    .execute(&ListExtensionProperties::named(&app, &name))
                    .await?
                    .items
                    .into_iter()
                    .find(|p| p.name.eq_ignore_ascii_case(name.as_str()));
                if let Some(p) = &found
                    && let Some(reason) = d.differs_from(p)
                {
                    return Err(Error::DirectoryDefinitionMismatch {
                        name: name.to_string(),
                        reason,
                    });
                }
                stored.push(found);
            }
            let mut out = Vec::with_capacity(declared.len());
            for (d, found) in declared.iter().zip(stored) {
                out.push(match found {
                    Some(p) => p,
                    None => {
                        client
                            .execute(&CreateExtensionProperty::new(&app, d))
                            .await?
                    }
                });
            }
            Ok(out)
        }
    }

    /// Writes every field of `self` on `resource` (`None` and empty `Vec`s remove the value).
    /// See [`WriteValues`].
    fn write<C: Execute + ?Sized, R: AsRef<Resource> + ?Sized>(
        &self,
        client: &C,
        app: &OwnerApp,
        resource: &R,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        let op = WriteValues::new(app, resource.as_ref(), self);
        async move { client.execute(&op).await }
    }

    /// Reads this type's fields from `resource`. See [`ReadValues`].
    fn read<C: Execute + ?Sized, R: AsRef<Resource> + ?Sized>(
        client: &C,
        app: &OwnerApp,
        resource: &R,
    ) -> impl Future<Output = Result<Self, Error>> + Send {
        let op = ReadValues::<Self>::new(app, resource.as_ref());
        async move { client.execute(&op).await }
    }

    /// Removes every field's value from `resource`. See [`ClearValues`].
    fn clear<C: Execute + ?Sized, R: AsRef<Resource> + ?Sized>(
        client: &C,
        app: &OwnerApp,
        resource: &R,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        let op = ClearValues::new::<Self>(app, resource.as_ref());
        async move { client.execute(&op).await }
    }
}

impl<T: DirectoryExtension + Send + Sync> DirectoryExtensionExt for T {}
