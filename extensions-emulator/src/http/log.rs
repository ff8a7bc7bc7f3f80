//! The request log: every Graph request the emulator received, in arrival order, with what
//! became of it, so a test (or a person) can count exactly what a client sent.

use std::collections::VecDeque;
use std::sync::Mutex;

/// How many entries the log keeps: the most recent ones, older ones dropped first.
pub(crate) const LOG_CAPACITY: usize = 100_000;

/// One request, as [`Emulator::requests`](crate::Emulator::requests) reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// The method, as sent (`GET`, `POST`…).
    pub method: String,
    /// The path and query, as sent (`/v1.0/users/u1/extensions`).
    pub target: String,
    /// What the emulator did with it.
    pub outcome: RequestOutcome,
    /// When the emulator took it in (its headers and body read).
    pub at: std::time::Instant,
}

/// What became of a logged request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestOutcome {
    /// Answered with this status (an injected error or a garbled answer included).
    Answered(u16),
    /// The connection was reset before the request was handled (a fault): nothing happened.
    Reset,
    /// The request was handled, and its answer (this status) dropped with the connection (a
    /// fault): the write happened, the client saw nothing.
    Dropped(u16),
}

/// The log itself, bounded.
#[derive(Default)]
pub(crate) struct RequestLog(Mutex<VecDeque<LoggedRequest>>);

impl RequestLog {
    pub(crate) fn push(
        &self,
        method: &str,
        target: &str,
        at: std::time::Instant,
        outcome: RequestOutcome,
    ) {
        let mut log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if log.len() == LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(LoggedRequest {
            method: method.to_owned(),
            target: target.to_owned(),
            outcome,
            at,
        });
    }

    pub(crate) fn snapshot(&self) -> Vec<LoggedRequest> {
        let log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        log.iter().cloned().collect()
    }

    pub(crate) fn clear(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}
