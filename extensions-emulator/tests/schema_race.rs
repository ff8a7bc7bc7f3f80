//! A definition deleted while a data write is in flight: the write either lands before the
//! delete (and the delete's purge removes it) or is refused; the data never survives the
//! definition, so re-registering the id never shows old data. Over HTTP, with the PATCH and the
//! DELETE sent at the same moment on a multi-threaded server, again and again.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Harness, config, full_seed};
use extensions_emulator::Throttle;
use serde_json::{Map, Value, json};

/// Properties enough that checking a write's values takes a while after its definition was
/// looked up: the window in which the delete used to slip in.
const PROPERTIES: usize = 40;

/// How many rounds at least: each sends the write and the delete together. Without the guard,
/// the old data came back within 150 rounds in each of five runs on a 2-core machine.
const ROUNDS: usize = 400;

/// How many rounds at most, while the two orders (the write first, the delete first) have not
/// both been seen: the rounds must race for the test to say anything.
const MAX_ROUNDS: usize = 4_000;

fn definition() -> Value {
    let properties: Vec<Value> = (0..PROPERTIES)
        .map(|i| json!({"name": format!("p{i}"), "type": "String"}))
        .collect();
    json!({"id": "contoso_race", "targetTypes": ["Group"], "properties": properties})
}

fn data(round: usize) -> Value {
    let props: Map<String, Value> = (0..PROPERTIES)
        .map(|i| (format!("p{i}"), Value::String(format!("{round:>250}"))))
        .collect();
    json!({ "contoso_race": props })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn data_never_outlives_its_definition() {
    let mut cfg = config(full_seed());
    cfg.verified_domains = vec!["contoso.com".into()];
    cfg.throttle = Throttle::unlimited();
    let h = Harness::start(cfg).await;
    let (mut landed_then_purged, mut refused) = (0, 0);
    let mut round = 0;
    while round < ROUNDS || ((landed_then_purged == 0 || refused == 0) && round < MAX_ROUNDS) {
        round += 1;
        let r = h
            .call("POST", "/schemaExtensions", Some(definition()))
            .await;
        assert_eq!(r.status, 201, "{round}: {:?}", r.body);
        let (write, delete) = tokio::join!(
            h.call("PATCH", "/groups/g1", Some(data(round))),
            h.call("DELETE", "/schemaExtensions/contoso_race", None),
        );
        assert_eq!(delete.status, 204, "{round}: {:?}", delete.body);
        match write.status {
            204 => landed_then_purged += 1,
            400 => refused += 1,
            s => panic!("{round}: {s} {:?}", write.body),
        }
        // The same id again: a new definition, with no data on any resource.
        let r = h
            .call("POST", "/schemaExtensions", Some(definition()))
            .await;
        assert_eq!(r.status, 201, "{round}: {:?}", r.body);
        let r = h
            .call("GET", "/groups/g1?$select=id,contoso_race", None)
            .await;
        assert_eq!(r.status, 200);
        assert!(
            r.json().get("contoso_race").is_none(),
            "round {round}: the deleted definition's data came back ({landed_then_purged} writes landed before their delete, {refused} refused so far)"
        );
        let r = h
            .call("DELETE", "/schemaExtensions/contoso_race", None)
            .await;
        assert_eq!(r.status, 204);
    }
    // Both orders happened, so the rounds did race.
    assert!(
        landed_then_purged > 0 && refused > 0,
        "{landed_then_purged} landed, {refused} refused"
    );
}
