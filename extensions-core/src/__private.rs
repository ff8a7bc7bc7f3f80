//! Used by the code `#[derive(OpenExtension)]` and `#[derive(SchemaExtension)]` generate.
//! Not a public API: nothing else in this crate imports from here.

mod size;

pub use crate::open::decode::DecodeCx;
pub use crate::value::Key;
pub use serde;
pub use size::{FieldSize, check_bounds, check_fits, max_size};

use crate::{Error, FromPropertyValue, Properties, PropertyValue, PropertyWriter};

/// A type that can be a field of a derived extension: written and read back.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an open extension property",
    label = "not a primitive or an array of primitives",
    note = "Graph stores only strings, numbers, booleans, null and arrays of those: use String, bool, an integer of at most 64 bits, f32/f64, Option<T> or Vec<T> of them (date-times and UUIDs with the features `extensions-core/time`, `extensions-core/chrono` and `extensions-core/uuid`, enabled in your Cargo.toml)",
    note = "nested objects, maps, tuples and nested arrays are not allowed; keep undeclared properties in an `#[extension(other)]` field of type `Properties`"
)]
pub trait Property: PropertyValue + FromPropertyValue {}
impl<T: PropertyValue + FromPropertyValue> Property for T {}

/// Writes a declared field (its wire name was checked at compile time; `key` is `,"name":`
/// escaped at compile time). Only
/// `PropertyValue` is required here and only `FromPropertyValue` when reading, so an
/// unsupported type is reported once per missing trait, at the field.
pub fn write_field<T: PropertyValue>(
    w: &mut PropertyWriter<'_>,
    key: &'static str,
    name: &'static str,
    value: &T,
) -> Result<(), Error> {
    w.__declared(key, name, value)
}

/// Writes the catch-all: each name checked, none of the `declared` ones.
pub fn write_undeclared(
    w: &mut PropertyWriter<'_>,
    properties: &Properties,
    declared: &[&str],
) -> Result<(), Error> {
    w.__undeclared(properties, declared)
}

/// Reads a declared field's value from a response body.
pub fn decode_field<'de, T: FromPropertyValue, A: serde::de::MapAccess<'de>>(
    cx: &mut DecodeCx,
    map: &mut A,
    name: &'static str,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    cx.field(map, name, slot)
}

/// What a field of a derived extension does, for the derive's per-field check traits: each
/// concrete field type gets a trait implemented for every `FromPropertyValue` type (one
/// bound, so an unsupported type is one error, naming the field), whose methods call these.
pub trait FieldOps: FromPropertyValue {
    /// Writes the field.
    #[inline]
    fn write_field(
        &self,
        w: &mut PropertyWriter<'_>,
        key: &'static str,
        name: &'static str,
    ) -> Result<(), Error> {
        w.__declared(key, name, self)
    }

    /// Reads the field's value from a response body.
    #[inline]
    fn decode_field<'de, A: serde::de::MapAccess<'de>>(
        cx: &mut DecodeCx,
        map: &mut A,
        name: &'static str,
        slot: &mut Option<Self>,
    ) -> Result<(), A::Error> {
        cx.field(map, name, slot)
    }

    /// The value read, or the error for a missing required property.
    #[inline]
    fn finish<E: serde::de::Error>(
        cx: &mut DecodeCx,
        slot: Option<Self>,
        name: &'static str,
    ) -> Result<Self, E> {
        cx.finish(slot, name)
    }
}
impl<T: FromPropertyValue> FieldOps for T {}

/// A field marked `#[extension(as_string)]`, written and read as a decimal string.
#[derive(Debug, Default)]
pub struct AsString<T>(pub T);

/// What `#[extension(as_string)]` applies to: integers, and `Option`s of them.
#[diagnostic::on_unimplemented(
    message = "`#[extension(as_string)]` does not apply to `{Self}`",
    label = "not an integer",
    note = "`as_string` stores an integer (i8 to i64, u8 to u64, or an Option of one) as a decimal string, so values past 2^53 - 1 keep every digit"
)]
pub trait StringInteger: Sized {
    /// The longest string written, quotes included (`null` for `None`).
    const TEXT_MAX: usize;
    /// Writes the value as a string (`null` for `None`).
    fn write(
        &self,
        w: crate::value::ValueWriter<'_>,
    ) -> Result<crate::value::Written, crate::value::ValueError>;
    /// Reads a decimal string, or a number another writer stored.
    fn read(value: Option<&crate::Value>) -> Result<Self, crate::value::ValueError>;
}

macro_rules! string_integers {
    ($($t:ty),*) => {$(
        impl StringInteger for $t {
            const TEXT_MAX: usize = 2 + size::decimal_len(<$t>::MIN as i128, <$t>::MAX as i128);
            fn write(&self, w: crate::value::ValueWriter<'_>) -> Result<crate::value::Written, crate::value::ValueError> {
                w.string(itoa::Buffer::new().format(*self))
            }
            fn read(value: Option<&crate::Value>) -> Result<Self, crate::value::ValueError> {
                const EXPECTED: &str = concat!("a decimal string of an integer in the range of ", stringify!($t));
                match value {
                    None => Err(crate::value::ValueError::Missing),
                    Some(crate::Value::String(s)) => s.parse::<$t>().map_err(|_| crate::value::ValueError::Type {
                        expected: EXPECTED,
                        found: format!("the string {s:?}"),
                    }),
                    Some(v) => <$t as FromPropertyValue>::from_value(Some(v)).map_err(|_| {
                        crate::value::Token::from(v).mismatch(EXPECTED)
                    }),
                }
            }
        }
    )*};
}
string_integers!(i8, i16, i32, i64, u8, u16, u32, u64);

impl<T: StringInteger> StringInteger for Option<T> {
    const TEXT_MAX: usize = if T::TEXT_MAX < 4 { 4 } else { T::TEXT_MAX };
    fn write(
        &self,
        w: crate::value::ValueWriter<'_>,
    ) -> Result<crate::value::Written, crate::value::ValueError> {
        match self {
            Some(v) => v.write(w),
            None => w.null(),
        }
    }
    fn read(value: Option<&crate::Value>) -> Result<Self, crate::value::ValueError> {
        match value {
            None | Some(crate::Value::Null) => Ok(None),
            v => T::read(v).map(Some),
        }
    }
}

/// A borrowed `as_string` field, as it is written.
#[derive(Debug)]
pub struct AsStringRef<'a, T>(pub &'a T);

impl<T: StringInteger> PropertyValue for AsStringRef<'_, T> {
    fn write_value(
        &self,
        w: crate::value::ValueWriter<'_>,
    ) -> Result<crate::value::Written, crate::value::ValueError> {
        self.0.write(w)
    }
}

impl<T: StringInteger> PropertyValue for AsString<T> {
    fn write_value(
        &self,
        w: crate::value::ValueWriter<'_>,
    ) -> Result<crate::value::Written, crate::value::ValueError> {
        self.0.write(w)
    }
}

impl<T: StringInteger> crate::value::SizeBound for AsStringRef<'_, T> {
    const MAX: Option<usize> = Some(T::TEXT_MAX);
}

impl<T: StringInteger> FromPropertyValue for AsString<T> {
    fn from_value(value: Option<&crate::Value>) -> Result<Self, crate::value::ValueError> {
        T::read(value).map(AsString)
    }
}

/// Reads one schema extension property with its type's reader; a value of the wrong type is an
/// error naming the property.
#[derive(Debug)]
pub struct SchemaSeed<T> {
    name: &'static str,
    _t: std::marker::PhantomData<fn() -> T>,
}

impl<T> SchemaSeed<T> {
    /// The reader of the property `name`, a `T`.
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            _t: std::marker::PhantomData,
        }
    }
}

impl<'de, T: crate::schema::SchemaProperty> serde::de::DeserializeSeed<'de> for SchemaSeed<T> {
    type Value = T;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::decode(d).map_err(|e| {
            let e = e.to_string();
            <D::Error as serde::de::Error>::custom(format_args!(
                "property `{}`: {}",
                self.name,
                without_position(&e)
            ))
        })
    }
}

/// `message` without the ` at line L column C` serde_json ends it with: the error made from it
/// gets the position again.
fn without_position(message: &str) -> &str {
    let Some((head, tail)) = message.rsplit_once(" at line ") else {
        return message;
    };
    let numbers = tail.split_once(" column ").is_some_and(|(l, c)| {
        !l.is_empty()
            && !c.is_empty()
            && l.bytes().all(|b| b.is_ascii_digit())
            && c.bytes().all(|b| b.is_ascii_digit())
    });
    if numbers { head } else { message }
}

/// `from_properties` of a derived type: its reader, over the properties.
pub fn from_properties<T: crate::OpenExtension>(p: &Properties) -> Result<T, Error> {
    crate::open::extension::from_properties(p)
}

/// What a derive generates for a struct with a date-time field: its first group when this
/// crate's `time` feature is on; else the derive's stub (so that uses of the type raise no
/// further errors) and the error at the field, once.
#[cfg(feature = "time")]
#[doc(hidden)]
#[macro_export]
macro_rules! __with_time {
    ({$($ok:tt)*} {$($stub:tt)*} {$($err:tt)*}) => { $($ok)* };
}

/// As `__with_time`, without the `time` feature.
#[cfg(not(feature = "time"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __with_time {
    ({$($ok:tt)*} {$($stub:tt)*} {$($err:tt)*}) => { $($stub)* $($err)* };
}

/// As `__with_time`, for the `chrono` feature.
#[cfg(feature = "chrono")]
#[doc(hidden)]
#[macro_export]
macro_rules! __with_chrono {
    ({$($ok:tt)*} {$($stub:tt)*} {$($err:tt)*}) => { $($ok)* };
}

/// As `__with_chrono`, without the `chrono` feature.
#[cfg(not(feature = "chrono"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __with_chrono {
    ({$($ok:tt)*} {$($stub:tt)*} {$($err:tt)*}) => { $($stub)* $($err)* };
}

pub use crate::{__with_chrono as with_chrono, __with_time as with_time};
