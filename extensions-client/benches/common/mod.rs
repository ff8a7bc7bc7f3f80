//! What the client benches share: the quick mode, a seeded emulator, a client, the extension.

#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use extensions_client::{GraphClient, RetryPolicy, StaticToken};
use extensions_core::prelude::*;
use extensions_emulator::{App, Emulator, EmulatorConfig, Seed, Throttle};
use serde_json::json;

pub const TOKEN: &str = "bench-token";
pub const APP: &str = "bench-app";

/// One app's per-user settings: the extension every bench writes.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Settings")]
pub struct Settings {
    pub theme: String,
    pub schema_version: u32,
}

/// `cargo bench -- --test` (what `.ci/run` passes) or `BENCH_QUICK=1`: small sizes, each path
/// once, checked for nothing lost; no figure worth reading.
pub fn quick() -> bool {
    std::env::args().any(|a| a == "--test" || a == "--quick")
        || std::env::var_os("BENCH_QUICK").is_some()
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// `n` users (`u0`…), each with the settings at schema 0.
pub fn seed(n: usize) -> Seed {
    let users: Vec<_> = (0..n)
        .map(|i| {
            json!({"id": format!("u{i}"), "userPrincipalName": format!("user{i}@contoso.com"),
                   "displayName": format!("User {i}"),
                   "extensions": [{"extensionName": "com.contoso.Settings", "theme": "light", "schemaVersion": 0}]})
        })
        .collect();
    Seed::from_json(&json!({ "users": users }).to_string()).expect("a valid seed")
}

/// No throttle worth the name.
pub fn unthrottled() -> Throttle {
    Throttle {
        requests: u32::MAX,
        window: Duration::from_secs(1),
    }
}

pub async fn emulator(seed: Seed, throttle: Throttle) -> Emulator {
    emulator_with(seed, throttle, false).await
}

/// The benches' emulator: one app (`TOKEN`), `seed`, `throttle`, fault `rules` (a latency,
/// say), and with `fractions` `Retry-After` in milliseconds instead of Graph's whole seconds.
pub fn config(
    seed: Seed,
    throttle: Throttle,
    rules: Vec<extensions_emulator::FaultRule>,
    fractions: bool,
) -> EmulatorConfig {
    EmulatorConfig {
        retry_after_fractions: fractions,
        apps: vec![App {
            token: TOKEN.into(),
            app_id: APP.into(),
            me: None,
        }],
        throttle,
        seed,
        faults: extensions_emulator::Faults { seed: 1, rules },
        ..EmulatorConfig::default()
    }
}

/// With fault rules (a latency, say).
pub async fn emulator_with_faults(
    seed: Seed,
    throttle: Throttle,
    rules: Vec<extensions_emulator::FaultRule>,
) -> Emulator {
    Emulator::start(config(seed, throttle, rules, false))
        .await
        .expect("the emulator starts")
}

/// With `fractions`, `Retry-After` in milliseconds instead of Graph's whole seconds.
pub async fn emulator_with(seed: Seed, throttle: Throttle, fractions: bool) -> Emulator {
    Emulator::start(config(seed, throttle, vec![], fractions))
        .await
        .expect("the emulator starts")
}

pub fn client(emu: &Emulator) -> GraphClient {
    GraphClient::builder()
        .base_url(emu.url())
        .token_provider(StaticToken::new(TOKEN))
        .retry(RetryPolicy {
            max_attempts: 10,
            ..RetryPolicy::default()
        })
        .build()
        .expect("a client")
}

/// Every user's stored settings, read back through the emulator's admin route: how many have
/// exactly `expected`.
pub async fn count_stored(emu: &Emulator, expected: &Settings) -> usize {
    extensions_client::install_tls_provider();
    let state: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/_emulator/state", emu.base_url()))
        .bearer_auth(emu.admin_token())
        .send()
        .await
        .expect("the state")
        .json()
        .await
        .expect("JSON state");
    state["users"]
        .as_array()
        .map(|users| {
            users
                .iter()
                .filter(|u| {
                    u["extensions"].as_array().is_some_and(|e| {
                        e.len() == 1
                            && e[0]["theme"] == expected.theme.as_str()
                            && e[0]["schemaVersion"] == expected.schema_version
                    })
                })
                .count()
        })
        .unwrap_or(0)
}

/// The median of some durations.
pub fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

/// An emulator on a runtime of its own (one worker thread), as a separate server would be, so
/// the client's runtime does not share its threads; the runtime lives as long as the handle.
pub struct Apart {
    pub emu: Emulator,
    _rt: tokio::runtime::Runtime,
}

pub fn emulator_apart(
    seed: Seed,
    throttle: Throttle,
    rules: Vec<extensions_emulator::FaultRule>,
) -> Apart {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let emu = rt
        .block_on(Emulator::start(config(seed, throttle, rules, false)))
        .expect("the emulator starts");
    Apart { emu, _rt: rt }
}
