use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    #[extension(rename = "ExtensionName")]
    name: String,
}

fn main() {}
