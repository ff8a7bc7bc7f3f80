use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    id: String,
}

fn main() {}
