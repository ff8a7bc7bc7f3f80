//! `$expand` and `$select`: what a read of a resource or of the users returns.

use serde_json::Value;

use super::*;

/// `extensions` or `extensions($filter=id eq 'X')` in `$expand`.
pub(super) fn parse_expand(expand: &str) -> Result<Option<Option<String>>, Reply> {
    let e = expand.trim();
    if e.is_empty() {
        return Ok(None);
    }
    if e.eq_ignore_ascii_case("extensions") {
        return Ok(Some(None));
    }
    let bad = || {
        error(
            400,
            "BadRequest",
            &format!("Parsing OData Select and Expand failed: '{expand}' is not supported."),
        )
    };
    let inner = e
        .get(..11)
        .filter(|p| p.eq_ignore_ascii_case("extensions("))
        .and_then(|_| e[11..].strip_suffix(')'))
        .ok_or_else(bad)?;
    let inner = inner.trim();
    let filter = inner
        .get(..8)
        .filter(|p| p.eq_ignore_ascii_case("$filter="))
        .map(|_| &inner[8..])
        .ok_or_else(bad)?;
    let mut words = filter.split_whitespace();
    let (Some(field), Some(op)) = (words.next(), words.next()) else {
        return Err(bad());
    };
    let rest: Vec<&str> = words.collect();
    let literal = rest.join(" ");
    if !field.eq_ignore_ascii_case("id") || !op.eq_ignore_ascii_case("eq") {
        return Err(bad());
    }
    let value = literal
        .strip_prefix('\'')
        .and_then(|l| l.strip_suffix('\''))
        .ok_or_else(bad)?;
    Ok(Some(Some(value.replace("''", "'"))))
}

/// The `$select` list, if any (names as given).
pub(super) fn selected(call: &Call<'_>) -> Option<Vec<String>> {
    call.query.get("$select").map(|s| {
        s.split(',')
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty())
            .collect()
    })
}

/// Graph's answer to `$expand=extensions` on users without a `$select` that includes `id`
/// (msgraph-sdk-dotnet#745): a 500.
pub(super) fn check_user_expand(call: &Call<'_>) -> Result<(), Reply> {
    let has_id = selected(call).is_some_and(|s| s.iter().any(|f| f.eq_ignore_ascii_case("id")));
    if call.query.contains_key("$expand") && !has_id {
        return Err(error(
            500,
            "InternalServerError",
            "The entity instance value of type 'microsoft.graph.user' doesn't have a value for property 'id'. To compute an entity's metadata, its key and concurrency-token property values must be provided.",
        ));
    }
    Ok(())
}

/// `node` as an answer: only the `$select`ed fields (all without `$select`), and the
/// extensions when expanded.
pub(super) fn expanded_selected(
    node: &Node,
    filter: Option<&Option<String>>,
    select: Option<&[String]>,
) -> Value {
    let mut v = expanded(node, filter);
    if let (Some(select), Value::Object(obj)) = (select, &mut v) {
        obj.retain(|k, _| k == "extensions" || select.iter().any(|f| f.eq_ignore_ascii_case(k)));
        // Schema extension data is shown only when selected.
        obj.extend(super::schema_data::selected_data(node, select));
    }
    v
}

pub(super) fn expanded(node: &Node, filter: Option<&Option<String>>) -> Value {
    let mut obj = node.fields();
    if let Some(filter) = filter {
        let exts: Vec<Value> = node
            .extensions
            .iter()
            .filter(|e| filter.as_ref().is_none_or(|f| e.matches(f)))
            .map(|e| Value::Object(e.object()))
            .collect();
        obj.insert("extensions".into(), Value::Array(exts));
    }
    Value::Object(obj)
}
