//! The referral of Graph's open-extension pages, on a message: create a new message carrying the
//! extension in one request, read it back with a filtered `$expand`, patch it, list the messages
//! that carry it, and remove it.
//!
//! `cargo run -p examples --example referral` (on the embedded emulator; on a tenant with the
//! `GRAPH_*` variables of README, permission Mail.ReadWrite; it leaves the new draft message in
//! the mailbox, without the extension).

use examples::{Logged, Target, delegated};
use extensions_core::op::OutlookItems;
use extensions_core::prelude::*;
use extensions_emulator::Seed;
use futures_util::StreamExt;

/// `Com.Contoso.Referral` of Graph's examples.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "Com.Contoso.Referral")]
struct Referral {
    company_name: String,
    expiration_date: String,
    deal_value: i64,
}

/// The new message: any `Serialize` value that is a JSON object.
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
    let target =
        Target::from_env(|| delegated(Seed::new().user("adele", "adele@contoso.com"), None))
            .await?;
    println!("on {}", target.description);
    let client = Logged(target.client.clone());
    let user = &target.user;

    println!("a new message with the referral, in one request:");
    let referral = Referral {
        company_name: "Wingtip Toys".into(),
        expiration_date: "2015-12-30T11:00:00.000Z".into(),
        deal_value: 10000,
    };
    let message = NewMessage {
        subject: "Annual review",
        body: Body {
            content_type: "HTML",
            content: "You should be proud!",
        },
    };
    let created = referral
        .create_with_item(&client, &user.messages(), &message)
        .await?
        .ok_or("a new message is answered with its body")?;
    let id = created.id.clone().ok_or("the new message has an id")?;
    println!("  message {id}");

    println!("the message with its referral ($expand filtered to this name):");
    let msg = user.message(&id);
    let with = Referral::expand(&client, &msg).await?;
    println!(
        "  subject {}, referral {:?}",
        with.fields["subject"], with.extension
    );
    if with.extension.as_ref() != Some(&referral) {
        return Err("the referral did not come back as written".into());
    }

    println!("patch (Graph merges on messages; the full set is sent anyway):");
    let mut closed = referral.clone();
    closed.deal_value = 12000;
    closed.patch(&client, &msg).await?;
    println!("  {:?}", Referral::get(&client, &msg).await?);

    println!("the messages that carry a referral:");
    let mut items = target
        .client
        .items_with_extension::<Referral>(user, OutlookItems::Messages);
    let mut found = 0;
    while let Some(item) = items.next().await {
        let item = item?;
        found += 1;
        println!("  {:?}: {:?}", item.id, item.extension::<Referral>()?);
    }
    if found == 0 {
        return Err("the new message was not listed".into());
    }

    println!("remove the referral:");
    Referral::delete(&client, &msg).await?;
    println!("  now {:?}", Referral::get(&client, &msg).await?);
    Ok(())
}
