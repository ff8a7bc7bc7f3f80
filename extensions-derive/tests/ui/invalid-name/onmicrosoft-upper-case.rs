use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "COM.ONMICROSOFT.REFERRAL")]
struct Referral {
    deal_value: i64,
}

fn main() {}
