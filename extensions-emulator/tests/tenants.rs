//! The emulator over real HTTP: the admin routes (seed, reset, dump) and separate tenants.

#![allow(clippy::unwrap_used)]

mod common;

use common::Harness;
use serde_json::json;

#[tokio::test]
async fn admin_routes_seed_reset_and_dump() {
    let h = Harness::new().await;
    let admin = format!("Bearer {}", h.emu.admin_token());
    // Without the admin token (or with a Graph token), nothing: a web page's `text/plain` POST
    // cannot seed, and the state is not readable.
    for auth in [
        None,
        Some("Bearer emulator-token".to_owned()),
        Some("Bearer wrong".to_owned()),
    ] {
        let mut seed = h
            .http
            .post(format!("{}/_emulator/seed", h.emu.base_url()))
            .header("Content-Type", "text/plain")
            .body(r#"{"devices": [{"id": "evil"}]}"#);
        let mut state = h.http.get(format!("{}/_emulator/state", h.emu.base_url()));
        if let Some(a) = &auth {
            seed = seed.header("Authorization", a);
            state = state.header("Authorization", a);
        }
        assert_eq!(seed.send().await.unwrap().status(), 401, "{auth:?}");
        assert_eq!(state.send().await.unwrap().status(), 401, "{auth:?}");
    }
    let seeded = h.state().await;
    assert!(!seeded.to_string().contains("evil"));
    let r = h
        .http
        .post(format!("{}/_emulator/seed", h.emu.base_url()))
        .header("Authorization", &admin)
        .body(r#"{"devices": [{"id": "d9", "displayName": "Kiosk"}]}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(h.call("POST", "/devices/d9/extensions", Some(json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": "com.contoso.K"}))).await.status, 201);
    let state = h.state().await;
    let d9 = state["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "d9")
        .unwrap();
    assert_eq!(d9["displayName"], "Kiosk");
    assert_eq!(d9["extensions"][0]["extensionName"], "com.contoso.K");
    let bad = h
        .http
        .post(format!("{}/_emulator/seed", h.emu.base_url()))
        .header("Authorization", &admin)
        .body("[1]")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let r = h
        .http
        .post(format!("{}/_emulator/reset", h.emu.base_url()))
        .header("Authorization", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    // Reset returns to the seed the emulator started with: the added device and its extension
    // are gone, the seeded resources are back as they were.
    let after = h.state().await;
    assert_eq!(after, seeded);
    assert!(!after.to_string().contains("d9"));
    assert!(after["users"].as_array().is_some_and(|u| !u.is_empty()));
    // A tenant the configuration does not name is not created by asking for it.
    for i in 0..50 {
        let r = h
            .call_as(None, "GET", &format!("/_emulator/state?tenant=t{i}"), None)
            .await;
        assert_eq!(r.status, 404);
    }
    let r = h
        .call_as(None, "POST", "/_emulator/reset?tenant=t1", None)
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn tenants_are_separate() {
    use extensions_emulator::{App, DEFAULT_TENANT_ID, Seed, Tenant, Throttle};
    let mut cfg = common::config(Seed::new().user("u1", "adele@contoso.com"));
    cfg.tenants.push(Tenant {
        id: "fabrikam".into(),
        // The same app id in another tenant, and a user with the same id.
        apps: vec![App {
            token: "token-f".into(),
            app_id: "app-a".into(),
            me: None,
        }],
        seed: Seed::new().user("u1", "megan@fabrikam.com"),
        verified_domains: vec!["fabrikam.com".into()],
    });
    cfg.throttle = Throttle {
        requests: 2,
        window: std::time::Duration::from_secs(60),
    };
    let h = Harness::start(cfg).await;
    let ext = json!({"@odata.type": "microsoft.graph.openTypeExtension", "extensionName": "com.contoso.T"});
    assert_eq!(
        h.call("POST", "/users/u1/extensions", Some(ext.clone()))
            .await
            .status,
        201
    );
    // Invisible from the other tenant, where the same user id is another user.
    let other = h
        .call_as(
            Some("token-f"),
            "GET",
            "/users/u1?$select=id,userPrincipalName&$expand=extensions",
            None,
        )
        .await;
    assert_eq!(other.json()["userPrincipalName"], "megan@fabrikam.com");
    assert_eq!(other.json()["extensions"], json!([]));
    // Throttling is per app per tenant: the default tenant's app is now out of tokens, the
    // same app id in the other tenant is not.
    assert_eq!(
        h.call("GET", "/users/u1/extensions", None).await.status,
        200
    );
    assert_eq!(
        h.call("GET", "/users/u1/extensions", None).await.status,
        429
    );
    assert_eq!(
        h.call_as(Some("token-f"), "POST", "/users/u1/extensions", Some(ext))
            .await
            .status,
        201
    );
    // Admin routes take ?tenant=.
    let f = h
        .call_as(None, "GET", "/_emulator/state?tenant=fabrikam", None)
        .await;
    assert_eq!(
        f.json()["users"][0]["extensions"][0]["extensionName"],
        "com.contoso.T"
    );
    let d = h
        .call_as(
            None,
            "GET",
            &format!("/_emulator/state?tenant={DEFAULT_TENANT_ID}"),
            None,
        )
        .await;
    assert_eq!(
        d.json()["users"][0]["userPrincipalName"],
        "adele@contoso.com"
    );
}
