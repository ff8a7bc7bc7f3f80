//! B1 and B2 of the codec, side by side with what an SDK user writes, in one run:
//!
//! - B1 encode + size check: this crate's body writer (`extension::encode`, which refuses a
//!   directory-object body over 2 KB by its length) against `#[derive(Serialize)]` +
//!   `serde_json::to_vec` of a struct that writes the same bytes, and against building a
//!   `serde_json::Map` + `to_vec`.
//! - B2 decode of a Graph response body (`@odata.context`, `@odata.type`, `id`,
//!   `extensionName`, the ten properties and one undeclared property): this crate's typed decode
//!   against `#[derive(Deserialize)]` + `serde_json::from_slice`, and against
//!   `serde_json::from_slice::<Value>`.
//!
//! `cargo bench -p extensions-core --bench codec`. Before measuring, the bench checks that the
//! compared paths produce the same bytes and the same values, and prints the allocations of one
//! call of each (counted with `allocation-counter`).

#![allow(missing_docs)] // criterion_group! generates an undocumented function

use criterion::{Criterion, criterion_group, criterion_main};
use extensions_core::{OpenExtension, ResourceKind};
use serde::{Deserialize, Serialize};
use std::hint::black_box;

/// The ten properties: strings, integers, a float, a bool, an array of 8 strings, one `Option`,
/// one string with escapes and multi-byte UTF-8.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    company_name: String,
    contact_email: String,
    note: String,
    deal_value: i64,
    seats: u32,
    region: i32,
    score: f64,
    active: bool,
    top_picks: Vec<String>,
    expiration_date: Option<String>,
}

/// What serde writes for the same body: the three header fields, then the properties, all
/// borrowed (a plain struct: no `flatten`, which would slow serde down).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SerdeBody<'a> {
    #[serde(rename = "@odata.type")]
    odata_type: &'static str,
    extension_name: &'static str,
    id: &'static str,
    company_name: &'a str,
    contact_email: &'a str,
    note: &'a str,
    deal_value: i64,
    seats: u32,
    region: i32,
    score: f64,
    active: bool,
    top_picks: &'a [String],
    expiration_date: &'a Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct SerdeReferral {
    company_name: String,
    contact_email: String,
    note: String,
    deal_value: i64,
    seats: u32,
    region: i32,
    score: f64,
    active: bool,
    top_picks: Vec<String>,
    expiration_date: Option<String>,
}

fn referral() -> Referral {
    Referral {
        company_name: "Wingtip Toys".into(),
        contact_email: "adele.vance@contoso.com".into(),
        note: "Line one\nLine two \"quoted\" \\ path — café, 東京, 😀".into(),
        deal_value: 500_050,
        seats: 1200,
        region: -7,
        score: 0.8125,
        active: true,
        top_picks: [
            "Employees only",
            "Add family",
            "Add partners",
            "Quarterly review",
            "Annual review",
            "Gold tier",
            "Silver tier",
            "Bronze tier",
        ]
        .map(String::from)
        .to_vec(),
        expiration_date: None,
    }
}

fn serde_referral(r: &Referral) -> SerdeReferral {
    SerdeReferral {
        company_name: r.company_name.clone(),
        contact_email: r.contact_email.clone(),
        note: r.note.clone(),
        deal_value: r.deal_value,
        seats: r.seats,
        region: r.region,
        score: r.score,
        active: r.active,
        top_picks: r.top_picks.clone(),
        expiration_date: r.expiration_date.clone(),
    }
}

const TYPE: &str = "#microsoft.graph.openTypeExtension";
const NAME: &str = "com.contoso.Referral";

fn serde_encode(s: &SerdeReferral) -> Vec<u8> {
    let body = SerdeBody {
        odata_type: TYPE,
        extension_name: NAME,
        id: NAME,
        company_name: &s.company_name,
        contact_email: &s.contact_email,
        note: &s.note,
        deal_value: s.deal_value,
        seats: s.seats,
        region: s.region,
        score: s.score,
        active: s.active,
        top_picks: &s.top_picks,
        expiration_date: &s.expiration_date,
    };
    serde_json::to_vec(&body).expect("serialises")
}

fn map_encode(r: &Referral) -> Vec<u8> {
    use serde_json::{Map, Value, json};
    let mut m = Map::new();
    m.insert("@odata.type".into(), json!(TYPE));
    m.insert("extensionName".into(), json!(NAME));
    m.insert("id".into(), json!(NAME));
    m.insert("companyName".into(), json!(r.company_name));
    m.insert("contactEmail".into(), json!(r.contact_email));
    m.insert("note".into(), json!(r.note));
    m.insert("dealValue".into(), json!(r.deal_value));
    m.insert("seats".into(), json!(r.seats));
    m.insert("region".into(), json!(r.region));
    m.insert("score".into(), json!(r.score));
    m.insert("active".into(), json!(r.active));
    m.insert("topPicks".into(), json!(r.top_picks));
    m.insert("expirationDate".into(), json!(r.expiration_date));
    serde_json::to_vec(&Value::Object(m)).expect("serialises")
}

fn ours_encode(r: &Referral) -> Vec<u8> {
    extensions_core::extension::encode(ResourceKind::User, r).expect("within 2 KB")
}

/// A Graph response: annotations, id, name, the ten properties, one undeclared property.
fn response_body(r: &Referral) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(&ours_encode(r)).expect("JSON");
    let o = v.as_object_mut().expect("object");
    let mut out = serde_json::Map::new();
    out.insert(
        "@odata.context".into(),
        "https://graph.microsoft.com/v1.0/$metadata#users('adele%40contoso.com')/extensions/$entity".into(),
    );
    out.extend(std::mem::take(o));
    out.insert("legacyFlag".into(), "kept by update".into());
    serde_json::to_vec(&out).expect("JSON")
}

fn ours_decode(body: &[u8]) -> Referral {
    extensions_core::extension::decode::<Referral>(body).expect("decodes")
}

fn allocations(label: &str, f: impl FnOnce()) {
    let info = allocation_counter::measure(f);
    println!("allocations  {label:<44} {:>4}", info.count_total);
}

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
    println!(
        "body sent {} bytes, response {} bytes",
        ours_encode(&r).len(),
        body.len()
    );

    allocations("B1 ours: encode + size check", || {
        black_box(ours_encode(&r));
    });
    allocations("B1 ours: size check alone (extension_size)", || {
        black_box(extensions_core::extension_size(&r).expect("size"));
    });
    allocations("B1 serde: #[derive(Serialize)] + to_vec", || {
        black_box(serde_encode(&s));
    });
    allocations("B1 map: serde_json::Map + to_vec", || {
        black_box(map_encode(&r));
    });
    allocations("B2 ours: typed decode", || {
        black_box(ours_decode(&body));
    });
    allocations("B2 serde: #[derive(Deserialize)] + from_slice", || {
        black_box(serde_json::from_slice::<SerdeReferral>(&body).expect("decodes"));
    });
    allocations("B2 value: from_slice::<Value>", || {
        black_box(serde_json::from_slice::<serde_json::Value>(&body).expect("decodes"));
    });

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
    g.bench_function("from_slice::<Value>", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)))
    });
    g.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);
