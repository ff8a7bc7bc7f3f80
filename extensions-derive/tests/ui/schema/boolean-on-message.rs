use extensions_core::SchemaExtension;

#[derive(SchemaExtension)]
#[schema(id = "contoso_tracking", targets(User, Message))]
struct Tracking {
    flagged: bool,
    count: Option<i32>,
    note: String,
}

fn main() {}
