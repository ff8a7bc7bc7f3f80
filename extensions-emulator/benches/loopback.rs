//! Requests per second of the emulator on loopback, one request at a time from one reqwest
//! client (keep-alive), for GET and PATCH of an extension on a user and on a message.
//! `cargo bench -p extensions-emulator`; criterion reports `thrpt` in requests per second.

#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use extensions_emulator::{App, Emulator, EmulatorConfig, Seed, Throttle};
use serde_json::json;

fn loopback(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let emu = rt
        .block_on(Emulator::start(EmulatorConfig {
            apps: vec![App {
                token: "t".into(),
                app_id: "a".into(),
                me: None,
            }],
            // Throttling would dominate the measurement; it is measured separately by the tests.
            throttle: Throttle {
                requests: u32::MAX,
                window: std::time::Duration::from_secs(1),
            },
            seed: Seed::new()
                .user("u1", "adele@contoso.com")
                .message("u1", "m1"),
            ..EmulatorConfig::default()
        }))
        .unwrap();
    let http = {
        // Workspace builds unify reqwest's features with extensions-client's
        // (`rustls-no-provider`): a client then needs a rustls crypto provider.
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::new()
    };
    let body = json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": "com.contoso.Bench",
                      "companyName": "Wingtip Toys", "dealValue": 500050, "topPicks": ["a", "b", "c"]});
    for res in ["/users/u1", "/users/u1/messages/m1"] {
        let url = format!("{}{res}/extensions", emu.url());
        let resp = rt
            .block_on(http.post(&url).bearer_auth("t").json(&body).send())
            .unwrap();
        assert_eq!(resp.status(), 201);
    }
    let mut group = c.benchmark_group("emulator_loopback");
    group.throughput(Throughput::Elements(1));
    for (label, res) in [("user", "/users/u1"), ("message", "/users/u1/messages/m1")] {
        let url = format!("{}{res}/extensions/com.contoso.Bench", emu.url());
        group.bench_function(format!("get_{label}"), |b| {
            b.iter(|| {
                let r = rt.block_on(http.get(&url).bearer_auth("t").send()).unwrap();
                assert_eq!(r.status(), 200);
                rt.block_on(r.bytes()).unwrap()
            })
        });
        group.bench_function(format!("patch_{label}"), |b| {
            b.iter(|| {
                let r = rt
                    .block_on(http.patch(&url).bearer_auth("t").json(&body).send())
                    .unwrap();
                assert!(r.status().is_success());
                rt.block_on(r.bytes()).unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, loopback);
criterion_main!(benches);
