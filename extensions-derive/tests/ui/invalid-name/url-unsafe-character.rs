use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso/Referral")]
struct Referral {
    deal_value: i64,
}

fn main() {}
