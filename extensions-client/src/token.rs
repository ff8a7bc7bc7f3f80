//! Access tokens: the [`TokenProvider`] trait, a static provider, and the cache the client keeps.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// A secret string (an access token). `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// An access token and when it expires (`None`: never, as far as the provider knows).
#[derive(Debug, Clone)]
pub struct AccessToken {
    /// The token.
    pub secret: Secret,
    /// When it stops being valid.
    pub expires_at: Option<SystemTime>,
}

/// What a provider's failure looks like; it must not contain the token.
pub type TokenError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<AccessToken, TokenError>> + Send + 'a>>;

/// Gets access tokens for Graph (scope `https://graph.microsoft.com/.default`).
///
/// The client caches the token until shortly before it expires and asks again once, however
/// many requests are waiting, so a provider is called rarely and never concurrently.
pub trait TokenProvider: Send + Sync {
    /// Gets a fresh token.
    fn fetch(&self) -> TokenFuture<'_>;
}

/// A fixed token that never expires (a token from elsewhere, or the emulator's).
#[derive(Debug, Clone)]
pub struct StaticToken(Secret);

impl StaticToken {
    /// A provider that always answers `token`.
    pub fn new(token: impl Into<String>) -> Self {
        Self(Secret::new(token))
    }
}

impl TokenProvider for StaticToken {
    fn fetch(&self) -> TokenFuture<'_> {
        let token = AccessToken {
            secret: self.0.clone(),
            expires_at: None,
        };
        Box::pin(async move { Ok(token) })
    }
}

/// How long before expiry a cached token is replaced.
pub(crate) const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// Not about to expire: usable for a request sent now.
fn is_fresh(t: &AccessToken) -> bool {
    t.expires_at
        .is_none_or(|at| SystemTime::now() + REFRESH_BEFORE_EXPIRY < at)
}

/// The cache: one token, refreshed under a lock, so concurrent requests wait for one fetch.
pub(crate) struct TokenCache {
    provider: Arc<dyn TokenProvider>,
    current: tokio::sync::Mutex<Option<AccessToken>>,
    /// The last two tokens fetched (every token the client sends comes from here), for
    /// scrubbing from errors a server may have echoed them into.
    issued: std::sync::Mutex<Vec<Secret>>,
}

impl TokenCache {
    pub(crate) fn new(provider: Arc<dyn TokenProvider>) -> Self {
        Self {
            provider,
            current: tokio::sync::Mutex::new(None),
            issued: std::sync::Mutex::new(Vec::with_capacity(2)),
        }
    }

    /// The cached token, if it is fresh and nobody is fetching one (no waiting, no timer).
    pub(crate) fn fresh(&self) -> Option<Secret> {
        let current = self.current.try_lock().ok()?;
        current
            .as_ref()
            .filter(|t| is_fresh(t))
            .map(|t| t.secret.clone())
    }

    /// A valid token, fetched if the cached one is missing or about to expire.
    pub(crate) async fn get(&self) -> Result<Secret, TokenError> {
        let mut current = self.current.lock().await;
        if !current.as_ref().is_some_and(is_fresh) {
            let token = self.provider.fetch().await?;
            let mut issued = self.issued.lock().unwrap_or_else(|p| p.into_inner());
            if !issued.contains(&token.secret) {
                if issued.len() == 2 {
                    issued.remove(0);
                }
                issued.push(token.secret.clone());
            }
            *current = Some(token);
        }
        match current.as_ref() {
            Some(t) => Ok(t.secret.clone()),
            None => Err("the token provider returned no token".into()),
        }
    }

    /// The last two tokens fetched, newest last.
    pub(crate) fn issued(&self) -> Vec<Secret> {
        self.issued
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Forgets `rejected` (after a 401), so the next `get` fetches a new token.
    pub(crate) async fn invalidate(&self, rejected: &Secret) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|t| &t.secret == rejected) {
            *current = None;
        }
    }
}
