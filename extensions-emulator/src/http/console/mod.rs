//! The web console at `/_emulator/`: a page (three embedded files, no network) and the JSON
//! routes it reads, behind the admin token.
//!
//! **Access.** The page is opened once with `?token=<admin token>` (the URL the binary prints),
//! which sets an `HttpOnly`, `SameSite=Strict` cookie holding the token for `/_emulator` and
//! redirects to the bare URL, as Jupyter does. Every console route then takes either that
//! cookie or `Authorization: Bearer <admin token>`; a Graph token never opens it. A request that
//! changes something (reset, controls, the request box) with the cookie must also carry the
//! header `X-Emulator-Console: 1`, which a page of another origin cannot send without a CORS
//! preflight the emulator never grants.
//!
//! **Cost when closed.** The request path keeps, per request, what it knew anyway (the app, the
//! bucket's level, what a fault or the throttle did) in the request log it already had. Request
//! and response bodies are copied only while a console holds its live stream open
//! ([`Console::watched`]: one atomic load per request otherwise).

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use super::log::{Entry, Note, RequestOutcome};
use super::{Shared, json_response, parse_query};
use crate::config::DEFAULT_TENANT_ID;
use crate::graph::Reply;

mod redact;
pub(crate) use redact::redact;

const INDEX_HTML: &str = include_str!("index.html");
const CONSOLE_JS: &str = include_str!("console.js");
const CONSOLE_CSS: &str = include_str!("console.css");

/// How many requests keep their bodies (the most recent), while a console watches.
const BODIES_KEPT: usize = 500;
/// A body longer than this (request or response) is not kept: a note says how long it was.
/// With [`BODIES_KEPT`], at most about 64 MB are held, and only while a console watches.
const BODY_LIMIT: usize = 64 * 1024;
/// How often the live stream looks for new requests.
const POLL: Duration = Duration::from_millis(150);
/// The throttling chart's reach, at most.
const CHART_SECONDS_MAX: u64 = 900;

/// The console's state inside the emulator.
pub(crate) struct Console {
    /// Live streams open now.
    watchers: AtomicUsize,
    /// Set when the emulator stops: live streams end.
    stopped: AtomicBool,
    /// Bodies of recent requests, by request number, kept while someone watches.
    bodies: Mutex<VecDeque<(u64, Captured)>>,
    /// The clock pair that turns a log entry's `Instant` into a wall-clock time.
    started: (Instant, SystemTime),
    /// What the console's cookie holds: drawn at start, never the admin token itself.
    session: String,
}

impl Default for Console {
    fn default() -> Self {
        Self {
            watchers: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
            bodies: Mutex::new(VecDeque::new()),
            started: (Instant::now(), SystemTime::now()),
            session: super::admin::draw_token().replacen("admin-", "console-", 1),
        }
    }
}

impl Console {
    /// Whether a console holds its live stream open (then bodies are kept).
    pub(crate) fn watched(&self) -> bool {
        self.watchers.load(Ordering::Relaxed) > 0
    }

    /// Ends the live streams (the emulator stops).
    pub(crate) fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    pub(crate) fn keep(&self, n: u64, captured: Captured) {
        let mut bodies = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
        if bodies.len() == BODIES_KEPT {
            bodies.pop_front();
        }
        bodies.push_back((n, captured));
    }

    fn bodies_of(&self, n: u64) -> Option<Captured> {
        let bodies = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
        bodies
            .iter()
            .rev()
            .find(|(m, _)| *m == n)
            .map(|(_, c)| c.clone())
    }

    /// Milliseconds since the Unix epoch of a log entry's time.
    fn wall_ms(&self, at: Instant) -> u128 {
        let wall = match at.checked_duration_since(self.started.0) {
            Some(after) => self.started.1 + after,
            None => self.started.1 - self.started.0.duration_since(at),
        };
        wall.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis())
    }
}

/// A request's headers and body, and its answer's, secrets redacted (kept while a console
/// watches).
#[derive(Clone)]
pub(crate) struct Captured {
    request_headers: Vec<(String, String)>,
    request_body: Option<Value>,
    response_headers: Vec<(String, String)>,
    response_body: Option<Value>,
}

/// A body as the console shows it: JSON with secrets redacted, else text, cut at
/// [`BODY_LIMIT`].
fn shown_body(bytes: &[u8]) -> Option<Value> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    if bytes.len() > BODY_LIMIT {
        return Some(too_long(bytes.len()));
    }
    Some(match serde_json::from_slice::<Value>(bytes) {
        Ok(mut v) => {
            redact(&mut v);
            v
        }
        // Not JSON: a form (`client_secret=…&…`) has its secret values redacted; other text
        // is shown as it came.
        Err(_) => Value::String(redact::redact_form(&String::from_utf8_lossy(bytes)).into_owned()),
    })
}

fn too_long(len: usize) -> Value {
    json!({"@emulator.cut": format!("{len} bytes; the console keeps bodies up to {BODY_LIMIT} bytes")})
}

impl Captured {
    /// What the console keeps of a request: its headers (the token redacted) and body.
    pub(crate) fn request(headers: &HeaderMap, body: &Bytes) -> Self {
        let request_headers = headers
            .iter()
            .map(|(k, v)| {
                let value = if redact::secret_header(k.as_str()) {
                    "«redacted»".to_owned()
                } else {
                    String::from_utf8_lossy(v.as_bytes()).into_owned()
                };
                (k.as_str().to_owned(), value)
            })
            .collect();
        Self {
            request_headers,
            request_body: shown_body(body),
            response_headers: Vec::new(),
            response_body: None,
        }
    }

    /// Adds the answer (none when the connection was reset).
    pub(crate) fn answered(mut self, reply: Option<&Reply>) -> Self {
        if let Some(r) = reply {
            self.response_headers = r.headers.clone();
            self.response_body = r.body.as_ref().map(|b| {
                // Measured before it is copied: a page of 999 users is not kept.
                let len = serde_json::to_vec(b).map_or(0, |v| v.len());
                if len > BODY_LIMIT {
                    return too_long(len);
                }
                let mut b = b.clone();
                redact(&mut b);
                b
            });
        }
        self
    }

    fn json(&self) -> Value {
        let headers = |h: &[(String, String)]| -> Value {
            h.iter()
                .map(|(k, v)| json!([k, v]))
                .collect::<Vec<_>>()
                .into()
        };
        json!({
            "request": {"headers": headers(&self.request_headers), "body": self.request_body},
            "response": {"headers": headers(&self.response_headers), "body": self.response_body},
        })
    }
}

/// The console's routes, added to the emulator's router.
pub(crate) fn routes(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    router
        .route("/_emulator", get(to_slash))
        .route("/_emulator/", get(page))
        .route("/_emulator/console.js", get(script))
        .route("/_emulator/console.css", get(style))
        .route("/_emulator/api/info", get(info))
        .route("/_emulator/api/resources", get(resources))
        .route("/_emulator/api/resource", get(resource))
        .route("/_emulator/api/definitions", get(definitions))
        .route("/_emulator/api/requests", get(requests))
        .route("/_emulator/api/requests/{n}", get(request_detail))
        .route("/_emulator/api/events", get(events))
        .route("/_emulator/api/throttle", get(throttle_chart))
        .route("/_emulator/api/controls", post(controls))
        .route("/_emulator/api/try", post(try_request))
}

/// The cookie's name: per admin token, so two emulators on one host (cookies ignore the port)
/// do not overwrite each other's.
fn cookie_name(s: &Shared) -> String {
    use std::hash::{Hash, Hasher};
    // Fixed keys: the same name on every run with the same token.
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new();
    s.admin_token.hash(&mut h);
    format!("emulator-console-{:08x}", h.finish() as u32)
}

/// Compares secrets in time that does not depend on where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether the request carries the admin token: as a bearer token, or as the console's cookie
/// (then, for a change, with `X-Emulator-Console: 1` too).
pub(crate) fn authorized(s: &Shared, headers: &HeaderMap, change: bool) -> bool {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer.is_some_and(|b| same_secret(b.as_bytes(), s.admin_token.as_bytes())) {
        return true;
    }
    let name = cookie_name(s);
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .any(|(k, v)| k == name && same_secret(v.as_bytes(), s.console.session.as_bytes()));
    cookie
        && (!change
            || headers
                .get("x-emulator-console")
                .is_some_and(|v| v.as_bytes() == b"1"))
}

fn refused() -> Response {
    json_response(
        401,
        &json!({"error": {"code": "InvalidAuthenticationToken", "message":
            "The console needs the admin token: open the console URL the emulator printed at start (/_emulator/?token=…), or send Authorization: Bearer <admin token>."}}),
        Vec::new(),
    )
}

/// Headers of the page and its files: nothing from elsewhere, never framed, never cached.
fn page_response(status: StatusCode, content_type: &'static str, body: &'static str) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

const REFUSED_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<link rel=\"icon\" href=\"data:,\">\
<title>Graph emulator console: admin token needed</title></head><body><main>\
<h1>The console needs the admin token</h1><p>Open the console URL the emulator printed at start \
(<code>http://HOST:PORT/_emulator/?token=…</code>). The token is the admin routes' token: \
<code>--admin-token</code>, or the one drawn at start.</p></main></body></html>";

async fn to_slash(uri: Uri) -> Response {
    let location = match uri.query() {
        Some(q) => format!("/_emulator/?{q}"),
        None => "/_emulator/".to_owned(),
    };
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::try_from(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// `GET /_emulator/`: with `?token=` the admin token, sets the cookie (a session drawn at
/// start, not the token) and sends the browser to the bare URL (so the token leaves the address
/// bar and the history); with the cookie, the page.
async fn page(State(s): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    if let Some(token) = parse_query(uri.query()).remove("token") {
        if !same_secret(token.as_bytes(), s.admin_token.as_bytes()) {
            return page_response(
                StatusCode::UNAUTHORIZED,
                "text/html; charset=utf-8",
                REFUSED_PAGE,
            );
        }
        let mut r = page_response(StatusCode::SEE_OTHER, "text/plain; charset=utf-8", "");
        let cookie = format!(
            "{}={}; Path=/_emulator; HttpOnly; SameSite=Strict",
            cookie_name(&s),
            s.console.session
        );
        if let Ok(v) = HeaderValue::try_from(cookie) {
            r.headers_mut().insert(header::SET_COOKIE, v);
        }
        r.headers_mut()
            .insert(header::LOCATION, HeaderValue::from_static("/_emulator/"));
        return r;
    }
    if !authorized(&s, &headers, false) {
        return page_response(
            StatusCode::UNAUTHORIZED,
            "text/html; charset=utf-8",
            REFUSED_PAGE,
        );
    }
    page_response(StatusCode::OK, "text/html; charset=utf-8", INDEX_HTML)
}

/// The script and the style sheet hold no data: served to anyone, as any static file.
async fn script() -> Response {
    page_response(StatusCode::OK, "text/javascript; charset=utf-8", CONSOLE_JS)
}

async fn style() -> Response {
    page_response(StatusCode::OK, "text/css; charset=utf-8", CONSOLE_CSS)
}

fn bad(message: &str) -> Response {
    json_response(
        400,
        &json!({"error": {"code": "BadRequest", "message": message}}),
        Vec::new(),
    )
}

/// The tenant a console route names (`?tenant=`, else the default), if configured.
fn tenant_of(s: &Shared, uri: &Uri) -> Option<String> {
    let tenant = parse_query(uri.query())
        .remove("tenant")
        .unwrap_or_else(|| DEFAULT_TENANT_ID.to_owned());
    s.stores.contains_key(&tenant).then_some(tenant)
}

fn no_tenant() -> Response {
    json_response(
        404,
        &json!({"error": {"code": "NotFound", "message": "No such tenant."}}),
        Vec::new(),
    )
}

/// Tenants, their apps, the throttle and the fault rules: what the page starts from.
async fn info(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if !authorized(&s, &headers, false) {
        return refused();
    }
    let app = |tenant: &str, a: &crate::config::App| json!({"tenant": tenant, "appId": a.app_id, "bucket": format!("{tenant}/{}", a.app_id), "me": a.me});
    let mut apps: Vec<Value> = s
        .config
        .apps
        .iter()
        .map(|a| app(DEFAULT_TENANT_ID, a))
        .collect();
    for t in &s.config.tenants {
        apps.extend(t.apps.iter().map(|a| app(&t.id, a)));
    }
    json_response(
        200,
        &json!({
            "tenants": s.stores.keys().collect::<Vec<_>>(),
            "defaultTenant": DEFAULT_TENANT_ID,
            "apps": apps,
            "controls": controls_json(&s),
        }),
        Vec::new(),
    )
}

fn controls_json(s: &Shared) -> Value {
    let t = *s.throttle.lock().unwrap_or_else(|e| e.into_inner());
    json!({
        "faults": s.faults_on.load(Ordering::Relaxed),
        "faultRules": s.config.faults.rules.len(),
        "throttle": s.throttle_on.load(Ordering::Relaxed),
        "throttleRequests": t.requests,
        "throttleWindowSeconds": t.window.as_secs_f64(),
    })
}

/// `POST /_emulator/api/controls` `{"faults": bool, "throttle": bool}` (either or both).
async fn controls(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    if !authorized(&s, &headers, true) {
        return refused();
    }
    let Ok(Value::Object(change)) = serde_json::from_slice::<Value>(&body) else {
        return bad("The body must be a JSON object such as {\"faults\": false}.");
    };
    for (key, value) in &change {
        let Some(on) = value.as_bool() else {
            return bad(&format!("`{key}` must be true or false."));
        };
        match key.as_str() {
            "faults" => s.faults_on.store(on, Ordering::Relaxed),
            "throttle" => {
                s.throttle_on.store(on, Ordering::Relaxed);
                // Back on, every bucket starts full, as after a change of limit.
                s.buckets.lock().unwrap_or_else(|e| e.into_inner()).clear();
            }
            other => return bad(&format!("Unknown control `{other}`: faults or throttle.")),
        }
    }
    json_response(200, &controls_json(&s), Vec::new())
}

/// `GET /_emulator/api/resources?tenant=&q=&limit=`: top-level resources matching a search.
async fn resources(State(s): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    if !authorized(&s, &headers, false) {
        return refused();
    }
    let Some(tenant) = tenant_of(&s, &uri) else {
        return no_tenant();
    };
    let q = parse_query(uri.query());
    let limit = q
        .get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(200)
        .min(1000);
    let query = q.get("q").map_or("", String::as_str);
    let (items, matched) = s
        .with_store(&tenant, |st| st.console_list(query, limit))
        .unwrap_or_default();
    json_response(
        200,
        &json!({"items": items, "matched": matched}),
        Vec::new(),
    )
}

/// `GET /_emulator/api/resource?tenant=&collection=&id=`: one resource with all it holds.
async fn resource(State(s): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    if !authorized(&s, &headers, false) {
        return refused();
    }
    let Some(tenant) = tenant_of(&s, &uri) else {
        return no_tenant();
    };
    let q = parse_query(uri.query());
    let (Some(collection), Some(id)) = (q.get("collection"), q.get("id")) else {
        return bad("Name the resource: ?collection=users&id=ID.");
    };
    match s.with_store(&tenant, |st| st.console_resource(collection, id)) {
        Some(Some(mut v)) => {
            redact::redact_fields(&mut v);
            json_response(200, &v, Vec::new())
        }
        _ => json_response(
            404,
            &json!({"error": {"code": "NotFound", "message": format!("No {collection} with id {id}.")}}),
            Vec::new(),
        ),
    }
}

/// `GET /_emulator/api/definitions?tenant=`: schema extensions (with each owner's count
/// against the five-per-owner limit), applications and their directory extension definitions.
async fn definitions(State(s): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    if !authorized(&s, &headers, false) {
        return refused();
    }
    let Some(tenant) = tenant_of(&s, &uri) else {
        return no_tenant();
    };
    // Definitions are shared by every tenant: all are listed, each with the tenant it was
    // registered in; the limit of five counts per owner app.
    let schemas: Vec<Value> = s
        .schemas
        .dump_all()
        .into_iter()
        .map(|(registered_in, mut d)| {
            if let Some(o) = d.as_object_mut() {
                o.insert("@emulator.tenant".into(), registered_in.into());
            }
            d
        })
        .collect();
    let mut per_owner: Map<String, Value> = Map::new();
    for d in &schemas {
        if let Some(owner) = d.get("owner").and_then(Value::as_str) {
            let n = per_owner.get(owner).and_then(Value::as_u64).unwrap_or(0);
            per_owner.insert(owner.to_owned(), (n + 1).into());
        }
    }
    let mut registry = Map::new();
    if let Some(()) = s.with_store(&tenant, |st| crate::graph::registry(st).dump(&mut registry)) {
        json_response(
            200,
            &json!({
                "schemaExtensions": schemas,
                "schemaPerOwner": per_owner,
                "schemaLimitPerOwner": 5,
                "applications": registry.remove("applications").unwrap_or(json!([])),
                "extensionProperties": registry.remove("extensionProperties").unwrap_or(json!([])),
            }),
            Vec::new(),
        )
    } else {
        no_tenant()
    }
}

/// A log entry as the console shows it.
fn entry_json(s: &Shared, e: &Entry, bodies: bool) -> Value {
    let (status, outcome) = match e.request.outcome {
        RequestOutcome::Answered(st) => (Some(st), "answered"),
        RequestOutcome::Reset => (None, "reset"),
        RequestOutcome::Dropped(st) => (Some(st), "dropped"),
    };
    let (tenant, app_id) = e
        .app
        .as_deref()
        .and_then(|b| b.split_once('/'))
        .map_or((None, None), |(t, a)| (Some(t), Some(a)));
    let note = e.note.as_ref().map(|n| match n {
        Note::Injected(text) | Note::Fault(text) => {
            json!({"kind": "fault", "text": format!("fault: {text}")})
        }
        Note::Throttled(after) => json!({"kind": "throttled", "text": format!("throttled: 429, Retry-After {after}"), "retryAfter": after.as_ref()}),
        Note::Batch { items, throttled } => json!({"kind": "batch", "text": format!(
            "$batch opened into {items} item{}{}",
            if *items == 1 { "" } else { "s" },
            if *throttled > 0 { format!(", {throttled} throttled") } else { String::new() }
        )}),
    });
    json!({
        "n": e.n,
        "method": e.request.method,
        "target": redact::redact_query(&e.request.target),
        "status": status,
        "outcome": outcome,
        "at": s.console.wall_ms(e.request.at) as u64,
        "tenant": tenant,
        "app": app_id,
        "bucket": e.app.as_deref(),
        "level": e.level.map(|l| (f64::from(l) * 10.0).round() / 10.0),
        "note": note,
        "bodies": bodies,
    })
}

/// `GET /_emulator/api/requests?after=CURSOR&limit=N`: the log after a cursor (at most the
/// latest `limit`, 500 by default), and the cursor to ask from next.
async fn requests(State(s): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    if !authorized(&s, &headers, false) {
        return refused();
    }
    let q = parse_query(uri.query());
    let after = q.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
    let limit = q
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(500usize)
        .min(5_000);
    json_response(200, &page_of(&s, after, limit), Vec::new())
}

fn page_of(s: &Shared, after: u64, limit: usize) -> Value {
    let (entries, cursor) = s.log.since(after, limit);
    let kept: std::collections::HashSet<u64> = {
        let bodies = s.console.bodies.lock().unwrap_or_else(|e| e.into_inner());
        bodies.iter().map(|(n, _)| *n).collect()
    };
    let items: Vec<Value> = entries
        .iter()
        .map(|e| entry_json(s, e, kept.contains(&e.n)))
        .collect();
    json!({"cursor": cursor, "items": items})
}

/// `GET /_emulator/api/requests/{n}`: one request, with its bodies when the console was
/// watching as it ran, and a `$batch` envelope's items.
async fn request_detail(
    State(s): State<Arc<Shared>>,
    Path(n): Path<u64>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&s, &headers, false) {
        return refused();
    }
    let mut found = None;
    s.log.scan_back(|e| {
        if e.n == n {
            found = Some(e.clone());
        }
        found.is_none()
    });
    let Some(entry) = found else {
        return json_response(
            404,
            &json!({"error": {"code": "NotFound", "message": "No such request in the log."}}),
            Vec::new(),
        );
    };
    let mut items = Vec::new();
    if matches!(entry.note, Some(Note::Batch { .. })) {
        // Items are logged as they run, after their envelope arrived and before it is logged.
        // Items of batches running beside it interleave with them, so the scan goes a second
        // past the envelope's arrival (a batch is handled in one go, in far less).
        let horizon = entry.request.at.checked_sub(Duration::from_secs(1));
        s.item_log.scan_back(|e| {
            if e.n == n {
                items.push(entry_json(&s, e, false));
            }
            horizon.is_none_or(|h| e.request.at >= h)
        });
        items.reverse();
    }
    let captured = s.console.bodies_of(n);
    let mut v = entry_json(&s, &entry, captured.is_some());
    v["items"] = Value::Array(items);
    if let Some(c) = captured {
        v["exchange"] = c.json();
    }
    json_response(200, &v, Vec::new())
}

/// Counts a live stream while it is open.
struct Watch(Arc<Shared>);

impl Drop for Watch {
    fn drop(&mut self) {
        if self.0.console.watchers.fetch_sub(1, Ordering::Relaxed) == 1 {
            // The last console closed: what it kept goes.
            self.0
                .console
                .bodies
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clear();
        }
    }
}

/// `GET /_emulator/api/events?after=CURSOR`: server-sent events, one `requests` event per
/// batch of new log entries (looked for every 150 ms). While one is open, bodies are kept.
async fn events(State(s): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    if !authorized(&s, &headers, false) {
        return refused();
    }
    let after: u64 = parse_query(uri.query())
        .get("after")
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    s.console.watchers.fetch_add(1, Ordering::Relaxed);
    let watch = Watch(s.clone());
    // The first event comes at once (maybe empty: it gives the cursor), then one per batch of
    // new entries.
    let stream = futures_util::stream::unfold(
        (watch, after, true),
        |(watch, mut cursor, first)| async move {
            loop {
                if watch.0.console.stopped.load(Ordering::Relaxed) {
                    return None;
                }
                let page = page_of(&watch.0, cursor, 500);
                let next = page["cursor"].as_u64().unwrap_or(cursor);
                let fresh = page["items"].as_array().is_some_and(|i| !i.is_empty());
                cursor = next;
                if fresh || first {
                    let event = Event::default()
                        .event("requests")
                        .id(next.to_string())
                        .data(page.to_string());
                    return Some((
                        Ok::<_, std::convert::Infallible>(event),
                        (watch, cursor, false),
                    ));
                }
                tokio::time::sleep(POLL).await;
            }
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// `GET /_emulator/api/throttle?seconds=N`: each app's bucket over the last `N` seconds (300
/// by default, at most 900), a second at a time: requests that took a token, requests answered
/// 429 by the throttle, and the bucket's level (tokens left) at the end of the second.
async fn throttle_chart(State(s): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    if !authorized(&s, &headers, false) {
        return refused();
    }
    let seconds = parse_query(uri.query())
        .get("seconds")
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(300)
        .clamp(10, CHART_SECONDS_MAX);
    json_response(200, &chart(&s, seconds), Vec::new())
}

struct Series {
    accepted: Vec<u32>,
    throttled: Vec<u32>,
    /// (when, level) of the latest request of each second that took a token or was refused.
    level: Vec<Option<(Instant, f32)>>,
}

fn chart(s: &Shared, seconds: u64) -> Value {
    let now = Instant::now();
    let span = Duration::from_secs(seconds);
    let width = seconds as usize;
    let mut per_app: std::collections::BTreeMap<Box<str>, Series> = Default::default();
    let mut add = |e: &Entry| {
        let (Some(app), Some(age)) = (e.app.as_ref(), now.checked_duration_since(e.request.at))
        else {
            return;
        };
        if matches!(e.note, Some(Note::Batch { .. })) {
            // The envelope takes no token; its items are counted from the item log.
            return;
        }
        let i = width - 1 - (age.as_secs() as usize).min(width - 1);
        let series = per_app.entry(app.clone()).or_insert_with(|| Series {
            accepted: vec![0; width],
            throttled: vec![0; width],
            level: vec![None; width],
        });
        // With an app's token, a request the throttle did not refuse was let through (it took a
        // token when throttling is on).
        match e.note {
            Some(Note::Throttled(_)) => series.throttled[i] += 1,
            // Answered by a fault before it reached the throttle.
            Some(Note::Injected(_)) => {}
            _ => series.accepted[i] += 1,
        }
        if let Some(l) = e.level
            && series.level[i].is_none_or(|(at, _)| at <= e.request.at)
        {
            series.level[i] = Some((e.request.at, l));
        }
    };
    let recent = |e: &Entry| {
        now.checked_duration_since(e.request.at)
            .is_none_or(|a| a < span)
    };
    s.log.scan_back(|e| {
        recent(e) && {
            add(e);
            true
        }
    });
    s.item_log.scan_back(|e| {
        recent(e) && {
            add(e);
            true
        }
    });
    let t = *s.throttle.lock().unwrap_or_else(|e| e.into_inner());
    let capacity = f64::from(t.requests.max(1));
    let rate = capacity / t.window.as_secs_f64().max(1e-9);
    let on = s.throttle_on.load(Ordering::Relaxed);
    let apps: Vec<Value> = per_app
        .into_iter()
        .map(|(bucket, series)| {
            // Between requests the bucket refills at the limit's rate.
            let mut level: Vec<Option<f64>> = Vec::with_capacity(width);
            for (i, l) in series.level.iter().enumerate() {
                let v = match (l, i.checked_sub(1).and_then(|p| level[p])) {
                    (Some((_, l)), _) => Some(f64::from(*l)),
                    (None, Some(prev)) => Some((prev + rate).min(capacity)),
                    (None, None) => None,
                };
                level.push(v.map(|v| (v * 10.0).round() / 10.0));
            }
            let (tenant, app) = bucket.split_once('/').unwrap_or(("", &bucket));
            json!({
                "bucket": &*bucket,
                "tenant": tenant,
                "app": app,
                "accepted": series.accepted,
                "throttled": series.throttled,
                "level": level,
            })
        })
        .collect();
    json!({
        "seconds": seconds,
        "end": s.console.wall_ms(now) as u64,
        "capacity": t.requests,
        "windowSeconds": t.window.as_secs_f64(),
        "throttle": on,
        "apps": apps,
    })
}

/// `POST /_emulator/api/try` `{"tenant", "app", "method", "path", "body"}`: one Graph
/// request sent as that app (with its configured token, which the page never sees), through
/// the same path as any other, so it is logged, throttled and faulted like the rest.
async fn try_request(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    if !authorized(&s, &headers, true) {
        return refused();
    }
    let Ok(Value::Object(ask)) = serde_json::from_slice::<Value>(&body) else {
        return bad("The body must be a JSON object: {\"app\", \"method\", \"path\", \"body\"}.");
    };
    let text = |k: &str| ask.get(k).and_then(Value::as_str).unwrap_or_default();
    let tenant = match ask.get("tenant").and_then(Value::as_str) {
        Some(t) => t,
        None => DEFAULT_TENANT_ID,
    };
    let apps: Vec<&crate::config::App> = if tenant == DEFAULT_TENANT_ID {
        s.config.apps.iter().collect()
    } else {
        s.config
            .tenants
            .iter()
            .filter(|t| t.id == tenant)
            .flat_map(|t| t.apps.iter())
            .collect()
    };
    let Some(app) = apps.iter().find(|a| a.app_id == text("app")) else {
        return bad("Choose one of the configured apps of this tenant.");
    };
    let Ok(method) = Method::from_bytes(text("method").as_bytes()) else {
        return bad("Choose a method: GET, POST, PATCH or DELETE.");
    };
    let path = text("path");
    let target = if path.starts_with("/v1.0/") || path.starts_with("/beta/") {
        path.to_owned()
    } else {
        format!("/v1.0/{}", path.trim_start_matches('/'))
    };
    let Ok(uri) = target.parse::<Uri>() else {
        return bad("The path is not a valid URL path.");
    };
    let mut request_headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::try_from(format!("Bearer {}", app.token)) {
        request_headers.insert(header::AUTHORIZATION, v);
    }
    if let Some(host) = headers.get(header::HOST) {
        request_headers.insert(header::HOST, host.clone());
    }
    let sent = match ask.get("body") {
        None | Some(Value::Null) => Bytes::new(),
        Some(Value::String(t)) if t.trim().is_empty() => Bytes::new(),
        Some(Value::String(t)) => Bytes::from(t.clone().into_bytes()),
        Some(other) => Bytes::from(other.to_string().into_bytes()),
    };
    if !sent.is_empty() {
        request_headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    let answer =
        super::graph_route(State(s.clone()), None, method, uri, request_headers, sent).await;
    let status = answer.status().as_u16();
    let answer_headers: Vec<Value> = answer
        .headers()
        .iter()
        .map(|(k, v)| json!([k.as_str(), String::from_utf8_lossy(v.as_bytes())]))
        .collect();
    let bytes = axum::body::to_bytes(answer.into_body(), 16 * 1024 * 1024)
        .await
        .unwrap_or_default();
    json_response(
        200,
        &json!({"status": status, "headers": answer_headers, "body": shown_body(&bytes)}),
        Vec::new(),
    )
}
