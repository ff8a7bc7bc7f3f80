use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Wrong")]
struct Wrong {
    #[extension(max_len = 5)]
    flag: bool,
    #[extension(max_items = 3)]
    name: String,
    #[extension(max_len = 4)]
    numbers: Vec<i32>,
}

fn main() {}
