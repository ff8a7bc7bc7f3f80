//! `#[derive(SchemaExtension)]`: the same stages as the open-extension derive (attributes into
//! one error context, checks, then pure generation or the fallback stub), over `#[schema(...)]`.

mod expand;
mod types;

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::{DeriveInput, Ident, LitStr, Type};

use crate::attr::{
    Attr, RenameRule, Symbol, name_list, named_fields, path_value, rename_rule_value, string_value,
    wire_name,
};
use crate::ctxt::Ctxt;
use extensions_rules::schema::{TargetType, check_schema_id, check_schema_property_name};
pub(crate) use types::Kind;

const ID: Symbol = Symbol("id");
const TARGETS: Symbol = Symbol("targets");
const DESCRIPTION: Symbol = Symbol("description");
const RENAME_ALL: Symbol = Symbol("rename_all");
const CRATE: Symbol = Symbol("crate");
const RENAME: Symbol = Symbol("rename");
const CONTAINER: [Symbol; 5] = [ID, TARGETS, DESCRIPTION, RENAME_ALL, CRATE];
const FIELD: [Symbol; 1] = [RENAME];

pub(crate) struct Container<'a> {
    pub(crate) input: &'a DeriveInput,
    pub(crate) id: Attr<LitStr>,
    pub(crate) targets: Vec<(TargetType, Span)>,
    pub(crate) description: Attr<LitStr>,
    pub(crate) krate: Attr<syn::Path>,
    pub(crate) fields: Vec<Field<'a>>,
}

pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    pub(crate) wire: String,
    pub(crate) wire_span: Span,
    pub(crate) kind: Option<Kind>,
}

fn each(cx: &Ctxt, attrs: &[syn::Attribute], mut f: impl FnMut(&ParseNestedMeta<'_>)) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("schema")) {
        if let syn::Meta::Path(_) = attr.meta {
            cx.error_spanned_by(attr, "expected `#[schema(...)]`");
            continue;
        }
        if let Err(e) = attr.parse_nested_meta(|meta| {
            f(&meta);
            Ok(())
        }) {
            cx.syn_error(e);
        }
    }
}

/// Reports an unknown attribute with a hint; returns the attribute it probably meant.
fn unknown(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    known: &[Symbol],
    level: &str,
) -> Option<&'static str> {
    crate::attr::report_unknown(cx, meta, "schema", known, &[], level)
}

/// Why a resource type takes no schema extension, for the error.
fn not_a_target(name: &str) -> String {
    let list: Vec<&str> = TargetType::ALL.iter().map(|t| t.as_str()).collect();
    let why = match name.to_ascii_lowercase().as_str() {
        "todotask" | "todotasklist" => {
            " (to-do lists and tasks take open extensions: use #[derive(OpenExtension)])"
        }
        _ => "",
    };
    format!(
        "`{name}` does not take schema extensions{why}; the target types are {}",
        list.join(", ")
    )
}

impl<'a> Container<'a> {
    fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Self {
        let mut id = Attr::none(ID);
        let mut description = Attr::none(DESCRIPTION);
        let mut krate = Attr::none(CRATE);
        let mut rename_all = Attr::none(RENAME_ALL);
        let mut targets: Vec<(TargetType, Span)> = Vec::new();
        let mut targets_given = false;
        let mut targets_empty_list = false;
        let mut id_given = false;
        each(cx, &input.attrs, |meta| {
            let p = &meta.path;
            if p.is_ident(ID.0) {
                id_given = true;
                if let Some(s) = string_value(cx, meta, ID) {
                    match check_schema_id(&s.value()) {
                        Ok(_) => id.set(cx, meta, s),
                        Err(reason) => cx.error_spanned_by(
                            &s,
                            format!(
                                "invalid schema extension id `{}`: {reason}; write `{{verifiedDomain}}_{{name}}` (`contoso_courses` for contoso.com) or a bare name (`courses`) for Graph to prefix",
                                s.value()
                            ),
                        ),
                    }
                }
            } else if p.is_ident(DESCRIPTION.0) {
                if let Some(s) = string_value(cx, meta, DESCRIPTION) {
                    description.set(cx, meta, s);
                }
            } else if p.is_ident(CRATE.0) {
                if let Some(path) = path_value(cx, meta, CRATE) {
                    krate.set(cx, meta, path);
                }
            } else if p.is_ident(RENAME_ALL.0) {
                if let Some(rule) = rename_rule_value(cx, meta, RENAME_ALL) {
                    rename_all.set(cx, meta, rule);
                }
            } else if p.is_ident(TARGETS.0) {
                targets_given = true;
                let (list, named) = name_list(cx, meta, TargetType::from_name, not_a_target);
                targets = list;
                targets_empty_list = !named;
            } else {
                // A misspelt `id` or `targets` is reported once, not again as missing.
                match unknown(cx, meta, &CONTAINER, "container") {
                    Some("id") => id_given = true,
                    Some("targets") => targets_given = true,
                    _ => {}
                }
            }
        });
        if !id_given {
            cx.error_spanned_by(
                &input.ident,
                "missing `#[schema(id = \"...\")]`: the schema extension id, `{verifiedDomain}_{name}` or a bare name",
            );
        }
        if !targets_given {
            cx.error_spanned_by(
                &input.ident,
                "missing `#[schema(targets(...))]`: the resource types the extension applies to, such as `targets(Group, User)`",
            );
        } else if targets_empty_list {
            cx.error_spanned_by(
                &input.ident,
                "`targets(...)` needs at least one target type",
            );
        }
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "`#[derive(SchemaExtension)]` does not take generic parameters: a definition's property types are fixed",
            );
        }
        let rule = rename_all.get().copied().unwrap_or(RenameRule::CamelCase);
        let needs =
            "`#[derive(SchemaExtension)]` needs a struct with named fields, one per property";
        let fields = named_fields(cx, input, needs, "a unit struct has no properties")
            .into_iter()
            .filter_map(|f| {
                let ident = f.ident.as_ref()?;
                let mut rename = Attr::none(RENAME);
                each(cx, &f.attrs, |meta| {
                    if meta.path.is_ident(RENAME.0) {
                        if let Some(s) = string_value(cx, meta, RENAME) {
                            rename.set(cx, meta, s);
                        }
                    } else {
                        let _ = unknown(cx, meta, &FIELD, "field");
                    }
                });
                let (wire, wire_span) = wire_name(ident, &rename, rule);
                Some(Field {
                    ident,
                    ty: &f.ty,
                    wire,
                    wire_span,
                    kind: None,
                })
            })
            .collect();
        Container {
            input,
            id,
            targets,
            description,
            krate,
            fields,
        }
    }
}

/// Each field: a schema type for its Rust type, a valid and unique wire name, and no Boolean or
/// Integer when a target is a contact, message, event or post.
fn check(cx: &Ctxt, cont: &mut Container<'_>) {
    let outlook = cont
        .targets
        .iter()
        .find(|(t, _)| t.is_outlook_item())
        .map(|(t, _)| *t);
    let mut seen: Vec<String> = Vec::new();
    for f in &mut cont.fields {
        if let Err(reason) = check_schema_property_name(&f.wire) {
            cx.syn_error(syn::Error::new(
                f.wire_span,
                format!(
                    "invalid property name `{}` for field `{}`: {reason}; rename it with `#[schema(rename = \"...\")]`",
                    f.wire, f.ident
                ),
            ));
        } else if seen.iter().any(|s| s.eq_ignore_ascii_case(&f.wire)) {
            cx.syn_error(syn::Error::new(
                f.wire_span,
                format!(
                    "property `{}` (field `{}`) appears twice (letter case ignored, as Graph's directory does); give one a `#[schema(rename = \"...\")]`",
                    f.wire, f.ident
                ),
            ));
        } else {
            seen.push(f.wire.clone());
        }
        match types::classify(f.ty) {
            Ok(kind) => {
                if let Some(t) = outlook
                    && !kind.ty.allowed_on(t)
                {
                    let ty = f.ty;
                    cx.error_spanned_by(
                        f.ty,
                        format!(
                            "field `{}` is {} ({}), which Graph does not support on a {}: Boolean and Integer properties are refused on contacts, messages, events and posts; store it as a String, or drop `{}` from `targets`",
                            f.ident,
                            quote::quote!(#ty).to_string().replace(' ', ""),
                            kind.ty.as_str(),
                            t.as_str(),
                            t.as_str()
                        ),
                    );
                }
                f.kind = Some(kind);
            }
            Err(message) => cx.error_spanned_by(f.ty, format!("field `{}`: {message}", f.ident)),
        }
    }
}

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let mut cont = Container::from_ast(&cx, input);
    check(&cx, &mut cont);
    match cx.check() {
        Ok(()) => expand::gated(&cont, expand::expand(&cont)),
        Err(errors) => expand::fallback(&cont, errors),
    }
}
