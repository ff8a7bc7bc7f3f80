//! Any text as `Retry-After`: a duration or `None`, never a panic.
#![no_main]

use extensions_core::response::parse_retry_after;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_retry_after(text);
    }
});
