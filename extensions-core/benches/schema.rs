//! S1 and S2: schema extension data, side by side with `#[derive(Serialize/Deserialize)]` of the
//! same data, in one run:
//!
//! - S1 write: `schema::write_body` (the body of a data write, each String checked against its
//!   256-character limit) against `#[derive(Serialize)]` + `serde_json::to_vec` of a struct that
//!   writes the same bytes (checked before timing; serde checks nothing).
//! - S2 read: `schema::read_data` of a `$select`ed group (`id`, other fields, the data with its
//!   `@odata.type`) against `#[derive(Deserialize)]` + `serde_json::from_slice` of a struct with
//!   the same fields (the same values, checked).
//!
//! `cargo bench -p extensions-core --bench schema`; `-- --test` runs each path once.

#![allow(missing_docs)] // criterion_group! generates an undocumented function

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use extensions_core::SchemaExtension;
use extensions_core::schema::{SchemaId, read_data, write_body};
use serde::{Deserialize, Serialize};

#[derive(SchemaExtension, Debug, Clone, PartialEq)]
#[schema(id = "contoso_courses", targets(Group, User))]
struct Course {
    course_id: i32,
    course_name: String,
    course_type: Option<String>,
    instructor: String,
    room: Option<String>,
    seats: i32,
    online: Option<bool>,
    notes: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct SerdeCourse {
    course_id: i32,
    course_name: String,
    course_type: Option<String>,
    instructor: String,
    room: Option<String>,
    seats: i32,
    online: Option<bool>,
    notes: Option<String>,
}

#[derive(Serialize)]
struct SerdeBody<'a> {
    contoso_courses: &'a SerdeCourse,
}

#[derive(Deserialize, Debug, PartialEq)]
struct SerdeGroup {
    #[allow(dead_code)]
    id: Option<String>,
    contoso_courses: Option<SerdeCourse>,
}

fn course() -> Course {
    Course {
        course_id: 123,
        course_name: "New Managers — leading a team, \"week one\"".into(),
        course_type: Some("Online".into()),
        instructor: "Adele Vance".into(),
        room: None,
        seats: 24,
        online: Some(true),
        notes: Some("Bring the handbook; café at 10:30, 東京 office joins remotely".into()),
    }
}

fn serde_course(c: &Course) -> SerdeCourse {
    SerdeCourse {
        course_id: c.course_id,
        course_name: c.course_name.clone(),
        course_type: c.course_type.clone(),
        instructor: c.instructor.clone(),
        room: c.room.clone(),
        seats: c.seats,
        online: c.online,
        notes: c.notes.clone(),
    }
}

/// A group as `GET /groups/{id}?$select=id,displayName,description,contoso_courses` answers it.
fn response(c: &SerdeCourse) -> Vec<u8> {
    let mut data = serde_json::to_value(c).expect("serialises");
    let obj = data.as_object_mut().expect("an object");
    obj.retain(|_, v| !v.is_null());
    let mut annotated = serde_json::Map::new();
    annotated.insert(
        "@odata.type".into(),
        "#microsoft.graph.ComplexExtensionValue".into(),
    );
    annotated.extend(obj.clone());
    serde_json::to_vec(&serde_json::json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#groups(id,displayName,description,contoso_courses)/$entity",
        "id": "dfc8016f-db97-4c47-a582-49cb8f849355",
        "displayName": "New Managers March 2017",
        "description": "New Managers training course for March 2017",
        "contoso_courses": annotated,
    }))
    .expect("serialises")
}

fn schema(c: &mut Criterion) {
    let id = SchemaId::new("contoso_courses").expect("valid");
    let ours = course();
    let theirs = serde_course(&ours);
    let serde_write = |s: &SerdeCourse| serde_json::to_vec(&SerdeBody { contoso_courses: s });
    // Same bytes, same values, before anything is timed.
    assert_eq!(
        write_body(&id, &ours).expect("fits"),
        serde_write(&theirs).expect("serialises")
    );
    let body = response(&theirs);
    assert_eq!(
        read_data::<Course>(&body, &id).expect("reads"),
        Some(ours.clone())
    );
    assert_eq!(
        serde_json::from_slice::<SerdeGroup>(&body)
            .expect("reads")
            .contoso_courses,
        Some(theirs.clone())
    );
    println!(
        "body sent {} bytes, response {} bytes",
        write_body(&id, &ours).expect("fits").len(),
        body.len()
    );

    let mut g = c.benchmark_group("S1 schema write");
    g.bench_function("ours", |b| {
        b.iter(|| write_body(black_box(&id), black_box(&ours)))
    });
    g.bench_function("serde derive + to_vec", |b| {
        b.iter(|| serde_write(black_box(&theirs)))
    });
    g.finish();

    let mut g = c.benchmark_group("S2 schema read");
    g.bench_function("ours", |b| {
        b.iter(|| read_data::<Course>(black_box(&body), black_box(&id)))
    });
    g.bench_function("serde derive + from_slice", |b| {
        b.iter(|| serde_json::from_slice::<SerdeGroup>(black_box(&body)))
    });
    g.finish();
}

criterion_group!(benches, schema);
criterion_main!(benches);
