use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
#[extension(name = "com.contoso.Other")]
struct Referral {
    deal_value: i64,
}

fn main() {}
