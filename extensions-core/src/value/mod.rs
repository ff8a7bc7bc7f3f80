//! The value model: which Rust types may be an open-extension property, and the untyped
//! [`Value`] for properties a struct does not declare.
//!
//! The documented contract of open extensions is primitives (string, number, boolean, null) and
//! arrays of primitives; no objects, no nested arrays. The typed traits here encode that, for what
//! this library writes:
//!
//! - [`PropertyValue`] (write side) is implemented for `String`/`str`, `bool`, the signed and
//!   unsigned integers up to 64 bits, `f32`/`f64`, `Option<T>` (written as `null`), `Vec<T>`,
//!   slices and arrays of [`ArrayElement`]s, references and boxes of those, and, with features,
//!   `time::OffsetDateTime`, `chrono::DateTime<Utc>` and `uuid::Uuid`;
//! - [`FromPropertyValue`] (read side) for the owned ones;
//! - [`ArrayElement`] marks the types an array may hold. `Vec<Vec<T>>`, maps, tuples and structs
//!   implement none of these, so using them is a compile error that explains the rule.
//!
//! A value is written through a [`ValueWriter`], which is consumed by each write, so an
//! implementation writes exactly one value, and has no way to write an object.
//!
//! What this library *reads* is anything Graph holds: the untyped [`Value`] (a struct's
//! catch-all, the untyped API) keeps nested objects and arrays, and writes them back unchanged.
//!
//! Refused at compile time, each with a message that states the rule:
//!
//! ```compile_fail
//! fn takes<V: extensions_core::PropertyValue + ?Sized>(_: &V) {}
//! takes(&vec![vec![1, 2]]); // nested array
//! ```
//!
//! ```compile_fail
//! fn takes<V: extensions_core::PropertyValue + ?Sized>(_: &V) {}
//! takes(&std::collections::HashMap::<String, i32>::new()); // map
//! ```
//!
//! ```compile_fail
//! fn takes<V: extensions_core::PropertyValue + ?Sized>(_: &V) {}
//! takes(&(1, "a")); // tuple
//! ```
//!
//! ```compile_fail
//! struct Meta { a: i32 }
//! fn takes<V: extensions_core::PropertyValue + ?Sized>(_: &V) {}
//! takes(&Meta { a: 1 }); // nested object
//! ```
//!
//! ```compile_fail
//! fn takes<V: extensions_core::PropertyValue + ?Sized>(_: &V) {}
//! takes(&1u128); // integers stay within 64 bits
//! ```
//!
//! `Option<Option<T>>` is refused where it is read or written (a `const` assertion that fails the
//! build, since `Some(None)` and `None` would both be `null`):
//!
//! ```compile_fail
//! use extensions_core::FromPropertyValue;
//! let _ = <Option<Option<i32>>>::from_value(None);
//! ```
//!
//! The same calls with supported types compile:
//!
//! ```
//! fn takes<V: extensions_core::PropertyValue + ?Sized>(_: &V) {}
//! takes(&vec![1, 2]);
//! takes(&Some("a"));
//! takes(&[true, false][..]);
//! takes(&-1i64);
//! ```
//!
//! Non-finite floats are an error ([`ValueError::NonFinite`]), never `null`. Integers stay exact:
//! reading a number into an integer type that cannot hold it, or a non-integer into an integer,
//! is an error, never a rounding.

mod bound;
mod de;
pub(crate) mod ext;
mod scalar;
mod seq;
mod token;
mod untyped;
mod writer;

use std::fmt;

use serde::Deserializer;
use serde::de::Deserialize;

pub use bound::{MaxItems, MaxLen, SizeBound, Unbounded};
pub(crate) use de::PropertiesAccess;
pub use de::ValueDeserializer;
pub use serde_json::Number;
#[doc(hidden)]
pub use token::{Key, Token};
pub use untyped::{Properties, Value, documented_shape};
pub use writer::{ValueWriter, Written};

/// What went wrong with one value. The property name is added by the caller, which turns this
/// into an [`Error`](crate::Error).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// NaN or an infinity.
    #[error("not a finite number ({0})")]
    NonFinite(f64),
    /// An array inside an array (only reachable through a hand-written [`ArrayElement`]).
    #[error("arrays cannot be nested")]
    NestedArray,
    /// A value the wire format cannot carry exactly.
    #[error("{0}")]
    NotEncodable(String),
    /// The stored value has another type, or a number out of range.
    #[error("expected {expected}, found {found}")]
    Type {
        /// What the Rust type needs.
        expected: &'static str,
        /// What was there.
        found: String,
    },
    /// The property is absent and the type has no value for "absent".
    #[error("missing")]
    Missing,
    /// An integer whose magnitude is past 2^53 − 1 (9,007,199,254,740,991): JSON numbers that
    /// large lose precision in JavaScript and in many other clients of Graph, so a typed field
    /// never writes one as a number.
    #[error(
        "{0} is past 2^53 - 1 (9007199254740991), which JSON clients such as JavaScript's cannot \
         hold exactly; mark the field #[extension(as_string)] to store it as a string"
    )]
    UnsafeInteger(i128),
    /// A string with more characters than its field's `#[extension(max_len)]`.
    #[error("{chars} characters, over its max_len of {max}")]
    TooLong {
        /// The characters (Unicode scalar values) of the value.
        chars: usize,
        /// The bound.
        max: usize,
    },
    /// An array with more items than its field's `#[extension(max_items)]`.
    #[error("{items} items, over its max_items of {max}")]
    TooManyItems {
        /// The items of the value.
        items: usize,
        /// The bound.
        max: usize,
    },
}

/// The largest integer magnitude a typed field writes as a JSON number: 2^53 − 1, the largest
/// integer every IEEE 754 double (JavaScript's number) holds exactly.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A Rust type that can be written as an open-extension property: a primitive, `null`, or an
/// array of primitives.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an open extension property",
    label = "not a primitive or an array of primitives",
    note = "Graph stores only strings, numbers, booleans, null and arrays of those: use String, bool, an integer of at most 64 bits, f32/f64, Option<T> or Vec<T> of them (date-times and UUIDs with the features `extensions-core/time`, `extensions-core/chrono` and `extensions-core/uuid`, enabled in your Cargo.toml)",
    note = "nested objects, maps, tuples and nested arrays are not allowed in an open extension"
)]
pub trait PropertyValue {
    /// Writes the value through `w` (one call, which consumes it).
    fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError>;

    /// `true` for `Option<T>`: used to refuse `Option<Option<T>>`, whose `Some(None)` and `None`
    /// would both be `null` and come back the same.
    #[doc(hidden)]
    const IS_OPTION: bool = false;
}

/// A Rust type that can be read back from a stored property (and, as every property is, written).
///
/// Implement [`from_value`](Self::from_value); the hidden methods have defaults that go through
/// it. The types of this crate override them to read straight from the response bytes.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from an open extension property",
    label = "not an owned primitive or an array of primitives",
    note = "Graph stores only strings, numbers, booleans, null and arrays of those: use String, bool, an integer of at most 64 bits, f32/f64, Option<T> or Vec<T> of them (date-times and UUIDs with the features `extensions-core/time`, `extensions-core/chrono` and `extensions-core/uuid`, enabled in your Cargo.toml)"
)]
pub trait FromPropertyValue: PropertyValue + Sized {
    /// Reads the value; `None` means the property is absent (an error unless the type has a
    /// value for "absent", as `Option` does).
    fn from_value(value: Option<&Value>) -> Result<Self, ValueError>;

    /// Reads one present value from a token.
    #[doc(hidden)]
    fn __from_token(token: Token<'_>) -> Result<Self, ValueError> {
        match token {
            Token::Map => Err(ValueError::Type {
                expected: "a primitive or an array of primitives",
                found: "an object".into(),
            }),
            t => Self::from_value(Some(&token_to_value(t)?)),
        }
    }

    /// Reads one present value straight from a deserializer: the outer error is malformed JSON,
    /// the inner one a value of the wrong type (the JSON is consumed either way).
    #[doc(hidden)]
    fn __deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, ValueError>, D::Error> {
        Value::deserialize(d).map(|v| Self::from_value(Some(&v)))
    }
}

/// A token as an untyped value (objects are not tokens' business).
fn token_to_value(t: Token<'_>) -> Result<Value, ValueError> {
    Ok(match t {
        Token::Null => Value::Null,
        Token::Bool(b) => Value::Bool(b),
        Token::I64(i) => Value::Number(i.into()),
        Token::U64(u) => Value::Number(u.into()),
        Token::F64(f) => Value::try_from(f)?,
        Token::Str(s) => Value::String(s.into_owned()),
        Token::Seq(items) => Value::Array(
            items
                .into_iter()
                .map(token_to_value)
                .collect::<Result<_, _>>()?,
        ),
        Token::Map => Value::Object(Properties::new()),
    })
}

/// The fast read of the primitives of this crate: straight from the bytes, through
/// [`scalar::ScalarVisitor`], with `from_value` through the same conversion.
macro_rules! via_tokens {
    () => {
        fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
            match value {
                None => Err(ValueError::Missing),
                Some(v) => Self::__from_token(Token::from(v)),
            }
        }
        fn __deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Result<Self, ValueError>, D::Error> {
            d.deserialize_any(scalar::ScalarVisitor::<Self>::new())
        }
    };
}

/// A primitive that may be an element of an array property. Arrays themselves are not, so
/// `Vec<Vec<T>>` does not compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an element of an open extension array",
    label = "not a primitive",
    note = "an open extension array holds primitives only (strings, numbers, booleans); nested arrays and objects are not allowed"
)]
pub trait ArrayElement: PropertyValue {}

/// An array element that can also be read back: what `Vec<T>` holds in a derived extension.
/// (One trait, so an unsupported element is one compile error, not one per missing trait.)
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an element of an open extension array",
    label = "not a primitive",
    note = "an open extension array holds primitives only (strings, numbers, booleans, null); nested arrays and objects are not allowed"
)]
pub trait ArrayItem: ArrayElement + FromPropertyValue {}

// ---- strings and booleans ----

impl PropertyValue for str {
    fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
        w.string(self)
    }
}
impl ArrayElement for str {}

impl PropertyValue for String {
    fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
        w.string(self)
    }
}
impl ArrayElement for String {}
impl ArrayItem for String {}
impl FromPropertyValue for String {
    via_tokens!();
    fn __from_token(t: Token<'_>) -> Result<Self, ValueError> {
        match t {
            Token::Str(s) => Ok(s.into_owned()),
            other => Err(other.mismatch("a string")),
        }
    }
}
impl scalar::Scalar for String {
    #[inline]
    fn from_str(s: &str) -> Result<Self, ValueError> {
        Ok(s.to_owned())
    }
}

impl PropertyValue for bool {
    fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
        w.bool(*self)
    }
}
impl ArrayElement for bool {}
impl ArrayItem for bool {}
impl scalar::Scalar for bool {}
impl FromPropertyValue for bool {
    via_tokens!();
    fn __from_token(t: Token<'_>) -> Result<Self, ValueError> {
        match t {
            Token::Bool(b) => Ok(b),
            other => Err(other.mismatch("a boolean")),
        }
    }
}

// ---- integers ----

macro_rules! integers {
    ($($t:ty => $write:ident as $wide:ty, $expected:literal;)*) => {$(
        impl PropertyValue for $t {
            fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
                w.$write(<$wide>::from(*self))
            }
        }
        impl ArrayElement for $t {}
        impl ArrayItem for $t {}
        impl scalar::Scalar for $t {}
        impl FromPropertyValue for $t {
            via_tokens!();
            fn __from_token(t: Token<'_>) -> Result<Self, ValueError> {
                let exact = match t {
                    Token::I64(i) => <$t>::try_from(i).ok(),
                    Token::U64(u) => <$t>::try_from(u).ok(),
                    _ => None,
                };
                exact.ok_or_else(|| t.mismatch($expected))
            }
        }
    )*};
}

integers! {
    i8 => i64 as i64, "an integer in the range of i8";
    i16 => i64 as i64, "an integer in the range of i16";
    i32 => i64 as i64, "an integer in the range of i32";
    i64 => i64 as i64, "an integer in the range of i64";
    u8 => u64 as u64, "an integer in the range of u8";
    u16 => u64 as u64, "an integer in the range of u16";
    u32 => u64 as u64, "an integer in the range of u32";
    u64 => u64 as u64, "an integer in the range of u64";
}

// ---- floats ----

impl PropertyValue for f64 {
    fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
        w.f64(*self)
    }
}
impl ArrayElement for f64 {}
impl ArrayItem for f64 {}
impl scalar::Scalar for f64 {}
impl FromPropertyValue for f64 {
    via_tokens!();
    /// Any JSON number; an integer is accepted only when `f64` holds it exactly.
    fn __from_token(t: Token<'_>) -> Result<Self, ValueError> {
        match t {
            Token::I64(i) => {
                let f = i as f64;
                // `f as i64` saturates at i64::MAX, so 2^63 (which i64::MAX rounds to) never
                // matches.
                if f as i64 == i && f != 9_223_372_036_854_775_808.0 {
                    Ok(f)
                } else {
                    Err(t.mismatch("a number that f64 holds exactly"))
                }
            }
            Token::U64(u) => {
                let f = u as f64;
                if f as u64 == u && f != 18_446_744_073_709_551_616.0 {
                    Ok(f)
                } else {
                    Err(t.mismatch("a number that f64 holds exactly"))
                }
            }
            Token::F64(f) if f.is_finite() => Ok(f),
            other => Err(other.mismatch("a number")),
        }
    }
}

impl PropertyValue for f32 {
    fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
        w.f32(*self)
    }
}
impl ArrayElement for f32 {}
impl ArrayItem for f32 {}
impl scalar::Scalar for f32 {}
impl FromPropertyValue for f32 {
    via_tokens!();
    /// A JSON number rounded to the nearest `f32` (the precision the field asks for); a number
    /// outside the range of `f32` is an error, never an infinity.
    fn __from_token(t: Token<'_>) -> Result<Self, ValueError> {
        let found = t.describe();
        let err = || ValueError::Type {
            expected: "a number in the range of f32",
            found: found.clone(),
        };
        let f = f64::__from_token(t).map_err(|_| err())?;
        let g = f as f32;
        if g.is_finite() { Ok(g) } else { Err(err()) }
    }
}

// ---- wrappers ----

impl<T: PropertyValue + ?Sized> PropertyValue for &T {
    fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
        (**self).write_value(w)
    }
    const IS_OPTION: bool = T::IS_OPTION;
}
impl<T: ArrayElement + ?Sized> ArrayElement for &T {}

impl<T: PropertyValue + ?Sized> PropertyValue for Box<T> {
    fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
        (**self).write_value(w)
    }
    const IS_OPTION: bool = T::IS_OPTION;
}
impl<T: ArrayElement + ?Sized> ArrayElement for Box<T> {}
impl<T: ArrayItem> ArrayItem for Box<T> {}
impl ArrayItem for Box<str> {}
impl scalar::Scalar for Box<str> {}
impl FromPropertyValue for Box<str> {
    via_tokens!();
    fn __from_token(t: Token<'_>) -> Result<Self, ValueError> {
        String::__from_token(t).map(String::into_boxed_str)
    }
}
impl<T: FromPropertyValue> FromPropertyValue for Box<T> {
    fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
        T::from_value(value).map(Box::new)
    }
    fn __from_token(t: Token<'_>) -> Result<Self, ValueError> {
        T::__from_token(t).map(Box::new)
    }
    fn __deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, ValueError>, D::Error> {
        Ok(T::__deserialize(d)?.map(Box::new))
    }
}

/// An array may hold `null`s (Graph stores them): `Vec<Option<T>>` writes `None` as `null` and
/// reads `null` as `None`.
impl<T: ArrayElement> ArrayElement for Option<T> {}
impl<T: ArrayItem> ArrayItem for Option<T> {}

impl<T: PropertyValue> PropertyValue for Option<T> {
    fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
        const {
            assert!(
                !T::IS_OPTION,
                "Option<Option<T>> cannot be an open extension property: Some(None) and None are both null"
            )
        };
        match self {
            Some(v) => v.write_value(w),
            None => w.null(),
        }
    }
    const IS_OPTION: bool = true;
}
impl<T: FromPropertyValue + PropertyValue> FromPropertyValue for Option<T> {
    /// Absent and `null` are both `None`.
    fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
        const {
            assert!(
                !T::IS_OPTION,
                "Option<Option<T>> cannot be an open extension property: Some(None) and None are both null"
            )
        };
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::from_value(Some(v)).map(Some),
        }
    }
    fn __from_token(t: Token<'_>) -> Result<Self, ValueError> {
        match t {
            Token::Null => Ok(None),
            t => T::__from_token(t).map(Some),
        }
    }
    fn __deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, ValueError>, D::Error> {
        const {
            assert!(
                !T::IS_OPTION,
                "Option<Option<T>> cannot be an open extension property: Some(None) and None are both null"
            )
        };
        struct OptionSeed<T>(std::marker::PhantomData<T>);
        impl<'de, T: FromPropertyValue> serde::de::Visitor<'de> for OptionSeed<T> {
            type Value = Result<Option<T>, ValueError>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(Ok(None))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(Ok(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                Ok(T::__deserialize(d)?.map(Some))
            }
        }
        d.deserialize_option(OptionSeed::<T>(std::marker::PhantomData))
    }
}

impl<T: ArrayElement> PropertyValue for [T] {
    fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
        w.array(self)
    }
}

impl<T: ArrayElement, const N: usize> PropertyValue for [T; N] {
    fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
        w.array(self)
    }
}

impl<T: ArrayElement> PropertyValue for Vec<T> {
    fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
        w.array(self)
    }
}
impl<T: ArrayItem> FromPropertyValue for Vec<T> {
    fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
        match value {
            None => Err(ValueError::Missing),
            Some(v) => Self::__from_token(Token::from(v)),
        }
    }
    /// Each element read by its own type's reader, with no intermediate list.
    fn __deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, ValueError>, D::Error> {
        d.deserialize_any(seq::VecVisitor::<T>::default())
    }
    fn __from_token(t: Token<'_>) -> Result<Self, ValueError> {
        let Token::Seq(items) = t else {
            return Err(t.mismatch("an array"));
        };
        items
            .into_iter()
            .map(|item| {
                T::__from_token(item).map_err(|e| match e {
                    ValueError::Type { expected, found } => ValueError::Type {
                        expected,
                        found: format!("{found} in an array"),
                    },
                    e => e,
                })
            })
            .collect()
    }
}

// ---- untyped values ----

impl PropertyValue for Value {
    fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
        w.untyped(self)
    }
}
impl FromPropertyValue for Value {
    fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
        value.cloned().ok_or(ValueError::Missing)
    }
    fn __deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, ValueError>, D::Error> {
        Value::deserialize(d).map(Ok)
    }
}

#[cfg(test)]
mod tests;
