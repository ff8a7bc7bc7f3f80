use extensions_core::DirectoryExtension;

#[derive(DirectoryExtension)]
#[directory(targets(User, Message, TodoTask, Printer, User))]
struct Profile {
    skype_id: Option<String>,
}

#[derive(DirectoryExtension)]
struct NoTargets {
    skype_id: Option<String>,
}

#[derive(DirectoryExtension)]
#[directory(targets())]
struct EmptyTargets {
    skype_id: Option<String>,
}

fn main() {}
