//! Collections: listing users page by page, and new items that carry extensions.

use serde_json::{Value, json};

use super::*;

pub(super) fn list_users(store: &Store, call: &Call<'_>) -> Result<Reply, Reply> {
    check_user_expand(call)?;
    let expand = parse_expand(call.query.get("$expand").map_or("", String::as_str))?;
    let select = selected(call);
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
    let users = store.roots.get("users");
    let users_len = users.map_or(0, Collection::len);
    // Every number from a request is checked: a skip past the end (or past `usize`) is refused,
    // never an overflow.
    let skip = match call.query.get("$skiptoken") {
        None => 0,
        Some(s) => s
            .strip_prefix("skip-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&n| n <= users_len)
            .ok_or_else(|| error(400, "BadRequest", "Invalid $skiptoken."))?,
    };
    let page: Vec<Value> = users
        .into_iter()
        .flat_map(|c| c.iter().skip(skip).take(top))
        .map(|n| expanded_selected(&store::lock(n), expand.as_ref(), select.as_deref()))
        .collect();
    let mut body =
        json!({ "@odata.context": format!("{}/$metadata#users", call.base), "value": page });
    let end = skip.saturating_add(top);
    if end < users_len {
        let mut link = format!("{}/users?", call.base);
        if let Some(raw) = call.query.get("$select") {
            link.push_str(&format!(
                "%24select={}&",
                extensions_core::resource::encode_component(raw)
            ));
        }
        if expand.is_some() {
            let raw = call.query.get("$expand").cloned().unwrap_or_default();
            link.push_str(&format!(
                "%24expand={}&",
                extensions_core::resource::encode_component(&raw)
            ));
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
