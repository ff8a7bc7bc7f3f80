use extensions_core::prelude::*;
use extensions_core::schema::SchemaId;

#[derive(SchemaExtension)]
#[schema(id = "contoso_courses", targets(Group))]
struct Course {
    course_id: i32,
    syllabus: Vec<u8>,
}

fn main() {
    let id = SchemaId::new("contoso_courses").unwrap();
    // A string compared with an Integer property.
    let _ = Course::filter(&id).course_id().eq("123");
    // A bool converts into an i32 (`From<bool>`), and an i16 too: neither is compared.
    let _ = Course::filter(&id).course_id().eq(true);
    let _ = Course::filter(&id).course_id().eq(3_i16);
    // Binary is not filterable.
    let _ = Course::filter(&id).syllabus().eq(vec![1u8]);
    // No such property.
    let _ = Course::filter(&id).course_name();
}
