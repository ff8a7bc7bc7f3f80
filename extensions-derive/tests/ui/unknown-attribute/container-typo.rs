use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(nmae = "com.contoso.Referral")]
struct Referral {
    deal_value: i64,
}

fn main() {}
