//! What graph-ext is waiting for, said on standard error: the client retries in silence (a
//! 429's `Retry-After` of a minute, a host that does not answer), so a tracing layer turns its
//! `retrying` events into a line each. Short waits (under two seconds) of an answered request
//! are not said; a request that got no answer always is.

use std::fmt::Write as _;
use std::time::Duration;

use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};

/// The fields of one `retrying` event.
#[derive(Default)]
struct Retrying {
    message: String,
    path: String,
    status: Option<u64>,
    reason: Option<String>,
    wait_ms: Option<u64>,
}

impl Visit for Retrying {
    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "status" => self.status = Some(value),
            "wait_ms" => self.wait_ms = Some(value),
            _ => {}
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if let Ok(v) = u64::try_from(value) {
            self.record_u64(field, v);
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_debug(field, &format_args!("{value}"));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let mut text = String::new();
        let _ = write!(text, "{value:?}");
        match field.name() {
            "message" => self.message = text,
            "path" => self.path = text,
            "reason" => self.reason = Some(text),
            _ => {}
        }
    }
}

/// A wait, in words: "60 s", "1.5 s".
fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// The line for one retry, if it is worth saying; `again` when a request already went
/// unanswered (the reason and the hint were said).
fn line(e: &Retrying, base: &str, again: bool) -> Option<String> {
    let wait = Duration::from_millis(e.wait_ms?);
    match (e.status, &e.reason) {
        (Some(429 | 503), _) if wait >= Duration::from_secs(2) => Some(format!(
            "throttled ({}) on {}: waiting {} as Graph asked, then trying again",
            e.status.unwrap_or_default(),
            e.path,
            seconds(wait)
        )),
        (Some(status), _) if wait >= Duration::from_secs(2) => Some(format!(
            "Graph answered {status} on {}: trying again in {}",
            e.path,
            seconds(wait)
        )),
        (None, Some(_)) if again => Some(format!(
            "still no answer from {base}: trying again in {}",
            seconds(wait)
        )),
        (None, Some(reason)) => Some(format!(
            "no answer from {base} ({reason}): trying again in {} (is the host, or the emulator, running? --base-url or GRAPH_BASE_URL says where)",
            seconds(wait)
        )),
        _ => None,
    }
}

/// Prints the retries the client makes.
struct Waits {
    base: String,
    /// Whether a request went unanswered already.
    unanswered: std::sync::atomic::AtomicBool,
}

impl<S: tracing::Subscriber> Layer<S> for Waits {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut e = Retrying::default();
        event.record(&mut e);
        if e.message != "retrying" {
            return;
        }
        let again = e.status.is_none()
            && self
                .unanswered
                .swap(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(l) = line(&e, &self.base, again) {
            crate::output::say!("{l}");
        }
    }
}

/// Installs the layer for the whole process; `base` is the root requests go to.
pub(crate) fn install(base: &str) {
    let subscriber = tracing_subscriber::registry().with(Waits {
        base: base.to_owned(),
        unanswered: std::sync::atomic::AtomicBool::new(false),
    });
    let _ = tracing::subscriber::set_global_default(subscriber);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retry(status: Option<u64>, reason: Option<&str>, wait_ms: u64) -> Retrying {
        Retrying {
            message: "retrying".into(),
            path: "/users/{id}".into(),
            status,
            reason: reason.map(str::to_owned),
            wait_ms: Some(wait_ms),
        }
    }

    #[test]
    fn says_long_waits_and_every_unanswered_request() {
        let base = "http://127.0.0.1:9/v1.0";
        assert_eq!(
            line(&retry(Some(429), None, 60_000), base, false).unwrap(),
            "throttled (429) on /users/{id}: waiting 60 s as Graph asked, then trying again"
        );
        assert!(line(&retry(Some(429), None, 500), base, false).is_none());
        assert_eq!(
            line(&retry(Some(502), None, 2_500), base, false).unwrap(),
            "Graph answered 502 on /users/{id}: trying again in 2.5 s"
        );
        let refused = line(&retry(None, Some("connection refused"), 200), base, false).unwrap();
        assert!(
            refused.starts_with(
                "no answer from http://127.0.0.1:9/v1.0 (connection refused): trying again in 0.2 s"
            ),
            "{refused}"
        );
        assert_eq!(
            line(&retry(None, Some("connection refused"), 2_000), base, true).unwrap(),
            "still no answer from http://127.0.0.1:9/v1.0: trying again in 2 s"
        );
    }
}
