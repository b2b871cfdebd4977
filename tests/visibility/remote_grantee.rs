//! A grantee on another instance (a fediverse peer's person invited with `visit`, accepting with
//! a signed Accept) reads the private repository with signed GETs; another person of the same
//! peer does not.

use crate::common::eventually;
use crate::common::forge::World;
use crate::common::remote::{FakeRemote, Sign};
use serde_json::json;

pub async fn reads_with_signed_gets(w: &World, repo: &str, api: &str) {
    let remote = FakeRemote::start();
    let rita = remote.actor("mallory");
    let grant = crate::calls::admin_grant(&w.a, "alice", repo).await;
    let invite = json!({"type": "Invite", "object": rita, "instrument": "visit",
                        "target": repo, "capability": grant});
    let invite_id = crate::calls::post(&w.a, "alice", invite).await;
    let accept = json!({"@context": "https://www.w3.org/ns/activitystreams",
                        "id": format!("{rita}/activities/accept-1"), "type": "Accept",
                        "actor": rita, "object": invite_id, "to": [repo]});
    let body = serde_json::to_vec(&accept).unwrap();
    let (s, answer) = remote
        .post(&format!("{repo}/inbox"), &body, &Sign::by("mallory"))
        .await;
    assert!(s < 300, "{s} {answer}");
    let granted = eventually(15, || async {
        remote
            .received()
            .iter()
            .any(|(_, _, b)| b["type"] == "Grant" && b["target"] == rita)
    });
    assert!(granted.await, "mallory was granted visit");
    let (s, doc) = remote.signed_get(repo, "mallory", None).await;
    assert_eq!((s, doc["id"].as_str()), (200, Some(repo)), "{doc}");
    let (s, refs) = remote
        .signed_get(&format!("{api}/refs"), "mallory", None)
        .await;
    assert_eq!(
        (s, refs["default_branch"].as_str()),
        (200, Some("main")),
        "{refs}"
    );
    let (s, _) = remote.signed_get(repo, "eve", None).await;
    assert_eq!(s, 404, "another person of the same peer");
}
