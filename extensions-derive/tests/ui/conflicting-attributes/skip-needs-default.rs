use extensions_core::OpenExtension;

struct NoDefault;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    #[extension(skip)]
    cache: NoDefault,
}

fn main() {}
