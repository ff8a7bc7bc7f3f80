//! Load under faults, in a file of its own so that it never shares the machine with the fault
//! matrix, whose timeouts are tight.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use extensions_client::{GraphClient, RetryPolicy, StaticToken};
use extensions_core::prelude::*;
use extensions_emulator::{App, Emulator, EmulatorConfig, FaultRule, Faults, Seed};

const TOKEN: &str = "load-token";

/// 16 clients, 2,000 full-set patches each, with resets, 5xx answers and lost answers drawn
/// all along; afterwards every extension holds exactly its client's last write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_with_faults_ends_in_the_exact_state() {
    const CLIENTS: usize = 16;
    const OPS: usize = 2_000;

    #[derive(OpenExtension, Debug, Clone, PartialEq)]
    #[extension(name = "com.contoso.Counter")]
    struct Counter {
        n: u64,
        writer: String,
    }

    let emu = Emulator::start(EmulatorConfig {
        apps: vec![App {
            token: TOKEN.into(),
            app_id: "load-app".into(),
            me: None,
        }],
        seed: Seed::new().users(CLIENTS),
        throttle: extensions_emulator::Throttle {
            requests: u32::MAX,
            window: Duration::from_secs(1),
        },
        faults: Faults {
            seed: 7,
            rules: vec![FaultRule {
                reset_rate: 0.02,
                error_rate: 0.04,
                commit_then_drop_rate: 0.02,
                ..FaultRule::default()
            }],
        },
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let client = GraphClient::builder()
        .base_url(emu.url())
        .token_provider(StaticToken::new(TOKEN))
        .retry(RetryPolicy {
            max_attempts: 10,
            max_elapsed: Duration::from_secs(60),
            base_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(20),
        })
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let client = client.clone();
            tokio::spawn(async move {
                let user = Resource::user(format!("u{c}"));
                let first = Counter {
                    n: 0,
                    writer: format!("client {c}"),
                };
                first.create(&client, &user).await.unwrap();
                for n in 1..OPS as u64 {
                    Counter {
                        n,
                        writer: format!("client {c}"),
                    }
                    .patch(&client, &user)
                    .await
                    .unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let plain = GraphClient::builder()
        .base_url(emu.url())
        .token_provider(StaticToken::new(TOKEN))
        .build()
        .unwrap();
    // Reads through the same faults would be retried too; this client's reads also pass them.
    for c in 0..CLIENTS {
        let got = Counter::get(&plain, &Resource::user(format!("u{c}")))
            .await
            .unwrap();
        assert_eq!(
            got,
            Some(Counter {
                n: OPS as u64 - 1,
                writer: format!("client {c}"),
            }),
            "u{c}"
        );
    }
}
