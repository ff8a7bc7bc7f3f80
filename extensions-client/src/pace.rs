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
//! last throttled answer: what it accepted since, over that time, is its rate, once at least
//! [`RATE_SAMPLE`] were accepted (fewer say too little; until then each throttled answer slows
//! the pace by the share of its requests that were throttled, so a pace far too fast comes near
//! the rate in a few answers). A measurement is not taken across a pause or a time with nothing
//! in flight, when the budget refilled. The measured pace, half a percent slower, becomes a
//! ceiling: unthrottled answers no longer speed the gate up past it. It relaxes slowly, 1% in
//! 10,000 requests and twice as fast after every 5,000 unthrottled ones, so a budget that grew
//! is found while a steady one is rarely probed (each probe past the rate costs the requests
//! it throttles a whole second). The pace keeps to its schedule: a timer that wakes late does
//! not make the next start later. The first whole-second hint still pauses every request
//! (nothing is known of the rate yet), and from then on the gate paces rather than opening
//! fully. A longer hint, or a hint in milliseconds, still pauses every request.

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
/// The fewest requests accepted between two throttled answers for their rate to set a ceiling
/// (fewer say too little: with 10, one request more or less is a tenth of the rate).
const RATE_SAMPLE: u64 = 50;
/// How far under the rate a throttled answer showed the gate paces, and keeps its ceiling.
const UNDER: f64 = 1.005;
/// The share by which each unthrottled request relaxes the ceiling at first: 1% in 10,000
/// requests. A probe past the rate costs the requests it sends a whole second each.
const RELAX_FIRST: f64 = 1e-6;
/// Every this many unthrottled requests in a row, the relaxing doubles, so a budget that grew
/// is found in a number of steps that grows with its logarithm, while at a steady rate the gate
/// probes past the ceiling rarely (after about 10,000 requests).
const RELAX_DOUBLES: u64 = 5_000;

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
    /// The share of the ceiling each unthrottled request relaxes, and the unthrottled requests
    /// since that share last doubled.
    relax: f64,
    unthrottled: u64,
    /// When that last changed: answers to requests sent before were sent at an older pace.
    slowed_at: Option<Instant>,
    /// A pause has just ended: the server's budget refilled during it, so the first
    /// measurement after it would overstate the rate.
    refilled: bool,
    /// A whole-second hint was seen: the gate keeps pacing rather than opening.
    coarse: bool,
}

impl State {
    /// Starts a new measurement at `from`: nothing accepted, no idle time yet.
    fn measure_from(&mut self, from: Instant) {
        self.last_throttled = Some(from);
        self.accepted_since = 0;
        self.idle = Duration::ZERO;
    }

    /// The time per request the server accepted since the last throttled answer, once at
    /// least `fewest` were accepted.
    fn measured_over(&self, now: Instant, fewest: u64) -> Option<Duration> {
        let since = self
            .last_throttled
            .filter(|_| self.accepted_since >= fewest)?;
        let n = u32::try_from(self.accepted_since).unwrap_or(u32::MAX);
        Some(now.saturating_duration_since(since) / n)
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
            // From when this start was due, not from now: a timer wakes late (by up to a
            // millisecond), and that lateness must not add up into a slower pace. Due longer
            // ago than one interval (the gate was idle): from now, so idle time is no credit.
            let interval = per.saturating_mul(cost.max(1));
            let due = s.next.filter(|&n| later(n, interval) >= now).unwrap_or(now);
            s.next = Some(later(due, interval));
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
            // has been empty since the last throttled answer, so what it accepted since then,
            // over that time, is its rate. Time with nothing in flight breaks that (the budget
            // refilled meanwhile).
            let idle = s.idle
                + s.idle_from.map_or(Duration::ZERO, |f| {
                    let f = s.last_throttled.map_or(f, |t| t.max(f));
                    now.saturating_duration_since(f)
                });
            s.slowed_at = Some(now);
            // Nothing was in flight for a while since the last throttled answer, or this is the
            // first throttled answer since a pause: the budget refilled meanwhile (up to its
            // depth, which is not known), so what was accepted since says nothing of the rate.
            // Measure afresh from this answer.
            if !idle.is_zero() || std::mem::take(&mut s.refilled) {
                s.measure_from(now);
                s.idle_from = s.idle_from.map(|_| now);
            }
            match s.measured_over(now, RATE_SAMPLE) {
                Some(m) => {
                    // Enough accepted since the last throttled answer to tell the rate: pace
                    // just under it, and make it the ceiling. A rate no slower than the pace
                    // (the budget shrank meanwhile): a step slower.
                    let shown = if m > per { m } else { per.mul_f64(SLOW_DOWN) };
                    let ceiling = shown.mul_f64(UNDER);
                    s.ceiling = Some(ceiling);
                    s.per_unit = Some(ceiling);
                    s.relax = RELAX_FIRST;
                    s.unthrottled = 0;
                    s.measure_from(now);
                }
                None => {
                    // Too few to tell: a step slower, as large as the share of this answer's
                    // requests that were throttled (twice as slow when none was accepted, 5% when
                    // few were throttled), to come near the rate fast; the measurement goes on
                    // from the same throttled answer, when the budget was empty too.
                    let share = f64::from(throttled) / (f64::from(throttled) + f64::from(accepted));
                    let slower = per.mul_f64(SLOW_DOWN.max(1.0 + share));
                    s.per_unit = Some(slower.max(s.ceiling.unwrap_or_default()));
                }
            }
            return false;
        }
        if s.paused_until.is_none_or(|p| p < until) {
            s.paused_until = Some(until);
        }
        let measured = s.measured_over(now, MEASURED);
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
            s.measure_from(until);
            s.refilled = true;
        }
        // Answers arrive in bursts: only the first of a burst of throttled answers starts a new
        // measurement.
        if s.accepted_since > 0 || s.last_throttled.is_none() {
            s.measure_from(now);
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
            s.ceiling = Some(c.mul_f64((1.0 - s.relax * f64::from(accepted)).max(0.5)));
            s.unthrottled += u64::from(accepted);
            if s.unthrottled >= RELAX_DOUBLES {
                s.relax = (s.relax * 2.0).min(0.01);
                s.unthrottled = 0;
            }
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
        // The first throttled answer after the pause measures nothing (the budget refilled
        // during the pause): it starts a measurement, and slows the pace by the share of its
        // requests that were throttled (15 of 20: 1.75 times slower).
        let per = g.state().per_unit.unwrap();
        assert!(!g.throttled(15, 5, Duration::from_secs(1), Instant::now()));
        assert!(g.try_admit(1).is_ok(), "nobody is paused");
        assert_eq!(g.state().per_unit, Some(per.mul_f64(1.75)));
        assert!(g.state().ceiling.is_none());
        // Throttled again: the server's budget has been empty since that answer, so the 90 it
        // accepted in the 100 ms since are its rate, 1.11 ms a request.
        g.state().last_throttled = Some(Instant::now() - Duration::from_millis(100));
        g.state().accepted_since = 0;
        g.accepted(90);
        assert!(!g.throttled(15, 0, Duration::from_secs(1), Instant::now()));
        let ceiling = g.state().ceiling.unwrap();
        let rate = Duration::from_millis(100) / 90;
        assert!(
            ceiling >= rate.mul_f64(UNDER) && ceiling < rate.mul_f64(1.05),
            "{ceiling:?}"
        );
        assert_eq!(g.state().per_unit, Some(ceiling));
        // Unthrottled answers do not speed it up past the ceiling, which relaxes slowly: 1,000
        // requests, 0.1%.
        for _ in 0..50 {
            g.accepted(20);
        }
        let now = g.state().per_unit.unwrap();
        assert!(
            now < ceiling && now >= ceiling.mul_f64(0.998),
            "{now:?} {ceiling:?}"
        );
        // After 5,000 unthrottled requests in a row, it relaxes twice as fast.
        for _ in 0..200 {
            g.accepted(20);
        }
        assert_eq!(g.state().relax, RELAX_FIRST * 2.0);
        // The answer to an envelope sent before the pace slowed says nothing new.
        let ceiling = g.state().ceiling;
        let before = Instant::now() - Duration::from_secs(1);
        assert!(!g.throttled(19, 1, Duration::from_secs(1), before));
        assert_eq!(g.state().ceiling, ceiling);
        // Too few accepted since the last throttled answer to measure, and this answer
        // accepted nothing: half the rate, and the ceiling stays.
        g.state().accepted_since = 0;
        let per = g.state().per_unit.unwrap();
        assert!(!g.throttled(20, 0, Duration::from_secs(1), Instant::now()));
        assert_eq!(g.state().per_unit, Some(per.saturating_mul(2)));
        assert_eq!(g.state().ceiling, ceiling);
        // A longer hint than Graph's rounding still pauses everyone.
        assert!(g.throttled(1, 0, Duration::from_secs(5), Instant::now()));
        assert!(g.try_admit(1).is_err());
    }

    #[test]
    fn no_rate_is_measured_across_a_time_with_nothing_in_flight() {
        let g = Gate::default();
        assert!(g.throttled(20, 0, Duration::from_secs(1), Instant::now()));
        g.state().paused_until = None;
        assert!(!g.throttled(10, 10, Duration::from_secs(1), Instant::now()));
        // 100 accepted, then nothing in flight for a while (the budget refills): a throttled
        // answer afterwards starts a measurement instead of taking one.
        g.state().last_throttled = Some(Instant::now() - Duration::from_millis(100));
        g.accepted(100);
        drop(g.flight(1));
        g.state().idle_from = Some(Instant::now() - Duration::from_millis(50));
        assert!(!g.throttled(10, 10, Duration::from_secs(1), Instant::now()));
        assert!(g.state().ceiling.is_none(), "nothing measured");
        assert_eq!(g.state().accepted_since, 0);
    }

    #[test]
    fn a_late_timer_does_not_slow_the_pace() {
        let g = Gate::default();
        g.state().per_unit = Some(Duration::from_millis(10));
        // Due 4 ms ago (the timer woke late): the next start is due 6 ms from now, not 10.
        let due = Instant::now() - Duration::from_millis(4);
        g.state().next = Some(due);
        assert!(g.try_admit(1).is_ok());
        assert_eq!(g.state().next, Some(due + Duration::from_millis(10)));
        // Due longer ago than one interval (idle): from now, no burst to catch up.
        let long_ago = Instant::now() - Duration::from_millis(50);
        g.state().next = Some(long_ago);
        let before = Instant::now();
        assert!(g.try_admit(1).is_ok());
        assert!(g.state().next.unwrap() >= before + Duration::from_millis(10));
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
