//! The `azure-identity` adapter, with a stand-in credential, against the emulator.
#![cfg(feature = "azure-identity")]
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use azure_core::credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions};
use extensions_client::{AzureCredential, Cloud, GraphClient};
use extensions_core::prelude::*;
use extensions_emulator::{App, Emulator, EmulatorConfig, Seed};

#[derive(Debug, Default)]
struct FakeCredential {
    scopes: Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl TokenCredential for FakeCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        self.scopes
            .lock()
            .unwrap()
            .extend(scopes.iter().map(|s| s.to_string()));
        let expires =
            azure_core::time::OffsetDateTime::now_utc() + azure_core::time::Duration::hours(1);
        Ok(AccessToken::new(Secret::new("azure-token"), expires))
    }
}

#[derive(OpenExtension, Debug, PartialEq)]
#[extension(name = "com.contoso.Settings")]
struct Settings {
    theme: String,
}

#[tokio::test]
async fn tokens_from_an_azure_credential_reach_graph() {
    let emu = Emulator::start(EmulatorConfig {
        apps: vec![App {
            token: "azure-token".into(),
            app_id: "app".into(),
            me: None,
        }],
        seed: Seed::new().user("u1", "adele@contoso.com"),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let credential = Arc::new(FakeCredential::default());
    let client = GraphClient::builder()
        .base_url(emu.url())
        .token_provider(AzureCredential::new(credential.clone()))
        .build()
        .unwrap();
    Settings {
        theme: "dark".into(),
    }
    .create(&client, &Resource::user("u1"))
    .await
    .unwrap();
    assert_eq!(
        Settings::get(&client, &Resource::user("u1")).await.unwrap(),
        Some(Settings {
            theme: "dark".into()
        })
    );
    // One token for both requests, for Graph's default scope.
    assert_eq!(
        *credential.scopes.lock().unwrap(),
        ["https://graph.microsoft.com/.default"]
    );
    assert_eq!(
        AzureCredential::for_cloud(credential, Cloud::UsGovL4).scope(),
        "https://graph.microsoft.us/.default"
    );
}
