//! Tests of `fetch`.
use super::*;
use crate::federation::signature::prepare_verify;
use serde_json::json;
use std::sync::OnceLock;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn key() -> actors::KeyPair {
    static KEY: OnceLock<actors::KeyPair> = OnceLock::new();
    KEY.get_or_init(|| actors::KeyPair::generate().unwrap())
        .clone()
}

fn fetcher(allow_private: bool) -> Fetcher {
    let key_id = Url::parse("https://orchard.example/actor#main-key").unwrap();
    Fetcher::new(key(), key_id, allow_private).unwrap()
}

/// What the test server answers for a path: status, extra headers, body, whether to send
/// a Content-Length.
fn route(base: &str, path: &str) -> (u16, String, Vec<u8>, bool) {
    let doc = |id: &str, extra: Value| {
        let mut doc = json!({"id": format!("{base}{id}"), "type": "Person"});
        doc.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        (200, String::new(), doc.to_string().into_bytes(), true)
    };
    let key = |id: &str, owner: &str| json!({"id": format!("{base}{id}"), "owner": format!("{base}{owner}"), "publicKeyPem": "PEM"});
    let redirect = |to: &str| (302, format!("location: {to}\r\n"), Vec::new(), true);
    match path {
        "/people/a" => doc(
            "/people/a",
            json!({"publicKey": key("/people/a#main-key", "/people/a")}),
        ),
        "/people/k" => doc(
            "/people/k",
            json!({"publicKey": [format!("{base}/keys/1")]}),
        ),
        "/keys/1" => (
            200,
            String::new(),
            key("/keys/1", "/people/k").to_string().into_bytes(),
            true,
        ),
        "/keys/2" => (
            200,
            String::new(),
            key("/keys/2", "/people/a").to_string().into_bytes(),
            true,
        ),
        "/wrong" => doc("/people/a", json!({})),
        "/big" | "/big-stream" => (
            200,
            String::new(),
            vec![b' '; MAX_DOCUMENT + 1],
            path == "/big",
        ),
        "/notjson" => (200, String::new(), b"<html>".to_vec(), true),
        "/once" => redirect("/once-target"),
        "/once-target" => doc("/once", json!({})),
        "/twice" => redirect("/once"),
        _ => (404, String::new(), Vec::new(), true),
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1:0 serving `route`; it answers 401 to any request
/// whose signature does not verify with the instance key. Returns its base URL.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let served = base.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let base = served.clone();
            tokio::spawn(async move {
                let (mut request, mut buf) = (Vec::new(), [0u8; 4096]);
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let text = String::from_utf8(request).unwrap();
                let mut lines = text.split("\r\n");
                let path = lines.next().unwrap().split(' ').nth(1).unwrap().to_owned();
                let headers: Vec<(String, String)> = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
                    .collect();
                assert!(headers.iter().any(|(n, v)| n == "accept" && v == ACCEPT_AP));
                let signed =
                    prepare_verify("GET", &path, &headers, false, Duration::from_secs(300))
                        .is_ok_and(|p| p.verify(key().public_pem()));
                let (status, extra, body, length) = match signed {
                    true => route(&base, &path),
                    false => (401, String::new(), Vec::new(), true),
                };
                let length = match length {
                    true => format!("content-length: {}\r\n", body.len()),
                    false => String::new(),
                };
                let head =
                    format!("HTTP/1.1 {status} X\r\nconnection: close\r\n{length}{extra}\r\n");
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(&body).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    base
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn remote(r: Result<Value, Error>) -> String {
    match r {
        Err(Error::Remote(m)) => m,
        other => panic!("expected a remote error, got {other:?}"),
    }
}

#[tokio::test]
async fn destinations() {
    let strict = fetcher(false);
    for bad in [
        "http://127.0.0.1/",
        "http://10.1.2.3/x",
        "http://[::1]:8080/",
        "https://192.168.1.1/",
        "http://localhost/",
        "http://[::ffff:127.0.0.1]/",
        "http://0x7f.1/",
        "http://100.64.0.1/",
        "http://[fd00::1]/",
        "http://169.254.169.254/",
    ] {
        let r = strict.check_destination(&url(bad)).await;
        assert!(
            matches!(&r, Err(Error::Forbidden(m)) if m.starts_with("refusing to contact private address")),
            "{bad}: {r:?}"
        );
    }
    for bad in ["file:///etc/passwd", "ftp://x/"] {
        for f in [&strict, &fetcher(true)] {
            assert!(
                matches!(
                    f.check_destination(&url(bad)).await,
                    Err(Error::Forbidden(_))
                ),
                "{bad}"
            );
        }
    }
    assert!(fetcher(true)
        .check_destination(&url("http://127.0.0.1:8080/"))
        .await
        .is_ok());
    assert!(strict
        .check_destination(&url("https://93.184.216.34/"))
        .await
        .is_ok());
    let media_types = format!(
        "{}, {}",
        schema::context::ACTIVITY_JSON,
        schema::context::LD_JSON_AS
    );
    assert_eq!(ACCEPT_AP, media_types);
    assert!(is_public_address("2606:4700::1111".parse().unwrap()));
    assert!(!is_public_address("2002:c0a8:101::1".parse().unwrap()));
    assert!(!is_public_address("64:ff9b::a00:1".parse().unwrap()));
    assert!(!is_public_address("2001:db8::1".parse().unwrap()));
    assert!(!is_public_address("198.18.0.1".parse().unwrap()));
    assert!(fetcher(false)
        .check_destination(&url(&serve().await))
        .await
        .is_err());
}

#[tokio::test]
async fn fetch_json_checks_ids_sizes_and_redirects() {
    let base = serve().await;
    let f = fetcher(true);
    // Signed (the server answers 401 otherwise), fragment dropped, id checked.
    let doc = f
        .fetch_json(&url(&format!("{base}/people/a#main-key")))
        .await
        .unwrap();
    assert_eq!(doc["id"], format!("{base}/people/a"));
    let m = remote(f.fetch_json(&url(&format!("{base}/wrong"))).await);
    assert_eq!(
        m,
        format!("fetched document id \"{base}/people/a\" does not match {base}/wrong")
    );
    assert_eq!(
        remote(f.fetch_json(&url(&format!("{base}/big"))).await),
        "document larger than 1 MiB"
    );
    assert_eq!(
        remote(f.fetch_json(&url(&format!("{base}/big-stream"))).await),
        "document larger than 1 MiB"
    );
    assert!(remote(f.fetch_json(&url(&format!("{base}/notjson"))).await)
        .contains("did not return a JSON document"));
    assert!(
        remote(f.fetch_json(&url(&format!("{base}/gone"))).await).ends_with("HTTP 404 Not Found")
    );
    let doc = f.fetch_json(&url(&format!("{base}/once"))).await.unwrap();
    assert_eq!(doc["id"], format!("{base}/once"));
    assert!(remote(f.fetch_json(&url(&format!("{base}/twice"))).await)
        .contains("redirected more than once"));
}

#[tokio::test]
async fn fetches_are_signed_and_rebinding_is_refused() {
    use reqwest::dns::Resolve;
    let base = serve().await;
    let key_id = url("https://orchard.example/actor#main-key");
    let stranger = Fetcher::new(actors::KeyPair::generate().unwrap(), key_id, true).unwrap();
    let m = remote(stranger.fetch_json(&url(&format!("{base}/people/a"))).await);
    assert!(m.ends_with("HTTP 401 Unauthorized"), "{m}");
    let resolved = PublicOnlyResolver
        .resolve("localhost".parse().unwrap())
        .await;
    assert!(resolved.is_err());
}

#[tokio::test]
async fn fetch_key_follows_owners() {
    let base = serve().await;
    let f = fetcher(true);
    let key = f
        .fetch_key(&url(&format!("{base}/people/a#main-key")))
        .await
        .unwrap();
    assert_eq!(key.owner, url(&format!("{base}/people/a")));
    let key = f.fetch_key(&url(&format!("{base}/keys/1"))).await.unwrap();
    assert_eq!(key.owner, url(&format!("{base}/people/k")));
    let refused = |r: Result<PublicKey, Error>| match r {
        Err(Error::Signature(m)) => m,
        other => panic!("{other:?}"),
    };
    assert!(refused(f.fetch_key(&url(&format!("{base}/keys/2"))).await)
        .contains("is not listed by its owner"));
    assert!(
        refused(f.fetch_key(&url(&format!("{base}/people/a#other"))).await)
            .starts_with("fetched document has no key with id")
    );
}
