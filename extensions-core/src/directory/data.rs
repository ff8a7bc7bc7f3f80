//! The data of directory extensions on a resource: the [`DirectoryExtension`] trait that
//! `#[derive(DirectoryExtension)]` implements, its JSON writer, and the reader of a resource's
//! answer.

use serde_json::{Map, Value};

use super::value::{DirectoryProperty, ValueWriter};
use super::{
    AppId, DataType, MAX_VALUES_PER_RESOURCE, NewExtensionProperty, OwnerApp, PropertyName,
    TargetObject,
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
    fn read_values(r: &ValueReader<'_>) -> Result<Self, Error>;

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

/// The body of a write: `{…every field…}`, refused before sending over 100 values.
pub(crate) fn write_body<T: DirectoryExtension>(app: &AppId, data: &T) -> Result<Vec<u8>, Error> {
    let mut w = ValueWriter::new(app);
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

/// Reads the fields of a struct from one resource's properties.
#[derive(Debug)]
pub struct ValueReader<'a> {
    map: &'a Map<String, Value>,
    app: &'a AppId,
}

impl ValueReader<'_> {
    /// Reads the field `name` (the property `extension_{hex}_{name}`).
    pub fn property<T: DirectoryProperty>(&self, name: &str) -> Result<T, Error> {
        let full = PropertyName::new(self.app, name)?;
        T::decode(self.map.get(full.as_str()), full.as_str())
    }
}

/// Reads `T` from a resource's JSON object (a `GET` with `$select`, or one item of a page).
pub fn read_values<T: DirectoryExtension>(
    app: &AppId,
    object: &Map<String, Value>,
) -> Result<T, Error> {
    T::read_values(&ValueReader { map: object, app })
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
        fn read_values(r: &ValueReader<'_>) -> Result<Self, Error> {
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
