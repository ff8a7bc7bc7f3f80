use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Ledger")]
struct Ledger {
    #[extension(as_string)]
    account: String,
}

fn main() {}
