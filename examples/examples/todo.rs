//! A to-do task that remembers where it came from: a new list and a new task, each created with
//! an extension in one request, then the task's extension read and patched.
//!
//! `cargo run -p examples --example todo` (on the embedded emulator; on a tenant with the
//! `GRAPH_*` variables of README, permission Tasks.ReadWrite, or Tasks.ReadWrite.All for an
//! application token; the new list and task stay in the user's To Do).

use examples::{Logged, Target, delegated};
use extensions_core::prelude::*;
use extensions_emulator::Seed;

/// Where a task was created from, in the app's own system.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Origin")]
struct Origin {
    system: String,
    ticket: u32,
    #[extension(default)]
    synced: bool,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct NewList<'a> {
    display_name: &'a str,
}

#[derive(serde::Serialize)]
struct NewTask<'a> {
    title: &'a str,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target =
        Target::from_env(|| delegated(Seed::new().user("adele", "adele@contoso.com"), None))
            .await?;
    println!("on {}", target.description);
    let client = Logged(target.client.clone());
    let user = &target.user;

    let origin = Origin {
        system: "helpdesk".into(),
        ticket: 4711,
        synced: false,
    };
    println!("a new to-do list, itself carrying the extension:");
    let list = origin
        .create_with_item(
            &client,
            &user.todo_lists(),
            &NewList {
                display_name: "Helpdesk follow-ups",
            },
        )
        .await?
        .ok_or("a new list is answered with its body")?;
    let list_id = list.id.clone().ok_or("the new list has an id")?;
    println!("  list {list_id}");

    println!("a new task in it, with the extension:");
    let tasks = user.todo_list(&list_id);
    let task = origin
        .create_with_item(
            &client,
            &tasks.tasks(),
            &NewTask {
                title: "Call back about ticket 4711",
            },
        )
        .await?
        .ok_or("a new task is answered with its body")?;
    let task_id = task.id.clone().ok_or("the new task has an id")?;
    let on_task = tasks.task(&task_id);
    println!("  task {task_id}");

    println!("read it, mark it synced (Graph merges on to-do items; the full set is sent):");
    let got = Origin::get(&client, &on_task).await?;
    println!("  {got:?}");
    if got.as_ref() != Some(&origin) {
        return Err("the task's extension did not come back as written".into());
    }
    let synced = Origin::update(&client, &on_task, |o| o.synced = true).await?;
    println!("  {synced:?}");
    Ok(())
}
