//! `--token-command` never outlives its wait: a command that does not answer is killed with
//! everything it started, when the client's 30-second timeout gives up on it and when
//! graph-ext is stopped by a signal. The real binary, a real shell, real processes.

//!
//! Linux only: whether a process still runs is read from `/proc`.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A folder of its own for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("graph-ext-token-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A token command that never answers: the shell writes its pid, starts a `sleep` in the
/// background, writes that one's pid, and waits for it.
fn hanging_command(dir: &Path) -> String {
    format!(
        "echo $$ > {d}/sh.pid; sleep 600 & echo $! > {d}/sleep.pid; wait",
        d = dir.display()
    )
}

/// Waits for the two pids the hanging command writes.
fn pids(dir: &Path) -> [u32; 2] {
    let start = Instant::now();
    loop {
        let read = |f: &str| {
            std::fs::read_to_string(dir.join(f))
                .ok()
                .and_then(|s| s.trim().parse::<u32>().ok())
        };
        if let (Some(sh), Some(sleep)) = (read("sh.pid"), read("sleep.pid")) {
            return [sh, sleep];
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the token command never started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Whether `pid` still runs (a zombie, dead but not yet reaped by its parent, does not).
fn running(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // `pid (comm) S …`: the state follows the command's closing parenthesis.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

/// Asserts both processes are gone within a few seconds.
fn gone(pids: [u32; 2]) {
    let start = Instant::now();
    while pids.iter().any(|p| running(*p)) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "still running: {:?}",
            pids.iter().filter(|p| running(**p)).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn graph_ext(token_command: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_graph-ext"))
        .args(["--token-command", token_command, "schema", "list"])
        // Nothing is ever sent: the token never comes.
        .env("GRAPH_BASE_URL", "http://127.0.0.1:9/v1.0")
        .env_remove("GRAPH_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Stopped by SIGINT (Ctrl-C), SIGTERM or SIGHUP while it waits for the token: graph-ext exits
/// as the signal says (128 + its number), and the command and its children are gone.
#[test]
fn a_signal_stops_the_token_command_with_graph_ext() {
    for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let dir = scratch(signal);
        let child = graph_ext(&hanging_command(&dir));
        let pids = pids(&dir);
        assert!(pids.iter().all(|p| running(*p)));
        let kill = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{signal}: {err}");
        assert!(err.contains(&format!("stopped by SIG{signal}")), "{err}");
        gone(pids);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// The client gives up on a token after 30 seconds: graph-ext fails with exit 5, and the
/// command it waited for is killed with what it started.
#[test]
fn the_token_timeout_kills_the_command() {
    let dir = scratch("timeout");
    let child = graph_ext(&hanging_command(&dir));
    let pids = pids(&dir);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    gone(pids);
    std::fs::remove_dir_all(&dir).unwrap();
}
