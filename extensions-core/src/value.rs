//! The value model: which Rust types may be an open-extension property, and the untyped
//! [`Value`] for properties a struct does not declare.
//!
//! Graph stores primitives (string, number, boolean, null) and arrays of primitives; no objects,
//! no nested arrays. The traits here encode that:
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

use std::fmt;

use crate::json::{self, Sink};

pub use serde_json::Number;

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
pub struct ValueWriter<'a, S: Sink + ?Sized> {
    out: &'a mut S,
    in_array: bool,
}

impl<'a, S: Sink + ?Sized> ValueWriter<'a, S> {
    pub(crate) fn new(out: &'a mut S) -> Self {
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
}

impl<S: Sink + ?Sized> fmt::Debug for ValueWriter<'_, S> {
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
    fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError>;

    /// `true` for `Option<T>`: used to refuse `Option<Option<T>>`, whose `Some(None)` and `None`
    /// would both be `null` and come back the same.
    #[doc(hidden)]
    const IS_OPTION: bool = false;
}

/// A Rust type that can be read back from a stored property.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from an open extension property",
    label = "not an owned primitive or an array of primitives",
    note = "Graph stores only strings, numbers, booleans, null and arrays of those: use String, bool, an integer of at most 64 bits, f32/f64, Option<T> or Vec<T> of them (date-times and UUIDs with the `time`, `chrono` and `uuid` features)"
)]
pub trait FromPropertyValue: Sized {
    /// Reads the value; `None` means the property is absent (an error unless the type has a
    /// value for "absent", as `Option` does).
    fn from_value(value: Option<&Value>) -> Result<Self, ValueError>;
}

/// A primitive that may be an element of an array property. Arrays themselves are not, so
/// `Vec<Vec<T>>` does not compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an element of an open extension array",
    label = "not a primitive",
    note = "an open extension array holds primitives only (strings, numbers, booleans); nested arrays and objects are not allowed"
)]
pub trait ArrayElement: PropertyValue {}

fn type_error(expected: &'static str, found: &Value) -> ValueError {
    ValueError::Type {
        expected,
        found: found.describe(),
    }
}

fn present(value: Option<&Value>) -> Result<&Value, ValueError> {
    value.ok_or(ValueError::Missing)
}

// ---- strings and booleans ----

impl PropertyValue for str {
    fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError> {
        w.string(self)
    }
}
impl ArrayElement for str {}

impl PropertyValue for String {
    fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError> {
        w.string(self)
    }
}
impl ArrayElement for String {}
impl FromPropertyValue for String {
    fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
        match present(value)? {
            Value::String(s) => Ok(s.clone()),
            other => Err(type_error("a string", other)),
        }
    }
}

impl PropertyValue for bool {
    fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError> {
        w.bool(*self)
    }
}
impl ArrayElement for bool {}
impl FromPropertyValue for bool {
    fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
        match present(value)? {
            Value::Bool(b) => Ok(*b),
            other => Err(type_error("a boolean", other)),
        }
    }
}

// ---- integers ----

macro_rules! integers {
    ($($t:ty => $write:ident as $wide:ty, $expected:literal;)*) => {$(
        impl PropertyValue for $t {
            fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError> {
                w.$write(<$wide>::from(*self))
            }
        }
        impl ArrayElement for $t {}
        impl FromPropertyValue for $t {
            fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
                let v = present(value)?;
                let Value::Number(n) = v else { return Err(type_error($expected, v)) };
                let exact = if let Some(i) = n.as_i64() {
                    <$t>::try_from(i).ok()
                } else if let Some(u) = n.as_u64() {
                    <$t>::try_from(u).ok()
                } else {
                    None
                };
                exact.ok_or_else(|| type_error($expected, v))
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
    fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError> {
        w.f64(*self)
    }
}
impl ArrayElement for f64 {}
impl FromPropertyValue for f64 {
    /// Any JSON number; an integer is accepted only when `f64` holds it exactly.
    fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
        let v = present(value)?;
        let Value::Number(n) = v else {
            return Err(type_error("a number", v));
        };
        if let Some(i) = n.as_i64() {
            let f = i as f64;
            // `f as i64` saturates at i64::MAX, so 2^63 (which i64::MAX rounds to) never matches.
            if f as i64 == i && f != 9_223_372_036_854_775_808.0 {
                return Ok(f);
            }
            return Err(type_error("a number that f64 holds exactly", v));
        }
        if let Some(u) = n.as_u64() {
            let f = u as f64;
            if f as u64 == u && f != 18_446_744_073_709_551_616.0 {
                return Ok(f);
            }
            return Err(type_error("a number that f64 holds exactly", v));
        }
        n.as_f64().ok_or_else(|| type_error("a number", v))
    }
}

impl PropertyValue for f32 {
    fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError> {
        w.f32(*self)
    }
}
impl ArrayElement for f32 {}
impl FromPropertyValue for f32 {
    /// A JSON number rounded to the nearest `f32` (the precision the field asks for); a number
    /// outside the range of `f32` is an error, never an infinity.
    fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
        let v = present(value)?;
        let f =
            f64::from_value(Some(v)).map_err(|_| type_error("a number in the range of f32", v))?;
        let g = f as f32;
        if g.is_finite() {
            Ok(g)
        } else {
            Err(type_error("a number in the range of f32", v))
        }
    }
}

// ---- wrappers ----

impl<T: PropertyValue + ?Sized> PropertyValue for &T {
    fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError> {
        (**self).write_value(w)
    }
    const IS_OPTION: bool = T::IS_OPTION;
}
impl<T: ArrayElement + ?Sized> ArrayElement for &T {}

impl<T: PropertyValue + ?Sized> PropertyValue for Box<T> {
    fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError> {
        (**self).write_value(w)
    }
    const IS_OPTION: bool = T::IS_OPTION;
}
impl<T: ArrayElement + ?Sized> ArrayElement for Box<T> {}
impl FromPropertyValue for Box<str> {
    fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
        String::from_value(value).map(String::into_boxed_str)
    }
}
impl<T: FromPropertyValue> FromPropertyValue for Box<T> {
    fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
        T::from_value(value).map(Box::new)
    }
}

impl<T: PropertyValue> PropertyValue for Option<T> {
    fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError> {
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
}

impl<T: ArrayElement> PropertyValue for [T] {
    fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError> {
        w.array(self)
    }
}

impl<T: ArrayElement, const N: usize> PropertyValue for [T; N] {
    fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError> {
        w.array(self)
    }
}

impl<T: ArrayElement> PropertyValue for Vec<T> {
    fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError> {
        w.array(self)
    }
}
impl<T: ArrayElement + FromPropertyValue> FromPropertyValue for Vec<T> {
    fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
        let v = present(value)?;
        let Value::Array(items) = v else {
            return Err(type_error("an array", v));
        };
        items
            .iter()
            .map(|p| {
                let as_value = Value::from(p.clone());
                T::from_value(Some(&as_value)).map_err(|e| match e {
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

/// A primitive: what an array property may hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Primitive {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (integers up to 64 bits exact, or a finite double).
    Number(Number),
    /// A string.
    String(String),
}

/// An untyped property value: a primitive or an array of primitives. Objects and nested arrays
/// cannot be represented.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (integers up to 64 bits exact, or a finite double).
    Number(Number),
    /// A string.
    String(String),
    /// An array of primitives.
    Array(Vec<Primitive>),
}

impl Value {
    /// A short description for error messages: `a string`, `the number 3.5`, `an array`.
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(b) => format!("the boolean {b}"),
            Value::Number(n) => format!("the number {n}"),
            Value::String(_) => "a string".into(),
            Value::Array(_) => "an array".into(),
        }
    }

    /// Converts a JSON value, refusing what an open extension cannot hold: objects, and arrays
    /// holding arrays or objects. The error says what was found.
    pub fn from_json(json: &serde_json::Value) -> Result<Self, &'static str> {
        Ok(match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.clone()),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Object(_) => return Err("an object"),
            serde_json::Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| match item {
                        serde_json::Value::Null => Ok(Primitive::Null),
                        serde_json::Value::Bool(b) => Ok(Primitive::Bool(*b)),
                        serde_json::Value::Number(n) => Ok(Primitive::Number(n.clone())),
                        serde_json::Value::String(s) => Ok(Primitive::String(s.clone())),
                        serde_json::Value::Array(_) => Err("a nested array"),
                        serde_json::Value::Object(_) => Err("an array holding an object"),
                    })
                    .collect::<Result<_, _>>()?,
            ),
        })
    }

    /// The same value as `serde_json::Value`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(Primitive::to_json).collect())
            }
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.clone()),
        }
    }
}

impl Primitive {
    /// The same value as `serde_json::Value`.
    pub fn to_json(&self) -> serde_json::Value {
        Value::from(self.clone()).to_json()
    }
}

impl From<Primitive> for Value {
    fn from(p: Primitive) -> Self {
        match p {
            Primitive::Null => Value::Null,
            Primitive::Bool(b) => Value::Bool(b),
            Primitive::Number(n) => Value::Number(n),
            Primitive::String(s) => Value::String(s),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Number(i.into())
    }
}
impl From<u64> for Value {
    fn from(u: u64) -> Self {
        Value::Number(u.into())
    }
}
impl TryFrom<f64> for Value {
    type Error = ValueError;
    /// Refuses NaN and infinities.
    fn try_from(f: f64) -> Result<Self, ValueError> {
        Number::from_f64(f)
            .map(Value::Number)
            .ok_or(ValueError::NonFinite(f))
    }
}

impl PropertyValue for Primitive {
    fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError> {
        match self {
            Primitive::Null => w.null(),
            Primitive::Bool(b) => w.bool(*b),
            Primitive::Number(n) => w.number(n),
            Primitive::String(s) => w.string(s),
        }
    }
}
impl ArrayElement for Primitive {}

impl PropertyValue for Value {
    fn write_value<S: Sink + ?Sized>(&self, w: ValueWriter<'_, S>) -> Result<Written, ValueError> {
        match self {
            Value::Null => w.null(),
            Value::Bool(b) => w.bool(*b),
            Value::Number(n) => w.number(n),
            Value::String(s) => w.string(s),
            Value::Array(items) => w.array(items),
        }
    }
}
impl FromPropertyValue for Value {
    fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
        present(value).cloned()
    }
}

/// The properties of one extension, by wire name, in the order they were read or inserted.
///
/// This is what a struct's catch-all field holds (properties it does not declare), and what the
/// untyped API reads and writes. `id`, `extensionName` and `@`-annotations are never in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Properties {
    entries: Vec<(String, Value)>,
}

impl Properties {
    /// No properties.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many properties.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Whether `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets `name` to `value`, in place if present (returning the old value), else at the end.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        let name = name.into();
        let value = value.into();
        if let Some((_, v)) = self.entries.iter_mut().find(|(k, _)| *k == name) {
            return Some(std::mem::replace(v, value));
        }
        self.entries.push((name, value));
        None
    }

    /// Removes `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        let i = self.entries.iter().position(|(k, _)| k == name)?;
        Some(self.entries.remove(i).1)
    }

    /// The properties in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl FromIterator<(String, Value)> for Properties {
    /// Later duplicates replace earlier ones.
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        let mut p = Properties::new();
        for (k, v) in iter {
            p.insert(k, v);
        }
        p
    }
}

impl IntoIterator for Properties {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write<V: PropertyValue + ?Sized>(v: &V) -> Result<String, ValueError> {
        let mut out = Vec::new();
        let _: Written = v.write_value(ValueWriter::new(&mut out))?;
        Ok(String::from_utf8(out).unwrap())
    }

    fn read<T: FromPropertyValue>(json: &str) -> Result<T, ValueError> {
        let v = Value::from_json(&serde_json::from_str(json).unwrap()).unwrap();
        T::from_value(Some(&v))
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
    fn objects_and_nested_arrays_are_not_values() {
        let j = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
        assert_eq!(Value::from_json(&j("{}")), Err("an object"));
        assert_eq!(Value::from_json(&j("[[1]]")), Err("a nested array"));
        assert_eq!(
            Value::from_json(&j("[{}]")),
            Err("an array holding an object")
        );
        let v = Value::from_json(&j("[1,null,true,\"s\",2.5]")).unwrap();
        assert_eq!(write(&v).unwrap(), "[1,null,true,\"s\",2.5]");
        assert_eq!(v.to_json(), j("[1,null,true,\"s\",2.5]"));
    }

    #[test]
    fn a_hand_written_nested_array_is_refused_at_run_time() {
        struct Sneaky;
        impl PropertyValue for Sneaky {
            fn write_value<S: Sink + ?Sized>(
                &self,
                w: ValueWriter<'_, S>,
            ) -> Result<Written, ValueError> {
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
