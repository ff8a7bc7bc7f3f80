use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    #[extension(other)]
    rest: extensions_core::Properties,
    #[extension(other)]
    more: extensions_core::Properties,
}

fn main() {}
