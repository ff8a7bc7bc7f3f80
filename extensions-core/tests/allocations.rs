//! Allocations of one call of each codec path, counted (B1 and B2 of `benches/codec.rs`, same
//! fixture). Counts are exact and repeatable, unlike times, so they are asserted here.

#![allow(clippy::unwrap_used)]

#[path = "../benches/common/mod.rs"]
mod fixture;

use std::hint::black_box;

use fixture::*;

fn count(label: &str, f: impl FnOnce()) -> u64 {
    let n = allocation_counter::measure(f).count_total;
    println!("allocations  {label:<46} {n:>3}");
    n
}

#[test]
fn the_codec_allocates_no_more_than_serde() {
    let r = referral();
    let s = serde_referral(&r);
    assert_eq!(ours_encode(&r), serde_encode(&s));
    let body = response_body(&r);
    assert_eq!(ours_decode(&body), r);

    let ours_enc = count("B1 ours: encode + size check", || {
        black_box(ours_encode(&r));
    });
    let size = count("B1 ours: size check alone (extension_size)", || {
        black_box(extensions_core::extension_size(&r).unwrap());
    });
    let serde_enc = count("B1 serde: #[derive(Serialize)] + to_vec", || {
        black_box(serde_encode(&s));
    });
    let map_enc = count("B1 map: serde_json::Map + to_vec", || {
        black_box(map_encode(&r));
    });
    let ours_dec = count("B2 ours: typed decode", || {
        black_box(ours_decode(&body));
    });
    let serde_dec = count("B2 serde: #[derive(Deserialize)] + from_slice", || {
        black_box(serde_json::from_slice::<SerdeReferral>(&body).unwrap());
    });
    let value_dec = count("B2 value: from_slice::<Value>", || {
        black_box(serde_json::from_slice::<serde_json::Value>(&body).unwrap());
    });

    assert_eq!(size, 0, "the size check alone allocates nothing");
    assert_eq!(ours_enc, 1, "one buffer, sized once");
    assert!(ours_enc <= serde_enc && serde_enc < map_enc);
    assert!(
        ours_dec <= serde_dec,
        "decode: {ours_dec} allocations, serde {serde_dec}"
    );
    assert!(serde_dec < value_dec);
}
