//! Microsoft Graph **schema extensions**: typed, registered definitions whose data lives on the
//! resource itself and can be filtered on the server.
//!
//! Where [open extensions](crate::OpenExtension) are a named bag of untyped properties that only
//! their writer knows, a schema extension is first **defined** (`POST /schemaExtensions`: an id,
//! target types, typed properties), then its data is written as a complex property of the
//! resource (`PATCH /groups/{id} {"contoso_courses": {...}}`), read with `$select`, and found
//! with `$filter=contoso_courses/courseId eq 123`. See
//! [Add custom data to resources using extensions](https://learn.microsoft.com/en-us/graph/extensibility-overview)
//! and the [schemaExtension resource type](https://learn.microsoft.com/en-us/graph/api/resources/schemaextension).
//!
//! - [`SchemaExtension`]: a struct's typed data (`#[derive(SchemaExtension)]`);
//! - [`Definition`]: a definition as Graph stores it, checked by [`Definition::check`];
//! - [`SchemaId`], [`Status`], [`Owner`], [`PropertyType`], [`TargetType`]: its parts;
//! - the operations ([`op`]): [`CreateDefinition`](op::CreateDefinition),
//!   [`GetDefinition`](op::GetDefinition), [`ListDefinitions`](op::ListDefinitions),
//!   [`UpdateDefinition`](op::UpdateDefinition), [`DeleteDefinition`](op::DeleteDefinition),
//!   [`WriteData`](op::WriteData), [`WriteChanges`](op::WriteChanges) (a partial update,
//!   [`Changes`]), [`ReadData`](op::ReadData), [`ClearData`](op::ClearData) and
//!   [`Find`](op::Find), with the typed filter ([`Condition`]);
//! - [`SchemaExtensionExt`]: the typed calls (`Course::register`, `course.write`, …).
//!
//! | rule | where it is checked |
//! |---|---|
//! | id: `{verifiedDomain}_{name}` or a bare name, letters and digits | compile time (derive), [`SchemaId::new`] |
//! | property types: Binary, Boolean, DateTime, Integer (32-bit), String | compile time (the field's Rust type) |
//! | Boolean and Integer not on contacts, messages, events, posts | compile time, [`Definition::check`] |
//! | String ≤ 256 characters, Binary ≤ 256 bytes | before sending ([`op::WriteData`], [`Condition`]) |
//! | data only on a target type the definition lists | before sending ([`op::WriteData`], [`op::ReadData`]) |
//! | lifecycle `InDevelopment` → `Available` → `Deprecated` → `Available` | before sending ([`op::UpdateDefinition`]) |
//! | updates are additive; `owner` always in the body | [`op::UpdateDefinition`] |
//! | delete only `InDevelopment` | before sending ([`op::DeleteDefinition::of`]) |

mod changes;
mod data;
mod definition;
mod filter;
pub mod op;
mod typed;
mod value;

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::kind::ResourceKind;

pub use changes::Changes;
pub use data::Found;
pub use data::{DataWriter, SchemaExtension, read_data, write_body};
pub use definition::{Definition, DefinitionChange, PropertyDefinition};
pub use extensions_rules::schema::{
    MAX_BINARY_BYTES, MAX_STRING_CHARS, PropertyType, SchemaIdForm, TargetType,
    check_schema_property_name,
};
pub use filter::{Condition, Field, FilterValue};
pub use typed::SchemaExtensionExt;
pub use value::{Filterable, SchemaProperty};

/// A schema extension id: `contoso_courses` (from the verified domain `contoso.com`), the id
/// Graph assigned to a bare name (`extkvbmkofy_courses`), or a bare name (`courses`) before it
/// is registered. Checked when built.
///
/// ```
/// use extensions_core::schema::{SchemaId, SchemaIdForm};
/// let id = SchemaId::new("contoso_courses")?;
/// assert_eq!(id.form(), SchemaIdForm::Prefixed);
/// assert!(SchemaId::new("contoso.com_courses").is_err());
/// # Ok::<(), extensions_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct SchemaId(Cow<'static, str>);

impl SchemaId {
    /// Checks `id` (see [`check_schema_id`](extensions_rules::schema::check_schema_id)).
    pub fn new(id: impl Into<String>) -> Result<Self, Error> {
        let id = id.into();
        match extensions_rules::schema::check_schema_id(&id) {
            Ok(_) => Ok(Self(Cow::Owned(id))),
            Err(reason) => Err(Error::SchemaIdInvalid { id, reason }),
        }
    }

    /// A checked id from a literal; an invalid one fails to compile when used in a `const`.
    pub const fn from_static(id: &'static str) -> Self {
        match extensions_rules::schema::check_schema_id(id) {
            Ok(_) => Self(Cow::Borrowed(id)),
            Err(reason) => panic!("{}", reason),
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Prefixed (usable as is) or bare (Graph assigns the id on creation).
    pub fn form(&self) -> SchemaIdForm {
        if self.0.contains('_') {
            SchemaIdForm::Prefixed
        } else {
            SchemaIdForm::Bare
        }
    }

    /// Checks that the id may stand where Graph takes a property name: a member of a body, a
    /// `$select`, a `$filter` (an OData simple identifier: a letter or `_`, then letters, digits
    /// and `_`). A prefixed id built with [`new`](Self::new) always may; one read as is from
    /// Graph's answer (a listed [`Definition`] keeps any id, so that a definition
    /// registered under older or looser rules is still listed) may not, and every data call
    /// refuses it before sending ([`Error::SchemaIdInvalid`]) rather than write it into a request.
    ///
    /// ```
    /// use extensions_core::schema::Definition;
    /// let listed: Definition = serde_json::from_str(r#"{"id": "exta_z\":null,\"x"}"#)?;
    /// assert!(listed.id.check_usable().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// A bare name (`training`) is refused too: Graph stores data under the id it assigned when
    /// the definition was registered (`ext4dqbx61o_training`), never under the bare name, and
    /// refuses a body or `$select` that names it. Use the `id` of the [`Definition`] that
    /// [`register`](SchemaExtensionExt::register) or
    /// [`find_definition`](SchemaExtensionExt::find_definition) returns.
    ///
    /// ```
    /// use extensions_core::schema::SchemaId;
    /// assert!(SchemaId::new("training")?.check_usable().is_err());
    /// assert!(SchemaId::new("ext4dqbx61o_training")?.check_usable().is_ok());
    /// # Ok::<(), extensions_core::Error>(())
    /// ```
    pub fn check_usable(&self) -> Result<(), Error> {
        extensions_rules::schema::check_schema_property_name(&self.0).map_err(|_| {
            Error::SchemaIdInvalid {
                id: self.0.clone().into_owned(),
                reason: "an id read from Graph's answer that is not an OData identifier (a letter or `_`, then letters, digits and `_`) cannot name data in a request",
            }
        })?;
        if self.form() == SchemaIdForm::Bare {
            return Err(Error::SchemaIdInvalid {
                id: self.0.clone().into_owned(),
                reason: "a bare name is not the id data is stored under: Graph assigns that id when the definition is registered (`ext`, eight characters, `_`, the name); use the `id` of the definition `register` or `find_definition` returns",
            });
        }
        Ok(())
    }

    /// The schema name: the part after `_` (all of a bare name).
    pub fn schema_name(&self) -> &str {
        self.0.split_once('_').map_or(&self.0, |(_, n)| n)
    }
}

impl fmt::Display for SchemaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for SchemaId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for SchemaId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        SchemaId::new(s).map_err(serde::de::Error::custom)
    }
}

/// The lifecycle state of a definition.
///
/// `InDevelopment` (on creation) → `Available` → `Deprecated` → `Available`.
/// **Decision:** the extensions overview and the 2017 update page allow `Deprecated` → `Available`; today's
/// resource page lists only the forward steps. We allow it, as the first sources say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Usable by apps in the owner's tenant; only the owner app may update or delete it.
    InDevelopment,
    /// Usable by any app in any tenant; additive updates only, by the owner app; no delete.
    Available,
    /// No new properties and no changes but the status; existing data can still be read,
    /// updated and deleted.
    Deprecated,
}

impl Status {
    /// The name Graph uses.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InDevelopment => "InDevelopment",
            Self::Available => "Available",
            Self::Deprecated => "Deprecated",
        }
    }

    /// Whether a definition in this status may be set to `next` (the same status is allowed:
    /// it changes nothing).
    pub const fn can_become(self, next: Status) -> bool {
        matches!(
            (self, next),
            (Self::InDevelopment, Self::InDevelopment | Self::Available)
                | (Self::Available, Self::Available | Self::Deprecated)
                | (Self::Deprecated, Self::Deprecated | Self::Available)
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which app owns a definition when it is created.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Owner {
    /// The calling app (no `owner` in the body: Graph takes the caller's `appId`; with
    /// app-only access this is the only choice).
    Caller,
    /// The app with this `appId` (with delegated access, the signed-in user must own it).
    App(String),
}

/// The target type data on a resource of `kind` needs, or `None` for a kind schema extensions do
/// not target (to-do lists and tasks).
pub fn target_of(kind: ResourceKind) -> Option<TargetType> {
    Some(match kind {
        ResourceKind::User => TargetType::User,
        ResourceKind::Group => TargetType::Group,
        ResourceKind::Device => TargetType::Device,
        ResourceKind::Organization => TargetType::Organization,
        ResourceKind::AdministrativeUnit => TargetType::AdministrativeUnit,
        ResourceKind::Event | ResourceKind::GroupEvent => TargetType::Event,
        ResourceKind::GroupPost => TargetType::Post,
        ResourceKind::Message => TargetType::Message,
        ResourceKind::Contact => TargetType::Contact,
        ResourceKind::TodoTaskList | ResourceKind::TodoTask => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle() {
        use Status::*;
        let allowed = [
            (InDevelopment, Available),
            (Available, Deprecated),
            (Deprecated, Available),
        ];
        for a in [InDevelopment, Available, Deprecated] {
            for b in [InDevelopment, Available, Deprecated] {
                assert_eq!(
                    a.can_become(b),
                    a == b || allowed.contains(&(a, b)),
                    "{a} -> {b}"
                );
            }
        }
    }

    #[test]
    fn ids() {
        assert_eq!(SchemaId::new("courses").unwrap().form(), SchemaIdForm::Bare);
        assert_eq!(
            SchemaId::new("extkvbmkofy_courses").unwrap().schema_name(),
            "courses"
        );
        assert!(matches!(
            SchemaId::new("a_b_c"),
            Err(Error::SchemaIdInvalid { .. })
        ));
        let id: SchemaId = serde_json::from_str("\"contoso_x\"").unwrap();
        assert_eq!(id.as_str(), "contoso_x");
        assert!(serde_json::from_str::<SchemaId>("\"1x\"").is_err());
    }
}
