//! Collections: listing users page by page, and new items that carry extensions.

use serde_json::{Map, Value, json};

use extensions_core::{ResourceClass, ResourceKind};

use super::directory::data as directory;
use super::open::{check_user_expand, create_on, expanded, parse_expand};
use super::schema::data;
use super::*;

/// A list's `$filter`: on schema extension data and fields, or on directory extensions and
/// extension attributes.
enum ListFilter {
    Schema(data::Filter),
    Directory(directory::Filter),
}

impl ListFilter {
    fn matches(&self, node: &Node) -> bool {
        match self {
            Self::Schema(f) => f.matches(node),
            Self::Directory(f) => f.matches(node),
        }
    }
}

/// Refuses a body key the resource type does not declare, among what is left once schema
/// extension data, directory extensions and extension attributes took theirs: Graph answers
/// 400 and stores nothing. A directory object's text is the one Graph gives for any property
/// it does not take (`Invalid property '…'.`, `Request_BadRequest`: msgraph-sdk-powershell
/// issue #3230); an Outlook or to-do item's is its OData reader's (`RequestBodyRead`).
fn check_fields(kind: ResourceKind, fields: &Map<String, Value>) -> Result<(), Reply> {
    let Some(key) = fields
        .keys()
        .find(|k| !model::is_annotation(k) && !model::declares(kind, k))
    else {
        return Ok(());
    };
    Err(if kind.class() == ResourceClass::DirectoryObject {
        error(
            400,
            "Request_BadRequest",
            &format!("Invalid property '{key}'."),
        )
    } else {
        error(
            400,
            "RequestBodyRead",
            &format!(
                "The property '{key}' does not exist on type '{}'. Make sure to only use property names that are defined by the type or mark the type as open type.",
                model::type_name(kind)
            ),
        )
    })
}

/// Refuses a `$select` of a property the resource type does not have: not declared, not a
/// schema extension `caller` may use, not a directory extension or the extension attributes.
fn check_select(
    kind: ResourceKind,
    select: &[String],
    call: &Call<'_>,
    caller: &Caller,
) -> Result<(), Reply> {
    let known = |name: &str| {
        model::declares(kind, name)
            || directory::is_extension_key(name)
            || directory::is_attributes_key(name)
            || call.schemas.usable(name, caller).is_some()
    };
    let Some(name) = select.iter().find(|name| !known(name)) else {
        return Ok(());
    };
    // The directory's reader names its own types; the OData reader of Outlook and to-do items
    // names Graph's (both as reported in Graph's answers: microsoft-graph-docs-contrib #4529).
    Err(if kind.class() == ResourceClass::DirectoryObject {
        error(
            400,
            "Request_BadRequest",
            &format!(
                "Could not find a property named '{name}' on type '{}'.",
                model::directory_type_name(kind)
            ),
        )
    } else {
        error(
            400,
            "BadRequest",
            &format!(
                "Parsing OData Select and Expand failed: Could not find a property named '{name}' on type '{}'.",
                model::type_name(kind)
            ),
        )
    })
}

/// Lists a top-level collection page by page: `$expand=extensions` (users only), `$filter`
/// (`eq` on fields and on schema extension properties, joined by `and`), `$select` (schema
/// extension data shown only when selected), `$top`, `$skiptoken`.
pub(super) fn list_root(
    store: &Store,
    caller: &Caller,
    call: &Call<'_>,
    root: &str,
) -> Result<Reply, Reply> {
    let kind = match root {
        "users" => ResourceKind::User,
        "groups" => ResourceKind::Group,
        "devices" => ResourceKind::Device,
        _ => ResourceKind::AdministrativeUnit,
    };
    if root == "users" {
        check_user_expand(call)?;
    }
    let expand = parse_expand(call.query.get("$expand").map_or("", String::as_str))?;
    if expand.is_some() && root != "users" {
        return Err(error(
            400,
            "BadRequest",
            &format!("$expand=extensions on /{root} is not modelled by the emulator."),
        ));
    }
    let filter = match call.query.get("$filter") {
        None => None,
        Some(f) if directory::is_directory_filter(f) => Some(ListFilter::Directory(
            directory::parse_filter(f, &registry(store), kind, call.advanced)?,
        )),
        Some(f) => Some(ListFilter::Schema(data::parse_filter(
            f,
            call.schemas,
            caller,
            kind,
        )?)),
    };
    let select = selected(call);
    if let Some(select) = &select {
        check_select(kind, select, call, caller)?;
    }
    // With `$expand`, a page holds at most 100 users, whatever `$top` asks.
    let cap = if expand.is_some() { 100 } else { 999 };
    let top = match call.query.get("$top") {
        None => call.default_page_size.min(cap),
        Some(t) => match t.parse::<usize>() {
            Ok(n) if (1..=999).contains(&n) => n.min(cap),
            _ => {
                return Err(error(
                    400,
                    "BadRequest",
                    "Invalid page size specified: '$top' must be between 1 and 999.",
                ));
            }
        },
    };
    let nodes = store.roots.get(root);
    let len = nodes.map_or(0, Collection::len);
    let registry = registry(store);
    // Every number from a request is checked: a skip past the end (or past `usize`) is refused,
    // never an overflow. The skip counts position in the collection, matching or not.
    let skip = match call.query.get("$skiptoken") {
        None => 0,
        Some(s) => s
            .strip_prefix("skip-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&n| n <= len)
            .ok_or_else(|| error(400, "BadRequest", "Invalid $skiptoken."))?,
    };
    let mut page = Vec::new();
    let mut end = skip;
    for n in nodes.into_iter().flat_map(|c| c.iter().skip(skip)) {
        if page.len() == top {
            break;
        }
        end += 1;
        let node = store::lock(n);
        if filter.as_ref().is_none_or(|f| f.matches(&node)) {
            page.push(expanded_selected(
                &node,
                kind,
                &registry,
                expand.as_ref(),
                select.as_deref(),
            ));
        }
    }
    // `$count=true`: every match, on every page.
    let count = call
        .query
        .get("$count")
        .is_some_and(|c| c.eq_ignore_ascii_case("true"))
        .then(|| {
            nodes.map_or(0, |c| {
                c.iter()
                    .filter(|n| filter.as_ref().is_none_or(|f| f.matches(&store::lock(n))))
                    .count()
            })
        });
    let path = if root == "administrativeUnits" {
        "directory/administrativeUnits"
    } else {
        root
    };
    let mut body =
        json!({ "@odata.context": format!("{}/$metadata#{root}", call.base), "value": page });
    if let Some(n) = count {
        body["@odata.count"] = json!(n);
    }
    if end < len {
        let mut link = format!("{}/{path}?", call.base);
        for key in ["$filter", "$select", "$expand", "$count"] {
            if let Some(raw) = call.query.get(key) {
                link.push_str(&format!(
                    "%24{}={}&",
                    &key[1..],
                    extensions_core::resource::encode_component(raw)
                ));
            }
        }
        link.push_str(&format!("%24top={top}&%24skiptoken=skip-{end}"));
        body["@odata.nextLink"] = json!(link);
    }
    Ok(Reply::json(200, body))
}

/// `POST …/messages|events|contacts|todo/lists|tasks` with an optional `extensions` array, and
/// `POST …/posts/{id}/reply` with `{"post": {…}}`.
pub(super) fn new_item(store: &Store, caller: &Caller, call: &Call<'_>) -> Result<Reply, Reply> {
    let path = call.path;
    if let (Tail::Collection(coll), "GET") = (&path.tail, call.method) {
        return list_children(store, caller, call, coll);
    }
    if let (Tail::Collection(coll), "POST", [(group, _)]) =
        (&path.tail, call.method, path.steps.as_slice())
        && coll == "conversations"
        && group == "groups"
    {
        return new_conversation(store, caller, call);
    }
    if call.method != "POST" {
        return Err(error(
            405,
            "MethodNotAllowed",
            &format!(
                "The method {} is not supported on this collection.",
                call.method
            ),
        ));
    }
    let body = body_object(call)?;
    let (steps, coll, item_body, status) = match &path.tail {
        Tail::Collection(coll) => (path.steps.clone(), coll.clone(), body.clone(), 201),
        Tail::Reply => {
            // The new post goes into the thread of the post replied to, which must exist.
            let Some(((last, _), thread)) = path.steps.split_last() else {
                return Err(parent_not_found());
            };
            if last != "posts" {
                return Err(error(400, "BadRequest", "Only posts can be replied to."));
            }
            // The wrapper key in any letter case (the Python SDK sends `Post`).
            let wrapper = body
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("post"))
                .map(|(_, v)| v);
            let post = match wrapper {
                Some(Value::Object(p)) => p.clone(),
                _ => {
                    return Err(error(
                        400,
                        "BadRequest",
                        "The reply body needs a `post` object.",
                    ));
                }
            };
            with_node(store, caller, &path.steps, |_| Ok(()))?;
            (thread.to_vec(), "posts".to_owned(), post, 202)
        }
        _ => return Err(error(400, "BadRequest", "Unsupported request.")),
    };
    let mut item_steps = steps.clone();
    item_steps.push((coll.clone(), String::new()));
    let kind = kind_of(&item_steps).ok_or_else(|| {
        error(
            400,
            "BadRequest",
            &format!("Items of `{coll}` cannot carry open extensions here."),
        )
    })?;
    if kind.class() == ResourceClass::DirectoryObject {
        return Err(error(
            400,
            "BadRequest",
            "Directory objects cannot get an extension in their create request.",
        ));
    }
    let id = store.new_id(match kind {
        ResourceKind::Message => "AAMkAGm",
        ResourceKind::Event | ResourceKind::GroupEvent => "AAMkAGe",
        ResourceKind::Contact => "AAMkAGc",
        ResourceKind::GroupPost => "AAMkAGp",
        _ => "AAkALg",
    });
    let mut fields = Map::new();
    fields.insert("id".into(), json!(id));
    let mut exts = Vec::new();
    for (k, v) in &item_body {
        if k == "extensions" {
            let items = v
                .as_array()
                .ok_or_else(|| error(400, "BadRequest", "`extensions` must be an array."))?;
            exts.extend(items.iter().cloned());
        } else if k != "id" {
            fields.insert(k.clone(), v.clone());
        }
    }
    // A property the item's type does not have is refused (the data of a schema extension the
    // caller may use, which this flow keeps as given, aside).
    let plain: Map<String, Value> = fields
        .iter()
        .filter(|(k, _)| call.schemas.usable(k, caller).is_none())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    check_fields(kind, &plain)?;
    let mut node = Node::new(&fields);
    for e in &exts {
        let e = e
            .as_object()
            .ok_or_else(|| error(400, "BadRequest", "An extension must be an object."))?;
        create_on(&mut node, kind, caller, e)?;
    }
    let response = expanded(&node, Some(&None));
    with_node(store, caller, &steps, |parent| {
        parent.children.entry(coll).or_default().add(node);
        Ok(())
    })?;
    if status == 202 {
        Ok(Reply::empty(202))
    } else {
        Ok(Reply::json(201, response))
    }
}

/// `GET …/{collection}` under a resource: its items, without their extensions (as Graph lists
/// posts, messages, events…). The seeds find the post a new conversation created this way. On
/// messages, events and contacts, `$filter=Extensions/any(f:f/id eq 'NAME')` keeps the items
/// that carry the extension, and `$expand=Extensions($filter=id eq 'NAME')` includes it.
fn list_children(
    store: &Store,
    caller: &Caller,
    call: &Call<'_>,
    coll: &str,
) -> Result<Reply, Reply> {
    if call.path.steps.is_empty() {
        return Err(unknown_segment(coll));
    }
    let outlook = matches!(coll, "messages" | "events" | "contacts");
    let filter = match call.query.get("$filter") {
        None => None,
        Some(f) if outlook => Some(parse_any_filter(f)?),
        Some(_) => {
            return Err(error(
                400,
                "BadRequest",
                "Invalid filter clause: this collection cannot be filtered here.",
            ));
        }
    };
    let expand = parse_expand(call.query.get("$expand").map_or("", String::as_str))?;
    if let Some(None) = expand
        && outlook
    {
        return Err(error(
            400,
            "ErrorGraphExtensionExpandRequiresFilter",
            "Expanding extensions on this resource requires a filter on id, such as $expand=extensions($filter=id eq '{name}').",
        ));
    }
    with_node(store, caller, &call.path.steps, |parent| {
        let items: Vec<Value> = parent
            .children
            .get(coll)
            .map(|c| {
                c.iter()
                    .filter(|n| {
                        filter
                            .as_deref()
                            .is_none_or(|name| n.extensions.iter().any(|e| e.matches(name)))
                    })
                    .map(|n| expanded(n, expand.as_ref()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Reply::json(200, json!({ "value": items })))
    })
}

/// `Extensions/any(f:f/id eq 'NAME')` (names ignoring case, any variable name): the name.
fn parse_any_filter(filter: &str) -> Result<String, Reply> {
    let bad = || {
        error(
            400,
            "BadRequest",
            &format!("Invalid filter clause: '{filter}' is not supported."),
        )
    };
    let f = filter.trim();
    let inner = f
        .get(..15)
        .filter(|p| p.eq_ignore_ascii_case("extensions/any("))
        .and_then(|_| f[15..].strip_suffix(')'))
        .ok_or_else(bad)?;
    let (var, cond) = inner.split_once(':').ok_or_else(bad)?;
    let var = var.trim();
    let cond = cond.trim();
    let field = format!("{var}/id");
    let rest = cond
        .get(..field.len())
        .filter(|p| p.eq_ignore_ascii_case(&field))
        .map(|_| cond[field.len()..].trim_start())
        .ok_or_else(bad)?;
    let literal = rest
        .get(..2)
        .filter(|p| p.eq_ignore_ascii_case("eq"))
        .map(|_| rest[2..].trim())
        .ok_or_else(bad)?;
    literal
        .strip_prefix('\'')
        .and_then(|l| l.strip_suffix('\''))
        .map(|l| l.replace("''", "'"))
        .ok_or_else(bad)
}

/// `POST /groups/{id}/conversations` with a topic and one thread holding one post: creates the
/// conversation, its thread and its post (with the post's extensions), and answers 201 with the
/// conversation and thread ids, as Graph does.
fn new_conversation(store: &Store, caller: &Caller, call: &Call<'_>) -> Result<Reply, Reply> {
    let body = body_object(call)?;
    let bad = |m: &str| error(400, "BadRequest", m);
    let topic = body
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("topic"))
        .and_then(|(_, v)| v.as_str())
        .ok_or_else(|| bad("A new conversation needs a `topic`."))?
        .to_owned();
    let first = |v: Option<&Value>| v.and_then(Value::as_array).and_then(|a| a.first()).cloned();
    let field = |o: &Map<String, Value>, name: &str| {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let thread = first(field(body, "threads").as_ref())
        .and_then(|t| t.as_object().cloned())
        .ok_or_else(|| bad("A new conversation needs `threads` with one thread."))?;
    let post = first(field(&thread, "posts").as_ref())
        .and_then(|p| p.as_object().cloned())
        .ok_or_else(|| bad("The new thread needs `posts` with one post."))?;
    let (conversation_id, thread_id, post_id) = (
        store.new_id("AAQkAGc"),
        store.new_id("AAQkAGt"),
        store.new_id("AAMkAGp"),
    );
    // The post and its extensions, checked before anything is stored.
    let mut post_fields = Map::new();
    post_fields.insert("id".into(), json!(post_id));
    let mut exts = Vec::new();
    for (k, v) in &post {
        if k.eq_ignore_ascii_case("extensions") {
            exts.extend(
                v.as_array()
                    .ok_or_else(|| bad("`extensions` must be an array."))?
                    .iter()
                    .cloned(),
            );
        } else if !k.eq_ignore_ascii_case("id") {
            post_fields.insert(k.clone(), v.clone());
        }
    }
    let mut post_node = Node::new(&post_fields);
    for e in &exts {
        let e = e
            .as_object()
            .ok_or_else(|| bad("An extension must be an object."))?;
        create_on(&mut post_node, ResourceKind::GroupPost, caller, e)?;
    }
    let mut thread_fields = Map::new();
    thread_fields.insert("id".into(), json!(thread_id));
    thread_fields.insert("topic".into(), json!(topic));
    thread_fields.insert("conversationId".into(), json!(conversation_id));
    let mut thread_node = Node::new(&thread_fields);
    thread_node
        .children
        .entry("posts".into())
        .or_default()
        .add(post_node);
    let mut conversation_fields = Map::new();
    conversation_fields.insert("id".into(), json!(conversation_id));
    conversation_fields.insert("topic".into(), json!(topic));
    with_node(store, caller, &call.path.steps, |group| {
        group
            .children
            .entry("conversations".into())
            .or_default()
            .add(Node::new(&conversation_fields));
        group
            .children
            .entry("threads".into())
            .or_default()
            .add(thread_node);
        Ok(())
    })?;
    Ok(Reply::json(
        201,
        json!({
            "@odata.context": format!("{}/$metadata#groups('{}')/conversations/$entity", call.base, call.path.steps[0].1),
            "id": conversation_id,
            "topic": topic,
            "threads": [{ "id": thread_id }],
        }),
    ))
}

/// The top-level collection a collection segment names: `users`, `groups`, `devices`,
/// `administrativeUnits` (also as `directory/administrativeUnits`).
pub(crate) fn root_of(coll: &str) -> Option<&'static str> {
    match coll {
        "users" => Some("users"),
        "groups" => Some("groups"),
        "devices" => Some("devices"),
        "administrativeUnits" | "directory/administrativeUnits" => Some("administrativeUnits"),
        _ => None,
    }
}

/// `POST /users|groups|devices|directory/administrativeUnits`: a new directory object, with
/// schema extension data in the same body (the tutorial's `POST /groups`). The answer shows
/// its fields, not the data. Needs the store alone (a new top-level resource).
pub(crate) fn create_root(
    store: &mut Store,
    caller: &Caller,
    call: &Call<'_>,
    root: &str,
) -> Reply {
    let kind = match root {
        "users" => ResourceKind::User,
        "groups" => ResourceKind::Group,
        "devices" => ResourceKind::Device,
        _ => ResourceKind::AdministrativeUnit,
    };
    let body = match body_object(call) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut split = match data::split_body(body, call.schemas, caller, kind) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let dir = match directory::split(&mut split.fields, &registry(store), kind) {
        Ok(d) => d,
        Err(r) => return r,
    };
    if let Err(r) = check_fields(kind, &split.fields) {
        return r;
    }
    let mut fields = Map::new();
    let id = store.new_guid();
    fields.insert("id".into(), Value::String(id));
    fields.extend(split.fields);
    let mut node = Node::new(&fields);
    let schema_write = !split.data.is_empty();
    data::apply_data(&mut node, split.data);
    if let Err(r) = directory::apply(&mut node, kind, dir, schema_write) {
        return r;
    }
    store.add_root(root, node);
    Reply::json(201, Value::Object(fields))
}

/// Removes the data of a deleted schema extension definition from every resource.
pub(crate) fn purge_schema_data(store: &Store, id: &str) {
    for coll in store.roots.values() {
        for node in coll.iter() {
            data::purge(&mut store::lock(node), id);
        }
    }
}

/// A resource itself: `GET` (its fields as `$select` asks, with its open extensions when
/// `$expand`ed and its schema extension data when selected) and `PATCH` (its fields and schema
/// extension data, checked against the definitions).
pub(super) fn resource(
    store: &Store,
    caller: &Caller,
    call: &Call<'_>,
    kind: ResourceKind,
) -> Result<Reply, Reply> {
    let path = call.path;
    match call.method {
        "GET" => {
            if kind == ResourceKind::User {
                check_user_expand(call)?;
            }
            // The `$select` checked, and the registry taken, before the resource, as every flow
            // takes them.
            let select = selected(call);
            if let Some(select) = &select {
                check_select(kind, select, call, caller)?;
            }
            let registry = registry(store);
            with_node(store, caller, &path.steps, |node| {
                let expand = parse_expand(call.query.get("$expand").map_or("", String::as_str))?;
                if let Some(None) = expand
                    && kind.class() == ResourceClass::OutlookItem
                {
                    return Err(error(
                        400,
                        "ErrorGraphExtensionExpandRequiresFilter",
                        "Expanding extensions on this resource requires a filter on id, such as $expand=extensions($filter=id eq '{name}').",
                    ));
                }
                Ok(Reply::json(
                    200,
                    expanded_selected(node, kind, &registry, expand.as_ref(), select.as_deref()),
                ))
            })
        }
        "PATCH" => {
            let body = body_object(call)?;
            let mut split = data::split_body(body, call.schemas, caller, kind)?;
            // The registry before the resource, as every flow takes them.
            let registry = registry(store);
            let dir = directory::split(&mut split.fields, &registry, kind)?;
            check_fields(kind, &split.fields)?;
            with_node(store, caller, &path.steps, |node| {
                // Schema data first, so that the limit of 100 extension values counts both
                // kinds; undone if the directory part is refused.
                let schema_write = !split.data.is_empty();
                let before = schema_write.then(|| node.data());
                data::apply_data(node, split.data);
                if let Err(r) = directory::apply(node, kind, dir, schema_write) {
                    if let Some(before) = before {
                        node.set_data(&before);
                    }
                    return Err(r);
                }
                if !split.fields.is_empty() {
                    let mut fields = node.fields();
                    fields.extend(split.fields);
                    node.set_fields(&fields);
                }
                // Directory objects answer 204; Outlook and to-do items answer 200 with the
                // item as updated (learn.microsoft.com/graph/api/message-update, event-update,
                // contact-update, todotask-update).
                if kind.class() == ResourceClass::DirectoryObject {
                    Ok(Reply::empty(204))
                } else {
                    Ok(Reply::json(
                        200,
                        expanded_selected(node, kind, &registry, None, None),
                    ))
                }
            })
        }
        m => Err(error(
            405,
            "MethodNotAllowed",
            &format!("The method {m} is not supported on this resource."),
        )),
    }
}

/// `node` as an answer: only the `$select`ed fields (all without `$select`), its open
/// extensions when expanded, and the schema extension data it selects.
pub(super) fn expanded_selected(
    node: &Node,
    kind: ResourceKind,
    registry: &super::directory::Registry,
    filter: Option<&Option<String>>,
    select: Option<&[String]>,
) -> Value {
    let mut v = expanded(node, filter);
    if let (Some(select), Value::Object(obj)) = (select, &mut v) {
        obj.retain(|k, _| k == "extensions" || select.iter().any(|f| f.eq_ignore_ascii_case(k)));
        // A selected property the resource has no value for is shown as `null`, as Graph does.
        for name in select {
            if let Some(p) = model::property(kind, name)
                && !obj.keys().any(|k| k.eq_ignore_ascii_case(p))
            {
                obj.insert(p.to_owned(), Value::Null);
            }
        }
        // Schema extension data, directory extensions and extension attributes are shown
        // only when selected.
        obj.extend(data::selected_data(node, select));
        obj.extend(directory::selected(node, kind, select, registry));
    }
    v
}
