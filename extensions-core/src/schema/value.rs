//! Which Rust types a schema extension property may be: one per Graph property type, and an
//! `Option` of each (`None` is `null`: unset, or cleared by a write).
//!
//! | Graph type | Rust type | limit, checked before sending |
//! |---|---|---|
//! | `String` | `String` | 256 characters |
//! | `Integer` | `i32` | 32-bit by its type |
//! | `Boolean` | `bool` | |
//! | `Binary` | `Vec<u8>` (base64 on the wire) | 256 bytes |
//! | `DateTime` | `time::OffsetDateTime` (feature `time`), `chrono::DateTime<Utc>` (feature `chrono`) | years 0000–9999; sent in UTC |

use std::fmt;

use base64::Engine as _;
use serde::de::{self, Deserializer, Visitor};

use super::data::DataWriter;
use super::{MAX_BINARY_BYTES, MAX_STRING_CHARS, PropertyType};
use crate::error::Error;
use crate::json;

mod sealed {
    pub trait Sealed {}
}

/// A Rust type that stores one schema extension property. Implemented for `String`, `i32`,
/// `bool`, `Vec<u8>`, the date-time types of the `time` and `chrono` features, and `Option`s of
/// those; no other type can be one (a compile error at the field, from the derive).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a schema extension property",
    note = "schema extension properties are String, i32, bool, Vec<u8> (Binary), a date-time (`time::OffsetDateTime` with the feature `extensions-core/time`, `chrono::DateTime<Utc>` with `extensions-core/chrono`), or an Option of one"
)]
pub trait SchemaProperty: Sized + sealed::Sealed {
    /// The Graph type this Rust type declares.
    const TYPE: PropertyType;
    /// The type a filter compares with: `T` for `T` and for `Option<T>`.
    type Value;

    /// Checks the value against its type's limit and writes it as JSON (`null` for `None`).
    #[doc(hidden)]
    fn write(&self, w: &mut DataWriter, property: &str) -> Result<(), Error>;

    /// Reads the value from JSON. Integers also accept a decimal string (Graph accepts
    /// `"courseId": "123"` on write and may echo it).
    #[doc(hidden)]
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;

    /// The value when the property is absent: `None` for an `Option`, else missing.
    #[doc(hidden)]
    fn absent() -> Option<Self> {
        None
    }
}

/// A value a filter may compare with `eq`: strings, integers, booleans and date-times
/// (Graph's `$filter` on schema extension properties; Binary is not filterable).
pub trait Filterable {
    /// Writes the value as an OData literal (`'it''s'`, `123`, `true`,
    /// `2024-01-01T00:00:00Z`), or refuses it as a write would.
    #[doc(hidden)]
    fn literal(&self, out: &mut String, property: &str) -> Result<(), Error>;
}

fn too_long(property: &str, ty: PropertyType, len: usize) -> Error {
    let (limit, unit) = match ty {
        PropertyType::Binary => (MAX_BINARY_BYTES, "bytes"),
        _ => (MAX_STRING_CHARS, "characters"),
    };
    Error::SchemaValueTooLong {
        property: property.to_owned(),
        ty: ty.as_str(),
        len,
        limit,
        unit,
    }
}

/// Checks a String value: at most 256 characters (Unicode scalar values).
pub(crate) fn check_string(property: &str, s: &str) -> Result<(), Error> {
    // Fast path: 256 bytes or fewer cannot be more than 256 characters.
    if s.len() > MAX_STRING_CHARS {
        let n = s.chars().count();
        if n > MAX_STRING_CHARS {
            return Err(too_long(property, PropertyType::String, n));
        }
    }
    Ok(())
}

// ---- String ----

impl sealed::Sealed for String {}
impl SchemaProperty for String {
    const TYPE: PropertyType = PropertyType::String;
    type Value = String;

    fn write(&self, w: &mut DataWriter, property: &str) -> Result<(), Error> {
        check_string(property, self)?;
        json::write_str(&mut w.out, self);
        Ok(())
    }

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <String as serde::Deserialize>::deserialize(d)
    }
}

impl Filterable for String {
    fn literal(&self, out: &mut String, property: &str) -> Result<(), Error> {
        self.as_str().literal(out, property)
    }
}
impl Filterable for str {
    fn literal(&self, out: &mut String, property: &str) -> Result<(), Error> {
        check_string(property, self)?;
        out.push('\'');
        for c in self.chars() {
            if c == '\'' {
                out.push('\'');
            }
            out.push(c);
        }
        out.push('\'');
        Ok(())
    }
}
impl Filterable for &str {
    fn literal(&self, out: &mut String, property: &str) -> Result<(), Error> {
        (**self).literal(out, property)
    }
}

// ---- Integer ----

struct I32Visitor;
impl Visitor<'_> for I32Visitor {
    type Value = i32;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a 32-bit integer")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i32, E> {
        i32::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i32, E> {
        i32::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i32, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

impl sealed::Sealed for i32 {}
impl SchemaProperty for i32 {
    const TYPE: PropertyType = PropertyType::Integer;
    type Value = i32;

    fn write(&self, w: &mut DataWriter, _: &str) -> Result<(), Error> {
        json::write_int(&mut w.out, *self);
        Ok(())
    }

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(I32Visitor)
    }
}
impl Filterable for i32 {
    fn literal(&self, out: &mut String, _: &str) -> Result<(), Error> {
        out.push_str(itoa::Buffer::new().format(*self));
        Ok(())
    }
}

// ---- Boolean ----

impl sealed::Sealed for bool {}
impl SchemaProperty for bool {
    const TYPE: PropertyType = PropertyType::Boolean;
    type Value = bool;

    fn write(&self, w: &mut DataWriter, _: &str) -> Result<(), Error> {
        w.out.put(if *self { "true" } else { "false" });
        Ok(())
    }

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <bool as serde::Deserialize>::deserialize(d)
    }
}
impl Filterable for bool {
    fn literal(&self, out: &mut String, _: &str) -> Result<(), Error> {
        out.push_str(if *self { "true" } else { "false" });
        Ok(())
    }
}

// ---- Binary ----

struct BinaryVisitor;
impl Visitor<'_> for BinaryVisitor {
    type Value = Vec<u8>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("base64 text")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<u8>, E> {
        base64::engine::general_purpose::STANDARD
            .decode(v)
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

impl sealed::Sealed for Vec<u8> {}
impl SchemaProperty for Vec<u8> {
    const TYPE: PropertyType = PropertyType::Binary;
    type Value = Vec<u8>;

    fn write(&self, w: &mut DataWriter, property: &str) -> Result<(), Error> {
        if self.len() > MAX_BINARY_BYTES {
            return Err(too_long(property, PropertyType::Binary, self.len()));
        }
        // Base64 needs no JSON escape.
        let mut buf = [0u8; MAX_BINARY_BYTES.div_ceil(3) * 4];
        let n = base64::engine::general_purpose::STANDARD
            .encode_slice(self, &mut buf)
            .map_err(|e| Error::ValueNotEncodable {
                property: property.to_owned(),
                reason: e.to_string(),
            })?;
        w.out.put_byte(b'"');
        w.out
            .put(std::str::from_utf8(&buf[..n]).unwrap_or_default());
        w.out.put_byte(b'"');
        Ok(())
    }

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(BinaryVisitor)
    }
}

// ---- DateTime ----

#[cfg(any(feature = "time", feature = "chrono"))]
fn write_date_time(
    w: &mut DataWriter,
    property: &str,
    text: Result<&str, crate::value::ValueError>,
) -> Result<(), Error> {
    let s = text.map_err(|e| Error::property(property, e))?;
    w.out.put_byte(b'"');
    w.out.put(s);
    w.out.put_byte(b'"');
    Ok(())
}

#[cfg(feature = "time")]
mod time_impl {
    use super::*;
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    struct V;
    impl Visitor<'_> for V {
        type Value = OffsetDateTime;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an ISO 8601 date-time")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<OffsetDateTime, E> {
            OffsetDateTime::parse(v, &Rfc3339)
                .map(|d| d.to_offset(time::UtcOffset::UTC))
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }

    impl sealed::Sealed for OffsetDateTime {}
    impl SchemaProperty for OffsetDateTime {
        const TYPE: PropertyType = PropertyType::DateTime;
        type Value = OffsetDateTime;

        fn write(&self, w: &mut DataWriter, property: &str) -> Result<(), Error> {
            let mut buf = [0u8; 30];
            write_date_time(w, property, crate::value::ext::time_text(self, &mut buf))
        }

        fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_str(V)
        }
    }
    impl Filterable for OffsetDateTime {
        fn literal(&self, out: &mut String, property: &str) -> Result<(), Error> {
            let mut buf = [0u8; 30];
            let s = crate::value::ext::time_text(self, &mut buf)
                .map_err(|e| Error::property(property, e))?;
            out.push_str(s);
            Ok(())
        }
    }
}

#[cfg(feature = "chrono")]
mod chrono_impl {
    use super::*;
    use chrono::{DateTime, Utc};

    struct V;
    impl Visitor<'_> for V {
        type Value = DateTime<Utc>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an ISO 8601 date-time")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime<Utc>, E> {
            DateTime::parse_from_rfc3339(v)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }

    impl sealed::Sealed for DateTime<Utc> {}
    impl SchemaProperty for DateTime<Utc> {
        const TYPE: PropertyType = PropertyType::DateTime;
        type Value = DateTime<Utc>;

        fn write(&self, w: &mut DataWriter, property: &str) -> Result<(), Error> {
            let mut buf = [0u8; 30];
            write_date_time(w, property, crate::value::ext::chrono_text(self, &mut buf))
        }

        fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_str(V)
        }
    }
    impl Filterable for DateTime<Utc> {
        fn literal(&self, out: &mut String, property: &str) -> Result<(), Error> {
            let mut buf = [0u8; 30];
            let s = crate::value::ext::chrono_text(self, &mut buf)
                .map_err(|e| Error::property(property, e))?;
            out.push_str(s);
            Ok(())
        }
    }
}

// ---- Option ----

struct OptionVisitor<T>(std::marker::PhantomData<T>);
impl<'de, T: SchemaProperty> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        T::decode(d).map(Some)
    }
}

impl<T: SchemaProperty> sealed::Sealed for Option<T> {}
impl<T: SchemaProperty<Value = T>> SchemaProperty for Option<T> {
    const TYPE: PropertyType = T::TYPE;
    type Value = T;

    fn write(&self, w: &mut DataWriter, property: &str) -> Result<(), Error> {
        match self {
            Some(v) => v.write(w, property),
            None => {
                w.out.put("null");
                Ok(())
            }
        }
    }

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_option(OptionVisitor(std::marker::PhantomData))
    }

    fn absent() -> Option<Self> {
        Some(None)
    }
}
