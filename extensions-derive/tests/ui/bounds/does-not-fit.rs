use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Profile", fits)]
struct Profile {
    #[extension(max_len = 200)]
    bio: String,
    #[extension(max_items = 20, max_len = 10)]
    skills: Vec<String>,
    #[extension(max_len = 40)]
    title: Option<String>,
    age: u8,
}

fn main() {}
