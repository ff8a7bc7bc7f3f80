//! Arrays read straight from the bytes: each element by its own type's reader.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{FromPropertyValue, Token, ValueError};

/// Reads one element.
struct Element<T>(PhantomData<T>);

impl<'de, T: FromPropertyValue> DeserializeSeed<'de> for Element<T> {
    type Value = Result<T, ValueError>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        T::__deserialize(d)
    }
}

/// Reads an array into `Vec<T>`; anything else is a type error that says what was found. The
/// whole value is consumed either way.
pub(super) struct VecVisitor<T>(PhantomData<T>);

impl<T> Default for VecVisitor<T> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

type Read<T> = Result<Vec<T>, ValueError>;

fn not_an_array<T>(found: Token<'_>) -> Read<T> {
    Err(found.mismatch("an array"))
}

impl<'de, T: FromPropertyValue> Visitor<'de> for VecVisitor<T> {
    type Value = Read<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Read<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        let mut first_error = None;
        while let Some(item) = seq.next_element_seed(Element::<T>(PhantomData))? {
            match item {
                Ok(v) if first_error.is_none() => items.push(v),
                Ok(_) => {}
                Err(e) => {
                    first_error.get_or_insert(match e {
                        ValueError::Type { expected, found } => ValueError::Type {
                            expected,
                            found: format!("{found} in an array"),
                        },
                        e => e,
                    });
                }
            }
        }
        Ok(match first_error {
            None => Ok(items),
            Some(e) => Err(e),
        })
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Read<T>, E> {
        Ok(not_an_array(Token::Bool(b)))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Read<T>, E> {
        Ok(not_an_array(Token::I64(i)))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Read<T>, E> {
        Ok(not_an_array(Token::U64(u)))
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Read<T>, E> {
        Ok(not_an_array(Token::F64(f)))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Read<T>, E> {
        Ok(not_an_array(Token::Str("".into())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Read<T>, E> {
        Ok(not_an_array(Token::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Read<T>, E> {
        Ok(not_an_array(Token::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Read<T>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read<T>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(not_an_array(Token::Map))
    }
}
