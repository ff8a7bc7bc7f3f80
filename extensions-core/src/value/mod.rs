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

mod de;
mod ext;
mod scalar;
mod seq;
mod token;
mod untyped;

use std::fmt;

use serde::Deserializer;
use serde::de::Deserialize;

use crate::json::{self, Out};

pub(crate) use de::PropertiesAccess;
pub use de::ValueDeserializer;
pub use serde_json::Number;
#[doc(hidden)]
pub use token::{Key, Token};
pub use untyped::{Properties, Value, documented_shape};

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
}

/// Proof that a [`ValueWriter`] wrote exactly one value. Only a `ValueWriter` makes one.
#[derive(Debug)]
#[must_use]
pub struct Written(());

/// Writes exactly one JSON primitive or one array of primitives. Each method consumes the writer.
pub struct ValueWriter<'a> {
    out: &'a mut Out,
    in_array: bool,
}

impl<'a> ValueWriter<'a> {
    pub(crate) fn new(out: &'a mut Out) -> Self {
        Self {
            out,
            in_array: false,
        }
    }

    /// A string.
    pub fn string(self, s: &str) -> Result<Written, ValueError> {
        json::write_str(self.out, s);
        Ok(Written(()))
    }

    /// A boolean.
    pub fn bool(self, b: bool) -> Result<Written, ValueError> {
        self.out.put(if b { "true" } else { "false" });
        Ok(Written(()))
    }

    /// A signed integer.
    pub fn i64(self, i: i64) -> Result<Written, ValueError> {
        json::write_int(self.out, i);
        Ok(Written(()))
    }

    /// An unsigned integer.
    pub fn u64(self, u: u64) -> Result<Written, ValueError> {
        json::write_int(self.out, u);
        Ok(Written(()))
    }

    /// A double; NaN and infinities are refused.
    pub fn f64(self, f: f64) -> Result<Written, ValueError> {
        if !f.is_finite() {
            return Err(ValueError::NonFinite(f));
        }
        json::write_f64(self.out, f);
        Ok(Written(()))
    }

    /// A single-precision float, written in its shortest form; NaN and infinities are refused.
    pub fn f32(self, f: f32) -> Result<Written, ValueError> {
        if !f.is_finite() {
            return Err(ValueError::NonFinite(f64::from(f)));
        }
        json::write_f32(self.out, f);
        Ok(Written(()))
    }

    /// `null`.
    pub fn null(self) -> Result<Written, ValueError> {
        self.out.put("null");
        Ok(Written(()))
    }

    /// A JSON number from [`Number`] (exact for integers; floats in shortest form).
    pub fn number(self, n: &Number) -> Result<Written, ValueError> {
        if let Some(u) = n.as_u64() {
            self.u64(u)
        } else if let Some(i) = n.as_i64() {
            self.i64(i)
        } else {
            // serde_json numbers without arbitrary precision are u64, i64 or a finite f64.
            self.f64(n.as_f64().unwrap_or(f64::NAN))
        }
    }

    /// An array of primitives.
    pub fn array<'i, T, I>(self, items: I) -> Result<Written, ValueError>
    where
        T: ArrayElement + ?Sized + 'i,
        I: IntoIterator<Item = &'i T>,
    {
        if self.in_array {
            return Err(ValueError::NestedArray);
        }
        self.out.put_byte(b'[');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.out.put_byte(b',');
            }
            let _: Written = item.write_value(ValueWriter {
                out: &mut *self.out,
                in_array: true,
            })?;
        }
        self.out.put_byte(b']');
        Ok(Written(()))
    }

    /// Any untyped value, nested arrays and objects included: what Graph held, written back
    /// unchanged. Only [`Value`] writes through this; typed properties cannot.
    fn untyped(self, v: &Value) -> Result<Written, ValueError> {
        match v {
            Value::Null => self.null(),
            Value::Bool(b) => self.bool(*b),
            Value::Number(n) => self.number(n),
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                self.out.put_byte(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.put_byte(b',');
                    }
                    let _: Written = ValueWriter::new(&mut *self.out).untyped(item)?;
                }
                self.out.put_byte(b']');
                Ok(Written(()))
            }
            Value::Object(p) => {
                self.out.put_byte(b'{');
                for (i, (k, item)) in p.iter().enumerate() {
                    if i > 0 {
                        self.out.put_byte(b',');
                    }
                    json::write_str(self.out, k);
                    self.out.put_byte(b':');
                    let _: Written = ValueWriter::new(&mut *self.out).untyped(item)?;
                }
                self.out.put_byte(b'}');
                Ok(Written(()))
            }
        }
    }
}

impl fmt::Debug for ValueWriter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValueWriter")
            .field("in_array", &self.in_array)
            .finish_non_exhaustive()
    }
}

/// A Rust type that can be written as an open-extension property: a primitive, `null`, or an
/// array of primitives.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an open extension property",
    label = "not a primitive or an array of primitives",
    note = "Graph stores only strings, numbers, booleans, null and arrays of those: use String, bool, an integer of at most 64 bits, f32/f64, Option<T> or Vec<T> of them (date-times and UUIDs with the `time`, `chrono` and `uuid` features)",
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

/// A Rust type that can be read back from a stored property.
///
/// Implement [`from_value`](Self::from_value); the hidden methods have defaults that go through
/// it. The types of this crate override them to read straight from the response bytes.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from an open extension property",
    label = "not an owned primitive or an array of primitives",
    note = "Graph stores only strings, numbers, booleans, null and arrays of those: use String, bool, an integer of at most 64 bits, f32/f64, Option<T> or Vec<T> of them (date-times and UUIDs with the `time`, `chrono` and `uuid` features)"
)]
pub trait FromPropertyValue: Sized {
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
impl<T: ArrayElement + FromPropertyValue> FromPropertyValue for Vec<T> {
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
mod tests {
    use super::*;

    fn write<V: PropertyValue + ?Sized>(v: &V) -> Result<String, ValueError> {
        let mut out = Out::buffer(0);
        let _: Written = v.write_value(ValueWriter::new(&mut out))?;
        Ok(String::from_utf8(out.into_bytes()).unwrap())
    }

    /// Reads `json` both ways (through an untyped `Value`, and straight from the bytes) and
    /// checks that they agree.
    fn read<T: FromPropertyValue + fmt::Debug + PartialEq>(json: &str) -> Result<T, ValueError> {
        let v = Value::from_json(&serde_json::from_str(json).unwrap());
        let slow = T::from_value(Some(&v));
        let mut de = serde_json::Deserializer::from_str(json);
        let fast = T::__deserialize(&mut de).unwrap();
        assert_eq!(slow, fast, "{json}");
        fast
    }

    #[test]
    fn primitives_write_as_serde_json_does() {
        assert_eq!(write("a\"b").unwrap(), r#""a\"b""#);
        assert_eq!(write(&String::from("é")).unwrap(), "\"é\"");
        assert_eq!(write(&true).unwrap(), "true");
        assert_eq!(write(&-5i8).unwrap(), "-5");
        assert_eq!(write(&u64::MAX).unwrap(), "18446744073709551615");
        assert_eq!(write(&i64::MIN).unwrap(), "-9223372036854775808");
        assert_eq!(write(&1.0f64).unwrap(), "1.0");
        assert_eq!(write(&0.1f32).unwrap(), "0.1");
        assert_eq!(write(&None::<i32>).unwrap(), "null");
        assert_eq!(write(&Some(3u16)).unwrap(), "3");
        assert_eq!(write(&vec!["a", "b"]).unwrap(), r#"["a","b"]"#);
        assert_eq!(write(&[1u8, 2, 3][..]).unwrap(), "[1,2,3]");
        assert_eq!(write(&[true; 2]).unwrap(), "[true,true]");
        assert_eq!(write(&Vec::<f64>::new()).unwrap(), "[]");
        assert_eq!(write(&Some(vec![1i32])).unwrap(), "[1]");
    }

    #[test]
    fn non_finite_floats_are_errors_never_null() {
        for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(matches!(write(&f), Err(ValueError::NonFinite(_))));
            assert!(matches!(
                write(&vec![1.0, f]),
                Err(ValueError::NonFinite(_))
            ));
            assert!(matches!(Value::try_from(f), Err(ValueError::NonFinite(_))));
        }
        assert!(matches!(write(&f32::NAN), Err(ValueError::NonFinite(_))));
        assert!(matches!(
            write(&Some(f32::INFINITY)),
            Err(ValueError::NonFinite(_))
        ));
    }

    #[test]
    fn integers_read_exactly_or_not_at_all() {
        assert_eq!(read::<i64>("-9223372036854775808").unwrap(), i64::MIN);
        assert_eq!(read::<u64>("18446744073709551615").unwrap(), u64::MAX);
        assert_eq!(read::<u8>("255").unwrap(), 255);
        for (json, found) in [
            ("256", "the number 256"),
            ("-1", "the number -1"),
            ("1.5", "the number 1.5"),
            ("1.0", "the number 1.0"),
            ("\"1\"", "a string"),
            ("null", "null"),
        ] {
            assert_eq!(
                read::<u8>(json),
                Err(ValueError::Type {
                    expected: "an integer in the range of u8",
                    found: found.into()
                }),
                "{json}"
            );
        }
        assert!(read::<i32>("3000000000").is_err());
        assert!(read::<u32>("3000000000").is_ok());
    }

    #[test]
    fn floats_read_without_silent_loss() {
        assert_eq!(read::<f64>("1.5").unwrap(), 1.5);
        assert_eq!(read::<f64>("9007199254740992").unwrap(), 9007199254740992.0);
        assert!(
            read::<f64>("9007199254740993").is_err(),
            "2^53+1 is not exact in f64"
        );
        assert!(read::<f64>("18446744073709551615").is_err());
        assert_eq!(read::<f32>("0.1").unwrap(), 0.1f32);
        assert!(
            read::<f32>("1e300").is_err(),
            "out of f32 range is an error, not inf"
        );
        assert!(read::<f64>("true").is_err());
    }

    #[test]
    fn option_and_arrays_read() {
        assert_eq!(Option::<String>::from_value(None), Ok(None));
        assert_eq!(read::<Option<String>>("null"), Ok(None));
        assert_eq!(read::<Option<String>>("\"x\""), Ok(Some("x".into())));
        assert_eq!(String::from_value(None), Err(ValueError::Missing));
        assert_eq!(read::<Vec<i32>>("[1,2]"), Ok(vec![1, 2]));
        assert_eq!(
            read::<Vec<i32>>("[1,\"x\"]"),
            Err(ValueError::Type {
                expected: "an integer in the range of i32",
                found: "a string in an array".into()
            })
        );
        assert!(read::<Vec<i32>>("1").is_err());
        assert_eq!(
            read::<Value>("[1,null,\"a\"]").unwrap().describe(),
            "an array"
        );
    }

    #[test]
    fn untyped_values_hold_anything_and_write_it_back() {
        let j = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
        for text in [
            "[1,null,true,\"s\",2.5]",
            "{\"a\":{\"b\":[1,[2,{\"c\":null}]]},\"d\":\"e\"}",
            "[[1]]",
            "[{}]",
        ] {
            let v = Value::from_json(&j(text));
            assert_eq!(write(&v).unwrap(), text);
            assert_eq!(v.to_json(), j(text));
            let read: Value = read(text).unwrap();
            assert_eq!(read, v);
        }
        assert_eq!(documented_shape(&j("{}")), Err("an object"));
        assert_eq!(documented_shape(&j("[[1]]")), Err("a nested array"));
        assert_eq!(
            documented_shape(&j("[{}]")),
            Err("an array holding an object")
        );
        assert_eq!(documented_shape(&j("[1,\"a\",null]")), Ok(()));
    }

    #[test]
    fn a_typed_property_refuses_an_object_by_name() {
        assert_eq!(
            read::<String>("{\"a\":1}"),
            Err(ValueError::Type {
                expected: "a string",
                found: "an object".into()
            })
        );
        assert!(read::<Vec<i32>>("[1,{}]").is_err());
    }

    #[test]
    fn a_hand_written_nested_array_is_refused_at_run_time() {
        struct Sneaky;
        impl PropertyValue for Sneaky {
            fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
                w.array([1u8].iter())
            }
        }
        impl ArrayElement for Sneaky {}
        assert_eq!(write(&vec![Sneaky]), Err(ValueError::NestedArray));
    }

    #[test]
    fn properties_keep_order_and_replace_in_place() {
        let mut p = Properties::new();
        assert!(p.is_empty());
        p.insert("b", 1i64);
        p.insert("a", "x");
        assert_eq!(p.insert("b", true), Some(Value::from(1i64)));
        assert_eq!(p.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(p.get("b"), Some(&Value::Bool(true)));
        assert_eq!(p.remove("b"), Some(Value::Bool(true)));
        assert_eq!(p.len(), 1);
        assert!(p.contains("a"));
        assert!(!p.contains("b"));
    }
}
