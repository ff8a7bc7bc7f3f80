//! README's tenant section, followed to the letter: its two commands (the emulator binary with the
//! sample seed, then the quickstart through the tenant variables), run as written with `cargo`,
//! on a free port instead of 8080.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The emulator process, stopped when the test ends (passing or not).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A `cargo` command for README's words after `cargo`, run from the repository's root, with no
/// `GRAPH_*` variable of this process's environment.
fn cargo(words: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO"));
    c.args(words).current_dir(root());
    for (k, _) in std::env::vars() {
        if k.starts_with("GRAPH_") {
            c.env_remove(k);
        }
    }
    c
}

#[test]
fn readme_tenant_section_works_against_the_emulator_binary() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("On a real tenant"))
        .expect("README has a section \"On a real tenant\"");
    let emulator_line = section
        .lines()
        .find(|l| l.starts_with("cargo run -p extensions-emulator -- "))
        .expect("the section starts the emulator binary");
    let quickstart_line = section
        .lines()
        .find(|l| l.starts_with("GRAPH_BASE_URL=") && l.contains(" cargo run "))
        .expect("the section runs the quickstart through the tenant variables");
    assert!(emulator_line.contains("--port 8080"), "{emulator_line}");
    assert!(
        quickstart_line.contains("http://127.0.0.1:8080/v1.0"),
        "{quickstart_line}"
    );
    let port = free_port().to_string();

    // 1. The emulator binary, as written (port aside); its log is standard error.
    let emulator_line = emulator_line.replace("--port 8080", &format!("--port {port}"));
    let words: Vec<&str> = emulator_line.split_whitespace().skip(1).collect();
    let mut child = cargo(&words)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let _running = Running(child);
    let log = Arc::new(Mutex::new(String::new()));
    let (ready, listening) = mpsc::channel();
    {
        let log = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if line.contains("listening on") {
                    let _ = ready.send(());
                }
                let mut log = log.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
    }
    // It may have to be built first.
    if listening.recv_timeout(Duration::from_secs(600)).is_err() {
        panic!(
            "the emulator did not start:\n{}",
            log.lock().unwrap().as_str()
        );
    }

    // 2. The quickstart through the tenant variables, as written (port aside).
    let quickstart_line = quickstart_line.replace("127.0.0.1:8080", &format!("127.0.0.1:{port}"));
    let (vars, command) = quickstart_line.split_once(" cargo ").unwrap();
    let mut quickstart = cargo(&command.split_whitespace().collect::<Vec<_>>());
    for assignment in vars.split_whitespace() {
        let (k, v) = assignment.split_once('=').unwrap();
        quickstart.env(k, v);
    }
    let out = quickstart.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the quickstart failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!(
            "on http://127.0.0.1:{port}/v1.0 as /users/adele%40contoso.com"
        )),
        "it ran on the emulator binary, as the user named: {stdout}"
    );
    for step in [
        "stored with id com.contoso.Quickstart",
        "last_tour: Some(\"2026-11-26T10:00:00Z\")",
        "refused: ",
        "deleted: true; now None",
    ] {
        assert!(stdout.contains(step), "{step:?} missing from:\n{stdout}");
    }
    // The emulator binary's own log saw the requests (method, path, status).
    std::thread::sleep(Duration::from_millis(200));
    let log = log.lock().unwrap();
    assert!(
        log.contains("POST") && log.contains("/v1.0/users/adele%40contoso.com/extensions"),
        "the emulator logged the create:\n{log}"
    );
    assert!(
        log.contains("PATCH")
            && log.contains("/v1.0/users/adele%40contoso.com/extensions/com.contoso.Quickstart"),
        "the emulator logged the patch:\n{log}"
    );
}
