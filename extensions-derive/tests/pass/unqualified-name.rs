use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(allow_unqualified_name, name = "socialSettings")]
struct Social {
    dark: bool,
}

fn main() {}
