//! Reading a stored extension straight from the response bytes into a typed value.
//!
//! The derive generates `OpenExtension::__decode`, which walks the
//! members of the JSON object once: a declared property goes to its field through the field
//! type's own reader (strings borrowed from the input until the field takes them), `id` and
//! `extensionName` are kept aside, annotations (`@odata.*`, `name@odata.type`) are skipped, and
//! every other property goes to the catch-all, or is skipped when nobody keeps it. No
//! intermediate map is built for declared fields. A wrong type or a missing property is a typed
//! [`Error`] that names the property.

use std::marker::PhantomData;

use http::StatusCode;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess};

use crate::error::Error;
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
    pub(crate) fn new(keep_undeclared: bool) -> Self {
        Self {
            undeclared: keep_undeclared.then(Properties::new),
            ..Self::default()
        }
    }

    /// Records `e` (the first one wins) and stops the reader.
    pub(crate) fn fail<E: de::Error>(&mut self, e: Error) -> E {
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
            Err(e) => Err(self.fail(Error::property(name, e))),
        }
    }

    /// Reads a member that is not a declared property: `id`, `extensionName` (any letter case),
    /// an annotation, or an undeclared property (kept by a catch-all, else skipped).
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
        } else if let Some(undeclared) = self.undeclared.as_mut().filter(|_| !key.contains('@')) {
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
            None => T::from_value(None).map_err(|e| self.fail(Error::property(name, e))),
        }
    }

    /// Like [`finish`](Self::finish), with `Default::default()` for an absent property.
    pub fn finish_or_default<T: FromPropertyValue + Default>(slot: Option<T>) -> T {
        slot.unwrap_or_default()
    }
}

impl DecodeCx {
    /// Whether a stored extension's `id` or `extensionName` was seen.
    pub(crate) fn named(&self) -> bool {
        self.named
    }

    /// Whether undeclared properties are being collected.
    pub(crate) fn keeps_undeclared(&self) -> bool {
        self.undeclared.is_some()
    }

    /// A copy of the undeclared properties collected so far.
    pub(crate) fn undeclared(&self) -> Properties {
        self.undeclared.clone().unwrap_or_default()
    }

    /// The first typed error, if one stopped the reader.
    pub(crate) fn take_error(&mut self) -> Option<Error> {
        self.error.take()
    }
}
