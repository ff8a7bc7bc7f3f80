//! What the console never shows: tokens in headers, and secret-looking values in bodies.

use std::borrow::Cow;

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

/// Whether a property's (or a form field's, or a query parameter's) name says its value is a
/// secret: a password (a user's `passwordProfile`, `pwd`), a client secret or an application's
/// `passwordCredentials`, a token, a key (`keyCredentials`, `apiKey`, `privateKey`), a
/// connection string, a signature, an assertion.
fn secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "credential",
        "authorization",
        "connectionstring",
        "signature",
        "assertion",
    ]
    .iter()
    .any(|w| k.contains(w))
        || k.ends_with("key")
        || k.ends_with("keys")
}

/// A resource as the console shows it: its own fields' secret values (a user's
/// `passwordProfile`) redacted, and its items'; extension data is shown as stored.
pub(crate) fn redact_fields(value: &mut Value) {
    let Value::Object(map) = value else {
        return;
    };
    for (k, v) in map.iter_mut() {
        if k == "extensions" || k.starts_with("@emulator.") {
            continue;
        }
        match v {
            Value::Array(items) if items.iter().all(Value::is_object) => {
                items.iter_mut().for_each(redact_fields);
            }
            _ if secret_key(k) => *v = Value::String(REDACTED.to_owned()),
            _ => {}
        }
    }
}

/// `name=value&…` with the value of every secret-looking name replaced (a form body, or a
/// query string).
fn redact_pairs(text: &str) -> Cow<'_, str> {
    if !text
        .split('&')
        .any(|p| p.split_once('=').is_some_and(|(k, _)| secret_key(k)))
    {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.split('&')
            .map(|p| match p.split_once('=') {
                Some((k, _)) if secret_key(k) => format!("{k}={REDACTED}"),
                _ => p.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&"),
    )
}

/// A body that is not JSON: form fields' secret values redacted.
pub(super) fn redact_form(text: &str) -> Cow<'_, str> {
    redact_pairs(text)
}

/// A path and query with the query's secret values redacted.
pub(super) fn redact_query(target: &str) -> Cow<'_, str> {
    match target.split_once('?') {
        Some((path, query)) => match redact_pairs(query) {
            Cow::Borrowed(_) => Cow::Borrowed(target),
            Cow::Owned(q) => Cow::Owned(format!("{path}?{q}")),
        },
        None => Cow::Borrowed(target),
    }
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
    fn other_secret_names_forms_and_queries() {
        let mut v = json!({"apiKey": "k1", "privateKey": "k2", "pwd": "p", "connectionString": "c", "monkey": "m", "keyId": "id"});
        redact(&mut v);
        for k in ["apiKey", "privateKey", "pwd", "connectionString", "monkey"] {
            assert_eq!(v[k], REDACTED, "{k}");
        }
        assert_eq!(v["keyId"], "id");
        assert_eq!(
            redact_form("grant_type=client_credentials&client_secret=s3&scope=x"),
            format!("grant_type=client_credentials&client_secret={REDACTED}&scope=x")
        );
        assert_eq!(redact_form("plain text"), "plain text");
        assert_eq!(
            redact_query("/v1.0/users?access_token=t&$top=5"),
            format!("/v1.0/users?access_token={REDACTED}&$top=5")
        );
        assert_eq!(redact_query("/v1.0/users?$top=5"), "/v1.0/users?$top=5");
    }

    #[test]
    fn credential_headers_are_secret() {
        assert!(secret_header("Authorization"));
        assert!(secret_header("cookie"));
        assert!(!secret_header("content-type"));
    }
}
