//! The tracker's admin removes a repository from the tracker's side: the tracker drops it,
//! leaves it (`Leave`), and the repository revokes the tracker's `write` and stops naming it in
//! `sendPatchesTo`; both tell their followers by `Update`. Without the Grant, from elsewhere,
//! or for a repository the tracker is not linked to: a Reject, and nothing changes.

use crate::common::activities::{answered, answered_remotely};
use crate::common::eventually;
use crate::common::remote::FakeRemote;
use crate::forge::{forge, make, offered, rejected, with, Forge};
use serde_json::{json, Value};

/// The admin's Remove of `repo` from the tracker.
fn remove(f: &Forge, repo: &str) -> Value {
    json!({"type": "Remove", "object": repo, "origin": f.tracker, "to": [f.tracker],
           "capability": f.tracker_grant})
}

/// bob (on B) follows `actor`.
async fn follow(f: &Forge, actor: &str) {
    let follow = json!({"type": "Follow", "object": actor, "to": [actor]});
    let (_, answer) = answered(&f.b, "bob", &follow, actor).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
}

/// An Update of `actor`'s document in bob's inbox.
async fn update_of(f: &Forge, actor: &str) -> Value {
    let token = f.b.login("bob").await;
    let found =
        f.b.find_in_inbox("bob", &token, 15, |v| {
            v["type"] == "Update" && v["actor"] == actor && v["object"]["id"] == actor
        })
        .await;
    found.unwrap_or_else(|| panic!("bob was told of no Update of {actor}"))
}

#[tokio::test]
async fn the_trackers_admin_removes_the_repository_and_both_sides_unlink() {
    let f = forge(&["bob"]).await;
    follow(&f, &f.repo).await;
    follow(&f, &f.tracker).await;
    let (remove_id, answer) = f.post(&f.w.a, "admin", &remove(&f, &f.repo)).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    assert_eq!(answer["object"]["id"], remove_id);
    let unlinked = || async {
        f.sends_patches_to().await.is_null() && f.tracks_patches_for().await == json!([])
    };
    assert!(eventually(15, unlinked).await, "both sides unlinked");
    let repo_update = update_of(&f, &f.repo).await;
    assert!(repo_update["object"].get("sendPatchesTo").is_none());
    let tracker_update = update_of(&f, &f.tracker).await;
    assert_eq!(tracker_update["object"]["tracksPatchesFor"], json!([]));
    // The tracker no longer takes merge requests for the repository.
    let remote = FakeRemote::start();
    let ticket = json!({"type": "Ticket", "attributedTo": remote.actor("mallory"),
        "summary": "Fix", "attachment": {"type": "Offer", "origin": {"type": "Branch",
        "context": remote.actor("r"), "ref": "refs/heads/fix"}, "target": f.repo}});
    let answer = offered(&remote, &f.tracker, 0, json!({"object": ticket})).await;
    rejected(&answer, "does not track patches for");
    // Removed once: a second Remove finds no link.
    let (_, again) = f.post(&f.w.a, "admin", &remove(&f, &f.repo)).await;
    rejected(&again, "does not track patches for");
}

#[tokio::test]
async fn without_the_trackers_admin_grant_or_its_link_nothing_is_removed() {
    let f = forge(&["bob"]).await;
    let (a, b) = (&f.w.a, &f.b);
    let bare = with(remove(&f, &f.repo), json!({"capability": null}));
    rejected(&f.post(b, "bob", &bare).await.1, "needs a capability");
    // The admin's Grant on the repository is not one on the tracker.
    let other = with(remove(&f, &f.repo), json!({"capability": f.repo_grant}));
    rejected(
        &f.post(a, "admin", &other).await.1,
        "was not issued by this resource",
    );
    // The Remove must be of a repository from this tracker.
    let elsewhere = with(remove(&f, &f.repo), json!({"origin": f.repo}));
    rejected(
        &f.post(a, "admin", &elsewhere).await.1,
        "origin is not this tracker",
    );
    // A repository the tracker is not linked to.
    let (second, _) = make(&f.w, "Repository", "Second").await;
    let (_, answer) = f.post(a, "admin", &remove(&f, &second)).await;
    rejected(&answer, "does not track patches for");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(f.is_linked().await, "the link is untouched");
}

#[tokio::test]
async fn a_leave_by_an_actor_holding_no_grant_is_rejected() {
    let f = forge(&[]).await;
    let remote = FakeRemote::start();
    let mallory = remote.actor("mallory");
    let id = format!("{mallory}/activities/leave");
    let leave = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": id,
        "type": "Leave", "actor": mallory, "to": [f.repo], "object": f.repo});
    let answer = answered_remotely(&remote, "mallory", &f.repo, &leave).await;
    rejected(&answer, "holds no Grant on this resource");
    assert!(f.is_linked().await, "the link is untouched");
}
