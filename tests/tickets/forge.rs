//! The tickets tests' world: A's tracker made through its Factory, B with people, the
//! tracker's admin granting roles, posting through an outbox and waiting for the tracker's
//! answer or Announce; the spec examples (vectors) with their IRIs swapped.

use crate::common::activities::{answered, send};
pub use crate::common::activities::{rejected, vector, with};
use crate::common::forge::{invite_to, make, world, World, B_SETTINGS};
use crate::common::Instance;
use serde_json::{json, Value};

/// An Offer of a new Ticket `summary` to `tracker`.
pub fn offer(tracker: &str, summary: &str) -> Value {
    json!({"type": "Offer", "to": [tracker], "target": tracker,
           "object": {"type": "Ticket", "summary": summary, "content": "<p>details</p>"}})
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
    let (tracker, admin_grant) = make(&w, "TicketTracker", "Bugs").await;
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
        let on = (self.tracker.as_str(), self.admin_grant.as_str());
        let grant = invite_to(&self.w, on, inst, user, role, json!({})).await;
        grant["id"].as_str().unwrap().to_string()
    }

    /// `user` posts `activity` through their outbox; answers its id and the tracker's Accept
    /// or Reject of it.
    pub async fn post(&self, inst: &Instance, user: &str, activity: &Value) -> (String, Value) {
        answered(inst, user, activity, &self.tracker).await
    }

    /// `user` posts `activity` through their outbox; answers its id.
    pub async fn send(&self, inst: &Instance, user: &str, activity: &Value) -> String {
        send(inst, user, activity).await
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
