//! The reviews tests' world: A's admin makes a Repository and a PatchTracker through the
//! Factory and links them (`common::trackers`); people on B (bob opens merge requests, carol
//! reviews without a Grant, dave holds `write` on the tracker, erin `report`); posting through
//! an outbox and waiting for the tracker's answer; the vectors with their IRIs swapped.

use crate::common::activities::{answered, send, vector_in, SPEC_VECTORS};
pub use crate::common::activities::{rejected, with};
use crate::common::forge::invite_to;
use crate::common::trackers::{linked, Linked};
use serde_json::{json, Value};

/// The IRIs of the vectors, swapped for real ones.
pub const SPEC_TRACKER: &str = "https://dev.example/projects/game-of-life/pr-tracker";
pub const SPEC_MR: &str = "https://dev.example/projects/game-of-life/pr-tracker/pulls/1219";

/// A vector (`tests/reviews/vectors`, or the spec's own with `spec/`) with its IRIs swapped (in
/// the order given) and its `id` removed.
pub fn vector(name: &str, swaps: &[(&str, &str)]) -> Value {
    match name.strip_prefix("spec/") {
        Some(file) => vector_in(SPEC_VECTORS, file, swaps),
        None => {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reviews/vectors");
            vector_in(dir, name, swaps)
        }
    }
}

/// A git patch changing `src/main.c`, as `git format-patch` writes it.
pub const PATCH: &str = "From 1f3c0e9b2f5d4c6a8b9e0d1c2b3a4f5e6d7c8b9a Mon Sep 17 00:00:00 2001\n\
From: Bob <bob@b.example>\nDate: Thu, 3 Dec 2026 06:00:00 +0000\n\
Subject: [PATCH] Shorter delay\n\n---\n src/main.c | 2 +-\n 1 file changed\n\n\
diff --git a/src/main.c b/src/main.c\nindex 3b18e51..a042389 100644\n--- a/src/main.c\n\
+++ b/src/main.c\n@@ -1,3 +1,3 @@\n int main(void) {\n-  sleep(60);\n+  sleep(30);\n }\n\
--\n2.43.0\n";

/// The one hunk of `PATCH`.
pub const HUNK: &str = "@@ -1,3 +1,3 @@\n int main(void) {\n-  sleep(60);\n+  sleep(30);\n }";

/// A with its linked repository and patch tracker, B with people.
pub struct Forge(Linked);

impl std::ops::Deref for Forge {
    type Target = Linked;
    fn deref(&self) -> &Linked {
        &self.0
    }
}

/// The world: the Factory makes PatchTrackers too; the repository "code" links the tracker
/// "patches"; B has bob, carol, dave and erin.
pub async fn forge() -> Forge {
    Forge(linked(("code", "patches"), &["bob", "carol", "dave", "erin"]).await)
}

impl Forge {
    /// The tracker's admin invites `user` (on B) to `role` on the tracker; answers the Grant.
    pub async fn grant(&self, user: &str, role: &str) -> String {
        let on = (self.tracker.as_str(), self.tracker_grant.as_str());
        let grant = invite_to(&self.w, on, &self.b, user, role, json!({})).await;
        grant["id"].as_str().unwrap().to_string()
    }

    /// `user` on B posts `activity` through their outbox; answers its id and the tracker's
    /// Accept or Reject of it.
    pub async fn post(&self, user: &str, activity: &Value) -> (String, Value) {
        answered(&self.b, user, activity, &self.tracker).await
    }

    /// `user` on B posts `activity` through their outbox; answers its id.
    pub async fn send(&self, user: &str, activity: &Value) -> String {
        send(&self.b, user, activity).await
    }

    /// bob opens a merge request of `PATCH` into the repository's main branch; answers its IRI.
    pub async fn open(&self, summary: &str) -> String {
        let t = &self.tracker;
        let offer = json!({"type": "Offer", "to": [t], "target": t, "object": {
            "type": "Ticket", "summary": summary, "content": "<p>Please review</p>",
            "attachment": {"type": "Offer",
                "target": {"type": "Branch", "context": self.repo, "ref": "refs/heads/main"},
                "object": {"type": "OrderedCollection", "totalItems": 1, "items": [
                    {"type": "Patch", "mediaType": "application/x-git-patch", "content": PATCH}]}}}});
        let (_, answer) = self.post("bob", &offer).await;
        assert_eq!(answer["type"], "Accept", "{answer}");
        answer["result"].as_str().unwrap().to_string()
    }

    /// A document of A, which must answer 200.
    pub async fn doc(&self, iri: &str) -> Value {
        let (s, doc) = self.w.a.get_ap(iri).await;
        assert_eq!(s, 200, "{iri}: {doc}");
        doc
    }

    /// The items of a collection of A.
    pub async fn items(&self, iri: &str) -> Vec<Value> {
        self.w.a.collection(iri, None).await
    }
}
