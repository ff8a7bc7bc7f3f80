use extensions_core::DirectoryExtension;

#[derive(DirectoryExtension)]
#[directory(targets(User))]
struct Profile {
    #[directory(rename = "job group")]
    job_group: Option<String>,
    #[directory(rename = "1st")]
    first: Option<String>,
    #[directory(rename = "skypeid")]
    skype: Option<String>,
    skype_id: Option<String>,
    #[directory(rename = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    long: Option<String>,
}

fn main() {}
