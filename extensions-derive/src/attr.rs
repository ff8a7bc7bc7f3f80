//! What every derive's attributes share: a value set at most once ([`Attr`]), attribute names
//! ([`Symbol`]), the rename rules, the readers of literal values, and the reporter of an unknown
//! attribute (with the nearest known name). Errors go to the context, not `?`, so every
//! mistake is reported at once. Each derive's own attributes are in its room
//! (`open::attr`, `schema`).

use proc_macro2::Span;
use syn::LitStr;
use syn::meta::ParseNestedMeta;

use crate::ctxt::Ctxt;

#[derive(Copy, Clone)]
pub(crate) struct Symbol(pub(crate) &'static str);

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

/// `attr = N`, a non-negative integer literal that fits a `usize`.
pub(crate) fn usize_value(cx: &Ctxt, meta: &ParseNestedMeta<'_>, attr: Symbol) -> Option<usize> {
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

/// `crate = "path::to::extensions_core"`: the path, or an error at the literal.
pub(crate) fn path_value(cx: &Ctxt, meta: &ParseNestedMeta<'_>, attr: Symbol) -> Option<syn::Path> {
    let s = string_value(cx, meta, attr)?;
    match s.parse::<syn::Path>() {
        Ok(path) => Some(path),
        Err(_) => {
            cx.error_spanned_by(&s, format!("`{}` is not a path", s.value()));
            None
        }
    }
}

/// `rename_all = "camelCase"`: the rule, or an error listing the rules.
pub(crate) fn rename_rule_value(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    attr: Symbol,
) -> Option<RenameRule> {
    let s = string_value(cx, meta, attr)?;
    match RENAME_RULES.iter().find(|(n, _)| *n == s.value()) {
        Some((_, rule)) => Some(*rule),
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
            None
        }
    }
}

/// `targets(A, B, …)`: each name read by `from_name`, each once (an error for an unknown name,
/// said by `not_one`, and for a repeat). The names, and whether the list named any (`targets()`
/// names none).
pub(crate) fn name_list<T: Copy + PartialEq>(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    from_name: impl Fn(&str) -> Option<T>,
    not_one: impl Fn(&str) -> String,
) -> (Vec<(T, Span)>, bool) {
    let mut out: Vec<(T, Span)> = Vec::new();
    let mut named = false;
    let r = meta.parse_nested_meta(|t| {
        named = true;
        let name = t
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        let span = syn::spanned::Spanned::span(&t.path);
        match from_name(&name) {
            Some(v) if out.iter().any(|(x, _)| *x == v) => {
                cx.error_spanned_by(&t.path, format!("the target `{name}` appears twice"));
            }
            Some(v) => out.push((v, span)),
            None => cx.error_spanned_by(&t.path, not_one(&name)),
        }
        Ok(())
    });
    match r {
        // `targets()`: syn finds no nested attribute to read.
        Err(_) | Ok(()) if !named => {}
        Err(e) => cx.syn_error(e),
        Ok(()) => {}
    }
    (out, named)
}

/// The named fields of a struct; for any other item, an error at its name saying what the derive
/// `needs` and why this is not it (`unit`: what a unit struct lacks), and no fields.
pub(crate) fn named_fields<'a>(
    cx: &Ctxt,
    input: &'a syn::DeriveInput,
    needs: &str,
    unit: &str,
) -> Vec<&'a syn::Field> {
    let why = match &input.data {
        syn::Data::Struct(s) => match &s.fields {
            syn::Fields::Named(named) => return named.named.iter().collect(),
            syn::Fields::Unnamed(_) => "tuple structs are not supported: name the fields",
            syn::Fields::Unit => unit,
        },
        _ => "enums and unions are not supported",
    };
    cx.error_spanned_by(&input.ident, format!("{needs}; {why}"));
    Vec::new()
}

/// A field's wire name and where to point at it: its `rename`, or its identifier (without
/// `r#`) through the container's rule.
pub(crate) fn wire_name(
    ident: &syn::Ident,
    rename: &Attr<LitStr>,
    rule: RenameRule,
) -> (String, Span) {
    match rename.get() {
        Some(lit) => (lit.value(), lit.span()),
        None => {
            let raw = ident.to_string();
            let raw = raw.strip_prefix("r#").unwrap_or(&raw);
            (rule.apply(raw), ident.span())
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
pub(crate) fn unknown(
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

pub(crate) fn flag(cx: &Ctxt, meta: &ParseNestedMeta<'_>, attr: &mut Attr<()>) {
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(&meta.path, format!("`{}` takes no value", attr.name.0));
        if let Ok(v) = meta.value() {
            let _ = v.parse::<syn::Expr>();
        }
        return;
    }
    attr.set(cx, meta, ());
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
