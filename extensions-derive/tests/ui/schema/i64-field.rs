use extensions_core::SchemaExtension;

#[derive(SchemaExtension)]
#[schema(id = "contoso_courses", targets(Group))]
struct Course {
    course_id: i64,
}

fn main() {}
