//! Every command as a user types it, against the emulator over HTTP: the cases in `tests/cmd/`
//! (`trycmd`: the command line, the exact standard output and error, the exit code).
//! Regenerate the expected output with `TRYCMD=overwrite cargo test -p extensions-cli --test
//! cli`, and read the diff.

use std::time::Duration;

use extensions_emulator::{App, Emulator, EmulatorConfig, Seed, Throttle};

/// The tenant every case starts from (cases run in parallel, so each uses its own users and names).
const SEED: &str = r#"{
  "schemaExtensions": [
    {"id": "contoso_seeded", "targetTypes": ["Group"], "status": "Available", "owner": "cli-app",
     "properties": [{"name": "courseId", "type": "Integer"}, {"name": "courseName", "type": "String"},
                    {"name": "online", "type": "Boolean"}, {"name": "syllabus", "type": "Binary"}]}
  ],
  "users": [
    {"id": "u1", "userPrincipalName": "adele@contoso.com"},
    {"id": "u2", "userPrincipalName": "alex@contoso.com"},
    {"id": "u3", "userPrincipalName": "megan@contoso.com",
     "extensions": [{"extensionName": "com.contoso.Scan", "theme": "dark", "fontSize": 14}]},
    {"id": "u4", "userPrincipalName": "lynne@contoso.com",
     "extensions": [{"extensionName": "com.contoso.Scan", "theme": "light", "fontSize": 10}]},
    {"id": "u5", "userPrincipalName": "pradeep@contoso.com",
     "extensions": [{"extensionName": "com.contoso.Scan", "theme": "dark", "fontSize": 9, "tags": ["a", "b"]}]},
    {"id": "u6", "userPrincipalName": "diego@contoso.com"},
    {"id": "u7", "userPrincipalName": "grady@contoso.com"},
    {"id": "u8", "userPrincipalName": "henrietta@contoso.com"},
    {"id": "u9", "userPrincipalName": "isaiah@contoso.com",
     "extensions": [{"extensionName": "com.contoso.Gone", "x": 1}]},
    {"id": "u10", "userPrincipalName": "johanna@contoso.com"},
    {"id": "u11", "userPrincipalName": "joni@contoso.com"},
    {"id": "u12", "userPrincipalName": "synced@contoso.com", "onPremisesSyncEnabled": true}
  ],
  "applications": [
    {"id": "e5c1fa0b-0000-4000-8000-0000000000a1", "appId": "5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb", "displayName": "Team bonding"}
  ],
  "devices": [{"id": "d1", "displayName": "Kiosk"}],
  "groups": [
    {"id": "g1", "displayName": "New Managers", "contoso_seeded": {"courseId": 1, "courseName": "New Managers", "online": true}},
    {"id": "g2", "displayName": "Leadership", "contoso_seeded": {"courseId": 2, "courseName": "It's leadership"}},
    {"id": "g3", "displayName": "Onboarding", "contoso_seeded": {"courseId": 1, "courseName": "Onboarding", "online": false}},
    {"id": "g4", "displayName": "Mentoring", "contoso_seeded": {"courseId": 4, "courseName": "Mentoring", "online": false}}
  ]
}"#;

/// One delegated app (`/me` is u1), no throttling.
fn config(seed: &str) -> EmulatorConfig {
    EmulatorConfig {
        apps: vec![App {
            token: "cli-token".into(),
            app_id: "cli-app".into(),
            me: Some("u1".into()),
        }],
        seed: Seed::from_json(seed).expect("the seed parses"),
        throttle: Throttle {
            requests: u32::MAX,
            window: Duration::from_secs(1),
        },
        ..EmulatorConfig::default()
    }
}

/// The emulator on the seed, on a runtime of its own (kept alive by the caller).
fn start() -> (tokio::runtime::Runtime, Emulator) {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let emu = rt
        .block_on(Emulator::start(config(SEED)))
        .expect("the emulator starts");
    (rt, emu)
}

#[test]
fn commands() {
    let (_rt, emu) = start();
    let url = emu.url();
    let cases = trycmd::TestCases::new();
    cases
        .env("GRAPH_BASE_URL", url.clone())
        .env("GRAPH_TOKEN", "cli-token")
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml")
        .case("tests/cmd/*.trycmd");
    cases.insert_var("[URL]", url).expect("a valid variable");
    cases.run();
    drop(emu);
}

/// Without any credential the command says how to give one, and exits 5, before any request.
#[test]
fn no_token_is_exit_5() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_graph-ext"))
        .args([
            "open",
            "get",
            "--on",
            "users/u1",
            "--name",
            "com.contoso.Settings",
        ])
        .env_remove("GRAPH_TOKEN")
        .env_remove("GRAPH_CLIENT_SECRET")
        .env("GRAPH_BASE_URL", "http://127.0.0.1:9/v1.0")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(5));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: no token: set GRAPH_TOKEN, or pass --token-command"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

/// A reader that closes the pipe before the output comes (`graph-ext … | head -0`): every
/// command that writes records ends quietly with exit 0, never a panic (exit 101); and a closed
/// standard error is no panic either.
#[test]
fn closed_pipes_end_quietly() {
    let (_rt, emu) = start();
    let commands: &[&[&str]] = &[
        &[
            "open",
            "get",
            "--on",
            "users/u3",
            "--name",
            "com.contoso.Scan",
        ],
        &["open", "list", "--on", "users/u3"],
        &["schema", "list"],
        &["schema", "get", "contoso_seeded"],
        &["directory", "list"],
        &["attributes", "get", "--on", "users/u1"],
        &["attributes", "find", "--in", "users", "--where", "1!=null"],
        &[
            "schema",
            "find",
            "--id",
            "contoso_seeded",
            "--where",
            "courseId=1",
        ],
        &["open", "scan", "--name", "com.contoso.Scan"],
        &[
            "open",
            "scan",
            "--name",
            "com.contoso.Scan",
            "--output",
            "json",
        ],
        &[
            "open",
            "scan",
            "--name",
            "com.contoso.Scan",
            "--output",
            "csv",
        ],
        &[
            "open",
            "scan",
            "--name",
            "com.contoso.Scan",
            "--output",
            "table",
        ],
        &["completions", "bash"],
    ];
    let verbose: &[&[&str]] = &[
        &[
            "-v",
            "open",
            "get",
            "--on",
            "users/u3",
            "--name",
            "com.contoso.Scan",
        ],
        // The trial's `graph-ext -v open scan … 2>&1 >/dev/null | head -1`.
        &["-v", "open", "scan", "--name", "com.contoso.Scan"],
    ];
    for (args, close_stderr) in commands
        .iter()
        .map(|a| (*a, false))
        .chain(verbose.iter().map(|a| (*a, true)))
    {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_graph-ext"));
        cmd.args(args)
            .env("GRAPH_BASE_URL", emu.url())
            .env("GRAPH_TOKEN", "cli-token")
            .stdout(writer);
        if close_stderr {
            let (reader, writer) = std::io::pipe().expect("a pipe");
            drop(reader);
            cmd.stderr(writer);
        }
        let out = cmd.output().expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("error:"),
            "{args:?}: {err}"
        );
    }
    drop(emu);
}

/// A host that does not answer: each retry is said on standard error as it starts (the reason
/// and where to look once, then "still no answer"), and the error ends with where it looked.
#[test]
fn a_host_that_does_not_answer_is_said_while_waiting() {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let base = format!("http://127.0.0.1:{port}/v1.0");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_graph-ext"))
        .args(["schema", "list"])
        .env("GRAPH_BASE_URL", &base)
        .env("GRAPH_TOKEN", "cli-token")
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0].starts_with(&format!("no answer from {base} (")),
        "{err}"
    );
    assert!(
        lines[0].contains("is the host, or the emulator, running?"),
        "{err}"
    );
    assert!(
        lines[1].starts_with(&format!("still no answer from {base}: trying again in")),
        "{err}"
    );
    assert!(
        err.trim_end().ends_with(&format!(
            "hint: nothing answered at {base}: check --base-url (or GRAPH_BASE_URL), and that the host, or the emulator, runs"
        )),
        "{err}"
    );
}

/// A throttled call: the wait Graph asked for is said before it starts, then the call succeeds.
#[test]
fn a_throttled_call_says_what_it_waits_for() {
    use extensions_emulator::{FaultRule, Faults};
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let mut cfg = config(SEED);
    cfg.faults = Faults {
        seed: 1,
        rules: vec![FaultRule {
            path_prefix: Some("/schemaExtensions".into()),
            error_rate: 1.0,
            error_statuses: vec![429],
            retry_after: Some("2".into()),
            max_faults: Some(1),
            ..FaultRule::default()
        }],
    };
    let emu = rt
        .block_on(Emulator::start(cfg))
        .expect("the emulator starts");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_graph-ext"))
        .args(["schema", "list"])
        .env("GRAPH_BASE_URL", emu.url())
        .env("GRAPH_TOKEN", "cli-token")
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(
        err.trim_end(),
        "throttled (429) on /schemaExtensions: waiting 2 s as Graph asked, then trying again"
    );
    drop(emu);
}
