//! What the web console costs the request path: the emulator binary's throughput with the
//! console closed, beside the same workload on the binary from before the console existed
//! (the baseline) and with a console open (its live stream connected, so bodies are kept), in
//! one run; each of them twice, interleaved (`_a`, then `_b`).
//!
//! ```text
//! BASELINE_EMULATOR="$(bash extensions-emulator/benches/console-baseline.sh)" \
//!     cargo bench -p extensions-emulator --bench console
//! ```
//!
//! Without `BASELINE_EMULATOR` the baseline is left out (and said so). Each emulator is a
//! separate process started from its binary (throttling off, the sample seed), driven over
//! loopback by four keep-alive connections; one iteration is 64 requests, GET and PATCH of an
//! open extension on a user in turn. Criterion's `thrpt` is requests per second.

#![allow(missing_docs, clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;

const ADMIN: &str = "bench-admin";
const TOKEN: &str = "bench-token";
const PER_ITERATION: u64 = 64;
const CONNECTIONS: u64 = 4;

/// An emulator process, stopped when dropped.
struct Running {
    child: Child,
    base: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(binary: &Path) -> Running {
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/seed.example.json");
    let mut child = Command::new(binary)
        .args(["--port", "0", "--seed", seed, "--admin-token", ADMIN])
        .args(["--token", &format!("{TOKEN}=bench-app")])
        .args(["--throttle", "4294967295/1"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the emulator ended before it listened")
            .unwrap();
        if let Some(url) = line.strip_prefix("Graph emulator listening on ") {
            break url.trim_end_matches("/v1.0").to_owned();
        }
    };
    // Keep reading its standard error so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Running { child, base }
}

fn console(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let http = {
        // Workspace builds unify reqwest's features with extensions-client's
        // (`rustls-no-provider`): a client then needs a rustls crypto provider.
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder()
            .pool_max_idle_per_host(CONNECTIONS as usize)
            .build()
            .unwrap()
    };
    let current = Path::new(env!("CARGO_BIN_EXE_extensions-emulator")).to_owned();
    let baseline = std::env::var_os("BASELINE_EMULATOR").map(std::path::PathBuf::from);
    if baseline.is_none() {
        eprintln!(
            "console bench: BASELINE_EMULATOR is not set, so the baseline is left out; build it with \
             bash extensions-emulator/benches/console-baseline.sh"
        );
    }
    // Each binary twice, interleaved, so drift over the run shows instead of reading as a cost.
    let mut variants: Vec<(&str, std::path::PathBuf, bool)> = Vec::new();
    for round in ["a", "b"] {
        if let Some(b) = &baseline {
            let label = if round == "a" {
                "baseline_before_console_a"
            } else {
                "baseline_before_console_b"
            };
            variants.push((label, b.clone(), false));
        }
        let (closed, open) = if round == "a" {
            ("console_closed_a", "console_open_a")
        } else {
            ("console_closed_b", "console_open_b")
        };
        variants.push((closed, current.clone(), false));
        variants.push((open, current.clone(), true));
    }

    let body = json!({"theme": "light", "schemaVersion": 3});
    let mut group = c.benchmark_group("emulator_console_cost");
    group.throughput(Throughput::Elements(PER_ITERATION));
    for (label, binary, open) in variants {
        let emu = start(&binary);
        let url = format!("{}/v1.0/users/u1/extensions/com.contoso.Settings", emu.base);
        // The live stream a console holds: read on its own task for the whole measurement.
        let watcher = open.then(|| {
            let events = http
                .get(format!("{}/_emulator/api/events", emu.base))
                .bearer_auth(ADMIN);
            rt.spawn(async move {
                let mut r = events.send().await.unwrap();
                assert_eq!(r.status(), 200);
                while let Ok(Some(_)) = r.chunk().await {}
            })
        });
        group.bench_function(label, |b| {
            b.iter(|| {
                rt.block_on(async {
                    let tasks: Vec<_> = (0..CONNECTIONS)
                        .map(|_| {
                            let (http, url, body) = (http.clone(), url.clone(), body.clone());
                            tokio::spawn(async move {
                                for i in 0..PER_ITERATION / CONNECTIONS {
                                    let req = if i % 2 == 0 {
                                        http.get(&url)
                                    } else {
                                        http.patch(&url).json(&body)
                                    };
                                    let r = req.bearer_auth(TOKEN).send().await.unwrap();
                                    assert!(r.status().is_success(), "{}", r.status());
                                    r.bytes().await.unwrap();
                                }
                            })
                        })
                        .collect();
                    for t in tasks {
                        t.await.unwrap();
                    }
                })
            })
        });
        if let Some(w) = watcher {
            w.abort();
        }
        drop(emu);
    }
    group.finish();
}

criterion_group!(benches, console);
criterion_main!(benches);
