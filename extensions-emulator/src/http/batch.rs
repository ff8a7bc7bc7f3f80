//! `POST /$batch`: the envelope, each item through the same dispatch as a top-level request.

use super::*;

/// `POST /$batch`: at most 20 requests, unique ids, `dependsOn`, 424 for failed dependencies,
/// per-item throttling.
/// The envelope's `trace` gets the item and throttled counts; each item is logged with its
/// envelope's number.
pub(super) fn batch(
    s: &Shared,
    caller: &Caller,
    body: &[u8],
    base: &str,
    trace: &mut Trace,
) -> Reply {
    let bad = |m: &str| graph::error(400, "BadRequest", m);
    let Ok(Value::Object(env)) = serde_json::from_slice::<Value>(body) else {
        return bad("The batch body must be a JSON object with a `requests` array.");
    };
    let Some(Value::Array(requests)) = env.get("requests") else {
        return bad("The batch body must have a `requests` array.");
    };
    if requests.is_empty() || requests.len() > extensions_core::limits::MAX_BATCH_REQUESTS {
        return bad("A batch must hold between 1 and 20 requests.");
    }
    let mut items = Vec::new();
    for r in requests {
        let id = r.get("id").and_then(Value::as_str);
        let method = r.get("method").and_then(Value::as_str);
        let url = r.get("url").and_then(Value::as_str);
        let (Some(id), Some(method), Some(url)) = (id, method, url) else {
            return bad("Every batch request needs `id`, `method` and `url`.");
        };
        if items
            .iter()
            .any(|(i, ..): &(&str, &str, &str, &Value)| i.eq_ignore_ascii_case(id))
        {
            return bad(&format!("Batch request id '{id}' is not unique."));
        }
        items.push((id, method, url, r));
    }
    let ids: Vec<&str> = items.iter().map(|(i, ..)| *i).collect();
    for (id, _, _, r) in &items {
        if let Some(deps) = r.get("dependsOn") {
            let Some(deps) = deps.as_array() else {
                return bad("`dependsOn` must be an array of ids.");
            };
            for d in deps {
                if !d.as_str().is_some_and(|d| ids.contains(&d) && d != *id) {
                    return bad(&format!(
                        "Request '{id}' depends on an id that is not another request of this batch."
                    ));
                }
            }
        }
    }
    let mut statuses: HashMap<&str, u16> = HashMap::new();
    let mut throttled_before = 0;
    let mut responses = Vec::new();
    // Requests run in an order that respects dependsOn; a cycle leaves the rest failed.
    let mut pending: Vec<usize> = (0..items.len()).collect();
    while !pending.is_empty() {
        let ready = pending.iter().position(|&i| {
            items[i]
                .3
                .get("dependsOn")
                .and_then(Value::as_array)
                .is_none_or(|ds| {
                    ds.iter()
                        .all(|d| d.as_str().is_some_and(|d| statuses.contains_key(d)))
                })
        });
        let Some(pos) = ready else {
            for &i in &pending {
                responses.push(batch_item(
                    items[i].0,
                    graph::error(
                        424,
                        "FailedDependency",
                        "A dependency could not run (cycle).",
                    ),
                ));
            }
            break;
        };
        let i = pending.remove(pos);
        let (id, method, url, r) = items[i];
        let failed_dep = r
            .get("dependsOn")
            .and_then(Value::as_array)
            .is_some_and(|ds| {
                ds.iter().any(|d| {
                    d.as_str()
                        .and_then(|d| statuses.get(d))
                        .is_some_and(|s| *s >= 400)
                })
            });
        let mut entry = Entry::new(
            trace.n,
            &method.to_ascii_uppercase(),
            url,
            std::time::Instant::now(),
        );
        entry.app = trace.app.clone();
        let throttled = throttled_before;
        let reply = if failed_dep {
            graph::error(
                424,
                "FailedDependency",
                "The request depends on a request that failed.",
            )
        } else {
            batch_one(
                s,
                caller,
                (method, url, r),
                base,
                &mut throttled_before,
                &mut entry.level,
            )
        };
        if throttled_before > throttled {
            entry.note = reply
                .headers
                .iter()
                .find(|(k, _)| k == "Retry-After")
                .map(|(_, v)| Note::Throttled(v.as_str().into()));
        }
        entry.request.outcome = RequestOutcome::Answered(reply.status);
        s.item_log.push(entry);
        statuses.insert(id, reply.status);
        responses.push(batch_item(id, reply));
    }
    trace.note = Some(Note::Batch {
        items: u32::try_from(responses.len()).unwrap_or(u32::MAX),
        throttled: throttled_before,
    });
    Reply {
        status: 200,
        headers: Vec::new(),
        body: Some(json!({ "responses": responses })),
    }
}

/// One batch item: `(method, url, the item's JSON)`.
type BatchItem<'a> = (&'a str, &'a str, &'a Value);

fn batch_one(
    s: &Shared,
    caller: &Caller,
    (method, url, r): BatchItem<'_>,
    base: &str,
    throttled_before: &mut u32,
    level: &mut Option<f32>,
) -> Reply {
    let body = r.get("body");
    if body.is_some() {
        let has_ct = r
            .get("headers")
            .and_then(Value::as_object)
            .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("content-type")));
        if !has_ct {
            return graph::error(
                400,
                "BadRequest",
                "A batch request with a body needs a Content-Type header.",
            );
        }
    }
    if let Err(wait) = s.take_token_behind(&caller.bucket(), *throttled_before, level) {
        *throttled_before += 1;
        return s.throttled(wait);
    }
    // Item URLs are relative to the version: a version prefix is an unknown segment to Graph
    // (msgraph-sdk-javascript#1178), answered on the item, not stripped.
    if let Some(first) = url.trim_start_matches('/').split(['/', '?']).next()
        && (first.eq_ignore_ascii_case("v1.0") || first.eq_ignore_ascii_case("beta"))
    {
        return graph::error(
            400,
            "BadRequest",
            &format!("Resource not found for the segment '{first}'."),
        );
    }
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url, None),
    };
    let consistency = r.get("headers").and_then(Value::as_object).and_then(|h| {
        h.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("consistencylevel"))
            .and_then(|(_, v)| v.as_str())
    });
    dispatch(
        s,
        caller,
        &method.to_ascii_uppercase(),
        path,
        query,
        body,
        base,
        super::eventual(consistency),
    )
}

fn batch_item(id: &str, reply: Reply) -> Value {
    let mut headers = serde_json::Map::new();
    if reply.body.is_some() {
        headers.insert("Content-Type".into(), json!("application/json"));
    }
    for (k, v) in &reply.headers {
        headers.insert(k.clone(), json!(v));
    }
    let mut item = json!({ "id": id, "status": reply.status, "headers": headers });
    if let Some(b) = reply.body {
        item["body"] = b;
    }
    item
}
