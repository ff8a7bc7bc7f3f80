//! A schema extension definition as Graph stores it, and the checks Graph would make on it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{PropertyType, SchemaExtension, SchemaId, Status, TargetType};
use crate::error::Error;

/// A schema extension definition: the body of `POST /schemaExtensions` and what
/// `GET /schemaExtensions/{id}` answers.
///
/// Target types are kept as Graph's text, so a definition another app registered for a type
/// this library does not model (`todoTask`, `application`) still reads; [`targets`](Self::targets)
/// gives the ones it knows.
///
/// ```
/// use extensions_core::schema::{Definition, PropertyType, TargetType};
/// let def = Definition::new("contoso_courses", [TargetType::Group])?
///     .description("Training courses")
///     .property("courseId", PropertyType::Integer)
///     .property("courseName", PropertyType::String);
/// def.check()?;
/// assert_eq!(
///     serde_json::to_string(&def).unwrap(),
///     r#"{"id":"contoso_courses","description":"Training courses","targetTypes":["Group"],"properties":[{"name":"courseId","type":"Integer"},{"name":"courseName","type":"String"}]}"#
/// );
/// # Ok::<(), extensions_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Definition {
    /// The id: as declared before registration; as Graph assigned it afterwards.
    #[serde(deserialize_with = "lenient_id")]
    pub id: SchemaId,
    /// What the extension is for (it makes it discoverable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The resource types it may be used on, as Graph names them (`"Group"`).
    #[serde(default)]
    pub target_types: Vec<String>,
    /// Its properties.
    #[serde(default)]
    pub properties: Vec<PropertyDefinition>,
    /// Its lifecycle state (absent in a body to create).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The `appId` of the owner app (absent in a body to create: the caller owns it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// Graph's ids are taken as they are when read: a definition registered by rules older or
/// looser than ours must still be listed.
fn lenient_id<'de, D: Deserializer<'de>>(d: D) -> Result<SchemaId, D::Error> {
    let s = String::deserialize(d)?;
    Ok(SchemaId::new(s.clone()).unwrap_or(SchemaId(std::borrow::Cow::Owned(s))))
}

/// One property of a definition.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PropertyDefinition {
    /// Its name (`courseId`), used as `{id}/{name}` in `$filter`.
    pub name: String,
    /// Its type.
    #[serde(rename = "type", with = "property_type")]
    pub ty: PropertyType,
}

impl PropertyDefinition {
    /// A property called `name` of type `ty`.
    pub fn new(name: impl Into<String>, ty: PropertyType) -> Self {
        Self {
            name: name.into(),
            ty,
        }
    }
}

mod property_type {
    use super::*;
    pub(super) fn serialize<S: Serializer>(t: &PropertyType, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(t.as_str())
    }
    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PropertyType, D::Error> {
        let s = String::deserialize(d)?;
        PropertyType::from_name(&s).ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "unknown schema extension property type {s:?} (Binary, Boolean, DateTime, Integer, String)"
            ))
        })
    }
}

impl Definition {
    /// A definition with this id (checked) and these target types, no properties yet.
    pub fn new(
        id: impl Into<String>,
        targets: impl IntoIterator<Item = TargetType>,
    ) -> Result<Self, Error> {
        Ok(Self {
            id: SchemaId::new(id)?,
            description: None,
            target_types: targets.into_iter().map(|t| t.as_str().to_owned()).collect(),
            properties: Vec::new(),
            status: None,
            owner: None,
        })
    }

    /// The definition a [`SchemaExtension`] type declares.
    pub fn of<T: SchemaExtension>() -> Self {
        Self {
            id: T::ID,
            description: T::DESCRIPTION.map(str::to_owned),
            target_types: T::TARGETS.iter().map(|t| t.as_str().to_owned()).collect(),
            properties: T::PROPERTIES
                .iter()
                .map(|(n, t)| PropertyDefinition::new(*n, *t))
                .collect(),
            status: None,
            owner: None,
        }
    }

    /// With this description.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// With one more property.
    #[must_use]
    pub fn property(mut self, name: impl Into<String>, ty: PropertyType) -> Self {
        self.properties.push(PropertyDefinition::new(name, ty));
        self
    }

    /// The target types this library knows, in order (others are skipped).
    pub fn targets(&self) -> Vec<TargetType> {
        self.target_types
            .iter()
            .filter_map(|t| TargetType::from_name(t))
            .collect()
    }

    /// Whether the definition lists `target` (letter case ignored).
    pub fn lists(&self, target: TargetType) -> bool {
        self.target_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(target.as_str()))
    }

    /// The property called `name`, if declared.
    pub fn property_named(&self, name: &str) -> Option<&PropertyDefinition> {
        self.properties.iter().find(|p| p.name == name)
    }

    fn refuse(&self, reason: String) -> Error {
        Error::SchemaDefinitionInvalid {
            id: self.id.to_string(),
            reason,
        }
    }

    /// Checks what Graph would refuse in this definition: no target type, a target type twice,
    /// a property name that is not an identifier, a property twice (letter case ignored), and
    /// `Boolean` or `Integer` properties on contacts, messages, events or posts.
    pub fn check(&self) -> Result<(), Error> {
        if self.target_types.is_empty() {
            return Err(self.refuse("a definition needs at least one target type".into()));
        }
        for (i, t) in self.target_types.iter().enumerate() {
            if self.target_types[..i]
                .iter()
                .any(|u| u.eq_ignore_ascii_case(t))
            {
                return Err(self.refuse(format!("the target type {t:?} appears twice")));
            }
        }
        for (i, p) in self.properties.iter().enumerate() {
            extensions_rules::schema::check_schema_property_name(&p.name)
                .map_err(|r| self.refuse(format!("property {:?}: {r}", p.name)))?;
            if self.properties[..i]
                .iter()
                .any(|q| q.name.eq_ignore_ascii_case(&p.name))
            {
                return Err(self.refuse(format!("property {:?} appears twice", p.name)));
            }
            if let Some(t) = self.targets().into_iter().find(|t| !p.ty.allowed_on(*t)) {
                return Err(self.refuse(format!(
                    "property {:?} is {}, which is not supported on a {} (Boolean and Integer are not supported on contacts, messages, events and posts)",
                    p.name,
                    p.ty.as_str(),
                    t.as_str()
                )));
            }
        }
        Ok(())
    }
}

/// An update of a definition: only additive changes exist (Graph never removes or retypes a
/// property, nor removes a target type).
///
/// ```
/// use extensions_core::schema::{DefinitionChange, PropertyType, Status};
/// let change = DefinitionChange::new()
///     .status(Status::Available)
///     .add_property("courseLevel", PropertyType::String);
/// # let _ = change;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DefinitionChange {
    /// A new description.
    pub description: Option<String>,
    /// A new status.
    pub status: Option<Status>,
    /// More target types.
    pub add_targets: Vec<TargetType>,
    /// More properties.
    pub add_properties: Vec<PropertyDefinition>,
}

impl DefinitionChange {
    /// No change yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Moves to `status`.
    #[must_use]
    pub fn status(mut self, status: Status) -> Self {
        self.status = Some(status);
        self
    }

    /// Adds a target type.
    #[must_use]
    pub fn add_target(mut self, target: TargetType) -> Self {
        self.add_targets.push(target);
        self
    }

    /// Adds a property.
    #[must_use]
    pub fn add_property(mut self, name: impl Into<String>, ty: PropertyType) -> Self {
        self.add_properties.push(PropertyDefinition::new(name, ty));
        self
    }

    /// Whether it changes anything but the status.
    pub fn changes_more_than_status(&self) -> bool {
        self.description.is_some()
            || !self.add_targets.is_empty()
            || !self.add_properties.is_empty()
    }

    /// The definition after this change, checked: the lifecycle step is allowed, a deprecated
    /// definition changes nothing but its status, and the result passes [`Definition::check`].
    pub fn apply(&self, current: &Definition) -> Result<Definition, Error> {
        let lifecycle = |reason: String| Error::SchemaLifecycle {
            id: current.id.to_string(),
            reason,
        };
        let from = current.status.unwrap_or(Status::InDevelopment);
        if let Some(to) = self.status
            && !from.can_become(to)
        {
            return Err(lifecycle(format!(
                "a definition cannot go from {from} to {to} (InDevelopment -> Available -> Deprecated -> Available)"
            )));
        }
        if from == Status::Deprecated && self.changes_more_than_status() {
            return Err(lifecycle(
                "a Deprecated definition takes no new properties, target types or description; only its status can change".into(),
            ));
        }
        let mut next = current.clone();
        if let Some(d) = &self.description {
            next.description = Some(d.clone());
        }
        if let Some(s) = self.status {
            next.status = Some(s);
        }
        for t in &self.add_targets {
            if !next.lists(*t) {
                next.target_types.push(t.as_str().to_owned());
            }
        }
        next.properties.extend(self.add_properties.iter().cloned());
        next.check()?;
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn courses() -> Definition {
        Definition::new("contoso_courses", [TargetType::Group])
            .unwrap()
            .property("courseId", PropertyType::Integer)
            .property("courseName", PropertyType::String)
    }

    #[test]
    fn reads_graphs_answer() {
        let d: Definition = serde_json::from_str(
            r#"{"id":"extkvbmkofy_courses","description":null,"targetTypes":["Group","todoTask"],"status":"InDevelopment","owner":"24d3b144-21ae-4080-943f-7067b395b913","properties":[{"name":"courseId","type":"Integer"}]}"#,
        )
        .unwrap();
        assert_eq!(d.status, Some(Status::InDevelopment));
        assert_eq!(d.targets(), vec![TargetType::Group]);
        assert_eq!(d.properties[0].ty, PropertyType::Integer);
        assert!(
            serde_json::from_str::<Definition>(
                r#"{"id":"a_b","properties":[{"name":"x","type":"Double"}]}"#
            )
            .is_err()
        );
    }

    #[test]
    fn checks() {
        courses().check().unwrap();
        let bad = |d: Definition| d.check().unwrap_err().to_string();
        assert!(bad(Definition::new("a_b", []).unwrap()).contains("at least one target"));
        assert!(bad(courses().property("CourseId", PropertyType::String)).contains("twice"));
        assert!(bad(courses().property("course id", PropertyType::String)).contains("ASCII"));
        let on_messages = Definition::new("a_b", [TargetType::Message])
            .unwrap()
            .property("n", PropertyType::Integer);
        assert!(bad(on_messages).contains("not supported on a Message"));
        let twice = Definition::new("a_b", [TargetType::User, TargetType::User]).unwrap();
        assert!(bad(twice).contains("appears twice"));
    }

    #[test]
    fn changes_are_additive_and_follow_the_lifecycle() {
        let mut d = courses();
        d.status = Some(Status::InDevelopment);
        let next = DefinitionChange::new()
            .status(Status::Available)
            .add_property("level", PropertyType::String)
            .add_target(TargetType::User)
            .apply(&d)
            .unwrap();
        assert_eq!(next.properties.len(), 3);
        assert_eq!(next.target_types, ["Group", "User"]);
        let e = DefinitionChange::new()
            .status(Status::Deprecated)
            .apply(&d)
            .unwrap_err();
        assert!(matches!(e, Error::SchemaLifecycle { .. }), "{e}");
        d.status = Some(Status::Deprecated);
        assert!(
            DefinitionChange::new()
                .status(Status::Available)
                .apply(&d)
                .is_ok()
        );
        assert!(matches!(
            DefinitionChange::new()
                .add_property("x", PropertyType::String)
                .apply(&d),
            Err(Error::SchemaLifecycle { .. })
        ));
        d.status = Some(Status::Available);
        // A new target that an existing Integer property cannot live on.
        assert!(matches!(
            DefinitionChange::new()
                .add_target(TargetType::Post)
                .apply(&d),
            Err(Error::SchemaDefinitionInvalid { .. })
        ));
    }
}
