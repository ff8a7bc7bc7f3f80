//! `open bulk set` under throttling, killed half-way (SIGKILL) and started again with
//! `--resume`: nothing its journal records as done is sent again (counted in the emulator's log
//! of `$batch` items), and at the end every user holds the value (read back with `open scan`).
//!
//! The test at Graph's throttle (455 requests per 10 s) and 10,000 users takes about four
//! minutes and is `#[ignore]`d here; `.ci/run` runs it (`cargo test -p extensions-cli --release
//! --test resume -- --ignored`). The same test at 1,000 users under a 300-per-second limit runs
//! with the rest.

use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use extensions_emulator::{App, Emulator, EmulatorConfig, Throttle};

/// Users `u0`… each holding `com.contoso.Sync` at schema version 1.
fn seed_file(dir: &std::path::Path, users: usize) -> std::path::PathBuf {
    let path = dir.join("seed.json");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("a seed file"));
    write!(f, "{{\"users\": [").expect("writes");
    for n in 0..users {
        let sep = if n == 0 { "" } else { "," };
        write!(
            f,
            "{sep}{{\"id\": \"u{n}\", \"userPrincipalName\": \"user{n}@contoso.com\", \"extensions\": [{{\"extensionName\": \"com.contoso.Sync\", \"theme\": \"light\", \"schemaVersion\": 1}}]}}"
        )
        .expect("writes");
    }
    writeln!(f, "]}}").expect("writes");
    f.flush().expect("flushes");
    path
}

/// The users a journal records as done.
fn done_users(journal: &std::path::Path) -> HashSet<String> {
    std::fs::read_to_string(journal)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["outcome"] == "done")
        .filter_map(|v| {
            v["on"]
                .as_str()
                .map(|s| s.trim_start_matches("users/").to_owned())
        })
        .collect()
}

fn graph_ext(emu: &Emulator) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_graph-ext"));
    c.env("GRAPH_BASE_URL", emu.url())
        .env("GRAPH_TOKEN", "resume-token")
        .stdin(Stdio::null());
    c
}

/// The emulator on `users` seeded users (in `dir`), on a runtime of its own (kept alive by the
/// caller), one app, `throttle`.
fn emulator(
    dir: &std::path::Path,
    users: usize,
    throttle: Throttle,
) -> (tokio::runtime::Runtime, Emulator) {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let emu = rt
        .block_on(Emulator::start(EmulatorConfig {
            apps: vec![App {
                token: "resume-token".into(),
                app_id: "resume-app".into(),
                me: None,
            }],
            seed_file: Some(seed_file(dir, users)),
            throttle,
            ..EmulatorConfig::default()
        }))
        .expect("the emulator starts");
    (rt, emu)
}

/// How the first run is stopped.
#[derive(Clone, Copy, PartialEq)]
enum Stop {
    /// SIGKILL: nothing of graph-ext runs after it.
    Kill,
    /// SIGINT, as Ctrl-C sends: graph-ext exits 130 and says how to resume.
    Interrupt,
}

fn killed_and_resumed(users: usize, throttle: Throttle, stop: Stop) {
    let dir = std::env::temp_dir().join(format!("graph-ext-resume-{users}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let (_rt, emu) = emulator(&dir, users, throttle);
    let input = dir.join("input.ndjson");
    let mut f = std::fs::File::create(&input).expect("an input file");
    for n in 0..users {
        writeln!(
            f,
            "{{\"on\": \"users/u{n}\", \"properties\": {{\"theme\": \"light\", \"schemaVersion\": 2}}}}"
        )
        .expect("writes");
    }
    drop(f);
    let journal = dir.join("input.ndjson.journal");

    // First run: killed once about half of the users are recorded as done.
    let mut first = graph_ext(&emu)
        .args([
            "open",
            "bulk",
            "set",
            "--name",
            "com.contoso.Sync",
            "--from",
        ])
        .arg(&input)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("graph-ext starts");
    let started = Instant::now();
    while done_users(&journal).len() < users / 2 {
        assert!(
            first.try_wait().expect("waits").is_none(),
            "the first run ended before it was killed"
        );
        assert!(started.elapsed() < Duration::from_secs(600), "no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
    match stop {
        Stop::Kill => first.kill().expect("SIGKILL"),
        Stop::Interrupt => {
            let sent = Command::new("kill")
                .args(["-INT", &first.id().to_string()])
                .status()
                .expect("kill runs");
            assert!(sent.success());
        }
    }
    let out = first.wait_with_output().expect("reaped");
    if stop == Stop::Interrupt {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{stderr}");
        assert!(stderr.contains("error: stopped by SIGINT"), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "records every item completed: continue with --resume {}",
                journal.display()
            )),
            "{stderr}"
        );
    }
    // Whatever the killed process had in flight is handled before the mark.
    std::thread::sleep(Duration::from_millis(500));
    let done = done_users(&journal);
    assert!(
        done.len() >= users / 2 && done.len() < users,
        "{}",
        done.len()
    );
    let mark = emu.batch_items().len();

    // Second run: resumed from the journal, to the end.
    let second = graph_ext(&emu)
        .args([
            "open",
            "bulk",
            "set",
            "--name",
            "com.contoso.Sync",
            "--from",
        ])
        .arg(&input)
        .arg("--resume")
        .arg(&journal)
        .output()
        .expect("graph-ext runs");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("{} already done by the journal", done.len())),
        "{stderr}"
    );

    // No item the journal recorded as done was sent again.
    let after: Vec<_> = emu.batch_items().into_iter().skip(mark).collect();
    assert!(!after.is_empty());
    for item in &after {
        let user = item
            .target
            .trim_start_matches("/users/")
            .split('/')
            .next()
            .unwrap_or_default();
        assert!(
            !done.contains(user),
            "{} {} was sent again after its journal recorded it done",
            item.method,
            item.target
        );
    }
    let sent_again: HashSet<&str> = after
        .iter()
        .filter_map(|i| i.target.trim_start_matches("/users/").split('/').next())
        .collect();
    assert_eq!(
        sent_again.len() + done.len(),
        users,
        "the second run sent exactly the users not done"
    );

    // Every user holds the new value.
    let scan = graph_ext(&emu)
        .args([
            "open",
            "scan",
            "--name",
            "com.contoso.Sync",
            "--where",
            "schemaVersion == 2",
        ])
        .output()
        .expect("graph-ext runs");
    assert!(scan.status.success());
    let lines = String::from_utf8_lossy(&scan.stdout).lines().count();
    assert_eq!(lines, users, "every user holds schema version 2");
    println!(
        "{users} users: killed with {} done; the resumed run sent {} items ({} distinct users), none of them done before",
        done.len(),
        after.len(),
        sent_again.len()
    );
    drop(emu);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_killed_run_resumes_without_sending_what_was_done() {
    killed_and_resumed(
        1_000,
        Throttle {
            requests: 300,
            window: Duration::from_secs(1),
        },
        Stop::Kill,
    );
}

/// Ctrl-C: exit 130, the way to resume said, and the resumed run sends only what was not done.
#[test]
fn an_interrupted_run_says_how_to_resume() {
    killed_and_resumed(
        400,
        Throttle {
            requests: 100,
            window: Duration::from_secs(1),
        },
        Stop::Interrupt,
    );
}

/// A `scan --output json` stopped by Ctrl-C closes its array: what it wrote is valid JSON.
#[test]
fn an_interrupted_json_scan_is_valid_json() {
    let dir = std::env::temp_dir().join(format!("graph-ext-scan-int-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    // A page a user, ten pages a second: the scan takes 20 seconds.
    let (_rt, emu) = emulator(
        &dir,
        200,
        Throttle {
            requests: 10,
            window: Duration::from_secs(1),
        },
    );
    let out_path = dir.join("scan.json");
    let child = graph_ext(&emu)
        .args([
            "open",
            "scan",
            "--name",
            "com.contoso.Sync",
            "--output",
            "json",
            "--page-size",
            "1",
        ])
        .stdout(std::fs::File::create(&out_path).expect("an output file"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("graph-ext starts");
    let started = Instant::now();
    while std::fs::metadata(&out_path).map_or(0, |m| m.len()) < 200 {
        assert!(started.elapsed() < Duration::from_secs(60), "no output");
        std::thread::sleep(Duration::from_millis(50));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let out = child.wait_with_output().expect("reaped");
    assert_eq!(out.status.code(), Some(130));
    let text = std::fs::read_to_string(&out_path).expect("the output");
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let n = v.as_array().expect("an array").len();
    assert!((1..200).contains(&n), "{n}");
    drop(emu);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[ignore = "about four minutes: 10,000 users at Graph's 455 requests per 10 s; .ci/run runs it"]
fn ten_thousand_users_under_graphs_throttle() {
    killed_and_resumed(10_000, Throttle::default(), Stop::Kill);
}
