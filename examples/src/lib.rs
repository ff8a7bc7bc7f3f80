//! Example applications for the open-extension crates, under `examples/examples/`. Each runs on
//! the emulator embedded in the process by default, and on a tenant when the `GRAPH_*`
//! variables of README name one (see [`VARIABLES`]); `tenant_sync` runs on the emulator only.
//!
//! - `quickstart`: create, get, patch, update and delete on a user, and a refusal before sending.
//! - `user_settings`: settings on `/me` across two versions of an app (`#[extension(default)]`,
//!   `update` keeping unknown properties).
//! - `referral`: Graph's referral on a message: a new message carrying it, a filtered `$expand`,
//!   the messages that carry it.
//! - `deal_event`: a new group event carrying a deal, updated as the deal moves on.
//! - `todo`: a new to-do list and task, each created with an extension.
//! - `conversation`: a new group conversation whose first post carries an extension, and an
//!   operation written in the example (a thread's posts).
//! - `tenant_sync`: every user with its extensions, then a bulk update through `$batch` under
//!   Graph's throttling limit, with a progress bar (`-- --users 10000`).
//!
//! Run one with `cargo run -p examples --example NAME`.
//!
//! Shared by the examples: [`Target`], which picks a tenant from the environment or starts the
//! emulator in the process, and [`Logged`], an executor that prints each request and its status.

use std::borrow::Cow;

mod target;
pub use target::{Target, VARIABLES, delegated};

use extensions_core::Error;
use extensions_core::op::{Confirmation, Execute, Operation, Repeat, Request, Response};

/// Wraps an executor and prints `METHOD path -> status` for every answer an operation reads.
///
/// It wraps each operation in [`LoggedOp`], whose reader prints before reading: operations are
/// values, so a wrapper sees exactly what its operation sees.
#[derive(Debug, Clone)]
pub struct Logged<E>(pub E);

/// An operation that prints what it sends and what it reads, then does what `O` does.
#[derive(Debug)]
pub struct LoggedOp<'a, O: ?Sized>(pub &'a O);

impl<O: Operation + ?Sized> LoggedOp<'_, O> {
    fn line(&self) -> String {
        match self.0.request() {
            Ok(r) => format!("{} {}", r.method(), r.uri()),
            Err(_) => "(refused before sending)".into(),
        }
    }
}

impl<O: Operation + ?Sized> Operation for LoggedOp<'_, O> {
    type Output = O::Output;

    fn request(&self) -> Result<Request, Error> {
        self.0.request()
    }

    fn read(&self, response: Response) -> Result<O::Output, Error> {
        println!("  {} -> {}", self.line(), response.status().as_u16());
        self.0.read(response)
    }

    fn repeat(&self) -> Repeat {
        self.0.repeat()
    }

    fn route(&self) -> Cow<'static, str> {
        self.0.route()
    }

    fn read_back(&self) -> Option<Request> {
        self.0.read_back()
    }

    fn confirm(&self, response: Response) -> Result<Confirmation<O::Output>, Error> {
        self.0.confirm(response)
    }
}

impl<E: Execute> Execute for Logged<E> {
    async fn execute<O>(&self, op: &O) -> Result<O::Output, Error>
    where
        O: Operation + Sync + ?Sized,
        O::Output: Send,
    {
        let logged = LoggedOp(op);
        let result = self.0.execute(&logged).await;
        if let Err(e) = &result
            && e.status().is_none()
        {
            println!("  {} -> failed: {e}", logged.line());
        }
        result
    }
}

/// The workspace README's code blocks compile as doctests, so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
