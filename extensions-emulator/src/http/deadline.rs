//! A request body with a deadline: the whole body must arrive in time, or the connection is
//! closed (a body that trickles in would otherwise hold a connection slot for as long as it
//! lasts).

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use tokio::sync::Notify;
use tokio::time::Sleep;

/// Why a body was cut off.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {0:?}")]
pub(crate) struct BodyTimeout(Duration);

/// [`Incoming`], failing once `timeout` has passed since it was made; the connection it came on
/// is then closed (through `kill`), unanswered. The timer is set only when the body first has
/// to be waited for, so a request whose body has already arrived (or has none) costs no timer.
pub(crate) struct DeadlineBody {
    inner: Incoming,
    timeout: Duration,
    started: Instant,
    sleep: Option<Pin<Box<Sleep>>>,
    kill: Arc<Notify>,
}

impl DeadlineBody {
    pub(crate) fn new(inner: Incoming, timeout: Duration, kill: Arc<Notify>) -> Self {
        Self {
            inner,
            timeout,
            started: Instant::now(),
            sleep: None,
            kill,
        }
    }
}

impl Body for DeadlineBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        // A timeout too large to add to a time is no timeout.
        let Some(deadline) = self.started.checked_add(self.timeout) else {
            return Poll::Pending;
        };
        let sleep = self
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline.into())));
        if sleep.as_mut().poll(cx).is_ready() {
            tracing::info!(
                timeout_ms = self.timeout.as_millis() as u64,
                "request body too slow: closing the connection"
            );
            self.kill.notify_one();
            return Poll::Ready(Some(Err(Box::new(BodyTimeout(self.timeout)))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
