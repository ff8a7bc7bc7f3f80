use extensions_core::SchemaExtension;

#[derive(SchemaExtension)]
#[schema(id = "contoso_courses", targets(Group, TodoTask, Application, Group))]
struct Course {
    x: String,
}

#[derive(SchemaExtension)]
#[schema(id = "contoso_other")]
struct Other {
    x: String,
}

fn main() {}
