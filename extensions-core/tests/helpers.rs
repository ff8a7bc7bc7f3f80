//! The typed helpers (`get`, `create`, `patch`, `update`, `delete`) over an in-memory transport.

#![allow(clippy::unwrap_used)]

mod common;

use common::{MemoryGraph, ReferralV1, ReferralV2, referral};
use extensions_core::prelude::*;
use extensions_core::{GraphErrorKind, ResourceKind};
use http::Method;
use pollster::block_on;
use serde_json::json;

const USER: &str = "/users/adele%40contoso.com";
const MSG: &str = "/me/messages/AAMk%3D%3D";
const TASK: &str = "/users/u1/todo/lists/L1/tasks/T1";

fn graph() -> MemoryGraph {
    MemoryGraph::with_parents(&[USER, MSG, TASK])
}

fn resources() -> Vec<Resource> {
    vec![
        Resource::user("adele@contoso.com").into(),
        Resource::me().message("AAMk=="),
        Resource::user("u1").todo_list("L1").task("T1"),
    ]
}

#[test]
fn crud_round_trip_on_every_resource_class() {
    for res in resources() {
        let g = graph();
        let r = referral();
        assert_eq!(block_on(ReferralV1::get(&g, &res)).unwrap(), None);

        let stored = block_on(r.create(&g, &res)).unwrap();
        assert_eq!(stored.name(), "com.contoso.Referral");
        assert_eq!(
            block_on(ReferralV1::get(&g, &res)).unwrap(),
            Some(r.clone())
        );

        let mut r2 = r.clone();
        r2.deal_value = 1;
        r2.expiration_date = Some("2015-12-30T11:00:00.000Z".into());
        let answer = block_on(r2.patch(&g, &res)).unwrap();
        // Outlook answers 200 with the object; the others 204 without.
        assert_eq!(
            answer.is_some(),
            res.kind() == ResourceKind::Message,
            "{res}"
        );
        assert_eq!(
            block_on(ReferralV1::get(&g, &res)).unwrap(),
            Some(r2.clone())
        );

        let written = block_on(ReferralV1::update(&g, &res, |x| x.deal_value += 41)).unwrap();
        assert_eq!(written.deal_value, 42);
        assert_eq!(
            block_on(ReferralV1::get(&g, &res))
                .unwrap()
                .unwrap()
                .deal_value,
            42
        );

        assert!(block_on(ReferralV1::delete(&g, &res)).unwrap());
        assert_eq!(block_on(ReferralV1::get(&g, &res)).unwrap(), None);
        assert!(
            !block_on(ReferralV1::delete(&g, &res)).unwrap(),
            "second delete finds nothing"
        );

        let methods: Vec<Method> = g.requests().iter().map(|r| r.method.clone()).collect();
        let (get, post, patch, delete) = (Method::GET, Method::POST, Method::PATCH, Method::DELETE);
        assert_eq!(
            methods,
            [
                get.clone(),
                post,
                get.clone(),
                patch.clone(),
                get.clone(),
                get.clone(),
                patch,
                get.clone(),
                delete.clone(),
                get,
                delete
            ]
        );
    }
}

#[test]
fn patch_always_sends_every_declared_property_none_as_null() {
    let g = graph();
    let res: Resource = Resource::user("adele@contoso.com").into();
    block_on(referral().create(&g, &res)).unwrap();
    let mut r = referral();
    r.expiration_date = None;
    r.top_picks.clear();
    block_on(r.patch(&g, &res)).unwrap();
    let req = g.requests().pop().unwrap();
    assert_eq!(req.method, Method::PATCH);
    assert_eq!(req.url, format!("{USER}/extensions/com.contoso.Referral"));
    let body: serde_json::Value = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({
            "@odata.type": "#microsoft.graph.openTypeExtension",
            "extensionName": "com.contoso.Referral",
            "id": "com.contoso.Referral",
            "companyName": "Wingtip Toys",
            "dealValue": 500050,
            "expirationDate": null,
            "topPicks": []
        })
    );
    // And the server kept the nulls (nothing was deleted by omission).
    let stored = g.stored(USER, "com.contoso.Referral").unwrap();
    assert_eq!(stored["expirationDate"], json!(null));
}

#[test]
fn a_v2_property_survives_update_by_v1() {
    for res in resources() {
        let g = graph();
        let v2 = ReferralV2 {
            v1: referral(),
            score: 0.75,
        };
        block_on(v2.create(&g, &res)).unwrap();
        // An older app that only knows v1 updates the extension.
        block_on(ReferralV1::update(&g, &res, |r| {
            r.company_name = "Contoso".into()
        }))
        .unwrap();
        let after: ReferralV2 = block_on(ReferralV2::get(&g, &res)).unwrap().unwrap();
        assert_eq!(after.v1.company_name, "Contoso");
        assert_eq!(
            after.score, 0.75,
            "the property v1 does not declare is kept"
        );
        // A plain v1 patch, by contrast, replaces the full set: this is what update guards against.
        block_on(referral().patch(&g, &res)).unwrap();
        let err = block_on(ReferralV2::get(&g, &res)).unwrap_err();
        assert!(
            matches!(err, Error::MissingProperty { ref property } if property == "score"),
            "{err:?}"
        );
    }
}

#[test]
fn update_of_a_missing_extension_is_a_typed_error() {
    let g = graph();
    let err = block_on(ReferralV1::update(
        &g,
        &Resource::me().message("AAMk=="),
        |_| {},
    ))
    .unwrap_err();
    assert!(matches!(err, Error::ExtensionNotFound { ref name } if name == "com.contoso.Referral"));
    assert_eq!(g.requests().len(), 1, "only the read was sent");
}

#[test]
fn refusals_happen_before_any_request() {
    let g = graph();
    // Too large for a user (2 KB), fine on a message (no limit).
    let mut big = referral();
    big.company_name = "x".repeat(2100);
    let err = block_on(big.create(&g, &Resource::user("adele@contoso.com"))).unwrap_err();
    match err {
        Error::TooLarge { size, limit, kind } => {
            assert_eq!(limit, 2048);
            assert_eq!(kind, ResourceKind::User);
            assert_eq!(size, extensions_core::extension_size(&big).unwrap());
            assert!(size > 2100);
        }
        other => panic!("{other:?}"),
    }
    let err = block_on(big.patch(&g, &Resource::user("adele@contoso.com"))).unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }));
    assert!(g.requests().is_empty(), "nothing was sent");
    block_on(big.create(&g, &Resource::me().message("AAMk=="))).unwrap();

    // A non-finite float.
    let g = graph();
    let v2 = ReferralV2 {
        v1: referral(),
        score: f64::NAN,
    };
    let err = block_on(v2.create(&g, &Resource::user("adele@contoso.com"))).unwrap_err();
    assert!(
        matches!(err, Error::NonFiniteFloat { ref property, .. } if property == "score"),
        "{err:?}"
    );
    // An id that cannot be a path segment.
    let err = block_on(ReferralV1::get(&g, &Resource::user(".."))).unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidResourceId {
            kind: ResourceKind::User,
            ..
        }
    ));
    assert!(g.requests().is_empty(), "nothing was sent");
}

#[test]
fn the_size_limit_is_exact_at_the_boundary() {
    let g = graph();
    let user: Resource = Resource::user("adele@contoso.com").into();
    let mut r = referral();
    r.company_name.clear();
    let base = extensions_core::extension_size(&r).unwrap();
    r.company_name = "a".repeat(2048 - base);
    assert_eq!(extensions_core::extension_size(&r).unwrap(), 2048);
    block_on(r.create(&g, &user)).unwrap();
    assert_eq!(g.requests()[0].body.as_ref().unwrap().len(), 2048);
    r.company_name.push('a');
    let err = block_on(r.patch(&g, &user)).unwrap_err();
    assert!(matches!(
        err,
        Error::TooLarge {
            size: 2049,
            limit: 2048,
            ..
        }
    ));
    // A multi-byte character counts its UTF-8 bytes; a quote counts its escape.
    r.company_name = "é".repeat((2048 - base) / 2);
    assert_eq!(
        extensions_core::extension_size(&r).unwrap(),
        base + (2048 - base) / 2 * 2
    );
    r.company_name = "\"".repeat(3);
    assert_eq!(extensions_core::extension_size(&r).unwrap(), base + 6);
}

#[test]
fn graph_errors_come_back_typed() {
    let g = MemoryGraph::default(); // no parents exist
    let err = block_on(ReferralV1::get(&g, &Resource::device("nope"))).unwrap_err();
    let ge = err.graph_error().unwrap();
    assert_eq!(ge.kind, GraphErrorKind::ParentNotFound);
    assert_eq!(ge.status, 404);
    assert_eq!(ge.request_id.as_deref(), Some("rid"));

    let g = graph();
    let res: Resource = Resource::user("adele@contoso.com").into();
    block_on(referral().create(&g, &res)).unwrap();
    let err = block_on(referral().create(&g, &res)).unwrap_err();
    assert_eq!(
        err.graph_error().unwrap().kind,
        GraphErrorKind::AlreadyExists
    );
}

#[test]
fn wrong_or_missing_stored_types_name_the_property() {
    let g = graph();
    let res: Resource = Resource::user("adele@contoso.com").into();
    g.put(
        USER,
        "com.contoso.Referral",
        json!({"id": "com.contoso.Referral", "extensionName": "com.contoso.Referral",
        "companyName": "Wingtip", "dealValue": "500050", "expirationDate": null, "topPicks": []}),
    );
    let err = block_on(ReferralV1::get(&g, &res)).unwrap_err();
    match err {
        Error::PropertyType {
            property,
            expected,
            found,
        } => {
            assert_eq!(property, "dealValue");
            assert_eq!(expected, "an integer in the range of i64");
            assert_eq!(found, "a string");
        }
        other => panic!("{other:?}"),
    }
    let g = graph();
    g.put(
        USER,
        "com.contoso.Referral",
        json!({"id": "com.contoso.Referral", "companyName": "Wingtip"}),
    );
    let err = block_on(ReferralV1::get(&g, &res)).unwrap_err();
    assert!(matches!(err, Error::MissingProperty { ref property } if property == "dealValue"));
    // Update refuses too, and sends nothing, rather than writing back a guess.
    let before = g.requests().len();
    assert!(block_on(ReferralV1::update(&g, &res, |_| {})).is_err());
    assert_eq!(g.requests().len(), before + 1, "only the read");
}

#[test]
fn update_keeps_an_unknown_property_on_an_outlook_item_too() {
    let g = graph();
    g.put(
        MSG,
        "com.contoso.Referral",
        json!({
            "@odata.type": "#microsoft.graph.openTypeExtension",
            "id": "Microsoft.OutlookServices.OpenTypeExtension.com.contoso.Referral",
            "extensionName": "com.contoso.Referral",
            "companyName": "Wingtip", "dealValue": 1, "expirationDate": null, "topPicks": ["a"],
            "Strings@odata.type": "#Collection(String)",
            "legacyFlag": true, "legacyList": [1, 2.5, null]
        }),
    );
    let res = Resource::me().message("AAMk==");
    block_on(ReferralV1::update(&g, &res, |r| r.deal_value = 2)).unwrap();
    let stored = g.stored(MSG, "com.contoso.Referral").unwrap();
    assert_eq!(stored["dealValue"], json!(2));
    assert_eq!(stored["legacyFlag"], json!(true));
    assert_eq!(stored["legacyList"], json!([1, 2.5, null]));
    // Annotations are the server's, not data to write back.
    let sent: serde_json::Value =
        serde_json::from_slice(g.requests().last().unwrap().body.as_ref().unwrap()).unwrap();
    assert!(sent.get("Strings@odata.type").is_none());
    assert!(sent.get("id").is_none(), "Outlook bodies carry no id");
    assert_eq!(ReferralV1::NAME.as_str(), "com.contoso.Referral");
}

#[test]
fn throttling_is_reported_with_retry_after() {
    let g = graph();
    let mut r = common::respond(
        429,
        Some(&json!({"error":{"code":"TooManyRequests","message":"Please retry again later."}})),
    );
    r.headers_mut()
        .insert("retry-after", http::HeaderValue::from_static("2.128"));
    g.canned.lock().unwrap().push(r);
    let err = block_on(ReferralV1::get(&g, &Resource::me().message("AAMk=="))).unwrap_err();
    assert!(matches!(err, Error::Throttled { retry_after: Some(d), .. } if d.as_millis() == 2128));
}
