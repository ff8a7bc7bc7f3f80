use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "Com.MicroSoft.Referral")]
struct Referral {
    deal_value: i64,
}

fn main() {}
