//! Bulk work through `$batch`: many operations, envelopes of 20, a few in flight, each
//! operation's typed output in input order.

use std::time::{Duration, Instant};

use extensions_core::Error;
use extensions_core::batch::{BatchItem, Envelope};
use extensions_core::limits::MAX_BATCH_REQUESTS;
use extensions_core::op::{Operation, Repeat, Response};
use extensions_core::response::parse_retry_after;
use futures_util::stream::{self, StreamExt};

use crate::GraphClient;
use crate::run::random_unit;

/// Each item's index and outcome.
type Outcomes<T> = Vec<(usize, Result<T, Error>)>;

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
    ///   flight included) until then, as one answer to any single request does. Without a
    ///   hint, the wait is a growing floor with jitter. An item answered 500, 502 or 504 is
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
        let mut pending = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            match op.request() {
                Ok(_) => pending.push(i),
                Err(e) => results[i] = Some(Err(e)),
            }
        }
        let chunks: Vec<Vec<usize>> = pending
            .chunks(MAX_BATCH_REQUESTS)
            .map(<[usize]>::to_vec)
            .collect();
        let done: Vec<Outcomes<O::Output>> = stream::iter(chunks)
            .map(|chunk| self.bulk_chunk(ops, chunk))
            .buffer_unordered(self.inner.batch_concurrency)
            .collect()
            .await;
        for (i, r) in done.into_iter().flatten() {
            results[i] = Some(r);
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

    /// `base_delay · 2^(round-1)`, with equal jitter (half fixed, half random).
    fn growing_floor(&self, round: u32) -> Duration {
        let p = &self.inner.retry;
        let exp = p
            .base_delay
            .saturating_mul(1u32 << round.saturating_sub(1).min(16))
            .min(p.max_delay);
        exp / 2 + (exp / 2).mul_f64(random_unit())
    }

    async fn bulk_chunk<O>(&self, ops: &[O], mut pending: Vec<usize>) -> Outcomes<O::Output>
    where
        O: Operation + Sync,
        O::Output: Send,
    {
        let policy = self.inner.retry;
        let started = Instant::now();
        let mut out = Vec::with_capacity(pending.len());
        for round in 1..=policy.max_attempts {
            let mut items = Vec::with_capacity(pending.len());
            let mut all_safe = true;
            for &i in &pending {
                match ops[i].request() {
                    Ok(req) => items.push(BatchItem::new(i.to_string(), req)),
                    Err(e) => out.push((i, Err(e))),
                }
                all_safe &= ops[i].repeat() == Repeat::Safe;
            }
            pending.retain(|i| !out.iter().any(|(j, _)| j == i));
            if pending.is_empty() {
                break;
            }
            let envelope = Envelope::new(items, if all_safe { Repeat::Safe } else { Repeat::Once });
            let answers: Vec<Response> = match self.run(&envelope).await {
                Ok(a) => a,
                Err(e) => {
                    out.extend(pending.drain(..).map(|i| (i, Err(e.clone()))));
                    return out;
                }
            };
            let last = round == policy.max_attempts || started.elapsed() >= policy.max_elapsed;
            let mut retry = Vec::new();
            let mut wait = Duration::ZERO;
            let mut hinted = 0u32;
            let mut accepted = 0u32;
            for (i, answer) in pending.drain(..).zip(answers) {
                let status = answer.status().as_u16();
                let again = match status {
                    429 | 503 => true,
                    500 | 502 | 504 => ops[i].repeat() == Repeat::Safe,
                    _ => false,
                };
                if again && !last {
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
                    retry.push(i);
                } else {
                    accepted += u32::from(!matches!(status, 429 | 503));
                    out.push((i, ops[i].read(answer)));
                }
            }
            self.inner.gate.accepted(accepted);
            if retry.is_empty() {
                break;
            }
            // Throttled with a hint: the longest `Retry-After` of the envelope closes the
            // client's gate, so every envelope in flight waits for it (they share the app's
            // budget) and none retries on its own schedule. Without a hint (a 5xx, a 503
            // without `Retry-After`): a growing floor with jitter, so rounds do not collide.
            if hinted > 0 {
                // The gate holds the next round (and every other request) back.
                self.inner
                    .gate
                    .throttled(hinted, wait.min(policy.max_delay));
                tracing::info!(
                    items = retry.len(),
                    wait_ms = wait.as_millis() as u64,
                    "retrying throttled batch items once the client's gate opens"
                );
            } else {
                let wait = wait.max(self.growing_floor(round)).min(policy.max_delay);
                tracing::info!(
                    items = retry.len(),
                    wait_ms = wait.as_millis() as u64,
                    "retrying batch items"
                );
                tokio::time::sleep(wait).await;
            }
            pending = retry;
        }
        out
    }
}
