//! The client against a hostile (but loopback) server: links and redirects to other origins,
//! endless or oversized bodies, links that loop, a token provider that never answers, absurd
//! `Retry-After` values, credentials in the base URL. The server here is a few lines of raw HTTP
//! over a loopback socket, answering what each test scripts; no test reaches beyond loopback.

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use extensions_client::{
    BuildError, GraphClient, RetryPolicy, StaticToken, TokenFuture, TokenProvider,
};
use extensions_core::Error;
use extensions_core::prelude::*;
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const TOKEN: &str = "hostile-test-token";

/// What the scripted server sends for one request.
enum Answer {
    /// A complete response.
    Full(String),
    /// Headers announcing chunked transfer, then chunks until the client hangs up.
    Endless,
    /// The request was read (and, for the test, applied); the connection closes unanswered.
    Hangup,
}

/// A loopback server that answers request `i` with `script(i, request_head)` and records every
/// request head it receives.
struct Server {
    addr: SocketAddr,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Server {
    async fn start(
        script: impl Fn(usize, &str, SocketAddr) -> Answer + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = heads.clone();
        let script = Arc::new(script);
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let seen = seen.clone();
                let script = script.clone();
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
                        let len = head
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        let mut body = vec![0u8; len];
                        if sock.read_exact(&mut body).await.is_err() {
                            return;
                        }
                        let i = {
                            let mut seen = seen.lock().unwrap();
                            seen.push(head.clone());
                            seen.len() - 1
                        };
                        match script(i, &head, addr) {
                            Answer::Full(text) => {
                                if sock.write_all(text.as_bytes()).await.is_err() {
                                    return;
                                }
                            }
                            Answer::Hangup => return,
                            Answer::Endless => {
                                let start = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
                                if sock.write_all(start.as_bytes()).await.is_err() {
                                    return;
                                }
                                let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
                                // Bounded: 1 GiB at most, far past any limit under test.
                                for _ in 0..16_384 {
                                    if sock.write_all(chunk.as_bytes()).await.is_err() {
                                        return;
                                    }
                                }
                                return;
                            }
                        }
                    }
                });
            }
        });
        Server { addr, heads }
    }

    fn root(&self) -> String {
        format!("http://{}/v1.0", self.addr)
    }

    fn requests(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

fn json(status: &str, extra_headers: &str, body: &str) -> Answer {
    Answer::Full(format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra_headers}\r\n{body}",
        body.len()
    ))
}

fn client(root: &str) -> extensions_client::GraphClientBuilder {
    GraphClient::builder()
        .base_url(root)
        .token_provider(StaticToken::new(TOKEN))
        .retry(RetryPolicy {
            max_attempts: 3,
            max_elapsed: Duration::from_secs(5),
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(100),
        })
}

#[derive(OpenExtension, Debug, PartialEq)]
#[extension(name = "com.contoso.Settings")]
struct Settings {
    theme: String,
}

/// A page whose next link is `link`.
fn page(link: &str) -> Answer {
    json(
        "200 OK",
        "",
        &format!(r#"{{"value":[{{"id":"u1"}}],"@odata.nextLink":"{link}"}}"#),
    )
}

#[tokio::test]
async fn a_next_link_to_another_origin_never_gets_the_token() {
    let elsewhere = Server::start(|_, _, _| json("200 OK", "", r#"{"value":[]}"#)).await;
    let evil = elsewhere.addr;
    for link in [
        format!("http://{evil}/v1.0/users?$skiptoken=x"),
        "https://127.0.0.1/v1.0/users".to_owned(),
        "0/v1.0/users".to_owned(),
        ".evil.com/x".to_owned(),
        "//127.0.0.2/v1.0/users".to_owned(),
    ] {
        let l = link.clone();
        let graph = Server::start(move |_, _, _| page(&l)).await;
        let c = client(&graph.root()).build().unwrap();
        let got: Vec<_> = c.users_with_extensions(None).collect().await;
        assert_eq!(got.len(), 2, "{link}: the first user, then an error");
        assert!(got[0].is_ok());
        assert!(
            matches!(
                got[1],
                Err(Error::InvalidUri { .. }) | Err(Error::Transport(_))
            ),
            "{link}: {:?}",
            got[1]
        );
        assert_eq!(
            graph.requests().len(),
            1,
            "{link}: only the first page was asked for"
        );
    }
    assert!(
        elsewhere.requests().is_empty(),
        "the other origin was never contacted"
    );
}

/// `find_definition` for a bare name pages through the owner's definitions under the same guard:
/// two links in turn end it with an error after three requests (the server ends its list after
/// 50, so a reader without the guard finishes with `None` instead of hanging the test).
#[tokio::test]
async fn find_definition_stops_on_next_links_in_turn() {
    #[derive(SchemaExtension, Debug)]
    #[schema(id = "courses", targets(Group))]
    struct Bare {
        course_id: i32,
    }
    let graph = Server::start(|i, _, addr| {
        if i >= 50 {
            return json("200 OK", "", r#"{"value":[]}"#);
        }
        let other = r#"{"id":"extabcdefgh_other","targetTypes":["Group"],"properties":[],"status":"Available","owner":"app"}"#;
        json(
            "200 OK",
            "",
            &format!(
                r#"{{"value":[{other}],"@odata.nextLink":"http://{addr}/v1.0/schemaExtensions?$skiptoken={}"}}"#,
                i % 2
            ),
        )
    })
    .await;
    let c = client(&graph.root()).build().unwrap();
    let got = Bare::find_definition(&c, &extensions_core::schema::Owner::App("app".into())).await;
    assert!(
        matches!(&got, Err(Error::UnexpectedResponse { detail, .. }) if detail.contains("repeats")),
        "{got:?}"
    );
    assert_eq!(graph.requests().len(), 3);
}

#[tokio::test]
async fn a_next_link_that_loops_ends_the_stream() {
    let graph =
        Server::start(|_, _, addr| page(&format!("http://{addr}/v1.0/users?$skiptoken=same")))
            .await;
    let c = client(&graph.root()).build().unwrap();
    let got: Vec<_> = c.users_with_extensions(None).collect().await;
    assert!(
        matches!(got.last(), Some(Err(Error::UnexpectedResponse { .. }))),
        "{got:?}"
    );
    assert_eq!(
        graph.requests().len(),
        2,
        "the first page and the link, once"
    );
    // Empty pages with ever new links stop too, after a bound.
    let graph = Server::start(|i, _, addr| {
        json(
            "200 OK",
            "",
            &format!(
                r#"{{"value":[],"@odata.nextLink":"http://{addr}/v1.0/users?$skiptoken={i}"}}"#
            ),
        )
    })
    .await;
    let c = client(&graph.root()).build().unwrap();
    let got: Vec<_> = c.users_with_extensions(None).collect().await;
    assert_eq!(got.len(), 1);
    assert!(matches!(got[0], Err(Error::UnexpectedResponse { .. })));
    assert_eq!(graph.requests().len(), 100);
}

#[tokio::test]
async fn oversized_and_endless_bodies_are_cut_at_the_limit() {
    let big = Server::start(|_, _, _| {
        json(
            "200 OK",
            "",
            &format!(
                r#"{{"id":"com.contoso.Settings","theme":"{}"}}"#,
                "x".repeat(2 << 20)
            ),
        )
    })
    .await;
    let c = client(&big.root())
        .max_response_bytes(1 << 20)
        .build()
        .unwrap();
    let err = Settings::get(&c, &Resource::me()).await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit } if limit == 1 << 20),
        "{err:?}"
    );
    assert_eq!(big.requests().len(), 1, "not retried");
    let endless = Server::start(|_, _, _| Answer::Endless).await;
    let c = client(&endless.root())
        .max_response_bytes(1 << 20)
        .build()
        .unwrap();
    let err = Settings::get(&c, &Resource::me()).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
}

#[tokio::test]
async fn redirects_to_another_origin_are_not_followed() {
    let elsewhere = Server::start(|_, _, _| {
        json(
            "201 Created",
            "",
            r#"{"id":"com.contoso.Settings","theme":"x"}"#,
        )
    })
    .await;
    let target = format!("http://{}/v1.0/me/extensions", elsewhere.addr);
    let graph = Server::start(move |_, _, _| {
        Answer::Full(format!(
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n"
        ))
    })
    .await;
    let c = client(&graph.root()).build().unwrap();
    let err = Settings {
        theme: "dark".into(),
    }
    .create(&c, &Resource::me())
    .await
    .unwrap_err();
    assert_eq!(
        err.status(),
        Some(http::StatusCode::TEMPORARY_REDIRECT),
        "{err:?}"
    );
    assert!(
        elsewhere.requests().is_empty(),
        "neither the body nor the token left"
    );
}

struct Silent;
impl TokenProvider for Silent {
    fn fetch(&self) -> TokenFuture<'_> {
        Box::pin(std::future::pending())
    }
}

#[tokio::test]
async fn a_token_provider_that_never_answers_fails_the_call_in_time() {
    let graph = Server::start(|_, _, _| json("200 OK", "", "{}")).await;
    let c = GraphClient::builder()
        .base_url(graph.root())
        .token_provider(Silent)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let (a, b) = tokio::join!(
        Settings::get(&c, &Resource::me()),
        Settings::get(&c, &Resource::me())
    );
    for r in [a, b] {
        let err = r.unwrap_err();
        assert!(matches!(err, Error::Token(_)), "{err:?}");
        assert!(err.to_string().contains("did not answer"), "{err}");
    }
    assert!(graph.requests().is_empty());
}

#[tokio::test]
async fn an_absurd_retry_after_does_not_panic_or_hang() {
    let graph = Server::start(|_, _, _| {
        json(
            "429 Too Many Requests",
            "Retry-After: 18446744073709551615\r\n",
            r#"{"error":{"code":"TooManyRequests","message":"x"}}"#,
        )
    })
    .await;
    let c = client(&graph.root())
        .retry(RetryPolicy {
            max_attempts: 3,
            max_elapsed: Duration::from_secs(2),
            base_delay: Duration::from_millis(10),
            max_delay: Duration::MAX,
        })
        .build()
        .unwrap();
    let err = Settings::get(&c, &Resource::me()).await.unwrap_err();
    assert!(matches!(err, Error::Throttled { .. }), "{err:?}");
    assert_eq!(
        graph.requests().len(),
        1,
        "the wait is past the deadline: no retry"
    );
}

#[tokio::test]
async fn credentials_in_the_base_url_are_refused_and_never_printed() {
    let err = GraphClient::builder()
        .base_url("https://user:hunter2@graph.microsoft.com/v1.0")
        .token_provider(StaticToken::new(TOKEN))
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::InvalidBaseUrl { .. }));
    let text = format!("{err} {err:?}");
    assert!(
        !text.contains("hunter2") && !text.contains("user:"),
        "{text}"
    );
    let err = GraphClient::builder()
        .base_url("http://user:hunter2@example.com/v1.0")
        .token_provider(StaticToken::new(TOKEN))
        .build()
        .unwrap_err();
    assert!(!format!("{err} {err:?}").contains("hunter2"));
}

#[tokio::test]
async fn transport_errors_name_the_route_not_the_user() {
    // Nothing listens on this port (bound, then dropped).
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = client(&format!("http://127.0.0.1:{port}/v1.0"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = Settings::get(&c, &Resource::user("adele.vance@contoso.com"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let text = format!("{err} {err:?}");
    assert!(!text.contains("adele"), "{text}");
    assert!(text.contains("/users/{id}/extensions/{name}"), "{text}");
}

#[tokio::test]
async fn a_create_whose_read_back_fails_is_not_sent_again() {
    // The POST is "applied" and its answer lost; the read-back GET gets a 503.
    let graph = Server::start(|i, _, _| match i {
        0 => Answer::Hangup,
        _ => json(
            "503 Service Unavailable",
            "",
            r#"{"error":{"code":"serviceNotAvailable","message":"x"}}"#,
        ),
    })
    .await;
    let c = client(&graph.root()).build().unwrap();
    let err = Settings {
        theme: "dark".into(),
    }
    .create(&c, &Resource::user("u1"))
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let methods: Vec<String> = graph
        .requests()
        .iter()
        .map(|h| h.split(' ').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        methods,
        ["POST", "GET", "GET", "GET"],
        "one create; the read-back retried to the bound; no second create"
    );
}

#[tokio::test]
async fn a_create_inside_a_batch_answered_504_is_not_sent_again() {
    let item_504 =
        r#"{"id":"0","status":504,"body":{"error":{"code":"UnknownError","message":"x"}}}"#;
    let graph = Server::start(move |_, _, _| {
        json("200 OK", "", &format!(r#"{{"responses":[{item_504}]}}"#))
    })
    .await;
    let c = client(&graph.root()).build().unwrap();
    let ops = [Settings {
        theme: "dark".into(),
    }
    .create_op(Resource::user("u1"))];
    let out = c.bulk(&ops).await;
    assert_eq!(
        out[0].as_ref().unwrap_err().status(),
        Some(http::StatusCode::GATEWAY_TIMEOUT)
    );
    assert_eq!(
        graph.requests().len(),
        1,
        "the envelope holding a create was sent once"
    );

    // A GET answered 504 inside a batch is sent again, up to the bound of three attempts; the
    // other item, answered at once, is not.
    let graph = Server::start(move |i, _, _| {
        let body = if i == 0 {
            format!(r#"{{"responses":[{item_504},{{"id":"1","status":200,"body":{{"id":"com.contoso.Settings","theme":"x"}}}}]}}"#)
        } else {
            format!(r#"{{"responses":[{item_504}]}}"#)
        };
        json("200 OK", "", &body)
    })
    .await;
    let c = client(&graph.root()).build().unwrap();
    let gets = [
        Settings::get_op(Resource::user("u2")),
        Settings::get_op(Resource::user("u3")),
    ];
    let out = c.bulk(&gets).await;
    assert_eq!(
        out[0].as_ref().unwrap_err().status(),
        Some(http::StatusCode::GATEWAY_TIMEOUT)
    );
    assert_eq!(
        out[1].as_ref().unwrap().as_ref().map(|s| s.theme.as_str()),
        Some("x")
    );
    assert_eq!(graph.requests().len(), 3);
}

/// A server's answer that echoes the request's headers: as a Graph error message (a gateway
/// quoting its input) or as an HTML page listing them (a proxy's error page).
fn echo(head: &str, form: usize) -> Answer {
    let headers = head.replace("\r\n", "\n");
    match form {
        0 => {
            let message =
                serde_json::to_string(&format!("Invalid request. Headers: {headers}")).unwrap();
            json(
                "400 Bad Request",
                "",
                &format!(r#"{{"error":{{"code":"BadRequest","message":{message}}}}}"#),
            )
        }
        _ => {
            // The headers it got, by name, as a proxy's page may list them.
            let mut lines: Vec<&str> = headers.lines().skip(1).collect();
            lines.sort_unstable();
            let page = format!("<html><pre>{}</pre></html>", lines.join("\n"));
            Answer::Full(format!(
                "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{page}",
                page.len()
            ))
        }
    }
}

#[tokio::test]
async fn a_token_echoed_by_the_server_never_reaches_an_error() {
    for form in [0, 1] {
        let graph = Server::start(move |_, head, _| echo(head, form)).await;
        let c = client(&graph.root()).build().unwrap();
        let err = Settings::get(&c, &Resource::user("u1")).await.unwrap_err();
        let shown = format!("{err}\n{err:?}");
        // The server did receive the token, and did echo it.
        assert!(graph.requests()[0].contains(TOKEN));
        assert!(!shown.contains(TOKEN), "form {form}: {shown}");
        assert!(shown.contains("Bearer [redacted]"), "form {form}: {shown}");
        assert!(
            matches!(err, Error::Graph(ref g) if g.status == 400),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn a_token_echoed_inside_a_batch_answer_never_reaches_an_item_error() {
    // The `$batch` envelope answers 200; its item's error message quotes the token, bare (no
    // `Bearer` before it): the client scrubs the token it sent wherever it appears.
    let graph = Server::start(|_, _, _| {
        let message = format!("token {TOKEN} is not valid for this item");
        json(
            "200 OK",
            "",
            &format!(
                r#"{{"responses":[{{"id":"0","status":403,"body":{{"error":{{"code":"Forbidden","message":"{message}"}}}}}}]}}"#
            ),
        )
    })
    .await;
    let c = client(&graph.root()).build().unwrap();
    let name = extensions_core::ExtensionName::from_static("com.contoso.Settings");
    let ops = vec![extensions_core::op::Delete::new(
        Resource::user("u1"),
        &name,
    )];
    let results = c.bulk(&ops).await;
    let err = results[0].as_ref().unwrap_err();
    let shown = format!("{err}\n{err:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("token [redacted] is not valid"), "{shown}");
}
