use extensions_core::{OpenExtension, Properties};

// `fits` needs every property bounded: a String needs `max_len`.
#[derive(OpenExtension)]
#[extension(name = "com.contoso.Settings", fits)]
struct Settings {
    theme: String,
    font_size: u16,
}

// Without `fits`, MAX_SIZE still refuses to be read for an unbounded struct.
#[derive(OpenExtension)]
#[extension(name = "com.contoso.Keeps")]
struct Keeps {
    #[extension(max_len = 3)]
    code: String,
    #[extension(other)]
    rest: Properties,
}

const _: usize = Keeps::MAX_SIZE;

fn main() {}
