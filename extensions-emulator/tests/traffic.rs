//! `$batch`, throttling, fault injection, concurrent writers and the documentation's own request
//! examples, over real HTTP.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::Harness;
use extensions_emulator::{FaultRule, Faults, Throttle};
use serde_json::{Value, json};

fn ext(name: &str) -> Value {
    json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": name, "n": 1})
}

fn item(id: &str, method: &str, url: &str, body: Option<Value>) -> Value {
    let mut i = json!({"id": id, "method": method, "url": url});
    if let Some(b) = body {
        i["body"] = b;
        i["headers"] = json!({"Content-Type": "application/json"});
    }
    i
}

#[tokio::test]
async fn batch_mixed_outcomes_and_dependencies() {
    let h = Harness::new().await;
    let requests = json!({"requests": [
        item("1", "POST", "/users/u1/extensions", Some(ext("com.contoso.A"))),
        item("2", "GET", "/users/u1/extensions/com.contoso.A", None),
        item("3", "GET", "/users/u1/extensions/com.contoso.Missing", None),
        {"id": "4", "method": "DELETE", "url": "/users/u1/extensions/com.contoso.A", "dependsOn": ["3"]},
        {"id": "5", "method": "PATCH", "url": "/users/u1/extensions/com.contoso.A", "dependsOn": ["2"],
         "body": {"extensionName": "com.contoso.A", "n": 2}, "headers": {"Content-Type": "application/json"}},
        item("6", "POST", "/devices/d1/extensions", None),
    ]});
    let r = h.call("POST", "/$batch", Some(requests)).await;
    assert_eq!(r.status, 200);
    let by_id = |id: &str| {
        r.json()["responses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(by_id("1")["status"], 201);
    assert_eq!(by_id("1")["body"]["id"], "com.contoso.A");
    assert_eq!(by_id("2")["status"], 200);
    assert_eq!(by_id("3")["status"], 404);
    assert_eq!(by_id("4")["status"], 424, "its dependency failed");
    assert_eq!(by_id("5")["status"], 204);
    assert_eq!(by_id("6")["status"], 400, "POST without a body");
    // State: created, patched, not deleted.
    let stored = h.stored("/users/0").await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["n"], 2);
}

#[tokio::test]
async fn malformed_batches_are_400() {
    let h = Harness::new().await;
    let too_many: Vec<Value> = (0..21)
        .map(|i| item(&i.to_string(), "GET", "/users/u1/extensions", None))
        .collect();
    assert_eq!(
        h.call("POST", "/$batch", Some(json!({"requests": too_many})))
            .await
            .status,
        400
    );
    let twenty: Vec<Value> = (0..20)
        .map(|i| item(&i.to_string(), "GET", "/users/u1/extensions", None))
        .collect();
    assert_eq!(
        h.call("POST", "/$batch", Some(json!({"requests": twenty})))
            .await
            .status,
        200
    );
    let dup = json!({"requests": [item("1", "GET", "/me", None), item("1", "GET", "/me", None)]});
    let r = h.call("POST", "/$batch", Some(dup)).await;
    assert_eq!(r.status, 400);
    assert!(r.error_message().contains("not unique"));
    let dangling =
        json!({"requests": [{"id": "1", "method": "GET", "url": "/me", "dependsOn": ["9"]}]});
    assert_eq!(h.call("POST", "/$batch", Some(dangling)).await.status, 400);
    assert_eq!(
        h.call("POST", "/$batch", Some(json!({"no": []})))
            .await
            .status,
        400
    );
    let no_ct = json!({"requests": [{"id": "1", "method": "POST", "url": "/users/u1/extensions", "body": ext("com.contoso.X")}]});
    let r = h.call("POST", "/$batch", Some(no_ct)).await;
    assert_eq!(r.json()["responses"][0]["status"], 400);
    assert!(h.stored("/users/0").await.is_empty());
}

fn throttled_config(requests: u32, window: Duration) -> extensions_emulator::EmulatorConfig {
    extensions_emulator::EmulatorConfig {
        throttle: Throttle { requests, window },
        ..common::config(common::full_seed())
    }
}

#[tokio::test]
async fn throttling_answers_429_with_an_honest_retry_after() {
    let h = Harness::start(throttled_config(3, Duration::from_secs(1))).await;
    for _ in 0..3 {
        assert_eq!(
            h.call("GET", "/users/u1/extensions", None).await.status,
            200
        );
    }
    let r = h.call("GET", "/users/u1/extensions", None).await;
    assert_eq!((r.status, r.error_code()), (429, "TooManyRequests"));
    assert_eq!(r.error_message(), "Please retry again later.");
    let wait =
        extensions_core::response::parse_retry_after(r.headers["retry-after"].to_str().unwrap())
            .unwrap();
    assert!(
        wait > Duration::ZERO && wait <= Duration::from_secs(1),
        "{wait:?}"
    );
    // Another app is not throttled by this one.
    assert_eq!(
        h.call_as(
            Some(common::OTHER_TOKEN),
            "GET",
            "/users/u1/extensions",
            None
        )
        .await
        .status,
        200
    );
    // Waiting as long as told is enough.
    tokio::time::sleep(wait).await;
    assert_eq!(
        h.call("GET", "/users/u1/extensions", None).await.status,
        200
    );
}

/// The throttle changes on a running emulator: off, then on again, each time with full buckets.
#[tokio::test]
async fn the_throttle_changes_while_running() {
    let h = Harness::start(throttled_config(2, Duration::from_secs(60))).await;
    let status = || async { h.call("GET", "/users/u1/extensions", None).await.status };
    assert_eq!(
        (status().await, status().await, status().await),
        (200, 200, 429)
    );
    h.emu.set_throttle(Throttle::unlimited());
    for _ in 0..50 {
        assert_eq!(status().await, 200);
    }
    h.emu.set_throttle(Throttle {
        requests: 1,
        window: Duration::from_secs(60),
    });
    assert_eq!((status().await, status().await), (200, 429));
}

#[tokio::test]
async fn batch_items_are_throttled_one_by_one() {
    let h = Harness::start(throttled_config(3, Duration::from_secs(60))).await;
    let reqs: Vec<Value> = (0..5)
        .map(|i| item(&i.to_string(), "GET", "/users/u1/extensions", None))
        .collect();
    let r = h
        .call("POST", "/$batch", Some(json!({"requests": reqs})))
        .await;
    assert_eq!(r.status, 200);
    let statuses: Vec<u64> = r.json()["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    let throttled = &r.json()["responses"][3];
    assert_eq!(throttled["body"]["error"]["code"], "TooManyRequests");
    // The k-th throttled item waits until there are k tokens: waiting the longest frees them all.
    let wait = |i: usize| {
        extensions_core::response::parse_retry_after(
            r.json()["responses"][i]["headers"]["Retry-After"]
                .as_str()
                .unwrap(),
        )
        .unwrap()
    };
    assert!(wait(4) > wait(3), "{:?} {:?}", wait(3), wait(4));
}

fn faulty(rule: FaultRule, seed: u64) -> extensions_emulator::EmulatorConfig {
    extensions_emulator::EmulatorConfig {
        faults: Faults {
            seed,
            rules: vec![rule],
        },
        ..common::config(common::full_seed())
    }
}

#[tokio::test]
async fn injected_errors_are_transient_statuses_and_deterministic() {
    let rule = FaultRule {
        error_rate: 0.5,
        ..FaultRule::default()
    };
    let mut runs = Vec::new();
    for _ in 0..2 {
        let h = Harness::start(faulty(rule.clone(), 7)).await;
        let mut statuses = Vec::new();
        for _ in 0..40 {
            statuses.push(h.call("GET", "/users/u1/extensions", None).await.status);
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1], "same seed, same faults");
    let errors = runs[0].iter().filter(|s| **s != 200).count();
    assert!(errors > 5 && errors < 35, "about half: {errors}");
    assert!(
        runs[0]
            .iter()
            .all(|s| [200, 500, 502, 503, 504].contains(s))
    );
    let h = Harness::start(faulty(rule, 8)).await;
    let mut other = Vec::new();
    for _ in 0..40 {
        other.push(h.call("GET", "/users/u1/extensions", None).await.status);
    }
    assert_ne!(runs[0], other, "another seed, other faults");
}

#[tokio::test]
async fn faults_apply_only_to_matching_routes() {
    let rule = FaultRule {
        path_prefix: Some("/devices".into()),
        methods: vec!["POST".into()],
        error_rate: 1.0,
        ..FaultRule::default()
    };
    let h = Harness::start(faulty(rule, 1)).await;
    assert!(
        h.call("POST", "/devices/d1/extensions", Some(ext("com.contoso.X")))
            .await
            .status
            >= 500
    );
    assert_eq!(
        h.call("POST", "/users/u1/extensions", Some(ext("com.contoso.X")))
            .await
            .status,
        201
    );
    assert_eq!(
        h.call("GET", "/devices/d1/extensions", None).await.status,
        200
    );
}

async fn raw_post(
    h: &Harness,
    path: &str,
    body: Value,
) -> Result<reqwest::Response, reqwest::Error> {
    h.http
        .post(format!("{}{path}", h.emu.url()))
        .header("Authorization", "Bearer token-a")
        .json(&body)
        .send()
        .await
}

#[tokio::test]
async fn a_reset_connection_changes_nothing() {
    let h = Harness::start(faulty(
        FaultRule {
            reset_rate: 1.0,
            path_prefix: Some("/users".into()),
            ..FaultRule::default()
        },
        1,
    ))
    .await;
    let err = raw_post(&h, "/users/u1/extensions", ext("com.contoso.X"))
        .await
        .unwrap_err();
    assert!(
        err.is_request() || err.is_connect() || err.to_string().contains("connection"),
        "{err}"
    );
    assert!(h.stored("/users/0").await.is_empty(), "nothing was written");
}

#[tokio::test]
async fn commit_then_drop_writes_but_never_answers() {
    let h = Harness::start(faulty(
        FaultRule {
            commit_then_drop_rate: 1.0,
            path_prefix: Some("/users".into()),
            ..FaultRule::default()
        },
        1,
    ))
    .await;
    assert!(
        raw_post(&h, "/users/u1/extensions", ext("com.contoso.X"))
            .await
            .is_err()
    );
    let stored = h.stored("/users/0").await;
    assert_eq!(stored.len(), 1, "the write happened");
    assert_eq!(stored[0]["extensionName"], "com.contoso.X");
}

#[tokio::test]
async fn latency_is_added() {
    let h = Harness::start(faulty(
        FaultRule {
            latency: Duration::from_millis(150),
            ..FaultRule::default()
        },
        1,
    ))
    .await;
    let start = std::time::Instant::now();
    assert_eq!(
        h.call("GET", "/users/u1/extensions", None).await.status,
        200
    );
    // A lower bound only: the added latency is a sleep, so the call cannot be faster.
    assert!(start.elapsed() >= Duration::from_millis(150));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_leave_consistent_state() {
    let h = std::sync::Arc::new(
        Harness::start(common::config(
            extensions_emulator::Seed::new()
                .user("u1", "adele@contoso.com")
                .message("u1", "m1"),
        ))
        .await,
    );
    // Eight writers race to create the same extension on a user: exactly one wins (on a message
    // a create of an existing name merges, so there all eight would succeed, into one).
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let h = h.clone();
        tasks.push(tokio::spawn(async move {
            h.call(
                "POST",
                "/users/u1/extensions",
                Some(ext("com.contoso.Race")),
            )
            .await
            .status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == 400).count(), 7);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let h = h.clone();
        tasks.push(tokio::spawn(async move {
            h.call(
                "POST",
                "/users/u1/messages/m1/extensions",
                Some(ext("com.contoso.Race")),
            )
            .await
            .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 201);
    }
    let races = h
        .stored("/users/0/messages/0")
        .await
        .iter()
        .filter(|e| e["extensionName"] == "com.contoso.Race")
        .count();
    assert_eq!(races, 1, "eight creates, one extension");
    // Eight writers each patch their own counter on their own extension 25 times.
    let mut tasks = Vec::new();
    for w in 0..8 {
        let h = h.clone();
        tasks.push(tokio::spawn(async move {
            let name = format!("com.contoso.W{w}");
            assert_eq!(h.call("POST", "/users/u1/messages/m1/extensions", Some(ext(&name))).await.status, 201);
            for i in 0..25 {
                let body = json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": name, "writer": w, "i": i});
                assert_eq!(h.call("PATCH", &format!("/users/u1/messages/m1/extensions/{name}"), Some(body)).await.status, 200);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let stored = h.stored("/users/0/messages/0").await;
    assert_eq!(stored.len(), 9);
    for w in 0..8 {
        let e = stored
            .iter()
            .find(|e| e["extensionName"] == format!("com.contoso.W{w}"))
            .unwrap();
        assert_eq!((e["writer"].as_u64(), e["i"].as_u64()), (Some(w), Some(24)));
    }
}

#[tokio::test]
async fn the_documentation_examples_work_as_written() {
    let h = Harness::start(common::config(
        extensions_emulator::Seed::new()
            .user("u1", "adele@contoso.com")
            .message("u1", "AAMkAGE1M2IyNGNmLTI5MTktNDUyZi1iOTVl===")
            .group_event("37df2ff0-0de0-4c33-8aee-75289364aef6", "AAMkADVl17IsAAA=")
            .group_post(
                "37df2ff0-0de0-4c33-8aee-75289364aef6",
                "AAQkADJizZJpEWwqDHsEpV_KA==",
                "AAMkADJiUg96QZUkA-ICwMubAADDEd7UAAA=",
            ),
    ))
    .await;
    // Seed 003: create in an existing message.
    let r = h
        .call(
            "POST",
            "/me/messages/AAMkAGE1M2IyNGNmLTI5MTktNDUyZi1iOTVl===/extensions",
            Some(json!({
                "@odata.type": "microsoft.graph.openTypeExtension",
                "extensionName": "Com.Contoso.Referral",
                "companyName": "Wingtip Toys",
                "dealValue": 500050,
                "expirationDate": "2015-12-03T10:00:00.000Z"
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    // Update example 1: key syntax, the extension by name, capitalised type, a number as a string.
    let r = h
        .call("PATCH", "/me/messages('AAMkAGE1M2IyNGNmLTI5MTktNDUyZi1iOTVl===')/extensions('Com.Contoso.Referral')", Some(json!({
            "@odata.type": "Microsoft.Graph.OpenTypeExtension",
            "extensionName": "Com.Contoso.Referral",
            "companyName": "Wingtip Toys (USA)",
            "dealValue": "500100",
            "expirationDate": "2015-12-03T10:00:00.000Z",
            "updated": "2015-10-29T11:00:00.000Z"
        })))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.json()["id"],
        "Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral"
    );
    assert_eq!(r.json()["dealValue"], "500100");
    // … or by its fully qualified name.
    let r = h
        .call("GET", "/me/messages('AAMkAGE1M2IyNGNmLTI5MTktNDUyZi1iOTVl===')/extensions('Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral')", None)
        .await;
    assert_eq!(
        (r.status, r.json()["companyName"].as_str()),
        (200, Some("Wingtip Toys (USA)"))
    );
    // Seed 003: create in a group event.
    let r = h
        .call(
            "POST",
            "/groups/37df2ff0-0de0-4c33-8aee-75289364aef6/events/AAMkADVl17IsAAA=/extensions",
            Some(json!({
                "@odata.type": "microsoft.graph.openTypeExtension",
                "extensionName": "Com.Contoso.Deal",
                "companyName": "Alpine Skis",
                "dealValue": 1010100,
                "expirationDate": "2015-07-03T13:04:00.000Z"
            })),
        )
        .await;
    assert_eq!(r.status, 201);
    // Update example 2: a group post, by its fully qualified id, with the Outlook type name.
    let post = "/groups('37df2ff0-0de0-4c33-8aee-75289364aef6')/threads('AAQkADJizZJpEWwqDHsEpV_KA==')/posts('AAMkADJiUg96QZUkA-ICwMubAADDEd7UAAA=')";
    let r = h
        .call(
            "POST",
            &format!("{post}/extensions"),
            Some(json!({
                "@odata.type": "microsoft.graph.openTypeExtension",
                "extensionName": "Com.Contoso.Estimate",
                "companyName": "Contoso",
                "expirationDate": "2015-07-03T13:04:00Z",
                "DealValue": 1010100,
                "topPicks": ["Employees only", "Add spouse or guest", "Add family"]
            })),
        )
        .await;
    assert_eq!(r.status, 201);
    let r = h
        .call("PATCH", &format!("{post}/extensions('Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Estimate')"), Some(json!({
            "@odata.type": "Microsoft.OutlookServices.OpenTypeExtension",
            "extensionName": "Com.Contoso.Estimate",
            "companyName": "Contoso",
            "expirationDate": "2016-07-30T11:00:00.000Z",
            "DealValue": 1010100,
            "topPicks": ["Employees only", "Add spouse or guest", "Add family"]
        })))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.json()["expirationDate"], "2016-07-30T11:00:00.000Z");
}

#[tokio::test]
async fn batch_ids_ignore_case_and_item_urls_carry_no_version() {
    let h = Harness::new().await;
    let dup = json!({"requests": [
        item("a", "GET", "/users/u1/extensions", None),
        item("A", "GET", "/users/u1/extensions", None),
    ]});
    let r = h.call("POST", "/$batch", Some(dup)).await;
    assert_eq!((r.status, r.error_code()), (400, "BadRequest"));
    let versioned = json!({"requests": [
        item("1", "GET", "/v1.0/users/u1/extensions", None),
        item("2", "GET", "/users/u1/extensions", None),
    ]});
    let r = h.call("POST", "/$batch", Some(versioned)).await;
    assert_eq!(r.status, 200);
    let responses = r.json()["responses"].as_array().unwrap().clone();
    let by_id = |id: &str| responses.iter().find(|x| x["id"] == id).unwrap().clone();
    assert_eq!(by_id("1")["status"], 400);
    assert_eq!(
        by_id("1")["body"]["error"]["message"],
        "Resource not found for the segment 'v1.0'."
    );
    assert_eq!(by_id("2")["status"], 200);
}
