//! `graph-ext` against a hostile (but loopback) server: next links that loop, a token echoed
//! into a next link. The server is a few lines of raw HTTP over a loopback socket, answering
//! what each test scripts and counting the requests; no test reaches beyond loopback.

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const TOKEN: &str = "hostile-cli-token-0123456789";

/// A loopback server answering request `i` (its request line and headers in `head`) with
/// `script(i, head)`, a JSON body with status 200; it records every request head.
struct Server {
    addr: SocketAddr,
    heads: Arc<Mutex<Vec<String>>>,
    _rt: tokio::runtime::Runtime,
}

impl Server {
    fn start(script: impl Fn(usize, &str) -> String + Send + Sync + 'static) -> Self {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = heads.clone();
        let script = Arc::new(script);
        rt.spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let (seen, script) = (seen.clone(), script.clone());
                tokio::spawn(async move {
                    loop {
                        let mut buf = Vec::new();
                        let mut byte = [0u8; 1];
                        while !buf.ends_with(b"\r\n\r\n") {
                            match sock.read(&mut byte).await {
                                Ok(1) => buf.push(byte[0]),
                                _ => return,
                            }
                        }
                        let head = String::from_utf8_lossy(&buf).into_owned();
                        let i = {
                            let mut seen = seen.lock().unwrap();
                            seen.push(head.clone());
                            seen.len() - 1
                        };
                        let body = script(i, &head);
                        let text = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if sock.write_all(text.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Server {
            addr,
            heads,
            _rt: rt,
        }
    }

    fn url(&self) -> String {
        format!("http://{}/v1.0", self.addr)
    }

    fn requests(&self) -> usize {
        self.heads.lock().unwrap().len()
    }

    /// `graph-ext args…` against this server, with the test token.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_graph-ext"))
            .args(args)
            .env("GRAPH_BASE_URL", self.url())
            .env("GRAPH_TOKEN", TOKEN)
            .env_remove("GRAPH_CLIENT_SECRET")
            .output()
            .unwrap()
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The path and query of a request head.
fn target(head: &str) -> &str {
    head.split(' ').nth(1).unwrap_or("")
}

/// After this many requests the scripted server ends its collection, so a client without the
/// guard finishes (and fails its test) instead of looping for ever.
const GIVE_UP: usize = 50;

/// A definitions page whose next link is `next` (none from the [`GIVE_UP`]th on).
fn definitions(addr_url: &str, n: usize, next: &str) -> String {
    if n >= GIVE_UP {
        return r#"{"value":[]}"#.into();
    }
    format!(
        r#"{{"value":[{{"id":"contoso_d{n}","targetTypes":["Group"],"properties":[{{"name":"courseId","type":"Integer"}}],"status":"Available","owner":"app"}}],"@odata.nextLink":"{addr_url}{next}"}}"#
    )
}

/// `schema list` against a next link that names itself, then against two links in turn: a
/// clear error (exit 1) after at most three requests, not an endless loop.
#[test]
fn schema_list_stops_on_a_repeated_next_link() {
    for links in [
        &["/schemaExtensions?$skiptoken=a"][..],
        &[
            "/schemaExtensions?$skiptoken=a",
            "/schemaExtensions?$skiptoken=b",
        ],
    ] {
        let base = Arc::new(Mutex::new(String::new()));
        let b = base.clone();
        let links: Vec<String> = links.iter().map(|l| (*l).to_owned()).collect();
        let server =
            Server::start(move |i, _| definitions(&b.lock().unwrap(), i, &links[i % links.len()]));
        *base.lock().unwrap() = server.url();
        let out = server.run(&["schema", "list"]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("`@odata.nextLink` repeats a page already read"),
            "{err}"
        );
        assert!(server.requests() <= 3, "{} requests", server.requests());
    }
}

/// `schema find` pages through resources found by their data: the same guard.
#[test]
fn schema_find_stops_on_a_repeated_next_link() {
    let base = Arc::new(Mutex::new(String::new()));
    let b = base.clone();
    let server = Server::start(move |i, head| {
        if i >= GIVE_UP {
            return r#"{"value":[]}"#.into();
        }
        if target(head).starts_with("/v1.0/schemaExtensions/") {
            return r#"{"id":"contoso_d","targetTypes":["Group"],"properties":[{"name":"courseId","type":"Integer"}],"status":"Available","owner":"app"}"#.into();
        }
        format!(
            r#"{{"value":[{{"id":"g1","contoso_d":{{"courseId":1}}}}],"@odata.nextLink":"{}/groups?$skiptoken=x"}}"#,
            b.lock().unwrap()
        )
    });
    *base.lock().unwrap() = server.url();
    let out = server.run(&[
        "schema",
        "find",
        "--id",
        "contoso_d",
        "--where",
        "courseId=1",
    ]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("repeats a page already read"), "{err}");
    // The definition, the first page, the page its link names, which repeats the link.
    assert_eq!(server.requests(), 3);
    // What both pages found was written as it came, the second page's too.
    assert_eq!(
        text(&out.stdout).lines().count(),
        2,
        "{}",
        text(&out.stdout)
    );
}

/// A server that echoes the caller's token into its next link: `-v` prints each request's
/// path, and the token in it is `[redacted]`, on every line (the token never reaches standard
/// error or output).
#[test]
fn verbose_never_prints_a_token_echoed_into_a_next_link() {
    let base = Arc::new(Mutex::new(String::new()));
    let b = base.clone();
    let server = Server::start(move |i, head| {
        if i > 0 {
            return r#"{"value":[{"id":"u2","extensions":[]}]}"#.into();
        }
        let token = head
            .lines()
            .find_map(|l| l.strip_prefix("authorization: Bearer "))
            .unwrap_or("none")
            .trim();
        format!(
            r#"{{"value":[{{"id":"u1","extensions":[]}}],"@odata.nextLink":"{}/users?$skiptoken={token}"}}"#,
            b.lock().unwrap()
        )
    });
    *base.lock().unwrap() = server.url();
    let out = server.run(&["-v", "open", "scan", "--name", "com.contoso.Scan"]);
    let (err, stdout) = (text(&out.stderr), text(&out.stdout));
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(server.requests(), 2);
    // The server did echo it: the second request's target carries it.
    assert!(server.heads.lock().unwrap()[1].contains(TOKEN));
    assert!(
        !err.contains(TOKEN) && !stdout.contains(TOKEN),
        "{err}{stdout}"
    );
    assert!(err.contains("$skiptoken=[redacted] -> 200"), "{err}");
}

/// `--where` nested 3,000 deep is refused with exit 2 before any request; 100,000 `!` in a row
/// are no nesting, and the scan runs. Neither overflows the stack (the process would abort).
#[test]
fn deep_where_is_exit_2_and_long_where_runs() {
    let server = Server::start(|_, _| {
        r#"{"value":[{"id":"u1","extensions":[{"id":"com.contoso.Scan","extensionName":"com.contoso.Scan","theme":"dark"}]}]}"#.into()
    });
    for deep in [
        format!("{}theme{}", "(".repeat(3_000), ")".repeat(3_000)),
        format!("theme == {}1{}", "[".repeat(3_000), "]".repeat(3_000)),
    ] {
        let out = server.run(&[
            "open",
            "scan",
            "--name",
            "com.contoso.Scan",
            "--where",
            &deep,
        ]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("nest at most 64 deep"), "{err}");
        assert!(err.len() < 400, "the message quotes a bounded part: {err}");
    }
    assert_eq!(server.requests(), 0);
    // Runs of `!` and long chains are no nesting: the scan runs and finds the user.
    let long = format!("{}theme", "!".repeat(100_000));
    let chain = format!(
        "{} || theme == 'dark'",
        vec!["theme == 'x'"; 5_000].join(" || ")
    );
    for filter in [long, chain] {
        let out = server.run(&[
            "open",
            "scan",
            "--name",
            "com.contoso.Scan",
            "--where",
            &filter,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("users/u1"),
            "{}",
            text(&out.stdout)
        );
    }
}

/// A server that answers for another definition than the one asked for: `schema remove` (and
/// `set`, `find`) refuse to act on it, so nothing is deleted but what the user named.
#[test]
fn an_answer_for_another_definition_is_refused() {
    let server = Server::start(|_, _| {
        r#"{"id":"contoso_other","targetTypes":["Group"],"properties":[],"status":"InDevelopment","owner":"app"}"#.into()
    });
    for args in [
        &["schema", "remove", "contoso_mine"][..],
        &["schema", "set", "contoso_mine", "--description", "x"],
        &["schema", "find", "--id", "contoso_mine", "--where", "a=1"],
    ] {
        let before = server.requests();
        let out = server.run(args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("the answer is the definition \"contoso_other\""),
            "{err}"
        );
        assert_eq!(
            server.requests(),
            before + 1,
            "{args:?}: only the GET was sent"
        );
        let heads = server.heads.lock().unwrap();
        assert!(
            heads
                .last()
                .unwrap()
                .starts_with("GET /v1.0/schemaExtensions/contoso_mine ")
        );
    }
}

/// Output larger than every writer's buffer (8 KiB), to a reader that closed the pipe: each
/// format ends quietly with exit 0 (a CSV writer's error keeps its I/O kind).
#[test]
fn a_closed_pipe_ends_large_output_quietly() {
    let users: Vec<String> = (0..300)
        .map(|i| {
            format!(
                r#"{{"id":"u{i}","extensions":[{{"id":"com.contoso.Scan","extensionName":"com.contoso.Scan","note":"{}"}}]}}"#,
                "x".repeat(100)
            )
        })
        .collect();
    let page = format!(r#"{{"value":[{}]}}"#, users.join(","));
    let server = Server::start(move |_, _| page.clone());
    for format in ["json", "ndjson", "csv", "table"] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_graph-ext"))
            .args([
                "open",
                "scan",
                "--name",
                "com.contoso.Scan",
                "--output",
                format,
            ])
            .env("GRAPH_BASE_URL", server.url())
            .env("GRAPH_TOKEN", TOKEN)
            .stdout(writer)
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{format}: {err}");
        assert!(!err.contains("error"), "{format}: {err}");
    }
}
