//! B10: directory extension values, side by side with `#[derive(Serialize/Deserialize)]` of the
//! same data, in one run:
//!
//! - write: `directory::write_body` (the body of `WriteValues`: full names built from the owner
//!   app at run time, each value checked against its limit, the 100-values count) against
//!   `#[derive(Serialize)]` + `serde_json::to_vec` of a struct whose fields are renamed to the
//!   same full names at compile time (the same bytes, checked before timing; serde checks
//!   nothing);
//! - read: `directory::read_body` of a `$select`ed user against `#[derive(Deserialize)]` +
//!   `serde_json::from_slice` of a struct with the same fields (the same values, checked).
//!
//! `cargo bench -p extensions-core --bench directory`; `-- --test` runs each path once.

#![allow(missing_docs)] // criterion_group! generates an undocumented function

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use extensions_core::DirectoryExtension;
use extensions_core::directory::{AppId, read_body, write_body};
use serde::{Deserialize, Serialize};

#[derive(DirectoryExtension, Debug, Clone, PartialEq)]
#[directory(targets(User))]
struct TeamProfile {
    linked_in_profile: Option<String>,
    skype_id: Option<String>,
    xbox_gamertag: Option<String>,
    #[directory(max_items = 10)]
    job_groups: Vec<String>,
    employee_number: Option<i64>,
    level: i32,
    permanent: Option<bool>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct SerdeProfile {
    #[serde(rename = "extension_5bfc8fdacfc943a9a6de214ea9d15fdb_linkedInProfile")]
    linked_in_profile: Option<String>,
    #[serde(rename = "extension_5bfc8fdacfc943a9a6de214ea9d15fdb_skypeId")]
    skype_id: Option<String>,
    #[serde(rename = "extension_5bfc8fdacfc943a9a6de214ea9d15fdb_xboxGamertag")]
    xbox_gamertag: Option<String>,
    #[serde(
        rename = "extension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroups",
        default
    )]
    job_groups: Vec<String>,
    #[serde(rename = "extension_5bfc8fdacfc943a9a6de214ea9d15fdb_employeeNumber")]
    employee_number: Option<i64>,
    #[serde(rename = "extension_5bfc8fdacfc943a9a6de214ea9d15fdb_level")]
    level: i32,
    #[serde(rename = "extension_5bfc8fdacfc943a9a6de214ea9d15fdb_permanent")]
    permanent: Option<bool>,
}

fn profile() -> TeamProfile {
    TeamProfile {
        linked_in_profile: Some("https://www.linkedin.com/in/adele-vance".into()),
        skype_id: Some("live:adele.vance — \"café\" 東京".into()),
        xbox_gamertag: None,
        job_groups: vec!["E4".into(), "Managers".into(), "Seattle".into()],
        employee_number: Some(1_000_000_000_042),
        level: 7,
        permanent: Some(true),
    }
}

fn serde_profile(p: &TeamProfile) -> SerdeProfile {
    SerdeProfile {
        linked_in_profile: p.linked_in_profile.clone(),
        skype_id: p.skype_id.clone(),
        xbox_gamertag: p.xbox_gamertag.clone(),
        job_groups: p.job_groups.clone(),
        employee_number: p.employee_number,
        level: p.level,
        permanent: p.permanent,
    }
}

/// A user as `GET /users/{id}?$select=id,displayName,extension_…` answers it (unset values
/// absent).
fn response(p: &SerdeProfile) -> Vec<u8> {
    let mut v = serde_json::to_value(p).expect("serialises");
    let obj = v.as_object_mut().expect("an object");
    obj.retain(|_, v| !v.is_null());
    let mut answer = serde_json::Map::new();
    answer.insert(
        "@odata.context".into(),
        "https://graph.microsoft.com/v1.0/$metadata#users(id,displayName)/$entity".into(),
    );
    answer.insert("id".into(), "87d349ed-44d7-43e1-9a83-5f2406dee5bd".into());
    answer.insert("displayName".into(), "Adele Vance".into());
    answer.extend(obj.clone());
    serde_json::to_vec(&answer).expect("serialises")
}

fn directory(c: &mut Criterion) {
    let app = AppId::new("5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb").expect("valid");
    let ours = profile();
    let theirs = serde_profile(&ours);
    // Same bytes, same values, before anything is timed.
    assert_eq!(
        write_body(&app, &ours).expect("fits"),
        serde_json::to_vec(&theirs).expect("serialises")
    );
    let body = response(&theirs);
    assert_eq!(read_body::<TeamProfile>(&app, &body).expect("reads"), ours);
    assert_eq!(
        serde_json::from_slice::<SerdeProfile>(&body).expect("reads"),
        theirs
    );
    println!(
        "body sent {} bytes, response {} bytes",
        write_body(&app, &ours).expect("fits").len(),
        body.len()
    );

    let mut g = c.benchmark_group("B10 directory write");
    g.bench_function("ours", |b| {
        b.iter(|| write_body(black_box(&app), black_box(&ours)))
    });
    g.bench_function("serde derive + to_vec", |b| {
        b.iter(|| serde_json::to_vec(black_box(&theirs)))
    });
    g.finish();

    let mut g = c.benchmark_group("B10 directory read");
    g.bench_function("ours", |b| {
        b.iter(|| read_body::<TeamProfile>(black_box(&app), black_box(&body)))
    });
    g.bench_function("serde derive + from_slice", |b| {
        b.iter(|| serde_json::from_slice::<SerdeProfile>(black_box(&body)))
    });
    g.finish();
}

criterion_group!(benches, directory);
criterion_main!(benches);
