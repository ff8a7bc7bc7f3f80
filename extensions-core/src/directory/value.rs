//! Which Rust types a directory extension may be: one per Graph data type, an `Option` of each
//! (`None` is `null`: unset, or removed by a write), and a `Vec` of each for a multi-valued one
//! (empty is `null`).
//!
//! | Graph type | Rust type | limit, checked before sending |
//! |---|---|---|
//! | `String` | `String` | 256 characters |
//! | `Integer` | `i32` | 32-bit by its type |
//! | `LargeInteger` | `i64` | 64-bit by its type |
//! | `Boolean` | `bool` | |
//! | `Binary` | `Vec<u8>` (base64 on the wire) | 256 bytes |
//! | `DateTime` | `time::OffsetDateTime` (feature `time`), `chrono::DateTime<Utc>` (feature `chrono`) | sent in UTC |

use base64::Engine as _;
use serde_json::Value;

use super::AppId;
use super::{DataType, MAX_BINARY_BYTES, MAX_STRING_CHARS};
use crate::error::Error;
use crate::json::{self, Out};

/// Writes the directory extensions of one struct as members of a JSON object:
/// `"extension_{hex}_{name}":value`.
#[derive(Debug)]
pub struct ValueWriter {
    pub(crate) out: Out,
    /// The owner app's 32 hex digits.
    hex: [u8; 32],
    first: bool,
    count: usize,
}

/// `extension_{hex}_{name}` in a buffer on the stack (at most 128 bytes: the name was checked).
pub(crate) struct FullName {
    buf: [u8; 128],
    len: usize,
}

impl FullName {
    pub(crate) fn new(hex: &[u8; 32], name: &str) -> Result<Self, Error> {
        super::check_directory_name(name).map_err(|reason| Error::DirectoryNameInvalid {
            name: name.to_owned(),
            reason,
        })?;
        let mut buf = [0u8; 128];
        let parts: [&[u8]; 4] = [b"extension_", hex, b"_", name.as_bytes()];
        let mut len = 0;
        for p in parts {
            buf[len..len + p.len()].copy_from_slice(p);
            len += p.len();
        }
        Ok(Self { buf, len })
    }

    pub(crate) fn as_str(&self) -> &str {
        // ASCII by construction: the prefix, hex digits and a checked name.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl ValueWriter {
    pub(crate) fn new(app: &AppId, capacity: usize) -> Self {
        let mut hex = [0u8; 32];
        hex.copy_from_slice(&app.hex().as_bytes()[..32]);
        Self {
            out: Out::buffer(capacity),
            hex,
            first: true,
            count: 0,
        }
    }

    /// Writes the field `name`: `"extension_{hex}_{name}":value`.
    pub fn property<T: DirectoryProperty>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let full = FullName::new(&self.hex, name)?;
        if !std::mem::take(&mut self.first) {
            self.out.put_byte(b',');
        }
        // The name holds no character JSON escapes.
        self.out.put_byte(b'"');
        self.out.put(full.as_str());
        self.out.put("\":");
        value.write(self, full.as_str())?;
        self.count += value.count();
        Ok(())
    }

    /// Writes the field `name` with the bounds a derive declared: at most `max_len`
    /// characters in a String (each String of a multi-valued one), at most `max_items` values
    /// in a multi-valued one ([`Error::ValueTooLong`], [`Error::TooManyItems`]).
    pub fn bounded<T: DirectoryProperty>(
        &mut self,
        name: &str,
        value: &T,
        max_len: Option<usize>,
        max_items: Option<usize>,
    ) -> Result<(), Error> {
        if let Some(max) = max_items
            && value.count() > max
            && T::MULTI_VALUED
        {
            return Err(Error::TooManyItems {
                property: name.to_owned(),
                items: value.count(),
                max,
            });
        }
        if let Some(max) = max_len
            && let Some(chars) = value.longest_text().filter(|n| *n > max)
        {
            return Err(Error::ValueTooLong {
                property: name.to_owned(),
                chars,
                max,
            });
        }
        self.property(name, value)
    }

    /// The extension values written so far.
    pub fn count(&self) -> usize {
        self.count
    }
}

mod sealed {
    pub trait Sealed {}
}

fn invalid(property: &str, reason: impl Into<String>) -> Error {
    Error::DirectoryValueInvalid {
        property: property.to_owned(),
        reason: reason.into(),
    }
}

fn unreadable(property: &str, reason: impl Into<String>) -> Error {
    Error::DirectoryDataInvalid {
        property: property.to_owned(),
        reason: reason.into(),
    }
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One value of a directory extension: `String`, `bool`, `i32`, `i64`, `Vec<u8>` and the
/// date-time types of the `time` and `chrono` features.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a directory extension value",
    note = "directory extension values are String, bool, i32 (Integer), i64 (LargeInteger), Vec<u8> (Binary) or a date-time (`time::OffsetDateTime` with the feature `extensions-core/time`, `chrono::DateTime<Utc>` with `extensions-core/chrono`)"
)]
pub trait DirectoryScalar: Sized + sealed::Sealed {
    /// The Graph data type.
    const TYPE: DataType;

    /// Checks the value against its type's limit and writes it as JSON.
    #[doc(hidden)]
    fn write(&self, w: &mut ValueWriter, property: &str) -> Result<(), Error>;

    /// Reads the value from JSON (never `null`).
    #[doc(hidden)]
    fn decode(v: Value, property: &str) -> Result<Self, Error>;

    /// The value as an OData literal for `$filter`, or the refusal a write would give. Binary
    /// values cannot be filtered on.
    #[doc(hidden)]
    fn literal(&self, out: &mut String, property: &str) -> Result<(), Error>;

    /// Its length in characters, for a String.
    #[doc(hidden)]
    fn text_len(&self) -> Option<usize> {
        None
    }
}

/// A Rust type that holds one directory extension: a [`DirectoryScalar`] (a required value), an
/// `Option` of one, or a `Vec` of one (a multi-valued extension).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a directory extension",
    note = "a directory extension is a value (String, bool, i32, i64, Vec<u8>, a date-time), an Option of one, or a Vec of one for a multi-valued extension"
)]
pub trait DirectoryProperty: Sized + sealed::Sealed {
    /// The Graph data type.
    const TYPE: DataType;
    /// Whether the extension is multi-valued (a `Vec`).
    const MULTI_VALUED: bool;
    /// The type a filter compares with.
    type Value: DirectoryScalar;

    /// How many extension values writing this stores (0 for `None` or an empty `Vec`): each
    /// counts towards the 100 on one resource.
    fn count(&self) -> usize;

    /// Checks and writes the value as JSON (`null` for `None` or an empty `Vec`).
    #[doc(hidden)]
    fn write(&self, w: &mut ValueWriter, property: &str) -> Result<(), Error>;

    /// Reads the value; `None` is an absent or `null` property.
    #[doc(hidden)]
    fn decode(v: Option<Value>, property: &str) -> Result<Self, Error>;

    /// The length in characters of its longest String value, if it holds any.
    #[doc(hidden)]
    fn longest_text(&self) -> Option<usize>;
}

fn check_string(property: &str, s: &str) -> Result<(), Error> {
    if s.len() > MAX_STRING_CHARS {
        let n = s.chars().count();
        if n > MAX_STRING_CHARS {
            return Err(invalid(
                property,
                format!(
                    "a String value holds {n} characters, over the limit of {MAX_STRING_CHARS}"
                ),
            ));
        }
    }
    Ok(())
}

fn quote(out: &mut String, s: &str) {
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
}

impl sealed::Sealed for String {}
impl DirectoryScalar for String {
    const TYPE: DataType = DataType::String;
    fn write(&self, w: &mut ValueWriter, property: &str) -> Result<(), Error> {
        check_string(property, self)?;
        json::write_str(&mut w.out, self);
        Ok(())
    }
    fn decode(v: Value, property: &str) -> Result<Self, Error> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(unreadable(
                property,
                format!("expected a string, found {}", describe(&other)),
            )),
        }
    }
    fn literal(&self, out: &mut String, property: &str) -> Result<(), Error> {
        check_string(property, self)?;
        quote(out, self);
        Ok(())
    }
    fn text_len(&self) -> Option<usize> {
        Some(self.chars().count())
    }
}

impl sealed::Sealed for bool {}
impl DirectoryScalar for bool {
    const TYPE: DataType = DataType::Boolean;
    fn write(&self, w: &mut ValueWriter, _: &str) -> Result<(), Error> {
        w.out.put(if *self { "true" } else { "false" });
        Ok(())
    }
    fn decode(v: Value, property: &str) -> Result<Self, Error> {
        v.as_bool().ok_or_else(|| {
            unreadable(
                property,
                format!("expected a boolean, found {}", describe(&v)),
            )
        })
    }
    fn literal(&self, out: &mut String, _: &str) -> Result<(), Error> {
        out.push_str(if *self { "true" } else { "false" });
        Ok(())
    }
}

macro_rules! integer {
    ($t:ty, $ty:expr, $what:literal) => {
        impl sealed::Sealed for $t {}
        impl DirectoryScalar for $t {
            const TYPE: DataType = $ty;
            fn write(&self, w: &mut ValueWriter, _: &str) -> Result<(), Error> {
                json::write_int(&mut w.out, *self);
                Ok(())
            }
            fn decode(v: Value, property: &str) -> Result<Self, Error> {
                v.as_i64()
                    .and_then(|i| <$t>::try_from(i).ok())
                    .ok_or_else(|| unreadable(property, format!("expected {}, found {v}", $what)))
            }
            fn literal(&self, out: &mut String, _: &str) -> Result<(), Error> {
                out.push_str(itoa::Buffer::new().format(*self));
                Ok(())
            }
        }
    };
}
integer!(i32, DataType::Integer, "a 32-bit integer");
integer!(i64, DataType::LargeInteger, "a 64-bit integer");

impl sealed::Sealed for Vec<u8> {}
impl DirectoryScalar for Vec<u8> {
    const TYPE: DataType = DataType::Binary;
    fn write(&self, w: &mut ValueWriter, property: &str) -> Result<(), Error> {
        if self.len() > MAX_BINARY_BYTES {
            return Err(invalid(
                property,
                format!(
                    "a Binary value holds {} bytes, over the limit of {MAX_BINARY_BYTES}",
                    self.len()
                ),
            ));
        }
        let text = base64::engine::general_purpose::STANDARD.encode(self);
        json::write_str(&mut w.out, &text);
        Ok(())
    }
    fn decode(v: Value, property: &str) -> Result<Self, Error> {
        let s = v.as_str().ok_or_else(|| {
            unreadable(
                property,
                format!("expected base64 text, found {}", describe(&v)),
            )
        })?;
        base64::engine::general_purpose::STANDARD
            .decode(s)
            .map_err(|e| unreadable(property, format!("not base64: {e}")))
    }
    fn literal(&self, _: &mut String, property: &str) -> Result<(), Error> {
        Err(invalid(property, "Graph does not filter on Binary values"))
    }
}

#[cfg(feature = "time")]
impl sealed::Sealed for time::OffsetDateTime {}
#[cfg(feature = "time")]
impl DirectoryScalar for time::OffsetDateTime {
    const TYPE: DataType = DataType::DateTime;
    fn write(&self, w: &mut ValueWriter, property: &str) -> Result<(), Error> {
        let mut buf = [0u8; 30];
        let s = crate::value::ext::time_text(self, &mut buf)
            .map_err(|e| Error::property(property, e))?;
        json::write_str(&mut w.out, s);
        Ok(())
    }
    fn decode(v: Value, property: &str) -> Result<Self, Error> {
        use time::format_description::well_known::Rfc3339;
        v.as_str()
            .and_then(|s| time::OffsetDateTime::parse(s, &Rfc3339).ok())
            .map(|d| d.to_offset(time::UtcOffset::UTC))
            .ok_or_else(|| {
                unreadable(
                    property,
                    format!("expected an ISO 8601 date-time, found {v}"),
                )
            })
    }
    fn literal(&self, out: &mut String, property: &str) -> Result<(), Error> {
        let mut buf = [0u8; 30];
        let s = crate::value::ext::time_text(self, &mut buf)
            .map_err(|e| Error::property(property, e))?;
        out.push_str(s);
        Ok(())
    }
}

#[cfg(feature = "chrono")]
impl sealed::Sealed for chrono::DateTime<chrono::Utc> {}
#[cfg(feature = "chrono")]
impl DirectoryScalar for chrono::DateTime<chrono::Utc> {
    const TYPE: DataType = DataType::DateTime;
    fn write(&self, w: &mut ValueWriter, property: &str) -> Result<(), Error> {
        let mut buf = [0u8; 30];
        let s = crate::value::ext::chrono_text(self, &mut buf)
            .map_err(|e| Error::property(property, e))?;
        json::write_str(&mut w.out, s);
        Ok(())
    }
    fn decode(v: Value, property: &str) -> Result<Self, Error> {
        v.as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.with_timezone(&chrono::Utc))
            .ok_or_else(|| {
                unreadable(
                    property,
                    format!("expected an ISO 8601 date-time, found {v}"),
                )
            })
    }
    fn literal(&self, out: &mut String, property: &str) -> Result<(), Error> {
        let mut buf = [0u8; 30];
        let s = crate::value::ext::chrono_text(self, &mut buf)
            .map_err(|e| Error::property(property, e))?;
        out.push_str(s);
        Ok(())
    }
}

impl<T: DirectoryScalar> sealed::Sealed for Option<T> {}
impl<T: DirectoryScalar> sealed::Sealed for Vec<T> {}

macro_rules! property {
    ($($t:ty),*) => {$(
        impl DirectoryProperty for $t {
            const TYPE: DataType = <$t as DirectoryScalar>::TYPE;
            const MULTI_VALUED: bool = false;
            type Value = $t;
            fn count(&self) -> usize {
                1
            }
            fn longest_text(&self) -> Option<usize> {
                DirectoryScalar::text_len(self)
            }
            fn write(&self, w: &mut ValueWriter, property: &str) -> Result<(), Error> {
                DirectoryScalar::write(self, w, property)
            }
            fn decode(v: Option<Value>, property: &str) -> Result<Self, Error> {
                match v {
                    None | Some(Value::Null) => Err(unreadable(
                        property,
                        "the resource has no value for it, and the field is not an Option",
                    )),
                    Some(v) => <$t as DirectoryScalar>::decode(v, property),
                }
            }
        }

        impl DirectoryProperty for Option<$t> {
            const TYPE: DataType = <$t as DirectoryScalar>::TYPE;
            const MULTI_VALUED: bool = false;
            type Value = $t;
            fn count(&self) -> usize {
                usize::from(self.is_some())
            }
            fn longest_text(&self) -> Option<usize> {
                self.as_ref().and_then(DirectoryScalar::text_len)
            }
            fn write(&self, w: &mut ValueWriter, property: &str) -> Result<(), Error> {
                match self {
                    Some(v) => DirectoryScalar::write(v, w, property),
                    None => {
                        w.out.put("null");
                        Ok(())
                    }
                }
            }
            fn decode(v: Option<Value>, property: &str) -> Result<Self, Error> {
                match v {
                    None | Some(Value::Null) => Ok(None),
                    Some(v) => <$t as DirectoryScalar>::decode(v, property).map(Some),
                }
            }
        }

        impl DirectoryProperty for Vec<$t> {
            const TYPE: DataType = <$t as DirectoryScalar>::TYPE;
            const MULTI_VALUED: bool = true;
            type Value = $t;
            fn count(&self) -> usize {
                self.len()
            }
            fn longest_text(&self) -> Option<usize> {
                self.iter().filter_map(DirectoryScalar::text_len).max()
            }
            fn write(&self, w: &mut ValueWriter, property: &str) -> Result<(), Error> {
                if self.is_empty() {
                    w.out.put("null");
                    return Ok(());
                }
                w.out.put_byte(b'[');
                for (i, v) in self.iter().enumerate() {
                    if i > 0 {
                        w.out.put_byte(b',');
                    }
                    DirectoryScalar::write(v, w, property)?;
                }
                w.out.put_byte(b']');
                Ok(())
            }
            fn decode(v: Option<Value>, property: &str) -> Result<Self, Error> {
                match v {
                    None | Some(Value::Null) => Ok(Vec::new()),
                    Some(Value::Array(items)) => items
                        .into_iter()
                        .map(|v| <$t as DirectoryScalar>::decode(v, property))
                        .collect(),
                    Some(other) => Err(unreadable(
                        property,
                        format!("a multi-valued extension is an array, found {}", describe(&other)),
                    )),
                }
            }
        }
    )*};
}
property!(String, bool, i32, i64, Vec<u8>);
#[cfg(feature = "time")]
property!(time::OffsetDateTime);
#[cfg(feature = "chrono")]
property!(chrono::DateTime<chrono::Utc>);

#[cfg(test)]
mod tests {
    use super::*;

    fn written<T: DirectoryProperty>(v: &T) -> Result<String, Error> {
        let app = super::super::AppId::new("5bfc8fdacfc943a9a6de214ea9d15fdb").unwrap();
        let mut w = ValueWriter::new(&app, 64);
        v.write(&mut w, "p")?;
        Ok(String::from_utf8(w.out.into_bytes()).unwrap())
    }

    #[test]
    fn values_round_trip() {
        let s = written(&vec!["E4".to_owned(), "it's".to_owned()]).unwrap();
        assert_eq!(s, r#"["E4","it's"]"#);
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(<Vec<String>>::decode(Some(v), "p").unwrap(), ["E4", "it's"]);
        assert_eq!(written(&Vec::<String>::new()).unwrap(), "null");
        assert_eq!(written(&Some(i64::MAX)).unwrap(), i64::MAX.to_string());
        assert_eq!(written(&None::<bool>).unwrap(), "null");
        assert_eq!(written(&vec![1u8, 2, 3]).unwrap(), r#""AQID""#);
        assert_eq!(
            <Vec<u8> as DirectoryProperty>::decode(Some(Value::from("AQID")), "p").unwrap(),
            [1, 2, 3]
        );
        assert_eq!(<Option<i32>>::decode(None, "p").unwrap(), None);
        assert!(
            <i32 as DirectoryProperty>::decode(Some(Value::from(i64::from(i32::MAX) + 1)), "p")
                .is_err()
        );
        assert!(<String as DirectoryProperty>::decode(Some(Value::Null), "p").is_err());
        assert!(<Vec<bool>>::decode(Some(Value::from(true)), "p").is_err());
    }

    #[test]
    fn limits_refuse_before_sending() {
        assert!(written(&"é".repeat(256)).is_ok());
        let e = written(&"é".repeat(257)).unwrap_err();
        assert!(e.to_string().contains("257 characters"), "{e}");
        assert!(written(&vec![0u8; 256]).is_ok());
        assert!(written(&vec![0u8; 257]).is_err());
        assert!(written(&vec![vec![0u8; 257]]).is_err());
        let mut lit = String::new();
        assert!(vec![1u8].literal(&mut lit, "p").is_err());
        "it's".to_owned().literal(&mut lit, "p").unwrap();
        assert_eq!(lit, "'it''s'");
    }
}
