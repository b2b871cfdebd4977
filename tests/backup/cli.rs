//! `orchard backup`, `restore` and `check` as the operator runs them (`backup` on a running
//! instance through its admin socket, and on a stopped one):
//! a damaged or cut archive and a non-empty target are refused before anything is written, and
//! `check` names a broken actor record and a damaged repository and exits non-zero.

use crate::common::forge::with_repo;
use crate::common::git::{ok, path_of, work_tree};
use crate::common::settings_text;
use actors::{ActorKind, ActorRef, Store};
use std::path::Path;
use std::process::Output;

fn orchard(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_orchard"))
        .args(args)
        .output()
        .expect("orchard runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none())
}

/// `orchard restore` of `bytes` (written beside) is refused and writes nothing.
fn refused(dir: &Path, name: &str, bytes: &[u8], says: &str) {
    let file = dir.join(format!("{name}.tar.gz"));
    std::fs::write(&file, bytes).unwrap();
    let target = dir.join(format!("{name}-restored"));
    let out = orchard(&[
        "restore",
        "--from",
        file.to_str().unwrap(),
        "--to",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains(says), "{name}: {}", text(&out));
    assert!(is_empty(&target), "{name}: nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_instance_is_backed_up_and_damage_is_refused_or_named() {
    let (mut w, alice, repo) = with_repo("tree-sim").await;
    let work = tempfile::tempdir().unwrap();
    let tree = work_tree(work.path(), "w", 2);
    ok(alice.git(&tree, &["push", "-q", &alice.url(&path_of(&repo)), "main"]));
    let out_dir = tempfile::tempdir().unwrap();
    let a = &w.a;
    let settings = out_dir.path().join("a.toml");
    let text_of = settings_text(&a.url, a.port, a.ssh_port, a.dir.path(), &a.extra_settings);
    std::fs::write(&settings, text_of).unwrap();
    let settings = settings.to_str().unwrap();
    let out = orchard(&["check", "--settings", settings]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("in use by a running Orchard server"),
        "{}",
        text(&out)
    );
    // Through the running server's admin socket: the server writes the archive.
    let live = out_dir.path().join("live.tar.gz");
    let out = orchard(&[
        "backup",
        "--settings",
        settings,
        "--to",
        live.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("1 repositories"), "{}", text(&out));
    let mode = std::os::unix::fs::PermissionsExt::mode(&live.metadata().unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    w.a.stop().await;

    let file = out_dir.path().join("a.tar.gz");
    let file_s = file.to_str().unwrap();
    let out = orchard(&["backup", "--settings", settings, "--to", file_s]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("1 repositories"), "{}", text(&out));
    let again = orchard(&["backup", "--settings", settings, "--to", file_s]);
    assert_eq!(
        again.status.code(),
        Some(1),
        "an existing archive is not overwritten"
    );
    let restored = out_dir.path().join("restored");
    let out = orchard(&[
        "restore",
        "--from",
        file_s,
        "--to",
        restored.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("ok: "), "{}", text(&out));

    damage_is_refused(out_dir.path(), &file);
    let id = repo.rsplit('/').next().unwrap();
    check_names_the_problems(&restored, id);
}

/// A non-empty target, a flipped byte, a cut and an empty file are refused, writing nothing.
fn damage_is_refused(dir: &Path, file: &Path) {
    let full = dir.join("full");
    std::fs::create_dir(&full).unwrap();
    std::fs::write(full.join("keep"), "x").unwrap();
    let out = orchard(&[
        "restore",
        "--from",
        file.to_str().unwrap(),
        "--to",
        full.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("not empty"), "{}", text(&out));
    assert_eq!(
        std::fs::read_dir(&full).unwrap().count(),
        1,
        "nothing was added"
    );

    let bytes = std::fs::read(file).unwrap();
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 2] ^= 0x40;
    refused(dir, "flipped", &flipped, "nothing was restored");
    refused(
        dir,
        "cut",
        &bytes[..bytes.len() * 2 / 3],
        "nothing was restored",
    );
    refused(dir, "empty", b"", "nothing was restored");
}

/// A broken actor record and a repository without its objects are each named by `check`.
fn check_names_the_problems(restored: &Path, repo_id: &str) {
    {
        let store = Store::open(&restored.join("db")).unwrap();
        let alice = ActorRef::new(ActorKind::Person, "alice");
        let key = actors::actor::record::record_key();
        store
            .keyspace(&alice)
            .unwrap()
            .insert(key, b"{not json")
            .unwrap();
    }
    let objects = restored
        .join("repos")
        .join(format!("{repo_id}.git"))
        .join("objects");
    std::fs::remove_dir_all(&objects).unwrap();
    std::fs::create_dir_all(objects.join("pack")).unwrap();
    let out = orchard(&["check", "--data", restored.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("actor person/alice: its record does not parse"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("repository {repo_id}: git fsck failed")),
        "{stdout}"
    );
    assert!(!stdout.contains("ok: "), "{stdout}");
}
