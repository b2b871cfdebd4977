//! Hostile and missing names: each a 400 (malformed) or a 404 (well-formed, not there) with a
//! JSON reason, never a file outside the repository (`..` is sent percent-encoded: an HTTP
//! client resolves a literal one before sending).

use super::calls::get;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends `GET <path>` as written (no URL normalisation: an HTTP client would resolve `..`
/// before sending); the status and the body.
async fn raw_get(api: &str, path: &str) -> (u16, String) {
    let url = url::Url::parse(api).unwrap();
    let addr = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let request = format!(
        "GET {}{path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n",
        url.path()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

/// Dot segments that reach the server as they are, raw and percent-encoded.
pub async fn dot_segments(api: &str) {
    for path in [
        "/tree/main/../../../etc",
        "/blob/main/src/%2e%2e/%2e%2e/x",
        "/raw/main/src/..%2f..%2fx",
    ] {
        let (s, answer) = raw_get(api, path).await;
        assert!(s == 400 || s == 404, "{path}: {answer}");
        assert!(
            !answer.contains("root:"),
            "{path}: nothing outside the repository"
        );
    }
}

pub async fn refused(api: &str) {
    let long = "a".repeat(2000);
    let cases: Vec<(String, u16)> = vec![
        (format!("{api}/blob/main/src/lib.rs%00"), 400),
        (format!("{api}/blob/main/{long}"), 400),
        (format!("{api}/tree/a..b"), 400),
        (format!("{api}/tree/x~1"), 400),
        (format!("{api}/tree/@%7B-1%7D"), 400),
        (format!("{api}/commits?ref=main~1"), 400),
        (format!("{api}/commits?ref=main&path=../x"), 400),
        (format!("{api}/commits?cursor=nonsense"), 400),
        (
            format!("{api}/commits?cursor={0}.{0}", "ab".repeat(20)),
            400,
        ),
        (format!("{api}/commits?limit=lots"), 400),
        (format!("{api}/tree/nope"), 404),
        (format!("{api}/commits?ref=nope"), 404),
        (format!("{api}/tree/main/missing"), 404),
        (format!("{api}/tree/main/src/lib.rs"), 404),
        (format!("{api}/blob/main/src"), 404),
        (format!("{api}/blob/main/src/lib.rs/x"), 404),
        (format!("{api}/raw/main/nothing"), 404),
        (format!("{api}/tree/{}", "0".repeat(40)), 404),
        (api.replace("/browsed", "/nosuchrepo") + "/refs", 404),
    ];
    for (url, status) in cases {
        let (s, body) = get(&url).await;
        assert_eq!(s, status, "{url}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{url}: a reason: {body}"
        );
    }
}
