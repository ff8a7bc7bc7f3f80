//! `client-request-id` values.

/// `client-request-id`s: random version-4 UUIDs, one per call, from a random base drawn once
/// per client and a counter (no system call per request, unlike drawing each one).
pub(crate) struct RequestIds {
    base: u128,
    next: std::sync::atomic::AtomicU64,
}

impl RequestIds {
    pub(crate) fn new() -> Self {
        Self {
            base: u128::from(crate::run::random_u64()) << 64 | u128::from(crate::run::random_u64()),
            next: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// The next id: the base with the counter mixed into its random bits (a bijection, so no
    /// two calls of a client share an id), with the version and variant bits of a v4 UUID.
    pub(crate) fn next(&self) -> String {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // Spread the counter over the random bits (an odd multiplier is a bijection on u64).
        let mixed = u128::from(n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let bits = self.base ^ (mixed | (mixed << 64));
        // Version 4 (bits 76..80) and the RFC 4122 variant (bits 62..64).
        let bits = (bits & !(0xF << 76)) | (0x4 << 76);
        let bits = (bits & !(0x3 << 62)) | (0x2 << 62);
        // 8-4-4-4-12 lowercase hex digits, written in place (no formatting machinery): where
        // each byte's two digits go.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        const AT: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
        let mut out = [b'-'; 36];
        for (byte, at) in bits.to_be_bytes().into_iter().zip(AT) {
            out[at] = HEX[usize::from(byte >> 4)];
            out[at + 1] = HEX[usize::from(byte & 0xF)];
        }
        // Only ASCII hex digits and hyphens were written.
        std::str::from_utf8(&out).unwrap_or_default().to_owned()
    }
}
