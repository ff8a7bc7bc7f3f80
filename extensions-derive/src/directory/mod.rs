//! `#[derive(DirectoryExtension)]`: the same stages as the other derives (attributes into one
//! error context, checks, then pure generation or the fallback stub), over `#[directory(...)]`.

mod expand;
mod types;

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::{DeriveInput, Ident, Type};

use crate::attr::{
    Attr, RenameRule, Symbol, name_list, named_fields, path_value, rename_rule_value, string_value,
    usize_value, wire_name,
};
use crate::ctxt::Ctxt;
use extensions_rules::directory::{
    DataType, MAX_STRING_CHARS, MAX_VALUES_PER_RESOURCE, TargetObject, check_directory_name,
};
pub(crate) use types::Kind;

const TARGETS: Symbol = Symbol("targets");
const RENAME_ALL: Symbol = Symbol("rename_all");
const CRATE: Symbol = Symbol("crate");
const RENAME: Symbol = Symbol("rename");
const MAX_LEN: Symbol = Symbol("max_len");
const MAX_ITEMS: Symbol = Symbol("max_items");
const CONTAINER: [Symbol; 3] = [TARGETS, RENAME_ALL, CRATE];
const FIELD: [Symbol; 3] = [RENAME, MAX_LEN, MAX_ITEMS];

pub(crate) struct Container<'a> {
    pub(crate) input: &'a DeriveInput,
    pub(crate) targets: Vec<(TargetObject, Span)>,
    pub(crate) krate: Attr<syn::Path>,
    pub(crate) fields: Vec<Field<'a>>,
}

pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    pub(crate) name: String,
    pub(crate) name_span: Span,
    pub(crate) max_len: Attr<usize>,
    pub(crate) max_items: Attr<usize>,
    pub(crate) kind: Option<Kind>,
}

fn each(cx: &Ctxt, attrs: &[syn::Attribute], mut f: impl FnMut(&ParseNestedMeta<'_>)) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("directory")) {
        if let syn::Meta::Path(_) = attr.meta {
            cx.error_spanned_by(attr, "expected `#[directory(...)]`");
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

/// Why a resource type takes no directory extension, for the error.
fn not_a_target(name: &str) -> String {
    let list: Vec<&str> = TargetObject::ALL.iter().map(|t| t.as_str()).collect();
    let why = match name.to_ascii_lowercase().as_str() {
        "message" | "event" | "contact" | "post" => {
            " (Outlook items take open or schema extensions: use #[derive(OpenExtension)] or #[derive(SchemaExtension)])"
        }
        "todotask" | "todotasklist" => {
            " (to-do lists and tasks take open extensions: use #[derive(OpenExtension)])"
        }
        _ => "",
    };
    format!(
        "`{name}` does not take directory extensions{why}; the target objects are {}",
        list.join(", ")
    )
}

impl<'a> Container<'a> {
    fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Self {
        let mut krate = Attr::none(CRATE);
        let mut rename_all = Attr::none(RENAME_ALL);
        let mut targets: Vec<(TargetObject, Span)> = Vec::new();
        let mut targets_given = false;
        let mut targets_empty_list = false;
        each(cx, &input.attrs, |meta| {
            let p = &meta.path;
            if p.is_ident(CRATE.0) {
                if let Some(path) = path_value(cx, meta, CRATE) {
                    krate.set(cx, meta, path);
                }
            } else if p.is_ident(RENAME_ALL.0) {
                if let Some(rule) = rename_rule_value(cx, meta, RENAME_ALL) {
                    rename_all.set(cx, meta, rule);
                }
            } else if p.is_ident(TARGETS.0) {
                targets_given = true;
                let (list, named) = name_list(cx, meta, TargetObject::from_name, not_a_target);
                targets = list;
                targets_empty_list = !named;
            } else if crate::attr::report_unknown(
                cx,
                meta,
                "directory",
                &CONTAINER,
                &FIELD,
                "container",
            ) == Some("targets")
            {
                targets_given = true;
            }
        });
        if !targets_given {
            cx.error_spanned_by(
                &input.ident,
                "missing `#[directory(targets(...))]`: the directory objects the extensions apply to, such as `targets(User)`",
            );
        } else if targets_empty_list {
            cx.error_spanned_by(
                &input.ident,
                "`targets(...)` needs at least one target object",
            );
        }
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "`#[derive(DirectoryExtension)]` does not take generic parameters: a definition's data type is fixed",
            );
        }
        let rule = rename_all.get().copied().unwrap_or(RenameRule::CamelCase);
        let needs = "`#[derive(DirectoryExtension)]` needs a struct with named fields, one per directory extension";
        let fields = named_fields(cx, input, needs, "a unit struct has no extensions")
            .into_iter()
            .filter_map(|f| {
                let ident = f.ident.as_ref()?;
                let mut rename = Attr::none(RENAME);
                let mut max_len = Attr::none(MAX_LEN);
                let mut max_items = Attr::none(MAX_ITEMS);
                each(cx, &f.attrs, |meta| {
                    if meta.path.is_ident(RENAME.0) {
                        if let Some(s) = string_value(cx, meta, RENAME) {
                            rename.set(cx, meta, s);
                        }
                    } else if meta.path.is_ident(MAX_LEN.0) {
                        if let Some(n) = usize_value(cx, meta, MAX_LEN) {
                            max_len.set(cx, meta, n);
                        }
                    } else if meta.path.is_ident(MAX_ITEMS.0) {
                        if let Some(n) = usize_value(cx, meta, MAX_ITEMS) {
                            max_items.set(cx, meta, n);
                        }
                    } else {
                        let _ = crate::attr::report_unknown(
                            cx,
                            meta,
                            "directory",
                            &FIELD,
                            &CONTAINER,
                            "field",
                        );
                    }
                });
                let (name, name_span) = wire_name(ident, &rename, rule);
                Some(Field {
                    ident,
                    ty: &f.ty,
                    name,
                    name_span,
                    max_len,
                    max_items,
                    kind: None,
                })
            })
            .collect();
        Container {
            input,
            targets,
            krate,
            fields,
        }
    }
}

/// Each field: a data type for its Rust type, a valid and unique name, bounds that fit its type;
/// then the struct as a whole: at most 100 values in one write.
fn check(cx: &Ctxt, cont: &mut Container<'_>) {
    let mut seen: Vec<String> = Vec::new();
    let mut total = 0usize;
    let mut unbounded = Vec::new();
    for f in &mut cont.fields {
        if let Err(reason) = check_directory_name(&f.name) {
            cx.syn_error(syn::Error::new(
                f.name_span,
                format!(
                    "invalid directory extension name `{}` for field `{}`: {reason}; rename it with `#[directory(rename = \"...\")]`",
                    f.name, f.ident
                ),
            ));
        } else if seen.iter().any(|s| s.eq_ignore_ascii_case(&f.name)) {
            cx.syn_error(syn::Error::new(
                f.name_span,
                format!(
                    "directory extension `{}` (field `{}`) appears twice (letter case ignored, as Graph's directory does); give one a `#[directory(rename = \"...\")]`",
                    f.name, f.ident
                ),
            ));
        } else {
            seen.push(f.name.clone());
        }
        let kind = match types::classify(f.ty) {
            Ok(kind) => kind,
            Err(message) => {
                cx.error_spanned_by(f.ty, format!("field `{}`: {message}", f.ident));
                continue;
            }
        };
        if let (Some(n), Some(span)) = (f.max_len.get(), f.max_len.span()) {
            if kind.ty != DataType::String {
                cx.syn_error(syn::Error::new(
                    span,
                    format!(
                        "`max_len` bounds String values; field `{}` is {}",
                        f.ident,
                        kind.ty.as_str()
                    ),
                ));
            } else if *n > MAX_STRING_CHARS {
                cx.syn_error(syn::Error::new(
                    span,
                    format!(
                        "`max_len = {n}` on field `{}` is over Graph's limit of {MAX_STRING_CHARS} characters for a String value, which is checked anyway",
                        f.ident
                    ),
                ));
            }
        }
        match (kind.multi, f.max_items.get(), f.max_items.span()) {
            (false, Some(_), Some(span)) => cx.syn_error(syn::Error::new(
                span,
                format!(
                    "`max_items` bounds a multi-valued extension (a `Vec`); field `{}` holds one value",
                    f.ident
                ),
            )),
            (true, Some(n), _) => total += n,
            (true, None, _) => unbounded.push(f.ident.to_string()),
            (false, _, _) => total += 1,
        }
        f.kind = Some(kind);
    }
    for name in &unbounded {
        if let Some(f) = cont.fields.iter().find(|f| f.ident == name) {
            cx.error_spanned_by(
                f.ty,
                format!(
                    "field `{name}` is multi-valued without a bound: Graph takes at most {MAX_VALUES_PER_RESOURCE} extension values on one resource, each value counting; give it `#[directory(max_items = N)]`"
                ),
            );
        }
    }
    if unbounded.is_empty() && total > MAX_VALUES_PER_RESOURCE {
        cx.error_spanned_by(
            &cont.input.ident,
            format!(
                "this struct can write {total} extension values in one write, over Graph's limit of {MAX_VALUES_PER_RESOURCE} on one resource (a single value counts 1, a multi-valued one its `max_items`): lower a `max_items`"
            ),
        );
    }
}

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let mut cont = Container::from_ast(&cx, input);
    check(&cx, &mut cont);
    match cx.check() {
        Ok(()) => expand::expand(&cont),
        Err(errors) => expand::fallback(&cont, errors),
    }
}
