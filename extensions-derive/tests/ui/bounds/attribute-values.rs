use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Values")]
struct Values {
    #[extension(max_len = "32")]
    a: String,
    #[extension(max_len = -1)]
    b: String,
    #[extension(max_items)]
    c: Vec<String>,
    #[extension(max_len = 3, max_len = 4)]
    d: String,
    #[extension(skip, max_len = 3)]
    e: String,
    #[extension(as_string, max_len = 3)]
    f: u64,
    #[extension(max_length = 3)]
    g: String,
    #[extension(fits)]
    h: String,
}

fn main() {}
