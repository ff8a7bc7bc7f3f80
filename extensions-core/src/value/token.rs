//! One JSON value as the typed readers see it: read straight from the response bytes (strings
//! borrowed when they hold no escape), or borrowed from an untyped [`Value`].

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Number, Value, ValueError};

/// A JSON value on its way to a typed property. Objects are not kept (no typed property holds
/// one); only that one was there.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'de> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A negative integer.
    I64(i64),
    /// A non-negative integer.
    U64(u64),
    /// Any other number.
    F64(f64),
    /// A string.
    Str(Cow<'de, str>),
    /// An array.
    Seq(Vec<Token<'de>>),
    /// An object (its content skipped).
    Map,
}

impl Token<'_> {
    /// A short description for error messages, as [`Value::describe`] gives.
    pub fn describe(&self) -> String {
        match self {
            Token::Null => "null".into(),
            Token::Bool(b) => format!("the boolean {b}"),
            Token::I64(i) => format!("the number {i}"),
            Token::U64(u) => format!("the number {u}"),
            Token::F64(f) => match Number::from_f64(*f) {
                Some(n) => format!("the number {n}"),
                None => "a number".into(),
            },
            Token::Str(_) => "a string".into(),
            Token::Seq(_) => "an array".into(),
            Token::Map => "an object".into(),
        }
    }

    /// The type error "expected `expected`, found this".
    pub fn mismatch(&self, expected: &'static str) -> ValueError {
        ValueError::Type {
            expected,
            found: self.describe(),
        }
    }
}

impl<'a> From<&'a Value> for Token<'a> {
    fn from(v: &'a Value) -> Self {
        match v {
            Value::Null => Token::Null,
            Value::Bool(b) => Token::Bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    Token::U64(u)
                } else if let Some(i) = n.as_i64() {
                    Token::I64(i)
                } else {
                    Token::F64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => Token::Str(Cow::Borrowed(s)),
            Value::Array(items) => Token::Seq(items.iter().map(Token::from).collect()),
            Value::Object(_) => Token::Map,
        }
    }
}

impl<'de> Deserialize<'de> for Token<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TokenVisitor)
    }
}

struct TokenVisitor;

impl<'de> Visitor<'de> for TokenVisitor {
    type Value = Token<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Token<'de>, E> {
        Ok(Token::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Token<'de>, E> {
        Ok(if i >= 0 {
            Token::U64(i as u64)
        } else {
            Token::I64(i)
        })
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Token<'de>, E> {
        Ok(Token::U64(u))
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Token<'de>, E> {
        Ok(Token::F64(f))
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Token<'de>, E> {
        Ok(Token::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Token<'de>, E> {
        Ok(Token::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Token<'de>, E> {
        Ok(Token::Str(Cow::Owned(s)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Token<'de>, E> {
        Ok(Token::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Token<'de>, E> {
        Ok(Token::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Token<'de>, D::Error> {
        Token::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Token<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(t) = seq.next_element::<Token<'de>>()? {
            items.push(t);
        }
        Ok(Token::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Token<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Token::Map)
    }
}

/// A map key, borrowed from the input when it holds no escape.
#[doc(hidden)]
#[derive(Debug)]
pub struct Key<'de>(pub Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}
