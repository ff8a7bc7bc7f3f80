use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
enum Referral {
    A,
    B,
}

fn main() {}
