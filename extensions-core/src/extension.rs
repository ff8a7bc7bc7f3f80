//! The [`OpenExtension`] trait, the body encoding and the exact size.
//!
//! # Body and size
//!
//! A body is the compact JSON object
//!
//! ```json
//! {"@odata.type":"#microsoft.graph.openTypeExtension","extensionName":"com.contoso.Referral","id":"com.contoso.Referral","companyName":"Wingtip Toys",…}
//! ```
//!
//! GRAPH.md measures the 2 KB limit of directory objects on exactly this object (`@odata.type`,
//! `extensionName`, `id` and every property, compact). Bodies for directory objects and to-do
//! items carry `id` (equal to the name; the documentation allows setting it on create, and sending
//! it together with `extensionName` deletes nothing), so **the size is the length of the body
//! sent**, byte for byte. Bodies for Outlook items leave `id` out: Graph assigns a qualified id
//! there, and no size limit applies.
//!
//! [`extension_size`] computes that size without allocating, by running the same writer over a
//! byte counter.

use crate::error::Error;
use crate::json::{self, Counter, Sink};
use crate::limits::OPEN_TYPE_EXTENSION_TYPE;
use crate::name::ExtensionName;
use crate::resource::{Resource, ResourceClass, ResourceKind};
use crate::value::{
    FromPropertyValue, Properties, PropertyValue, ValueError, ValueWriter, Written,
};

/// A Rust type stored as one open extension with a fixed name.
///
/// Usually derived (`#[derive(OpenExtension)]`); by hand it looks like this:
///
/// ```
/// use extensions_core::{Error, ExtensionName, OpenExtension, Properties, PropertyWriter, json::Sink};
/// use extensions_core::extension::read_property;
/// use extensions_core::op::Operation;
///
/// struct Referral { company_name: String, deal_value: i64, expiration: Option<String> }
///
/// impl OpenExtension for Referral {
///     const NAME: ExtensionName = ExtensionName::from_static("com.contoso.Referral");
///
///     fn write_properties<S: Sink + ?Sized>(&self, out: &mut PropertyWriter<'_, S>) -> Result<(), Error> {
///         out.property("companyName", &self.company_name)?;
///         out.property("dealValue", &self.deal_value)?;
///         out.property("expirationDate", &self.expiration)
///     }
///
///     fn from_properties(p: &Properties) -> Result<Self, Error> {
///         Ok(Referral {
///             company_name: read_property(p, "companyName")?,
///             deal_value: read_property(p, "dealValue")?,
///             expiration: read_property(p, "expirationDate")?,
///         })
///     }
/// }
///
/// let r = Referral { company_name: "Wingtip Toys".into(), deal_value: 500050, expiration: None };
/// let user = extensions_core::Resource::user("adele@contoso.com");
/// let body = extensions_core::op::Create::new(&user, &r).request()?.into_body().to_vec();
/// assert_eq!(extensions_core::extension_size(&r)?, body.len());
/// assert!(String::from_utf8(body).unwrap().ends_with(r#""companyName":"Wingtip Toys","dealValue":500050,"expirationDate":null}"#));
/// # Ok::<(), Error>(())
/// ```
pub trait OpenExtension: Sized {
    /// The extension name, fixed for the type.
    const NAME: ExtensionName;

    /// Writes every property, with its wire name. A patch sends exactly these, so write all of
    /// them: `None` as `null`, never skipped (Graph deletes every property a PATCH omits).
    fn write_properties<S: Sink + ?Sized>(
        &self,
        out: &mut PropertyWriter<'_, S>,
    ) -> Result<(), Error>;

    /// Whether the type keeps every property it does not declare (a catch-all field, such as the
    /// derive's `#[extension(other)]`). Then [`update`](crate::OpenExtensionExt::update) writes back
    /// exactly what the value holds, so removing a key from the catch-all deletes it; otherwise
    /// `update` adds back the stored properties the type does not declare.
    const KEEPS_UNDECLARED: bool = false;

    /// Reads the value back from the stored properties (`id`, `extensionName` and annotations are
    /// already removed).
    fn from_properties(properties: &Properties) -> Result<Self, Error>;
}

pub use extensions_rules::property::validate_property_name;

/// Turns a [`ValueError`] about `property` into the crate's [`Error`].
pub(crate) fn value_error(property: &str, e: ValueError) -> Error {
    match e {
        ValueError::NonFinite(f) => Error::NonFiniteFloat {
            property: property.to_owned(),
            value: f.to_string(),
        },
        ValueError::NestedArray => Error::ValueNotEncodable {
            property: property.to_owned(),
            reason: "arrays cannot be nested".into(),
        },
        ValueError::NotEncodable(reason) => Error::ValueNotEncodable {
            property: property.to_owned(),
            reason,
        },
        ValueError::Type { expected, found } => Error::PropertyType {
            property: property.to_owned(),
            expected,
            found,
        },
        ValueError::Missing => Error::MissingProperty {
            property: property.to_owned(),
        },
    }
}

/// Reads property `name` as `T`; errors name the property.
pub fn read_property<T: FromPropertyValue>(
    properties: &Properties,
    name: &str,
) -> Result<T, Error> {
    T::from_value(properties.get(name)).map_err(|e| value_error(name, e))
}

/// Receives the properties of an extension, checks their names, and writes them as JSON.
///
/// It runs over a byte counter (for the size, allocating nothing) or a buffer (for the body, also
/// refusing a name written twice).
pub struct PropertyWriter<'a, S: Sink + ?Sized> {
    out: &'a mut S,
    names: Option<&'a mut Vec<String>>,
}

impl<S: Sink + ?Sized> std::fmt::Debug for PropertyWriter<'_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PropertyWriter").finish_non_exhaustive()
    }
}

impl<S: Sink + ?Sized> PropertyWriter<'_, S> {
    /// Writes one property.
    pub fn property<V: PropertyValue + ?Sized>(
        &mut self,
        name: &str,
        value: &V,
    ) -> Result<(), Error> {
        validate_property_name(name).map_err(|reason| Error::PropertyNameInvalid {
            property: name.to_owned(),
            reason,
        })?;
        if let Some(names) = self.names.as_deref_mut() {
            if names.iter().any(|n| n == name) {
                return Err(Error::DuplicateProperty {
                    property: name.to_owned(),
                });
            }
            names.push(name.to_owned());
        }
        self.out.put_byte(b',');
        json::write_str(self.out, name);
        self.out.put_byte(b':');
        let _: Written = value
            .write_value(ValueWriter::new(&mut *self.out))
            .map_err(|e| value_error(name, e))?;
        Ok(())
    }

    /// Writes every property of `properties` (a catch-all field, say).
    pub fn properties(&mut self, properties: &Properties) -> Result<(), Error> {
        for (name, value) in properties.iter() {
            self.property(name, value)?;
        }
        Ok(())
    }
}

/// Writes `{"@odata.type":…,"extensionName":…[,"id":…]` + properties + `}`.
fn write_extension<S: Sink + ?Sized>(
    out: &mut S,
    names: Option<&mut Vec<String>>,
    name: &str,
    include_id: bool,
    props: impl FnOnce(&mut PropertyWriter<'_, S>) -> Result<(), Error>,
) -> Result<(), Error> {
    out.put("{\"@odata.type\":");
    json::write_str(out, OPEN_TYPE_EXTENSION_TYPE);
    out.put(",\"extensionName\":");
    json::write_str(out, name);
    if include_id {
        out.put(",\"id\":");
        json::write_str(out, name);
    }
    let mut w = PropertyWriter { out, names };
    props(&mut w)?;
    w.out.put_byte(b'}');
    Ok(())
}

/// The exact size in bytes of `ext` as GRAPH.md defines it (the compact object with
/// `@odata.type`, `extensionName`, `id` and every property), computed without allocating. It is
/// the length of the body sent for a directory object.
pub fn extension_size<T: OpenExtension>(ext: &T) -> Result<usize, Error> {
    let mut c = Counter::default();
    write_extension(&mut c, None, T::NAME.as_str(), true, |w| {
        ext.write_properties(w)
    })?;
    Ok(c.0)
}

/// [`extension_size`] for untyped properties.
pub fn untyped_size(name: &ExtensionName, properties: &Properties) -> Result<usize, Error> {
    let mut c = Counter::default();
    write_extension(&mut c, None, name.as_str(), true, |w| {
        w.properties(properties)
    })?;
    Ok(c.0)
}

/// Refuses `size` if it is over the limit of `resource`'s class.
pub fn check_size(resource: &Resource, size: usize) -> Result<(), Error> {
    check_size_of(resource.kind(), size)
}

fn check_size_of(kind: ResourceKind, size: usize) -> Result<(), Error> {
    match kind.class().size_limit() {
        Some(limit) if size > limit => Err(Error::TooLarge { size, limit, kind }),
        _ => Ok(()),
    }
}

/// Encodes the body for a resource of `kind`: `props` writes the properties; `extra` (for a
/// read-modify-write) adds every property it holds that `props` did not write. The result is
/// checked against the size limit of the kind.
pub(crate) fn encode_body(
    kind: ResourceKind,
    name: &str,
    props: impl FnOnce(&mut PropertyWriter<'_, Vec<u8>>) -> Result<(), Error>,
    extra: Option<&Properties>,
) -> Result<Vec<u8>, Error> {
    let include_id = kind.class().id_is_name();
    let mut bytes = Vec::with_capacity(256);
    let mut names = Vec::new();
    write_extension(&mut bytes, Some(&mut names), name, include_id, |w| {
        props(w)?;
        if let Some(extra) = extra {
            for (k, v) in extra.iter() {
                if !w.names.as_deref().is_some_and(|n| n.iter().any(|n| n == k)) {
                    w.property(k, v)?;
                }
            }
        }
        Ok(())
    })?;
    if kind.class() == ResourceClass::DirectoryObject {
        check_size_of(kind, bytes.len())?;
    }
    Ok(bytes)
}

/// The body of a create or patch of `ext` on a resource of `kind`, refused before any request if
/// over the size limit of the kind. The body is written once and its length is the size (the
/// property test proves it equals [`extension_size`]); to check a value without building a body,
/// call [`extension_size`], which allocates nothing.
pub fn encode<T: OpenExtension>(kind: ResourceKind, ext: &T) -> Result<Vec<u8>, Error> {
    encode_body(kind, T::NAME.as_str(), |w| ext.write_properties(w), None)
}

/// Decodes a stored extension (the JSON object Graph answers) as `T`.
pub fn decode<T: OpenExtension>(body: &[u8]) -> Result<T, Error> {
    let bad = |detail: String| Error::UnexpectedResponse {
        status: http::StatusCode::OK,
        detail,
    };
    let json: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| bad(format!("the body is not JSON: {e}")))?;
    crate::response::ExtensionObject::from_json(&json)
        .map_err(bad)?
        .decode()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    #[test]
    fn property_names() {
        for ok in ["a", "companyName", "x.y", "ünïcode", "with space"] {
            assert_eq!(validate_property_name(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "id",
            "ID",
            "Id",
            "extensionName",
            "EXTENSIONNAME",
            "@odata.type",
            "x@odata.type",
            "a\nb",
            "a\u{7f}",
        ] {
            assert!(validate_property_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn untyped_body_and_size_agree() {
        let name = ExtensionName::new("com.contoso.X").unwrap();
        let mut p = Properties::new();
        p.insert("a", "é\"\n");
        p.insert("b", Value::try_from(1.5).unwrap());
        p.insert("c", Value::Array(vec![]));
        let r = Resource::device("d");
        let body = encode_body(r.kind(), name.as_str(), |w| w.properties(&p), None).unwrap();
        assert_eq!(untyped_size(&name, &p).unwrap(), body.len());
        let text = String::from_utf8(body).unwrap();
        assert_eq!(
            text,
            r##"{"@odata.type":"#microsoft.graph.openTypeExtension","extensionName":"com.contoso.X","id":"com.contoso.X","a":"é\"\n","b":1.5,"c":[]}"##
        );
        // An Outlook body has no id.
        let msg = Resource::me().message("m");
        let body = encode_body(msg.kind(), name.as_str(), |w| w.properties(&p), None).unwrap();
        assert!(!String::from_utf8(body).unwrap().contains("\"id\""));
    }

    #[test]
    fn duplicates_are_refused_in_bodies() {
        let r = Resource::device("d");
        let err = encode_body(
            r.kind(),
            "com.contoso.X",
            |w| {
                w.property("a", &1u8)?;
                w.property("a", &2u8)
            },
            None,
        )
        .unwrap_err();
        assert!(matches!(err, Error::DuplicateProperty { property } if property == "a"));
    }

    #[test]
    fn extra_properties_are_appended_once() {
        let r = Resource::device("d");
        let mut server = Properties::new();
        server.insert("a", 1i64);
        server.insert("legacy", "kept");
        let body = encode_body(
            r.kind(),
            "com.contoso.X",
            |w| w.property("a", &2u8),
            Some(&server),
        )
        .unwrap();
        let text = String::from_utf8(body).unwrap();
        assert!(text.ends_with(r#","a":2,"legacy":"kept"}"#), "{text}");
    }
}
