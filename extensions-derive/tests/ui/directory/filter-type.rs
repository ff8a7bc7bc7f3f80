use extensions_core::directory::OwnerApp;
use extensions_core::prelude::*;

#[derive(DirectoryExtension)]
#[directory(targets(User))]
struct Profile {
    level: Option<i32>,
    #[directory(max_items = 3)]
    groups: Vec<String>,
    photo: Option<Vec<u8>>,
}

fn main() {
    let app = OwnerApp::new("5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb").unwrap();
    // A field compares with a value of its own type only.
    let _ = Profile::filter(&app).level().eq(true);
    let _ = Profile::filter(&app).level().eq(3i16);
    // A multi-valued field has `contains`, not `eq`.
    let _ = Profile::filter(&app).groups().eq("E4");
    // Binary values cannot be compared.
    let _ = Profile::filter(&app).photo().eq(vec![1u8]);
}
