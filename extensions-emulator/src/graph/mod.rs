//! Graph's behaviour over an in-memory tree of resources. No I/O: a request goes in, a [`Reply`]
//! comes out; `$batch` items go through the same function as top-level requests.
//!
//! The HTTP layer parses the path, answers `/schemaExtensions` through `schema` (definitions are
//! shared by every tenant, so not under one tenant's store) and a new top-level resource
//! through `resources` (it needs its tenant's store alone); [`handle`] routes every other
//! request to the flow that owns it, which carries it to its answer:
//!
//! - `open`: the open-extension routes (`…/extensions`, `…/extensions/{name}`), the limits and
//!   `$expand=extensions`;
//! - `schema`: schema extension definitions (`/schemaExtensions`, through the HTTP layer, since
//!   definitions are shared by every tenant) and the data they describe (`data`: checked,
//!   merged, purged, shown with `$select`, found with `$filter`);
//! - `resources`: the resources themselves (lists, new items, a resource's read and update),
//!   which ask each kind for its part of a body or an answer.
//!
//! Beneath them, what all share: paths, callers, replies, errors and `$select` (here), and the
//! store of resources (`store`), which asks each kind to read its part of a seed.

use std::collections::BTreeMap;

use extensions_core::ResourceKind;
use extensions_core::resource::{RoutePath, Tail};
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

pub(crate) mod directory;
mod model;
mod open;
mod resources;
pub(crate) mod schema;
mod store;

pub(crate) use resources::{create_root, purge_schema_data, root_of};
use resources::{list_root, new_item};
pub(crate) use store::{Collection, Node, ROOTS, Store, StoredExtension, registry, registry_mut};

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
    /// An advanced query: `ConsistencyLevel: eventual` and `$count=true`.
    pub(crate) advanced: bool,
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

/// The `$select` list, if any (names as given).
pub(crate) fn selected(call: &Call<'_>) -> Option<Vec<String>> {
    call.query.get("$select").map(|s| {
        s.split(',')
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty())
            .collect()
    })
}

/// Splits a `$filter` on ` and ` outside quoted literals.
pub(crate) fn split_and(f: &str) -> Vec<&str> {
    split_on(f, " and ")
}

/// Splits a `$filter` on `word` (` and `, ` or `, any letter case) outside quoted literals.
pub(crate) fn split_on<'f>(f: &'f str, word: &str) -> Vec<&'f str> {
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    let b = f.as_bytes();
    let n = word.len();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\'' {
            quoted = !quoted;
        } else if !quoted
            && b[i] == b' '
            && f.get(i..i + n)
                .is_some_and(|w| w.eq_ignore_ascii_case(word))
        {
            out.push(&f[start..i]);
            i += n;
            start = i;
            continue;
        }
        i += 1;
    }
    out.push(&f[start..]);
    out
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
    // Each kind's routes go to its room, which carries the request to its answer; the
    // resource itself (its fields, with what each kind shows on it) to the resources' flow.
    match &path.tail {
        Tail::Collection(_) | Tail::Reply => new_item(store, caller, call),
        Tail::Resource => resources::resource(store, caller, call, kind),
        Tail::Extensions | Tail::Extension(_) => open::handle(store, caller, call, kind),
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
}
