//! What the derive generates, at run time: round trips of every supported field type, exact size,
//! full-set patches, and a v2 property surviving `update` by a v1 struct.

#![allow(clippy::unwrap_used)]

// The in-memory Graph of core's tests (the same file, not a copy).
#[path = "../../extensions-core/tests/common/mod.rs"]
mod common;

use common::MemoryGraph;
use extensions_core::op::{Create, Operation, Patch};
use extensions_core::prelude::*;
use extensions_core::{Value, extension_size};
use pollster::block_on;
use serde_json::json;

#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Everything")]
struct Everything {
    text: String,
    flag: bool,
    i_8: i8,
    i_16: i16,
    i_32: i32,
    #[extension(as_string)]
    i_64: i64,
    u_8: u8,
    u_16: u16,
    u_32: u32,
    #[extension(as_string)]
    u_64: u64,
    f_32: f32,
    f_64: f64,
    maybe: Option<String>,
    maybe_list: Option<Vec<i32>>,
    words: Vec<String>,
    flags: Vec<bool>,
    when: time::OffsetDateTime,
    when_chrono: chrono::DateTime<chrono::Utc>,
    uid: uuid::Uuid,
    #[extension(rename = "initialReferrer")]
    referrer: String,
}

fn everything() -> Everything {
    Everything {
        text: "quote \" backslash \\ newline \n é 😀".into(),
        flag: true,
        i_8: i8::MIN,
        i_16: i16::MAX,
        i_32: -7,
        i_64: i64::MIN,
        u_8: u8::MAX,
        u_16: 1,
        u_32: u32::MAX,
        u_64: u64::MAX,
        f_32: -9.505877e-6,
        f_64: 0.1,
        maybe: None,
        maybe_list: Some(vec![1, -1]),
        words: vec!["a".into(), "".into()],
        flags: vec![],
        when: time::macros::datetime!(2015-12-30 11:00:00.5 UTC),
        when_chrono: chrono::DateTime::from_timestamp(1_451_473_200, 0).unwrap(),
        uid: uuid::Uuid::from_u128(42),
        referrer: "Robin McCall".into(),
    }
}

#[test]
fn every_field_type_round_trips_and_size_is_the_body_length() {
    let e = everything();
    let task = Resource::me().todo_list("L").task("T");
    let body = Create::new(&task, &e)
        .request()
        .unwrap()
        .into_body()
        .to_vec();
    assert_eq!(extension_size(&e).unwrap(), body.len());
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    // camelCase by default; `rename` wins.
    assert_eq!(json["i8"], json!(-128));
    // Past 2^53 - 1, as the field asks: a string.
    assert_eq!(json["i64"], json!("-9223372036854775808"));
    assert_eq!(json["u64"], json!("18446744073709551615"));
    assert_eq!(json["maybe"], json!(null));
    assert_eq!(json["maybeList"], json!([1, -1]));
    assert_eq!(json["initialReferrer"], json!("Robin McCall"));
    assert_eq!(json["when"], json!("2015-12-30T11:00:00.500Z"));
    assert_eq!(json["whenChrono"], json!("2015-12-30T11:00:00Z"));
    assert_eq!(json["uid"], json!("00000000-0000-0000-0000-00000000002a"));
    let obj = extensions_core::ExtensionObject::from_json(&json).unwrap();
    assert_eq!(obj.decode::<Everything>().unwrap(), e);
}

#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Referral")]
struct ReferralV1 {
    company_name: String,
    deal_value: i64,
    expiration_date: Option<String>,
}

#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Referral")]
struct ReferralV2 {
    company_name: String,
    deal_value: i64,
    expiration_date: Option<String>,
    score: f64,
}

const USER: &str = "/users/u1";

#[test]
fn v2_property_survives_update_by_v1_through_the_generated_helpers() {
    let g = MemoryGraph::with_parents(&[USER]);
    let user = Resource::user("u1");
    let v2 = ReferralV2 {
        company_name: "Wingtip".into(),
        deal_value: 1,
        expiration_date: None,
        score: 0.5,
    };
    block_on(v2.create(&g, &user)).unwrap();
    let written = block_on(ReferralV1::update(&g, &user, |r| r.deal_value += 1)).unwrap();
    assert_eq!(written.deal_value, 2);
    let back = block_on(ReferralV2::get(&g, &user)).unwrap().unwrap();
    assert_eq!(back.score, 0.5);
    assert_eq!(back.deal_value, 2);
    assert!(block_on(ReferralV2::delete(&g, &user)).unwrap());
    assert_eq!(block_on(ReferralV1::get(&g, &user)).unwrap(), None);
}

#[test]
fn patch_body_holds_every_declared_property_none_as_null() {
    let g = MemoryGraph::with_parents(&[USER]);
    let user = Resource::user("u1");
    let r = ReferralV1 {
        company_name: "Wingtip".into(),
        deal_value: 1,
        expiration_date: None,
    };
    block_on(r.create(&g, &user)).unwrap();
    block_on(r.patch(&g, &user)).unwrap();
    let sent = g.requests().pop().unwrap();
    let body: serde_json::Value = serde_json::from_slice(sent.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"@odata.type": "#microsoft.graph.openTypeExtension", "extensionName": "com.contoso.Referral",
               "id": "com.contoso.Referral", "companyName": "Wingtip", "dealValue": 1, "expirationDate": null})
    );
}

#[derive(OpenExtension, Debug, Clone, PartialEq, Default)]
#[extension(name = "com.contoso.Profile")]
struct Profile {
    #[extension(rename = "displayTheme")]
    theme: String,
    #[extension(default)]
    beta: bool,
    #[extension(skip)]
    cache: u32,
    #[extension(other)]
    rest: Properties,
}

#[test]
fn default_skip_and_catch_all() {
    let mut p = Properties::new();
    p.insert("displayTheme", "dark");
    p.insert("legacy", Value::Array(vec![]));
    let mut profile = Profile::from_properties(&p).unwrap();
    assert_eq!(profile.theme, "dark");
    assert!(!profile.beta, "missing + default → Default");
    assert_eq!(profile.cache, 0);
    assert_eq!(profile.rest.get("legacy"), Some(&Value::Array(vec![])));
    // Written back: declared, then the catch-all; the skipped field never.
    profile.cache = 99;
    let body = Patch::new(Resource::device("d"), &profile)
        .request()
        .unwrap()
        .into_body()
        .to_vec();
    let text = String::from_utf8(body).unwrap();
    assert!(
        text.ends_with(r#""displayTheme":"dark","beta":false,"legacy":[]}"#),
        "{text}"
    );
    assert!(!text.contains("cache"));
    // A present property of the wrong type is still an error, even with `default`.
    p.insert("beta", "yes");
    assert!(
        matches!(Profile::from_properties(&p), Err(Error::PropertyType { ref property, .. }) if property == "beta")
    );
    // A missing field without `default` names the field.
    let err = Profile::from_properties(&Properties::new()).unwrap_err();
    assert!(matches!(err, Error::MissingProperty { ref property } if property == "displayTheme"));
}

#[derive(OpenExtension, Debug, PartialEq)]
#[extension(name = "com.contoso.Generic")]
struct Generic<T> {
    value: T,
    values: Vec<T>,
}

#[derive(OpenExtension, Debug, PartialEq)]
#[extension(
    name = "socialSettings",
    allow_unqualified_name,
    rename_all = "SCREAMING_SNAKE_CASE"
)]
struct Social {
    dark_mode: bool,
}

#[test]
fn generics_and_container_options() {
    let g = Generic {
        value: 5u16,
        values: vec![1, 2],
    };
    let body = Create::new(Resource::device("d"), &g)
        .request()
        .unwrap()
        .into_body()
        .to_vec();
    let obj = extensions_core::ExtensionObject::from_json(&serde_json::from_slice(&body).unwrap())
        .unwrap();
    assert_eq!(obj.decode::<Generic<u16>>().unwrap(), g);
    // The same stored value read at a narrower type is an error, not a truncation.
    let big = Generic {
        value: 70_000u32,
        values: vec![],
    };
    let body = Create::new(Resource::device("d"), &big)
        .request()
        .unwrap()
        .into_body()
        .to_vec();
    let obj = extensions_core::ExtensionObject::from_json(&serde_json::from_slice(&body).unwrap())
        .unwrap();
    assert!(
        matches!(obj.decode::<Generic<u16>>(), Err(Error::PropertyType { ref property, .. }) if property == "value")
    );

    assert_eq!(Social::NAME.as_str(), "socialSettings");
    let body = Create::new(Resource::me(), &Social { dark_mode: true })
        .request()
        .unwrap()
        .into_body()
        .to_vec();
    assert!(
        String::from_utf8(body)
            .unwrap()
            .ends_with(r#""DARK_MODE":true}"#)
    );
}

#[test]
fn too_large_is_refused_before_sending() {
    let g = MemoryGraph::with_parents(&[USER]);
    let r = ReferralV1 {
        company_name: "x".repeat(2048),
        deal_value: 0,
        expiration_date: None,
    };
    let err = block_on(r.create(&g, &Resource::user("u1"))).unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: 2048, .. }));
    assert!(g.requests().is_empty());
}

#[test]
fn update_with_a_catch_all_writes_what_it_holds() {
    let g = MemoryGraph::with_parents(&[USER]);
    let user = Resource::user("u1");
    g.put(
        USER,
        "com.contoso.Profile",
        json!({"id": "com.contoso.Profile", "extensionName": "com.contoso.Profile",
        "displayTheme": "dark", "beta": true, "legacy": 1, "old": "x"}),
    );
    // Removing a key from the catch-all deletes it; the other undeclared key stays.
    block_on(Profile::update(&g, &user, |p| {
        p.rest.remove("old");
    }))
    .unwrap();
    let stored = g.stored(USER, "com.contoso.Profile").unwrap();
    assert_eq!(stored.get("legacy"), Some(&json!(1)));
    assert!(
        stored.get("old").is_none(),
        "removed from the catch-all, so deleted"
    );
    assert_eq!(stored["displayTheme"], json!("dark"));
    const { assert!(Profile::KEEPS_UNDECLARED && !ReferralV1::KEEPS_UNDECLARED) };
}

#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Odd")]
struct OddNames {
    #[extension(rename = "q\"uote\\back é")]
    odd: String,
    plain: i32,
}

#[test]
fn wire_names_escaped_at_compile_time_match_the_json_writer() {
    let v = OddNames {
        odd: "x".into(),
        plain: 1,
    };
    let body = Create::new(Resource::device("d"), &v)
        .request()
        .unwrap()
        .into_body()
        .to_vec();
    assert_eq!(extension_size(&v).unwrap(), body.len());
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["q\"uote\\back é"], "x");
    // The body is serde_json's own compact form of itself, byte for byte.
    assert_eq!(serde_json::to_vec(&json).unwrap(), body);
    // And both readers find the field by that name.
    assert_eq!(
        extensions_core::extension::decode::<OddNames>(&body).unwrap(),
        v
    );
    let obj = extensions_core::ExtensionObject::from_json(&json).unwrap();
    assert_eq!(obj.decode::<OddNames>().unwrap(), v);
}

#[test]
fn a_nested_object_in_the_catch_all_is_read_and_written_back_unchanged() {
    let g = MemoryGraph::with_parents(&[USER]);
    let user = Resource::user("u1");
    let nested =
        json!({"tier": {"name": "gold", "since": [2020, 1]}, "tags": [["a"], {"b": null}]});
    g.put(
        USER,
        "com.contoso.Profile",
        json!({"id": "com.contoso.Profile", "extensionName": "com.contoso.Profile",
        "displayTheme": "dark", "beta": true, "meta": nested}),
    );
    // A typed get reads it into the catch-all.
    let p = block_on(Profile::get(&g, &user)).unwrap().unwrap();
    assert_eq!(p.rest.get("meta").unwrap().to_json(), nested);
    // Update (catch-all) and update (no catch-all) both write it back as it was.
    block_on(Profile::update(&g, &user, |p| p.theme = "light".into())).unwrap();
    assert_eq!(
        g.stored(USER, "com.contoso.Profile").unwrap()["meta"],
        nested
    );
    #[derive(OpenExtension, Debug)]
    #[extension(name = "com.contoso.Profile")]
    struct ThemeOnly {
        #[extension(rename = "displayTheme")]
        theme: String,
    }
    block_on(ThemeOnly::update(&g, &user, |t| t.theme = "blue".into())).unwrap();
    let stored = g.stored(USER, "com.contoso.Profile").unwrap();
    assert_eq!(stored["meta"], nested);
    assert_eq!(stored["displayTheme"], "blue");
    assert_eq!(stored["beta"], true);
}

#[test]
fn keys_compared_as_bytes_still_match_escaped_and_keep_non_ascii_names() {
    // `displayTheme` written with escapes, as a JSON writer may: the same key once unescaped.
    let body = br##"{"@odata.type":"#microsoft.graph.openTypeExtension","id":"com.contoso.Profile","extensionName":"com.contoso.Profile","display\u0054heme":"dark","b\u0065ta":true,"caf\u00e9":1,"t\u00f6kyo\"":"x","Id":"ignored"}"##;
    let profile: Profile = extensions_core::extension::decode(body).unwrap();
    assert_eq!(profile.theme, "dark");
    assert!(profile.beta);
    // Undeclared names, escaped or not ASCII, are kept whole in the catch-all.
    assert_eq!(profile.rest.get("café"), Some(&Value::from(1u64)));
    assert_eq!(profile.rest.get("tökyo\""), Some(&Value::from("x")));
    assert_eq!(profile.rest.len(), 2, "{:?}", profile.rest);
}

#[test]
fn a_body_that_is_not_utf8_is_a_typed_error_wherever_the_bad_byte_is() {
    let good =
        br##"{"id":"com.contoso.Profile","displayTheme":"dark","beta":true,"@odata.context":"x"}"##;
    assert!(extensions_core::extension::decode::<Profile>(good).is_ok());
    // One byte that is not UTF-8: in a declared value, in a key, in an ignored annotation.
    for at in [
        good.iter().position(|&b| b == b'k').unwrap(),
        good.iter().position(|&b| b == b'T').unwrap(),
        good.len() - 3,
    ] {
        let mut bad = good.to_vec();
        bad[at] = 0xff;
        match extensions_core::extension::decode::<Profile>(&bad) {
            Err(extensions_core::Error::UnexpectedResponse { detail, .. }) => {
                assert!(
                    detail.contains(&format!("not UTF-8 at byte {at}")),
                    "{detail}"
                );
            }
            other => panic!("expected UnexpectedResponse, got {other:?}"),
        }
    }
}
