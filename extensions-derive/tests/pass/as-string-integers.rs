use extensions_core::OpenExtension;

// Integers past 2^53 - 1 stored as strings: every integer width, optional, with the other
// field attributes.
#[derive(OpenExtension)]
#[extension(name = "com.contoso.Ledger")]
struct Ledger {
    #[extension(as_string)]
    account: u64,
    #[extension(as_string, rename = "balanceCents")]
    balance: i64,
    #[extension(as_string)]
    previous: Option<i64>,
    #[extension(as_string, default)]
    sequence: u32,
    count: u32,
}

fn main() {}
