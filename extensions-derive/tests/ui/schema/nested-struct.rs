use extensions_core::SchemaExtension;

struct Room {
    number: i32,
}

#[derive(SchemaExtension)]
#[schema(id = "contoso_courses", targets(Group))]
struct Course {
    room: Room,
}

fn main() {}
