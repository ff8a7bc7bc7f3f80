//! `#[extension(...)]` on the struct and on its fields, parsed with `parse_nested_meta`. Errors go
//! to the context, not `?`, so every mistake is reported at once.

use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr};

use crate::attr::{
    Attr, RenameRule, Symbol, flag, path_value, rename_rule_value, string_value, unknown,
    usize_value,
};
use crate::ctxt::Ctxt;

// #[extension(name = "com.contoso.Referral")]
pub(crate) const NAME: Symbol = Symbol("name");
// #[extension(rename_all = "camelCase")]
pub(crate) const RENAME_ALL: Symbol = Symbol("rename_all");
// #[extension(allow_unqualified_name)]
pub(crate) const ALLOW_UNQUALIFIED_NAME: Symbol = Symbol("allow_unqualified_name");
// #[extension(crate = "my_reexport::extensions_core")]
pub(crate) const CRATE: Symbol = Symbol("crate");
// #[extension(rename = "initialReferrer")]
pub(crate) const RENAME: Symbol = Symbol("rename");
// #[extension(skip)]
pub(crate) const SKIP: Symbol = Symbol("skip");
// #[extension(default)]
pub(crate) const DEFAULT: Symbol = Symbol("default");
// #[extension(other)]
pub(crate) const OTHER: Symbol = Symbol("other");
// #[extension(as_string)]
pub(crate) const AS_STRING: Symbol = Symbol("as_string");

// #[extension(fits)]
pub(crate) const FITS: Symbol = Symbol("fits");
// #[extension(max_len = 32)]
pub(crate) const MAX_LEN: Symbol = Symbol("max_len");
// #[extension(max_items = 8)]
pub(crate) const MAX_ITEMS: Symbol = Symbol("max_items");

const CONTAINER_ATTRS: [Symbol; 5] = [NAME, RENAME_ALL, ALLOW_UNQUALIFIED_NAME, CRATE, FITS];
const FIELD_ATTRS: [Symbol; 7] = [RENAME, SKIP, DEFAULT, OTHER, AS_STRING, MAX_LEN, MAX_ITEMS];

const EXTENSION: &str = "extension";

/// The container attributes.
pub(crate) struct ContainerAttrs {
    pub(crate) name: Attr<LitStr>,
    pub(crate) rename_all: Attr<RenameRule>,
    pub(crate) allow_unqualified_name: Attr<()>,
    pub(crate) krate: Attr<syn::Path>,
    pub(crate) fits: Attr<()>,
    /// `name` appeared, even with a value that was refused (so "missing" is not reported too).
    pub(crate) name_given: bool,
}

/// The field attributes.
pub(crate) struct FieldAttrs {
    pub(crate) rename: Attr<LitStr>,
    pub(crate) skip: Attr<()>,
    pub(crate) default: Attr<()>,
    pub(crate) other: Attr<()>,
    pub(crate) as_string: Attr<()>,
    pub(crate) max_len: Attr<usize>,
    pub(crate) max_items: Attr<usize>,
}

fn each_extension_attr(cx: &Ctxt, attrs: &[Attribute], mut f: impl FnMut(&ParseNestedMeta<'_>)) {
    for attr in attrs {
        if !attr.path().is_ident(EXTENSION) {
            continue;
        }
        if let syn::Meta::Path(_) = attr.meta {
            cx.error_spanned_by(attr, "expected `#[extension(...)]`");
            continue;
        }
        if let Err(e) = attr.parse_nested_meta(|meta| {
            f(&meta);
            Ok(())
        }) {
            cx.syn_error(e);
        }
    }
}

impl ContainerAttrs {
    pub(crate) fn from_ast(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = ContainerAttrs {
            name: Attr::none(NAME),
            rename_all: Attr::none(RENAME_ALL),
            allow_unqualified_name: Attr::none(ALLOW_UNQUALIFIED_NAME),
            krate: Attr::none(CRATE),
            fits: Attr::none(FITS),
            name_given: false,
        };
        each_extension_attr(cx, attrs, |meta| {
            let p = &meta.path;
            if p.is_ident(NAME.0) {
                // name = "com.contoso.Referral"
                out.name_given = true;
                if let Some(s) = string_value(cx, meta, NAME) {
                    out.name.set(cx, meta, s);
                }
            } else if p.is_ident(RENAME_ALL.0) {
                // rename_all = "camelCase"
                if let Some(rule) = rename_rule_value(cx, meta, RENAME_ALL) {
                    out.rename_all.set(cx, meta, rule);
                }
            } else if p.is_ident(ALLOW_UNQUALIFIED_NAME.0) {
                // allow_unqualified_name
                flag(cx, meta, &mut out.allow_unqualified_name);
            } else if p.is_ident(FITS.0) {
                // fits
                flag(cx, meta, &mut out.fits);
            } else if p.is_ident(CRATE.0) {
                // crate = "path::to::extensions_core"
                if let Some(path) = path_value(cx, meta, CRATE) {
                    out.krate.set(cx, meta, path);
                }
            } else {
                // A misspelt `name` is reported once, not again as a missing name.
                if unknown(cx, meta, &CONTAINER_ATTRS, &FIELD_ATTRS, "container") == Some(NAME.0) {
                    out.name_given = true;
                }
            }
        });
        out
    }
}

impl FieldAttrs {
    pub(crate) fn from_ast(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = FieldAttrs {
            rename: Attr::none(RENAME),
            skip: Attr::none(SKIP),
            default: Attr::none(DEFAULT),
            other: Attr::none(OTHER),
            as_string: Attr::none(AS_STRING),
            max_len: Attr::none(MAX_LEN),
            max_items: Attr::none(MAX_ITEMS),
        };
        each_extension_attr(cx, attrs, |meta| {
            let p = &meta.path;
            if p.is_ident(RENAME.0) {
                // rename = "initialReferrer"
                if let Some(s) = string_value(cx, meta, RENAME) {
                    out.rename.set(cx, meta, s);
                }
            } else if p.is_ident(SKIP.0) {
                // skip
                flag(cx, meta, &mut out.skip);
            } else if p.is_ident(DEFAULT.0) {
                // default
                flag(cx, meta, &mut out.default);
            } else if p.is_ident(OTHER.0) {
                // other
                flag(cx, meta, &mut out.other);
            } else if p.is_ident(AS_STRING.0) {
                // as_string
                flag(cx, meta, &mut out.as_string);
            } else if p.is_ident(MAX_LEN.0) {
                // max_len = 32
                if let Some(n) = usize_value(cx, meta, MAX_LEN) {
                    out.max_len.set(cx, meta, n);
                }
            } else if p.is_ident(MAX_ITEMS.0) {
                // max_items = 8
                if let Some(n) = usize_value(cx, meta, MAX_ITEMS) {
                    out.max_items.set(cx, meta, n);
                }
            } else {
                let _ = unknown(cx, meta, &FIELD_ATTRS, &CONTAINER_ATTRS, "field");
            }
        });
        out
    }
}
