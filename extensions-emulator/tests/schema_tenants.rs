//! Schema extensions across tenants, and in seeds: an `InDevelopment` definition stays in its
//! owner's tenant; seeds and `/_emulator/state` carry definitions and data.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Harness, config, courses, full_seed};
use extensions_emulator::{App, Seed, Tenant};
use serde_json::{Value, json};

#[tokio::test]
async fn an_in_development_definition_stays_in_its_tenant() {
    let mut cfg = config(full_seed());
    cfg.tenants.push(Tenant {
        id: "fabrikam".into(),
        apps: vec![App {
            token: "token-f".into(),
            app_id: "app-f".into(),
            me: None,
        }],
        seed: Seed::new().group("g1"),
        verified_domains: vec!["fabrikam.com".into()],
    });
    let h = Harness::start(cfg).await;
    h.call(
        "POST",
        "/schemaExtensions",
        Some(courses("contoso_courses")),
    )
    .await;
    let as_f = |method: &'static str, path: &'static str, body: Option<Value>| {
        h.call_as(Some("token-f"), method, path, body)
    };
    assert_eq!(
        as_f("GET", "/schemaExtensions/contoso_courses", None)
            .await
            .status,
        404
    );
    let write = json!({"contoso_courses": {"courseId": 1}});
    assert_eq!(
        as_f("PATCH", "/groups/g1", Some(write.clone()))
            .await
            .status,
        400
    );
    // Available: any tenant uses it; only its owner changes it.
    let r = h
        .call(
            "PATCH",
            "/schemaExtensions/contoso_courses",
            Some(json!({"owner": "app-a", "status": "Available"})),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        as_f("GET", "/schemaExtensions/contoso_courses", None)
            .await
            .status,
        200
    );
    assert_eq!(as_f("PATCH", "/groups/g1", Some(write)).await.status, 204);
    let r = as_f(
        "PATCH",
        "/schemaExtensions/contoso_courses",
        Some(json!({"owner": "app-a", "description": "mine now"})),
    )
    .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn seeds_hold_definitions_and_data() {
    let seed = Seed::from_json(
        r#"{"schemaExtensions": [{"id": "contoso_courses", "targetTypes": ["Group"], "status": "Available", "owner": "app-a",
              "properties": [{"name": "courseId", "type": "Integer"}]}],
            "groups": [{"id": "g1", "displayName": "G", "contoso_courses": {"courseId": 7}}]}"#,
    )
    .unwrap();
    let h = Harness::start(config(seed)).await;
    let r = h
        .call(
            "GET",
            "/groups?$filter=contoso_courses/courseId eq 7&$select=id,contoso_courses",
            None,
        )
        .await;
    assert_eq!(r.json()["value"][0]["contoso_courses"]["courseId"], 7);
    h.call(
        "PATCH",
        "/groups/g1",
        Some(json!({"contoso_courses": {"courseId": 8}})),
    )
    .await;
    let state = h.state().await;
    assert_eq!(
        state["groups"][0]["contoso_courses"],
        json!({"courseId": 8})
    );
    assert_eq!(state["schemaExtensions"][0]["id"], "contoso_courses");
    // Reset: back to the seed, definitions included.
    h.call("DELETE", "/schemaExtensions/contoso_courses", None)
        .await;
    h.call_as(None, "POST", "/_emulator/reset", None).await;
    let state = h.state().await;
    assert_eq!(
        state["groups"][0]["contoso_courses"],
        json!({"courseId": 7})
    );
    assert_eq!(state["schemaExtensions"][0]["status"], "Available");
}
