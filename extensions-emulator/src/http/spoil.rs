//! Answers spoiled on purpose (fault injection), and request handling without a socket (for the
//! fuzz targets).

use super::*;

/// `reply`, spoiled as `how` says.
pub(super) fn garbled(reply: Reply, how: crate::config::Garble) -> Response {
    use crate::config::Garble;
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let text = reply.body.map(|b| b.to_string()).unwrap_or_default();
    let (content_type, body, length) = match how {
        Garble::MalformedJson => {
            let mut half = text.len() / 2;
            while !text.is_char_boundary(half) {
                half -= 1;
            }
            let cut = text[..half].to_owned();
            let n = cut.len();
            ("application/json", Body::from(cut), n)
        }
        Garble::WrongContentType => {
            let page = "<html><body><h1>502 Bad Gateway</h1></body></html>".to_owned();
            let n = page.len();
            ("text/html", Body::from(page), n)
        }
        Garble::TruncatedBody => {
            // Announce the whole body, send half, then fail the stream: hyper closes the
            // connection mid-body.
            let half = text.as_bytes()[..text.len() / 2].to_vec();
            let n = text.len();
            let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
                Ok(Bytes::from(half)),
                Err(std::io::Error::other("truncated by fault injection")),
            ];
            (
                "application/json",
                Body::from_stream(futures_util::stream::iter(chunks)),
                n,
            )
        }
    };
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert("content-type", HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::try_from(length.to_string()) {
        resp.headers_mut().insert("content-length", v);
    }
    resp
}

/// One request against a fresh, small tenant, without a socket: what the `emulator_request`
/// fuzz target drives. Returns the status (0 when the method or URI does not parse).
pub(crate) fn fuzz_handle(method: &str, uri: &str, body: &[u8]) -> u16 {
    let Ok(method) = Method::from_bytes(method.as_bytes()) else {
        return 0;
    };
    let Ok(uri) = uri.parse::<Uri>() else {
        return 0;
    };
    let config = EmulatorConfig {
        seed: Seed::new()
            .users(3)
            .message("u0", "m0")
            .todo_task("u0", "L0", "T0")
            .group_post("g0", "t0", "p0"),
        ..EmulatorConfig::default()
    };
    let Ok(shared) = Shared::new(config) else {
        return 0;
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        "authorization",
        HeaderValue::from_static("Bearer emulator-token"),
    );
    let ids = Ids {
        request_id: "fuzz".into(),
        client_request_id: None,
    };
    handle_top(
        &shared,
        &method,
        &uri,
        &headers,
        &Bytes::copy_from_slice(body),
        &ids,
        &mut Trace::default(),
    )
    .status
}
