//! Pure code generation: the `OpenExtension` impl and the typed helpers. Infallible.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Container, Field};

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
fn where_clause(cont: &Container<'_>, fields: &[Field<'_>], krate: &syn::Path) -> TokenStream {
    let params: Vec<&syn::Ident> = cont
        .original
        .generics
        .type_params()
        .map(|p| &p.ident)
        .collect();
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
        .filter(|f| f.is_property() && mentions_type_param(f.ty, &params))
        .map(|f| {
            let ty = f.ty;
            quote_spanned!(ty.span()=> #ty: #krate::__private::Property,)
        });
    quote!(where #existing #(#bounds)*)
}

pub(crate) fn expand(cont: &Container<'_>, fields: &[Field<'_>]) -> TokenStream {
    let krate = krate(cont);
    let ident = cont.ident;
    let (impl_g, ty_g, _) = cont.original.generics.split_for_impl();
    let where_clause = where_clause(cont, fields, &krate);
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
        .filter(|f| f.attrs.skip.get().is_none())
        .map(|f| {
            let member = f.ident;
            let wire = &f.wire_name;
            if f.attrs.other.get().is_some() {
                quote_spanned!(f.ty.span()=> __w.properties(&self.#member)?;)
            } else {
                let ty = f.ty;
            quote_spanned!(ty.span()=> #krate::__private::write_field::<#ty, __S>(__w, #wire, &self.#member)?;)
            }
        });
    let reads = fields.iter().map(|f| {
        let member = f.ident;
        let wire = &f.wire_name;
        let ty = f.ty;
        if f.attrs.skip.get().is_some() {
            quote_spanned!(ty.span()=> #member: <#ty as ::core::default::Default>::default())
        } else if f.attrs.other.get().is_some() {
            quote_spanned!(ty.span()=> #member: #krate::__private::undeclared(__p, &[#(#declared),*]))
        } else if f.attrs.default.get().is_some() {
            quote_spanned!(ty.span()=> #member: #krate::__private::read_field_or_default::<#ty>(__p, #wire)?)
        } else {
            quote_spanned!(ty.span()=> #member: #krate::__private::read_field::<#ty>(__p, #wire)?)
        }
    });

    let trait_impl = quote! {
        #[automatically_derived]
        impl #impl_g #krate::OpenExtension for #ident #ty_g #where_clause {
            const NAME: #krate::ExtensionName =
                #krate::ExtensionName::from_static_with_policy(#name, #policy);

            const KEEPS_UNDECLARED: bool = #keeps;

            fn write_properties<__S: #krate::json::Sink + ?::core::marker::Sized>(
                &self,
                __w: &mut #krate::PropertyWriter<'_, __S>,
            ) -> ::core::result::Result<(), #krate::Error> {
                #(#writes)*
                ::core::result::Result::Ok(())
            }

            fn from_properties(
                __p: &#krate::Properties,
            ) -> ::core::result::Result<Self, #krate::Error> {
                ::core::result::Result::Ok(Self { #(#reads,)* })
            }
        }
    };
    let helpers = helpers(cont, &krate);
    quote!(#trait_impl #helpers)
}

/// `get`, `create`, `patch`, `update`, `delete` as inherent functions, delegating to core.
pub(crate) fn helpers(cont: &Container<'_>, krate: &syn::Path) -> TokenStream {
    let ident = cont.ident;
    let (impl_g, ty_g, where_clause) = cont.original.generics.split_for_impl();
    let existing = where_clause.map(|w| {
        let p = w.predicates.iter();
        quote!(#(#p,)*)
    });
    quote! {
        #[automatically_derived]
        #[allow(dead_code)]
        impl #impl_g #ident #ty_g where #existing Self: #krate::OpenExtension {
            /// Reads this extension from `resource`; `None` if the resource has none.
            pub async fn get<__C, __R>(
                client: &__C,
                resource: &__R,
            ) -> ::core::result::Result<::core::option::Option<Self>, #krate::Error>
            where
                __C: #krate::ops::Transport + ?::core::marker::Sized,
                __R: ::core::convert::AsRef<#krate::Resource> + ?::core::marker::Sized,
            {
                #krate::ops::get::<Self, __C, __R>(client, resource).await
            }

            /// Creates this extension on `resource` (refused before sending if too large) and
            /// returns what Graph stored.
            pub async fn create<__C, __R>(
                &self,
                client: &__C,
                resource: &__R,
            ) -> ::core::result::Result<#krate::ExtensionObject, #krate::Error>
            where
                __C: #krate::ops::Transport + ?::core::marker::Sized,
                __R: ::core::convert::AsRef<#krate::Resource> + ?::core::marker::Sized,
            {
                #krate::ops::create(client, resource, self).await
            }

            /// Replaces the stored extension with every property of `self` (`None` as `null`).
            /// Stored properties this type does not declare are deleted; use `update` to keep them.
            pub async fn patch<__C, __R>(
                &self,
                client: &__C,
                resource: &__R,
            ) -> ::core::result::Result<::core::option::Option<#krate::ExtensionObject>, #krate::Error>
            where
                __C: #krate::ops::Transport + ?::core::marker::Sized,
                __R: ::core::convert::AsRef<#krate::Resource> + ?::core::marker::Sized,
            {
                #krate::ops::patch(client, resource, self).await
            }

            /// Reads, applies `change`, and writes back with every property the server had,
            /// including those this type does not declare. Returns the value written.
            pub async fn update<__C, __R, __F>(
                client: &__C,
                resource: &__R,
                change: __F,
            ) -> ::core::result::Result<Self, #krate::Error>
            where
                __C: #krate::ops::Transport + ?::core::marker::Sized,
                __R: ::core::convert::AsRef<#krate::Resource> + ?::core::marker::Sized,
                __F: ::core::ops::FnOnce(&mut Self),
            {
                #krate::ops::update::<Self, __C, __R, __F>(client, resource, change).await
            }

            /// Deletes this extension from `resource`: `true` if deleted, `false` if absent.
            pub async fn delete<__C, __R>(
                client: &__C,
                resource: &__R,
            ) -> ::core::result::Result<bool, #krate::Error>
            where
                __C: #krate::ops::Transport + ?::core::marker::Sized,
                __R: ::core::convert::AsRef<#krate::Resource> + ?::core::marker::Sized,
            {
                #krate::ops::delete::<Self, __C, __R>(client, resource).await
            }
        }
    }
}
