//! The shared inbox tests' calls: a POST to A's shared inbox, a Note, following the fake, and
//! whether an inbox holds an activity.

use crate::common::remote::{FakeRemote, Sign};
use crate::common::{eventually, Instance};
use serde_json::{json, Value};

/// Private addresses allowed.
pub const PRIVATE_OK: &str = "[federation]\nallow_private_addresses = true\n";

/// POSTs `activity` (by `from`) to A's shared inbox; answers how many local actors stored it.
pub async fn to_shared_inbox(
    remote: &FakeRemote,
    a: &Instance,
    from: &str,
    activity: Value,
) -> u64 {
    let body = serde_json::to_vec(&activity).unwrap();
    let (s, res) = remote.post(&a.at("/inbox"), &body, &Sign::by(from)).await;
    assert_eq!(s, 202, "{res}");
    res["stored"].as_u64().expect("stored")
}

/// Note `n` by `from` (on `remote`) to `to`, saying `content`.
pub fn note(remote: &FakeRemote, from: &str, n: &str, to: Value, content: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/{n}", remote.actor(from)),
        "type": "Create",
        "actor": remote.actor(from),
        "to": to,
        "object": {"type": "Note", "content": content},
    })
}

/// `user` follows the fake's `name`: the C2S Follow goes out, the fake answers with an Accept.
pub async fn follow_remote(a: &Instance, user: &str, token: &str, remote: &FakeRemote, name: &str) {
    let (s, res) = a
        .post_outbox(
            user,
            token,
            &json!({"type": "Follow", "object": remote.actor(name)}),
        )
        .await;
    assert_eq!(s, 201, "{res}");
    let follow_id = res["id"].as_str().unwrap().to_string();
    assert!(
        eventually(10, || async {
            remote.received().iter().any(|r| r.2["id"] == follow_id)
        })
        .await,
        "the Follow reached the remote"
    );
    let me = a.at(&format!("/people/{user}"));
    let accept = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/accepts/{user}", remote.actor(name)),
        "type": "Accept",
        "actor": remote.actor(name),
        "to": [me],
        "object": follow_id,
    });
    let body = serde_json::to_vec(&accept).unwrap();
    let (s, _) = remote
        .post(&format!("{me}/inbox"), &body, &Sign::by(name))
        .await;
    assert_eq!(s, 202);
    let following = format!("{me}/following");
    let followed = remote.actor(name);
    assert!(
        eventually(10, || async {
            a.collection(&following, None)
                .await
                .iter()
                .any(|f| f == &json!(followed))
        })
        .await,
        "{user} follows {name}"
    );
}

/// Whether `user`'s inbox holds an activity with this id (after a moment for processing).
pub async fn has(a: &Instance, user: &str, token: &str, id: &Value) -> bool {
    let items = a
        .collection(&a.at(&format!("/people/{user}/inbox")), Some(token))
        .await;
    items.iter().any(|i| &i["id"] == id)
}
