//! `#[derive(ExtensionAttributes)]`: fields `Option<String>`, each `#[attribute(N)]` with
//! `N` in 1..=15 and each number once; the same stages as the other derives.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{DeriveInput, Ident, Type};

use crate::attr::{Attr, Symbol, named_fields, path_value};
use crate::ctxt::Ctxt;
use extensions_rules::directory::check_attribute_number;

const CRATE: Symbol = Symbol("crate");

struct Field<'a> {
    ident: &'a Ident,
    number: Option<(u8, Span)>,
}

/// Whether `ty` is written `Option<String>`.
fn is_option_string(ty: &Type) -> bool {
    let Type::Path(p) = ty else { return false };
    let Some(seg) = p.path.segments.last() else {
        return false;
    };
    if seg.ident != "Option" {
        return false;
    }
    match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) if a.args.len() == 1 => matches!(
            a.args.first(),
            Some(syn::GenericArgument::Type(Type::Path(inner)))
                if inner.path.segments.last().is_some_and(|s| s.ident == "String" && s.arguments.is_none())
        ),
        _ => false,
    }
}

/// `#[attribute(13)]`: the number, checked.
fn number(cx: &Ctxt, attr: &syn::Attribute) -> Option<(u8, Span)> {
    let lit = match attr.parse_args::<syn::LitInt>() {
        Ok(l) => l,
        Err(_) => {
            cx.error_spanned_by(
                attr,
                "expected `#[attribute(N)]`, the attribute's number from 1 to 15 (extensionAttributeN)",
            );
            return None;
        }
    };
    match lit.base10_parse::<u8>() {
        Ok(n) if check_attribute_number(n).is_ok() => Some((n, lit.span())),
        _ => {
            cx.error_spanned_by(
                &lit,
                format!(
                    "extensionAttribute{}: extension attributes are numbered 1 to 15",
                    lit.base10_digits()
                ),
            );
            None
        }
    }
}

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let mut krate = Attr::none(CRATE);
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("attributes"))
    {
        if let Err(e) = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(CRATE.0) {
                if let Some(path) = path_value(&cx, &meta, CRATE) {
                    krate.set(&cx, &meta, path);
                }
            } else {
                let _ = crate::attr::report_unknown(
                    &cx,
                    &meta,
                    "attributes",
                    &[CRATE],
                    &[],
                    "container",
                );
            }
            Ok(())
        }) {
            cx.syn_error(e);
        }
    }
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "`#[derive(ExtensionAttributes)]` does not take generic parameters: every field is an Option<String>",
        );
    }
    let needs = "`#[derive(ExtensionAttributes)]` needs a struct with named fields, each an `Option<String>` marked `#[attribute(N)]`";
    let mut fields = Vec::new();
    for f in named_fields(&cx, input, needs, "a unit struct has no attributes") {
        let Some(ident) = f.ident.as_ref() else {
            continue;
        };
        let marks: Vec<_> = f
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("attribute"))
            .collect();
        let number = match marks.as_slice() {
            [] => {
                cx.error_spanned_by(
                    ident,
                    format!("field `{ident}` needs `#[attribute(N)]`: which of extensionAttribute1 … extensionAttribute15 it is"),
                );
                None
            }
            [one] => number(&cx, one),
            [_, second, ..] => {
                cx.error_spanned_by(
                    second,
                    format!("field `{ident}` has more than one `#[attribute(N)]`"),
                );
                None
            }
        };
        if !is_option_string(&f.ty) {
            cx.error_spanned_by(
                &f.ty,
                format!("field `{ident}`: an extension attribute is text of at most 1,024 characters, unset or set: use `Option<String>`"),
            );
        }
        fields.push(Field { ident, number });
    }
    let mut seen: Vec<u8> = Vec::new();
    for f in &fields {
        if let Some((n, span)) = f.number {
            if seen.contains(&n) {
                cx.syn_error(syn::Error::new(
                    span,
                    format!("extensionAttribute{n} is already a field: each attribute once"),
                ));
            }
            seen.push(n);
        }
    }
    let krate = krate
        .get()
        .cloned()
        .unwrap_or_else(|| syn::parse_quote!(::extensions_core));
    let a = quote!(#krate::attributes);
    let ident = &input.ident;
    if let Err(errors) = cx.check() {
        let errors = errors.to_compile_error();
        return quote! {
            #errors

            #[automatically_derived]
            impl #a::ExtensionAttributes for #ident {
                const NUMBERS: &'static [u8] = &[];
                fn to_attributes(&self) -> ::core::result::Result<#a::Attributes, #krate::Error> {
                    ::core::unreachable!("#[derive(ExtensionAttributes)] failed; see the compile errors")
                }
                fn from_attributes(_: &#a::Attributes) -> Self {
                    ::core::unreachable!("#[derive(ExtensionAttributes)] failed; see the compile errors")
                }
            }
        };
    }
    let idents: Vec<_> = fields.iter().map(|f| f.ident).collect();
    let numbers: Vec<u8> = fields
        .iter()
        .filter_map(|f| f.number.map(|n| n.0))
        .collect();
    quote! {
        #[automatically_derived]
        impl #a::ExtensionAttributes for #ident {
            const NUMBERS: &'static [u8] = &[#(#numbers),*];

            fn to_attributes(&self) -> ::core::result::Result<#a::Attributes, #krate::Error> {
                let mut a = #a::Attributes::new();
                #(a.set(#numbers, ::core::option::Option::as_deref(&self.#idents))?;)*
                ::core::result::Result::Ok(a)
            }

            fn from_attributes(a: &#a::Attributes) -> Self {
                #ident {
                    #(#idents: a.get(#numbers).map(::std::borrow::ToOwned::to_owned),)*
                }
            }
        }
    }
}
