use extensions_core::OpenExtension;

struct Pick {
    label: String,
}

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    picks: Vec<Pick>,
}

fn main() {}
