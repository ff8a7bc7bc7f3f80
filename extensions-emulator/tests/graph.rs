//! The emulator over real HTTP: every documented path, status and error, each asserting status, body and
//! stored state.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Harness, OTHER_TOKEN};
use serde_json::{Value, json};

/// (extensions path prefix, JSON pointer of the resource in the state, class).
fn resources() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        ("/users/u1", "/users/0", "directory"),
        ("/users/adele%40contoso.com", "/users/0", "directory"),
        ("/me", "/users/0", "directory"),
        ("/groups/g1", "/groups/0", "directory"),
        ("/devices/d1", "/devices/0", "directory"),
        ("/organization/o1", "/organization/0", "directory"),
        (
            "/administrativeUnits/a1",
            "/administrativeUnits/0",
            "directory",
        ),
        (
            "/users/u1/events/AAMk%2Be1%3D%3D",
            "/users/0/events/0",
            "outlook",
        ),
        ("/me/events/AAMk%2Be1%3D%3D", "/users/0/events/0", "outlook"),
        (
            "/groups/g1/events/AAMk%2Bge1%3D%3D",
            "/groups/0/events/0",
            "outlook",
        ),
        (
            "/groups/g1/threads/AAQk%2Bt1%3D%3D/posts/AAMk%2Bp1%3D%3D",
            "/groups/0/threads/0/posts/0",
            "outlook",
        ),
        (
            "/users/u1/messages/AAMk%2Bm1%3D%3D",
            "/users/0/messages/0",
            "outlook",
        ),
        (
            "/me/messages/AAMk%2Bm1%3D%3D",
            "/users/0/messages/0",
            "outlook",
        ),
        (
            "/users/u1/contacts/AAMk%2Bc1%3D%3D",
            "/users/0/contacts/0",
            "outlook",
        ),
        ("/users/u1/todo/lists/L1", "/users/0/todoLists/0", "todo"),
        (
            "/users/u1/todo/lists/L1/tasks/T1",
            "/users/0/todoLists/0/tasks/0",
            "todo",
        ),
    ]
}

#[tokio::test]
async fn create_get_patch_delete_on_every_resource() {
    for (res, pointer, class) in resources() {
        let h = Harness::new().await;
        let body = json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": "com.contoso.Referral",
                          "companyName": "Wingtip Toys", "dealValue": 500050, "topPicks": ["a", "b"]});
        let created = h
            .call("POST", &format!("{res}/extensions"), Some(body))
            .await;
        assert_eq!(created.status, 201, "{res}: {:?}", created.body);
        assert_eq!(created.headers["content-type"], "application/json");
        let expected_id = if class == "outlook" {
            "Microsoft.OutlookServices.OpenTypeExtension.com.contoso.Referral"
        } else {
            "com.contoso.Referral"
        };
        assert_eq!(created.json()["id"], expected_id, "{res}");
        assert_eq!(
            created.json()["@odata.type"],
            "#microsoft.graph.openTypeExtension"
        );
        assert_eq!(created.json()["extensionName"], "com.contoso.Referral");

        // Read by name and by full id.
        for key in ["com.contoso.Referral", expected_id] {
            let got = h
                .call("GET", &format!("{res}/extensions/{key}"), None)
                .await;
            assert_eq!(got.status, 200, "{res} {key}");
            assert_eq!(got.json()["dealValue"], 500050);
        }

        // PATCH replaces on directory objects (`topPicks` is omitted, so it is deleted) and merges
        // on Outlook and to-do items (`topPicks` is kept).
        let patch = json!({"@odata.type": "#microsoft.graph.openTypeExtension", "extensionName": "com.contoso.Referral",
                           "companyName": "Wingtip Toys (USA)", "dealValue": null});
        let patched = h
            .call(
                "PATCH",
                &format!("{res}/extensions/com.contoso.Referral"),
                Some(patch),
            )
            .await;
        match class {
            "directory" => assert_eq!(
                (patched.status, patched.body.is_none()),
                (204, true),
                "{res}"
            ),
            _ => {
                assert_eq!(patched.status, 200, "{res}");
                assert_eq!(patched.json()["companyName"], "Wingtip Toys (USA)");
            }
        }
        let stored = h.stored(pointer).await;
        assert_eq!(stored.len(), 1, "{res}");
        assert_eq!(stored[0]["companyName"], "Wingtip Toys (USA)");
        assert_eq!(stored[0]["dealValue"], Value::Null);
        if class == "directory" {
            assert!(
                stored[0].get("topPicks").is_none(),
                "{res}: omitted property deleted"
            );
        } else {
            assert!(
                stored[0].get("topPicks").is_some(),
                "{res}: omitted property kept"
            );
        }

        let deleted = h
            .call(
                "DELETE",
                &format!("{res}/extensions/com.contoso.Referral"),
                None,
            )
            .await;
        assert_eq!(
            (deleted.status, deleted.body.is_none()),
            (204, true),
            "{res}"
        );
        assert!(h.stored(pointer).await.is_empty());
        let gone = h
            .call(
                "GET",
                &format!("{res}/extensions/com.contoso.Referral"),
                None,
            )
            .await;
        assert_eq!(gone.status, 404);
        assert_eq!(gone.error_code(), "ResourceNotFound");
        assert_eq!(gone.error_message(), "Extension with given id not found.");
    }
}

#[tokio::test]
async fn error_bodies_carry_inner_error_and_the_client_request_id() {
    let h = Harness::new().await;
    let resp = h
        .http
        .get(format!(
            "{}/users/nobody/extensions/com.contoso.X",
            h.emu.url()
        ))
        .header("Authorization", "Bearer token-a")
        .header("client-request-id", "my-cid-1")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert_eq!(resp.headers()["client-request-id"], "my-cid-1");
    let rid = resp.headers()["request-id"].to_str().unwrap().to_owned();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "Request_ResourceNotFound");
    assert!(body["error"]["message"].as_str().unwrap().ends_with(
        "does not exist or one of its queried reference-property objects are not present."
    ));
    assert_eq!(body["error"]["innerError"]["client-request-id"], "my-cid-1");
    assert_eq!(body["error"]["innerError"]["request-id"], rid);
    assert_eq!(
        body["error"]["innerError"]["date"].as_str().unwrap().len(),
        19
    );
}

#[tokio::test]
async fn auth_is_required() {
    let h = Harness::new().await;
    let none = h.call_as(None, "GET", "/users/u1/extensions", None).await;
    assert_eq!(
        (none.status, none.error_code()),
        (401, "InvalidAuthenticationToken")
    );
    assert_eq!(none.error_message(), "Access token is empty.");
    let bad = h
        .call_as(Some("nope"), "GET", "/users/u1/extensions", None)
        .await;
    assert_eq!(
        (bad.status, bad.error_code()),
        (401, "InvalidAuthenticationToken")
    );
    assert!(bad.error_message().contains("validation fail"));
    // An app-only token has no /me.
    let me = h
        .call_as(Some(OTHER_TOKEN), "GET", "/me/extensions", None)
        .await;
    assert_eq!(me.status, 400);
}

#[tokio::test]
async fn request_errors_of_graph_md() {
    let h = Harness::new().await;
    let ext = |t: Option<&str>| {
        let mut b = json!({"extensionName": "com.contoso.X", "a": 1});
        if let Some(t) = t {
            b["@odata.type"] = json!(t);
        }
        b
    };
    // Missing @odata.type on an Outlook item.
    let r = h
        .call(
            "POST",
            "/me/messages/AAMk%2Bm1%3D%3D/extensions",
            Some(ext(None)),
        )
        .await;
    assert_eq!((r.status, r.error_code()), (400, "BadRequest"));
    assert_eq!(
        r.error_message(),
        "Cannot process input of abstract type 'microsoft.graph.extension'"
    );
    // Unknown @odata.type.
    let r = h
        .call(
            "POST",
            "/users/u1/extensions",
            Some(ext(Some("microsoft.graph.somethingElse"))),
        )
        .await;
    assert_eq!((r.status, r.error_code()), (400, "RequestBodyRead"));
    assert!(r.error_message().starts_with(
        "A type named 'microsoft.graph.somethingElse' could not be resolved by the model."
    ));
    // With and without '#', any case, and the Outlook type name are accepted: each one creates.
    let types = [
        "#microsoft.graph.openTypeExtension",
        "Microsoft.Graph.OpenTypeExtension",
        "Microsoft.OutlookServices.OpenTypeExtension",
    ];
    for (i, t) in types.iter().enumerate() {
        let mut body = ext(Some(t));
        body["extensionName"] = json!(format!("com.contoso.Type{i}"));
        let r = h
            .call(
                "POST",
                "/groups/g1/events/AAMk%2Bge1%3D%3D/extensions",
                Some(body),
            )
            .await;
        assert_eq!(r.status, 201, "{t}: {:?}", r.body);
    }
    assert_eq!(h.stored("/groups/0/events/0").await.len(), 3);
    let r = h
        .call(
            "POST",
            "/groups/g1/events/AAMk%2Bge1%3D%3D/extensions",
            Some(ext(Some("microsoft.graph.openTypeExtension"))),
        )
        .await;
    assert_eq!(r.status, 201);
    // A name used again: merged on an Outlook item (201 with the merged object), refused on a
    // directory object and a to-do item.
    let mut again = ext(Some("microsoft.graph.openTypeExtension"));
    again["added"] = json!(7);
    let r = h
        .call(
            "POST",
            "/groups/g1/events/AAMk%2Bge1%3D%3D/extensions",
            Some(again.clone()),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["added"], 7);
    let before = ext(Some("microsoft.graph.openTypeExtension"));
    for (k, v) in before.as_object().unwrap() {
        if !k.starts_with('@') {
            assert_eq!(&r.json()[k], v, "{k} kept");
        }
    }
    for res in ["/groups/g1", "/users/u1/todo/lists/L1/tasks/T1"] {
        let first = h.call("POST", &format!("{res}/extensions"), Some(json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": "com.contoso.Dup"}))).await;
        assert_eq!(first.status, 201, "{res}");
        let r = h.call("POST", &format!("{res}/extensions"), Some(json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": "com.contoso.Dup"}))).await;
        assert_eq!(
            (r.status, r.error_code()),
            (400, "Request_BadRequest"),
            "{res}"
        );
        assert_eq!(
            r.error_message(),
            "An extension already exists with given id."
        );
    }
    // Parent not found: a directory object, an Outlook item, a to-do item.
    let r = h
        .call(
            "POST",
            "/devices/nope/extensions",
            Some(ext(Some("microsoft.graph.openTypeExtension"))),
        )
        .await;
    assert_eq!(
        (r.status, r.error_code(), r.error_message()),
        (
            404,
            "Request_ResourceNotFound",
            "Resource 'nope' does not exist or one of its queried reference-property objects are not present."
        )
    );
    // Ids Graph could have issued (long base64), which the store does not hold.
    for missing in [
        "/users/u1/messages/AAMkAGI2TG93AAAAAAAA/extensions",
        "/users/u1/todo/lists/AAMkAGI2TG93AAAAAAAA/extensions",
        "/users/u1/todo/lists/L1/tasks/AAMkAGI2TG93AAAAAAAA/extensions",
        "/groups/g1/threads/AAQkAGI2TG93AAAAAAAA/posts/p/extensions",
    ] {
        let r = h.call("GET", missing, None).await;
        assert_eq!(
            (r.status, r.error_code(), r.error_message()),
            (
                404,
                "ErrorItemNotFound",
                "The specified object was not found in the store."
            ),
            "{missing}"
        );
    }
    let r = h.call("GET", "/users/nope/extensions", None).await;
    assert_eq!(
        (r.status, r.error_code()),
        (404, "Request_ResourceNotFound")
    );
    // An unknown segment names itself; a known path with an unknown method is a 405.
    for (path, segment) in [
        ("/planets/p1/extensions", "planets"),
        ("/users/u1/planets/p1/extensions", "planets"),
        ("/users/u1/extensions/a/b", "b"),
    ] {
        let r = h.call("GET", path, None).await;
        assert_eq!(
            (r.status, r.error_code(), r.error_message()),
            (
                400,
                "BadRequest",
                format!("Resource not found for the segment '{segment}'.").as_str()
            ),
            "{path}"
        );
    }
    let r = h
        .call("PUT", "/users/u1/extensions/com.contoso.X", None)
        .await;
    assert_eq!(r.status, 405);
    // Graph stores any JSON value, nested objects and arrays included, and gives it back.
    for (i, nested) in [json!({"x": 1}), json!([[1]]), json!([{"x": {"y": [null]}}])]
        .into_iter()
        .enumerate()
    {
        let name = format!("com.contoso.Nested{i}");
        // Two per app per directory object: the third goes to another one.
        let res = if i < 2 {
            "/organization/o1"
        } else {
            "/administrativeUnits/a1"
        };
        let r = h.call("POST", &format!("{res}/extensions"), Some(json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": name, "v": nested}))).await;
        assert_eq!(r.status, 201, "{nested}");
        assert_eq!(r.json()["v"], nested);
        let back = h
            .call("GET", &format!("{res}/extensions/{name}"), None)
            .await;
        assert_eq!(back.json()["v"], nested);
    }
    assert!(
        h.stored("/devices/0").await.is_empty(),
        "nothing stored by refused requests"
    );
}

#[tokio::test]
async fn directory_objects_accept_an_id_only_body_and_a_patch_without_odata_type() {
    let h = Harness::new().await;
    let r = h.call("POST", "/devices/d1/extensions", Some(json!({"@odata.type": "microsoft.graph.openTypeExtension", "id": "com.contoso.IdOnly", "a": 1}))).await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["id"], "com.contoso.IdOnly");
    assert!(r.json().get("extensionName").is_none());
    let r = h
        .call(
            "PATCH",
            "/devices/d1/extensions/com.contoso.IdOnly",
            Some(json!({"extensionName": "com.contoso.IdOnly", "a": 2})),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(h.stored("/devices/0").await[0]["a"], 2);
    // "Updating only id deletes extensionName."
    let r = h
        .call(
            "PATCH",
            "/devices/d1/extensions/com.contoso.IdOnly",
            Some(json!({"id": "com.contoso.IdOnly", "a": 3})),
        )
        .await;
    assert_eq!(r.status, 204);
    let stored = h.stored("/devices/0").await;
    assert!(stored[0].get("extensionName").is_none());
    assert_eq!(stored[0]["a"], 3);
}

#[tokio::test]
async fn list_and_expand() {
    let h = Harness::new().await;
    for res in [
        "/users/u1",
        "/users/u1/todo/lists/L1",
        "/me/messages/AAMk%2Bm1%3D%3D",
    ] {
        for name in ["com.contoso.A", "com.contoso.B"] {
            let r = h.call("POST", &format!("{res}/extensions"), Some(json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": name, "n": 1}))).await;
            assert_eq!(r.status, 201);
        }
    }
    let list = h.call("GET", "/users/u1/extensions", None).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json()["value"].as_array().unwrap().len(), 2);
    let list = h
        .call("GET", "/users/u1/todo/lists/L1/extensions", None)
        .await;
    assert_eq!(list.json()["value"].as_array().unwrap().len(), 2);
    let outlook = h
        .call("GET", "/me/messages/AAMk%2Bm1%3D%3D/extensions", None)
        .await;
    assert_eq!(
        (outlook.status, outlook.error_code()),
        (400, "ErrorInvalidRequest")
    );
    assert_eq!(
        outlook.error_message(),
        "The OData request is not supported."
    );

    // Without a `$select` of `id`, Graph answers the expand on users with a 500; with one, only
    // the selected fields come back, and the extensions.
    let no_select = h.call("GET", "/users/u1?$expand=extensions", None).await;
    assert_eq!(
        (no_select.status, no_select.error_code()),
        (500, "InternalServerError")
    );
    let no_id = h
        .call(
            "GET",
            "/users/u1?$select=displayName&$expand=extensions",
            None,
        )
        .await;
    assert_eq!(no_id.status, 500);
    let user = h
        .call(
            "GET",
            "/users/u1?$SELECT=id,userPrincipalName&$Expand=Extensions",
            None,
        )
        .await;
    assert_eq!(user.status, 200);
    assert_eq!(user.json()["userPrincipalName"], "adele@contoso.com");
    assert_eq!(user.json()["extensions"].as_array().unwrap().len(), 2);
    let unfiltered = h
        .call(
            "GET",
            "/me/messages/AAMk%2Bm1%3D%3D?$expand=extensions",
            None,
        )
        .await;
    assert_eq!(
        (unfiltered.status, unfiltered.error_code()),
        (400, "ErrorGraphExtensionExpandRequiresFilter")
    );
    // The SDKs' encoding of the filtered expand.
    let filtered = h
        .call("GET", "/me/messages/AAMk%2Bm1%3D%3D?$expand=extensions%28%24filter%3Did%20eq%20%27Com.Contoso.B%27%29", None)
        .await;
    assert_eq!(filtered.status, 200, "{:?}", filtered.body);
    let exts = filtered.json()["extensions"].as_array().unwrap();
    assert_eq!(exts.len(), 1);
    assert_eq!(exts[0]["extensionName"], "com.contoso.B");
}

#[tokio::test]
async fn users_with_extensions_page_by_next_link() {
    let h = Harness::start(common::config(extensions_emulator::Seed::new().users(250))).await;
    for u in ["u0", "u101", "u249"] {
        let r = h.call("POST", &format!("/users/{u}/extensions"), Some(json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": "com.contoso.S", "u": u}))).await;
        assert_eq!(r.status, 201);
    }
    let mut url = "/users?$select=id&$expand=extensions&$top=999".to_owned();
    let (mut pages, mut users, mut with_ext) = (0, 0, Vec::new());
    loop {
        let page = h.call("GET", &url, None).await;
        assert_eq!(page.status, 200, "{url}");
        pages += 1;
        for u in page.json()["value"].as_array().unwrap() {
            users += 1;
            if let Some(e) = u["extensions"].as_array().and_then(|e| e.first()) {
                with_ext.push(e["u"].as_str().unwrap().to_owned());
            }
        }
        match page.json().get("@odata.nextLink").and_then(Value::as_str) {
            Some(next) => {
                assert!(next.starts_with(&h.emu.url()), "{next}");
                url = next.to_owned();
            }
            None => break,
        }
    }
    assert_eq!((pages, users), (3, 250));
    assert_eq!(with_ext, ["u0", "u101", "u249"]);
    let bad = h.call("GET", "/users?$top=1000", None).await;
    assert_eq!(bad.status, 400);
}
