use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "")]
struct Referral {
    deal_value: i64,
}

fn main() {}
