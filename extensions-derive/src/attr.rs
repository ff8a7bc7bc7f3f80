//! `#[extension(...)]` on the struct and on its fields, parsed with `parse_nested_meta`. Errors go
//! to the context, not `?`, so every mistake is reported at once.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr};

use crate::ctxt::Ctxt;

#[derive(Copy, Clone)]
pub(crate) struct Symbol(pub(crate) &'static str);

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

/// A value set at most once, remembering where.
pub(crate) struct Attr<T> {
    name: Symbol,
    value: Option<(Span, T)>,
}

impl<T> Attr<T> {
    pub(crate) fn none(name: Symbol) -> Self {
        Self { name, value: None }
    }

    pub(crate) fn set(&mut self, cx: &Ctxt, meta: &ParseNestedMeta<'_>, value: T) {
        if self.value.is_some() {
            cx.error_spanned_by(
                &meta.path,
                format!("duplicate extension attribute `{}`", self.name.0),
            );
        } else {
            self.value = Some((span_of(meta), value));
        }
    }

    pub(crate) fn get(&self) -> Option<&T> {
        self.value.as_ref().map(|(_, v)| v)
    }

    pub(crate) fn span(&self) -> Option<Span> {
        self.value.as_ref().map(|(s, _)| *s)
    }
}

fn span_of(meta: &ParseNestedMeta<'_>) -> Span {
    syn::spanned::Spanned::span(&meta.path)
}

/// The case conversion of `rename_all`, as serde applies it to field names.
#[derive(Copy, Clone, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)] // the names are the rules' own names, as in serde
pub(crate) enum RenameRule {
    LowerCase,
    UpperCase,
    PascalCase,
    CamelCase,
    SnakeCase,
    ScreamingSnakeCase,
    KebabCase,
    ScreamingKebabCase,
}

pub(crate) const RENAME_RULES: [(&str, RenameRule); 8] = [
    ("lowercase", RenameRule::LowerCase),
    ("UPPERCASE", RenameRule::UpperCase),
    ("PascalCase", RenameRule::PascalCase),
    ("camelCase", RenameRule::CamelCase),
    ("snake_case", RenameRule::SnakeCase),
    ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnakeCase),
    ("kebab-case", RenameRule::KebabCase),
    ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebabCase),
];

impl RenameRule {
    /// Applies the rule to a Rust field name (snake_case by convention).
    pub(crate) fn apply(self, field: &str) -> String {
        match self {
            RenameRule::LowerCase | RenameRule::SnakeCase => field.to_owned(),
            RenameRule::UpperCase | RenameRule::ScreamingSnakeCase => field.to_ascii_uppercase(),
            RenameRule::PascalCase => {
                let mut out = String::new();
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        out.extend(ch.to_uppercase());
                        capitalize = false;
                    } else {
                        out.push(ch);
                    }
                }
                out
            }
            RenameRule::CamelCase => {
                let pascal = RenameRule::PascalCase.apply(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_lowercase().chain(chars).collect(),
                    None => pascal,
                }
            }
            RenameRule::KebabCase => field.replace('_', "-"),
            RenameRule::ScreamingKebabCase => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

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

/// `attr = N`, a non-negative integer literal that fits a `usize`.
fn usize_value(cx: &Ctxt, meta: &ParseNestedMeta<'_>, attr: Symbol) -> Option<usize> {
    let Ok(value) = meta.value() else {
        cx.error_spanned_by(&meta.path, format!("expected `{} = N`", attr.0));
        return None;
    };
    match value.parse::<syn::Expr>() {
        Ok(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(n),
            ..
        })) => match n.base10_parse::<usize>() {
            Ok(v) => Some(v),
            Err(_) => {
                cx.error_spanned_by(
                    &n,
                    format!("`{}` is a count: a non-negative integer", attr.0),
                );
                None
            }
        },
        Ok(other) => {
            cx.error_spanned_by(
                other,
                format!("expected a non-negative integer literal: `{} = N`", attr.0),
            );
            None
        }
        Err(e) => {
            cx.syn_error(e);
            None
        }
    }
}

pub(crate) fn string_value(cx: &Ctxt, meta: &ParseNestedMeta<'_>, attr: Symbol) -> Option<LitStr> {
    let Ok(value) = meta.value() else {
        cx.error_spanned_by(&meta.path, format!("expected `{} = \"...\"`", attr.0));
        return None;
    };
    match value.parse::<syn::Expr>() {
        Ok(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        })) => Some(s),
        Ok(other) => {
            cx.error_spanned_by(
                other,
                format!("expected a string literal: `{} = \"...\"`", attr.0),
            );
            None
        }
        Err(e) => {
            cx.syn_error(e);
            None
        }
    }
}

/// Levenshtein distance, for "did you mean" hints.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Reports an unknown attribute, with a hint; returns the attribute it probably meant.
fn unknown(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    known: &[Symbol],
    other_level: &[Symbol],
    level: &str,
) -> Option<&'static str> {
    report_unknown(cx, meta, "extension", known, other_level, level)
}

/// Reports an unknown `{kind}` attribute at `level` (container or field): which level it
/// belongs to if it is one of `other_level`, else the nearest of `known`, else the list; skips
/// its value; returns the attribute it probably meant.
pub(crate) fn report_unknown(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    kind: &str,
    known: &[Symbol],
    other_level: &[Symbol],
    level: &str,
) -> Option<&'static str> {
    let path = &meta.path;
    let name = quote::quote!(#path).to_string().replace(' ', "");
    let mut message = format!("unknown {kind} attribute `{name}`");
    let mut meant = None;
    if let Some(s) = other_level.iter().find(|s| s.0 == name) {
        let other = if level == "container" {
            "field"
        } else {
            "container"
        };
        message.push_str(&format!("; `{}` is a {other} attribute", s.0));
    } else if let Some(best) = known
        .iter()
        .map(|s| (distance(&name, s.0), s))
        .filter(|(d, s)| *d <= 2.max(s.0.len() / 3))
        .min_by_key(|(d, _)| *d)
    {
        message.push_str(&format!("; did you mean `{}`?", best.1.0));
        meant = Some(best.1.0);
    } else {
        let list: Vec<String> = known.iter().map(|s| format!("`{}`", s.0)).collect();
        message.push_str(&format!("; {level} attributes are {}", list.join(", ")));
    }
    cx.error_spanned_by(&meta.path, message);
    // Skip a `= value` or `(...)` after an unknown name.
    if meta.input.peek(syn::Token![=]) {
        if let Ok(v) = meta.value() {
            let _ = v.parse::<syn::Expr>();
        }
    } else if meta.input.peek(syn::token::Paren) {
        let _ = meta.parse_nested_meta(|_| Ok(()));
    }
    meant
}

fn flag(cx: &Ctxt, meta: &ParseNestedMeta<'_>, attr: &mut Attr<()>) {
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(&meta.path, format!("`{}` takes no value", attr.name.0));
        if let Ok(v) = meta.value() {
            let _ = v.parse::<syn::Expr>();
        }
        return;
    }
    attr.set(cx, meta, ());
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
                if let Some(s) = string_value(cx, meta, RENAME_ALL) {
                    match RENAME_RULES.iter().find(|(n, _)| *n == s.value()) {
                        Some((_, rule)) => out.rename_all.set(cx, meta, *rule),
                        None => {
                            let list: Vec<String> = RENAME_RULES
                                .iter()
                                .map(|(n, _)| format!("\"{n}\""))
                                .collect();
                            cx.error_spanned_by(
                                &s,
                                format!(
                                    "unknown rename rule `{}`: expected one of {}",
                                    s.value(),
                                    list.join(", ")
                                ),
                            );
                        }
                    }
                }
            } else if p.is_ident(ALLOW_UNQUALIFIED_NAME.0) {
                // allow_unqualified_name
                flag(cx, meta, &mut out.allow_unqualified_name);
            } else if p.is_ident(FITS.0) {
                // fits
                flag(cx, meta, &mut out.fits);
            } else if p.is_ident(CRATE.0) {
                // crate = "path::to::extensions_core"
                if let Some(s) = string_value(cx, meta, CRATE) {
                    match s.parse::<syn::Path>() {
                        Ok(path) => out.krate.set(cx, meta, path),
                        Err(_) => cx.error_spanned_by(&s, format!("`{}` is not a path", s.value())),
                    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_rules() {
        let f = "deal_value_2";
        assert_eq!(RenameRule::CamelCase.apply(f), "dealValue2");
        assert_eq!(RenameRule::PascalCase.apply(f), "DealValue2");
        assert_eq!(RenameRule::SnakeCase.apply(f), "deal_value_2");
        assert_eq!(RenameRule::LowerCase.apply(f), "deal_value_2");
        assert_eq!(RenameRule::UpperCase.apply(f), "DEAL_VALUE_2");
        assert_eq!(RenameRule::ScreamingSnakeCase.apply(f), "DEAL_VALUE_2");
        assert_eq!(RenameRule::KebabCase.apply(f), "deal-value-2");
        assert_eq!(RenameRule::ScreamingKebabCase.apply(f), "DEAL-VALUE-2");
        assert_eq!(RenameRule::CamelCase.apply("x"), "x");
    }

    #[test]
    fn distances() {
        assert_eq!(distance("nmae", "name"), 2);
        assert_eq!(distance("renam", "rename"), 1);
        assert_eq!(distance("", "abc"), 3);
    }
}
