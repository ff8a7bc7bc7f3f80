//! The paths of `benches/codec.rs`, each run a fixed number of times, for instruction counts:
//! on a shared machine whose timings drift, `valgrind --tool=callgrind` counts the same
//! instructions every run. The number of calls is fixed, so instructions per call is the total
//! of the path's own `run` function divided by `CALLS`.
//!
//! ```sh
//! cargo bench -p extensions-core --bench codec_instructions --no-run
//! valgrind --tool=callgrind --callgrind-out-file=cg.out target/release/deps/codec_instructions-* b2-ours
//! callgrind_annotate --inclusive=yes cg.out | grep codec_instructions::run
//! ```
//!
//! Without an argument (as `cargo bench` runs it) it runs every path once and checks that they
//! agree, so it never rots.

#![allow(missing_docs)]

mod common;

use std::hint::black_box;

use common::*;

/// Calls of the path per run.
const CALLS: usize = 10_000;

#[inline(never)]
fn run(path: &str, r: &Referral, s: &SerdeReferral, body: &[u8], calls: usize) {
    for _ in 0..calls {
        match path {
            "b1-ours" => drop(black_box(ours_encode(black_box(r)))),
            "b1-serde" => drop(black_box(serde_encode(black_box(s)))),
            "b1-map" => drop(black_box(map_encode(black_box(r)))),
            "b1-size" => drop(black_box(extensions_core::extension_size(black_box(r)))),
            "b2-ours" => drop(black_box(ours_decode(black_box(body)))),
            "b2-serde" => drop(black_box(serde_json::from_slice::<SerdeReferral>(
                black_box(body),
            ))),
            "b2-serde-str" => drop(black_box(serde_str_decode(black_box(body)))),
            "b2-value" => drop(black_box(serde_json::from_slice::<serde_json::Value>(
                black_box(body),
            ))),
            other => panic!("unknown path {other:?}"),
        }
    }
}

fn main() {
    let r = referral();
    let s = serde_referral(&r);
    let body = response_body(&r);
    assert_eq!(ours_encode(&r), serde_encode(&s));
    assert_eq!(ours_decode(&body), r);
    let path = std::env::args().nth(1).filter(|a| !a.starts_with('-'));
    match path {
        Some(p) => {
            run(&p, &r, &s, &body, CALLS);
            println!("{p}: {CALLS} calls");
        }
        None => {
            for p in [
                "b1-ours",
                "b1-serde",
                "b1-map",
                "b1-size",
                "b2-ours",
                "b2-serde",
                "b2-serde-str",
                "b2-value",
            ] {
                run(p, &r, &s, &body, 1);
            }
            println!("codec_instructions: every path ran once and agrees");
        }
    }
}
