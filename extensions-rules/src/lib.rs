//! The naming rules of Microsoft Graph's extensions (open, schema, directory, extension
//! attributes), in one place.
//!
//! This crate exists so that `extensions-derive` can check names at expansion time with the very
//! functions `extensions-core` uses at run time: core re-exports the derive, so the derive cannot
//! depend on core. Use these items through `extensions_core` (`extensions_core::name`,
//! `extensions_core::extension::validate_property_name`); this crate has no other purpose.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod directory;
pub mod name;
pub mod property;
pub mod schema;
