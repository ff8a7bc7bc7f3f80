use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "socialSettings")]
struct Social {
    theme: String,
}

fn main() {}
