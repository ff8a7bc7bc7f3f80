use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    #[extension(rename = "a", rename = "b")]
    deal_value: i64,
}

fn main() {}
