//! Any method, URI and body against the emulator's request handling (no socket): an answer,
//! never a panic. The input is `METHOD URI` on the first line, then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (line, body) = text.split_once('\n').unwrap_or((text, ""));
    let (method, uri) = line.split_once(' ').unwrap_or(("GET", line));
    let status = extensions_emulator::fuzzing::handle(method, uri, body.as_bytes());
    assert!(status == 0 || (100..600).contains(&status));
});
