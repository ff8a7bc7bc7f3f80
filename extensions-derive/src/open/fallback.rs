//! On error: the compile errors, plus a stub impl, so that code using the type (its typed
//! calls included, which come from the `OpenExtension` impl) does not get follow-on errors.

use proc_macro2::TokenStream;
use quote::quote;

use super::ast::Container;
use super::expand::krate;

pub(crate) fn expand(cont: &Container<'_>, errors: syn::Error) -> TokenStream {
    let errors = errors.to_compile_error();
    let krate = krate(cont);
    let ident = cont.ident;
    let (impl_g, ty_g, where_clause) = cont.original.generics.split_for_impl();
    quote! {
        #errors

        #[automatically_derived]
        impl #impl_g #krate::OpenExtension for #ident #ty_g #where_clause {
            const NAME: #krate::ExtensionName =
                #krate::ExtensionName::from_static("invalid.derive.Placeholder");
            fn write_properties(
                &self,
                _: &mut #krate::PropertyWriter<'_>,
            ) -> ::core::result::Result<(), #krate::Error> {
                ::core::unreachable!("#[derive(OpenExtension)] failed; see the compile errors")
            }
            fn from_properties(
                _: &#krate::Properties,
            ) -> ::core::result::Result<Self, #krate::Error> {
                ::core::unreachable!("#[derive(OpenExtension)] failed; see the compile errors")
            }
        }
    }
}
