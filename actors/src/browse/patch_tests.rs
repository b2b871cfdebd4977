use super::*;
use crate::browse::test_repo::TestRepo;
use std::os::unix::fs::PermissionsExt;

/// Applies `patch` with `git am` on a branch at `parent`; the tree and message it made.
fn replay(t: &TestRepo, parent: &str, patch: &str) -> (String, String) {
    let file = t.work.join("../served.patch");
    std::fs::write(&file, patch).unwrap();
    t.git(&["checkout", "-q", "-b", "replay", parent]);
    t.git(&["am", "-q", file.to_str().unwrap()]);
    let made = (
        t.git(&["rev-parse", "HEAD^{tree}"]),
        t.git(&["log", "-1", "--format=%an <%ae> %aI%n%B"]),
    );
    made
}

fn change(t: &TestRepo, author: &str, message: &str) -> String {
    t.git(&["add", "-A"]);
    t.git(&["commit", "-q", "--author", author, "-m", message]);
    t.git(&["rev-parse", "HEAD"])
}

#[test]
fn git_am_of_the_patch_rebuilds_the_commit() {
    let t = TestRepo::new();
    let long: String = (0..30).map(|i| format!("line {i}\n")).collect();
    let parent = t.commit(
        &[
            ("a.txt", Some(long.as_bytes())),
            ("old.txt", Some(b"old\n")),
            ("x.sh", Some(b"x\n")),
        ],
        "base",
    );
    std::fs::write(
        t.work.join("a.txt"),
        long.replace("line 7\n", "line seven\n"),
    )
    .unwrap();
    std::fs::rename(t.work.join("old.txt"), t.work.join("renamed.txt")).unwrap();
    std::fs::write(t.work.join("new é.txt"), "nouveau\n").unwrap();
    let x = t.work.join("x.sh");
    std::fs::set_permissions(&x, std::fs::Permissions::from_mode(0o755)).unwrap();
    let message = "Café au lait\n\nThe body, with é.\n\nSecond paragraph.";
    let hash = change(&t, "Tëss T. Ter <t@e.org>", message);
    let patch = format_patch(&t.git_dir(), &hash).unwrap();
    assert!(patch.starts_with(&format!("From {hash} Mon Sep 17 00:00:00 2001\n")));
    let git = t.git(&["format-patch", "--stdout", "-1", &hash]);
    let header = |p: &str| p.lines().take(8).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(header(&patch), header(&git), "{patch}");
    let diff_of =
        |p: &str| p[p.find("diff --git").unwrap()..p.rfind("\n-- \n").unwrap()].to_string();
    assert_eq!(diff_of(&patch), diff_of(&git));
    assert!(patch.contains("---\n 4 files changed, 2 insertions(+), 1 deletion(-)\n\ndiff --git"));
    let (tree, log) = replay(&t, &parent, &patch);
    assert_eq!(tree, t.git(&["rev-parse", &format!("{hash}^{{tree}}")]));
    assert_eq!(
        log,
        format!("Tëss T. Ter <t@e.org> 2026-01-02T03:04:05Z\n{message}")
    );
}

#[test]
fn root_commits_apply_to_nothing_and_bad_hashes_are_refused() {
    let t = TestRepo::new();
    let root = t.commit(&[("a.txt", Some(b"a\n"))], "root");
    let patch = format_patch(&t.git_dir(), &root).unwrap();
    assert!(patch.contains("--- /dev/null\n+++ b/a.txt\n"));
    assert!(patch.contains("Subject: [PATCH] root\n\n---\n"));
    assert!(patch.ends_with("\n-- \nOrchard\n\n"));
    assert!(matches!(
        format_patch(&t.git_dir(), "main"),
        Err(ActorError::Invalid(_))
    ));
    assert!(matches!(
        format_patch(&t.git_dir(), &"1".repeat(40)),
        Err(ActorError::NotFound(_))
    ));
}

#[test]
fn messages_split_like_git() {
    assert_eq!(
        split_message("one\ntwo\n\nbody\n"),
        ("one two".into(), "body\n".into())
    );
    assert_eq!(split_message("only\n"), ("only".into(), String::new()));
    assert_eq!(display_name("Ann O. Ther"), "\"Ann O. Ther\"");
    assert_eq!(display_name("Plain Name"), "Plain Name");
    assert_eq!(encode_word("Tëss"), "=?UTF-8?q?T=C3=ABss?=");
}
