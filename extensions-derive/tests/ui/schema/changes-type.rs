use extensions_core::prelude::*;

#[derive(SchemaExtension)]
#[schema(id = "contoso_courses", targets(Group))]
struct Course {
    course_id: i32,
    course_type: Option<String>,
}

fn main() {
    // A partial update's setter takes the field's own type: no bool for an i32.
    let _ = Course::changes().course_id(true);
    // An Option field takes an Option (None clears it).
    let _ = Course::changes().course_type(String::from("Online"));
    // No such property.
    let _ = Course::changes().course_name(String::new());
}
