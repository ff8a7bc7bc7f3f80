//! B6: memory at 10,000 and at 100,000 users.
//!
//! - The client scans every user with its extensions (`users_with_extensions`, every
//!   extension decoded): its peak resident memory at 100,000 users against the same scan at
//!   10,000.
//! - The emulator, seeded from a seed file of that many users (each with one extension): its
//!   resident memory once seeded, its peak after serving the scan, and the seeding time.
//!
//! Each side runs in a process of its own (this bench starts itself again in a role), so neither
//! measures the other. `cargo bench -p extensions-client --bench memory`, or with `-- --test` for
//! the quick mode (1,000 and 2,000 users).

#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{Settings, TOKEN, quick, runtime};
use extensions_client::{GraphClient, StaticToken};
use futures_util::StreamExt;

/// `VmRSS` and `VmHWM` (peak) of this process, in KiB.
fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Writes a seed file of `users` users, each with the settings extension, without holding it.
fn write_seed(path: &std::path::Path, users: usize) {
    let mut w = BufWriter::new(std::fs::File::create(path).unwrap());
    w.write_all(b"{\"users\": [\n").unwrap();
    for i in 0..users {
        if i > 0 {
            w.write_all(b",\n").unwrap();
        }
        write!(
            w,
            r#"{{"id": "u{i}", "userPrincipalName": "user{i}@contoso.com", "displayName": "User {i}", "extensions": [{{"extensionName": "com.contoso.Settings", "theme": "light", "schemaVersion": {i}}}]}}"#
        )
        .unwrap();
    }
    w.write_all(b"\n]}\n").unwrap();
    w.flush().unwrap();
}

/// The emulator's role: seed from the file, say so, serve until stdin closes, then report.
fn emulator_role(seed_file: &str) {
    let rt = runtime();
    rt.block_on(async {
        let t = Instant::now();
        let emu = extensions_emulator::Emulator::start(extensions_emulator::EmulatorConfig {
            apps: vec![extensions_emulator::App {
                token: TOKEN.into(),
                app_id: common::APP.into(),
                me: None,
            }],
            throttle: common::unthrottled(),
            seed_file: Some(seed_file.into()),
            ..extensions_emulator::EmulatorConfig::default()
        })
        .await
        .unwrap();
        let seeded_ms = t.elapsed().as_millis();
        let (rss, _) = rss_kib();
        println!("ready {} {seeded_ms} {rss}", emu.url());
        tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {}
        })
        .await
        .unwrap();
        let (rss, peak) = rss_kib();
        println!("served {rss} {peak}");
    });
}

/// The client's role: scan every user with extensions, decode each, report the peak.
fn client_role(url: &str) {
    let (_, start_peak) = rss_kib();
    let rt = runtime();
    let (users, decoded) = rt.block_on(async {
        let client = GraphClient::builder()
            .base_url(url)
            .token_provider(StaticToken::new(TOKEN))
            .build()
            .unwrap();
        let (mut users, mut decoded) = (0usize, 0usize);
        let mut stream = client.users_with_extensions(Some(999));
        while let Some(user) = stream.next().await {
            let user = user.unwrap();
            users += 1;
            if user.extension::<Settings>().unwrap().is_some() {
                decoded += 1;
            }
        }
        (users, decoded)
    });
    let (rss, peak) = rss_kib();
    println!("scanned {users} {decoded} {start_peak} {rss} {peak}");
}

fn measure(users: usize) -> (u64, u64) {
    let dir = std::env::temp_dir().join(format!("b6-{}-{users}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("seed.json");
    write_seed(&seed, users);
    let exe = std::env::current_exe().unwrap();
    let mut emu = Command::new(&exe)
        .env("B6_ROLE", "emulator")
        .arg(&seed)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(emu.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let ready: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        ready.first(),
        Some(&"ready"),
        "the emulator did not start: {line}"
    );
    let (url, seeded_ms, emu_rss): (String, u64, u64) = (
        ready[1].to_owned(),
        ready[2].parse().unwrap(),
        ready[3].parse().unwrap(),
    );
    let client = Command::new(&exe)
        .env("B6_ROLE", "client")
        .arg(&url)
        .output()
        .unwrap();
    assert!(client.status.success(), "the client scan failed");
    let report = String::from_utf8_lossy(&client.stdout);
    let fields: Vec<u64> = report
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().unwrap())
        .collect();
    let (seen, decoded, _start_peak, _rss, client_peak) =
        (fields[0], fields[1], fields[2], fields[3], fields[4]);
    assert_eq!(seen as usize, users, "users lost in the scan");
    assert_eq!(decoded as usize, users, "extensions lost in the scan");
    drop(emu.stdin.take());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let served: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().unwrap())
        .collect();
    emu.wait().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    println!(
        "B6 {users} users: emulator seeded in {:.2} s, {:.1} MiB resident once seeded, {:.1} MiB peak after the scan; client scan of {seen} users ({decoded} extensions decoded): {:.1} MiB peak",
        seeded_ms as f64 / 1000.0,
        emu_rss as f64 / 1024.0,
        served[1] as f64 / 1024.0,
        client_peak as f64 / 1024.0
    );
    (client_peak, emu_rss)
}

fn main() {
    match std::env::var("B6_ROLE").as_deref() {
        Ok("emulator") => return emulator_role(&std::env::args().nth(1).unwrap()),
        Ok("client") => return client_role(&std::env::args().nth(1).unwrap()),
        _ => {}
    }
    let (small, large) = if quick() {
        (1_000, 2_000)
    } else {
        (10_000, 100_000)
    };
    let (client_small, _) = measure(small);
    let (client_large, _) = measure(large);
    println!(
        "B6 client peak at {large} users minus at {small}: {:+.1} MiB",
        (client_large as f64 - client_small as f64) / 1024.0
    );
}
