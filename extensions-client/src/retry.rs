//! How often and how long a call is retried.

use std::time::Duration;

#[cfg(doc)]
use crate::GraphClient;
#[cfg(doc)]
use extensions_core::op::Repeat;

/// When and how often to retry.
///
/// Retried: 429 and 503 (waiting `Retry-After` when given, else exponential backoff with full
/// jitter) for every operation; 500, 502, 504 and lost connections for operations whose
/// [`Repeat`] class is `Safe`; and a 401 once with a fresh token. A create ([`Repeat::ReadBack`])
/// is never repeated blindly: when its outcome is unknown, the client reads the extension back and
/// treats "there with exactly the properties sent" as success. A [`Repeat::Once`] operation
/// (a new message or post) is never repeated once it may have been applied. A create read back
/// as "there, with other properties" ends with
/// [`Error::StoredDifferently`](extensions_core::Error::StoredDifferently) and is not sent again.
///
/// The defaults: 6 attempts, 120 s, backoff from 500 ms, waits of at most 60 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The budget of one call, from its start: one deadline, computed once, that every attempt,
    /// read-back and wait consults. No request starts at or after it, and a wait (a backoff or
    /// a `Retry-After`) that would end past it is not waited: the call returns the last answer
    /// or error instead, or [`Error::RetryBudgetExhausted`](extensions_core::Error::RetryBudgetExhausted)
    /// if the client's throttling pause holds its first request past it. For
    /// [`bulk`](GraphClient::bulk), each envelope of 20 has its own deadline, from when it
    /// starts.
    pub max_elapsed: Duration,
    /// The first backoff (doubled each attempt, with full jitter).
    pub base_delay: Duration,
    /// The longest wait between attempts, `Retry-After` included.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 6,
            max_elapsed: Duration::from_secs(120),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }
}
