//! The inbox tests' set-up: a fake remote and an instance with bob; Follow bodies; bob's inbox
//! and followers counted; a POST expected to be refused with a JSON reason.

use crate::common::remote::{FakeRemote, Sign};
use crate::common::Instance;
use serde_json::{json, Value};

/// A fake remote, and an instance with bob (and his token).
pub struct Setup {
    pub remote: FakeRemote,
    pub a: Instance,
    pub bob: String,
    pub token: String,
}

/// Starts the fake remote and the instance, and registers bob.
pub async fn setup() -> Setup {
    let remote = FakeRemote::start();
    let a = Instance::start("a", "[federation]\nallow_private_addresses = true\n").await;
    let bob = a.register("bob").await;
    let token = a.login("bob").await;
    Setup {
        remote,
        a,
        bob,
        token,
    }
}

/// Follow number `n` of `object` by `actor`.
pub fn follow(remote: &FakeRemote, actor: &str, object: &str, n: u32) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/{n}", remote.actor(actor)),
        "type": "Follow",
        "actor": remote.actor(actor),
        "object": object,
    }))
    .unwrap()
}

/// An Undo by `actor` of `object` (the Follow embedded, or its IRI), with id `.../undo/{tag}`.
pub fn undo(remote: &FakeRemote, actor: &str, tag: &str, object: &Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/undo/{tag}", remote.actor(actor)),
        "type": "Undo",
        "actor": remote.actor(actor),
        "object": object,
    }))
    .unwrap()
}

impl Setup {
    /// The number of items in bob's inbox.
    pub async fn inbox_total(&self) -> u64 {
        self.a
            .total(&format!("{}/inbox", self.bob), Some(&self.token))
            .await
    }

    /// The number of bob's followers.
    pub async fn followers(&self) -> u64 {
        self.a.total(&format!("{}/followers", self.bob), None).await
    }

    /// POSTs `body` to bob's inbox signed as `sign` says: refused with `status` and a reason.
    pub async fn expect_refused(&self, what: &str, body: &[u8], sign: Sign, status: u16) {
        let (s, res) = self
            .remote
            .post(&format!("{}/inbox", self.bob), body, &sign)
            .await;
        assert_eq!(s, status, "{what}: {res}");
        let reason = res["error"].as_str().unwrap_or_default();
        assert!(!reason.is_empty(), "{what}: a JSON reason is given");
        eprintln!("{what}: {s} {reason}");
    }
}

/// A Follow of `object` by `actor` with the given id.
pub fn follow_with_id(remote: &FakeRemote, actor: &str, object: &str, id: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id,
        "type": "Follow",
        "actor": remote.actor(actor),
        "object": object,
    }))
    .unwrap()
}
