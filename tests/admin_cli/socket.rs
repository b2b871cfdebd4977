//! The admin socket itself: mode 0600; oversized, malformed and unknown requests refused with
//! nothing run; a fifth connection refused while four are open; another user refused (by the
//! file mode, and by the peer check when the mode would let them in); removed at shutdown and a
//! stale one replaced at start; a running server whose socket does not answer said so; a
//! socket path too long for a Unix socket refused in the settings.

use crate::common::Instance;
use crate::run::{admin, run_binary, settings_file, socket_of};
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;

/// Sends raw bytes on the socket (write errors ignored: the server may close early) and
/// answers the parsed response line.
async fn raw(socket: &Path, bytes: &[u8]) -> Value {
    let mut s = UnixStream::connect(socket).await.expect("connect");
    let _ = s.write_all(bytes).await;
    let _ = s.shutdown().await;
    // Read what arrives until the end (or a reset: the server may close without reading all).
    let (mut answer, mut chunk) = (Vec::new(), [0u8; 4096]);
    while let Ok(n @ 1..) = s.read(&mut chunk).await {
        answer.extend_from_slice(&chunk[..n]);
    }
    let answer = String::from_utf8_lossy(&answer);
    serde_json::from_str(answer.trim_end()).unwrap_or_else(|_| panic!("an answer: {answer:?}"))
}

fn refused(answer: &Value, text: &str) {
    assert_eq!(answer["status"], 2, "{answer}");
    let output = answer["output"].as_str().unwrap();
    assert!(output.contains(text), "{text:?} not in {output:?}");
}

#[tokio::test]
async fn the_socket_refuses_what_it_must() {
    let mut a = Instance::start("a", "").await;
    a.register("bob").await;
    let socket = socket_of(&a);
    let mode = std::fs::metadata(&socket).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    let mut big = vec![b'a'; 70 * 1024];
    big.push(b'\n');
    refused(&raw(&socket, &big).await, "larger than 64 KiB");
    refused(&raw(&socket, b"{not json\n").await, "malformed request");
    refused(
        &raw(&socket, b"{\"argv\":[\"list-accounts\"]}\n").await,
        "malformed",
    );
    let unknown = br#"{"argv":["frobnicate"],"cwd":"/","password":null}"#;
    refused(
        &raw(&socket, &[&unknown[..], b"\n"].concat()).await,
        "frobnicate",
    );
    let reset = br#"{"argv":["reset-password","bob"],"cwd":"/","password":null}"#;
    refused(
        &raw(&socket, &[&reset[..], b"\n"].concat()).await,
        "needs a password",
    );
    assert_eq!(
        a.try_login("bob", "correct horse").await.0,
        200,
        "nothing changed"
    );
    let ok = br#"{"argv":["list-accounts","--json"],"cwd":"/","password":null}"#;
    let answer = raw(&socket, &[&ok[..], b"\n"].concat()).await;
    assert_eq!(answer["status"], 0, "{answer}");

    at_most_four_connections(&socket).await;
    other_users_are_refused(&a).await;
    restarts_and_stale_sockets(&mut a).await;
}

/// Four connections sending nothing hold every slot: a fifth is answered "busy" at once.
async fn at_most_four_connections(socket: &Path) {
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(UnixStream::connect(socket).await.unwrap());
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let answer = tokio::time::timeout(std::time::Duration::from_secs(5), raw(socket, b"\n"))
        .await
        .expect("answered at once");
    refused(&answer, "busy");
    drop(idle);
    // The four are answered (their request is empty) and their slots freed.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
}

/// The client run as nobody: refused by the socket's mode, and by the peer check once the mode
/// would let it in.
async fn other_users_are_refused(a: &Instance) {
    let setpriv = [
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
    ];
    let usable = std::process::Command::new(setpriv[0])
        .args(&setpriv[1..])
        .args([env!("CARGO_BIN_EXE_orchard"), "--version"])
        .output();
    match usable {
        Ok(out) if out.status.success() => {}
        other => {
            println!("skipped: setpriv cannot run orchard as uid 65534 here: {other:?}");
            return;
        }
    }
    let shared = tempfile::tempdir().unwrap();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let settings = shared.path().join("settings.toml");
    std::fs::copy(settings_file(a), &settings).unwrap();
    std::fs::set_permissions(&settings, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(a.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let as_nobody = |args: &'static [&'static str]| {
        let (settings, cwd) = (settings.clone(), shared.path().to_path_buf());
        async move { run_binary(Some(&setpriv[..]), &cwd, &settings, args, None).await }
    };
    let ran = as_nobody(&["list-accounts"]).await;
    ran.fails(2, "Permission denied");
    assert!(!ran.stdout.contains("bob"), "{ran:?}");
    let socket = socket_of(a);
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o666)).unwrap();
    let ran = as_nobody(&["grant", "bob"]).await;
    ran.fails(2, "not uid 65534");
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::set_permissions(a.dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let table = admin(a, &["list-accounts"], None).await.ok();
    let line = table.lines().find(|l| l.starts_with("bob")).unwrap();
    assert!(
        !line.contains("admin"),
        "nobody's grant did not happen: {line}"
    );
}

/// Removed at shutdown, a stale one replaced at start, a socket that does not answer.
async fn restarts_and_stale_sockets(a: &mut Instance) {
    let socket = socket_of(a);
    a.stop().await;
    assert!(!socket.exists(), "removed at shutdown");
    drop(std::os::unix::net::UnixListener::bind(&socket).unwrap());
    assert!(socket.exists(), "a stale socket, as a crash leaves it");
    admin(a, &["list-accounts"], None).await.ok();
    a.restart().await;
    // The store is locked by the server: only the new socket can answer.
    assert!(admin(a, &["list-accounts"], None)
        .await
        .ok()
        .contains("bob"));

    std::fs::remove_file(&socket).unwrap();
    let ran = admin(a, &["list-accounts"], None).await;
    ran.fails(2, "is running but its admin socket");
    assert!(ran.stderr.contains("does not answer"), "{ran:?}");

    let long = format!("[admin]\nsocket = \"/tmp/{}.sock\"\n", "s".repeat(110));
    let settings = a.dir.path().join("long.toml");
    let text = std::fs::read_to_string(settings_file(a)).unwrap() + &long;
    std::fs::write(&settings, text).unwrap();
    let ran = run_binary(None, a.dir.path(), &settings, &["list-accounts"], None).await;
    ran.fails(2, "admin.socket");
    assert!(ran.stderr.contains("107"), "{ran:?}");
}
