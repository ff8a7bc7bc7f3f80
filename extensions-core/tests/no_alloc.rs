//! `extension_size` allocates nothing: measured with a counting global allocator, in a test
//! binary of its own (one test, so no other test's allocations are counted).

#![allow(clippy::unwrap_used)]

mod common;

use extensions_core::{Properties, Value, extension_size};

#[test]
fn size_computation_does_not_allocate() {
    let mut e = common::referral();
    // Escapes, multi-byte characters, floats and arrays: every path of the writer.
    e.company_name = "Wingtip \"Toys\"\n\u{1}é😀".into();
    e.expiration_date = Some("2015-12-30T11:00:00.000Z".into());
    let v2 = common::ReferralV2 {
        v1: e.clone(),
        score: -9.505877e-6,
    };
    let mut untyped = Properties::new();
    untyped.insert("f", Value::try_from(1e300).unwrap());
    untyped.insert("a", Value::Array(vec![Value::Bool(true)]));
    let name = extensions_core::ExtensionName::new("com.contoso.X").unwrap();

    let mut sizes = (0, 0, 0);
    let info = allocation_counter::measure(|| {
        sizes.0 = extension_size(&e).unwrap();
        sizes.1 = extension_size(&v2).unwrap();
        sizes.2 = extensions_core::extension::untyped_size(&name, &untyped).unwrap();
    });
    assert_eq!(info.count_total, 0, "extension_size allocated: {info:?}");

    // The measurement itself sees allocations (so the zero above means something).
    let info = allocation_counter::measure(|| {
        std::hint::black_box(extensions_core::op::Create::new(
            extensions_core::Resource::device("d"),
            &e,
        ));
    });
    assert!(info.count_total > 0);
    assert!(sizes.0 > 0 && sizes.1 > sizes.0 && sizes.2 > 0);
}
