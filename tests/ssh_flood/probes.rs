//! The flood's tools: the limits, silent connections from a chosen source address, what the
//! server answers them (admitted, refused, closed), floods kept up in the background, and a
//! git push made while one runs.

use crate::common::git::{git_in, ok, rev, GitUser};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;
use tokio::net::{TcpSocket, TcpStream};
use tokio::task::JoinHandle;

/// The pre-authentication deadline (`auth_timeout_secs`).
pub const DEADLINE: Duration = Duration::from_secs(5);
/// `max_unauthenticated_per_ip`.
pub const PER_IP: usize = 8;
/// `max_unauthenticated`.
pub const TOTAL: usize = 16;

/// The `[ssh]` section with these limits.
pub fn limits() -> String {
    format!(
        "[ssh]\nauth_timeout_secs = {}\nmax_unauthenticated = {TOTAL}\nmax_unauthenticated_per_ip = {PER_IP}\n",
        DEADLINE.as_secs()
    )
}

/// A TCP connection to the SSH port from source address `from`.
pub async fn connect_from(from: &str, port: u16) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket
        .connect(([127, 0, 0, 1], port).into())
        .await
        .expect("the kernel accepts the connection")
}

/// Reads what the server sends within `wait`: Some(true) for its version line (admitted),
/// Some(false) when it closes the connection without a word (refused), None for silence.
pub async fn admitted(stream: &mut TcpStream, wait: Duration) -> Option<bool> {
    let mut buf = [0u8; 256];
    match tokio::time::timeout(wait, stream.read(&mut buf)).await {
        Ok(Ok(0)) | Ok(Err(_)) => Some(false),
        Ok(Ok(n)) => {
            assert!(buf[..n].starts_with(b"SSH-2.0-"), "an SSH version line");
            Some(true)
        }
        Err(_) => None,
    }
}

/// Waits until the server closes `stream` (reading and discarding), at most `wait`.
pub async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let read_to_end = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(wait, read_to_end).await.is_ok()
}

/// Opens `n` silent connections from `from`; answers the admitted ones (with when each was
/// opened) and how many were closed at once.
pub async fn flood(from: &str, port: u16, n: usize) -> (Vec<(TcpStream, Instant)>, usize) {
    let mut opened = Vec::new();
    for _ in 0..n {
        opened.push((connect_from(from, port).await, Instant::now()));
    }
    let (mut held, mut refused) = (Vec::new(), 0);
    for (mut stream, at) in opened {
        match admitted(&mut stream, Duration::from_secs(10)).await {
            Some(true) => held.push((stream, at)),
            Some(false) => refused += 1,
            None => panic!("the server neither answered nor closed a connection"),
        }
    }
    (held, refused)
}

/// Keeps opening silent connections from `from` (10 every 100 ms, all kept open) until `stop`.
pub fn keep_flooding(
    from: &'static str,
    port: u16,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<usize> {
    tokio::spawn(async move {
        let mut kept = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            for _ in 0..10 {
                kept.push(connect_from(from, port).await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        kept.len()
    })
}

/// Flooders from `from` (each opening one connection every 20 ms and keeping its latest
/// `keep`, so the client side holds few sockets) until `stop`; answers how many were opened.
pub fn keep_flooding_from(
    from: Vec<String>,
    port: u16,
    keep: usize,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<usize> {
    tokio::spawn(async move {
        let mut kept = std::collections::VecDeque::new();
        let mut opened = 0;
        while !stop.load(Ordering::Relaxed) {
            for addr in &from {
                kept.push_back(connect_from(addr, port).await);
                opened += 1;
                if kept.len() > keep * from.len() {
                    kept.pop_front();
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        opened
    })
}

/// alice pushes `src` to `path` from 127.0.0.1 (git on a blocking thread) while `flooder`
/// runs; then stops the flood. The push succeeded, the flood opened at least `min_flood`
/// connections meanwhile, and the push landed.
pub async fn push_during(
    alice: &GitUser,
    tmp: &Path,
    src: &Path,
    path: &str,
    (stop, flooder): (Arc<AtomicBool>, JoinHandle<usize>),
    min_flood: usize,
) {
    let (dir, url, ssh) = (src.to_path_buf(), alice.url(path), alice.ssh_command());
    let pushed =
        tokio::task::spawn_blocking(move || git_in(&dir, &["push", &url, "main"], Some(&ssh)))
            .await
            .unwrap();
    stop.store(true, Ordering::Relaxed);
    let flood_size = flooder.await.unwrap();
    ok(pushed);
    assert!(flood_size >= min_flood, "the flood went on during the push");
    let remote = ok(alice.git(tmp, &["ls-remote", &alice.url(path), "main"]));
    assert!(
        remote.starts_with(&rev(src, "HEAD")),
        "the push landed: {remote}"
    );
}
