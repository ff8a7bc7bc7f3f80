//! Integers past 2^53 − 1: refused before sending in a plain field (the error names the field
//! and nothing is encoded), kept exactly as strings with `#[extension(as_string)]`, and read
//! exactly in either form.

#![allow(clippy::unwrap_used)]

use extensions_core::op::{Operation, Patch};
use extensions_core::prelude::*;
use extensions_core::{Error, MAX_SAFE_INTEGER};
use proptest::prelude::*;

#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Counter")]
struct Plain {
    count: u64,
}

#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Ledger")]
struct Ledger {
    #[extension(as_string)]
    account: u64,
    #[extension(as_string)]
    balance: i64,
    #[extension(as_string)]
    previous: Option<i64>,
    small: i32,
}

#[test]
fn a_plain_field_past_2_pow_53_is_refused_before_sending() {
    let user = Resource::user("u1");
    let ok = Plain {
        count: MAX_SAFE_INTEGER,
    };
    assert!(Patch::new(&user, &ok).request().is_ok());
    let big = Plain {
        count: MAX_SAFE_INTEGER + 1,
    };
    let err = Patch::new(&user, &big).request().unwrap_err();
    match &err {
        Error::UnsafeInteger { property, value } => {
            assert_eq!(property, "count");
            assert_eq!(*value, i128::from(MAX_SAFE_INTEGER + 1));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("as_string"), "{err}");
}

#[test]
fn as_string_fields_are_strings_on_the_wire() {
    let l = Ledger {
        account: u64::MAX,
        balance: i64::MIN,
        previous: None,
        small: 7,
    };
    let body = Patch::new(Resource::user("u1"), &l)
        .request()
        .unwrap()
        .into_body();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["account"], "18446744073709551615");
    assert_eq!(json["balance"], "-9223372036854775808");
    assert_eq!(json["previous"], serde_json::Value::Null);
    assert_eq!(json["small"], 7);
}

#[test]
fn as_string_fields_read_strings_and_numbers_and_name_bad_ones() {
    let body = br#"{"extensionName":"com.contoso.Ledger","account":"18446744073709551615","balance":-5,"previous":"-9223372036854775808","small":1}"#;
    let l = extensions_core::extension::decode::<Ledger>(body).unwrap();
    assert_eq!(
        l,
        Ledger {
            account: u64::MAX,
            balance: -5,
            previous: Some(i64::MIN),
            small: 1
        }
    );
    let bad = br#"{"extensionName":"com.contoso.Ledger","account":"12x","balance":"1","small":1}"#;
    match extensions_core::extension::decode::<Ledger>(bad).unwrap_err() {
        Error::PropertyType {
            property, found, ..
        } => {
            assert_eq!(property, "account");
            assert!(found.contains("12x"), "{found}");
        }
        other => panic!("{other:?}"),
    }
    let missing = br#"{"extensionName":"com.contoso.Ledger","balance":"1","small":1}"#;
    assert!(matches!(
        extensions_core::extension::decode::<Ledger>(missing).unwrap_err(),
        Error::MissingProperty { property } if property == "account"
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_integer_round_trips_as_a_string(account in any::<u64>(), balance in any::<i64>(), previous in proptest::option::of(any::<i64>()), small in any::<i32>()) {
        let l = Ledger { account, balance, previous, small };
        let body = Patch::new(Resource::user("u1"), &l).request().unwrap().into_body();
        let mut stored: serde_json::Value = serde_json::from_slice(&body).unwrap();
        stored["id"] = "com.contoso.Ledger".into();
        prop_assert_eq!(extensions_core::extension::decode::<Ledger>(stored.to_string().as_bytes()).unwrap(), l);
    }
}
