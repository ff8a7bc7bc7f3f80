//! A connection flood past the file-handle limit: the accept loop backs off instead of spinning
//! (one warning per run of errors, not one per failed accept) and serves again once handles are
//! free. In its own test binary, because it lowers the process's file-handle limit.

use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rlimit::Resource;
use tracing_subscriber::layer::{Context, SubscriberExt};

/// Counts the emulator's "accept failed" warnings.
struct CountAcceptWarnings(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountAcceptWarnings {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if *event.metadata().level() == tracing::Level::WARN {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

#[test]
fn out_of_file_handles_the_accept_loop_backs_off_and_recovers() {
    let warnings = Arc::new(AtomicUsize::new(0));
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(CountAcceptWarnings(warnings.clone())),
    )
    .unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let emu = rt
        .block_on(extensions_emulator::Emulator::start(
            extensions_emulator::EmulatorConfig {
                max_connections: 100_000,
                header_read_timeout: Duration::from_secs(60),
                ..extensions_emulator::EmulatorConfig::default()
            },
        ))
        .unwrap();
    let addr = emu.addr();
    // Before the flood, a request is served (and every lazily opened handle is open).
    let get = |addr| {
        use std::io::{Read, Write};
        let mut s = TcpStream::connect(addr)?;
        s.set_read_timeout(Some(Duration::from_secs(10)))?;
        s.write_all(b"GET /v1.0/users HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
        let mut head = [0u8; 12];
        s.read_exact(&mut head)?;
        Ok::<_, std::io::Error>(String::from_utf8_lossy(&head).into_owned())
    };
    assert!(get(addr).unwrap().starts_with("HTTP/1.1 "));

    let (soft, hard) = rlimit::getrlimit(Resource::NOFILE).unwrap();
    let open_now = std::fs::read_dir("/proc/self/fd").map_or(64, |d| d.count() as u64);
    rlimit::setrlimit(Resource::NOFILE, open_now + 40, hard).unwrap();
    // Connect until this process has no handle left: the server's accepts then fail with
    // "too many open files" while connections wait in the listen backlog.
    let mut held = Vec::new();
    while held.len() < 1_000 {
        match TcpStream::connect(addr) {
            Ok(s) => held.push(s),
            Err(_) => break,
        }
    }
    assert!(held.len() < 1_000, "the handle limit was never reached");
    let before = warnings.load(Ordering::Relaxed);
    std::thread::sleep(Duration::from_millis(800));
    let during = warnings.load(Ordering::Relaxed) - before;
    // A spinning loop logs thousands of warnings in this time; the backing-off one logs the
    // first error of a run only.
    assert!(during <= 2, "{during} accept warnings while out of handles");

    // Handles free again: the emulator serves (its back-off is at most about a second).
    drop(held);
    rlimit::setrlimit(Resource::NOFILE, soft, hard).unwrap();
    let mut served = None;
    for _ in 0..50 {
        if let Ok(head) = get(addr) {
            served = Some(head);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        served.is_some_and(|h| h.starts_with("HTTP/1.1 ")),
        "not served after the flood"
    );
    drop(emu);
    rt.shutdown_timeout(Duration::from_secs(1));
}
