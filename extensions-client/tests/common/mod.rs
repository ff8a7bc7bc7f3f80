//! What the client's end-to-end tests share: the token, the extension types, the seed, the
//! emulator's configuration and a client with fast retries.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::time::Duration;

use extensions_client::{GraphClient, RetryPolicy, StaticToken};
use extensions_core::prelude::*;
use extensions_emulator::{App, Emulator, EmulatorConfig, FaultRule, Faults, Seed};

pub const TOKEN: &str = "secret-token-do-not-log";

#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Referral")]
pub struct Referral {
    pub company_name: String,
    pub deal_value: i64,
    pub expiration_date: Option<String>,
    pub top_picks: Vec<String>,
}

#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Referral")]
pub struct ReferralV0 {
    pub company_name: String,
}

pub fn referral() -> Referral {
    Referral {
        company_name: "Wingtip Toys".into(),
        deal_value: 500_050,
        expiration_date: None,
        top_picks: vec!["a".into()],
    }
}

pub fn seed() -> Seed {
    Seed::new()
        .user("u1", "adele@contoso.com")
        .message("u1", "AAMk+m1==")
        .event("u1", "e1")
        .contact("u1", "c1")
        .todo_task("u1", "L1", "T1")
        .group("g1")
        .group_event("g1", "ge1")
        .group_post("g1", "t1", "p1")
        .device("d1")
        .organization("o1")
        .administrative_unit("a1")
}

pub fn config(seed: Seed) -> EmulatorConfig {
    EmulatorConfig {
        apps: vec![App {
            token: TOKEN.into(),
            app_id: "app".into(),
            me: Some("u1".into()),
        }],
        seed,
        ..EmulatorConfig::default()
    }
}

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 8,
        max_elapsed: Duration::from_secs(30),
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_secs(5),
    }
}

pub fn client(emu: &Emulator) -> GraphClient {
    GraphClient::builder()
        .base_url(emu.url())
        .token_provider(StaticToken::new(TOKEN))
        .retry(fast_retries())
        .build()
        .unwrap()
}

pub fn every_resource() -> Vec<Resource> {
    let me = Resource::me();
    let u = Resource::user("adele@contoso.com");
    let g = Resource::group("g1");
    vec![
        u.clone().into(),
        me.clone().into(),
        g.clone().into(),
        Resource::device("d1"),
        Resource::organization("o1"),
        Resource::administrative_unit("a1"),
        me.message("AAMk+m1=="),
        u.event("e1"),
        u.contact("c1"),
        g.event("ge1"),
        g.post("t1", "p1"),
        u.todo_list("L1").into(),
        u.todo_list("L1").task("T1"),
    ]
}

/// Captures what a `tracing` subscriber writes.
#[derive(Clone, Default)]
pub struct Captured(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub async fn faulty(rule: FaultRule) -> Emulator {
    let mut cfg = config(seed());
    cfg.faults = Faults {
        seed: 3,
        rules: vec![rule],
    };
    Emulator::start(cfg).await.unwrap()
}
