use extensions_core::SchemaExtension;

#[derive(SchemaExtension)]
#[schema(id = "contoso_courses", targets(Group))]
struct Course {
    course_id: i32,
    #[schema(rename = "CourseId")]
    other_id: i32,
    #[schema(rename = "@odata.type")]
    kind: String,
    #[schema(rename = "course-name")]
    name: String,
}

fn main() {}
