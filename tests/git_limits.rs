//! The size of a push over SSH (`[ssh] max_push_mb`): a push beyond it is stopped while it
//! streams, answered with a clear git error, and leaves the repository unchanged (no ref moved,
//! no object kept, no quarantine left behind); a small push afterwards works.

mod common;

use common::forge::with_repo_in;
use common::git::{commit, git_in, ok, rev, work_tree};
use std::io::Read;

/// `n` bytes nobody can compress.
fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .expect("/dev/urandom");
    bytes
}

#[tokio::test]
async fn a_push_over_max_push_mb_is_refused_and_changes_nothing() {
    let (w, alice, repo) = with_repo_in("Sized", "[ssh]\nmax_push_mb = 1\n").await;
    let path = url::Url::parse(&repo).unwrap().path().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let src = work_tree(tmp.path(), "src", 1);
    ok(alice.git(&src, &["push", &alice.url(&path), "main"]));
    let before = rev(&src, "HEAD");

    // A 4 MiB random blob: its pack is about 4 MiB, over the 1 MiB limit.
    std::fs::write(src.join("big.bin"), random_bytes(4 * 1024 * 1024)).unwrap();
    ok(git_in(&src, &["add", "big.bin"], None));
    ok(git_in(&src, &["commit", "-q", "-m", "a big blob"], None));
    let blob = rev(&src, "HEAD:big.bin");
    let out = alice.git(&src, &["push", &alice.url(&path), "main"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the big push was accepted: {stderr}");
    assert!(
        stderr.contains("push refused: larger than 1 MiB ([ssh] max_push_mb)"),
        "a clear message: {stderr}"
    );

    // Nothing changed: the ref, the objects, no quarantine directory.
    let remote = ok(alice.git(tmp.path(), &["ls-remote", &alice.url(&path), "main"]));
    assert!(remote.starts_with(&before), "the ref moved: {remote}");
    let bare = w.a.data_dir().join("repos/sized.git");
    let has_blob = git_in(&bare, &["cat-file", "-e", &blob], None);
    assert!(!has_blob.status.success(), "the refused blob was kept");
    let leftovers: Vec<String> = std::fs::read_dir(bare.join("objects"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("tmp_objdir") || n.starts_with("incoming"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "quarantine left behind: {leftovers:?}"
    );
    ok(git_in(&bare, &["fsck", "--strict"], None));

    // A small push afterwards works.
    ok(git_in(&src, &["reset", "-q", "--hard", &before], None));
    commit(&src, "small.txt", "a small change");
    ok(alice.git(&src, &["push", &alice.url(&path), "main"]));
    let remote = ok(alice.git(tmp.path(), &["ls-remote", &alice.url(&path), "main"]));
    assert!(remote.starts_with(&rev(&src, "HEAD")), "{remote}");
    let (_, log) = w.a.get_ap(&format!("{repo}/pushes")).await;
    assert_eq!(log["totalItems"], 3);
    assert_eq!(
        log["items"][1]["exit"], 1,
        "the refused push is logged as failed"
    );
    assert_eq!(log["items"][1]["updates"], serde_json::json!([]));
}
