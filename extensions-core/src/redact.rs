//! Secrets out of error texts: a server may echo the request's `Authorization` header (a proxy's
//! error page listing the headers it got, a gateway quoting its input), and whatever it says can
//! end up in an [`Error`]. A transport that knows the tokens it sent scrubs them with
//! [`Error::redact`] before handing an error to its caller.

use std::borrow::Cow;
use std::sync::Arc;

use crate::error::Error;
use crate::graph_error::GraphError;

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// `text` with every occurrence of each of `secrets` (as is, and JSON-escaped) replaced by
/// `[redacted]`, and the credential after any `Bearer` (any letter case) too, whatever it is.
/// Borrowed when nothing was found.
///
/// ```
/// use extensions_core::redact::redact_text;
/// let page = "<pre>Host: graph\r\nAuthorization: Bearer eyJ0eXAi.abc-def_ghi</pre> token=s3cret";
/// assert_eq!(
///     redact_text(page, &["s3cret"]),
///     "<pre>Host: graph\r\nAuthorization: Bearer [redacted]</pre> token=[redacted]"
/// );
/// assert!(matches!(redact_text("nothing here", &["s3cret"]), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn redact_text<'a>(text: &'a str, secrets: &[&str]) -> Cow<'a, str> {
    let mut out = Cow::Borrowed(text);
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if out.contains(secret) {
            out = Cow::Owned(out.replace(secret, REDACTED));
        }
        // A text cut short (an error message keeps the start of a body) may end with the
        // start of the secret.
        if let Some(k) = (8..secret.len())
            .rev()
            .find(|&k| secret.is_char_boundary(k) && out.ends_with(&secret[..k]))
        {
            let keep = out.len() - k;
            out = Cow::Owned(format!("{}{REDACTED}", &out[..keep]));
        }
        // As a JSON string holds it (`/` may be written `\/`).
        if secret.contains('/') {
            let escaped = secret.replace('/', "\\/");
            if out.contains(&escaped) {
                out = Cow::Owned(out.replace(&escaped, REDACTED));
            }
        }
    }
    match redact_bearer(&out) {
        Some(scrubbed) => Cow::Owned(scrubbed),
        None => out,
    }
}

/// The credential after each `Bearer` replaced, or `None` when there is none.
fn redact_bearer(text: &str) -> Option<String> {
    const WORD: &[u8] = b"bearer";
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i + WORD.len() < bytes.len() {
        if !bytes[i..i + WORD.len()].eq_ignore_ascii_case(WORD)
            || (i > 0 && bytes[i - 1].is_ascii_alphanumeric())
        {
            i += 1;
            continue;
        }
        let mut start = i + WORD.len();
        // `Bearer eyJ…`, `Bearer: eyJ…`, `"Bearer":"eyJ…"`: skip separators to the credential.
        while start < bytes.len() && matches!(bytes[start], b' ' | b'\t' | b':' | b'=' | b'"') {
            start += 1;
        }
        let mut end = start;
        while end < bytes.len() && is_credential_byte(bytes[end]) {
            end += 1;
        }
        let already = text[start..end].starts_with(REDACTED);
        if start == i + WORD.len() || end == start || already {
            i += WORD.len();
            continue;
        }
        let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
        o.push_str(&text[copied..start]);
        o.push_str(REDACTED);
        copied = end;
        i = end;
    }
    let mut o = out?;
    o.push_str(&text[copied..]);
    Some(o)
}

/// The characters of a bearer credential: RFC 6750's `b64token` (`A-Z a-z 0-9 - . _ ~ + / =`),
/// and anything else but whitespace, quotes and markup, for tokens that do not follow it.
fn is_credential_byte(b: u8) -> bool {
    !(b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b'>' | b',' | b';' | b'\\'))
}

fn scrub(s: &mut String, secrets: &[&str]) {
    if let Cow::Owned(clean) = redact_text(s, secrets) {
        *s = clean;
    }
}

fn scrub_graph(g: &mut GraphError, secrets: &[&str]) {
    scrub(&mut g.code, secrets);
    scrub(&mut g.message, secrets);
    for s in [&mut g.request_id, &mut g.client_request_id, &mut g.date]
        .into_iter()
        .flatten()
    {
        scrub(s, secrets);
    }
}

/// An error from elsewhere whose text held a secret: the text, scrubbed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Scrubbed(String);

fn scrub_source(e: &mut Arc<dyn std::error::Error + Send + Sync + 'static>, secrets: &[&str]) {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    if let Cow::Owned(clean) = redact_text(&text, secrets) {
        *e = Arc::new(Scrubbed(clean));
    }
}

impl Error {
    /// This error with `secrets` (the tokens a transport sent) and any `Bearer` credential
    /// scrubbed from every text it carries: Graph's message and ids, details, reasons, and the
    /// texts of transport and token errors. Data (the properties of a stored extension) is left
    /// as it is.
    ///
    /// ```
    /// use extensions_core::Error;
    /// let e = Error::UnexpectedResponse {
    ///     status: http::StatusCode::OK,
    ///     detail: "echo: Authorization: Bearer abc.def".into(),
    /// };
    /// assert_eq!(
    ///     e.redact(&["abc.def"]).to_string(),
    ///     "unexpected response (HTTP 200): echo: Authorization: Bearer [redacted]"
    /// );
    /// ```
    #[must_use]
    pub fn redact(mut self, secrets: &[&str]) -> Error {
        match &mut self {
            Error::Graph(g) | Error::Throttled { error: g, .. } => scrub_graph(g, secrets),
            Error::UnexpectedResponse { detail, .. } => scrub(detail, secrets),
            Error::BatchInvalid { reason } => scrub(reason, secrets),
            Error::InvalidUri { uri, reason } => {
                scrub(uri, secrets);
                scrub(reason, secrets);
            }
            Error::PropertyType { found, .. } => scrub(found, secrets),
            Error::ValueNotEncodable { reason, .. } | Error::SchemaDataInvalid { reason, .. } => {
                scrub(reason, secrets)
            }
            Error::Transport(e) | Error::Token(e) => scrub_source(e, secrets),
            _ => {}
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_forms() {
        let cases = [
            (
                "Authorization: Bearer abc",
                "Authorization: Bearer [redacted]",
            ),
            (
                "authorization: bearer a.b-c_d~e+f/g==",
                "authorization: bearer [redacted]",
            ),
            (
                r#"{"Authorization":"Bearer abc"}"#,
                r#"{"Authorization":"Bearer [redacted]"}"#,
            ),
            ("BEARER\tx y", "BEARER\t[redacted] y"),
            (
                "Bearer abc, Bearer def",
                "Bearer [redacted], Bearer [redacted]",
            ),
            ("<td>Bearer abc</td>", "<td>Bearer [redacted]</td>"),
            ("Bearer: abc", "Bearer: [redacted]"),
            ("the bearer", "the bearer"),
            ("Bearer", "Bearer"),
            ("Bearers abc", "Bearers abc"),
            ("unbearer abc", "unbearer abc"),
            ("Bearer [redacted]", "Bearer [redacted]"),
            ("é Bearer ü x", "é Bearer [redacted] x"),
        ];
        for (text, want) in cases {
            assert_eq!(redact_text(text, &[]), want, "{text:?}");
        }
    }

    #[test]
    fn secrets_anywhere() {
        assert_eq!(
            redact_text("a body cut short: token=abcdefghij", &["abcdefghijklmnop"]),
            "a body cut short: token=[redacted]"
        );
        assert_eq!(
            redact_text("ends abcdefg", &["abcdefghijklmnop"]),
            "ends abcdefg"
        );
        assert_eq!(
            redact_text("a tok/en b tok\\/en", &["tok/en"]),
            "a [redacted] b [redacted]"
        );
        assert_eq!(redact_text("xyz", &[""]), "xyz");
    }

    #[test]
    fn every_text_of_an_error() {
        let g = GraphError {
            status: http::StatusCode::BAD_REQUEST,
            kind: crate::GraphErrorKind::BadRequest,
            code: "BadRequest".into(),
            message: "Header Authorization 'Bearer SECRET' is invalid; raw SECRET".into(),
            request_id: Some("SECRET".into()),
            client_request_id: None,
            date: None,
            retry_after: None,
        };
        let e = Error::Graph(Box::new(g)).redact(&["SECRET"]);
        assert!(!format!("{e} {e:?}").contains("SECRET"), "{e:?}");
        let t = Error::Transport(Arc::new(std::io::Error::other("echo Bearer SECRET")));
        let t = t.redact(&["SECRET"]);
        assert!(!format!("{t} {t:?}").contains("SECRET"), "{t:?}");
    }
}
