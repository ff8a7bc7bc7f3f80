use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.onmicrosoft", allow_unqualified_name)]
struct Referral {
    deal_value: i64,
}

fn main() {}
