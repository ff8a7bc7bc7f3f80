//! Connections: a request whose headers or body never finish is closed after its timeout and
//! frees its slot; connections past the limit wait for a free one.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use serde_json::Value;

/// Opens a connection and sends `text`, leaving the request unfinished if `text` is.
async fn half_sent(emu: &extensions_emulator::Emulator, text: &str) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let mut s = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    s.write_all(text.as_bytes()).await.unwrap();
    s
}

/// Reads until the server closes the connection; bounded, so a server that never closes fails
/// the test instead of hanging it.
async fn closed_within(s: &mut tokio::net::TcpStream, bound: Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 1024];
    tokio::time::timeout(bound, async {
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}

#[tokio::test]
async fn a_half_sent_request_is_closed_after_the_header_timeout() {
    let emu = extensions_emulator::Emulator::start(extensions_emulator::EmulatorConfig {
        header_read_timeout: Duration::from_millis(200),
        ..common::config(extensions_emulator::Seed::new())
    })
    .await
    .unwrap();
    let mut s = half_sent(&emu, "GET /v1.0/me HTTP/1.1\r\nHost: x\r\n").await;
    assert!(closed_within(&mut s, Duration::from_secs(10)).await);
}

#[tokio::test]
async fn a_body_that_trickles_in_is_closed_after_the_body_timeout_and_frees_its_slot() {
    use tokio::io::AsyncWriteExt;
    let emu = extensions_emulator::Emulator::start(extensions_emulator::EmulatorConfig {
        max_connections: 1,
        body_read_timeout: Duration::from_millis(1_000),
        ..common::config(extensions_emulator::Seed::new().users(1))
    })
    .await
    .unwrap();
    let head = format!(
        "POST /v1.0/users/u0/extensions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n",
        common::TOKEN
    );
    let s = half_sent(&emu, &head).await;
    let (mut read, mut write) = s.into_split();
    // One byte every half second: the whole body would take 50 s (the loop is bounded).
    let trickle = tokio::spawn(async move {
        for _ in 0..100 {
            tokio::time::sleep(Duration::from_millis(500)).await;
            if write.write_all(b" ").await.is_err() {
                return;
            }
        }
    });
    let closed = tokio::time::timeout(Duration::from_secs(15), async {
        use tokio::io::AsyncReadExt;
        let mut buf = [0u8; 1024];
        loop {
            match read.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the trickling connection was not closed");
    trickle.abort();
    // Its slot is free: the next request is served, and nothing was created.
    let http = common::http_client();
    let answered = tokio::time::timeout(
        Duration::from_secs(10),
        http.get(format!("{}/users/u0/extensions", emu.url()))
            .bearer_auth(common::TOKEN)
            .send(),
    )
    .await
    .expect("served once the slot is free")
    .unwrap();
    assert_eq!(answered.status(), 200);
    let listed: Value = answered.json().await.unwrap();
    assert_eq!(listed["value"], serde_json::json!([]));
    // The request never reached the handler, so the log has only the GET.
    assert_eq!(emu.requests().len(), 1, "{:?}", emu.requests());
}

#[tokio::test]
async fn connections_past_the_limit_wait_for_a_free_slot() {
    let emu = extensions_emulator::Emulator::start(extensions_emulator::EmulatorConfig {
        max_connections: 1,
        ..common::config(extensions_emulator::Seed::new().users(1))
    })
    .await
    .unwrap();
    let held = half_sent(&emu, "GET /v1.0/users/u0 HTTP/1.1\r\nHost: x\r\n").await;
    let http = common::http_client();
    let ask = || {
        http.get(format!("{}/users/u0/extensions", emu.url()))
            .bearer_auth(common::TOKEN)
            .send()
    };
    // While the one slot is held, a second connection is not served.
    assert!(
        tokio::time::timeout(Duration::from_millis(300), ask())
            .await
            .is_err()
    );
    drop(held);
    let answered = tokio::time::timeout(Duration::from_secs(10), ask())
        .await
        .expect("served once the slot is free")
        .unwrap();
    assert_eq!(answered.status(), 200);
}
