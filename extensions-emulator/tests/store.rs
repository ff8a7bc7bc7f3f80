//! The store at size: seed files read a resource at a time, lookups by id and by user principal
//! name at any position, reset back to the seed, and seed errors that name what is wrong.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Harness, TOKEN, config};
use extensions_emulator::{Emulator, EmulatorConfig, Seed, StartError};
use serde_json::json;

/// A seed file of `n` users, the last one with an extension, written to a fresh directory.
fn seed_file(n: usize) -> (std::path::PathBuf, std::path::PathBuf) {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!(
        "emulator-store-{}-{n}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("seed.json");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    write!(w, "{{\"users\": [").unwrap();
    for i in 0..n {
        let ext = if i == n - 1 {
            r#", "extensions": [{"extensionName": "com.contoso.Last", "rank": 1}]"#
        } else {
            ""
        };
        let sep = if i == 0 { "" } else { "," };
        write!(
            w,
            r#"{sep}{{"id": "u{i}", "userPrincipalName": "User{i}@Contoso.com"{ext}}}"#
        )
        .unwrap();
    }
    write!(w, "], \"devices\": [{{\"id\": \"d1\"}}]}}").unwrap();
    w.flush().unwrap();
    (dir, path)
}

#[tokio::test]
async fn a_seed_file_is_served_and_reset_returns_to_it() {
    let users = 20_000;
    let (dir, path) = seed_file(users);
    let h = Harness::start(EmulatorConfig {
        seed_file: Some(path.clone()),
        ..config(Seed::new().user("u1", "adele@contoso.com"))
    })
    .await;
    // The last user of the file, by id and by its principal name in another letter case.
    let last = format!("u{}", users - 1);
    let upn = format!("USER{}@CONTOSO.COM", users - 1);
    for key in [last.as_str(), upn.as_str()] {
        let r = h
            .call(
                "GET",
                &format!("/users/{key}/extensions/com.contoso.Last"),
                None,
            )
            .await;
        assert_eq!(r.status, 200, "{key}");
        assert_eq!(r.json()["rank"], 1);
    }
    // The file's u1 replaced the configured u1 (same id): one u1, with the file's name.
    let r = h
        .call(
            "GET",
            "/users/user1@contoso.com?$select=id,userPrincipalName",
            None,
        )
        .await;
    assert_eq!(r.json()["id"], "u1");
    assert_eq!(
        h.call("GET", "/users/adele@contoso.com/extensions", None)
            .await
            .status,
        404
    );
    // Every user is listed once, in seeding order (the file's u1 took the configured u1's
    // place).
    let mut seen = Vec::new();
    let mut next = Some(format!("{}/users?$top=999&$select=id", h.emu.url()));
    while let Some(url) = next {
        let page = h.call("GET", &url, None).await;
        seen.extend(
            page.json()["value"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["id"].as_str().unwrap().to_owned()),
        );
        next = page.json()["@odata.nextLink"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), users);
    assert_eq!(seen[..3], ["u1", "u0", "u2"]);
    assert_eq!(seen[users - 1], last);

    // Changes, then a reset: back to the seed, extension values included.
    let r = h
        .call(
            "PATCH",
            &format!("/users/{last}/extensions/com.contoso.Last"),
            Some(json!({"rank": 2})),
        )
        .await;
    assert_eq!(r.status, 204);
    let r = h
        .call(
            "POST",
            "/users/u0/extensions",
            Some(json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": "com.contoso.New"})),
        )
        .await;
    assert_eq!(r.status, 201);
    let r = h.call_as(None, "POST", "/_emulator/reset", None).await;
    assert_eq!(r.status, 204);
    let r = h
        .call(
            "GET",
            &format!("/users/{last}/extensions/com.contoso.Last"),
            None,
        )
        .await;
    assert_eq!(r.json()["rank"], 1);
    let r = h.call("GET", "/users/u0/extensions", None).await;
    assert_eq!(r.json()["value"], json!([]));
    assert_eq!(
        h.call("GET", "/devices/d1/extensions", None).await.status,
        200
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn seed_errors_name_the_file_and_the_rule() {
    let dir = std::env::temp_dir().join(format!("emulator-bad-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        (
            r#"{"printers": [{"id": "p1"}]}"#,
            "unknown top-level collection `printers`",
        ),
        (
            r#"{"users": [{"userPrincipalName": "x@contoso.com"}]}"#,
            "needs a string `id`",
        ),
        (r#"{"users": [{"id": "u1"}"#, "not valid JSON"),
        (r#"[1]"#, "not valid JSON"),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let path = dir.join(format!("seed{i}.json"));
        std::fs::write(&path, text).unwrap();
        let err = Emulator::start(EmulatorConfig {
            seed_file: Some(path.clone()),
            ..EmulatorConfig::default()
        })
        .await
        .unwrap_err();
        let StartError::Seed(message) = &err else {
            panic!("{err:?}")
        };
        assert!(message.contains(expected), "{message}");
        assert!(message.contains("seed"), "names the file: {message}");
    }
    let missing = Emulator::start(EmulatorConfig {
        seed_file: Some(dir.join("missing.json")),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap_err();
    assert!(missing.to_string().contains("cannot read"), "{missing}");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn concurrent_writes_on_many_users_are_all_kept() {
    let h = Harness::start(config(Seed::new().users(64))).await;
    let mut tasks = Vec::new();
    for i in 0..64 {
        let http = h.http.clone();
        let url = format!("{}/users/u{i}/extensions", h.emu.url());
        tasks.push(tokio::spawn(async move {
            for n in 0..5 {
                let r = http
                    .post(&url)
                    .bearer_auth(TOKEN)
                    .json(&json!({"@odata.type": "microsoft.graph.openTypeExtension",
                                  "extensionName": format!("com.contoso.N{n}")}))
                    .send()
                    .await
                    .unwrap();
                // Two per app on directory objects: the third and later are refused.
                assert_eq!(r.status(), if n < 2 { 201 } else { 400 });
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let state = h.state().await;
    let users = state["users"].as_array().unwrap();
    assert_eq!(users.len(), 64);
    assert!(
        users
            .iter()
            .all(|u| u["extensions"].as_array().unwrap().len() == 2)
    );
}

#[tokio::test]
async fn the_sample_seed_file_starts_and_serves_every_kind() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seed.example.json");
    let h = Harness::start(EmulatorConfig {
        seed_file: Some(path),
        ..config(Seed::new())
    })
    .await;
    for resource in [
        "/users/adele@contoso.com",
        "/me/messages/AAMkAGm1=",
        "/me/events/AAMkAGe1=",
        "/me/contacts/AAMkAGc1=",
        "/me/todo/lists/L1/tasks/T1",
        "/groups/g1/events/AAMkAGg1=",
        "/groups/g1/threads/AAQkAGt1=/posts/AAMkAGp1=",
        "/devices/d1",
        "/organization/o1",
        "/directory/administrativeUnits/a1",
    ] {
        let r = h
            .call(
                "POST",
                &format!("{resource}/extensions"),
                Some(json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": "com.contoso.Sample"})),
            )
            .await;
        assert_eq!(r.status, 201, "{resource}: {:?}", r.body);
    }
    let r = h
        .call("GET", "/me/extensions/com.contoso.Settings", None)
        .await;
    assert_eq!(r.json()["theme"], "dark");
    // Its directory extension and extension attribute, with their definition.
    let r = h
        .call(
            "GET",
            "/users/u1?$select=id,extension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroup,onPremisesExtensionAttributes",
            None,
        )
        .await;
    assert_eq!(
        r.json()["extension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroup"],
        "E4"
    );
    assert_eq!(
        r.json()["onPremisesExtensionAttributes"]["extensionAttribute13"],
        "CC-4410"
    );
}
