//! Rules that compare attributes with each other and with Graph's rules. Name rules come from
//! `extensions-rules`, the same functions `extensions-core` runs.

use extensions_rules::name::{NameError, NamePolicy, validate_name};
use extensions_rules::property::validate_property_name;
use syn::{GenericArgument, PathArguments, Type};

use super::ast::Container;
use crate::ctxt::Ctxt;

pub(crate) fn check(cx: &Ctxt, cont: &Container<'_>) {
    check_name(cx, cont);
    if let Some(span) = cont.attrs.fits.span()
        && cont.original.generics.type_params().next().is_some()
    {
        cx.syn_error(syn::Error::new(
            span,
            format!(
                "`fits` needs a struct without type parameters; assert `{}::<...>::MAX_SIZE <= 2048` for the types you use instead",
                cont.ident
            ),
        ));
    }
    if let Some(fields) = &cont.fields {
        check_fields(cx, fields);
    }
}

fn check_name(cx: &Ctxt, cont: &Container<'_>) {
    let Some(lit) = cont.attrs.name.get() else {
        if cont.fields.is_some() && !cont.attrs.name_given {
            cx.error_spanned_by(
                cont.ident,
                "missing `#[extension(name = \"...\")]`: an open extension needs a fixed reverse-DNS name such as `com.contoso.Referral`",
            );
        }
        return;
    };
    let name = lit.value();
    let policy = if cont.attrs.allow_unqualified_name.get().is_some() {
        NamePolicy::AllowUnqualified
    } else {
        NamePolicy::ReverseDns
    };
    let message = match validate_name(&name, policy) {
        Ok(()) => return,
        Err(NameError::Empty) => "extension name must not be empty: use a reverse-DNS name such as `com.contoso.Referral`".to_owned(),
        Err(NameError::InvalidCharacter { ch, .. }) => format!(
            "invalid character {ch:?} in extension name {name:?}: only ASCII letters, digits, `-`, `.`, `_` and `~` are allowed"
        ),
        Err(NameError::EmptyLabel) => format!(
            "extension name {name:?} has an empty label: remove the leading, trailing or doubled dot"
        ),
        Err(NameError::MicrosoftDomain) => format!(
            "extension names in the Microsoft domain are reserved: {name:?}; use your own domain, such as `com.contoso.{}`",
            name.rsplit('.')
                .next()
                .filter(|l| !["microsoft", "onmicrosoft", "com"].contains(&l.to_ascii_lowercase().as_str()))
                .unwrap_or("Name")
        ),
        Err(NameError::NotReverseDns) => format!(
            "extension name {name:?} is not reverse-DNS: use a name such as `com.contoso.{name}`, or add `allow_unqualified_name` to read an existing short name"
        ),
    };
    cx.error_spanned_by(lit, message);
}

fn check_fields(cx: &Ctxt, fields: &[super::ast::Field<'_>]) {
    let mut seen_other: Option<&syn::Ident> = None;
    for (i, f) in fields.iter().enumerate() {
        let a = &f.attrs;
        // Conflicting attributes on one field.
        let conflicts = [
            (a.skip.span(), a.rename.span(), "skip", "rename"),
            (a.skip.span(), a.default.span(), "skip", "default"),
            (a.skip.span(), a.other.span(), "skip", "other"),
            (a.other.span(), a.rename.span(), "other", "rename"),
            (a.other.span(), a.default.span(), "other", "default"),
            (a.skip.span(), a.as_string.span(), "skip", "as_string"),
            (a.other.span(), a.as_string.span(), "other", "as_string"),
            (a.skip.span(), a.max_len.span(), "skip", "max_len"),
            (a.skip.span(), a.max_items.span(), "skip", "max_items"),
            (a.other.span(), a.max_len.span(), "other", "max_len"),
            (a.other.span(), a.max_items.span(), "other", "max_items"),
            (a.as_string.span(), a.max_len.span(), "as_string", "max_len"),
            (
                a.as_string.span(),
                a.max_items.span(),
                "as_string",
                "max_items",
            ),
        ];
        for (x, y, xn, yn) in conflicts {
            if let (Some(_), Some(span)) = (x, y) {
                cx.syn_error(syn::Error::new(
                    span,
                    format!("`{xn}` and `{yn}` cannot be used on the same field"),
                ));
            }
        }
        if a.other.get().is_some() {
            let is_properties = matches!(f.ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Properties" && s.arguments.is_empty()));
            if !is_properties {
                cx.error_spanned_by(
                    f.ty,
                    format!("the `#[extension(other)]` field `{}` must have type `extensions_core::Properties`", f.ident),
                );
            }
            if let Some(first) = seen_other {
                cx.error_spanned_by(
                    f.ident,
                    format!(
                        "only one `#[extension(other)]` field is allowed; `{first}` already keeps the undeclared properties"
                    ),
                );
            } else {
                seen_other = Some(f.ident);
            }
        }
        if !f.is_property() {
            continue;
        }
        // The wire name itself.
        if let Err(reason) = validate_property_name(&f.wire_name) {
            let at: &dyn quote::ToTokens = match a.rename.get() {
                Some(lit) => lit,
                None => f.ident,
            };
            cx.error_spanned_by(
                at,
                format!("field `{}` has the wire name {:?}, which is refused: {reason}; rename it with `#[extension(rename = \"...\")]`", f.ident, f.wire_name),
            );
        }
        // Two fields with the same wire name.
        if let Some(prev) = fields[..i]
            .iter()
            .filter(|p| p.is_property())
            .find(|p| p.wire_name.eq_ignore_ascii_case(&f.wire_name))
        {
            let at: &dyn quote::ToTokens = match a.rename.get() {
                Some(lit) => lit,
                None => f.ident,
            };
            cx.error_spanned_by(
                at,
                format!(
                    "fields `{}` and `{}` have the same wire name {:?} (compared without regard to letter case); rename one with `#[extension(rename = \"...\")]`",
                    prev.ident, f.ident, f.wire_name
                ),
            );
        }
        check_type(cx, f.ident, f.ty);
    }
}

/// What the macro can see in a type: tuples, maps by name, nested arrays and `Option<Option>`.
/// Other types (a struct, say) are refused by the trait bounds, with their own message.
fn check_type(cx: &Ctxt, field: &syn::Ident, ty: &Type) {
    let rule = "an open extension property must be a primitive or an array of primitives";
    match ty {
        Type::Tuple(t) if !t.elems.is_empty() => {
            cx.error_spanned_by(
                ty,
                format!("field `{field}` is a tuple, but {rule}; use one field per value"),
            );
        }
        Type::Path(p) => {
            let Some(last) = p.path.segments.last() else {
                return;
            };
            let name = last.ident.to_string();
            if ["HashMap", "BTreeMap", "IndexMap", "Map"].contains(&name.as_str()) {
                cx.error_spanned_by(
                    ty,
                    format!("field `{field}` is a map, but {rule}; keep undeclared properties in one `#[extension(other)]` field of type `Properties`"),
                );
                return;
            }
            let inner = first_type_arg(&last.arguments);
            let is = |t: Option<&Type>, names: &[&str]| matches!(t, Some(Type::Path(p)) if p.path.segments.last().is_some_and(|s| names.contains(&s.ident.to_string().as_str())));
            if name == "Vec"
                && (is(inner, &["Vec", "VecDeque"])
                    || matches!(inner, Some(Type::Array(_) | Type::Slice(_))))
            {
                cx.error_spanned_by(ty, format!("field `{field}` is a nested array, but {rule}; nested arrays are not allowed"));
            } else if name == "Option" && is(inner, &["Option"]) {
                cx.error_spanned_by(
                    ty,
                    format!("field `{field}` is `Option<Option<_>>`, but `Some(None)` and `None` would both be stored as null; use one `Option`"),
                );
            }
        }
        _ => {}
    }
}

fn first_type_arg(args: &PathArguments) -> Option<&Type> {
    match args {
        PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}
