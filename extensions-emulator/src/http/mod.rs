//! HTTP: auth, throttling, fault injection, `$batch`, the Graph error envelope, admin routes.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

mod admin;
mod batch;
pub(crate) mod console;
mod deadline;
mod faults;
pub(crate) mod log;
mod schema;
mod spoil;
mod throttle;
use admin::{admin_reset, admin_seed, admin_state, draw_token};
use batch::batch;
pub(crate) use deadline::DeadlineBody;
use faults::{Fault, Rng};
use log::{Entry, Note, RequestLog, RequestOutcome};
pub(crate) use spoil::fuzz_handle;
use spoil::garbled;
use throttle::Bucket;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};
use tokio::sync::Notify;

use crate::config::{DEFAULT_TENANT_ID, EmulatorConfig, FaultRule, Seed};
use crate::graph::{self, Call, Caller, Reply, Store};

/// Kills the connection a request came on (fault injection).
#[derive(Clone)]
pub(crate) struct Kill(pub(crate) Arc<Notify>);

pub(crate) struct Shared {
    pub(crate) config: EmulatorConfig,
    /// The bearer token of the admin routes.
    pub(crate) admin_token: String,
    /// One store per configured tenant (the set is fixed at start). Requests share a store
    /// (each top-level resource has its own lock inside); the admin routes replace or add to it.
    pub(crate) stores: BTreeMap<String, RwLock<Store>>,
    /// What each tenant's store is built from, at start and at reset.
    seeds: BTreeMap<String, SeedSource>,
    pub(crate) buckets: Mutex<HashMap<String, Bucket>>,
    rng: Mutex<Rng>,
    requests: AtomicU64,
    /// Every request received, in order (bounded).
    pub(crate) log: RequestLog,
    /// Every `$batch` item handled, in order (bounded).
    pub(crate) item_log: RequestLog,
    /// Faults injected so far, per rule (for `max_faults`).
    fault_counts: Mutex<HashMap<usize, u32>>,
    /// Schema extension definitions, across tenants.
    pub(crate) schemas: graph::schema::Schemas,
    /// The throttle now (from the configuration; [`crate::Emulator::set_throttle`] changes it).
    pub(crate) throttle: Mutex<crate::config::Throttle>,
    /// Whether the throttle applies (the console turns it off and on).
    pub(crate) throttle_on: AtomicBool,
    /// Whether the configured fault rules apply (the console turns them off and on).
    pub(crate) faults_on: AtomicBool,
    /// The web console's own state (what it keeps while someone watches).
    pub(crate) console: console::Console,
}

/// What a tenant's store is built from: the configured seed as compact JSON, then the seed
/// file, read a resource at a time.
struct SeedSource {
    json: Vec<u8>,
    file: Option<std::path::PathBuf>,
}

impl SeedSource {
    fn new(seed: Seed, file: Option<std::path::PathBuf>) -> Self {
        Self {
            json: serde_json::to_vec(&seed.to_json()).unwrap_or_else(|_| b"{}".to_vec()),
            file,
        }
    }

    fn build(&self) -> Result<Store, String> {
        let mut store = Store::default();
        store.seed_from_slice(&self.json)?;
        if let Some(path) = &self.file {
            let file = std::fs::File::open(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            store
                .seed_from_reader(file)
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(store)
    }
}

impl Shared {
    pub(crate) fn new(mut config: EmulatorConfig) -> Result<Self, String> {
        // The seeds leave the configuration: a store is built from compact JSON (or streamed
        // from the seed file), and no parsed seed is kept beside it.
        let mut seeds = BTreeMap::new();
        seeds.insert(
            DEFAULT_TENANT_ID.to_owned(),
            SeedSource::new(std::mem::take(&mut config.seed), config.seed_file.take()),
        );
        for t in &mut config.tenants {
            let source = SeedSource::new(std::mem::take(&mut t.seed), None);
            if seeds.insert(t.id.clone(), source).is_some() {
                return Err(format!("tenant {} is configured twice", t.id));
            }
        }
        let mut stores = BTreeMap::new();
        let schemas = graph::schema::Schemas::default();
        for (tenant, source) in &seeds {
            let mut store = source.build().map_err(|e| {
                if tenant == DEFAULT_TENANT_ID {
                    e
                } else {
                    format!("tenant {tenant}: {e}")
                }
            })?;
            schemas.replace_tenant(tenant, std::mem::take(&mut store.seeded_schemas));
            stores.insert(tenant.clone(), RwLock::new(store));
        }
        let seed = config.faults.seed;
        let admin_token = config.admin_token.clone().unwrap_or_else(draw_token);
        let throttle = Mutex::new(config.throttle);
        Ok(Self {
            config,
            admin_token,
            stores,
            seeds,
            buckets: Mutex::new(HashMap::new()),
            // A zero state would stay zero.
            rng: Mutex::new(Rng(seed ^ 0x9E37_79B9_7F4A_7C15)),
            requests: AtomicU64::new(0),
            log: RequestLog::default(),
            item_log: RequestLog::default(),
            fault_counts: Mutex::new(HashMap::new()),
            schemas,
            throttle,
            throttle_on: AtomicBool::new(true),
            faults_on: AtomicBool::new(true),
            console: console::Console::default(),
        })
    }

    /// Runs `f` on the store of `tenant`, shared with other requests. Only configured tenants
    /// have a store (callers get their tenant from their token, which the configuration
    /// names), so no request can make the emulator grow a new one: an unknown tenant is `None`.
    fn with_store<R>(&self, tenant: &str, f: impl FnOnce(&Store) -> R) -> Option<R> {
        let store = self.stores.get(tenant)?;
        Some(f(&store.read().unwrap_or_else(|e| e.into_inner())))
    }

    /// Runs `f` on the store of `tenant` alone (the admin routes).
    fn with_store_mut<R>(&self, tenant: &str, f: impl FnOnce(&mut Store) -> R) -> Option<R> {
        let store = self.stores.get(tenant)?;
        Some(f(&mut store.write().unwrap_or_else(|e| e.into_inner())))
    }

    /// The next request's number and its `request-id`, which ends with the number.
    fn request_id(&self) -> (u64, String) {
        let n = self.requests.fetch_add(1, Ordering::Relaxed) + 1;
        (n, format!("00000000-0000-4000-8000-{n:012x}"))
    }
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    console::routes(
        Router::new()
            .route("/_emulator/state", get(admin_state))
            .route("/_emulator/reset", post(admin_reset))
            .route("/_emulator/seed", post(admin_seed)),
    )
    .fallback(graph_route)
    .with_state(shared)
}

fn json_response(status: u16, body: &Value, headers: Vec<(String, String)>) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut resp = Response::new(Body::from(bytes));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    for (k, v) in headers {
        if let (Ok(k), Ok(v)) = (
            axum::http::HeaderName::try_from(k),
            HeaderValue::try_from(v),
        ) {
            resp.headers_mut().insert(k, v);
        }
    }
    resp
}

/// The ids of one request, for `innerError` and the response headers.
struct Ids {
    request_id: String,
    client_request_id: Option<String>,
}

/// What handling a request learned on the way, for its log entry.
#[derive(Default)]
pub(crate) struct Trace {
    /// The request's number.
    n: u64,
    /// The app's throttle bucket (`tenant/appId`), once the token is known.
    app: Option<Box<str>>,
    level: Option<f32>,
    note: Option<Note>,
}

/// Adds `innerError` to an error body and the id headers to every reply.
fn finish(mut reply: Reply, ids: &Ids) -> Reply {
    if let Some(Value::Object(body)) = &mut reply.body
        && let Some(Value::Object(err)) = body.get_mut("error")
    {
        let mut inner = serde_json::Map::new();
        inner.insert("date".into(), json!(now_iso8601()));
        inner.insert("request-id".into(), json!(ids.request_id));
        if let Some(c) = &ids.client_request_id {
            inner.insert("client-request-id".into(), json!(c));
        }
        err.insert("innerError".into(), Value::Object(inner));
    }
    reply
        .headers
        .push(("request-id".into(), ids.request_id.clone()));
    if let Some(c) = &ids.client_request_id {
        reply.headers.push(("client-request-id".into(), c.clone()));
    }
    reply
}

/// UTC now as `YYYY-MM-DDTHH:MM:SS` (Graph's innerError date form), from the civil calendar.
fn now_iso8601() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-from-civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn parse_query(raw: Option<&str>) -> BTreeMap<String, String> {
    let mut q = BTreeMap::new();
    for pair in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let dec = |s: &str| {
            percent_decode_str(&s.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        };
        // OData's system query options are matched ignoring case (`$EXPAND`, `$Top`), as
        // Graph does.
        let key = dec(k);
        let key = if key.starts_with('$') {
            key.to_ascii_lowercase()
        } else {
            key
        };
        q.insert(key, dec(v));
    }
    q
}

/// Splits `/v1.0/…` into the version and the raw (still encoded) path after it, which core's
/// grammar then reads segment by segment.
fn split_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix('/')?;
    let (version, rest) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if version != "v1.0" && version != "beta" {
        return None;
    }
    Some((version, rest))
}

fn reply_response(reply: Reply) -> Response {
    match reply.body {
        Some(body) => json_response(reply.status, &body, reply.headers),
        None => {
            let mut resp = Response::new(Body::empty());
            *resp.status_mut() =
                StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            for (k, v) in reply.headers {
                if let (Ok(k), Ok(v)) = (
                    axum::http::HeaderName::try_from(k),
                    HeaderValue::try_from(v),
                ) {
                    resp.headers_mut().insert(k, v);
                }
            }
            resp
        }
    }
}

fn caller_for(s: &Shared, headers: &HeaderMap) -> Result<Caller, Reply> {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let token = auth
        .strip_prefix("Bearer ")
        .or_else(|| auth.strip_prefix("bearer "))
        .map(str::trim)
        .unwrap_or("");
    if token.is_empty() {
        return Err(graph::error(
            401,
            "InvalidAuthenticationToken",
            "Access token is empty.",
        ));
    }
    let default = s.config.apps.iter().map(|a| (DEFAULT_TENANT_ID, a));
    let others = s
        .config
        .tenants
        .iter()
        .flat_map(|t| t.apps.iter().map(move |a| (t.id.as_str(), a)));
    match default.chain(others).find(|(_, a)| a.token == token) {
        Some((tenant, app)) => Ok(Caller {
            tenant: tenant.to_owned(),
            app_id: app.app_id.clone(),
            me: app.me.clone(),
        }),
        None => Err(graph::error(
            401,
            "InvalidAuthenticationToken",
            "Access token validation failure. Invalid audience.",
        )),
    }
}

async fn graph_route(
    State(s): State<Arc<Shared>>,
    kill: Option<Extension<Kill>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let (n, request_id) = s.request_id();
    let ids = Ids {
        request_id,
        client_request_id: headers
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    let path = uri.path().to_owned();
    // The full path with its query (`$expand`, `$filter`, `$top`…), as sent.
    let target = uri.path_and_query().map_or(path.as_str(), |p| p.as_str());
    let mut entry = Entry::new(n, method.as_str(), target, started);
    // Bodies are kept only while a console watches: otherwise this is one atomic load.
    let capture = s
        .console
        .watched()
        .then(|| console::Captured::request(&headers, &body));
    let log = |mut entry: Entry, outcome, reply: Option<&Reply>| {
        entry.request.outcome = outcome;
        if let Some(c) = capture {
            s.console.keep(entry.n, c.answered(reply));
        }
        s.log.push(entry);
    };
    let after_version = path
        .trim_start_matches('/')
        .split_once('/')
        .map_or("", |(_, r)| r);
    let after_version = format!("/{after_version}");

    // Faults first: they model the network and the front end, before anything is handled.
    let mut drop_after = false;
    let mut garble = None;
    let rule = s
        .faults_on
        .load(Ordering::Relaxed)
        .then(|| s.rule_for(method.as_str(), &after_version))
        .flatten()
        .map(|(i, r)| (i, r.clone()));
    if let Some((_, rule)) = rule.filter(|(i, r)| s.fault_allowed(*i, r)) {
        // Whose request it was, for the log (only when a rule applies: the token is otherwise
        // read once, below).
        entry.app = caller_for(&s, &headers)
            .ok()
            .map(|c| c.bucket().into_boxed_str());
        if !rule.latency.is_zero() {
            tokio::time::sleep(rule.latency).await;
        }
        match s.draw(&rule) {
            Fault::None => {}
            Fault::Reset => {
                tracing::info!(%method, path, "fault: connection reset");
                entry.note = Some(Note::Injected("connection reset before handling".into()));
                log(entry, RequestOutcome::Reset, None);
                return kill_connection(kill).await;
            }
            Fault::Error(status) => {
                tracing::info!(%method, path, status, "fault: transient error");
                let mut r = graph::error(
                    status,
                    if status == 503 {
                        "serviceNotAvailable"
                    } else {
                        "UnknownError"
                    },
                    "Injected fault.",
                );
                let after = rule.retry_after.as_deref().unwrap_or("1");
                if matches!(status, 429 | 503) && !after.is_empty() {
                    r.headers.push(("Retry-After".into(), after.to_owned()));
                }
                entry.note = Some(Note::Injected(format!("injected {status}").into()));
                let r = finish(r, &ids);
                log(entry, RequestOutcome::Answered(status), Some(&r));
                return reply_response(r);
            }
            Fault::CommitThenDrop => drop_after = true,
            Fault::Garble => garble = Some(rule.garble),
        }
    }

    let mut trace = Trace {
        n,
        ..Trace::default()
    };
    let reply = handle_top(&s, &method, &uri, &headers, &body, &ids, &mut trace);
    tracing::info!(%method, path = target, status = reply.status, elapsed_ms = started.elapsed().as_millis() as u64, "request");
    entry.app = trace.app;
    entry.level = trace.level;
    entry.note = trace.note;
    if drop_after {
        tracing::info!(%method, path, "fault: handled, then dropping the connection");
        entry.note = Some(Note::Fault("handled, then the connection dropped".into()));
        log(entry, RequestOutcome::Dropped(reply.status), Some(&reply));
        return kill_connection(kill).await;
    }
    if let (Some(how), true, None) = (garble, reply.body.is_some(), &entry.note) {
        entry.note = Some(Note::Fault(format!("answer garbled ({how:?})").into()));
    }
    log(entry, RequestOutcome::Answered(reply.status), Some(&reply));
    match garble {
        Some(how) if reply.body.is_some() => {
            tracing::info!(%method, path, ?how, "fault: handled, then spoiling the answer");
            garbled(reply, how)
        }
        _ => reply_response(reply),
    }
}

async fn kill_connection(kill: Option<Extension<Kill>>) -> Response {
    match kill {
        Some(Extension(k)) => {
            k.0.notify_one();
            // The connection task drops this future with the connection.
            std::future::pending::<()>().await;
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn handle_top(
    s: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
    ids: &Ids,
    trace: &mut Trace,
) -> Reply {
    let reply = (|| {
        let caller = caller_for(s, headers)?;
        let bucket = caller.bucket();
        let Some((version, segments)) = split_path(uri.path()) else {
            return Err(graph::error(
                400,
                "BadRequest",
                "Invalid version: the path must start with /v1.0 or /beta.",
            ));
        };
        let base = format!(
            "http://{}/{version}",
            headers
                .get("host")
                .and_then(|h| h.to_str().ok())
                .unwrap_or("127.0.0.1")
        );
        trace.app = Some(bucket.as_str().into());
        if segments == "/$batch" && method == Method::POST {
            return Ok(batch(s, &caller, body, &base, trace));
        }
        s.take_token(&bucket, &mut trace.level).map_err(|wait| {
            let r = s.throttled(wait);
            trace.note = r
                .headers
                .iter()
                .find(|(k, _)| k == "Retry-After")
                .map(|(_, v)| Note::Throttled(v.as_str().into()));
            r
        })?;
        let body_json = parse_body(body)?;
        Ok(dispatch(
            s,
            &caller,
            method.as_str(),
            segments,
            uri.query(),
            body_json.as_ref(),
            &base,
            eventual(
                headers
                    .get("consistencylevel")
                    .and_then(|v| v.to_str().ok()),
            ),
        ))
    })();
    finish(reply.unwrap_or_else(|r| r), ids)
}

fn parse_body(body: &[u8]) -> Result<Option<Value>, Reply> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(body).map(Some).map_err(|e| {
        graph::error(
            400,
            "BadRequest",
            &format!("Unable to read JSON request payload: {e}"),
        )
    })
}

/// Whether a `ConsistencyLevel` header value asks for eventual consistency.
fn eventual(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.trim().eq_ignore_ascii_case("eventual"))
}

#[allow(clippy::too_many_arguments)]
fn dispatch(
    s: &Shared,
    caller: &Caller,
    method: &str,
    raw_path: &str,
    query: Option<&str>,
    body: Option<&Value>,
    base: &str,
    consistency_eventual: bool,
) -> Reply {
    // Definitions are shared by every tenant; they are not under a resource.
    if let Some(rest) = raw_path
        .strip_prefix("/schemaExtensions")
        .filter(|r| r.is_empty() || r.starts_with('/'))
    {
        return schema::schema_definitions(s, caller, method, rest, &parse_query(query), body);
    }
    // Applications, their directory extension definitions and service principals: the
    // tenant's registry, not a resource of its store.
    if ["/applications", "/servicePrincipals", "/directoryObjects/"]
        .iter()
        .any(|p| {
            raw_path.starts_with(p)
                && raw_path[p.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| matches!(c, '/' | '(') || p.ends_with('/'))
        })
    {
        let query = parse_query(query);
        return s
            .with_store(&caller.tenant, |st| {
                graph::directory::handle(
                    &mut graph::registry_mut(st),
                    method,
                    raw_path,
                    &query,
                    body,
                )
            })
            .unwrap_or_else(|| graph::error(401, "InvalidAuthenticationToken", "Unknown tenant."));
    }
    let path = match graph::parse_path(raw_path) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let query = parse_query(query);
    let advanced = consistency_eventual
        && query
            .get("$count")
            .is_some_and(|c| c.eq_ignore_ascii_case("true"));
    // A write of schema data is checked against its definitions and applied under this guard,
    // which a definition's delete takes alone (before the store, as here).
    let _gate = matches!(method, "PATCH" | "POST").then(|| s.schemas.data_write());
    let call = Call {
        method,
        path: &path,
        query: &query,
        body,
        base,
        default_page_size: s.config.default_page_size,
        schemas: &s.schemas,
        advanced,
    };
    // A new top-level resource needs its tenant's store alone.
    if let (extensions_core::resource::Tail::Collection(coll), true, "POST") =
        (&path.tail, path.steps.is_empty(), method)
        && let Some(root) = graph::root_of(coll)
    {
        return s
            .with_store_mut(&caller.tenant, |st| {
                graph::create_root(st, caller, &call, root)
            })
            .unwrap_or_else(|| graph::error(401, "InvalidAuthenticationToken", "Unknown tenant."));
    }
    s.with_store(&caller.tenant, |st| graph::handle(st, caller, &call))
        .unwrap_or_else(|| graph::error(401, "InvalidAuthenticationToken", "Unknown tenant."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use throttle::format_retry_after;

    #[test]
    fn retry_after_rounds_up_to_whole_seconds_or_milliseconds() {
        assert_eq!(format_retry_after(Duration::from_nanos(1), false), "1");
        assert_eq!(format_retry_after(Duration::ZERO, false), "1");
        assert_eq!(format_retry_after(Duration::from_millis(2128), false), "3");
        assert_eq!(format_retry_after(Duration::from_secs(2), false), "2");
        assert_eq!(format_retry_after(Duration::from_nanos(1), true), "0.001");
        assert_eq!(
            format_retry_after(Duration::from_millis(2128), true),
            "2.128"
        );
        assert_eq!(
            format_retry_after(Duration::from_micros(2_128_001), true),
            "2.129"
        );
    }

    #[test]
    fn the_rng_is_deterministic() {
        let mut a = Rng(42);
        let mut b = Rng(42);
        let xs: Vec<f64> = (0..5).map(|_| a.next_f64()).collect();
        let ys: Vec<f64> = (0..5).map(|_| b.next_f64()).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
    }

    #[test]
    fn dates_look_like_graphs() {
        let d = now_iso8601();
        assert_eq!(d.len(), 19);
        assert_eq!(&d[4..5], "-");
        assert_eq!(&d[10..11], "T");
    }
}
