use extensions_core::SchemaExtension;

#[derive(SchemaExtension)]
#[schema(id = "contoso_courses", target(Group), descripton = "x")]
struct Course {
    #[schema(renam = "x")]
    course_id: i32,
}

fn main() {}
