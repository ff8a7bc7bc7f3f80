use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    #[extension(other)]
    rest: String,
}

fn main() {}
