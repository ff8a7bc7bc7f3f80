use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    scores: std::collections::HashMap<String, i64>,
}

fn main() {}
