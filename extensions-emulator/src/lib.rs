//! A local HTTP server that behaves like Microsoft Graph for open extensions, schema extensions,
//! directory extensions and extension attributes.
//!
//! For **open extensions** it implements what the [open extensions documentation](https://learn.microsoft.com/en-us/graph/extensibility-open-users) describes: stateful open extensions on seeded users, groups,
//! devices, organizations, administrative units, messages, events, contacts, group events and
//! posts, to-do lists and tasks; the same paths (`/v1.0` and `/beta`, plain and OData key
//! syntax), limits (2 KB and two extensions per app on directory objects), ids, status codes and
//! error bodies; `$expand` with paging; `$batch`; per-app throttling with an honest
//! `Retry-After`; and deterministic fault injection. For **schema extensions** (the
//! [schema extensions documentation](https://learn.microsoft.com/en-us/graph/extensibility-schema-groups)):
//! definitions shared by every tenant, with their lifecycle (`InDevelopment`, `Available`,
//! `Deprecated`), owners and the five-per-owner limit; their data on users, groups, devices,
//! organizations, administrative units, messages, events, contacts and posts, checked against
//! the definition, merged by a PATCH, shown only with `$select`, found with `$filter`, and
//! removed with a deleted definition. For **directory extensions**: applications (seeded or
//! created), their service principals and definitions, values on users, groups, devices,
//! organizations and administrative units checked against them (Graph's "not available" and
//! "Invalid property" errors), merged, shown only with `$select`, hidden with a deleted
//! definition and shown again when its name returns, the limit of 100 values per resource, and
//! `$filter` with `eq` (and `ne`, null tests and `any` only as advanced queries, with
//! `@odata.count`); the fifteen **extension attributes** of users and devices (read-only on a user
//! synced from on-premises). Every rule (names, value shapes, size) is `extensions-core`'s.
//!
//! A body or a `$select` naming a property the resource type does not have (a misspelt one, or
//! a schema extension's bare name where its registered id belongs) is refused with 400, as
//! Graph refuses it, and nothing is stored; a selected property without a value is shown as
//! `null`. The properties known are those of Graph's v1.0 resource pages, with the beta ones
//! that v1.0 accepts on create.
//!
//! Inside, each request is handed to the flow that owns it (open extensions, schema extensions,
//! the resources themselves), which carries it to its answer, over one shared store.
//!
//! ```no_run
//! # async fn demo() {
//! use extensions_emulator::{Emulator, EmulatorConfig, Seed};
//!
//! let emulator = Emulator::start(EmulatorConfig {
//!     seed: Seed::new().user("u1", "adele@contoso.com").message("u1", "m1"),
//!     ..EmulatorConfig::default()
//! })
//! .await
//! .unwrap();
//! println!("Graph at {}", emulator.url()); // http://127.0.0.1:PORT/v1.0
//! // Dropping `emulator` stops the server.
//! # }
//! ```
//!
//! # Routes
//!
//! Under `/v1.0` and `/beta`, with the bearer token of a configured app:
//!
//! | method | path | what |
//! |---|---|---|
//! | GET | `/users` | users page by page: `$top` (1–999), `$select`, `$expand=extensions` (needs a `$select` with `id`, else 500 as Graph; at most 100 a page), `@odata.nextLink` |
//! | GET | `/users`, `/groups`, `/devices`, `/directory/administrativeUnits` | with `$filter={schema id}/{property} eq {value}` (joined by `and`) and `$select=id,{schema id}`: the resources whose schema extension data matches |
//! | GET | `/users`, `/groups`, `/devices`, `/directory/administrativeUnits` | with `$filter=extension_{appId}_{name} eq {value}` (or `onPremisesExtensionAttributes/extensionAttributeN eq …`); `ne`, `eq null`, `ne null` and `{name}/any(v:v eq …)` only with `$count=true` and `ConsistencyLevel: eventual` (else 400 `Request_UnsupportedQuery`), answered with `@odata.count` |
//! | POST | `/users`, `/groups`, `/devices`, `/directory/administrativeUnits` | a new directory object, with schema extension data in its body (201) |
//! | PATCH | *resource* | its fields, schema extension data (`{"{schema id}": {…}}`, merged; `null` clears), directory extension values (`{"extension_{appId}_{name}": …}`) and extension attributes (`{"onPremisesExtensionAttributes": {…}}`, merged): 204 on directory objects, 200 with the item on Outlook and to-do items; a property the type does not have: 400 |
//! | GET, POST | `/applications` | list (`$filter=displayName eq '…'` or `appId eq '…'`) or create an application |
//! | GET | `/applications/{id}`, `/applications(appId='…')` | one application |
//! | GET, POST | `/applications/{id}/extensionProperties` (also by `(appId='…')`) | list (`$filter=name eq '…'`) or create a directory extension definition (201, the name transformed) |
//! | GET, DELETE | `/applications/{id}/extensionProperties/{id}` | one definition; delete (not one synced from on-premises; its values are hidden) |
//! | POST | `/servicePrincipals` | an application's service principal |
//! | POST | `/directoryObjects/getAvailableExtensionProperties` | every definition in the tenant |
//! | GET, POST | `/schemaExtensions` | list (`$filter=` `eq` on `id`, `owner`, `description` or `status`, joined by `and`) or register a definition (at most five per owner app) |
//! | GET, PATCH, DELETE | `/schemaExtensions/{id}` | one definition: read, additive update and lifecycle, delete (`InDevelopment` only; its data leaves every resource) |
//! | GET | *resource* | one resource: `$select`, `$expand=extensions` (Outlook items: `extensions($filter=id eq 'NAME')`) |
//! | GET | *resource*`/extensions` | its extensions (directory objects and to-do items) |
//! | POST | *resource*`/extensions` | create (201); an existing name is 400, merged on Outlook items |
//! | GET | *resource*`/extensions/{id}` | one extension, by name or any form of its id |
//! | PATCH | *resource*`/extensions/{id}` | replace (directory objects, 204) or merge (Outlook and to-do items, 200) |
//! | DELETE | *resource*`/extensions/{id}` | delete (204) |
//! | POST | `/users/{id}/messages`, `…/events`, `…/contacts`, `…/todo/lists`, `…/todo/lists/{id}/tasks`, `/groups/{id}/events` | a new item with its extensions (201) |
//! | POST | `/groups/{id}/threads/{id}/posts/{id}/reply` | a new post with its extensions (202) |
//! | POST | `/groups/{id}/conversations` | a conversation, its thread and first post with its extensions (201) |
//! | GET | *parent*`/`*collection* | the items of a collection (a thread's posts, say) |
//! | POST | `/$batch` | up to 20 requests, `dependsOn`, each item throttled on its own |
//!
//! A *resource* is `/users/{id or userPrincipalName}`, `/me` (delegated tokens),
//! `/groups/{id}`, `/devices/{id}`, `/organization/{id}`, `/directory/administrativeUnits/{id}`
//! (v1.0) or `/administrativeUnits/{id}` (beta), `/users/{id}/messages|events|contacts/{id}`,
//! `/users/{id}/todo/lists/{id}[/tasks/{id}]`, `/groups/{id}/events/{id}`, or
//! `/groups/{id}[/conversations/{id}]/threads/{id}/posts/{id}`; ids may use OData key syntax
//! (`users('{id}')`). The binary's `--help` lists the same routes and every flag.
//!
//! Tenants: [`EmulatorConfig::apps`] and [`EmulatorConfig::seed`] make the default tenant;
//! [`EmulatorConfig::tenants`] adds more, each with its own apps and data. A request's tenant
//! follows from its token; throttling is per app per tenant.
//!
//! Admin routes, outside the Graph paths: `GET /_emulator/state` (the whole state, in the seed
//! format), `POST /_emulator/reset` (back to the seed it started with, the seed file read
//! again), `POST /_emulator/seed` (add resources); each takes
//! `?tenant=ID` of a configured tenant (default: the default tenant) and needs
//! `Authorization: Bearer <admin token>` ([`Emulator::admin_token`]; the binary prints it at
//! start), never a Graph token, so a web page cannot reach them.
//!
//! The web console, at `/_emulator/`: open [`Emulator::console_url`] (the binary prints it) in
//! a browser. The token in that URL is kept in an `HttpOnly`, `SameSite=Strict` cookie, and the
//! browser moves to the bare URL. The console shows each tenant's resources with every kind of
//! extension data on them, the schema and directory extension definitions, the live request log
//! (what the emulator did on its own, such as faults, 429s and `$batch` items, and the bodies,
//! secrets redacted), and each app's throttle bucket as a chart. From it you can turn faults and
//! throttling off and on, reset to the seed, download the state as a seed file (`GET
//! /_emulator/state?download=1`), and send a request as a configured app. Its JSON routes
//! (`/_emulator/api/…`) take the cookie or `Authorization: Bearer <admin token>`. A change made
//! with the cookie also needs the header `X-Emulator-Console: 1`. Bodies are copied only while a
//! console holds its live stream open. Otherwise a request only leaves, in the request log, what
//! it knew anyway (its app, its throttle bucket's level, what a fault or the throttle did).
//!
//! Hardening: a connection whose request headers take longer than
//! [`EmulatorConfig::header_read_timeout`], or whose body takes longer than
//! [`EmulatorConfig::body_read_timeout`], is closed, at most
//! [`EmulatorConfig::max_connections`] are served at once, accept errors (out of file handles)
//! back off instead of spinning, only configured tenants have a store, and every number taken
//! from a request is checked.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod config;
mod graph;
mod http;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot};
use tower::ServiceExt;

pub use config::{
    App, DEFAULT_APP_ID, DEFAULT_TENANT_ID, DEFAULT_TOKEN, EmulatorConfig, FaultRule, Faults,
    Garble, Seed, Tenant, Throttle,
};
pub use http::log::{LoggedRequest, RequestOutcome};

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    addr: SocketAddr,
    admin_token: String,
    shared: Arc<http::Shared>,
    stop: Option<oneshot::Sender<()>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The admin token is a secret: never printed.
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The seed is invalid.
    #[error("invalid seed: {0}")]
    Seed(String),
    /// The address could not be bound.
    #[error("cannot bind the emulator's address: {0}")]
    Bind(#[source] std::io::Error),
}

impl Emulator {
    /// Starts on an ephemeral port of 127.0.0.1.
    pub async fn start(config: EmulatorConfig) -> Result<Emulator, StartError> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts on `addr`.
    pub async fn start_on(
        config: EmulatorConfig,
        addr: SocketAddr,
    ) -> Result<Emulator, StartError> {
        let header_read_timeout = config.header_read_timeout;
        let body_read_timeout = config.body_read_timeout;
        let connections = Arc::new(tokio::sync::Semaphore::new(config.max_connections.max(1)));
        let shared = Arc::new(http::Shared::new(config).map_err(StartError::Seed)?);
        let admin_token = shared.admin_token.clone();
        let listener = TcpListener::bind(addr).await.map_err(StartError::Bind)?;
        let addr = listener.local_addr().map_err(StartError::Bind)?;
        let router = http::router(shared.clone());
        let (stop, mut stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let mut accept_errors = 0u32;
            loop {
                // At most `max_connections` at once: the next accept waits for a free slot.
                let permit = tokio::select! {
                    _ = &mut stopped => break,
                    p = connections.clone().acquire_owned() => match p {
                        Ok(p) => p,
                        Err(_) => break,
                    },
                };
                let (stream, _) = tokio::select! {
                    _ = &mut stopped => break,
                    accepted = listener.accept() => match accepted {
                        Ok(a) => {
                            accept_errors = 0;
                            a
                        }
                        Err(e) => {
                            // Out of file handles, say: back off (up to a second) instead of
                            // spinning, and log the first of a run only.
                            if accept_errors == 0 {
                                tracing::warn!(error = %e, "accept failed; backing off");
                            }
                            accept_errors = accept_errors.saturating_add(1);
                            let wait = Duration::from_millis(10u64 << accept_errors.min(7));
                            tokio::time::sleep(wait).await;
                            continue;
                        }
                    },
                };
                let router = router.clone();
                tokio::spawn(async move {
                    let _permit = permit;
                    let kill = Arc::new(Notify::new());
                    let k = http::Kill(kill.clone());
                    let service = hyper::service::service_fn(
                        move |req: hyper::Request<hyper::body::Incoming>| {
                            // The whole body must arrive within the timeout, counted from the
                            // end of the headers: a body that trickles in is cut off and its
                            // connection closed, so it cannot hold a slot.
                            let (mut parts, body) = req.into_parts();
                            parts.extensions.insert(k.clone());
                            let body =
                                http::DeadlineBody::new(body, body_read_timeout, k.0.clone());
                            router
                                .clone()
                                .oneshot(hyper::Request::from_parts(parts, body))
                        },
                    );
                    let conn = hyper::server::conn::http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(header_read_timeout)
                        .serve_connection(TokioIo::new(stream), service);
                    tokio::select! {
                        result = conn => {
                            if let Err(e) = result {
                                tracing::debug!(error = %e, "connection ended with an error");
                            }
                        }
                        // Fault injection: drop the connection without answering.
                        () = kill.notified() => {}
                    }
                });
            }
        });
        Ok(Emulator {
            addr,
            admin_token,
            shared,
            stop: Some(stop),
        })
    }

    /// The bearer token of the admin routes (`GET /_emulator/state`, `POST /_emulator/seed`,
    /// `POST /_emulator/reset`): the configured one, or the one drawn at start.
    pub fn admin_token(&self) -> &str {
        &self.admin_token
    }

    /// The socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a version.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The web console's URL with the admin token in it
    /// (`http://127.0.0.1:PORT/_emulator/?token=…`): opened in a browser, it sets a cookie
    /// holding the token and moves to `/_emulator/`, where the console shows the data of each
    /// tenant, the definitions, the live request log, each app's throttle bucket, and the
    /// controls (faults and throttling on and off, reset, the state as a seed file). Anyone
    /// with this URL has the admin routes: print it only where the admin token may go.
    pub fn console_url(&self) -> String {
        // Every byte but RFC 3986's unreserved characters is encoded, so the printed URL keeps
        // a generated token (`admin-…`) readable and any token a user chose still survives.
        const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'.')
            .remove(b'_')
            .remove(b'~');
        let token = percent_encoding::utf8_percent_encode(&self.admin_token, QUERY_VALUE);
        format!("http://{}/_emulator/?token={token}", self.addr)
    }

    /// `http://127.0.0.1:PORT/v1.0`: what a client uses as its Graph root.
    pub fn url(&self) -> String {
        format!("http://{}/v1.0", self.addr)
    }

    /// Every Graph request received so far (admin routes aside), in arrival order, with what
    /// became of it: the exact sequence a client sent, for tests that count requests. The log
    /// keeps the most recent 100,000 requests. A `$batch` envelope is one entry.
    ///
    /// ```no_run
    /// # async fn demo(emulator: extensions_emulator::Emulator) {
    /// use extensions_emulator::RequestOutcome;
    /// let posts = emulator
    ///     .requests()
    ///     .iter()
    ///     .filter(|r| r.method == "POST" && r.outcome == RequestOutcome::Answered(201))
    ///     .count();
    /// # }
    /// ```
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.log.snapshot()
    }

    /// The items of every `$batch` request handled, in order, each as its own method, its
    /// URL as the envelope gave it (relative to the version: `/users/u1/extensions/…`) and the
    /// status it was answered (the last 100,000). Items a throttled envelope answered 429 are
    /// here too.
    pub fn batch_items(&self) -> Vec<LoggedRequest> {
        self.shared.item_log.snapshot()
    }

    /// Changes the throttle of a running emulator (say, off for a test's set-up, then Graph's
    /// for the part under test); every app's bucket starts full under the new limit.
    ///
    /// ```
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use extensions_emulator::{Emulator, EmulatorConfig, Throttle};
    /// let emu = Emulator::start(EmulatorConfig::default()).await?;
    /// emu.set_throttle(Throttle::unlimited());
    /// # Ok(()) }
    /// ```
    pub fn set_throttle(&self, throttle: crate::config::Throttle) {
        *self
            .shared
            .throttle
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = throttle;
        self.shared
            .buckets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Empties the request log and the `$batch` item log.
    pub fn clear_requests(&self) {
        self.shared.log.clear();
        self.shared.item_log.clear();
    }
}

/// For the fuzz targets in `fuzz/`: request handling without a socket. Not a public API.
#[doc(hidden)]
pub mod fuzzing {
    /// Handles one request against a fresh small tenant and returns the status (0 when the
    /// method or URI does not parse). It must never panic, whatever the input.
    pub fn handle(method: &str, uri: &str, body: &[u8]) -> u16 {
        crate::http::fuzz_handle(method, uri, body)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // A console's live stream would otherwise go on polling the stopped emulator.
        self.shared.console.stop();
    }
}
