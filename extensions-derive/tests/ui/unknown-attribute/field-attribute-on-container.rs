use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral", rename = "x")]
struct Referral {
    deal_value: i64,
}

fn main() {}
