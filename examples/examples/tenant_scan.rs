//! A tenant-wide scan and bulk update: read every user with its extensions (one page in memory at
//! a time), find the users whose settings need a change, and write the changes through `$batch`
//! (20 per envelope, a few envelopes in flight, throttled items retried on their own).
//!
//! `cargo run -p examples --example tenant_scan` (on the embedded emulator, with 1,000 users and
//! Graph's throttling limit).

use std::io::Write;

use extensions_client::{GraphClient, StaticToken};
use extensions_core::prelude::*;
use extensions_emulator::{App, Emulator, EmulatorConfig, Seed};
use futures_util::StreamExt;

/// An app's per-user settings.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Settings")]
struct Settings {
    theme: String,
    #[extension(default)]
    schema_version: u32,
}

const USERS: usize = 1000;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig {
        apps: vec![App {
            token: "scan-token".into(),
            app_id: "scan-app".into(),
            me: None,
        }],
        seed: Seed::new().users(USERS),
        ..EmulatorConfig::default()
    })
    .await?;
    let client = GraphClient::builder()
        .base_url(emulator.url())
        .token_provider(StaticToken::new("scan-token"))
        .build()?;

    // Set up: every third user has old settings (schema 1), the others none.
    let old = Settings {
        theme: "light".into(),
        schema_version: 1,
    };
    let setup: Vec<_> = (0..USERS)
        .step_by(3)
        .map(|i| old.create_op(Resource::user(format!("u{i}"))))
        .collect();
    let created = client.bulk(&setup).await;
    println!(
        "set up {} users with schema-1 settings",
        created.iter().filter(|r| r.is_ok()).count()
    );

    // Scan: every user, with extensions, 999 per page.
    let mut to_update = Vec::new();
    let mut seen = 0;
    let mut pages = client.users_with_extensions(Some(999));
    while let Some(user) = pages.next().await {
        let user = user?;
        seen += 1;
        if let (Some(id), Some(mut s)) = (user.id.clone(), user.extension::<Settings>()?)
            && s.schema_version < 2
        {
            s.schema_version = 2;
            // The full property set, as every patch is.
            to_update.push(s.patch_op(Resource::user(id)));
        }
        if seen % 250 == 0 {
            print!(
                "\rscanned {seen}/{USERS} users, {} to update",
                to_update.len()
            );
            std::io::stdout().flush()?;
        }
    }
    println!(
        "\rscanned {seen}/{USERS} users, {} to update",
        to_update.len()
    );

    // Bulk update in input order; each answer says how its item went.
    let total = to_update.len();
    let answers = client.bulk(&to_update).await;
    let ok = answers.iter().filter(|r| r.is_ok()).count();
    println!("updated {ok}/{total}");
    if ok != total {
        for (i, a) in answers.iter().enumerate().filter(|(_, a)| a.is_err()) {
            println!("  item {i}: {a:?}");
        }
        return Err("some updates failed".into());
    }
    Ok(())
}
