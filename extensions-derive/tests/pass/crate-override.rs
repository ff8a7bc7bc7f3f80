mod sdk {
    pub use extensions_core as ext;
}

use sdk::ext::OpenExtension as _;

#[derive(sdk::ext::OpenExtension)]
#[extension(name = "com.contoso.Referral", crate = "sdk::ext")]
struct Referral {
    deal_value: i64,
}

fn main() {
    assert_eq!(Referral::NAME.as_str(), "com.contoso.Referral");
}
