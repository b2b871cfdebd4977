//! The repository pages over real HTTP, on a repository pushed with the real git client over
//! SSH: the repository page (README rendered and sanitized, clone commands, branches, files),
//! the tree, a highlighted file with line anchors and its raw link, the log with its path
//! filter and paging, a commit page with its diff, branches and tags; the same IRIs still
//! answer JSON to federation peers with `Vary: Accept`. Then (`forms`) star and follow, the
//! settings forms refused without or with a wrong CSRF token and to non-admins, and a private
//! repository's pages hidden from others; and (`journey`) the same pages in headless Chromium,
//! through axe-core.

mod calls;
#[path = "../common/mod.rs"]
mod common;
mod forms;
mod journey;

use calls::{html, json, shows};
use common::forge::with_repo;
use common::git::{git_in, ok, path_of, rev};
use std::path::Path;

/// A work tree: a README (with a script that must not survive), a Rust file, notes, 55
/// commits on `main` (so the log has a second page), a branch with a `/` and a tag.
fn build(dir: &Path) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    ok(git_in(dir, &["init", "-q", "-b", "main"], None));
    std::fs::write(
        dir.join("README.md"),
        "# Hello web\n\nSome *words*.\n\n<script>alert(1)</script>\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/main.rs"),
        "// The entry point.\nfn main() {\n    println!(\"<hi>\");\n}\n",
    )
    .unwrap();
    ok(git_in(dir, &["add", "-A"], None));
    ok(git_in(
        dir,
        &["commit", "-q", "-m", "first: readme and main"],
        None,
    ));
    std::fs::write(dir.join("docs/notes.txt"), "notes\n").unwrap();
    ok(git_in(dir, &["add", "-A"], None));
    ok(git_in(dir, &["commit", "-q", "-m", "notes added"], None));
    for i in 0..55 {
        std::fs::write(dir.join("count.txt"), format!("{i}\n")).unwrap();
        ok(git_in(dir, &["add", "-A"], None));
        ok(git_in(
            dir,
            &["commit", "-q", "-m", &format!("count {i}")],
            None,
        ));
    }
    ok(git_in(dir, &["tag", "v1"], None));
    ok(git_in(dir, &["checkout", "-q", "-b", "feature/y"], None));
    std::fs::write(dir.join("src/main.rs"), "fn main() {}\n").unwrap();
    ok(git_in(
        dir,
        &["commit", "-q", "-am", "feature: shorter main"],
        None,
    ));
    ok(git_in(dir, &["checkout", "-q", "main"], None));
}

#[actix_rt::test]
async fn repository_pages_show_the_pushed_code() {
    let (w, alice, repo) = with_repo("webrepo").await;
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    build(&src);
    ok(alice.git(
        &src,
        &[
            "push",
            &alice.url(&path_of(&repo)),
            "main",
            "feature/y",
            "v1",
        ],
    ));
    let feature = rev(&src, "feature/y");

    repository_page(&repo).await;
    empty_repository(&w).await;
    files(&repo).await;
    log(&repo).await;
    commit(&repo, &feature).await;
    let refs = html(&format!("{repo}/refs"), None).await;
    shows(&refs, &["feature/y", "v1", "default"]);

    forms::star_and_follow(&w, &repo).await;
    journey::browse_in_chromium(&w, &repo).await;
    forms::settings(&w, &repo).await;
    forms::private_pages_are_hidden(&w, &repo, &feature).await;
}

async fn repository_page(repo: &str) {
    let page = html(repo, None).await;
    let id = repo.rsplit('/').next().unwrap();
    shows(
        &page,
        &[
            "<h1>Hello web</h1>",
            "<em>words</em>",
            &format!("git clone {repo}"),
            "git clone ssh://git@127.0.0.1:",
            &format!("/repos/{id}"),
            ">src/</a>",
            ">README.md</a>",
            "feature/y",
        ],
    );
    assert!(
        !page.body.contains("<script>alert"),
        "the README is sanitized"
    );
    assert!(page.vary.contains("Accept"), "{}", page.vary);
    // The same IRI still answers JSON to a federation peer.
    let (status, vary, doc) = json(repo, None).await;
    assert_eq!((status, doc["type"].as_str()), (200, Some("Repository")));
    assert!(vary.contains("Accept"), "{vary}");
}

async fn files(repo: &str) {
    let id = repo.rsplit('/').next().unwrap();
    let tree = html(&format!("{repo}/tree/main/src"), None).await;
    shows(
        &tree,
        &["main.rs", &format!("/repos/{id}/blob/main/src/main.rs")],
    );
    let branch_tree = html(&format!("{repo}/tree/feature/y"), None).await;
    shows(&branch_tree, &["README.md", "/blob/feature/y/README.md"]);
    let blob = html(&format!("{repo}/blob/main/src/main.rs"), None).await;
    let raw = format!("/api/v1/repos/{id}/raw/main/src/main.rs");
    shows(
        &blob,
        &[
            "class=\"hl-",
            "hl-comment",
            "id=\"L1\"",
            "href=\"#L4\"",
            "&lt;hi&gt;",
            &raw,
            "Rust",
        ],
    );
    assert!(!blob.body.contains("style=\""), "no inline styles");
    let base = repo.trim_end_matches(&format!("/repos/{id}"));
    let bytes = common::client()
        .get(format!("{base}{raw}"))
        .send()
        .await
        .unwrap();
    assert_eq!(bytes.status(), 200);
    assert!(bytes.text().await.unwrap().contains("println!(\"<hi>\")"));
    let missing = html(&format!("{repo}/blob/main/nope.rs"), None).await;
    assert_eq!(missing.status, 404);
    assert!(
        missing.content_type.starts_with("text/html"),
        "errors are pages"
    );
}

async fn log(repo: &str) {
    let first = html(&format!("{repo}/log"), None).await;
    shows(&first, &["count 54", "count 5", "Older commits"]);
    assert!(!first.body.contains("first: readme and main"), "50 a page");
    let next = first.body.split("rel=\"next\" href=\"").nth(1).unwrap();
    let next = next.split('"').next().unwrap().replace("&#38;", "&");
    let base = url::Url::parse(repo).unwrap();
    let second = html(base.join(&next).unwrap().as_str(), None).await;
    shows(&second, &["first: readme and main", "notes added"]);
    assert!(!second.body.contains("count 54"));
    let filtered = html(&format!("{repo}/log/main?path=docs/notes.txt"), None).await;
    shows(&filtered, &["notes added"]);
    assert!(
        !filtered.body.contains("count 3<"),
        "only commits touching the path"
    );
    let bad = html(&format!("{repo}/log/main?cursor=nonsense"), None).await;
    assert_eq!(bad.status, 400);
}

async fn commit(repo: &str, hash: &str) {
    let page = html(&format!("{repo}/commits/{hash}"), None).await;
    shows(
        &page,
        &[
            "feature: shorter main",
            "src/main.rs",
            "class=\"add\"",
            "+fn main() {}",
            "class=\"del\"",
            "-    println!",
        ],
    );
    let (status, vary, doc) = json(&format!("{repo}/commits/{hash}"), None).await;
    assert_eq!((status, doc["type"].as_str()), (200, Some("Commit")));
    assert!(vary.contains("Accept"), "{vary}");
    let patch = common::client()
        .get(format!("{repo}/commits/{hash}.patch"))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(
        patch.text().await.unwrap().starts_with("From "),
        "the patch stays a patch"
    );
}

/// An empty repository's page says how to push to it; its log has no commits.
async fn empty_repository(w: &common::forge::World) {
    let grant =
        w.a.grant_on("alice", &w.factory, "active", 10)
            .await
            .unwrap();
    let answer = common::forge::create_via_factory(
        &w.a,
        "alice",
        &w.factory,
        "Repository",
        "Nothing yet",
        grant["id"].as_str(),
    )
    .await;
    let empty = answer["result"].as_str().expect("created").to_string();
    let page = html(&empty, None).await;
    shows(&page, &["This repository is empty", "git push origin main"]);
    shows(&html(&format!("{empty}/log"), None).await, &["No commits."]);
}
