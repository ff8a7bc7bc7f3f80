use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    #[extension(rename = "@odata.type")]
    kind: String,
}

fn main() {}
