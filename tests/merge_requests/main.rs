//! Merge requests and forks across three instances (issue #17), with the real `git` and `ssh`
//! clients: bob on B forks alice's repository on A through B's Factory, pushes a branch to his
//! fork over SSH and opens a merge request (the spec's Offer) on alice's PatchTracker; carol on
//! C comments on a line of its diff (a Review with a ReviewThread); bob pushes a fix (a second
//! version); alice approves and merges (the spec's Apply): the merge commit is in alice's
//! repository, its followers (carol) get the Push, bob is told the MR is merged. The refusals
//! are in `refusals`: each is a Reject or a 4xx, and nothing changes. An MR from another forge's
//! branch opened across a restart, and a merge whose answer was lost, are in `resumed`.
//!
//! Written against MR.md and the spec before the PatchTracker (`tracker`) and forks (`gitjobs`)
//! branches are merged: ignored until then.

#[path = "../common/mod.rs"]
mod common;
#[path = "../forks/fake_forge.rs"]
mod fake_forge;
mod forge;
mod refusals;
mod resumed;

use common::eventually;
use common::forge::B_SETTINGS;
use common::git::{commit, ok, path_of, rev, work_tree, GitUser};
use common::Instance;
use forge::vector;
use forge::{answer, branch, create, doc, link, person, post, remote_head, result, send, site};
use serde_json::{json, Value};
use std::path::PathBuf;

/// Three instances, alice's linked repository and PatchTracker on A, with `main` pushed.
pub struct Journey {
    pub a: Instance,
    pub b: Instance,
    pub c: Instance,
    /// B's Factory and bob's `write` Grant on it.
    pub b_factory: (String, String),
    pub repo: String,
    pub tracker: String,
    /// alice's admin Grant on the tracker (what her Apply invokes).
    pub alice_on_tracker: String,
    pub alice_git: GitUser,
    pub bob_git: GitUser,
    /// alice's work tree (pushing `main` to A) and bob's (a clone of his fork).
    pub alice_work: PathBuf,
    pub bob_work: PathBuf,
    pub tmp: tempfile::TempDir,
}

#[tokio::test]
async fn bob_forks_opens_an_mr_carol_reviews_alice_merges() {
    let j = set_up().await;
    let fork = bob_forks(&j).await;
    let first = bob_pushes(&j, &fork, "fix", "fix.txt").await;
    let mr = bob_opens(&j, &fork, "fix").await;
    in_the_target(&j, &first).await;
    carol_comments_on_a_line(&j, &mr).await;
    let fixed = bob_pushes(&j, &fork, "fix", "fix-2.txt").await;
    let second = format!("{mr}/versions/2");
    let two = eventually(20, || async { j.a.get_ap(&second).await.0 == 200 }).await;
    assert!(two, "bob's push made version 2 of the MR");
    assert_eq!(doc(&j.a, &mr).await["attachment"]["object"]["id"], second);
    alice_approves_and_merges(&j, &mr, &fixed).await;
}

/// A (alice: a Repository and a PatchTracker, linked; `main` pushed over SSH), B (bob, with a
/// Factory and an SSH key), C (carol, who follows alice's repository).
pub async fn set_up() -> Journey {
    let ((a, a_factory), (b, b_factory)) = (site("a").await, site("b").await);
    let c = Instance::start("c", B_SETTINGS).await;
    let (_, alice_on_factory) = person(&a, &a_factory, "alice").await;
    let (_, bob_on_factory) = person(&b, &b_factory, "bob").await;
    c.register("carol").await;
    let alices = (a_factory.as_str(), alice_on_factory.as_str());
    let repo = result(&create(&a, "alice", alices, ("Repository", "Tree Sim"), json!({})).await);
    let kind = ("PatchTracker", "Tree Sim Patches");
    let tracker = result(&create(&a, "alice", alices, kind, json!({})).await);
    assert!(tracker.contains("/patch-trackers/"), "{tracker}");
    let grant_id = |g: Option<Value>| g.expect("a Grant")["id"].as_str().unwrap().to_string();
    let alice_on_repo = grant_id(a.grant_on("alice", &repo, "active", 10).await);
    let alice_on_tracker = grant_id(a.grant_on("alice", &tracker, "active", 10).await);
    link(&a, &repo, &tracker, (&alice_on_repo, &alice_on_tracker)).await;
    let tmp = tempfile::tempdir().unwrap();
    let alice_git = GitUser::register(&a, &a.login("alice").await).await;
    let alice_work = work_tree(tmp.path(), "alice", 1);
    ok(alice_git.git(
        &alice_work,
        &["push", &alice_git.url(&path_of(&repo)), "main"],
    ));
    let bob_git = GitUser::register(&b, &b.login("bob").await).await;
    let follow = json!({"type": "Follow", "to": [repo], "object": repo});
    send(&c, "carol", &follow).await;
    let (carol, followers) = (c.at("/people/carol"), format!("{repo}/followers"));
    let followed = eventually(20, || async {
        let items = a.collection(&followers, None).await;
        items.iter().any(|f| f == carol.as_str())
    });
    assert!(followed.await, "carol follows alice's repository");
    let bob_work = tmp.path().join("bob");
    Journey {
        a,
        b,
        c,
        b_factory: (b_factory, bob_on_factory),
        repo,
        tracker,
        alice_on_tracker,
        alice_git,
        bob_git,
        alice_work,
        bob_work,
        tmp,
    }
}

/// bob forks alice's repository through B's Factory: the fork's `origin`, its copied `main`,
/// and alice's repository listing it in `forks`. Answers the fork's IRI.
async fn bob_forks(j: &Journey) -> String {
    let factory = (j.b_factory.0.as_str(), j.b_factory.1.as_str());
    let origin = json!({"origin": j.repo});
    let fork = result(&create(&j.b, "bob", factory, ("Repository", "Tree Sim"), origin).await);
    assert!(fork.starts_with(&j.b.url), "{fork}");
    assert_eq!(doc(&j.b, &fork).await["origin"], j.repo.as_str());
    let alice_main = rev(&j.alice_work, "main");
    let copied = eventually(30, || async {
        remote_head(&fork, "main").as_deref() == Some(alice_main.as_str())
    });
    assert!(copied.await, "the fork has alice's main");
    let forks = format!("{}/forks", j.repo);
    let listed = eventually(20, || async {
        j.a.collection(&forks, None)
            .await
            .iter()
            .any(|f| f == fork.as_str())
    });
    assert!(listed.await, "alice's repository lists the fork");
    fork
}

/// bob commits `file` on `branch` in his clone of the fork and pushes it over SSH to B;
/// answers the new commit.
pub async fn bob_pushes(j: &Journey, fork: &str, branch: &str, file: &str) -> String {
    if !j.bob_work.exists() {
        forge::clone(&j.bob_git, fork, j.tmp.path(), "bob");
    }
    let (git, dir) = (&j.bob_git, &j.bob_work);
    ok(git.git(dir, &["checkout", "-q", "-B", branch]));
    commit(dir, file, &format!("bob adds {file}"));
    ok(git.git(dir, &["push", "-q", "origin", branch]));
    rev(dir, "HEAD")
}

/// bob opens an MR from `branch` of his fork with the spec's Offer (patches left out: the
/// source branch is the MR); answers the MR's IRI.
pub async fn bob_opens(j: &Journey, fork: &str, source: &str) -> String {
    let bob = j.b.at("/people/bob");
    let source_ref = format!("refs/heads/{source}");
    let swaps = [
        (
            "https://dev.example/projects/game-of-life/pr-tracker",
            j.tracker.as_str(),
        ),
        (
            "https://dev.example/projects/game-of-life/repo",
            j.repo.as_str(),
        ),
        ("https://forge.example/luke/game-of-life", fork),
        ("https://forge.example/luke", &bob),
        ("refs/heads/fix-animation-bug", &source_ref),
    ];
    let mut offer = vector("Offer-Ticket--opening-mr.json", &swaps);
    offer["cc"] = json!([format!("{}/followers", j.repo)]);
    let attachment = offer["object"]["attachment"].as_object_mut().unwrap();
    attachment.remove("object");
    let (_, answer) = post(&j.b, "bob", &j.tracker, &offer).await;
    let mr = result(&answer);
    assert!(
        mr.starts_with(&format!("{}/merge-requests/", j.tracker)),
        "{mr}"
    );
    let got = doc(&j.a, &mr).await;
    let want = json!({"type": "Ticket", "context": j.tracker, "attributedTo": bob,
        "summary": "Fix the animation bug", "isResolved": false, "isMerged": false});
    for (k, v) in want.as_object().unwrap() {
        assert_eq!(&got[k], v, "{k}: {got}");
    }
    mr
}

/// The MR's source commit was fetched into alice's repository: the compare of `main` with it
/// lists it (the diff an MR shows).
async fn in_the_target(j: &Journey, head: &str) {
    let id = path_of(&j.repo)
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let url = j.a.at(&format!("/api/v1/repos/{id}/compare/main...{head}"));
    let listed = eventually(20, || async {
        let res = common::client().get(&url).send().await;
        let body: Value = match res {
            Ok(r) if r.status() == 200 => r.json().await.unwrap_or_default(),
            _ => return false,
        };
        body["commits"][0]["hash"] == head
    });
    assert!(listed.await, "alice's repository holds bob's commit {head}");
}

/// carol, on C, reviews the MR with a comment on line 1 of `fix.txt` (a ReviewThread whose
/// target is a CodeQuote).
async fn carol_comments_on_a_line(j: &Journey, mr: &str) {
    let carol = j.c.at("/people/carol");
    let quote = json!({"type": "CodeQuote", "cqFile": "fix.txt", "cqLine": 1,
        "cqSide": "diffSideNew"});
    let thread = json!({"type": "ReviewThread", "target": quote,
        "object": {"type": "Note", "attributedTo": carol, "content": "<p>Typo here</p>"}});
    let review = json!({"type": "Review", "context": mr, "verdict": "remark",
        "object": format!("{mr}/versions/1"), "reviewThreads": [thread],
        "attachment": {"type": "Note", "attributedTo": carol, "content": "<p>One remark</p>"}});
    let offer = json!({"type": "Offer", "to": [j.tracker], "target": j.tracker, "object": review});
    let (_, answer) = post(&j.c, "carol", &j.tracker, &offer).await;
    let published = doc(&j.a, &result(&answer)).await;
    assert_eq!(published["type"], "Review", "{published}");
    let target = &published["reviewThreads"][0]["target"];
    assert_eq!(
        (&target["cqFile"], &target["cqLine"]),
        (&json!("fix.txt"), &json!(1))
    );
}

/// alice pushes to `main` (so a merge commit is needed), approves, then merges with the spec's
/// Apply: `main` is a merge commit of her tip and bob's `head`; carol gets the Push; bob is
/// told; the MR is resolved.
async fn alice_approves_and_merges(j: &Journey, mr: &str, head: &str) {
    let alice = j.a.at("/people/alice");
    commit(&j.alice_work, "main.txt", "alice goes on");
    let url = j.alice_git.url(&path_of(&j.repo));
    ok(j.alice_git
        .git(&j.alice_work, &["push", "-q", &url, "main"]));
    let ours = rev(&j.alice_work, "main");
    let approve = json!({"type": "Offer", "to": [j.tracker], "target": j.tracker,
        "capability": j.alice_on_tracker, "object": {"type": "Review", "context": mr,
        "verdict": "approve", "reviewIsBinding": true, "object": format!("{mr}/versions/2")}});
    let (_, approved) = post(&j.a, "alice", &j.tracker, &approve).await;
    assert_eq!(approved["type"], "Accept", "{approved}");
    let apply = apply(j, &alice, mr, &j.alice_on_tracker);
    let (apply_id, accepted) = post(&j.a, "alice", &j.tracker, &apply).await;
    assert_eq!(accepted["type"], "Accept", "{accepted}");
    let merged = remote_head(&j.repo, "main").expect("main");
    assert_eq!(forge::parents(&j.repo, &merged), [ours, head.to_string()]);
    let token = j.c.login("carol").await;
    let push = j.c.find_in_inbox("carol", &token, 20, |v| {
        v["type"] == "Push" && v["hashAfter"] == merged.as_str()
    });
    let push = push.await.expect("carol got the merge's Push");
    assert_eq!(
        (&push["actor"], &push["attributedTo"]),
        (&json!(j.repo), &json!(alice))
    );
    let told = answer(&j.b, "bob", &j.tracker, &apply_id).await;
    assert!(told.is_some(), "bob is told of the merge");
    let merged_mr = doc(&j.b, mr).await;
    assert_eq!(
        (&merged_mr["isResolved"], &merged_mr["isMerged"]),
        (&json!(true), &json!(true))
    );
}

/// The spec's Apply of `mr` into `main`, by `who` invoking `capability`.
pub fn apply(j: &Journey, who: &str, mr: &str, capability: &str) -> Value {
    let spec = "https://fig.fr33domlover.site";
    let swaps = [
        (format!("{spec}/looms/9nOkn/cloths/mbWob/bundles/mbWob"), mr),
        (format!("{spec}/looms/9nOkn/outbox/kDJx0"), capability),
        (format!("{spec}/people/qn870"), who),
    ];
    let swaps: Vec<(&str, &str)> = swaps.iter().map(|(f, t)| (f.as_str(), *t)).collect();
    let mut apply = vector("Apply--vocab-Apply.json", &swaps);
    apply["to"] = json!([j.tracker]);
    apply["target"] = branch(&j.repo, "main");
    apply
}
