//! Graph's behaviour for open extensions over an in-memory tree of resources. No I/O: a request goes
//! in, a [`Reply`] comes out; `$batch` items go through the same function as top-level requests.

use std::collections::BTreeMap;

use extensions_core::name::name_from_id;
use extensions_core::resource::{RoutePath, Tail};
use extensions_core::{ResourceClass, ResourceKind};
use serde_json::{Map, Value, json};

/// An answer before it becomes HTTP.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Value>,
}

impl Reply {
    fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Some(body),
        }
    }
    fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: None,
        }
    }
}

/// A Graph error reply; `innerError` is added by the HTTP layer, which knows the request ids.
pub(crate) fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(status, json!({"error": {"code": code, "message": message}}))
}

pub(crate) const EXTENSION_NOT_FOUND: &str = "Extension with given id not found.";
/// The resource under the extension does not exist: for a directory object
/// `Request_ResourceNotFound` naming the id, for an Outlook or to-do item `ErrorItemNotFound`.
fn parent_not_found_in(collection: &str, id: &str) -> Reply {
    if ROOTS.contains(&collection) {
        error(
            404,
            "Request_ResourceNotFound",
            &format!(
                "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
            ),
        )
    } else {
        error(
            404,
            "ErrorItemNotFound",
            "The specified object was not found in the store.",
        )
    }
}

/// Collection segments the grammar knows.
const KNOWN_SEGMENTS: [&str; 13] = [
    "me",
    "users",
    "groups",
    "devices",
    "organization",
    "administrativeUnits",
    "messages",
    "events",
    "contacts",
    "todo/lists",
    "tasks",
    "threads",
    "posts",
];

/// Graph's answer to a path segment it does not know.
pub(crate) fn unknown_segment(segment: &str) -> Reply {
    error(
        400,
        "BadRequest",
        &format!("Resource not found for the segment '{segment}'."),
    )
}

/// A path with no step (nothing to resolve).
fn parent_not_found() -> Reply {
    parent_not_found_in("users", "")
}

mod body;
mod expand;
mod items;
pub(crate) mod schema;
mod schema_data;
mod store;

use body::{check_odata_type, extension_parts};
use expand::{check_user_expand, expanded, expanded_selected, parse_expand, selected};
pub(crate) use items::{create_root, purge_schema_data, root_of};
use items::{list_root, new_item};
pub(crate) use store::{Collection, Node, ROOTS, Store, StoredExtension};

/// A parsed path: `(collection, key)` steps (`me` with an empty key), then what is addressed.
/// Split by core's one grammar ([`RoutePath`]), so the emulator reads paths exactly as the
/// library writes them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Path {
    /// `me` (resolved to the app's user) or the first collection.
    pub(crate) steps: Vec<(String, String)>,
    pub(crate) tail: Tail,
}

/// Parses a raw (percent-encoded) path after the version, with core's grammar; the error is
/// Graph's answer.
pub(crate) fn parse_path(raw: &str) -> Result<Path, Reply> {
    let route = RoutePath::parse(raw).map_err(|e| match e {
        extensions_core::resource::PathError::Segment(seg) => unknown_segment(&seg),
        other => error(400, "BadRequest", &other.to_string()),
    })?;
    // Graph refuses a segment it does not know wherever it stands (`/usres/{id}/messages`,
    // `/users/{id}/extensionz`), naming it.
    let known = |c: &str| KNOWN_SEGMENTS.contains(&c) || c == "conversations";
    if let Some((c, _)) = route.steps.iter().find(|(c, _)| !known(c)) {
        return Err(unknown_segment(c));
    }
    if let Tail::Collection(c) = &route.tail
        && !known(c)
    {
        return Err(unknown_segment(c));
    }
    Ok(Path {
        steps: route
            .steps
            .into_iter()
            .map(|(c, id)| (c, id.unwrap_or_default()))
            .collect(),
        tail: route.tail,
    })
}

/// The kind of resource the steps address, by core's grammar.
pub(crate) fn kind_of(steps: &[(String, String)]) -> Option<ResourceKind> {
    RoutePath {
        steps: steps
            .iter()
            .map(|(c, id)| (c.clone(), (c != "me").then(|| id.clone())))
            .collect(),
        tail: Tail::Resource,
    }
    .kind()
}

/// The caller: its app id and the user `me` means.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub(crate) tenant: String,
    pub(crate) app_id: String,
    pub(crate) me: Option<String>,
}

impl Caller {
    /// The throttling bucket: per app per tenant, as Graph's limit is.
    pub(crate) fn bucket(&self) -> String {
        format!("{}/{}", self.tenant, self.app_id)
    }
}

/// The shortest Outlook or to-do item id Graph could have issued, as the emulator judges it.
/// **Decision:** real ids are base64 of an Exchange entry id, about 150 characters; the pages
/// give no minimum, so anything shorter than 16 characters (`123`, `AAMk=`) is taken as not an
/// id Graph issued.
const MIN_ITEM_ID_LEN: usize = 16;

/// Outlook and to-do item ids are base64 (or base64url) text of some length: an id that is not
/// (and that the store does not hold) is refused as Graph does, with 400
/// `ErrorInvalidIdMalformed` rather than a not-found.
fn malformed_item_id(id: &str) -> bool {
    id.len() < MIN_ITEM_ID_LEN
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'))
}

/// Resolves `me`, walks to the node the steps address (a top-level resource locked for the
/// call, then its children) and runs `f` on it.
fn with_node<R>(
    store: &Store,
    caller: &Caller,
    steps: &[(String, String)],
    f: impl FnOnce(&mut Node) -> Result<R, Reply>,
) -> Result<R, Reply> {
    let Some(((root, key), rest)) = steps.split_first() else {
        return Err(parent_not_found());
    };
    let (root, key) = if root == "me" {
        let Some(me) = &caller.me else {
            return Err(error(
                400,
                "BadRequest",
                "/me request is only valid with delegated authentication flow.",
            ));
        };
        ("users", me.as_str())
    } else {
        (root.as_str(), key.as_str())
    };
    let top = store
        .roots
        .get(root)
        .and_then(|c| c.get(key))
        .ok_or_else(|| parent_not_found_in(root, key))?;
    let mut guard = store::lock(top);
    let mut node: &mut Node = &mut guard;
    // Every step under a top-level resource is an Outlook or to-do item (or a thread). An id
    // the store holds is valid by definition (seeds declare short ones); one it does not hold
    // is a not-found if Graph could have issued it, else malformed.
    for (coll, key) in rest {
        node = node
            .children
            .get_mut(coll.as_str())
            .and_then(|c| c.get_mut(key))
            .ok_or_else(|| {
                if malformed_item_id(key) {
                    error(400, "ErrorInvalidIdMalformed", "Id is malformed.")
                } else {
                    parent_not_found_in(coll, key)
                }
            })?;
    }
    f(node)
}

/// The stored form: `@odata.type`, `extensionName`, `id`, properties, in that order.
fn stored_object(name: &str, id: &str, props: Map<String, Value>) -> Map<String, Value> {
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
fn create_on(
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

/// A parsed request, as the HTTP layer hands it over.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a Path,
    pub(crate) query: &'a BTreeMap<String, String>,
    pub(crate) body: Option<&'a Value>,
    /// `http://host/v1.0`, for `@odata.nextLink`.
    pub(crate) base: &'a str,
    pub(crate) default_page_size: usize,
    /// Schema extension definitions, shared by every tenant.
    pub(crate) schemas: &'a schema::Schemas,
}

fn body_object<'a>(call: &Call<'a>) -> Result<&'a Map<String, Value>, Reply> {
    match call.body {
        Some(Value::Object(o)) => Ok(o),
        Some(_) => Err(error(
            400,
            "BadRequest",
            "The request body must be a JSON object.",
        )),
        None => Err(error(400, "BadRequest", "A request body is required.")),
    }
}

/// Handles one request against the store.
pub(crate) fn handle(store: &Store, caller: &Caller, call: &Call<'_>) -> Reply {
    match handle_inner(store, caller, call) {
        Ok(r) | Err(r) => r,
    }
}

fn handle_inner(store: &Store, caller: &Caller, call: &Call<'_>) -> Result<Reply, Reply> {
    let path = call.path;
    let method = call.method;
    // GET /users, /groups, /devices, /directory/administrativeUnits (with $expand on users,
    // $filter on schema extension data, $select, $top, $skiptoken).
    if let (Tail::Collection(coll), true) = (&path.tail, path.steps.is_empty()) {
        if let Some(root) = root_of(coll)
            && method == "GET"
        {
            return list_root(store, caller, call, root);
        }
        return Err(error(
            400,
            "BadRequest",
            &format!("Unsupported request: {method} /{coll}"),
        ));
    }
    // A collection or a reply under a parent that carries no extensions itself (a thread).
    let Some(kind) = kind_of(&path.steps) else {
        // Collections for new items hang off users, groups, lists and threads.
        return match &path.tail {
            Tail::Collection(_) | Tail::Reply => new_item(store, caller, call),
            _ => Err(unknown_segment(
                path.steps
                    .iter()
                    .map(|(c, _)| c.as_str())
                    .find(|c| !KNOWN_SEGMENTS.contains(c))
                    .or_else(|| path.steps.last().map(|(c, _)| c.as_str()))
                    .unwrap_or(""),
            )),
        };
    };
    let class = kind.class();
    match (&path.tail, method) {
        (Tail::Collection(_) | Tail::Reply, _) => new_item(store, caller, call),
        (Tail::Resource, "GET") => {
            if kind == ResourceKind::User {
                check_user_expand(call)?;
            }
            with_node(store, caller, &path.steps, |node| {
                let expand = parse_expand(call.query.get("$expand").map_or("", String::as_str))?;
                if let Some(None) = expand
                    && class == ResourceClass::OutlookItem
                {
                    return Err(error(
                        400,
                        "ErrorGraphExtensionExpandRequiresFilter",
                        "Expanding extensions on this resource requires a filter on id, such as $expand=extensions($filter=id eq '{name}').",
                    ));
                }
                let select = selected(call);
                Ok(Reply::json(
                    200,
                    expanded_selected(node, expand.as_ref(), select.as_deref()),
                ))
            })
        }
        (Tail::Resource, "PATCH") => {
            let body = body_object(call)?;
            let split = schema_data::split_body(body, call.schemas, caller, kind)?;
            with_node(store, caller, &path.steps, |node| {
                if !split.fields.is_empty() {
                    let mut fields = node.fields();
                    fields.extend(split.fields);
                    node.set_fields(&fields);
                }
                schema_data::apply_data(node, split.data);
                Ok(Reply::empty(204))
            })
        }
        (Tail::Extensions, "GET") => with_node(store, caller, &path.steps, |node| {
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
            with_node(store, caller, &path.steps, |node| {
                let object = create_on(node, kind, caller, body)?;
                Ok(Reply::json(201, Value::Object(object)))
            })
        }
        (Tail::Extension(key), "GET") => with_node(store, caller, &path.steps, |node| {
            match node.extensions.iter().find(|e| e.matches(key)) {
                Some(e) => Ok(Reply::json(200, Value::Object(e.object()))),
                None => Err(error(404, "ResourceNotFound", EXTENSION_NOT_FOUND)),
            }
        }),
        (Tail::Extension(key), "PATCH") => {
            let body = body_object(call)?;
            with_node(store, caller, &path.steps, |node| {
                patch_on(node, kind, caller, key, body)
            })
        }
        (Tail::Extension(key), "DELETE") => with_node(store, caller, &path.steps, |node| {
            let before = node.extensions.len();
            node.extensions.retain(|e| !e.matches(key));
            if node.extensions.len() < before {
                Ok(Reply::empty(204))
            } else {
                Err(error(404, "ResourceNotFound", EXTENSION_NOT_FOUND))
            }
        }),
        _ => Err(error(
            405,
            "MethodNotAllowed",
            &format!("The method {method} is not supported on this resource."),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let p = parse_path("/me/messages('AAMk==')/extensions('Com.Contoso.Referral')").unwrap();
        assert_eq!(
            p.steps,
            [
                ("me".to_owned(), String::new()),
                ("messages".to_owned(), "AAMk==".to_owned())
            ]
        );
        assert_eq!(p.tail, Tail::Extension("Com.Contoso.Referral".into()));
        assert_eq!(kind_of(&p.steps), Some(ResourceKind::Message));
        let p = parse_path("/users/u/todo/lists/L/tasks/T/extensions").unwrap();
        assert_eq!(kind_of(&p.steps), Some(ResourceKind::TodoTask));
        assert_eq!(p.tail, Tail::Extensions);
        let p = parse_path("/groups/g/threads/t/posts/p/reply").unwrap();
        assert_eq!(p.tail, Tail::Reply);
        let p = parse_path("/users").unwrap();
        assert_eq!(p.tail, Tail::Collection("users".into()));
        assert!(parse_path("/users/u/extensions/a/b").is_err());
    }

    #[test]
    fn expand_parsing() {
        assert_eq!(parse_expand("extensions").unwrap(), Some(None));
        assert_eq!(
            parse_expand("extensions($filter=id eq 'Com.Contoso.X')").unwrap(),
            Some(Some("Com.Contoso.X".into()))
        );
        assert_eq!(parse_expand("").unwrap(), None);
        assert!(parse_expand("manager").is_err());
    }
}
