use super::*;
use crate::browse::test_repo::TestRepo;
use std::os::unix::fs::PermissionsExt;

/// Applies `patch` with `git am` on a branch at `parent`; the tree and message it made.
fn replay(t: &TestRepo, parent: &str, patch: &str) -> (String, String) {
    let file = t.work.join("../served.patch");
    std::fs::write(&file, patch).unwrap();
    t.git(&["checkout", "-q", "-b", "replay", parent]);
    t.git(&["am", "-q", file.to_str().unwrap()]);
    (
        t.git(&["rev-parse", "HEAD^{tree}"]),
        t.git(&["log", "-1", "--format=%an <%ae> %aI%n%B"]),
    )
}

fn change(t: &TestRepo, author: &str, message: &str) -> String {
    t.git(&["add", "-A"]);
    t.git(&["commit", "-q", "--author", author, "-m", message]);
    t.git(&["rev-parse", "HEAD"])
}

const MESSAGE: &str = "Café au lait\n\nThe body, with é.\n\nSecond paragraph.";

/// A base commit and a commit on it changing text, a name, a mode and a binary file.
fn changed() -> (TestRepo, String, String) {
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
    std::fs::write(
        t.work.join("logo.bin"),
        (0..3000u32)
            .flat_map(|i| i.to_le_bytes())
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    let x = t.work.join("x.sh");
    std::fs::set_permissions(&x, std::fs::Permissions::from_mode(0o755)).unwrap();
    let hash = change(&t, "Tëss T. Ter <t@e.org>", MESSAGE);
    (t, parent, hash)
}

#[test]
fn git_am_of_the_patch_rebuilds_the_commit() {
    let (t, parent, hash) = changed();
    let message = MESSAGE;
    let patch = format_patch(&t.git_dir(), &hash).unwrap();
    assert!(patch.starts_with(&format!("From {hash} Mon Sep 17 00:00:00 2001\n")));
    let git = t.git(&["format-patch", "--stdout", "-1", &hash]);
    let header = |p: &str| p.lines().take(8).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(header(&patch), header(&git), "{patch}");
    // Text files as git writes them; the binary one differs only in its zlib bytes.
    let diff_of = |p: &str| {
        let diff = &p[p.find("diff --git").unwrap()..p.rfind("\n-- \n").unwrap()];
        let files = diff
            .split("diff --git ")
            .filter(|f| !f.contains("logo.bin"));
        files.collect::<Vec<_>>().join("diff --git ")
    };
    assert_eq!(diff_of(&patch), diff_of(&git));
    let index = |p: &str| {
        p.lines()
            .find(|l| l.starts_with("index 0000000000000000000000000000000000000000.."))
            .map(str::to_string)
    };
    assert_eq!(
        index(&patch),
        index(&git),
        "full index line for the binary file"
    );
    assert!(patch.contains("GIT binary patch\nliteral 12000\n"));
    assert!(patch.contains("---\n 5 files changed, 2 insertions(+), 1 deletion(-)\n\ndiff --git"));
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
