//! Schema extensions, typed: the tutorial "Add custom data to groups using schema extensions"
//! (<https://learn.microsoft.com/en-us/graph/extensibility-schema-groups>) with a struct.
//! Register a definition, create a group with its data, update and read it, find groups by it
//! on the server, clear it, delete the definition; then make one available, which cannot be
//! deleted any more.
//!
//! `cargo run -p examples --example courses`
//!
//! Every call below is the library's public API; copy it. The emulator stands in for Graph
//! (its verified domain is contoso.com, so the id `contoso_courses` is ours to register).

use extensions_client::{GraphClient, StaticToken};
use extensions_core::prelude::*;
use extensions_core::schema::op::FindIn;
use extensions_core::schema::{Owner, Status};
use extensions_emulator::{Emulator, EmulatorConfig};
use futures_util::StreamExt;
use serde_json::json;

/// The tutorial's training course, as a struct: each field a typed property.
#[derive(SchemaExtension, Debug, Clone, PartialEq)]
#[schema(
    id = "contoso_courses",
    targets(Group),
    description = "Graph Learn training courses extensions"
)]
struct Course {
    course_id: i32,
    course_name: String,
    course_type: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig::default()).await?;
    let client = GraphClient::builder()
        .base_url(emulator.url())
        .token_provider(StaticToken::new(extensions_emulator::DEFAULT_TOKEN))
        .build()?;

    println!("1. register the definition (POST /schemaExtensions)");
    let def = Course::register(&client, Owner::Caller).await?;
    println!(
        "   {} is {:?}, owned by {:?}",
        def.id, def.status, def.owner
    );

    println!("2. create a group with its course data in one request (POST /groups)");
    let managers = Course {
        course_id: 123,
        course_name: "New Managers".into(),
        course_type: Some("Online".into()),
    };
    let group = managers
        .create_in(
            &client,
            &def.id,
            FindIn::Groups,
            &json!({
                "displayName": "New Managers March 2017",
                "groupTypes": ["Unified"],
                "mailEnabled": true,
                "mailNickname": "newMan201703",
                "securityEnabled": false
            }),
        )
        .await?;
    let group = Resource::group(group["id"].as_str().ok_or("the new group has no id")?);

    println!("3. update the data (PATCH /groups/{{id}}): every declared property is sent");
    let in_person = Course {
        course_type: Some("Instructor-led".into()),
        ..managers.clone()
    };
    in_person.write(&client, &def.id, &group).await?;

    println!("4. read it back (GET /groups/{{id}}?$select=id,contoso_courses)");
    let read = Course::read(&client, &def.id, &group).await?;
    println!("   {read:?}");
    if read.as_ref() != Some(&in_person) {
        return Err("the course read back is not the one written".into());
    }

    println!("5. find groups by course id on the server ($filter=contoso_courses/courseId eq 123)");
    let found: Vec<_> = client
        .find(FindIn::Groups, &Course::filter(&def.id).course_id().eq(123))
        .collect()
        .await;
    for g in &found {
        let g = g.as_ref().map_err(Clone::clone)?;
        println!("   group {:?}: {:?}", g.id, g.data);
    }
    if found.len() != 1 {
        return Err(format!("expected one group, found {}", found.len()).into());
    }

    println!("6. a String over 256 characters is refused before anything is sent");
    let too_long = Course {
        course_name: "x".repeat(300),
        ..managers.clone()
    };
    match too_long.write(&client, &def.id, &group).await {
        Err(e @ Error::SchemaValueTooLong { .. }) => println!("   refused: {e}"),
        other => return Err(format!("expected a refusal, got {other:?}").into()),
    }

    println!("7. clear the data (the whole property set to null)");
    Course::clear(&client, &def.id, &group).await?;
    if Course::read(&client, &def.id, &group).await?.is_some() {
        return Err("the data is still there".into());
    }

    println!("8. delete the definition (allowed while it is InDevelopment)");
    if !Course::delete_definition(&client, &def).await? {
        return Err("the definition was not there".into());
    }

    println!("9. register it again and make it Available: from now on it cannot be deleted");
    let def = Course::register(&client, Owner::Caller).await?;
    let def = Course::set_status(&client, &def, Status::Available).await?;
    match Course::delete_definition(&client, &def).await {
        Err(e @ Error::SchemaLifecycle { .. }) => println!("   refused: {e}"),
        other => return Err(format!("expected a refusal, got {other:?}").into()),
    }
    println!("done");
    Ok(())
}
