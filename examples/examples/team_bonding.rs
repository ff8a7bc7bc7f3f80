//! Directory extensions and extension attributes, typed: the Learn exercise "Configure
//! directory extensions" (module "Extend user profiles with Microsoft Graph extensions",
//! <https://learn.microsoft.com/en-us/training/modules/msgraph-extend-user-profile/>) with a
//! struct. Register an app and its service principal, create the definitions (one per field),
//! write values on a user, read them back, find users with an advanced query, update one value
//! and remove another; then the same user's extension attributes.
//!
//! `cargo run -p examples --example team_bonding`
//!
//! Every call below is the library's public API; copy it. The emulator stands in for Graph.

use extensions_client::{GraphClient, StaticToken};
use extensions_core::attributes::AttributeCondition;
use extensions_core::directory::op::{CreateApplication, CreateServicePrincipal, FindIn};
use extensions_core::prelude::*;
use extensions_emulator::{Emulator, EmulatorConfig, Seed};
use futures_util::StreamExt;

/// The exercise's employee data: each field a directory extension of the owner app.
#[derive(DirectoryExtension, Debug, Clone, PartialEq, Default)]
#[directory(targets(User))]
struct TeamProfile {
    /// `extension_{appId}_jobGroupTracker`, a String.
    job_group_tracker: Option<String>,
    /// `extension_{appId}_permanent_pensionable`, a Boolean.
    #[directory(rename = "permanent_pensionable")]
    pensionable: Option<bool>,
    /// A multi-valued String, at most 10 values.
    #[directory(max_items = 10, max_len = 64)]
    skills: Vec<String>,
}

/// Two of the fifteen extension attributes, by number.
#[derive(ExtensionAttributes, Debug, Clone, PartialEq)]
struct HrCodes {
    #[attribute(13)]
    cost_centre: Option<String>,
    #[attribute(15)]
    badge: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig {
        seed: Seed::new()
            .user("u1", "adele@contoso.com")
            .user("u2", "alex@contoso.com"),
        ..EmulatorConfig::default()
    })
    .await?;
    let client = GraphClient::builder()
        .base_url(emulator.url())
        .token_provider(StaticToken::new(extensions_emulator::DEFAULT_TOKEN))
        .build()?;

    println!(
        "1. register an app and its service principal (POST /applications, /servicePrincipals)"
    );
    let app = client
        .execute(&CreateApplication::new("Team bonding"))
        .await?
        .owner()?;
    client.execute(&CreateServicePrincipal::new(&app)).await?;
    println!("   appId {}", app.app_id());

    println!("2. create a definition per field (POST /applications/{{id}}/extensionProperties)");
    for def in TeamProfile::register(&client, &app).await? {
        println!("   {} ({:?})", def.name, def.data_type);
    }
    // Again: every definition is found, none created twice.
    TeamProfile::register(&client, &app).await?;

    println!("3. write values on a user (PATCH /users/u1)");
    let adele = Resource::user("u1");
    let profile = TeamProfile {
        job_group_tracker: Some("E4".into()),
        pensionable: Some(true),
        skills: vec!["rust".into(), "graph".into()],
    };
    profile.write(&client, &app, &adele).await?;

    println!("4. read them back (GET /users/u1?$select=id,extension_…)");
    let read = TeamProfile::read(&client, &app, &adele).await?;
    println!("   {read:?}");
    if read != profile {
        return Err("the values read back differ from those written".into());
    }

    println!(
        "5. users with a pension flag: an advanced query ($count=true, ConsistencyLevel: eventual)"
    );
    let with_flag = TeamProfile::filter(&app).pensionable().is_set();
    let mut found = client.find_directory(FindIn::Users, &app, &with_flag);
    let mut ids = Vec::new();
    while let Some(user) = found.next().await {
        ids.push(user?.id.unwrap_or_default());
    }
    println!("   {ids:?}");
    if ids != ["u1"] {
        return Err("expected u1 alone".into());
    }

    println!("6. update one value and remove another (null)");
    let updated = TeamProfile {
        job_group_tracker: Some("E5".into()),
        pensionable: None,
        ..profile
    };
    updated.write(&client, &app, &adele).await?;
    let read = TeamProfile::read(&client, &app, &adele).await?;
    println!("   {read:?}");
    if read != updated {
        return Err("the update did not land".into());
    }

    println!("7. extension attributes on the same user (onPremisesExtensionAttributes)");
    let codes = HrCodes {
        cost_centre: Some("CC-4410".into()),
        badge: Some("B-7".into()),
    };
    codes.write(&client, &adele).await?;
    let read = HrCodes::read(&client, &adele).await?;
    println!("   {read:?}");
    if read != codes {
        return Err("the attributes read back differ".into());
    }
    let mut found = client.find_attributes(FindIn::Users, &AttributeCondition::eq(13, "CC-4410")?);
    let mut n = 0;
    while let Some(user) = found.next().await {
        user?;
        n += 1;
    }
    println!("   {n} user(s) in cost centre CC-4410");

    println!("8. a value over its limit is refused before sending");
    let too_long = TeamProfile {
        skills: vec!["x".repeat(65)],
        ..TeamProfile::default()
    };
    match too_long.write(&client, &app, &adele).await {
        Err(e) => println!("   refused: {e}"),
        Ok(()) => return Err("a 65-character skill was sent".into()),
    }
    Ok(())
}
