//! The data of directory extensions on a resource: the [`DirectoryExtension`] trait that
//! `#[derive(DirectoryExtension)]` implements, its JSON writer, and the reader of a resource's
//! answer.

use std::fmt;

use serde::de::{Deserializer as _, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::value::Key;
use extensions_rules::directory::FULL_NAME_PREFIX_LEN;

use super::value::{DirectoryProperty, FullName, ValueWriter};
use super::{
    AppId, DataType, MAX_VALUES_PER_RESOURCE, NewExtensionProperty, OwnerApp, TargetObject,
};
use crate::error::Error;

/// One field of a [`DirectoryExtension`]: one definition on the owner app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PropertySpec {
    /// The name the definition is created with (`jobGroup`; Graph prefixes it).
    pub name: &'static str,
    /// Its data type.
    pub data_type: DataType,
    /// Whether it is multi-valued.
    pub multi_valued: bool,
    /// The most values the field can write (1 for a single value; a multi-valued field's
    /// `max_items`).
    pub max_values: usize,
}

/// A struct whose fields are directory extensions of one owner app, each field one definition.
/// Implement it with `#[derive(DirectoryExtension)]`, which checks every rule it can at compile
/// time; the owner app is a run-time value ([`OwnerApp`]), so the same struct names
/// `extension_{appId}_{name}` properties of whichever app a tenant uses.
pub trait DirectoryExtension: Sized {
    /// The directory objects every definition targets.
    const TARGETS: &'static [TargetObject];
    /// Each field's definition, in declaration order.
    const PROPERTIES: &'static [PropertySpec];
    /// The typed filter's field accessors (generated: `{Struct}Filter`).
    type Filter;

    /// The fields to filter on, for the properties of `app`:
    /// `TeamProfile::filter(&app).xbox_gamertag().is_set()`.
    fn filter(app: &OwnerApp) -> Self::Filter;

    /// Writes every field (`None` and an empty `Vec` as `null`), checking each value's limit.
    fn write_values(&self, w: &mut ValueWriter) -> Result<(), Error>;

    /// Reads every field from a resource's properties; an absent or `null` property is `None`
    /// (an empty `Vec`), and an error for a field that is neither.
    fn read_values(r: &mut ValueReader) -> Result<Self, Error>;

    /// The definitions to register, one per field.
    fn definitions() -> Vec<NewExtensionProperty> {
        Self::PROPERTIES
            .iter()
            .map(|p| NewExtensionProperty {
                name: p.name.to_owned(),
                data_type: p.data_type,
                multi_valued: p.multi_valued,
                targets: Self::TARGETS.to_vec(),
            })
            .collect()
    }
}

/// The body of a write, as [`op::WriteValues`](super::op::WriteValues) sends it: `{…every
/// field…}`, each value checked against its limit, refused before sending over 100 values.
pub fn write_body<T: DirectoryExtension>(app: &AppId, data: &T) -> Result<Vec<u8>, Error> {
    let capacity = 2 + T::PROPERTIES
        .iter()
        .map(|p| 48 + p.name.len() + 24 * p.max_values.min(4))
        .sum::<usize>();
    let mut w = ValueWriter::new(app, capacity);
    w.out.put_byte(b'{');
    data.write_values(&mut w)?;
    w.out.put_byte(b'}');
    if w.count() > MAX_VALUES_PER_RESOURCE {
        return Err(Error::TooManyExtensionValues {
            count: w.count(),
            limit: MAX_VALUES_PER_RESOURCE,
        });
    }
    Ok(w.out.into_bytes())
}

/// The directory extensions of one owner app on one resource, as read from Graph's answer: a
/// slot per declared field, each field taking its value out.
#[derive(Debug)]
pub struct ValueReader {
    hex: [u8; 32],
    names: &'static [PropertySpec],
    /// The value of each declared field, in declaration order.
    slots: Vec<Option<Value>>,
}

impl ValueReader {
    fn new(app: &AppId, names: &'static [PropertySpec]) -> Self {
        let mut hex = [0u8; 32];
        hex.copy_from_slice(&app.hex().as_bytes()[..32]);
        Self {
            hex,
            names,
            slots: vec![None; names.len()],
        }
    }

    /// The declared field `key` names, if it is one of this app's properties
    /// (`extension_{hex}_{name}`, letter case ignored).
    fn slot(&self, key: &str) -> Option<usize> {
        let b = key.as_bytes();
        if !(b.len() > FULL_NAME_PREFIX_LEN
            && b[..10].eq_ignore_ascii_case(b"extension_")
            && b[10..42].eq_ignore_ascii_case(&self.hex)
            && b[42] == b'_')
        {
            return None;
        }
        let name = &key[FULL_NAME_PREFIX_LEN..];
        self.names
            .iter()
            .position(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// Reads the field `name` (the property `extension_{hex}_{name}`).
    pub fn property<T: DirectoryProperty>(&mut self, name: &str) -> Result<T, Error> {
        let value = self
            .names
            .iter()
            .position(|p| p.name == name)
            .and_then(|i| self.slots[i].take());
        T::decode(value, name).map_err(|e| match e {
            Error::DirectoryDataInvalid { reason, .. } => Error::DirectoryDataInvalid {
                property: FullName::new(&self.hex, name)
                    .map_or_else(|_| name.to_owned(), |f| f.as_str().to_owned()),
                reason,
            },
            other => other,
        })
    }
}

/// Reads `T` from a resource's answer (the body of a `GET` with `$select`), as
/// [`op::ReadValues`](super::op::ReadValues) does: one pass over the body, keeping only this
/// app's properties.
pub fn read_body<T: DirectoryExtension>(app: &AppId, body: &[u8]) -> Result<T, Error> {
    struct Body<'r>(&'r mut ValueReader);
    impl<'de> Visitor<'de> for Body<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a resource as a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<Key<'de>>()? {
                match self.0.slot(&key.0) {
                    Some(i) => self.0.slots[i] = Some(map.next_value()?),
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(())
        }
    }
    let mut r = ValueReader::new(app, T::PROPERTIES);
    let mut de = serde_json::Deserializer::from_slice(body);
    de.deserialize_map(Body(&mut r))
        .and_then(|()| de.end())
        .map_err(|e| Error::DirectoryDataInvalid {
            property: "the resource".into(),
            reason: format!("the body is not a JSON object: {e}"),
        })?;
    T::read_values(&mut r)
}

/// Reads `T` from a resource's JSON object (one item of a page, say).
pub fn read_values<T: DirectoryExtension>(
    app: &AppId,
    object: &Map<String, Value>,
) -> Result<T, Error> {
    let mut r = ValueReader::new(app, T::PROPERTIES);
    for (k, v) in object {
        if let Some(i) = r.slot(k) {
            r.slots[i] = Some(v.clone());
        }
    }
    T::read_values(&mut r)
}

/// [`read_values`] of an object the caller gives up.
pub(crate) fn read_object<T: DirectoryExtension>(
    app: &AppId,
    object: Map<String, Value>,
) -> Result<T, Error> {
    let mut r = ValueReader::new(app, T::PROPERTIES);
    for (k, v) in object {
        if let Some(i) = r.slot(&k) {
            r.slots[i] = Some(v);
        }
    }
    T::read_values(&mut r)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The Learn module's profile, written by hand (core's unit tests cannot use the derive).
    #[derive(Debug, Clone, PartialEq, Default)]
    pub(crate) struct Profile {
        pub(crate) job_group: Option<String>,
        pub(crate) pensionable: Option<bool>,
        pub(crate) skills: Vec<String>,
    }

    #[derive(Debug)]
    pub(crate) struct ProfileFilter(OwnerApp);

    impl ProfileFilter {
        pub(crate) fn job_group(&self) -> super::super::Field<Profile, Option<String>> {
            super::super::Field::new(&self.0, "jobGroupTracker")
        }
        pub(crate) fn skills(&self) -> super::super::Field<Profile, Vec<String>> {
            super::super::Field::new(&self.0, "skills")
        }
    }

    impl DirectoryExtension for Profile {
        const TARGETS: &'static [TargetObject] = &[TargetObject::User];
        const PROPERTIES: &'static [PropertySpec] = &[
            PropertySpec {
                name: "jobGroupTracker",
                data_type: DataType::String,
                multi_valued: false,
                max_values: 1,
            },
            PropertySpec {
                name: "permanent_pensionable",
                data_type: DataType::Boolean,
                multi_valued: false,
                max_values: 1,
            },
            PropertySpec {
                name: "skills",
                data_type: DataType::String,
                multi_valued: true,
                max_values: 200,
            },
        ];
        type Filter = ProfileFilter;
        fn filter(app: &OwnerApp) -> ProfileFilter {
            ProfileFilter(app.clone())
        }
        fn write_values(&self, w: &mut ValueWriter) -> Result<(), Error> {
            w.property("jobGroupTracker", &self.job_group)?;
            w.property("permanent_pensionable", &self.pensionable)?;
            w.property("skills", &self.skills)
        }
        fn read_values(r: &mut ValueReader) -> Result<Self, Error> {
            Ok(Self {
                job_group: r.property("jobGroupTracker")?,
                pensionable: r.property("permanent_pensionable")?,
                skills: r.property("skills")?,
            })
        }
    }

    pub(crate) fn app() -> OwnerApp {
        OwnerApp::new("5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb").unwrap()
    }

    #[test]
    fn writes_every_field_and_counts_values() {
        let p = Profile {
            job_group: Some("E4".into()),
            pensionable: None,
            skills: vec!["rust".into(), "graph".into()],
        };
        let body = write_body(app().app_id(), &p).unwrap();
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            r#"{"extension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroupTracker":"E4","extension_5bfc8fdacfc943a9a6de214ea9d15fdb_permanent_pensionable":null,"extension_5bfc8fdacfc943a9a6de214ea9d15fdb_skills":["rust","graph"]}"#
        );
        let map: Map<String, Value> = serde_json::from_slice(&body).unwrap();
        assert_eq!(read_values::<Profile>(app().app_id(), &map).unwrap(), p);

        let many = Profile {
            skills: vec!["x".into(); 100],
            ..p
        };
        assert!(matches!(
            write_body(app().app_id(), &many),
            Err(Error::TooManyExtensionValues {
                count: 101,
                limit: 100
            })
        ));
    }
}
