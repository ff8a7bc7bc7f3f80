//! The throttle gate: one per client, shared by every request it sends.
//!
//! Graph's budget is per app, so a `Retry-After` told to one request holds for all of them: the
//! gate pauses every request until then. After a pause it does not let everything out at once
//! (a thundering herd that would be throttled again, leaving unlucky requests to use up their
//! attempts): it paces requests at the rate the hint implies (`Retry-After` for `n` throttled
//! requests means about `n` per that long), each request taking its
//! [`cost`](extensions_core::op::Operation::cost) (a `$batch` envelope counts each item); each
//! answer that was not throttled speeds it up by half a percent, until pacing is no longer
//! needed, and each further hint sets the pace again (or, for a few requests, slows it by 5%). The budget stays full without bursting
//! past it.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Faster than this per request, pacing is not worth its timer: the gate opens fully.
const FASTEST_PACE: Duration = Duration::from_micros(20);
/// Each unthrottled answer shortens the pace by this share.
const SPEED_UP: f64 = 0.995;
/// A throttled answer for fewer than [`SAMPLE`] requests while pacing: slow down this much.
const SLOW_DOWN: f64 = 1.05;
/// From this many throttled requests on, their hint sets the pace afresh; with fewer, a pace
/// already set slows by [`SLOW_DOWN`], and none is set (a pause only). A server's hint for `n` requests is the time for `n` less the part of a
/// request its budget already holds: between `n - 1` and `n` requests' worth, so the pace
/// taken is the hint over `n - 1` (a little slow rather than too fast), and says little for a
/// small `n`.
const SAMPLE: u32 = 4;

#[derive(Debug, Default)]
struct State {
    /// No request starts before this.
    paused_until: Option<Instant>,
    /// Time per unit of cost while pacing; `None` when the gate is open.
    per_unit: Option<Duration>,
    /// The next free start while pacing.
    next: Option<Instant>,
}

/// `at + d`, saturating at about a year from `at` (a `Retry-After` near `u64::MAX` seconds
/// must not panic).
fn later(at: Instant, d: Duration) -> Instant {
    const YEAR: Duration = Duration::from_secs(365 * 24 * 3600);
    at.checked_add(d.min(YEAR)).unwrap_or(at)
}

/// The gate of one client.
#[derive(Debug, Default)]
pub(crate) struct Gate(Mutex<State>);

impl Gate {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Lets a request of this cost start now, or says when to ask again (while paused, or
    /// until the pace allows). Nothing is reserved for a later time, so a pause that comes
    /// meanwhile holds back every waiting request too.
    pub(crate) fn try_admit(&self, cost: u32) -> Result<(), Instant> {
        let now = Instant::now();
        let mut s = self.state();
        let mut at = now;
        if let Some(p) = s.paused_until {
            at = at.max(p);
        }
        if s.per_unit.is_some()
            && let Some(next) = s.next
        {
            at = at.max(next);
        }
        if at > now {
            return Err(at);
        }
        if let Some(per) = s.per_unit {
            s.next = Some(later(now, per.saturating_mul(cost.max(1))));
        }
        Ok(())
    }

    /// A `Retry-After` of `wait` for `throttled` requests (their total cost): pause everyone
    /// until then, and pace at the rate it implies afterwards.
    pub(crate) fn throttled(&self, throttled: u32, wait: Duration) {
        if wait.is_zero() {
            return;
        }
        let until = later(Instant::now(), wait);
        let mut s = self.state();
        if s.paused_until.is_none_or(|p| p < until) {
            s.paused_until = Some(until);
        }
        s.per_unit = match s.per_unit {
            _ if throttled >= SAMPLE => Some(wait / (throttled - 1)),
            Some(p) => Some(p.mul_f64(SLOW_DOWN)),
            // One request's hint says when, not how fast: a pause, no pace.
            None => None,
        }
        .map(|p| p.max(FASTEST_PACE));
    }

    /// An answer that was not throttled: pace a little faster, or open the gate.
    pub(crate) fn passed(&self) {
        let mut s = self.state();
        if let Some(per) = s.per_unit {
            let faster = per.mul_f64(SPEED_UP);
            s.per_unit = (faster > FASTEST_PACE).then_some(faster);
            if s.per_unit.is_none() {
                s.next = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_until_throttled_then_paused_then_paced() {
        let g = Gate::default();
        assert!(g.try_admit(20).is_ok());
        assert!(g.try_admit(20).is_ok(), "open: no pace");
        // 21 requests throttled for 200 ms: about 10 ms each (200 / (21 - 1)).
        g.throttled(21, Duration::from_millis(200));
        let until = g.try_admit(20).unwrap_err();
        assert!(until >= Instant::now() + Duration::from_millis(150));
        assert_eq!(g.state().per_unit, Some(Duration::from_millis(10)));
        // Once the pause is over, one envelope of 20 goes, and the next waits 200 ms.
        g.state().paused_until = Some(Instant::now());
        assert!(g.try_admit(20).is_ok());
        let next = g.try_admit(20).unwrap_err();
        assert!(next > Instant::now() + Duration::from_millis(150));
        // A few throttled requests only slow the pace down a little.
        g.throttled(2, Duration::from_millis(40));
        assert_eq!(g.state().per_unit, Some(Duration::from_micros(10_500)));
        // Unthrottled answers speed it up until the gate opens again.
        for _ in 0..5_000 {
            g.passed();
        }
        assert!(g.state().per_unit.is_none());
        g.state().paused_until = None;
        assert!(g.try_admit(20).is_ok() && g.try_admit(20).is_ok());
    }

    #[test]
    fn one_request_throttled_pauses_without_pacing() {
        let g = Gate::default();
        g.throttled(1, Duration::from_secs(1));
        assert!(g.try_admit(1).is_err());
        assert!(g.state().per_unit.is_none());
    }

    #[test]
    fn a_zero_hint_changes_nothing() {
        let g = Gate::default();
        g.throttled(5, Duration::ZERO);
        assert!(g.state().paused_until.is_none() && g.state().per_unit.is_none());
    }
}
