//! B1 and B2 of the codec, side by side with what an SDK user writes, in one run:
//!
//! - B1 encode + size check: this crate's body writer (`extension::encode`, which refuses a
//!   directory-object body over 2 KB by its length) against `#[derive(Serialize)]` +
//!   `serde_json::to_vec` of a struct that writes the same bytes, and against building a
//!   `serde_json::Map` + `to_vec`.
//! - B2 decode of a Graph response body (`@odata.context`, `@odata.type`, `id`,
//!   `extensionName`, the ten properties and one undeclared property): this crate's typed decode
//!   against `#[derive(Deserialize)]` + `serde_json::from_slice` (the baseline), the same after
//!   checking the body as UTF-8 once (`from_utf8` + `from_str`, what this crate's decode does),
//!   and `serde_json::from_slice::<Value>`.
//!
//! `cargo bench -p extensions-core --bench codec`. Before measuring, the bench checks that the
//! compared paths produce the same bytes and the same values. Allocations are counted by
//! `tests/allocations.rs` (a counting allocator would slow every path measured here).

#![allow(missing_docs)] // criterion_group! generates an undocumented function

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
mod common;

use common::*;

fn codec(c: &mut Criterion) {
    let r = referral();
    let s = serde_referral(&r);
    // Same bytes, same values, before anything is timed.
    assert_eq!(ours_encode(&r), serde_encode(&s));
    let body = response_body(&r);
    assert_eq!(ours_decode(&body), r);
    assert_eq!(
        serde_json::from_slice::<SerdeReferral>(&body).expect("decodes"),
        s
    );
    assert_eq!(serde_str_decode(&body), s);
    println!(
        "body sent {} bytes, response {} bytes",
        ours_encode(&r).len(),
        body.len()
    );

    let mut g = c.benchmark_group("B1 encode + size check");
    g.bench_function("ours", |b| b.iter(|| ours_encode(black_box(&r))));
    g.bench_function("serde derive + to_vec", |b| {
        b.iter(|| serde_encode(black_box(&s)))
    });
    g.bench_function("serde_json::Map + to_vec", |b| {
        b.iter(|| map_encode(black_box(&r)))
    });
    g.bench_function("ours: size check alone", |b| {
        b.iter(|| extensions_core::extension_size(black_box(&r)))
    });
    g.finish();

    let mut g = c.benchmark_group("B2 decode");
    g.bench_function("ours", |b| b.iter(|| ours_decode(black_box(&body))));
    g.bench_function("serde derive + from_slice", |b| {
        b.iter(|| serde_json::from_slice::<SerdeReferral>(black_box(&body)))
    });
    g.bench_function("serde derive + from_utf8 + from_str", |b| {
        b.iter(|| serde_str_decode(black_box(&body)))
    });
    g.bench_function("from_slice::<Value>", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)))
    });
    g.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);
