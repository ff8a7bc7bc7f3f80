//! Quickstart: a typed open extension on a message, against the emulator in this process.
//!
//! `cargo run -p examples --example quickstart`

use examples::Logged;
use extensions_client::{GraphClient, StaticToken};
use extensions_core::prelude::*;
use extensions_emulator::{App, Emulator, EmulatorConfig, Seed};

/// The app's data on a message, as Graph documents it (`Com.Contoso.Referral`).
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Referral")]
struct Referral {
    company_name: String,
    deal_value: i64,
    expiration_date: Option<String>,
    top_picks: Vec<String>,
}

/// A new message: any `Serialize` value that is a JSON object.
#[derive(serde::Serialize)]
struct NewMessage<'a> {
    subject: &'a str,
    body: Body<'a>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    content_type: &'a str,
    content: &'a str,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A local Graph on a loopback port, with one user and one message.
    let emulator = Emulator::start(EmulatorConfig {
        apps: vec![App {
            token: "quickstart-token".into(),
            app_id: "quickstart-app".into(),
            me: Some("adele".into()),
        }],
        seed: Seed::new()
            .user("adele", "adele@contoso.com")
            .message("adele", "AAMkAGE1M2=="),
        ..EmulatorConfig::default()
    })
    .await?;
    println!("emulator at {}", emulator.url());

    let client = Logged(
        GraphClient::builder()
            .base_url(emulator.url())
            .token_provider(StaticToken::new("quickstart-token"))
            .build()?,
    );
    let msg = Resource::me().message("AAMkAGE1M2==");

    println!("create:");
    let referral = Referral {
        company_name: "Wingtip Toys".into(),
        deal_value: 500_050,
        expiration_date: None,
        top_picks: vec!["Employees only".into(), "Add family".into()],
    };
    let stored = referral.create(&client, &msg).await?;
    println!("  stored with id {}", stored.id);

    println!("get:");
    let got = Referral::get(&client, &msg).await?;
    println!("  {got:?}");

    println!("patch (always the full property set):");
    let mut changed = referral.clone();
    changed.expiration_date = Some("2015-12-30T11:00:00.000Z".into());
    changed.patch(&client, &msg).await?;
    println!("  {:?}", Referral::get(&client, &msg).await?);

    println!("update (read, change, write back everything the server had):");
    let updated = Referral::update(&client, &msg, |r| r.deal_value += 50).await?;
    println!("  {updated:?}");

    println!("delete:");
    let deleted = Referral::delete(&client, &msg).await?;
    println!(
        "  deleted: {deleted}; now {:?}",
        Referral::get(&client, &msg).await?
    );

    println!("create a new message carrying the extension, in one request:");
    let item = NewMessage {
        subject: "Annual review",
        body: Body {
            content_type: "text",
            content: "Referral attached.",
        },
    };
    let created = referral
        .create_with_item(&client, &Resource::me().messages(), &item)
        .await?
        .ok_or("a new message is answered with its body")?;
    let new_id = created.id.clone().ok_or("the new message has an id")?;
    println!("  message {new_id}, subject {}", created.fields["subject"]);

    println!("read it back with the extension expanded (one request):");
    let with = Referral::expand(&client, &Resource::me().message(&new_id)).await?;
    println!(
        "  subject {}, extension {:?}",
        with.fields["subject"], with.extension
    );

    println!("a refusal, before anything is sent:");
    let too_big = Referral {
        company_name: "x".repeat(3000),
        ..referral
    };
    match too_big.create(&client, &Resource::me()).await {
        Err(Error::TooLarge { size, limit, kind }) => {
            println!("  refused: {size} bytes is over the {limit}-byte limit of a {kind}")
        }
        other => return Err(format!("expected a size refusal, got {other:?}").into()),
    }
    Ok(())
}
