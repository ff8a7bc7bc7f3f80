//! The fault matrix: every kind of fault the network or Graph can produce, once, against every
//! typed call, on the emulator over loopback. For each cell, the exact outcome the caller sees
//! and the stored state afterwards.
//!
//! Faults (each injected once, on the first request the call makes with the faulted method):
//! 429 with an integer and with a fractional `Retry-After`; 500, 502, 503, 504; a connection
//! reset before handling; the answer lost after the write was applied; an answer slower than
//! the client's timeout; a malformed JSON body; a truncated body; an HTML page instead of JSON.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use extensions_client::{GraphClient, RetryPolicy, StaticToken};
use extensions_core::op::Create;
use extensions_core::prelude::*;
use extensions_emulator::{App, Emulator, EmulatorConfig, FaultRule, Faults, Garble, Seed};

const TOKEN: &str = "fault-token";

#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Settings")]
struct Settings {
    theme: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    Throttled429,
    Throttled429Fraction,
    E500,
    E502,
    E503,
    E504,
    Reset,
    LostAfterCommit,
    Slow,
    MalformedJson,
    Truncated,
    WrongContentType,
}

const FAULTS: [Fault; 12] = [
    Fault::Throttled429,
    Fault::Throttled429Fraction,
    Fault::E500,
    Fault::E502,
    Fault::E503,
    Fault::E504,
    Fault::Reset,
    Fault::LostAfterCommit,
    Fault::Slow,
    Fault::MalformedJson,
    Fault::Truncated,
    Fault::WrongContentType,
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Call {
    Create,
    Get,
    Patch,
    Update,
    Delete,
    /// Two creates through `$batch`.
    Bulk,
}

const CALLS: [Call; 6] = [
    Call::Create,
    Call::Get,
    Call::Patch,
    Call::Update,
    Call::Delete,
    Call::Bulk,
];

fn rule(fault: Fault, call: Call) -> FaultRule {
    let (path, method) = match call {
        Call::Create => ("/users/u1", "POST"),
        Call::Get => ("/users/u1", "GET"),
        Call::Patch | Call::Update => ("/users/u1", "PATCH"),
        Call::Delete => ("/users/u1", "DELETE"),
        Call::Bulk => ("/$batch", "POST"),
    };
    let mut r = FaultRule {
        path_prefix: Some(path.into()),
        methods: vec![method.into()],
        max_faults: Some(1),
        ..FaultRule::default()
    };
    let error = |r: &mut FaultRule, status: u16| {
        r.error_rate = 1.0;
        r.error_statuses = vec![status];
    };
    match fault {
        Fault::Throttled429 => {
            error(&mut r, 429);
            r.retry_after = Some("0".into());
        }
        Fault::Throttled429Fraction => {
            error(&mut r, 429);
            r.retry_after = Some("0.05".into());
        }
        Fault::E500 => error(&mut r, 500),
        Fault::E502 => error(&mut r, 502),
        Fault::E503 => {
            error(&mut r, 503);
            r.retry_after = Some("0".into());
        }
        Fault::E504 => error(&mut r, 504),
        Fault::Reset => r.reset_rate = 1.0,
        Fault::LostAfterCommit => r.commit_then_drop_rate = 1.0,
        Fault::Slow => r.latency = Duration::from_millis(2_000),
        Fault::MalformedJson => {
            r.garble_rate = 1.0;
            r.garble = Garble::MalformedJson;
        }
        Fault::Truncated => {
            r.garble_rate = 1.0;
            r.garble = Garble::TruncatedBody;
        }
        Fault::WrongContentType => {
            r.garble_rate = 1.0;
            r.garble = Garble::WrongContentType;
        }
    }
    r
}

/// What the caller saw, reduced to what the matrix compares.
#[derive(Debug, Clone, PartialEq)]
enum Seen {
    Ok,
    /// `delete` answered "was not there".
    OkAbsent,
    Graph(u16),
    Unexpected(u16),
    Transport,
    Other(String),
}

fn seen<T>(r: &Result<T, Error>) -> Seen {
    match r {
        Ok(_) => Seen::Ok,
        Err(Error::Graph(g)) => Seen::Graph(g.status.as_u16()),
        Err(Error::Throttled { error, .. }) => Seen::Graph(error.status.as_u16()),
        Err(Error::UnexpectedResponse { status, .. }) => Seen::Unexpected(status.as_u16()),
        Err(Error::Transport(_)) => Seen::Transport,
        Err(e) => Seen::Other(format!("{e:?}")),
    }
}

/// The theme stored on `user` afterwards (`None`: no extension).
type State = (Option<String>, Option<String>);

async fn run_cell(fault: Fault, call: Call) -> (Vec<Seen>, State) {
    let emu = Emulator::start(EmulatorConfig {
        apps: vec![App {
            token: TOKEN.into(),
            app_id: "fault-app".into(),
            me: None,
        }],
        seed: Seed::new()
            .user("u1", "u1@contoso.com")
            .user("u2", "u2@contoso.com"),
        faults: Faults {
            seed: 1,
            rules: vec![rule(fault, call)],
        },
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    // Set-up and the final read go through a client of their own, with a lenient timeout.
    let plain = GraphClient::builder()
        .base_url(emu.url())
        .token_provider(StaticToken::new(TOKEN))
        .build()
        .unwrap();
    let client = GraphClient::builder()
        .base_url(emu.url())
        .token_provider(StaticToken::new(TOKEN))
        .timeout(Duration::from_millis(if fault == Fault::Slow {
            700
        } else {
            5_000
        }))
        .retry(RetryPolicy {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(20),
            base_delay: Duration::from_millis(1_000),
            max_delay: Duration::from_secs(2),
        })
        .build()
        .unwrap();
    let (u1, u2) = (Resource::user("u1"), Resource::user("u2"));
    let light = Settings {
        theme: "light".into(),
    };
    let dark = Settings {
        theme: "dark".into(),
    };
    if !matches!(call, Call::Create | Call::Bulk) {
        light.create(&plain, &u1).await.unwrap();
    }
    let outcome = match call {
        Call::Create => vec![seen(&light.create(&client, &u1).await)],
        Call::Get => {
            let r = Settings::get(&client, &u1).await;
            assert!(r.as_ref().is_err() || r.as_ref().unwrap().as_ref() == Some(&light));
            vec![seen(&r)]
        }
        Call::Patch => vec![seen(&dark.patch(&client, &u1).await)],
        Call::Update => vec![seen(
            &Settings::update(&client, &u1, |s| s.theme = "dark".into()).await,
        )],
        Call::Delete => match Settings::delete(&client, &u1).await {
            Ok(false) => vec![Seen::OkAbsent],
            r => vec![seen(&r)],
        },
        Call::Bulk => {
            let ops: Vec<Create> = vec![light.create_op(&u1), light.create_op(&u2)];
            client.bulk(&ops).await.iter().map(seen).collect()
        }
    };
    // The stored state, read without faults (the rule is used up).
    let theme = |r: Option<Settings>| r.map(|s| s.theme);
    let state = (
        theme(Settings::get(&plain, &u1).await.unwrap()),
        theme(Settings::get(&plain, &u2).await.unwrap()),
    );
    (outcome, state)
}

/// What each cell must give: the outcome (one per item for bulk) and the themes stored on u1 and
/// u2 afterwards.
fn expected(fault: Fault, call: Call) -> (Vec<Seen>, State) {
    use Fault::*;
    use Seen::*;
    let some = |t: &str| Some(t.to_owned());
    let not_processed = matches!(fault, Throttled429 | Throttled429Fraction | E503);
    match call {
        // A create: never sent twice blindly. When the outcome is unknown (5xx, reset, lost,
        // timed out, cut short) it is read back; what was stored is what was sent, so it
        // succeeds, once. An answer that arrives but cannot be read is reported as it is: the
        // write happened (the state shows it), the answer was garbage.
        Call::Create => match fault {
            MalformedJson | WrongContentType => (vec![Unexpected(201)], (some("light"), None)),
            _ => (vec![Ok], (some("light"), None)),
        },
        // A read is repeated on anything but an answer it can read; a garbled 200 is reported.
        Call::Get => match fault {
            MalformedJson | WrongContentType => (vec![Unexpected(200)], (some("light"), None)),
            _ => (vec![Ok], (some("light"), None)),
        },
        // A full-set patch is safe to repeat; a directory object answers 204 without a body, so
        // there is nothing to garble.
        Call::Patch | Call::Update => (vec![Ok], (some("dark"), None)),
        // A delete is safe to repeat, but a repeat of a delete that was applied finds nothing:
        // `false`, with the extension gone all the same. (A request slower than the timeout is
        // not applied here: the emulator's handler is dropped with the connection the client
        // gave up on, before the delay ends.)
        Call::Delete => match fault {
            LostAfterCommit => (vec![OkAbsent], (None, None)),
            _ => (vec![Ok], (None, None)),
        },
        // An envelope holding creates is never sent twice once it may have been applied; only
        // "not processed" (429, 503) is retried. Otherwise each item gets the envelope's error.
        Call::Bulk => {
            let both = |s: Seen| vec![s.clone(), s];
            if not_processed {
                (both(Ok), (some("light"), some("light")))
            } else {
                match fault {
                    E500 => (both(Graph(500)), (None, None)),
                    E502 => (both(Graph(502)), (None, None)),
                    E504 => (both(Graph(504)), (None, None)),
                    Reset | Slow => (both(Transport), (None, None)),
                    LostAfterCommit | Truncated => {
                        (both(Transport), (some("light"), some("light")))
                    }
                    MalformedJson | WrongContentType => {
                        (both(Unexpected(200)), (some("light"), some("light")))
                    }
                    _ => unreachable!(),
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_against_every_call() {
    use futures_util::StreamExt;
    let cells: Vec<(Fault, Call)> = FAULTS
        .iter()
        .flat_map(|f| CALLS.iter().map(move |c| (*f, *c)))
        .collect();
    // A few cells at a time: each has its own emulator, and the slow cells need the machine
    // not to be swamped for their timeouts to mean what they say.
    let results: Vec<_> = futures_util::stream::iter(cells)
        .map(|(fault, call)| async move { (fault, call, run_cell(fault, call).await) })
        .buffer_unordered(6)
        .collect()
        .await;
    let mut failures = Vec::new();
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for (fault, call, got) in results {
        let want = expected(fault, call);
        *counts.entry(format!("{:?}", got.0)).or_default() += 1;
        if got != want {
            failures.push(format!("{fault:?} x {call:?}: got {got:?}, want {want:?}"));
        }
    }
    println!(
        "outcomes over {} cells: {counts:?}",
        FAULTS.len() * CALLS.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn a_lost_create_whose_read_back_is_throttled_once_is_still_one_create() {
    let emu = Emulator::start(EmulatorConfig {
        apps: vec![App {
            token: TOKEN.into(),
            app_id: "fault-app".into(),
            me: None,
        }],
        seed: Seed::new().user("u1", "u1@contoso.com"),
        faults: Faults {
            seed: 1,
            rules: vec![
                FaultRule {
                    methods: vec!["POST".into()],
                    commit_then_drop_rate: 1.0,
                    max_faults: Some(1),
                    ..FaultRule::default()
                },
                FaultRule {
                    methods: vec!["GET".into()],
                    error_rate: 1.0,
                    error_statuses: vec![503],
                    retry_after: Some("0".into()),
                    max_faults: Some(1),
                    ..FaultRule::default()
                },
            ],
        },
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let client = GraphClient::builder()
        .base_url(emu.url())
        .token_provider(StaticToken::new(TOKEN))
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let s = Settings {
        theme: "light".into(),
    };
    let stored = s.create(&client, &Resource::user("u1")).await.unwrap();
    assert_eq!(stored.decode::<Settings>().unwrap(), s);
    assert_eq!(
        Settings::get(&client, &Resource::user("u1")).await.unwrap(),
        Some(s)
    );
}
