//! Microsoft Graph **directory extensions**: one registered, typed property per definition,
//! owned by an app, stored as a top-level property of the directory object
//! (`extension_{appId without hyphens}_{name}`), readable and writable by every authorized app in
//! the tenant, and filterable.
//!
//! A definition (an [`extensionProperty`](https://learn.microsoft.com/en-us/graph/api/resources/extensionproperty))
//! is created on an application (the *owner app*): `POST /applications/{objectId}/extensionProperties`
//! `{"name": "jobGroup", "dataType": "String", "targetObjects": ["User"]}`; Graph answers with the
//! full name `extension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroup`. The data is then written with
//! the resource's own `PATCH` (`null` removes a value), read with `$select`, and found with
//! `$filter`. See [Add custom data to resources using extensions](https://learn.microsoft.com/en-us/graph/extensibility-overview)
//! and the Learn module [Configure directory extensions](https://learn.microsoft.com/en-us/training/modules/msgraph-extend-user-profile/).
//!
//! - [`DirectoryExtension`]: a struct whose fields are directory extensions (`#[derive(DirectoryExtension)]`);
//! - [`AppId`], [`OwnerApp`], [`PropertyName`], [`DataType`], [`TargetObject`]: the parts;
//! - [`ExtensionProperty`] (a definition as Graph stores it) and [`NewExtensionProperty`] (one to create);
//! - the operations ([`op`]) and the typed filter ([`Condition`]);
//! - [`DirectoryExtensionExt`]: the typed calls (`TeamProfile::register`, `profile.write`, …).
//!
//! | rule | where it is checked |
//! |---|---|
//! | name: a letter, then letters, digits, `_`; at most 85 (128 with the prefix) | compile time (derive), [`PropertyName::new`] |
//! | data types Binary, Boolean, DateTime, Integer, LargeInteger, String | compile time (the field's Rust type) |
//! | targets: User, Group, AdministrativeUnit, Application, Device, Organization | compile time, [`TargetObject`] |
//! | String ≤ 256 characters, Binary ≤ 256 bytes, each value of a multi-valued one | before sending ([`op::WriteValues`], [`Condition`]) |
//! | at most 100 extension values in one write to a resource | compile time (derive), before sending ([`op::WriteValues`]) |
//! | data only on a target the definition lists | before sending ([`op::WriteValues`], [`op::ReadValues`]) |
//! | no update of a definition: an existing one must match what is declared | before writing ([`DirectoryExtensionExt::register`]) |
//! | `ne` and set/unset tests only as advanced queries | the filter marks them, [`op::FindByValues`] adds `$count=true` and `ConsistencyLevel: eventual` |

mod data;
mod definition;
mod filter;
pub mod op;
mod typed;
mod value;

use std::fmt;

use crate::error::Error;
use crate::kind::ResourceKind;

pub use data::{DirectoryExtension, PropertySpec, ValueReader, read_body, read_values, write_body};
pub use definition::{ExtensionProperty, NewExtensionProperty};
pub use extensions_rules::directory::{
    DataType, MAX_BINARY_BYTES, MAX_NAME_CHARS, MAX_STRING_CHARS, MAX_VALUES_PER_RESOURCE,
    TargetObject, check_app_id, check_directory_name,
};
pub use filter::{Condition, Field, FilterValue};
pub use typed::DirectoryExtensionExt;
pub use value::{DirectoryProperty, DirectoryScalar, ValueWriter};

/// An application's `appId` (its client id, a GUID), kept as Graph writes it inside a directory
/// extension's name: 32 lower-case hex digits, no hyphens.
///
/// ```
/// use extensions_core::directory::AppId;
/// let app = AppId::new("5BFC8FDA-cfc9-43a9-a6de-214ea9d15fdb")?;
/// assert_eq!(app.hex(), "5bfc8fdacfc943a9a6de214ea9d15fdb");
/// assert_eq!(app.to_string(), "5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb");
/// assert!(AppId::new("not-a-guid").is_err());
/// # Ok::<(), extensions_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AppId(String);

impl AppId {
    /// Checks `app_id` (a GUID with or without hyphens, any letter case) and keeps its 32 hex
    /// digits in lower case.
    pub fn new(app_id: &str) -> Result<Self, Error> {
        check_app_id(app_id).map_err(|reason| Error::DirectoryNameInvalid {
            name: app_id.to_owned(),
            reason,
        })?;
        Ok(Self(
            app_id
                .chars()
                .filter(|c| *c != '-')
                .map(|c| c.to_ascii_lowercase())
                .collect(),
        ))
    }

    /// The 32 lower-case hex digits, as in `extension_{hex}_{name}`.
    pub fn hex(&self) -> &str {
        &self.0
    }
}

/// The hyphenated form, `5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb`, as Graph writes an `appId`.
impl fmt::Display for AppId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = &self.0;
        write!(
            f,
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }
}

/// The app that owns a set of directory extensions: its `appId` (which names the properties)
/// and, when known, its object id (which the definitions' paths may use instead).
///
/// The owner app is a run-time value: development and production tenants use different app
/// registrations, so the same struct names different properties in each.
///
/// ```
/// use extensions_core::directory::OwnerApp;
/// let app = OwnerApp::new("5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb")?;
/// assert_eq!(app.path(), "/applications(appId='5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb')");
/// let app = app.with_object_id("e5c1fa0b-0000-4000-8000-000000000001");
/// assert_eq!(app.path(), "/applications/e5c1fa0b-0000-4000-8000-000000000001");
/// # Ok::<(), extensions_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OwnerApp {
    app_id: AppId,
    object_id: Option<String>,
}

impl OwnerApp {
    /// The app with this `appId` (checked; see [`AppId::new`]).
    pub fn new(app_id: &str) -> Result<Self, Error> {
        Ok(Self::from_app_id(AppId::new(app_id)?))
    }

    /// The app with this checked `appId`.
    pub fn from_app_id(app_id: AppId) -> Self {
        Self {
            app_id,
            object_id: None,
        }
    }

    /// Addresses the app by its object id (`/applications/{id}`) rather than by `appId`.
    #[must_use]
    pub fn with_object_id(mut self, object_id: impl Into<String>) -> Self {
        self.object_id = Some(object_id.into());
        self
    }

    /// The app's `appId`.
    pub fn app_id(&self) -> &AppId {
        &self.app_id
    }

    /// The app's object id, if given.
    pub fn object_id(&self) -> Option<&str> {
        self.object_id.as_deref()
    }

    /// The application's path: `/applications/{objectId}` when the object id is known, else
    /// `/applications(appId='{appId}')` (both are documented addresses of an application).
    pub fn path(&self) -> String {
        match &self.object_id {
            Some(id) => format!("/applications/{}", crate::resource::encode_component(id)),
            None => format!("/applications(appId='{}')", self.app_id),
        }
    }

    /// The full property name of the directory extension `name` of this app.
    pub fn property(&self, name: &str) -> Result<PropertyName, Error> {
        PropertyName::new(&self.app_id, name)
    }
}

/// A directory extension's full name, as a property of the resource:
/// `extension_{appId without hyphens}_{name}`.
///
/// ```
/// use extensions_core::directory::{AppId, PropertyName};
/// let app = AppId::new("5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb")?;
/// let p = PropertyName::new(&app, "jobGroup")?;
/// assert_eq!(p.as_str(), "extension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroup");
/// assert_eq!(PropertyName::parse(p.as_str())?.name(), "jobGroup");
/// assert!(PropertyName::new(&app, "job group").is_err());
/// # Ok::<(), extensions_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PropertyName(String);

const PREFIX: &str = "extension_";

impl PropertyName {
    /// The full name of `name` on the app `app` (the name checked by
    /// [`check_directory_name`]).
    pub fn new(app: &AppId, name: &str) -> Result<Self, Error> {
        check_directory_name(name).map_err(|reason| Error::DirectoryNameInvalid {
            name: name.to_owned(),
            reason,
        })?;
        Ok(Self(format!("{PREFIX}{}_{name}", app.hex())))
    }

    /// Reads a full name (`extension_{32 hex digits}_{name}`), as Graph answers it.
    pub fn parse(full: &str) -> Result<Self, Error> {
        let invalid = |reason| Error::DirectoryNameInvalid {
            name: full.to_owned(),
            reason,
        };
        let rest = full
            .strip_prefix(PREFIX)
            .ok_or_else(|| invalid("a directory extension's full name starts with `extension_`"))?;
        let (hex, name) = rest.split_at_checked(32).ok_or_else(|| {
            invalid("a directory extension's full name is `extension_{32 hex digits}_{name}`")
        })?;
        let name = name
            .strip_prefix('_')
            .filter(|_| hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| {
                invalid("a directory extension's full name is `extension_{32 hex digits}_{name}`")
            })?;
        PropertyName::new(&AppId::new(hex)?, name)
    }

    /// The full name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name the definition was created with (after `extension_{hex}_`).
    pub fn name(&self) -> &str {
        &self.0[extensions_rules::directory::FULL_NAME_PREFIX_LEN..]
    }

    /// The owner app's `appId` digits.
    pub fn app_hex(&self) -> &str {
        &self.0[PREFIX.len()..PREFIX.len() + 32]
    }
}

impl fmt::Display for PropertyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for PropertyName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The target object data on a resource of `kind` needs, or `None` for a kind directory
/// extensions do not target (Outlook and to-do items).
pub fn target_of(kind: ResourceKind) -> Option<TargetObject> {
    Some(match kind {
        ResourceKind::User => TargetObject::User,
        ResourceKind::Group => TargetObject::Group,
        ResourceKind::Device => TargetObject::Device,
        ResourceKind::Organization => TargetObject::Organization,
        ResourceKind::AdministrativeUnit => TargetObject::AdministrativeUnit,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names() {
        let app = AppId::new("5bfc8fdacfc943a9a6de214ea9d15fdb").unwrap();
        let p = PropertyName::new(&app, "permanent_pensionable").unwrap();
        assert_eq!(p.name(), "permanent_pensionable");
        assert_eq!(p.app_hex(), app.hex());
        assert_eq!(PropertyName::parse(p.as_str()).unwrap(), p);
        for bad in [
            "",
            "extension_",
            "extension_5bfc8fdacfc943a9a6de214ea9d15fdbjobGroup",
            "extension_5bfc8fdacfc943a9a6de214ea9d15fdz_jobGroup",
            "extension_5bfc8fdacfc943a9a6de214ea9d15fdb_",
            "ext_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroup",
            "extension_5bfc8fdacfc943a9a6de214ea9d15fdb_job-group",
            "extension_éééééééééééééééééééééééééééééééé_x",
        ] {
            assert!(PropertyName::parse(bad).is_err(), "{bad}");
        }
    }
}
