//! The client's peak memory on a hostile `$batch` answer (reliability, third pass, point 4), in
//! a test binary of its own: a 25 MB envelope of 100,000 answers, within the 32 MiB response
//! limit, for a batch of one request. The answers are read as a stream and reading stops at the
//! first whose id was not asked for, so the peak is the body itself and little more (parsed
//! whole, the same envelope took the client to about 290 MiB).
//!
//! Memory is counted by `allocation-counter` on the client's thread only: the client runs on a
//! current-thread runtime there, the hostile server on a thread of its own.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

use extensions_client::{GraphClient, RetryPolicy, StaticToken};
use extensions_core::op::Delete;
use extensions_core::{Error, ExtensionName, Resource};

const ANSWERS: usize = 100_000;

/// `{"responses":[{"id":"0","status":204}, {"id":"x1",…}, …]}`: one answer asked for, then
/// 99,999 that were not, each with a body of about 200 bytes.
fn flood() -> Vec<u8> {
    let pad = "p".repeat(200);
    let mut body = String::with_capacity(ANSWERS * 260);
    body.push_str(r#"{"responses":[{"id":"0","status":204}"#);
    for n in 1..ANSWERS {
        body.push_str(&format!(
            r#",{{"id":"x{n}","status":200,"headers":{{"Content-Type":"application/json"}},"body":{{"pad":"{pad}"}}}}"#
        ));
    }
    body.push_str("]}");
    body.into_bytes()
}

/// Answers every request on one connection with `body`, on a thread of its own.
fn serve(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let Ok((sock, _)) = listener.accept() else {
            return;
        };
        let mut reader = BufReader::new(sock.try_clone().unwrap());
        let mut sock = sock;
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse().unwrap_or(0);
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut request = vec![0u8; len];
        let _ = reader.read_exact(&mut request);
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let _ = sock.write_all(head.as_bytes());
        let _ = sock.write_all(&body);
    });
    format!("http://{addr}/v1.0")
}

#[test]
fn a_flooded_batch_answer_is_refused_at_its_first_unknown_id_with_a_bounded_peak() {
    let body = flood();
    let size = body.len();
    assert!(size > 25_000_000 && size < 32 * 1024 * 1024, "{size}");
    let root = serve(body);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = rt.block_on(async {
        GraphClient::builder()
            .base_url(&root)
            .token_provider(StaticToken::new("flood-token"))
            .retry(RetryPolicy::none())
            .build()
            .unwrap()
    });
    let name = ExtensionName::from_static("com.contoso.Settings");
    let ops = vec![Delete::new(Resource::user("u1"), &name)];
    let mut results = Vec::new();
    let info = allocation_counter::measure(|| {
        results = rt.block_on(client.bulk(&ops));
    });
    match &results[0] {
        Err(Error::UnexpectedResponse { detail, .. }) => {
            assert_eq!(detail, r#"a batch answer for unknown id "x1""#);
        }
        other => panic!("{other:?}"),
    }
    let peak_mib = info.bytes_max as f64 / (1024.0 * 1024.0);
    let body_mib = size as f64 / (1024.0 * 1024.0);
    println!(
        "envelope {body_mib:.1} MiB, {ANSWERS} answers: client peak {peak_mib:.1} MiB, {} allocations",
        info.count_total
    );
    // The body once (its buffer is sized from Content-Length, so it is not copied as it
    // grows), plus a few MiB for the connection and the one answer kept.
    assert!(
        peak_mib < body_mib + 8.0,
        "peak {peak_mib:.1} MiB for a {body_mib:.1} MiB envelope"
    );
}
