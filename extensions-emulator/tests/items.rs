//! The emulator over real HTTP: new Outlook and to-do items carrying extensions, their collections filtered by extension, paths in beta and OData key syntax, administrative units on both paths.

#![allow(clippy::unwrap_used)]

mod common;

use common::Harness;
use serde_json::json;

#[tokio::test]
async fn create_with_a_new_item() {
    let h = Harness::new().await;
    let ext = json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": "Com.Contoso.Referral",
                     "companyName": "Wingtip Toys", "dealValue": 10000});
    // Each with a property of its own type (a contact has no subject, a task has a title).
    for (path, pointer, field) in [
        ("/me/messages", "/users/0/messages", "subject"),
        ("/users/u1/events", "/users/0/events", "subject"),
        ("/users/u1/contacts", "/users/0/contacts", "displayName"),
        ("/users/u1/todo/lists", "/users/0/todoLists", "displayName"),
        (
            "/users/u1/todo/lists/L1/tasks",
            "/users/0/todoLists/0/tasks",
            "title",
        ),
        ("/groups/g1/events", "/groups/0/events", "subject"),
    ] {
        let r = h
            .call(
                "POST",
                path,
                Some(json!({field: "Annual review", "extensions": [ext.clone()]})),
            )
            .await;
        assert_eq!(r.status, 201, "{path}: {:?}", r.body);
        let id = r.json()["id"].as_str().unwrap().to_owned();
        assert_eq!(r.json()[field], "Annual review");
        assert_eq!(
            r.json()["extensions"][0]["extensionName"],
            "Com.Contoso.Referral"
        );
        let state = h.state().await;
        let items = state.pointer(pointer).unwrap().as_array().unwrap();
        let item = items.iter().find(|i| i["id"] == id.as_str()).unwrap();
        assert_eq!(item["extensions"][0]["dealValue"], 10000, "{path}");
    }
    // A reply to a post creates a new post with the extension: 202, no body.
    let reply = json!({"post": {"body": {"contentType": "html", "content": "When and where?"},
        "extensions": [{"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": "Com.Contoso.HR",
                        "companyName": "Contoso", "topPicks": ["Employees only", "Add spouse or guest", "Add family"]}]}});
    let r = h
        .call(
            "POST",
            "/groups/g1/threads/AAQk%2Bt1%3D%3D/posts/AAMk%2Bp1%3D%3D/reply",
            Some(reply),
        )
        .await;
    assert_eq!((r.status, r.body.is_none()), (202, true));
    let posts = h
        .state()
        .await
        .pointer("/groups/0/threads/0/posts")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[1]["extensions"][0]["topPicks"][2], "Add family");
    // The wrapper key in another letter case, as the Python SDK sends it.
    let r = h
        .call(
            "POST",
            "/groups/g1/threads/AAQk%2Bt1%3D%3D/posts/AAMk%2Bp1%3D%3D/reply",
            Some(json!({"Post": {"body": {"contentType": "text", "content": "Noon."}}})),
        )
        .await;
    assert_eq!(r.status, 202);
    // A bad extension refuses the whole item.
    let r = h
        .call(
            "POST",
            "/me/messages",
            Some(json!({"subject": "x", "extensions": [{"extensionName": "com.contoso.NoType"}]})),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        h.state()
            .await
            .pointer("/users/0/messages")
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn outlook_collections_filter_by_extension_and_expand_it() {
    let h = Harness::new().await;
    // Two new messages with the referral, one without, and one with another extension.
    let ext = |name: &str| json!([{"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": name, "n": 1}]);
    for (subject, exts) in [
        ("a", ext("Com.Contoso.Referral")),
        ("b", json!([])),
        ("c", ext("Com.Contoso.Referral")),
        ("d", ext("Com.Contoso.Other")),
    ] {
        let r = h
            .call(
                "POST",
                "/me/messages",
                Some(json!({"subject": subject, "extensions": exts})),
            )
            .await;
        assert_eq!(r.status, 201);
    }
    // Any letter case in the option and navigation names, any lambda variable.
    for query in [
        "$filter=Extensions/any(f:f/id eq 'Com.Contoso.Referral')&$expand=Extensions($filter=id eq 'Com.Contoso.Referral')",
        "$FILTER=extensions/any(x: x/id eq 'Com.Contoso.Referral')&$Expand=extensions($filter=id eq 'Com.Contoso.Referral')",
    ] {
        let r = h.call("GET", &format!("/me/messages?{query}"), None).await;
        assert_eq!(r.status, 200, "{query}: {:?}", r.body);
        let value = r.json()["value"].as_array().unwrap().clone();
        let subjects: Vec<&str> = value
            .iter()
            .map(|m| m["subject"].as_str().unwrap())
            .collect();
        assert_eq!(subjects, ["a", "c"], "{query}");
        for m in &value {
            assert_eq!(m["extensions"].as_array().unwrap().len(), 1);
            assert_eq!(m["extensions"][0]["extensionName"], "Com.Contoso.Referral");
        }
    }
    // Without $expand the filter still applies; an unsupported filter is 400; expanding every
    // extension of an Outlook item without a filter is refused as Graph does.
    let r = h
        .call(
            "GET",
            "/users/u1/messages?$filter=Extensions/any(f:f/id eq 'Com.Contoso.Other')",
            None,
        )
        .await;
    assert_eq!(r.json()["value"].as_array().unwrap().len(), 1);
    assert!(r.json()["value"][0].get("extensions").is_none());
    let r = h
        .call("GET", "/me/messages?$filter=subject eq 'a'", None)
        .await;
    assert_eq!((r.status, r.error_code()), (400, "BadRequest"));
    let r = h.call("GET", "/me/messages?$expand=extensions", None).await;
    assert_eq!(r.error_code(), "ErrorGraphExtensionExpandRequiresFilter");
    // The same filter on events and contacts.
    let r = h
        .call(
            "POST",
            "/me/events",
            Some(json!({"subject": "e", "extensions": ext("Com.Contoso.Referral")})),
        )
        .await;
    assert_eq!(r.status, 201);
    for coll in ["events", "contacts"] {
        let r = h
            .call(
                "GET",
                &format!("/me/{coll}?$filter=Extensions/any(f:f/id eq 'Com.Contoso.Referral')"),
                None,
            )
            .await;
        assert_eq!(r.status, 200);
        let expected = usize::from(coll == "events");
        assert_eq!(
            r.json()["value"].as_array().unwrap().len(),
            expected,
            "{coll}"
        );
    }
}

#[tokio::test]
async fn beta_prefix_and_odata_key_syntax() {
    let h = Harness::new().await;
    let r = h.call("POST", "/beta/administrativeUnits/a1/extensions", Some(json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": "com.contoso.AU"}))).await;
    assert_eq!(r.status, 201);
    let r = h
        .call(
            "GET",
            "/beta/administrativeUnits('a1')/extensions('com.contoso.AU')",
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    let r = h.call("GET", "/v2.0/users/u1/extensions", None).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn administrative_units_on_the_v1_path_and_the_beta_path_are_one_unit() {
    let h = Harness::new().await;
    let r = h.call("POST", "/directory/administrativeUnits/a1/extensions", Some(json!({"@odata.type": "#microsoft.graph.openTypeExtension", "extensionName": "com.contoso.AUv1", "n": 1}))).await;
    assert_eq!(r.status, 201);
    let r = h
        .call(
            "GET",
            "/beta/administrativeUnits/a1/extensions/com.contoso.AUv1",
            None,
        )
        .await;
    assert_eq!((r.status, r.json()["n"].clone()), (200, json!(1)));
    let r = h
        .call(
            "GET",
            "/directory/administrativeUnits/nope/extensions",
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.error_code()),
        (404, "Request_ResourceNotFound")
    );
}
