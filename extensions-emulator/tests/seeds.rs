//! Every HTTP example of the Graph documentation pages this project models
//! ([open extensions concept page](https://learn.microsoft.com/en-us/graph/extensibility-open-users),
//! [create openTypeExtension](https://learn.microsoft.com/en-us/graph/api/opentypeextension-post-opentypeextension),
//! and the 2015 "Office 365 Data Extensions API (Preview)" page),
//! as written, with the host and ids changed to the emulator's: each answers as Graph does.

#![allow(clippy::unwrap_used)]

mod common;

use common::Harness;
use serde_json::json;

const ODATA: &str = "microsoft.graph.openTypeExtension";

/// The create page's HTTP routes: every `POST …/extensions` of an existing resource.
#[tokio::test]
async fn every_create_route_of_the_create_page() {
    let h = Harness::new().await;
    let routes = [
        "/devices/d1/extensions",
        "/users/u1/events/AAMk+e1==/extensions",
        "/groups/g1/extensions",
        "/groups/g1/events/AAMk+ge1==/extensions",
        "/groups/g1/threads/AAQk+t1==/posts/AAMk+p1==/extensions",
        "/users/u1/messages/AAMk+m1==/extensions",
        "/organization/o1/extensions",
        "/users/u1/contacts/AAMk+c1==/extensions",
        "/users/adele@contoso.com/extensions",
        "/users/u1/todo/lists/L1/tasks/T1/extensions",
        "/users/u1/todo/lists/L1/extensions",
    ];
    for route in routes {
        let r = h
            .call(
                "POST",
                route,
                Some(json!({"@odata.type": ODATA, "extensionName": "Com.Contoso.Referral", "companyName": "Wingtip Toys"})),
            )
            .await;
        assert_eq!(r.status, 201, "{route}: {:?}", r.body);
        assert_eq!(r.json()["companyName"], "Wingtip Toys", "{route}");
    }
}

/// The create page's routes that create an item with its extension in one request.
#[tokio::test]
async fn every_create_with_item_route_of_the_create_page() {
    let h = Harness::new().await;
    let ext = json!([{"@odata.type": ODATA, "extensionName": "Com.Contoso.Referral", "dealValue": 10000}]);
    let cases = [
        (
            "/users/u1/events",
            json!({"subject": "Review", "extensions": ext}),
            201,
        ),
        (
            "/users/u1/messages",
            json!({"subject": "Annual review", "extensions": ext}),
            201,
        ),
        (
            "/groups/g1/events",
            json!({"subject": "Offsite", "extensions": ext}),
            201,
        ),
        (
            "/groups/g1/threads/AAQk+t1==/posts/AAMk+p1==/reply",
            json!({"post": {"body": {"contentType": "html", "content": "When?"}, "extensions": ext}}),
            202,
        ),
        (
            "/users/u1/contacts",
            json!({"givenName": "Pavel", "extensions": ext}),
            201,
        ),
        (
            "/users/u1/todo/lists/L1/tasks",
            json!({"title": "Call", "extensions": ext}),
            201,
        ),
        (
            "/users/u1/todo/lists",
            json!({"displayName": "Travel", "extensions": ext}),
            201,
        ),
    ];
    for (route, body, status) in cases {
        let r = h.call("POST", route, Some(body)).await;
        assert_eq!(r.status, status, "{route}: {:?}", r.body);
        if status == 201 {
            assert_eq!(
                r.json()["extensions"][0]["dealValue"],
                10000,
                "{route}: the new item carries its extension"
            );
        }
    }
}

/// The create page's five examples, in order.
#[tokio::test]
async fn the_five_examples_of_the_create_page() {
    let h = Harness::new().await;
    // 1. A new message with an extension (POST /me/messages).
    let r = h
        .call(
            "POST",
            "/me/messages",
            Some(json!({
                "subject": "Annual review",
                "body": {"contentType": "HTML", "content": "You should be proud!"},
                "toRecipients": [{"emailAddress": {"address": "rufus@contoso.com"}}],
                "extensions": [{"@odata.type": ODATA, "extensionName": "Com.Contoso.Referral",
                                "companyName": "Wingtip Toys", "expirationDate": "2015-12-30T11:00:00.000Z",
                                "dealValue": 10000}]
            })),
        )
        .await;
    assert_eq!(r.status, 201);
    let message = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(r.json()["extensions"][0]["companyName"], "Wingtip Toys");
    assert_eq!(
        r.json()["extensions"][0]["id"],
        "Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral"
    );

    // 2. An extension on an existing message.
    let r = h
        .call(
            "POST",
            "/me/messages/AAMk+m1==/extensions",
            Some(
                json!({"@odata.type": ODATA, "extensionName": "Com.Contoso.Referral",
                        "companyName": "Wingtip Toys", "dealValue": 500050,
                        "expirationDate": "2015-12-03T10:00:00.000Z"}),
            ),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["dealValue"], 500050);

    // 3. An extension on a group event.
    let r = h
        .call(
            "POST",
            "/groups/g1/events/AAMk+ge1==/extensions",
            Some(
                json!({"@odata.type": ODATA, "extensionName": "Com.Contoso.Deal",
                        "companyName": "Alpine Skis", "dealValue": 1010100,
                        "expirationDate": "2015-07-03T13:04:00.000Z"}),
            ),
        )
        .await;
    assert_eq!(r.status, 201);

    // 4. A reply to a group post, the new post carrying an extension: 202, no body.
    let hr = json!([{"@odata.type": ODATA, "extensionName": "Com.Contoso.HR", "companyName": "Contoso",
                     "expirationDate": "2015-07-03T13:04:00.000Z",
                     "topPicks": ["Employees only", "Add spouse or guest", "Add family"]}]);
    let r = h
        .call(
            "POST",
            "/groups/g1/threads/AAQk+t1==/posts/AAMk+p1==/reply",
            Some(json!({"post": {"body": {"contentType": "html",
                "content": "<html><body><div><div><div><div>When and where? </div></div></div></div></body></html>"},
                "extensions": hr}})),
        )
        .await;
    assert_eq!((r.status, r.body.is_none()), (202, true));
    let posts = h
        .call("GET", "/groups/g1/threads/AAQk+t1==/posts", None)
        .await;
    assert_eq!(posts.status, 200);
    assert_eq!(posts.json()["value"].as_array().unwrap().len(), 2);

    // 5. A new conversation whose first post carries the extension: 201 with the conversation
    // and thread ids; then the thread's posts (one), then the extension on that post.
    let r = h
        .call(
            "POST",
            "/groups/g1/conversations",
            Some(json!({"Topic": "Does anyone have a second?",
                "Threads": [{"Posts": [{"Body": {"ContentType": "HTML",
                    "Content": "This is urgent!"},
                    "Extensions": hr}]}]})),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let conversation = r.json()["id"].as_str().unwrap().to_owned();
    let thread = r.json()["threads"][0]["id"].as_str().unwrap().to_owned();
    let enc = |s: &str| extensions_core::resource::encode_component(s);
    let posts = h
        .call(
            "GET",
            &format!("/groups/g1/threads/{}/posts", enc(&thread)),
            None,
        )
        .await;
    assert_eq!(posts.status, 200);
    let value = posts.json()["value"].as_array().unwrap().clone();
    assert_eq!(value.len(), 1);
    let post = value[0]["id"].as_str().unwrap().to_owned();
    // (The page's text then names "Com.Contoso.Benefits"; the extension its example created is
    // "Com.Contoso.HR".)
    for path in [
        format!(
            "/groups/g1/threads/{}/posts/{}/extensions/Com.Contoso.HR",
            enc(&thread),
            enc(&post)
        ),
        format!(
            "/groups/g1/conversations/{}/threads/{}/posts/{}/extensions/Com.Contoso.HR",
            enc(&conversation),
            enc(&thread),
            enc(&post)
        ),
    ] {
        let r = h.call("GET", &path, None).await;
        assert_eq!(r.status, 200, "{path}: {:?}", r.body);
        assert_eq!(r.json()["topPicks"][2], "Add family");
    }
    // The message of example 1 is there with its extension.
    let r = h
        .call(
            "GET",
            &format!(
                "/me/messages/{}?$expand=extensions($filter=id eq 'Com.Contoso.Referral')",
                enc(&message)
            ),
            None,
        )
        .await;
    assert_eq!(r.json()["extensions"][0]["dealValue"], 10000);
}

/// The concept page's four requests.
#[tokio::test]
async fn the_requests_of_the_open_extensions_concept_page() {
    let h = Harness::new().await;
    // An empty extension named by `id` only, on beta.
    let r = h
        .call(
            "POST",
            "/beta/me/extensions",
            Some(json!({"@odata.type": "#microsoft.graph.openTypeExtension", "id": "socialSettings"})),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["id"], "socialSettings");
    // Every user with extensions: without a `$select` that includes `id`, Graph answers 500
    // (msgraph-sdk-dotnet#745); with one, the users and their extensions.
    let r = h.call("GET", "/users?$expand=extensions", None).await;
    assert_eq!((r.status, r.error_code()), (500, "InternalServerError"));
    let r = h
        .call("GET", "/users?$select=id&$expand=extensions", None)
        .await;
    assert_eq!(r.status, 200);
    let u1 = r.json()["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "u1")
        .unwrap()
        .clone();
    assert_eq!(u1["extensions"][0]["id"], "socialSettings");
    // One user's extensions, and one of them.
    let r = h.call("GET", "/users/u1/extensions", None).await;
    assert_eq!(r.json()["value"][0]["id"], "socialSettings");
    let r = h
        .call("GET", "/users/u1/extensions/socialSettings", None)
        .await;
    assert_eq!(r.status, 200);
}

/// The preview page's request (the Outlook REST form of 2015): not a Graph path today, and its
/// body is not JSON (`@odata.type` unquoted). Graph answers 400; the same extension in today's
/// form is created.
#[tokio::test]
async fn the_request_of_the_data_extensions_preview_page() {
    let h = Harness::new().await;
    let as_written = r#"{
   @odata.type: "Microsoft.Graph.OpenTypeExtension",
   "ExtensionName": "Com.Contoso.Customer",
   "CompanyName": "Alpine Skis",
   "InitialReferrer":  "Robin McCall"
}"#;
    let r = h
        .http
        .post(format!(
            "{}/beta/contoso.com/contacts('AAMk+c1==')/extensions",
            h.emu.base_url()
        ))
        .bearer_auth(common::TOKEN)
        .header("Content-Type", "application/json")
        .body(as_written)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "BadRequest");
    // Today's path and valid JSON: created, the Outlook spelling of the type accepted.
    let r = h
        .call(
            "POST",
            "/beta/me/contacts('AAMk+c1==')/extensions",
            Some(json!({"@odata.type": "Microsoft.Graph.OpenTypeExtension",
                        "ExtensionName": "Com.Contoso.Customer", "CompanyName": "Alpine Skis",
                        "InitialReferrer": "Robin McCall"})),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.json()["CompanyName"], "Alpine Skis");
}
