//! The data of a schema extension on a resource: the [`SchemaExtension`] trait that
//! `#[derive(SchemaExtension)]` implements, its JSON writer, and the reader of a resource's
//! answer.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Definition, PropertyType, SchemaId, TargetType};
use crate::error::Error;
use crate::json::Out;

/// A struct whose fields are the properties of a schema extension. Implement it with
/// `#[derive(SchemaExtension)]`, which checks every rule it can at compile time.
///
/// ```
/// use extensions_core::prelude::*;
/// use extensions_core::schema::{SchemaExtension, TargetType, PropertyType};
///
/// #[derive(SchemaExtension, Debug, PartialEq)]
/// #[schema(id = "contoso_courses", targets(Group, User), description = "Training courses")]
/// struct Course {
///     course_id: i32,
///     course_name: String,
///     course_type: Option<String>,
/// }
///
/// assert_eq!(Course::ID.as_str(), "contoso_courses");
/// assert_eq!(Course::TARGETS, &[TargetType::Group, TargetType::User]);
/// assert_eq!(Course::PROPERTIES[0], ("courseId", PropertyType::Integer));
/// let def = Course::definition();
/// assert_eq!(def.properties.len(), 3);
/// ```
pub trait SchemaExtension: Sized {
    /// The id as declared: `{verifiedDomain}_{name}`, used as is, or a bare name, for which
    /// Graph assigns the id when the definition is registered (so the typed calls take the
    /// registered id as a value).
    const ID: SchemaId;
    /// The definition's description.
    const DESCRIPTION: Option<&'static str>;
    /// The resource types the definition targets.
    const TARGETS: &'static [TargetType];
    /// Each property's wire name and type, in declaration order.
    const PROPERTIES: &'static [(&'static str, PropertyType)];
    /// The typed filter's field accessors (generated: `{Struct}Filter`).
    type Filter;

    /// The fields to filter on, for the definition registered as `id`:
    /// `Course::filter(&id).course_id().eq(123)`.
    fn filter(id: &SchemaId) -> Self::Filter;
    /// The typed partial update's setters (generated: `{Struct}Changes`).
    type Changes: Into<super::Changes<Self>>;

    /// No change yet, to name properties on: `Course::changes().course_name("B".into())`,
    /// sent by [`update`](super::SchemaExtensionExt::update).
    fn changes() -> Self::Changes;

    /// Writes every declared property (`None` as `null`), checking each value's limit.
    fn write_data(&self, w: &mut DataWriter) -> Result<(), Error>;

    /// Reads the data object (`{"@odata.type": "#microsoft.graph.ComplexExtensionValue",
    /// "courseId": 123, …}`): unknown properties (added by another version) are ignored; an
    /// absent property is `None` for an `Option` field and an error for any other.
    fn deserialize_data<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;

    /// The definition to register: `POST /schemaExtensions`'s body, as a value.
    fn definition() -> Definition {
        Definition::of::<Self>()
    }
}

/// Writes the properties of one schema extension's data as JSON.
#[derive(Debug)]
pub struct DataWriter {
    pub(crate) out: Out,
    first: bool,
}

impl DataWriter {
    pub(crate) fn new(out: Out) -> Self {
        Self { out, first: true }
    }

    /// Writes one property: `"name":value`. The name was checked at compile time by the derive.
    pub fn property<T: super::SchemaProperty>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        if !self.first {
            self.out.put_byte(b',');
        }
        self.first = false;
        self.out.put_byte(b'"');
        self.out.put(name);
        self.out.put("\":");
        value.write(self, name)
    }
}

/// `{"{id}":{…data…}}`: the body of a data write ([`WriteData`](super::op::WriteData)), every
/// value checked against its type's limit.
///
/// ```
/// # use extensions_core::prelude::*;
/// # use extensions_core::schema::{write_body, SchemaId};
/// #[derive(SchemaExtension)]
/// #[schema(id = "contoso_courses", targets(Group))]
/// struct Course { course_id: i32, course_type: Option<String> }
///
/// let id = SchemaId::new("contoso_courses")?;
/// let body = write_body(&id, &Course { course_id: 123, course_type: None })?;
/// assert_eq!(body, br#"{"contoso_courses":{"courseId":123,"courseType":null}}"#);
/// # Ok::<(), extensions_core::Error>(())
/// ```
pub fn write_body<T: SchemaExtension>(id: &SchemaId, data: &T) -> Result<Vec<u8>, Error> {
    let mut out = Out::buffer(64 + 24 * T::PROPERTIES.len());
    out.put("{");
    crate::json::write_str(&mut out, id.as_str());
    out.put(":{");
    let mut w = DataWriter::new(out);
    data.write_data(&mut w)?;
    let mut out = w.out;
    out.put("}}");
    Ok(out.into_bytes())
}

/// Reads `T`'s data from a resource's JSON (`{"id": …, "{schema id}": {…}}`): `None` when the
/// property is absent or `null` (no data, or not `$select`ed).
///
/// ```
/// # use extensions_core::prelude::*;
/// # use extensions_core::schema::{read_data, SchemaId};
/// #[derive(SchemaExtension, Debug, PartialEq)]
/// #[schema(id = "contoso_courses", targets(Group))]
/// struct Course { course_id: i32 }
///
/// let body = br##"{"id":"g1","contoso_courses":{"@odata.type":"#microsoft.graph.ComplexExtensionValue","courseId":123}}"##;
/// let id = SchemaId::new("contoso_courses")?;
/// assert_eq!(read_data::<Course>(body, &id)?, Some(Course { course_id: 123 }));
/// # Ok::<(), extensions_core::Error>(())
/// ```
pub fn read_data<T: SchemaExtension>(body: &[u8], id: &SchemaId) -> Result<Option<T>, Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let found = de
        .deserialize_map(ResourceVisitor::<T> {
            id: id.as_str(),
            _t: PhantomData,
        })
        .and_then(|r| de.end().map(|()| r))
        .map_err(|e| invalid(id, &e))?;
    Ok(found.data)
}

pub(crate) fn invalid(id: &SchemaId, e: &serde_json::Error) -> Error {
    Error::SchemaDataInvalid {
        id: id.to_string(),
        reason: e.to_string(),
    }
}

/// A resource with its schema extension data, as a list or a read answers it.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<T> {
    /// The resource's `id`, if the answer has one.
    pub id: Option<String>,
    /// Its data, if it has any.
    pub data: Option<T>,
}

/// Reads one resource object, keeping its `id` and the data under the schema id.
pub(crate) struct ResourceVisitor<'a, T> {
    pub(crate) id: &'a str,
    pub(crate) _t: PhantomData<T>,
}

impl<'de, T: SchemaExtension> Visitor<'de> for ResourceVisitor<'_, T> {
    type Value = Found<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a resource object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found<T>, A::Error> {
        let mut found = Found {
            id: None,
            data: None,
        };
        let mut seen = false;
        while let Some(key) = map.next_key::<crate::value::Key<'de>>()? {
            if &*key.0 == self.id {
                if seen {
                    return Err(de::Error::custom(format_args!(
                        "the property {:?} appears twice",
                        self.id
                    )));
                }
                seen = true;
                found.data = map.next_value_seed(DataSeed::<T>(PhantomData))?;
            } else if &*key.0 == "id" {
                found.id = map.next_value::<Option<String>>()?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

impl<'de, T: SchemaExtension> DeserializeSeed<'de> for ResourceVisitor<'_, T> {
    type Value = Found<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Found<T>, D::Error> {
        d.deserialize_map(self)
    }
}

/// The data object or `null`.
struct DataSeed<T>(PhantomData<T>);

impl<'de, T: SchemaExtension> DeserializeSeed<'de> for DataSeed<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, T: SchemaExtension> Visitor<'de> for DataSeed<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a schema extension value or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        T::deserialize_data(d).map(Some)
    }
}

/// Reads a collection page: `value` (each a resource with its data) and `@odata.nextLink`.
pub(crate) struct PageVisitor<'a, T> {
    pub(crate) id: &'a str,
    pub(crate) _t: PhantomData<T>,
}

impl<'de, T: SchemaExtension> Visitor<'de> for PageVisitor<'_, T> {
    type Value = (Vec<Found<T>>, Option<String>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a collection page")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut items = None;
        let mut next = None;
        while let Some(key) = map.next_key::<crate::value::Key<'de>>()? {
            match &*key.0 {
                "value" => {
                    items = Some(map.next_value_seed(Items::<T> {
                        id: self.id,
                        _t: PhantomData,
                    })?);
                }
                "@odata.nextLink" => next = map.next_value::<Option<String>>()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let items = items.ok_or_else(|| de::Error::missing_field("value"))?;
        Ok((items, next))
    }
}

struct Items<'a, T> {
    id: &'a str,
    _t: PhantomData<T>,
}

impl<'de, T: SchemaExtension> DeserializeSeed<'de> for Items<'_, T> {
    type Value = Vec<Found<T>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: SchemaExtension> Visitor<'de> for Items<'_, T> {
    type Value = Vec<Found<T>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of resources")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1000));
        while let Some(item) = seq.next_element_seed(ResourceVisitor::<T> {
            id: self.id,
            _t: PhantomData,
        })? {
            out.push(item);
        }
        Ok(out)
    }
}
