use extensions_core::attributes::ExtensionAttributes as _;
use extensions_core::prelude::*;

#[derive(ExtensionAttributes, Debug, Clone, PartialEq, Default)]
struct HrCodes {
    #[attribute(13)]
    cost_centre: Option<String>,
    #[attribute(15)]
    badge: Option<String>,
    #[attribute(1)]
    first: Option<std::string::String>,
}

#[derive(ExtensionAttributes)]
#[attributes(crate = "extensions_core")]
struct Empty {}

fn main() {
    assert_eq!(HrCodes::NUMBERS, &[13, 15, 1]);
    let a = HrCodes { badge: Some("B-7".into()), ..HrCodes::default() }.to_attributes().unwrap();
    assert_eq!(a.get(15), Some("B-7"));
    assert!(a.is_named(13) && a.get(13).is_none());
    assert!(!a.is_named(2));
    assert_eq!(HrCodes::from_attributes(&a).badge.as_deref(), Some("B-7"));
    assert!(Empty::NUMBERS.is_empty());
}
