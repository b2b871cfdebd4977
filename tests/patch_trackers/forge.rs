//! The patch tracker tests' world: A, whose admin makes a Repository and a PatchTracker through
//! the Factory and links them (Invite of the tracker to `write` on the repository, accepted by
//! the tracker's admin), and B with people; posting through an outbox and waiting for the
//! tracker's answer.

use crate::common::eventually;
use crate::common::forge::{create_via_factory, world, World, B_SETTINGS};
use crate::common::remote::{FakeRemote, Sign};
use crate::common::Instance;
use serde_json::{json, Value};

/// A ForgeFed spec example with its IRIs swapped (in the order given) and its `id` removed.
pub fn vector(name: &str, swaps: &[(&str, &str)]) -> Value {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/tests/vectors/forgefed-spec"
    );
    let mut text = std::fs::read_to_string(format!("{dir}/{name}")).expect("vector");
    for (from, to) in swaps {
        text = text.replace(from, to);
    }
    let mut v: Value = serde_json::from_str(&text).expect("vector JSON");
    v.as_object_mut().expect("object").remove("id");
    v
}

/// `base` with the keys of `extra` set (null values included).
pub fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        base[k] = v;
    }
    base
}

/// `answer` is a Reject whose summary says `reason`.
pub fn rejected(answer: &Value, reason: &str) {
    assert_eq!(answer["type"], "Reject", "{answer}");
    let summary = answer["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains(reason),
        "{summary:?} should say {reason:?}"
    );
}

/// mallory (a fake remote server, signed S2S) offers `activity` to `to`; answers the Reject or
/// Accept that came back.
pub async fn offered(remote: &FakeRemote, to: &str, i: usize, activity: Value) -> Value {
    let mallory = remote.actor("mallory");
    let id = format!("{mallory}/activities/{i}");
    let base = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": id,
        "type": "Offer", "actor": mallory, "to": [to], "target": to});
    let body = serde_json::to_vec(&with(base, activity)).unwrap();
    let (s, _) = remote
        .post(&format!("{to}/inbox"), &body, &Sign::by("mallory"))
        .await;
    assert_eq!(s, 202);
    let find = || {
        remote
            .received()
            .into_iter()
            .map(|r| r.2)
            .find(|v| v["object"]["id"] == id)
    };
    assert!(
        eventually(15, || async { find().is_some() }).await,
        "no answer to {id}"
    );
    find().unwrap_or_default()
}

/// A with the repository "Game" and the PatchTracker "Patches" (and the admin's Grants on
/// both), and B.
pub struct Forge {
    pub w: World,
    pub b: Instance,
    pub repo: String,
    pub repo_grant: String,
    pub tracker: String,
    pub tracker_grant: String,
}

/// The admin makes a `kind` named `name` through the Factory; answers it and the admin's Grant.
pub async fn make(w: &World, kind: &str, name: &str) -> (String, String) {
    let (f, admin) = (w.factory.clone(), w.admin_grant.clone());
    let answer = create_via_factory(&w.a, "admin", &f, kind, name, Some(&admin)).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let made = answer["result"].as_str().expect("result").to_string();
    let grant = w.a.grant_on("admin", &made, "active", 10).await;
    let grant = grant.expect("admin Grant")["id"].as_str().unwrap().into();
    (made, grant)
}

/// A (its Factory also making PatchTrackers) with a linked repository and tracker, and B with
/// `people`.
pub async fn forge(people: &[&str]) -> Forge {
    let w = world().await;
    let b = Instance::start("b", B_SETTINGS).await;
    for p in people {
        b.register(p).await;
    }
    let types = json!(["Repository", "TicketTracker", "PatchTracker", "Project"]);
    let edit = json!({"type": "Edit", "to": [w.factory], "capability": w.admin_grant,
                      "object": {"id": w.factory, "availableActorTypes": types}});
    assert_eq!(w.a.post_outbox("admin", &w.admin_token, &edit).await.0, 201);
    let edited = || async { w.a.get_ap(&w.factory).await.1["availableActorTypes"] == types };
    assert!(
        eventually(10, edited).await,
        "the Factory makes PatchTrackers"
    );
    let (repo, repo_grant) = make(&w, "Repository", "Game").await;
    let (tracker, tracker_grant) = make(&w, "PatchTracker", "Patches").await;
    let f = Forge {
        w,
        b,
        repo,
        repo_grant,
        tracker,
        tracker_grant,
    };
    f.link().await;
    f
}

impl Forge {
    /// The IRI of merge request `n`.
    pub fn mr(&self, n: u64) -> String {
        format!("{}/merge-requests/{n}", self.tracker)
    }

    /// The admin invites the tracker to `write` on the repository and accepts for the tracker;
    /// both documents then point to each other.
    pub async fn link(&self) {
        let invite = json!({"type": "Invite", "object": self.tracker, "instrument": "write",
                            "target": self.repo, "capability": self.repo_grant});
        let invite_id = self.send(&self.w.a, "admin", &invite).await;
        let accept = json!({"type": "Accept", "object": invite_id, "to": [self.tracker],
                            "capability": self.tracker_grant});
        self.send(&self.w.a, "admin", &accept).await;
        let a = &self.w.a;
        let linked = || async {
            a.get_ap(&self.repo).await.1["sendPatchesTo"] == self.tracker.as_str()
                && a.get_ap(&self.tracker).await.1["tracksPatchesFor"] == json!([self.repo])
        };
        assert!(
            eventually(15, linked).await,
            "repository and tracker linked"
        );
    }

    /// `user` posts `activity` through their outbox; answers its id and the tracker's Accept
    /// or Reject of it.
    pub async fn post(&self, inst: &Instance, user: &str, activity: &Value) -> (String, Value) {
        self.post_to(inst, user, activity, &self.tracker).await
    }

    /// As `post`, for the answer of `actor`.
    pub async fn post_to(
        &self,
        inst: &Instance,
        user: &str,
        activity: &Value,
        actor: &str,
    ) -> (String, Value) {
        let id = self.send(inst, user, activity).await;
        let token = inst.login(user).await;
        let answer = inst
            .find_in_inbox(user, &token, 15, |v| {
                v["actor"] == actor
                    && (v["type"] == "Accept" || v["type"] == "Reject")
                    && v["object"]["id"] == id
            })
            .await;
        (
            id.clone(),
            answer.unwrap_or_else(|| panic!("no answer to {id}")),
        )
    }

    /// `user` posts `activity` through their outbox; answers its id.
    pub async fn send(&self, inst: &Instance, user: &str, activity: &Value) -> String {
        let token = inst.login(user).await;
        let (s, body) = inst.post_outbox(user, &token, activity).await;
        assert_eq!(s, 201, "{body}");
        body["id"].as_str().unwrap_or_default().to_string()
    }

    /// The number of merge requests of the tracker.
    pub async fn mrs(&self) -> u64 {
        let list = format!("{}/merge-requests", self.tracker);
        self.w.a.total(&list, None).await
    }
}
