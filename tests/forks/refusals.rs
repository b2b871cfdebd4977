//! Forks the Factory refuses, with nothing created: a private origin forked by someone without
//! a Grant on it (once granted `visit`, they may: `private`) (on its own instance, read from disk; from another instance, whose fetch is
//! answered 404), an origin that is not a Repository (a person, a Factory), a malformed
//! origin, and a fork's Create that does not address its origin.

use crate::calls::{answer_to, factory_grant, get, post, push};
use crate::common::forge::World;
use crate::common::git::{ok, rev, work_tree, GitUser};
use crate::forking::fork;
use serde_json::{json, Value};
use std::path::Path;

/// A Reject whose summary says `why`; the repository `name` would have had does not exist.
async fn rejected(answer: &Value, why: &str, w: &World, id: &str) {
    assert_eq!(answer["type"], "Reject", "{answer}");
    let text = answer.to_string();
    assert!(text.contains(why), "{why:?} in {text}");
    let (s, body) = get(&w.a.at(&format!("/repos/{id}"))).await;
    assert_eq!(s, 404, "nothing created: {body}");
}

/// alice's private repository on A, pushed to; its IRI and its `main`.
async fn private_origin(a: &World, alice: &GitUser, tmp: &Path) -> (String, String) {
    let grant = factory_grant(a).await;
    let create = json!({"type": "Create", "to": [a.factory], "capability": grant,
                        "object": {"type": "Repository", "name": "Secret", "visibility": "private"}});
    let id = post(&a.a, "alice", create).await;
    let answer = answer_to(&a.a, "alice", &id, &a.factory).await;
    let repo = answer["result"].as_str().expect("created").to_string();
    let src = work_tree(tmp, "secret", 1);
    ok(push(alice, &src, &repo));
    (repo, rev(&src, "main"))
}

pub async fn refused(
    a: &World,
    alice: &GitUser,
    b: &World,
    bob_grant: &str,
    carol_grant: &str,
    tmp: &Path,
) {
    let (secret, main) = private_origin(a, alice, tmp).await;
    let answer = fork(a, "carol", carol_grant, "Secret copy", json!(secret)).await;
    rejected(
        &answer,
        "does not exist, or the asker may not read it",
        a,
        "secret-copy",
    )
    .await;
    let answer = fork(b, "bob", bob_grant, "Secret copy", json!(secret)).await;
    rejected(&answer, "could not be fetched", b, "secret-copy").await;
    crate::private::visit_holder_forks(a, carol_grant, &secret, &main).await;

    let person = a.a.at("/people/alice");
    let answer = fork(a, "carol", carol_grant, "Person copy", json!(person)).await;
    rejected(&answer, "is not a Repository", a, "person-copy").await;
    let answer = fork(b, "bob", bob_grant, "Factory copy", json!(a.factory)).await;
    rejected(&answer, "is not a Repository", b, "factory-copy").await;

    let malformed = json!({"id": "not an iri"});
    let answer = fork(a, "carol", carol_grant, "Bad copy", malformed).await;
    rejected(&answer, "is not an http(s) IRI", a, "bad-copy").await;

    // Not addressed to the origin: the origin could never list it.
    let repo = a.a.at("/repos/tree");
    let create = json!({"type": "Create", "to": [a.factory], "capability": carol_grant,
                        "object": {"type": "Repository", "name": "Quiet copy", "origin": repo}});
    let id = post(&a.a, "carol", create).await;
    let answer = answer_to(&a.a, "carol", &id, &a.factory).await;
    rejected(&answer, "must address its origin", a, "quiet-copy").await;
}
