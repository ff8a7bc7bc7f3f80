//! `graph-ext open scan` keeps flat memory: its peak resident set at 100,000 users is within
//! 10 MiB of its peak at 10,000 (issue "graph-ext", done-when). Each user holds the extension;
//! the scan filters client-side and streams NDJSON (to /dev/null here), so only one page of
//! users is in memory at a time.
//!
//! `cargo bench -p extensions-cli --bench scan_memory` (10,000 and 100,000 users);
//! `-- --test` runs 1,000 and 10,000. The peak is the process's `VmHWM` (Linux), which the
//! binary prints when `GRAPH_EXT_REPORT_PEAK_RSS` is set. The emulator runs in this process,
//! seeded from a file, on loopback.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use extensions_emulator::{App, Emulator, EmulatorConfig, Throttle};

fn seed_file(users: usize) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("graph-ext-scan-{users}.json"));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("a temp file"));
    write!(f, "{{\"users\": [").expect("writes");
    for n in 0..users {
        let sep = if n == 0 { "" } else { "," };
        write!(
            f,
            "{sep}{{\"id\": \"u{n}\", \"userPrincipalName\": \"user{n}@contoso.com\", \"extensions\": [{{\"extensionName\": \"com.contoso.Settings\", \"theme\": \"{}\", \"fontSize\": {}, \"tags\": [\"a\", \"b\"]}}]}}",
            if n % 2 == 0 { "dark" } else { "light" },
            8 + n % 10
        )
        .expect("writes");
    }
    writeln!(f, "]}}").expect("writes");
    f.flush().expect("flushes");
    path
}

/// Runs the scan against an emulator of `users` users; returns (peak kB, matched, seconds).
fn scan(users: usize) -> (u64, u64, f64) {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let emu = rt
        .block_on(Emulator::start(EmulatorConfig {
            apps: vec![App {
                token: "bench-token".into(),
                app_id: "bench-app".into(),
                me: None,
            }],
            seed_file: Some(seed_file(users)),
            throttle: Throttle {
                requests: u32::MAX,
                window: Duration::from_secs(1),
            },
            ..EmulatorConfig::default()
        }))
        .expect("the emulator starts");
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_graph-ext"))
        .args([
            "open",
            "scan",
            "--name",
            "com.contoso.Settings",
            "--where",
            "theme == \"dark\" && fontSize >= 12",
        ])
        .env("GRAPH_BASE_URL", emu.url())
        .env("GRAPH_TOKEN", "bench-token")
        .env("GRAPH_EXT_REPORT_PEAK_RSS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("graph-ext runs");
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "graph-ext failed: {stderr}");
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak-rss: "))
        .and_then(|v| v.trim_end_matches(" kB").trim().parse::<u64>().ok())
        .expect("the peak is reported");
    let matched = stderr
        .lines()
        .filter(|l| l.ends_with(" matched"))
        .find_map(|l| l.split(" with ").next())
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse::<u64>().ok())
        .expect("the summary line");
    drop(emu);
    (peak, matched, seconds)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--test");
    let (small, large) = if quick {
        (1_000, 10_000)
    } else {
        (10_000, 100_000)
    };
    let (p1, m1, s1) = scan(small);
    let (p2, m2, s2) = scan(large);
    // Every dark user (even n) whose font size (8 + n % 10) is 12 or more.
    let expected = |n: usize| (0..n).filter(|i| i % 2 == 0 && 8 + i % 10 >= 12).count() as u64;
    assert_eq!(
        (m1, m2),
        (expected(small), expected(large)),
        "every match found"
    );
    let diff_kib = p2 as i64 - p1 as i64;
    println!(
        "scan of {small} users: peak {:.1} MiB, {m1} matched, {s1:.1} s",
        p1 as f64 / 1024.0
    );
    println!(
        "scan of {large} users: peak {:.1} MiB, {m2} matched, {s2:.1} s",
        p2 as f64 / 1024.0
    );
    println!(
        "difference: {:+.1} MiB (bound: within 10 MiB)",
        diff_kib as f64 / 1024.0
    );
    assert!(
        diff_kib.abs() <= 10 * 1024,
        "the scan's memory grows with users"
    );
}
