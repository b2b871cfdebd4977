//! The repository browsing API over real HTTP on a repository pushed with the real git client
//! over SSH: refs, the commit log (paging, path filter), trees, blobs and raw bytes, each
//! checked against what `git` itself says of the same repository; then hostile refs, paths and
//! cursors, each a 400 or a 404 with a reason.

mod calls;
#[path = "../common/mod.rs"]
mod common;
mod hostile;

use calls::get;
use common::client::client;
use common::forge::with_repo;
use common::git::{git_in, ok, path_of};
use std::path::Path;

/// A work tree with 60 commits on `main` (every third touches `src/lib.rs`), a branch with a
/// `/`, an annotated tag, a binary file, an HTML file and a nested directory.
fn build(dir: &Path) {
    std::fs::create_dir_all(dir.join("src/deep")).unwrap();
    ok(git_in(dir, &["init", "-q", "-b", "main"], None));
    for i in 0..60 {
        let file = if i % 3 == 0 {
            "src/lib.rs".to_string()
        } else {
            format!("notes/{i}.txt")
        };
        std::fs::create_dir_all(dir.join(&file).parent().unwrap()).unwrap();
        std::fs::write(dir.join(&file), format!("line {i}\n")).unwrap();
        ok(git_in(dir, &["add", "-A"], None));
        let date = format!("2026-01-01T00:{:02}:00Z", i);
        let out = std::process::Command::new("git")
            .args(["commit", "-q", "-m", &format!("change {i}\n\nbody of {i}")])
            .current_dir(dir)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    std::fs::write(dir.join("src/deep/data.bin"), [0u8, 159, 146, 150, 1, 2]).unwrap();
    std::fs::write(dir.join("page.html"), "<script>alert(1)</script>\n").unwrap();
    ok(git_in(dir, &["add", "-A"], None));
    ok(git_in(
        dir,
        &["commit", "-q", "-m", "binary and html"],
        None,
    ));
    ok(git_in(
        dir,
        &["tag", "-a", "-m", "first release", "v1"],
        None,
    ));
    ok(git_in(dir, &["checkout", "-q", "-b", "feature/x"], None));
    std::fs::write(dir.join("src/lib.rs"), "feature\n").unwrap();
    ok(git_in(dir, &["commit", "-q", "-am", "feature work"], None));
    ok(git_in(dir, &["checkout", "-q", "main"], None));
}

fn lines(dir: &Path, args: &[&str]) -> Vec<String> {
    ok(git_in(dir, args, None))
        .lines()
        .map(str::to_string)
        .collect()
}

#[actix_rt::test]
async fn browsing_agrees_with_git_and_refuses_hostile_names() {
    let (w, alice, repo) = with_repo("browsed").await;
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    build(&src);
    let remote = alice.url(&path_of(&repo));
    ok(alice.git(&src, &["push", &remote, "main", "feature/x", "v1"]));
    let api = w.a.at(&format!(
        "/api/v1/repos/{}",
        repo.rsplit('/').next().unwrap()
    ));

    refs(&api, &src).await;
    log(&api, &src).await;
    tree_and_blobs(&api, &src).await;
    hostile::refused(&api).await;
    hostile::dot_segments(&api).await;
}

async fn refs(api: &str, src: &Path) {
    let (s, body) = get(&format!("{api}/refs")).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["default_branch"], "main");
    let main = lines(src, &["rev-parse", "main"]).remove(0);
    let feature = lines(src, &["rev-parse", "feature/x"]).remove(0);
    let branch = |n: &str| {
        body["branches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["name"] == n)
            .cloned()
    };
    assert_eq!(branch("main").unwrap()["commit"], main.as_str());
    assert_eq!(branch("feature/x").unwrap()["commit"], feature.as_str());
    let tag = &body["tags"][0];
    assert_eq!(
        (tag["name"].as_str(), tag["annotated"].as_bool()),
        (Some("v1"), Some(true))
    );
    assert_eq!(tag["commit"], main.as_str());
    assert_eq!(tag["target"], lines(src, &["rev-parse", "v1"])[0].as_str());
}

async fn log(api: &str, src: &Path) {
    let expected = lines(src, &["log", "--format=%H", "main"]);
    let mut seen: Vec<String> = Vec::new();
    let mut url = format!("{api}/commits?ref=main&limit=25");
    loop {
        let (s, page) = get(&url).await;
        assert_eq!(s, 200, "{page}");
        for c in page["commits"].as_array().unwrap() {
            seen.push(c["hash"].as_str().unwrap().to_string());
        }
        match page["next"].as_str() {
            Some(next) => url = format!("{api}/commits?cursor={next}&limit=25"),
            None => break,
        }
    }
    assert_eq!(seen, expected, "pages concatenated are git log");
    let (_, first) = get(&format!("{api}/commits")).await;
    assert_eq!(
        first["commits"].as_array().unwrap().len(),
        50,
        "50 by default"
    );
    let c = &first["commits"][0];
    assert_eq!(c["summary"], "binary and html");
    assert!(c["iri"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/commits/{}", expected[0])));
    let touching = lines(src, &["log", "--format=%H", "main", "--", "src/lib.rs"]);
    let (_, filtered) = get(&format!("{api}/commits?ref=main&path=src/lib.rs&limit=100")).await;
    let got: Vec<&str> = filtered["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["hash"].as_str().unwrap())
        .collect();
    assert_eq!(got, touching, "the path filter is git log -- path");
    let (_, on_feature) = get(&format!("{api}/commits?ref=feature/x&limit=1")).await;
    assert_eq!(on_feature["commits"][0]["summary"], "feature work");
}

async fn tree_and_blobs(api: &str, src: &Path) {
    let (s, root) = get(&format!("{api}/tree/main")).await;
    assert_eq!(s, 200, "{root}");
    let names: Vec<&str> = root["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    let git_names = lines(src, &["ls-tree", "--name-only", "main"]);
    assert_eq!(names, git_names, "git ls-tree order");
    let (_, deep) = get(&format!("{api}/tree/main/src/deep")).await;
    let entry = &deep["entries"][0];
    assert_eq!(
        (entry["name"].as_str(), entry["kind"].as_str()),
        (Some("data.bin"), Some("blob"))
    );
    assert_eq!(
        (entry["mode"].as_str(), entry["size"].as_u64()),
        (Some("100644"), Some(6))
    );
    let (_, on_feature) = get(&format!("{api}/blob/feature/x/src/lib.rs")).await;
    assert_eq!(on_feature["text"], "feature\n", "a ref with / then a path");
    let (_, text) = get(&format!("{api}/blob/v1/src/lib.rs")).await;
    assert_eq!(
        (text["binary"].as_bool(), text["text"].as_str()),
        (Some(false), Some("line 57\n"))
    );
    let (_, bin) = get(&format!("{api}/blob/main/src/deep/data.bin")).await;
    assert_eq!(
        (bin["binary"].as_bool(), bin["text"].as_str()),
        (Some(true), None)
    );
    let res = client()
        .get(format!("{api}/raw/main/src/deep/data.bin"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["content-type"], "application/octet-stream");
    assert_eq!(
        res.bytes().await.unwrap().as_ref(),
        [0u8, 159, 146, 150, 1, 2]
    );
    let res = client()
        .get(format!("{api}/raw/main/page.html"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["content-type"],
        "text/plain; charset=utf-8",
        "never text/html"
    );
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert_eq!(res.text().await.unwrap(), "<script>alert(1)</script>\n");
}
