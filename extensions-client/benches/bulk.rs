//! B4 and B5: one extension updated on every user.
//!
//! - **B4**, throttle off: `client.bulk(&ops)` (envelopes of 20, a few in flight) against one
//!   `patch` at a time, same emulator, same run, on four setups: the first form (emulator and
//!   client on one two-thread runtime), both on one thread (the fastest sequential loop: no
//!   request crosses threads, so none waits for a parked thread to wake), the emulator on a
//!   runtime of its own with the client on two threads or one; and with a 20 ms round trip
//!   (the emulator's latency fault on every request, a `$batch` envelope being one), as users
//!   meet Graph, for 2,000 users.
//! - **B5**, under a per-app throttle whose shortest possible time for the work is about 10 s,
//!   with a deep bucket (1,000 requests a bucket) and a shallow one (100), each with Graph's
//!   whole-second `Retry-After` and with millisecond hints: the run's time against that
//!   minimum.
//!
//! Each run writes a new value and checks afterwards, through the emulator's state, that every
//! user holds exactly that value (nothing lost) and that every item succeeded within its retry
//! bound.
//!
//! `cargo bench -p extensions-client --bench bulk` (10,000 users), or with `-- --test` for the
//! quick mode (200 users, one round, no figures worth reading). `-- b4` or `-- b5` runs one.

#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{Settings, client, count_stored, median, quick, runtime, seed};
use extensions_core::prelude::*;
use extensions_emulator::Throttle;

/// Writes `value` to every user, one `patch` at a time.
async fn one_at_a_time(client: &extensions_client::GraphClient, users: usize, value: &Settings) {
    for i in 0..users {
        value
            .patch(client, &Resource::user(format!("u{i}")))
            .await
            .unwrap();
    }
}

/// Writes `value` to every user with one `bulk` call; returns how many items failed.
async fn bulk(client: &extensions_client::GraphClient, users: usize, value: &Settings) -> usize {
    let ops: Vec<_> = (0..users)
        .map(|i| value.patch_op(Resource::user(format!("u{i}"))))
        .collect();
    let answers = client.bulk(&ops).await;
    let failed: Vec<_> = answers.iter().filter_map(|a| a.as_ref().err()).collect();
    if let Some(e) = failed.first() {
        eprintln!("{} failed, the first: {e}", failed.len());
    }
    failed.len()
}

/// B4 on one setup: the emulator either shares the client's runtime (two worker threads for
/// both) or runs apart on its own (as a separate server would), with `latency` added to every
/// request it answers (each `$batch` envelope is one request); the client runs on `client_rt`.
fn b4_case(
    label: &str,
    users: usize,
    rounds: usize,
    apart: bool,
    latency: Duration,
    client_rt: &tokio::runtime::Runtime,
) {
    let rules = if latency.is_zero() {
        vec![]
    } else {
        vec![extensions_emulator::FaultRule {
            latency,
            ..extensions_emulator::FaultRule::default()
        }]
    };
    // Kept alive until the end of the case.
    let (shared, separate);
    let emu = if apart {
        separate = common::emulator_apart(seed(users), common::unthrottled(), rules);
        &separate.emu
    } else {
        shared = client_rt.block_on(common::emulator_with_faults(
            seed(users),
            common::unthrottled(),
            rules,
        ));
        &shared
    };
    client_rt.block_on(async {
        let client = client(emu);
        let (mut seq, mut bat) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            let value = Settings {
                theme: format!("seq{round}"),
                schema_version: round as u32,
            };
            let t = Instant::now();
            one_at_a_time(&client, users, &value).await;
            seq.push(t.elapsed());
            assert_eq!(count_stored(emu, &value).await, users, "one at a time lost writes");

            let value = Settings {
                theme: format!("bulk{round}"),
                schema_version: round as u32,
            };
            let t = Instant::now();
            let failed = bulk(&client, users, &value).await;
            bat.push(t.elapsed());
            assert_eq!(failed, 0, "bulk items failed");
            assert_eq!(count_stored(emu, &value).await, users, "bulk lost writes");
        }
        let (s, b) = (median(seq), median(bat));
        println!(
            "B4 {label}: {users} users, throttle off, median of {rounds}: one at a time {:.3} s ({:.1} µs a request), bulk {:.3} s ({:.0} items/s): bulk is {:.2}x faster",
            s.as_secs_f64(),
            s.as_secs_f64() * 1e6 / users as f64,
            b.as_secs_f64(),
            users as f64 / b.as_secs_f64(),
            s.as_secs_f64() / b.as_secs_f64()
        );
    });
}

fn b4(users: usize, rounds: usize, latency_users: usize) {
    let shared_rt = runtime();
    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // The first form of this bench: emulator and client on one two-thread runtime.
    b4_case(
        "shared runtime (the first form)",
        users,
        rounds,
        false,
        Duration::ZERO,
        &shared_rt,
    );
    // Both on one thread: no request crosses threads (no wake-up of a parked thread per hop).
    b4_case(
        "emulator and client on one thread",
        users,
        rounds,
        false,
        Duration::ZERO,
        &current,
    );
    // The emulator apart, the client on two threads or on one.
    b4_case(
        "emulator apart, client on two threads",
        users,
        rounds,
        true,
        Duration::ZERO,
        &shared_rt,
    );
    b4_case(
        "emulator apart, client on one thread",
        users,
        rounds,
        true,
        Duration::ZERO,
        &current,
    );
    // As users meet Graph: a 20 ms round trip.
    b4_case(
        "emulator apart, 20 ms a round trip",
        latency_users,
        1,
        true,
        Duration::from_millis(20),
        &shared_rt,
    );
}

fn b5(users: usize, rate: f64) {
    let rt = runtime();
    let cases = [
        ("deep", 1000u32, false),
        ("shallow", 100u32, false),
        ("deep", 1000u32, true),
        ("shallow", 100u32, true),
    ];
    for (label, capacity, fractions) in cases {
        let capacity = capacity.min(users as u32 / 4).max(1);
        let window = Duration::from_secs_f64(f64::from(capacity) / rate);
        // The bucket starts full: `capacity` at once, then `rate` a second.
        let minimum = (users as f64 - f64::from(capacity)) / rate;
        rt.block_on(async {
            let emu = common::emulator_with(
                seed(users),
                Throttle {
                    requests: capacity,
                    window,
                },
                fractions,
            )
            .await;
            let client = client(&emu);
            let value = Settings {
                theme: "throttled".into(),
                schema_version: 7,
            };
            let t = Instant::now();
            let failed = bulk(&client, users, &value).await;
            let took = t.elapsed().as_secs_f64();
            assert_eq!(failed, 0, "items failed past their retry bound");
            assert_eq!(count_stored(&emu, &value).await, users, "writes lost");
            println!(
                "B5 {users} users, {label} bucket ({capacity} per {:.3} s, {rate:.0}/s), Retry-After in {}: {took:.2} s against a minimum of {minimum:.2} s: {:.3}x; 0 failed, all {users} stored",
                window.as_secs_f64(),
                if fractions { "milliseconds" } else { "whole seconds (as Graph)" },
                took / minimum
            );
        });
    }
}

fn main() {
    let quick = quick();
    let only = |name: &str| {
        let picked: Vec<String> = std::env::args()
            .skip(1)
            .filter(|a| a.starts_with('b'))
            .collect();
        picked.is_empty() || picked.iter().any(|p| p == name)
    };
    let users = if quick { 200 } else { 10_000 };
    if only("b4") {
        b4(
            users,
            if quick { 1 } else { 3 },
            if quick { 40 } else { 2_000 },
        );
    }
    if only("b5") {
        // About 10 s at full size: (10,000 - capacity) / rate.
        let rate = if quick { 1_000.0 } else { 900.0 };
        b5(users, rate);
    }
}
