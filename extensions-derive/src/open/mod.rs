//! `#[derive(OpenExtension)]`: the open-extension derive, in thiserror's stages. `attr` reads
//! `#[extension(...)]`, `ast` borrows the input, `check` compares attributes with each other,
//! `bound` proves the size bound of `#[extension(fits)]`, `expand` generates the code, and
//! `fallback` gives, on error, the compile errors plus a stub impl so no follow-on errors appear.
//! It builds on the shared context and attribute reader (`crate::ctxt`, `crate::attr`), never
//! on another derive's room.

mod ast;
mod attr;
mod bound;
mod check;
mod expand;
mod fallback;

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;

/// The expansion of `#[derive(OpenExtension)]` on `input`.
pub(crate) fn derive(input: &syn::DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let cont = ast::Container::from_ast(&cx, input);
    check::check(&cx, &cont);
    match (cx.check(), &cont.fields) {
        (Ok(()), Some(fields)) => expand::expand(&cont, fields),
        (Err(errors), _) => fallback::expand(&cont, errors),
        (Ok(()), None) => unreachable!("a non-struct input always reports an error"),
    }
}
