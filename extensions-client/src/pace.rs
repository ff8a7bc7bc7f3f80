//! The throttle gate: one per client, shared by every request it sends.
//!
//! Graph's budget is per app, so a `Retry-After` told to one request holds for all of them: the
//! gate pauses every request until then. After a pause it does not let everything out at once
//! (a thundering herd that would be throttled again, leaving unlucky requests to use up their
//! attempts): it paces requests, each taking its
//! [`cost`](extensions_core::op::Operation::cost) (a `$batch` envelope counts each item), at the
//! rate the server turned out to allow. The first pace is measured, not guessed from the hint
//! (Graph's `Retry-After` is whole seconds, far coarser than a pace): the server accepted `n`
//! requests in time `t` before throttling, so it allows about `n / t` (a little more, since its
//! budget was full at the start); without enough answers to measure, a hint for at least
//! [`SAMPLE`] throttled requests gives it. Then each answer accepted without being throttled
//! speeds the pace up by half a percent, and each throttled one slows it by 5%, so the gate
//! keeps probing, settles near the server's rate, and opens fully once pacing is no longer
//! needed.
//!
//! Known limit: Graph's whole-second hints make each throttled answer cost a pause of at least
//! a second, so against a budget that refills in much less than a second the probing costs more
//! than it finds (`BENCHMARKS.md`, B5).

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Faster than this per request, pacing is not worth its timer: the gate opens fully.
const FASTEST_PACE: Duration = Duration::from_micros(20);
/// Each unthrottled answer shortens the pace by this share.
const SPEED_UP: f64 = 0.995;
/// The fewest throttled requests whose hint sets a first pace. A server's hint for `n` requests
/// is the time for `n` less the part of a request its budget already holds, so the pace taken
/// is the hint over `n - 1` (a little slow rather than too fast); for a small `n` it says
/// little, and one request's hint says when, not how fast.
const SAMPLE: u32 = 4;
/// The fewest requests accepted before a throttled answer for their rate to set the pace.
const MEASURED: u64 = 8;
/// Each throttled answer while pacing lengthens the pace by this factor.
const SLOW_DOWN: f64 = 1.05;

#[derive(Debug, Default)]
struct State {
    /// No request starts before this.
    paused_until: Option<Instant>,
    /// Time per unit of cost while pacing; `None` when the gate is open.
    per_unit: Option<Duration>,
    /// The last start while pacing.
    next: Option<Instant>,
    /// The last throttled answer, and the requests accepted since.
    last_throttled: Option<Instant>,
    accepted_since: u64,
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

    /// `throttled` requests (their total cost) were told to wait `wait`: pause everyone until
    /// then, and pace afterwards at the rate measured since the last throttled answer (or, the
    /// first time, the rate the hint implies).
    pub(crate) fn throttled(&self, throttled: u32, wait: Duration) {
        if wait.is_zero() || throttled == 0 {
            return;
        }
        let now = Instant::now();
        let until = later(now, wait);
        let mut s = self.state();
        if s.paused_until.is_none_or(|p| p < until) {
            s.paused_until = Some(until);
        }
        let measured = s
            .last_throttled
            .filter(|_| s.accepted_since >= MEASURED)
            .map(|t| {
                let n = u32::try_from(s.accepted_since).unwrap_or(u32::MAX);
                now.saturating_duration_since(t) / n
            });
        let pace = match (s.per_unit, measured) {
            // While pacing, what was accepted is bounded by the pace itself, so it measures
            // nothing: slow down a step (the answers in between sped it up).
            (Some(p), _) => Some(p.mul_f64(SLOW_DOWN)),
            (None, Some(m)) => Some(m),
            (None, None) if throttled >= SAMPLE => Some(wait / (throttled - 1)),
            (None, None) => None,
        };
        s.per_unit = pace.map(|p| p.max(FASTEST_PACE));
        // Answers arrive in bursts: only the first of a burst of throttled answers starts a new
        // measurement.
        if s.accepted_since > 0 || s.last_throttled.is_none() {
            s.last_throttled = Some(now);
            s.accepted_since = 0;
        }
    }

    /// `accepted` requests were answered without being throttled (one answer): count them,
    /// and pace a little faster (half a percent), or open the gate.
    pub(crate) fn accepted(&self, accepted: u32) {
        if accepted == 0 {
            return;
        }
        let mut s = self.state();
        // A measurement runs from the first answer, or from the last throttled one while the
        // gate was open (from the start it includes the server's full budget, so it
        // overestimates the rate; the 5% steps at each further throttled answer correct it).
        if s.last_throttled.is_none() {
            s.last_throttled = Some(Instant::now());
        }
        s.accepted_since = s.accepted_since.saturating_add(u64::from(accepted));
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
        // 21 requests throttled for 200 ms: a first pace of about 10 ms each (200 / (21 - 1)).
        g.throttled(21, Duration::from_millis(200));
        let until = g.try_admit(20).unwrap_err();
        assert!(until >= Instant::now() + Duration::from_millis(150));
        assert_eq!(g.state().per_unit, Some(Duration::from_millis(10)));
        // Once the pause is over, one envelope of 20 goes, and the next waits 200 ms.
        g.state().paused_until = Some(Instant::now());
        assert!(g.try_admit(20).is_ok());
        let next = g.try_admit(20).unwrap_err();
        assert!(next > Instant::now() + Duration::from_millis(150));
        // Unthrottled answers speed it up until the gate opens again.
        for _ in 0..2_000 {
            g.accepted(20);
        }
        assert!(g.state().per_unit.is_none());
        g.state().paused_until = None;
        assert!(g.try_admit(20).is_ok() && g.try_admit(20).is_ok());
    }

    #[test]
    fn the_pace_is_the_rate_accepted_between_throttled_answers() {
        let g = Gate::default();
        // Whole-second hints say little about the pace: a first throttled answer for one
        // request pauses without pacing.
        g.throttled(1, Duration::from_secs(1));
        assert!(g.state().per_unit.is_none());
        // 100 accepted in the next 200 ms, then throttled again: 2 ms a request.
        g.state().last_throttled = Some(Instant::now() - Duration::from_millis(200));
        g.accepted(100);
        g.throttled(1, Duration::from_secs(1));
        let per = g.state().per_unit.unwrap();
        assert!(
            per >= Duration::from_millis(2) && per < Duration::from_micros(2_100),
            "{per:?}"
        );
        // While pacing, a throttled answer slows the pace by a step, whatever was accepted.
        g.throttled(20, Duration::from_secs(1));
        assert_eq!(g.state().per_unit, Some(per.mul_f64(SLOW_DOWN)));
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
