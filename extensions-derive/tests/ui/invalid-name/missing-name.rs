use extensions_core::OpenExtension;

#[derive(OpenExtension)]
struct Referral {
    deal_value: i64,
}

fn main() {}
