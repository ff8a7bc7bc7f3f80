use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Generic", fits)]
struct Generic<T> {
    value: T,
}

fn main() {}
