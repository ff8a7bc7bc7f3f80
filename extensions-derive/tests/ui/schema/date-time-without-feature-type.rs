use extensions_core::SchemaExtension;

#[derive(SchemaExtension)]
#[schema(id = "contoso_courses", targets(Group))]
struct Course {
    starts: chrono::DateTime<chrono::FixedOffset>,
    title: Option<Option<String>>,
    code: &'static str,
}

fn main() {}
