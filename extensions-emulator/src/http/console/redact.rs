//! What the console never shows: tokens in headers, and secret-looking values in bodies.

use serde_json::Value;

/// What a redacted value reads as.
pub(crate) const REDACTED: &str = "«redacted»";

/// Headers whose value is a credential.
pub(super) fn secret_header(name: &str) -> bool {
    [
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
    ]
    .iter()
    .any(|h| name.eq_ignore_ascii_case(h))
}

/// Whether a body property's name says its value is a secret: a password (a user's
/// `passwordProfile`), a client secret or an application's `passwordCredentials`, a token,
/// a key (`keyCredentials`).
fn secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["password", "secret", "token", "credential", "authorization"]
        .iter()
        .any(|w| k.contains(w))
        || k == "key"
        || k == "assertion"
}

/// Replaces, anywhere in `value`, the value of every secret-looking property.
pub(crate) fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if secret_key(k) {
                    *v = Value::String(REDACTED.to_owned());
                } else {
                    redact(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_replaced_wherever_they_are() {
        let mut v = json!({
            "displayName": "Adele",
            "passwordProfile": {"password": "hunter2", "forceChangePasswordNextSignIn": true},
            "requests": [{"body": {"passwordCredentials": [{"secretText": "s3cr3t"}]}}],
            "keyCredentials": [{"key": "AAAA"}],
            "client_secret": "x",
            "access_token": "y",
            "extension_app_note": "kept"
        });
        redact(&mut v);
        let text = v.to_string();
        for secret in ["hunter2", "s3cr3t", "AAAA", "\"x\"", "\"y\""] {
            assert!(!text.contains(secret), "{secret} left in {text}");
        }
        assert_eq!(v["displayName"], "Adele");
        assert_eq!(v["extension_app_note"], "kept");
        assert_eq!(v["passwordProfile"], REDACTED);
        assert_eq!(v["requests"][0]["body"]["passwordCredentials"], REDACTED);
    }

    #[test]
    fn credential_headers_are_secret() {
        assert!(secret_header("Authorization"));
        assert!(secret_header("cookie"));
        assert!(!secret_header("content-type"));
    }
}
