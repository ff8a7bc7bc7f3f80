//! Quickstart: a typed open extension on a user: create, get, patch, update, delete, and a
//! refusal before sending. It uses only the public crates, so it can be copied as it is.
//!
//! `cargo run -p examples --example quickstart` runs it on the emulator embedded in the process.
//! With `GRAPH_TOKEN` it runs on a tenant (`GRAPH_BASE_URL` for another root than Graph's global
//! cloud): on `GRAPH_USER` if set, else on `/me`. It removes its extension at the start (a
//! left-over from an earlier run) and at the end. `RUST_LOG=extensions_client=debug` shows each
//! request the client sends, with its status.

use extensions_client::{GraphClient, StaticToken};
use extensions_core::prelude::*;
use extensions_emulator::{App, Emulator, EmulatorConfig, Seed};

/// The app's data on a user.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Quickstart")]
struct Preferences {
    theme: String,  // wire name "theme"
    font_size: u32, // "fontSize" (camelCase by default)
    pinned_sites: Vec<String>,
    last_tour: Option<String>, // None is sent as null
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The client's `tracing` events go nowhere until a subscriber is installed.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());

    // A tenant when GRAPH_TOKEN is set; otherwise an emulator in this process, with one user and
    // a delegated token whose `/me` is that user. (Keep `_emulator` alive: dropping it stops it.)
    let (client, user, _emulator) = match var("GRAPH_TOKEN") {
        Some(token) => {
            let mut builder = GraphClient::builder().token_provider(StaticToken::new(token));
            if let Some(url) = var("GRAPH_BASE_URL") {
                builder = builder.base_url(url);
            }
            let user = var("GRAPH_USER").map_or_else(Resource::me, Resource::user);
            (builder.build()?, user, None)
        }
        None => {
            let emulator = Emulator::start(EmulatorConfig {
                apps: vec![App {
                    token: "quickstart-token".into(),
                    app_id: "quickstart-app".into(),
                    me: Some("adele".into()),
                }],
                seed: Seed::new().user("adele", "adele@contoso.com"),
                ..EmulatorConfig::default()
            })
            .await?;
            let client = GraphClient::builder()
                .base_url(emulator.url())
                .token_provider(StaticToken::new("quickstart-token"))
                .build()?;
            (client, Resource::me(), Some(emulator))
        }
    };
    println!("on {} as {}", client.root(), user.path());

    println!("clean start (an earlier run's extension, if any):");
    let removed = Preferences::delete(&client, &user).await?;
    println!("  removed one: {removed}");

    println!("create:");
    let prefs = Preferences {
        theme: "dark".into(),
        font_size: 14,
        pinned_sites: vec!["Sales".into(), "Contoso Intranet".into()],
        last_tour: None,
    };
    let stored = prefs.create(&client, &user).await?;
    println!("  stored with id {}", stored.id);

    println!("get:");
    let got = Preferences::get(&client, &user).await?;
    println!("  {got:?}");
    if got.as_ref() != Some(&prefs) {
        return Err(format!("read back {got:?}, wrote {prefs:?}").into());
    }

    println!("patch (always the full property set: Graph drops what a patch omits on a user):");
    let mut changed = prefs.clone();
    changed.last_tour = Some("2026-11-26T10:00:00Z".into());
    changed.patch(&client, &user).await?;
    println!("  {:?}", Preferences::get(&client, &user).await?);

    println!("update (read, change, write back everything the server had):");
    let updated = Preferences::update(&client, &user, |p| p.font_size += 2).await?;
    println!("  {updated:?}");

    println!("a refusal, before anything is sent:");
    let too_big = Preferences {
        pinned_sites: vec!["x".repeat(100); 30],
        ..prefs
    };
    match too_big.patch(&client, &user).await {
        Err(Error::TooLarge { size, limit, kind }) => {
            println!("  refused: {size} bytes is over the {limit}-byte limit of a {kind}")
        }
        other => return Err(format!("expected a size refusal, got {other:?}").into()),
    }

    println!("delete:");
    let deleted = Preferences::delete(&client, &user).await?;
    println!(
        "  deleted: {deleted}; now {:?}",
        Preferences::get(&client, &user).await?
    );
    Ok(())
}
