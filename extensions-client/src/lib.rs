//! The HTTP transport for [`extensions_core`] over reqwest: base URLs (global, national clouds,
//! a loopback emulator), tokens, retries that honour `Retry-After`, `client-request-id`, paging
//! and `$batch` for bulk work, with `tracing` spans. Secrets never reach logs, `Debug` or errors.
//!
//! [`GraphClient`] implements core's [`Execute`]: it runs any [operation](extensions_core::op)
//! (token, retries from the operation's own [`Repeat`] class, `Retry-After`,
//! `client-request-id`, a `tracing` span with the route template), so every typed call
//! (`Referral::get(&client, &resource)`, `referral.patch(&client, &resource)`, …) runs over it.
//! It serves every kind of custom data core types: open extensions, schema extensions (with
//! [`GraphClient::find`] and [`GraphClient::definitions`], paged streams), directory extensions
//! and extension attributes ([`GraphClient::find_directory`], [`GraphClient::find_attributes`]);
//! the streams are `futures` streams, whose [`StreamExt`] this crate re-exports.
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
mod builder;
mod bulk;
mod config;
mod error;
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
pub use builder::{BuildError, GraphClientBuilder};
pub use bulk::BulkEvent;
pub use config::{ApiVersion, Cloud};
pub use error::TransportError;
pub use extensions_core as core;
/// The paged calls (`users_with_extensions`, `items_with_extension`, `find`, `definitions`,
/// `find_directory`, `find_attributes`) return a [`Stream`] of `futures`; [`StreamExt`] brings
/// its `next`, `collect`, `take`, … into scope: `use extensions_client::StreamExt;`.
pub use futures_util::stream::{Stream, StreamExt};
use ids::RequestIds;
pub use retry::RetryPolicy;
pub use tls::install_tls_provider;
pub use token::{AccessToken, Secret, StaticToken, TokenError, TokenFuture, TokenProvider};

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
    /// The `Authorization` value of the last token sent (marked sensitive), so a token is
    /// formatted and checked once, not at every request.
    bearer: std::sync::Mutex<Option<(token::Secret, http::HeaderValue)>>,
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
        GraphClientBuilder::new()
    }

    /// The root requests go to (`https://graph.microsoft.com/v1.0`).
    pub fn root(&self) -> &str {
        &self.inner.root
    }

    /// `text` with every token this client has sent (and any `Bearer` credential) replaced by
    /// `[redacted]`, as errors are: for a line of a log that shows what a server answered (a
    /// server may echo the token into a next link or a message). Borrowed when there was
    /// nothing to replace.
    pub fn redact_text<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        let issued = self.inner.tokens.issued();
        let secrets: Vec<&str> = issued.iter().map(Secret::expose).collect();
        extensions_core::redact::redact_text(text, &secrets)
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
}
