//! Borrowed views of the input that keep the original tokens for spans.

use syn::{Data, DeriveInput, Fields, Ident, Type};

use super::attr::{ContainerAttrs, FieldAttrs};
use crate::attr::RenameRule;
use crate::ctxt::Ctxt;

pub(crate) struct Container<'a> {
    pub(crate) original: &'a DeriveInput,
    pub(crate) ident: &'a Ident,
    pub(crate) attrs: ContainerAttrs,
    /// `None` when the input is not a struct with named fields (already reported).
    pub(crate) fields: Option<Vec<Field<'a>>>,
}

pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    pub(crate) attrs: FieldAttrs,
    /// The name on the wire (after `rename` or `rename_all`).
    pub(crate) wire_name: String,
}

impl Field<'_> {
    /// Stored as a property of its own (not skipped, not the catch-all).
    pub(crate) fn is_property(&self) -> bool {
        self.attrs.skip.get().is_none() && self.attrs.other.get().is_none()
    }
}

impl<'a> Container<'a> {
    pub(crate) fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Container<'a> {
        let attrs = ContainerAttrs::from_ast(cx, &input.attrs);
        let rule = attrs
            .rename_all
            .get()
            .copied()
            .unwrap_or(RenameRule::CamelCase);
        let needs = "`#[derive(OpenExtension)]` needs a struct with named fields, one per property";
        let fields = match &input.data {
            Data::Struct(s) => match &s.fields {
                Fields::Named(named) => Some(
                    named
                        .named
                        .iter()
                        .filter_map(|f| {
                            let ident = f.ident.as_ref()?;
                            let attrs = FieldAttrs::from_ast(cx, &f.attrs);
                            let raw = ident.to_string();
                            let raw = raw.strip_prefix("r#").unwrap_or(&raw);
                            let wire_name = match attrs.rename.get() {
                                Some(lit) => lit.value(),
                                None => rule.apply(raw),
                            };
                            Some(Field {
                                ident,
                                ty: &f.ty,
                                attrs,
                                wire_name,
                            })
                        })
                        .collect(),
                ),
                Fields::Unnamed(_) => {
                    cx.error_spanned_by(
                        &input.ident,
                        format!("{needs}; tuple structs are not supported: name the fields"),
                    );
                    None
                }
                // An extension with no properties (Graph accepts one): a marker.
                Fields::Unit => Some(Vec::new()),
            },
            Data::Enum(e) => {
                cx.error_spanned_by(
                    e.enum_token,
                    format!("{needs}; enums are not supported (store a discriminating string property instead)"),
                );
                None
            }
            Data::Union(u) => {
                cx.error_spanned_by(u.union_token, format!("{needs}; unions are not supported"));
                None
            }
        };
        Container {
            original: input,
            ident: &input.ident,
            attrs,
            fields,
        }
    }
}
