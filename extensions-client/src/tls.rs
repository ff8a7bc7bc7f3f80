//! The TLS backend chosen by the crate's features.

/// Whether this build can speak HTTPS.
pub(crate) const HAS_TLS: bool = cfg!(any(
    feature = "rustls",
    feature = "rustls-aws-lc",
    feature = "native-tls"
));

/// Makes `ring` the process's rustls crypto provider, unless one is installed already.
///
/// With the `rustls` feature (the default), this crate enables reqwest's `rustls-no-provider`
/// and takes rustls's crypto from `ring` (much quicker to build than reqwest's default,
/// `aws-lc-rs`). [`GraphClientBuilder::build`](crate::GraphClientBuilder::build) calls this, so a [`GraphClient`](crate::GraphClient) needs nothing
/// more. Call it yourself only if your program also builds its own `reqwest::Client` before any
/// `GraphClient` and enables no TLS feature of reqwest's own: Cargo unifies features, so that
/// client shares this crate's reqwest, which panics at build time when it has no provider.
/// Without the `rustls` feature it does nothing.
pub fn install_tls_provider() {
    #[cfg(feature = "rustls")]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one at the same time: either is fine, so the answer is
        // not needed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
