//! Writing and reading every property type.

use super::*;
use crate::json::Out;

fn write<V: PropertyValue + ?Sized>(v: &V) -> Result<String, ValueError> {
    let mut out = Out::buffer(0);
    let _: Written = v.write_value(ValueWriter::new(&mut out))?;
    Ok(String::from_utf8(out.into_bytes()).unwrap())
}

/// Reads `json` both ways (through an untyped `Value`, and straight from the bytes) and
/// checks that they agree.
fn read<T: FromPropertyValue + fmt::Debug + PartialEq>(json: &str) -> Result<T, ValueError> {
    let v = Value::from_json(&serde_json::from_str(json).unwrap());
    let slow = T::from_value(Some(&v));
    let mut de = serde_json::Deserializer::from_str(json);
    let fast = T::__deserialize(&mut de).unwrap();
    assert_eq!(slow, fast, "{json}");
    fast
}

#[test]
fn primitives_write_as_serde_json_does() {
    assert_eq!(write("a\"b").unwrap(), r#""a\"b""#);
    assert_eq!(write(&String::from("é")).unwrap(), "\"é\"");
    assert_eq!(write(&true).unwrap(), "true");
    assert_eq!(write(&-5i8).unwrap(), "-5");
    assert_eq!(
        write(&9_007_199_254_740_991u64).unwrap(),
        "9007199254740991"
    );
    assert_eq!(
        write(&-9_007_199_254_740_991i64).unwrap(),
        "-9007199254740991"
    );
    assert_eq!(write(&1.0f64).unwrap(), "1.0");
    assert_eq!(write(&0.1f32).unwrap(), "0.1");
    assert_eq!(write(&None::<i32>).unwrap(), "null");
    assert_eq!(write(&Some(3u16)).unwrap(), "3");
    assert_eq!(write(&vec!["a", "b"]).unwrap(), r#"["a","b"]"#);
    assert_eq!(write(&[1u8, 2, 3][..]).unwrap(), "[1,2,3]");
    assert_eq!(write(&[true; 2]).unwrap(), "[true,true]");
    assert_eq!(write(&Vec::<f64>::new()).unwrap(), "[]");
    assert_eq!(write(&Some(vec![1i32])).unwrap(), "[1]");
}

#[test]
fn arrays_may_hold_nulls() {
    let v = vec![Some(1i32), None, Some(-3)];
    assert_eq!(write(&v).unwrap(), "[1,null,-3]");
    assert_eq!(read::<Vec<Option<i32>>>("[1,null,-3]").unwrap(), v);
    assert_eq!(
        read::<Vec<Option<String>>>(r#"[null,"a"]"#).unwrap(),
        [None, Some("a".to_owned())]
    );
    // A null where the element type has none is still an error.
    assert!(read::<Vec<i32>>("[1,null]").is_err());
}

#[test]
fn integers_past_2_pow_53_are_refused_as_numbers() {
    for big in [9_007_199_254_740_992u64, u64::MAX] {
        assert_eq!(write(&big), Err(ValueError::UnsafeInteger(i128::from(big))));
        assert!(matches!(
            write(&vec![1, big]),
            Err(ValueError::UnsafeInteger(_))
        ));
    }
    for big in [-9_007_199_254_740_992i64, i64::MIN, i64::MAX] {
        assert_eq!(write(&big), Err(ValueError::UnsafeInteger(i128::from(big))));
        assert!(matches!(
            write(&Some(big)),
            Err(ValueError::UnsafeInteger(_))
        ));
    }
    // An untyped number (another app's, say) is written back as it is.
    let stored: Value = serde_json::from_str::<serde_json::Value>("18446744073709551615")
        .map(|v| Value::from_json(&v))
        .unwrap();
    assert_eq!(write(&stored).unwrap(), "18446744073709551615");
    // Reading stays exact at any size.
    assert_eq!(read::<u64>("18446744073709551615").unwrap(), u64::MAX);
    assert_eq!(read::<i64>("-9223372036854775808").unwrap(), i64::MIN);
}

#[test]
fn non_finite_floats_are_errors_never_null() {
    for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert!(matches!(write(&f), Err(ValueError::NonFinite(_))));
        assert!(matches!(
            write(&vec![1.0, f]),
            Err(ValueError::NonFinite(_))
        ));
        assert!(matches!(Value::try_from(f), Err(ValueError::NonFinite(_))));
    }
    assert!(matches!(write(&f32::NAN), Err(ValueError::NonFinite(_))));
    assert!(matches!(
        write(&Some(f32::INFINITY)),
        Err(ValueError::NonFinite(_))
    ));
}

#[test]
fn integers_read_exactly_or_not_at_all() {
    assert_eq!(read::<i64>("-9223372036854775808").unwrap(), i64::MIN);
    assert_eq!(read::<u64>("18446744073709551615").unwrap(), u64::MAX);
    assert_eq!(read::<u8>("255").unwrap(), 255);
    for (json, found) in [
        ("256", "the number 256"),
        ("-1", "the number -1"),
        ("1.5", "the number 1.5"),
        ("1.0", "the number 1.0"),
        ("\"1\"", "a string"),
        ("null", "null"),
    ] {
        assert_eq!(
            read::<u8>(json),
            Err(ValueError::Type {
                expected: "an integer in the range of u8",
                found: found.into()
            }),
            "{json}"
        );
    }
    assert!(read::<i32>("3000000000").is_err());
    assert!(read::<u32>("3000000000").is_ok());
}

#[test]
fn floats_read_without_silent_loss() {
    assert_eq!(read::<f64>("1.5").unwrap(), 1.5);
    assert_eq!(read::<f64>("9007199254740992").unwrap(), 9007199254740992.0);
    assert!(
        read::<f64>("9007199254740993").is_err(),
        "2^53+1 is not exact in f64"
    );
    assert!(read::<f64>("18446744073709551615").is_err());
    assert_eq!(read::<f32>("0.1").unwrap(), 0.1f32);
    assert!(
        read::<f32>("1e300").is_err(),
        "out of f32 range is an error, not inf"
    );
    assert!(read::<f64>("true").is_err());
}

#[test]
fn option_and_arrays_read() {
    assert_eq!(Option::<String>::from_value(None), Ok(None));
    assert_eq!(read::<Option<String>>("null"), Ok(None));
    assert_eq!(read::<Option<String>>("\"x\""), Ok(Some("x".into())));
    assert_eq!(String::from_value(None), Err(ValueError::Missing));
    assert_eq!(read::<Vec<i32>>("[1,2]"), Ok(vec![1, 2]));
    assert_eq!(
        read::<Vec<i32>>("[1,\"x\"]"),
        Err(ValueError::Type {
            expected: "an integer in the range of i32",
            found: "a string in an array".into()
        })
    );
    assert!(read::<Vec<i32>>("1").is_err());
    assert_eq!(
        read::<Value>("[1,null,\"a\"]").unwrap().describe(),
        "an array"
    );
}

#[test]
fn untyped_values_hold_anything_and_write_it_back() {
    let j = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    for text in [
        "[1,null,true,\"s\",2.5]",
        "{\"a\":{\"b\":[1,[2,{\"c\":null}]]},\"d\":\"e\"}",
        "[[1]]",
        "[{}]",
    ] {
        let v = Value::from_json(&j(text));
        assert_eq!(write(&v).unwrap(), text);
        assert_eq!(v.to_json(), j(text));
        let read: Value = read(text).unwrap();
        assert_eq!(read, v);
    }
    assert_eq!(documented_shape(&j("{}")), Err("an object"));
    assert_eq!(documented_shape(&j("[[1]]")), Err("a nested array"));
    assert_eq!(
        documented_shape(&j("[{}]")),
        Err("an array holding an object")
    );
    assert_eq!(documented_shape(&j("[1,\"a\",null]")), Ok(()));
}

#[test]
fn a_typed_property_refuses_an_object_by_name() {
    assert_eq!(
        read::<String>("{\"a\":1}"),
        Err(ValueError::Type {
            expected: "a string",
            found: "an object".into()
        })
    );
    assert!(read::<Vec<i32>>("[1,{}]").is_err());
}

#[test]
fn a_hand_written_nested_array_is_refused_at_run_time() {
    struct Sneaky;
    impl PropertyValue for Sneaky {
        fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
            w.array([1u8].iter())
        }
    }
    impl ArrayElement for Sneaky {}
    assert_eq!(write(&vec![Sneaky]), Err(ValueError::NestedArray));
}

#[test]
fn properties_keep_order_and_replace_in_place() {
    let mut p = Properties::new();
    assert!(p.is_empty());
    p.insert("b", 1i64);
    p.insert("a", "x");
    assert_eq!(p.insert("b", true), Some(Value::from(1i64)));
    assert_eq!(p.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["b", "a"]);
    assert_eq!(p.get("b"), Some(&Value::Bool(true)));
    assert_eq!(p.remove("b"), Some(Value::Bool(true)));
    assert_eq!(p.len(), 1);
    assert!(p.contains("a"));
    assert!(!p.contains("b"));
}
