//! The console's routes over HTTP, on every machine (the browser tests, which need Chromium,
//! are in `extensions-client/tests/console.rs`): who may open it, what the request log
//! records, what it keeps while watched, the throttle chart's numbers, the controls, the
//! request box and the state as a seed file.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{Harness, OTHER_TOKEN, TOKEN, config, full_seed};
use extensions_emulator::{FaultRule, Faults, Seed, Throttle};
use serde_json::{Value, json};

async fn status_of(req: reqwest::RequestBuilder) -> (u16, String) {
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

#[tokio::test]
async fn only_the_admin_token_opens_the_console() {
    let h = Harness::new().await;
    let base = h.emu.base_url();
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // Without a token, with a wrong one, with a Graph token: refused, the page and the routes.
    let (status, page) = status_of(no_redirects.get(format!("{base}/_emulator/"))).await;
    assert_eq!(status, 401);
    assert!(page.contains("needs the admin token"), "{page}");
    let (status, _) =
        status_of(no_redirects.get(format!("{base}/_emulator/?token=admin-guess"))).await;
    assert_eq!(status, 401);
    for route in [
        "info",
        "requests",
        "requests/1",
        "throttle",
        "definitions",
        "resources",
        "resource?collection=users&id=u1",
    ] {
        let url = format!("{base}/_emulator/api/{route}");
        assert_eq!(status_of(no_redirects.get(&url)).await.0, 401, "{route}");
        let graph = no_redirects.get(&url).bearer_auth(TOKEN);
        assert_eq!(status_of(graph).await.0, 401, "{route} with a Graph token");
    }
    let events = no_redirects
        .get(format!("{base}/_emulator/api/events"))
        .bearer_auth(TOKEN);
    assert_eq!(status_of(events).await.0, 401);
    let tried = no_redirects
        .post(format!("{base}/_emulator/api/try"))
        .bearer_auth(TOKEN)
        .body(r#"{"app": "app-a", "method": "GET", "path": "/users"}"#);
    assert_eq!(status_of(tried).await.0, 401);

    // The printed URL sets an HttpOnly, SameSite=Strict cookie and moves to the bare URL.
    let opened = no_redirects.get(h.emu.console_url()).send().await.unwrap();
    assert_eq!(opened.status(), 303);
    assert_eq!(opened.headers()["location"], "/_emulator/");
    let cookie = opened.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(cookie.contains("Path=/_emulator"), "{cookie}");
    let pair = cookie.split(';').next().unwrap().to_owned();
    // The cookie holds a session drawn at start, not the admin token.
    assert!(!pair.contains(h.emu.admin_token()), "{pair}");
    let (name, _) = pair.split_once('=').unwrap();
    let forged = no_redirects
        .get(format!("{base}/_emulator/api/info"))
        .header("cookie", format!("{name}={}", h.emu.admin_token()));
    assert_eq!(status_of(forged).await.0, 401);
    let (status, page) = status_of(
        no_redirects
            .get(format!("{base}/_emulator/"))
            .header("cookie", &pair),
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("Graph emulator console"));
    let info = no_redirects
        .get(format!("{base}/_emulator/api/info"))
        .header("cookie", &pair);
    assert_eq!(status_of(info).await.0, 200);

    // A change with the cookie needs the console's header (a page elsewhere cannot send it).
    let controls = format!("{base}/_emulator/api/controls");
    let bare = no_redirects
        .post(&controls)
        .header("cookie", &pair)
        .body(r#"{"faults": false}"#);
    assert_eq!(status_of(bare).await.0, 401);
    for route in ["reset", "seed", "api/try"] {
        let bare = no_redirects
            .post(format!("{base}/_emulator/{route}"))
            .header("cookie", &pair)
            .body("{}");
        assert_eq!(status_of(bare).await.0, 401, "{route}");
    }
    let with_header = no_redirects
        .post(&controls)
        .header("cookie", &pair)
        .header("x-emulator-console", "1")
        .body(r#"{"faults": false}"#);
    assert_eq!(status_of(with_header).await.0, 200);

    // The script and the style sheet are served to anyone: they hold no data.
    for file in ["console.js", "console.css"] {
        let (status, text) = status_of(no_redirects.get(format!("{base}/_emulator/{file}"))).await;
        assert_eq!(status, 200, "{file}");
        assert!(!text.contains(h.emu.admin_token()));
    }
}

#[tokio::test]
async fn the_log_says_what_the_emulator_did() {
    let mut cfg = config(full_seed());
    cfg.throttle = Throttle {
        requests: 3,
        window: Duration::from_secs(60),
    };
    cfg.faults = Faults {
        seed: 1,
        rules: vec![FaultRule {
            path_prefix: Some("/groups/g1".into()),
            error_rate: 1.0,
            error_statuses: vec![503],
            ..FaultRule::default()
        }],
    };
    let h = Harness::start(cfg).await;
    assert_eq!(h.call("GET", "/users/u1", None).await.status, 200);
    assert_eq!(h.call("GET", "/groups/g1", None).await.status, 503);
    let batch = json!({"requests": [
        {"id": "1", "method": "GET", "url": "/users/u1"},
        {"id": "2", "method": "GET", "url": "/users/u2"},
        {"id": "3", "method": "GET", "url": "/devices/d1"}
    ]});
    let answered = h.call("POST", "/$batch", Some(batch)).await;
    assert_eq!(answered.status, 200);
    assert_eq!(h.call("GET", "/users/u1", None).await.status, 429);
    assert_eq!(
        h.call_as(Some(OTHER_TOKEN), "GET", "/users/u2", None)
            .await
            .status,
        200
    );

    let log = h
        .call_as(None, "GET", "/_emulator/api/requests", None)
        .await;
    let items = log.json()["items"].as_array().unwrap().clone();
    let shown: Vec<(String, Value, Value, Value)> = items
        .iter()
        .map(|e| {
            (
                format!(
                    "{} {}",
                    e["method"].as_str().unwrap(),
                    e["target"].as_str().unwrap()
                ),
                e["status"].clone(),
                e["app"].clone(),
                e["note"]["text"].clone(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            (
                "GET /v1.0/users/u1".into(),
                json!(200),
                json!("app-a"),
                Value::Null
            ),
            (
                "GET /v1.0/groups/g1".into(),
                json!(503),
                json!("app-a"),
                json!("fault: injected 503")
            ),
            (
                "POST /v1.0/$batch".into(),
                json!(200),
                json!("app-a"),
                json!("$batch opened into 3 items, 1 throttled")
            ),
            (
                "GET /v1.0/users/u1".into(),
                json!(429),
                json!("app-a"),
                json!("throttled: 429, Retry-After 20")
            ),
            (
                "GET /v1.0/users/u2".into(),
                json!(200),
                json!("app-b"),
                Value::Null
            ),
        ]
    );
    // The first request left two of three tokens.
    assert_eq!(items[0]["level"], json!(2.0));
    // The envelope opens into its items, each with its own status.
    let n = items[2]["n"].as_u64().unwrap();
    let detail = h
        .call_as(None, "GET", &format!("/_emulator/api/requests/{n}"), None)
        .await;
    let inner: Vec<(Value, Value, Value)> = detail.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["target"].clone(),
                i["status"].clone(),
                i["note"]["kind"].clone(),
            )
        })
        .collect();
    assert_eq!(
        inner,
        vec![
            (json!("/users/u1"), json!(200), Value::Null),
            (json!("/users/u2"), json!(200), Value::Null),
            (json!("/devices/d1"), json!(429), json!("throttled")),
        ]
    );
    // Nobody watched: no bodies were kept.
    assert_eq!(detail.json()["bodies"], false);
    assert!(detail.json().get("exchange").is_none());

    // The chart: app-a took 3 tokens (1 + 2 batch items) and was refused twice.
    let chart = h
        .call_as(None, "GET", "/_emulator/api/throttle?seconds=60", None)
        .await;
    let apps = chart.json()["apps"].as_array().unwrap();
    let a = apps.iter().find(|a| a["app"] == "app-a").unwrap();
    let sum = |k: &str| -> u64 {
        a[k].as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .sum()
    };
    assert_eq!((sum("accepted"), sum("throttled")), (3, 2));
    let last = a["level"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(last < 1.0, "{a}");
    assert_eq!(chart.json()["capacity"], 3);

    // The filterable fields are there for the other app too.
    let b = apps.iter().find(|a| a["app"] == "app-b").unwrap();
    assert_eq!(
        b["throttled"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| **v != 0)
            .count(),
        0
    );
}

#[tokio::test]
async fn bodies_are_kept_while_watched_with_secrets_redacted() {
    let h = Harness::new().await;
    let before = h.call("GET", "/users/u1", None).await;
    assert_eq!(before.status, 200);

    // A console's live stream: its first event comes at once.
    let mut stream = h
        .http
        .get(format!("{}/_emulator/api/events", h.emu.base_url()))
        .bearer_auth(h.emu.admin_token())
        .send()
        .await
        .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), stream.chunk())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let first = String::from_utf8_lossy(&first).into_owned();
    assert!(first.starts_with("event: requests"), "{first}");

    let created = h
        .call(
            "POST",
            "/users",
            Some(json!({
                "displayName": "Nestor",
                "userPrincipalName": "nestor@contoso.com",
                "mailNickname": "nestor",
                "accountEnabled": true,
                "passwordProfile": {"password": "Hunter2-very-secret", "forceChangePasswordNextSignIn": true}
            })),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);

    // The new request comes down the stream.
    let mut seen = String::new();
    while !seen.contains("POST") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), stream.chunk())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("/v1.0/users"), "{seen}");

    let log = h
        .call_as(None, "GET", "/_emulator/api/requests", None)
        .await;
    let items = log.json()["items"].as_array().unwrap();
    let post = items.iter().find(|e| e["method"] == "POST").unwrap();
    let get = items.iter().find(|e| e["method"] == "GET").unwrap();
    assert_eq!(post["bodies"], true);
    assert_eq!(
        get["bodies"], false,
        "the GET came before the console watched"
    );
    let n = post["n"].as_u64().unwrap();
    let detail = h
        .call_as(None, "GET", &format!("/_emulator/api/requests/{n}"), None)
        .await;
    let text = detail.json().to_string();
    assert!(!text.contains("Hunter2-very-secret"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
    let exchange = &detail.json()["exchange"];
    assert_eq!(exchange["request"]["body"]["passwordProfile"], "«redacted»");
    assert_eq!(exchange["request"]["body"]["displayName"], "Nestor");
    let auth = exchange["request"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h[0] == "authorization")
        .unwrap();
    assert_eq!(auth[1], "«redacted»");
    assert_eq!(exchange["response"]["body"]["displayName"], "Nestor");

    // Closed: bodies are no longer kept.
    drop(stream);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(h.call("GET", "/users/u2", None).await.status, 200);
    let log = h
        .call_as(None, "GET", "/_emulator/api/requests", None)
        .await;
    let last = log.json()["items"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["target"], "/v1.0/users/u2");
    assert_eq!(last["bodies"], false);
}

#[tokio::test]
async fn controls_turn_faults_and_throttling_off_and_on() {
    let mut cfg = config(full_seed());
    cfg.throttle = Throttle {
        requests: 1,
        window: Duration::from_secs(60),
    };
    cfg.faults = Faults {
        seed: 1,
        rules: vec![FaultRule {
            path_prefix: Some("/devices".into()),
            error_rate: 1.0,
            error_statuses: vec![500],
            ..FaultRule::default()
        }],
    };
    let h = Harness::start(cfg).await;
    let set = |body: Value| async {
        h.call_as(None, "POST", "/_emulator/api/controls", Some(body))
            .await
    };
    let off = set(json!({"faults": false, "throttle": false})).await;
    assert_eq!(off.status, 200);
    assert_eq!(off.json()["faults"], false);
    assert_eq!(off.json()["throttle"], false);
    for _ in 0..3 {
        assert_eq!(h.call("GET", "/devices/d1", None).await.status, 200);
    }
    let on = set(json!({"faults": true, "throttle": true})).await;
    assert_eq!(
        (on.json()["faults"].clone(), on.json()["throttle"].clone()),
        (json!(true), json!(true))
    );
    assert_eq!(h.call("GET", "/devices/d1", None).await.status, 500);
    assert_eq!(h.call("GET", "/users/u1", None).await.status, 200);
    assert_eq!(h.call("GET", "/users/u1", None).await.status, 429);

    let wrong = set(json!({"faults": "yes"})).await;
    assert_eq!(wrong.status, 400);
    let unknown = set(json!({"latency": true})).await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.error_message().contains("latency"));
}

#[tokio::test]
async fn the_request_box_sends_as_a_configured_app() {
    let h = Harness::new().await;
    let sent = h
        .call_as(
            None,
            "POST",
            "/_emulator/api/try",
            Some(json!({"app": "app-b", "method": "POST", "path": "/users/u2/extensions",
                "body": "{\"@odata.type\": \"#microsoft.graph.openTypeExtension\", \"extensionName\": \"com.contoso.Tried\", \"color\": \"red\"}"})),
        )
        .await;
    assert_eq!(sent.status, 200, "{:?}", sent.body);
    assert_eq!(sent.json()["status"], 201);
    assert_eq!(sent.json()["body"]["color"], "red");
    // Logged as any other request, under its app; the app's token never reaches the page.
    let log = h
        .call_as(None, "GET", "/_emulator/api/requests", None)
        .await;
    let last = log.json()["items"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["app"], "app-b");
    assert_eq!(last["target"], "/v1.0/users/u2/extensions");
    assert!(!sent.json().to_string().contains(OTHER_TOKEN));
    // What the page reads about the apps names them, never their tokens.
    let info = h.call_as(None, "GET", "/_emulator/api/info", None).await;
    let info = info.json().to_string();
    assert!(info.contains("app-b"), "{info}");
    assert!(
        !info.contains(OTHER_TOKEN) && !info.contains(TOKEN),
        "{info}"
    );
    let unknown = h
        .call_as(
            None,
            "POST",
            "/_emulator/api/try",
            Some(json!({"app": "nobody", "method": "GET", "path": "/users"})),
        )
        .await;
    assert_eq!(unknown.status, 400);
}

#[tokio::test]
async fn the_state_downloads_as_a_seed_that_starts_an_emulator() {
    let h = Harness::new().await;
    let created = h
        .call(
            "POST",
            "/users/u1/extensions",
            Some(json!({"@odata.type": "#microsoft.graph.openTypeExtension", "extensionName": "com.contoso.Kept", "n": 1})),
        )
        .await;
    assert_eq!(created.status, 201);
    let r = h
        .http
        .get(format!("{}/_emulator/state?download=1", h.emu.base_url()))
        .bearer_auth(h.emu.admin_token())
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"emulator-seed.json\""
    );
    let text = r.text().await.unwrap();
    let again = Harness::start(config(Seed::from_json(&text).unwrap())).await;
    let read = again
        .call("GET", "/users/u1/extensions/com.contoso.Kept", None)
        .await;
    assert_eq!(read.status, 200);
    assert_eq!(read.json()["n"], 1);
}

#[tokio::test]
async fn the_data_routes_find_and_show_resources() {
    let h = Harness::new().await;
    let found = h
        .call_as(None, "GET", "/_emulator/api/resources?q=ALEX", None)
        .await;
    assert_eq!(found.json()["matched"], 1);
    assert_eq!(found.json()["items"][0]["id"], "u2");
    let created = h
        .call(
            "POST",
            "/users/u1/extensions",
            Some(json!({"@odata.type": "#microsoft.graph.openTypeExtension", "extensionName": "com.contoso.Seen", "n": 1})),
        )
        .await;
    assert_eq!(created.status, 201);
    let one = h
        .call_as(
            None,
            "GET",
            "/_emulator/api/resource?collection=users&id=u1",
            None,
        )
        .await;
    assert_eq!(one.json()["extensions"][0]["@emulator.app"], "app-a");
    assert_eq!(one.json()["@emulator.schema"], json!({}));
    assert_eq!(one.json()["@emulator.directory"], json!({}));
    assert_eq!(one.json()["messages"][0]["id"], "AAMk+m1==");
    let missing = h
        .call_as(
            None,
            "GET",
            "/_emulator/api/resource?collection=users&id=nobody",
            None,
        )
        .await;
    assert_eq!(missing.status, 404);
    let tenant = h
        .call_as(
            None,
            "GET",
            "/_emulator/api/resources?tenant=elsewhere",
            None,
        )
        .await;
    assert_eq!(tenant.status, 404);
}

#[tokio::test]
async fn the_live_stream_ends_when_the_emulator_stops() {
    let h = Harness::new().await;
    let mut stream = h
        .http
        .get(format!("{}/_emulator/api/events", h.emu.base_url()))
        .bearer_auth(h.emu.admin_token())
        .send()
        .await
        .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), stream.chunk()).await;
    assert!(matches!(first, Ok(Ok(Some(_)))));
    drop(h.emu);
    // Keep-alive comments may still come; the stream then ends.
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while let Ok(Some(_)) = stream.chunk().await {}
    })
    .await;
    assert!(
        ended.is_ok(),
        "the stream went on after the emulator stopped"
    );
}

#[tokio::test]
async fn every_kind_of_data_comes_apart_and_passwords_do_not_show() {
    let seed = Seed::from_json(include_str!("../seed.example.json")).unwrap();
    let h = Harness::start(config(seed)).await;
    let created = h
        .call(
            "POST",
            "/users",
            Some(json!({
                "displayName": "Nestor", "userPrincipalName": "nestor@contoso.com",
                "mailNickname": "nestor", "accountEnabled": true,
                "passwordProfile": {"password": "Hunter2-very-secret"}
            })),
        )
        .await;
    assert_eq!(created.status, 201);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let nestor = h
        .call_as(
            None,
            "GET",
            &format!("/_emulator/api/resource?collection=users&id={id}"),
            None,
        )
        .await;
    assert_eq!(nestor.json()["passwordProfile"], "«redacted»");
    assert_eq!(nestor.json()["displayName"], "Nestor");

    let u1 = h
        .call_as(
            None,
            "GET",
            "/_emulator/api/resource?collection=users&id=u1",
            None,
        )
        .await;
    let u1 = u1.json();
    // A seeded open extension belongs to no app.
    assert_eq!(u1["extensions"][0]["extensionName"], "com.contoso.Settings");
    assert_eq!(u1["extensions"][0]["@emulator.app"], Value::Null);
    let dir = &u1["@emulator.directory"];
    assert_eq!(
        dir["extension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroup"],
        "E4"
    );
    assert_eq!(
        dir["onPremisesExtensionAttributes"]["extensionAttribute13"],
        "CC-4410"
    );
    assert!(
        u1.get("extension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroup")
            .is_none()
    );
}

#[tokio::test]
async fn the_log_pages_through_every_request_in_order() {
    let mut cfg = config(full_seed());
    cfg.throttle = Throttle::unlimited();
    let h = Harness::start(cfg).await;
    for _ in 0..10 {
        h.call("GET", "/users/u1", None).await;
    }
    // A fresh reader gets the newest.
    let fresh = h
        .call_as(None, "GET", "/_emulator/api/requests?limit=3", None)
        .await;
    assert_eq!(fresh.json()["items"].as_array().unwrap().len(), 3);
    let mut cursor = fresh.json()["cursor"].as_u64().unwrap();
    assert_eq!(cursor, 10);
    for i in 0..1200 {
        h.call("GET", &format!("/users/u1?i={i}"), None).await;
    }
    // Then every request after its cursor, oldest first, a page at a time: none skipped.
    let mut seen = Vec::new();
    loop {
        let page = h
            .call_as(
                None,
                "GET",
                &format!("/_emulator/api/requests?after={cursor}&limit=500"),
                None,
            )
            .await;
        let items = page.json()["items"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        cursor = page.json()["cursor"].as_u64().unwrap();
        seen.extend(
            items
                .iter()
                .map(|e| e["target"].as_str().unwrap().to_owned()),
        );
    }
    let expected: Vec<String> = (0..1200).map(|i| format!("/v1.0/users/u1?i={i}")).collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn an_admin_token_with_url_characters_opens_the_console() {
    let mut cfg = config(full_seed());
    cfg.admin_token = Some("a+b&c#d%e f-._~".into());
    let h = Harness::start(cfg).await;
    assert!(
        h.emu
            .console_url()
            .ends_with("?token=a%2Bb%26c%23d%25e%20f-._~"),
        "{}",
        h.emu.console_url()
    );
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let opened = no_redirects.get(h.emu.console_url()).send().await.unwrap();
    assert_eq!(opened.status(), 303, "{}", h.emu.console_url());
    assert!(opened.headers().contains_key("set-cookie"));
}

#[tokio::test]
async fn the_chart_counts_requests_with_throttling_off() {
    let h = Harness::new().await;
    let off = h
        .call_as(
            None,
            "POST",
            "/_emulator/api/controls",
            Some(json!({"throttle": false})),
        )
        .await;
    assert_eq!(off.status, 200);
    for _ in 0..4 {
        assert_eq!(h.call("GET", "/users/u1", None).await.status, 200);
    }
    let chart = h
        .call_as(None, "GET", "/_emulator/api/throttle?seconds=30", None)
        .await;
    let a = &chart.json()["apps"][0];
    let accepted: u64 = a["accepted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(accepted, 4, "{a}");
    assert_eq!(chart.json()["throttle"], false);
}
