use extensions_core::DirectoryExtension;

#[derive(DirectoryExtension)]
#[directory(targets(User))]
struct Profile {
    count: u64,
    score: f64,
    nested: Inner,
    map: std::collections::HashMap<String, String>,
    maybe_list: Option<Vec<String>>,
    small: i16,
}

struct Inner;

fn main() {}
