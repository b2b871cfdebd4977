//! Smart-HTTP clones with bounded resources: 4 parallel clones of a 64 MiB repository of
//! incompressible blobs leave the server's memory (this test process: the server runs in it)
//! far below the repository's size, because git's output is streamed; and beyond
//! `[http] max_concurrent_clones` a request waits for a slot (`clone_wait_secs`), is answered
//! 503 with Retry-After when none frees up, and a clone works once one does.

mod common;

use common::forge::with_repo_in;
use common::git::{git_in, ok, rev};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

const SLOTS: usize = 4;
const BLOBS: usize = 64;
const BLOB: usize = 1024 * 1024;

fn settings() -> String {
    format!("[http]\nmax_concurrent_clones = {SLOTS}\nclone_wait_secs = 2\n")
}

/// Writes a commit of `BLOBS` random blobs of `BLOB` bytes to `main` of the bare repository
/// `bare` with `git fast-import`.
fn fill_with_random_blobs(bare: &Path) {
    let mut import = Command::new("git")
        // Random blobs do not compress: storing them as they are saves time on both sides.
        .args(["-c", "core.compression=0", "-c", "pack.compression=0"])
        .args(["fast-import", "--quiet"])
        .env("GIT_DIR", bare)
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import runs");
    let mut input = import.stdin.take().unwrap();
    let mut random = std::fs::File::open("/dev/urandom").unwrap();
    let mut blob = vec![0u8; BLOB];
    for i in 1..=BLOBS {
        random.read_exact(&mut blob).unwrap();
        write!(input, "blob\nmark :{i}\ndata {BLOB}\n").unwrap();
        input.write_all(&blob).unwrap();
        input.write_all(b"\n").unwrap();
    }
    let message = "random blobs";
    write!(
        input,
        "commit refs/heads/main\ncommitter Test <test@example.org> 1700000000 +0000\ndata {}\n{message}\n",
        message.len()
    )
    .unwrap();
    for i in 1..=BLOBS {
        writeln!(input, "M 100644 :{i} blob{i}.bin").unwrap();
    }
    drop(input);
    assert!(import.wait().unwrap().success(), "fast-import failed");
    // No delta search among random blobs when packing for a clone (it would find nothing and
    // only cost CPU on this shared machine).
    ok(git_in(bare, &["config", "pack.window", "0"], None));
}

/// This process's resident memory, in bytes.
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

/// A raw protocol-v0 `git-upload-pack` request for `want` that reads only the start of the
/// answer and then nothing: it holds a clone slot until the socket is closed. Answers the
/// socket and the status line.
fn stalled_clone(port: u16, want: &str) -> (std::net::TcpStream, String) {
    let body = format!("0032want {want}\n00000009done\n");
    let mut socket = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        socket,
        "POST /repos/big/git-upload-pack HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-git-upload-pack-request\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = [0u8; 12];
    socket.read_exact(&mut head).unwrap();
    (socket, String::from_utf8_lossy(&head).to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clones_are_streamed_and_bounded() {
    let (w, _alice, repo) = with_repo_in("Big", &settings()).await;
    let bare = w.a.data_dir().join("repos/big.git");
    fill_with_random_blobs(&bare);
    let size: u64 = BLOBS as u64 * BLOB as u64;
    let head = rev(&bare, "main");

    // 4 clones at once, while this process's memory is sampled.
    let tmp = tempfile::tempdir().unwrap();
    let before = rss();
    let peak = clones_at_once(tmp.path(), &repo, &head);
    let growth = peak.saturating_sub(before);
    assert!(
        growth < size / 2,
        "4 clones of a {} MiB repository grew the server by {} MiB",
        size >> 20,
        growth >> 20
    );

    // Every slot held by a client that stopped reading: a further request waits
    // clone_wait_secs, then gets 503 with Retry-After.
    let holders: Vec<_> = (0..SLOTS).map(|_| stalled_clone(w.a.port, &head)).collect();
    for (_, status) in &holders {
        assert_eq!(status, "HTTP/1.1 200", "a holder is served");
    }
    let busy = common::client()
        .get(w.a.at("/repos/big/info/refs?service=git-upload-pack"))
        .send()
        .await
        .unwrap();
    assert_eq!(busy.status(), 503);
    assert!(busy.headers().get("retry-after").is_some());
    let body: serde_json::Value = busy.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("too many clones"));

    // A clone started now waits; once the holders go away, it gets a slot and works.
    let (dir, url) = (tmp.path().to_path_buf(), repo.clone());
    let waiting =
        std::thread::spawn(move || git_in(&dir, &["clone", "-q", "--bare", &url, "late"], None));
    std::thread::sleep(Duration::from_millis(500));
    drop(holders);
    ok(waiting.join().unwrap());
    assert_eq!(rev(&tmp.path().join("late"), "main"), head);
}

/// SLOTS bare clones of `repo` into `tmp` at once, each with `head`, while this process's memory
/// is sampled every 20 ms; answers the peak RSS seen.
fn clones_at_once(tmp: &std::path::Path, repo: &str, head: &str) -> u64 {
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while sampling.load(Ordering::Relaxed) {
                peak = peak.max(rss());
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        })
    };
    let clones: Vec<_> = (0..SLOTS)
        .map(|i| {
            let (dir, url) = (tmp.to_path_buf(), repo.to_string());
            std::thread::spawn(move || {
                git_in(
                    &dir,
                    &["clone", "-q", "--bare", &url, &format!("c{i}")],
                    None,
                )
            })
        })
        .collect();
    for c in clones {
        ok(c.join().unwrap());
    }
    sampling.store(false, Ordering::Relaxed);
    let peak = sampler.join().unwrap();
    for i in 0..SLOTS {
        assert_eq!(rev(&tmp.join(format!("c{i}")), "main"), head);
    }
    peak
}
