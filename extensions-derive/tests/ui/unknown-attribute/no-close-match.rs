use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral", serialize_with = "f")]
struct Referral {
    deal_value: i64,
}

fn main() {}
