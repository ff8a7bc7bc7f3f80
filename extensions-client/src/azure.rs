//! Tokens from `azure_identity` (feature `azure-identity`).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use azure_core::credentials::TokenCredential;

use crate::{AccessToken, Cloud, Secret, TokenFuture, TokenProvider};

/// A [`TokenProvider`] over any `azure_core` credential: `ClientSecretCredential`,
/// `ManagedIdentityCredential`, `DeveloperToolsCredential`, … from [`azure_identity`].
///
/// It asks for the `.default` scope of the cloud's Graph (`https://graph.microsoft.com/.default`
/// for the global cloud). The client caches the token and asks again shortly before it expires.
///
/// ```no_run
/// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use extensions_client::{AzureCredential, GraphClient};
///
/// let credential = extensions_client::azure_identity::DeveloperToolsCredential::new(None)?;
/// let client = GraphClient::builder()
///     .token_provider(AzureCredential::new(credential))
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
pub struct AzureCredential {
    credential: Arc<dyn TokenCredential>,
    scope: String,
}

impl fmt::Debug for AzureCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureCredential")
            .field("credential", &self.credential)
            .field("scope", &self.scope)
            .finish()
    }
}

impl AzureCredential {
    /// Tokens for Graph's global cloud.
    pub fn new(credential: Arc<dyn TokenCredential>) -> Self {
        Self::for_cloud(credential, Cloud::Global)
    }

    /// Tokens for `cloud`'s Graph (scope `{root}/.default`).
    pub fn for_cloud(credential: Arc<dyn TokenCredential>, cloud: Cloud) -> Self {
        Self {
            credential,
            scope: format!("{}/.default", cloud.root()),
        }
    }

    /// The scope asked for.
    pub fn scope(&self) -> &str {
        &self.scope
    }
}

impl TokenProvider for AzureCredential {
    fn fetch(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let scopes = [self.scope.as_str()];
            let token = self
                .credential
                .get_token(&scopes, None)
                .await
                .map_err(|e| -> crate::TokenError { Box::new(e) })?;
            let secs = token.expires_on.unix_timestamp();
            let expires_at = u64::try_from(secs)
                .ok()
                .map(|s| UNIX_EPOCH + Duration::from_secs(s))
                .unwrap_or(SystemTime::UNIX_EPOCH);
            Ok(AccessToken {
                secret: Secret::new(token.token.secret()),
                expires_at: Some(expires_at),
            })
        })
    }
}
