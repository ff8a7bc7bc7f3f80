use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    grid: Vec<Vec<i64>>,
}

fn main() {}
