use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    #[extension(other, default)]
    rest: extensions_core::Properties,
}

fn main() {}
