//! Storage faults (issue 13, items 19 and 20): a damaged database is refused at start (exit
//! status 2, a message naming the path and what to do), a fresh one starts, and leftovers of a
//! push killed by a crash are cleaned at start.

mod common;

use common::Instance;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Damages `<data>/db/db` one way.
fn damage(data: &Path, how: &str) {
    let file = data.join("db").join("db");
    let len = std::fs::metadata(&file).unwrap().len();
    let open = || std::fs::OpenOptions::new().write(true).open(&file).unwrap();
    let scribble = |at: u64| {
        let mut f = open();
        f.seek(SeekFrom::Start(at)).unwrap();
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(13);
        let mut noise = vec![0u8; 4096];
        rand::RngCore::fill_bytes(&mut rng, &mut noise);
        f.write_all(&noise).unwrap();
        f.sync_all().unwrap();
    };
    match how {
        "truncated to 50 %" => open().set_len(len / 2).unwrap(),
        "truncated to 90 %" => open().set_len(len * 9 / 10).unwrap(),
        "truncated to 0 bytes" => open().set_len(0).unwrap(),
        "4 KiB of noise inside" => scribble(len * 2 / 5),
        "4 KiB of noise at the start" => scribble(0),
        "data file deleted" => std::fs::remove_file(&file).unwrap(),
        other => panic!("unknown damage {other}"),
    }
}

/// Runs `orchard serve` on `data`; answers (exit status, stderr). It must not start serving.
fn serve(data: &Path) -> (Option<i32>, String) {
    let settings = data.join("settings.toml");
    let text = common::settings_text("http://127.0.0.1:9", 0, 0, data, "");
    std::fs::write(&settings, text).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_orchard"))
        .args(["serve", "--settings"])
        .arg(&settings)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A server that starts keeps running: after a generous while it is stopped and reported.
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
    }
    (status, stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_database_is_refused_with_exit_status_2_and_what_to_do() {
    let mut a = Instance::start("a", "").await;
    for name in ["alice", "bob", "carol"] {
        a.register(name).await;
    }
    a.stop().await;
    let damages = [
        "truncated to 50 %",
        "truncated to 90 %",
        "truncated to 0 bytes",
        "4 KiB of noise inside",
        "4 KiB of noise at the start",
        "data file deleted",
    ];
    let work = tempfile::tempdir().unwrap();
    for how in damages {
        let data: PathBuf = work.path().join(how.replace([' ', '%'], "_"));
        copy_dir(&a.data_dir(), &data);
        damage(&data, how);
        let (status, stderr) = serve(&data);
        let db = data.join("db").display().to_string();
        assert_eq!(status, Some(2), "{how}: {stderr}");
        assert!(
            stderr.contains(&db),
            "{how}: the message names the path: {stderr}"
        );
        assert!(
            stderr.contains("restore") && stderr.contains("backup"),
            "{how}: the message says what to do: {stderr}"
        );
    }
    // Undamaged, the same data starts and serves what was created.
    a.restart().await;
    a.login("bob").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_empty_data_directory_starts() {
    let a = Instance::start("a", "").await;
    a.register("alice").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leftovers_of_a_push_killed_by_a_crash_are_removed_at_start() {
    let mut a = Instance::start("a", "").await;
    a.stop().await;
    let objects = a.data_dir().join("repos/r.git/objects");
    let leftover = objects.join("tmp_objdir-incoming-Xy12ab");
    std::fs::create_dir_all(leftover.join("pack")).unwrap();
    std::fs::write(leftover.join("pack/tmp_pack_1"), b"half a pack").unwrap();
    std::fs::create_dir_all(objects.join("pack")).unwrap();
    a.restart().await;
    assert!(!leftover.exists(), "the leftover is removed");
    assert!(
        objects.join("pack").exists(),
        "the repository's own objects stay"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_507_with_retry_after_not_500() {
    let base = tempfile::tempdir().unwrap();
    let disk = base.path().join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let Some(_mounted) = common::tmpfs::Mounted::tmpfs(&disk, 8) else {
        return;
    };
    let (server, url) = start_without_the_guard(&disk).await;
    let register = |name: String| {
        let url = url.clone();
        async move {
            common::client()
                .post(format!("{url}/api/v1/register"))
                .json(&serde_json::json!({"username": name, "password": "correct horse"}))
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(register("alice".into()).await.status(), 201);
    // Fill the disk.
    let (f, filler) = fill(&disk);
    let seen = writes_get_507(&register).await;
    assert!(seen.contains(&507), "the full disk was noticed: {seen:?}");
    drop(f);
    std::fs::remove_file(&filler).unwrap();
    // Reads are still served.
    let res = common::client()
        .get(format!("{url}/people/alice"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "reads still work");
    let _ = tokio::task::spawn_blocking(move || server.stop()).await;
}

/// Starts an instance on `disk` with the free-space guard off: this is what happens when sled
/// itself meets the full disk (tests/disk_full.rs covers the guard, which keeps sled from getting
/// there). Answers the server and its URL.
async fn start_without_the_guard(disk: &std::path::Path) -> (orchard::RunningServer, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let ssh = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let no_guard = "[storage]\nmin_free_mb = 0\n";
    let port_ssh = ssh.local_addr().unwrap().port();
    let text = common::settings_text(&url, port, port_ssh, disk, no_guard);
    let settings = orchard::Settings::parse(&text, "test.toml").unwrap();
    let server = tokio::task::spawn_blocking(move || {
        orchard::RunningServer::spawn(
            settings,
            orchard::Listeners {
                http: listener,
                ssh,
            },
        )
    })
    .await
    .unwrap()
    .unwrap();
    (server, url)
}

/// Fills `disk` with a file; answers it (open) and its path.
fn fill(disk: &std::path::Path) -> (std::fs::File, std::path::PathBuf) {
    let filler = disk.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let chunk = vec![7u8; 64 * 1024];
    while f.write_all(&chunk).is_ok() {}
    let _ = f.sync_all();
    (f, filler)
}

/// Registers people until one is refused: with 507, Retry-After and "storage is full". Answers
/// the statuses seen.
async fn writes_get_507<F, Fut>(register: &F) -> Vec<u16>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = reqwest::Response>,
{
    let mut seen = Vec::new();
    for i in 0..20 {
        let res = register(format!("user{i}")).await;
        let status = res.status().as_u16();
        let retry = res.headers().get("retry-after").cloned();
        let body: serde_json::Value = res.json().await.unwrap_or_default();
        seen.push(status);
        if status == 201 {
            continue;
        }
        assert_eq!(status, 507, "a full disk is 507, not {status}: {body}");
        assert!(retry.is_some(), "with Retry-After");
        assert!(
            body["error"]
                .as_str()
                .unwrap_or("")
                .contains("storage is full"),
            "{body}"
        );
        break;
    }
    seen
}
