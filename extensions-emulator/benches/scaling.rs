//! Emulator throughput at 1,000 and at 100,000 users: 16 concurrent clients on loopback, each
//! reading and then patching one extension of users picked at random, through plain reqwest.
//! The figure is requests per second at each size and their ratio (flat: within 10%).
//!
//! `cargo bench -p extensions-emulator --bench scaling`, or with `-- --test` for the quick mode
//! (1,000 and 5,000 users, a few requests, no figure worth reading).

#![allow(missing_docs, clippy::unwrap_used)]

use std::time::{Duration, Instant};

use extensions_emulator::{App, Emulator, EmulatorConfig, Seed, Throttle};
use serde_json::json;

const CLIENTS: usize = 16;

fn seed(users: usize) -> Seed {
    let users: Vec<_> = (0..users)
        .map(|i| {
            json!({"id": format!("u{i}"), "userPrincipalName": format!("user{i}@contoso.com"),
                   "extensions": [{"extensionName": "com.contoso.Bench", "n": 0}]})
        })
        .collect();
    Seed::from_json(&json!({ "users": users }).to_string()).unwrap()
}

/// Requests per second for `per_client` GET+PATCH pairs from each of 16 clients.
async fn throughput(users: usize, per_client: usize) -> f64 {
    let emu = Emulator::start(EmulatorConfig {
        apps: vec![App {
            token: "t".into(),
            app_id: "a".into(),
            me: None,
        }],
        throttle: Throttle {
            requests: u32::MAX,
            window: Duration::from_secs(1),
        },
        seed: seed(users),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let started = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let base = emu.url();
            tokio::spawn(async move {
                let http = {
                    // Workspace builds unify reqwest's features with extensions-client's
                    // (`rustls-no-provider`): a client then needs a rustls crypto provider.
                    let _ = rustls::crypto::ring::default_provider().install_default();
                    reqwest::Client::new()
                };
                // A small LCG per client: the same users at every size's run.
                let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ c as u64;
                for n in 0..per_client {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    let user = (x >> 33) as usize % users;
                    let url = format!("{base}/users/u{user}/extensions/com.contoso.Bench");
                    let got = http.get(&url).bearer_auth("t").send().await.unwrap();
                    assert_eq!(got.status(), 200);
                    got.bytes().await.unwrap();
                    let patched = http
                        .patch(&url)
                        .bearer_auth("t")
                        .json(&json!({"n": n}))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(patched.status(), 204);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    (CLIENTS * per_client * 2) as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let quick = std::env::args().any(|a| a == "--test" || a == "--quick");
    let (small, large, per_client, rounds) = if quick {
        (1_000, 5_000, 20, 1)
    } else {
        (1_000, 100_000, 500, 5)
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // Alternate the sizes, so both see the same machine; report the medians.
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        a.push(rt.block_on(throughput(small, per_client)));
        b.push(rt.block_on(throughput(large, per_client)));
    }
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    let (a, b) = (a[a.len() / 2], b[b.len() / 2]);
    println!(
        "emulator, {CLIENTS} concurrent clients, GET+PATCH of one extension, median of {rounds}: {a:.0} req/s at {small} users, {b:.0} req/s at {large} users: {:.3}x",
        b / a
    );
}
