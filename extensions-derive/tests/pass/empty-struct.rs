use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Marker")]
struct Marker {}

fn main() {}
