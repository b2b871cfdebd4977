//! The reviews tests' world: A's admin makes a Repository and a PatchTracker through the
//! Factory and links them; people on B (bob opens merge requests, carol reviews without a
//! Grant, dave holds `write` on the tracker, erin `report`); posting through an outbox and
//! waiting for the tracker's answer; the vectors with their IRIs swapped.

use crate::common::forge::{create_via_factory, world, World, B_SETTINGS};
use crate::common::Instance;
use serde_json::{json, Value};

/// The IRIs of the vectors, swapped for real ones.
pub const SPEC_TRACKER: &str = "https://dev.example/projects/game-of-life/pr-tracker";
pub const SPEC_MR: &str = "https://dev.example/projects/game-of-life/pr-tracker/pulls/1219";

/// A vector (`tests/reviews/vectors`, or the spec's own with `spec/`) with its IRIs swapped (in
/// the order given) and its `id` removed.
pub fn vector(name: &str, swaps: &[(&str, &str)]) -> Value {
    let dir = match name.strip_prefix("spec/") {
        Some(_) => concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schema/tests/vectors/forgefed-spec"
        ),
        None => concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reviews/vectors"),
    };
    let file = name.trim_start_matches("spec/");
    let mut text = std::fs::read_to_string(format!("{dir}/{file}")).expect("vector");
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
pub fn rejected(answer: Value, reason: &str) {
    assert_eq!(answer["type"], "Reject", "{answer}");
    let summary = answer["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains(reason),
        "{summary:?} should say {reason:?}"
    );
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
pub struct Forge {
    pub w: World,
    pub b: Instance,
    pub repo: String,
    pub tracker: String,
    pub tracker_grant: String,
}

/// A resource of the Factory made by its admin, and the admin's Grant on it.
async fn made(w: &World, kind: &str, name: &str) -> (String, String) {
    let answer =
        create_via_factory(&w.a, "admin", &w.factory, kind, name, Some(&w.admin_grant)).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let iri = answer["result"].as_str().expect("result").to_string();
    let grant =
        w.a.grant_on("admin", &iri, "active", 10)
            .await
            .expect("admin Grant");
    (iri, grant["id"].as_str().unwrap().to_string())
}

/// The world: the Factory makes PatchTrackers too; the repository "code" links the tracker
/// "patches" (the repository's admin invites it to `write`, the tracker's admin accepts).
pub async fn forge() -> Forge {
    let w = world().await;
    let edit = json!({"type": "Edit", "to": [w.factory], "capability": w.admin_grant,
        "object": {"id": w.factory, "availableActorTypes":
                   ["Repository", "TicketTracker", "PatchTracker", "Project"]}});
    let (s, body) = w.a.post_outbox("admin", &w.admin_token, &edit).await;
    assert_eq!(s, 201, "{body}");
    let types = |doc: &Value| doc["availableActorTypes"].to_string();
    for _ in 0..100 {
        if types(&w.a.get_ap(&w.factory).await.1).contains("PatchTracker") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (repo, repo_grant) = made(&w, "Repository", "code").await;
    let (tracker, tracker_grant) = made(&w, "PatchTracker", "patches").await;
    link(&w, &repo, &repo_grant, &tracker, &tracker_grant).await;
    let b = Instance::start("b", B_SETTINGS).await;
    for p in ["bob", "carol", "dave", "erin"] {
        b.register(p).await;
    }
    Forge {
        w,
        b,
        repo,
        tracker,
        tracker_grant,
    }
}

/// Links `repo` and `tracker` (ForgeFed "Repository-PatchTracker Links").
async fn link(w: &World, repo: &str, repo_grant: &str, tracker: &str, tracker_grant: &str) {
    let invite = json!({"type": "Invite", "object": tracker, "target": repo, "instrument": "write",
                        "to": [repo, tracker], "capability": repo_grant});
    let (s, body) = w.a.post_outbox("admin", &w.admin_token, &invite).await;
    assert_eq!(s, 201, "{body}");
    let invite_id = body["id"].as_str().unwrap().to_string();
    let linked = || async { w.a.get_ap(tracker).await.1["tracksPatchesFor"].to_string() };
    for i in 0..150 {
        if i % 10 == 0 {
            let accept = json!({"type": "Accept", "object": invite_id, "to": [tracker],
                                "capability": tracker_grant});
            let (s, body) = w.a.post_outbox("admin", &w.admin_token, &accept).await;
            assert_eq!(s, 201, "{body}");
        }
        if linked().await.contains(repo) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{tracker} was not linked to {repo}: {}", linked().await);
}

impl Forge {
    /// The tracker's admin invites `user` (on B) to `role` on the tracker; answers the Grant.
    pub async fn grant(&self, user: &str, role: &str) -> String {
        let who = self.b.at(&format!("/people/{user}"));
        let invite = json!({"type": "Invite", "object": who, "instrument": role,
                            "target": self.tracker, "capability": self.tracker_grant});
        let (s, body) = self
            .w
            .a
            .post_outbox("admin", &self.w.admin_token, &invite)
            .await;
        assert_eq!(s, 201, "{body}");
        let invite_id = body["id"].as_str().unwrap().to_string();
        let token = self.b.login(user).await;
        let got = self
            .b
            .find_in_inbox(user, &token, 10, |v| v["id"] == invite_id)
            .await;
        assert!(got.is_some(), "{user} was invited");
        let accept = json!({"type": "Accept", "object": invite_id});
        assert_eq!(self.b.post_outbox(user, &token, &accept).await.0, 201);
        let grant = self.b.grant_on(user, &self.tracker, "active", 10).await;
        let grant = grant.expect("Grant");
        assert_eq!(grant["object"], role);
        grant["id"].as_str().unwrap().to_string()
    }

    /// `user` on B posts `activity` through their outbox; answers its id and the tracker's
    /// Accept or Reject of it.
    pub async fn post(&self, user: &str, activity: &Value) -> (String, Value) {
        let id = self.send(user, activity).await;
        let token = self.b.login(user).await;
        let answer = self
            .b
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

    /// `user` on B posts `activity` through their outbox; answers its id.
    pub async fn send(&self, user: &str, activity: &Value) -> String {
        let token = self.b.login(user).await;
        let (s, body) = self.b.post_outbox(user, &token, activity).await;
        assert_eq!(s, 201, "{body}");
        body["id"].as_str().unwrap_or_default().to_string()
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
