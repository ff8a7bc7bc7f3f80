//! The one error type of the core crate.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;

use crate::graph_error::GraphError;
use crate::kind::ResourceKind;
use crate::name::NameError;
use crate::value::{Properties, ValueError};

/// Everything that can go wrong between a typed value and Graph, as variants a caller can match.
///
/// Errors found before sending (names, ids, values, size) never reach the network; errors on the
/// response carry what Graph said ([`GraphError`]). Variants never hold tokens or secrets.
///
/// It is `Clone`, so an error found while building an operation can be reported again each time
/// the operation is asked for its request.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The extension name breaks a naming rule.
    #[error("invalid extension name: {0}")]
    NameInvalid(#[from] NameError),

    /// A resource id cannot be one path segment.
    #[error("invalid {kind} id {id:?}: {reason}")]
    InvalidResourceId {
        /// The kind of resource whose id is refused.
        kind: ResourceKind,
        /// The refused id.
        id: String,
        /// Why.
        reason: &'static str,
    },

    /// A property name is empty, contains `@` or a control character, or is one of Graph's own
    /// names (`id`, `extensionName`, in any letter case).
    #[error("invalid property name {property:?}: {reason}")]
    PropertyNameInvalid {
        /// The refused name.
        property: String,
        /// Why.
        reason: &'static str,
    },

    /// The same property name twice in one body.
    #[error("property {property:?} appears twice")]
    DuplicateProperty {
        /// The repeated name.
        property: String,
    },

    /// A float that JSON cannot carry (NaN or infinite). It is never sent as `null`.
    #[error("property {property:?} is not a finite number ({value}); JSON has no NaN or infinity")]
    NonFiniteFloat {
        /// The property holding the value.
        property: String,
        /// The value, printed.
        value: String,
    },

    /// An integer past 2^53 − 1 in magnitude, in a field not marked `#[extension(as_string)]`:
    /// JSON clients such as JavaScript's (and Graph's own tooling) would round it. Nothing was
    /// sent.
    #[error(
        "property {property:?} holds {value}, past 2^53 - 1 (9007199254740991), which JSON clients \
         such as JavaScript's cannot hold exactly; mark the field #[extension(as_string)] to store \
         it as a string"
    )]
    UnsafeInteger {
        /// The property holding the value.
        property: String,
        /// The value.
        value: i128,
    },

    /// A string longer than its field's `#[extension(max_len = N)]` (in characters: Unicode
    /// scalar values), or a string in an array of such a field. Nothing was sent.
    #[error("property {property:?} holds {chars} characters, over its max_len of {max}")]
    ValueTooLong {
        /// The property holding the value.
        property: String,
        /// The characters of the value.
        chars: usize,
        /// The field's bound.
        max: usize,
    },

    /// An array with more items than its field's `#[extension(max_items = N)]`. Nothing was
    /// sent.
    #[error("property {property:?} holds {items} items, over its max_items of {max}")]
    TooManyItems {
        /// The property holding the value.
        property: String,
        /// The items of the value.
        items: usize,
        /// The field's bound.
        max: usize,
    },

    /// A value the wire format cannot hold exactly (a date-time outside years 0000–9999, say).
    #[error("property {property:?} cannot be encoded: {reason}")]
    ValueNotEncodable {
        /// The property holding the value.
        property: String,
        /// Why.
        reason: String,
    },

    /// The extension is larger than the limit of its resource class; nothing was sent.
    #[error("the extension is {size} bytes, over the {limit}-byte limit of a {kind}")]
    TooLarge {
        /// The exact size of the body, in bytes.
        size: usize,
        /// The limit, in bytes.
        limit: usize,
        /// The resource kind the limit belongs to.
        kind: ResourceKind,
    },

    /// The operation does not exist for this resource (listing extensions of an Outlook item,
    /// say); nothing was sent.
    #[error("{operation} is not supported on a {kind}")]
    Unsupported {
        /// What was asked.
        operation: &'static str,
        /// On what.
        kind: ResourceKind,
    },

    /// A URI that cannot be sent (a malformed `@odata.nextLink`, say); nothing was sent.
    #[error("invalid URI {uri:?}: {reason}")]
    InvalidUri {
        /// The URI.
        uri: String,
        /// Why.
        reason: String,
    },

    /// A response body over the client's limit; reading stopped there, nothing more was kept.
    #[error("the response is larger than the {limit}-byte limit")]
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },

    /// Too many requests for one `$batch` envelope, or an invalid envelope.
    #[error("invalid batch: {reason}")]
    BatchInvalid {
        /// Why.
        reason: String,
    },

    /// The response lacks a property the type requires.
    #[error("property {property:?} is missing from the extension")]
    MissingProperty {
        /// The wire name of the missing property.
        property: String,
    },

    /// The response holds a property of the wrong JSON type, or a number the Rust type cannot
    /// hold exactly.
    #[error("property {property:?}: expected {expected}, found {found}")]
    PropertyType {
        /// The wire name.
        property: String,
        /// What the Rust type needs.
        expected: &'static str,
        /// What the response held.
        found: String,
    },

    /// The extension to update does not exist on the resource.
    #[error("extension {name:?} not found")]
    ExtensionNotFound {
        /// The extension name.
        name: String,
    },

    /// A create whose outcome was unknown (its answer lost, or a 5xx) was read back, and the
    /// extension is there with other properties than the ones sent: another writer's, or an
    /// earlier one's (on an Outlook item, possibly the ones sent merged into an existing
    /// extension). The create was not sent again, so nothing was overwritten; `stored` is what
    /// Graph holds.
    #[error(
        "extension {name:?} exists with other properties than the ones sent; the create was not \
         sent again, so nothing was overwritten (read it, then patch or update it)"
    )]
    StoredDifferently {
        /// The extension name.
        name: String,
        /// The properties Graph holds under that name.
        stored: Box<Properties>,
    },

    /// Graph answered with an error status (other than throttling).
    #[error("{0}")]
    Graph(Box<GraphError>),

    /// Graph answered `429 Too Many Requests` (or a 503/504 with `Retry-After`).
    #[error("throttled by Graph ({}): {error}", RetryAfter(*retry_after))]
    Throttled {
        /// How long Graph asked to wait, if it said.
        retry_after: Option<Duration>,
        /// The whole answer.
        error: Box<GraphError>,
    },

    /// A response that is not what the protocol allows: a body that is not JSON, a success
    /// status the operation never answers, an extension object of the wrong shape.
    #[error("unexpected response (HTTP {}): {detail}", status.as_u16())]
    UnexpectedResponse {
        /// The HTTP status.
        status: StatusCode,
        /// What was wrong.
        detail: String,
    },

    /// The retry budget (a client's `max_elapsed`) ran out before the request could be sent:
    /// the client was holding every request back for a `Retry-After` that ends after it.
    /// Nothing was sent by this attempt; `attempts` were made before it.
    #[error(
        "not sent: the retry budget ran out while the client waited out Graph's throttling \
         ({attempts} attempt(s) made before)"
    )]
    RetryBudgetExhausted {
        /// Attempts made before the budget ran out.
        attempts: u32,
    },

    /// Getting an access token failed (the credential was refused, the identity endpoint was
    /// unreachable). The source never holds the token.
    #[error("could not get an access token: {0}")]
    Token(#[source] Arc<dyn std::error::Error + Send + Sync + 'static>),

    /// A schema extension id (or bare schema name) breaks the id rules.
    #[error("invalid schema extension id {id:?}: {reason}")]
    SchemaIdInvalid {
        /// The refused id.
        id: String,
        /// Why.
        reason: &'static str,
    },

    /// A schema extension definition Graph would refuse: a property name, a duplicate, a type
    /// a target does not take, no target type, or an update that is not additive.
    #[error("schema extension {id:?}: {reason}")]
    SchemaDefinitionInvalid {
        /// The definition's id.
        id: String,
        /// Why.
        reason: String,
    },

    /// A schema extension value over its type's limit: a String over 256 characters or Binary
    /// over 256 bytes.
    #[error(
        "property {property:?} is {len} {unit} long, over the limit of {limit} {unit} for a schema extension {ty} property"
    )]
    SchemaValueTooLong {
        /// The property holding the value.
        property: String,
        /// Its declared type.
        ty: &'static str,
        /// The value's length.
        len: usize,
        /// The limit.
        limit: usize,
        /// `characters` or `bytes`.
        unit: &'static str,
    },

    /// Data for a schema extension on a resource its definition does not target.
    #[error("schema extension {id:?} does not target a {kind} (its targets: {targets})")]
    SchemaTargetNotListed {
        /// The definition's id.
        id: String,
        /// The resource's kind.
        kind: ResourceKind,
        /// The definition's target types, comma-separated.
        targets: String,
    },

    /// A status change the schema extension lifecycle does not allow
    /// (`InDevelopment` → `Available` → `Deprecated` → `Available`), or a change to a
    /// definition in a status that does not allow it.
    #[error("schema extension {id:?}: {reason}")]
    SchemaLifecycle {
        /// The definition's id.
        id: String,
        /// Why.
        reason: String,
    },

    /// Schema extension data in a response that does not fit the typed struct.
    #[error("schema extension {id:?} data cannot be read: {reason}")]
    SchemaDataInvalid {
        /// The definition's id.
        id: String,
        /// Why.
        reason: String,
    },

    /// A directory extension name, an `appId` or a full property name
    /// (`extension_{appId}_{name}`) that breaks the naming rules.
    #[error("invalid directory extension name {name:?}: {reason}")]
    DirectoryNameInvalid {
        /// The refused name.
        name: String,
        /// Why.
        reason: &'static str,
    },

    /// A directory extension value Graph would refuse: over its type's limit (a String over 256
    /// characters, Binary over 256 bytes), or not of the definition's type.
    #[error("directory extension {property:?}: {reason}")]
    DirectoryValueInvalid {
        /// The full property name (`extension_{appId}_{name}`).
        property: String,
        /// Why.
        reason: String,
    },

    /// Directory extension data on a resource its definition does not target.
    #[error("directory extension {property:?} does not target a {kind} (its targets: {targets})")]
    DirectoryTargetNotListed {
        /// The full property name.
        property: String,
        /// The resource's kind.
        kind: ResourceKind,
        /// The definition's target objects, comma-separated.
        targets: String,
    },

    /// A write that would put more than 100 extension values on one resource (each value of a
    /// multi-valued property counts).
    #[error("{count} extension values in one write, over Graph's limit of {limit} on one resource")]
    TooManyExtensionValues {
        /// The values the write holds.
        count: usize,
        /// The limit (100).
        limit: usize,
    },

    /// A directory extension already registered on the app with another data type,
    /// multi-valuedness or target objects than declared: Graph has no update of a definition.
    #[error("directory extension {name:?} is registered differently: {reason}")]
    DirectoryDefinitionMismatch {
        /// The full property name.
        name: String,
        /// What differs.
        reason: String,
    },

    /// Directory extension data or extension attributes in a response that do not fit the
    /// typed struct.
    #[error("{property:?} cannot be read: {reason}")]
    DirectoryDataInvalid {
        /// The full property name, or `onPremisesExtensionAttributes`.
        property: String,
        /// Why.
        reason: String,
    },

    /// An extension attribute Graph would refuse: a number outside 1..=15 or a value over
    /// 1,024 characters.
    #[error("extensionAttribute{number}: {reason}")]
    AttributeInvalid {
        /// The attribute's number.
        number: u8,
        /// Why.
        reason: String,
    },

    /// The transport failed to deliver the request or read the response.
    #[error("transport error: {0}")]
    Transport(#[source] Arc<dyn std::error::Error + Send + Sync + 'static>),
}

impl Error {
    /// Turns a [`ValueError`] about `property` into the crate's [`Error`].
    pub(crate) fn property(property: &str, e: ValueError) -> Error {
        match e {
            ValueError::NonFinite(f) => Error::NonFiniteFloat {
                property: property.to_owned(),
                value: f.to_string(),
            },
            ValueError::NestedArray => Error::ValueNotEncodable {
                property: property.to_owned(),
                reason: "arrays cannot be nested".into(),
            },
            ValueError::NotEncodable(reason) => Error::ValueNotEncodable {
                property: property.to_owned(),
                reason,
            },
            ValueError::Type { expected, found } => Error::PropertyType {
                property: property.to_owned(),
                expected,
                found,
            },
            ValueError::Missing => Error::MissingProperty {
                property: property.to_owned(),
            },
            ValueError::UnsafeInteger(value) => Error::UnsafeInteger {
                property: property.to_owned(),
                value,
            },
            ValueError::TooLong { chars, max } => Error::ValueTooLong {
                property: property.to_owned(),
                chars,
                max,
            },
            ValueError::TooManyItems { items, max } => Error::TooManyItems {
                property: property.to_owned(),
                items,
                max,
            },
        }
    }

    /// What a Graph error means ([`Error::Graph`] and [`Error::Throttled`]), for matching
    /// without reaching through the box:
    ///
    /// ```
    /// use extensions_core::prelude::*;
    /// fn missing(e: &Error) -> bool {
    ///     matches!(e.kind(), Some(GraphErrorKind::ParentNotFound | GraphErrorKind::ExtensionNotFound))
    /// }
    /// # let _ = missing;
    /// ```
    pub fn kind(&self) -> Option<crate::GraphErrorKind> {
        self.graph_error().map(|g| g.kind)
    }

    /// The Graph error body, for [`Error::Graph`] and [`Error::Throttled`].
    pub fn graph_error(&self) -> Option<&GraphError> {
        match self {
            Error::Graph(e) | Error::Throttled { error: e, .. } => Some(e),
            _ => None,
        }
    }

    /// The HTTP status of a Graph answer, if this error is one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::UnexpectedResponse { status, .. } => Some(*status),
            _ => self.graph_error().map(|e| e.status),
        }
    }

    /// Whether retrying the same request later may succeed (throttling, 5xx, transport).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Throttled { .. } | Error::Transport(_) | Error::RetryBudgetExhausted { .. } => {
                true
            }
            Error::Graph(e) => matches!(e.status.as_u16(), 500 | 502 | 503 | 504),
            _ => false,
        }
    }
}

/// How long Graph asked to wait, for people: "retry after 840 s", "retry after 0.5 s", or
/// "no Retry-After given".
struct RetryAfter(Option<Duration>);

impl fmt::Display for RetryAfter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("no Retry-After given"),
            Some(d) if d.subsec_nanos() == 0 => write!(f, "retry after {} s", d.as_secs()),
            Some(d) => write!(f, "retry after {} s", d.as_secs_f64()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttled_reads_as_seconds() {
        let graph = || {
            Box::new(GraphError {
                status: StatusCode::TOO_MANY_REQUESTS,
                kind: crate::graph_error::GraphErrorKind::classify(
                    StatusCode::TOO_MANY_REQUESTS,
                    "TooManyRequests",
                ),
                code: "TooManyRequests".into(),
                message: "Please retry again later.".into(),
                request_id: None,
                client_request_id: None,
                date: None,
                retry_after: None,
            })
        };
        let e = Error::Throttled {
            retry_after: Some(Duration::from_secs(840)),
            error: graph(),
        };
        assert!(
            e.to_string()
                .starts_with("throttled by Graph (retry after 840 s): "),
            "{e}"
        );
        let e = Error::Throttled {
            retry_after: Some(Duration::from_millis(500)),
            error: graph(),
        };
        assert!(e.to_string().contains("(retry after 0.5 s)"), "{e}");
        let e = Error::Throttled {
            retry_after: None,
            error: graph(),
        };
        assert!(e.to_string().contains("(no Retry-After given)"), "{e}");
        assert!(!e.to_string().contains("Some("), "{e}");
    }
}
