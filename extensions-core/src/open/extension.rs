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
//! Graph limits an open extension on a directory object to 2 KB "including the extension
//! definition itself" ([Open extensions](https://learn.microsoft.com/en-us/graph/extensibility-open-users)).
//! This crate measures that limit on exactly this object (`@odata.type`, `extensionName`, `id`
//! and every property, compact: 2048 bytes at most). Bodies for directory objects and to-do
//! items carry `id` (equal to the name; the documentation allows setting it on create, and sending
//! it together with `extensionName` deletes nothing), so **the size is the length of the body
//! sent**, byte for byte. Bodies for Outlook items leave `id` out: Graph assigns a qualified id
//! there, and no size limit applies.
//!
//! [`extension_size`] computes that size without allocating, by running the same writer in
//! counting mode.

use std::fmt;
use std::marker::PhantomData;

use http::StatusCode;
use serde::Deserializer as _;
use serde::de::{MapAccess, Visitor};

use crate::error::Error;
use crate::json::{self, Out};
use crate::name::ExtensionName;
use crate::resource::{Resource, ResourceClass, ResourceKind};
use crate::value::{FromPropertyValue, Properties, PropertyValue, ValueWriter, Written};

#[doc(hidden)]
pub use crate::open::decode::DecodeCx;

/// A Rust type stored as one open extension with a fixed name.
///
/// Usually derived (`#[derive(OpenExtension)]`); by hand it looks like this:
///
/// ```
/// use extensions_core::{Error, ExtensionName, OpenExtension, Properties, PropertyWriter};
/// use extensions_core::extension::read_property;
/// use extensions_core::op::Operation;
///
/// struct Referral { company_name: String, deal_value: i64, expiration: Option<String> }
///
/// impl OpenExtension for Referral {
///     const NAME: ExtensionName = ExtensionName::from_static("com.contoso.Referral");
///
///     fn write_properties(&self, out: &mut PropertyWriter<'_>) -> Result<(), Error> {
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
    /// them: `None` as `null`, never skipped (on directory objects Graph deletes every property a
    /// PATCH omits).
    fn write_properties(&self, out: &mut PropertyWriter<'_>) -> Result<(), Error>;

    /// Whether the type keeps every property it does not declare (a catch-all field, such as the
    /// derive's `#[extension(other)]`). Then [`update`](crate::OpenExtensionExt::update) writes
    /// back exactly what the value holds, so removing a key from the catch-all deletes it;
    /// otherwise `update` adds back the stored properties the type does not declare.
    const KEEPS_UNDECLARED: bool = false;

    /// Reads the value back from the stored properties (`id`, `extensionName` and annotations are
    /// already removed).
    fn from_properties(properties: &Properties) -> Result<Self, Error>;

    /// Reads the value straight from the members of a response body. The derive generates a
    /// reader that fills each field by wire name with no intermediate map; this default collects
    /// the properties and calls [`from_properties`](Self::from_properties).
    #[doc(hidden)]
    fn __decode<'de, A: serde::de::MapAccess<'de>>(
        map: A,
        cx: &mut DecodeCx,
    ) -> Result<Self, A::Error> {
        through_properties(map, cx)
    }
}

pub use extensions_rules::property::validate_property_name;

/// Reads property `name` as `T`; errors name the property.
pub fn read_property<T: FromPropertyValue>(
    properties: &Properties,
    name: &str,
) -> Result<T, Error> {
    T::from_value(properties.get(name)).map_err(|e| Error::property(name, e))
}

/// Receives the properties of an extension, checks their names, and writes them as JSON.
///
/// It runs in counting mode (for the size, allocating nothing) or into a buffer (for the body,
/// also refusing a name written twice).
pub struct PropertyWriter<'a> {
    out: &'a mut Out,
    /// Names written through [`property`](Self::property) (and, when `track_declared`, through
    /// the derive's path), to refuse duplicates and to know what a write-back must add.
    names: Vec<String>,
    track_declared: bool,
}

impl std::fmt::Debug for PropertyWriter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PropertyWriter").finish_non_exhaustive()
    }
}

impl PropertyWriter<'_> {
    fn write<V: PropertyValue + ?Sized>(&mut self, name: &str, value: &V) -> Result<(), Error> {
        self.out.put_byte(b',');
        json::write_str(self.out, name);
        self.out.put_byte(b':');
        let _: Written = value
            .write_value(ValueWriter::new(&mut *self.out))
            .map_err(|e| Error::property(name, e))?;
        Ok(())
    }

    fn check_name(&mut self, name: &str) -> Result<(), Error> {
        validate_property_name(name).map_err(|reason| Error::PropertyNameInvalid {
            property: name.to_owned(),
            reason,
        })?;
        // Counting (the size alone) allocates nothing; writing a body also refuses a name
        // written twice.
        if !self.out.is_counting() {
            if self.names.iter().any(|n| n == name) {
                return Err(Error::DuplicateProperty {
                    property: name.to_owned(),
                });
            }
            self.names.push(name.to_owned());
        }
        Ok(())
    }

    /// Writes one property, checking its name (not empty, no `@`, not `id` or
    /// `extensionName`) and that it was not written before.
    pub fn property<V: PropertyValue + ?Sized>(
        &mut self,
        name: &str,
        value: &V,
    ) -> Result<(), Error> {
        self.check_name(name)?;
        self.write(name, value)
    }

    /// Writes every property of `properties` (a catch-all field, say).
    pub fn properties(&mut self, properties: &Properties) -> Result<(), Error> {
        for (name, value) in properties.iter() {
            self.property(name, value)?;
        }
        Ok(())
    }

    /// A declared field of a derived type: its wire name was checked at compile time (valid,
    /// not repeated), and `key` is `,"name":` escaped at compile time, so it is written without
    /// checks.
    #[doc(hidden)]
    pub fn __declared<V: PropertyValue + ?Sized>(
        &mut self,
        key: &'static str,
        name: &'static str,
        value: &V,
    ) -> Result<(), Error> {
        if self.track_declared {
            self.names.push(name.to_owned());
        }
        self.out.put(key);
        let _: Written = value
            .write_value(ValueWriter::new(&mut *self.out))
            .map_err(|e| Error::property(name, e))?;
        Ok(())
    }

    /// The catch-all of a derived type: each name is checked, and must not be one of the
    /// type's `declared` names.
    #[doc(hidden)]
    pub fn __undeclared(
        &mut self,
        properties: &Properties,
        declared: &[&str],
    ) -> Result<(), Error> {
        for (name, value) in properties.iter() {
            if declared.contains(&name) {
                return Err(Error::DuplicateProperty {
                    property: name.to_owned(),
                });
            }
            self.check_name(name)?;
            self.write(name, value)?;
        }
        Ok(())
    }
}

/// The start of every body, up to the name.
const HEADER: &str = concat!(
    "{\"@odata.type\":\"",
    "#microsoft.graph.openTypeExtension",
    "\",\"extensionName\":"
);

/// `,"id":`, between the name and the id.
const ID_KEY: &str = ",\"id\":";

/// The bytes of a body with no properties, `id` included (what [`extension_size`] counts):
/// `{"@odata.type":…,"extensionName":NAME,"id":NAME}`.
pub(crate) const fn envelope_size(name: &str) -> usize {
    HEADER.len() + 2 * json::str_len(name) + ID_KEY.len() + 1
}

/// Writes `{"@odata.type":…,"extensionName":…[,"id":…]` + properties + `}`.
fn write_extension(
    out: &mut Out,
    track_declared: bool,
    name: &str,
    include_id: bool,
    props: impl FnOnce(&mut PropertyWriter<'_>) -> Result<(), Error>,
) -> Result<(), Error> {
    out.put(HEADER);
    json::write_str(out, name);
    if include_id {
        out.put(ID_KEY);
        json::write_str(out, name);
    }
    let mut w = PropertyWriter {
        out,
        names: Vec::new(),
        track_declared,
    };
    props(&mut w)?;
    w.out.put_byte(b'}');
    Ok(())
}

/// The exact size in bytes of `ext`: the compact object with `@odata.type`, `extensionName`,
/// `id` and every property, computed without allocating. It is the length of the body sent for
/// a directory object.
pub fn extension_size<T: OpenExtension>(ext: &T) -> Result<usize, Error> {
    let mut c = Out::counter();
    write_extension(&mut c, false, T::NAME.as_str(), true, |w| {
        ext.write_properties(w)
    })?;
    Ok(c.len())
}

/// [`extension_size`] for untyped properties.
pub fn untyped_size(name: &ExtensionName, properties: &Properties) -> Result<usize, Error> {
    let mut c = Out::counter();
    write_extension(&mut c, false, name.as_str(), true, |w| {
        w.properties(properties)
    })?;
    Ok(c.len())
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

/// A first guess at a body's size: most bodies fit, so the buffer seldom grows.
const BODY_CAPACITY: usize = 512;

/// Encodes the body for a resource of `kind`: `props` writes the properties; `extra` (for a
/// read-modify-write) adds every property it holds that `props` did not write. The result is
/// checked against the size limit of the kind.
pub(crate) fn encode_body(
    kind: ResourceKind,
    name: &str,
    props: impl FnOnce(&mut PropertyWriter<'_>) -> Result<(), Error>,
    extra: Option<&Properties>,
) -> Result<Vec<u8>, Error> {
    let include_id = kind.class().id_is_name();
    let mut out = Out::buffer(BODY_CAPACITY);
    write_extension(&mut out, extra.is_some(), name, include_id, |w| {
        props(w)?;
        if let Some(extra) = extra {
            for (k, v) in extra.iter() {
                if !w.names.iter().any(|n| n == k) {
                    w.property(k, v)?;
                }
            }
        }
        Ok(())
    })?;
    if kind.class() == ResourceClass::DirectoryObject {
        check_size_of(kind, out.len())?;
    }
    Ok(out.into_bytes())
}

/// The body of untyped `properties` named `name`, for a resource of `kind` (checked as
/// [`encode`] checks a typed value).
pub(crate) fn encode_untyped(
    kind: ResourceKind,
    name: &ExtensionName,
    properties: &Properties,
) -> Result<Vec<u8>, Error> {
    encode_body(kind, name.as_str(), |w| w.properties(properties), None)
}

/// The body of a create or patch of `ext` on a resource of `kind`, refused before any request if
/// over the size limit of the kind. The body is written once and its length is the size (the
/// property test proves it equals [`extension_size`]); to check a value without building a body,
/// call [`extension_size`], which allocates nothing.
pub fn encode<T: OpenExtension>(kind: ResourceKind, ext: &T) -> Result<Vec<u8>, Error> {
    encode_body(kind, T::NAME.as_str(), |w| ext.write_properties(w), None)
}

// ---- reading ----

/// Reads `T` from untyped stored properties through the same reader as from bytes: what the
/// derive's `from_properties` calls.
pub(crate) fn from_properties<T: OpenExtension>(p: &Properties) -> Result<T, Error> {
    let mut cx = DecodeCx::new(false);
    match T::__decode(crate::value::PropertiesAccess::new(p), &mut cx) {
        Ok(v) => Ok(v),
        Err(e) => Err(cx.take_error().unwrap_or(Error::UnexpectedResponse {
            status: StatusCode::OK,
            detail: format!("the properties are not an extension: {e}"),
        })),
    }
}

/// The default reader of [`OpenExtension::__decode`]: every property into [`Properties`], then
/// [`OpenExtension::from_properties`].
fn through_properties<'de, T: OpenExtension, A: MapAccess<'de>>(
    mut map: A,
    cx: &mut DecodeCx,
) -> Result<T, A::Error> {
    let keep = cx.keeps_undeclared();
    cx.keep_undeclared();
    while let Some(key) = map.next_key::<crate::value::Key<'de>>()? {
        cx.other(&key.0, &mut map)?;
    }
    let all = if keep {
        cx.undeclared()
    } else {
        cx.take_undeclared()
    };
    T::from_properties(&all).map_err(|e| cx.fail(e))
}

struct ExtensionVisitor<'c, T> {
    cx: &'c mut DecodeCx,
    _type: PhantomData<T>,
}

impl<'de, T: OpenExtension> Visitor<'de> for ExtensionVisitor<'_, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an extension object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::__decode(map, self.cx)
    }
}

/// A stored extension read as `T`, with what else the body held.
#[derive(Debug)]
pub(crate) struct Decoded<T> {
    pub(crate) value: T,
    /// The properties `T` does not declare, when asked for (and `T` has no catch-all).
    pub(crate) undeclared: Properties,
}

/// Reads `body` (the answer of status `status`) as `T`. With `keep_undeclared`, the properties
/// `T` does not declare are returned too.
pub(crate) fn decode_body<T: OpenExtension>(
    status: StatusCode,
    body: &[u8],
    keep_undeclared: bool,
) -> Result<Decoded<T>, Error> {
    let mut cx = DecodeCx::new(keep_undeclared);
    let value = read_into(status, body, &mut cx)?;
    Ok(Decoded {
        value,
        undeclared: cx.take_undeclared(),
    })
}

/// Reads `body` as `T` with `cx`, moving the value as little as possible.
pub(crate) fn read_into<T: OpenExtension>(
    status: StatusCode,
    body: &[u8],
    cx: &mut DecodeCx,
) -> Result<T, Error> {
    // JSON is UTF-8 (RFC 8259, section 8.1): checked once for the whole body, so the parser
    // does not check each string again as it reads it.
    let text = std::str::from_utf8(body).map_err(|e| Error::UnexpectedResponse {
        status,
        detail: format!(
            "the body is not an extension object: not UTF-8 at byte {}",
            e.valid_up_to()
        ),
    })?;
    let mut de = serde_json::Deserializer::from_str(text);
    let read = de.deserialize_map(ExtensionVisitor::<T> {
        cx: &mut *cx,
        _type: PhantomData,
    });
    let failed = |cx: &mut DecodeCx, e: serde_json::Error| {
        cx.take_error().unwrap_or(Error::UnexpectedResponse {
            status,
            detail: format!("the body is not an extension object: {e}"),
        })
    };
    match read {
        Ok(value) => {
            if let Err(e) = de.end() {
                return Err(failed(cx, e));
            }
            if !cx.named() {
                return Err(Error::UnexpectedResponse {
                    status,
                    detail: "the extension has neither `id` nor `extensionName`".into(),
                });
            }
            Ok(value)
        }
        Err(e) => Err(failed(cx, e)),
    }
}

/// Decodes a stored extension (the JSON object Graph answers) as `T`, straight from the bytes.
///
/// The body must be UTF-8, as JSON is ([RFC 8259, section
/// 8.1](https://www.rfc-editor.org/rfc/rfc8259#section-8.1)); it is checked once, as a whole, and
/// a body that is not is an `Error::UnexpectedResponse` naming the first byte that is not.
///
/// ```
/// use extensions_core::OpenExtension;
///
/// #[derive(OpenExtension, Debug, PartialEq)]
/// #[extension(name = "com.contoso.Settings")]
/// struct Settings { theme: String, font_size: Option<u8> }
///
/// let body = br##"{"@odata.type":"#microsoft.graph.openTypeExtension","id":"com.contoso.Settings","theme":"dark","other":1}"##;
/// let s: Settings = extensions_core::extension::decode(body)?;
/// assert_eq!(s, Settings { theme: "dark".into(), font_size: None });
///
/// let wrong = br#"{"id":"com.contoso.Settings","theme":7}"#;
/// let err = extensions_core::extension::decode::<Settings>(wrong).unwrap_err();
/// assert_eq!(err.to_string(), r#"property "theme": expected a string, found the number 7"#);
/// # Ok::<(), extensions_core::Error>(())
/// ```
pub fn decode<T: OpenExtension>(body: &[u8]) -> Result<T, Error> {
    read_into(StatusCode::OK, body, &mut DecodeCx::new(false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    #[test]
    fn the_header_spells_the_type() {
        assert_eq!(
            HEADER,
            format!(
                "{{\"@odata.type\":{},\"extensionName\":",
                serde_json::to_string(crate::limits::OPEN_TYPE_EXTENSION_TYPE).unwrap()
            )
        );
    }

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
