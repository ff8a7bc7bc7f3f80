//! Untyped values: [`Value`] (any JSON value Graph holds) and [`Properties`] (the properties of
//! one extension, in order).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Number, ValueError};

/// An untyped property value: any JSON value Graph holds.
///
/// What this library *writes* from a typed struct follows the documented contract (primitives
/// and arrays of primitives, [Open extensions](https://learn.microsoft.com/en-us/graph/extensibility-open-users));
/// what it *reads* is anything Graph may hold: Graph stores nested objects too in practice, so a
/// property another app stored as an object is kept here, unchanged, and written back as it was.
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
    /// An array.
    Array(Vec<Value>),
    /// An object, its members in order.
    Object(Properties),
}

impl Value {
    /// A short description for error messages: `a string`, `the number 3.5`, `an array`.
    pub fn describe(&self) -> String {
        super::token::Token::from(self).describe()
    }

    /// Converts a JSON value (any: Graph may hold nested objects).
    pub fn from_json(json: &serde_json::Value) -> Self {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.clone()),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::Array(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// The same value as `serde_json::Value`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
            Value::Object(p) => serde_json::Value::Object(
                p.iter().map(|(k, v)| (k.to_owned(), v.to_json())).collect(),
            ),
        }
    }
}

/// Checks that `json` follows the documented contract of open-extension values: a primitive
/// (string, number, boolean, null) or an array of primitives. The error says what was found.
pub fn documented_shape(json: &serde_json::Value) -> Result<(), &'static str> {
    match json {
        serde_json::Value::Object(_) => Err("an object"),
        serde_json::Value::Array(items) => items.iter().try_for_each(|item| match item {
            serde_json::Value::Array(_) => Err("a nested array"),
            serde_json::Value::Object(_) => Err("an array holding an object"),
            _ => Ok(()),
        }),
        _ => Ok(()),
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

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number that is not finite"))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element::<Value>()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut p = Properties::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            p.insert(k, v);
        }
        Ok(Value::Object(p))
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

    /// The same names and values, in any order.
    pub fn same_set(&self, other: &Properties) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
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
