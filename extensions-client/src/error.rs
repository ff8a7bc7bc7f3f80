//! A transport failure.

/// A transport failure: the request never got an answer. Carries the `client-request-id` to
/// quote to support.
#[derive(Debug, thiserror::Error)]
#[error(
    "{method} {path} (client-request-id {client_request_id}) failed after {attempts} attempt(s): {reason}"
)]
pub struct TransportError {
    /// The method.
    pub method: http::Method,
    /// The path template (ids replaced by `{id}`).
    pub path: String,
    /// The id sent in `client-request-id`.
    pub client_request_id: String,
    /// Attempts made.
    pub attempts: u32,
    /// What went wrong.
    pub reason: String,
}
