//! A deal on a group's calendar: a new group event carrying the deal's extension in one request,
//! read back with the event, then updated as the deal moves on.
//!
//! `cargo run -p examples --example deal_event` (on the embedded emulator; on a tenant with the
//! `GRAPH_*` variables of README plus `GRAPH_GROUP`: group events take delegated tokens only,
//! permission Group.ReadWrite.All; the new event stays on the group's calendar).

use examples::{Logged, Target, delegated};
use extensions_core::prelude::*;
use extensions_emulator::Seed;

/// The deal an event is about.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Deal")]
struct Deal {
    customer: String,
    stage: String,
    amount: f64,
    owners: Vec<String>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct NewEvent<'a> {
    subject: &'a str,
    start: When<'a>,
    end: When<'a>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct When<'a> {
    date_time: &'a str,
    time_zone: &'a str,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = Target::from_env(|| {
        let seed = Seed::new().user("adele", "adele@contoso.com").group("g1");
        delegated(seed, Some("g1"))
    })
    .await?;
    println!("on {}", target.description);
    let client = Logged(target.client.clone());
    let group = Resource::group(target.group()?);

    println!("a new group event carrying the deal:");
    let deal = Deal {
        customer: "Fabrikam".into(),
        stage: "proposal".into(),
        amount: 125_000.0,
        owners: vec!["adele@contoso.com".into()],
    };
    let event = NewEvent {
        subject: "Fabrikam: proposal review",
        start: When {
            date_time: "2026-12-03T15:00:00",
            time_zone: "UTC",
        },
        end: When {
            date_time: "2026-12-03T16:00:00",
            time_zone: "UTC",
        },
    };
    let created = deal
        .create_with_item(&client, &group.events(), &event)
        .await?
        .ok_or("a new event is answered with its body")?;
    let id = created.id.clone().ok_or("the new event has an id")?;
    println!("  event {id}");

    let on_event = group.event(&id);
    println!("the event with its deal:");
    let with = Deal::expand(&client, &on_event).await?;
    println!("  {} {:?}", with.fields["subject"], with.extension);
    if with.extension.as_ref() != Some(&deal) {
        return Err("the deal did not come back as written".into());
    }

    println!("the deal moves on (update: read, change, write the full set):");
    let won = Deal::update(&client, &on_event, |d| {
        d.stage = "won".into();
        d.owners.push("alex@contoso.com".into());
    })
    .await?;
    println!("  {won:?}");
    Ok(())
}
