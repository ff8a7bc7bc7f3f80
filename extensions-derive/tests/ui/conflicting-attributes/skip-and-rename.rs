use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    #[extension(skip, rename = "x")]
    cache: u32,
}

fn main() {}
