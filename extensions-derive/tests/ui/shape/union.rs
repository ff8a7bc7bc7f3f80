use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
union Referral {
    a: u32,
    b: f32,
}

fn main() {}
