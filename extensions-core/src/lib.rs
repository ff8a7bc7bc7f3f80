//! The rules and the protocol of Microsoft Graph **open extensions**, with no I/O.
//!
//! This crate knows everything about open extensions that does not need a network:
//!
//! - [`name`]: extension names and their rules ([`ExtensionName`], a `const` check);
//! - [`resource`]: the twelve resource kinds, their paths, classes and limits ([`Resource`]);
//! - [`value`]: which Rust types may be a property ([`PropertyValue`], [`FromPropertyValue`]),
//!   and untyped values ([`Value`], [`Properties`]);
//! - [`extension`]: the [`OpenExtension`] trait, the body encoding and its exact size
//!   ([`extension_size`]);
//! - [`op`]: each Graph call as a value (an [`Operation`](op::Operation)) that builds its
//!   request, reads its response and says how it may be repeated, and the
//!   [`Execute`](op::Execute) trait that runs them; [`batch`]: `$batch` envelopes;
//! - [`OpenExtensionExt`]: the typed calls `get`, `create`, `patch`, `update`, `delete`,
//!   `create_with_item` and `expand`, in scope through the [`prelude`];
//! - [`Error`]: one error type to match on.
//!
//! Every rule lives here once; the derive macro, the client and the emulator call it.
//! [`graph_behaviour`] lists Graph's rules with their public sources and where each is enforced.
//!
//! ```
//! use extensions_core::op::{Get, Operation};
//! use extensions_core::prelude::*;
//!
//! #[derive(OpenExtension)]
//! #[extension(name = "com.contoso.Referral")]
//! struct Referral { company_name: String }
//!
//! let get = Get::<Referral>::new(Resource::me().message("AAMk=="));
//! let req = get.request()?;
//! assert_eq!(req.uri(), "/me/messages/AAMk%3D%3D/extensions/com.contoso.Referral");
//! # Ok::<(), extensions_core::Error>(())
//! ```
//!
//! # Features
//!
//! - `derive` (default): `#[derive(OpenExtension)]`;
//! - `time`: `time::OffsetDateTime` properties (RFC 3339, UTC);
//! - `chrono`: `chrono::DateTime<Utc>` properties (RFC 3339, UTC);
//! - `uuid`: `uuid::Uuid` properties.

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod batch;
mod calls;
mod decode;
mod error;
pub mod extension;
mod graph_error;
mod json;
mod kind;
pub mod limits;
pub use extensions_rules::name;
pub mod op;
pub mod redact;
pub mod resource;
pub mod response;
pub mod schema;
pub mod value;

/// Microsoft Graph's behaviour for open extensions: each rule this library relies on, its public
/// source, and where the library enforces or follows it. A page of documentation, no items.
#[doc = include_str!("../docs/graph-behaviour.md")]
pub mod graph_behaviour {}

pub use calls::{OpenExtensionExt, WithExtension};
pub use error::Error;
pub use extension::{OpenExtension, PropertyWriter, extension_size};
/// `#[derive(OpenExtension)]`: see the `extensions-derive` crate for every attribute.
#[cfg(feature = "derive")]
pub use extensions_derive::OpenExtension;
/// `#[derive(SchemaExtension)]`: see the `extensions-derive` crate for every attribute.
#[cfg(feature = "derive")]
pub use extensions_derive::SchemaExtension;
pub use name::{ExtensionName, NameError, NamePolicy};
pub use resource::{
    GroupResource, ItemCollection, Resource, ResourceClass, ResourceKind, TodoListResource,
    UserResource,
};
pub use response::{ExtensionObject, GraphError, GraphErrorKind};
pub use value::{FromPropertyValue, MAX_SAFE_INTEGER, Properties, PropertyValue, Value};

/// What an application needs in scope: the derive and the trait it implements, the typed calls
/// ([`OpenExtensionExt`]), [`Resource`], [`Execute`](crate::op::Execute) and [`Error`].
///
/// ```
/// use extensions_core::prelude::*;
/// ```
pub mod prelude {
    pub use crate::calls::OpenExtensionExt;
    pub use crate::error::Error;
    pub use crate::extension::OpenExtension;
    pub use crate::op::Execute;
    pub use crate::resource::Resource;
    pub use crate::schema::{SchemaExtension, SchemaExtensionExt};
    pub use crate::value::Properties;
    /// `#[derive(OpenExtension)]`.
    #[cfg(feature = "derive")]
    pub use extensions_derive::OpenExtension;
    /// `#[derive(SchemaExtension)]`.
    #[cfg(feature = "derive")]
    pub use extensions_derive::SchemaExtension;
}

/// Used by the code `#[derive(OpenExtension)]` generates. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::decode::DecodeCx;
    pub use crate::value::Key;
    pub use serde;

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

    impl<T: StringInteger> FromPropertyValue for AsString<T> {
        fn from_value(value: Option<&crate::Value>) -> Result<Self, crate::value::ValueError> {
            T::read(value).map(AsString)
        }
    }

    /// Reads one schema extension property with its type's reader.
    #[derive(Debug)]
    pub struct SchemaSeed<T>(std::marker::PhantomData<fn() -> T>);

    impl<T> SchemaSeed<T> {
        /// The reader of a `T`.
        #[allow(clippy::new_without_default)]
        pub fn new() -> Self {
            Self(std::marker::PhantomData)
        }
    }

    impl<'de, T: crate::schema::SchemaProperty> serde::de::DeserializeSeed<'de> for SchemaSeed<T> {
        type Value = T;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
            T::decode(d)
        }
    }

    /// `from_properties` of a derived type: its reader, over the properties.
    pub fn from_properties<T: crate::OpenExtension>(p: &Properties) -> Result<T, Error> {
        crate::extension::from_properties(p)
    }
}

/// This crate's README (also in the published package) compiles as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
