use super::*;
use crate::StaticToken;

/// What `url_for` gave before it resolved against the parsed root: the root's text and the
/// request's path and query, parsed whole, then the same origin check.
fn by_text(root: &str, uri: &http::Uri) -> Option<reqwest::Url> {
    let origin = reqwest::Url::parse(root).unwrap();
    let text = match uri.path_and_query() {
        Some(pq) if uri.scheme().is_none() => format!("{root}{pq}"),
        _ => uri.to_string(),
    };
    let url = reqwest::Url::parse(&text).ok()?;
    (url.scheme() == origin.scheme()
        && url.host() == origin.host()
        && url.port_or_known_default() == origin.port_or_known_default())
    .then_some(url)
}

#[test]
fn url_for_resolves_as_the_whole_text_would() {
    let roots = [
        "http://127.0.0.1:8080/v1.0",
        "http://127.0.0.1:8080",
        "http://LOCALHOST:80/beta/",
        "http://[::1]:9/a/b",
    ];
    let uris = [
        "/users/u0/extensions/com.contoso.a",
        "/users/a%20b%2Fc/extensions",
        "/users?$top=5&$filter=id%20eq%20'x'",
        "/users/u0/../../x",
        "/users/%2E%2E/x",
        "/",
        "//evil.example/x",
        "/%2F%2Fevil.example",
        "/users/caf%C3%A9#frag",
        "http://127.0.0.1:8080/v1.0/users?$skiptoken=1",
        "http://localhost/beta/users",
        "https://evil.example/v1.0/users",
    ];
    for root in roots {
        let client = GraphClient::builder()
            .token_provider(StaticToken::new("t"))
            .base_url(root)
            .build()
            .unwrap();
        let trimmed = root.trim_end_matches('/');
        for uri in uris {
            let Ok(parsed) = http::Uri::try_from(uri) else {
                continue;
            };
            let mut request = http::Request::new(bytes::Bytes::new());
            *request.uri_mut() = parsed.clone();
            let ours = client.url_for(&request).ok();
            assert_eq!(ours, by_text(trimmed, &parsed), "root {root}, uri {uri}");
        }
    }
}

#[test]
fn url_for_refuses_a_relative_uri_without_a_slash_and_other_origins() {
    let client = GraphClient::builder()
        .token_provider(StaticToken::new("t"))
        .base_url("http://127.0.0.1:8080/v1.0")
        .build()
        .unwrap();
    let request = |uri: &str| {
        let mut r = http::Request::new(bytes::Bytes::new());
        *r.uri_mut() = http::Uri::try_from(uri).unwrap();
        r
    };
    let e = client.url_for(&request("*")).unwrap_err();
    assert!(e.contains("must start with `/`"), "{e}");
    let e = client
        .url_for(&request("http://127.0.0.1:8081/v1.0/users"))
        .unwrap_err();
    assert!(e.contains("another origin"), "{e}");
    let ok = client.url_for(&request("/users/u0")).unwrap();
    assert_eq!(ok.as_str(), "http://127.0.0.1:8080/v1.0/users/u0");
}
