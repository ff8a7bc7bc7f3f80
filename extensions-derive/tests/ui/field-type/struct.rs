use extensions_core::OpenExtension;

struct Meta {
    a: i32,
}

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    meta: Meta,
}

fn main() {}
