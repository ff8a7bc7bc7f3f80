//! The console's cost with the console closed, in instructions: the emulator binary from before
//! the console (the baseline) and this one, each run under `valgrind --tool=callgrind` while it
//! handles a fixed number of requests. Timings on this project's shared two-core machines drift
//! by more than the difference sought (see `BENCHMARKS.md`); instruction counts do not.
//!
//! ```text
//! BASELINE_EMULATOR="$(bash extensions-emulator/benches/console-baseline.sh)" \
//!     cargo bench -p extensions-emulator --bench console_instructions
//! ```
//!
//! Each binary runs twice, for 300 and for 1,300 requests (GET and PATCH of an open extension
//! on a user in turn, one at a time, keep-alive), and stops on SIGINT, when callgrind writes its
//! total. Instructions per request are the difference of the two totals divided by 1,000, so
//! the start (seeding, the runtime) cancels out. Without valgrind, or without
//! `BASELINE_EMULATOR`, it says what is missing and measures what it can.

#![allow(missing_docs, clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const TOKEN: &str = "bench-token";
const FEW: u64 = 300;
const MANY: u64 = 1_300;

/// The instructions callgrind counted for a run of `binary` that handled `requests` requests.
fn instructions(binary: &Path, requests: u64, rt: &tokio::runtime::Runtime) -> u64 {
    let out = std::env::temp_dir().join(format!(
        "console-instructions-{}-{requests}.out",
        std::process::id()
    ));
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/seed.example.json");
    let mut child = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(binary)
        .args([
            "--port",
            "0",
            "--seed",
            seed,
            "--admin-token",
            "bench-admin",
        ])
        .args(["--token", &format!("{TOKEN}=bench-app")])
        .args(["--throttle", "4294967295/1"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("valgrind");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().expect("the emulator ended early").unwrap();
        if let Some(url) = line.strip_prefix("Graph emulator listening on ") {
            break url.to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let http = {
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::new()
    };
    let url = format!("{base}/users/u1/extensions/com.contoso.Settings");
    rt.block_on(async {
        for i in 0..requests {
            let req = if i % 2 == 0 {
                http.get(&url)
            } else {
                http.patch(&url)
                    .json(&serde_json::json!({"theme": "light", "schemaVersion": 3}))
            };
            let r = req.bearer_auth(TOKEN).send().await.unwrap();
            assert!(r.status().is_success(), "{}", r.status());
            r.bytes().await.unwrap();
        }
    });
    let stopped = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    child.wait().unwrap();
    let text = std::fs::read_to_string(&out).expect("callgrind's output");
    let _ = std::fs::remove_file(&out);
    text.lines()
        .find_map(|l| {
            l.strip_prefix("summary: ")
                .or_else(|| l.strip_prefix("totals: "))
        })
        .and_then(|n| n.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("a total in callgrind's output")
}

fn main() {
    if Command::new("valgrind").arg("--version").output().is_err() {
        eprintln!(
            "console_instructions: valgrind is not installed (Debian: apt-get install valgrind); nothing measured"
        );
        return;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut binaries: Vec<(&str, PathBuf)> = Vec::new();
    match std::env::var_os("BASELINE_EMULATOR") {
        Some(b) => binaries.push(("baseline (before the console)", PathBuf::from(b))),
        None => eprintln!(
            "console_instructions: BASELINE_EMULATOR is not set, so the baseline is left out; build it with \
             bash extensions-emulator/benches/console-baseline.sh"
        ),
    }
    binaries.push((
        "console closed (this binary)",
        PathBuf::from(env!("CARGO_BIN_EXE_extensions-emulator")),
    ));
    let mut per_request = Vec::new();
    for (label, binary) in &binaries {
        let few = instructions(binary, FEW, &rt);
        let many = instructions(binary, MANY, &rt);
        let each = (many.saturating_sub(few)) as f64 / (MANY - FEW) as f64;
        println!(
            "{label}: {few} instructions for {FEW} requests, {many} for {MANY}: {each:.0} per request"
        );
        per_request.push(each);
    }
    if let [baseline, closed] = per_request[..] {
        println!("console closed / baseline: {:.4}", closed / baseline);
    }
}
