//! `GET /readyz` answers 503 with the reason while the SSH server does not listen: an instance
//! given an SSH socket that is bound but was never put to listening (what a failed SSH listener
//! leaves), while `/healthz` still answers 200.

use crate::common::settings_text;
use orchard::{Listeners, RunningServer, Settings};
use std::net::{SocketAddr, TcpListener};

/// A TCP socket bound to a free loopback port that does not listen.
fn bound_not_listening() -> TcpListener {
    let socket =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    socket.bind(&addr.into()).expect("bind");
    socket.into()
}

#[tokio::test]
async fn readyz_is_503_while_ssh_does_not_listen() {
    let dir = tempfile::tempdir().unwrap();
    let http = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = http.local_addr().unwrap().port();
    let ssh = bound_not_listening();
    let ssh_port = ssh.local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let text = settings_text(&url, port, ssh_port, dir.path(), "");
    let settings = Settings::parse(&text, "readyz.toml").unwrap();
    let server = tokio::task::spawn_blocking(move || {
        RunningServer::spawn(settings, Listeners { http, ssh })
    })
    .await
    .unwrap()
    .expect("the server starts");
    let client = crate::common::client();
    let res = client.get(format!("{url}/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    assert!(res.headers().get("retry-after").is_some());
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "unavailable", "{body}");
    let reason = body["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("SSH"), "{body}");
    let alive = client.get(format!("{url}/healthz")).send().await.unwrap();
    assert_eq!(alive.status(), 200, "alive, though not ready");
    tokio::task::spawn_blocking(move || server.stop())
        .await
        .unwrap()
        .expect("stops");
}
