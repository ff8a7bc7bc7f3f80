//! A tenant-wide sync, with progress: read every user with its extensions (one page in memory at
//! a time), find the users whose settings are on an old schema, and write the new version through
//! `$batch` (20 per envelope, a few envelopes in flight, throttled items sent again after
//! `Retry-After`), drawing a progress bar on standard error as each outcome arrives. It ends with
//! a summary line on standard output and checks the result by reading every user again.
//!
//! `cargo run -p examples --example tenant_sync -- --users 10000` (default 1,000 users; Graph's
//! throttling limit is on unless `--no-throttle`). It runs on the embedded emulator only: on a
//! tenant it would write to every user.
//!
//! The bar is drawn only when standard error is a terminal (indicatif hides it otherwise), so a
//! redirected run prints the summary alone.

use std::time::{Duration, Instant};

use extensions_client::{BulkEvent, GraphClient, StaticToken};
use extensions_core::prelude::*;
use extensions_emulator::{App, Emulator, EmulatorConfig, Seed, Throttle};
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

/// An app's per-user settings; schema 2 is current.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Settings")]
struct Settings {
    theme: String,
    #[extension(default)]
    schema_version: u32,
}

const CURRENT: u32 = 2;

/// The theme the seed gives user `i` (every third user has settings).
fn theme(i: usize) -> &'static str {
    ["light", "dark", "contrast"][i % 9 / 3]
}

struct Args {
    users: usize,
    throttle: bool,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        users: 1000,
        throttle: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--users" => {
                args.users = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--users needs a number")?
            }
            "--no-throttle" => args.throttle = false,
            "--help" | "-h" => {
                return Err(
                    "tenant_sync [--users N] [--no-throttle]: sync every user's settings on the embedded emulator".into(),
                );
            }
            other => return Err(format!("unknown flag {other}; try --help")),
        }
    }
    Ok(args)
}

/// The tenant: `users` users, every third with schema-1 settings in one of three themes.
fn seed(users: usize) -> Result<Seed, String> {
    let users: Vec<_> = (0..users)
        .map(|i| {
            let mut user =
                json!({"id": format!("u{i}"), "userPrincipalName": format!("user{i}@contoso.com")});
            if i.is_multiple_of(3) {
                user["extensions"] = json!([{
                    "extensionName": "com.contoso.Settings",
                    "theme": theme(i),
                    "schemaVersion": 1,
                }]);
            }
            user
        })
        .collect();
    Seed::from_json(&json!({ "users": users }).to_string())
}

fn bar(len: Option<u64>, what: &'static str) -> ProgressBar {
    let bar = match len {
        Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    let template = if len.is_some() {
        "{prefix:>8} [{bar:30}] {pos}/{len} {msg} ({elapsed})"
    } else {
        "{prefix:>8} {spinner} {pos} {msg} ({elapsed})"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(what);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = args()?;
    let started = Instant::now();
    let emulator = Emulator::start(EmulatorConfig {
        apps: vec![App {
            token: "sync-token".into(),
            app_id: "sync-app".into(),
            me: None,
        }],
        seed: seed(args.users)?,
        throttle: if args.throttle {
            Throttle::default() // Graph's: 455 requests per 10 s per app
        } else {
            Throttle {
                requests: u32::MAX,
                window: Duration::from_secs(1),
            }
        },
        ..EmulatorConfig::default()
    })
    .await?;
    let client = GraphClient::builder()
        .base_url(emulator.url())
        .token_provider(StaticToken::new("sync-token"))
        .build()?;

    // Scan: every user with its extensions, 100 a page.
    let scan = bar(Some(args.users as u64), "scan");
    let mut to_update = Vec::new();
    let mut seen = 0usize;
    let mut users = client.users_with_extensions(Some(100));
    while let Some(user) = users.next().await {
        let user = user?;
        seen += 1;
        scan.inc(1);
        if let (Some(id), Some(mut s)) = (user.id.clone(), user.extension::<Settings>()?)
            && s.schema_version < CURRENT
        {
            s.schema_version = CURRENT;
            // The full property set, as every patch is.
            to_update.push(s.patch_op(Resource::user(id)));
            scan.set_message(format!("{} to update", to_update.len()));
        }
    }
    scan.finish_and_clear();

    // Sync: each outcome as it arrives.
    let sync = bar(Some(to_update.len() as u64), "update");
    let (mut updated, mut failed, mut retried) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    let mut events = std::pin::pin!(client.bulk_stream(&to_update));
    while let Some(event) = events.next().await {
        match event {
            BulkEvent::Done { result: Ok(_), .. } => {
                updated += 1;
                sync.inc(1);
            }
            BulkEvent::Done {
                index,
                result: Err(e),
            } => {
                failed += 1;
                sync.inc(1);
                failures.push(format!("item {index}: {e}"));
            }
            BulkEvent::Retrying { items, wait } => {
                retried += items;
                sync.set_message(format!("{retried} retried, last wait {wait:?}"));
            }
            _ => {}
        }
    }
    sync.finish_and_clear();
    for f in &failures {
        eprintln!("{f}");
    }
    println!(
        "{seen} users seen, {updated} updated, {retried} retried, {failed} failed, in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Check: every user that had settings is on the current schema with its theme kept.
    let mut current = 0usize;
    let mut users = client.users_with_extensions(Some(100));
    while let Some(user) = users.next().await {
        let user = user?;
        let i: usize = user
            .id
            .as_deref()
            .and_then(|id| id.strip_prefix('u'))
            .and_then(|n| n.parse().ok())
            .ok_or("an unexpected user id")?;
        match user.extension::<Settings>()? {
            Some(s) if s.schema_version == CURRENT && s.theme == theme(i) => current += 1,
            Some(s) => return Err(format!("user u{i} has {s:?}").into()),
            None if i.is_multiple_of(3) => {
                return Err(format!("user u{i} lost its settings").into());
            }
            None => {}
        }
    }
    let expected = args.users.div_ceil(3);
    if failed > 0 || current != expected {
        return Err(format!("{current} of {expected} users on schema {CURRENT}").into());
    }
    println!("checked: {current} of {expected} users on schema {CURRENT}, themes kept");
    Ok(())
}
