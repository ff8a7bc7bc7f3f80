use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Counter")]
struct Counter {
    count: usize,
}

fn main() {}
