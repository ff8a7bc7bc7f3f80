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

/// What the emulator did to a request on its own, for the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Note {
    /// A fault rule answered instead of Graph, before anything was handled ("injected 503",
    /// "connection reset before handling"): the request took no throttle token.
    Injected(Box<str>),
    /// A fault rule acted after the request was handled ("handled, then the connection
    /// dropped", "answer garbled").
    Fault(Box<str>),
    /// Throttled: answered 429 with this `Retry-After`.
    Throttled(Box<str>),
    /// A `$batch` envelope opened into this many items, this many of them throttled.
    Batch { items: u32, throttled: u32 },
}

/// One logged request with what the console shows beside it. Everything here is known on
/// the request path anyway (the app from the token, the bucket's level from the token taken),
/// so keeping it costs a few words per request; bodies are kept only while a console watches
/// (see `console`).
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The request's number (its `request-id` ends with it); a `$batch` item carries its
    /// envelope's.
    pub(crate) n: u64,
    pub(crate) request: LoggedRequest,
    /// The app of the token, when the token was one of a configured app.
    pub(crate) app: Option<Box<str>>,
    /// The app's throttle bucket after this request (tokens left), when it took one.
    pub(crate) level: Option<f32>,
    pub(crate) note: Option<Note>,
}

impl Entry {
    pub(crate) fn new(n: u64, method: &str, target: &str, at: std::time::Instant) -> Self {
        Self {
            n,
            request: LoggedRequest {
                method: method.to_owned(),
                target: target.to_owned(),
                outcome: RequestOutcome::Reset,
                at,
            },
            app: None,
            level: None,
            note: None,
        }
    }
}

/// The log itself, bounded: the entries, and how many were ever pushed (a reader's cursor).
#[derive(Default)]
pub(crate) struct RequestLog(Mutex<(VecDeque<Entry>, u64)>);

impl RequestLog {
    pub(crate) fn push(&self, entry: Entry) {
        let mut log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if log.0.len() == LOG_CAPACITY {
            log.0.pop_front();
        }
        log.0.push_back(entry);
        log.1 += 1;
    }

    pub(crate) fn snapshot(&self) -> Vec<LoggedRequest> {
        let log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        log.0.iter().map(|e| e.request.clone()).collect()
    }

    /// At most `limit` entries pushed after the first `cursor`, oldest first, and the cursor
    /// after them (ask again from it while entries remain). A reader starting at 0 gets the
    /// newest `limit`. Entries the bounded log dropped before they were read are skipped.
    pub(crate) fn since(&self, cursor: u64, limit: usize) -> (Vec<Entry>, u64) {
        let log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (entries, pushed) = (&log.0, log.1);
        let first = pushed - entries.len() as u64;
        let from = if cursor == 0 {
            pushed.saturating_sub(limit as u64).max(first)
        } else {
            cursor.clamp(first, pushed)
        };
        let skip = (from - first) as usize;
        let taken: Vec<Entry> = entries.range(skip..).take(limit).cloned().collect();
        let next = from + taken.len() as u64;
        (taken, next)
    }

    /// Hands `visit` the entries, newest first, until it returns `false`.
    pub(crate) fn scan_back(&self, mut visit: impl FnMut(&Entry) -> bool) {
        let log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for e in log.0.iter().rev() {
            if !visit(e) {
                break;
            }
        }
    }

    pub(crate) fn clear(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).0.clear();
    }
}
