//! Schema extensions end to end: the typed calls over HTTP against the emulator, from
//! registration to deletion, with what each refusal sends (nothing, when the library can see
//! it first).

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use extensions_client::{GraphClient, RetryPolicy, StaticToken};
use extensions_core::prelude::*;
use extensions_core::schema::op::{DefinitionQuery, FindIn};
use extensions_core::schema::{Owner, SchemaIdForm, Status};
use extensions_emulator::{App, Emulator, EmulatorConfig, Seed, Throttle};
use futures_util::StreamExt;

const TOKEN: &str = "schema-token";

#[derive(SchemaExtension, Debug, Clone, PartialEq)]
#[schema(
    id = "contoso_courses",
    targets(Group, User),
    description = "Training courses"
)]
struct Course {
    course_id: i32,
    course_name: String,
    course_type: Option<String>,
}

/// The next version of the same definition: one property more.
#[derive(SchemaExtension, Debug, Clone, PartialEq)]
#[schema(
    id = "contoso_courses",
    targets(Group, User),
    description = "Training courses"
)]
struct CourseV2 {
    course_id: i32,
    course_name: String,
    course_type: Option<String>,
    level: Option<String>,
}

/// A bare name: Graph picks the id.
#[derive(SchemaExtension, Debug, Clone, PartialEq)]
#[schema(id = "badges", targets(User))]
struct Badges {
    badge: String,
    earned: Option<bool>,
}

async fn emulator(groups: usize) -> Emulator {
    let mut seed = Seed::new().users(3);
    for g in 0..groups {
        seed = seed.group(&format!("g{g}"));
    }
    Emulator::start(EmulatorConfig {
        apps: vec![App {
            token: TOKEN.into(),
            app_id: "schema-app".into(),
            me: None,
        }],
        seed,
        throttle: Throttle {
            requests: u32::MAX,
            window: Duration::from_secs(1),
        },
        default_page_size: 5,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap()
}

fn client(emu: &Emulator) -> GraphClient {
    GraphClient::builder()
        .base_url(emu.url())
        .token_provider(StaticToken::new(TOKEN))
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(20),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

fn course(n: i32) -> Course {
    Course {
        course_id: n,
        course_name: format!("Course {n}"),
        course_type: (n % 2 == 0).then(|| "Online".to_owned()),
    }
}

#[tokio::test]
async fn register_write_read_find_clear_delete() {
    let emu = emulator(12).await;
    let c = client(&emu);
    let def = Course::register(&c, Owner::Caller).await.unwrap();
    assert_eq!(def.id.as_str(), "contoso_courses");
    assert_eq!(def.status, Some(Status::InDevelopment));
    assert_eq!(def.owner.as_deref(), Some("schema-app"));
    let def = Course::set_status(&c, &def, Status::Available)
        .await
        .unwrap();
    assert_eq!(def.status, Some(Status::Available));

    for g in 0..12 {
        course(g % 4)
            .write(&c, &def.id, &Resource::group(format!("g{g}")))
            .await
            .unwrap();
    }
    let g1 = Resource::group("g1");
    assert_eq!(
        Course::read(&c, &def.id, &g1).await.unwrap(),
        Some(course(1))
    );
    // A write sends every declared property: `None` clears what was stored.
    course(2).write(&c, &def.id, &g1).await.unwrap();
    let none = Course {
        course_type: None,
        ..course(2)
    };
    none.write(&c, &def.id, &g1).await.unwrap();
    assert_eq!(Course::read(&c, &def.id, &g1).await.unwrap(), Some(none));

    // A partial update sends only what it names, in one PATCH and no read: the rest stays.
    let g3 = Resource::group("g3");
    emu.clear_requests();
    Course::update(
        &c,
        &def.id,
        &g3,
        Course::changes().course_name("Renamed".into()),
    )
    .await
    .unwrap();
    let sent = emu.requests();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].method, "PATCH");
    assert_eq!(
        Course::read(&c, &def.id, &g3).await.unwrap(),
        Some(Course {
            course_name: "Renamed".into(),
            ..course(3)
        })
    );
    // `None` clears one property; a value over its limit is refused before sending.
    Course::update(&c, &def.id, &g3, Course::changes().course_type(None))
        .await
        .unwrap();
    assert_eq!(
        Course::read(&c, &def.id, &g3)
            .await
            .unwrap()
            .unwrap()
            .course_type,
        None
    );
    emu.clear_requests();
    let e = Course::update(
        &c,
        &def.id,
        &g3,
        Course::changes().course_name("x".repeat(257)),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(e, Error::SchemaValueTooLong { len: 257, .. }),
        "{e}"
    );
    assert!(emu.requests().is_empty());
    course(3).write(&c, &def.id, &g3).await.unwrap();

    // Found on the server, over pages of 5: groups 2, 6 and 10 (and now g1).
    let found: Vec<_> = c
        .find(FindIn::Groups, &Course::filter(&def.id).course_id().eq(2))
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let ids: Vec<_> = found.iter().map(|f| f.id.clone().unwrap()).collect();
    assert_eq!(ids, ["g1", "g2", "g6", "g10"]);
    assert!(
        found
            .iter()
            .all(|f| f.data.as_ref().unwrap().course_id == 2)
    );
    let online = c
        .find(
            FindIn::Groups,
            &Course::filter(&def.id)
                .course_id()
                .eq(2)
                .and(Course::filter(&def.id).course_type().eq("Online")),
        )
        .count()
        .await;
    assert_eq!(online, 3);

    // A newer struct adds its property, additively; the older struct still reads the data.
    let def = CourseV2::add_missing_properties(&c, &def).await.unwrap();
    assert_eq!(def.properties.len(), 4);
    let v2 = CourseV2 {
        course_id: 9,
        course_name: "Nine".into(),
        course_type: None,
        level: Some("2".into()),
    };
    v2.write(&c, &def.id, &g1).await.unwrap();
    assert_eq!(
        Course::read(&c, &def.id, &g1)
            .await
            .unwrap()
            .unwrap()
            .course_id,
        9
    );
    assert_eq!(CourseV2::read(&c, &def.id, &g1).await.unwrap(), Some(v2));

    // Clear: the data is gone; a group never written reads as none.
    Course::clear(&c, &def.id, &g1).await.unwrap();
    assert_eq!(Course::read(&c, &def.id, &g1).await.unwrap(), None);

    // An Available definition is not deleted: refused before sending.
    emu.clear_requests();
    let e = Course::delete_definition(&c, &def).await.unwrap_err();
    assert!(matches!(e, Error::SchemaLifecycle { .. }), "{e}");
    assert!(emu.requests().is_empty());
}

#[tokio::test]
async fn a_bare_name_is_resolved_and_deleted() {
    let emu = emulator(0).await;
    let c = client(&emu);
    let def = Badges::register(&c, Owner::Caller).await.unwrap();
    assert_eq!(def.id.form(), SchemaIdForm::Prefixed);
    assert!(def.id.as_str().starts_with("ext") && def.id.as_str().ends_with("_badges"));
    let found = Badges::find_definition(&c, &Owner::App("schema-app".into()))
        .await
        .unwrap();
    assert_eq!(found.as_ref().map(|d| &d.id), Some(&def.id));
    let user = Resource::user("u1");
    let b = Badges {
        badge: "gold".into(),
        earned: Some(true),
    };
    b.write(&c, &def.id, &user).await.unwrap();
    assert_eq!(
        Badges::read(&c, &def.id, &user).await.unwrap(),
        Some(b.clone())
    );
    // The declared bare name is not the registered id: every data call and the filter refuse
    // it before sending, with the hint; a bare name looked up for `Owner::Caller` too.
    emu.clear_requests();
    let bare = &Badges::ID;
    let refused = |e: Error| {
        assert!(
            matches!(&e, Error::SchemaIdInvalid { id, reason } if id == "badges" && reason.contains("register")),
            "{e}"
        );
    };
    refused(b.write(&c, bare, &user).await.unwrap_err());
    refused(Badges::read(&c, bare, &user).await.unwrap_err());
    refused(Badges::clear(&c, bare, &user).await.unwrap_err());
    let by_bare = Badges::filter(bare).badge().eq("gold");
    refused(by_bare.expression().unwrap_err());
    let mut found = c.find(FindIn::Users, &by_bare);
    refused(found.next().await.unwrap().unwrap_err());
    refused(
        Badges::find_definition(&c, &Owner::Caller)
            .await
            .unwrap_err(),
    );
    assert!(emu.requests().is_empty(), "{:?}", emu.requests());

    assert!(Badges::delete_definition(&c, &def).await.unwrap());
    assert_eq!(
        Badges::find_definition(&c, &Owner::App("schema-app".into()))
            .await
            .unwrap(),
        None
    );
}

/// `definitions` streams what `ListDefinitions` pages: by owner, by status, by id.
#[tokio::test]
async fn definitions_stream_by_owner_status_and_id() {
    let emu = emulator(0).await;
    let c = client(&emu);
    let courses = Course::register(&c, Owner::Caller).await.unwrap();
    let badges = Badges::register(&c, Owner::Caller).await.unwrap();
    Course::set_status(&c, &courses, Status::Available)
        .await
        .unwrap();
    let ids = |q: DefinitionQuery| {
        let c = &c;
        async move {
            let mut ids: Vec<String> = c
                .definitions(&q)
                .map(|d| d.unwrap().id.to_string())
                .collect()
                .await;
            ids.sort();
            ids
        }
    };
    let mut both = vec![courses.id.to_string(), badges.id.to_string()];
    both.sort();
    assert_eq!(ids(DefinitionQuery::Owner("schema-app".into())).await, both);
    assert_eq!(
        ids(DefinitionQuery::Status(Status::Available)).await,
        [courses.id.to_string()]
    );
    assert_eq!(
        ids(DefinitionQuery::Status(Status::InDevelopment)).await,
        [badges.id.to_string()]
    );
    assert_eq!(
        ids(DefinitionQuery::Id(badges.id.clone())).await,
        [badges.id.to_string()]
    );
    assert!(
        ids(DefinitionQuery::Owner("nobody".into()))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn refusals_send_nothing_or_carry_graphs_answer() {
    let emu = emulator(1).await;
    let c = client(&emu);
    let def = Course::register(&c, Owner::Caller).await.unwrap();
    emu.clear_requests();
    let g0 = Resource::group("g0");
    // Too long, wrong target, a lifecycle step that does not exist: nothing sent.
    let long = Course {
        course_name: "x".repeat(257),
        ..course(1)
    };
    let e = long.write(&c, &def.id, &g0).await.unwrap_err();
    assert!(
        matches!(e, Error::SchemaValueTooLong { len: 257, .. }),
        "{e}"
    );
    let e = course(1)
        .write(&c, &def.id, &Resource::device("d1"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::SchemaTargetNotListed { .. }), "{e}");
    let e = Course::set_status(&c, &def, Status::Deprecated)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::SchemaLifecycle { .. }), "{e}");
    let long_filter = Course::filter(&def.id).course_name().eq("y".repeat(300));
    let first = c.find(FindIn::Groups, &long_filter).next().await.unwrap();
    assert!(matches!(first, Err(Error::SchemaValueTooLong { .. })));
    assert!(emu.requests().is_empty(), "{:?}", emu.requests());
    // The same id again: Graph's 400, typed as "already exists".
    let e = Course::register(&c, Owner::Caller).await.unwrap_err();
    assert_eq!(
        e.graph_error().unwrap().kind,
        extensions_core::GraphErrorKind::AlreadyExists
    );
    // A definition whose id the tenant does not own.
    let foreign = extensions_core::schema::Definition::new(
        "fabrikam_x",
        [extensions_core::schema::TargetType::User],
    )
    .unwrap();
    let e = c
        .execute(&extensions_core::schema::op::CreateDefinition::new(
            &foreign,
            Owner::Caller,
        ))
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(
        e.graph_error().unwrap().kind,
        extensions_core::GraphErrorKind::BadRequest
    );
}

/// Writing many: the data operations go through `$batch` like any other, with progress events,
/// and a value refused before sending is that item's error while the others land.
#[tokio::test]
async fn bulk_writes_with_progress() {
    use extensions_client::BulkEvent;
    use extensions_core::schema::op::WriteData;

    let emu = emulator(45).await;
    let c = client(&emu);
    let def = Course::register(&c, Owner::Caller).await.unwrap();
    let groups: Vec<_> = (0..45).map(|g| Resource::group(format!("g{g}"))).collect();
    let mut data: Vec<Course> = (0..45).map(|g| course(g % 3)).collect();
    data[7].course_name = "z".repeat(257);
    let ops: Vec<WriteData> = groups
        .iter()
        .zip(&data)
        .map(|(g, d)| WriteData::new(&def.id, g, d))
        .collect();
    emu.clear_requests();
    let mut done = Vec::new();
    let mut events = std::pin::pin!(c.bulk_stream(&ops));
    while let Some(event) = events.next().await {
        if let BulkEvent::Done { index, result } = event {
            done.push((index, result));
        }
    }
    assert_eq!(done.len(), 45);
    for (index, result) in &done {
        match index {
            7 => assert!(
                matches!(result, Err(Error::SchemaValueTooLong { .. })),
                "{result:?}"
            ),
            _ => assert!(result.is_ok(), "{index}: {result:?}"),
        }
    }
    // 44 writes in envelopes of 20: three `$batch` requests.
    let batches = emu
        .requests()
        .iter()
        .filter(|r| r.target.ends_with("/$batch"))
        .count();
    assert_eq!(batches, 3);
    let ones = c
        .find(FindIn::Groups, &Course::filter(&def.id).course_id().eq(1))
        .count()
        .await;
    // Groups 1, 4, 7, …, 43 hold course 1, but group 7's write was refused: 14.
    assert_eq!(ones, 14);
    assert_eq!(
        Course::read(&c, &def.id, &Resource::group("g7"))
            .await
            .unwrap(),
        None
    );
}
