//! B3: the client's own cost per request. 5,000 sequential PATCHes of one extension through the
//! typed helper (`value.patch(&client, &resource)`: builds the operation, checks and encodes the
//! value, takes the token, sends, reads the answer) against a raw reqwest loop that sends the
//! same prepared bytes with the same headers to the same emulator. Rounds alternate between the
//! two, so both see the same machine; the figure is the ratio of the medians.
//!
//! `cargo bench -p extensions-client --bench overhead`, or with `-- --test` for the quick mode
//! (100 requests, one round).

#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{Settings, TOKEN, client, emulator, median, quick, runtime, seed};
use extensions_core::op::Operation;
use extensions_core::prelude::*;

fn main() {
    let quick = quick();
    let (requests, rounds) = if quick { (100, 1) } else { (5_000, 7) };
    // B3_REQUESTS=N for an instruction count under callgrind (`B3_ONLY=typed` or `raw`).
    let requests = std::env::var("B3_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(requests);
    let rt = runtime();
    rt.block_on(async {
        let emu = emulator(seed(1), common::unthrottled()).await;
        let client = client(&emu);
        let value = Settings {
            theme: "dark".into(),
            schema_version: 2,
        };
        let resource = Resource::user("u0");

        // The raw loop's request: exactly what the typed call sends, prepared once.
        let prepared = value.patch_op(&resource).request().unwrap();
        let url = format!("{}{}", emu.url(), prepared.uri());
        let mut headers = prepared.headers().clone();
        headers.insert("accept", "application/json".parse().unwrap());
        headers.insert(
            "client-request-id",
            "00000000-0000-4000-8000-000000000000".parse().unwrap(),
        );
        headers.insert("authorization", format!("Bearer {TOKEN}").parse().unwrap());
        let body = prepared.body().clone();
        // The raw clients share the client's reqwest (and its rustls without a provider).
        extensions_client::install_tls_provider();
        let raw = reqwest::Client::new();
        // The same settings as the client's own reqwest client (its defaults: a 30 s timeout,
        // a 10 s connect timeout, a user agent, same-origin redirects only).
        let raw_configured = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .user_agent("extensions-client/0.1.0")
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .unwrap();
        let only = std::env::var("B3_ONLY").ok();
        let run = |name: &str| only.as_deref().is_none_or(|o| o == name);

        let raw_loop = |http: reqwest::Client| {
            let (url, headers, body) = (url.clone(), headers.clone(), body.clone());
            async move {
                let t = Instant::now();
                for _ in 0..requests {
                    let r = http
                        .patch(&url)
                        .headers(headers.clone())
                        .body(body.clone())
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 204);
                    r.bytes().await.unwrap();
                }
                t.elapsed()
            }
        };
        let (mut typed_t, mut raw_t, mut raw_c) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            if run("typed") {
                let t = Instant::now();
                for _ in 0..requests {
                    let written = value.patch(&client, &resource).await.unwrap();
                    assert!(written.is_none(), "a directory object answers 204");
                }
                typed_t.push(t.elapsed());
            }
            if run("raw") {
                raw_t.push(raw_loop(raw.clone()).await);
            }
            if run("raw_configured") {
                raw_c.push(raw_loop(raw_configured.clone()).await);
            }
        }
        if only.is_some() {
            for (name, xs) in [("typed", typed_t), ("raw", raw_t), ("raw_configured", raw_c)] {
                if !xs.is_empty() {
                    let m = median(xs);
                    println!("B3 {name} alone: {:.1} µs/request", m.as_secs_f64() * 1e6 / requests as f64);
                }
            }
            return;
        }
        let per = |d: Duration| d.as_secs_f64() * 1e6 / requests as f64;
        let (t, r, c) = (median(typed_t), median(raw_t), median(raw_c));
        println!(
            "B3 {requests} sequential PATCHes, median of {rounds} alternating rounds: typed helper {:.1} µs/request; raw reqwest {:.1} µs/request ({:.3}x, {:+.1} µs); raw reqwest configured as the client's {:.1} µs/request ({:.3}x, {:+.1} µs)",
            per(t),
            per(r),
            t.as_secs_f64() / r.as_secs_f64(),
            per(t) - per(r),
            per(c),
            t.as_secs_f64() / c.as_secs_f64(),
            per(t) - per(c),
        );
    });
}
