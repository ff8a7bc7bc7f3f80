//! A create whose outcome is unknown is read back, and only "not there" may send it again
//! (reliability, third pass, point 1). "There, with other properties" ends the call with
//! `Error::StoredDifferently`: on a user a second POST would fail with "already exists" (hiding
//! the real state), on a message it would merge over what another writer stored and report
//! success. Each case asserts the exact request sequence the emulator received.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use extensions_client::{GraphClient, RetryPolicy, StaticToken};
use extensions_core::Value;
use extensions_core::prelude::*;
use extensions_emulator::{App, Emulator, EmulatorConfig, FaultRule, Faults, RequestOutcome, Seed};

const TOKEN: &str = "dup-token";

#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Settings")]
struct Settings {
    theme: String,
}

/// An emulator whose user u1 and message m1 already hold the extension with `theme: "other"`
/// (another writer's), and whose first POST under `prefix` is answered `status` (or, for 0,
/// handled and then left unanswered).
async fn emulator(prefix: &str, status: u16) -> Emulator {
    let seed = Seed::from_json(
        r#"{"users": [{"id": "u1", "userPrincipalName": "u1@contoso.com",
            "extensions": [{"extensionName": "com.contoso.Settings", "theme": "other"}],
            "messages": [{"id": "AAMkAGm1=", "subject": "Hi",
                "extensions": [{"extensionName": "com.contoso.Settings", "theme": "other"}]}]}]}"#,
    )
    .unwrap();
    let mut rule = FaultRule {
        path_prefix: Some(prefix.into()),
        methods: vec!["POST".into()],
        max_faults: Some(1),
        ..FaultRule::default()
    };
    if status == 0 {
        rule.commit_then_drop_rate = 1.0;
    } else {
        rule.error_rate = 1.0;
        rule.error_statuses = vec![status];
    }
    Emulator::start(EmulatorConfig {
        apps: vec![App {
            token: TOKEN.into(),
            app_id: "dup-app".into(),
            me: None,
        }],
        seed,
        faults: Faults {
            seed: 1,
            rules: vec![rule],
        },
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

/// The requests the emulator received, as `METHOD path outcome`.
fn sequence(emu: &Emulator) -> Vec<String> {
    emu.requests()
        .iter()
        .map(|r| format!("{} {} {:?}", r.method, r.target, r.outcome))
        .collect()
}

async fn stored_theme(emu: &Emulator, on: &Resource) -> Option<String> {
    Settings::get(&client(emu), on)
        .await
        .unwrap()
        .map(|s| s.theme)
}

async fn another_writers_extension_is_never_posted_over(on: Resource, prefix: &str, fault: u16) {
    let emu = emulator(prefix, fault).await;
    let path = format!("/v1.0{}", on.path());
    let mine = Settings {
        theme: "light".into(),
    };
    let err = mine.create(&client(&emu), &on).await.unwrap_err();
    match &err {
        Error::StoredDifferently { name, stored } => {
            assert_eq!(name, "com.contoso.Settings");
            assert_eq!(
                stored.get("theme"),
                Some(&Value::from("other")),
                "the stored properties are attached"
            );
        }
        other => panic!("{on:?}: want StoredDifferently, got {other:?}"),
    }
    let first = if fault == 0 {
        format!("{:?}", RequestOutcome::Dropped(400))
    } else {
        format!("{:?}", RequestOutcome::Answered(fault))
    };
    // One POST, one read-back, and nothing more: the create was not sent again.
    assert_eq!(
        sequence(&emu),
        vec![
            format!("POST {path}/extensions {first}"),
            format!(
                "GET {path}/extensions/com.contoso.Settings {:?}",
                RequestOutcome::Answered(200)
            ),
        ],
        "{on:?}"
    );
    assert_eq!(stored_theme(&emu, &on).await.as_deref(), Some("other"));
    println!("{on:?} after {first}: {err}");
}

#[tokio::test]
async fn on_a_user_after_a_500() {
    another_writers_extension_is_never_posted_over(
        Resource::user("u1").into(),
        "/users/u1/extensions",
        500,
    )
    .await;
}

#[tokio::test]
async fn on_a_message_after_a_500() {
    another_writers_extension_is_never_posted_over(
        Resource::user("u1").message("AAMkAGm1="),
        "/users/u1/messages",
        500,
    )
    .await;
}

#[tokio::test]
async fn on_a_user_after_a_lost_answer() {
    // The POST was handled (and refused: the name exists) but its answer was lost.
    another_writers_extension_is_never_posted_over(
        Resource::user("u1").into(),
        "/users/u1/extensions",
        0,
    )
    .await;
}

#[tokio::test]
async fn a_create_that_found_nothing_is_sent_again_once() {
    // The other half of the rule: "not there" after a 502 leads to exactly one more POST.
    let emu = emulator("/users/u1/extensions", 502).await;
    let c = client(&emu);
    let u1 = Resource::user("u1");
    Settings::delete(&c, &u1).await.unwrap();
    emu.clear_requests();
    let mine = Settings {
        theme: "light".into(),
    };
    mine.create(&c, &u1).await.unwrap();
    assert_eq!(
        sequence(&emu),
        vec![
            "POST /v1.0/users/u1/extensions Answered(502)",
            "GET /v1.0/users/u1/extensions/com.contoso.Settings Answered(404)",
            "POST /v1.0/users/u1/extensions Answered(201)",
        ]
    );
    assert_eq!(stored_theme(&emu, &u1).await.as_deref(), Some("light"));
}
