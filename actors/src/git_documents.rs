//! The ForgeFed documents of a repository's git objects: a `Commit` (as a Push lists it and as
//! its IRI serves it) and a `Branch`. Their IRIs come from `urls`; the git data from `git`.

use crate::base::kind::ActorRef;
use crate::git::CommitInfo;
use crate::urls::Urls;
use serde_json::{json, Value};

/// A Commit of `repo`, attributed to `attributed_to` (the pusher in a Push; the git author,
/// `{"name"}`, when served alone). `committedBy` is the git committer when given.
pub fn commit(
    urls: &Urls,
    repo: &ActorRef,
    c: &CommitInfo,
    attributed_to: Value,
    committed_by: Option<Value>,
) -> Value {
    let mut v = json!({
        "id": urls.commit(repo, &c.hash),
        "type": "Commit",
        "context": urls.actor(repo),
        "attributedTo": attributed_to,
        "hash": c.hash,
        "summary": c.summary,
        "created": c.created,
        "committed": c.committed,
    });
    if let Some(by) = committed_by {
        v["committedBy"] = by;
    }
    if let Some(d) = &c.description {
        v["description"] = json!({"mediaType": "text/plain", "content": d});
    }
    v
}

/// A Commit as its IRI serves it: with `@context`, attributed to its git author and committer.
pub fn commit_document(urls: &Urls, repo: &ActorRef, c: &CommitInfo) -> Value {
    // Git names people, not actors: a non-actor `{name}` (no email: it is not ours to publish).
    let person = |name: &str| json!({ "name": name });
    let mut doc = commit(urls, repo, c, person(&c.author), Some(person(&c.committer)));
    doc["@context"] = schema::context::default_context();
    doc
}

/// The Branch `refs/heads/<name>` of `repo`.
pub fn branch(urls: &Urls, repo: &ActorRef, name: &str) -> Value {
    json!({
        "type": "Branch",
        "id": urls.branch(repo, name),
        "name": name,
        "ref": format!("refs/heads/{name}"),
        "context": urls.actor(repo),
    })
}

/// A Branch as its IRI serves it, with the commit it points to now (`currentCommit`, an
/// Orchard term: the Commit's IRI).
pub fn branch_document(urls: &Urls, repo: &ActorRef, name: &str, current: &str) -> Value {
    let mut doc = branch(urls, repo, name);
    let context = schema::context::default_context();
    doc["@context"] = crate::urls::vocabulary::with_orchard_context(urls, context);
    doc["currentCommit"] = json!(urls.commit(repo, current));
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::kind::ActorKind;
    use url::Url;

    #[test]
    fn documents_read_as_the_forgefed_types() {
        let urls = Urls::new(Url::parse("http://127.0.0.1:7000").unwrap());
        let repo = ActorRef::new(ActorKind::Repository, "r1");
        let info = CommitInfo {
            hash: "ab".repeat(20),
            author: "Alice".into(),
            committer: "Bob".into(),
            summary: "Add".into(),
            description: Some("More".into()),
            created: "2026-11-22T10:00:00Z".into(),
            committed: "2026-11-22T10:00:01Z".into(),
        };
        let commit: schema::Commit =
            serde_json::from_value(commit_document(&urls, &repo, &info)).unwrap();
        assert_eq!(commit.id, urls.commit(&repo, &info.hash));
        assert_eq!(commit.context, Some(urls.actor(&repo)));
        assert_eq!(commit.hash, info.hash);
        let branch: schema::Branch =
            serde_json::from_value(branch_document(&urls, &repo, "feature/x", &info.hash)).unwrap();
        assert_eq!(branch.head_name(), Some("feature/x"));
        assert_eq!(branch.id, Some(urls.branch(&repo, "feature/x")));
        let doc = branch_document(&urls, &repo, "main", &info.hash);
        assert_eq!(doc["currentCommit"], json!(urls.commit(&repo, &info.hash)));
    }
}
