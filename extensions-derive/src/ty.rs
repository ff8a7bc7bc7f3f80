//! Reading a field's type as written, for the derives that map Rust types to Graph's types.

use syn::{GenericArgument, PathArguments, Type};

/// The last segment of a type path (`Option` of `std::option::Option<T>`), through groups and
/// parentheses.
pub(crate) fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        Type::Group(g) => last_segment(&g.elem),
        Type::Paren(p) => last_segment(&p.elem),
        _ => None,
    }
}

/// The one type argument of a segment (`T` of `Option<T>`).
pub(crate) fn single_arg(seg: &syn::PathSegment) -> Option<&Type> {
    match &seg.arguments {
        PathArguments::AngleBracketed(a) if a.args.len() == 1 => match a.args.first() {
            Some(GenericArgument::Type(t)) => Some(t),
            _ => None,
        },
        _ => None,
    }
}
