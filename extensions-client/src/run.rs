//! Running one operation: the token, the attempts its repeat class allows, `Retry-After`,
//! `client-request-id`, and a `tracing` span per attempt with the route template.

use std::time::{Duration, Instant};

use extensions_core::Error;
use extensions_core::GraphErrorKind;
use extensions_core::op::{Operation, Repeat, Request, Response};
use extensions_core::response::{parse_retry_after, read_error};
use http::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use tracing::Instrument;

use crate::token::Secret;
use crate::{GraphClient, TransportError};

/// What one attempt gave.
pub(crate) enum Outcome {
    Answer(Response),
    /// No answer; `ambiguous` if the server may have acted on it.
    Failed {
        reason: String,
        ambiguous: bool,
    },
    /// The body passed the client's size limit; reading stopped.
    TooLarge,
}

/// What reading back an attempt with an unknown outcome showed.
enum ReadBack<T> {
    /// It was applied, exactly as sent.
    Applied(T),
    /// It was not: sending it again is safe.
    NotApplied,
    /// The read-back itself failed: nothing is known.
    Unknown,
}

/// Statuses that say "try again": not processed (429, 503) or a transient server error.
fn is_transient(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// A random number for jitter and request ids (not for secrets): SipHash, keyed from the
/// operating system's randomness once per thread by `std`, over a process-wide counter.
pub(crate) fn random_u64() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    RandomState::new().hash_one(n)
}

/// A random number in `[0, 1)`.
pub(crate) fn random_unit() -> f64 {
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

pub(crate) fn describe(e: reqwest::Error) -> String {
    // The URL holds ids (user principal names among them) that logs and errors leave out, as
    // the route template does; the token is a header, never in the URL. Keep the chain.
    let e = e.without_url();
    let mut s = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

pub(crate) fn transport_error(
    method: &http::Method,
    route: &str,
    cid: &str,
    attempts: u32,
    reason: String,
) -> Error {
    Error::Transport(std::sync::Arc::new(TransportError {
        method: method.clone(),
        path: route.to_owned(),
        client_request_id: cid.to_owned(),
        attempts,
        reason,
    }))
}

/// The token provider did not answer in time.
#[derive(Debug, thiserror::Error)]
#[error("the token provider did not answer within {0:?}")]
struct TokenTimeout(Duration);

impl GraphClient {
    /// The URL a request goes to: the root plus a relative URI, or an absolute URI (a next
    /// link) as is. Either way the result must be on this client's own origin (scheme, host and
    /// port), so the token never goes to another host: this is the one origin check for every
    /// URL the client sends to.
    pub(crate) fn url_for(&self, request: &Request) -> Result<reqwest::Url, String> {
        let uri = request.uri();
        let text = if uri.scheme().is_some() {
            uri.to_string()
        } else {
            let pq = uri.path_and_query().map_or("/", |p| p.as_str());
            if !pq.starts_with('/') {
                return Err("a relative URI must start with `/`".into());
            }
            format!("{}{pq}", self.inner.root)
        };
        let url = reqwest::Url::parse(&text).map_err(|e| format!("not a URL: {e}"))?;
        let origin = &self.inner.origin;
        // Scheme, host and port compared as parsed (no allocation, unlike `Url::origin`).
        let same_origin = url.scheme() == origin.scheme()
            && url.host() == origin.host()
            && url.port_or_known_default() == origin.port_or_known_default();
        if !same_origin {
            return Err("refusing to send to another origin than this client's".into());
        }
        Ok(url)
    }

    /// Sends one attempt with the token and `client-request-id`.
    pub(crate) async fn attempt(
        &self,
        request: Request,
        url: reqwest::Url,
        client_request_id: &str,
        token: &Secret,
    ) -> Outcome {
        let (parts, body) = request.into_parts();
        // The operation's headers are moved into the request, with ours added in place: no
        // builder, no copy of the header map.
        let mut headers = parts.headers;
        headers.reserve(3);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Ok(v) = HeaderValue::from_str(client_request_id) {
            headers.insert("client-request-id", v);
        }
        match HeaderValue::from_str(&format!("Bearer {}", token.expose())) {
            Ok(mut v) => {
                v.set_sensitive(true);
                headers.insert(AUTHORIZATION, v);
            }
            Err(_) => {
                return Outcome::Failed {
                    reason: "the token is not a valid header value".into(),
                    ambiguous: false,
                };
            }
        }
        let mut req = reqwest::Request::new(parts.method, url);
        *req.headers_mut() = headers;
        if !body.is_empty() {
            *req.body_mut() = Some(body.into());
        }
        let mut resp = match self.inner.http.execute(req).await {
            Ok(r) => r,
            Err(e) => {
                // A connect error means the request was never sent; anything later may have been.
                let ambiguous = !e.is_connect();
                return Outcome::Failed {
                    reason: describe(e),
                    ambiguous,
                };
            }
        };
        let limit = self.inner.max_response_bytes;
        if resp.content_length().is_some_and(|n| n > limit as u64) {
            return Outcome::TooLarge;
        }
        let mut builder = http::Response::builder().status(resp.status());
        if let Some(h) = builder.headers_mut() {
            *h = std::mem::take(resp.headers_mut());
        }
        // Read the body a chunk at a time, so a body over the limit is dropped as soon as it
        // passes it, and never held whole.
        let mut body = bytes::BytesMut::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > limit {
                        return Outcome::TooLarge;
                    }
                    if body.is_empty() && chunk.len() == resp.content_length().unwrap_or(0) as usize
                    {
                        // The whole body in one chunk: keep it without a copy.
                        return match builder.body(chunk) {
                            Ok(r) => Outcome::Answer(r),
                            Err(e) => Outcome::Failed {
                                reason: e.to_string(),
                                ambiguous: true,
                            },
                        };
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    return Outcome::Failed {
                        reason: describe(e),
                        ambiguous: true,
                    };
                }
            }
        }
        match builder.body(body.freeze()) {
            Ok(r) => Outcome::Answer(r),
            Err(e) => Outcome::Failed {
                reason: e.to_string(),
                ambiguous: true,
            },
        }
    }

    /// How long to wait before attempt `attempt + 1`: the server's `Retry-After` when it gave a
    /// positive one (capped at `max_delay`), else exponential backoff with full jitter above a
    /// floor of half the base delay, so `Retry-After: 0` or no hint never turns into a burst.
    pub(crate) fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let p = &self.inner.retry;
        match retry_after {
            Some(d) if !d.is_zero() => d.min(p.max_delay),
            _ => {
                let exp = p
                    .base_delay
                    .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
                exp.min(p.max_delay)
                    .mul_f64(random_unit())
                    .max(p.base_delay / 2)
                    .min(p.max_delay)
            }
        }
    }

    /// Waits for this client's throttle gate (the `pace` module) to let a request of this cost
    /// start.
    pub(crate) async fn gate(&self, cost: u32) {
        while let Err(at) = self.inner.gate.try_admit(cost) {
            tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await;
        }
    }

    /// A token, within the client's timeout: a provider that never answers fails the call
    /// rather than hanging it (and every call waiting on the same fetch).
    pub(crate) async fn token(&self) -> Result<Secret, Error> {
        match tokio::time::timeout(self.inner.timeout, self.inner.tokens.get()).await {
            Ok(Ok(t)) => Ok(t),
            Ok(Err(e)) => Err(Error::Token(e.into())),
            Err(_) => Err(Error::Token(std::sync::Arc::new(TokenTimeout(
                self.inner.timeout,
            )))),
        }
    }

    /// Asks the operation's read-back request whether an attempt with an unknown outcome was
    /// applied.
    async fn read_back<O: Operation + Sync + ?Sized>(
        &self,
        op: &O,
        cid: &str,
        token: &Secret,
    ) -> ReadBack<O::Output> {
        // The read-back is a GET: safe to repeat, so it retries its own transient failures
        // (within the attempts of the policy) before saying "unknown".
        for attempt in 1..=self.inner.retry.max_attempts.max(1) {
            let Some(req) = op.read_back() else {
                return ReadBack::Unknown;
            };
            let Ok(url) = self.url_for(&req) else {
                return ReadBack::Unknown;
            };
            let retry_after = match self.attempt(req, url, cid, token).await {
                Outcome::Answer(resp) if is_transient(resp.status().as_u16()) => resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_retry_after),
                Outcome::Answer(resp) => {
                    return match op.confirm(resp) {
                        Ok(Some(out)) => ReadBack::Applied(out),
                        Ok(None) => ReadBack::NotApplied,
                        Err(_) => ReadBack::Unknown,
                    };
                }
                Outcome::Failed { .. } => None,
                Outcome::TooLarge => return ReadBack::Unknown,
            };
            if attempt < self.inner.retry.max_attempts {
                tokio::time::sleep(self.backoff(attempt, retry_after)).await;
            }
        }
        ReadBack::Unknown
    }

    /// Runs `op` to its output: see [`RetryPolicy`](crate::RetryPolicy) for what is repeated.
    pub(crate) async fn run<O: Operation + Sync + ?Sized>(
        &self,
        op: &O,
    ) -> Result<O::Output, Error> {
        let started = Instant::now();
        let cid = self.inner.request_ids.next();
        let route = op.route();
        let policy = self.inner.retry;
        let repeat = op.repeat();
        let mut refreshed_token = false;
        // Whether an earlier attempt may have been applied (and a read-back said it was not,
        // or could not say yet): a late arrival of that attempt can make this one "already
        // exist".
        let mut maybe_applied_before = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let request = op.request()?;
            let method = request.method().clone();
            let url = self
                .url_for(&request)
                .map_err(|reason| transport_error(&method, &route, &cid, 0, reason))?;
            let token = self.token().await?;
            self.gate(op.cost()).await;
            let span = tracing::info_span!("graph_request", method = %method, path = %route, attempt, status = tracing::field::Empty, elapsed_ms = tracing::field::Empty);
            let t0 = Instant::now();
            let outcome = self
                .attempt(request, url, &cid, &token)
                .instrument(span.clone())
                .await;
            span.record("elapsed_ms", t0.elapsed().as_millis() as u64);
            let out_of_budget =
                attempt >= policy.max_attempts || started.elapsed() >= policy.max_elapsed;
            match outcome {
                Outcome::Answer(resp) => {
                    let status = resp.status().as_u16();
                    span.record("status", status);
                    let _enter = span.enter();
                    tracing::debug!("answered");
                    drop(_enter);
                    let retry_after = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(parse_retry_after);
                    // A hint told to one request holds for every request of this client. (A
                    // `$batch` envelope's items are counted by `bulk`, which reads them.)
                    match retry_after {
                        Some(d) if matches!(status, 429 | 503) => {
                            self.inner
                                .gate
                                .throttled(op.cost(), d.min(policy.max_delay));
                        }
                        _ if op.cost() == 1 => self.inner.gate.accepted(1),
                        _ => {}
                    }
                    // 429 and 503 mean "not processed": safe to repeat for every class. 500, 502
                    // and 504 may have been applied.
                    let maybe_applied = matches!(status, 500 | 502 | 504);
                    // A create sent again after an attempt with an unknown outcome, answered
                    // "already exists": the first attempt arrived after all. If what is stored is
                    // exactly what was sent, that is the create's success.
                    if repeat == Repeat::ReadBack
                        && maybe_applied_before
                        && status == 400
                        && read_error(&resp)
                            .graph_error()
                            .is_some_and(|g| g.kind == GraphErrorKind::AlreadyExists)
                        && let ReadBack::Applied(out) = self.read_back(op, &cid, &token).await
                    {
                        tracing::info!(path = %route, "an earlier attempt of the create had been applied; treating it as done");
                        return Ok(out);
                    }
                    if maybe_applied && repeat == Repeat::ReadBack {
                        match self.read_back(op, &cid, &token).await {
                            ReadBack::Applied(out) => {
                                tracing::info!(path = %route, "the create had been applied; treating it as done");
                                return Ok(out);
                            }
                            ReadBack::NotApplied => maybe_applied_before = true,
                            ReadBack::Unknown => return op.read(resp),
                        }
                    }
                    let retryable = match status {
                        429 | 503 => true,
                        500 | 502 | 504 => repeat != Repeat::Once,
                        401 => !refreshed_token,
                        _ => false,
                    };
                    if status == 401 && !refreshed_token {
                        self.inner.tokens.invalidate(&token).await;
                        refreshed_token = true;
                    }
                    if !retryable || out_of_budget {
                        return op.read(resp);
                    }
                    let wait = self.backoff(attempt, retry_after);
                    if started.elapsed().saturating_add(wait) >= policy.max_elapsed {
                        return op.read(resp);
                    }
                    tracing::info!(
                        path = %route,
                        status,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                }
                Outcome::TooLarge => {
                    return Err(Error::ResponseTooLarge {
                        limit: self.inner.max_response_bytes,
                    });
                }
                Outcome::Failed { reason, ambiguous } => {
                    let _enter = span.enter();
                    tracing::info!(%reason, ambiguous, "no answer");
                    drop(_enter);
                    let fail = |reason| transport_error(&method, &route, &cid, attempt, reason);
                    if ambiguous {
                        match repeat {
                            Repeat::Safe => {}
                            Repeat::ReadBack => match self.read_back(op, &cid, &token).await {
                                ReadBack::Applied(out) => {
                                    tracing::info!(path = %route, "the create had been applied; treating it as done");
                                    return Ok(out);
                                }
                                ReadBack::NotApplied => maybe_applied_before = true,
                                ReadBack::Unknown => return Err(fail(reason)),
                            },
                            // Once, and any class added later: never repeated blindly.
                            _ => return Err(fail(reason)),
                        }
                    }
                    if out_of_budget {
                        return Err(fail(reason));
                    }
                    tokio::time::sleep(self.backoff(attempt, None)).await;
                }
            }
        }
    }
}
