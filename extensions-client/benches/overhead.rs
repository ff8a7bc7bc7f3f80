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
        let raw = reqwest::Client::new();

        let (mut typed_t, mut raw_t) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let t = Instant::now();
            for _ in 0..requests {
                let written = value.patch(&client, &resource).await.unwrap();
                assert!(written.is_none(), "a directory object answers 204");
            }
            typed_t.push(t.elapsed());

            let t = Instant::now();
            for _ in 0..requests {
                let r = raw
                    .patch(&url)
                    .headers(headers.clone())
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 204);
                r.bytes().await.unwrap();
            }
            raw_t.push(t.elapsed());
        }
        let per = |d: Duration| d.as_secs_f64() * 1e6 / requests as f64;
        let (t, r) = (median(typed_t), median(raw_t));
        println!(
            "B3 {requests} sequential PATCHes, median of {rounds} alternating rounds: typed helper {:.1} µs/request, raw reqwest {:.1} µs/request: {:.3}x ({:+.1} µs)",
            per(t),
            per(r),
            t.as_secs_f64() / r.as_secs_f64(),
            per(t) - per(r)
        );
    });
}
