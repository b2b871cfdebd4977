//! The reading API over HTTP on a repository pushed with the real git: compare (commits, a
//! rename, a binary file, a truncated big diff) against git's own output, `.patch` through
//! `git am`, the README sanitized, and hostile ranges and names (400/404 with a reason).

#[path = "../common/mod.rs"]
mod common;

use common::client::client;
use common::forge::with_repo;
use common::git::{git_in, ok, path_of, rev};
use serde_json::{json, Value};
use std::path::Path;

fn write(dir: &Path, file: &str, data: &[u8]) {
    std::fs::write(dir.join(file), data).unwrap();
}

fn commit_all(dir: &Path, message: &str) {
    ok(git_in(dir, &["add", "-A"], None));
    ok(git_in(dir, &["commit", "-q", "-m", message], None));
}

/// main: README.md (hostile) and a.txt; feature/x: a rename, a binary file, a big change.
fn history(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    ok(git_in(dir, &["init", "-q", "-b", "main"], None));
    let long: String = (0..40).map(|i| format!("line {i}\n")).collect();
    write(dir, "a.txt", long.as_bytes());
    write(dir, "big.txt", b"small\n");
    write(dir, "README.md", b"# Hello\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2))\n<img src=x onerror=alert(3)>\n");
    commit_all(dir, "base");
    ok(git_in(dir, &["checkout", "-q", "-b", "feature/x"], None));
    std::fs::rename(dir.join("a.txt"), dir.join("moved.txt")).unwrap();
    commit_all(dir, "move a");
    write(dir, "logo.png", b"\x89PNG\x00\x00\x01");
    commit_all(dir, "logo");
    let big: String = (0..40_000).map(|i| format!("big line {i}\n")).collect();
    write(dir, "big.txt", big.as_bytes());
    commit_all(dir, "big change");
    ok(git_in(dir, &["checkout", "-q", "main"], None));
    write(dir, "main.txt", b"main only\n");
    commit_all(dir, "main moves on");
}

async fn get(url: &str) -> (u16, String) {
    let r = client().get(url).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

#[tokio::test]
async fn compare_patch_and_readme_over_http() {
    let (w, alice, repo) = with_repo("Browse Me").await;
    let path = path_of(&repo);
    let id = path.trim_start_matches("/repos/").to_string();
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    history(&src);
    ok(alice.git(&src, &["push", &alice.url(&path), "main", "feature/x"]));
    let api = w.a.at(&format!("/api/v1/repos/{id}"));
    check_compare(&api, &src).await;
    check_patch(&w.a.at(&path), &src, tmp.path()).await;
    check_readme(&api).await;
    check_hostile(&api, &w.a.at(&path)).await;
    // The server keeps comparisons and path-filtered logs by commit ids: after a push, the same
    // requests answer the new commits (the branch names resolve anew), never a stale answer.
    let before = kept_reads(&api).await;
    ok(git_in(&src, &["checkout", "-q", "feature/x"], None));
    write(&src, "moved.txt", b"moved and changed\n");
    commit_all(&src, "change moved");
    ok(alice.git(&src, &["push", &alice.url(&path), "feature/x"]));
    let after = kept_reads(&api).await;
    let tip = rev(&src, "feature/x");
    assert_eq!(after.0["head_commit"], tip.as_str());
    assert_eq!(
        after.0["head"], "feature/x",
        "the names as this client wrote them"
    );
    let count = |c: &Value| c["commits"].as_array().unwrap().len();
    assert_eq!(count(&after.0), count(&before.0) + 1);
    assert_eq!(after.1["commits"][0]["hash"], tip.as_str());
    assert_eq!(
        after.1["commits"][1]["hash"],
        before.1["commits"][0]["hash"]
    );
}

/// The comparison main...feature/x and the log of moved.txt on feature/x, each read twice (the
/// second time from the kept answers: the same answer).
async fn kept_reads(api: &str) -> (Value, Value) {
    let mut out = Vec::new();
    for url in [
        format!("{api}/compare/main...feature/x"),
        format!("{api}/commits?ref=feature/x&path=moved.txt"),
    ] {
        let (s1, first) = get(&url).await;
        let (s2, second) = get(&url).await;
        assert_eq!((s1, s2), (200, 200), "{first}");
        assert_eq!(first, second, "a kept answer is the answer");
        out.push(serde_json::from_str::<Value>(&first).unwrap());
    }
    same_range_by_hashes(api, &out[0]).await;
    (out.remove(0), out.remove(0))
}

/// The kept comparison asked for again with the two commit ids: the same comparison, naming
/// the revisions as this request did.
async fn same_range_by_hashes(api: &str, by_names: &Value) {
    let (base, head) = (&by_names["base_commit"], &by_names["head_commit"]);
    let (base, head) = (base.as_str().unwrap(), head.as_str().unwrap());
    let (s, body) = get(&format!("{api}/compare/{base}...{head}")).await;
    assert_eq!(s, 200, "{body}");
    let mut by_hashes: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (&by_hashes["base"], &by_hashes["head"]),
        (&json!(base), &json!(head))
    );
    by_hashes["base"] = by_names["base"].clone();
    by_hashes["head"] = by_names["head"].clone();
    assert_eq!(&by_hashes, by_names);
}

async fn check_compare(api: &str, src: &Path) {
    let (s, body) = get(&format!("{api}/compare/main...feature/x")).await;
    assert_eq!(s, 200, "{body}");
    let c: Value = serde_json::from_str(&body).unwrap();
    let log = ok(git_in(
        src,
        &["log", "--format=%H", "main..feature/x"],
        None,
    ));
    let hashes: Vec<&str> = c["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["hash"].as_str().unwrap())
        .collect();
    assert_eq!(hashes, log.lines().collect::<Vec<_>>());
    assert_eq!(
        c["merge_base"],
        ok(git_in(src, &["merge-base", "main", "feature/x"], None)).trim()
    );
    let files = c["files"].as_array().unwrap();
    let file = |p: &str| files.iter().find(|f| f["new_path"] == p).unwrap();
    assert_eq!(file("moved.txt")["status"], "renamed");
    assert_eq!(file("moved.txt")["old_path"], "a.txt");
    assert_eq!(file("logo.png")["binary"], true);
    assert!(file("logo.png")["hunks"].as_array().unwrap().is_empty());
    let big = file("big.txt");
    assert_eq!(
        big["truncated"], true,
        "a 40,000-line change passes the per-file limit"
    );
    assert_eq!(c["truncated"], true);
    assert_eq!(big["additions"], 40_000);
    let git_big = ok(git_in(
        src,
        &["diff", "main...feature/x", "--", "big.txt"],
        None,
    ));
    let ours_big: String = std::iter::once(big["header"].as_str().unwrap())
        .chain(
            big["hunks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["text"].as_str().unwrap()),
        )
        .collect();
    assert!(
        ours_big.len() < git_big.len() && git_big.starts_with(&ours_big),
        "whole hunks kept"
    );
    let rename_text = file("moved.txt")["header"].as_str().unwrap().to_string();
    let git_rename = ok(git_in(
        src,
        &["diff", "-M", "main...feature/x", "--", "a.txt", "moved.txt"],
        None,
    ));
    assert_eq!(rename_text, git_rename);
}

/// The patches of the big commit and of the binary one, each applied by git am on its parent.
async fn check_patch(repo: &str, src: &Path, tmp: &Path) {
    am_roundtrip(repo, src, tmp, "feature/x").await;
    let logo = am_roundtrip(repo, src, tmp, "feature/x~1").await;
    assert!(logo.contains("GIT binary patch\nliteral 7\n"), "{logo}");
}

async fn am_roundtrip(repo: &str, src: &Path, tmp: &Path, commit: &str) -> String {
    let head = rev(src, commit);
    let r = client()
        .get(format!("{repo}/commits/{head}.patch"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/plain; charset=utf-8");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let patch = r.text().await.unwrap();
    assert!(patch.starts_with(&format!("From {head} Mon Sep 17 00:00:00 2001\n")));
    std::fs::write(tmp.join("p.patch"), &patch).unwrap();
    let parent = format!("{head}~1");
    ok(git_in(src, &["checkout", "-q", "--detach", &parent], None));
    ok(git_in(
        src,
        &["am", "-q", tmp.join("p.patch").to_str().unwrap()],
        None,
    ));
    assert_eq!(
        rev(src, "HEAD^{tree}"),
        rev(src, &format!("{head}^{{tree}}"))
    );
    patch
}

async fn check_readme(api: &str) {
    let (s, body) = get(&format!("{api}/readme")).await;
    assert_eq!(s, 200, "{body}");
    let readme: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(readme["path"], "README.md");
    assert_eq!(readme["ref"], "main");
    let html = readme["html"].as_str().unwrap();
    assert!(html.contains("<h1>Hello</h1>"), "{html}");
    for gone in ["<script", "javascript:", "onerror"] {
        assert!(!html.contains(gone), "{gone}: {html}");
    }
    let (s, _) = get(&format!("{api}/readme?ref=feature/x")).await;
    assert_eq!(s, 200);
}

/// Hostile and missing inputs.
async fn check_hostile(api: &str, repo: &str) {
    for (p, status, says) in [
        ("/compare/main..feature/x", 400, "three dots"),
        ("/compare/main...a..b", 400, "a..b"),
        ("/compare/main...x~1", 400, "x~1"),
        ("/compare/main...nope", 404, "nope"),
        ("/compare/nope...main", 404, "nope"),
        ("/readme?ref=nope", 404, "nope"),
        ("/readme?ref=a..b", 400, "a..b"),
    ] {
        let (s, body) = get(&format!("{api}{p}")).await;
        assert_eq!(s, status, "{p}: {body}");
        assert!(body.contains(says), "{p}: {body}");
    }
    let (s, _) = get(&format!("{repo}/commits/{}.patch", "0".repeat(40))).await;
    assert_eq!(s, 404);
    let (s, _) = get(&format!("{repo}/commits/main.patch")).await;
    assert_eq!(s, 400);
}
