//! Settings on a user, across two versions of an app: a new field with `#[extension(default)]`
//! reads old data, and the old app's `update` keeps the property it does not know.
//!
//! `cargo run -p examples --example user_settings`

use examples::Logged;
use extensions_client::{GraphClient, StaticToken};
use extensions_core::prelude::*;
use extensions_emulator::{App, Emulator, EmulatorConfig, Seed};

/// Version 1 of the app's settings.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Settings")]
struct SettingsV1 {
    theme: String,
    language: String,
}

/// Version 2 adds a field; `default` lets it read what version 1 wrote.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Settings")]
struct SettingsV2 {
    theme: String,
    language: String,
    #[extension(default)]
    notifications: bool,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig {
        // A delegated token: `/me` is Adele.
        apps: vec![App {
            token: "settings-token".into(),
            app_id: "settings-app".into(),
            me: Some("adele".into()),
        }],
        seed: Seed::new().user("adele", "adele@contoso.com"),
        ..EmulatorConfig::default()
    })
    .await?;
    let client = Logged(
        GraphClient::builder()
            .base_url(emulator.url())
            .token_provider(StaticToken::new("settings-token"))
            .build()?,
    );
    let me = Resource::me();

    println!("version 1 saves its settings:");
    SettingsV1 {
        theme: "dark".into(),
        language: "en-GB".into(),
    }
    .create(&client, &me)
    .await?;

    println!(
        "version 2 reads them (the missing field takes its default) and turns notifications on:"
    );
    let v2 = SettingsV2::update(&client, &me, |s| s.notifications = true).await?;
    println!("  {v2:?}");

    println!("version 1, still installed elsewhere, changes the theme with `update`:");
    SettingsV1::update(&client, &me, |s| s.theme = "light".into()).await?;

    println!("version 2's property survived:");
    let now = SettingsV2::get(&client, &me)
        .await?
        .ok_or("the settings are gone")?;
    println!("  {now:?}");
    if !now.notifications || now.theme != "light" {
        return Err("an update lost data".into());
    }

    println!("whereas a v1 `patch` sends only what v1 knows, and Graph deletes the rest:");
    SettingsV1 {
        theme: "light".into(),
        language: "en-GB".into(),
    }
    .patch(&client, &me)
    .await?;
    let after = SettingsV2::get(&client, &me)
        .await?
        .ok_or("the settings are gone")?;
    println!("  {after:?} (notifications back to the default)");
    if after.notifications {
        return Err("expected the full-set patch to delete the property v1 does not know".into());
    }
    Ok(())
}
