//! Bulk work through `$batch`: many operations, envelopes of 20, a few in flight, each
//! operation's typed output in input order.

use std::pin::pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use extensions_core::Error;
use extensions_core::batch::{BatchItem, Envelope};
use extensions_core::limits::MAX_BATCH_REQUESTS;
use extensions_core::op::{Operation, Repeat, Response};
use extensions_core::response::parse_retry_after;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::Semaphore;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

/// Chunks started per envelope in flight: the others wait out a `Retry-After` without holding a
/// place.
const SLEEPING_CHUNKS: usize = 16;

use crate::GraphClient;
use crate::run::{deadline_from, past, random_unit};

/// What [`GraphClient::bulk_stream`] reports, as it happens.
#[derive(Debug)]
#[non_exhaustive]
pub enum BulkEvent<T> {
    /// One operation's final outcome: its index in the input and its typed output or error.
    /// Each index is reported exactly once.
    Done {
        /// The operation's index in the slice given.
        index: usize,
        /// Its typed output, or why it failed.
        result: Result<T, Error>,
    },
    /// Items of one envelope were answered 429 or 503 (or a 5xx, for operations that may be
    /// repeated) and will be sent again in a later envelope.
    Retrying {
        /// How many items will be sent again.
        items: usize,
        /// How long they wait first (the longest `Retry-After`, or the growing floor).
        wait: Duration,
    },
}

/// Where a chunk sends its events; a consumer that went away is not an error.
type Events<T> = UnboundedSender<BulkEvent<T>>;

fn done<T>(events: &Events<T>, index: usize, result: Result<T, Error>) {
    let _ = events.send(BulkEvent::Done { index, result });
}

impl GraphClient {
    /// Runs many operations through `$batch` and returns each one's typed output (or typed
    /// error), in input order.
    ///
    /// - An operation refused when it was built (an invalid id, a value over the size limit)
    ///   gets its error without anything being sent.
    /// - The others go in envelopes of 20, at most
    ///   [`batch_concurrency`](crate::GraphClientBuilder::batch_concurrency) in flight.
    /// - An item answered 429 or 503 is sent again in a later envelope, after the longest
    ///   `Retry-After` among them; that hint pauses every request of this client (envelopes in
    ///   flight included) until then, as one answer to any single request does, except while
    ///   the client paces its requests and the hint is Graph's whole one or two seconds: then
    ///   only those items wait, and the pace slows to the rate the server accepted since its
    ///   last throttled answer. Without a hint, the wait is a growing floor with jitter. An item answered 500, 502 or 504 is
    ///   sent again only if its [`Repeat`] class is `Safe`. Each item's answer is read by its own operation.
    /// - An envelope holding anything but `Safe` operations is never sent twice blindly: if its
    ///   own outcome is unknown, each of its items gets that error.
    ///
    /// ```no_run
    /// # async fn demo(client: extensions_client::GraphClient) {
    /// use extensions_core::prelude::*;
    ///
    /// #[derive(OpenExtension)]
    /// #[extension(name = "com.contoso.Settings")]
    /// struct Settings { theme: String }
    ///
    /// let value = Settings { theme: "dark".into() };
    /// let ops: Vec<_> = (0..100).map(|i| value.patch_op(Resource::user(format!("u{i}")))).collect();
    /// for (i, result) in client.bulk(&ops).await.into_iter().enumerate() {
    ///     if let Err(e) = result {
    ///         eprintln!("user u{i}: {e}");
    ///     }
    /// }
    /// # }
    /// ```
    pub async fn bulk<O>(&self, ops: &[O]) -> Vec<Result<O::Output, Error>>
    where
        O: Operation + Sync,
        O::Output: Send,
    {
        let mut results: Vec<Option<Result<O::Output, Error>>> = ops.iter().map(|_| None).collect();
        let mut events = pin!(self.bulk_stream(ops));
        while let Some(event) = events.next().await {
            if let BulkEvent::Done { index, result } = event {
                results[index] = Some(result);
            }
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

    /// [`bulk`](Self::bulk), reporting each operation's outcome as soon as it is known, so an
    /// app can draw progress or act on results while the rest is in flight.
    ///
    /// The stream yields one [`BulkEvent::Done`] per operation (in completion order, not input
    /// order; operations refused before sending come first) and a [`BulkEvent::Retrying`] each
    /// time items of an envelope wait to be sent again; it ends when every operation is done.
    /// Work happens only while the stream is polled: dropping it stops sending envelopes (those
    /// in flight are abandoned, their outcomes unknown).
    ///
    /// ```no_run
    /// # async fn demo(client: extensions_client::GraphClient) {
    /// use extensions_client::BulkEvent;
    /// use extensions_core::prelude::*;
    /// use futures_util::StreamExt;
    ///
    /// #[derive(OpenExtension)]
    /// #[extension(name = "com.contoso.Settings")]
    /// struct Settings { theme: String }
    ///
    /// let value = Settings { theme: "dark".into() };
    /// let ops: Vec<_> = (0..100).map(|i| value.patch_op(Resource::user(format!("u{i}")))).collect();
    /// let mut events = std::pin::pin!(client.bulk_stream(&ops));
    /// let (mut done, mut failed) = (0, 0);
    /// while let Some(event) = events.next().await {
    ///     match event {
    ///         BulkEvent::Done { result: Ok(_), .. } => done += 1,
    ///         BulkEvent::Done { index, result: Err(e) } => {
    ///             failed += 1;
    ///             eprintln!("user u{index}: {e}");
    ///         }
    ///         BulkEvent::Retrying { items, wait } => eprintln!("{items} throttled, waiting {wait:?}"),
    ///         _ => {}
    ///     }
    ///     eprint!("\r{}/{}", done + failed, ops.len());
    /// }
    /// # }
    /// ```
    pub fn bulk_stream<'a, O>(
        &'a self,
        ops: &'a [O],
    ) -> impl Stream<Item = BulkEvent<O::Output>> + Send + 'a
    where
        O: Operation + Sync,
        O::Output: Send,
    {
        let (events, received) = unbounded_channel();
        let mut pending = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            match op.request() {
                Ok(_) => pending.push(i),
                Err(e) => done(&events, i, Err(e)),
            }
        }
        // Each chunk owns a sender; the original goes at the end of this function, so the
        // receiving side ends when the last chunk does.
        let chunks: Vec<(Vec<usize>, Events<O::Output>)> = pending
            .chunks(MAX_BATCH_REQUESTS)
            .map(|chunk| (chunk.to_vec(), events.clone()))
            .collect();
        // `batch_concurrency` envelopes in flight; a chunk whose throttled items wait out their
        // `Retry-After` (while the gate paces) gives its place to the next chunk meanwhile, up
        // to `SLEEPING_CHUNKS` times as many chunks started.
        let sending = Arc::new(Semaphore::new(self.inner.batch_concurrency));
        let work = stream::iter(chunks)
            .map(move |(chunk, events)| self.bulk_chunk(ops, chunk, events, sending.clone()))
            .buffer_unordered(self.inner.batch_concurrency * SLEEPING_CHUNKS)
            .filter_map(|()| async { None });
        let mut received = received;
        let answers = stream::poll_fn(move |cx| received.poll_recv(cx));
        stream::select(work, answers)
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

    async fn bulk_chunk<O>(
        &self,
        ops: &[O],
        mut pending: Vec<usize>,
        events: Events<O::Output>,
        sending: Arc<Semaphore>,
    ) where
        O: Operation + Sync,
        O::Output: Send,
    {
        let policy = self.inner.retry;
        // One deadline for the chunk's items, from when the chunk starts: no envelope and no
        // wait of theirs starts at or after it.
        let deadline = deadline_from(Instant::now(), policy.max_elapsed);
        let report = |i: usize, result: Result<O::Output, Error>| {
            done(&events, i, result.map_err(|e| self.redact(e)));
        };
        for round in 1..=policy.max_attempts {
            let mut items = Vec::with_capacity(pending.len());
            let mut all_safe = true;
            pending.retain(|&i| match ops[i].request() {
                Ok(req) => {
                    items.push(BatchItem::new(i.to_string(), req));
                    all_safe &= ops[i].repeat() == Repeat::Safe;
                    true
                }
                Err(e) => {
                    report(i, Err(e));
                    false
                }
            });
            if pending.is_empty() {
                break;
            }
            let envelope = Envelope::new(items, if all_safe { Repeat::Safe } else { Repeat::Once });
            // The semaphore is never closed; if it were, sending without a place is harmless.
            let place = sending.acquire().await.ok();
            let sent = Instant::now();
            let answers = self.run_until(&envelope, deadline).await;
            drop(place);
            let answers: Vec<Response> = match answers {
                Ok(a) => a,
                Err(e) => {
                    for i in pending {
                        done(&events, i, Err(e.clone()));
                    }
                    return;
                }
            };
            // Which items may go again, and the longest hint among them.
            let mut again = Vec::new();
            let mut wait = Duration::ZERO;
            let mut hinted = 0u32;
            let mut accepted = 0u32;
            for (i, answer) in pending.drain(..).zip(answers) {
                let status = answer.status().as_u16();
                let repeatable = match status {
                    429 | 503 => true,
                    500 | 502 | 504 => ops[i].repeat() == Repeat::Safe,
                    _ => false,
                };
                if repeatable {
                    if let Some(d) = answer
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(parse_retry_after)
                        && !d.is_zero()
                    {
                        wait = wait.max(d);
                        hinted += u32::from(matches!(status, 429 | 503));
                    }
                    again.push((i, answer));
                } else {
                    accepted += u32::from(!matches!(status, 429 | 503));
                    report(i, ops[i].read(answer));
                }
            }
            self.inner.gate.accepted(accepted);
            if again.is_empty() {
                break;
            }
            // Throttled with a hint: the longest `Retry-After` of the envelope closes the
            // client's gate, so every envelope in flight waits for it (they share the app's
            // budget) and none retries on its own schedule. Without a hint (a 5xx, a 503
            // without `Retry-After`): a growing floor with jitter, so rounds do not collide.
            let wait = if hinted > 0 {
                wait.min(policy.max_delay)
            } else {
                wait.max(self.growing_floor(round)).min(policy.max_delay)
            };
            // The last round, or a wait that would end past the deadline: each item gets its
            // own answer, and nothing more is sent.
            if round == policy.max_attempts || past(deadline, wait) {
                if hinted > 0 {
                    self.inner.gate.throttled(hinted, accepted, wait, sent);
                }
                for (i, answer) in again {
                    report(i, ops[i].read(answer));
                }
                break;
            }
            let _ = events.send(BulkEvent::Retrying {
                items: again.len(),
                wait,
            });
            if hinted > 0 {
                // The gate holds the next round (and every other request) back, or, while it
                // paces and the hint is Graph's whole second, only these items wait.
                if self.inner.gate.throttled(hinted, accepted, wait, sent) {
                    tracing::info!(
                        items = again.len(),
                        wait_ms = wait.as_millis() as u64,
                        "retrying throttled batch items once the client's gate opens"
                    );
                } else {
                    tracing::info!(
                        items = again.len(),
                        wait_ms = wait.as_millis() as u64,
                        "retrying throttled batch items after their wait; the client paces slower"
                    );
                    tokio::time::sleep(wait).await;
                }
            } else {
                tracing::info!(
                    items = again.len(),
                    wait_ms = wait.as_millis() as u64,
                    "retrying batch items"
                );
                tokio::time::sleep(wait).await;
            }
            pending = again.into_iter().map(|(i, _)| i).collect();
        }
    }
}
