//! Example applications for the open-extension crates, under `examples/examples/`:
//!
//! - `quickstart`: `cargo run -p examples --example quickstart`.
//! - `user_settings`: `cargo run -p examples --example user_settings`: settings on `/me` across
//!   two versions of an app (`#[extension(default)]`, `update` keeping unknown properties).
//! - `tenant_scan`: `cargo run -p examples --example tenant_scan`: every user with its
//!   extensions through the paging stream, and a bulk update through `$batch`.
//!
//! Shared by the examples: [`Logged`], a transport that prints each request and its status.

use extensions_core::Error;
use extensions_core::ops::Transport;
use extensions_core::request::Request;
use extensions_core::response::Response;

/// Wraps a transport and prints `METHOD path -> status` for every request.
#[derive(Debug, Clone)]
pub struct Logged<T>(pub T);

impl<T: Transport + Sync> Transport for Logged<T> {
    async fn send(&self, request: Request) -> Result<Response, Error> {
        let line = format!("{} {}", request.method, request.url);
        let result = self.0.send(request).await;
        match &result {
            Ok(resp) => println!("  {line} -> {}", resp.status),
            Err(e) => println!("  {line} -> failed: {e}"),
        }
        result
    }
}
