//! Open extensions in the emulator: the routes `…/extensions` (list, create) and
//! `…/extensions/{name}` (read, update, delete), each carried to its answer here, with Graph's
//! limits (2 KB on directory objects, two extensions per app where Graph counts them), the
//! create-or-merge rules of each resource class, and `$expand=extensions` (`expand`).

mod body;
mod expand;

use extensions_core::name::name_from_id;
use extensions_core::resource::Tail;
use extensions_core::{ResourceClass, ResourceKind};
use serde_json::{Map, Value, json};

pub(crate) use body::{check_odata_type, extension_parts};
pub(crate) use expand::{check_user_expand, expanded, parse_expand};

use super::{
    Call, Caller, EXTENSION_NOT_FOUND, Node, Reply, Store, StoredExtension, body_object, error,
    with_node,
};

/// `…/extensions` and `…/extensions/{name}` on a resource of `kind`.
pub(super) fn handle(
    store: &Store,
    caller: &Caller,
    call: &Call<'_>,
    kind: ResourceKind,
) -> Result<Reply, Reply> {
    let steps = &call.path.steps;
    let class = kind.class();
    match (&call.path.tail, call.method) {
        (Tail::Extensions, "GET") => with_node(store, caller, steps, |node| {
            if class == ResourceClass::OutlookItem {
                return Err(error(
                    400,
                    "ErrorInvalidRequest",
                    "The OData request is not supported.",
                ));
            }
            let value: Vec<Value> = node
                .extensions
                .iter()
                .map(|e| Value::Object(e.object()))
                .collect();
            Ok(Reply::json(200, json!({ "value": value })))
        }),
        (Tail::Extensions, "POST") => {
            let body = body_object(call)?;
            with_node(store, caller, steps, |node| {
                let object = create_on(node, kind, caller, body)?;
                Ok(Reply::json(201, Value::Object(object)))
            })
        }
        (Tail::Extension(key), "GET") => with_node(store, caller, steps, |node| {
            match node.extensions.iter().find(|e| e.matches(key)) {
                Some(e) => Ok(Reply::json(200, Value::Object(e.object()))),
                None => Err(error(404, "ResourceNotFound", EXTENSION_NOT_FOUND)),
            }
        }),
        (Tail::Extension(key), "PATCH") => {
            let body = body_object(call)?;
            with_node(store, caller, steps, |node| {
                patch_on(node, kind, caller, key, body)
            })
        }
        (Tail::Extension(key), "DELETE") => with_node(store, caller, steps, |node| {
            let before = node.extensions.len();
            node.extensions.retain(|e| !e.matches(key));
            if node.extensions.len() < before {
                Ok(Reply::empty(204))
            } else {
                Err(error(404, "ResourceNotFound", EXTENSION_NOT_FOUND))
            }
        }),
        (_, m) => Err(error(
            405,
            "MethodNotAllowed",
            &format!("The method {m} is not supported on this resource."),
        )),
    }
}

/// The stored form: `@odata.type`, `extensionName`, `id`, properties, in that order.
pub(crate) fn stored_object(name: &str, id: &str, props: Map<String, Value>) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert(
        "@odata.type".into(),
        json!(extensions_core::limits::OPEN_TYPE_EXTENSION_TYPE),
    );
    o.insert("extensionName".into(), json!(name));
    o.insert("id".into(), json!(id));
    o.extend(props);
    o
}

fn stored_id(class: ResourceClass, name: &str) -> String {
    if class == ResourceClass::OutlookItem {
        format!("{}{name}", extensions_core::name::ID_PREFIXES[0])
    } else {
        name.to_owned()
    }
}

/// The size as this library measures Graph's 2 KB limit: the compact JSON of `@odata.type`, `extensionName`, `id` and every
/// property, with `id` equal to the name (so what a client measured before sending matches).
fn size_of(name: &str, props: &Map<String, Value>) -> usize {
    let o = stored_object(name, name, props.clone());
    serde_json::to_vec(&o)
        .map(|v| v.len())
        .unwrap_or(usize::MAX)
}

fn check_limits(
    node: &Node,
    kind: ResourceKind,
    caller: &Caller,
    name: &str,
    props: &Map<String, Value>,
    creating: bool,
) -> Result<(), Reply> {
    if let Some(limit) = kind.class().size_limit()
        && size_of(name, props) > limit
    {
        return Err(error(
            400,
            "BadRequest",
            "Maximum size supported for each extension is : 2 KB.",
        ));
    }
    if creating
        && let Some(max) = kind.class().extensions_per_app_limit()
        && node
            .extensions
            .iter()
            .filter(|e| *e.app == *caller.app_id)
            .count()
            >= max
    {
        return Err(error(
            400,
            "BadRequest",
            "maximum number of extensions values supported per application is 2.",
        ));
    }
    Ok(())
}

/// Validates and stores one extension on `node`; returns the stored object.
pub(crate) fn create_on(
    node: &mut Node,
    kind: ResourceKind,
    caller: &Caller,
    body: &Map<String, Value>,
) -> Result<Map<String, Value>, Reply> {
    let class = kind.class();
    check_odata_type(body, class, false)?;
    let (name, props) = extension_parts(body, class == ResourceClass::DirectoryObject)?;
    if let Some(pos) = node.extensions.iter().position(|e| e.matches(&name)) {
        // Outlook items merge a create of an existing name into the stored extension (the
        // properties sent are updated or added); directory objects and to-do items refuse it.
        if class != ResourceClass::OutlookItem {
            return Err(error(
                400,
                "Request_BadRequest",
                "An extension already exists with given id.",
            ));
        }
        let mut object = node.extensions[pos].object();
        for (k, v) in props {
            object.insert(k, v);
        }
        node.extensions[pos].set(&object);
        return Ok(object);
    }
    check_limits(node, kind, caller, &name, &props, true)?;
    let mut object = stored_object(&name, &stored_id(class, &name), props);
    if !body.keys().any(|k| k.eq_ignore_ascii_case("extensionName")) {
        object.remove("extensionName");
    }
    node.extensions
        .push(StoredExtension::new(&caller.app_id, &object));
    Ok(object)
}

/// PATCH of one extension on `node`: replace on directory objects, merge on Outlook and to-do
/// items.
fn patch_on(
    node: &mut Node,
    kind: ResourceKind,
    caller: &Caller,
    key: &str,
    body: &Map<String, Value>,
) -> Result<Reply, Reply> {
    let class = kind.class();
    check_odata_type(body, class, true)?;
    let Some(pos) = node.extensions.iter().position(|e| e.matches(key)) else {
        return Err(error(404, "ResourceNotFound", EXTENSION_NOT_FOUND));
    };
    let stored = &node.extensions[pos];
    let had_name = stored.name().is_some();
    let current_name = stored
        .name()
        .unwrap_or_else(|| name_from_id(stored.id()))
        .to_owned();
    // Directory objects: the body is the whole new property set (replace). Outlook and
    // to-do items: the body's properties are updated or added, the others kept (merge).
    let mut with_name = body.clone();
    if !with_name
        .keys()
        .any(|k| k.eq_ignore_ascii_case("extensionName"))
    {
        with_name.insert("extensionName".into(), json!(current_name));
    }
    let (name, mut props) = extension_parts(&with_name, true)?;
    if class != ResourceClass::DirectoryObject {
        let mut merged: Map<String, Value> = stored
            .object()
            .into_iter()
            .filter(|(k, _)| {
                !k.contains('@')
                    && !k.eq_ignore_ascii_case("id")
                    && !k.eq_ignore_ascii_case("extensionName")
            })
            .collect();
        merged.extend(props);
        props = merged;
    }
    check_limits(node, kind, caller, &name, &props, false)?;
    let id = node.extensions[pos].id().to_owned();
    let mut object = stored_object(&name, &id, props);
    let has_name = body.keys().any(|k| k.eq_ignore_ascii_case("extensionName"));
    let has_id = body.keys().any(|k| k.eq_ignore_ascii_case("id"));
    // "Updating only id deletes extensionName"; otherwise the name stays.
    if !has_name && (has_id || !had_name) {
        object.remove("extensionName");
    }
    node.extensions[pos].set(&object);
    if class == ResourceClass::DirectoryObject {
        Ok(Reply::empty(204))
    } else {
        Ok(Reply::json(200, Value::Object(object)))
    }
}
