//! Per-app throttling: the token buckets, and the 429 with Graph's `Retry-After`.

use std::time::{Duration, Instant};

use super::Shared;
use crate::graph::{self, Reply};

/// A per-app token bucket.
pub(crate) struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Shared {
    /// Takes one token for `app`, or says how long until one is there.
    pub(super) fn take_token(&self, app: &str, level: &mut Option<f32>) -> Result<(), Duration> {
        self.take_token_behind(app, 0, level)
    }

    /// Like `take_token`, for a request with `ahead` throttled requests before it (earlier items
    /// of the same batch): the wait is until there is a token for each of them and for this one,
    /// so a client that waits the longest `Retry-After` of a batch gets all its items through.
    /// `level` is set to the tokens left after it (for the console's chart).
    pub(super) fn take_token_behind(
        &self,
        app: &str,
        ahead: u32,
        level: &mut Option<f32>,
    ) -> Result<(), Duration> {
        if !self.throttle_on.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(());
        }
        let t = *self.throttle.lock().unwrap_or_else(|e| e.into_inner());
        let capacity = f64::from(t.requests.max(1));
        let rate = capacity / t.window.as_secs_f64().max(1e-9);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let b = buckets.entry(app.to_owned()).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * rate).min(capacity);
        b.at = now;
        let taken = ahead == 0 && b.tokens >= 1.0;
        if taken {
            b.tokens -= 1.0;
        }
        *level = Some(b.tokens as f32);
        if taken {
            Ok(())
        } else {
            // Honest: after this long, enough whole tokens have been refilled.
            let needed = f64::from(ahead) + 1.0;
            Err(Duration::from_secs_f64(
                ((needed - b.tokens) / rate).max(0.0),
            ))
        }
    }
}

/// `Retry-After` as Graph sends it: whole seconds, rounded up (at least 1), so waiting this
/// long always suffices; with `fractions`, milliseconds, rounded up (for testing clients that
/// pace themselves on precise hints).
pub(super) fn format_retry_after(d: Duration, fractions: bool) -> String {
    if fractions {
        let ms = d.as_nanos().div_ceil(1_000_000);
        format!("{}.{:03}", ms / 1000, ms % 1000)
    } else {
        d.as_nanos().div_ceil(1_000_000_000).max(1).to_string()
    }
}

impl Shared {
    pub(super) fn throttled(&self, wait: Duration) -> Reply {
        let mut r = graph::error(429, "TooManyRequests", "Please retry again later.");
        r.headers.push((
            "Retry-After".into(),
            format_retry_after(wait, self.config.retry_after_fractions),
        ));
        r
    }
}
