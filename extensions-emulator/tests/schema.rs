//! Schema extensions in the emulator, over HTTP: the tutorial's requests as written, the
//! definition lifecycle and who may do what, data merged and checked against its definition,
//! shown only with `$select`, and found with `$filter`.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Harness, OTHER_TOKEN, config, courses, full_seed};
use extensions_emulator::Seed;
use serde_json::{Value, json};

async fn harness() -> Harness {
    let mut cfg = config(full_seed());
    cfg.verified_domains = vec!["graphlearn.com".into(), "contoso.com".into()];
    Harness::start(cfg).await
}

/// The tutorial "Add custom data to groups using schema extensions"
/// (learn.microsoft.com/graph/extensibility-schema-groups), each request as written (host and
/// ids changed; step 5's filter with straight quotes, URL-encoded as it says).
#[tokio::test]
async fn the_tutorial_as_written() {
    let h = harness().await;
    // 1. View available schema extensions.
    let r = h
        .call(
            "GET",
            "/schemaExtensions?$filter=id eq 'graphlearn_test'",
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["value"], json!([]));
    // 2. Register a definition.
    let r = h
        .call(
            "POST",
            "/schemaExtensions",
            Some(courses("graphlearn_courses")),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.json()["status"], "InDevelopment");
    assert_eq!(r.json()["owner"], "app-a");
    assert_eq!(
        r.json()["properties"][0],
        json!({"name": "courseId", "type": "Integer"})
    );
    // 3. Create a new group with extended data; the answer does not show the data.
    let r = h
        .call(
            "POST",
            "/groups",
            Some(json!({
                "displayName": "New Managers March 2017",
                "description": "New Managers training course for March 2017",
                "groupTypes": ["Unified"],
                "mailEnabled": true,
                "mailNickname": "newMan201703",
                "securityEnabled": false,
                "graphlearn_courses": {
                    "courseId": "123",
                    "courseName": "New Managers",
                    "courseType": "Online"
                }
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert!(r.json().get("graphlearn_courses").is_none());
    let group = r.json()["id"].as_str().unwrap().to_owned();
    // 4. Add or update custom data in an existing group.
    let r = h
        .call(
            "PATCH",
            &format!("/groups/{group}"),
            Some(json!({"graphlearn_courses": {
                "courseId": "123", "courseName": "New Managers", "courseType": "Online"
            }})),
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    // 5. Get a group and its extension data, found by filter.
    let r = h
        .call(
            "GET",
            "/groups?$filter=graphlearn_courses%2FcourseId%20eq%20%27123%27&$select=displayName,id,description,graphlearn_courses",
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let value = r.json()["value"].as_array().unwrap();
    assert_eq!(value.len(), 1);
    assert_eq!(value[0]["id"], group.as_str());
    assert_eq!(value[0]["displayName"], "New Managers March 2017");
    // Plain properties the create sent are kept and selected, whether the emulator models them
    // or not.
    assert_eq!(
        value[0]["description"],
        "New Managers training course for March 2017"
    );
    assert_eq!(
        value[0]["graphlearn_courses"],
        json!({
            "@odata.type": "#microsoft.graph.ComplexExtensionValue",
            "courseId": 123,
            "courseName": "New Managers",
            "courseType": "Online"
        })
    );
    assert!(
        value[0].get("groupTypes").is_none(),
        "only the selected fields"
    );
    // Without $select the data is not shown.
    let r = h.call("GET", &format!("/groups/{group}"), None).await;
    assert!(r.json().get("graphlearn_courses").is_none());
    // Remove the data: the complex property set to null.
    let r = h
        .call(
            "PATCH",
            &format!("/groups/{group}"),
            Some(json!({"graphlearn_courses": null})),
        )
        .await;
    assert_eq!(r.status, 204);
    let r = h
        .call(
            "GET",
            &format!("/groups/{group}?$select=id,graphlearn_courses"),
            None,
        )
        .await;
    assert_eq!(r.json(), &json!({"id": group}));
    // Delete the definition.
    let r = h
        .call("DELETE", "/schemaExtensions/graphlearn_courses", None)
        .await;
    assert_eq!(r.status, 204);
    let r = h
        .call("GET", "/schemaExtensions/graphlearn_courses", None)
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.error_code(), "Request_ResourceNotFound");
}

#[tokio::test]
async fn ids_owners_and_the_limit() {
    let h = harness().await;
    // A bare name gets an `ext{8}_` id.
    let r = h
        .call("POST", "/schemaExtensions", Some(courses("courses")))
        .await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].as_str().unwrap();
    assert!(
        id.starts_with("ext") && id.ends_with("_courses") && id.len() == 3 + 8 + 8,
        "{id}"
    );
    assert!(
        id[3..11]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );
    // The same id twice.
    let r = h
        .call(
            "POST",
            "/schemaExtensions",
            Some(courses("contoso_courses")),
        )
        .await;
    assert_eq!(r.status, 201);
    let r = h
        .call(
            "POST",
            "/schemaExtensions",
            Some(courses("contoso_courses")),
        )
        .await;
    assert_eq!((r.status, r.error_code()), (400, "Request_BadRequest"));
    assert!(r.error_message().contains("already exists"));
    // A prefix that is no verified domain, an invalid id.
    for bad in ["fabrikam_courses", "contoso.com_x", "1x"] {
        let r = h
            .call("POST", "/schemaExtensions", Some(courses(bad)))
            .await;
        assert_eq!(
            (r.status, r.error_code()),
            (400, "Request_BadRequest"),
            "{bad}"
        );
    }
    // An owner app of another tenant.
    let mut body = courses("contoso_other");
    body["owner"] = json!("not-an-app-here");
    let r = h.call("POST", "/schemaExtensions", Some(body)).await;
    assert_eq!(r.status, 403);
    // Boolean on a message, an unknown type, an unknown target.
    let mut body = courses("contoso_msg");
    body["targetTypes"] = json!(["Message"]);
    assert_eq!(
        h.call("POST", "/schemaExtensions", Some(body)).await.status,
        400
    );
    let mut body = courses("contoso_dbl");
    body["properties"] = json!([{"name": "x", "type": "Double"}]);
    assert_eq!(
        h.call("POST", "/schemaExtensions", Some(body)).await.status,
        400
    );
    let mut body = courses("contoso_tt");
    body["targetTypes"] = json!(["TodoTask"]);
    assert_eq!(
        h.call("POST", "/schemaExtensions", Some(body)).await.status,
        400
    );
    // Five per owner app: two exist, three more pass, the sixth is refused.
    for n in 3..=5 {
        let r = h
            .call(
                "POST",
                "/schemaExtensions",
                Some(courses(&format!("contoso_c{n}"))),
            )
            .await;
        assert_eq!(r.status, 201, "{n}");
    }
    let r = h
        .call("POST", "/schemaExtensions", Some(courses("contoso_c6")))
        .await;
    assert_eq!(r.status, 400);
    // Graph's own text (microsoftgraph/microsoft-graph-docs#9494).
    assert_eq!(
        r.error_message(),
        "Limit of: 5 extension schema definitions can be written."
    );
    // Another app has its own five.
    let r = h
        .call_as(
            Some(OTHER_TOKEN),
            "POST",
            "/schemaExtensions",
            Some(courses("contoso_c6")),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["owner"], "app-b");
    // Listed by owner, on beta too.
    let r = h
        .call(
            "GET",
            "/beta/schemaExtensions?$filter=owner eq 'app-b'",
            None,
        )
        .await;
    assert_eq!(r.json()["value"].as_array().unwrap().len(), 1);
    // Listed by status, as the CLI for Microsoft 365's `schemaextension list --status` asks.
    let r = h
        .call(
            "PATCH",
            "/schemaExtensions/contoso_c3",
            Some(json!({"owner": "app-a", "status": "Available"})),
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    let ids = |r: &common::Answer| -> Vec<String> {
        r.json()["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let r = h
        .call(
            "GET",
            "/schemaExtensions?$filter=status eq 'Available'",
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(ids(&r), ["contoso_c3"]);
    let r = h
        .call(
            "GET",
            "/schemaExtensions?$filter=status eq 'InDevelopment'",
            None,
        )
        .await;
    let listed = ids(&r);
    // The CLI for Microsoft 365's `schemaextension list --status Available --owner …`.
    let both = h
        .call(
            "GET",
            "/schemaExtensions?$select=*&$filter=status eq 'Available' and owner eq 'app-a'",
            None,
        )
        .await;
    assert_eq!(both.status, 200, "{:?}", both.body);
    assert_eq!(ids(&both), ["contoso_c3"]);
    let none = h
        .call(
            "GET",
            "/schemaExtensions?$filter=status eq 'Available' and owner eq 'app-b'",
            None,
        )
        .await;
    assert!(ids(&none).is_empty());
    assert!(listed.contains(&"contoso_c4".to_owned()), "{listed:?}");
    assert!(!listed.contains(&"contoso_c3".to_owned()), "{listed:?}");
}

#[tokio::test]
async fn the_lifecycle_and_who_may_change_it() {
    let h = harness().await;
    h.call(
        "POST",
        "/schemaExtensions",
        Some(courses("contoso_courses")),
    )
    .await;
    let h = &h;
    let patch = |body: Value| async move {
        h.call("PATCH", "/schemaExtensions/contoso_courses", Some(body))
            .await
    };
    // Without `owner` in the body: refused, as Graph does (#4994).
    let r = patch(json!({"status": "Available"})).await;
    assert_eq!(
        (r.status, r.error_code()),
        (403, "Authorization_RequestDenied")
    );
    assert_eq!(
        r.error_message(),
        "Cannot perform this extension schema write operation."
    );
    // Another app-only app, even naming the owner.
    let r = h
        .call_as(
            Some(OTHER_TOKEN),
            "PATCH",
            "/schemaExtensions/contoso_courses",
            Some(json!({"owner": "app-a", "status": "Available"})),
        )
        .await;
    assert_eq!(r.status, 403);
    // InDevelopment cannot skip to Deprecated.
    let r = patch(json!({"owner": "app-a", "status": "Deprecated"})).await;
    assert_eq!(r.status, 400);
    // Additive: a property removed or retyped is refused; one added is kept.
    let r =
        patch(json!({"owner": "app-a", "properties": [{"name": "courseId", "type": "Integer"}]}))
            .await;
    assert_eq!(r.status, 400);
    assert!(r.error_message().contains("cannot be removed"));
    let mut props = courses("x")["properties"].clone();
    props[0]["type"] = json!("String");
    let r = patch(json!({"owner": "app-a", "properties": props})).await;
    assert!(r.error_message().contains("cannot change its type"));
    let mut props = courses("x")["properties"].clone();
    props
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "level", "type": "String"}));
    let r = patch(json!({"owner": "app-a", "properties": props, "targetTypes": ["Group", "User"]}))
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    let r = patch(json!({"owner": "app-a", "targetTypes": ["User"]})).await;
    assert_eq!(r.status, 400, "a target type cannot be removed");
    // Available, then no delete; Deprecated takes nothing but a status; back to Available.
    assert_eq!(
        patch(json!({"owner": "app-a", "status": "Available"}))
            .await
            .status,
        204
    );
    let r = h
        .call("DELETE", "/schemaExtensions/contoso_courses", None)
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        patch(json!({"owner": "app-a", "status": "Deprecated"}))
            .await
            .status,
        204
    );
    let r = patch(json!({"owner": "app-a", "description": "new"})).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        patch(json!({"owner": "app-a", "status": "Available"}))
            .await
            .status,
        204
    );
    let r = h
        .call("GET", "/schemaExtensions/contoso_courses", None)
        .await;
    assert_eq!(r.json()["status"], "Available");
    assert_eq!(r.json()["targetTypes"], json!(["Group", "User"]));
    assert_eq!(r.json()["properties"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn data_is_merged_and_checked() {
    let h = harness().await;
    let mut def = courses("contoso_courses");
    def["properties"].as_array_mut().unwrap().extend([
        json!({"name": "online", "type": "Boolean"}),
        json!({"name": "starts", "type": "DateTime"}),
        json!({"name": "syllabus", "type": "Binary"}),
    ]);
    h.call("POST", "/schemaExtensions", Some(def)).await;
    let h = &h;
    let patch = |body: Value| async move { h.call("PATCH", "/groups/g1", Some(body)).await };
    let read = || async {
        h.call("GET", "/groups/g1?$select=id,contoso_courses", None)
            .await
            .json()["contoso_courses"]
            .clone()
    };
    let r = patch(json!({"contoso_courses": {"courseId": 1, "courseName": "A", "starts": "2024-03-01T09:00:00+01:00", "syllabus": "AAEC"}})).await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    // A PATCH merges: what it omits stays; null clears one property.
    assert_eq!(
        patch(json!({"contoso_courses": {"courseName": "B", "syllabus": null}}))
            .await
            .status,
        204
    );
    assert_eq!(
        read().await,
        json!({"@odata.type": "#microsoft.graph.ComplexExtensionValue", "courseId": 1, "courseName": "B", "starts": "2024-03-01T08:00:00Z"})
    );
    // Refusals, each leaving the data as it was.
    let cases = [
        (json!({"nope": 1}), "not defined"),
        (json!({"online": "yes"}), "expected Boolean"),
        (json!({"courseId": "abc"}), "expected Integer"),
        (json!({"courseId": 3_000_000_000_i64}), "expected Integer"),
        (json!({"courseName": "x".repeat(257)}), "256-character"),
        (json!({"syllabus": base64_of(257)}), "256-byte"),
        (json!({"starts": "yesterday"}), "expected DateTime"),
    ];
    for (props, why) in cases {
        let r = patch(json!({"contoso_courses": props})).await;
        assert_eq!(
            (r.status, r.error_code()),
            (400, "Request_BadRequest"),
            "{props}"
        );
        assert!(
            r.error_message().contains(why),
            "{props}: {}",
            r.error_message()
        );
    }
    assert_eq!(read().await["courseName"], "B");
    // Limits are inclusive.
    let r = patch(
        json!({"contoso_courses": {"courseName": "é".repeat(256), "syllabus": base64_of(256)}}),
    )
    .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    // A resource type the definition does not target, an unknown schema id.
    let r = h
        .call(
            "PATCH",
            "/devices/d1",
            Some(json!({"contoso_courses": {"courseId": 1}})),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.error_message().contains("cannot be used on a device"));
    let r = patch(json!({"contoso_nothing": {"x": 1}})).await;
    assert_eq!(r.status, 400);
    // Deleting the definition removes its data.
    assert_eq!(
        h.call("DELETE", "/schemaExtensions/contoso_courses", None)
            .await
            .status,
        204
    );
    let state = h.state().await;
    let g1 = state["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "g1")
        .unwrap();
    assert!(g1.get("contoso_courses").is_none(), "{g1}");
}

/// A PATCH of an Outlook item answers 200 with the item as updated (Graph's message-update and
/// event-update pages); a directory object's answers 204.
#[tokio::test]
async fn an_item_patch_answers_200_with_the_item() {
    let h = harness().await;
    let mut def = courses("contoso_notes");
    def["targetTypes"] = json!(["Message", "Event", "Group"]);
    def["properties"] = json!([{"name": "note", "type": "String"}]);
    assert_eq!(
        h.call("POST", "/schemaExtensions", Some(def)).await.status,
        201
    );
    let r = h
        .call(
            "PATCH",
            "/users/u1/messages/AAMk+m1==",
            Some(json!({"subject": "Hello", "contoso_notes": {"note": "n"}})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.json()["id"], "AAMk+m1==");
    assert_eq!(r.json()["subject"], "Hello");
    let r = h
        .call(
            "PATCH",
            "/users/u1/events/AAMk+e1==",
            Some(json!({"contoso_notes": {"note": "e"}})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.json()["id"], "AAMk+e1==");
    let r = h
        .call(
            "GET",
            "/users/u1/events/AAMk+e1==?$select=id,contoso_notes",
            None,
        )
        .await;
    assert_eq!(r.json()["contoso_notes"]["note"], "e");
    let r = h
        .call(
            "PATCH",
            "/groups/g1",
            Some(json!({"contoso_notes": {"note": "g"}})),
        )
        .await;
    assert_eq!((r.status, r.body.as_ref()), (204, None));
}

/// A body or a `$select` naming a property the resource type does not have is refused, as
/// Graph refuses it, and nothing is stored: a misspelt property, or a schema extension's bare
/// name where its registered id belongs, fails here as on a tenant.
#[tokio::test]
async fn unknown_properties_are_refused() {
    let h = harness().await;
    let r = h
        .call("POST", "/schemaExtensions", Some(courses("training")))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let registered = r.json()["id"].as_str().unwrap().to_owned();
    assert_ne!(registered, "training");
    let before = h.state().await;
    for body in [
        json!({"whatever": {"a": 1}}),
        json!({"training": {"courseId": 1}}),
        json!({"displayName": "ok", "descripton": "misspelt"}),
    ] {
        let r = h.call("PATCH", "/groups/g1", Some(body.clone())).await;
        assert_eq!(
            (r.status, r.error_code()),
            (400, "Request_BadRequest"),
            "{body}"
        );
        let key = body
            .as_object()
            .unwrap()
            .keys()
            .next_back()
            .unwrap()
            .clone();
        assert_eq!(r.error_message(), format!("Invalid property '{key}'."));
    }
    // The registered id is taken; annotations are not properties.
    let r = h
        .call(
            "PATCH",
            "/groups/g1",
            Some(json!({"@odata.type": "#microsoft.graph.group", &registered: {"courseId": 1}})),
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    // A create with an unknown property creates nothing.
    let r = h
        .call(
            "POST",
            "/groups",
            Some(json!({"displayName": "G", "mailNickname": "g", "nope": true})),
        )
        .await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    let after = h.state().await;
    assert_eq!(
        before["groups"].as_array().unwrap().len(),
        after["groups"].as_array().unwrap().len()
    );
    // An Outlook item: the OData reader's error.
    let r = h
        .call(
            "PATCH",
            "/users/u1/messages/AAMk+m1==",
            Some(json!({"subjct": "typo"})),
        )
        .await;
    assert_eq!((r.status, r.error_code()), (400, "RequestBodyRead"));
    assert!(
        r.error_message()
            .starts_with("The property 'subjct' does not exist on type 'microsoft.graph.message'."),
        "{}",
        r.error_message()
    );
    // A new item too.
    let r = h
        .call(
            "POST",
            "/users/u1/messages",
            Some(json!({"subject": "Hi", "importance": "high", "flagg": {}})),
        )
        .await;
    assert_eq!(
        (r.status, r.error_code()),
        (400, "RequestBodyRead"),
        "{:?}",
        r.body
    );
    let r = h
        .call(
            "POST",
            "/users/u1/messages",
            Some(json!({"subject": "Hi", "contoso_unregistered": {"a": 1}})),
        )
        .await;
    assert_eq!(
        (r.status, r.error_code()),
        (400, "RequestBodyRead"),
        "{:?}",
        r.body
    );
    let r = h
        .call(
            "POST",
            "/users/u1/messages",
            Some(json!({"subject": "Hi", "importance": "high"})),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    // `$select` of what the type does not have: refused, on one resource and on a list.
    for path in [
        "/groups/g1?$select=id,training",
        "/groups/g1?$select=id,contoso_nothing",
        "/groups?$select=id,nope",
    ] {
        let r = h.call("GET", path, None).await;
        assert_eq!(
            (r.status, r.error_code()),
            (400, "Request_BadRequest"),
            "{path}"
        );
        assert!(
            r.error_message()
                .starts_with("Could not find a property named '")
                && r.error_message()
                    .ends_with("' on type 'Microsoft.DirectoryServices.Group'."),
            "{}",
            r.error_message()
        );
    }
    let r = h
        .call("GET", "/users/u1/messages/AAMk+m1==?$select=id,nope", None)
        .await;
    assert_eq!((r.status, r.error_code()), (400, "BadRequest"));
    assert_eq!(
        r.error_message(),
        "Parsing OData Select and Expand failed: Could not find a property named 'nope' on type 'microsoft.graph.message'."
    );
    let r = h
        .call(
            "GET",
            &format!("/groups/g1?$select=id,displayName,description,{registered}"),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.json()[registered.as_str()]["courseId"], 1);
    // A selected property the group has no value for is there, as null.
    assert_eq!(r.json()["description"], Value::Null);
    assert!(r.json().as_object().unwrap().contains_key("description"));
}

fn base64_of(n: usize) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(vec![7u8; n])
}

#[tokio::test]
async fn filters_and_pages() {
    let mut cfg = config(Seed::new().users(25));
    cfg.default_page_size = 4;
    let h = Harness::start(cfg).await;
    let mut def = courses("contoso_courses");
    def["targetTypes"] = json!(["User"]);
    def["properties"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "online", "type": "Boolean"}));
    h.call("POST", "/schemaExtensions", Some(def)).await;
    let users = h.call("GET", "/users?$top=999", None).await;
    let ids: Vec<String> = users.json()["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let r = h
            .call(
                "PATCH",
                &format!("/users/{id}"),
                Some(json!({"contoso_courses": {"courseId": i % 3, "courseName": format!("it's {i}"), "online": i % 2 == 0}})),
            )
            .await;
        assert_eq!(r.status, 204);
    }
    // Every page followed: the matches of `courseId eq 1 and online eq true`.
    let mut url = "/users?$filter=contoso_courses/courseId eq 1 and contoso_courses/online eq true&$select=id,contoso_courses".to_owned();
    let mut found = Vec::new();
    loop {
        let r = h.call("GET", &url, None).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        for u in r.json()["value"].as_array().unwrap() {
            found.push(u["id"].as_str().unwrap().to_owned());
        }
        match r.json()["@odata.nextLink"].as_str() {
            Some(next) => url = next.to_owned(),
            None => break,
        }
    }
    let expected: Vec<String> = ids
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 == 1 && i % 2 == 0)
        .map(|(_, id)| id.clone())
        .collect();
    assert_eq!(found, expected);
    // A string with a quote.
    let r = h
        .call(
            "GET",
            "/users?$filter=contoso_courses/courseName eq 'it''s 7'&$select=id",
            None,
        )
        .await;
    assert_eq!(r.json()["value"].as_array().unwrap().len(), 1);
    // Unknown property, Binary-free definition's unknown name, unsupported operator.
    for bad in [
        "contoso_courses/nope eq 1",
        "contoso_none/x eq 1",
        "contoso_courses/courseId gt 1",
        "contoso_courses/online eq 'yes'",
    ] {
        let r = h.call("GET", &format!("/users?$filter={bad}"), None).await;
        assert_eq!(r.status, 400, "{bad}");
    }
}
