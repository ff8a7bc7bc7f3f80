//! The admin routes (`/_emulator/state`, `/_emulator/seed`, `/_emulator/reset`), behind their
//! own bearer token.

use super::*;

/// A token nobody can guess from outside the process: hashes of the time and the process,
/// with the standard library's per-process random keys. (The emulator is a test server on
/// loopback; this keeps web pages and other local users off its admin routes.)
pub(super) fn draw_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::from("admin-");
    for i in 0..2u8 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u8(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        h.write_u32(std::process::id());
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

fn admin_error(status: u16, message: &str) -> Response {
    json_response(
        status,
        &json!({"error": {"code": if status == 401 { "InvalidAuthenticationToken" } else { "BadRequest" }, "message": message}}),
        Vec::new(),
    )
}

/// The admin route's tenant (`?tenant=ID`, else the default), once its token is checked:
/// `None` without the admin token.
/// The console's cookie counts too (with its header for a change: `change`).
fn admin_tenant(s: &Shared, uri: &Uri, headers: &HeaderMap, change: bool) -> Option<String> {
    super::console::authorized(s, headers, change).then(|| {
        parse_query(uri.query())
            .remove("tenant")
            .unwrap_or_else(|| DEFAULT_TENANT_ID.to_owned())
    })
}

fn unauthorized() -> Response {
    admin_error(
        401,
        "The admin routes need `Authorization: Bearer <admin token>` (printed at start).",
    )
}

fn unknown_tenant() -> Response {
    admin_error(404, "No such tenant.")
}

pub(super) async fn admin_state(
    State(s): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Some(tenant) = admin_tenant(&s, &uri, &headers, false) else {
        return unauthorized();
    };
    match s.with_store(&tenant, |st| st.dump()) {
        Some(mut state) => {
            let defs = s.schemas.dump(&tenant);
            if let (false, Some(obj)) = (defs.is_empty(), state.as_object_mut()) {
                obj.insert("schemaExtensions".into(), serde_json::Value::Array(defs));
            }
            // `?download=1` (the console's link): saved as a seed file.
            let download = parse_query(uri.query()).contains_key("download");
            let headers = if download {
                vec![(
                    "content-disposition".to_owned(),
                    "attachment; filename=\"emulator-seed.json\"".to_owned(),
                )]
            } else {
                Vec::new()
            };
            json_response(200, &state, headers)
        }
        None => unknown_tenant(),
    }
}

pub(super) async fn admin_reset(
    State(s): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Some(tenant) = admin_tenant(&s, &uri, &headers, true) else {
        return unauthorized();
    };
    // Back to the seed the tenant started with.
    let Some(source) = s.seeds.get(&tenant) else {
        return unknown_tenant();
    };
    match source.build() {
        Ok(mut fresh) => {
            s.schemas
                .replace_tenant(&tenant, std::mem::take(&mut fresh.seeded_schemas));
            s.with_store_mut(&tenant, |st| *st = fresh);
        }
        Err(e) => return admin_error(500, &format!("cannot read the seed again: {e}")),
    }
    s.buckets.lock().unwrap_or_else(|e| e.into_inner()).clear();
    StatusCode::NO_CONTENT.into_response()
}

pub(super) async fn admin_seed(
    State(s): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(tenant) = admin_tenant(&s, &uri, &headers, true) else {
        return unauthorized();
    };
    match s.with_store_mut(&tenant, |st| {
        st.seed_from_slice(&body)
            .map(|()| std::mem::take(&mut st.seeded_schemas))
    }) {
        Some(Ok(defs)) => {
            s.schemas.add(&tenant, defs);
            StatusCode::NO_CONTENT.into_response()
        }
        None => unknown_tenant(),
        Some(Err(e)) => admin_error(400, &e),
    }
}
