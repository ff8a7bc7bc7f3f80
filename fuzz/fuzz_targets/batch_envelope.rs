//! Any bytes as the answer to a `$batch` of three requests.
#![no_main]

use extensions_core::batch::read_envelope;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let resp = http::Response::builder()
        .status(200)
        .body(bytes::Bytes::copy_from_slice(data))
        .expect("a response");
    let ids = ["1".to_owned(), "2".to_owned(), "a".to_owned()];
    if let Ok(answers) = read_envelope(&resp, &ids) {
        assert_eq!(answers.len(), ids.len());
    }
});
