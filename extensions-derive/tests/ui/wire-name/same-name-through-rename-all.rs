use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral", rename_all = "lowercase")]
struct Referral {
    deal_value: i64,
    #[extension(rename = "DEAL_VALUE")]
    other_value: i64,
}

fn main() {}
