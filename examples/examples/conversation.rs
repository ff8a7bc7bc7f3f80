//! A new group conversation whose first post carries an extension, in one request; then the post
//! is found through the thread (with an operation written here: any Graph call the crates do not
//! cover is one `Operation` away) and its extension read and updated.
//!
//! `cargo run -p examples --example conversation` (on the embedded emulator; on a tenant with the
//! `GRAPH_*` variables of README plus `GRAPH_GROUP`, permission Group.ReadWrite.All; the new
//! conversation stays in the group).

use std::borrow::Cow;

use examples::{Logged, Target, delegated};
use extensions_core::op::{Execute, Operation, Repeat, Request, Response};
use extensions_core::prelude::*;
use extensions_core::resource::encode_component;
use extensions_core::response::read_error;
use extensions_emulator::Seed;

/// A benefits announcement's data, as in Graph's conversation example.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Benefits")]
struct Benefits {
    company_name: String,
    expiration_date: String,
    top_picks: Vec<String>,
}

/// `GET /groups/{id}/threads/{id}/posts`: the ids of a thread's posts. Not in the crates, so
/// written here as an operation: a request, a reader, a repeat class and a route.
struct ThreadPosts {
    group: String,
    thread: String,
}

impl Operation for ThreadPosts {
    type Output = Vec<String>;

    fn request(&self) -> Result<Request, Error> {
        let uri = format!(
            "/groups/{}/threads/{}/posts?$select=id",
            encode_component(&self.group),
            encode_component(&self.thread)
        );
        http::Request::get(uri)
            .body(bytes::Bytes::new())
            .map_err(|e| Error::InvalidUri {
                uri: "/groups/{id}/threads/{id}/posts".into(),
                reason: e.to_string(),
            })
    }

    fn read(&self, response: Response) -> Result<Vec<String>, Error> {
        if !response.status().is_success() {
            return Err(read_error(&response));
        }
        let page: serde_json::Value =
            serde_json::from_slice(response.body()).map_err(|e| Error::UnexpectedResponse {
                status: response.status(),
                detail: e.to_string(),
            })?;
        Ok(page["value"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["id"].as_str().map(str::to_owned))
            .collect())
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        "/groups/{id}/threads/{id}/posts".into()
    }
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
    let group_id = target.group()?.to_owned();
    let group = Resource::group(&group_id);

    println!("a new conversation; its first post carries the extension:");
    let benefits = Benefits {
        company_name: "Contoso".into(),
        expiration_date: "2026-12-31T23:59:59Z".into(),
        top_picks: vec!["Employees only".into(), "Add spouse or guest".into()],
    };
    let conversation = serde_json::json!({
        "topic": "New benefits",
        "threads": [{"posts": [{"body": {"contentType": "html", "content": "Open enrolment starts today."}}]}]
    });
    let created = benefits
        .create_with_item(&client, &group.conversations(), &conversation)
        .await?
        .ok_or("a new conversation is answered with its body")?;
    let thread = created.fields["threads"][0]["id"]
        .as_str()
        .ok_or("the answer names the new thread")?
        .to_owned();
    println!("  conversation {:?}, thread {thread}", created.id);

    println!("the thread's posts (an operation written in this example):");
    let posts = client
        .execute(&ThreadPosts {
            group: group_id.clone(),
            thread: thread.clone(),
        })
        .await?;
    let post = posts.first().ok_or("the thread has its first post")?;
    println!("  {posts:?}");

    let on_post = group.post(&thread, post);
    println!("the post's extension, then one more pick:");
    let got = Benefits::get(&client, &on_post).await?;
    println!("  {got:?}");
    if got.as_ref() != Some(&benefits) {
        return Err("the post's extension did not come back as written".into());
    }
    let more =
        Benefits::update(&client, &on_post, |b| b.top_picks.push("Add family".into())).await?;
    println!("  {more:?}");
    Ok(())
}
