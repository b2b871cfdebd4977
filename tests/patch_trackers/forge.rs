//! The patch tracker tests' world: A, whose admin makes a Repository and a PatchTracker through
//! the Factory and links them (`common::trackers`), and B with people; posting through an
//! outbox and waiting for the tracker's answer; a fake remote's signed Offers.

use crate::common::activities::{answered, answered_remotely, send};
// Also the world of tests/web_more (as `pt_forge`), which uses only part of it.
#[allow(unused_imports)]
pub use crate::common::activities::{rejected, vector, with};
pub use crate::common::forge::make;
use crate::common::remote::FakeRemote;
use crate::common::trackers::{linked, Linked};
use crate::common::Instance;
use serde_json::{json, Value};

/// mallory (a fake remote server, signed S2S) offers `activity` to `to`; answers the Reject or
/// Accept that came back.
pub async fn offered(remote: &FakeRemote, to: &str, i: usize, activity: Value) -> Value {
    let mallory = remote.actor("mallory");
    let id = format!("{mallory}/activities/{i}");
    let base = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": id,
        "type": "Offer", "actor": mallory, "to": [to], "target": to});
    answered_remotely(remote, "mallory", to, &with(base, activity)).await
}

/// A with the repository "Game" and the PatchTracker "Patches", linked (and the admin's
/// Grants on both), and B.
pub struct Forge(pub Linked);

impl std::ops::Deref for Forge {
    type Target = Linked;
    fn deref(&self) -> &Linked {
        &self.0
    }
}

/// A (its Factory also making PatchTrackers) with a linked repository and tracker, and B with
/// `people`.
pub async fn forge(people: &[&str]) -> Forge {
    Forge(linked(("Game", "Patches"), people).await)
}

impl Forge {
    /// The IRI of merge request `n`.
    pub fn mr(&self, n: u64) -> String {
        format!("{}/merge-requests/{n}", self.tracker)
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

    /// The number of merge requests of the tracker.
    pub async fn mrs(&self) -> u64 {
        let list = format!("{}/merge-requests", self.tracker);
        self.w.a.total(&list, None).await
    }
}
