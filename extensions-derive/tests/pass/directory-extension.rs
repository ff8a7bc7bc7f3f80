use extensions_core::directory::{DataType, DirectoryExtension as _, OwnerApp, TargetObject};
use extensions_core::prelude::*;

#[derive(DirectoryExtension, Debug, Clone, PartialEq)]
#[directory(targets(User, Group, AdministrativeUnit, Application, Device, Organization))]
struct TeamProfile {
    #[directory(max_len = 64)]
    linked_in_profile: Option<String>,
    skype_id: String,
    #[directory(max_items = 10, max_len = 16)]
    job_groups: Vec<String>,
    employee_number: Option<i64>,
    level: i32,
    permanent: Option<bool>,
    photo: Option<Vec<u8>>,
    #[directory(max_items = 2)]
    keys: Vec<Vec<u8>>,
    hired: Option<time::OffsetDateTime>,
    #[directory(max_items = 3)]
    reviews: Vec<chrono::DateTime<chrono::Utc>>,
    #[directory(rename = "permanent_pensionable")]
    pensionable: bool,
}

// 100 values exactly: allowed.
#[derive(DirectoryExtension)]
#[directory(targets(user), rename_all = "snake_case", crate = "extensions_core")]
pub struct Full {
    #[directory(max_items = 99)]
    pub tags: Vec<String>,
    pub one_more: Option<String>,
}

fn main() {
    assert_eq!(TeamProfile::TARGETS.len(), 6);
    let p = &TeamProfile::PROPERTIES[2];
    assert_eq!((p.name, p.data_type, p.multi_valued, p.max_values), ("jobGroups", DataType::String, true, 10));
    assert_eq!(TeamProfile::PROPERTIES[6].data_type, DataType::Binary);
    assert!(!TeamProfile::PROPERTIES[6].multi_valued);
    assert_eq!(TeamProfile::PROPERTIES[10].name, "permanent_pensionable");
    assert_eq!(Full::PROPERTIES[1].name, "one_more");
    assert_eq!(Full::TARGETS, &[TargetObject::User]);
    let app = OwnerApp::new("5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb").unwrap();
    let f = TeamProfile::filter(&app).skype_id().eq("live:adele")
        .and(TeamProfile::filter(&app).job_groups().contains("E4"))
        .and(TeamProfile::filter(&app).level().ne(3))
        .and(TeamProfile::filter(&app).hired().is_set());
    assert!(f.is_advanced());
    let _ = TeamProfile::definitions();
}
