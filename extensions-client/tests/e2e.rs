//! The client end to end against the emulator on loopback.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use extensions_client::{AccessToken, GraphClient, Secret, TokenFuture, TokenProvider};

use extensions_core::op::{Create, Get};
use extensions_core::prelude::*;
use extensions_core::{ExtensionName, GraphErrorKind, Properties};
use extensions_emulator::{Emulator, FaultRule, Seed, Throttle};
use futures_util::StreamExt;

mod common;

use common::*;

#[tokio::test]
async fn every_typed_helper_on_every_resource_class() {
    for res in every_resource() {
        let emu = Emulator::start(config(seed())).await.unwrap();
        let c = client(&emu);
        assert_eq!(Referral::get(&c, &res).await.unwrap(), None, "{res}");
        referral().create(&c, &res).await.unwrap();
        assert_eq!(Referral::get(&c, &res).await.unwrap(), Some(referral()));
        let mut r = referral();
        r.expiration_date = Some("2015-12-30T11:00:00.000Z".into());
        r.patch(&c, &res).await.unwrap();
        // v0 knows one property; its update keeps the others.
        let v0 = ReferralV0::update(&c, &res, |v| v.company_name = "Contoso".into())
            .await
            .unwrap();
        assert_eq!(v0.company_name, "Contoso");
        let after = Referral::get(&c, &res).await.unwrap().unwrap();
        assert_eq!(after.company_name, "Contoso");
        assert_eq!(
            after.expiration_date.as_deref(),
            Some("2015-12-30T11:00:00.000Z"),
            "{res}"
        );
        assert_eq!(after.deal_value, 500_050);
        assert!(Referral::delete(&c, &res).await.unwrap());
        assert!(!Referral::delete(&c, &res).await.unwrap());
    }
}

#[tokio::test]
async fn refusals_and_graph_errors_are_typed() {
    let emu = Emulator::start(config(seed())).await.unwrap();
    let c = client(&emu);
    let mut big = referral();
    big.company_name = "x".repeat(3000);
    assert!(matches!(
        big.create(&c, &Resource::user("u1")).await,
        Err(Error::TooLarge { limit: 2048, .. })
    ));
    let err = Referral::get(&c, &Resource::device("nope"))
        .await
        .unwrap_err();
    let g = err.graph_error().unwrap();
    assert_eq!(g.kind, GraphErrorKind::ParentNotFound);
    assert!(
        g.request_id.is_some() && g.client_request_id.is_some(),
        "{g:?}"
    );
    referral()
        .create(&c, &Resource::device("d1"))
        .await
        .unwrap();
    let err = referral()
        .create(&c, &Resource::device("d1"))
        .await
        .unwrap_err();
    assert_eq!(
        err.graph_error().unwrap().kind,
        GraphErrorKind::AlreadyExists
    );
}

#[tokio::test]
async fn paging_over_thousands_of_users() {
    let emu = Emulator::start(config(Seed::new().users(2500)))
        .await
        .unwrap();
    let c = client(&emu);
    for u in ["u7", "u1500", "u2499"] {
        referral().create(&c, &Resource::user(u)).await.unwrap();
    }
    let users: Vec<_> = c.users_with_extensions(Some(999)).collect().await;
    assert_eq!(users.len(), 2500);
    let with: Vec<String> = users
        .iter()
        .map(|u| u.as_ref().unwrap())
        .filter(|u| u.extension::<Referral>().unwrap().is_some())
        .map(|u| u.id.clone().unwrap())
        .collect();
    assert_eq!(with, ["u7", "u1500", "u2499"]);
}

#[tokio::test]
async fn bulk_creates_untyped_in_two_envelopes_in_input_order() {
    let emu = Emulator::start(config(Seed::new().users(30)))
        .await
        .unwrap();
    let c = client(&emu);
    let name = ExtensionName::new("com.contoso.Bulk").unwrap();
    let mut props = Properties::new();
    props.insert("n", 1i64);
    // 30 creates, one on a missing user, in two envelopes.
    let mut ops: Vec<_> = (0..30)
        .map(|i| Create::untyped(Resource::user(format!("u{i}")), &name, &props))
        .collect();
    ops[17] = Create::untyped(Resource::user("nobody"), &name, &props);
    let answers = c.bulk(&ops).await;
    assert_eq!(answers.len(), 30);
    for (i, a) in answers.iter().enumerate() {
        if i == 17 {
            let g = a.as_ref().unwrap_err().graph_error().unwrap();
            assert_eq!(g.kind, GraphErrorKind::ParentNotFound, "item {i}");
        } else {
            let stored = a.as_ref().unwrap();
            assert_eq!(stored.name(), "com.contoso.Bulk", "item {i}");
            assert_eq!(stored.properties, props, "item {i}");
        }
    }
}

#[tokio::test]
async fn bulk_returns_each_items_typed_output_for_a_mixed_batch() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let mut cfg = config(Seed::new().users(24));
    // A bucket of 12 a second: the 22 items sent at once cannot all pass the first time.
    cfg.throttle = Throttle {
        requests: 12,
        window: Duration::from_secs(1),
    };
    let emu = Emulator::start(cfg).await.unwrap();
    let c = client(&emu);
    referral().create(&c, &Resource::user("u13")).await.unwrap();
    let mut big = referral();
    big.company_name = "x".repeat(3000);
    let mut ops: Vec<Create> = (0..24)
        .map(|i| referral().create_op(Resource::user(format!("u{i}"))))
        .collect();
    ops[5] = referral().create_op(Resource::user("nobody")); // not found
    ops[9] = big.create_op(Resource::user("u9")); // too large: refused before sending
    // ops[13]: already exists
    let answers = c.bulk(&ops).await;
    assert_eq!(answers.len(), 24);
    for (i, a) in answers.into_iter().enumerate() {
        match i {
            5 => {
                let g = a.unwrap_err();
                let g = g.graph_error().unwrap();
                assert_eq!(
                    (g.status.as_u16(), g.kind),
                    (404, GraphErrorKind::ParentNotFound)
                );
            }
            9 => assert!(
                matches!(a, Err(Error::TooLarge { limit: 2048, size, .. }) if size > 3000),
                "item 9"
            ),
            13 => assert_eq!(
                a.unwrap_err().graph_error().unwrap().kind,
                GraphErrorKind::AlreadyExists
            ),
            _ => {
                let stored = a.unwrap();
                assert_eq!(stored.id, "com.contoso.Referral", "item {i}");
                assert_eq!(stored.decode::<Referral>().unwrap(), referral(), "item {i}");
            }
        }
    }
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("retrying throttled batch items"),
        "some items were throttled and sent again: {logs}"
    );
    // The stored state: every created item is there, the refused one never reached Graph.
    let gets: Vec<_> = (0..24)
        .map(|i| Get::<Referral>::new(Resource::user(format!("u{i}"))))
        .collect();
    for (i, got) in c.bulk(&gets).await.into_iter().enumerate() {
        let got = got.unwrap();
        match i {
            5 | 9 => assert_eq!(got, None, "item {i}"),
            _ => assert_eq!(got, Some(referral()), "item {i}"),
        }
    }
}

#[tokio::test]
async fn throttling_is_waited_out_within_the_attempt_bound() {
    let mut cfg = config(Seed::new().users(40));
    cfg.throttle = Throttle {
        requests: 10,
        window: Duration::from_millis(500),
    };
    let emu = Emulator::start(cfg).await.unwrap();
    let c = client(&emu);
    // 40 creates one by one and 40 reads in batches: four times the bucket each.
    for i in 0..40 {
        referral()
            .create(&c, &Resource::user(format!("u{i}")))
            .await
            .unwrap();
    }
    let gets: Vec<_> = (0..40)
        .map(|i| Referral::get_op(Resource::user(format!("u{i}"))))
        .collect();
    for a in c.bulk(&gets).await {
        assert_eq!(a.unwrap(), Some(referral()));
    }
}

#[tokio::test]
async fn transient_errors_are_retried() {
    let emu = faulty(FaultRule {
        error_rate: 0.4,
        ..FaultRule::default()
    })
    .await;
    let c = client(&emu);
    let res = Resource::user("u1");
    for _ in 0..20 {
        // GET and DELETE are idempotent and retried through 500/502/503/504.
        assert_eq!(Referral::get(&c, &res).await.unwrap(), None);
        assert!(!Referral::delete(&c, &res).await.unwrap());
    }
}

#[tokio::test]
async fn resets_are_retried_for_idempotent_requests() {
    let emu = faulty(FaultRule {
        reset_rate: 0.5,
        methods: vec!["GET".into()],
        ..FaultRule::default()
    })
    .await;
    let c = client(&emu);
    for _ in 0..20 {
        assert_eq!(Referral::get(&c, &Resource::me()).await.unwrap(), None);
    }
}

#[tokio::test]
async fn an_ambiguous_create_is_read_back_not_repeated() {
    // Every POST is applied and then left unanswered.
    let emu = faulty(FaultRule {
        commit_then_drop_rate: 1.0,
        methods: vec!["POST".into()],
        ..FaultRule::default()
    })
    .await;
    let c = client(&emu);
    let stored = referral().create(&c, &Resource::user("u1")).await.unwrap();
    assert_eq!(stored.name(), "com.contoso.Referral");
    assert_eq!(
        Referral::get(&c, &Resource::user("u1")).await.unwrap(),
        Some(referral())
    );
    // Different content under the same name is not "the same create": the read-back finds the
    // first one, the call ends with what is stored, and nothing is sent again.
    let mut other = referral();
    other.deal_value = 1;
    match other.create(&c, &Resource::user("u1")).await {
        Err(Error::StoredDifferently { stored, .. }) => {
            assert_eq!(Referral::from_properties(&stored).unwrap(), referral());
        }
        r => panic!("{r:?}"),
    }
}

#[tokio::test]
async fn a_504_repeats_a_get_but_never_a_batch_post() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let emu = faulty(FaultRule {
        error_rate: 1.0,
        error_statuses: vec![504],
        ..FaultRule::default()
    })
    .await;
    let c = client(&emu);
    // The emulator logs each injected fault; count them per request.
    let faults = || {
        String::from_utf8(captured.0.lock().unwrap().clone())
            .unwrap()
            .matches("fault: transient error")
            .count()
    };
    // An idempotent GET is retried up to the attempt bound (8), then the 504 is returned.
    let err = Referral::get(&c, &Resource::me()).await.unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::GATEWAY_TIMEOUT));
    assert_eq!(faults(), 8);
    // A $batch POST may have been applied: sent once, never repeated.
    let answers = c.bulk(&[referral().create_op(Resource::user("u1"))]).await;
    assert_eq!(
        answers[0].as_ref().unwrap_err().status(),
        Some(http::StatusCode::GATEWAY_TIMEOUT)
    );
    assert_eq!(faults(), 9);
}

#[tokio::test]
async fn ids_with_parentheses_and_quotes_are_data_not_key_syntax() {
    let emu = Emulator::start(config(
        Seed::new()
            .user("a(b)", "a@contoso.com")
            .user("users('u2')", "b@contoso.com"),
    ))
    .await
    .unwrap();
    let c = client(&emu);
    for id in ["a(b)", "users('u2')"] {
        let user = Resource::user(id);
        referral().create(&c, &user).await.unwrap();
        assert_eq!(
            Referral::get(&c, &user).await.unwrap(),
            Some(referral()),
            "{id}"
        );
        assert!(Referral::delete(&c, &user).await.unwrap(), "{id}");
    }
}

#[tokio::test]
async fn nested_values_survive_update_and_patch_merges_on_outlook_items() {
    let emu = Emulator::start(config(seed())).await.unwrap();
    let c = client(&emu);
    let nested = serde_json::json!({"tier": {"name": "gold", "since": [2020, 1]}, "tags": [["a"], {"b": null}]});
    // Another app stored a nested object beside the properties this app knows.
    let http = {
        extensions_client::install_tls_provider();
        reqwest::Client::new()
    };
    for res in ["/users/u1", "/me/messages/AAMk%2Bm1%3D%3D"] {
        let r = http
            .post(format!("{}{res}/extensions", emu.url()))
            .bearer_auth(TOKEN)
            .json(&serde_json::json!({
                "@odata.type": "#microsoft.graph.openTypeExtension",
                "extensionName": "com.contoso.Referral",
                "companyName": "Wingtip", "dealValue": 1, "expirationDate": null, "topPicks": [],
                "meta": nested
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{res}");
    }
    let stored_meta = |res: &'static str| {
        let http = http.clone();
        let url = format!("{}{res}/extensions/com.contoso.Referral", emu.url());
        async move {
            let v: serde_json::Value = http
                .get(url)
                .bearer_auth(TOKEN)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v.get("meta").cloned()
        }
    };
    // `update` writes back what it does not declare, nested or not, on both classes.
    for res in [
        Resource::user("u1").into(),
        Resource::me().message("AAMk+m1=="),
    ] {
        let r: Resource = res;
        Referral::update(&c, &r, |x| x.deal_value = 2)
            .await
            .unwrap();
    }
    assert_eq!(stored_meta("/users/u1").await, Some(nested.clone()));
    assert_eq!(
        stored_meta("/me/messages/AAMk%2Bm1%3D%3D").await,
        Some(nested.clone())
    );
    // A plain `patch` replaces on a directory object (the nested object is gone) and merges on
    // an Outlook item (it stays).
    referral().patch(&c, &Resource::user("u1")).await.unwrap();
    referral()
        .patch(&c, &Resource::me().message("AAMk+m1=="))
        .await
        .unwrap();
    assert_eq!(stored_meta("/users/u1").await, None);
    assert_eq!(
        stored_meta("/me/messages/AAMk%2Bm1%3D%3D").await,
        Some(nested)
    );
}

#[tokio::test]
async fn a_retry_after_pauses_every_request_of_the_client() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let mut cfg = config(Seed::new().users(4));
    // Two a second, with Graph's whole-second `Retry-After`.
    cfg.throttle = Throttle {
        requests: 2,
        window: Duration::from_secs(1),
    };
    let emu = Emulator::start(cfg).await.unwrap();
    let c = client(&emu);
    for u in ["u0", "u1"] {
        assert_eq!(Referral::get(&c, &Resource::user(u)).await.unwrap(), None);
    }
    // The third is throttled and waits; a fourth, started while the client is paused, waits at
    // the client's gate instead of being sent and throttled too.
    let third = Referral::get(&c, &Resource::user("u2"));
    let fourth = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        Referral::get(&c, &Resource::user("u3")).await
    };
    let (third, fourth) = tokio::join!(third, fourth);
    assert_eq!(third.unwrap(), None);
    assert_eq!(fourth.unwrap(), None);
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let throttled = logs.matches("status=429 elapsed_ms").count();
    assert_eq!(
        throttled, 1,
        "only the third request met the throttle: {logs}"
    );
}

#[tokio::test]
async fn items_with_an_extension_stream_only_those_items() {
    let emu = Emulator::start(config(seed())).await.unwrap();
    let c = client(&emu);
    let me = Resource::me();
    for (subject, with) in [("one", true), ("two", false), ("three", true)] {
        let item = serde_json::json!({ "subject": subject });
        if with {
            referral()
                .create_with_item(&c, &me.messages(), &item)
                .await
                .unwrap();
        } else {
            let r = {
                extensions_client::install_tls_provider();
                reqwest::Client::new()
            }
            .post(format!("{}/me/messages", emu.url()))
            .bearer_auth(TOKEN)
            .json(&item)
            .send()
            .await
            .unwrap();
            assert_eq!(r.status(), 201);
        }
    }
    let found: Vec<_> = c
        .items_with_extension::<Referral>(&me, extensions_core::op::OutlookItems::Messages)
        .collect()
        .await;
    let subjects: Vec<String> = found
        .iter()
        .map(|m| {
            m.as_ref().unwrap().fields["subject"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(subjects, ["one", "three"]);
    for m in found {
        assert_eq!(
            m.unwrap().extension::<Referral>().unwrap(),
            Some(referral())
        );
    }
}

struct Counting {
    calls: AtomicUsize,
    lifetime: Duration,
}

impl Counting {
    fn fetch_token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok(AccessToken {
                secret: Secret::new(TOKEN),
                expires_at: Some(SystemTime::now() + self.lifetime),
            })
        })
    }
}

struct Shared(Arc<Counting>);

impl TokenProvider for Shared {
    fn fetch(&self) -> TokenFuture<'_> {
        self.0.fetch_token()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_token_is_fetched_once_under_concurrency_and_refreshed_near_expiry() {
    let emu = Emulator::start(config(seed())).await.unwrap();
    let provider = Arc::new(Counting {
        calls: AtomicUsize::new(0),
        lifetime: Duration::from_secs(3600),
    });
    let c = GraphClient::builder()
        .base_url(emu.url())
        .token_provider(Shared(provider.clone()))
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { Referral::get(&c, &Resource::me()).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    // A token within five minutes of expiry is replaced before each use.
    let short = Arc::new(Counting {
        calls: AtomicUsize::new(0),
        lifetime: Duration::from_secs(60),
    });
    let c = GraphClient::builder()
        .base_url(emu.url())
        .token_provider(Shared(short.clone()))
        .build()
        .unwrap();
    for _ in 0..3 {
        Referral::get(&c, &Resource::me()).await.unwrap();
    }
    assert_eq!(short.calls.load(Ordering::SeqCst), 3);
}
