use extensions_core::DirectoryExtension;

#[derive(DirectoryExtension)]
#[directory(targets(User))]
struct Unbounded {
    tags: Vec<String>,
}

#[derive(DirectoryExtension)]
#[directory(targets(User))]
struct TooMany {
    #[directory(max_items = 60)]
    tags: Vec<String>,
    #[directory(max_items = 40)]
    more: Vec<i32>,
    one: Option<String>,
}

#[derive(DirectoryExtension)]
#[directory(targets(User))]
struct Misplaced {
    #[directory(max_len = 10)]
    level: i32,
    #[directory(max_items = 3)]
    single: Option<String>,
    #[directory(max_len = 300)]
    long: Option<String>,
    #[directory(max_lenn = 3, targets(User))]
    typo: Option<String>,
}

fn main() {}
