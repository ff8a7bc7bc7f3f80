//! `$expand=extensions`: a resource's open extensions in a read of it or of the users.

use serde_json::Value;

use crate::graph::{Call, Node, Reply, error, selected};

/// `extensions` or `extensions($filter=id eq 'X')` in `$expand`.
pub(crate) fn parse_expand(expand: &str) -> Result<Option<Option<String>>, Reply> {
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

/// Graph's answer to `$expand=extensions` on users without a `$select` that includes `id`
/// (msgraph-sdk-dotnet#745): a 500.
pub(crate) fn check_user_expand(call: &Call<'_>) -> Result<(), Reply> {
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

pub(crate) fn expanded(node: &Node, filter: Option<&Option<String>>) -> Value {
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

#[cfg(test)]
mod tests {
    use super::*;

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
