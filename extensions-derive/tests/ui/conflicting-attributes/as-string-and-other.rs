use extensions_core::{OpenExtension, Properties};

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Ledger")]
struct Ledger {
    #[extension(as_string, other)]
    rest: Properties,
}

fn main() {}
