//! The ForgeFed documents of a repository's git objects: a `Commit` (as a Push lists it and as
//! its IRI serves it) and a `Branch`. Their IRIs come from `urls`; the git data from `git`.

use crate::git::CommitInfo;
use crate::kind::ActorRef;
use crate::urls::Urls;
use serde_json::{json, Value};

/// A Commit of `repo`, attributed to `attributed_to` (the pusher in a Push; the git author,
/// `{"type": "Person", "name"}`, when served alone). `committedBy` is the git committer when
/// given.
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
    let person = |name: &str| json!({"type": "Person", "name": name});
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

/// A Branch as its IRI serves it.
pub fn branch_document(urls: &Urls, repo: &ActorRef, name: &str) -> Value {
    let mut doc = branch(urls, repo, name);
    doc["@context"] = schema::context::default_context();
    doc
}
