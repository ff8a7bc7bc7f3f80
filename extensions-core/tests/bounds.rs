//! `max_len`, `max_items`, `MAX_SIZE` and `fits`: the worst case computed at compile time is
//! never exceeded by a value within the bounds, and is reached by one (tight, not merely safe);
//! a value past its bound is a typed error before anything is sent.

#![allow(clippy::unwrap_used)]

use extensions_core::op::{Operation, Patch};
use extensions_core::value::{MaxItems, MaxLen, SizeBound, Unbounded};
use extensions_core::{Error, MAX_SAFE_INTEGER, OpenExtension, Resource, extension_size};
use proptest::prelude::*;

/// The example.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Settings", fits)]
struct Settings {
    #[extension(max_len = 32)]
    theme: String,
    #[extension(max_items = 8, max_len = 16)]
    tags: Vec<String>,
    font_size: u16,
}

// The worst case, as a constant, usable in the user's own assertions.
const _: () = assert!(Settings::MAX_SIZE <= 2048);

/// Every bounded form.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "org.example.Bounded")]
struct Bounded {
    #[extension(max_len = 5)]
    text: String,
    #[extension(max_len = 3)]
    maybe_text: Option<String>,
    #[extension(max_items = 3, max_len = 2)]
    words: Vec<String>,
    #[extension(max_items = 2)]
    maybe_numbers: Option<Vec<i32>>,
    #[extension(max_items = 0)]
    nothing: Vec<bool>,
    flag: bool,
    a: u8,
    b: i8,
    c: u16,
    d: i16,
    e: u32,
    f: i32,
    g: u64,
    h: i64,
    ratio: f64,
    single: f32,
    maybe_n: Option<u8>,
    #[extension(as_string)]
    big: u64,
    #[extension(as_string)]
    maybe_big: Option<i64>,
    #[extension(skip)]
    local: String,
}

/// The longest accepted value of each part, by construction.
fn worst() -> Bounded {
    let ctl = |n: usize| "\u{1}".repeat(n);
    Bounded {
        text: ctl(5),
        maybe_text: Some(ctl(3)),
        words: vec![ctl(2), ctl(2), ctl(2)],
        maybe_numbers: Some(vec![i32::MIN, i32::MIN]),
        nothing: vec![],
        flag: false,
        a: u8::MAX,
        b: i8::MIN,
        c: u16::MAX,
        d: i16::MIN,
        e: u32::MAX,
        f: i32::MIN,
        g: MAX_SAFE_INTEGER,
        h: -(MAX_SAFE_INTEGER as i64),
        ratio: -2.225_073_858_507_201_4e-308,
        single: -1e15,
        maybe_n: None, // `null` is longer than any u8
        big: u64::MAX,
        maybe_big: Some(i64::MIN),
        local: "not written".repeat(1000),
    }
}

#[test]
fn the_worst_case_is_reached() {
    assert_eq!(extension_size(&worst()).unwrap(), Bounded::MAX_SIZE);
    let mut s = Settings {
        theme: "\u{7}".repeat(32),
        tags: vec!["\u{1f}".repeat(16); 8],
        font_size: u16::MAX,
    };
    assert_eq!(extension_size(&s).unwrap(), Settings::MAX_SIZE);
    // Four-byte characters are shorter than escapes: a safe bound, under the maximum.
    s.theme = "😀".repeat(32);
    assert!(extension_size(&s).unwrap() < Settings::MAX_SIZE);
}

/// One property of any type: generic structs get `MAX_SIZE` where their types are bounded.
#[derive(OpenExtension, Debug)]
#[extension(name = "org.example.One")]
struct One<T> {
    v: T,
}

/// The bytes `v` takes as a property value.
fn len<T: extensions_core::PropertyValue + extensions_core::FromPropertyValue>(v: T) -> usize {
    let rest = extension_size(&One { v: true }).unwrap() - 4;
    extension_size(&One { v }).unwrap() - rest
}

#[test]
fn each_type_bound_is_its_longest_value() {
    assert_eq!(Some(len(false)), <bool as SizeBound>::MAX);
    assert_eq!(Some(len(u8::MAX)), <u8 as SizeBound>::MAX);
    assert_eq!(Some(len(i8::MIN)), <i8 as SizeBound>::MAX);
    assert_eq!(Some(len(u16::MAX)), <u16 as SizeBound>::MAX);
    assert_eq!(Some(len(i16::MIN)), <i16 as SizeBound>::MAX);
    assert_eq!(Some(len(u32::MAX)), <u32 as SizeBound>::MAX);
    assert_eq!(Some(len(i32::MIN)), <i32 as SizeBound>::MAX);
    assert_eq!(Some(len(MAX_SAFE_INTEGER)), <u64 as SizeBound>::MAX);
    assert_eq!(
        Some(len(-(MAX_SAFE_INTEGER as i64))),
        <i64 as SizeBound>::MAX
    );
    assert_eq!(
        Some(len(-2.225_073_858_507_201_4e-308_f64)),
        <f64 as SizeBound>::MAX
    );
    assert_eq!(Some(len(-1e15_f32)), <f32 as SizeBound>::MAX);
    assert_eq!(Some(len(None::<u8>)), <Option<u8> as SizeBound>::MAX);
    assert_eq!(<String as SizeBound>::MAX, None);
    assert_eq!(<String as SizeBound<MaxLen<3>>>::MAX, Some(20));
    assert_eq!(
        Some(len("\u{0}".repeat(3))),
        <String as SizeBound<MaxLen<3>>>::MAX
    );
    assert_eq!(<Vec<bool> as SizeBound>::MAX, None);
    assert_eq!(
        <Vec<bool> as SizeBound<Unbounded, MaxItems<3>>>::MAX,
        Some(len(vec![false; 3]))
    );
    assert_eq!(
        <[bool; 2] as SizeBound>::MAX,
        Some(len([false; 2].to_vec()))
    );
    // A generic struct has a MAX_SIZE for its bounded instances.
    assert_eq!(
        One::<u16>::MAX_SIZE,
        extension_size(&One { v: u16::MAX }).unwrap()
    );
    assert_eq!(
        One::<bool>::MAX_SIZE,
        extension_size(&One { v: false }).unwrap()
    );
}

#[test]
fn floats_never_pass_their_bound() {
    // The bounds follow from the shortest-form layouts serde_json (ryu) writes: at most 17
    // significant digits for an f64 (24 bytes at most, `-0.0000` + 17 digits, or 17 digits with
    // an exponent of three), 9 for an f32 written as the f64 of its shortest form (19 at most:
    // `-1000000000000000.0`). Random bit patterns over every exponent check that no value
    // passes them; the values that reach them are in `each_type_bound_is_its_longest_value`.
    let (mut longest32, mut longest64) = (0, 0);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..200_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let d = f64::from_bits(x);
        if d.is_finite() {
            longest64 = longest64.max(len(d));
        }
        let f = f32::from_bits(x as u32);
        if f.is_finite() {
            longest32 = longest32.max(len(f));
        }
    }
    assert!(longest64 <= <f64 as SizeBound>::MAX.unwrap(), "{longest64}");
    assert!(longest32 <= <f32 as SizeBound>::MAX.unwrap(), "{longest32}");
    // Every power of ten an f32 holds, negative, with nine significant digits.
    for e in -45..=38 {
        for m in [1.0f32, 1.234_567_9, 9.999_999] {
            let f = -m * 10f32.powi(e);
            if f.is_finite() {
                assert!(len(f) <= 19, "{f:e}: {}", len(f));
            }
        }
    }
}

fn bounded_text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..=max).prop_map(|c| c.into_iter().collect())
}

prop_compose! {
    fn within_bounds()(
        text in bounded_text(5),
        maybe_text in proptest::option::of(bounded_text(3)),
        words in proptest::collection::vec(bounded_text(2), 0..=3),
        maybe_numbers in proptest::option::of(proptest::collection::vec(any::<i32>(), 0..=2)),
        flag: bool, a: u8, b: i8, c: u16, d: i16, e: u32, f: i32,
        g in 0..=MAX_SAFE_INTEGER,
        h in -(MAX_SAFE_INTEGER as i64)..=(MAX_SAFE_INTEGER as i64),
        ratio in any::<f64>().prop_filter("finite", |f| f.is_finite()),
        single in any::<f32>().prop_filter("finite", |f| f.is_finite()),
        maybe_n: Option<u8>, big: u64, maybe_big: Option<i64>,
    ) -> Bounded {
        Bounded {
            text, maybe_text, words, maybe_numbers, nothing: vec![], flag, a, b, c, d, e, f, g, h,
            ratio, single, maybe_n, big, maybe_big, local: String::new(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn values_within_their_bounds_never_pass_max_size(v in within_bounds()) {
        let size = extension_size(&v).unwrap();
        prop_assert!(size <= Bounded::MAX_SIZE, "{size} > {}", Bounded::MAX_SIZE);
    }

    #[test]
    fn a_value_past_its_bound_is_refused_before_sending(extra in 1usize..40, at in 0usize..3) {
        let mut v = worst();
        let user = Resource::user("adele@contoso.com");
        match at {
            0 => v.text = "a".repeat(5 + extra),
            1 => v.words[1] = "é".repeat(2 + extra),
            _ => v.words = vec![String::new(); 3 + extra],
        }
        let e = Patch::new(user.clone(), &v).request().unwrap_err();
        let expected = match at {
            0 => matches!(&e, Error::ValueTooLong { property, chars, max: 5 } if property == "text" && *chars == 5 + extra),
            1 => matches!(&e, Error::ValueTooLong { property, chars, max: 2 } if property == "words" && *chars == 2 + extra),
            _ => matches!(&e, Error::TooManyItems { property, items, max: 3 } if property == "words" && *items == 3 + extra),
        };
        prop_assert!(expected, "{e:?}");
        prop_assert!(extension_size(&v).is_err());
    }
}

#[test]
fn errors_name_the_property_and_the_bound() {
    let mut s = Settings {
        theme: "x".repeat(33),
        tags: vec![],
        font_size: 1,
    };
    let e = extension_size(&s).unwrap_err();
    assert_eq!(
        e.to_string(),
        "property \"theme\" holds 33 characters, over its max_len of 32"
    );
    s.theme.clear();
    s.tags = vec!["t".into(); 9];
    let e = extension_size(&s).unwrap_err();
    assert_eq!(
        e.to_string(),
        "property \"tags\" holds 9 items, over its max_items of 8"
    );
    // At the bounds exactly: accepted.
    s.tags.pop();
    s.theme = "x".repeat(32);
    assert!(extension_size(&s).is_ok());
}
