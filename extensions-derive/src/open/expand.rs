//! Pure code generation: the `OpenExtension` impl. Infallible. The typed calls come from
//! core's `OpenExtensionExt` trait, never from inherent methods, so a user's own methods never
//! clash with them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::{Container, Field};

pub(crate) fn krate(cont: &Container<'_>) -> syn::Path {
    cont.attrs
        .krate
        .get()
        .cloned()
        .unwrap_or_else(|| syn::parse_quote!(::extensions_core))
}

/// Whether `ty` mentions one of the struct's type parameters.
fn mentions_type_param(ty: &syn::Type, params: &[&syn::Ident]) -> bool {
    fn walk(tokens: proc_macro2::TokenStream, params: &[&syn::Ident]) -> bool {
        tokens.into_iter().any(|t| match t {
            proc_macro2::TokenTree::Ident(i) => params.iter().any(|p| **p == i),
            proc_macro2::TokenTree::Group(g) => walk(g.stream(), params),
            _ => false,
        })
    }
    !params.is_empty() && walk(quote!(#ty), params)
}

/// The where clause of the input plus `FieldType: Property` for every stored field whose type
/// mentions a type parameter. Concrete field types get no bound: their reads and writes below
/// require `Property` at the field's own span, so an unsupported type is reported once, there.
fn where_clause(
    cont: &Container<'_>,
    fields: &[Field<'_>],
    params: &[&syn::Ident],
    krate: &syn::Path,
) -> TokenStream {
    let existing = cont
        .original
        .generics
        .where_clause
        .as_ref()
        .map(|w| {
            let p = w.predicates.iter();
            quote!(#(#p,)*)
        })
        .unwrap_or_default();
    let bounds = fields
        .iter()
        .filter(|f| f.is_property() && mentions_type_param(f.ty, params))
        .map(|f| {
            let ty = f.ty;
            quote_spanned!(ty.span()=> #ty: #krate::__private::Property,)
        });
    quote!(where #existing #(#bounds)*)
}

/// `,"name":` with the name escaped as JSON does (`"` and `\`; the name rules refuse control
/// characters, and JSON leaves everything else as is), so the writer copies it whole.
fn json_key(wire: &str) -> String {
    let mut key = String::with_capacity(wire.len() + 4);
    key.push_str(",\"");
    for c in wire.chars() {
        match c {
            '"' => key.push_str("\\\""),
            '\\' => key.push_str("\\\\"),
            c => key.push(c),
        }
    }
    key.push_str("\":");
    key
}

/// `tokens` with every span set to `span`.
fn respan(tokens: TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut t| {
            if let proc_macro2::TokenTree::Group(g) = &t {
                let mut group = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                t = proc_macro2::TokenTree::Group(group);
            }
            t.set_span(span);
            t
        })
        .collect()
}

/// The second note of an unsupported field type: what to do with this kind of type. The
/// derive sees only the type's path, so a std scalar is recognised by its name; anything else
/// is taken for a struct or enum of the user's.
fn type_note(cont: &Container<'_>, ty: &syn::Type) -> String {
    let last = match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            p.path.segments.last().map(|s| s.ident.to_string())
        }
        _ => None,
    };
    match last.as_deref() {
        Some("u128" | "i128") => "a 128-bit integer does not fit Graph's numbers, which are exact only up to 2^53: keep it as text in a String field, or use u64/i64 with `#[extension(as_string)]`".to_owned(),
        Some("char") => "keep a character in a String field".to_owned(),
        _ => format!(
            "an open extension is one flat object of such values: the parts of a nested struct become fields of `{}`, each a property of its own (or keep the whole value as text in a String field)",
            cont.ident
        ),
    }
}

/// The per-field check trait of a plain field with a concrete type: implemented for every
/// `FromPropertyValue` type (one bound), named after the field, so an unsupported type is one
/// error that names the field and says what to do. The field's reads and writes go through it.
fn field_check(
    cont: &Container<'_>,
    f: &Field<'_>,
    krate: &syn::Path,
) -> (syn::Ident, TokenStream) {
    let name = syn::ext::IdentExt::unraw(f.ident).to_string();
    let ty = f.ty;
    // Spanned at the field's type, not at the derive, so rustc's note about the blanket impl
    // does not claim the derive added a bound on a type parameter.
    let tr = format_ident!("__OpenExtensionField_{}", name, span = ty.span());
    let message =
        format!("field `{name}` has type `{{Self}}`, which an open extension cannot store");
    let note = type_note(cont, ty);
    // The bound too, so rustc's "required for" note points at the field alone.
    let bound = respan(quote!(#krate::FromPropertyValue), ty.span());
    let def = quote_spanned! {ty.span()=>
        #[diagnostic::on_unimplemented(
            message = #message,
            label = "not storable in an open extension",
            note = "Graph stores only strings, numbers, booleans, null and arrays of those: use String, bool, i8 to i64, u8 to u64, f32, f64, or an Option or a Vec of one (usize and isize are refused because their width depends on the platform: use u64 or i64; date-times and UUIDs come with the features extensions-core/time, extensions-core/chrono and extensions-core/uuid)",
            note = #note
        )]
        #[allow(non_camel_case_types)]
        #[doc(hidden)]
        trait #tr: ::core::marker::Sized {
            fn __write(
                &self,
                w: &mut #krate::PropertyWriter<'_>,
                key: &'static str,
                name: &'static str,
            ) -> ::core::result::Result<(), #krate::Error>;
            fn __decode<'de, __A: #krate::__private::serde::de::MapAccess<'de>>(
                cx: &mut #krate::__private::DecodeCx,
                map: &mut __A,
                name: &'static str,
                slot: &mut ::core::option::Option<Self>,
            ) -> ::core::result::Result<(), __A::Error>;
            fn __finish<__E: #krate::__private::serde::de::Error>(
                cx: &mut #krate::__private::DecodeCx,
                slot: ::core::option::Option<Self>,
                name: &'static str,
            ) -> ::core::result::Result<Self, __E>;
            #[inline]
            fn __finish_or_default(slot: ::core::option::Option<Self>) -> Self
            where
                Self: ::core::default::Default,
            {
                ::core::option::Option::unwrap_or_default(slot)
            }
        }
        impl<__T: #bound> #tr for __T {
            #[inline]
            fn __write(
                &self,
                w: &mut #krate::PropertyWriter<'_>,
                key: &'static str,
                name: &'static str,
            ) -> ::core::result::Result<(), #krate::Error> {
                #krate::__private::FieldOps::write_field(self, w, key, name)
            }
            #[inline]
            fn __decode<'de, __A: #krate::__private::serde::de::MapAccess<'de>>(
                cx: &mut #krate::__private::DecodeCx,
                map: &mut __A,
                name: &'static str,
                slot: &mut ::core::option::Option<Self>,
            ) -> ::core::result::Result<(), __A::Error> {
                <__T as #krate::__private::FieldOps>::decode_field(cx, map, name, slot)
            }
            #[inline]
            fn __finish<__E: #krate::__private::serde::de::Error>(
                cx: &mut #krate::__private::DecodeCx,
                slot: ::core::option::Option<Self>,
                name: &'static str,
            ) -> ::core::result::Result<Self, __E> {
                <__T as #krate::__private::FieldOps>::finish(cx, slot, name)
            }
        }
    };
    (tr, def)
}

pub(crate) fn expand(cont: &Container<'_>, fields: &[Field<'_>]) -> TokenStream {
    let krate = krate(cont);
    let ident = cont.ident;
    let params: Vec<&syn::Ident> = cont
        .original
        .generics
        .type_params()
        .map(|p| &p.ident)
        .collect();
    // Plain fields with concrete types get a check trait each; the others (generic, as_string,
    // skip, the catch-all) keep the shared helpers and the where clause.
    let checks: Vec<Option<(syn::Ident, TokenStream)>> = fields
        .iter()
        .map(|f| {
            (f.is_property()
                && f.attrs.as_string.get().is_none()
                && !mentions_type_param(f.ty, &params))
            .then(|| field_check(cont, f, &krate))
        })
        .collect();
    let check_defs = checks.iter().flatten().map(|(_, def)| def);
    let where_clause = where_clause(cont, fields, &params, &krate);
    let (impl_g, ty_g, _) = cont.original.generics.split_for_impl();

    let name = cont
        .attrs
        .name
        .get()
        .map(syn::LitStr::value)
        .unwrap_or_default();
    let policy = if cont.attrs.allow_unqualified_name.get().is_some() {
        quote!(#krate::NamePolicy::AllowUnqualified)
    } else {
        quote!(#krate::NamePolicy::ReverseDns)
    };
    let keeps = fields.iter().any(|f| f.attrs.other.get().is_some());
    let declared: Vec<&str> = fields
        .iter()
        .filter(|f| f.is_property())
        .map(|f| f.wire_name.as_str())
        .collect();

    let writes = fields
        .iter()
        .zip(&checks)
        .filter(|(f, _)| f.attrs.skip.get().is_none())
        .map(|(f, check)| {
            let member = f.ident;
            let wire = &f.wire_name;
            let bounds = super::bound::check(f, &krate);
            let write = if let Some((tr, _)) = check {
                let ty = f.ty;
                let key = json_key(wire);
                quote_spanned!(ty.span()=> <#ty as #tr>::__write(&self.#member, __w, #key, #wire)?;)
            } else if f.attrs.other.get().is_some() {
                quote_spanned!(f.ty.span()=> #krate::__private::write_undeclared(__w, &self.#member, &[#(#declared),*])?;)
            } else {
                let ty = f.ty;
                let key = json_key(wire);
                if f.attrs.as_string.get().is_some() {
                    quote_spanned!(ty.span()=> #krate::__private::write_field::<#krate::__private::AsStringRef<'_, #ty>>(__w, #key, #wire, &#krate::__private::AsStringRef(&self.#member))?;)
                } else {
                    quote_spanned!(ty.span()=> #krate::__private::write_field::<#ty>(__w, #key, #wire, &self.#member)?;)
                }
            };
            quote!(#bounds #write)
        });
    // The reader straight from the bytes: one slot per declared field, filled by wire name.
    let slots: Vec<syn::Ident> = (0..fields.len())
        .map(|i| format_ident!("__f{}", i))
        .collect();
    // A field stored as a string (`as_string`) is read through the `AsString` wrapper.
    let slot_ty = |f: &Field<'_>| {
        let ty = f.ty;
        if f.attrs.as_string.get().is_some() {
            quote_spanned!(ty.span()=> #krate::__private::AsString<#ty>)
        } else {
            quote_spanned!(ty.span()=> #ty)
        }
    };
    let unwrap = |f: &Field<'_>| f.attrs.as_string.get().is_some().then(|| quote!(.0));
    let slot_decls = fields.iter().zip(&slots).filter(|(f, _)| f.is_property()).map(|(f, slot)| {
        let ty = slot_ty(f);
        quote_spanned!(f.ty.span()=> let mut #slot: ::core::option::Option<#ty> = ::core::option::Option::None;)
    });
    let arms = fields.iter().zip(&slots).zip(&checks).filter(|((f, _), _)| f.is_property()).map(|((f, slot), check)| {
        let ty = slot_ty(f);
        let wire = &f.wire_name;
        // Keys are compared as bytes (no UTF-8 check of each key read).
        let pat = proc_macro2::Literal::byte_string(wire.as_bytes());
        if let Some((tr, _)) = check {
            quote_spanned!(f.ty.span()=> #pat => <#ty as #tr>::__decode::<__A>(__cx, &mut __map, #wire, &mut #slot)?,)
        } else {
            quote_spanned!(f.ty.span()=> #pat => #krate::__private::decode_field::<#ty, __A>(__cx, &mut __map, #wire, &mut #slot)?,)
        }
    });
    let inits = fields.iter().zip(&slots).zip(&checks).map(|((f, slot), check)| {
        let member = f.ident;
        let wire = &f.wire_name;
        let ty = f.ty;
        if let Some((tr, _)) = check {
            if f.attrs.default.get().is_some() {
                quote_spanned!(ty.span()=> #member: <#ty as #tr>::__finish_or_default(#slot))
            } else {
                quote_spanned!(ty.span()=> #member: <#ty as #tr>::__finish::<__A::Error>(__cx, #slot, #wire)?)
            }
        } else if f.attrs.skip.get().is_some() {
            quote_spanned!(ty.span()=> #member: <#ty as ::core::default::Default>::default())
        } else if f.attrs.other.get().is_some() {
            quote_spanned!(ty.span()=> #member: __cx.take_undeclared())
        } else if f.attrs.default.get().is_some() {
            let (sty, un) = (slot_ty(f), unwrap(f));
            quote_spanned!(ty.span()=> #member: #krate::__private::DecodeCx::finish_or_default::<#sty>(#slot) #un)
        } else {
            let (sty, un) = (slot_ty(f), unwrap(f));
            quote_spanned!(ty.span()=> #member: __cx.finish::<#sty, __A::Error>(#slot, #wire)? #un)
        }
    });
    let keep = keeps.then(|| quote!(__cx.keep_undeclared();));

    let trait_impl = quote! {
        #(#check_defs)*

        #[automatically_derived]
        impl #impl_g #krate::OpenExtension for #ident #ty_g #where_clause {
            const NAME: #krate::ExtensionName =
                #krate::ExtensionName::from_static_with_policy(#name, #policy);

            const KEEPS_UNDECLARED: bool = #keeps;

            fn write_properties(
                &self,
                __w: &mut #krate::PropertyWriter<'_>,
            ) -> ::core::result::Result<(), #krate::Error> {
                #(#writes)*
                ::core::result::Result::Ok(())
            }

            fn from_properties(
                __p: &#krate::Properties,
            ) -> ::core::result::Result<Self, #krate::Error> {
                #krate::__private::from_properties::<Self>(__p)
            }

            fn __decode<'de, __A: #krate::__private::serde::de::MapAccess<'de>>(
                mut __map: __A,
                __cx: &mut #krate::__private::DecodeCx,
            ) -> ::core::result::Result<Self, __A::Error> {
                #keep
                #(#slot_decls)*
                while let ::core::option::Option::Some(__k) =
                    #krate::__private::serde::de::MapAccess::next_key::<#krate::__private::Key<'de>>(&mut __map)?
                {
                    match __k.0.as_bytes() {
                        #(#arms)*
                        _ => __cx.other(&__k.0, &mut __map)?,
                    }
                }
                ::core::result::Result::Ok(Self { #(#inits,)* })
            }
        }
    };
    let max_size = super::bound::expand(cont, fields, &krate, &name, json_key);
    if checks.iter().any(Option::is_some) {
        // The check traits are private to this impl.
        quote!(const _: () = { #trait_impl }; #max_size)
    } else {
        quote!(#trait_impl #max_size)
    }
}
