//! Primitives read straight from the bytes: one visitor for every primitive type, which hands
//! the JSON value to the type's own conversion without building an intermediate value.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{FromPropertyValue, Token, ValueError};

/// A primitive's conversions from each JSON token; by default each is a type error.
pub(super) trait Scalar: FromPropertyValue {
    fn from_token(t: Token<'_>) -> Result<Self, ValueError> {
        Self::__from_token(t)
    }
    fn from_str(s: &str) -> Result<Self, ValueError> {
        Self::from_token(Token::Str(s.into()))
    }
}

pub(super) struct ScalarVisitor<T>(PhantomData<T>);

impl<T> ScalarVisitor<T> {
    pub(super) fn new() -> Self {
        Self(PhantomData)
    }
}

type Read<T> = Result<T, ValueError>;

impl<'de, T: Scalar> Visitor<'de> for ScalarVisitor<T> {
    type Value = Read<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a primitive")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Read<T>, E> {
        Ok(T::from_token(Token::Bool(b)))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Read<T>, E> {
        Ok(T::from_token(if i >= 0 {
            Token::U64(i as u64)
        } else {
            Token::I64(i)
        }))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Read<T>, E> {
        Ok(T::from_token(Token::U64(u)))
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Read<T>, E> {
        Ok(T::from_token(Token::F64(f)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Read<T>, E> {
        Ok(T::from_str(s))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Read<T>, E> {
        Ok(T::from_token(Token::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Read<T>, E> {
        Ok(T::from_token(Token::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Read<T>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Read<T>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(T::from_token(Token::Seq(Vec::new())))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read<T>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(T::from_token(Token::Map))
    }
}
