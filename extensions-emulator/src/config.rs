//! How an emulator is configured: the apps (tokens), throttling, faults and the initial data.

use std::fmt;
use std::time::Duration;

use serde_json::{Map, Value, json};

/// One app known to the emulator: requests bearing `token` act as `app_id`.
#[derive(Clone)]
pub struct App {
    /// The bearer token that identifies the app. Never printed.
    pub token: String,
    /// The app (client) id, which owns the extensions it creates.
    pub app_id: String,
    /// The user `/me` means for this token (a delegated token); `None` for an app-only token,
    /// for which `/me` answers 400 as Graph does.
    pub me: Option<String>,
}

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field("token", &"<redacted>")
            .field("app_id", &self.app_id)
            .field("me", &self.me)
            .finish()
    }
}

/// A per-app token bucket: `requests` per `window`, refilled continuously.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttle {
    /// Bucket size, and requests per window.
    pub requests: u32,
    /// The window.
    pub window: Duration,
}

impl Throttle {
    /// Graph's limit for open extensions: 455 requests per 10 seconds per app (the default).
    pub fn graph() -> Self {
        Self::default()
    }

    /// No throttling at all, for tests that are not about it.
    ///
    /// ```
    /// use extensions_emulator::{EmulatorConfig, Throttle};
    /// let config = EmulatorConfig { throttle: Throttle::unlimited(), ..EmulatorConfig::default() };
    /// # let _ = config;
    /// ```
    pub const fn unlimited() -> Self {
        Self {
            requests: u32::MAX,
            window: Duration::from_secs(1),
        }
    }
}

impl Default for Throttle {
    /// Graph's limit for open extensions: 455 requests per 10 seconds per app.
    fn default() -> Self {
        Self {
            requests: extensions_core::limits::THROTTLE_REQUESTS_PER_WINDOW,
            window: Duration::from_secs(u64::from(extensions_core::limits::THROTTLE_WINDOW_SECS)),
        }
    }
}

/// Faults injected into the requests whose path starts with `path_prefix` (after the version,
/// e.g. `/users`; `None` for all) and whose method is in `methods` (empty for all).
///
/// For each matching request one draw decides, in this order: reset the connection before
/// handling (`reset_rate`), answer an error (`error_rate`: by default 500, 502, 503 or 504; any
/// statuses, 429 included, through `error_statuses`, with `Retry-After` on 429 and 503), or
/// handle the request and then drop the connection instead of answering (`commit_then_drop_rate`:
/// the write happens, the client sees a failure). `latency` is added before handling.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultRule {
    /// Path prefix after the version segment; `None` matches every path.
    pub path_prefix: Option<String>,
    /// Methods (upper case); empty matches every method.
    pub methods: Vec<String>,
    /// Probability of a connection reset before handling.
    pub reset_rate: f64,
    /// Probability of a transient error answer.
    pub error_rate: f64,
    /// The statuses an injected error picks from, evenly (empty: 500, 502, 503 and 504). A 429
    /// here is answered as Graph's throttling is, with [`retry_after`](Self::retry_after).
    pub error_statuses: Vec<u16>,
    /// Probability of handling the request and dropping the connection instead of answering.
    pub commit_then_drop_rate: f64,
    /// Probability of handling the request and then spoiling its answer as [`garble`](Self::garble)
    /// says (an answer without a body is left as is).
    pub garble_rate: f64,
    /// How a spoiled answer is spoiled.
    pub garble: Garble,
    /// `Retry-After` of an injected 429 or 503 (default `1`; an empty string sends none).
    pub retry_after: Option<String>,
    /// Added before handling.
    pub latency: Duration,
    /// At most this many faults from this rule (latency included), then requests pass; `None`:
    /// no bound. `Some(1)` models a fault that happens once.
    pub max_faults: Option<u32>,
}

/// How [`FaultRule::garble_rate`] spoils an answer, after the request was handled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Garble {
    /// The body is not JSON (`{"id": "…` cut short), with a matching `Content-Length`.
    #[default]
    MalformedJson,
    /// `Content-Length` announces the whole body, half is sent, and the connection closes.
    TruncatedBody,
    /// An HTML page (`text/html`), as a proxy in the way would answer, with the same status.
    WrongContentType,
}

/// Fault injection: rules and the seed that makes every draw deterministic.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// The seed of the draws: the same seed and the same sequence of requests give the same
    /// faults.
    pub seed: u64,
    /// The first rule that matches a request applies.
    pub rules: Vec<FaultRule>,
}

/// A further tenant: its own apps (tokens) and data. The tenant of a request follows from its
/// token, as with Graph.
#[derive(Debug, Clone, Default)]
pub struct Tenant {
    /// The tenant id (admin routes take it as `?tenant=`).
    pub id: String,
    /// The apps whose tokens act in this tenant.
    pub apps: Vec<App>,
    /// The tenant's data.
    pub seed: Seed,
    /// The tenant's verified domains (`contoso.com`): a schema extension id
    /// `{domain}_{name}` must name one of them (its first label), under `.com`, `.net`, `.gov`,
    /// `.edu` or `.org`.
    pub verified_domains: Vec<String>,
}

/// The id of the default tenant: the one of [`EmulatorConfig::apps`] and [`EmulatorConfig::seed`].
pub const DEFAULT_TENANT_ID: &str = "00000000-0000-0000-0000-00000000000t";

/// Everything an emulator starts with.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// The apps and their tokens, in the default tenant.
    pub apps: Vec<App>,
    /// Throttling per app. The default is Graph's limit (455 requests per 10 seconds per app),
    /// so a test that sends many requests meets `429`s as on a tenant; use
    /// [`Throttle::unlimited`] for tests that are not about throttling.
    pub throttle: Throttle,
    /// Fault injection (none by default).
    pub faults: Faults,
    /// The initial data of the default tenant, in the format of [`Seed`].
    pub seed: Seed,
    /// The default tenant's verified domains, for schema extension ids `{domain}_{name}`
    /// (`contoso_courses` needs `contoso.com`). Default: `contoso.com`, the domain of Graph's
    /// documentation.
    pub verified_domains: Vec<String>,
    /// More initial data of the default tenant, read from a seed file (the format of [`Seed`])
    /// after [`seed`](Self::seed), one resource at a time: a file of 100,000 users is never
    /// held whole. Read again by `POST /_emulator/reset`.
    pub seed_file: Option<std::path::PathBuf>,
    /// More tenants, each with its own apps and data (none by default).
    pub tenants: Vec<Tenant>,
    /// Page size of `GET /users` when the request has no `$top`.
    pub default_page_size: usize,
    /// The bearer token of the admin routes (`/_emulator/…`); `None` draws a new one at each
    /// start ([`Emulator::admin_token`](crate::Emulator::admin_token) tells it). Graph tokens
    /// are not accepted there, nor is a request without one.
    pub admin_token: Option<String>,
    /// How long a connection may take to send a request's headers before it is closed, so
    /// half-sent requests cannot hold the server (default 10 s).
    pub header_read_timeout: std::time::Duration,
    /// How long a request's body may take to arrive, counted from the end of its headers,
    /// before the connection is closed unanswered, so a body that trickles in cannot hold a
    /// connection slot (default 30 s).
    pub body_read_timeout: std::time::Duration,
    /// Connections served at once; more wait to be accepted (default 1,024).
    pub max_connections: usize,
    /// `Retry-After` of a throttled request in milliseconds (`0.008`) instead of Graph's whole
    /// seconds, rounded up (`1`). Off by default: real clients meet whole seconds; turn it on to
    /// test a client that paces itself on precise hints.
    pub retry_after_fractions: bool,
}

/// The token of the default app of [`EmulatorConfig::default`].
pub const DEFAULT_TOKEN: &str = "emulator-token";
/// The app id of the default app.
pub const DEFAULT_APP_ID: &str = "00000000-0000-0000-0000-0000000000a1";

impl Default for EmulatorConfig {
    /// One app ([`DEFAULT_TOKEN`], [`DEFAULT_APP_ID`], app-only), Graph's throttling, no faults,
    /// no data, the verified domain `contoso.com`.
    fn default() -> Self {
        Self {
            apps: vec![App {
                token: DEFAULT_TOKEN.into(),
                app_id: DEFAULT_APP_ID.into(),
                me: None,
            }],
            throttle: Throttle::default(),
            faults: Faults::default(),
            seed: Seed::new(),
            verified_domains: vec!["contoso.com".into()],
            seed_file: None,
            tenants: Vec::new(),
            default_page_size: 100,
            admin_token: None,
            header_read_timeout: std::time::Duration::from_secs(10),
            body_read_timeout: std::time::Duration::from_secs(30),
            max_connections: 1024,
            retry_after_fractions: false,
        }
    }
}

/// The initial data: JSON of the shape
///
/// ```json
/// {"users": [{"id": "u1", "userPrincipalName": "adele@contoso.com",
///             "messages": [{"id": "m1", "subject": "Hi"}], "events": [], "contacts": [],
///             "todoLists": [{"id": "L1", "tasks": [{"id": "T1"}]}],
///             "extensions": [{"extensionName": "com.contoso.X", "a": 1}]}],
///  "groups": [{"id": "g1", "events": [], "threads": [{"id": "t1", "posts": [{"id": "p1"}]}]}],
///  "devices": [{"id": "d1"}], "organization": [{"id": "o1"}], "administrativeUnits": [{"id": "a1"}]}
/// ```
///
/// Every object needs an `id`; other fields are kept as the resource's own fields. Build it from
/// a file ([`Seed::from_json`]) or with the builder methods.
///
/// Schema extensions: a top-level `"schemaExtensions"` array holds definitions as Graph answers
/// them (`{"id", "targetTypes", "properties", "status", "owner"}`; no `status` means
/// `InDevelopment`, and `owner` names the app that may change it), and a resource carries data
/// under a key of the form `{prefix}_{name}` whose value is an object:
/// `{"groups": [{"id": "g1", "contoso_courses": {"courseId": 123}}]}`.
///
/// Directory extensions: a top-level `"applications"` array holds app registrations
/// (`{"id", "appId", "displayName"}`; a configured app whose `app_id` is one of them acts as that
/// app), `"servicePrincipals"` their service principals, and `"extensionProperties"` the
/// definitions, each with its owner's `"appId"` and a `"name"` (short, or the full
/// `extension_{appId}_{name}`), `"dataType"`, `"isMultiValued"`, `"targetObjects"`; one with
/// `"isSyncedFromOnPremises": true` cannot be deleted. A resource carries values under their
/// full names, and extension attributes under `"onPremisesExtensionAttributes"` (users, with
/// `"onPremisesSyncEnabled": true` for a user synced from on-premises, whose attributes are
/// read-only) or `"extensionAttributes"` (devices).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seed(pub(crate) Map<String, Value>);

fn push<'a>(map: &'a mut Map<String, Value>, key: &str, item: Value) -> &'a mut Map<String, Value> {
    let list = map
        .entry(key.to_owned())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !list.is_array() {
        *list = Value::Array(Vec::new());
    }
    let Value::Array(items) = list else {
        unreachable!("just made an array")
    };
    items.push(item);
    match items.last_mut() {
        Some(Value::Object(o)) => o,
        _ => unreachable!("just pushed an object"),
    }
}

fn find<'a>(map: &'a mut Map<String, Value>, key: &str, id: &str) -> &'a mut Map<String, Value> {
    let exists = map
        .get(key)
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|v| v["id"] == id));
    if !exists {
        return push(map, key, json!({ "id": id }));
    }
    let Some(Value::Array(items)) = map.get_mut(key) else {
        unreachable!("checked above")
    };
    match items.iter_mut().find(|v| v["id"] == id) {
        Some(Value::Object(o)) => o,
        _ => unreachable!("checked above"),
    }
}

impl Seed {
    /// No data.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses seed JSON (a file's content, say).
    pub fn from_json(text: &str) -> Result<Self, String> {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => Ok(Self(m)),
            Ok(_) => Err("a seed must be a JSON object".into()),
            Err(e) => Err(format!("the seed is not JSON: {e}")),
        }
    }

    /// The seed as JSON.
    pub fn to_json(&self) -> Value {
        Value::Object(self.0.clone())
    }

    /// An open extension named `name` with `properties` (a JSON object) on the top-level
    /// resource `id` of `collection` (`users`, `groups`, `devices`, `organization`,
    /// `administrativeUnits`), created if needed. Seeded extensions belong to no configured app:
    /// they count against no app's limit of two per resource, and any app can read, change or
    /// delete them.
    ///
    /// ```
    /// use extensions_emulator::Seed;
    /// use serde_json::json;
    /// let seed = Seed::new()
    ///     .user("u1", "adele@contoso.com")
    ///     .extension("users", "u1", "com.contoso.Settings", json!({"theme": "dark"}));
    /// assert_eq!(seed.to_json()["users"][0]["extensions"][0]["theme"], "dark");
    /// ```
    pub fn extension(mut self, collection: &str, id: &str, name: &str, properties: Value) -> Self {
        let resource = find(&mut self.0, collection, id);
        let mut ext = Map::new();
        ext.insert("extensionName".into(), json!(name));
        if let Value::Object(p) = properties {
            ext.extend(p);
        }
        push(resource, "extensions", Value::Object(ext));
        self
    }

    /// An application registration: its object id, its `appId` and its display name.
    ///
    /// ```
    /// use extensions_emulator::Seed;
    /// let seed = Seed::new().application("o1", "5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb", "Team bonding");
    /// assert_eq!(seed.to_json()["applications"][0]["appId"], "5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb");
    /// ```
    pub fn application(mut self, id: &str, app_id: &str, display_name: &str) -> Self {
        let a = find(&mut self.0, "applications", id);
        a.insert("appId".into(), json!(app_id));
        a.insert("displayName".into(), json!(display_name));
        self
    }

    /// A user with an id and a userPrincipalName.
    pub fn user(mut self, id: &str, upn: &str) -> Self {
        let u = find(&mut self.0, "users", id);
        u.insert("userPrincipalName".into(), json!(upn));
        self
    }

    /// Many users at once (`u0`, `u1`, … with `user{n}@contoso.com`), for paging.
    pub fn users(mut self, count: usize) -> Self {
        for n in 0..count {
            push(
                &mut self.0,
                "users",
                json!({"id": format!("u{n}"), "userPrincipalName": format!("user{n}@contoso.com")}),
            );
        }
        self
    }

    /// A message of a user (the user is created if needed).
    pub fn message(mut self, user: &str, id: &str) -> Self {
        push(
            find(&mut self.0, "users", user),
            "messages",
            json!({ "id": id }),
        );
        self
    }

    /// An event of a user.
    pub fn event(mut self, user: &str, id: &str) -> Self {
        push(
            find(&mut self.0, "users", user),
            "events",
            json!({ "id": id }),
        );
        self
    }

    /// A personal contact of a user.
    pub fn contact(mut self, user: &str, id: &str) -> Self {
        push(
            find(&mut self.0, "users", user),
            "contacts",
            json!({ "id": id }),
        );
        self
    }

    /// A to-do task list of a user.
    pub fn todo_list(mut self, user: &str, id: &str) -> Self {
        find(find(&mut self.0, "users", user), "todoLists", id);
        self
    }

    /// A to-do task in a list of a user.
    pub fn todo_task(mut self, user: &str, list: &str, id: &str) -> Self {
        let l = find(find(&mut self.0, "users", user), "todoLists", list);
        push(l, "tasks", json!({ "id": id }));
        self
    }

    /// A group.
    pub fn group(mut self, id: &str) -> Self {
        find(&mut self.0, "groups", id);
        self
    }

    /// An event of a group.
    pub fn group_event(mut self, group: &str, id: &str) -> Self {
        push(
            find(&mut self.0, "groups", group),
            "events",
            json!({ "id": id }),
        );
        self
    }

    /// A post in a thread of a group.
    pub fn group_post(mut self, group: &str, thread: &str, id: &str) -> Self {
        let t = find(find(&mut self.0, "groups", group), "threads", thread);
        push(t, "posts", json!({ "id": id }));
        self
    }

    /// A device.
    pub fn device(mut self, id: &str) -> Self {
        find(&mut self.0, "devices", id);
        self
    }

    /// An organization.
    pub fn organization(mut self, id: &str) -> Self {
        find(&mut self.0, "organization", id);
        self
    }

    /// An administrative unit.
    pub fn administrative_unit(mut self, id: &str) -> Self {
        find(&mut self.0, "administrativeUnits", id);
        self
    }
}
