use extensions_core::prelude::*;
use extensions_core::schema::{PropertyType, SchemaId, TargetType};

#[derive(SchemaExtension, Debug, Clone, PartialEq)]
#[schema(id = "contoso_courses", targets(Group, User, AdministrativeUnit, Device, Organization), description = "Training courses")]
struct Course {
    course_id: i32,
    course_name: String,
    course_type: Option<String>,
    online: Option<bool>,
    syllabus: Option<Vec<u8>>,
    starts: Option<time::OffsetDateTime>,
    ends: chrono::DateTime<chrono::Utc>,
    #[schema(rename = "room_no")]
    room: Option<i32>,
}

#[derive(SchemaExtension)]
#[schema(id = "tracking", targets(Message, Event, Contact, Post), rename_all = "PascalCase")]
pub struct Tracking {
    pub note: String,
    pub seen_at: Option<chrono::DateTime<chrono::Utc>>,
    pub blob: Vec<u8>,
}

#[derive(SchemaExtension)]
#[schema(id = "contoso_empty", targets(user), crate = "extensions_core")]
struct Empty {}

fn main() {
    assert_eq!(Course::PROPERTIES.len(), 8);
    assert_eq!(Course::PROPERTIES[7], ("room_no", PropertyType::Integer));
    assert_eq!(Tracking::PROPERTIES[1], ("SeenAt", PropertyType::DateTime));
    assert_eq!(Tracking::ID.as_str(), "tracking");
    assert_eq!(Empty::TARGETS, &[TargetType::User]);
    let id = SchemaId::new("contoso_courses").unwrap();
    let f = Course::filter(&id)
        .course_type()
        .eq("Online")
        .and(Course::filter(&id).online().eq(true));
    assert_eq!(
        f.to_string(),
        "contoso_courses/courseType eq 'Online' and contoso_courses/online eq true"
    );
}
