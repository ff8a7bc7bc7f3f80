//! Any bytes as a Graph error body, with any status and `Retry-After`.
#![no_main]

use extensions_core::response::read_error;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (head, body) = data.split_at(data.len().min(2));
    let status = 400 + u16::from(head.first().copied().unwrap_or(0)) % 200;
    let mut b = http::Response::builder().status(status);
    if let Some(&n) = head.get(1) {
        b = b.header("retry-after", n.to_string());
    }
    let resp = b.body(bytes::Bytes::copy_from_slice(body)).expect("a response");
    let err = read_error(&resp);
    let _ = err.to_string();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
});
