//! Directory extensions and extension attributes in the emulator, over HTTP: the Learn
//! exercise's request sequence, definitions on applications, values checked, merged, hidden and
//! shown again, the 100-values limit, the advanced-query rule of `$filter`, and the fifteen
//! attributes of users and devices.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Answer, Harness, TOKEN, config, full_seed};
use serde_json::{Value, json};

const APP_ID: &str = "5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb";
const HEX: &str = "5bfc8fdacfc943a9a6de214ea9d15fdb";

fn ext(name: &str) -> String {
    format!("extension_{HEX}_{name}")
}

async fn harness() -> Harness {
    let seed = full_seed().application("app-obj-1", APP_ID, "Team bonding");
    Harness::start(config(seed)).await
}

/// A GET with `ConsistencyLevel: eventual` (the advanced-query header).
async fn eventual(h: &Harness, path: &str) -> Answer {
    let resp = h
        .http
        .get(format!("{}{path}", h.emu.url()))
        .header("Authorization", format!("Bearer {TOKEN}"))
        .header("ConsistencyLevel", "eventual")
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.unwrap();
    Answer {
        status,
        headers,
        body: (!bytes.is_empty()).then(|| serde_json::from_slice(&bytes).unwrap()),
    }
}

async fn define(h: &Harness, app: &str, name: &str, ty: &str, multi: bool) -> Answer {
    h.call(
        "POST",
        &format!("/applications/{app}/extensionProperties"),
        Some(json!({"name": name, "dataType": ty, "isMultiValued": multi, "targetObjects": ["User"]})),
    )
    .await
}

/// A request with a raw body (the exercise's update repeats a key, which a JSON value cannot
/// hold) and any headers.
async fn raw(
    h: &Harness,
    method: &str,
    path: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> Answer {
    let mut req = h
        .http
        .request(method.parse().unwrap(), format!("{}{path}", h.emu.url()))
        .header("Authorization", format!("Bearer {TOKEN}"));
    if !body.is_empty() {
        req = req
            .header("Content-Type", "application/json")
            .body(body.to_owned());
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.unwrap();
    Answer {
        status,
        headers,
        body: (!bytes.is_empty()).then(|| serde_json::from_slice(&bytes).unwrap()),
    }
}

/// Adele Vance, as the exercises know her.
async fn adele() -> Harness {
    let seed = r#"{"users": [
        {"id": "6e03a2db-564a-47ec-ba51-d0cd38af069a", "displayName": "Adele Vance",
         "userPrincipalName": "AdeleV@contoso.com"},
        {"id": "u2", "displayName": "Alex Wilber", "userPrincipalName": "alex@contoso.com"}
    ]}"#;
    Harness::start(config(extensions_emulator::Seed::from_json(seed).unwrap())).await
}

const ADELE: &str = "/users/6e03a2db-564a-47ec-ba51-d0cd38af069a";

/// The Learn exercise "Configure directory extensions"
/// (MicrosoftDocs/learn, learn-pr/azure/msgraph-extensibility/includes/5-exercise-msgraph-directoryextensions.md),
/// each request as written, the host and the ids the emulator assigns changed.
#[tokio::test]
async fn the_learn_exercise_sequence() {
    let h = adele().await;
    // Create an application.
    let r = h
        .call(
            "POST",
            "/applications",
            Some(json!({
                "displayName": "Contoso extensions app - DO NOT DELETE",
                "description": "Contoso extensions app. Reserved for directory extensions. DO NOT DELETE. Used by Contoso for storing user data.",
                "signInAudience": "AzureADMyOrg",
                "tags": ["Directory extensions", "Extensions", "Extension attributes"]
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let app_object = r.json()["id"].as_str().unwrap().to_owned();
    let app_id = r.json()["appId"].as_str().unwrap().to_owned();
    assert_eq!(
        r.json()["displayName"],
        "Contoso extensions app - DO NOT DELETE"
    );
    let hex = app_id.replace('-', "");
    // Create a service principal.
    let r = h
        .call("POST", "/servicePrincipals", Some(json!({"appId": app_id})))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.json()["appId"], app_id);
    // Create directory extension definitions: linkedInProfile, then skypeId and xboxGamertag.
    for name in ["linkedInProfile", "skypeId", "xboxGamertag"] {
        let r = h
            .call(
                "POST",
                &format!("/applications/{app_object}/extensionProperties"),
                Some(json!({"name": name, "dataType": "String", "targetObjects": ["User"]})),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        assert_eq!(r.json()["name"], format!("extension_{hex}_{name}"));
        assert_eq!(r.json()["deletedDateTime"], Value::Null);
        assert_eq!(r.json()["isSyncedFromOnPremises"], false);
        assert_eq!(r.json()["targetObjects"], json!(["User"]));
    }
    let r = h
        .call(
            "GET",
            &format!("/applications/{app_object}/extensionProperties"),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["value"].as_array().unwrap().len(), 3);
    let r = h
        .call(
            "POST",
            "/directoryObjects/getAvailableExtensionProperties",
            Some(json!({"isSyncedFromOnPremises": false})),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["value"].as_array().unwrap().len(), 3);
    // Store user data in directory extension properties.
    let (linked, skype, xbox) = (
        format!("extension_{hex}_linkedInProfile"),
        format!("extension_{hex}_skypeId"),
        format!("extension_{hex}_xboxGamertag"),
    );
    let r = h
        .call(
            "PATCH",
            ADELE,
            Some(json!({
                linked.clone(): "www.linkedin.com/in/adelevanceonlinkedIn",
                skype.clone(): "AdeleV",
                xbox.clone(): "AwesomeAdele"
            })),
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    // Search for employees who have shared their LinkedIn profile and Xbox gamertag.
    let search = format!(
        "/users?$select=id,displayName,{linked},{skype},{xbox}&$filter={linked} ne null or {xbox} ne null&$count=true"
    );
    let r = raw(&h, "GET", &search, "", &[("ConsistencyLevel", "eventual")]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.json()["@odata.count"], 1);
    let found = &r.json()["value"][0];
    assert_eq!(found["displayName"], "Adele Vance");
    assert_eq!(found[&xbox], "AwesomeAdele");
    assert_eq!(found[&skype], "AdeleV");
    assert_eq!(found[&linked], "www.linkedin.com/in/adelevanceonlinkedIn");
    // Without the advanced query's header, Graph refuses `ne null`.
    let r = h.call("GET", &search, None).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_code(), "Request_UnsupportedQuery");
    // Update and delete user data: the exercise's body names the same key twice, the last
    // (null) wins, as in any JSON reader that keeps the last duplicate.
    let body = format!(r#"{{"{xbox}": "AwesomeAdele", "{xbox}": null}}"#);
    let r = raw(&h, "PATCH", ADELE, &body, &[]).await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    let r = h
        .call(
            "GET",
            &format!("{ADELE}?$select=id,{linked},{skype},{xbox}"),
            None,
        )
        .await;
    assert!(r.json().get(&xbox).is_none());
    assert_eq!(r.json()[&skype], "AdeleV");
    // Dynamically add users to groups: the rule is a plain group property.
    let r = h
        .call(
            "POST",
            "/groups",
            Some(
                json!({"displayName": "Xbox gamers", "groupTypes": ["Unified"], "mailEnabled": true,
                        "mailNickname": "Xboxers", "securityEnabled": false}),
            ),
        )
        .await;
    assert_eq!(r.status, 201);
    let group = r.json()["id"].as_str().unwrap().to_owned();
    let r = h
        .call(
            "PATCH",
            &format!("/groups/{group}"),
            Some(json!({"membershipRule": format!("(user.{xbox} -ne null)")})),
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
}

/// The Learn exercise on extension attributes
/// (learn-pr/azure/msgraph-extensibility/includes/3-exercise-msgraph-15onpremisesextensionattributes.md),
/// each request as written, the host and ids changed.
#[tokio::test]
async fn the_learn_extension_attributes_exercise() {
    let h = adele().await;
    // Read them: all fifteen, unset ones null.
    let r = h
        .call(
            "GET",
            "/users?$select=id,displayName,userPrincipalName,onPremisesExtensionAttributes",
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    let a = &r.json()["value"][0]["onPremisesExtensionAttributes"];
    assert_eq!(a.as_object().unwrap().len(), 15);
    assert!(a.as_object().unwrap().values().all(Value::is_null));
    // Store user data in extension attributes.
    let r = h
        .call(
            "PATCH",
            ADELE,
            Some(json!({"onPremisesExtensionAttributes": {
                "extensionAttribute13": "www.linkedin.com/in/adelevanceonlinkedIn",
                "extensionAttribute14": "AdeleV",
                "extensionAttribute15": "AwesomeAdele"
            }})),
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    // Search: an advanced query with `or`.
    let search = "/users?$filter=onPremisesExtensionAttributes/extensionAttribute13 ne null or onPremisesExtensionAttributes/extensionAttribute15 ne null&$count=true&$select=id,displayName,userPrincipalName,onPremisesExtensionAttributes";
    let r = raw(&h, "GET", search, "", &[("ConsistencyLevel", "eventual")]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.json()["@odata.count"], 1);
    let a = &r.json()["value"][0]["onPremisesExtensionAttributes"];
    assert_eq!(a["extensionAttribute14"], "AdeleV");
    assert_eq!(a["extensionAttribute1"], Value::Null);
    // Update one and delete another; the third is kept.
    let r = h
        .call(
            "PATCH",
            ADELE,
            Some(json!({"onPremisesExtensionAttributes": {
                "extensionAttribute14": null,
                "extensionAttribute15": "AtalantaAdele"
            }})),
        )
        .await;
    assert_eq!(r.status, 204);
    let r = h
        .call(
            "GET",
            &format!("{ADELE}?$select=id,onPremisesExtensionAttributes"),
            None,
        )
        .await;
    let a = &r.json()["onPremisesExtensionAttributes"];
    assert_eq!(
        a["extensionAttribute13"],
        "www.linkedin.com/in/adelevanceonlinkedIn"
    );
    assert_eq!(a["extensionAttribute14"], Value::Null);
    assert_eq!(a["extensionAttribute15"], "AtalantaAdele");
    // The dynamic group: created with its rule as plain properties, answered 201.
    let r = h
        .call(
            "POST",
            "/groups",
            Some(json!({
                "description": "Xbox gamers group - Have fun, compete, grow, build connections!",
                "displayName": "Xbox gamers",
                "groupTypes": ["Unified", "DynamicMembership"],
                "creationOptions": ["YammerProvisioning"],
                "mailEnabled": true,
                "mailNickname": "Xboxers",
                "securityEnabled": false,
                "membershipRule": "(user.extensionAttribute15 -ne null)",
                "membershipRuleProcessingState": "On",
                "resourceProvisioningOptions": ["Team"]
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(
        r.json()["membershipRule"],
        "(user.extensionAttribute15 -ne null)"
    );
}

#[tokio::test]
async fn definitions_are_checked_and_fixed_once_created() {
    let h = harness().await;
    let base = format!("/applications(appId='{APP_ID}')/extensionProperties");
    for (body, what) in [
        (
            json!({"name": "job group", "dataType": "String", "targetObjects": ["User"]}),
            "name",
        ),
        (
            json!({"name": "x", "dataType": "Float", "targetObjects": ["User"]}),
            "dataType",
        ),
        (
            json!({"name": "x", "dataType": "String", "targetObjects": []}),
            "targetObjects",
        ),
        (
            json!({"name": "x", "dataType": "String", "targetObjects": ["Message"]}),
            "targetObjects",
        ),
        (
            json!({"name": "x", "dataType": "String", "targetObjects": ["User", "user"]}),
            "targetObjects",
        ),
    ] {
        let r = h.call("POST", &base, Some(body)).await;
        assert_eq!(r.status, 400, "{what}");
        assert_eq!(r.error_code(), "Request_BadRequest");
        assert!(r.error_message().contains(what), "{}", r.error_message());
    }
    let r = define(&h, "app-obj-1", "skills", "String", true).await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let again = define(&h, "app-obj-1", "skills", "Integer", false).await;
    assert_eq!(again.status, 400);
    assert!(again.error_message().contains("already exists"));
    // No update of a definition.
    let r = h
        .call(
            "PATCH",
            &format!("{base}/{id}"),
            Some(json!({"dataType": "Integer"})),
        )
        .await;
    assert_eq!(r.status, 405);
    // Unknown app.
    let r = define(&h, "nope", "x", "String", false).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.error_code(), "Request_ResourceNotFound");
    // Every definition in the tenant.
    let r = h
        .call(
            "POST",
            "/directoryObjects/getAvailableExtensionProperties",
            Some(json!({"isSyncedFromOnPremises": false})),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["value"][0]["name"], ext("skills"));
    // Get and delete.
    let r = h.call("GET", &format!("{base}/{id}"), None).await;
    assert_eq!(r.json()["isMultiValued"], true);
    assert_eq!(
        h.call("DELETE", &format!("{base}/{id}"), None).await.status,
        204
    );
    assert_eq!(
        h.call("GET", &format!("{base}/{id}"), None).await.status,
        404
    );
}

#[tokio::test]
async fn values_are_checked_before_anything_is_stored() {
    let h = harness().await;
    define(&h, "app-obj-1", "skills", "String", true).await;
    define(&h, "app-obj-1", "level", "Integer", false).await;
    define(&h, "app-obj-1", "hired", "DateTime", false).await;
    let unknown = ext("nothing");
    let r = h
        .call(
            "PATCH",
            "/users/u1",
            Some(json!({unknown.clone(): "x", ext("level"): 1})),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.error_message(),
        format!("The following extension properties are not available: {unknown}.")
    );
    for bad in [
        json!({ext("level"): "ten"}),
        json!({ext("level"): 2_147_483_648_i64}),
        json!({ext("skills"): "not an array"}),
        json!({ext("skills"): ["x".repeat(257)]}),
        json!({ext("hired"): "yesterday"}),
    ] {
        let r = h.call("PATCH", "/users/u1", Some(bad.clone())).await;
        assert_eq!(r.status, 400, "{bad}");
        assert!(
            r.error_message()
                .starts_with("Invalid property 'extension_"),
            "{}",
            r.error_message()
        );
    }
    // A group is not a target of these definitions.
    let r = h
        .call("PATCH", "/groups/g1", Some(json!({ext("level"): 1})))
        .await;
    assert_eq!(r.status, 400);
    let state = h.state().await;
    assert!(
        state["users"][0].get(ext("level")).is_none(),
        "nothing stored"
    );

    // A DateTime is stored in UTC; an Integer may come as a numeric string.
    let r = h
        .call(
            "PATCH",
            "/users/u1",
            Some(json!({ext("hired"): "2024-03-01T10:00:00+02:00", ext("level"): "7"})),
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    let r = h
        .call(
            "GET",
            &format!("/users/u1?$select={},{}", ext("hired"), ext("level")),
            None,
        )
        .await;
    assert_eq!(r.json()[ext("hired")], "2024-03-01T08:00:00Z");
    assert_eq!(r.json()[ext("level")], 7);
}

#[tokio::test]
async fn a_deleted_definition_hides_its_values_which_still_count() {
    let h = harness().await;
    let r = define(&h, "app-obj-1", "skills", "String", true).await;
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let skills: Vec<String> = (0..60).map(|i| format!("s{i}")).collect();
    let r = h
        .call("PATCH", "/users/u1", Some(json!({ext("skills"): skills})))
        .await;
    assert_eq!(r.status, 204);
    let r = h
        .call(
            "DELETE",
            &format!("/applications/app-obj-1/extensionProperties/{id}"),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    let r = h
        .call(
            "GET",
            &format!("/users/u1?$select=id,{}", ext("skills")),
            None,
        )
        .await;
    assert!(r.json().get(ext("skills")).is_none(), "hidden");
    // Another definition: the 60 hidden values still count towards 100.
    define(&h, "app-obj-1", "tags", "String", true).await;
    let tags: Vec<String> = (0..41).map(|i| format!("t{i}")).collect();
    let r = h
        .call("PATCH", "/users/u1", Some(json!({ext("tags"): tags})))
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.error_message().contains("limit of 100"),
        "{}",
        r.error_message()
    );
    let r = h
        .call("PATCH", "/users/u1", Some(json!({ext("tags"): tags[..40]})))
        .await;
    assert_eq!(r.status, 204);
    // The same name again on the same app: the values show again.
    define(&h, "app-obj-1", "skills", "String", true).await;
    let r = h
        .call(
            "GET",
            &format!("/users/u1?$select=id,{}", ext("skills")),
            None,
        )
        .await;
    assert_eq!(r.json()[ext("skills")].as_array().unwrap().len(), 60);
    // Multi-valued: `any` is an advanced query.
    let path = format!(
        "/users?$filter={}/any(v:v eq 's7')&$count=true&$select=id",
        ext("skills")
    );
    assert_eq!(h.call("GET", &path, None).await.status, 400);
    let r = eventual(&h, &path).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.json()["@odata.count"], 1);
}

#[tokio::test]
async fn extension_attributes_on_users_and_devices() {
    let seed = full_seed().user("u3", "synced@contoso.com");
    let mut seed_json = seed.to_json();
    seed_json["users"][2]["onPremisesSyncEnabled"] = json!(true);
    seed_json["users"][2]["onPremisesExtensionAttributes"] =
        json!({"extensionAttribute1": "on-prem"});
    let h = Harness::start(config(
        extensions_emulator::Seed::from_json(&seed_json.to_string()).unwrap(),
    ))
    .await;
    let attrs = |v: Value| json!({"onPremisesExtensionAttributes": v});
    let r = h
        .call(
            "PATCH",
            "/users/u1",
            Some(attrs(
                json!({"extensionAttribute13": "CC-4410", "extensionAttribute1": "a"}),
            )),
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    // A PATCH that names some attributes keeps the others.
    let r = h
        .call(
            "PATCH",
            "/users/u1",
            Some(attrs(json!({"extensionAttribute1": null}))),
        )
        .await;
    assert_eq!(r.status, 204);
    let r = h.call("GET", "/users/u1", None).await;
    assert!(r.json().get("onPremisesExtensionAttributes").is_none());
    let r = h
        .call(
            "GET",
            "/users/u1?$select=id,onPremisesExtensionAttributes",
            None,
        )
        .await;
    let a = &r.json()["onPremisesExtensionAttributes"];
    assert_eq!(a.as_object().unwrap().len(), 15);
    assert_eq!(a["extensionAttribute13"], "CC-4410");
    assert_eq!(a["extensionAttribute1"], Value::Null);
    // Refusals.
    for bad in [
        attrs(json!({"extensionAttribute16": "x"})),
        attrs(json!({"extensionAttribute2": "x".repeat(1025)})),
        attrs(json!({"extensionAttribute2": 7})),
        json!({"extensionAttributes": {"extensionAttribute2": "x"}}),
    ] {
        assert_eq!(
            h.call("PATCH", "/users/u1", Some(bad.clone())).await.status,
            400,
            "{bad}"
        );
    }
    let r = h
        .call(
            "PATCH",
            "/users/u3",
            Some(attrs(json!({"extensionAttribute1": "x"}))),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.error_message(),
        "Unable to update the specified properties for objects that have originated within an external service."
    );
    // Devices call them extensionAttributes.
    let r = h
        .call(
            "PATCH",
            "/devices/d1",
            Some(json!({"extensionAttributes": {"extensionAttribute2": "kiosk"}})),
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    // Filters: eq plain, ne advanced.
    let r = h
        .call(
            "GET",
            "/devices?$filter=extensionAttributes/extensionAttribute2 eq 'kiosk'&$select=id,extensionAttributes",
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.json()["value"][0]["extensionAttributes"]["extensionAttribute2"],
        "kiosk"
    );
    let path = "/users?$filter=onPremisesExtensionAttributes/extensionAttribute1 ne null&$count=true&$select=id";
    assert_eq!(h.call("GET", path, None).await.status, 400);
    let r = eventual(&h, path).await;
    assert_eq!(r.json()["@odata.count"], 1);
    assert_eq!(r.json()["value"][0]["id"], "u3");
    // In the state, as seeded.
    let state = h.state().await;
    assert_eq!(
        state["users"][0]["onPremisesExtensionAttributes"],
        json!({"extensionAttribute13": "CC-4410"})
    );
}

/// The limit of 100 counts schema extension values too ("across all types").
#[tokio::test]
async fn the_limit_counts_schema_extension_values() {
    let mut seed = full_seed()
        .application("app-obj-1", APP_ID, "Team bonding")
        .to_json();
    let props: serde_json::Map<String, Value> =
        (0..50).map(|i| (format!("p{i}"), json!(i))).collect();
    seed["users"][0]["contoso_courses"] = Value::Object(props);
    let h = Harness::start(config(
        extensions_emulator::Seed::from_json(&seed.to_string()).unwrap(),
    ))
    .await;
    define(&h, "app-obj-1", "tags", "String", true).await;
    let tags: Vec<String> = (0..51).map(|i| format!("t{i}")).collect();
    let r = h
        .call("PATCH", "/users/u1", Some(json!({ext("tags"): tags})))
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.error_message().contains("101 extension values"),
        "{}",
        r.error_message()
    );
    let r = h
        .call("PATCH", "/users/u1", Some(json!({ext("tags"): tags[..50]})))
        .await;
    assert_eq!(r.status, 204);
}

/// A definition synced from on-premises (seeded) cannot be deleted; the state lists every
/// definition with its owner's appId, in the seed format, so a reset or a saved state brings it
/// back.
#[tokio::test]
async fn seeded_definitions_synced_ones_and_the_state() {
    let mut seed = full_seed()
        .application("app-obj-1", APP_ID, "Team bonding")
        .to_json();
    seed["extensionProperties"] = json!([
        {"id": "synced-1", "appId": APP_ID, "name": "employeeId", "dataType": "String",
         "targetObjects": ["User"], "isSyncedFromOnPremises": true},
        {"id": "cloud-1", "appId": APP_ID, "name": ext("badge"), "dataType": "Integer",
         "targetObjects": ["User", "Device"]}
    ]);
    seed["users"][0][ext("employeeId")] = json!("E-1");
    let h = Harness::start(config(
        extensions_emulator::Seed::from_json(&seed.to_string()).unwrap(),
    ))
    .await;
    let base = "/applications/app-obj-1/extensionProperties";
    let r = h.call("DELETE", &format!("{base}/synced-1"), None).await;
    assert_eq!(r.status, 400);
    assert!(
        r.error_message().contains("synced"),
        "{}",
        r.error_message()
    );
    let r = h
        .call(
            "GET",
            &format!("/users/u1?$select={}", ext("employeeId")),
            None,
        )
        .await;
    assert_eq!(r.json()[ext("employeeId")], "E-1");
    let r = h
        .call(
            "POST",
            "/directoryObjects/getAvailableExtensionProperties",
            Some(json!({"isSyncedFromOnPremises": true})),
        )
        .await;
    assert_eq!(r.json()["value"].as_array().unwrap().len(), 1);
    assert_eq!(r.json()["value"][0]["name"], ext("employeeId"));
    let state = h.state().await;
    let defs = state["extensionProperties"].as_array().unwrap();
    assert_eq!(defs.len(), 2);
    assert_eq!(defs[1]["appId"], APP_ID);
    assert_eq!(defs[1]["targetObjects"], json!(["User", "Device"]));
    assert_eq!(state["applications"][0]["appId"], APP_ID);
    // A seed that names an unknown data type is refused at start, saying which.
    let mut bad = seed.clone();
    bad["extensionProperties"][1]["dataType"] = json!("Float");
    let err = extensions_emulator::Emulator::start(config(
        extensions_emulator::Seed::from_json(&bad.to_string()).unwrap(),
    ))
    .await
    .err()
    .unwrap();
    assert!(err.to_string().contains("dataType"), "{err}");
}
