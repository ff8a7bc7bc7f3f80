use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = 42)]
struct Referral {
    deal_value: i64,
}

fn main() {}
