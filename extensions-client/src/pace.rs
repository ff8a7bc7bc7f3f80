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
//! Graph's `Retry-After` is whole seconds. Once the gate paces, such a hint (one or two
//! seconds) says "later", not how fast, and pausing every request for it would leave the
//! server's budget unused for most of that second whenever the budget refills faster: so while
//! pacing, a whole-second hint pauses only the requests it was given to (they wait it out before
//! they are sent again), and the others go on at a slower pace. Being throttled while pacing
//! means the pace was faster than the server's rate, and its budget has been empty since the
//! last throttled answer: what it accepted since, over that time, is its rate. That pace
//! becomes a ceiling: unthrottled answers no longer speed the gate up past it (it relaxes by 1%
//! every 50 unthrottled answers, to find a budget that grew). The first whole-second hint still pauses every request (nothing is known of the
//! rate yet), and from then on the gate paces rather than opening fully. A longer hint, or a
//! hint in milliseconds, still pauses every request.

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
/// The longest hint read as Graph's whole-second rounding rather than a request to stop.
const WHOLE_SECOND: Duration = Duration::from_secs(2);
/// How far under the rate a throttled answer showed the gate paces, and keeps its ceiling.
const UNDER: f64 = 1.002;
/// Each unthrottled answer relaxes the ceiling by this share (1% in about 50 answers).
const RELAX: f64 = 0.999_8;

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
    /// The cost admitted and not yet answered.
    in_flight: u64,
    /// Since when nothing has been in flight, if so.
    idle_from: Option<Instant>,
    /// Time with nothing in flight since the last throttled answer: the server's budget
    /// refills meanwhile, so it is not part of a measurement.
    idle: Duration,
    /// The fastest pace allowed, once a whole-second hint while pacing has shown the rate.
    ceiling: Option<Duration>,
    /// When that last changed: answers to requests sent before were sent at an older pace.
    slowed_at: Option<Instant>,
    /// A whole-second hint was seen: the gate keeps pacing rather than opening.
    coarse: bool,
}

impl State {
    /// The time per request the server accepted since the last throttled answer, less `idle`,
    /// once enough were accepted to tell.
    fn measured(&self, now: Instant, idle: Duration) -> Option<Duration> {
        let since = self
            .last_throttled
            .filter(|_| self.accepted_since >= MEASURED)?;
        let n = u32::try_from(self.accepted_since).unwrap_or(u32::MAX);
        Some(now.saturating_duration_since(since).saturating_sub(idle) / n)
    }
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

    /// A request of this cost is in flight until the guard is dropped (answered, failed or
    /// abandoned): time with nothing in flight is not part of a measurement.
    pub(crate) fn flight(&self, cost: u32) -> Flight<'_> {
        let now = Instant::now();
        let mut s = self.state();
        if let Some(from) = s.idle_from.take() {
            let from = s.last_throttled.map_or(from, |t| t.max(from));
            s.idle += now.saturating_duration_since(from);
        }
        s.in_flight = s.in_flight.saturating_add(u64::from(cost));
        Flight { gate: self, cost }
    }

    /// `throttled` requests (their total cost) were told to wait `wait`, in one answer that also
    /// accepted `accepted` requests. Returns whether every request now waits until then (the
    /// gate holds them, and the caller's throttled requests wait at the gate); when it returns
    /// `false`, only the throttled requests must wait `wait`, which the caller does itself.
    ///
    /// While the gate is open, or for a hint that is not Graph's whole-second rounding: pause
    /// everyone until then, and pace afterwards at the rate measured since the last throttled
    /// answer (or, the first time, the rate the hint implies). While pacing, for a whole-second
    /// hint: pace slower, at the rate this answer shows, and pause nobody.
    pub(crate) fn throttled(
        &self,
        throttled: u32,
        accepted: u32,
        wait: Duration,
        sent: Instant,
    ) -> bool {
        if wait.is_zero() || throttled == 0 {
            return false;
        }
        let now = Instant::now();
        let until = later(now, wait);
        let mut s = self.state();
        let whole_second = wait >= Duration::from_secs(1) && wait <= WHOLE_SECOND;
        if whole_second && let Some(per) = s.per_unit {
            // Sent before the pace last slowed: it was sent at an older, faster pace, which the
            // slower one already answers.
            if s.slowed_at.is_some_and(|t| sent < t) {
                return false;
            }
            // Throttled while pacing: the pace was faster than the server's rate, whose budget
            // has been empty since the last throttled answer (or the end of the pause), so what
            // it accepted since then, over that time, is its rate. Too few answers to tell, or a
            // rate no slower than the pace (the budget refilled meanwhile): a step slower, or,
            // when this answer accepted nothing, half the rate, to find it fast.
            // Time with nothing in flight does not count: the budget refilled meanwhile.
            let idle = s.idle
                + s.idle_from.map_or(Duration::ZERO, |f| {
                    let f = s.last_throttled.map_or(f, |t| t.max(f));
                    now.saturating_duration_since(f)
                });
            let measured = s.measured(now, idle);
            let shown = match measured {
                Some(m) if m > per => m,
                Some(_) => per.mul_f64(SLOW_DOWN),
                None if accepted > 0 => per.mul_f64(SLOW_DOWN),
                None => per.saturating_mul(2),
            };
            let ceiling = shown.mul_f64(UNDER);
            s.ceiling = Some(ceiling);
            s.per_unit = Some(ceiling);
            s.slowed_at = Some(now);
            s.last_throttled = Some(now);
            s.accepted_since = 0;
            s.idle = Duration::ZERO;
            return false;
        }
        if s.paused_until.is_none_or(|p| p < until) {
            s.paused_until = Some(until);
        }
        let measured = s.measured(now, Duration::ZERO);
        let pace = match (s.per_unit, measured) {
            // While pacing, what was accepted is bounded by the pace itself, so it measures
            // nothing: slow down a step (the answers in between sped it up).
            (Some(p), _) => Some(p.mul_f64(SLOW_DOWN)),
            (None, Some(m)) => Some(m),
            // A whole-second hint says when, not how fast: pace at the fastest, so that the next
            // throttled answer, read while pacing, shows the rate.
            (None, None) if whole_second => Some(FASTEST_PACE),
            (None, None) if throttled >= SAMPLE => Some(wait / (throttled - 1)),
            (None, None) => None,
        };
        s.per_unit = pace.map(|p| p.max(FASTEST_PACE));
        if whole_second {
            // Paced from now on (the gate no longer opens); the answers already in flight were
            // sent before this; the server's budget refills during the pause, so what it
            // accepts is measured from the end of the pause.
            s.coarse = true;
            s.slowed_at = Some(now);
            s.last_throttled = Some(until);
            s.accepted_since = 0;
            s.idle = Duration::ZERO;
        }
        // Answers arrive in bursts: only the first of a burst of throttled answers starts a new
        // measurement.
        if s.accepted_since > 0 || s.last_throttled.is_none() {
            s.last_throttled = Some(now);
            s.accepted_since = 0;
            s.idle = Duration::ZERO;
        }
        true
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
        if let Some(c) = s.ceiling {
            s.ceiling = Some(c.mul_f64(RELAX));
        }
        if let Some(per) = s.per_unit {
            let mut faster = per.mul_f64(SPEED_UP);
            if let Some(c) = s.ceiling {
                faster = faster.max(c);
            }
            s.per_unit = if s.coarse {
                Some(faster.max(FASTEST_PACE))
            } else {
                (faster > FASTEST_PACE).then_some(faster)
            };
            if s.per_unit.is_none() {
                s.next = None;
            }
        }
    }
}

/// A request in flight; see [`Gate::flight`].
pub(crate) struct Flight<'a> {
    gate: &'a Gate,
    cost: u32,
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        let mut s = self.gate.state();
        s.in_flight = s.in_flight.saturating_sub(u64::from(self.cost));
        if s.in_flight == 0 {
            s.idle_from = Some(Instant::now());
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
        assert!(g.throttled(21, 0, Duration::from_millis(200), Instant::now()));
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
        // A first throttled answer for one request, with a hint in milliseconds, pauses
        // without pacing: one request's hint says when, not how fast.
        assert!(g.throttled(1, 0, Duration::from_millis(300), Instant::now()));
        assert!(g.state().per_unit.is_none());
        // 100 accepted in the next 200 ms, then throttled again: 2 ms a request.
        g.state().last_throttled = Some(Instant::now() - Duration::from_millis(200));
        g.accepted(100);
        assert!(g.throttled(1, 0, Duration::from_millis(300), Instant::now()));
        let per = g.state().per_unit.unwrap();
        assert!(
            per >= Duration::from_millis(2) && per < Duration::from_micros(2_100),
            "{per:?}"
        );
        // While pacing, a hint in milliseconds pauses everyone and slows the pace by a step,
        // whatever was accepted.
        assert!(g.throttled(20, 0, Duration::from_millis(300), Instant::now()));
        assert_eq!(g.state().per_unit, Some(per.mul_f64(SLOW_DOWN)));
    }

    #[test]
    fn while_pacing_a_whole_second_hint_sets_the_rate_and_pauses_nobody() {
        let g = Gate::default();
        // The first whole-second hint pauses everyone, then paces at the fastest: the gate
        // does not open again.
        assert!(g.throttled(7, 13, Duration::from_secs(1), Instant::now()));
        assert!(g.try_admit(1).is_err(), "paused");
        assert_eq!(g.state().per_unit, Some(FASTEST_PACE));
        for _ in 0..100 {
            g.accepted(20);
        }
        assert_eq!(g.state().per_unit, Some(FASTEST_PACE), "still pacing");
        g.state().paused_until = None;
        // Throttled again while pacing: the server's budget has been empty since the pause
        // ended, so the 90 it accepted in the 100 ms since are its rate, 1.11 ms a request.
        g.state().last_throttled = Some(Instant::now() - Duration::from_millis(100));
        g.state().accepted_since = 0;
        g.accepted(90);
        assert!(!g.throttled(15, 0, Duration::from_secs(1), Instant::now()));
        assert!(g.try_admit(1).is_ok(), "nobody is paused");
        let ceiling = g.state().ceiling.unwrap();
        let rate = Duration::from_millis(100) / 90;
        assert!(
            ceiling >= rate.mul_f64(UNDER) && ceiling < rate.mul_f64(1.05),
            "{ceiling:?}"
        );
        assert_eq!(g.state().per_unit, Some(ceiling));
        // Unthrottled answers do not speed it up past the ceiling, which relaxes slowly.
        for _ in 0..50 {
            g.accepted(20);
        }
        let now = g.state().per_unit.unwrap();
        assert!(
            now < ceiling && now >= ceiling.mul_f64(0.989),
            "{now:?} {ceiling:?}"
        );
        // The answer to an envelope sent before the pace slowed says nothing new.
        let ceiling = g.state().ceiling;
        let before = Instant::now() - Duration::from_secs(1);
        assert!(!g.throttled(19, 1, Duration::from_secs(1), before));
        assert_eq!(g.state().ceiling, ceiling);
        // Too few accepted since the last throttled answer to measure, and this answer
        // accepted nothing: half the rate.
        g.state().accepted_since = 0;
        let per = g.state().per_unit.unwrap();
        assert!(!g.throttled(20, 0, Duration::from_secs(1), Instant::now()));
        assert_eq!(
            g.state().per_unit,
            Some(per.saturating_mul(2).mul_f64(UNDER))
        );
        // A longer hint than Graph's rounding still pauses everyone.
        assert!(g.throttled(1, 0, Duration::from_secs(5), Instant::now()));
        assert!(g.try_admit(1).is_err());
    }

    #[test]
    fn one_request_throttled_pauses_without_pacing() {
        let g = Gate::default();
        assert!(g.throttled(1, 0, Duration::from_millis(500), Instant::now()));
        assert!(g.try_admit(1).is_err());
        assert!(g.state().per_unit.is_none());
    }

    #[test]
    fn a_zero_hint_changes_nothing() {
        let g = Gate::default();
        assert!(!g.throttled(5, 0, Duration::ZERO, Instant::now()));
        assert!(g.state().paused_until.is_none() && g.state().per_unit.is_none());
    }
}
