//! Where the token comes from: `--token-command`, `GRAPH_TOKEN`, or (feature `azure-identity`)
//! `GRAPH_TENANT_ID`/`GRAPH_CLIENT_ID`/`GRAPH_CLIENT_SECRET`. No token ever reaches standard
//! output, standard error or an error message.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use extensions_client::{
    AccessToken, GraphClient, GraphClientBuilder, Secret, StaticToken, TokenError, TokenFuture,
    TokenProvider,
};

use crate::fail::Fail;

/// How long a token from a command is kept when it is not a JWT with an `exp` claim.
/// **Decision:** Microsoft Entra access tokens live 60–90 minutes; 45 is safely inside.
const OPAQUE_TOKEN_LIFETIME: Duration = Duration::from_secs(45 * 60);

/// Runs a shell command for each token: its standard output, trimmed, is the token.
///
/// The command runs in a process group of its own, with no standard input; when its fetch is
/// abandoned before the command ends (the client's timeout, or graph-ext stopping), the whole
/// group is killed, so neither the shell nor anything it started outlives the wait for it. Being
/// outside the terminal's foreground group, it cannot prompt on the terminal (a read of
/// `/dev/tty` stops it until the timeout): it must print a token it has, as `az account
/// get-access-token` does.
struct TokenCommand(String);

/// Kills a token command's process group when dropped, unless the command ended first.
struct Group(Option<u32>);

impl Group {
    /// The command ended: nothing to kill.
    fn ended(mut self) {
        self.0 = None;
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(pid) = self
            .0
            .and_then(|p| i32::try_from(p).ok())
            .and_then(rustix::process::Pid::from_raw)
        {
            // The group may be gone already; there is nothing else to do either way.
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }
}

impl TokenProvider for TokenCommand {
    fn fetch(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let mut command = tokio::process::Command::new("sh");
            command
                .arg("-c")
                .arg(&self.0)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .kill_on_drop(true);
            #[cfg(unix)]
            command.process_group(0);
            let child = command.spawn().map_err(|e| -> TokenError {
                format!("--token-command could not start: {e}").into()
            })?;
            let group = Group(child.id());
            let out = child.wait_with_output().await.map_err(|e| -> TokenError {
                format!("--token-command could not be read: {e}").into()
            })?;
            group.ended();
            if !out.status.success() {
                let err = String::from_utf8_lossy(&out.stderr);
                let first: String = err
                    .lines()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("")
                    .chars()
                    .take(200)
                    .collect();
                return Err(if first.is_empty() {
                    format!(
                        "--token-command failed ({}) and printed nothing on standard error",
                        out.status
                    )
                } else {
                    format!("--token-command failed ({}): {first}", out.status)
                }
                .into());
            }
            let token = String::from_utf8(out.stdout)
                .map_err(|_| -> TokenError {
                    "--token-command printed text that is not UTF-8".into()
                })?
                .trim()
                .to_owned();
            // Never the text itself in the message: it may hold the token.
            if token.is_empty() {
                return Err(
                    "--token-command printed nothing: it must print the access token on standard output"
                        .into(),
                );
            }
            if token.contains(char::is_whitespace) {
                return Err(format!(
                    "--token-command printed {} words on {} lines: it must print the access token alone",
                    token.split_whitespace().count(),
                    token.lines().count()
                )
                .into());
            }
            let expires_at =
                jwt_expiry(&token).or_else(|| SystemTime::now().checked_add(OPAQUE_TOKEN_LIFETIME));
            Ok(AccessToken {
                secret: Secret::new(token),
                expires_at,
            })
        })
    }
}

/// The `exp` claim of a JWT, if `token` is one.
fn jwt_expiry(token: &str) -> Option<SystemTime> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?.as_u64()?;
    UNIX_EPOCH.checked_add(Duration::from_secs(exp))
}

/// The client: Graph's global cloud (v1.0) unless `base_url` names another root.
pub(crate) fn client(
    base_url: Option<&str>,
    token_command: Option<&str>,
) -> Result<GraphClient, Fail> {
    let mut builder = GraphClient::builder();
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let builder = if let Some(cmd) = token_command {
        builder.token_provider(TokenCommand(cmd.to_owned()))
    } else if let Some(token) = var("GRAPH_TOKEN") {
        builder.token_provider(StaticToken::new(token.trim()))
    } else if var("GRAPH_CLIENT_SECRET").is_some() {
        client_secret(builder, var)?
    } else {
        return Err(Fail::Auth(
            "no token: set GRAPH_TOKEN, or pass --token-command 'az account get-access-token --resource https://graph.microsoft.com --query accessToken -o tsv', or set GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET (feature azure-identity)".into(),
        ));
    };
    builder
        .build()
        .map_err(|e| Fail::Input(format!("cannot build the client: {e}")))
}

#[cfg(feature = "azure-identity")]
fn client_secret(
    builder: GraphClientBuilder,
    var: impl Fn(&str) -> Option<String>,
) -> Result<GraphClientBuilder, Fail> {
    use extensions_client::azure_identity::ClientSecretCredential;
    let need = |name: &str| {
        var(name).ok_or_else(|| Fail::Auth(format!("GRAPH_CLIENT_SECRET is set but {name} is not")))
    };
    let (tenant, client, secret) = (
        need("GRAPH_TENANT_ID")?,
        need("GRAPH_CLIENT_ID")?,
        need("GRAPH_CLIENT_SECRET")?,
    );
    let credential = ClientSecretCredential::new(&tenant, client, secret.into(), None)
        .map_err(|e| Fail::Auth(format!("cannot use the client secret: {e}")))?;
    Ok(builder.token_provider(extensions_client::AzureCredential::new(credential)))
}

#[cfg(not(feature = "azure-identity"))]
fn client_secret(
    _builder: GraphClientBuilder,
    _var: impl Fn(&str) -> Option<String>,
) -> Result<GraphClientBuilder, Fail> {
    Err(Fail::Auth(
        "GRAPH_CLIENT_SECRET needs the azure-identity feature: cargo install --path extensions-cli --features azure-identity".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_expiry_is_read() {
        // {"alg":"none"} . {"exp":2000000000} . (no signature)
        let token = "eyJhbGciOiJub25lIn0.eyJleHAiOjIwMDAwMDAwMDB9.";
        assert_eq!(
            jwt_expiry(token),
            UNIX_EPOCH.checked_add(Duration::from_secs(2_000_000_000))
        );
        assert_eq!(jwt_expiry("opaque"), None);
    }
}
