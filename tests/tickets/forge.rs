//! The tickets tests' world: A's tracker made through its Factory, B with people, the
//! tracker's admin granting roles, posting through an outbox and waiting for the tracker's
//! answer or Announce; the spec examples (vectors) with their IRIs swapped.

use crate::common::forge::{create_via_factory, world, World, B_SETTINGS};
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

/// An Offer of a new Ticket `summary` to `tracker`.
pub fn offer(tracker: &str, summary: &str) -> Value {
    json!({"type": "Offer", "to": [tracker], "target": tracker,
           "object": {"type": "Ticket", "summary": summary, "content": "<p>details</p>"}})
}

/// `base` with the keys of `extra` set (null values included).
pub fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        base[k] = v;
    }
    base
}

/// `answer` is a Reject whose summary says `reason`.
pub fn rejected(answer: Value, reason: &str) {
    assert_eq!(answer["type"], "Reject", "{answer}");
    let summary = answer["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains(reason),
        "{summary:?} should say {reason:?}"
    );
}

/// A with its tracker "Bugs" (and the admin's Grant on it), and B.
pub struct Forge {
    pub w: World,
    pub b: Instance,
    pub tracker: String,
    pub admin_grant: String,
}

/// A, whose admin makes the tracker "Bugs" through the Factory, and B with `people`.
pub async fn forge(people: &[&str]) -> Forge {
    let w = world().await;
    let b = Instance::start("b", B_SETTINGS).await;
    for p in people {
        b.register(p).await;
    }
    let (f, admin) = (w.factory.clone(), w.admin_grant.clone());
    let answer = create_via_factory(&w.a, "admin", &f, "TicketTracker", "Bugs", Some(&admin)).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let tracker = answer["result"].as_str().expect("result").to_string();
    let grant = w.a.grant_on("admin", &tracker, "active", 10).await;
    let admin_grant = grant.expect("admin Grant on the tracker")["id"]
        .as_str()
        .unwrap()
        .into();
    Forge {
        w,
        b,
        tracker,
        admin_grant,
    }
}

impl Forge {
    /// The IRI of ticket `n`.
    pub fn ticket(&self, n: u64) -> String {
        format!("{}/tickets/{n}", self.tracker)
    }

    /// The tracker's admin invites `user` (on `inst`) to `role`; they accept. Answers the Grant.
    pub async fn grant(&self, inst: &Instance, user: &str, role: &str) -> String {
        let who = inst.at(&format!("/people/{user}"));
        let invite = json!({"type": "Invite", "object": who, "instrument": role,
                            "target": self.tracker, "capability": self.admin_grant});
        let (s, body) = self
            .w
            .a
            .post_outbox("admin", &self.w.admin_token, &invite)
            .await;
        assert_eq!(s, 201, "{body}");
        let invite_id = body["id"].as_str().unwrap().to_string();
        let token = inst.login(user).await;
        let got = inst
            .find_in_inbox(user, &token, 10, |v| v["id"] == invite_id)
            .await;
        assert!(got.is_some(), "{user} was invited");
        let accept = json!({"type": "Accept", "object": invite_id});
        assert_eq!(inst.post_outbox(user, &token, &accept).await.0, 201);
        let grant = inst
            .grant_on(user, &self.tracker, "active", 10)
            .await
            .expect("Grant");
        assert_eq!(grant["object"], role);
        grant["id"].as_str().unwrap().to_string()
    }

    /// `user` posts `activity` through their outbox; answers its id and the tracker's Accept
    /// or Reject of it.
    pub async fn post(&self, inst: &Instance, user: &str, activity: &Value) -> (String, Value) {
        let id = self.send(inst, user, activity).await;
        let token = inst.login(user).await;
        let answer = inst
            .find_in_inbox(user, &token, 15, |v| {
                v["actor"] == self.tracker
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

    /// `user` on `inst` opens a ticket; answers its IRI.
    pub async fn open(&self, inst: &Instance, user: &str, summary: &str) -> String {
        let (_, answer) = self.post(inst, user, &offer(&self.tracker, summary)).await;
        assert_eq!(answer["type"], "Accept", "{answer}");
        answer["result"].as_str().unwrap().to_string()
    }

    /// Waits for an Announce of the activity `id` in `user`'s inbox.
    pub async fn announced(&self, inst: &Instance, user: &str, id: &str) -> Value {
        let token = inst.login(user).await;
        let found = inst
            .find_in_inbox(user, &token, 15, |v| {
                v["type"] == "Announce" && v["object"]["id"] == id
            })
            .await;
        found.unwrap_or_else(|| panic!("{user} received no Announce of {id}"))
    }

    /// The number of tickets of the tracker.
    pub async fn tickets(&self) -> u64 {
        self.w
            .a
            .total(&format!("{}/tickets", self.tracker), None)
            .await
    }
}
