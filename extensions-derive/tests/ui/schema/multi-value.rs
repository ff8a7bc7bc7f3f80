use extensions_core::SchemaExtension;

#[derive(SchemaExtension)]
#[schema(id = "contoso_courses", targets(Group))]
struct Course {
    tags: Vec<String>,
    meta: std::collections::HashMap<String, String>,
}

fn main() {}
