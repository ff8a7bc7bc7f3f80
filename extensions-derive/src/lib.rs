//! The derives of [`extensions-core`](https://docs.rs/extensions-core):
//! [`OpenExtension`](derive@OpenExtension) (a typed Microsoft Graph open extension from a
//! struct), [`SchemaExtension`](derive@SchemaExtension) (a typed schema extension),
//! [`DirectoryExtension`](derive@DirectoryExtension) (typed directory extensions) and
//! [`ExtensionAttributes`](derive@ExtensionAttributes) (the fifteen extension attributes). Each
//! macro's page documents every attribute and what a field may be. Use them through
//! `extensions_core`, which re-exports them (feature `derive`, on by default).
//!
//! Each derive has a room of its own (`open/`, `schema/`, `directory/`, `attributes/`), on the same stages: read the
//! attributes, check them against each other, expand, or on error give the errors with a stub
//! impl. What they share is beneath them: the error context that collects every mistake
//! (`ctxt`) and the attribute reader (`attr`: values set once, rename rules, the reporter of an
//! unknown attribute). A room never uses another's.
#![cfg_attr(docsrs, feature(doc_cfg))]

// What the derives share: the error context, the attribute reader, the type-path readers.
mod attr;
mod ctxt;
mod ty;

// One room per kind of extension.
mod attributes;
mod directory;
mod open;
mod schema;

use proc_macro::TokenStream;

/// `#[derive(OpenExtension)]`: a typed Microsoft Graph open extension from a struct.
///
/// Use it through `extensions_core`, which re-exports it (feature `derive`, on by default),
/// as `extensions_core::OpenExtension` and in `extensions_core::prelude`:
///
/// ```
/// use extensions_core::OpenExtension;
///
/// #[derive(OpenExtension, Debug, Clone, PartialEq)]
/// #[extension(name = "com.contoso.Referral")]
/// struct Referral {
///     company_name: String,              // wire name "companyName" (camelCase by default)
///     deal_value: i64,
///     expiration_date: Option<String>,   // None is sent as null
///     top_picks: Vec<String>,            // arrays of primitives are allowed
///     #[extension(rename = "initialReferrer")]
///     referrer: String,
/// }
///
/// assert_eq!(Referral::NAME.as_str(), "com.contoso.Referral");
/// ```
///
/// The derive generates:
///
/// - the [`OpenExtension`] impl: the fixed name, serialisation straight to the JSON wire form,
///   the exact size (through `extensions_core::extension_size`), and parsing back from a Graph
///   response, where a missing field is `Error::MissingProperty` and a wrong JSON type
///   `Error::PropertyType`, both naming the property;
///
/// The typed calls (`Referral::get(&client, &resource)`, `referral.create(&client, &resource)`,
/// `referral.patch(…)`, `Referral::update(…, |r| …)`, `Referral::delete(…)`) come from core's
/// `OpenExtensionExt` trait, implemented for every `OpenExtension` type and in scope through
/// `use extensions_core::prelude::*`. The derive adds no inherent method, so a struct's own
/// `fn update` or `fn get` never clashes with them.
///
/// No `serde` derive is needed on the struct.
///
/// # Container attributes
///
/// - `name = "com.contoso.Referral"` (required): the extension name. Checked at compile time by
///   the same rules as at run time: not empty, only ASCII letters, digits, `-`, `.`, `_`, `~`, no
///   empty label, never in the Microsoft domain (`com.microsoft…`, `com.onmicrosoft…`, any case),
///   and reverse-DNS (two labels or more).
/// - `allow_unqualified_name`: accept a single-label name, to read an existing short name.
///
///   ```
///   # use extensions_core::OpenExtension;
///   #[derive(OpenExtension)]
///   #[extension(name = "socialSettings", allow_unqualified_name)]
///   struct SocialSettings { theme: String }
///   ```
/// - `rename_all = "…"`: how field names become wire names: `"camelCase"` (the default, Graph's
///   convention), `"PascalCase"`, `"snake_case"`, `"lowercase"`, `"UPPERCASE"`,
///   `"SCREAMING_SNAKE_CASE"`, `"kebab-case"`, `"SCREAMING-KEBAB-CASE"`.
///
///   ```
///   # use extensions_core::OpenExtension;
///   #[derive(OpenExtension)]
///   #[extension(name = "com.contoso.Legacy", rename_all = "PascalCase")]
///   struct Legacy { deal_value: i64 } // wire name "DealValue"
///   ```
/// - `crate = "path"`: the path of `extensions_core` if you re-export it under another name
///   (`crate = "my_sdk::extensions_core"`). Generated code names only this path.
/// - `fits`: a compile error unless the extension, at its worst, is at most the 2,048 bytes
///   Graph allows on a directory object (a user, a group, a device…;
///   [extensions overview](https://learn.microsoft.com/en-us/graph/extensibility-overview)).
///   Every property must then be bounded (see `max_len` and `max_items` below); the error of a
///   struct that does not fit names its heaviest properties and their worst sizes. Not for
///   generic structs: assert `MAX_SIZE` for the instances you use instead.
///
///   ```
///   # use extensions_core::OpenExtension;
///   #[derive(OpenExtension)]
///   #[extension(name = "com.contoso.Settings", fits)] // proved: never over 2,048 bytes
///   struct Settings {
///       #[extension(max_len = 32)]
///       theme: String,              // characters; a longer value: Error::ValueTooLong
///       #[extension(max_items = 8, max_len = 16)]
///       tags: Vec<String>,          // more items: Error::TooManyItems
///       font_size: u16,             // bounded by its type
///   }
///   // The worst case is a constant too:
///   const _: () = assert!(Settings::MAX_SIZE <= 2048);
///   ```
///
///   ```compile_fail
///   # use extensions_core::OpenExtension;
///   #[derive(OpenExtension)]
///   #[extension(name = "com.contoso.Profile", fits)]
///   struct Profile {
///       #[extension(max_len = 400)] // up to 2,402 bytes: a control character is 6 (`\u0001`)
///       bio: String,
///   }
///   ```
///
/// # Field attributes
///
/// - `rename = "…"`: this field's wire name.
/// - `default`: a property missing on read becomes `Default::default()` (rather than
///   `Error::MissingProperty`). Useful for a field added in a later version of the struct.
/// - `skip`: not stored; on read it is `Default::default()` (the type must implement
///   `Default`).
/// - `other`: the catch-all, of type `extensions_core::Properties`: it receives every stored
///   property the struct does not declare, and writes them back, so a get followed by a patch
///   keeps them. At most one per struct.
/// - `as_string`: an integer field (or an `Option` of one) stored as a decimal string
///   (`"18446744073709551615"`). A plain integer field whose value is past 2^53 − 1
///   (9,007,199,254,740,991) in magnitude is refused before sending
///   (`Error::UnsafeInteger`, naming the field): JSON numbers that large lose digits in
///   JavaScript and other clients that read the same extension. Reading accepts a string or a
///   number, exactly.
///
///   ```
///   # use extensions_core::OpenExtension;
///   #[derive(OpenExtension)]
///   #[extension(name = "com.contoso.Ledger")]
///   struct Ledger {
///       #[extension(as_string)]
///       account_number: u64,
///   }
///   ```
///
/// - `max_len = N`: at most `N` characters (Unicode scalar values) in a `String`, an
///   `Option<String>`, or each `String` of a `Vec`. A longer value is refused before sending
///   (`Error::ValueTooLong`, naming the property); values read from Graph are not checked.
/// - `max_items = N`: at most `N` items in a `Vec` (or an `Option<Vec<…>>`); more is
///   `Error::TooManyItems` before sending.
///
///   `max_len` on a number or `max_items` on a `String` is a compile error. Neither applies
///   with `skip`, `other` or `as_string`.
///
/// # `MAX_SIZE`
///
/// Every derived struct has `pub const MAX_SIZE: usize`: the largest body it can produce, as
/// `extensions_core::extension_size` counts it (the envelope, each key, each value at its
/// longest: six bytes for a control character written `\u00XX`, 17 for an `i64`, whose
/// typed values stop at ±(2^53 − 1), 24 for an `f64`). It is tight: some value reaches it.
/// Using it on a struct with an unbounded property (a `String` without `max_len`, a `Vec`
/// without `max_items`, a catch-all, a `Value`) is a compile error naming the property; a
/// property type of your own has a bound when it implements `extensions_core::value::SizeBound`.
/// The `update` call also writes back properties another app stored, which no bound covers.
///
/// ```
/// # use extensions_core::{OpenExtension, Properties};
/// #[derive(OpenExtension, Default)]
/// #[extension(name = "com.contoso.Profile")]
/// struct Profile {
///     #[extension(rename = "displayTheme")]
///     theme: String,
///     #[extension(default)]
///     beta_opt_in: bool,
///     #[extension(skip)]
///     cache_hits: u32,
///     #[extension(other)]
///     rest: Properties,
/// }
/// ```
///
/// # What a field may be
///
/// Strings, `bool`, integers of at most 64 bits, `f32`/`f64`, `Option<T>` of those (sent as
/// `null`), `Vec<T>` of primitives (`Vec<Option<T>>` for an array with `null`s), and with core's features `time::OffsetDateTime`,
/// `chrono::DateTime<Utc>` and `uuid::Uuid`. Graph stores nothing else in an open extension, so
/// a struct, a map, a tuple, `Vec<Vec<T>>` or `Option<Option<T>>` is a compile error that says so.
/// Structs with named fields, or a unit struct (`struct Marker;`: an extension with no
/// properties, which Graph accepts); generics are allowed when every field type is a property type.
///
/// [`OpenExtension`]: https://docs.rs/extensions-core/latest/extensions_core/trait.OpenExtension.html
#[proc_macro_derive(OpenExtension, attributes(extension))]
pub fn derive_open_extension(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    open::derive(&input).into()
}

/// Derives `extensions_core::schema::SchemaExtension`: a typed Microsoft Graph schema extension
/// from a struct.
///
/// ```
/// use extensions_core::prelude::*;
///
/// #[derive(SchemaExtension, Debug, Clone, PartialEq)]
/// #[schema(id = "contoso_courses", targets(Group, User), description = "Training courses")]
/// struct Course {
///     course_id: i32,              // Integer (32-bit), wire name "courseId"
///     course_name: String,         // String: at most 256 characters, checked before sending
///     course_type: Option<String>, // None: unset on read; cleared by a write
///     #[schema(rename = "syllabus")]
///     outline: Option<Vec<u8>>,    // Binary: at most 256 bytes
/// }
/// ```
///
/// # Container attributes
///
/// - `id = "contoso_courses"` (required): `{verifiedDomain}_{name}`, used as is, or a bare
///   name (`"courses"`) for which Graph assigns `ext{8 characters}_courses` at registration.
///   ASCII letters and digits, each part starting with a letter.
/// - `targets(Group, User, …)` (required): among `User`, `Group`, `AdministrativeUnit`,
///   `Contact`, `Device`, `Event`, `Message`, `Organization`, `Post`.
/// - `description = "…"`: the definition's description.
/// - `rename_all = "…"`: as for `OpenExtension` (`camelCase` by default).
/// - `crate = "path"`: the path of `extensions_core` if re-exported.
///
/// # Field attributes
///
/// - `rename = "…"`: the property's name (an OData identifier: a letter or `_`, then letters,
///   digits and `_`).
///
/// # Field types
///
/// `String` (String), `i32` (Integer), `bool` (Boolean), `Vec<u8>` (Binary),
/// `time::OffsetDateTime` or `chrono::DateTime<Utc>` (DateTime, with core's `time` or `chrono`
/// feature), and `Option` of each. Anything else is a compile error at the field that says what
/// to use: `i64` ("Integer is 32-bit: use i32"), `u32`, `f64`, `Vec<String>` ("no multi-value
/// properties"), maps and nested structs. `bool` and `i32` are refused when `targets` names a
/// contact, message, event or post, where Graph does not support them.
///
/// The derive also generates `{Struct}Filter`, the typed `$filter` builder that
/// `Struct::filter(&id)` returns, with one method per field.
#[proc_macro_derive(SchemaExtension, attributes(schema))]
pub fn derive_schema_extension(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    schema::derive(&input).into()
}

/// Derives `extensions_core::directory::DirectoryExtension`: each field of the struct one
/// Microsoft Graph directory extension (`extension_{appId}_{name}`) of an owner app chosen at
/// run time.
///
/// ```
/// use extensions_core::prelude::*;
///
/// #[derive(DirectoryExtension, Debug, Clone, PartialEq)]
/// #[directory(targets(User))]
/// struct TeamProfile {
///     linked_in_profile: Option<String>,   // String, at most 256 characters
///     #[directory(max_items = 10)]
///     job_groups: Vec<String>,             // multi-valued; empty is unset
///     employee_number: Option<i64>,        // LargeInteger
///     #[directory(rename = "permanent_pensionable")]
///     pensionable: Option<bool>,
/// }
/// ```
///
/// # Container attributes
///
/// - `targets(User, …)` (required): among `User`, `Group`, `AdministrativeUnit`,
///   `Application`, `Device`, `Organization`.
/// - `rename_all = "…"`: as for `OpenExtension` (`camelCase` by default).
/// - `crate = "path"`: the path of `extensions_core` if re-exported.
///
/// # Field attributes
///
/// - `rename = "…"`: the definition's name (a letter, then ASCII letters, digits and `_`; at
///   most 85 characters, Graph prefixing it with `extension_{appId}_`).
/// - `max_len = N`: at most `N` characters in a String (each value of a multi-valued one), at
///   most 256 (Graph's limit, checked anyway).
/// - `max_items = N` (required on a `Vec`): at most `N` values.
///
/// # Field types
///
/// `String` (String), `bool` (Boolean), `i32` (Integer), `i64` (LargeInteger), `Vec<u8>`
/// (Binary), `time::OffsetDateTime` or `chrono::DateTime<Utc>` (DateTime, with core's `time` or
/// `chrono` feature), an `Option` of each, and a `Vec` of each (a multi-valued extension; an
/// empty `Vec` is unset). Anything else (`u64`, `f64`, maps, nested structs,
/// `Option<Vec<T>>`) is a compile error at the field that says what to use.
///
/// The struct as a whole may write at most 100 values (Graph's limit on one resource, each
/// value of a multi-valued field counting its `max_items`): more is a compile error.
///
/// The derive also generates `{Struct}Filter`, the typed `$filter` builder that
/// `Struct::filter(&app)` returns, with one method per field.
#[proc_macro_derive(DirectoryExtension, attributes(directory))]
pub fn derive_directory_extension(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    directory::derive(&input).into()
}

/// Derives `extensions_core::attributes::ExtensionAttributes`: each field one of the fifteen
/// extension attributes of users and devices.
///
/// ```
/// use extensions_core::prelude::*;
///
/// #[derive(ExtensionAttributes, Debug, Clone, PartialEq)]
/// struct HrCodes {
///     #[attribute(13)]
///     cost_centre: Option<String>, // onPremisesExtensionAttributes/extensionAttribute13
///     #[attribute(15)]
///     badge: Option<String>,
/// }
/// ```
///
/// Every field is an `Option<String>` (at most 1,024 characters, checked before sending) with
/// `#[attribute(N)]`, `N` from 1 to 15, each number once; anything else is a compile error.
/// A write sends only the struct's attributes: Graph keeps the others. Container attribute:
/// `#[attributes(crate = "path")]`.
#[proc_macro_derive(ExtensionAttributes, attributes(attribute, attributes))]
pub fn derive_extension_attributes(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    attributes::derive(&input).into()
}
