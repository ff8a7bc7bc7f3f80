//! The numeric limits Graph documents for open extensions, in one place
//! ([Open extensions](https://learn.microsoft.com/en-us/graph/extensibility-open-users),
//! [JSON batching](https://learn.microsoft.com/en-us/graph/json-batching),
//! [throttling limits](https://learn.microsoft.com/en-us/graph/throttling-limits)).

/// Largest open extension on a directory object, in bytes: the compact JSON object holding
/// `@odata.type`, `extensionName`, `id` and every property (how this library reads the
/// documented "2 KB, including the extension definition itself").
pub const DIRECTORY_OBJECT_MAX_EXTENSION_BYTES: usize = 2048;

/// Open extensions one app may create on one directory object.
pub const DIRECTORY_OBJECT_MAX_EXTENSIONS_PER_APP: usize = 2;

/// Requests in one `$batch` envelope.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// Open- and schema-extension requests per app per tenant in [`THROTTLE_WINDOW_SECS`].
pub const THROTTLE_REQUESTS_PER_WINDOW: u32 = 455;

/// The window of [`THROTTLE_REQUESTS_PER_WINDOW`], in seconds.
pub const THROTTLE_WINDOW_SECS: u32 = 10;

/// The `@odata.type` this crate writes in request bodies, and that responses carry.
pub const OPEN_TYPE_EXTENSION_TYPE: &str = "#microsoft.graph.openTypeExtension";
