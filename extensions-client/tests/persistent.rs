//! The persistent-fault matrix: every attempt fails, the same way, for each kind of operation
//! and for `bulk`; for each cell, the exact number of requests that reached the emulator (its
//! request log) and the exact error the caller gets. The single-fault matrix is `faults.rs`.
//!
//! Policy: 3 attempts, a 5 s budget, backoff from 10 ms; `Retry-After` waits up to 60 s.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use extensions_client::{GraphClient, RetryPolicy, StaticToken, TransportError};
use extensions_core::op::{Create, CreateWithItem, Patch};
use extensions_core::prelude::*;
use extensions_emulator::{App, Emulator, EmulatorConfig, FaultRule, Faults, Garble, Seed};

const TOKEN: &str = "persistent-token";

#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Settings")]
struct Settings {
    theme: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    E500,
    /// 503 with no `Retry-After` at all.
    E503Bare,
    Reset,
    /// The request is handled, then its answer is cut halfway (answers without a body pass).
    CutBody,
    /// 429 with `Retry-After: 30`, past the 5 s budget.
    Throttled30,
}

const FAULTS: [Fault; 5] = [
    Fault::E500,
    Fault::E503Bare,
    Fault::Reset,
    Fault::CutBody,
    Fault::Throttled30,
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Call {
    Create,
    Get,
    Patch,
    Update,
    Delete,
    /// A new message carrying the extension (`Repeat::Once`).
    NewMessage,
    /// Two patches through `$batch` (a safe envelope).
    BulkPatches,
    /// Two creates through `$batch` (an envelope never repeated once it may have applied).
    BulkCreates,
}

const CALLS: [Call; 8] = [
    Call::Create,
    Call::Get,
    Call::Patch,
    Call::Update,
    Call::Delete,
    Call::NewMessage,
    Call::BulkPatches,
    Call::BulkCreates,
];

/// The error, reduced to what the matrix compares.
#[derive(Debug, Clone, PartialEq)]
enum Seen {
    Ok,
    Graph(u16),
    Throttled(Option<Duration>),
    /// A transport error after this many attempts.
    Transport(u32),
    Other(String),
}

fn seen<T>(r: &Result<T, Error>) -> Seen {
    match r {
        Ok(_) => Seen::Ok,
        Err(Error::Graph(g)) => Seen::Graph(g.status.as_u16()),
        Err(Error::Throttled { retry_after, .. }) => Seen::Throttled(*retry_after),
        Err(Error::Transport(t)) => match t.downcast_ref::<TransportError>() {
            Some(t) => Seen::Transport(t.attempts),
            None => Seen::Other(t.to_string()),
        },
        Err(e) => Seen::Other(format!("{e:?}")),
    }
}

fn rule(fault: Fault) -> FaultRule {
    let mut r = FaultRule::default();
    match fault {
        Fault::E500 => {
            r.error_rate = 1.0;
            r.error_statuses = vec![500];
        }
        Fault::E503Bare => {
            r.error_rate = 1.0;
            r.error_statuses = vec![503];
            r.retry_after = Some(String::new());
        }
        Fault::Reset => r.reset_rate = 1.0,
        Fault::CutBody => {
            r.garble_rate = 1.0;
            r.garble = Garble::TruncatedBody;
        }
        Fault::Throttled30 => {
            r.error_rate = 1.0;
            r.error_statuses = vec![429];
            r.retry_after = Some("30".into());
        }
    }
    r
}

/// Runs one cell: (the outcome of each item, requests received).
async fn run_cell(fault: Fault, call: Call) -> (Vec<Seen>, usize) {
    // u1 and u3 hold the extension; u2 and u4 do not.
    let seed = Seed::from_json(
        r#"{"users": [
            {"id": "u1", "extensions": [{"extensionName": "com.contoso.Settings", "theme": "light"}]},
            {"id": "u2"},
            {"id": "u3", "extensions": [{"extensionName": "com.contoso.Settings", "theme": "light"}]},
            {"id": "u4"}]}"#,
    )
    .unwrap();
    let emu = Emulator::start(EmulatorConfig {
        apps: vec![App {
            token: TOKEN.into(),
            app_id: "persistent-app".into(),
            me: None,
        }],
        seed,
        faults: Faults {
            seed: 1,
            rules: vec![rule(fault)],
        },
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let c = GraphClient::builder()
        .base_url(emu.url())
        .token_provider(StaticToken::new(TOKEN))
        .retry(RetryPolicy {
            max_attempts: 3,
            max_elapsed: Duration::from_secs(5),
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(60),
        })
        .build()
        .unwrap();
    let dark = Settings {
        theme: "dark".into(),
    };
    let (u1, u2) = (Resource::user("u1"), Resource::user("u2"));
    let outcome = match call {
        Call::Create => vec![seen(&dark.create(&c, &u2).await)],
        Call::Get => vec![seen(&Settings::get(&c, &u1).await)],
        Call::Patch => vec![seen(&dark.patch(&c, &u1).await)],
        Call::Update => vec![seen(
            &Settings::update(&c, &u1, |s| s.theme = "dark".into()).await,
        )],
        Call::Delete => vec![seen(&Settings::delete(&c, &u1).await)],
        Call::NewMessage => {
            let op = CreateWithItem::new(
                &Resource::user("u1").messages(),
                &serde_json::json!({"subject": "Hi"}),
                &dark,
            );
            vec![seen(&c.execute(&op).await)]
        }
        Call::BulkPatches => {
            let ops: Vec<Patch> = vec![dark.patch_op(&u1), dark.patch_op(Resource::user("u3"))];
            c.bulk(&ops).await.iter().map(seen).collect()
        }
        Call::BulkCreates => {
            let ops: Vec<Create> = vec![dark.create_op(&u2), dark.create_op(Resource::user("u4"))];
            c.bulk(&ops).await.iter().map(seen).collect()
        }
    };
    (outcome, emu.requests().len())
}

/// What each cell must give: the outcome of each item, and how many requests were sent.
fn expected(fault: Fault, call: Call) -> (Vec<Seen>, usize) {
    use Seen::*;
    let bulk = matches!(call, Call::BulkPatches | Call::BulkCreates);
    let each = |s: Seen| if bulk { vec![s.clone(), s] } else { vec![s] };
    match (fault, call) {
        // Graph did not process it (429 past the budget): one request, Graph's answer.
        (Fault::Throttled30, _) => (each(Throttled(Some(Duration::from_secs(30)))), 1),
        // 503 means "not processed": every class is sent again, up to the attempts.
        (Fault::E503Bare, _) => (each(Graph(503)), 3),
        // A create after a 500: read back (3 attempts of its own, all 500), nothing known, the
        // 500 returned; never posted again.
        (Fault::E500, Call::Create) => (each(Graph(500)), 4),
        // Never repeated once it may have been applied: one request.
        (Fault::E500, Call::NewMessage | Call::BulkCreates) => (each(Graph(500)), 1),
        (Fault::E500, _) => (each(Graph(500)), 3),
        // A reset after sending may have been applied: the create is read back (3 resets),
        // the one-shot calls stop at once, the safe ones try 3 times.
        (Fault::Reset, Call::Create) => (each(Transport(1)), 4),
        (Fault::Reset, Call::NewMessage | Call::BulkCreates) => (each(Transport(1)), 1),
        (Fault::Reset, _) => (each(Transport(3)), 3),
        // A cut body: answers without a body (204: patch and delete on a user) pass.
        (Fault::CutBody, Call::Patch | Call::Delete) => (each(Ok), 1),
        (Fault::CutBody, Call::Create) => (each(Transport(1)), 4),
        (Fault::CutBody, Call::NewMessage | Call::BulkCreates) => (each(Transport(1)), 1),
        (Fault::CutBody, _) => (each(Transport(3)), 3),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_persistent_fault_against_every_call() {
    use futures_util::StreamExt;
    let cells: Vec<(Fault, Call)> = FAULTS
        .iter()
        .flat_map(|f| CALLS.iter().map(move |c| (*f, *c)))
        .collect();
    let results: Vec<_> = futures_util::stream::iter(cells)
        .map(|(fault, call)| async move { (fault, call, run_cell(fault, call).await) })
        .buffer_unordered(8)
        .collect()
        .await;
    let mut failures = Vec::new();
    for (fault, call, got) in results {
        println!("{fault:?} x {call:?}: {got:?}");
        let want = expected(fault, call);
        if got != want {
            failures.push(format!("{fault:?} x {call:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
