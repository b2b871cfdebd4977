//! The merge request page's forms, over real instances and the real git client
//! (`merge_request_pages::opened`: bob on B offered a branch of a fork on A). In headless
//! Chromium, A's admin (admin Grant on the tracker) approves, comments on a line of the diff,
//! replies in the thread, resolves it and merges: the merge commit is the target repository's
//! `main` afterwards. The refusals, through the forms as a browser posts them: no CSRF token
//! (403, nothing sent), dave without a Grant (no buttons, 403 for merge, close, resolve and
//! dismiss, nothing sent), a thread that is not there (404), a conflicting merge (the tracker's
//! reason on the page, nothing merged), each refusal page checked with axe; and a second
//! version (a push to the origin branch), the page of each version.

use crate::browser_journey::{page, sign_in};
use crate::common::browser::{available, Browser};
use crate::common::git::{commit, ok, path_of, GitUser};
use crate::merge_request_pages::{opened, Opened};
use crate::web::Web;
use crate::world::Two;
use serde_json::Value;

/// The merge request page's path on A.
const MR: &str = "/patch-trackers/patches/merge-requests/1";

/// The hash of `main` of the repository at `repo`, read with `git ls-remote`.
fn main_of(git: &GitUser, dir: &std::path::Path, repo: &str) -> String {
    let url = git.url(&path_of(repo));
    let out = ok(git.git(dir, &["ls-remote", &url, "refs/heads/main"]));
    out.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Waits (up to 15 s) until the page holds `text`, reloading `url` every 3 s.
async fn shows(b: &Browser, url: &str, text: &str) -> bool {
    for i in 1..=150 {
        let ready = b.execute("return document.readyState;").await == "complete";
        if ready && b.source().await.contains(text) {
            return true;
        }
        if ready && i % 30 == 0 {
            b.goto(url).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

/// The reviews of merge request 1 (JSON).
async fn reviews(o: &Opened) -> Vec<Value> {
    let a = &o.f.w.a;
    a.collection(&format!("{}/reviews", o.f.mr(1)), None).await
}

#[tokio::test]
async fn a_writer_approves_comments_on_a_line_resolves_and_merges_in_chromium() {
    if !available() {
        return;
    }
    let o = opened().await;
    let (a, url) = (&o.f.w.a, o.f.mr(1));
    let b = Browser::start("web_more").await;
    sign_in(&b, a, "admin").await;
    b.goto(&url).await;
    page(&b, "mr-writer").await;
    b.type_into("#review-content", "Looks *good*").await;
    b.click("button[value=approve]").await;
    assert!(
        shows(&b, &url, "<em>good</em>").await,
        "the review is shown"
    );
    assert_eq!(reviews(&o).await[0]["verdict"], "approve");
    b.click("a.line-comment[href*='1:n1']").await;
    assert!(
        shows(&b, &url, "id=\"line-comment\"").await,
        "the form opened"
    );
    page(&b, "mr-line-form").await;
    b.type_into("#line-comment", "Say *why*").await;
    b.click("form[action$='/threads'] button").await;
    assert!(
        shows(&b, &url, "fix.txt, line 1").await,
        "the thread is shown"
    );
    let thread = &reviews(&o).await[1]["reviewThreads"][0];
    assert_eq!(
        (&thread["target"]["cqFile"], &thread["target"]["cqLine"]),
        (&Value::from("fix.txt"), &Value::from(1))
    );
    let in_row = "return document.querySelectorAll('tr.threads article.thread').length;";
    assert_eq!(b.execute(in_row).await, 1, "beside its line");
    b.click("article.thread details summary").await;
    b.type_into("textarea[id^=reply-]", "Because").await;
    b.click("form[action$='/reply'] button").await;
    assert!(shows(&b, &url, "Because").await, "the reply is shown");
    b.click("form[action$='/resolve'] button").await;
    assert!(shows(&b, &url, "Unresolve thread").await);
    let thread = thread["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(a.get_ap(&thread).await.1["isResolved"], true);
    let replies = a.collection(&format!("{thread}/replies"), None).await;
    assert_eq!(replies.len(), 2, "{replies:?}");
    page(&b, "mr-thread-resolved").await;
    b.click("form[action$='/merge'] button").await;
    assert!(
        shows(&b, &url, ">Merged<").await,
        "the page shows it merged"
    );
    let doc = a.get_ap(&url).await.1;
    assert_eq!(doc["isMerged"], true, "{doc}");
    let merged = main_of(&o.git, &o.dir, &o.f.repo);
    assert_eq!(doc["mergeCommit"], merged.as_str());
    assert!(!b.source().await.contains("Merge into"), "no merge button");
    page(&b, "mr-merged").await;
    b.quit().await;
}

/// A form of the page posted as the admin without a token: 403 and nothing sent.
async fn refused_without_token(o: &Opened, admin: &Web) {
    let before = Two::outbox(&o.f.w.a, "admin").await;
    for (action, fields) in [
        ("reviews", vec![("verdict", "approve")]),
        (
            "threads",
            vec![("file", "fix.txt"), ("side", "diffSideNew")],
        ),
        ("merge", vec![]),
        ("close", vec![]),
        ("comments", vec![("content", "hi")]),
    ] {
        let (s, _, body) = admin.post(&format!("{MR}/{action}"), &fields).await;
        assert_eq!(s, 403, "{action}: {body}");
    }
    assert_eq!(Two::outbox(&o.f.w.a, "admin").await, before);
    assert!(reviews(o).await.is_empty());
    assert_eq!(o.f.w.a.get_ap(&o.f.mr(1)).await.1["isResolved"], false);
}

/// dave on A holds no Grant: he may review (the tracker is public) but sees no merge, close,
/// resolve or dismiss button, and each of those forms is refused with 403, sending nothing.
async fn dave_may_not_decide(o: &Opened) {
    o.f.w.a.register("dave").await;
    let dave = Web::signed_in(&o.f.w.a, "dave").await;
    let seen = dave.page(MR).await;
    assert!(seen.contains(">Approve<"), "{seen}");
    for hidden in [
        "Merge into",
        "Close merge request",
        "Resolve thread",
        "Dismiss",
    ] {
        assert!(!seen.contains(hidden), "{hidden}: {seen}");
    }
    let token = dave.csrf(MR).await;
    let thread = format!("{MR}/reviews/1/threads/1");
    for (action, needs) in [
        (format!("{MR}/merge"), "write"),
        (format!("{MR}/close"), "triage"),
        (format!("{thread}/resolve"), "write"),
        (format!("{MR}/approvals/1/dismiss"), "write"),
    ] {
        let (s, _, body) = dave.post(&action, &[("csrf", &token)]).await;
        assert_eq!(s, 403, "{action}: {body}");
        assert!(body.contains(needs), "{action}: {body}");
    }
    assert_eq!(Two::outbox(&o.f.w.a, "dave").await, 0);
    let doc = o.f.w.a.get_ap(&o.f.w.a.at(&thread)).await.1;
    assert_eq!(doc["isResolved"], false, "{doc}");
}

/// A push to the origin branch makes version 2: the page lists both, shows the latest's
/// commits (linked to the target repository's commit pages) with its lines commentable, and
/// `?version=1` the first's, without line comments.
async fn versions(o: &Opened, admin: &Web) {
    ok(o.git.git(&o.dir, &["checkout", "-q", "fix"]));
    commit(&o.dir, "more.txt", "more work");
    ok(o.git.git(
        &o.dir,
        &["push", "-q", &o.git.url(&path_of(&o.fork)), "fix"],
    ));
    ok(o.git.git(&o.dir, &["checkout", "-q", "main"]));
    let a = &o.f.w.a;
    let second = || async {
        let doc = a.get_ap(&o.f.mr(1)).await.1;
        doc["attachment"]["object"]["id"]
            .as_str()
            .unwrap_or_default()
            .ends_with("/versions/2")
            && doc["attachment"]["object"]["target"]["hash"].is_string()
    };
    assert!(crate::common::eventually(20, second).await, "version 2");
    let latest = admin.page(MR).await;
    assert!(
        latest.contains("?version=1") && latest.contains("?version=2"),
        "{latest}"
    );
    assert!(latest.contains("more work") && latest.contains("class=\"line-comment\""));
    let marker = "href=\"/repos/game/commits/";
    let at = latest.find(marker).expect("a commit link") + "href=\"".len();
    let link = latest[at..].split('"').next().unwrap_or_default();
    assert_eq!(admin.get(link).await.0, 200, "{link}");
    let no_script = admin.page(&format!("{MR}?line=1:n1")).await;
    let hidden = "name=\"file\" value=\"fix.txt\"";
    assert!(
        no_script.contains(hidden),
        "the form under line 1 without a script: {no_script}"
    );
    let first = admin.page(&format!("{MR}?version=1")).await;
    assert!(
        first.contains("work on fix") && !first.contains("more work"),
        "{first}"
    );
    assert!(first.contains("not the latest") && !first.contains("class=\"line-comment\""));
}

#[tokio::test]
async fn the_merge_request_forms_refuse_and_a_conflict_shows_its_reason() {
    let o = opened().await;
    let admin = Web::signed_in(&o.f.w.a, "admin").await;
    refused_without_token(&o, &admin).await;
    let line = [
        ("file", "fix.txt"),
        ("side", "diffSideNew"),
        ("line", "1"),
        ("content", "Why?"),
    ];
    assert_eq!(admin.submit(MR, &format!("{MR}/threads"), &line).await, MR);
    let approve = [("verdict", "approve")];
    assert_eq!(
        admin.submit(MR, &format!("{MR}/reviews"), &approve).await,
        MR
    );
    dave_may_not_decide(&o).await;
    let missing = format!("{MR}/reviews/9/threads/9/resolve");
    let token = admin.csrf(MR).await;
    assert_eq!(admin.post(&missing, &[("csrf", &token)]).await.0, 404);
    let dismiss = format!("{MR}/approvals/1/dismiss");
    assert_eq!(admin.submit(MR, &dismiss, &[]).await, MR);
    assert!(admin.page(MR).await.contains(">dismissed<"));

    versions(&o, &admin).await;

    commit(&o.dir, "fix.txt", "main's own fix");
    ok(o.git.git(
        &o.dir,
        &["push", "-q", &o.git.url(&path_of(&o.f.repo)), "main"],
    ));
    let before = main_of(&o.git, &o.dir, &o.f.repo);
    let went = admin.submit(MR, &format!("{MR}/merge"), &[]).await;
    assert!(went.starts_with(&format!("{MR}?sent=")), "{went}");
    let seen = admin.page(&went).await;
    assert!(
        seen.contains("Refused: the merge conflicts in: fix.txt"),
        "{seen}"
    );
    assert_eq!(o.f.w.a.get_ap(&o.f.mr(1)).await.1["isMerged"], false);
    assert_eq!(main_of(&o.git, &o.dir, &o.f.repo), before);
    if !available() {
        return;
    }
    let b = Browser::start("web_more").await;
    sign_in(&b, &o.f.w.a, "admin").await;
    b.goto(&o.f.w.a.at(&went)).await;
    assert!(b.source().await.contains("merge conflicts"));
    page(&b, "mr-conflict").await;
    b.goto(&o.f.w.a.at(&format!("{MR}?version=1"))).await;
    assert!(b.source().await.contains("not the latest"));
    page(&b, "mr-older-version").await;
    b.quit().await;
}
