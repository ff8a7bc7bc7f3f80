//! Reading a stored extension straight from the response bytes into a typed value.
//!
//! The derive generates [`OpenExtension::__decode`](crate::OpenExtension), which walks the
//! members of the JSON object once: a declared property goes to its field through the field
//! type's own reader (strings borrowed from the input until the field takes them), `id` and
//! `extensionName` are kept aside, annotations (`@odata.*`, `name@odata.type`) are skipped, and
//! every other property goes to the catch-all, or is skipped when nobody keeps it. No
//! intermediate map is built for declared fields. A wrong type or a missing property is a typed
//! [`Error`] that names the property.

use std::fmt;
use std::marker::PhantomData;

use http::StatusCode;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::error::Error;
use crate::extension::{OpenExtension, value_error};
use crate::value::{FromPropertyValue, Properties, Value, ValueError};

/// What a reader collects besides the fields: the id, the name, the properties the type does
/// not declare (when someone keeps them), and the first typed error.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct DecodeCx {
    /// Whether a string `id` or `extensionName` was seen (a stored extension has one).
    named: bool,
    undeclared: Option<Properties>,
    error: Option<Error>,
}

/// Reads one field value by its type's own reader.
struct Field<T>(PhantomData<T>);

impl<'de, T: FromPropertyValue> DeserializeSeed<'de> for Field<T> {
    type Value = Result<T, ValueError>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        T::__deserialize(d)
    }
}

impl DecodeCx {
    fn new(keep_undeclared: bool) -> Self {
        Self {
            undeclared: keep_undeclared.then(Properties::new),
            ..Self::default()
        }
    }

    /// Records `e` (the first one wins) and stops the reader.
    fn fail<E: de::Error>(&mut self, e: Error) -> E {
        let text = e.to_string();
        self.error.get_or_insert(e);
        E::custom(text)
    }

    /// The type keeps undeclared properties (a catch-all): collect them.
    pub fn keep_undeclared(&mut self) {
        self.undeclared.get_or_insert_with(Properties::new);
    }

    /// The undeclared properties collected so far, for the catch-all.
    pub fn take_undeclared(&mut self) -> Properties {
        self.undeclared.take().unwrap_or_default()
    }

    /// Reads the value of declared property `name` into `slot`.
    #[inline]
    pub fn field<'de, T: FromPropertyValue, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        name: &'static str,
        slot: &mut Option<T>,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            let e = Error::UnexpectedResponse {
                status: StatusCode::OK,
                detail: format!("property {name:?} appears twice"),
            };
            return Err(self.fail(e));
        }
        match map.next_value_seed(Field::<T>(PhantomData))? {
            Ok(v) => {
                *slot = Some(v);
                Ok(())
            }
            Err(e) => Err(self.fail(value_error(name, e))),
        }
    }

    /// Reads a member that is not a declared property: `id`, `extensionName` (any letter case),
    /// an annotation, or an undeclared property.
    #[inline]
    pub fn other<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        if key.eq_ignore_ascii_case("id") || key.eq_ignore_ascii_case("extensionName") {
            // A typed value needs neither; that one is there tells a stored extension.
            map.next_value::<IgnoredAny>()?;
            self.named = true;
        } else if key.contains('@') {
            map.next_value::<IgnoredAny>()?;
        } else if let Some(undeclared) = &mut self.undeclared {
            let v: Value = map.next_value()?;
            undeclared.insert(key, v);
        } else {
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    /// The value of declared property `name`: what was read, or the type's value for "absent"
    /// (`None` for an `Option`), or [`Error::MissingProperty`].
    #[inline]
    pub fn finish<T: FromPropertyValue, E: de::Error>(
        &mut self,
        slot: Option<T>,
        name: &'static str,
    ) -> Result<T, E> {
        match slot {
            Some(v) => Ok(v),
            None => T::from_value(None).map_err(|e| self.fail(value_error(name, e))),
        }
    }

    /// Like [`finish`](Self::finish), with `Default::default()` for an absent property.
    pub fn finish_or_default<T: FromPropertyValue + Default>(slot: Option<T>) -> T {
        slot.unwrap_or_default()
    }
}

/// Reads `T` from untyped stored properties through the same reader as from bytes: what the
/// derive's `from_properties` calls.
pub(crate) fn from_properties<T: OpenExtension>(p: &Properties) -> Result<T, Error> {
    let mut cx = DecodeCx::new(false);
    match T::__decode(crate::value::PropertiesAccess::new(p), &mut cx) {
        Ok(v) => Ok(v),
        Err(e) => Err(cx.error.take().unwrap_or(Error::UnexpectedResponse {
            status: StatusCode::OK,
            detail: format!("the properties are not an extension: {e}"),
        })),
    }
}

/// The default reader of [`OpenExtension::__decode`]: every property into [`Properties`], then
/// [`OpenExtension::from_properties`].
pub(crate) fn through_properties<'de, T: OpenExtension, A: MapAccess<'de>>(
    mut map: A,
    cx: &mut DecodeCx,
) -> Result<T, A::Error> {
    let keep = cx.undeclared.is_some();
    cx.keep_undeclared();
    while let Some(key) = map.next_key::<crate::value::Key<'de>>()? {
        cx.other(&key.0, &mut map)?;
    }
    let all = if keep {
        cx.undeclared.clone().unwrap_or_default()
    } else {
        cx.take_undeclared()
    };
    T::from_properties(&all).map_err(|e| cx.fail(e))
}

struct ExtensionVisitor<'c, T> {
    cx: &'c mut DecodeCx,
    _type: PhantomData<T>,
}

impl<'de, T: OpenExtension> Visitor<'de> for ExtensionVisitor<'_, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an extension object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::__decode(map, self.cx)
    }
}

/// A stored extension read as `T`, with what else the body held.
#[derive(Debug)]
pub(crate) struct Decoded<T> {
    pub(crate) value: T,
    /// The properties `T` does not declare, when asked for (and `T` has no catch-all).
    pub(crate) undeclared: Properties,
}

/// Reads `body` (the answer of status `status`) as `T`. With `keep_undeclared`, the properties
/// `T` does not declare are returned too.
pub(crate) fn decode_body<T: OpenExtension>(
    status: StatusCode,
    body: &[u8],
    keep_undeclared: bool,
) -> Result<Decoded<T>, Error> {
    let mut cx = DecodeCx::new(keep_undeclared);
    let mut de = serde_json::Deserializer::from_slice(body);
    let read = de
        .deserialize_map(ExtensionVisitor::<T> {
            cx: &mut cx,
            _type: PhantomData,
        })
        .and_then(|v| de.end().map(|()| v));
    let value = match read {
        Ok(v) => v,
        Err(e) => {
            return Err(cx.error.take().unwrap_or(Error::UnexpectedResponse {
                status,
                detail: format!("the body is not an extension object: {e}"),
            }));
        }
    };
    if !cx.named {
        return Err(Error::UnexpectedResponse {
            status,
            detail: "the extension has neither `id` nor `extensionName`".into(),
        });
    }
    Ok(Decoded {
        value,
        undeclared: cx.take_undeclared(),
    })
}

/// Decodes a stored extension (the JSON object Graph answers) as `T`, straight from the bytes.
///
/// ```
/// use extensions_core::OpenExtension;
///
/// #[derive(OpenExtension, Debug, PartialEq)]
/// #[extension(name = "com.contoso.Settings")]
/// struct Settings { theme: String, font_size: Option<u8> }
///
/// let body = br##"{"@odata.type":"#microsoft.graph.openTypeExtension","id":"com.contoso.Settings","theme":"dark","other":1}"##;
/// let s: Settings = extensions_core::extension::decode(body)?;
/// assert_eq!(s, Settings { theme: "dark".into(), font_size: None });
///
/// let wrong = br#"{"id":"com.contoso.Settings","theme":7}"#;
/// let err = extensions_core::extension::decode::<Settings>(wrong).unwrap_err();
/// assert_eq!(err.to_string(), r#"property "theme": expected a string, found the number 7"#);
/// # Ok::<(), extensions_core::Error>(())
/// ```
pub fn decode<T: OpenExtension>(body: &[u8]) -> Result<T, Error> {
    decode_body(StatusCode::OK, body, false).map(|d| d.value)
}
