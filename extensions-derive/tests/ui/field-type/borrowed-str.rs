use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral<'a> {
    name: &'a str,
}

fn main() {}
