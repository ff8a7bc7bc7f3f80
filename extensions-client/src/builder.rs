//! [`GraphClientBuilder`]: the base URL and its checks, tokens, timeouts, the HTTP client.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

#[cfg(doc)]
use extensions_core::Error;

use crate::ids::RequestIds;
use crate::tls::HAS_TLS;
use crate::{
    ApiVersion, Cloud, GraphClient, Inner, RetryPolicy, TokenProvider, install_tls_provider, pace,
    token,
};

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
    pub(crate) fn new() -> Self {
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
                bearer: std::sync::Mutex::new(None),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StaticToken;

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
