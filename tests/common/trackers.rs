//! A world with a Repository and a PatchTracker linked by mutual consent (ForgeFed
//! "Repository-PatchTracker Links"): A, whose Factory also makes PatchTrackers and whose admin
//! makes both and links them (the repository's Invite of the tracker to `write`, accepted by
//! the tracker's admin), and B with people. Unlinking from either side is here too.

use super::client::eventually;
use super::forge::{make, world, World, B_SETTINGS};
use super::instance::Instance;
use serde_json::{json, Value};

/// A with the linked repository and tracker (and the admin's Grants on both), and B.
pub struct Linked {
    pub w: World,
    pub b: Instance,
    pub repo: String,
    pub repo_grant: String,
    pub tracker: String,
    pub tracker_grant: String,
}

/// A's Factory makes PatchTrackers too.
pub async fn making_patch_trackers(w: &World) {
    let types = json!(["Repository", "TicketTracker", "PatchTracker", "Project"]);
    let edit = json!({"type": "Edit", "to": [w.factory], "capability": w.admin_grant,
                      "object": {"id": w.factory, "availableActorTypes": types}});
    let (s, body) = w.a.post_outbox("admin", &w.admin_token, &edit).await;
    assert_eq!(s, 201, "{body}");
    let edited = || async { w.a.get_ap(&w.factory).await.1["availableActorTypes"] == types };
    assert!(
        eventually(10, edited).await,
        "the Factory makes PatchTrackers"
    );
}

/// The world: A's admin makes the repository `names.0` and the tracker `names.1` and links
/// them; B has `people`.
pub async fn linked(names: (&str, &str), people: &[&str]) -> Linked {
    let w = world().await;
    let b = Instance::start("b", B_SETTINGS).await;
    for p in people {
        b.register(p).await;
    }
    making_patch_trackers(&w).await;
    let (repo, repo_grant) = make(&w, "Repository", names.0).await;
    let (tracker, tracker_grant) = make(&w, "PatchTracker", names.1).await;
    let l = Linked {
        w,
        b,
        repo,
        repo_grant,
        tracker,
        tracker_grant,
    };
    l.link().await;
    l
}

impl Linked {
    /// The admin invites the tracker to `write` on the repository and accepts for the tracker
    /// (again until the tracker has the Invite); both documents then point to each other.
    pub async fn link(&self) {
        let (a, token) = (&self.w.a, &self.w.admin_token);
        let invite = json!({"type": "Invite", "object": self.tracker, "instrument": "write",
            "target": self.repo, "to": [self.repo, self.tracker], "capability": self.repo_grant});
        let (s, body) = a.post_outbox("admin", token, &invite).await;
        assert_eq!(s, 201, "{body}");
        let accept = json!({"type": "Accept", "object": body["id"], "to": [self.tracker],
                            "capability": self.tracker_grant});
        let mut linked = false;
        for _ in 0..15 {
            let (s, body) = a.post_outbox("admin", token, &accept).await;
            assert_eq!(s, 201, "{body}");
            linked = eventually(1, || self.is_linked()).await;
            if linked {
                break;
            }
        }
        assert!(linked, "{} and {} linked", self.repo, self.tracker);
    }

    /// Whether the repository points to the tracker and the tracker to the repository alone.
    pub async fn is_linked(&self) -> bool {
        self.sends_patches_to().await == self.tracker.as_str()
            && self.tracks_patches_for().await == json!([self.repo])
    }

    /// The repository's `sendPatchesTo` (null when it names no tracker).
    pub async fn sends_patches_to(&self) -> Value {
        self.w.a.get_ap(&self.repo).await.1["sendPatchesTo"].clone()
    }

    /// The tracker's `tracksPatchesFor`.
    pub async fn tracks_patches_for(&self) -> Value {
        self.w.a.get_ap(&self.tracker).await.1["tracksPatchesFor"].clone()
    }
}
