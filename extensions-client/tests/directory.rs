//! Directory extensions and extension attributes end to end: the derives' typed calls over HTTP
//! against the emulator, and what each refusal sends (nothing, when the library can see it
//! first).

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use extensions_client::{GraphClient, RetryPolicy, StaticToken};
use extensions_core::attributes::AttributeCondition;
use extensions_core::directory::OwnerApp;
use extensions_core::directory::op::FindIn;
use extensions_core::prelude::*;
use extensions_emulator::{App, Emulator, EmulatorConfig, Seed, Throttle};
use futures_util::StreamExt;

const TOKEN: &str = "directory-token";
const APP_ID: &str = "5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb";

#[derive(DirectoryExtension, Debug, Clone, PartialEq, Default)]
#[directory(targets(User))]
struct TeamProfile {
    linked_in_profile: Option<String>,
    #[directory(max_len = 32)]
    xbox_gamertag: Option<String>,
    #[directory(max_items = 10)]
    job_groups: Vec<String>,
    employee_number: Option<i64>,
    hired: Option<time::OffsetDateTime>,
}

/// The same name as `TeamProfile::employee_number`, declared with another type.
#[derive(DirectoryExtension, Debug)]
#[directory(targets(User))]
struct Retyped {
    badge: Option<String>,
    employee_number: Option<String>,
}

#[derive(ExtensionAttributes, Debug, Clone, PartialEq, Default)]
struct HrCodes {
    #[attribute(13)]
    cost_centre: Option<String>,
    #[attribute(15)]
    badge: Option<String>,
}

async fn emulator() -> Emulator {
    let seed =
        Seed::new()
            .users(12)
            .device("d1")
            .application("app-object-1", APP_ID, "Team bonding");
    Emulator::start(EmulatorConfig {
        apps: vec![App {
            token: TOKEN.into(),
            app_id: APP_ID.into(),
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

fn user(n: usize) -> Resource {
    Resource::user(format!("u{n}")).into()
}

#[tokio::test]
async fn register_write_read_find_clear() {
    let emu = emulator().await;
    let c = client(&emu);
    let app = OwnerApp::new(APP_ID).unwrap();
    let defs = TeamProfile::register(&c, &app).await.unwrap();
    assert_eq!(defs.len(), 5);
    assert_eq!(
        defs[2].name,
        "extension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroups"
    );
    assert!(defs[2].is_multi_valued);
    // Again: found, nothing created.
    emu.clear_requests();
    let again = TeamProfile::register(&c, &app).await.unwrap();
    assert_eq!(again, defs);
    assert!(emu.requests().iter().all(|r| r.method == "GET"));

    // A definition registered with another type is refused before anything is created.
    emu.clear_requests();
    let e = Retyped::register(&c, &app).await.unwrap_err();
    assert!(
        matches!(&e, Error::DirectoryDefinitionMismatch { reason, .. } if reason.contains("LargeInteger on Graph and String here")),
        "{e}"
    );
    assert!(
        emu.requests().iter().all(|r| r.method == "GET"),
        "nothing created"
    );

    let hired = time::macros::datetime!(2024-03-01 10:00 +02:00);
    for n in 0..12 {
        TeamProfile {
            xbox_gamertag: (n % 3 == 0).then(|| format!("gamer{n}")),
            job_groups: vec![format!("E{}", n % 4)],
            employee_number: Some(1_000_000_000_000 + n as i64),
            hired: Some(hired),
            ..TeamProfile::default()
        }
        .write(&c, &app, &user(n))
        .await
        .unwrap();
    }
    let read = TeamProfile::read(&c, &app, &user(3)).await.unwrap();
    assert_eq!(read.xbox_gamertag.as_deref(), Some("gamer3"));
    assert_eq!(read.employee_number, Some(1_000_000_000_003));
    assert_eq!(read.hired, Some(hired));
    assert_eq!(read.hired.unwrap().offset(), time::UtcOffset::UTC);

    // A plain filter, over pages of 5.
    let found: Vec<_> = c
        .find_directory(
            FindIn::Users,
            &app,
            &TeamProfile::filter(&app)
                .employee_number()
                .eq(1_000_000_000_006),
        )
        .collect::<Vec<_>>()
        .await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].as_ref().unwrap().id.as_deref(), Some("u6"));
    // Advanced: set tests and `contains`, on every page.
    let gamers: Vec<String> = c
        .find_directory(
            FindIn::Users,
            &app,
            &TeamProfile::filter(&app).xbox_gamertag().is_set(),
        )
        .map(|r| r.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(gamers, ["u0", "u3", "u6", "u9"]);
    let e2: Vec<_> = c
        .find_directory(
            FindIn::Users,
            &app,
            &TeamProfile::filter(&app).job_groups().contains("E2"),
        )
        .collect::<Vec<_>>()
        .await;
    assert_eq!(e2.len(), 3);

    // Clear: every field null.
    TeamProfile::clear(&c, &app, &user(3)).await.unwrap();
    assert_eq!(
        TeamProfile::read(&c, &app, &user(3)).await.unwrap(),
        TeamProfile::default()
    );
}

#[tokio::test]
async fn refusals_send_nothing() {
    let emu = emulator().await;
    let c = client(&emu);
    let app = OwnerApp::new(APP_ID).unwrap();
    TeamProfile::register(&c, &app).await.unwrap();
    emu.clear_requests();
    let long = TeamProfile {
        xbox_gamertag: Some("x".repeat(33)),
        ..TeamProfile::default()
    };
    assert!(matches!(
        long.write(&c, &app, &user(1)).await,
        Err(Error::ValueTooLong { max: 32, .. })
    ));
    let many = TeamProfile {
        job_groups: vec!["x".into(); 11],
        ..TeamProfile::default()
    };
    assert!(matches!(
        many.write(&c, &app, &user(1)).await,
        Err(Error::TooManyItems { max: 10, .. })
    ));
    let too_long = TeamProfile {
        linked_in_profile: Some("é".repeat(257)),
        ..TeamProfile::default()
    };
    assert!(matches!(
        too_long.write(&c, &app, &user(1)).await,
        Err(Error::DirectoryValueInvalid { .. })
    ));
    assert!(matches!(
        TeamProfile::default()
            .write(&c, &app, &Resource::group("g1"))
            .await,
        Err(Error::DirectoryTargetNotListed { .. })
    ));
    assert!(emu.requests().is_empty(), "{:?}", emu.requests());
}

#[tokio::test]
async fn extension_attributes() {
    let emu = emulator().await;
    let c = client(&emu);
    HrCodes {
        cost_centre: Some("CC-4410".into()),
        badge: Some("B-7".into()),
    }
    .write(&c, &user(1))
    .await
    .unwrap();
    // A write names only the struct's attributes; `None` removes one.
    HrCodes {
        cost_centre: Some("CC-4410".into()),
        badge: None,
    }
    .write(&c, &user(1))
    .await
    .unwrap();
    let read = HrCodes::read(&c, &user(1)).await.unwrap();
    assert_eq!(read.cost_centre.as_deref(), Some("CC-4410"));
    assert_eq!(read.badge, None);
    HrCodes {
        cost_centre: Some("kiosk".into()),
        badge: None,
    }
    .write(&c, &Resource::device("d1"))
    .await
    .unwrap();
    let found: Vec<_> = c
        .find_attributes(
            FindIn::Users,
            &AttributeCondition::eq(13, "CC-4410").unwrap(),
        )
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0.as_deref(), Some("u1"));
    let unset: Vec<_> = c
        .find_attributes(FindIn::Users, &AttributeCondition::is_unset(13).unwrap())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(unset.len(), 11);
    emu.clear_requests();
    let e = HrCodes {
        cost_centre: Some("x".repeat(1025)),
        badge: None,
    }
    .write(&c, &user(1))
    .await
    .unwrap_err();
    assert!(
        matches!(e, Error::AttributeInvalid { number: 13, .. }),
        "{e}"
    );
    assert!(emu.requests().is_empty());
}

/// Values and attributes on many users through `$batch`: every item's typed result, and what
/// Graph stored.
#[tokio::test]
async fn bulk_writes_through_batch() {
    let emu = emulator().await;
    let c = client(&emu);
    let app = OwnerApp::new(APP_ID).unwrap();
    TeamProfile::register(&c, &app).await.unwrap();
    emu.clear_requests();
    let writes: Vec<_> = (0..12)
        .map(|n| {
            extensions_core::directory::op::WriteValues::new(
                &app,
                user(n),
                &TeamProfile {
                    employee_number: Some(n as i64),
                    ..TeamProfile::default()
                },
            )
        })
        .collect();
    let results = c.bulk(&writes).await;
    assert_eq!(results.len(), 12);
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    // 12 items in envelopes of at most 20: one $batch request.
    assert_eq!(emu.requests().len(), 1, "{:?}", emu.requests());
    for n in [0, 11] {
        let read = TeamProfile::read(&c, &app, &user(n)).await.unwrap();
        assert_eq!(read.employee_number, Some(n as i64));
    }
    let mut attrs = extensions_core::attributes::Attributes::new();
    attrs.set(13, Some("CC")).unwrap();
    let writes: Vec<_> = (0..3)
        .map(|n| extensions_core::attributes::WriteAttributes::new(user(n), &attrs))
        .collect();
    assert!(c.bulk(&writes).await.iter().all(Result::is_ok));
    let found: Vec<_> = c
        .find_attributes(FindIn::Users, &AttributeCondition::eq(13, "CC").unwrap())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(found.len(), 3);
}
