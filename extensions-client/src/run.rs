//! Running one operation: the token, the attempts its repeat class allows, `Retry-After`,
//! `client-request-id`, and a `tracing` span per attempt with the route template.

use std::time::{Duration, Instant};

use extensions_core::Error;
use extensions_core::GraphErrorKind;
use extensions_core::op::{Confirmation, Operation, Repeat, Request, Response};
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
    /// The call ends here: applied exactly as sent (its output), or something else is there
    /// (the error saying so), where sending again would fail or merge over it.
    Settled(Result<T, Error>),
    /// It was not applied: sending it again is safe.
    NotApplied,
    /// The read-back itself failed, or the deadline came first: nothing is known.
    Unknown,
}

/// The end of a call's retry budget: `start + max_elapsed`, or far ahead if that overflows.
pub(crate) fn deadline_from(start: Instant, max_elapsed: Duration) -> Instant {
    start
        .checked_add(max_elapsed)
        .unwrap_or_else(|| start + Duration::from_secs(100 * 365 * 24 * 3600))
}

/// Whether a wait of `wait` from now ends at or after `deadline`.
pub(crate) fn past(deadline: Instant, wait: Duration) -> bool {
    Instant::now()
        .checked_add(wait)
        .is_none_or(|t| t >= deadline)
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
        let origin = &self.inner.origin;
        let url = if uri.scheme().is_some() {
            reqwest::Url::parse(&uri.to_string()).map_err(|e| format!("not a URL: {e}"))?
        } else {
            let pq = uri.path_and_query().map_or("/", |p| p.as_str());
            if !pq.starts_with('/') {
                return Err("a relative URI must start with `/`".into());
            }
            // The root as parsed once, with the root's path (`/v1.0`, or nothing) and the
            // request's path and query set on it: only those are parsed here, and the scheme,
            // host and port stay the root's.
            let (path, query) = pq.split_once('?').map_or((pq, None), |(p, q)| (p, Some(q)));
            let mut full = String::with_capacity(origin.path().len() + path.len());
            full.push_str(origin.path().trim_end_matches('/'));
            full.push_str(path);
            let mut url = origin.clone();
            url.set_path(&full);
            url.set_query(query);
            url
        };
        // Scheme, host and port compared as parsed (no allocation, unlike `Url::origin`).
        let same_origin = url.scheme() == origin.scheme()
            && url.host() == origin.host()
            && url.port_or_known_default() == origin.port_or_known_default();
        if !same_origin {
            return Err("refusing to send to another origin than this client's".into());
        }
        Ok(url)
    }

    /// `Bearer {token}` as a sensitive header value, built once per token; `None` if the token
    /// cannot be a header value.
    fn bearer(&self, token: &Secret) -> Option<HeaderValue> {
        let mut cached = self.inner.bearer.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((secret, value)) = cached.as_ref()
            && secret == token
        {
            return Some(value.clone());
        }
        let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose())).ok()?;
        value.set_sensitive(true);
        *cached = Some((token.clone(), value.clone()));
        Some(value)
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
        match self.bearer(token) {
            Some(v) => {
                headers.insert(AUTHORIZATION, v);
            }
            None => {
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
        // passes it, and never held whole. Room for the announced length (within the limit) is
        // taken once, so a large body is not copied as the buffer grows.
        let announced = resp.content_length().map_or(0, |n| n as usize);
        let mut body = bytes::BytesMut::new();
        let mut reserved = false;
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
                    if !reserved {
                        body.reserve(announced.max(chunk.len()));
                        reserved = true;
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
    /// start; `false`, at once, if that would be at or after `deadline` (nothing may start
    /// then).
    pub(crate) async fn gate(&self, cost: u32, deadline: Instant) -> bool {
        loop {
            match self.inner.gate.try_admit(cost) {
                Ok(()) => return Instant::now() < deadline,
                Err(at) if at >= deadline => return false,
                Err(at) => tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await,
            }
        }
    }

    /// `e` with every token this client sent (and any `Bearer` credential) scrubbed from its
    /// texts: a server may echo the `Authorization` header in an error body or page.
    pub(crate) fn redact(&self, e: Error) -> Error {
        let issued = self.inner.tokens.issued();
        let secrets: Vec<&str> = issued.iter().map(Secret::expose).collect();
        e.redact(&secrets)
    }

    /// A token, within the client's timeout: a provider that never answers fails the call
    /// rather than hanging it (and every call waiting on the same fetch).
    pub(crate) async fn token(&self) -> Result<Secret, Error> {
        // A fresh token in the cache needs no timer.
        if let Some(t) = self.inner.tokens.fresh() {
            return Ok(t);
        }
        // Boxed, as the read-backs below: a path taken rarely does not make every call's
        // future larger (3.3 KB to 2.8 KB for a typed patch), which each move copies whole.
        match Box::pin(tokio::time::timeout(
            self.inner.timeout,
            self.inner.tokens.get(),
        ))
        .await
        {
            Ok(Ok(t)) => Ok(t),
            Ok(Err(e)) => Err(Error::Token(e.into())),
            Err(_) => Err(Error::Token(std::sync::Arc::new(TokenTimeout(
                self.inner.timeout,
            )))),
        }
    }

    /// Asks the operation's read-back request whether an attempt with an unknown outcome was
    /// applied. The read-back is a GET: safe to repeat, so it retries its own transient failures
    /// (within the attempts of the policy, and never past the call's `deadline`) before saying
    /// "unknown".
    async fn read_back<O: Operation + Sync + ?Sized>(
        &self,
        op: &O,
        cid: &str,
        token: &Secret,
        deadline: Instant,
    ) -> ReadBack<O::Output> {
        for attempt in 1..=self.inner.retry.max_attempts.max(1) {
            let Some(req) = op.read_back() else {
                return ReadBack::Unknown;
            };
            let Ok(url) = self.url_for(&req) else {
                return ReadBack::Unknown;
            };
            // Waiting at the gate counts as busy: the pace, not the caller, holds it back.
            let flight = self.inner.gate.flight(1);
            if !self.gate(1, deadline).await {
                return ReadBack::Unknown;
            }
            let sent = Instant::now();
            let outcome = self.attempt(req, url, cid, token).await;
            drop(flight);
            let retry_after = match outcome {
                Outcome::Answer(resp) if is_transient(resp.status().as_u16()) => {
                    let hint = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(parse_retry_after);
                    if let Some(d) = hint.filter(|_| matches!(resp.status().as_u16(), 429 | 503)) {
                        self.inner
                            .gate
                            .throttled(1, 0, d.min(self.inner.retry.max_delay), sent);
                    }
                    hint
                }
                Outcome::Answer(resp) => {
                    self.inner.gate.accepted(1);
                    return match op.confirm(resp) {
                        Ok(Confirmation::Applied(out)) => {
                            tracing::info!(path = %op.route(), "the create had been applied; treating it as done");
                            ReadBack::Settled(Ok(out))
                        }
                        Ok(Confirmation::Absent) => ReadBack::NotApplied,
                        Ok(Confirmation::Different(e)) => ReadBack::Settled(Err(e)),
                        Ok(_) | Err(_) => ReadBack::Unknown,
                    };
                }
                Outcome::Failed { .. } => None,
                Outcome::TooLarge => return ReadBack::Unknown,
            };
            if attempt >= self.inner.retry.max_attempts {
                break;
            }
            let wait = self.backoff(attempt, retry_after);
            if past(deadline, wait) {
                break;
            }
            tokio::time::sleep(wait).await;
        }
        ReadBack::Unknown
    }

    /// Runs `op` to its output: see [`RetryPolicy`](crate::RetryPolicy) for what is repeated.
    /// Every error is returned with the tokens scrubbed from its texts.
    pub(crate) async fn run<O: Operation + Sync + ?Sized>(
        &self,
        op: &O,
    ) -> Result<O::Output, Error> {
        let deadline = deadline_from(Instant::now(), self.inner.retry.max_elapsed);
        self.run_until(op, deadline).await
    }

    /// [`run`](Self::run) within a deadline computed by the caller: no attempt, read-back or
    /// wait starts at or after it.
    pub(crate) async fn run_until<O: Operation + Sync + ?Sized>(
        &self,
        op: &O,
        deadline: Instant,
    ) -> Result<O::Output, Error> {
        self.run_inner(op, deadline)
            .await
            .map_err(|e| self.redact(e))
    }

    async fn run_inner<O: Operation + Sync + ?Sized>(
        &self,
        op: &O,
        deadline: Instant,
    ) -> Result<O::Output, Error> {
        let cid = self.inner.request_ids.next();
        let route = op.route();
        let policy = self.inner.retry;
        let repeat = op.repeat();
        let mut refreshed_token = false;
        // Whether an earlier attempt may have been applied (and a read-back said it was not,
        // or could not say yet): a late arrival of that attempt can make this one "already
        // exist".
        let mut maybe_applied_before = false;
        // What the last attempt gave, for when the deadline stops the next one at the gate.
        let mut last: Option<Result<O::Output, Error>> = None;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let request = op.request()?;
            let method = request.method().clone();
            let url = self
                .url_for(&request)
                .map_err(|reason| transport_error(&method, &route, &cid, 0, reason))?;
            let token = self.token().await?;
            // Waiting at the gate counts as busy: the pace, not the caller, holds it back.
            let flight = self.inner.gate.flight(op.cost());
            if !self.gate(op.cost(), deadline).await {
                // The client is holding requests back (a `Retry-After`) until after the
                // deadline: this attempt may not start.
                return last.unwrap_or(Err(Error::RetryBudgetExhausted {
                    attempts: attempt - 1,
                }));
            }
            let span = tracing::info_span!("graph_request", method = %method, path = %route, attempt, status = tracing::field::Empty, elapsed_ms = tracing::field::Empty);
            let t0 = Instant::now();
            // Without a subscriber that wants it, the span is disabled: no need to enter it at
            // every poll.
            let outcome = if span.is_disabled() {
                self.attempt(request, url, &cid, &token).await
            } else {
                self.attempt(request, url, &cid, &token)
                    .instrument(span.clone())
                    .await
            };
            drop(flight);
            span.record("elapsed_ms", t0.elapsed().as_millis() as u64);
            let out_of_attempts = attempt >= policy.max_attempts;
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
                    // A hint told to one request holds for every request of this client (while
                    // the gate paces, a whole-second hint slows the pace instead). (A
                    // `$batch` envelope's items are counted by `bulk`, which reads them.)
                    match retry_after {
                        Some(d) if matches!(status, 429 | 503) => {
                            self.inner
                                .gate
                                .throttled(op.cost(), 0, d.min(policy.max_delay), t0);
                        }
                        _ if op.cost() == 1 => self.inner.gate.accepted(1),
                        _ => {}
                    }
                    // 429 and 503 mean "not processed": safe to repeat for every class. 500, 502
                    // and 504 may have been applied.
                    let maybe_applied = matches!(status, 500 | 502 | 504);
                    // A create sent again after an attempt with an unknown outcome, answered
                    // "already exists": the first attempt arrived after all, or another writer
                    // came between. Stored exactly as sent is the create's success; anything
                    // else is reported as what it is.
                    if repeat == Repeat::ReadBack
                        && maybe_applied_before
                        && status == 400
                        && read_error(&resp)
                            .graph_error()
                            .is_some_and(|g| g.kind == GraphErrorKind::AlreadyExists)
                        && let ReadBack::Settled(r) =
                            Box::pin(self.read_back(op, &cid, &token, deadline)).await
                    {
                        return r;
                    }
                    if maybe_applied && repeat == Repeat::ReadBack {
                        match Box::pin(self.read_back(op, &cid, &token, deadline)).await {
                            ReadBack::Settled(r) => return r,
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
                    if !retryable || out_of_attempts {
                        return op.read(resp);
                    }
                    let wait = self.backoff(attempt, retry_after);
                    if past(deadline, wait) {
                        return op.read(resp);
                    }
                    tracing::info!(
                        path = %route,
                        status,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    last = Some(op.read(resp));
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
                            Repeat::ReadBack => {
                                match Box::pin(self.read_back(op, &cid, &token, deadline)).await {
                                    ReadBack::Settled(r) => return r,
                                    ReadBack::NotApplied => maybe_applied_before = true,
                                    ReadBack::Unknown => return Err(fail(reason)),
                                }
                            }
                            // Once, and any class added later: never repeated blindly.
                            _ => return Err(fail(reason)),
                        }
                    }
                    // The budget is consulted after the wait is known: a wait that would end
                    // past the deadline is not waited, and nothing more is sent.
                    let wait = self.backoff(attempt, None);
                    if out_of_attempts || past(deadline, wait) {
                        return Err(fail(reason));
                    }
                    tracing::info!(
                        path = %route,
                        %reason,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    last = Some(Err(fail(reason)));
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "run_tests.rs"]
mod tests;
