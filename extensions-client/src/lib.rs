//! The HTTP transport for [`extensions_core`] over reqwest: base URLs (global, national clouds,
//! a loopback emulator), tokens, retries that honour `Retry-After`, `client-request-id`, paging
//! and `$batch` for bulk work, with `tracing` spans. Secrets never reach logs, `Debug` or errors.
//!
//! [`GraphClient`] implements core's [`Transport`], so every typed helper (the derive's
//! `Referral::get(&client, &resource)`, `core::ops::update`, …) runs over it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use extensions_client::{GraphClient, StaticToken};
//!
//! let client = GraphClient::builder()
//!     .base_url("http://127.0.0.1:8080/v1.0") // an emulator; the default is Graph's global cloud
//!     .token_provider(StaticToken::new("emulator-token"))
//!     .build()?;
//! # let _ = client; Ok(()) }
//! ```

#[cfg(feature = "azure-identity")]
mod azure;
mod token;

use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use extensions_core::batch::{self, BatchItem};
use extensions_core::ops::Transport;
use extensions_core::request::{Method, Request};
use extensions_core::response::{self, Expanded};
use extensions_core::{Error, Response};
use futures_util::stream::{self, Stream, StreamExt};
use tracing::Instrument;

#[cfg(feature = "azure-identity")]
pub use azure::AzureCredential;
/// The `azure_identity` crate, for its credentials (feature `azure-identity`).
#[cfg(feature = "azure-identity")]
pub use azure_identity;
pub use extensions_core as core;
pub use token::{AccessToken, Secret, StaticToken, TokenError, TokenFuture, TokenProvider};

/// Microsoft Graph's clouds (national clouds included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    /// `https://graph.microsoft.com`.
    Global,
    /// US Government L4: `https://graph.microsoft.us`.
    UsGovL4,
    /// US Government L5 (DoD): `https://dod-graph.microsoft.us`.
    UsGovL5,
    /// China (operated by 21Vianet): `https://microsoftgraph.chinacloudapi.cn`.
    China,
}

impl Cloud {
    /// The host root, without a version.
    pub const fn root(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGovL4 => "https://graph.microsoft.us",
            Cloud::UsGovL5 => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }
}

/// The API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    /// `v1.0`.
    V1,
    /// `beta` (administrative units' extensions are beta in the documentation).
    Beta,
}

impl ApiVersion {
    const fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

/// When and how often to retry.
///
/// Retried: 429 and 503 (waiting `Retry-After` when given, else exponential backoff with full
/// jitter); 500, 502, 504 and connection errors for idempotent requests; and a 401 once with a
/// fresh token. A POST is never repeated blindly: when a create's outcome is unknown, the client
/// reads the extension back and treats "already there with the same content" as success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// No retry starts after this much time since the first attempt.
    pub max_elapsed: Duration,
    /// The first backoff (doubled each attempt, with full jitter).
    pub base_delay: Duration,
    /// The longest wait between attempts, `Retry-After` included.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 6,
            max_elapsed: Duration::from_secs(120),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL does not parse.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL given.
        url: String,
        /// Why.
        reason: String,
    },
    /// HTTP is allowed only on loopback (an emulator); anything else needs HTTPS.
    #[error("the base URL {url:?} is not HTTPS; plain HTTP is allowed only on loopback")]
    InsecureBaseUrl {
        /// The URL given.
        url: String,
    },
    /// No token provider was given.
    #[error("no token provider: call `.token_provider(...)`")]
    MissingTokenProvider,
    /// reqwest could not build its client.
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

/// A transport failure: the request never got an answer. Carries the `client-request-id` to
/// quote to support.
#[derive(Debug, thiserror::Error)]
#[error(
    "{method} {path} (client-request-id {client_request_id}) failed after {attempts} attempt(s): {reason}"
)]
pub struct TransportError {
    /// The method.
    pub method: Method,
    /// The path template (ids replaced by `{id}`).
    pub path: String,
    /// The id sent in `client-request-id`.
    pub client_request_id: String,
    /// Attempts made.
    pub attempts: u32,
    /// What went wrong.
    pub reason: String,
}

/// Builds a [`GraphClient`].
pub struct GraphClientBuilder {
    base_url: Option<String>,
    cloud: Cloud,
    version: ApiVersion,
    tokens: Option<Arc<dyn TokenProvider>>,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    http: Option<reqwest::Client>,
    batch_concurrency: usize,
}

impl fmt::Debug for GraphClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClientBuilder")
            .field("base_url", &self.base_url)
            .field("cloud", &self.cloud)
            .field("version", &self.version)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl GraphClientBuilder {
    /// The full root, version included: `http://127.0.0.1:8080/v1.0` for an emulator, or a
    /// proxy. Overrides [`cloud`](Self::cloud) and [`version`](Self::version).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The cloud (default [`Cloud::Global`]).
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.cloud = cloud;
        self
    }

    /// The API version (default `v1.0`).
    pub fn version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// Where tokens come from.
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.tokens = Some(Arc::new(provider));
        self
    }

    /// The retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Timeout of one attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Connect timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent`.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// Shares an existing reqwest client (and its connection pool); timeouts and user agent set
    /// here are then not applied.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// How many `$batch` envelopes [`GraphClient::batch`] keeps in flight (default 4).
    pub fn batch_concurrency(mut self, n: usize) -> Self {
        self.batch_concurrency = n.max(1);
        self
    }

    /// Builds the client, checking the base URL (HTTPS unless loopback).
    pub fn build(self) -> Result<GraphClient, BuildError> {
        let root = match &self.base_url {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => format!("{}/{}", self.cloud.root(), self.version.as_str()),
        };
        let url = reqwest::Url::parse(&root).map_err(|e| BuildError::InvalidBaseUrl {
            url: root.clone(),
            reason: e.to_string(),
        })?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => return Err(BuildError::InsecureBaseUrl { url: root }),
            other => {
                return Err(BuildError::InvalidBaseUrl {
                    url: root.clone(),
                    reason: format!("unsupported scheme {other:?}"),
                });
            }
        }
        let tokens = self.tokens.ok_or(BuildError::MissingTokenProvider)?;
        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent)
                .build()
                .map_err(BuildError::Http)?,
        };
        Ok(GraphClient {
            inner: Arc::new(Inner {
                http,
                origin: url.origin().ascii_serialization(),
                root,
                tokens: token::TokenCache::new(tokens),
                retry: self.retry,
                batch_concurrency: self.batch_concurrency,
            }),
        })
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

struct Inner {
    http: reqwest::Client,
    root: String,
    origin: String,
    tokens: token::TokenCache,
    retry: RetryPolicy,
    batch_concurrency: usize,
}

/// A Microsoft Graph client for open extensions. Cheap to clone (one connection pool).
#[derive(Clone)]
pub struct GraphClient {
    inner: Arc<Inner>,
}

impl fmt::Debug for GraphClient {
    /// Shows where it sends requests, never the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClient")
            .field("root", &self.inner.root)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// The path with ids replaced, for logs: `/users/{id}/messages/{id}/extensions/{name}`.
pub fn path_template(url: &str) -> String {
    let path = url.split('?').next().unwrap_or(url);
    let path = match path.find("://") {
        Some(i) => path[i + 3..].find('/').map_or("/", |j| &path[i + 3 + j..]),
        None => path,
    };
    const COLLECTIONS: [&str; 12] = [
        "users",
        "groups",
        "devices",
        "organization",
        "administrativeUnits",
        "messages",
        "events",
        "contacts",
        "lists",
        "tasks",
        "threads",
        "posts",
    ];
    let mut out = String::new();
    let mut prev = "";
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        if COLLECTIONS.contains(&prev) {
            out.push_str("{id}");
        } else if prev == "extensions" {
            out.push_str("{name}");
        } else {
            out.push_str(seg);
        }
        prev = seg;
    }
    if out.is_empty() { "/".into() } else { out }
}

/// What one attempt gave.
enum Outcome {
    Answer(Response),
    /// No answer; `ambiguous` if the server may have acted on it.
    Failed {
        reason: String,
        ambiguous: bool,
    },
}

fn random_unit() -> f64 {
    (uuid::Uuid::new_v4().as_u128() >> 75) as f64 / (1u64 << 53) as f64
}

impl GraphClient {
    /// A builder, with Graph's global cloud, `v1.0`, and the default retry policy.
    pub fn builder() -> GraphClientBuilder {
        GraphClientBuilder {
            base_url: None,
            cloud: Cloud::Global,
            version: ApiVersion::V1,
            tokens: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("extensions-client/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
            batch_concurrency: 4,
        }
    }

    /// The root requests go to (`https://graph.microsoft.com/v1.0`).
    pub fn root(&self) -> &str {
        &self.inner.root
    }

    fn url_for(&self, request: &Request) -> Result<String, String> {
        if request.is_absolute() {
            // A nextLink: follow it as is, but never send the token to another host.
            if request.url.starts_with(&format!("{}/", self.inner.origin)) {
                Ok(request.url.clone())
            } else {
                Err("refusing to follow a link to another host with this client's token".into())
            }
        } else {
            Ok(format!("{}{}", self.inner.root, request.url))
        }
    }

    async fn attempt(
        &self,
        request: &Request,
        url: &str,
        client_request_id: &str,
        token: &Secret,
    ) -> Outcome {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut req = self
            .inner
            .http
            .request(method, url)
            .header("Authorization", format!("Bearer {}", token.expose()))
            .header("client-request-id", client_request_id)
            .header("Accept", "application/json");
        for (k, v) in &request.headers {
            req = req.header(*k, v);
        }
        if let Some(body) = &request.body {
            req = req.body(body.clone());
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                // A connect error means the request was never sent; anything later may have been.
                return Outcome::Failed {
                    reason: describe(&e),
                    ambiguous: !e.is_connect(),
                };
            }
        };
        let status = resp.status().as_u16();
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .filter_map(|(k, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (k.as_str().to_owned(), v.to_owned()))
            })
            .collect();
        match resp.bytes().await {
            Ok(body) => Outcome::Answer(Response {
                status,
                headers,
                body: body.to_vec(),
            }),
            Err(e) => Outcome::Failed {
                reason: describe(&e),
                ambiguous: true,
            },
        }
    }

    fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let p = &self.inner.retry;
        let d = match retry_after {
            Some(d) => d,
            None => {
                let exp = p
                    .base_delay
                    .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
                exp.min(p.max_delay).mul_f64(random_unit())
            }
        };
        d.min(p.max_delay)
    }

    /// `base_delay · 2^(round-1)`, with equal jitter (half fixed, half random).
    fn growing_floor(&self, round: u32) -> Duration {
        let p = &self.inner.retry;
        let exp = p
            .base_delay
            .saturating_mul(1u32 << round.saturating_sub(1).min(16))
            .min(p.max_delay);
        exp / 2 + (exp / 2).mul_f64(random_unit())
    }

    /// For an ambiguous create: reads the extension back; `Some(201 answer)` if it is there with
    /// exactly the properties sent.
    async fn read_back_create(
        &self,
        request: &Request,
        client_request_id: &str,
        token: &Secret,
    ) -> Option<Response> {
        let sent: serde_json::Value = serde_json::from_slice(request.body.as_deref()?).ok()?;
        let name = sent.get("extensionName")?.as_str()?;
        let name = extensions_core::ExtensionName::new_unqualified(name.to_owned()).ok()?;
        let get = Request {
            method: Method::Get,
            url: format!("{}/{}", request.url, name),
            headers: Vec::new(),
            body: None,
        };
        let url = self.url_for(&get).ok()?;
        let Outcome::Answer(resp) = self.attempt(&get, &url, client_request_id, token).await else {
            return None;
        };
        let stored = response::read_get(&resp).ok()??;
        let sent = extensions_core::ExtensionObject::from_json(&sent).ok()?;
        (stored.properties == sent.properties).then_some(Response {
            status: 201,
            ..resp
        })
    }

    async fn send_with_retries(&self, request: Request) -> Result<Response, Error> {
        let started = Instant::now();
        let client_request_id = uuid::Uuid::new_v4().to_string();
        let template = path_template(&request.url);
        let policy = self.inner.retry;
        let url = self.url_for(&request).map_err(|reason| {
            transport_error(&request, &template, &client_request_id, 0, reason)
        })?;
        let is_create = request.method == Method::Post && request.url.ends_with("/extensions");
        let mut refreshed_token = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let token = self.inner.tokens.get().await.map_err(Error::Token)?;
            let span = tracing::info_span!("graph_request", method = %request.method, path = %template, attempt, status = tracing::field::Empty, elapsed_ms = tracing::field::Empty);
            let t0 = Instant::now();
            let outcome = self
                .attempt(&request, &url, &client_request_id, &token)
                .instrument(span.clone())
                .await;
            span.record("elapsed_ms", t0.elapsed().as_millis() as u64);
            let out_of_budget =
                attempt >= policy.max_attempts || started.elapsed() >= policy.max_elapsed;
            match outcome {
                Outcome::Answer(resp) => {
                    span.record("status", resp.status);
                    let _enter = span.enter();
                    tracing::debug!("answered");
                    let retry_after = resp
                        .header("retry-after")
                        .and_then(response::parse_retry_after);
                    // 429 and 503 mean "not processed": safe to repeat. 500, 502 and 504 may have
                    // been applied: repeated only when idempotent, or for a create whose read-back
                    // (below) found nothing.
                    let retryable = match resp.status {
                        429 | 503 => true,
                        504 => request.method.is_idempotent() || is_create,
                        500 | 502 => request.method.is_idempotent(),
                        401 => !refreshed_token,
                        _ => false,
                    };
                    if resp.status == 401 && !refreshed_token {
                        self.inner.tokens.invalidate(&token).await;
                        refreshed_token = true;
                    }
                    // A create answered 500/502/504 may have been applied: look before retrying.
                    if is_create
                        && matches!(resp.status, 500 | 502 | 504)
                        && let Some(r) = self
                            .read_back_create(&request, &client_request_id, &token)
                            .await
                    {
                        return Ok(r);
                    }
                    if !retryable || out_of_budget {
                        return Ok(resp);
                    }
                    let wait = self.backoff(attempt, retry_after);
                    if started.elapsed() + wait >= policy.max_elapsed {
                        return Ok(resp);
                    }
                    tracing::info!(
                        status = resp.status,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                }
                Outcome::Failed { reason, ambiguous } => {
                    let _enter = span.enter();
                    tracing::info!(%reason, ambiguous, "no answer");
                    drop(_enter);
                    if ambiguous && request.method == Method::Post {
                        if !is_create {
                            // A POST whose effect cannot be checked is not repeated.
                            return Err(transport_error(
                                &request,
                                &template,
                                &client_request_id,
                                attempt,
                                reason,
                            ));
                        }
                        if let Some(r) = self
                            .read_back_create(&request, &client_request_id, &token)
                            .await
                        {
                            tracing::info!("the create had been applied; treating it as done");
                            return Ok(r);
                        }
                    }
                    if out_of_budget {
                        return Err(transport_error(
                            &request,
                            &template,
                            &client_request_id,
                            attempt,
                            reason,
                        ));
                    }
                    tokio::time::sleep(self.backoff(attempt, None)).await;
                }
            }
        }
    }

    /// Every user with its extensions, page by page (`$top` = `page_size`), following
    /// `@odata.nextLink` until the end; one page in memory at a time. The stream is `Unpin`, so
    /// `while let Some(user) = stream.next().await` works as is.
    pub fn users_with_extensions(
        &self,
        page_size: Option<u32>,
    ) -> impl Stream<Item = Result<Expanded, Error>> + Send + Unpin + '_ {
        let first = extensions_core::request::list_users_with_extensions(page_size);
        Box::pin(stream::unfold(
            (Some(first), VecDeque::new()),
            move |(mut next, mut buf)| async move {
                loop {
                    if let Some(item) = buf.pop_front() {
                        return Some((Ok(item), (next, buf)));
                    }
                    let req = next.take()?;
                    let page = match self
                        .send(req)
                        .await
                        .and_then(|r| response::read_expanded_page(&r))
                    {
                        Ok(p) => p,
                        Err(e) => return Some((Err(e), (None, VecDeque::new()))),
                    };
                    next = page
                        .next_link
                        .as_deref()
                        .map(extensions_core::request::next_page);
                    buf = page.items.into();
                }
            },
        ))
    }

    /// Sends many independent requests through `$batch`: envelopes of 20, at most
    /// `batch_concurrency` in flight, answers in input order, throttled items retried on their
    /// own (after the longest `Retry-After` among them) within the retry policy.
    pub async fn batch(&self, requests: Vec<Request>) -> Vec<Result<Response, Error>> {
        let n = requests.len();
        let chunks: Vec<Vec<(usize, Request)>> = requests
            .into_iter()
            .enumerate()
            .collect::<Vec<_>>()
            .chunks(extensions_core::limits::MAX_BATCH_REQUESTS)
            .map(<[_]>::to_vec)
            .collect();
        let mut results: Vec<Option<Result<Response, Error>>> = (0..n).map(|_| None).collect();
        let done: Vec<Vec<(usize, Result<Response, Error>)>> = stream::iter(chunks)
            .map(|chunk| self.batch_chunk(chunk))
            .buffer_unordered(self.inner.batch_concurrency)
            .collect()
            .await;
        for (i, r) in done.into_iter().flatten() {
            results[i] = Some(r);
        }
        results
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|| {
                    Err(Error::BatchInvalid {
                        reason: "no answer for this item".into(),
                    })
                })
            })
            .collect()
    }

    async fn batch_chunk(
        &self,
        mut pending: Vec<(usize, Request)>,
    ) -> Vec<(usize, Result<Response, Error>)> {
        let policy = self.inner.retry;
        let started = Instant::now();
        let mut out = Vec::new();
        for round in 1..=policy.max_attempts {
            let items: Vec<BatchItem> = pending
                .iter()
                .map(|(i, r)| BatchItem::new(i.to_string(), r.clone()))
                .collect();
            let answers = match batch::envelope(&items) {
                Err(e) => Err(e),
                Ok(env) => match self.send(env).await {
                    Ok(resp) => batch::read_envelope(&resp, &items),
                    Err(e) => Err(e),
                },
            };
            let answers = match answers {
                Ok(a) => a,
                Err(e) => {
                    let msg = e.to_string();
                    out.extend(pending.drain(..).map(|(i, _)| {
                        (
                            i,
                            Err(Error::BatchInvalid {
                                reason: msg.clone(),
                            }),
                        )
                    }));
                    return out;
                }
            };
            let mut retry = Vec::new();
            let mut wait = Duration::ZERO;
            for ((i, req), answer) in pending.drain(..).zip(answers) {
                let status = answer.response.status;
                let last = round == policy.max_attempts || started.elapsed() >= policy.max_elapsed;
                if matches!(status, 429 | 503 | 504) && !last {
                    if let Some(d) = answer
                        .response
                        .header("retry-after")
                        .and_then(response::parse_retry_after)
                    {
                        wait = wait.max(d);
                    }
                    retry.push((i, req));
                } else {
                    out.push((i, Ok(answer.response)));
                }
            }
            if retry.is_empty() {
                break;
            }
            // Retry-After is per item, but envelopes in flight share the app's budget, so each
            // round also waits at least a growing floor (equal jitter), or rounds would collide
            // again and use up the attempts.
            let wait = wait.max(self.growing_floor(round)).min(policy.max_delay);
            tracing::info!(
                items = retry.len(),
                wait_ms = wait.as_millis() as u64,
                "retrying throttled batch items"
            );
            tokio::time::sleep(wait).await;
            pending = retry;
        }
        out
    }
}

fn describe(e: &reqwest::Error) -> String {
    // The URL in reqwest's errors holds no secret (the token is a header); keep the chain.
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

fn transport_error(
    request: &Request,
    template: &str,
    cid: &str,
    attempts: u32,
    reason: String,
) -> Error {
    Error::Transport(Box::new(TransportError {
        method: request.method,
        path: template.to_owned(),
        client_request_id: cid.to_owned(),
        attempts,
        reason,
    }))
}

impl Transport for GraphClient {
    fn send(
        &self,
        request: Request,
    ) -> impl std::future::Future<Output = Result<Response, Error>> + Send {
        self.send_with_retries(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_hide_ids() {
        assert_eq!(
            path_template("/users/adele%40contoso.com/messages/AAMk%3D/extensions/com.contoso.X"),
            "/users/{id}/messages/{id}/extensions/{name}"
        );
        assert_eq!(
            path_template("/me/todo/lists/L/tasks/T/extensions"),
            "/me/todo/lists/{id}/tasks/{id}/extensions"
        );
        assert_eq!(
            path_template("https://graph.microsoft.com/v1.0/users?$skiptoken=x"),
            "/v1.0/users"
        );
        assert_eq!(path_template("/$batch"), "/$batch");
    }

    #[test]
    fn https_unless_loopback() {
        let b = || GraphClient::builder().token_provider(StaticToken::new("t"));
        assert!(b().build().is_ok());
        assert!(b().base_url("http://127.0.0.1:8080/v1.0").build().is_ok());
        assert!(b().base_url("http://localhost:1/beta").build().is_ok());
        assert!(b().base_url("http://[::1]:1/v1.0").build().is_ok());
        assert!(matches!(
            b().base_url("http://graph.microsoft.com/v1.0").build(),
            Err(BuildError::InsecureBaseUrl { .. })
        ));
        assert!(matches!(
            b().base_url("http://10.0.0.1/v1.0").build(),
            Err(BuildError::InsecureBaseUrl { .. })
        ));
        assert!(matches!(
            b().base_url("not a url").build(),
            Err(BuildError::InvalidBaseUrl { .. })
        ));
        assert!(matches!(
            GraphClient::builder().build(),
            Err(BuildError::MissingTokenProvider)
        ));
        let c = b()
            .cloud(Cloud::China)
            .version(ApiVersion::Beta)
            .build()
            .unwrap();
        assert_eq!(c.root(), "https://microsoftgraph.chinacloudapi.cn/beta");
        assert_eq!(
            b().cloud(Cloud::UsGovL5).build().unwrap().root(),
            "https://dod-graph.microsoft.us/v1.0"
        );
    }
}
