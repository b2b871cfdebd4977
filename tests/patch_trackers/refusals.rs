//! The refusals: broken merge requests, a TicketTracker offered one, a tracker no longer linked,
//! a link accepted without the tracker's admin Grant. Each a Reject; nothing is created.

use crate::common::eventually;
use crate::common::remote::FakeRemote;
use crate::forge::{forge, make, offered, rejected, with, Forge};
use serde_json::{json, Value};

/// The broken Offers to the tracker of `f`, by `mallory`: what, the Offer's fields, the reason.
fn broken(f: &Forge, mallory: &str, other_repo: &str, issues: &str) -> Value {
    let patch = json!({"type": "Patch", "mediaType": "application/x-git-patch",
                       "content": "From 1234 Mon Sep 17 00:00:00 2001\n"});
    let patches = json!({"type": "OrderedCollection", "items": [patch]});
    let attach = |target: &str| {
        json!({"type": "Offer", "object": patches,
        "target": {"type": "Branch", "context": target, "ref": "refs/heads/main"}})
    };
    let mr = |extra: Value| {
        json!({"object": with(json!({"type": "Ticket", "attributedTo": mallory,
        "summary": "Fix", "attachment": attach(&f.repo)}), extra)})
    };
    let text = with(patch.clone(), json!({"mediaType": "text/plain"}));
    let not_git = with(
        attach(&f.repo),
        json!({"object": {"type": "OrderedCollection", "items": [text]}}),
    );
    json!([
        [
            "no attachment",
            mr(json!({"attachment": null})),
            "attachment of type Offer"
        ],
        ["an id", mr(json!({"id": f.mr(7)})), "must not have an id"],
        [
            "the wrong tracker",
            mr(json!({"context": issues})),
            "is not the Offer's target"
        ],
        [
            "an unlinked repository",
            mr(json!({"attachment": attach(other_repo)})),
            "does not track patches for"
        ],
        [
            "two Offers",
            mr(json!({"attachment": [attach(&f.repo), attach(&f.repo)]})),
            "exactly one"
        ],
        [
            "no origin, no patches",
            mr(json!({"attachment": {"type": "Offer", "target": f.repo}})),
            "needs an origin"
        ],
        [
            "not a git patch",
            mr(json!({"attachment": not_git})),
            "mediaType"
        ],
        [
            "a TicketTracker",
            with(
                mr(json!({"context": issues})),
                json!({"to": [issues], "target": issues})
            ),
            "sendPatchesTo"
        ],
    ])
}

#[tokio::test]
async fn broken_merge_requests_are_rejected_and_create_nothing() {
    let f = forge(&[]).await;
    let remote = FakeRemote::start();
    let mallory = remote.actor("mallory");
    let (other_repo, _) = make(&f.w, "Repository", "Elsewhere").await;
    let (issues, _) = make(&f.w, "TicketTracker", "Issues").await;
    let cases = broken(&f, &mallory, &other_repo, &issues);
    for (i, case) in cases.as_array().unwrap().iter().enumerate() {
        let (what, reason) = (&case[0], case[2].as_str().unwrap());
        let to = case[1]["target"].as_str().unwrap_or(&f.tracker).to_string();
        let answer = offered(&remote, &to, i, case[1].clone()).await;
        assert_eq!(answer["actor"], to, "{what}");
        rejected(&answer, reason);
    }
    assert_eq!(f.mrs().await, 0, "nothing was created");
    assert_eq!(f.w.a.get_ap(&f.mr(1)).await.0, 404);
    // A TicketTracker no longer turns a merge request (or attached Patches) into an issue.
    let patches_only = json!({"object": {"type": "Ticket", "summary": "Fix",
        "attachment": {"type": "Patch", "content": "From 1234"}}});
    let answer = offered(&remote, &issues, 20, patches_only).await;
    rejected(
        &answer,
        "merge requests go to the repository's sendPatchesTo",
    );
    assert_eq!(f.w.a.total(&format!("{issues}/tickets"), None).await, 0);
}

#[tokio::test]
async fn removing_the_tracker_unlinks_both_and_its_offers_are_then_rejected() {
    let f = forge(&[]).await;
    let a = &f.w.a;
    let remove = json!({"type": "Remove", "object": f.tracker, "origin": f.repo,
                        "capability": f.repo_grant});
    f.send(a, "admin", &remove).await;
    let unlinked = || async {
        a.get_ap(&f.repo).await.1.get("sendPatchesTo").is_none()
            && a.get_ap(&f.tracker).await.1["tracksPatchesFor"] == json!([])
    };
    assert!(eventually(15, unlinked).await, "both sides unlinked");
    let remote = FakeRemote::start();
    let mallory = remote.actor("mallory");
    let ticket = json!({"type": "Ticket", "attributedTo": mallory, "summary": "Fix",
        "attachment": {"type": "Offer", "origin": {"type": "Branch", "context": remote.actor("r"),
        "ref": "refs/heads/fix"}, "target": f.repo}});
    let answer = offered(&remote, &f.tracker, 0, json!({"object": ticket})).await;
    rejected(&answer, "does not track patches for");
    assert_eq!(f.mrs().await, 0);
}

#[tokio::test]
async fn only_the_trackers_admin_links_it_to_a_repository() {
    let f = forge(&[]).await;
    let a = &f.w.a;
    let (repo, repo_grant) = make(&f.w, "Repository", "Second").await;
    let invite = json!({"type": "Invite", "object": f.tracker, "instrument": "write",
                        "target": repo, "capability": repo_grant});
    let invite_id = f.send(a, "admin", &invite).await;
    // The repository's Grant is not the tracker's: the tracker refuses the Accept.
    let accept = json!({"type": "Accept", "object": invite_id, "to": [f.tracker],
                        "capability": repo_grant});
    let (_, answer) = f.post(a, "admin", &accept).await;
    rejected(&answer, "was not issued by this resource");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(a.get_ap(&repo).await.1.get("sendPatchesTo").is_none());
    assert_eq!(
        a.get_ap(&f.tracker).await.1["tracksPatchesFor"],
        json!([f.repo])
    );
}
