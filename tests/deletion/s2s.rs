//! The same Delete over S2S: an admin on another instance (given `admin` on the repository by
//! its creator's Invite) deletes it; the Accept reaches her home instance, signed with the key
//! the repository no longer has, and the repository is gone.

use crate::calls::*;
use crate::common::forge::{with_repo, B_SETTINGS};
use crate::common::Instance;
use serde_json::json;

#[tokio::test]
async fn an_admin_on_another_instance_deletes_a_repository() {
    let (w, _alice, repo) = with_repo("Far").await;
    let b = Instance::start("b", B_SETTINGS).await;
    let carol = b.register("carol").await;
    let grant = admin_grant(&w.a, "alice", &repo).await;
    let invite = json!({"type": "Invite", "object": carol, "instrument": "admin",
                        "target": repo, "capability": grant});
    let invite_id = post(&w.a, "alice", invite).await;
    let token = b.login("carol").await;
    let invited = b.find_in_inbox("carol", &token, 15, |v| v["id"] == invite_id);
    assert!(invited.await.is_some(), "carol was invited");
    post(&b, "carol", json!({"type": "Accept", "object": invite_id})).await;
    let carols = b
        .grant_on("carol", &repo, "active", 15)
        .await
        .expect("a Grant");
    assert_eq!(carols["object"], "admin");

    let delete = delete_of(&repo, &[], carols["id"].as_str());
    let id = post(&b, "carol", delete).await;
    let answer = answer_to(&b, "carol", &id, &repo).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    assert_eq!(get(&repo).await.0, 410);
    let (s, doc) = get(&format!("{repo}/main-key")).await;
    assert_eq!((s, doc["type"].clone()), (410, json!("Tombstone")));
}
