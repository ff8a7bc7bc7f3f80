//! A tiny harness: an emulator on loopback and plain reqwest (not the project's client).
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use extensions_emulator::{App, Emulator, EmulatorConfig, Seed};
use serde_json::{Value, json};

pub const TOKEN: &str = "token-a";
pub const OTHER_TOKEN: &str = "token-b";

pub struct Harness {
    pub emu: Emulator,
    pub http: reqwest::Client,
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Option<Value>,
}

impl Answer {
    pub fn json(&self) -> &Value {
        self.body.as_ref().expect("a JSON body")
    }
    pub fn error_code(&self) -> &str {
        self.json()["error"]["code"].as_str().unwrap_or_default()
    }
    pub fn error_message(&self) -> &str {
        self.json()["error"]["message"].as_str().unwrap_or_default()
    }
}

/// Every kind of resource in the seed: users u1 (adele@contoso.com, also `me`) and u2, groups,
/// devices, organization, administrative unit, and items under them.
pub fn full_seed() -> Seed {
    Seed::new()
        .user("u1", "adele@contoso.com")
        .user("u2", "alex@contoso.com")
        .message("u1", "AAMk+m1==")
        .event("u1", "AAMk+e1==")
        .contact("u1", "AAMk+c1==")
        .todo_task("u1", "L1", "T1")
        .group("g1")
        .group_event("g1", "AAMk+ge1==")
        .group_post("g1", "AAQk+t1==", "AAMk+p1==")
        .device("d1")
        .organization("o1")
        .administrative_unit("a1")
}

pub fn config(seed: Seed) -> EmulatorConfig {
    EmulatorConfig {
        apps: vec![
            App {
                token: TOKEN.into(),
                app_id: "app-a".into(),
                me: Some("u1".into()),
            },
            App {
                token: OTHER_TOKEN.into(),
                app_id: "app-b".into(),
                me: None,
            },
        ],
        seed,
        ..EmulatorConfig::default()
    }
}

impl Harness {
    pub async fn start(config: EmulatorConfig) -> Self {
        let emu = Emulator::start(config).await.unwrap();
        Harness {
            emu,
            http: http_client(),
        }
    }

    pub async fn new() -> Self {
        Self::start(config(full_seed())).await
    }

    /// `path` is after `/v1.0` (or a full `/beta/...` path, or an absolute URL).
    pub async fn call_as(
        &self,
        token: Option<&str>,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else if path.starts_with("/beta")
            || path.starts_with("/v1.0")
            || path.starts_with("/_emulator")
        {
            format!("{}{path}", self.emu.base_url())
        } else {
            format!("{}{path}", self.emu.url())
        };
        let mut req = self.http.request(method.parse().unwrap(), url);
        // The admin routes take the emulator's admin token, which the harness knows.
        let admin = path.starts_with("/_emulator");
        let token = token.or(admin.then(|| self.emu.admin_token()));
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/json")
                .body(serde_json::to_vec(&b).unwrap());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.unwrap();
        let body = if bytes.is_empty() {
            None
        } else {
            Some(serde_json::from_slice(&bytes).unwrap())
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        self.call_as(Some(TOKEN), method, path, body).await
    }

    /// The whole stored state (admin route).
    pub async fn state(&self) -> Value {
        self.call_as(None, "GET", "/_emulator/state", None)
            .await
            .body
            .unwrap()
    }

    /// The stored extensions of the resource at `pointer` in the state (a JSON pointer).
    pub async fn stored(&self, pointer: &str) -> Vec<Value> {
        let state = self.state().await;
        state
            .pointer(pointer)
            .and_then(|r| r["extensions"].as_array())
            .cloned()
            .unwrap_or_default()
    }
}

/// A plain reqwest client for loopback HTTP. In a workspace build, Cargo unifies reqwest's
/// features with extensions-client's (`rustls-no-provider`), and reqwest then needs a rustls
/// crypto provider to build any client: install `ring`'s, as extensions-client does.
#[allow(dead_code)]
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// The tutorial's definition, with `id`.
pub fn courses(id: &str) -> Value {
    json!({
        "id": id,
        "description": "Graph Learn training courses extensions",
        "targetTypes": ["Group"],
        "properties": [
            {"name": "courseId", "type": "Integer"},
            {"name": "courseName", "type": "String"},
            {"name": "courseType", "type": "String"}
        ]
    })
}
