use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    #[extension(rename_all = "camelCase")]
    deal_value: i64,
}

fn main() {}
