//! In headless Chromium: A's admin makes a Repository and a PatchTracker through the Factory
//! and links them (`patch_trackers::forge`), pushes `main` and a fork's branch `fix` over SSH,
//! bob on B opens a merge request from it; the tracker page lists it and the merge request
//! page shows its title, state, commit and diff. Both pages are kept as screenshots and checked
//! with axe-core (`browser_journey::page`). [`opened`] is that world, for `mr_actions`.

use crate::browser_journey::page;
use crate::common::browser::{available, Browser};
use crate::common::eventually;
use crate::common::git::{commit, ok, path_of, work_tree, GitUser};
use crate::pt_forge::{forge, make, Forge};
use serde_json::json;
use std::path::{Path, PathBuf};

/// Pushes `main` of `dir` to `repo`, and `branch` with one more commit when given.
pub fn push(git: &GitUser, dir: &Path, repo: &str, branch: Option<&str>) {
    let url = git.url(&path_of(repo));
    ok(git.git(dir, &["push", "-q", &url, "main"]));
    if let Some(b) = branch {
        ok(git.git(dir, &["checkout", "-q", "-B", b]));
        commit(dir, &format!("{b}.txt"), &format!("work on {b}"));
        ok(git.git(dir, &["push", "-q", "-f", &url, b]));
        ok(git.git(dir, &["checkout", "-q", "main"]));
    }
}

/// A's repository and tracker, `main` pushed from a work tree, a fork with the branch `fix`
/// (one commit adding `fix.txt`), and bob's merge request 1 from it, its version fetched.
pub struct Opened {
    pub f: Forge,
    /// The fork's IRI.
    pub fork: String,
    pub git: GitUser,
    pub dir: PathBuf,
    /// The work tree's parent, removed when dropped.
    pub _tmp: tempfile::TempDir,
}

pub async fn opened() -> Opened {
    let f = forge(&["bob"]).await;
    let git = GitUser::register(&f.w.a, &f.w.admin_token).await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = work_tree(tmp.path(), "w", 1);
    push(&git, &dir, &f.repo, None);
    let (fork, _) = make(&f.w, "Repository", "Fork").await;
    push(&git, &dir, &fork, Some("fix"));
    let b = &f.b;
    let offer = json!({"type": "Offer", "to": [f.tracker], "target": f.tracker,
        "object": {"type": "Ticket", "attributedTo": b.at("/people/bob"),
            "summary": "Fix the crash", "content": "<p>please</p><script>x()</script>",
            "attachment": {"type": "Offer",
            "origin": {"type": "Branch", "context": fork, "ref": "refs/heads/fix"},
            "target": {"type": "Branch", "context": f.repo, "ref": "refs/heads/main"}}}});
    let (_, answer) = f.post(b, "bob", &offer).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let a = &f.w.a;
    let fetched = || async {
        a.get_ap(&f.mr(1)).await.1["attachment"]["object"]["target"]["hash"].is_string()
    };
    assert!(eventually(15, fetched).await, "the version was fetched");
    Opened {
        f,
        fork,
        git,
        dir,
        _tmp: tmp,
    }
}

#[tokio::test]
async fn a_merge_request_and_its_tracker_in_chromium() {
    if !available() {
        return;
    }
    let o = opened().await;
    let f = &o.f;
    let browser = Browser::start("web_more").await;
    browser.goto(&f.tracker).await;
    let src = browser.source().await;
    assert!(
        src.contains("Fix the crash") && src.contains("1 open") && src.contains("/repos/game"),
        "{src}"
    );
    page(&browser, "patch-tracker").await;
    browser.goto(&f.mr(1)).await;
    let src = browser.source().await;
    assert!(
        src.contains("Fix the crash") && src.contains("Open"),
        "{src}"
    );
    assert!(
        src.contains("to comment.") && !src.contains(">Approve<") && !src.contains("Merge into"),
        "a visitor gets a sign-in hint and no form: {src}"
    );
    assert!(
        src.contains("?version=1") && src.contains("/repos/game/commits/"),
        "the versions and the commits' pages: {src}"
    );
    assert!(
        src.contains("work on fix") && !src.contains("<script>x()"),
        "{src}"
    );
    let diff_line = "return [...document.querySelectorAll('section.diff td code')]\
                     .filter(c => c.textContent.includes('work on fix')).length;";
    assert_eq!(browser.execute(diff_line).await, 1, "{src}");
    page(&browser, "merge-request").await;
    let closed = format!("{}?state=merged", f.tracker);
    browser.goto(&closed).await;
    assert!(browser.source().await.contains("No tickets here"));
    browser.quit().await;
}
