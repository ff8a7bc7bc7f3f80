//! The exact size equals the body sent, byte for byte, over random values; the body is what
//! serde_json would write; and values come back unchanged.

#![allow(clippy::unwrap_used)]

mod common;

use extensions_core::extension::read_property;
use extensions_core::op::{Create, Operation, Patch};
use extensions_core::value::Number;
use extensions_core::{
    Error, ExtensionName, MAX_SAFE_INTEGER, OpenExtension, Properties, PropertyWriter, Resource,
    Value, extension_size,
};
use proptest::prelude::*;

/// The same extension, derived: its body and its readers must agree with the hand-written one.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "org.example.Everything")]
struct EverythingDerived {
    text: String,
    small: i8,
    signed: i64,
    unsigned: u64,
    ratio: f64,
    single: f32,
    flag: bool,
    maybe: Option<String>,
    maybe_n: Option<u16>,
    words: Vec<String>,
    numbers: Vec<f64>,
    #[extension(other)]
    rest: Properties,
}

impl From<Everything> for EverythingDerived {
    fn from(e: Everything) -> Self {
        let Everything {
            text,
            small,
            signed,
            unsigned,
            ratio,
            single,
            flag,
            maybe,
            maybe_n,
            words,
            numbers,
            rest,
        } = e;
        Self {
            text,
            small,
            signed,
            unsigned,
            ratio,
            single,
            flag,
            maybe,
            maybe_n,
            words,
            numbers,
            rest,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Everything {
    text: String,
    small: i8,
    signed: i64,
    unsigned: u64,
    ratio: f64,
    single: f32,
    flag: bool,
    maybe: Option<String>,
    maybe_n: Option<u16>,
    words: Vec<String>,
    numbers: Vec<f64>,
    rest: Properties,
}

impl OpenExtension for Everything {
    const NAME: ExtensionName = ExtensionName::from_static("org.example.Everything");
    fn write_properties(&self, w: &mut PropertyWriter<'_>) -> Result<(), Error> {
        w.property("text", &self.text)?;
        w.property("small", &self.small)?;
        w.property("signed", &self.signed)?;
        w.property("unsigned", &self.unsigned)?;
        w.property("ratio", &self.ratio)?;
        w.property("single", &self.single)?;
        w.property("flag", &self.flag)?;
        w.property("maybe", &self.maybe)?;
        w.property("maybeN", &self.maybe_n)?;
        w.property("words", &self.words)?;
        w.property("numbers", &self.numbers)?;
        w.properties(&self.rest)
    }
    fn from_properties(p: &Properties) -> Result<Self, Error> {
        const KNOWN: [&str; 11] = [
            "text", "small", "signed", "unsigned", "ratio", "single", "flag", "maybe", "maybeN",
            "words", "numbers",
        ];
        Ok(Self {
            text: read_property(p, "text")?,
            small: read_property(p, "small")?,
            signed: read_property(p, "signed")?,
            unsigned: read_property(p, "unsigned")?,
            ratio: read_property(p, "ratio")?,
            single: read_property(p, "single")?,
            flag: read_property(p, "flag")?,
            maybe: read_property(p, "maybe")?,
            maybe_n: read_property(p, "maybeN")?,
            words: read_property(p, "words")?,
            numbers: read_property(p, "numbers")?,
            rest: p
                .iter()
                .filter(|(k, _)| !KNOWN.contains(k))
                .map(|(k, v)| (k.to_owned(), v.clone()))
                .collect(),
        })
    }
}

/// Strings rich in what JSON escapes and in multi-byte UTF-8.
fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(
            prop_oneof![
                Just('"'),
                Just('\\'),
                Just('\n'),
                Just('\u{0}'),
                Just('\u{1f}'),
                Just('\u{7f}'),
                Just('é'),
                Just('€'),
                Just('😀'),
                Just('\u{2028}'),
                Just('/'),
                any::<char>()
            ],
            0..40
        )
        .prop_map(|v| v.into_iter().collect()),
    ]
}

fn finite_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("finite", |f| f.is_finite()),
        Just(0.0),
        Just(-0.0),
        Just(f64::MIN_POSITIVE),
        Just(f64::MAX),
        Just(1e21),
        Just(1e-7),
        Just(5e-324)
    ]
}

fn primitive() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| Value::Number(i.into())),
        any::<u64>().prop_map(|u| Value::Number(u.into())),
        finite_f64().prop_map(|f| Value::Number(Number::from_f64(f).unwrap())),
        tricky_string().prop_map(Value::String),
    ]
}

/// Any JSON value Graph may hold: primitives, arrays, nested objects.
fn any_value() -> impl Strategy<Value = Value> {
    primitive().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(("[a-z@é ]{0,6}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn rest() -> impl Strategy<Value = Properties> {
    proptest::collection::vec(
        (
            "[a-zA-Z][a-zA-Z0-9é_ -]{0,12}".prop_filter("not declared or reserved", |k| {
                ![
                    "text", "small", "signed", "unsigned", "ratio", "single", "flag", "maybe",
                    "maybeN", "words", "numbers",
                ]
                .contains(&k.as_str())
                    && !k.eq_ignore_ascii_case("id")
                    && !k.eq_ignore_ascii_case("extensionName")
            }),
            any_value(),
        ),
        0..5,
    )
    .prop_map(|v| v.into_iter().collect())
}

prop_compose! {
    fn everything()(
        text in tricky_string(),
        small in any::<i8>(),
        // Typed integer fields write at most 2^53 - 1 in magnitude (tests/big_integers.rs has
        // the rest of the range, as strings).
        signed in -(MAX_SAFE_INTEGER as i64)..=(MAX_SAFE_INTEGER as i64),
        unsigned in 0..=MAX_SAFE_INTEGER,
        ratio in finite_f64(),
        single in any::<f32>().prop_filter("finite", |f| f.is_finite()),
        flag in any::<bool>(),
        maybe in proptest::option::of(tricky_string()),
        maybe_n in proptest::option::of(any::<u16>()),
        words in proptest::collection::vec(tricky_string(), 0..4),
        numbers in proptest::collection::vec(finite_f64(), 0..4),
        rest in rest(),
    ) -> Everything {
        Everything { text, small, signed, unsigned, ratio, single, flag, maybe, maybe_n, words, numbers, rest }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn size_is_the_body_length_and_values_round_trip(e in everything()) {
        let size = extension_size(&e).unwrap();
        // A to-do item carries the same body form as a directory object, without a size limit,
        // so every random value can be sent and measured.
        let task = Resource::me().todo_list("L").task("T");
        let body = Create::new(&task, &e).request().unwrap().into_body().to_vec();
        prop_assert_eq!(size, body.len());
        let patch = Patch::new(&task, &e).request().unwrap().into_body().to_vec();
        prop_assert_eq!(&patch, &body);

        // On a user, the same size decides between sending and refusing.
        let user = Resource::user("u");
        match Create::new(&user, &e).request() {
            Ok(req) => {
                prop_assert!(size <= 2048);
                prop_assert_eq!(req.into_body().to_vec(), body.clone());
            }
            Err(Error::TooLarge { size: s, limit, .. }) => {
                prop_assert_eq!(s, size);
                prop_assert!(size > limit);
            }
            Err(other) => prop_assert!(false, "{other:?}"),
        }

        // The body is exactly serde_json's compact form of itself: a server that parses and
        // re-serialises what it stores measures the same size.
        let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap();
        prop_assert_eq!(serde_json::to_vec(&parsed).unwrap(), body.clone());

        // And every value comes back unchanged.
        let obj = extensions_core::ExtensionObject::from_json(&parsed).unwrap();
        prop_assert_eq!(obj.name(), "org.example.Everything");
        let back: Everything = obj.decode().unwrap();
        prop_assert_eq!(&back, &e);

        // The derived twin writes the same bytes, and reads them back both ways: straight from
        // the bytes (the generated reader) and through the properties.
        let d = EverythingDerived::from(e);
        prop_assert_eq!(extension_size(&d).unwrap(), size);
        let derived_body = Create::new(&task, &d).request().unwrap().into_body().to_vec();
        prop_assert_eq!(&derived_body, &body);
        let fast: EverythingDerived = extensions_core::extension::decode(&body).unwrap();
        prop_assert_eq!(&fast, &d);
        let slow: EverythingDerived = obj.decode().unwrap();
        prop_assert_eq!(&slow, &d);
        let hand_fast: Everything = extensions_core::extension::decode(&body).unwrap();
        prop_assert_eq!(hand_fast, back);
    }
}

#[test]
fn size_of_a_known_body() {
    let e = common::referral();
    let body = Create::new(Resource::user("u"), &e)
        .request()
        .unwrap()
        .into_body()
        .to_vec();
    let text = String::from_utf8(body).unwrap();
    assert_eq!(
        text,
        r##"{"@odata.type":"#microsoft.graph.openTypeExtension","extensionName":"com.contoso.Referral","id":"com.contoso.Referral","companyName":"Wingtip Toys","dealValue":500050,"expirationDate":null,"topPicks":["Employees only","Add family"]}"##
    );
    assert_eq!(extension_size(&e).unwrap(), text.len());
}
