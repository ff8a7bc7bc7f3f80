//! The emulator over real HTTP: the size limit, two extensions per app, every number from a request checked, and ids Graph could not have issued.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Harness, OTHER_TOKEN};
use serde_json::{Value, json};

#[tokio::test]
async fn the_size_limit_is_core_s_and_applies_to_directory_objects_only() {
    use extensions_core::op::{Create, Operation};
    use extensions_core::{ExtensionName, Properties, Resource};
    let h = Harness::new().await;
    let name = ExtensionName::new("com.contoso.Big").unwrap();
    let base = extensions_core::extension::untyped_size(&name, &{
        let mut p = Properties::new();
        p.insert("s", "");
        p
    })
    .unwrap();
    let body_with = |len: usize| {
        let mut p = Properties::new();
        p.insert("s", "é".repeat(len / 2) + &"a".repeat(len % 2));
        p
    };
    // Exactly 2048 bytes as core counts them: accepted. One more: refused by the emulator too.
    let at_limit = body_with(2048 - base);
    assert_eq!(
        extensions_core::extension::untyped_size(&name, &at_limit).unwrap(),
        2048
    );
    let req = Create::untyped(Resource::device("d1"), &name, &at_limit)
        .request()
        .unwrap();
    let sent: Value = serde_json::from_slice(req.body()).unwrap();
    let r = h
        .call("POST", "/devices/d1/extensions", Some(sent.clone()))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let mut over = sent.clone();
    over["s"] = json!(format!("{}a", over["s"].as_str().unwrap()));
    over["extensionName"] = json!("com.contoso.Big2");
    over["id"] = json!("com.contoso.Big2");
    // Same length name, one more byte.
    over["extensionName"] = json!("com.contoso.Bih");
    over["id"] = json!("com.contoso.Bih");
    let r = h
        .call("POST", "/devices/d1/extensions", Some(over.clone()))
        .await;
    assert_eq!((r.status, r.error_code()), (400, "BadRequest"));
    assert_eq!(
        r.error_message(),
        "Maximum size supported for each extension is : 2 KB."
    );
    // Whitespace in the request does not count: the compact form is measured.
    let pretty = serde_json::to_string_pretty(&sent).unwrap();
    assert!(pretty.len() > 2048);
    let resp = h
        .http
        .patch(format!(
            "{}/devices/d1/extensions/com.contoso.Big",
            h.emu.url()
        ))
        .header("Authorization", "Bearer token-a")
        .header("Content-Type", "application/json")
        .body(pretty)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    // No limit on an Outlook item.
    over["@odata.type"] = json!("microsoft.graph.openTypeExtension");
    let r = h
        .call(
            "POST",
            "/me/messages/AAMk%2Bm1%3D%3D/extensions",
            Some(over),
        )
        .await;
    assert_eq!(r.status, 201);
}

#[tokio::test]
async fn two_extensions_per_app_per_directory_object() {
    let h = Harness::new().await;
    let ext =
        |n: &str| json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": n});
    for n in ["com.contoso.A", "com.contoso.B"] {
        assert_eq!(
            h.call("POST", "/groups/g1/extensions", Some(ext(n)))
                .await
                .status,
            201
        );
    }
    let third = h
        .call("POST", "/groups/g1/extensions", Some(ext("com.contoso.C")))
        .await;
    assert_eq!((third.status, third.error_code()), (400, "BadRequest"));
    assert_eq!(
        third.error_message(),
        "maximum number of extensions values supported per application is 2."
    );
    // Another app has its own two.
    let other = h
        .call_as(
            Some(OTHER_TOKEN),
            "POST",
            "/groups/g1/extensions",
            Some(ext("com.fabrikam.C")),
        )
        .await;
    assert_eq!(other.status, 201);
    assert_eq!(h.stored("/groups/0").await.len(), 3);
    // No such limit on an Outlook item.
    for n in ["com.contoso.A", "com.contoso.B", "com.contoso.C"] {
        assert_eq!(
            h.call(
                "POST",
                "/me/events/AAMk%2Be1%3D%3D/extensions",
                Some(ext(n))
            )
            .await
            .status,
            201
        );
    }
}

#[tokio::test]
async fn every_number_from_a_request_is_checked() {
    let h = Harness::start(common::config(extensions_emulator::Seed::new().users(5))).await;
    for token in [
        "skip-18446744073709551615",
        "skip-99999999999999999999999",
        "skip-6",
        "skip--1",
        "x",
    ] {
        let r = h
            .call(
                "GET",
                &format!("/users?%24select=id&%24expand=extensions&%24skiptoken={token}"),
                None,
            )
            .await;
        assert_eq!(r.status, 400, "{token}");
    }
    let r = h
        .call(
            "GET",
            "/users?%24select=id&%24expand=extensions&%24skiptoken=skip-5",
            None,
        )
        .await;
    let len = r
        .body
        .as_ref()
        .and_then(|b| b["value"].as_array())
        .map(Vec::len);
    assert_eq!((r.status, len), (200, Some(0)));
}

#[tokio::test]
async fn a_malformed_item_id_is_400_error_invalid_id_malformed() {
    let h = Harness::new().await;
    for path in [
        "/me/messages/not%20an%20id/extensions",
        "/users/u1/events/a%28b%29/extensions/com.contoso.X",
        "/users/u1/todo/lists/L%21/extensions",
        "/groups/g1/threads/t%7Bx%7D/posts/p/extensions",
    ] {
        let r = h.call("GET", path, None).await;
        assert_eq!(
            (r.status, r.error_code(), r.error_message()),
            (400, "ErrorInvalidIdMalformed", "Id is malformed."),
            "{path}"
        );
    }
    // Too short to be an id Graph issued (issue "Tighter", 2): malformed too, unless a seed
    // declared it (the full seed's to-do list `L1` is found).
    for path in [
        "/me/messages/123/extensions",
        "/me/messages/AAMkZZZ=/extensions/com.contoso.X",
        "/users/u1/todo/lists/L1/tasks/T2/extensions",
    ] {
        let r = h.call("GET", path, None).await;
        assert_eq!(
            (r.status, r.error_code()),
            (400, "ErrorInvalidIdMalformed"),
            "{path}"
        );
    }
    let r = h
        .call("GET", "/users/u1/todo/lists/L1/extensions", None)
        .await;
    assert_eq!(r.status, 200);
    // A well-formed id that is not there is a not-found, as before.
    let r = h
        .call(
            "GET",
            "/me/messages/AAMkAGI2TG93AAAAAAAAZZZ=/extensions/com.contoso.X",
            None,
        )
        .await;
    assert_eq!((r.status, r.error_code()), (404, "ErrorItemNotFound"));
}

#[tokio::test]
async fn an_unknown_segment_anywhere_is_400_naming_it() {
    let h = Harness::new().await;
    for (path, segment) in [
        ("/usres/u1/messages", "usres"),
        ("/usres/u1", "usres"),
        ("/users/u1/extensionz", "extensionz"),
        ("/users/u1/mesages/AAMk+m1==/extensions", "mesages"),
        ("/groups/g1/thread/t/posts", "thread"),
    ] {
        for method in ["GET", "POST"] {
            let r = h.call(method, path, Some(serde_json::json!({}))).await;
            assert_eq!(
                (r.status, r.error_code(), r.error_message()),
                (
                    400,
                    "BadRequest",
                    format!("Resource not found for the segment '{segment}'.").as_str()
                ),
                "{method} {path}"
            );
        }
    }
}
