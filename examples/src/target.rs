//! Where an example runs: a Microsoft Graph tenant, when the environment names one, or the
//! emulator embedded in the process.

use std::env;
use std::error::Error;

use extensions_client::{GraphClient, StaticToken};
use extensions_core::UserResource;
use extensions_core::prelude::*;
use extensions_emulator::{Emulator, EmulatorConfig};

/// The environment variables an example reads to run against a tenant.
///
/// - `GRAPH_TOKEN`: an access token for Graph (delegated or application), sent as is;
/// - or `GRAPH_TENANT_ID`, `GRAPH_CLIENT_ID` and `GRAPH_CLIENT_SECRET`: an app registration's
///   client secret, exchanged for application tokens (build with `--features azure-identity`);
/// - `GRAPH_USER`: the user to work on, by id or user principal name (needed with an
///   application token; without it the examples use `/me`, which needs a delegated token);
/// - `GRAPH_GROUP`: the group id, for the group examples (`deal_event`, `conversation`);
/// - `GRAPH_BASE_URL`: another root than `https://graph.microsoft.com/v1.0` (a national cloud,
///   `beta`, or the emulator binary on loopback).
pub const VARIABLES: [&str; 7] = [
    "GRAPH_TOKEN",
    "GRAPH_TENANT_ID",
    "GRAPH_CLIENT_ID",
    "GRAPH_CLIENT_SECRET",
    "GRAPH_USER",
    "GRAPH_GROUP",
    "GRAPH_BASE_URL",
];

/// A client and the resources an example works on.
#[derive(Debug)]
pub struct Target {
    /// The client, on the tenant or the embedded emulator.
    pub client: GraphClient,
    /// The user: `GRAPH_USER`, or `/me`.
    pub user: UserResource,
    /// The group id: `GRAPH_GROUP`, or the embedded emulator's.
    pub group: Option<String>,
    /// A line saying where requests go.
    pub description: String,
    emulator: Option<Emulator>,
}

impl Target {
    /// The tenant the environment names (see [`VARIABLES`]); otherwise the emulator, started
    /// in this process with `embedded`'s configuration, whose first app's token the client
    /// uses (its `me` is the user; `group` names the seeded group).
    pub async fn from_env(
        embedded: impl FnOnce() -> (EmulatorConfig, Option<String>),
    ) -> Result<Self, Box<dyn Error>> {
        let var = |name: &str| env::var(name).ok().filter(|v| !v.trim().is_empty());
        let secret_vars = ["GRAPH_TENANT_ID", "GRAPH_CLIENT_ID", "GRAPH_CLIENT_SECRET"];
        let tenant = var("GRAPH_TOKEN").is_some() || secret_vars.iter().any(|v| var(v).is_some());
        if !tenant {
            let (config, group) = embedded();
            let token = config
                .apps
                .first()
                .ok_or("the embedded emulator needs an app")?
                .token
                .clone();
            let emulator = Emulator::start(config).await?;
            let client = GraphClient::builder()
                .base_url(emulator.url())
                .token_provider(StaticToken::new(token))
                .build()?;
            return Ok(Self {
                client,
                user: Resource::me(),
                group,
                description: format!(
                    "the emulator embedded in this process, at {} (set GRAPH_TOKEN or GRAPH_CLIENT_SECRET to use a tenant)",
                    emulator.url()
                ),
                emulator: Some(emulator),
            });
        }
        let mut builder = GraphClient::builder();
        if let Some(url) = var("GRAPH_BASE_URL") {
            builder = builder.base_url(url);
        }
        builder = match var("GRAPH_TOKEN") {
            Some(token) => builder.token_provider(StaticToken::new(token)),
            None => {
                let missing: Vec<&str> = secret_vars
                    .iter()
                    .copied()
                    .filter(|v| var(v).is_none())
                    .collect();
                if !missing.is_empty() {
                    return Err(format!(
                        "a client secret needs GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET; missing: {}",
                        missing.join(", ")
                    )
                    .into());
                }
                client_secret(builder, var)?
            }
        };
        let client = builder.build()?;
        let user = match var("GRAPH_USER") {
            Some(u) => Resource::user(u),
            None => Resource::me(),
        };
        let description = format!("Graph at {} as {}", client.root(), user.path());
        Ok(Self {
            client,
            user,
            group: var("GRAPH_GROUP"),
            description,
            emulator: None,
        })
    }

    /// The group to work on: `GRAPH_GROUP` on a tenant, the seeded one on the emulator.
    pub fn group(&self) -> Result<&str, Box<dyn Error>> {
        self.group
            .as_deref()
            .ok_or_else(|| "this example needs a group: set GRAPH_GROUP to its id".into())
    }

    /// The embedded emulator, when the example runs on it.
    pub fn emulator(&self) -> Option<&Emulator> {
        self.emulator.as_ref()
    }
}

#[cfg(feature = "azure-identity")]
fn client_secret(
    builder: extensions_client::GraphClientBuilder,
    var: impl Fn(&str) -> Option<String>,
) -> Result<extensions_client::GraphClientBuilder, Box<dyn Error>> {
    use extensions_client::azure_identity::ClientSecretCredential;
    let (tenant, client, secret) = (
        var("GRAPH_TENANT_ID").unwrap_or_default(),
        var("GRAPH_CLIENT_ID").unwrap_or_default(),
        var("GRAPH_CLIENT_SECRET").unwrap_or_default(),
    );
    let credential = ClientSecretCredential::new(&tenant, client, secret.into(), None)?;
    Ok(builder.token_provider(extensions_client::AzureCredential::new(credential)))
}

#[cfg(not(feature = "azure-identity"))]
fn client_secret(
    _builder: extensions_client::GraphClientBuilder,
    _var: impl Fn(&str) -> Option<String>,
) -> Result<extensions_client::GraphClientBuilder, Box<dyn Error>> {
    Err("GRAPH_CLIENT_SECRET needs the azure-identity feature: cargo run -p examples --features azure-identity --example …".into())
}

/// The embedded emulator's configuration for the examples: one app with a delegated token whose
/// `/me` is user `adele` (seeded by the caller), and the group id to use, if any.
pub fn delegated(
    seed: extensions_emulator::Seed,
    group: Option<&str>,
) -> (EmulatorConfig, Option<String>) {
    let config = EmulatorConfig {
        apps: vec![extensions_emulator::App {
            token: "example-token".into(),
            app_id: "example-app".into(),
            me: Some("adele".into()),
        }],
        seed,
        ..EmulatorConfig::default()
    };
    (config, group.map(str::to_owned))
}
