//! `RetryPolicy::max_elapsed` bounds every call (reliability, third pass, point 2): one deadline
//! per call, computed once, that every wait and every attempt consults: a create's read-back
//! loop, the backoff after a transport error, the rounds of `bulk`. Each test asserts when the
//! last request reached the emulator (from its request log), against the budget with slack for
//! a busy machine; none asserts a speed.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use extensions_client::{GraphClient, RetryPolicy, StaticToken};
use extensions_core::prelude::*;
use extensions_emulator::{
    App, Emulator, EmulatorConfig, FaultRule, Faults, RequestOutcome, Seed, Throttle,
};

const TOKEN: &str = "deadline-token";
/// What the machine may add to a request's way to the server.
const SLACK: Duration = Duration::from_millis(500);

#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Settings")]
struct Settings {
    theme: String,
}

async fn emulator(rules: Vec<FaultRule>, throttle: Throttle) -> Emulator {
    Emulator::start(EmulatorConfig {
        apps: vec![App {
            token: TOKEN.into(),
            app_id: "deadline-app".into(),
            me: None,
        }],
        seed: Seed::new().users(3),
        faults: Faults { seed: 1, rules },
        throttle,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap()
}

fn client(emu: &Emulator, retry: RetryPolicy) -> GraphClient {
    GraphClient::builder()
        .base_url(emu.url())
        .token_provider(StaticToken::new(TOKEN))
        .retry(retry)
        .build()
        .unwrap()
}

/// Up to 10 attempts within `budget`, backoff from 100 ms, `Retry-After` waited up to 60 s.
fn policy(budget: Duration) -> RetryPolicy {
    RetryPolicy {
        max_attempts: 10,
        max_elapsed: budget,
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_secs(60),
    }
}

fn unlimited() -> Throttle {
    Throttle {
        requests: u32::MAX,
        window: Duration::from_secs(1),
    }
}

/// When the last request arrived, counted from `start`, and how many there were.
fn last_request(emu: &Emulator, start: Instant) -> (Duration, usize) {
    let log = emu.requests();
    let last = log.last().unwrap().at.saturating_duration_since(start);
    (last, log.len())
}

#[tokio::test]
async fn a_create_read_back_throttled_with_whole_seconds_stops_at_the_deadline() {
    // The create's answer is lost; every read-back is answered 429 with `Retry-After: 1`.
    let emu = emulator(
        vec![
            FaultRule {
                methods: vec!["POST".into()],
                commit_then_drop_rate: 1.0,
                max_faults: Some(1),
                ..FaultRule::default()
            },
            FaultRule {
                methods: vec!["GET".into()],
                error_rate: 1.0,
                error_statuses: vec![429],
                retry_after: Some("1".into()),
                ..FaultRule::default()
            },
        ],
        unlimited(),
    )
    .await;
    let budget = Duration::from_secs(3);
    let c = client(&emu, policy(budget));
    let start = Instant::now();
    let err = Settings {
        theme: "light".into(),
    }
    .create(&c, &Resource::user("u1"))
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let (last, count) = last_request(&emu, start);
    println!(
        "create + read-backs: {count} requests, the last at {last:?}, returned after {:?}",
        start.elapsed()
    );
    assert!(
        last < budget + SLACK,
        "a request at {last:?}, past the {budget:?} budget"
    );
    assert!(
        start.elapsed() < budget + SLACK,
        "returned after {:?}",
        start.elapsed()
    );
    // The POST and at least the first read-back happened; no further POST.
    assert!(count >= 2);
    assert_eq!(
        emu.requests().iter().filter(|r| r.method == "POST").count(),
        1
    );
}

#[tokio::test]
async fn a_backoff_after_a_transport_error_that_would_end_past_the_deadline_is_not_waited() {
    // Every GET is reset. The backoff (at least half of a 4 s base) ends past a 1 s budget, so
    // the first attempt is the only one; before the fix the budget was checked before the
    // sleep, and a second attempt started at 2-4 s.
    let emu = emulator(
        vec![FaultRule {
            methods: vec!["GET".into()],
            reset_rate: 1.0,
            ..FaultRule::default()
        }],
        unlimited(),
    )
    .await;
    let budget = Duration::from_secs(1);
    let c = client(
        &emu,
        RetryPolicy {
            base_delay: Duration::from_secs(4),
            max_delay: Duration::from_secs(4),
            ..policy(budget)
        },
    );
    let start = Instant::now();
    let err = Settings::get(&c, &Resource::user("u1")).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let (last, count) = last_request(&emu, start);
    assert_eq!(count, 1, "{:?}", emu.requests());
    assert_eq!(emu.requests()[0].outcome, RequestOutcome::Reset);
    assert!(last < budget + SLACK, "a request at {last:?}");
    assert!(
        start.elapsed() < budget + SLACK,
        "returned after {:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn bulk_starts_no_envelope_after_the_deadline() {
    // A bucket of one request per 10 s: the envelope's first item passes, the other two are
    // answered 429 with `Retry-After: 10` (and 20), which ends past the 3 s budget: they get their 429,
    // and no second envelope is sent.
    let emu = emulator(
        Vec::new(),
        Throttle {
            requests: 1,
            window: Duration::from_secs(10),
        },
    )
    .await;
    let budget = Duration::from_secs(3);
    let c = client(&emu, policy(budget));
    let value = Settings {
        theme: "dark".into(),
    };
    let ops: Vec<_> = (1..=3)
        .map(|i| value.create_op(Resource::user(format!("u{i}"))))
        .collect();
    let start = Instant::now();
    let results = c.bulk(&ops).await;
    let (last, count) = last_request(&emu, start);
    assert_eq!(count, 1, "one envelope: {:?}", emu.requests());
    assert!(last < budget + SLACK);
    assert!(
        start.elapsed() < budget + SLACK,
        "returned after {:?}",
        start.elapsed()
    );
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let throttled = results
        .iter()
        .filter(|r| matches!(r, Err(Error::Throttled { retry_after: Some(d), .. }) if *d >= Duration::from_secs(10)))
        .count();
    assert_eq!((ok, throttled), (1, 2), "{results:?}");
}

#[tokio::test]
async fn a_call_waiting_at_a_gate_closed_past_its_deadline_is_not_sent() {
    // One call is told `Retry-After: 10`, which pauses every request of the client; a second
    // call with a 2 s budget must not be sent when the pause ends (nor wait for it).
    let emu = emulator(
        vec![FaultRule {
            path_prefix: Some("/users/u1".into()),
            error_rate: 1.0,
            error_statuses: vec![429],
            retry_after: Some("10".into()),
            max_faults: Some(1),
            ..FaultRule::default()
        }],
        unlimited(),
    )
    .await;
    let budget = Duration::from_secs(2);
    let c = client(&emu, policy(budget));
    let start = Instant::now();
    let first = Settings::get(&c, &Resource::user("u1")).await.unwrap_err();
    assert!(matches!(first, Error::Throttled { .. }), "{first:?}");
    let second = Settings::get(&c, &Resource::user("u2")).await.unwrap_err();
    assert!(
        matches!(second, Error::RetryBudgetExhausted { attempts: 0 }),
        "{second:?}"
    );
    assert!(second.is_transient());
    assert_eq!(emu.requests().len(), 1, "{:?}", emu.requests());
    assert!(
        start.elapsed() < budget + SLACK,
        "returned after {:?}",
        start.elapsed()
    );
}
