//! `GraphClient::bulk_stream`: each operation's outcome as it happens, against the emulator on
//! loopback with Graph's throttling on.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use extensions_client::{BulkEvent, GraphClient, RetryPolicy, StaticToken};
use extensions_core::prelude::*;
use extensions_emulator::{App, Emulator, EmulatorConfig, Seed, Throttle};
use futures_util::StreamExt;

const TOKEN: &str = "progress-token";
const USERS: usize = 40;

#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Settings")]
struct Settings {
    theme: String,
}

#[tokio::test]
async fn bulk_stream_reports_each_item_once_as_it_happens() {
    let emu = Emulator::start(EmulatorConfig {
        apps: vec![App {
            token: TOKEN.into(),
            app_id: "app".into(),
            me: None,
        }],
        seed: Seed::new().users(USERS),
        // Ten requests each half second: the 40 items cannot pass at once.
        throttle: Throttle {
            requests: 10,
            window: Duration::from_millis(500),
        },
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let client = GraphClient::builder()
        .base_url(emu.url())
        .token_provider(StaticToken::new(TOKEN))
        .retry(RetryPolicy {
            max_attempts: 20,
            max_elapsed: Duration::from_secs(60),
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_secs(5),
        })
        .batch_concurrency(1)
        .build()
        .unwrap();
    let value = Settings {
        theme: "dark".into(),
    };
    let too_big = Settings {
        theme: "x".repeat(3000),
    };
    let mut ops: Vec<_> = (0..USERS)
        .map(|i| value.create_op(Resource::user(format!("u{i}"))))
        .collect();
    ops[7] = too_big.create_op(Resource::user("u7")); // refused before sending
    ops[21] = value.create_op(Resource::user("nobody")); // 404 from the server

    let mut outcomes = BTreeMap::new();
    let mut order = Vec::new();
    let (mut retried, mut retry_events) = (0, 0);
    let mut stored_at_first_answer = None;
    let mut events = std::pin::pin!(client.bulk_stream(&ops));
    while let Some(event) = events.next().await {
        match event {
            BulkEvent::Done { index, result } => {
                order.push(index);
                assert!(
                    outcomes.insert(index, result).is_none(),
                    "index {index} reported twice"
                );
                // The first answer from the server is reported while most items are still to
                // come (no work happens while the stream is not polled, so this read sees the
                // state as it was when the answer was reported).
                if index != 7 && stored_at_first_answer.is_none() {
                    stored_at_first_answer = Some(stored(&emu).await);
                }
            }
            BulkEvent::Retrying { items, wait } => {
                assert!(items > 0 && wait > Duration::ZERO, "{items} after {wait:?}");
                retried += items;
                retry_events += 1;
            }
            other => panic!("unexpected event {other:?}"),
        }
    }
    assert_eq!(outcomes.len(), USERS, "every index reported");
    assert_eq!(
        order[0], 7,
        "the refused item comes first, before anything is sent"
    );
    assert!(matches!(outcomes[&7], Err(Error::TooLarge { .. })));
    assert_eq!(
        outcomes[&21]
            .as_ref()
            .unwrap_err()
            .status()
            .map(|s| s.as_u16()),
        Some(404)
    );
    for (i, r) in &outcomes {
        if *i != 7 && *i != 21 {
            assert_eq!(
                r.as_ref().unwrap().decode::<Settings>().unwrap(),
                value,
                "item {i}"
            );
        }
    }
    assert!(
        retry_events > 0 && retried > 0,
        "the throttle sent items back"
    );
    let early = stored_at_first_answer.unwrap();
    assert!(
        early < USERS - 2,
        "{early} users stored when the first answer was reported: it came before the rest"
    );
    assert_eq!(stored(&emu).await, USERS - 2, "nothing lost at the end");
}

/// How many users hold the extension, read from the emulator's state dump.
async fn stored(emu: &Emulator) -> usize {
    extensions_client::install_tls_provider();
    let state: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/_emulator/state", emu.base_url()))
        .bearer_auth(emu.admin_token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    state["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| {
            u["extensions"]
                .as_array()
                .is_some_and(|e| e.len() == 1 && e[0]["theme"] == "dark")
        })
        .count()
}

#[tokio::test]
async fn bulk_stream_ends_for_empty_and_all_refused_input() {
    let client = GraphClient::builder()
        .base_url("http://127.0.0.1:9/v1.0")
        .token_provider(StaticToken::new(TOKEN))
        .build()
        .unwrap();
    let none: Vec<extensions_core::op::Create> = Vec::new();
    assert_eq!(client.bulk_stream(&none).count().await, 0);
    assert!(client.bulk(&none).await.is_empty());
    // Nothing is sent (the port is closed): every item is refused before sending.
    let too_big = Settings {
        theme: "x".repeat(3000),
    };
    let ops: Vec<_> = (0..3)
        .map(|i| too_big.create_op(Resource::user(format!("u{i}"))))
        .collect();
    let answers = client.bulk(&ops).await;
    assert_eq!(answers.len(), 3);
    assert!(
        answers
            .iter()
            .all(|a| matches!(a, Err(Error::TooLarge { .. })))
    );
}
