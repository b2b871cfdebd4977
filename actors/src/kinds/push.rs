//! Push activities: after a push, one `Push` per updated branch, listing the new commits (newest
//! first, at most `PUSH_COMMITS`), published to the repository's followers.

use crate::actor::state::ActorCore;
use crate::git::{self, Refs, ZERO};
use crate::git_documents;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::Path;
use url::Url;

/// At most this many commits are listed in one Push.
pub const PUSH_COMMITS: usize = 100;

/// One branch or tag update of a push.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RefUpdate {
    pub name: String,
    pub before: String,
    pub after: String,
}

/// One branch a push updated, with the commits it added (newest first, at most
/// `PUSH_COMMITS`) and how many it added in all.
pub struct PushedBranch {
    pub update: RefUpdate,
    pub branch: String,
    pub commits: Vec<git::CommitInfo>,
    pub total: usize,
}

/// The branches a push updated (tags and deletions publish nothing) and their new commits.
/// Blocking (it walks the repository): run it off the actor thread.
pub fn pushed_branches(git_dir: &Path, before: &Refs, updates: &[RefUpdate]) -> Vec<PushedBranch> {
    let hidden: Vec<String> = before.values().cloned().collect();
    let mut out = Vec::new();
    for u in updates {
        let Some(branch) = u.name.strip_prefix("refs/heads/") else {
            continue;
        };
        if u.after == ZERO {
            continue;
        }
        let mut hide = vec![u.before.clone()];
        if u.before == ZERO {
            hide = hidden.clone();
        }
        match git::new_commits(git_dir, &u.after, &hide, PUSH_COMMITS) {
            Ok((commits, total)) => out.push(PushedBranch {
                update: u.clone(),
                branch: branch.to_string(),
                commits,
                total,
            }),
            Err(e) => tracing::error!(error = %e, branch, "cannot list pushed commits"),
        }
    }
    out
}

/// Publishes one Push per pushed branch.
pub fn publish(core: &ActorCore, pusher: &Url, branches: &[PushedBranch]) {
    let me = core.iri();
    for PushedBranch {
        update: u,
        branch,
        commits,
        total,
    } in branches
    {
        let items: Vec<serde_json::Value> = commits
            .iter()
            .map(|c| git_documents::commit(&core.env.urls, &core.r, c, json!(pusher), None))
            .collect();
        let push = json!({
            "type": "Push",
            "attributedTo": pusher,
            "context": me,
            "to": [core.env.urls.collection(&core.r, crate::urls::Collection::Followers)],
            "target": git_documents::branch(&core.env.urls, &core.r, branch),
            "hashBefore": u.before,
            "hashAfter": u.after,
            "object": {"type": "OrderedCollection", "totalItems": total, "orderedItems": items},
        });
        if let Err(e) = crate::publish::outbox::publish(core, push) {
            tracing::error!(error = %e, branch = %branch, "cannot publish Push");
        }
    }
}
