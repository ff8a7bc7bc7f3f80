use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    maybe: Option<Option<i64>>,
}

fn main() {}
