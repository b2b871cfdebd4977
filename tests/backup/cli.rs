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
    let said = backed_up(settings, &live);
    assert!(said.contains("1 repositories"), "{said}");
    let mode = std::os::unix::fs::PermissionsExt::mode(&live.metadata().unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    w.a.stop().await;

    let file = out_dir.path().join("a.tar.gz");
    let file_s = file.to_str().unwrap();
    let said = backed_up(settings, &file);
    assert!(said.contains("1 repositories"), "{said}");
    let again = orchard(&["backup", "--settings", settings, "--to", file_s]);
    assert_eq!(
        again.status.code(),
        Some(1),
        "an existing archive is not overwritten"
    );
    let restored = restored_ok(out_dir.path(), &file, "restored");

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

/// `git --git-dir DIR ARGS`; panics unless it succeeds. Answers its standard output.
fn git_in(dir: &Path, args: &[&str]) -> String {
    ok(std::process::Command::new("git")
        .arg("--git-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap())
}

/// `orchard backup --settings S --to FILE` (through the admin socket when the instance runs);
/// panics unless it succeeds. Answers what it printed.
fn backed_up(settings: &str, file: &Path) -> String {
    let out = orchard(&[
        "backup",
        "--settings",
        settings,
        "--to",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    text(&out)
}

/// `orchard backup --settings S --to DIR/NAME.tar.gz`, then its restore into
/// `DIR/NAME-restored` (which must pass its check); answers the restored repository `id`'s
/// directory.
fn backed_up_and_restored(settings: &str, dir: &Path, name: &str, id: &str) -> std::path::PathBuf {
    let file = dir.join(format!("{name}.tar.gz"));
    backed_up(settings, &file);
    let restored = restored_ok(dir, &file, &format!("{name}-restored"));
    restored.join("repos").join(format!("{id}.git"))
}

/// Restores `file` into `dir/name`; panics unless the restore and its check pass. Answers the
/// restored directory.
fn restored_ok(dir: &Path, file: &Path, name: &str) -> std::path::PathBuf {
    let target = dir.join(name);
    let out = orchard(&[
        "restore",
        "--from",
        file.to_str().unwrap(),
        "--to",
        target.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{name}: {}", text(&out));
    assert!(text(&out).contains("ok: "), "{name}: {}", text(&out));
    target
}

/// A repository never pushed to (empty `refs/`), then one whose refs are all packed, come back
/// as repositories git opens; a hook script planted in the repository is not restored, and the
/// restored repository is readable by its owner only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bare_and_packed_repositories_restore_without_their_hooks() {
    use std::os::unix::fs::PermissionsExt;
    let (mut w, alice, repo) = with_repo("bare-sim").await;
    let out_dir = tempfile::tempdir().unwrap();
    let a = &w.a;
    let text_of = settings_text(&a.url, a.port, a.ssh_port, a.dir.path(), &a.extra_settings);
    let parsed = orchard::Settings::parse(&text_of, "test").unwrap();
    let settings = out_dir.path().join("a.toml");
    std::fs::write(&settings, &text_of).unwrap();
    let settings = settings.to_str().unwrap();
    let id = repo.rsplit('/').next().unwrap().to_string();
    let bare = parsed.storage.repos_dir().join(format!("{id}.git"));

    // Through the running server (each repository copied in its actor's mailbox).
    let git_dir = backed_up_and_restored(settings, out_dir.path(), "never", &id);
    git_in(&git_dir, &["fsck", "--no-progress"]);

    let work = tempfile::tempdir().unwrap();
    let tree = work_tree(work.path(), "w", 1);
    ok(alice.git(&tree, &["push", "-q", &alice.url(&path_of(&repo)), "main"]));
    w.a.stop().await;
    git_in(&bare, &["pack-refs", "--all", "--prune"]);
    let hook = bare.join("hooks").join("post-receive");
    std::fs::write(&hook, "#!/bin/sh\ntouch /tmp/orchard-hook-ran\n").unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    let git_dir = backed_up_and_restored(settings, out_dir.path(), "packed", &id);
    let heads = git_in(&git_dir, &["for-each-ref", "--format=%(refname)"]);
    assert_eq!(heads.trim(), "refs/heads/main");
    assert!(
        !git_dir.join("hooks").join("post-receive").exists(),
        "hooks are not restored"
    );
    let mode = git_dir.metadata().unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "the restored repository is its owner's only");
}
