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

/// Publishes one Push per updated branch (tags and deletions publish nothing).
pub fn publish(
    core: &ActorCore,
    git_dir: &Path,
    pusher: &Url,
    before: &Refs,
    updates: &[RefUpdate],
) {
    let me = core.iri();
    let hidden: Vec<String> = before.values().cloned().collect();
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
        let (commits, total) = match git::new_commits(git_dir, &u.after, &hide, PUSH_COMMITS) {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, branch, "cannot list pushed commits");
                continue;
            }
        };
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
            tracing::error!(error = %e, branch, "cannot publish Push");
        }
    }
}
