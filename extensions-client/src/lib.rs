//! The HTTP transport for [`extensions_core`] over reqwest: base URLs (global, national clouds,
//! a loopback emulator), tokens, retries that honour `Retry-After`, `client-request-id`, paging
//! and `$batch` for bulk work, with `tracing` spans. Secrets never reach logs, `Debug` or errors.
//!
//! [`GraphClient`] implements core's [`Execute`]: it runs any [operation](extensions_core::op)
//! (token, retries from the operation's own [`Repeat`] class, `Retry-After`,
//! `client-request-id`, a `tracing` span with the route template), so every typed call
//! (`Referral::get(&client, &resource)`, `referral.patch(&client, &resource)`, …) runs over it.
//! [`GraphClient::bulk`] runs many operations through `$batch` and returns each one's typed
//! output, in input order; [`GraphClient::bulk_stream`] reports each outcome as it arrives, for
//! progress.
//!
//! Logging goes through [`tracing`](https://docs.rs/tracing): spans and events for each request
//! (route template, status, attempt, waits), never a token. Nothing is printed until the
//! application installs a subscriber, for example `tracing_subscriber::fmt::init()`.
//!
//! # Features
//!
//! - `rustls` (default): HTTPS with rustls and the `ring` crypto provider (see
//!   [`install_tls_provider`]);
//! - `rustls-aws-lc`: HTTPS with rustls and `aws-lc-rs`, reqwest's own default (slower to build);
//! - `native-tls`: HTTPS with the platform's TLS library (OpenSSL on Linux);
//! - `azure-identity`: `AzureCredential`, tokens from `azure_identity`
//!   credentials.
//!
//! With no TLS feature the client speaks plain HTTP to loopback only (an emulator); building one
//! for an HTTPS URL is [`BuildError::NoTls`].
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
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "azure-identity")]
mod azure;
mod bulk;
mod ids;
mod pace;
mod paging;
mod retry;
mod run;
mod tls;
mod token;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use extensions_core::Error;
#[cfg(doc)]
use extensions_core::op::Repeat;
use extensions_core::op::{Execute, Operation};

#[cfg(feature = "azure-identity")]
pub use azure::AzureCredential;
/// The `azure_identity` crate, for its credentials (feature `azure-identity`).
#[cfg(feature = "azure-identity")]
pub use azure_identity;
pub use bulk::BulkEvent;
pub use extensions_core as core;
use ids::RequestIds;
pub use retry::RetryPolicy;
use tls::HAS_TLS;
pub use tls::install_tls_provider;
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
    /// China (operated by 21Vianet): `https://microsoftgraph.chinacloudapi.cn`. Open extensions
    /// are not offered in this cloud (the national-cloud table of the
    /// [open extension API pages](https://learn.microsoft.com/en-us/graph/api/opentypeextension-post-opentypeextension)):
    /// expect Graph to refuse these calls there.
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
    /// The base URL is HTTPS, but the crate was built with no TLS feature (`rustls`, the
    /// default; `rustls-aws-lc`; `native-tls`) and no HTTP client was given.
    #[error(
        "the base URL {url:?} is HTTPS, but extensions-client was built without TLS: enable its `rustls` (default), `rustls-aws-lc` or `native-tls` feature"
    )]
    NoTls {
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
    pub method: http::Method,
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
    max_response_bytes: usize,
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

    /// Timeout of one attempt, and of getting a token (default 30 s).
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

    /// Shares an existing reqwest client (and its connection pool); timeouts, the redirect
    /// policy and the user agent set here are then not applied (the client's own `timeout`
    /// still bounds token acquisition).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The largest response body read (default 32 MiB). A larger one is refused with
    /// [`Error::ResponseTooLarge`] as soon as its `Content-Length`, or the bytes read so far,
    /// pass the limit; it is never held in memory whole.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// How many `$batch` envelopes [`GraphClient::bulk`] keeps in flight (default 4).
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
            url: redact(&root),
            reason: e.to_string(),
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(BuildError::InvalidBaseUrl {
                url: redact(&root),
                reason: "a base URL must not hold credentials; give a token provider instead"
                    .into(),
            });
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => return Err(BuildError::InsecureBaseUrl { url: redact(&root) }),
            other => {
                return Err(BuildError::InvalidBaseUrl {
                    url: redact(&root),
                    reason: format!("unsupported scheme {other:?}"),
                });
            }
        }
        if url.scheme() == "https" && self.http.is_none() && !HAS_TLS {
            return Err(BuildError::NoTls { url: redact(&root) });
        }
        let tokens = self.tokens.ok_or(BuildError::MissingTokenProvider)?;
        let http = match self.http {
            Some(h) => h,
            None => {
                install_tls_provider();
                reqwest::Client::builder()
                    .timeout(self.timeout)
                    .connect_timeout(self.connect_timeout)
                    .user_agent(self.user_agent)
                    .redirect(same_origin_redirects())
                    .build()
                    .map_err(BuildError::Http)?
            }
        };
        Ok(GraphClient {
            inner: Arc::new(Inner {
                http,
                origin: url.clone(),
                root,
                tokens: token::TokenCache::new(tokens),
                retry: self.retry,
                batch_concurrency: self.batch_concurrency,
                max_response_bytes: self.max_response_bytes,
                timeout: self.timeout,
                gate: pace::Gate::default(),
                request_ids: RequestIds::new(),
            }),
        })
    }
}

/// Redirects are followed only within one origin, at most five: a redirect elsewhere would carry
/// the request's body (reqwest drops the token but not the body) off Graph's host and, for
/// plain HTTP, off HTTPS. The 3xx answer is returned instead, as an error.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if same && attempt.previous().len() <= 5 {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// `url` with any user name and password replaced, for errors.
fn redact(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_username("redacted");
            let _ = u.set_password(None);
            u.to_string()
        }
        Ok(_) => url.to_owned(),
        Err(_) => match url.rfind('@') {
            Some(at) => format!("(redacted){}", &url[at..]),
            None => url.to_owned(),
        },
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
    origin: reqwest::Url,
    tokens: token::TokenCache,
    retry: RetryPolicy,
    batch_concurrency: usize,
    max_response_bytes: usize,
    timeout: Duration,
    /// The throttle gate, shared by every request of this client.
    gate: pace::Gate,
    /// `client-request-id`s.
    request_ids: RequestIds,
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
            max_response_bytes: 32 * 1024 * 1024,
        }
    }

    /// The root requests go to (`https://graph.microsoft.com/v1.0`).
    pub fn root(&self) -> &str {
        &self.inner.root
    }
}

impl Execute for GraphClient {
    fn execute<O>(&self, op: &O) -> impl Future<Output = Result<O::Output, Error>> + Send
    where
        O: Operation + Sync + ?Sized,
        O::Output: Send,
    {
        self.run(op)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_zero_still_waits_a_floor_and_huge_values_are_capped() {
        let c = GraphClient::builder()
            .token_provider(StaticToken::new("t"))
            .base_url("http://127.0.0.1:1/v1.0")
            .retry(RetryPolicy {
                base_delay: Duration::from_millis(200),
                max_delay: Duration::from_secs(5),
                ..RetryPolicy::default()
            })
            .build()
            .unwrap();
        // `Retry-After: 0` is no hint: the exponential backoff, at least the floor.
        for attempt in 1..10 {
            let d = c.backoff(attempt, Some(Duration::ZERO));
            assert!(d >= Duration::from_millis(100) && d <= Duration::from_secs(5));
        }
        // A hint is followed exactly, however short: the gate pauses every request for it.
        assert_eq!(
            c.backoff(1, Some(Duration::from_millis(8))),
            Duration::from_millis(8)
        );
        assert_eq!(
            c.backoff(1, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            c.backoff(1, Some(Duration::from_secs(u64::MAX))),
            Duration::from_secs(5)
        );
        for attempt in 1..40 {
            let d = c.backoff(attempt, None);
            assert!(d >= Duration::from_millis(100) && d <= Duration::from_secs(5));
        }
    }

    #[test]
    fn request_ids_are_v4_uuids_and_distinct() {
        let ids = RequestIds::new();
        let drawn: std::collections::HashSet<String> = (0..10_000).map(|_| ids.next()).collect();
        assert_eq!(drawn.len(), 10_000);
        for id in drawn.iter().take(100) {
            let u = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(u.get_version_num(), 4, "{id}");
            assert_eq!(u.get_variant(), uuid::Variant::RFC4122, "{id}");
        }
        // Two clients draw different bases.
        assert_ne!(RequestIds::new().next(), RequestIds::new().next());
    }

    #[test]
    fn random_units_are_in_range_and_spread() {
        let draws: Vec<f64> = (0..10_000).map(|_| run::random_unit()).collect();
        assert!(draws.iter().all(|u| (0.0..1.0).contains(u)));
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!((0.45..0.55).contains(&mean), "mean {mean}");
        let low = draws.iter().filter(|u| **u < 0.1).count();
        assert!((700..1300).contains(&low), "{low} of 10,000 under 0.1");
    }

    #[test]
    fn without_tls_https_is_refused_at_build_and_loopback_works() {
        let b = || GraphClient::builder().token_provider(StaticToken::new("t"));
        assert!(b().base_url("http://127.0.0.1:8080/v1.0").build().is_ok());
        let https = b().build();
        if HAS_TLS {
            assert!(https.is_ok());
        } else {
            let e = https.err().unwrap();
            assert!(matches!(e, BuildError::NoTls { .. }));
            assert!(e.to_string().contains("`rustls` (default)"), "{e}");
        }
    }

    #[cfg(any(feature = "rustls", feature = "rustls-aws-lc", feature = "native-tls"))]
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
