//! The token never appears in logs, `Debug` or errors. Alone in its binary: it installs a
//! `tracing` subscriber for its thread, which another test running at the same time could
//! disturb (callsite interest is process-wide).

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use extensions_client::{GraphClient, RetryPolicy, Secret, StaticToken};
use extensions_core::prelude::*;
use extensions_emulator::FaultRule;

#[tokio::test]
async fn the_token_never_appears_in_logs_debug_or_errors() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let emu = faulty(FaultRule {
        error_rate: 0.3,
        ..FaultRule::default()
    })
    .await;
    let c = client(&emu);
    let _ = Referral::get(&c, &Resource::me()).await;
    let _ = referral().create(&c, &Resource::device("nope")).await;
    let bad = GraphClient::builder()
        .base_url(emu.url())
        .token_provider(StaticToken::new("wrong-token"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = Referral::get(&bad, &Resource::me()).await.unwrap_err();
    let unreachable = GraphClient::builder()
        .base_url("http://127.0.0.1:9/v1.0")
        .token_provider(StaticToken::new(TOKEN))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let terr = Referral::get(&unreachable, &Resource::me())
        .await
        .unwrap_err();
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("graph_request"),
        "spans were captured: {logs}"
    );
    assert!(logs.contains("/me/extensions/{name}"), "{logs}");
    for text in [
        logs,
        format!("{c:?}"),
        format!("{:?}", StaticToken::new(TOKEN)),
        format!("{err} {err:?}"),
        format!("{terr} {terr:?}"),
        format!("{:?}", Secret::new(TOKEN)),
    ] {
        assert!(!text.contains(TOKEN), "the token leaked into: {text}");
    }
    assert!(matches!(terr, Error::Transport(_)));
    assert!(terr.to_string().contains("client-request-id"));
}
