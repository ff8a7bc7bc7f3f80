//! `MAX_SIZE` and `#[extension(fits)]`: each declared property's [`SizeBound`] (its type under
//! the field's `max_len` and `max_items`), added up by `extensions_core` at compile time; and the
//! check of a bounded field's value before it is written.
//!
//! [`SizeBound`]: https://docs.rs/extensions-core/latest/extensions_core/value/trait.SizeBound.html

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::{Container, Field};

/// The `Len` and `Items` parameters of a field's `SizeBound`.
fn params(f: &Field<'_>, krate: &syn::Path) -> (TokenStream, TokenStream) {
    let len = match f.attrs.max_len.get() {
        Some(n) => quote!(#krate::value::MaxLen<#n>),
        None => quote!(#krate::value::Unbounded),
    };
    let items = match f.attrs.max_items.get() {
        Some(n) => quote!(#krate::value::MaxItems<#n>),
        None => quote!(#krate::value::Unbounded),
    };
    (len, items)
}

/// `SizeBound<Len, Items>` of a field, as tokens.
fn bound(f: &Field<'_>, krate: &syn::Path) -> TokenStream {
    let (len, items) = params(f, krate);
    quote!(#krate::value::SizeBound<#len, #items>)
}

/// The check of a field with `max_len` or `max_items`, before it is written; nothing for others.
pub(crate) fn check(f: &Field<'_>, krate: &syn::Path) -> Option<TokenStream> {
    if f.attrs.max_len.get().is_none() && f.attrs.max_items.get().is_none() {
        return None;
    }
    let (ty, member, wire) = (f.ty, f.ident, &f.wire_name);
    let (len, items) = params(f, krate);
    Some(quote_spanned! {ty.span()=>
        #krate::__private::check_bounds::<#len, #items, #ty>(&self.#member, #wire)?;
    })
}

/// `impl Struct { pub const MAX_SIZE: usize }` where every written field's type has a
/// `SizeBound`, and with `fits`, the compile-time check against 2,048 bytes.
pub(crate) fn expand(
    cont: &Container<'_>,
    fields: &[Field<'_>],
    krate: &syn::Path,
    name: &str,
    key: impl Fn(&str) -> String,
) -> TokenStream {
    let ident = cont.ident;
    let ty_name = ident.to_string();
    let (impl_g, ty_g, where_clause) = cont.original.generics.split_for_impl();
    let mut preds: Vec<TokenStream> = where_clause
        .map(|w| w.predicates.iter().map(|p| quote!(#p)).collect())
        .unwrap_or_default();
    let mut sizes = Vec::new();
    for f in fields.iter().filter(|f| f.attrs.skip.get().is_none()) {
        let ty = f.ty;
        if f.attrs.other.get().is_some() {
            let shown = f.ident.to_string();
            sizes.push(quote!(#krate::__private::FieldSize { name: #shown, key: 0, max: ::core::option::Option::None }));
            continue;
        }
        // `for<'__b>` keeps a bound on a concrete type from being checked where the struct is
        // declared: a type of the user's without a `SizeBound` only means no `MAX_SIZE`.
        let (bounded, bound) = if f.attrs.as_string.get().is_some() {
            (
                quote!(#krate::__private::AsStringRef<'__b, #ty>),
                quote!(#krate::value::SizeBound),
            )
        } else {
            (quote!(#ty), bound(f, krate))
        };
        preds.push(quote_spanned!(ty.span()=> for<'__b> #bounded: #bound));
        let wire = &f.wire_name;
        let key_len = key(wire).len();
        let max = if f.attrs.as_string.get().is_some() {
            quote!(<#krate::__private::AsStringRef<'static, #ty> as #bound>::MAX)
        } else {
            quote!(<#ty as #bound>::MAX)
        };
        sizes.push(quote!(#krate::__private::FieldSize { name: #wire, key: #key_len, max: #max }));
    }
    let count = sizes.len();
    let doc = format!(
        "The largest body of a `{ty_name}`, in bytes, as [`extension_size`]({}::extension_size) counts it: every property at its longest under its type and its `max_len`/`max_items`. A compile error, naming the property, when one has no bound.",
        quote!(#krate).to_string().replace(' ', "")
    );
    let fits = cont.attrs.fits.get().map(|_| {
        quote! {
            const _: () = #krate::__private::check_fits(#ty_name, #ident::MAX_SIZE, &#ident::__EXTENSION_FIELD_SIZES);
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_g #ident #ty_g where #(#preds,)* {
            #[doc = #doc]
            pub const MAX_SIZE: usize = #krate::__private::max_size(#ty_name, #name, &Self::__EXTENSION_FIELD_SIZES);
            #[doc(hidden)]
            pub const __EXTENSION_FIELD_SIZES: [#krate::__private::FieldSize; #count] = [#(#sizes),*];
        }
        #fits
    }
}
