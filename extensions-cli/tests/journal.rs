//! `graph-ext open bulk`'s journal under torn writes and concurrent runs, and a bulk run that
//! meets another writer's create: the real binary against the emulator over HTTP. Linux only:
//! a held lock is seen in `/proc/locks`.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use extensions_emulator::{App, Emulator, EmulatorConfig, FaultRule, Faults, Seed, Throttle};

const NAME: &str = "com.contoso.Journal";

fn config(faults: Faults) -> EmulatorConfig {
    let users: Vec<String> = (1..=6)
        .map(|i| format!(r#"{{"id": "u{i}", "userPrincipalName": "u{i}@contoso.com"}}"#))
        .collect();
    EmulatorConfig {
        apps: vec![App {
            token: "journal-token".into(),
            app_id: "journal-app".into(),
            me: None,
        }],
        seed: Seed::from_json(&format!(r#"{{"users": [{}]}}"#, users.join(","))).unwrap(),
        throttle: Throttle {
            requests: u32::MAX,
            window: Duration::from_secs(1),
        },
        faults,
        ..EmulatorConfig::default()
    }
}

/// A folder of its own for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("graph-ext-journal-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An input setting `{"n": line}` on each of `users`, one line each.
fn input(dir: &Path, users: &[&str]) -> PathBuf {
    let path = dir.join("input.ndjson");
    let text: String = users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            format!(
                "{{\"on\": \"users/{u}\", \"properties\": {{\"n\": {}}}}}\n",
                i + 1
            )
        })
        .collect();
    std::fs::write(&path, text).unwrap();
    path
}

fn graph_ext(emu: &Emulator) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_graph-ext"));
    c.env("GRAPH_BASE_URL", emu.url())
        .env("GRAPH_TOKEN", "journal-token")
        .env_remove("GRAPH_CLIENT_SECRET");
    c
}

fn bulk_set(emu: &Emulator, from: &Path, journal_flag: &str, journal: &Path) -> Output {
    graph_ext(emu)
        .args(["open", "bulk", "set", "--name", NAME, "--from"])
        .arg(from)
        .arg(journal_flag)
        .arg(journal)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The input lines a journal records as done, and how many records it holds; a line that is
/// not JSON (a torn one) counts for neither.
fn journal_done(path: &Path) -> (HashSet<u64>, usize) {
    let bytes = std::fs::read(path).unwrap();
    let mut done = HashSet::new();
    let mut records = 0;
    for line in bytes.split(|b| *b == b'\n') {
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(line) {
            records += 1;
            if v["outcome"] == "done" {
                done.insert(v["line"].as_u64().unwrap());
            }
        }
    }
    (done, records)
}

/// The extension's properties on `user`, as the emulator holds them.
fn stored(emu: &Emulator, user: &str) -> Option<serde_json::Value> {
    let out = graph_ext(emu)
        .args([
            "open",
            "get",
            "--on",
            &format!("users/{user}"),
            "--name",
            NAME,
        ])
        .output()
        .unwrap();
    (out.status.code() == Some(0)).then(|| serde_json::from_slice(&out.stdout).unwrap())
}

fn start(faults: Faults) -> (tokio::runtime::Runtime, Emulator) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let emu = rt.block_on(Emulator::start(config(faults))).unwrap();
    (rt, emu)
}

/// A journal whose last line a kill cut short (after a whole record): the resumed run writes
/// its records on lines of their own, so a second resume finds every item done and sends
/// nothing. The same when the cut falls inside a UTF-8 character.
#[test]
fn a_torn_last_line_is_skipped_and_the_resumed_run_starts_a_new_line() {
    let (_rt, emu) = start(Faults::default());
    for (case, fragment) in [
        ("ascii", &br#"{"line":2,"on":"us"#[..]),
        ("utf8", &b"{\"line\":2,\"on\":\"users/\xc3"[..]),
    ] {
        let dir = scratch(case);
        let from = input(&dir, &["u1", "u2", "u3"]);
        let journal = dir.join("journal");
        let mut torn = br#"{"line":1,"on":"users/u1","outcome":"done"}"#.to_vec();
        torn.push(b'\n');
        torn.extend_from_slice(fragment);
        std::fs::write(&journal, &torn).unwrap();

        let out = bulk_set(&emu, &from, "--resume", &journal);
        assert_eq!(out.status.code(), Some(0), "{case}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("3 items: 2 set"),
            "{case}: {}",
            stderr(&out)
        );
        let (done, records) = journal_done(&journal);
        assert_eq!(done, HashSet::from([1, 2, 3]), "{case}");
        assert_eq!(
            records, 3,
            "{case}: the fragment is no record, each new one is whole"
        );
        assert!(
            std::fs::read(&journal).unwrap().starts_with(&torn),
            "{case}: kept as it was"
        );

        // Resumed again: nothing left to send.
        let out = bulk_set(&emu, &from, "--resume", &journal);
        assert_eq!(out.status.code(), Some(0), "{case}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("3 items: 0 set, 0 failed, 3 already done"),
            "{case}: {}",
            stderr(&out)
        );
        for u in ["u2", "u3"] {
            assert!(stored(&emu, u).is_some(), "{case}: {u}");
        }
        // The next case writes the same users again: clear them.
        for u in ["u2", "u3"] {
            graph_ext(&emu)
                .args([
                    "open",
                    "remove",
                    "--on",
                    &format!("users/{u}"),
                    "--name",
                    NAME,
                ])
                .output()
                .unwrap();
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// Whether some process holds a `flock` on the file `path` (Linux's `/proc/locks` lists each
/// lock with the file's device and inode), without taking it.
fn locked_by_someone(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    let inode = format!(":{}", meta.ino());
    std::fs::read_to_string("/proc/locks")
        .unwrap_or_default()
        .lines()
        .any(|l| l.contains("FLOCK") && l.split_whitespace().any(|f| f.ends_with(&inode)))
}

/// Two runs on one journal at once: the second is refused (exit 2) before it sends anything,
/// while the first holds the journal; the first writes each item once. A holder other than
/// graph-ext (the test itself) is respected the same way.
#[test]
fn a_second_run_on_the_same_journal_is_refused() {
    // Every $batch takes a second, so the first run is still running when the second starts.
    let slow = Faults {
        seed: 1,
        rules: vec![FaultRule {
            path_prefix: Some("/$batch".into()),
            latency: Duration::from_secs(1),
            ..FaultRule::default()
        }],
    };
    let (_rt, emu) = start(slow);
    let dir = scratch("concurrent");
    let from = input(&dir, &["u4", "u5"]);
    let journal = dir.join("journal");
    let first = graph_ext(&emu)
        .args(["open", "bulk", "set", "--name", NAME, "--from"])
        .arg(&from)
        .arg("--journal")
        .arg(&journal)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The first run creates its journal and locks it at once; its first $batch is then under
    // way for a second.
    let waited = Instant::now();
    while !locked_by_someone(&journal) {
        assert!(
            waited.elapsed() < Duration::from_secs(30),
            "the first run never locked its journal"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = bulk_set(&emu, &from, "--resume", &journal);
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("is in use by another graph-ext run"),
        "{}",
        stderr(&second)
    );
    let first = first.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let (done, records) = journal_done(&journal);
    assert_eq!(done, HashSet::from([1, 2]));
    assert_eq!(records, 2, "each item recorded once");

    // Any other holder of the lock: refused, the journal untouched, nothing sent.
    let other = dir.join("held");
    let held = std::fs::File::create(&other).unwrap();
    held.try_lock().unwrap();
    let from = input(&dir, &["u6"]);
    let out = bulk_set(&emu, &from, "--journal", &other);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read(&other).unwrap(), b"");
    assert_eq!(stored(&emu, "u6"), None);
    drop(held);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The same resource twice in one run: both PATCHes find no extension, both creates go out, and
/// the second meets the first's. That is a race to resolve (PATCH again), not a failure: both
/// items are done, one create is counted, and the extension holds exactly one line's
/// properties, never a mix.
#[test]
fn a_create_that_meets_another_writers_extension_patches_again() {
    let (_rt, emu) = start(Faults::default());
    let dir = scratch("race");
    let from = input(&dir, &["u1", "u1"]);
    let journal = dir.join("journal");
    let out = bulk_set(&emu, &from, "--journal", &journal);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 items: 2 set (1 of them created), 0 failed"),
        "{}",
        stderr(&out)
    );
    let (done, records) = journal_done(&journal);
    assert_eq!((done, records), (HashSet::from([1, 2]), 2));
    let stored = stored(&emu, "u1").unwrap();
    let n = stored["n"].as_u64().unwrap();
    assert!(n == 1 || n == 2, "{stored}");
    assert_eq!(
        stored.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["id", "extensionName", "n"],
        "{stored}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
